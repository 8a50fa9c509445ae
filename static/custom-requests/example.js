// The example page's main thread: starts the Python worker, forwards button clicks to it as
// {"bsc":"custom-requests","kind":"click","action","args","event"} and shows what came back (a
// dispatch that relay.js performs, or an error as text). Every decision is Python's
// (integration/custom_requests).
import { PyWorker } from "../vendor/pyscript-0.7.31/core.js";
import { CUSTOM_REQUESTS_MARK } from "../shim/contract.js";
import { decode, isDispatch, relay } from "./relay.js";

/** Same interpreter as /pyscript.toml (static/shim/worker.js). */
const INTERPRETER = "../shim/interpreter.mjs";
const CONFIG = "pyscript.toml";
const ENTRY = "worker.py";
const PING_EVERY_MS = 100;
const START_TIMEOUT_MS = 60000;

const $ = (id) => document.getElementById(id);
const root = document.documentElement;

function show(text, kind) {
  $("result").textContent = text;
  $("result").dataset.kind = kind;
}

function logSent(message) {
  const item = document.createElement("li");
  item.textContent = `${message.event}: ${JSON.stringify(message.detail)}`;
  $("sent").prepend(item);
}

/** What each button sends: an action of integration/custom_requests/_page.py and its arguments. */
const BUTTONS = {
  "not-ready": () => ["setAgentState", { channelId: $("channel").value, state: "NotReady", reasonCode: $("reason").value }],
  "ready": () => ["setAgentState", { channelId: $("channel").value, state: "Ready" }],
  "write-log": () => ["writeLog", { logMessage: $("log-message").value, logLevel: $("log-level").value }],
  "create-session": () => ["createSession", { templateName: $("template").value, templateParameters: $("parameters").value }],
  "dial": () => {
    const args = { value: $("number").value };
    if ($("entity-name").value || $("entity-id").value) Object.assign(args, { entityLogicalName: $("entity-name").value, entityId: $("entity-id").value });
    return ["clickToDial", args];
  },
};

function onMessage(data) {
  const message = decode(data);
  if (message === null) return;
  if (isDispatch(message)) {
    try {
      relay(message);
      logSent(message);
      show(`Sent ${message.detail.request ?? "click-to-dial"} (${message.event}).`, "ok");
    } catch (error) {
      show(`Could not dispatch: ${error.message}`, "error");
    }
  } else if (message.kind === "error") {
    show(`Not sent: ${message.error}`, "error");
  } else if (message.kind === "failed") {
    root.dataset.customRequests = "failed";
    show(`Python could not start: ${message.error}`, "error");
  }
}

async function start() {
  const url = (path) => new URL(path, document.baseURI).href;
  const worker = await PyWorker(url(ENTRY), { config: url(CONFIG), version: url(INTERPRETER) });
  let greeted;
  const hello = new Promise((resolve) => (greeted = resolve));
  worker.addEventListener("message", (event) => {
    if (decode(event.data)?.kind === "hello") greeted();
    onMessage(event.data);
  });
  const ping = JSON.stringify({ bsc: CUSTOM_REQUESTS_MARK, kind: "ping" });
  const timer = setInterval(() => worker.postMessage(ping), PING_EVERY_MS);
  worker.postMessage(ping);
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS));
  try {
    await Promise.race([hello, timeout]);
  } finally {
    clearInterval(timer);
  }
  for (const [id, build] of Object.entries(BUTTONS)) {
    $(id).disabled = false;
    $(id).addEventListener("click", () => {
      const [action, args] = build();
      worker.postMessage(JSON.stringify({ bsc: CUSTOM_REQUESTS_MARK, kind: "click", action, args, event: $("event").value }));
    });
  }
  root.dataset.customRequests = "ready";
  show("Python is ready.", "ok");
}

start().catch((error) => {
  if (root.dataset.customRequests !== "failed") {
    root.dataset.customRequests = "failed";
    show(`Python could not start: ${error?.message ?? error}`, "error");
  }
});
