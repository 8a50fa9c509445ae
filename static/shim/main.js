// Entry of the thin main-thread shim: connect to b+s Connects (`cil`) and start Python in a
// worker, both at once, then relay between them (docs/protocol.md). The watchdog guarantees one
// outcome per beforeDial whatever Python does; the supervisor restarts a hung or dead worker.

import { Bridge } from "./bridge.js";
import { connectLibrary } from "./library.js";
import { PageStatus } from "./status.js";
import { Supervisor } from "./supervisor.js";
import { DialWatchdog } from "./watchdog.js";
import { startWorker } from "./worker.js";

const status = new PageStatus();
status.loading("Starting Python…");

const cilReady = connectLibrary();
cilReady.catch((error) => status.failed(`b+s Connects library: ${error.message}`, true));

const watchdog = new DialWatchdog(cilReady, { onFired: () => supervisor.checkAlive() });
const bridge = new Bridge(cilReady, {
  onReady: () => {
    supervisor.healthy();
    status.ready();
  },
  onStatus: (details) => status.details(details),
  onFailed: (message) => status.failed(message),
  onBeforeDial: (seq, payload) => watchdog.started(seq, payload),
  onDecision: (message) => watchdog.decided(message),
  onConfigure: (message) => watchdog.configure(message),
  onStalled: () => supervisor.checkAlive(),
});
const supervisor = new Supervisor((onMessage) => startWorker(onMessage), bridge, {
  onFailed: (message) => status.failed(message),
  onRestarting: (reason, count) => {
    status.loading(`Restarting Python (#${count}): ${reason}`);
    watchdog.failAll("the Python worker was restarted");
  },
});

// For tests and for a person debugging in the console.
window.integrationShim = {
  bridge,
  watchdog,
  supervisor,
  get stats() {
    return { ...bridge.stats, ...watchdog.stats, restarts: supervisor.restarts };
  },
  /** Python's counters and memory figures plus the shim's buffer sizes (docs/protocol.md, diagnose). */
  async diagnose(options) {
    const answer = await bridge.diagnose(options);
    const watchdogPending = watchdog.pending.size;
    answer.shim = { ...answer.shim, ...watchdog.stats, watchdogPending, restarts: supervisor.restarts };
    return answer;
  },
};

supervisor.start();
