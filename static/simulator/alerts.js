// Alerts (showError) and infos (showInfo) of the integrations' tabs: the queue the panel shows,
// the buttons' callbacks, and the alert history with what became of each. Functions take the
// Simulator, as agent.js's do.

/** Queues an alert of `tab` (the first one queued is the one on screen). */
export function addAlert(sim, tab, description, title, confirm, dismiss) {
  const alert = { id: sim.nextAlertId++, tab, description, title: title ?? "", confirm, dismiss, time: new Date().toISOString() };
  sim.alerts.push(alert);
  logAlert(sim, alert, "error", "queued");
  sim.changed("alerts");
}

/** Alerts waiting to be shown, first one on screen (labels only; callbacks stay inside). */
export function alertList(sim) {
  return sim.alerts.map((a) => ({
    id: a.id, tab: a.tab, title: a.title, description: a.description, time: a.time,
    confirmLabel: a.confirm?.label ?? null, dismissLabel: a.dismiss?.label ?? null,
  }));
}

/** Clicks the shown alert's button ("confirm" or "dismiss"); its callback runs in the tab. */
export function alertAction(sim, which) {
  sim.record("alertAction", { which });
  const alert = sim.alerts.shift();
  if (!alert) throw new Error("no alert is shown");
  sim.changed("alerts");
  setAlertOutcome(sim, alert.id, which === "confirm" ? "confirmed" : "dismissed");
  const action = which === "confirm" ? alert.confirm : alert.dismiss;
  if (typeof action?.callback === "function") {
    try { action.callback(); } catch (e) { console.warn(`alert callback of tab ${alert.tab} failed`, e); }
  }
}

/** Drops the alerts of a tab that reloaded or closed (nobody is left to run their callbacks). */
export function dropAlertsOf(sim, tab) {
  const before = sim.alerts.length;
  for (const a of sim.alerts) if (a.tab === tab) setAlertOutcome(sim, a.id, "dropped (tab reloaded or closed)");
  sim.alerts = sim.alerts.filter((a) => a.tab !== tab);
  if (sim.alerts.length !== before) sim.changed("alerts");
}

/** Shows an info of `tab` for 6 s, as b+s Connects does. */
export function addInfo(sim, tab, description) {
  const info = { id: sim.nextAlertId++, tab, description, time: new Date().toISOString() };
  sim.infos.push(info);
  logAlert(sim, info, "info", "shown");
  sim.changed("alerts");
  setTimeout(() => {
    sim.infos = sim.infos.filter((i) => i !== info);
    setAlertOutcome(sim, info.id, "disappeared after 6 s");
    sim.changed("alerts");
  }, 6000);
}

/** The alert history (showError and showInfo), with what became of each. */
function logAlert(sim, alert, kind, outcome) {
  const { id, time, tab, title, description } = alert;
  sim.push(sim.alertLog, { id, time, tab, kind, title: title ?? "", description, outcome }, "alerts");
}

function setAlertOutcome(sim, id, outcome) {
  const entry = sim.alertLog.find((e) => e.id === id);
  if (entry) entry.outcome = outcome;
}
