// Written by `python -m tools.contract` from integration/sdk/_contract.py: do not edit.
// The names, message kinds, markers and limits JavaScript and Python agree on (docs/protocol.md).

/** Value of `"bsc"` in every message of the shim's protocol. */
export const MARK = 1;
/** Value of `"bsc"` in the Custom Requests page's messages. */
export const CUSTOM_REQUESTS_MARK = "custom-requests";
/** A payload nested deeper than this is sent as `invalid`. */
export const MAX_PAYLOAD_DEPTH = 100;
/** The nine events, by subscription name (`cil.on` + capitalised name). */
export const EVENTS = Object.freeze([
  "agentStateChange", "beforeDial", "error", "workitemConnect", "workitemCreate", "workitemEnd",
  "workitemPause", "workitemResume", "workitemWrapup",
]);
/** Events the shim subscribes only when Python asks. */
export const ON_DEMAND_EVENTS = Object.freeze([
  "beforeDial",
]);
/** The ten requests of the Integration API, by their `cil` method names. */
export const REQUESTS = Object.freeze([
  "createSession", "dialOrConsult", "getChannel", "getCustomSettings", "getReasonCodeList", "isPrimaryTab",
  "setAgentState", "showError", "showInfo", "writeLog",
]);
/** Kinds the worker sends, with their fields (`?`: may be null or left out). */
export const FROM_WORKER_FIELDS = Object.freeze({
  hello: Object.freeze({ sdk: "str" }),
  request: Object.freeze({ id: "int", name: "str", args: "array" }),
  subscribe: Object.freeze({ events: "array" }),
  ready: Object.freeze({}),
  status: Object.freeze({ status: "object" }),
  decision: Object.freeze({ seq: "int", outcome: "str", channelId: "str?", address: "str?", requestId: "str?" }),
  configure: Object.freeze({ watchdogMs: "int", failMode: "str" }),
  persist: Object.freeze({ key: "str", value: "str?" }),
  failed: Object.freeze({ error: "str" }),
  ack: Object.freeze({ seq: "int" }),
  diagnostics: Object.freeze({ id: "int", stats: "object", python: "object", sdk: "object" }),
});
/** Kinds the main thread sends, with their fields. */
export const TO_WORKER_FIELDS = Object.freeze({
  ping: Object.freeze({}),
  context: Object.freeze({ storage: "object", restarts: "int", visible: "bool" }),
  events: Object.freeze({ events: "array", dropped: "int" }),
  response: Object.freeze({ id: "int", ok: "bool", result: "any?", error: "str?" }),
  callback: Object.freeze({ callback: "str" }),
  diagnose: Object.freeze({ id: "int", collect: "bool?" }),
});
/** The DOM events b+s Connects listens for on the top window. */
export const CUSTOM_REQUESTS_EVENTS = Object.freeze([
  "integrationapi", "CIClickToAct",
]);
/** Kinds the Custom Requests worker sends. */
export const CUSTOM_REQUESTS_FROM_WORKER_FIELDS = Object.freeze({
  hello: Object.freeze({}),
  dispatch: Object.freeze({ event: "str", detail: "object" }),
  error: Object.freeze({ action: "str", error: "str" }),
  failed: Object.freeze({ error: "str" }),
});
/** Kinds the Custom Requests page sends. */
export const CUSTOM_REQUESTS_TO_WORKER_FIELDS = Object.freeze({
  ping: Object.freeze({}),
  click: Object.freeze({ action: "str", args: "object", event: "str?" }),
});
/** Kinds the worker sends to the main thread. */
export const FROM_WORKER = Object.freeze(Object.keys(FROM_WORKER_FIELDS));
/** Kinds the main thread sends to the worker. */
export const TO_WORKER = Object.freeze(Object.keys(TO_WORKER_FIELDS));
