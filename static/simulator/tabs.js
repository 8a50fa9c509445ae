// Simulated browser tabs. Each tab runs its own copy of the integration (an iframe in the panel);
// the stub library in it connects here. Events go to every connected tab, isPrimaryTab() is true in
// the first opened tab still open, and closing or reloading a tab drops its queued alerts.
import { dropAlertsOf } from "./alerts.js";

/** Registry of open tabs and their connections to the integration inside them. */
export class TabRegistry {
  constructor(sim) {
    this.sim = sim;
    this.map = new Map();
    this.next = 1;
    this.waiters = [];
    /** Set by the host page: maps an integration window to its tab number (undefined if none). */
    this.resolveFrame = null;
  }

  open() {
    const n = this.next++;
    this.map.set(n, { n, conn: null, initialized: false, marker: "", subs: new Map(), openedAt: new Date().toISOString() });
    this.touch();
    return n;
  }

  close(n) {
    const tab = this.get(n);
    if (tab.conn) tab.conn.closed = true;
    this.map.delete(n);
    dropAlertsOf(this.sim, n);
    this.touch();
  }

  get(n) {
    const tab = this.map.get(Number(n));
    if (!tab) throw new Error(`no open tab ${n} (open: ${[...this.map.keys()].join(", ") || "none"})`);
    return tab;
  }

  /** The primary tab: the first opened of the tabs still open. */
  primary() {
    return this.map.size ? Math.min(...this.map.keys()) : null;
  }

  list() {
    return [...this.map.values()].map((t) => ({
      n: t.n,
      primary: t.n === this.primary(),
      connected: Boolean(t.conn),
      initialized: t.initialized,
      ready: t.marker === "ready",
      marker: t.marker,
      subscriptions: Object.fromEntries([...t.subs].filter(([, c]) => c > 0)),
      openedAt: t.openedAt,
    }));
  }

  hasSubscriber(event) {
    return [...this.map.values()].some((t) => t.conn && (t.subs.get(event) ?? 0) > 0);
  }

  /** Delivers an event to the connected tabs; returns the numbers of the tabs reached. */
  deliver(name, payload, onlyTab) {
    const reached = [];
    for (const tab of this.map.values()) {
      if (!tab.conn || (onlyTab !== null && onlyTab !== undefined && tab.n !== onlyTab)) continue;
      try {
        tab.conn.endpoint.deliver(name, payload);
        reached.push(tab.n);
      } catch (e) {
        console.warn(`tab ${tab.n} did not take ${name}; treating it as disconnected`, e);
        this.disconnect(tab, tab.conn);
      }
    }
    return reached;
  }

  /** Connects the integration running in `win` (an iframe of the host page) to its tab. */
  connectWindow(win, endpoint) {
    const n = this.resolveFrame ? this.resolveFrame(win) : undefined;
    if (n === undefined || n === null) throw new Error("this window is not one of the simulator's tabs");
    return this.connect(n, endpoint);
  }

  /** Connects an endpoint {deliver(name, payload)} to tab n; returns the connection it talks through. */
  connect(n, endpoint) {
    const tab = this.get(n);
    if (tab.conn) this.disconnect(tab, tab.conn); // a reload whose old page never said goodbye
    const registry = this;
    const sim = this.sim;
    const conn = {
      tab: tab.n,
      endpoint,
      closed: false,
      request(name, args) {
        if (conn.closed) return Promise.reject(new Error(`tab ${tab.n} is no longer connected`));
        return sim.request(tab.n, name, args);
      },
      subscribe(event, count) {
        if (conn.closed) return;
        tab.subs.set(String(event), Number(count) || 0);
        registry.touch();
      },
      initialized() { if (!conn.closed) { tab.initialized = true; registry.touch(); } },
      setMarker(value) { if (!conn.closed) { tab.marker = String(value ?? ""); registry.touch(); } },
      isPrimary() { return registry.primary() === tab.n; },
      close() { registry.disconnect(tab, conn); },
    };
    tab.conn = conn;
    this.touch();
    return conn;
  }

  disconnect(tab, conn) {
    conn.closed = true;
    if (tab.conn !== conn) return;
    tab.conn = null;
    tab.initialized = false;
    tab.marker = "";
    tab.subs = new Map();
    dropAlertsOf(this.sim, tab.n);
    this.touch();
  }

  isReady(tab, marker) {
    return Boolean(tab.conn) && tab.initialized && (!marker || tab.marker === "ready");
  }

  /**
   * Resolves once at least one tab is open and every open tab's integration is connected, has
   * had its initIntegration callback run and (unless marker is false) has marked its document
   * with data-integration="ready". Rejects at once when a tab's page marks itself "failed".
   */
  whenReady({ timeoutMs = 30000, marker = true } = {}) {
    return new Promise((resolve, reject) => {
      const waiter = { marker, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const notReady = [...this.map.values()].filter((t) => !this.isReady(t, marker)).map((t) => t.n);
        reject(new Error(`tabs not ready after ${timeoutMs} ms: ${notReady.join(", ") || "no tab open"}`));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.checkWaiters();
    });
  }

  checkWaiters() {
    const tabs = [...this.map.values()];
    this.waiters = this.waiters.filter((w) => {
      const failed = w.marker && tabs.find((t) => t.conn && t.marker === "failed");
      if (failed) {
        clearTimeout(w.timer);
        w.reject(new Error(`the integration in tab ${failed.n} marked itself failed (data-integration="failed")`));
        return false;
      }
      if (tabs.length === 0 || !tabs.every((t) => this.isReady(t, w.marker))) return true;
      clearTimeout(w.timer);
      w.resolve(this.list());
      return false;
    });
  }

  touch() {
    this.sim.changed("tabs");
    this.checkWaiters();
  }
}
