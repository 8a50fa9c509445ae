// Entry of the thin main-thread shim: connect to b+s Connects (`cil`) and start Python in a
// worker, both at once, then relay between them. See docs/protocol.md.

import { Bridge } from "./bridge.js";
import { connectLibrary } from "./library.js";
import { PageStatus } from "./status.js";
import { startWorker } from "./worker.js";

const status = new PageStatus();
status.loading("Starting Python…");

const cilReady = connectLibrary();
const bridge = new Bridge(cilReady, {
  onReady: () => status.ready(),
  onStatus: (details) => status.details(details),
  onFailed: (message) => status.failed(message),
});

// For tests and for a person debugging in the console; read-only figures.
window.integrationShim = { bridge, get stats() { return { ...bridge.stats }; } };

cilReady.catch((error) => status.failed(`b+s Connects library: ${error.message}`));

startWorker((message) => bridge.fromWorker(message))
  .then((worker) => bridge.attach(worker.post))
  .catch((error) => status.failed(`Python worker did not start: ${error?.message ?? error}`));
