// The simulator page: builds the core, exposes window.connectsSimulator, hosts the integration tabs
// and renders b+s Connects' side (agent, phone, calls, alerts) plus settings, scenarios and logs.
// It plays the project's world (/simulator/world.json, see world.js); the tabs' requests wait for it.
// Query parameters: integration (page to embed, default /index.html), tabs (how many to open, 1),
// flavour (ucce|ccx|wxcc), wrapup (0/1), visible (0/1), envelope (0/1), answer (ms),
// settingsShape (pairs|Pairs|arrays|object|text: how getCustomSettings answers),
// customPage (a Dynamics page to frame that sends Custom Requests, see custom-requests.js),
// world (where the world comes from, default /simulator/world.json; empty: the defaults).
import { createSimulatorApi } from "./api.js";
import { Simulator } from "./core.js";
import { frameCustomPage, installCustomRequests } from "./custom-requests.js";
import { clock, el, fill } from "./dom.js";
import { AGENT_STATES } from "./flavours.js";
import { mountLogs } from "./panel-logs.js";
import { TabFrames } from "./panel-tabs.js";
import { REQUEST_NAMES } from "./requests.js";
import { WORLD_URL, fetchWorld } from "./world.js";

/** The panel's own elements by id (inputs, selects, buttons: read and set by their properties). */
const $ = /** @type {(id: string) => any} */ ((id) => document.getElementById(id));
const params = new URLSearchParams(location.search);
const flag = (name, dflt) => (params.has(name) ? !["0", "false", "no", "off"].includes(params.get(name)) : dflt);

function integrationUrl() {
  const wanted = params.get("integration") || "/index.html";
  const url = new URL(wanted, location.href);
  if (url.origin !== location.origin) {
    console.warn(`integration ${wanted} is not on this origin; using /index.html`);
    return "/index.html";
  }
  return url.pathname + url.search + url.hash;
}

// The page's query parameters win over the project's world (they are this page load's choice).
const options = { visible: flag("visible", false), envelope: flag("envelope", false) };
if (params.has("wrapup")) options.wrapupEnabled = flag("wrapup", true);
if (params.get("flavour")) options.flavour = params.get("flavour");
if (params.get("settingsShape")) options.settingsShape = params.get("settingsShape");
if (params.has("answer")) options.outboundAnswerMs = params.get("answer") === "" ? null : Number(params.get("answer"));

const sim = new Simulator({ options });
const worldPlayed = playWorld(params.has("world") ? params.get("world") : WORLD_URL);

/** Plays the project's world; what went wrong is said in the status line (the defaults stay). */
async function playWorld(url) {
  if (!url) return sim.worldInfo();
  try {
    const { flavour, wrapupEnabled, ...world } = await fetchWorld(url);
    if (!("flavour" in options) && flavour !== undefined) world.flavour = flavour;
    if (!("wrapupEnabled" in options) && wrapupEnabled !== undefined) world.wrapupEnabled = wrapupEnabled;
    return sim.playWorld(world, { opening: true });
  } catch (e) {
    console.error("the project's world is not played", e);
    say(`The project's world (${url}) is not played, the simulator uses its defaults: ${e.message}`, "error");
    return sim.worldInfo();
  }
}
let frames;
const api = createSimulatorApi(sim, { reloadTab: (n) => frames.reload(n), worldPlayed });
frames = new TabFrames(api, $("tab-strip"), $("frames"), integrationUrl());
sim.tabReg.resolveFrame = (win) => frames.tabOf(win);
window.connectsSimulator = api;

/** Shows a one-line message under the header (as text); kind "error" or "info". */
function say(text, kind = "info") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

/** Runs a panel action; shows its error (as text) instead of throwing. */
function act(label, fn) {
  say("");
  try {
    return fn();
  } catch (e) {
    say(`${label}: ${e.message}`, "error");
    return undefined;
  }
}

// ---- options ----
function renderOptions() {
  const o = api.options();
  $("opt-flavour").value = o.flavour;
  $("opt-wrapup").checked = o.wrapupEnabled;
  $("opt-visible").checked = o.visible;
  $("opt-envelope").checked = o.envelope;
  $("opt-answer").value = o.outboundAnswerMs ?? "";
}
$("options").addEventListener("submit", (e) => e.preventDefault());
$("opt-flavour").addEventListener("change", (e) => { act("flavour", () => api.configure({ flavour: e.target.value })); renderOptions(); renderAgent(); });
$("opt-wrapup").addEventListener("change", (e) => act("wrap-up", () => api.configure({ wrapupEnabled: e.target.checked })));
$("opt-visible").addEventListener("change", (e) => act("show", () => api.configure({ visible: e.target.checked })));
$("opt-envelope").addEventListener("change", (e) => act("envelope", () => api.configure({ envelope: e.target.checked })));
$("opt-answer").addEventListener("change", (e) => act("answer", () => api.configure({ outboundAnswerMs: e.target.value === "" ? null : Number(e.target.value) })));

// ---- agent ----
fill($("state-select"), AGENT_STATES.map((s) => el("option", { value: s }, s)));
$("state-select").value = "Ready";
function renderReasons() {
  const list = api.reasonCodes($("state-select").value);
  fill($("reason-select"), el("option", { value: "" }, list.length ? "(no reason)" : "—"), list.map((r) => el("option", { value: r.label }, r.label)));
  $("reason-select").disabled = !list.length;
}
$("state-select").addEventListener("change", renderReasons);
renderReasons();
function renderAgent() {
  const a = api.agent();
  fill($("agent-state"), el("strong", { class: `state state-${a.state}` }, a.state),
    a.reasonCodeLabel ? el("span", {}, ` (${a.reasonCodeLabel}, code ${a.reasonCode})`) : "",
    el("small", {}, ` since ${clock(a.stateChangeTime)} · ${api.channel().channel.id}`));
  $("login").disabled = a.state !== "Logout";
}
function renderProfile() {
  const { firstName, lastName, loginName, extension, teamId } = api.world().agent;
  $("agent-profile").textContent = `${firstName} ${lastName} (${loginName}) · extension ${extension} · team ${teamId}`;
}
$("login").addEventListener("click", () => act("log in", () => api.login()));
$("set-state").addEventListener("click", () => act("set state", () => {
  const state = $("state-select").value;
  api.setState(state, $("reason-select").value || undefined, { force: !["Ready", "NotReady", "Logout"].includes(state) });
}));

// ---- phone and calls ----
$("incoming").addEventListener("click", () => act("incoming call", () => {
  const cti = $("cti").value.trim();
  api.incomingCall({ from: $("caller").value.trim(), ctiData: cti ? JSON.parse(cti) : {} });
}));
$("dial").addEventListener("click", () => act("dial", () => {
  const r = api.agentDial($("dial-number").value.trim());
  say(r.blocked ? `Dial of ${$("dial-number").value.trim()} handed to the integration (beforeDial)` : `Dialing (call ${r.id})`);
}));

const CALL_BUTTONS = { Accept: "accept", Hold: "hold", Retrieve: "retrieve", HangUp: "hangUp", EndWrapup: "endWrapup", Transfer: "transfer", Conference: "conference" };
const BUTTON_LABELS = { accept: "Accept", hold: "Hold", retrieve: "Retrieve", hangUp: "Hang up", endWrapup: "End wrap-up", transfer: "Transfer", conference: "Conference" };
function renderCalls() {
  const calls = api.calls();
  fill($("calls"), calls.length ? calls.map((c) => {
    const actions = c.capabilities.map((cap) => CALL_BUTTONS[cap]).filter(Boolean);
    if (c.state === "Offered") actions.push("hangUp");
    return el("div", { class: `call call-${c.state}`, dataset: { call: c.id } },
      el("div", { class: "call-head" }, el("strong", {}, c.ani), el("span", { class: "badge" }, c.state)),
      el("div", { class: "muted" }, `${c.direction} · ${c.classification} · id ${c.id}`),
      el("div", { class: "muted" }, `${c.fromAddress} → ${c.toAddress}`, c.associatedParticipant ? ` · ${c.associatedParticipant.name}` : "",
        c.connectedAt ? ` · connected ${clock(c.connectedAt)}` : ""),
      Object.keys(c.ctiData).length ? el("div", { class: "mono muted" }, JSON.stringify(c.ctiData)) : "",
      el("div", { class: "row" }, actions.map((a) => el("button", { dataset: { action: a }, onclick: () => act(BUTTON_LABELS[a], () => api[a](c.id)) },
        c.state === "Offered" && a === "hangUp" ? "Caller hangs up" : BUTTON_LABELS[a]))));
  }) : el("p", { class: "muted" }, "No calls."));
}

// ---- alerts (showError, one at a time) and infos (showInfo, six seconds) ----
function renderAlerts() {
  const [alert, ...queued] = api.alerts;
  fill($("alert"), alert ? el("div", { class: "alert", role: "alertdialog", dataset: { alert: String(alert.id) } },
    el("strong", {}, alert.title || "Error"),
    el("p", {}, alert.description),
    el("div", { class: "row" },
      alert.confirmLabel !== null ? el("button", { class: "confirm", onclick: () => act("alert", () => api.confirmAlert()) }, alert.confirmLabel) : "",
      el("button", { class: "dismiss", onclick: () => act("alert", () => api.dismissAlert()) }, alert.dismissLabel ?? "Close"),
      el("small", { class: "muted" }, `tab ${alert.tab}${queued.length ? ` · ${queued.length} more queued` : ""}`))) : "");
  fill($("infos"), api.infos.map((i) => el("div", { class: "info", role: "status" }, i.description)));
}

// ---- settings ----
function renderSettings() {
  const values = api.settings();
  fill($("settings"), Object.entries(values).map(([k, v]) => el("label", {}, k,
    el("input", { name: k, value: v, onchange: (e) => act("settings", () => api.setSettings({ [k]: e.target.value })) }))));
}

// ---- scenario ----
fill($("fail-name"), REQUEST_NAMES.map((n) => el("option", { value: n }, n)));
$("fail").addEventListener("click", () => act("fail", () => {
  api.failNextRequest($("fail-name").value, $("fail-message").value || undefined);
  say(`The next ${$("fail-name").value} request will fail.`);
}));
$("export").addEventListener("click", () => {
  const blob = new Blob([JSON.stringify(api.recording(), null, 2)], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `connects-scenario-${Date.now()}.json` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});
$("restart-recording").addEventListener("click", () => { api.startRecording(); say("Recording restarted."); });
$("scenario-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  try {
    const report = await api.play(JSON.parse(await file.text()));
    say(`Played ${report.steps} steps${report.errors.length ? `; ${report.errors.length} failed: ${report.errors.map((x) => `${x.action}: ${x.message}`).join("; ")}` : ""}.`,
      report.errors.length ? "error" : "info");
  } catch (err) {
    say(`scenario: ${err.message}`, "error");
  }
  e.target.value = "";
});

// ---- Custom Requests (integrationapi / CIClickToAct on this top window) ----
installCustomRequests(window, sim, { report: (text) => say(text, "error") });
if (params.get("customPage")) frameCustomPage(document.querySelector("section.integration"), params.get("customPage"));

// ---- wiring ----
const redrawLogs = mountLogs(api, $("logs"));
api.on((topics) => {
  if (topics.has("tabs") || topics.has("options")) frames.sync();
  if (topics.has("options")) renderOptions();
  if (topics.has("events") || topics.has("agent") || topics.has("calls")) { renderAgent(); renderCalls(); }
  if (topics.has("world")) { renderProfile(); renderReasons(); }
  if (topics.has("alerts")) renderAlerts();
  if (topics.has("settings") && !$("settings").contains(document.activeElement)) renderSettings();
  redrawLogs(topics);
});
renderOptions();
renderAgent();
renderProfile();
renderCalls();
renderAlerts();
renderSettings();
const initialTabs = Math.max(0, Math.min(8, Number(params.get("tabs") ?? 1) || 0));
for (let i = 0; i < initialTabs; i++) api.openTab();
api.startRecording();
