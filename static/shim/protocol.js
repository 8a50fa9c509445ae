// The JS twin of integration/sdk/_protocol.py: the one message protocol between the page's main
// thread and the Python worker, as written down in docs/protocol.md. JSON text only.

export const MARK = 1;

/** Messages the worker sends to the main thread. */
export const FROM_WORKER = Object.freeze([
  "hello", "request", "subscribe", "ready", "status", "decision", "configure", "persist", "failed",
]);
/** Messages the main thread sends to the worker. */
export const TO_WORKER = Object.freeze(["ping", "context", "events", "response", "callback"]);

/** The ten requests of the Integration API, by their `cil` method names. */
export const REQUESTS = Object.freeze([
  "createSession", "dialOrConsult", "getChannel", "getCustomSettings", "getReasonCodeList",
  "isPrimaryTab", "setAgentState", "showError", "showInfo", "writeLog",
]);

/** The nine events, by subscription name (`cil.on` + capitalised name). */
export const EVENTS = Object.freeze([
  "agentStateChange", "beforeDial", "error", "workitemConnect", "workitemCreate",
  "workitemEnd", "workitemPause", "workitemResume", "workitemWrapup",
]);

/** Events the shim subscribes only when Python asks: subscribing blocks the agent's own dials. */
export const ON_DEMAND_EVENTS = Object.freeze(["beforeDial"]);

export const subscriptionMethod = (name) => `on${name[0].toUpperCase()}${name.slice(1)}`;

/** Encode a message for the worker. */
export function encode(kind, fields = {}) {
  return JSON.stringify({ bsc: MARK, kind, ...fields });
}

/**
 * Decode a message from the worker; returns null for anything that is not ours
 * (the channel also carries PyScript's own traffic).
 */
export function decode(data) {
  if (typeof data !== "string" || !data.startsWith("{")) return null;
  let message;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (message === null || message.bsc !== MARK || !FROM_WORKER.includes(message.kind)) return null;
  return message;
}

/**
 * One event as JSON text for an `events` batch. A payload that JSON cannot carry (a cycle, a
 * BigInt) is sent as `invalid` so that Python counts and logs it instead of never seeing it.
 */
export function encodeEvent(seq, name, payload) {
  try {
    const json = JSON.stringify(payload === undefined ? null : payload);
    return `{"seq":${seq},"name":${JSON.stringify(name)},"payload":${json ?? "null"}}`;
  } catch (error) {
    return JSON.stringify({ seq, name, invalid: `payload is not JSON: ${error?.message ?? error}` });
  }
}

export function encodeEvents(encodedEvents, dropped) {
  return `{"bsc":${MARK},"kind":"events","dropped":${dropped},"events":[${encodedEvents.join(",")}]}`;
}
