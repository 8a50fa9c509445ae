// The ten Integration API requests: argument checks, what each does and how it fails. A malformed
// call (wrong types, missing arguments, unknown channel where a value is returned) rejects and
// raises the error event; dialOrConsult and setAgentState report their failures only through the
// error event (with the request's requestId) and resolve, like the vendor library.
import { REQUESTS as CONTRACT_REQUESTS } from "../shim/contract.js";
import { SimError, requestAgentState } from "./agent.js";
import { addAlert, addInfo } from "./alerts.js";
import { REASON_TYPES, settingsShapeOf } from "./flavours.js";

/** A malformed request: the promise rejects (and the error event is raised). */
class BadRequest extends Error {}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string" ? `"${v}"` : `${typeof v === "object" ? "an object" : typeof v}${typeof v === "number" ? ` ${v}` : ""}`;
}

function str(v, what, { nonEmpty = false } = {}) {
  if (typeof v !== "string") throw new BadRequest(`${what} must be a string, got ${v === undefined ? "nothing" : describe(v)}`);
  if (nonEmpty && !v.trim()) throw new BadRequest(`${what} must not be empty`);
  return v;
}

function optional(v, what, types) {
  if (v === undefined || v === null || types.includes(typeof v)) return v;
  throw new BadRequest(`${what} must be ${types.join(" or ")} (or left out), got ${describe(v)}`);
}

function channel(sim, channelId, Err) {
  str(channelId, "channelId");
  if (!sim.channelMatches(channelId)) {
    throw new Err(`unknown channel "${channelId}" (this agent has "${sim.flavour.channelId}"; "voice" also works)`);
  }
}

function action(v, what) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new BadRequest(`${what} must be {label, callback}, got ${describe(v)}`);
  str(v.label, `${what}.label`);
  optional(v.callback, `${what}.callback`, ["function"]);
  return { label: v.label, callback: v.callback ?? undefined };
}

/** name → {requestIdArg, byEvent, run(sim, tab, args)}. */
const REQUESTS = {
  createSession: {
    run(sim, tab, [templateName, templateParameters]) {
      str(templateName, "templateName", { nonEmpty: true });
      optional(templateParameters, "templateParameters", ["object"]);
      if (Array.isArray(templateParameters)) throw new BadRequest("templateParameters must be an object, got an array");
      sim.sessions.push({ time: new Date().toISOString(), tab, templateName, templateParameters: JSON.parse(JSON.stringify(templateParameters ?? {})) });
      sim.changed("sessions");
    },
  },
  dialOrConsult: {
    requestIdArg: 2,
    byEvent: true,
    run(sim, _tab, [channelId, address, requestId]) {
      str(channelId, "channelId");
      str(address, "address");
      optional(requestId, "requestId", ["string", "number"]);
      channel(sim, channelId, SimError);
      sim.dial(address, { requestId: requestId ?? "" });
    },
  },
  getChannel: {
    run(sim, _tab, [channelId]) {
      channel(sim, channelId, BadRequest);
      return sim.channelInfo();
    },
  },
  getCustomSettings: {
    run(sim) {
      return settingsShapeOf(sim.options.settingsShape)(sim.settings());
    },
  },
  getReasonCodeList: {
    run(sim, _tab, [channelId, reasonType]) {
      channel(sim, channelId, BadRequest);
      str(reasonType, "reasonType");
      if (!REASON_TYPES.includes(reasonType)) throw new BadRequest(`unknown reasonType "${reasonType}" (use ${REASON_TYPES.join(", ")})`);
      return sim.flavour.reasons[reasonType].map((r) => ({ id: r.id, label: r.label }));
    },
  },
  isPrimaryTab: {
    run(sim, tab) {
      return sim.tabReg.primary() === tab;
    },
  },
  setAgentState: {
    requestIdArg: 3,
    byEvent: true,
    run(sim, _tab, [channelId, state, reasonCode, requestId]) {
      str(channelId, "channelId");
      str(state, "state");
      optional(reasonCode, "reasonCode", ["string", "number"]);
      optional(requestId, "requestId", ["string", "number"]);
      channel(sim, channelId, SimError);
      requestAgentState(sim, state, reasonCode, { requestId: requestId ?? "" });
      sim.changed("agent");
    },
  },
  showError: {
    run(sim, tab, [description, title, confirmAction, dismissAction]) {
      str(description, "description");
      optional(title, "title", ["string"]);
      addAlert(sim, tab, description, title, action(confirmAction, "confirmAction"), action(dismissAction, "dismissAction"));
    },
  },
  showInfo: {
    run(sim, tab, [description]) {
      str(description, "description");
      if (description.length > 60) {
        throw new BadRequest(`the description is ${description.length} characters long; at most 60 are allowed`);
      }
      addInfo(sim, tab, description);
    },
  },
  writeLog: {
    run(sim, tab, [logMessage, logLevel]) {
      str(logMessage, "logMessage");
      optional(logLevel, "logLevel", ["string"]);
      sim.push(sim.writeLogs, { time: new Date().toISOString(), tab, tag: "COR_API_WRITE_LOG", level: logLevel ?? "Debug", message: logMessage }, "writeLogs");
    },
  },
};

/** The request names, in the contract's order (integration/sdk/_contract.py, via contract.js). */
export const REQUEST_NAMES = CONTRACT_REQUESTS;
/** The requests this simulator implements (a test keeps them the contract's). */
export const HANDLED_REQUESTS = Object.freeze(Object.keys(REQUESTS));

/**
 * Runs one request from tab `tab`. Resolves to the value (or, with the envelope option, to
 * {success, response, error}); rejects for malformed requests. Every request is logged.
 */
export async function handleRequest(sim, tab, name, rawArgs) {
  const args = Array.isArray(rawArgs) ? [...rawArgs] : [];
  const spec = REQUESTS[name];
  const rid = spec?.requestIdArg !== undefined ? args[spec.requestIdArg] : undefined;
  const requestId = typeof rid === "string" || typeof rid === "number" ? rid : "";
  const entry = { time: new Date().toISOString(), tab, name, args: logArgs(args), requestId, outcome: "ok" };
  sim.push(sim.requestLog, entry, "requests");
  const envelope = sim.options.envelope;
  try {
    if (!spec) throw new BadRequest(`unknown request "${name}"`);
    const injected = sim.failures.get(name)?.shift();
    if (injected !== undefined) throw new (spec.byEvent ? SimError : BadRequest)(injected);
    const value = spec.run(sim, tab, args);
    return envelope ? { success: true, response: value ?? null, error: null } : value;
  } catch (e) {
    const message = `${name}: ${e?.message ?? e}`;
    entry.outcome = `error: ${message}`;
    sim.changed("requests");
    sim.raiseError(message, requestId, tab);
    if (!(e instanceof SimError) && !(e instanceof BadRequest)) console.error("simulator bug while handling", name, e);
    if (envelope) return { success: false, response: null, error: message };
    if (e instanceof SimError) return undefined;
    throw new Error(message, { cause: e });
  }
}

function logArgs(args) {
  try {
    return JSON.parse(JSON.stringify(args, (_k, v) => (typeof v === "function" ? "[function]" : v === undefined ? null : v)));
  } catch {
    return args.map((a) => String(a));
  }
}
