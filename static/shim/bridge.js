// The only code that touches `cil`: relays events to the Python worker and requests back to
// `cil`, as JSON text (docs/protocol.md). No business logic here: Python owns every decision.

import {
  EVENTS, ON_DEMAND_EVENTS, REQUESTS, encode, encodeEvent, encodeEvents, subscriptionMethod,
} from "./protocol.js";

export const DEFAULT_BUFFER_LIMIT = 10000;

export class Bridge {
  /**
   * @param {Promise<object>} cilReady resolves to `cil` once initIntegration called back
   * @param {{bufferLimit?: number, onReady?: Function, onStatus?: Function, onFailed?: Function,
   *          onDecision?: Function, console?: Console}} hooks
   */
  constructor(cilReady, hooks = {}) {
    this.cilReady = cilReady;
    this.hooks = hooks;
    this.console = hooks.console ?? console;
    this.bufferLimit = hooks.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.post = null; // set by attach() once the worker said hello
    this.pythonReady = false;
    this.seq = 0;
    this.pending = []; // encoded events not yet sent
    this.dropped = 0; // events lost to the bounded buffer, reported with the next batch
    this.flushScheduled = false;
    this.subscribed = new Set();
    this.storage = hooks.storage ?? sessionStore();
    this.stats = { events: 0, batches: 0, dropped: 0, requests: 0, requestErrors: 0 };
    cilReady.then((cil) => {
      this.cil = cil;
      for (const name of EVENTS) if (!ON_DEMAND_EVENTS.includes(name)) this.subscribe(name);
    }, () => {});
  }

  /** Subscribe one event on `cil`; from then on it is buffered until Python is ready. */
  subscribe(name) {
    if (this.subscribed.has(name) || !EVENTS.includes(name)) return;
    const method = this.cil?.[subscriptionMethod(name)];
    if (typeof method !== "function") {
      this.console.warn(`[integration] cil.${subscriptionMethod(name)} is not available`);
      return;
    }
    this.subscribed.add(name);
    method.call(this.cil, (payload) => this.onEvent(name, payload));
  }

  onEvent(name, payload) {
    this.stats.events += 1;
    const seq = ++this.seq;
    if (name === "beforeDial") this.hooks.onBeforeDial?.(seq, payload);
    this.pending.push(encodeEvent(seq, name, payload));
    if (!this.pythonReady && this.pending.length > this.bufferLimit) {
      const excess = this.pending.length - this.bufferLimit;
      this.pending.splice(0, excess);
      this.dropped += excess;
      this.stats.dropped += excess;
      this.console.warn(`[integration] event buffer full (${this.bufferLimit}): dropped ${this.stats.dropped} oldest so far`);
    }
    this.scheduleFlush(name === "beforeDial");
    return seq;
  }

  /**
   * Batch a burst into few messages (a round trip costs 0.1–2 ms, and b+s Connects delivers each
   * event in its own task, so batching per task is not enough): flush on the next timer turn.
   * A beforeDial is flushed at once, because the agent is waiting.
   */
  scheduleFlush(urgent = false) {
    if (!this.pythonReady || !this.post) return;
    if (urgent) {
      clearTimeout(this.flushTimer);
      this.flush();
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.flushTimer = setTimeout(() => this.flush(), 0);
  }

  flush() {
    this.flushScheduled = false;
    if (!this.post || (!this.pending.length && !this.dropped)) return;
    const batch = this.pending;
    this.pending = [];
    this.post(encodeEvents(batch, this.dropped));
    this.dropped = 0;
    this.stats.batches += 1;
  }

  /** A worker is connected (the first, or a restarted one): give it its context, then events. */
  attach(post, restarts = 0) {
    this.post = post;
    post(encode("context", { storage: this.storage.load(), restarts, visible: this.visible() }));
    this.scheduleFlush();
  }

  /** The worker is gone: buffer events again until the next one says ready. */
  detach() {
    this.post = null;
    this.pythonReady = false;
  }

  visible() {
    return typeof document !== "undefined" && document.visibilityState === "visible" && innerWidth > 0 && innerHeight > 0;
  }

  /** A decoded message from the worker. */
  fromWorker(message) {
    switch (message.kind) {
      case "request":
        this.request(message);
        break;
      case "subscribe":
        this.cilReady.then(() => (message.events ?? []).forEach((name) => this.subscribe(name)), () => {});
        break;
      case "ready":
        this.pythonReady = true;
        this.scheduleFlush();
        this.hooks.onReady?.(message);
        break;
      case "status":
        this.hooks.onStatus?.(message.status ?? {});
        break;
      case "decision":
        this.hooks.onDecision?.(message);
        break;
      case "configure":
        this.hooks.onConfigure?.(message);
        break;
      case "persist":
        this.storage.save(String(message.key ?? ""), message.value);
        break;
      case "failed":
        this.hooks.onFailed?.(String(message.error ?? "Python failed"));
        break;
      default:
        break; // hello: handled by the worker starter
    }
  }

  async request({ id, name, args }) {
    this.stats.requests += 1;
    const reply = (fields) => this.post?.(encode("response", { id, ...fields }));
    try {
      if (!REQUESTS.includes(name)) throw new Error(`unknown request ${JSON.stringify(name)}`);
      const cil = await this.cilReady;
      if (typeof cil[name] !== "function") throw new Error(`cil.${name} is not available`);
      const callArgs = Array.isArray(args) ? [...args] : [];
      if (name === "showError") {
        callArgs[2] = this.action(callArgs[2]);
        callArgs[3] = this.action(callArgs[3]);
      }
      const result = await cil[name](...callArgs);
      reply({ ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result) ?? "null") });
    } catch (error) {
      this.stats.requestErrors += 1;
      reply({ ok: false, error: String(error?.message ?? error ?? "request failed") });
    }
  }

  /** A showError action: Python's callback id becomes a JS callback that calls back into Python. */
  action(spec) {
    if (spec === null || spec === undefined) return undefined;
    const callbackId = spec.callback;
    return {
      label: String(spec.label ?? ""),
      callback: callbackId == null ? undefined : () => this.post?.(encode("callback", { callback: callbackId })),
    };
  }
}

/** Small strings Python keeps across a reload (sessionStorage survives reloading the page). */
export function sessionStore(prefix = "bsc-integration:") {
  const store = globalThis.sessionStorage;
  return {
    load() {
      const values = {};
      try {
        for (let i = 0; i < store.length; i += 1) {
          const key = store.key(i);
          if (key?.startsWith(prefix)) values[key.slice(prefix.length)] = store.getItem(key);
        }
      } catch {
        // storage unavailable (blocked third-party storage): Python starts without memory
      }
      return values;
    },
    save(key, value) {
      try {
        if (value === null || value === undefined) store.removeItem(prefix + key);
        else store.setItem(prefix + key, String(value).slice(0, 100000));
      } catch {
        // quota or blocked storage: the memory only lasts this page's life
      }
    },
  };
}
