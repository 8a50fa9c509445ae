// The beforeDial watchdog: once the integration subscribed to beforeDial, b+s Connects blocks the
// agent's own dials and waits for us. Whatever happens to Python (slow, raising, not loaded, hung,
// dead), each beforeDial ends in exactly one outcome: Python's decision if it comes in time,
// otherwise the fallback — dial the original number (fail-open, the default) or tell the agent
// (fail-closed). A decision that arrives after the fallback is dropped: never two dials.
// Every `cil` answer is read by answers.js, as the SDK reads it: with envelope answers
// `{success: true, response: false}` is a secondary tab, not a truthy object.

import { readAnswer } from "./answers.js";

export const DEFAULT_WATCHDOG_MS = 3000;
export const MIN_WATCHDOG_MS = 200;
export const MAX_WATCHDOG_MS = 30000;

/** The number of a beforeDial payload as text; "" when there is none (a malformed payload must not throw here). */
export function dialledNumber(payload) {
  try {
    const number = payload?.dialedNumber;
    return typeof number === "string" || typeof number === "number" || typeof number === "bigint" ? String(number) : "";
  } catch {
    return ""; // a getter that throws, a revoked proxy
  }
}

export class DialWatchdog {
  /**
   * @param {Promise<ConnectsIntegrationApi>} cilReady resolves to `cil`
   * @param {{onFired?: Function, console?: Console}} hooks onFired(reason) lets the supervisor
   *        check whether the worker is still alive
   */
  constructor(cilReady, hooks = {}) {
    this.cilReady = cilReady;
    this.hooks = hooks;
    this.console = hooks.console ?? console;
    this.timeoutMs = DEFAULT_WATCHDOG_MS;
    this.failMode = "open";
    this.pending = new Map(); // seq -> {number, timer}
    this.stats = { started: 0, decided: 0, fallbacks: 0, fallbackDials: 0, lateDropped: 0 };
  }

  configure({ watchdogMs, failMode }) {
    if (Number.isInteger(watchdogMs)) {
      this.timeoutMs = Math.min(MAX_WATCHDOG_MS, Math.max(MIN_WATCHDOG_MS, watchdogMs));
    }
    if (failMode === "open" || failMode === "closed") this.failMode = failMode;
  }

  /** A beforeDial arrived from b+s Connects (Python may not even be running yet). */
  started(seq, payload) {
    this.stats.started += 1;
    const number = dialledNumber(payload);
    const timer = setTimeout(
      () => this.fallback(seq, `Python did not decide within ${this.timeoutMs} ms`, true),
      this.timeoutMs,
    );
    this.pending.set(seq, { number, timer });
  }

  /** Python's `decision` message. Returns false when it came too late and was dropped. */
  decided(message) {
    const entry = this.pending.get(message.seq);
    if (!entry) {
      this.stats.lateDropped += 1;
      this.log(`beforeDial #${message.seq}: late decision "${message.outcome}" dropped (already handled)`);
      return false;
    }
    if (message.outcome === "failed") {
      this.fallback(message.seq, "the Python handler raised");
      return true;
    }
    this.settle(message.seq);
    this.stats.decided += 1;
    if (message.outcome === "dial") this.dialIfPrimary(message);
    return true;
  }

  /**
   * Python decided the number; the dial happens in the primary tab only, asked now, like every
   * fallback dial (each tab's integration gets the beforeDial). Asking here rather than from
   * Python saves a round trip to the worker while the agent waits.
   */
  async dialIfPrimary({ seq, channelId, address, requestId }) {
    const cil = await this.cilReady;
    if (!(await this.isPrimary(cil))) {
      this.console.info(`[integration] beforeDial #${seq}: decided here, dialled by the primary tab`);
      return;
    }
    const dialled = await readAnswer(() => cil.dialOrConsult(channelId, address, requestId));
    if (!dialled.ok) this.log(`dialOrConsult for beforeDial #${seq} failed: ${dialled.error}`, cil);
  }

  /** Every pending beforeDial falls back now (the worker died). */
  failAll(reason) {
    for (const seq of [...this.pending.keys()]) this.fallback(seq, reason);
  }

  settle(seq) {
    const entry = this.pending.get(seq);
    if (entry) clearTimeout(entry.timer);
    this.pending.delete(seq);
    return entry;
  }

  async fallback(seq, reason, timedOut = false) {
    const entry = this.settle(seq);
    if (!entry) return;
    this.stats.fallbacks += 1;
    const cil = await this.cilReady;
    if (!(await this.isPrimary(cil))) {
      // Every tab's integration gets the beforeDial; only the primary tab's acts on it.
      this.log(`beforeDial #${seq}: not the primary tab, leaving ${entry.number} to it (${reason})`);
    } else if (this.failMode === "open" && entry.number) {
      this.stats.fallbackDials += 1;
      this.log(`beforeDial #${seq}: dialled ${entry.number} unchanged (fail-open) because ${reason}`, cil);
      const dialled = await readAnswer(() => cil.dialOrConsult("voice", entry.number));
      if (!dialled.ok) this.log(`fail-open dial of ${entry.number} failed: ${dialled.error}`, cil);
    } else {
      this.log(`beforeDial #${seq}: ${entry.number} not dialled (fail-closed) because ${reason}`, cil);
      const shown = await readAnswer(() => cil.showError(
        `The number ${entry.number} could not be checked, so it was not dialled. Please try again in a moment.`,
        "Call not started",
      ));
      if (!shown.ok) this.log(`the fail-closed alert for ${entry.number} was not shown: ${shown.error}`);
    }
    if (timedOut) this.hooks.onFired?.(reason);
  }

  /**
   * Whether this tab dials, asked now. When the answer is a failure or not a boolean the tab
   * cannot tell, and dials: an agent who cannot dial is worse than a rare double dial.
   */
  async isPrimary(cil) {
    const primary = await readAnswer(() => cil.isPrimaryTab());
    if (primary.ok && typeof primary.value === "boolean") return primary.value;
    const why = primary.ok ? `answered ${JSON.stringify(primary.value)}` : `failed: ${primary.error}`;
    this.console.warn(`[integration] isPrimaryTab ${why}; acting as the primary tab`);
    return true;
  }

  log(message, cil = null) {
    this.console.warn(`[integration] ${message}`);
    if (cil) {
      // The log line is best effort: a failing writeLog must not be reported through writeLog again.
      readAnswer(() => cil.writeLog(`[integration watchdog] ${message}`, "Error")).then((written) => {
        if (!written.ok) this.console.warn(`[integration] writeLog failed: ${written.error}`);
      });
    }
  }
}
