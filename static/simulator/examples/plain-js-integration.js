// A minimal custom integration in plain JavaScript: it takes over the agent's dials (beforeDial →
// dialOrConsult with the original number) and records what it receives. Tests read window.received
// and call requests through window.cilCall; it is also the benchmark's plain-JS floor.
// Query options: ?beforeDial=0 (do not subscribe beforeDial), ?style=class (new ConnectsIntegrationLibrary()),
// ?fail=1 (mark the page failed instead of ready).
(function () {
  const params = new URLSearchParams(location.search);
  const cil = params.get("style") === "class" ? new ConnectsIntegrationLibrary() : ConnectsIntegrationLibrary;
  const received = (window.received = []);
  window.callbacks = [];
  const list = document.getElementById("events");
  const count = document.getElementById("count");

  function note(name, data) {
    received.push({ name, data, at: Date.now() });
    count.textContent = String(received.length);
    const line = document.createElement("div");
    const detail = data.state ?? data.newState ?? data.message ?? data.dialedNumber ?? "";
    line.textContent = `${new Date().toLocaleTimeString()} ${name} ${detail}${data.requestId ? ` (requestId ${data.requestId})` : ""}`;
    line.title = JSON.stringify(data);
    list.prepend(line);
  }

  /** Calls any request; resolves to {ok, value} or {ok: false, error} so tests can inspect both. */
  window.cilCall = (name, ...args) =>
    Promise.resolve()
      .then(() => cil[name](...args))
      .then((value) => ({ ok: true, value: value === undefined ? null : value }), (e) => ({ ok: false, error: String(e && e.message || e) }));

  /** showError with callbacks that record their clicks in window.callbacks. */
  window.showErrorWithCallbacks = (description, title, confirmLabel, dismissLabel, dismissHasCallback = true) =>
    window.cilCall("showError", description, title,
      confirmLabel ? { label: confirmLabel, callback: () => window.callbacks.push(`confirm:${description}`) } : undefined,
      dismissLabel ? { label: dismissLabel, callback: dismissHasCallback ? () => window.callbacks.push(`dismiss:${description}`) : undefined } : undefined);

  cil.initIntegration(() => {
    for (const name of ["AgentStateChange", "Error", "WorkitemConnect", "WorkitemCreate", "WorkitemEnd",
      "WorkitemPause", "WorkitemResume", "WorkitemWrapup"]) {
      cil["on" + name]((data) => note(name.charAt(0).toLowerCase() + name.slice(1), data));
    }
    if (params.get("beforeDial") !== "0") {
      cil.onBeforeDial((data) => {
        note("beforeDial", data);
        cil.dialOrConsult("voice", data.dialedNumber, data.requestId);
      });
    }
    cil.isPrimaryTab().then((p) => { document.getElementById("primary").textContent = String(p); });
    // ?fail=1 plays an integration whose start-up failed (tests of whenTabsReady).
    document.documentElement.dataset.integration = params.get("fail") === "1" ? "failed" : "ready";
  });
})();
