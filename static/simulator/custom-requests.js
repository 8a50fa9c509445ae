// Custom Requests: a Dynamics page (not an integration tab) dispatches a CustomEvent named
// "integrationapi" (or "CIClickToAct") on the top window with the request as `detail`. b+s Connects
// performs it exactly as the same request from a custom integration, so here it goes through the
// same handleRequest (same checks, same effects, same failures). A detail without `request` but
// with `value` is a click-to-dial: it goes through beforeDial like the panel's Dial button.
// Nothing answers the page (it consumes no events); a malformed detail is logged and shown, never
// acted on. Requests log as tab "custom request"; the error event a failure raises reaches no tab.
import { CUSTOM_REQUESTS_EVENTS, REQUESTS } from "../shim/contract.js";
import { toLoggable } from "./core.js";
import { el } from "./dom.js";
import { handleRequest } from "./requests.js";

/** The `tab` of custom requests in the request log. */
export const CUSTOM_TAB = "custom request";

/** The requests available for Custom Requests, and how a detail maps to the request's arguments. */
const AVAILABLE = {
  createSession: (d) => [d.templateName, d.templateParameters],
  setAgentState: (d) => [d.channelId, d.state, d.reasonCode, d.requestId],
  writeLog: (d) => [d.logMessage, d.logLevel],
};
/** Every other request of the contract is refused by name: only a custom integration may make it. */
const CUSTOM_INTEGRATION_ONLY = REQUESTS.filter((name) => !(name in AVAILABLE));

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "an array" : v === undefined ? "nothing" : typeof v);

/** @returns {Record<string, any>} the entry pushed to the request log */
function logEntry(sim, via, name, detail, outcome, extra = {}) {
  let args;
  try { args = toLoggable(detail); } catch { args = String(detail); }
  const entry = { time: new Date().toISOString(), tab: CUSTOM_TAB, name, args, requestId: "", outcome, via, ...extra };
  sim.push(sim.requestLog, entry, "requests");
  return entry;
}

/** Why a detail cannot be a custom request (a text), or null when its shape is acceptable. */
function shapeProblem(detail) {
  if (!isObject(detail)) return `detail must be an object, got ${kind(detail)}`;
  if ("request" in detail) {
    const name = detail.request;
    if (typeof name !== "string") return `request must be a string, got ${kind(name)}`;
    if (CUSTOM_INTEGRATION_ONLY.includes(name)) {
      return `"${name}" is not available for Custom Requests (only ${Object.keys(AVAILABLE).join(", ")} and click-to-dial)`;
    }
    if (!(name in AVAILABLE)) return `unknown request "${name}" (use ${Object.keys(AVAILABLE).join(", ")})`;
    return null;
  }
  if (!("value" in detail)) return "missing request (or value, for a click-to-dial)";
  if (typeof detail.value !== "string" || !detail.value.trim()) {
    return `value (the number to dial) must be a non-empty string, got ${typeof detail.value === "string" ? "an empty one" : kind(detail.value)}`;
  }
  for (const field of ["entityLogicalName", "entityId"]) {
    if (detail[field] !== undefined && detail[field] !== null && typeof detail[field] !== "string") {
      return `${field} must be a string (or left out), got ${kind(detail[field])}`;
    }
  }
  return null;
}

/**
 * Performs one custom request from the DOM event `via` ("integrationapi" or "CIClickToAct").
 * Returns the request log entry ({outcome: "ok"} or a reason). `report(text)` is told every
 * failure, so the page shows it. Never throws: a page's mistake must not break the simulator.
 */
export function handleCustomRequest(sim, via, detail, report = (text) => console.warn(text)) {
  let problem;
  try { problem = shapeProblem(detail); } catch (e) { problem = `detail cannot be read: ${e?.message ?? e}`; }
  const name = isObject(detail) && typeof detail.request === "string" ? detail.request : isObject(detail) && !("request" in detail) && "value" in detail ? "clickToDial" : "(malformed)";
  if (problem) {
    const entry = logEntry(sim, via, name, detail, `rejected: ${problem}`);
    report(`Custom request (${via}) rejected: ${problem}`);
    return entry;
  }
  if (name === "clickToDial") return clickToDial(sim, via, detail, report);
  // The same path as a custom integration's request; handleRequest logs synchronously, so the
  // entry it pushed is the last one.
  const outcome = handleRequest(sim, CUSTOM_TAB, name, AVAILABLE[name](detail));
  outcome.catch(() => {}); // a malformed request rejects; its reason is in the log entry
  const entry = sim.requestLog[sim.requestLog.length - 1];
  if (entry?.tab === CUSTOM_TAB && entry.name === name) {
    entry.args = toLoggable(detail);
    entry.via = via;
    sim.changed("requests");
    if (entry.outcome !== "ok") report(`Custom request (${via}) ${entry.outcome}`);
  }
  return entry;
}

/** A click-to-dial: the panel's agentDial (blocked and handed to beforeDial while a tab subscribes). */
function clickToDial(sim, via, detail, report) {
  const entry = logEntry(sim, via, "clickToDial", detail, "ok");
  try {
    const result = sim.agentDial(detail.value.trim());
    entry.requestId = result.requestId ?? "";
    entry.result = result.blocked ? "beforeDial raised" : `dialing (call ${result.id})`;
  } catch (e) {
    entry.outcome = `error: clickToDial: ${e?.message ?? e}`;
    report(`Custom request (${via}) ${entry.outcome}`);
  }
  sim.changed("requests");
  return entry;
}

/** Listens for custom requests on `win` (the top window). Returns a function that stops listening. */
export function installCustomRequests(win, sim, /** @type {{report?: (message: string) => void}} */ { report } = {}) {
  const listeners = CUSTOM_REQUESTS_EVENTS.map((name) => {
    const listener = (event) => handleCustomRequest(sim, name, event?.detail, report);
    win.addEventListener(name, listener);
    return [name, listener];
  });
  return () => { for (const [name, listener] of listeners) win.removeEventListener(name, listener); };
}

/**
 * Frames a Dynamics page (e.g. /static/custom-requests/example.html) in a visible card of the
 * panel, so its `window.top` is the simulator. Same origin only. Returns the iframe (or null).
 */
export function frameCustomPage(container, wanted, base = location.href) {
  const url = new URL(wanted, base);
  if (url.origin !== new URL(base).origin) {
    console.warn(`customPage ${wanted} is not on this origin; not framed`);
    return null;
  }
  const iframe = el("iframe", { src: url.pathname + url.search + url.hash, title: "Dynamics page (Custom Requests)", dataset: { customPage: "" } });
  container.append(el("article", { class: "card", id: "custom-page" }, el("h2", {}, "Dynamics page (Custom Requests)"),
    el("div", { class: "frames" }, iframe)));
  return iframe;
}
