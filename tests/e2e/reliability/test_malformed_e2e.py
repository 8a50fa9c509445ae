"""Thousands of malformed events mixed with valid ones, fired through the stub `cil` into the real
integration: it stays ready, Python handles every valid one, counts every malformed one, logs them
with a rate limit, and still decides the next beforeDial itself.

The corpus is built in the integration's page from a seeded generator, each event tagged with
what the SDK must do with it: `handled` (its model validates; unknown enum values, missing or
extra fields, megabyte strings and moderate nesting are all readable) or `invalid` (not an
object, a clearly wrong JSON type, or something JSON cannot carry).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .conftest import PythonSim, diagnose, fire, shim_stats, wait_handled

Open = Callable[..., PythonSim]

# [name, payload, direct, expected] items; `direct` skips the stub's structured clone (it cannot
# carry functions, throwing getters or thousands of nesting levels).
CORPUS = r"""
(() => {
  let state = 20260111;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const MB = "x".repeat(1024 * 1024);
  const nest = (depth) => {
    let value = "bottom";
    for (let i = 0; i < depth; i += 1) value = { a: value };
    return value;
  };
  const workitem = (name, id, extra = {}) => ({
    event: name, version: "1.0", requestId: "", agentId: "agent-1", ani: "+41441234567",
    associatedParticipant: { id: "c1", name: "Jane Doe", recordType: "contact" }, associations: [],
    capabilities: ["Accept"], channelId: "voice_5000", channelType: "Voice", classification: "Customer",
    connectedAt: null, ctiData: { case: "7" }, direction: "Incoming", id, participants: [{ address: "+41441234567" }],
    participantLookupResult: [], state: "Offered", fromAddress: "+41441234567", toAddress: "1001", ...extra,
  });
  const agent = (extra = {}) => ({
    event: "agentStateChange", version: "1.0", requestId: "", channelType: "Voice", channelId: "voice_5000",
    newState: "Ready", newReasonCode: -1, newReasonCodeLabel: "", newStateChangeTime: new Date().toISOString(),
    oldState: "NotReady", oldReasonCode: 2, oldReasonCodeLabel: "Break", ...extra,
  });
  const error = (extra = {}) => ({ event: "error", version: "1.0", requestId: "", message: "m", ...extra });
  const CYCLE = [
    "workitemCreate", "workitemConnect", "workitemPause", "workitemResume", "workitemWrapup", "workitemEnd",
  ];
  let call = 0;
  const valid = [
    () => { call += 1; return CYCLE.map((name) => [name, workitem(name, `v${call}`), false, "handled"]); },
    () => [["agentStateChange", agent(), false, "handled"]],
    () => [["error", error(), false, "handled"]],
    // unknown enum values: open enums keep the text
    () => {
      const odd = { state: "Levitating", channelType: "Fax", direction: "Sideways", classification: "Alien" };
      return [["workitemPause", workitem("workitemPause", "e1", odd), false, "handled"]];
    },
    () => [["agentStateChange", agent({ newState: "Dancing", channelType: "Hologram" }), false, "handled"]],
    // missing fields, extra fields, numbers for identifiers, null lists, the `data` wrapper
    () => [[pick(["workitemPause", "workitemResume"]), { id: "m1" }, false, "handled"]],
    () => [[pick(["error", "agentStateChange", "workitemWrapup"]), {}, false, "handled"]],
    () => {
      const odd = { brandNew: { x: [1, 2] }, participants: null };
      return [["workitemResume", workitem("workitemResume", 12345, odd), false, "handled"]];
    },
    () => [["workitemPause", { event: "workitemPause", data: workitem("workitemPause", "d1") }, false, "handled"]],
    // values JSON drops or turns into null inside an object
    () => [["error", error({ extraNaN: NaN, gone: undefined, fn() {} }), true, "handled"]],
    // moderate nesting is fine
    () => [["workitemPause", workitem("workitemPause", "n1", { ctiData: { deep: nest(40) } }), false, "handled"]],
  ];
  const invalid = [
    () => [[pick(CYCLE), null, false, "invalid"]],
    () => [[pick(["error", "agentStateChange", ...CYCLE]), pick(["text", 42, true, [], [1, 2]]), false, "invalid"]],
    () => [["workitemPause", workitem("workitemPause", "w1", { participants: "not a list" }), false, "invalid"]],
    () => [["workitemPause", workitem("workitemPause", "w2", { ctiData: [1, 2, 3] }), false, "invalid"]],
    () => [["workitemPause", workitem("workitemPause", true), false, "invalid"]],
    () => [["agentStateChange", agent({ channelId: { nested: "object" } }), false, "invalid"]],
    () => [["error", error({ message: ["a", "list"] }), false, "invalid"]],
    () => {
      const cyclic = workitem("workitemPause", "c1");
      cyclic.self = cyclic;
      return [["workitemPause", cyclic, false, "invalid"]];
    },
    () => [["error", error({ big: 10n ** 30n }), false, "invalid"]],
    () => [[pick(CYCLE), () => "a function", true, "invalid"]],
    () => [["error", undefined, false, "invalid"]],
    () => [["agentStateChange", NaN, false, "invalid"]],
    () => [["error", { get message() { throw new Error("getter throws"); } }, true, "invalid"]],
    () => [["workitemPause", workitem("workitemPause", "deep", { ctiData: nest(pick([150, 3000])) }), true, "invalid"]],
  ];
  const items = [];
  while (items.length < 3600) items.push(...pick(random() < 0.35 ? valid : invalid)());
  // The extremes, at least once each: megabyte strings (valid in a field, invalid as the payload)
  // and nesting thousands of levels deep.
  items.splice(100, 0,
    ["workitemPause", workitem("workitemPause", "big1", { ani: MB }), false, "handled"],
    ["workitemPause", workitem("workitemPause", "big2", { ctiData: { note: MB + MB } }), false, "handled"],
    ["error", MB, false, "invalid"],
    ["workitemPause", workitem("workitemPause", "deeper", { ctiData: nest(5000) }), true, "invalid"]);
  items.push(["error", error({ message: MB }), false, "handled"]);  // last: the status panel shows it
  window.__corpus = items;
  return items.map(([name, payload, direct]) => [name, payload, direct]);
})()
"""


def test_thousands_of_malformed_events_among_valid_ones_never_break_the_integration(python_sim: Open) -> None:
    """3,600+ events, half malformed: every valid one handled by Python, every malformed one counted,
    logging bounded by the rate limit, no restart, and the next beforeDial is decided by Python."""
    sim = python_sim({"setting1": "region=CH; format=E164"})
    sim.api("login", "Ready")
    before = wait_handled(sim, 1)
    logs_before = len(sim.prop("writeLogs"))

    started = time.monotonic()
    fired = fire(sim, CORPUS, gap_every=200)
    expected = sim.frame().evaluate(
        "['handled', 'invalid'].map((kind) => window.__corpus.filter((item) => item[3] === kind).length)"
    )
    after = wait_handled(sim, before["stats"]["events_received"] + fired, timeout_ms=120_000)
    elapsed = time.monotonic() - started

    handled, invalid = expected
    delta = {key: after["stats"][key] - before["stats"][key] for key in after["stats"]}
    assert fired == handled + invalid >= 3000 and invalid >= 1500
    assert delta["events_received"] == fired
    assert delta["events_dispatched"] == handled
    assert delta["events_invalid"] == invalid
    assert delta["events_unknown"] == delta["events_repeated"] == delta["handler_errors"] == 0
    assert delta["protocol_errors"] == 0
    assert after["shim"]["events"] - before["shim"]["events"] == fired

    # Still the same healthy worker, nothing lost on the way.
    assert sim.frame().evaluate("document.documentElement.dataset.integration") == "ready"
    stats = shim_stats(sim)
    assert stats["restarts"] == 0 and stats["dropped"] == 0

    # Logged, but rate-limited: a bounded number of writeLog lines for 1,800 malformed events.
    sim.settle(1000)
    lines = len(sim.prop("writeLogs")) - logs_before
    bound = 30 + 3 * (elapsed + 2) + 5  # the bucket (30) plus its refill (3/s) plus suppression reports
    assert 1 <= lines <= bound, (lines, bound)
    assert after["stats"]["log_records_suppressed"] > 0

    # The status panel shows the megabyte error message cut short, not whole.
    assert len(sim.frame().inner_text("#integration-details")) < 100_000

    # The next beforeDial is decided by Python (its dial carries Python's requestId), not the watchdog.
    sim.api("agentDial", "+41441234567")
    dialled = sim.wait_requests("dialOrConsult", 1)
    sim.settle(500)
    watchdog = shim_stats(sim)
    assert watchdog["decided"] == 1 and watchdog["fallbacks"] == 0
    assert len(dialled) == 1 and len(dialled[0]["args"]) == 3 and dialled[0]["args"][1] == "+41441234567"
    final = diagnose(sim)
    print(f"\nmalformed: {fired} events ({handled} valid, {invalid} malformed) in {elapsed:.1f} s, "
          f"{lines} writeLog lines, {after['stats']['log_records_suppressed']} log records suppressed, "
          f"wasm {final['python'].get('wasmMemoryBytes', 0) / 2**20:.0f} MiB")
