// The simulated browser tabs of the panel: one iframe per tab, all running the integration page.
// b+s Connects loads a custom integration hidden; "show integration" makes the selected tab visible.
import { el, fill } from "./dom.js";

export class TabFrames {
  constructor(api, strip, frames, url) {
    this.api = api;
    this.strip = strip;
    this.frames = frames;
    this.url = url;
    this.iframes = new Map();
    this.selected = null;
  }

  /** The tab number of an integration window (for the stub library's connect). */
  tabOf(win) {
    for (const [n, iframe] of this.iframes) if (iframe.contentWindow === win) return n;
    return undefined;
  }

  reload(n) {
    const iframe = this.iframes.get(n);
    if (iframe) iframe.contentWindow.location.reload();
  }

  /** Adds iframes for new tabs, removes those of closed tabs and redraws the tab strip. */
  sync() {
    const tabs = this.api.tabs();
    const open = new Set(tabs.map((t) => t.n));
    for (const [n, iframe] of this.iframes) {
      if (!open.has(n)) { iframe.remove(); this.iframes.delete(n); }
    }
    for (const t of tabs) {
      if (this.iframes.has(t.n)) continue;
      const iframe = el("iframe", { src: this.url, title: `Integration in tab ${t.n}`, dataset: { tab: String(t.n) } });
      this.iframes.set(t.n, iframe);
      this.frames.append(iframe);
    }
    if (!open.has(this.selected)) this.selected = tabs.length ? tabs[0].n : null;
    for (const [n, iframe] of this.iframes) iframe.classList.toggle("background", n !== this.selected);
    this.frames.classList.toggle("hidden-integration", !this.api.options().visible);
    this.renderStrip(tabs);
  }

  renderStrip(tabs) {
    const items = tabs.map((t) => el("li", { class: t.n === this.selected ? "selected" : "", dataset: { tab: String(t.n) } },
      el("button", { class: "tab-select", onclick: () => { this.selected = t.n; this.sync(); } },
        `Tab ${t.n}`, t.primary ? " ★" : ""),
      el("span", { class: `badge ${t.ready ? "ok" : t.marker === "failed" ? "bad" : t.connected ? "warn" : "off"}`, title: "integration status" },
        t.ready ? "ready" : t.marker === "failed" ? "failed" : t.initialized ? "initialized" : t.connected ? "connected" : "loading"),
      el("button", { class: "small", title: `Reload tab ${t.n}`, onclick: () => this.api.reloadTab(t.n) }, "⟳"),
      el("button", { class: "small", title: `Close tab ${t.n}`, onclick: () => this.api.closeTab(t.n) }, "✕")));
    fill(this.strip, items, el("li", {}, el("button", { id: "open-tab", onclick: () => this.api.openTab() }, "+ Open tab")));
  }
}
