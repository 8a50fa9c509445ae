// The customer's world the simulator plays: the contact centre (flavour), the voice channel's id,
// the agent's profile, the reason codes per type, the agent's initial state, wrap-up and settings
// 1-5. It comes from the project's bsconnects.toml ([simulator], served as /simulator/world.json)
// and from connectsSimulator.setWorld() and its siblings at run time. What a world leaves out keeps
// the flavour's defaults, so an empty world is the simulator as it always was.
import { AGENT, REASON_TYPES, flavourOf } from "./flavours.js";

export const WORLD_URL = "/simulator/world.json";
export const SETTING_KEYS = ["setting1", "setting2", "setting3", "setting4", "setting5"];
export const AGENT_FIELDS = Object.keys(AGENT);
export const INITIAL_STATES = ["Logout", "Ready", "NotReady"];
const WORLD_KEYS = ["flavour", "channelId", "wrapupEnabled", "initialState", "agent", "reasonCodes", "settings"];
const CHANNEL_ID = /^(voice_-?\d+|telephony)$/;

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

function unknownKeys(value, allowed, where) {
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new Error(`${where}: unknown key ${unknown.join(", ")} (use ${allowed.join(", ")})`);
}

function text(value, where) {
  if (typeof value !== "string") throw new Error(`${where} must be a string, got ${JSON.stringify(value) ?? "nothing"}`);
  return value;
}

/** Checks a list of reason codes [{id, label}] (ids and labels distinct) and returns a clean copy. */
export function checkReasonCodes(type, list, where = `reasonCodes.${type}`) {
  if (!REASON_TYPES.includes(type)) throw new Error(`${where}: unknown reason type "${type}" (use ${REASON_TYPES.join(", ")})`);
  if (!Array.isArray(list)) throw new Error(`${where} must be a list of {id, label}`);
  const codes = list.map((code, i) => {
    if (!isObject(code)) throw new Error(`${where}[${i}] must be {id, label}`);
    unknownKeys(code, ["id", "label"], `${where}[${i}]`);
    const { id, label } = code;
    if (!(Number.isInteger(id) || (typeof id === "string" && id.trim()))) {
      throw new Error(`${where}[${i}].id must be a whole number (UCCE, CCX) or a non-empty string (WxCC), got ${JSON.stringify(id)}`);
    }
    if (typeof label !== "string" || !label.trim()) throw new Error(`${where}[${i}].label must be a non-empty string`);
    return { id: typeof id === "string" ? id.trim() : id, label: label.trim() };
  });
  const keysOf = { id: (c) => String(c.id), label: (c) => c.label.toLowerCase() };
  for (const [what, keyOf] of Object.entries(keysOf)) {
    const keys = codes.map(keyOf);
    const twice = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
    if (twice.length) throw new Error(`${where}: the ${what} ${twice.join(", ")} is given more than once`);
  }
  return codes;
}

/** Checks an agent profile (any of getChannel's agent fields, all strings). */
export function checkAgent(agent, where = "agent") {
  if (!isObject(agent)) throw new Error(`${where} must be an object with any of ${AGENT_FIELDS.join(", ")}`);
  unknownKeys(agent, AGENT_FIELDS, where);
  return Object.fromEntries(Object.entries(agent).map(([k, v]) => [k, text(v, `${where}.${k}`)]));
}

/** Checks a channel id: the contract's voice_<peripheral id>, voice_-1 (CCX) or telephony (WxCC). */
export function checkChannelId(id, where = "channelId") {
  if (typeof id !== "string" || !CHANNEL_ID.test(id)) {
    throw new Error(`${where}: ${JSON.stringify(id)} is not a voice channel id (use voice_<peripheral id>, voice_-1 or telephony)`);
  }
  return id;
}

/** Checks an initial state {state, reasonLabel?}: Logout, Ready or NotReady. */
export function checkInitialState(initial, where = "initialState") {
  if (!isObject(initial)) throw new Error(`${where} must be {state, reasonLabel}`);
  unknownKeys(initial, ["state", "reasonLabel"], where);
  if (!INITIAL_STATES.includes(initial.state)) {
    throw new Error(`${where}.state: ${JSON.stringify(initial.state)} is not one of ${INITIAL_STATES.join(", ")}`);
  }
  const reasonLabel = initial.reasonLabel == null ? "" : text(initial.reasonLabel, `${where}.reasonLabel`).trim();
  if (reasonLabel && initial.state === "Ready") throw new Error(`${where}: Ready takes no reason`);
  return { state: initial.state, reasonLabel };
}

/** Checks settings {setting1..5: string}; the ones left out are empty. */
export function checkSettings(settings, where = "settings") {
  if (!isObject(settings)) throw new Error(`${where} must be an object with any of ${SETTING_KEYS.join(", ")}`);
  unknownKeys(settings, SETTING_KEYS, where);
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, k in settings ? text(settings[k], `${where}.${k}`) : ""]));
}

/**
 * Checks a whole (or partial) world and returns a clean copy; throws an Error naming the key.
 * Nothing is applied here, so a bad world changes nothing.
 */
export function checkWorld(world) {
  if (!isObject(world)) throw new Error(`a world is an object with any of ${WORLD_KEYS.join(", ")}`);
  unknownKeys(world, WORLD_KEYS, "world");
  const out = {};
  if (world.flavour !== undefined) { flavourOf(world.flavour); out.flavour = String(world.flavour).toLowerCase(); }
  if (world.channelId !== undefined) out.channelId = checkChannelId(world.channelId);
  if (world.wrapupEnabled !== undefined) {
    if (typeof world.wrapupEnabled !== "boolean") throw new Error("wrapupEnabled must be true or false");
    out.wrapupEnabled = world.wrapupEnabled;
  }
  if (world.agent !== undefined) out.agent = checkAgent(world.agent);
  if (world.reasonCodes !== undefined) {
    if (!isObject(world.reasonCodes)) throw new Error(`reasonCodes must be an object with any of ${REASON_TYPES.join(", ")}`);
    out.reasonCodes = Object.fromEntries(Object.entries(world.reasonCodes).map(([t, list]) => [t, checkReasonCodes(t, list)]));
  }
  if (world.settings !== undefined) out.settings = checkSettings(world.settings);
  if (world.initialState !== undefined) out.initialState = checkInitialState(world.initialState);
  return out;
}

/** The flavour as played: its channel id and reason codes, replaced by the world's where it has them. */
export function playedFlavour(flavourKey, world) {
  const base = flavourOf(flavourKey);
  return { ...base, channelId: world.channelId ?? base.channelId, reasons: { ...base.reasons, ...world.reasonCodes } };
}

/**
 * Fetches the project's world (GET /simulator/world.json). No such file (a plain static server)
 * is the empty world; a project whose config is broken answers {error} and the page says why.
 */
export async function fetchWorld(url = WORLD_URL) {
  const response = await fetch(url, { cache: "no-store" });
  if (response.status === 404) return {};
  const body = await response.json().catch(() => null);
  if (!response.ok || !isObject(body)) throw new Error(body?.error ?? `${url}: HTTP ${response.status}`);
  return body;
}
