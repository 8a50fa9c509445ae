// The JS twin of integration/sdk/_protocol.py: the one message protocol between the page's main
// thread and the Python worker, as written down in docs/protocol.md. JSON text only.

export const MARK = 1;

/** Messages the worker sends to the main thread. */
export const FROM_WORKER = Object.freeze([
  "hello", "request", "subscribe", "ready", "status", "decision", "configure", "persist", "failed", "ack",
  "diagnostics",
]);
/** Messages the main thread sends to the worker. */
export const TO_WORKER = Object.freeze(["ping", "context", "events", "response", "callback", "diagnose"]);

/** A payload nested deeper than this is sent as `invalid`: Python's JSON parser would overflow. */
export const MAX_PAYLOAD_DEPTH = 100;

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
 * BigInt, a getter that throws) or that nests deeper than MAX_PAYLOAD_DEPTH is sent as `invalid`,
 * so that Python counts and logs it instead of never seeing it — and one such payload cannot
 * make Python's parser refuse the whole batch around it.
 */
export function encodeEvent(seq, name, payload) {
  const invalid = (why) => JSON.stringify({ seq, name, invalid: why });
  let json;
  try {
    json = JSON.stringify(payload === undefined ? null : payload) ?? "null";
  } catch (error) {
    return invalid(`payload is not JSON: ${String(error?.message ?? error).slice(0, 200)}`);
  }
  if (json.length > 2 * MAX_PAYLOAD_DEPTH && nesting(json, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH) {
    return invalid(`payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  return `{"seq":${seq},"name":${JSON.stringify(name)},"payload":${json}}`;
}

/** The index of the quote closing the JSON string that opens at `start` (native search, not a loop per character). */
function stringEnd(json, start) {
  let end = json.indexOf('"', start + 1);
  while (end > 0) {
    let slashes = 0;
    while (json.charCodeAt(end - 1 - slashes) === 92) slashes += 1;
    if (slashes % 2 === 0) return end;
    end = json.indexOf('"', end + 1);
  }
  return json.length;
}

/** How deep JSON text nests (stops counting once past `limit`); brackets inside strings do not count. */
export function nesting(json, limit = Infinity) {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(json, i);
    } else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 125 || c === 93) {
      depth -= 1;
    }
  }
  return deepest;
}

export function encodeEvents(encodedEvents, dropped) {
  return `{"bsc":${MARK},"kind":"events","dropped":${dropped},"events":[${encodedEvents.join(",")}]}`;
}
