"""The shim's bridge keeps posted events until Python acknowledges them and replays the rest.

Runs static/shim/bridge.js in Node.js (no browser: seconds, not a Pyodide start) against a fake
`cil` and a recording `post`, and asserts on what each worker would have been sent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (README: a set-up requirement)")

HARNESS = """
import { Bridge } from "%(bridge)s";
import { encode } from "%(protocol)s";

const handlers = {};
const subscribe = (name) => (cb) => { handlers[name] = cb; };
const cil = new Proxy({}, { get: (_t, name) => (String(name).startsWith("on") ? subscribe(name) : undefined) });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const storage = { load: () => ({}), save: () => {} };
const quiet = { warn: () => {}, info: () => {}, error: () => {} };

function worker(bridge) {
  const sent = [];
  bridge.attach((text) => sent.push(JSON.parse(text)), 0);
  return {
    sent,
    events: () => sent.filter((m) => m.kind === "events").flatMap((m) => m.events.map((e) => e.seq)),
    dropped: () => sent.filter((m) => m.kind === "events").reduce((n, m) => n + m.dropped, 0),
    say: (kind, fields = {}) => bridge.fromWorker(JSON.parse(encode(kind, fields))),
    ready: async () => {
      bridge.fromWorker({ kind: "subscribe", events: ["beforeDial"] });
      bridge.fromWorker({ kind: "ready" });
      await sleep(0);
    },
  };
}

async function scenario(name) {
  const stalls = [];
  const hooks = { storage, console: quiet, stallMs: 60, onStalled: (why) => stalls.push(why) };
  const bridge = new Bridge(Promise.resolve(cil), hooks);
  await sleep(0);
  const fire = (event, payload = {}) => handlers[`on${event[0].toUpperCase()}${event.slice(1)}`](payload);
  if (name === "replay") {
    const first = worker(bridge);
    await first.ready();
    fire("workitemCreate"); fire("beforeDial", { dialedNumber: "1" }); fire("workitemConnect");
    await sleep(5);
    fire("workitemEnd");
    await sleep(5);
    first.say("ack", { seq: 1 });
    bridge.detach();
    fire("agentStateChange");
    const second = worker(bridge);
    const beforeReady = second.events().length;
    second.say("ready");
    await sleep(5);
    return { first: first.events(), beforeReady, second: second.events(), stats: bridge.stats, stalls };
  }
  if (name === "twice") {
    const first = worker(bridge);
    first.say("ready");
    fire("error"); fire("error");
    await sleep(5);
    bridge.detach();
    const second = worker(bridge);
    second.say("ready");
    await sleep(5);
    bridge.detach();
    fire("error");
    const third = worker(bridge);
    third.say("ready");
    await sleep(5);
    return { second: second.events(), third: third.events(), dropped: third.dropped(), stats: bridge.stats };
  }
  if (name === "stall") {
    const first = worker(bridge);
    first.say("ready");
    fire("error");
    await sleep(5);
    first.say("ack", { seq: 1 });
    await sleep(100);
    const afterAck = stalls.length;
    fire("error");
    await sleep(100);
    return { afterAck, stalls: stalls.length, unacked: bridge.unacked.length };
  }
  if (name === "payloads") {
    const first = worker(bridge);
    await first.ready();
    let deep = {}; let cursor = deep;
    for (let i = 0; i < 5000; i += 1) { cursor.a = {}; cursor = cursor.a; }
    const cyclic = {}; cyclic.self = cyclic;
    const throwing = { get dialedNumber() { throw new Error("boom"); } };
    fire("error", deep); fire("error", cyclic); fire("error", { n: 1n }); fire("error", () => 1);
    fire("beforeDial", throwing); fire("error", { ok: "yes" });
    await sleep(5);
    return { entries: first.sent.filter((m) => m.kind === "events").flatMap((m) => m.events) };
  }
  if (name === "diagnose") {
    const first = worker(bridge);
    const answer = bridge.diagnose();
    const asked = first.sent.find((m) => m.kind === "diagnose");
    first.say("diagnostics", { id: asked.id, stats: { events_received: 4 }, python: {}, sdk: { queued: 0 } });
    const result = await answer;
    const pending = bridge.diagnose();
    bridge.detach();
    const error = await pending.then(() => null, (e) => e.message);
    return { received: result.stats.events_received, shim: result.shim, error, waiting: bridge.diagnoses.size };
  }
  throw new Error(`no scenario ${name}`);
}

console.log(JSON.stringify(await scenario(process.argv[1])));
process.exit(0); // the bridge's stall timer would keep Node running
"""


def run(scenario: str) -> dict:
    script = HARNESS % {
        "bridge": (ROOT / "static" / "shim" / "bridge.js").as_uri(),
        "protocol": (ROOT / "static" / "shim" / "protocol.js").as_uri(),
    }
    try:
        done = subprocess.run(
            [NODE or "node", "--input-type=module", "-e", script, scenario],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"scenario {scenario} did not finish within 30 s")
    if done.returncode != 0:
        pytest.fail(f"scenario {scenario} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def test_unacknowledged_events_are_replayed_first_in_order_but_never_a_before_dial():
    """Worker 1 got 1-4 and acked 1: worker 2 gets 3, 4 (not beforeDial 2), then the new 5, after ready."""
    result = run("replay")
    assert result["first"] == [1, 2, 3, 4]
    assert result["beforeReady"] == 0
    assert result["second"] == [3, 4, 5]
    assert result["stats"]["replayed"] == 2


def test_an_event_two_workers_failed_on_is_dropped_and_reported():
    """Posted to two workers that both died unacknowledged: not posted a third time, reported as dropped."""
    result = run("twice")
    assert result["second"] == [1, 2]
    assert result["third"] == [3]
    assert result["dropped"] == 2 and result["stats"]["dropped"] == 2


def test_posted_events_without_an_ack_report_a_stall_and_an_ack_prevents_it():
    """Acknowledged events never stall; unacknowledged ones make the bridge call onStalled."""
    result = run("stall")
    assert result["afterAck"] == 0
    assert result["stalls"] >= 1 and result["unacked"] == 1


def test_payloads_json_cannot_carry_or_too_deep_become_invalid_entries_not_lost_batches():
    """Deep nesting, cycles, BigInt → invalid entries; a function → null; a throwing getter → no crash."""
    entries = run("payloads")["entries"]
    assert [entry["seq"] for entry in entries] == [1, 2, 3, 4, 5, 6]
    assert "invalid" in entries[0] and "invalid" in entries[1] and "BigInt" in entries[2]["invalid"]
    assert entries[3]["payload"] is None
    assert "invalid" in entries[4] and entries[5]["payload"] == {"ok": "yes"}


def test_diagnose_answers_with_python_and_shim_figures_and_fails_when_the_worker_goes():
    """diagnose() resolves with the matching diagnostics plus buffer sizes; a detach rejects a waiting one."""
    result = run("diagnose")
    assert result["received"] == 4
    assert result["shim"]["pending"] == 0 and result["shim"]["unacked"] == 0
    assert "replaced" in result["error"] and result["waiting"] == 0
