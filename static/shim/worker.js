// Starts the integration's Python in a PyScript worker, never on the page's main thread: the
// page is a same-origin iframe of b+s Connects and shares its main thread (a main-thread Pyodide
// start would freeze the host for as long as it takes; in a worker, it does not block it at all).

import { PyWorker } from "../vendor/pyscript-0.7.31/core.js";
import { decode, encode } from "./protocol.js";

/** Must match `interpreter` in pyscript.toml (a unit test checks it). */
export const INTERPRETER = "static/shim/interpreter.mjs";
export const CONFIG = "pyscript.toml";
export const ENTRY = "integration/worker_main.py";

const PING_EVERY_MS = 100;

/**
 * Start the worker; `onMessage(message)` receives every protocol message it posts (decoded). Resolves to
 * `{post, terminate}` once the worker answered the first ping with `hello`.
 * (PyScript resolves after the top-level code ran, so a message Python sent at top level may
 * already be gone: hence the ping until hello, which also covers any other ordering.)
 */
export async function startWorker(onMessage, base = document.baseURI) {
  const url = (path) => new URL(path, base).href;
  const xworker = await PyWorker(url(ENTRY), { config: url(CONFIG), version: url(INTERPRETER) });
  let greeted;
  const hello = new Promise((resolve) => (greeted = resolve));
  xworker.addEventListener("message", (event) => {
    const message = decode(event.data);
    if (message === null) return;
    if (message.kind === "hello") greeted();
    onMessage(message);
  });
  const ping = encode("ping");
  xworker.postMessage(ping);
  const timer = setInterval(() => xworker.postMessage(ping), PING_EVERY_MS);
  await hello;
  clearInterval(timer);
  return {
    post: (text) => xworker.postMessage(text),
    terminate: () => xworker.terminate(),
  };
}
