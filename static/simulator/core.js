// The simulator core: one agent, its calls, the integration tabs, settings and logs. No DOM: the
// panel (panel.js) renders it and the stub library (connects-library.js) connects tabs to it, so
// the same core also runs inside a standalone integration page and in tests.
import * as agent from "./agent.js";
import * as calls from "./calls.js";
import { AGENT, API_VERSION, REASON_TYPES, settingsShapeOf } from "./flavours.js";
import { handleRequest } from "./requests.js";
import { TabRegistry } from "./tabs.js";
import { workitemPayload } from "./workitem.js";
import { SETTING_KEYS, checkWorld, playedFlavour } from "./world.js";

const SETTINGS_KEY = "bsConnectsSimulator.settings";
const LOG_LIMIT = 1000;
export const DEFAULT_OPTIONS = {
  flavour: "ucce", wrapupEnabled: true, envelope: false, settingsShape: "pairs", outboundAnswerMs: 1500, visible: false,
};

/** JSON-safe deep copy for the logs (functions become "[function]", undefined fields are kept out). */
export function toLoggable(value) {
  return JSON.parse(JSON.stringify(value ?? null, (_k, v) => (typeof v === "function" ? "[function]" : v)));
}

export class Simulator {
  constructor({ options = {}, storage = globalThis.localStorage } = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    // What setWorld changed; `flavour` is the flavour as played (the world's channel id and
    // reason codes over the flavour's), read by the requests and the state machine.
    this.world = { channelId: undefined, reasonCodes: {}, agent: {}, initialState: { state: "Logout", reasonLabel: "" } };
    this.flavour = playedFlavour(this.options.flavour, this.world);
    settingsShapeOf(this.options.settingsShape);
    this.agentProfile = { ...AGENT };
    this.agent = { state: "Logout", reasonCode: -1, reasonCodeLabel: "", stateChangeTime: new Date().toISOString() };
    this.calls = [];
    this.history = [];
    this.tabReg = new TabRegistry(this);
    this.storage = storage;
    this.requestLog = [];
    this.eventLog = [];
    this.writeLogs = [];
    this.sessions = [];
    this.alerts = [];
    this.alertLog = [];
    this.infos = [];
    this.failures = new Map();
    this.recordStart = Date.now();
    this.recorded = [];
    this.listeners = new Set();
    this.pendingTopics = new Set();
    this.nextAlertId = 1;
  }

  // ---- change notification (the panel re-renders the topics that changed) ----
  on(listener) { this.listeners.add(listener); return () => this.listeners.delete(listener); }

  changed(topic) {
    if (this.pendingTopics.size === 0) {
      queueMicrotask(() => {
        const topics = new Set(this.pendingTopics);
        this.pendingTopics.clear();
        for (const l of this.listeners) { try { l(topics); } catch (e) { console.error("simulator listener failed", e); } }
      });
    }
    this.pendingTopics.add(topic);
  }

  push(log, entry, topic) {
    log.push(entry);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    this.changed(topic);
  }

  // ---- events to the integrations ----
  /** Raises an event to every connected tab (or only `onlyTab`) and logs it. */
  emit(name, payload, onlyTab = null) {
    const reached = this.tabReg.deliver(name, payload, onlyTab);
    this.push(this.eventLog, { time: new Date().toISOString(), name, payload: toLoggable(payload), tabs: reached }, "events");
  }

  emitWorkitem(event, call, requestId) {
    this.changed("calls");
    if (this.agent.state === "Logout") return;
    this.emit(event, workitemPayload(call, {
      event, requestId, channelId: this.flavour.channelId, agentId: this.agentProfile.agentId, allCalls: this.calls,
    }));
  }

  /** The vendor's error event: {event, version, requestId, message}. */
  raiseError(message, requestId = "", onlyTab = null) {
    this.emit("error", { event: "error", version: API_VERSION, requestId: requestId ?? "", message }, onlyTab);
  }

  // ---- used by agent.js / calls.js ----
  recoverCalls() { calls.recoverCalls(this); }
  endAllWrapups(requestId) { calls.endAllWrapups(this, requestId); }
  dial(address, opts) { return calls.dial(this, address, opts); }

  /** Resolves a request's channelId ("voice", "voice_<peripheral>", "voice_-1", "telephony"). */
  channelMatches(channelId) {
    return channelId === "voice" || channelId === this.flavour.channelId;
  }

  /** The calls as Workitem objects (without an event name). */
  callSnapshots() {
    const ctx = { channelId: this.flavour.channelId, agentId: this.agentProfile.agentId, allCalls: this.calls };
    return this.calls.map((c) => {
      const { event: _event, ...workitem } = workitemPayload(c, { ...ctx, event: undefined, requestId: undefined });
      return workitem;
    });
  }

  /** getChannel's answer. */
  channelInfo() {
    const { activeDeviceId, extension, firstName, agentId, lastName, loginName, teamId } = this.agentProfile;
    const loggedIn = this.agent.state !== "Logout";
    return {
      activeDeviceId: this.flavour.name === "WxCC" ? "" : activeDeviceId,
      channel: {
        id: this.flavour.channelId,
        type: "Voice",
        state: this.agent.state,
        reasonCode: this.agent.reasonCode,
        reasonCodeLabel: this.agent.reasonCodeLabel,
        stateChangeTime: this.agent.stateChangeTime,
        workitems: loggedIn ? this.callSnapshots() : [],
      },
      extension, firstName, agentId, lastName, loginName, teamId,
    };
  }

  // ---- requests from a tab's integration (see requests.js) ----
  request(tab, name, args) { return handleRequest(this, tab, name, args); }

  // ---- settings (persisted so an integrator keeps them across reloads) ----
  settings() {
    let saved = {};
    try { saved = JSON.parse(this.storage?.getItem(SETTINGS_KEY) ?? "{}") ?? {}; } catch { saved = {}; }
    return Object.fromEntries(SETTING_KEYS.map((k) => [k, typeof saved[k] === "string" ? saved[k] : ""]));
  }

  setSettings(values) {
    this.record("setSettings", { values });
    const next = { ...this.settings() };
    for (const [k, v] of Object.entries(values ?? {})) {
      if (!SETTING_KEYS.includes(k)) throw new Error(`unknown setting "${k}" (use ${SETTING_KEYS.join(", ")})`);
      next[k] = String(v ?? "");
    }
    return this.storeSettings(next);
  }

  storeSettings(values) {
    try { this.storage?.setItem(SETTINGS_KEY, JSON.stringify(values)); } catch (e) { console.warn("settings not persisted", e); }
    this.changed("settings");
    return { ...values };
  }

  // ---- the customer's world (see world.js) ----
  /** The world as played: flavour, channel id, wrap-up, agent, reason codes, settings, initial state. */
  worldInfo() {
    return {
      flavour: this.options.flavour,
      channelId: this.flavour.channelId,
      wrapupEnabled: this.options.wrapupEnabled,
      agent: { ...this.agentProfile },
      reasonCodes: Object.fromEntries(REASON_TYPES.map((t) => [t, (this.flavour.reasons[t] ?? []).map((r) => ({ ...r }))])),
      settings: this.settings(),
      initialState: { ...this.world.initialState },
    };
  }

  /**
   * Replaces the parts of the world that `world` names (see world.js for its keys). Everything is
   * checked before anything changes: a bad world throws, naming the key, and changes nothing.
   * The flavour and the channel id change only while logged out with no calls; an initial state
   * puts the agent in it now (no calls allowed), as if the page had just opened.
   */
  setWorld(world) {
    this.record("setWorld", { world });
    return this.playWorld(world);
  }

  /**
   * setWorld without a scenario step: the page playing the project's world is no one's action.
   * `opening`: the page plays the world it opened with, so its initial state is where the agent
   * already was (b+s Connects raises no agentStateChange for the state an integration loads in,
   * and a tab that subscribed before the world arrived must not see one either).
   */
  playWorld(world, { opening = false } = {}) {
    const next = checkWorld(world);
    const flavour = next.flavour ?? this.options.flavour;
    const overrides = {
      channelId: next.channelId ?? this.world.channelId,
      reasonCodes: { ...this.world.reasonCodes, ...next.reasonCodes },
      agent: { ...this.world.agent, ...next.agent },
      initialState: next.initialState ?? this.world.initialState,
    };
    const played = playedFlavour(flavour, overrides);
    const switching = flavour !== this.options.flavour || played.channelId !== this.flavour.channelId;
    if (switching && (this.agent.state !== "Logout" || this.calls.length)) {
      throw new Error("log out and end all calls before changing the flavour or the channel id");
    }
    let initialReason;
    if (next.initialState) {
      if (this.calls.length) throw new Error("end all calls before setting the initial state");
      initialReason = agent.NO_REASON;
      const { state, reasonLabel } = next.initialState;
      if (reasonLabel) {
        const found = agent.findByLabel(played.reasons[state], reasonLabel);
        const known = (played.reasons[state] ?? []).map((r) => r.label).join(", ") || "none";
        if (!found) throw new Error(`initialState.reasonLabel: "${reasonLabel}" is not a ${state} reason code (known: ${known})`);
        initialReason = { code: found.id, label: found.label };
      }
    }
    this.options = { ...this.options, flavour, wrapupEnabled: next.wrapupEnabled ?? this.options.wrapupEnabled };
    this.world = overrides;
    this.flavour = played;
    this.agentProfile = { ...AGENT, ...overrides.agent };
    if (next.settings) this.storeSettings(next.settings);
    const { state } = overrides.initialState;
    if (initialReason && (this.agent.state !== state || this.agent.reasonCode !== initialReason.code)) {
      if (opening) agent.placeAgentState(this, state, initialReason);
      else agent.changeAgentState(this, state, initialReason);
    }
    this.changed("world");
    this.changed("options");
    this.changed("agent");
    return this.worldInfo();
  }

  // ---- scenario support ----
  /** Appends a step to the recording (ms since recording started). */
  record(action, args) {
    this.recorded.push({ at: Date.now() - this.recordStart, action, args: toLoggable(args) });
  }

  // ---- agent and call actions (the panel's buttons and the scripting API) ----
  login(state = "NotReady", reasonLabel) {
    this.record("login", { state, reasonLabel });
    if (this.agent.state !== "Logout") throw new Error(`already logged in (${this.agent.state})`);
    this.setStateUnrecorded(state, reasonLabel);
  }

  setState(state, reasonLabel, { force = false } = {}) {
    this.record("setState", { state, reasonLabel, force });
    this.setStateUnrecorded(state, reasonLabel, force);
  }

  setStateUnrecorded(state, reasonLabel, force = false) {
    agent.requestAgentState(this, state, reasonLabel, { byLabel: true, force });
    this.changed("agent");
  }

  incomingCall(opts = {}) {
    const id = calls.incomingCall(this, opts);
    this.record("incomingCall", { ...opts, id });
    return id;
  }

  callAction(action, id) {
    this.record(action, { id });
    calls[action](this, id);
  }

  /**
   * The agent dials in the panel (click-to-dial). With a call connected it is a consultation and
   * is never blocked; otherwise, while an integration handles beforeDial, the dial is blocked and
   * beforeDial raised instead. Returns {blocked, requestId} or {blocked: false, id}.
   */
  agentDial(number) {
    this.record("agentDial", { number });
    const consult = this.calls.some((c) => c.state === "Active" || c.state === "Paused");
    if (!consult && this.agent.state !== "Logout" && this.tabReg.hasSubscriber("beforeDial")) {
      const requestId = `beforeDial-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
      this.emit("beforeDial", { event: "beforeDial", version: API_VERSION, requestId, dialedNumber: String(number), callType: "Outbound" });
      return { blocked: true, requestId };
    }
    return { blocked: false, id: calls.dial(this, number) };
  }

  configure(changes) {
    this.record("configure", changes);
    const unknown = Object.keys(changes ?? {}).filter((k) => !(k in DEFAULT_OPTIONS));
    if (unknown.length) throw new Error(`unknown option ${unknown.join(", ")} (use ${Object.keys(DEFAULT_OPTIONS).join(", ")})`);
    const next = { ...this.options, ...changes };
    if (next.flavour !== this.options.flavour) {
      if (this.agent.state !== "Logout" || this.calls.length) throw new Error("log out and end all calls before switching flavour");
      this.flavour = playedFlavour(next.flavour, this.world);
    }
    next.wrapupEnabled = Boolean(next.wrapupEnabled);
    next.envelope = Boolean(next.envelope);
    settingsShapeOf(next.settingsShape);
    next.visible = Boolean(next.visible);
    this.options = next;
    this.changed("options");
    return { ...next };
  }

  failNextRequest(name, message = `simulated failure of ${name}`) {
    this.record("failNextRequest", { name, message });
    const queue = this.failures.get(name) ?? [];
    queue.push(message);
    this.failures.set(name, queue);
  }
}
