// The only code that touches `cil`: relays events to the Python worker and requests back to
// `cil`, as JSON text (docs/protocol.md). No business logic here: Python owns every decision.
// Posted events are kept until Python acknowledges them (`ack`), so the ones a dying worker never
// handled can be posted again to its successor (docs/protocol.md, "Replay").

import { answerOf } from "./answers.js";
import {
  EVENTS, FROM_WORKER, ON_DEMAND_EVENTS, REQUESTS, encode, encodeEvent, encodeEvents, subscriptionMethod,
} from "./protocol.js";
import { sessionStore } from "./session_store.js";

export const DEFAULT_BUFFER_LIMIT = 10000;
/** Posted events unacknowledged this long make the supervisor ping the worker. */
export const STALL_MS = 5000;
/** An event is posted to at most this many workers (a poisonous event must not kill them all). */
export const MAX_POSTS = 2;
export const DIAGNOSE_TIMEOUT_MS = 10000;

export class Bridge {
  /**
   * @param {Promise<ConnectsIntegrationApi>} cilReady resolves to `cil` once initIntegration called back
   * @param {{bufferLimit?: number, stallMs?: number, storage?: {load: Function, save: Function},
   *          onReady?: Function, onStatus?: Function, onFailed?: Function, onBeforeDial?: Function,
   *          onDecision?: Function, onConfigure?: Function, onStalled?: Function, console?: Console}} hooks
   */
  constructor(cilReady, hooks = {}) {
    this.cilReady = cilReady;
    this.hooks = hooks;
    this.console = hooks.console ?? console;
    this.bufferLimit = hooks.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.stallMs = hooks.stallMs ?? STALL_MS;
    this.post = null; // set by attach() once the worker said hello
    this.pythonReady = false;
    this.seq = 0;
    this.pending = []; // events not yet posted: {seq, name, text, posts}
    this.unacked = []; // events posted to this worker, not yet acknowledged (beforeDial never kept)
    this.dropped = 0; // events lost since the last batch, reported with the next one
    this.flushScheduled = false;
    this.stallTimer = null;
    this.lastProgress = 0; // when the worker last acknowledged (or was first given) events
    this.diagnoses = new Map(); // diagnose id -> {resolve, reject}
    this.diagnoseId = 0;
    this.subscribed = new Set();
    this.storage = hooks.storage ?? sessionStore();
    this.stats = {
      events: 0, batches: 0, dropped: 0, requests: 0, requestErrors: 0, acks: 0, acked: 0, replayed: 0, stalls: 0,
      unknownKinds: 0,
    };
    this.unknownKindsSeen = new Set(); // kinds already warned about: one warning each
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
    this.pending.push({ seq, name, text: encodeEvent(seq, name, payload), posts: 0 });
    this.trim();
    this.scheduleFlush(name === "beforeDial");
    return seq;
  }

  /** While Python is not ready the buffer is bounded: the oldest events go first. */
  trim() {
    if (this.pythonReady || this.pending.length <= this.bufferLimit) return;
    const excess = this.pending.splice(0, this.pending.length - this.bufferLimit).length;
    this.lose(excess, `event buffer full (${this.bufferLimit})`);
  }

  lose(count, why) {
    this.dropped += count;
    this.stats.dropped += count;
    this.console.warn(`[integration] ${why}: dropped ${count} event(s), ${this.stats.dropped} so far`);
  }

  /**
   * Batch a burst into few messages (each message is a round trip between threads, and b+s Connects
   * delivers each event in its own task, so batching per task is not enough): flush on the next timer turn.
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
    this.post(encodeEvents(batch.map((event) => event.text), this.dropped));
    this.dropped = 0;
    this.stats.batches += 1;
    if (!this.unacked.length) this.lastProgress = performance.now();
    for (const event of batch) {
      event.posts += 1;
      // A posted beforeDial is never posted again: its watchdog dials or refuses it if Python does not.
      if (event.name !== "beforeDial") this.unacked.push(event);
    }
    if (this.unacked.length > this.bufferLimit) this.unacked.splice(0, this.unacked.length - this.bufferLimit);
    this.watchStall();
  }

  /** Python handled every event up to `seq`: they need not be kept for a replay any longer. */
  acknowledge(seq) {
    if (!Number.isInteger(seq)) return;
    this.stats.acks += 1;
    this.stats.acked = Math.max(this.stats.acked, seq);
    let done = 0;
    while (done < this.unacked.length && this.unacked[done].seq <= seq) done += 1;
    this.unacked.splice(0, done);
    this.lastProgress = performance.now();
  }

  /** Posted events left unacknowledged for `stallMs`: ask the supervisor to check the worker. */
  watchStall() {
    if (this.stallTimer !== null || !this.unacked.length || !this.post) return;
    const due = Math.max(0, this.stallMs - (performance.now() - this.lastProgress));
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      if (!this.unacked.length || !this.post) return;
      const waited = performance.now() - this.lastProgress;
      if (waited >= this.stallMs) {
        this.stats.stalls += 1;
        this.lastProgress = performance.now(); // one check per stallMs, not one per timer turn
        this.hooks.onStalled?.(`${this.unacked.length} event(s) unacknowledged for ${Math.round(waited)} ms`);
      }
      this.watchStall();
    }, due);
  }

  /** A worker is connected (the first, or a restarted one): give it its context, then events. */
  attach(post, restarts = 0) {
    this.post = post;
    post(encode("context", { storage: this.storage.load(), restarts, visible: this.visible() }));
    this.scheduleFlush();
  }

  /**
   * The worker is gone: what it was given but did not acknowledge goes back to the front of the
   * buffer, in order, for the next worker (an event already given to MAX_POSTS workers is
   * dropped and reported instead). Events are buffered again until the next one says ready.
   */
  detach() {
    this.post = null;
    this.pythonReady = false;
    clearTimeout(this.stallTimer);
    clearTimeout(this.flushTimer);
    this.stallTimer = null;
    this.flushScheduled = false;
    const replay = this.unacked.filter((event) => event.posts < MAX_POSTS);
    const lost = this.unacked.length - replay.length;
    this.unacked = [];
    if (lost) this.lose(lost, `posted to ${MAX_POSTS} workers that both failed before handling them`);
    this.stats.replayed += replay.length;
    this.pending = replay.concat(this.pending);
    this.trim();
    for (const waiting of this.diagnoses.values()) waiting.reject(new Error("the Python worker was replaced"));
    this.diagnoses.clear();
  }

  /**
   * Ask Python for its counters and memory figures (docs/protocol.md, `diagnose`), together with
   * the shim's own buffer sizes. `collect` runs Python's garbage collector first.
   * @returns {Promise<{stats: object, python: object, sdk: object, shim: Record<string, number | null>}>}
   */
  diagnose({ collect = false, timeoutMs = DIAGNOSE_TIMEOUT_MS } = {}) {
    if (!this.post) return Promise.reject(new Error("no Python worker is connected"));
    const id = ++this.diagnoseId;
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.diagnoses.delete(id);
        reject(new Error(`no diagnostics within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (action) => (value) => {
        clearTimeout(timer);
        this.diagnoses.delete(id);
        action(value);
      };
      this.diagnoses.set(id, { resolve: settle(resolve), reject: settle(reject) });
    });
    this.post(encode("diagnose", { id, collect: Boolean(collect) }));
    return answer.then(({ stats, python, sdk }) => ({
      stats, python, sdk, shim: this.shimDiagnostics(),
    }));
  }

  /** The main thread's side: buffer sizes (all bounded when nothing leaks), counters, JS heap. */
  shimDiagnostics() {
    return {
      ...this.stats,
      seq: this.seq,
      pending: this.pending.length,
      unacked: this.unacked.length,
      waitingDiagnoses: this.diagnoses.size,
      jsHeapUsed: globalThis.performance?.memory?.usedJSHeapSize ?? null,
    };
  }

  visible() {
    if (typeof document === "undefined") return false;
    return document.visibilityState === "visible" && innerWidth > 0 && innerHeight > 0;
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
      case "ack":
        this.acknowledge(message.seq);
        break;
      case "diagnostics":
        this.diagnoses.get(message.id)?.resolve(message);
        break;
      default:
        if (!FROM_WORKER.includes(message.kind)) this.unknownKind(message.kind);
        break; // hello: handled by the worker starter
    }
  }

  /** A message of a kind this version does not know (a newer SDK?): counted, and said once per kind. */
  unknownKind(kind) {
    this.stats.unknownKinds += 1;
    if (this.unknownKindsSeen.has(kind) || this.unknownKindsSeen.size >= 100) return; // bounded: counted only
    this.unknownKindsSeen.add(kind);
    this.console.warn(`[integration] ignoring messages of unknown kind ${JSON.stringify(kind).slice(0, 80)} from Python`);
  }

  /** Python's request: `cil[name](...args)`, answered as it settled (Python reads the answer, envelope or not). */
  async request({ id, name, args }) {
    this.stats.requests += 1;
    const answer = await answerOf(async () => {
      if (!REQUESTS.includes(name)) throw new Error(`unknown request ${JSON.stringify(name)}`);
      const cil = await this.cilReady;
      if (typeof cil[name] !== "function") throw new Error(`cil.${name} is not available`);
      const callArgs = Array.isArray(args) ? [...args] : [];
      if (name === "showError") {
        callArgs[2] = this.action(callArgs[2]);
        callArgs[3] = this.action(callArgs[3]);
      }
      return cil[name](...callArgs);
    });
    if (!answer.ok) this.stats.requestErrors += 1;
    this.post?.(encode("response", { id, ...answer }));
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
