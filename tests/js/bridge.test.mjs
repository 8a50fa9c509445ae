// The shim's bridge keeps posted events until Python acknowledges them and replays the rest.
// static/shim/bridge.js runs against a fake `cil` and a recording `post`; the tests assert on what
// each worker would have been sent. Timers and the clock are node:test's fakes: no real waiting.

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { Bridge } from "../../static/shim/bridge.js";
import { encode } from "../../static/shim/protocol.js";

const quiet = { warn: () => {}, info: () => {}, error: () => {} };
const storage = { load: () => ({}), save: () => {} };

let clock;

beforeEach((t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"] });
  // The bridge measures stalls with performance.now(): it follows the fake clock too.
  t.mock.method(performance, "now", () => Date.now());
  clock = t.mock.timers;
});

/** Let promise callbacks run, then move the fake clock on by `ms` (running the timers due). */
async function advance(ms = 0) {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
  clock.tick(ms);
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

/** A bridge on a fake `cil` whose subscriptions are kept so events can be fired by name. */
async function connected(hooks = {}) {
  const handlers = {};
  const cil = new Proxy({}, {
    get: (_target, name) => (String(name).startsWith("on") ? (callback) => { handlers[name] = callback; } : undefined),
  });
  const stalls = [];
  const bridge = new Bridge(Promise.resolve(cil), {
    storage, console: quiet, stallMs: 60, onStalled: (why) => stalls.push(why), ...hooks,
  });
  await advance();
  const fire = (event, payload = {}) => handlers[`on${event[0].toUpperCase()}${event.slice(1)}`](payload);
  return { bridge, fire, stalls };
}

/** A worker attached to the bridge, recording every message it is sent. */
function worker(bridge) {
  const sent = [];
  bridge.attach((text) => sent.push(JSON.parse(text)), 0);
  const batches = () => sent.filter((message) => message.kind === "events");
  return {
    sent,
    events: () => batches().flatMap((message) => message.events.map((event) => event.seq)),
    entries: () => batches().flatMap((message) => message.events),
    dropped: () => batches().reduce((count, message) => count + message.dropped, 0),
    say: (kind, fields = {}) => bridge.fromWorker(JSON.parse(encode(kind, fields))),
    async ready() {
      bridge.fromWorker({ kind: "subscribe", events: ["beforeDial"] });
      bridge.fromWorker({ kind: "ready" });
      await advance();
    },
  };
}

test("unacknowledged events are replayed first, in order, but never a beforeDial", async () => {
  // Worker 1 got 1-4 and acknowledged 1: worker 2 gets 3, 4 (not beforeDial 2), then the new 5, after ready.
  const { bridge, fire } = await connected();
  const first = worker(bridge);
  await first.ready();
  fire("workitemCreate");
  fire("beforeDial", { dialedNumber: "1" });
  fire("workitemConnect");
  await advance(5);
  fire("workitemEnd");
  await advance(5);
  first.say("ack", { seq: 1 });
  bridge.detach();
  fire("agentStateChange");
  const second = worker(bridge);
  assert.deepEqual(second.events(), [], "nothing is posted before the new worker is ready");
  second.say("ready");
  await advance(5);
  assert.deepEqual(first.events(), [1, 2, 3, 4]);
  assert.deepEqual(second.events(), [3, 4, 5]);
  assert.equal(bridge.stats.replayed, 2);
});

test("an event two workers failed on is dropped and reported", async () => {
  // Posted to two workers that both died unacknowledged: not posted a third time, reported as dropped.
  const { bridge, fire } = await connected();
  const first = worker(bridge);
  first.say("ready");
  fire("error");
  fire("error");
  await advance(5);
  bridge.detach();
  const second = worker(bridge);
  second.say("ready");
  await advance(5);
  bridge.detach();
  fire("error");
  const third = worker(bridge);
  third.say("ready");
  await advance(5);
  assert.deepEqual(second.events(), [1, 2]);
  assert.deepEqual(third.events(), [3]);
  assert.equal(third.dropped(), 2);
  assert.equal(bridge.stats.dropped, 2);
});

test("posted events without an ack report a stall after stallMs; an ack prevents it", async () => {
  const { bridge, fire, stalls } = await connected();
  const first = worker(bridge);
  first.say("ready");
  fire("error");
  await advance(5);
  first.say("ack", { seq: 1 });
  await advance(100);
  assert.equal(stalls.length, 0, "acknowledged events never stall");
  fire("error");
  await advance(0); // posted now
  await advance(59);
  assert.equal(stalls.length, 0, "not before stallMs");
  await advance(1);
  assert.equal(stalls.length, 1);
  assert.match(stalls[0], /1 event\(s\) unacknowledged for 60 ms/);
  assert.equal(bridge.unacked.length, 1);
  await advance(60);
  assert.equal(stalls.length, 2, "one check per stallMs while nothing is acknowledged");
});

test("payloads JSON cannot carry, or too deep, become invalid entries, not lost batches", async () => {
  // Deep nesting, cycles, BigInt: invalid entries; a function: null; a throwing getter: no crash.
  const { bridge, fire } = await connected();
  const first = worker(bridge);
  await first.ready();
  const deep = {};
  let cursor = deep;
  for (let i = 0; i < 5000; i += 1) {
    cursor.a = {};
    cursor = cursor.a;
  }
  const cyclic = {};
  cyclic.self = cyclic;
  const throwing = { get dialedNumber() { throw new Error("boom"); } };
  fire("error", deep);
  fire("error", cyclic);
  fire("error", { n: 1n });
  fire("error", () => 1);
  fire("beforeDial", throwing);
  fire("error", { ok: "yes" });
  await advance(5);
  const entries = first.entries();
  assert.deepEqual(entries.map((entry) => entry.seq), [1, 2, 3, 4, 5, 6]);
  assert.ok("invalid" in entries[0] && "invalid" in entries[1]);
  assert.match(entries[2].invalid, /BigInt/);
  assert.equal(entries[3].payload, null);
  assert.ok("invalid" in entries[4]);
  assert.deepEqual(entries[5].payload, { ok: "yes" });
});

test("diagnose answers with Python's and the shim's figures and fails when the worker goes", async () => {
  const { bridge } = await connected();
  const first = worker(bridge);
  const answer = bridge.diagnose();
  const asked = first.sent.find((message) => message.kind === "diagnose");
  first.say("diagnostics", { id: asked.id, stats: { events_received: 4 }, python: {}, sdk: { queued: 0 } });
  const result = await answer;
  assert.equal(result.stats.events_received, 4);
  assert.equal(result.shim.pending, 0);
  assert.equal(result.shim.unacked, 0);
  const pending = bridge.diagnose();
  bridge.detach();
  await assert.rejects(pending, /replaced/);
  assert.equal(bridge.diagnoses.size, 0);
});

test("diagnose without an answer fails after its timeout", async () => {
  const { bridge } = await connected();
  worker(bridge);
  const answer = bridge.diagnose({ timeoutMs: 1000 });
  const outcome = answer.then(() => "answered", (error) => error.message);
  await advance(999);
  assert.equal(bridge.diagnoses.size, 1);
  await advance(1);
  assert.match(await outcome, /no diagnostics within 1000 ms/);
  assert.equal(bridge.diagnoses.size, 0);
});
