// Scenarios: a JSON list of timed steps {at: ms, action, args} that replays what an agent (or the
// phone system) did, so an integrator can attach one to a bug report and anyone can reproduce it.
// The simulator records every scripted or clicked action in this same form.
import { DEFAULT_OPTIONS } from "./core.js";

/** action name → how to replay it against the public API. */
export const ACTIONS = {
  login: (api, a) => api.login(a.state, a.reasonLabel),
  setState: (api, a) => api.setState(a.state, a.reasonLabel, { force: Boolean(a.force) }),
  incomingCall: (api, a) => api.incomingCall(a),
  accept: (api, a) => api.accept(a.id),
  hold: (api, a) => api.hold(a.id),
  retrieve: (api, a) => api.retrieve(a.id),
  hangUp: (api, a) => api.hangUp(a.id),
  endWrapup: (api, a) => api.endWrapup(a.id),
  transfer: (api, a) => api.transfer(a.id),
  conference: (api, a) => api.conference(a.id),
  agentDial: (api, a) => api.agentDial(a.number),
  openTab: (api) => api.openTab(),
  closeTab: (api, a) => api.closeTab(a.n),
  reloadTab: (api, a) => api.reloadTab(a.n),
  failNextRequest: (api, a) => api.failNextRequest(a.name, a.message),
  configure: (api, a) => api.configure(a),
  setSettings: (api, a) => api.setSettings(a.values),
  setWorld: (api, a) => api.setWorld(a.world),
  alertAction: (api, a) => (a.which === "confirm" ? api.confirmAlert() : api.dismissAlert()),
  waitForTabs: (api, a) => api.whenTabsReady(a),
};

/**
 * The keys each action's `args` may have. A key outside them is a mistake a scenario would
 * otherwise play silently (e.g. setSettings given the settings themselves instead of `values`).
 */
export const ARG_KEYS = {
  login: ["state", "reasonLabel"],
  setState: ["state", "reasonLabel", "force"],
  incomingCall: ["id", "from", "to", "ctiData", "associatedParticipant", "participantLookupResult", "classification"],
  accept: ["id"], hold: ["id"], retrieve: ["id"], hangUp: ["id"], endWrapup: ["id"], transfer: ["id"], conference: ["id"],
  agentDial: ["number"],
  openTab: [],
  closeTab: ["n"], reloadTab: ["n"],
  failNextRequest: ["name", "message"],
  configure: Object.keys(DEFAULT_OPTIONS),
  setSettings: ["values"],
  setWorld: ["world"],
  alertAction: ["which"],
  waitForTabs: ["timeoutMs", "marker"],
};

/** Checks a scenario (an array of steps, or {steps: [...]}) and returns its steps sorted by time. */
export function parseScenario(scenario) {
  const steps = typeof scenario === "string" ? JSON.parse(scenario) : scenario;
  const list = Array.isArray(steps) ? steps : steps?.steps;
  if (!Array.isArray(list)) throw new Error("a scenario is a JSON array of steps {at, action, args}");
  list.forEach((step, i) => {
    if (typeof step !== "object" || step === null) throw new Error(`step ${i} is not an object`);
    if (typeof step.at !== "number" || !(step.at >= 0)) throw new Error(`step ${i}: "at" must be a number of ms >= 0`);
    if (!(step.action in ACTIONS)) throw new Error(`step ${i}: unknown action "${step.action}" (use ${Object.keys(ACTIONS).join(", ")})`);
    if (step.args !== undefined && (typeof step.args !== "object" || step.args === null || Array.isArray(step.args))) {
      throw new Error(`step ${i}: "args" must be an object`);
    }
    const unknown = Object.keys(step.args ?? {}).filter((key) => !ARG_KEYS[step.action].includes(key));
    if (unknown.length) {
      const allowed = ARG_KEYS[step.action].join(", ") || "none";
      throw new Error(`step ${i} (${step.action}): unknown args ${unknown.join(", ")} (use ${allowed})`);
    }
  });
  return list.map((s, i) => ({ ...s, i })).sort((a, b) => a.at - b.at || a.i - b.i);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Plays a scenario: each step runs `at` ms (divided by `speed`) after the start. A failing step is
 * reported and the rest still runs, as the original session went on too. Resolves to
 * {steps, errors: [{index, action, message}]}.
 */
export async function play(api, scenario, { speed = 1 } = {}) {
  const steps = parseScenario(scenario);
  const start = Date.now();
  const errors = [];
  for (const step of steps) {
    await sleep(start + step.at / speed - Date.now());
    try {
      await ACTIONS[step.action](api, step.args ?? {});
    } catch (e) {
      errors.push({ index: step.i, action: step.action, message: String(e?.message ?? e) });
    }
  }
  return { steps: steps.length, errors };
}
