// The agent state machine of the single voice channel. Functions take the Simulator so the rules
// (what may follow what, which reason codes exist) live in one small place, apart from the calls.
import { AGENT_STATES, API_VERSION } from "./flavours.js";
import { isLive } from "./workitem.js";

/** Failure the caller reports as an error event (invalid transition, unknown reason, ...). */
export class SimError extends Error {}

export const NO_REASON = { code: -1, label: "" };
const ON_CALL = ["Active", "Wrapup"];

/** True for the "no reason code" spellings integrations use: undefined, null, "", negative numbers. */
export function isEmptyReason(code) {
  if (code === undefined || code === null || code === "") return true;
  const n = Number(code);
  return !Number.isNaN(n) && n < 0;
}

/** Finds a reason {id,label} of a type by id (numbers and numeric strings match each other). */
export function reasonById(sim, type, code) {
  const list = sim.flavour.reasons[type] ?? [];
  return list.find((r) => String(r.id) === String(code));
}

/** Finds a reason {id,label} in a list by its label, in any case (what a person picks or writes). */
export function findByLabel(list, label) {
  return (list ?? []).find((r) => r.label.toLowerCase() === String(label).toLowerCase());
}

/** Finds a reason {id,label} of a type by its label (what a person picks in the panel). */
export function reasonByLabel(sim, type, label) {
  return findByLabel(sim.flavour.reasons[type], label);
}

/** Puts the agent in a state without telling the tabs (the state the page opened in); the old state. */
export function placeAgentState(sim, state, reason) {
  const old = { ...sim.agent };
  const now = new Date().toISOString();
  sim.agent = { state, reasonCode: reason.code, reasonCodeLabel: reason.label, stateChangeTime: now, afterCall: old.afterCall };
  return old;
}

/** Sets the agent state and raises agentStateChange to every tab. */
export function changeAgentState(sim, state, reason, requestId = "") {
  const old = placeAgentState(sim, state, reason);
  const now = sim.agent.stateChangeTime;
  sim.emit("agentStateChange", {
    event: "agentStateChange",
    version: API_VERSION,
    requestId: requestId ?? "",
    channelType: "Voice",
    channelId: sim.flavour.channelId,
    newState: state,
    newReasonCode: reason.code,
    newReasonCodeLabel: reason.label,
    newStateChangeTime: now,
    oldState: old.state,
    oldReasonCode: old.reasonCode,
    oldReasonCodeLabel: old.reasonCodeLabel,
    oldStateChangeTime: old.stateChangeTime,
  });
}

/**
 * Resolves a requested reason: by id (integration requests) or by label (panel, `byLabel`).
 * Throws SimError for an unknown reason so the request gets an error event.
 */
function resolveReason(sim, state, reason, byLabel) {
  if (state === "Ready" || isEmptyReason(reason)) return NO_REASON;
  const found = byLabel ? reasonByLabel(sim, state, reason) : reasonById(sim, state, reason);
  if (!found) {
    const known = (sim.flavour.reasons[state] ?? []).map((r) => (byLabel ? r.label : r.id)).join(", ");
    throw new SimError(`unknown ${state} reason code "${reason}" (known: ${known})`);
  }
  return { code: found.id, label: found.label };
}

/**
 * A requested state change (setAgentState or the panel). Ready/NotReady/Logout only, unless
 * `force` (the panel may put the agent in any state, e.g. Offline, to test an integration).
 */
export function requestAgentState(sim, state, reason, { requestId = "", byLabel = false, force = false } = {}) {
  if (!AGENT_STATES.includes(state)) throw new SimError(`unknown agent state "${state}" (use ${AGENT_STATES.join(", ")})`);
  if (force) {
    const r = isEmptyReason(reason) ? NO_REASON : resolveReason(sim, state, reason, byLabel);
    changeAgentState(sim, state, r, requestId);
    return;
  }
  if (!["Ready", "NotReady", "Logout"].includes(state)) {
    throw new SimError(`state "${state}" cannot be requested (only Ready, NotReady, Logout)`);
  }
  const r = resolveReason(sim, state, reason, byLabel);
  const cur = sim.agent;
  if (cur.state === "Logout" && state === "Logout") throw new SimError("the agent is already logged out");
  if (cur.state === state && cur.reasonCode === r.code) {
    throw new SimError(`the agent is already ${state}${r.label ? ` (${r.label})` : ""}`);
  }
  if (cur.state === "Active") throw new SimError(`cannot change to ${state} while a call is active`);
  if (state === "Logout" && sim.calls.some(isLive)) throw new SimError("cannot log out while a call is on the phone");
  if (cur.state === "Wrapup") {
    // Choosing a state during wrap-up ends wrap-up (as in Finesse) and then applies the state.
    sim.agent.afterCall = { state, reason: r, requestId };
    sim.endAllWrapups(requestId);
    return;
  }
  const wasLoggedOut = cur.state === "Logout";
  changeAgentState(sim, state, r, requestId);
  if (wasLoggedOut) sim.recoverCalls();
}

/**
 * Keeps the agent state in line with the calls: Active while a call is on the phone, Wrapup while
 * one is in wrap-up, and back to the state from before the call (or the one chosen meanwhile).
 */
export function syncAgentState(sim, requestId = "") {
  const cur = sim.agent;
  if (cur.state === "Logout") return;
  const live = sim.calls.some((c) => ["Initiated", "Active", "Paused"].includes(c.state));
  const wrap = sim.calls.some((c) => c.state === "Wrapup");
  if (live || wrap) {
    const target = live ? "Active" : "Wrapup";
    if (!ON_CALL.includes(cur.state)) {
      cur.afterCall = { state: cur.state, reason: { code: cur.reasonCode, label: cur.reasonCodeLabel }, requestId: "" };
    }
    if (cur.state !== target) changeAgentState(sim, target, NO_REASON, requestId);
    return;
  }
  if (ON_CALL.includes(cur.state)) {
    const next = cur.afterCall ?? { state: "NotReady", reason: NO_REASON, requestId: "" };
    sim.agent.afterCall = undefined;
    changeAgentState(sim, next.state, next.reason, next.requestId || requestId);
  }
}
