// The simulator's world (static/simulator/world.js through the core's setWorld): what a world
// leaves out keeps the flavour's defaults, a bad world changes nothing, and the world's reason
// codes and channel id are what the requests answer.

import assert from "node:assert/strict";
import { test } from "node:test";

import { Simulator } from "../../static/simulator/core.js";
import { checkWorld } from "../../static/simulator/world.js";

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)) };
}

const newSim = (options = {}) => new Simulator({ options, storage: memoryStorage() });
const ACW = [{ id: 1, label: "Break" }, { id: 12, label: "After Call Work" }];

test("the empty world is the simulator's defaults", () => {
  const sim = newSim();
  const before = sim.worldInfo();
  assert.deepEqual(sim.playWorld({}), before);
  assert.equal(before.channelId, "voice_5000");
  assert.equal(before.initialState.state, "Logout");
  assert.deepEqual(before.reasonCodes.NotReady.map((r) => r.label), ["Break", "Lunch", "Meeting", "Training"]);
  assert.equal(sim.agent.state, "Logout");
});

test("the world's reason codes, channel and initial state are what the requests answer", async () => {
  const sim = newSim();
  sim.playWorld({ channelId: "voice_5001", reasonCodes: { NotReady: ACW },
    initialState: { state: "NotReady", reasonLabel: "after call work" } });
  assert.deepEqual(await sim.request(1, "getReasonCodeList", ["voice", "NotReady"]), ACW);
  const channel = await sim.request(1, "getChannel", ["voice_5001"]);
  assert.deepEqual([channel.channel.id, channel.channel.state, channel.channel.reasonCode], ["voice_5001", "NotReady", 12]);
  assert.equal((await sim.request(1, "getReasonCodeList", ["voice", "Logout"]))[0].label, "End of shift");
});

test("a flavour switch keeps the world's reason codes and channel id", () => {
  const sim = newSim();
  sim.playWorld({ channelId: "voice_5001", reasonCodes: { NotReady: ACW } });
  sim.configure({ flavour: "wxcc" });
  assert.equal(sim.flavour.channelId, "voice_5001");
  assert.deepEqual(sim.flavour.reasons.NotReady, ACW);
  assert.equal(sim.flavour.reasons.Logout[0].id, "aux-logout-shift");
});

test("a bad world names its key and changes nothing", () => {
  const sim = newSim();
  const before = sim.worldInfo();
  for (const [world, message] of [
    [{ agent: { firstName: "Kim" }, reasonCodes: { NotReady: [{ id: 1, label: "" }] } }, /reasonCodes\.NotReady\[0\]\.label/],
    [{ agent: { firstName: "Kim" }, initialState: { state: "NotReady", reasonLabel: "Nap" } }, /"Nap" is not a NotReady reason code/],
    [{ settings: { setting6: "x" } }, /settings: unknown key setting6/],
    [{ wrapup: false }, /world: unknown key wrapup/],
  ]) {
    assert.throws(() => sim.setWorld(world), message);
    assert.deepEqual(sim.worldInfo(), before);
  }
});

test("settings from a world are all five; the ones left out are empty", () => {
  const sim = newSim();
  sim.setSettings({ setting2: "kept by the panel" });
  const { settings } = sim.playWorld({ settings: { setting4: "state=NotReady; reason=After Call Work" } });
  assert.deepEqual(settings, { setting1: "", setting2: "", setting3: "", setting4: "state=NotReady; reason=After Call Work", setting5: "" });
});

test("the channel id changes only while logged out with no calls", () => {
  const sim = newSim();
  sim.login("Ready");
  assert.throws(() => sim.setWorld({ channelId: "voice_7" }), /log out and end all calls/);
  assert.equal(sim.flavour.channelId, "voice_5000");
});

test("checkWorld accepts the world() shape, so a world read back can be played again", () => {
  const world = newSim().worldInfo();
  assert.deepEqual(checkWorld(world).reasonCodes, world.reasonCodes);
});

test("the world the page opens with puts the agent in its initial state without telling the tabs", () => {
  const world = { reasonCodes: { NotReady: ACW }, initialState: { state: "NotReady", reasonLabel: "After Call Work" } };
  const told = (opening) => {
    const sim = newSim();
    const events = [];
    sim.emit = (name, payload) => events.push(payload);
    sim.playWorld(world, { opening });
    assert.deepEqual([sim.agent.state, sim.agent.reasonCode], ["NotReady", 12]);
    return events.map((e) => `${e.oldState}->${e.newState}`);
  };
  assert.deepEqual(told(true), []); // b+s Connects raises nothing for the state a page loads in
  assert.deepEqual(told(false), ["Logout->NotReady"]); // setWorld at run time is a change the tabs see
});
