// "Bare PyScript" benchmark page: start a PyScript worker with no packages exactly as our shim
// does (static/shim/worker.js), ping it until Python answers, then mark data-integration="ready".
// Events are relayed as JSON text batched per microtask (like our bridge); beforeDial is answered
// by Python and dialled here, so the round trip measures PyScript's transport alone.
import { PyWorker } from "../vendor/pyscript-0.7.31/core.js";

const url = (path) => new URL(path, document.baseURI).href;
const root = document.documentElement;
window.benchHandled = 0;

async function start() {
  const cil = window.ConnectsIntegrationLibrary;
  const cilReady = new Promise((resolve) => cil.initIntegration(() => resolve(cil)));
  const xworker = await PyWorker(url("/static/bench/bare.py"), {
    config: url("/static/bench/bare-config.json"),
    version: url("/static/vendor/pyodide-314.0.7/pyodide.mjs"),
  });
  let pending = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    xworker.postMessage(`{"bench":1,"kind":"events","events":[${pending.join(",")}]}`);
    pending = [];
  };
  const relay = (name) => (payload) => {
    pending.push(JSON.stringify({ name, payload }));
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  };
  let greeted;
  const hello = new Promise((resolve) => (greeted = resolve));
  xworker.addEventListener("message", (event) => {
    if (typeof event.data !== "string" || !event.data.startsWith('{"bench"')) return;
    const message = JSON.parse(event.data);
    if (message.kind === "hello") greeted();
    else if (message.kind === "handled") window.benchHandled = message.count;
    else if (message.kind === "dial") cilReady.then((c) => c.dialOrConsult("voice", message.address, message.requestId));
  });
  const ping = '{"bench":1,"kind":"ping"}';
  xworker.postMessage(ping);
  const timer = setInterval(() => xworker.postMessage(ping), 100);
  const c = await cilReady;
  c.onAgentStateChange(relay("agentStateChange"));
  c.onBeforeDial(relay("beforeDial"));
  await hello;
  clearInterval(timer);
  root.dataset.integration = "ready";
}

start().catch((error) => {
  root.dataset.integration = "failed";
  console.error("[bench] bare PyScript failed", error);
});
