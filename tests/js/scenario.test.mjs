// Scenario steps (static/simulator/scenario.js): every action says which args it takes, and a step
// with args its action does not take is refused when the scenario is read, never played silently.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Simulator } from "../../static/simulator/core.js";
import { ACTIONS, ARG_KEYS, parseScenario } from "../../static/simulator/scenario.js";

test("every action lists its args, and configure's are the simulator's options", () => {
  assert.deepEqual(Object.keys(ARG_KEYS).sort(), Object.keys(ACTIONS).sort());
  const sim = new Simulator({ storage: { getItem: () => null, setItem() {} } });
  assert.deepEqual([...ARG_KEYS.configure].sort(), Object.keys(sim.options).sort());
});

test("a step with an arg its action does not take is refused, naming the ones it takes", () => {
  const wrong = [{ at: 0, action: "setSettings", args: { setting5: "log=debug" } }];
  assert.throws(() => parseScenario(wrong), /step 0 \(setSettings\): unknown args setting5 \(use values\)/);
  assert.throws(() => parseScenario([{ at: 0, action: "openTab", args: { n: 2 } }]), /unknown args n \(use none\)/);
  assert.throws(() => parseScenario([{ at: 0, action: "accept", args: ["900"] }]), /"args" must be an object/);
});

test("the steps the simulator records are read back as they are", () => {
  const steps = [
    { at: 0, action: "setSettings", args: { values: { setting5: "log=debug" } } },
    { at: 5, action: "incomingCall", args: { id: "900", from: "+41441234567", ctiData: { case: "7" } } },
    { at: 9, action: "waitForTabs", args: { timeoutMs: 1000 } },
    { at: 10, action: "openTab" },
  ];
  assert.deepEqual(parseScenario(steps).map((s) => s.action), ["setSettings", "incomingCall", "waitForTabs", "openTab"]);
});
