// Keeps a Python worker running: starts it, notices when it hangs or dies (no answer to a ping
// sent after a beforeDial watchdog fired, or after posted events went unacknowledged),
// terminates it and starts a fresh one, to which the bridge re-posts the events the old one
// never handled. Restarts are counted, logged and backed off (1 s, 2 s, 4 s … up to 30 s), so a
// crash at start-up cannot loop fast. Events that arrive meanwhile stay in the bridge's buffer
// until the new Python says ready.

import { encode } from "./protocol.js";

// Generous: a Python busy with a burst of thousands of events answers late but is alive, and
// restarting it would lose the events it holds. Any message from the worker counts as an answer.
export const PING_TIMEOUT_MS = 5000;
export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 30000;

export class Supervisor {
  /**
   * @param {(onMessage: Function) => Promise<{post: Function, terminate: Function}>} launch
   * @param {import("./bridge.js").Bridge} bridge
   * @param {{onStarted?: Function, onRestarting?: Function, onFailed?: Function, pingTimeoutMs?: number,
   *          console?: Console}} hooks
   */
  constructor(launch, bridge, hooks = {}) {
    this.launch = launch;
    this.bridge = bridge;
    this.hooks = hooks;
    this.console = hooks.console ?? console;
    this.worker = null;
    this.generation = 0;
    this.restarts = 0;
    this.failures = 0; // restarts since Python last said ready: drives the back-off
    this.restartTimer = null;
    this.lastHello = 0;
    this.pingTimeoutMs = hooks.pingTimeoutMs ?? PING_TIMEOUT_MS;
  }

  async start() {
    const generation = ++this.generation;
    try {
      const worker = await this.launch((message) => {
        if (generation !== this.generation) return; // a replaced worker's last words
        this.lastHello = performance.now(); // any message is a sign of life
        this.bridge.fromWorker(message);
      });
      if (generation !== this.generation) {
        worker.terminate();
        return;
      }
      this.worker = worker;
      this.bridge.attach(worker.post, this.restarts);
      this.hooks.onStarted?.(this.restarts);
    } catch (error) {
      if (generation !== this.generation) return;
      this.hooks.onFailed?.(`Python worker did not start: ${error?.message ?? error}`);
      this.restart("the worker did not start");
    }
  }

  /** Ping the worker; restart it when it does not answer in time (a hung handler, a dead worker). */
  checkAlive(timeoutMs = this.pingTimeoutMs) {
    const worker = this.worker;
    if (!worker || this.restartTimer) return;
    const asked = performance.now();
    worker.post(encode("ping"));
    setTimeout(() => {
      if (this.worker === worker && this.lastHello < asked) this.restart(`no answer to a ping within ${timeoutMs} ms`);
    }, timeoutMs);
  }

  /** Python said ready: the next failure starts the back-off from the beginning again. */
  healthy() {
    this.failures = 0;
  }

  restart(reason) {
    if (this.restartTimer) return;
    this.restarts += 1;
    this.failures += 1;
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (this.failures - 1));
    this.console.warn(`[integration] restarting Python (#${this.restarts}) in ${delay} ms because ${reason}`);
    this.hooks.onRestarting?.(reason, this.restarts, delay);
    this.generation += 1; // messages from the old worker are ignored from now on
    try {
      this.worker?.terminate();
    } catch {
      // already gone
    }
    this.worker = null;
    this.bridge.detach();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delay);
  }
}
