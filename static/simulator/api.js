// The public scripting API, window.connectsSimulator: what Playwright tests, scenarios and the
// panel's buttons drive. A facade so the documented surface stays small (see docs/simulator.md)
// while the core keeps its internals.
import { alertAction, alertList } from "./alerts.js";
import { Simulator } from "./core.js";
import { play } from "./scenario.js";

const copy = (v) => JSON.parse(JSON.stringify(v ?? null));

/**
 * A tab's requests wait until the page has played the project's world, as b+s Connects answers
 * once it has its configuration: the integration meets the world from its first request.
 */
function heldUntil(conn, played) {
  if (!played) return conn;
  const request = conn.request;
  conn.request = (name, args) => played.then(() => request(name, args));
  return conn;
}

/**
 * Builds the API around a core. `hooks.reloadTab(n)` reloads a tab's page (the panel reloads the
 * iframe; a standalone page reloads itself); `hooks.worldPlayed` settles once the page has played
 * the project's world (whenTabsReady and the tabs' requests wait for it).
 */
export function createSimulatorApi(sim = new Simulator(), hooks = {}) {
  const tabs = sim.tabReg;
  const api = {
    version: 1,
    // agent
    login: (state, reasonLabel) => sim.login(state, reasonLabel),
    setState: (state, reasonLabel, opts) => sim.setState(state, reasonLabel, opts),
    agent: () => { const { state, reasonCode, reasonCodeLabel, stateChangeTime } = sim.agent; return { state, reasonCode, reasonCodeLabel, stateChangeTime }; },
    reasonCodes: (type) => copy(sim.flavour.reasons[type] ?? []),
    channel: () => copy(sim.channelInfo()),
    // the customer's world (bsconnects.toml [simulator]; see world.js)
    world: () => copy(sim.worldInfo()),
    whenWorldPlayed: () => Promise.resolve(hooks.worldPlayed).then(() => copy(sim.worldInfo())),
    setWorld: (world) => sim.setWorld(world),
    setReasonCodes: (type, list) => sim.setWorld({ reasonCodes: { [type]: list } }).reasonCodes[type],
    setAgentProfile: (fields) => sim.setWorld({ agent: fields }).agent,
    setChannelId: (id) => sim.setWorld({ channelId: id }).channelId,
    setInitialState: (state, reasonLabel) => sim.setWorld({ initialState: { state, reasonLabel } }).initialState,
    // calls
    incomingCall: (opts) => sim.incomingCall(opts),
    accept: (id) => sim.callAction("accept", id),
    hold: (id) => sim.callAction("hold", id),
    retrieve: (id) => sim.callAction("retrieve", id),
    hangUp: (id) => sim.callAction("hangUp", id),
    endWrapup: (id) => sim.callAction("endWrapup", id),
    transfer: (id) => sim.callAction("transfer", id),
    conference: (id) => sim.callAction("conference", id),
    calls: () => copy(sim.callSnapshots()),
    agentDial: (number) => sim.agentDial(number),
    // tabs
    openTab: () => { sim.record("openTab", {}); return tabs.open(); },
    closeTab: (n) => { sim.record("closeTab", { n }); tabs.close(n); },
    reloadTab: (n) => { sim.record("reloadTab", { n }); tabs.get(n); hooks.reloadTab?.(Number(n)); },
    tabs: () => tabs.list(),
    whenTabsReady: (opts) => Promise.resolve(hooks.worldPlayed).then(() => tabs.whenReady(opts)),
    // settings and options
    settings: () => sim.settings(),
    setSettings: (values) => sim.setSettings(values),
    options: () => ({ ...sim.options }),
    configure: (changes) => sim.configure(changes),
    failNextRequest: (name, message) => sim.failNextRequest(name, message),
    // what the integrations did
    get requestLog() { return copy(sim.requestLog); },
    get eventLog() { return copy(sim.eventLog); },
    get writeLogs() { return copy(sim.writeLogs); },
    get sessions() { return copy(sim.sessions); },
    get alerts() { return alertList(sim); },
    get infos() { return copy(sim.infos); },
    get alertLog() { return copy(sim.alertLog); },
    confirmAlert: () => alertAction(sim, "confirm"),
    dismissAlert: () => alertAction(sim, "dismiss"),
    clearLogs: () => {
      for (const log of [sim.requestLog, sim.eventLog, sim.writeLogs, sim.sessions, sim.alertLog]) log.length = 0;
      for (const t of ["requests", "events", "writeLogs", "sessions", "alerts"]) sim.changed(t);
    },
    // scenarios
    recording: () => copy(sim.recorded),
    startRecording: () => { sim.recorded = []; sim.recordStart = Date.now(); },
    play: (scenario, opts) => play(api, scenario, opts),
    // for the panel and the stub library
    on: (listener) => sim.on(listener),
    _connect: (win, endpoint) => heldUntil(tabs.connectWindow(win, endpoint), hooks.worldPlayed),
    _core: sim,
  };
  return api;
}

/** A simulator inside an integration page opened on its own (no host page): one tab, this page. */
export function createStandaloneSimulator(win) {
  const api = createSimulatorApi(new Simulator(), { reloadTab: () => win.location.reload() });
  const n = api.openTab();
  api._core.tabReg.resolveFrame = (w) => (w === win ? n : undefined);
  api.startRecording();
  return api;
}
