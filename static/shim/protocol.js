// The JS twin of integration/sdk/_protocol.py: the one message protocol between the page's main
// thread and the Python worker, as written down in docs/protocol.md. JSON text only.

import { MARK, MAX_PAYLOAD_DEPTH } from "./contract.js";

// The names and kinds are written once, in integration/sdk/_contract.py (contract.js is generated).
export {
  EVENTS, FROM_WORKER, MARK, MAX_PAYLOAD_DEPTH, ON_DEMAND_EVENTS, REQUESTS, TO_WORKER,
} from "./contract.js";

export const subscriptionMethod = (name) => `on${name[0].toUpperCase()}${name.slice(1)}`;

/** Encode a message for the worker. */
export function encode(kind, fields = {}) {
  return JSON.stringify({ bsc: MARK, kind, ...fields });
}

/**
 * Decode a message from the worker; returns null for anything that is not ours (the channel also
 * carries PyScript's own traffic). A marked message of a kind this version does not know is
 * returned too, so that the bridge can say so (as Python's decode does with `Unknown`).
 */
export function decode(data) {
  if (typeof data !== "string" || !data.startsWith("{")) return null;
  let message;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (message === null || typeof message !== "object" || message.bsc !== MARK) return null;
  if (typeof message.kind !== "string") return null;
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
