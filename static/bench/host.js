// Benchmark host page (see host.html). Everything here runs on the host's main thread, which the
// same-origin integration iframe shares, so the 10 ms timer below sees every long task of the
// integration page. tools/bench.py reads window.bench; all times are this document's
// performance.now() (ms), and `frameOrigin` converts them to the iframe's navigation start.
import { createSimulatorApi } from "/static/simulator/api.js";
import { Simulator } from "/static/simulator/core.js";

const TICK_MS = 10;
const params = new URLSearchParams(location.search);
const ticks = [performance.now()];
setInterval(() => ticks.push(performance.now()), TICK_MS);

// The simulator core, logged in and Ready; dialOrConsult calls are intercepted below so that every
// benchmark dial finds an idle phone (no call is created, so no follow-up events disturb timing).
const memory = new Map(); // settings live in memory: nothing leaks into the next run's profile
const storage = { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, String(v)) };
const sim = new Simulator({ options: { outboundAnswerMs: null }, storage });
const api = createSimulatorApi(sim);
const settings = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`setting${i}`, params.get(`setting${i}`)])
  .filter(([, value]) => value !== null));
if (Object.keys(settings).length) api.setSettings(settings);
const tab = api.openTab();
window.connectsSimulator = api; // what the stub library in the iframe looks for in its parent
api.login("Ready");

let dialWaiter = null; // {requestId, resolve}
const realRequest = sim.request.bind(sim);
let dialsSeen = 0;
let lastDial = null; // the last dialOrConsult arguments, for a person debugging a page
sim.request = (tabNumber, name, args) => {
  if (name === "dialOrConsult") lastDial = args;
  if (name === "dialOrConsult" && dialWaiter) {
    const at = performance.now();
    dialsSeen += 1;
    const waiter = dialWaiter;
    // Pages may pass the beforeDial's requestId or their own (the contract allows both): every
    // benchmark dial uses a distinct number, so the address identifies the answer.
    if (Array.isArray(args) && (String(args[1] ?? "") === waiter.number || String(args[2] ?? "") === waiter.requestId)) {
      dialWaiter = null;
      waiter.resolve(at);
    }
    return Promise.resolve(undefined);
  }
  return realRequest(tabNumber, name, args);
};

const page = new URL(params.get("page") || "/index.html", location.href);
if (page.origin !== location.origin) throw new Error("the page under test must be same-origin");
const iframe = document.createElement("iframe");
iframe.title = "integration under test";
iframe.style.cssText = "width:400px;height:300px;border:1px solid #ccc"; // b+s Connects hides it; size is irrelevant here
sim.tabReg.resolveFrame = (win) => (win === iframe.contentWindow ? tab : undefined);

const state = { frameCreatedAt: performance.now(), readyAt: null, readyState: null, seenBy: null };
const readyWatch = setInterval(() => {
  // A coarse fallback (failed pages; pages whose marker the stub library does not report). A fast
  // poll here would itself load the shared main thread, so the precise path is the one below.
  const mark = iframe.contentDocument?.documentElement?.dataset?.integration;
  if (mark === "ready" || mark === "failed") settle(mark, "poll");
}, 50);
function settle(mark, seenBy) {
  if (state.readyAt !== null) return;
  state.readyAt = performance.now();
  state.readyState = mark;
  state.seenBy = seenBy;
  clearInterval(readyWatch);
  document.documentElement.dataset.bench = mark;
}
sim.on((topics) => {
  if (topics.has("tabs") && api.tabs().some((t) => t.ready)) settle("ready", "stub library");
});
iframe.src = page.pathname + page.search;
document.getElementById("frames").append(iframe);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A fresh task via a message event: starting each dial from a timer chain would let Chromium
// clamp the stub's nested setTimeout to 4 ms and measure that clamp instead of the page.
const channel = new MessageChannel();
const nextTaskQueue = [];
channel.port1.onmessage = () => nextTaskQueue.shift()?.();
const nextTask = () => new Promise((resolve) => { nextTaskQueue.push(resolve); channel.port2.postMessage(0); });

/** The integration's own count of handled events, read the way each page exposes it. */
function handledCount() {
  const win = iframe.contentWindow;
  if (Array.isArray(win.received)) return { count: win.received.length, source: "page (window.received)" };
  if (typeof win.benchHandled === "number") return { count: win.benchHandled, source: "Python (echo worker)" };
  const details = win.document.getElementById("integration-details");
  if (details) {
    for (const term of details.querySelectorAll("dt")) {
      if (/^(events[ _]?(dispatched|handled)|handled[ _]events)$/i.test(term.textContent.trim())) {
        const value = parseInt(term.nextElementSibling?.textContent ?? "", 10);
        if (Number.isFinite(value)) return { count: value, source: `Python (status "${term.textContent.trim()}")` };
      }
      const handled = /(\d+) handled/.exec(term.nextElementSibling?.textContent ?? "");
      if (term.textContent.trim() === "events" && handled) {
        return { count: Number(handled[1]), source: 'Python (status panel "events: … handled")' };
      }
    }
  }
  const stats = win.integrationShim?.stats;
  if (stats) return { count: stats.events, source: "shim only (events relayed; Python count not exposed)" };
  return { count: NaN, source: "none" };
}

/** One agent dial; resolves to the host time at which the page's dialOrConsult for it arrived. */
function dial(number, timeoutMs) {
  let timer;
  const arrived = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      dialWaiter = null;
      reject(new Error(`dial of ${number} not answered within ${timeoutMs} ms`));
    }, timeoutMs);
    dialWaiter = { requestId: null, number, resolve };
  });
  const outcome = api.agentDial(number);
  if (!outcome.blocked) {
    clearTimeout(timer);
    dialWaiter = null;
    return Promise.reject(new Error(`the dial of ${number} was not blocked by beforeDial`));
  }
  dialWaiter.requestId = outcome.requestId;
  return arrived.finally(() => clearTimeout(timer));
}

function agentStatePayload(i) {
  const now = new Date().toISOString();
  const [newState, oldState] = i % 2 ? ["Ready", "NotReady"] : ["NotReady", "Ready"];
  return {
    event: "agentStateChange", version: "1.0", requestId: "", channelType: "Voice", channelId: sim.flavour.channelId,
    newState, newReasonCode: -1, newReasonCodeLabel: "", newStateChangeTime: now,
    oldState, oldReasonCode: -1, oldReasonCodeLabel: "", oldStateChangeTime: now,
  };
}

window.bench = {
  ticks,
  tickMs: TICK_MS,
  state,
  get frameOrigin() {
    return iframe.contentWindow.performance.timeOrigin - performance.timeOrigin;
  },
  handledCount,
  get lastDial() {
    return lastDial;
  },
  subscribed: (event) => sim.tabReg.hasSubscriber(event),

  /** n sequential agent dials (beforeDial → the page's dialOrConsult); durations in ms. */
  async roundTrips(n, timeoutMs = 5000) {
    if (!sim.tabReg.hasSubscriber("beforeDial")) return { error: "the page does not subscribe beforeDial" };
    const durations = [];
    for (let i = 0; i < n; i += 1) {
      await nextTask();
      const started = performance.now();
      try {
        durations.push((await dial(`+4144${String(1000000 + i)}`, timeoutMs)) - started);
      } catch (error) {
        return { error: String(error.message), durations };
      }
    }
    return { durations, dialsSeen };
  },

  /**
   * Raise n agentStateChange events at once; ms until the page handled them. Where the page
   * subscribes beforeDial, a sentinel dial raised right after the burst times it exactly (every
   * page handles events in order, so its dialOrConsult comes after the n events); the page's own
   * count then confirms none was lost. Otherwise the count alone times it (polled every ~4 ms).
   */
  async burst(n, timeoutMs = 60000) {
    const before = handledCount();
    if (!Number.isFinite(before.count)) return { error: "the page exposes no handled-event count" };
    const sentinel = sim.tabReg.hasSubscriber("beforeDial");
    await nextTask();
    const started = performance.now();
    for (let i = 0; i < n; i += 1) sim.tabReg.deliver("agentStateChange", agentStatePayload(i), null);
    const raisedMs = performance.now() - started;
    const fallbacks = () => iframe.contentWindow.integrationShim?.stats?.fallbacks ?? 0;
    const fallbacksBefore = fallbacks();
    const restarts = () => iframe.contentWindow.integrationShim?.stats?.restarts ?? 0;
    const restartsBefore = restarts();
    let ms = null;
    let watchdogFired = false;
    if (sentinel) {
      try {
        ms = (await dial("+41446681800", timeoutMs)) - started; // not one of roundTrips' numbers
      } catch (error) {
        return { error: `sentinel dial: ${error.message}` };
      }
      if (fallbacks() > fallbacksBefore) {
        // The shim's watchdog dialled before Python decided: that time is the watchdog's, not
        // the page's. Fall back to the handled count.
        watchdogFired = true;
        ms = null;
      }
    }
    let now = handledCount();
    const countLimit = sentinel && !watchdogFired ? 5000 : timeoutMs; // a throttled status panel may lag
    while (now.count - before.count < n) {
      if (performance.now() - started > (ms ?? 0) + countLimit) {
        return { error: `only ${now.count - before.count} of ${n} handled`, source: now.source, ms };
      }
      if (restarts() > restartsBefore) {
        return { error: `the shim restarted the Python worker during the burst (${now.count - before.count} of ${n} `
          + "handled before; the rest were lost with the worker)", source: now.source, ms };
      }
      await sleep(1);
      now = handledCount();
    }
    if (ms === null) ms = performance.now() - started;
    return {
      ms, raisedMs, handled: now.count - before.count, source: now.source,
      timedBy: sentinel && !watchdogFired ? "sentinel beforeDial after the burst"
        : `polling the handled count${watchdogFired ? " (the shim's watchdog answered the sentinel dial first)" : ""}`,
    };
  },
};
