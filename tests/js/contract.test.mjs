// The shim's messages have exactly the fields the contract (integration/sdk/_contract.py, generated
// into static/shim/contract.js) gives their kind: the bridge runs against a fake `cil` and a
// recording worker, and every message it sends is checked field by field. The Python side checks
// its messages against the same contract (tests/unit/sdk/test_contract.py).

import assert from "node:assert/strict";
import { test } from "node:test";

import { Bridge } from "../../static/shim/bridge.js";
import { TO_WORKER_FIELDS } from "../../static/shim/contract.js";
import { decode, encode } from "../../static/shim/protocol.js";
import { HANDLED_REQUESTS, REQUEST_NAMES } from "../../static/simulator/requests.js";

const TYPES = {
  int: (v) => Number.isInteger(v),
  bool: (v) => typeof v === "boolean",
  str: (v) => typeof v === "string",
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
  any: () => true,
};

/** What is wrong with one message for its kind's fields (empty when nothing). */
function problems(message, kinds) {
  const { bsc, kind, ...body } = message;
  const fields = kinds[kind];
  if (bsc !== 1) return [`marker ${JSON.stringify(bsc)}`];
  if (fields === undefined) return [`unknown kind ${kind}`];
  const found = [];
  for (const [name, type] of Object.entries(fields)) {
    const optional = type.endsWith("?");
    const value = body[name];
    if (value === undefined || value === null) {
      if (!optional) found.push(`${kind}.${name} missing`);
    } else if (!TYPES[type.replace("?", "")](value)) {
      found.push(`${kind}.${name} is not ${type}: ${JSON.stringify(value)}`);
    }
  }
  for (const name of Object.keys(body)) if (!(name in fields)) found.push(`${kind}.${name} is not in the contract`);
  return found;
}

const tick = async () => { for (let turn = 0; turn < 20; turn += 1) await Promise.resolve(); };

test("every message the shim sends has its kind's fields, and every kind is sent", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  const handlers = {};
  const cil = {
    onWorkitemCreate: (callback) => { handlers.workitemCreate = callback; },
    getChannel: () => Promise.resolve({ id: "voice" }),
    showError: (_message, _code, action) => { action.callback(); return Promise.resolve(); },
    setAgentState: () => Promise.reject(new Error("not now")),
  };
  const quiet = { warn: () => {}, info: () => {}, error: () => {} };
  const bridge = new Bridge(Promise.resolve(cil), { storage: { load: () => ({ a: "1" }), save: () => {} }, console: quiet });
  await tick();
  const sent = [JSON.parse(encode("ping"))]; // the supervisor's and the worker starter's liveness check
  bridge.attach((text) => sent.push(JSON.parse(text)), 0);
  bridge.fromWorker({ kind: "ready" });
  handlers.workitemCreate({ id: "w1" });
  t.mock.timers.tick(10);
  bridge.fromWorker({ kind: "request", id: 1, name: "getChannel", args: ["voice"] });
  bridge.fromWorker({ kind: "request", id: 2, name: "setAgentState", args: [] });
  bridge.fromWorker({ kind: "request", id: 3, name: "showError", args: ["m", "c", { label: "Retry", callback: "cb1" }] });
  await tick();
  bridge.diagnose().catch(() => {});
  for (const message of sent) assert.deepEqual(problems(message, TO_WORKER_FIELDS), [], JSON.stringify(message));
  assert.deepEqual(new Set(sent.map((message) => message.kind)), new Set(Object.keys(TO_WORKER_FIELDS)));
  bridge.detach();
});

test("the checker refuses a missing, an extra and a mistyped field (it can fail)", () => {
  assert.deepEqual(problems({ bsc: 1, kind: "context", storage: {}, restarts: 0 }, TO_WORKER_FIELDS),
    ["context.visible missing"]);
  assert.deepEqual(problems({ bsc: 1, kind: "callback", callback: "x", extra: 1 }, TO_WORKER_FIELDS),
    ["callback.extra is not in the contract"]);
  assert.deepEqual(problems({ bsc: 1, kind: "ack", seq: "1" }, { ack: { seq: "int" } }), ['ack.seq is not int: "1"']);
});

test("a message of an unknown kind is warned about once per kind and counted in diagnose()", () => {
  const warnings = [];
  const bridge = new Bridge(new Promise(() => {}), {
    storage: { load: () => ({}), save: () => {} }, console: { warn: (text) => warnings.push(text) },
  });
  const future = decode(JSON.stringify({ bsc: 1, kind: "future", x: 1 }));
  assert.equal(future?.kind, "future", "a marked message of an unknown kind reaches the bridge");
  bridge.fromWorker(future);
  bridge.fromWorker(future);
  bridge.fromWorker(decode(JSON.stringify({ bsc: 1, kind: "later" })));
  bridge.fromWorker(decode(JSON.stringify({ bsc: 1, kind: "hello", sdk: "1" })));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /unknown kind "future"/);
  assert.equal(bridge.shimDiagnostics().unknownKinds, 3);
});

test("decode ignores what is not the shim's: no marker, another marker, no kind", () => {
  for (const text of ['{"kind":"ready"}', '{"bsc":"custom-requests","kind":"ready"}', '{"bsc":1}', "[1]", "null", "{x"]) {
    assert.equal(decode(text), null, text);
  }
});

test("the simulator handles exactly the contract's requests", () => {
  assert.deepEqual([...HANDLED_REQUESTS].sort(), [...REQUEST_NAMES].sort());
});
