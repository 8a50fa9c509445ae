// The panel's log viewers: requests (with arguments, tab and time), events, the writeLog viewer
// (COR_API_WRITE_LOG entries), sessions created with createSession.
import { clock, el, fill, json } from "./dom.js";

const SHOWN = 200;

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
}

function newestFirst(list) {
  return list.slice(-SHOWN).reverse();
}

const VIEWS = {
  requests: {
    title: "Requests",
    topic: "requests",
    render: (api) => table(["time", "tab", "request", "arguments", "outcome"], newestFirst(api.requestLog).map((r) =>
      el("tr", { class: r.outcome === "ok" ? "" : "failed" },
        el("td", {}, clock(r.time)), el("td", {}, String(r.tab)), el("td", {}, r.name),
        el("td", { class: "mono" }, json(r.args)), el("td", {}, r.outcome)))),
  },
  events: {
    title: "Events",
    topic: "events",
    render: (api) => table(["time", "event", "to tabs", "payload"], newestFirst(api.eventLog).map((e) =>
      el("tr", { class: e.name === "error" ? "failed" : "" },
        el("td", {}, clock(e.time)), el("td", {}, e.name), el("td", {}, e.tabs.join(", ") || "none"),
        el("td", { class: "mono" }, el("details", {}, el("summary", {}, json(e.payload, 160)), el("pre", {}, JSON.stringify(e.payload, null, 2))))))),
  },
  writeLogs: {
    title: "Log viewer",
    topic: "writeLogs",
    filter: true,
    render: (api, filter) => table(["time", "tag", "level", "tab", "message"], newestFirst(api.writeLogs)
      .filter((w) => !filter || `${w.tag} ${w.level} ${w.message}`.toLowerCase().includes(filter.toLowerCase()))
      .map((w) => el("tr", { class: w.level === "Error" ? "failed" : "" },
        el("td", {}, clock(w.time)), el("td", {}, w.tag), el("td", {}, w.level), el("td", {}, String(w.tab)),
        el("td", { class: "mono" }, w.message)))),
  },
  sessions: {
    title: "Sessions",
    topic: "sessions",
    render: (api) => table(["time", "tab", "template", "parameters"], newestFirst(api.sessions).map((s) =>
      el("tr", {}, el("td", {}, clock(s.time)), el("td", {}, String(s.tab)), el("td", {}, s.templateName),
        el("td", { class: "mono" }, json(s.templateParameters))))),
  },
  alerts: {
    title: "Alerts",
    topic: "alerts",
    render: (api) => table(["time", "tab", "kind", "title", "description", "outcome"], newestFirst(api.alertLog).map((a) =>
      el("tr", { class: a.kind === "error" ? "failed" : "" },
        el("td", {}, clock(a.time)), el("td", {}, String(a.tab)), el("td", {}, a.kind === "error" ? "showError" : "showInfo"),
        el("td", {}, a.title), el("td", {}, a.description), el("td", {}, a.outcome)))),
  },
};

/** Mounts the log viewers in `root`; returns a function to call with the changed topics. */
export function mountLogs(api, root) {
  let current = "requests";
  let filterText = "";
  const buttons = el("div", { class: "log-tabs", role: "tablist" });
  const filter = el("input", { type: "search", placeholder: "filter, e.g. COR_API_WRITE_LOG", "aria-label": "filter log" });
  const body = el("div", { class: "log-body" });
  const clear = el("button", { class: "small", onclick: () => api.clearLogs() }, "Clear logs");
  filter.addEventListener("input", () => { filterText = filter.value; draw(); });
  root.append(buttons, el("div", { class: "log-tools" }, filter, clear), body);

  function draw() {
    fill(buttons, Object.entries(VIEWS).map(([key, v]) => el("button", {
      role: "tab", class: key === current ? "selected" : "", dataset: { log: key },
      onclick: () => { current = key; draw(); },
    }, v.title)));
    filter.hidden = !VIEWS[current].filter;
    fill(body, VIEWS[current].render(api, filterText));
  }
  draw();
  return (topics) => { if (topics.has(VIEWS[current].topic)) draw(); };
}
