/*
 * Stub of the b+s Connects Integration Library (cnx_connectsIntegrationLibrary.min.js) for the
 * simulator. A classic script, like the vendor's: it defines window.ConnectsIntegrationLibrary,
 * usable as an object (ConnectsIntegrationLibrary.initIntegration(cb)) and as a class
 * (new ConnectsIntegrationLibrary().initIntegration(cb)). It connects to the simulator of the host
 * page (a parent window with window.connectsSimulator) as one browser tab; opened on its own it
 * starts an in-page simulator so the integration page still works.
 */
(function () {
  "use strict";
  if (window.ConnectsIntegrationLibrary) return;

  // <contract> written by `python -m tools.contract` from integration/sdk/_contract.py: do not edit
  var EVENTS = [
    "agentStateChange", "beforeDial", "error", "workitemConnect", "workitemCreate", "workitemEnd",
    "workitemPause", "workitemResume", "workitemWrapup",
  ];
  var REQUESTS = [
    "createSession", "dialOrConsult", "getChannel", "getCustomSettings", "getReasonCodeList", "isPrimaryTab",
    "setAgentState", "showError", "showInfo", "writeLog",
  ];
  // </contract>
  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var scriptSrc = (script && script.src) || location.href;
  var handlers = {};
  EVENTS.forEach(function (e) { handlers[e] = []; });
  var conn = null;
  var connecting = null;

  // Payloads are copied into this page's realm, as the vendor's postMessage would (and so that
  // Array.isArray/instanceof and JSON work as usual in the integration).
  function clone(v) { return v === undefined ? undefined : structuredClone(v); }

  function findHost() {
    var w = /** @type {Window} */ (window);
    while (w !== w.parent) {
      try {
        var sim = w.parent.connectsSimulator;
        if (sim && typeof sim._connect === "function") return { sim: sim, frame: w };
      } catch {
        return null; // a cross-origin parent: no simulator up there
      }
      w = w.parent;
    }
    return null;
  }

  var endpoint = {
    deliver: function (name, payload) {
      var data = clone(payload);
      setTimeout(function () {
        (handlers[name] || []).slice().forEach(function (h) {
          try { h(clone(data)); } catch (e) { console.error("[b+s Connects stub] " + name + " handler failed", e); }
        });
      }, 0);
    },
  };

  function coreUrl(file) {
    var base = scriptSrc.indexOf("/static/simulator/") >= 0 ? scriptSrc : new URL("/static/simulator/", scriptSrc).href;
    return new URL(file, base).href;
  }

  function attached(c) {
    conn = c;
    EVENTS.forEach(function (e) { if (handlers[e].length) conn.subscribe(e, handlers[e].length); });
    var root = document.documentElement;
    var mark = function () { if (conn) conn.setMarker(root.dataset.integration || ""); };
    new MutationObserver(mark).observe(root, { attributes: true, attributeFilter: ["data-integration"] });
    mark();
    window.addEventListener("pagehide", function () { if (conn) conn.close(); conn = null; });
    return conn;
  }

  function connect() {
    if (connecting) return connecting;
    var found = findHost();
    if (found) {
      try {
        connecting = Promise.resolve(attached(found.sim._connect(found.frame, endpoint)));
        return connecting;
      } catch (e) {
        console.warn("[b+s Connects stub] the host simulator refused this page (" + e.message + ")");
      }
    }
    console.info("[b+s Connects stub] no b+s Connects simulator host: starting an in-page simulator " +
      "(drive it with window.connectsSimulator)");
    connecting = import(coreUrl("api.js")).then(function (mod) {
      var api = mod.createStandaloneSimulator(window);
      if (!window.connectsSimulator) window.connectsSimulator = api;
      return attached(api._connect(window, endpoint));
    });
    connecting.catch(function (e) { console.error("[b+s Connects stub] could not start the simulator", e); });
    return connecting;
  }

  function request(name, args) {
    return new Promise(function (resolve, reject) {
      connect()
        .then(function (c) { return c.request(name, args); })
        .then(function (v) { resolve(clone(v)); }, function (e) { reject(new Error(String((e && e.message) || e))); });
    });
  }

  var lib = {
    /** Runs `callback` once, asynchronously, when connected to b+s Connects (the simulator). */
    initIntegration: function (callback) {
      return connect().then(function (c) {
        if (typeof callback === "function") {
          try { callback(); } catch (e) { console.error("[b+s Connects stub] initIntegration callback failed", e); }
        }
        c.initialized();
      });
    },
  };
  EVENTS.forEach(function (e) {
    lib["on" + e.charAt(0).toUpperCase() + e.slice(1)] = function (handler) {
      if (typeof handler !== "function") throw new TypeError("on" + e + ": the handler must be a function");
      handlers[e].push(handler);
      if (conn) conn.subscribe(e, handlers[e].length);
    };
  });
  REQUESTS.forEach(function (name) {
    lib[name] = function () { return request(name, Array.prototype.slice.call(arguments)); };
  });

  function ConnectsIntegrationLibrary() { return lib; }
  Object.keys(lib).forEach(function (k) { ConnectsIntegrationLibrary[k] = lib[k]; });
  window.ConnectsIntegrationLibrary = ConnectsIntegrationLibrary;
  connect();
})();
