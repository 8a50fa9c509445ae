// The page's half of a Custom Request: Python (in a worker) decides what to send and posts
// {"bsc":"custom-requests","kind":"dispatch","event":...,"detail":{...}} as JSON text; this file
// checks that shape and dispatches the DOM event b+s Connects listens for. No other logic lives
// here on purpose: the page's main thread is the agent's Dynamics main thread.

import { CUSTOM_REQUESTS_EVENTS, CUSTOM_REQUESTS_MARK } from "../shim/contract.js";

/** The two event names b+s Connects listens for on the top window. */
export const EVENTS = CUSTOM_REQUESTS_EVENTS;

/**
 * Parses one message from the worker. Returns the message object when it is ours (its own marker, a
 * known `kind`), else null (PyScript's own traffic uses the same channel).
 */
export function decode(data) {
  if (typeof data !== "string" || !data.startsWith("{")) return null;
  let message;
  try { message = JSON.parse(data); } catch { return null; }
  if (message === null || typeof message !== "object" || message.bsc !== CUSTOM_REQUESTS_MARK) return null;
  if (typeof message.kind !== "string") return null;
  return message;
}

/** True when `message` is a dispatch this relay may perform. */
export function isDispatch(message) {
  return message?.kind === "dispatch" && EVENTS.includes(message.event)
    && message.detail !== null && typeof message.detail === "object" && !Array.isArray(message.detail);
}

/** Dispatches the Custom Request on `target` (the top window). Throws on a malformed message. */
export function relay(message, target = window.top) {
  if (!isDispatch(message)) throw new Error(`not a dispatch message: ${JSON.stringify(message)}`);
  target.dispatchEvent(new CustomEvent(message.event, { detail: message.detail }));
}
