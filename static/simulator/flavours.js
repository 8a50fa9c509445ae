// Static data of the simulated contact centre: the three b+s Connects flavours (their voice channel
// ids and reason codes), the logged-in agent's profile and a tiny fake CRM for participant lookups.
// Kept apart from the state machine so a test or a scenario can read what "valid" means.

/** API version reported in every event (the vendor's field `version`). */
export const API_VERSION = "1.0";

/** Every agent state of the contract, in its documented order. */
export const AGENT_STATES = ["Logout", "Offline", "Ready", "NotReady", "Active", "Wrapup", "Unknown"];

/** Reason types getReasonCodeList accepts. */
export const REASON_TYPES = ["Logout", "NotReady", "Wrapup"];

/** Work item classifications and states of the contract. */
export const CLASSIFICATIONS = ["Customer", "Consultation", "Conference", "Transfer", "Internal", "Unknown"];
export const WORKITEM_STATES = [
  "Unknown", "Initiated", "Offered", "Active", "Paused", "Wrapup",
  "Ended", "EndedAbandoned", "EndedTransferred", "EndedUnknown",
];

// UCCE and CCX report numeric reason codes (Finesse); WxCC idle/wrap-up codes are string ids.
const NUMERIC_REASONS = {
  Logout: [{ id: 10, label: "End of shift" }, { id: 11, label: "Sick" }],
  NotReady: [
    { id: 1, label: "Break" }, { id: 2, label: "Lunch" },
    { id: 3, label: "Meeting" }, { id: 4, label: "Training" },
  ],
  Wrapup: [{ id: 30, label: "Sale" }, { id: 31, label: "Complaint" }, { id: 32, label: "Information" }],
};
const STRING_REASONS = {
  Logout: [{ id: "aux-logout-shift", label: "End of shift" }, { id: "aux-logout-sick", label: "Sick" }],
  NotReady: [
    { id: "aux-break", label: "Break" }, { id: "aux-lunch", label: "Lunch" },
    { id: "aux-meeting", label: "Meeting" }, { id: "aux-training", label: "Training" },
  ],
  Wrapup: [
    { id: "wrap-sale", label: "Sale" }, { id: "wrap-complaint", label: "Complaint" },
    { id: "wrap-info", label: "Information" },
  ],
};

/** The selectable flavours: the channel id each one reports and its reason code lists. */
export const FLAVOURS = {
  ucce: { name: "UCCE", channelId: "voice_5000", reasons: NUMERIC_REASONS },
  ccx: { name: "CCX", channelId: "voice_-1", reasons: NUMERIC_REASONS },
  wxcc: { name: "WxCC", channelId: "telephony", reasons: STRING_REASONS },
};

/** The simulated agent (getChannel's agent fields; agentId is a Common Identity style id). */
export const AGENT = {
  agentId: "7d3c1f0e-5b2a-4c8e-9f61-2a4b8c0d1e23",
  firstName: "Alex",
  lastName: "Agent",
  loginName: "aagent",
  extension: "1001",
  teamId: "team-42",
  activeDeviceId: "SEP001122334455",
};

/** A few CRM contacts so participant lookups find something for well-known numbers. */
export const CRM_CONTACTS = [
  { phone: "+41441234567", record: { id: "c0a80101-0000-4000-8000-000000000001", name: "Jane Doe", recordType: "contact" } },
  { phone: "+41449876543", record: { id: "c0a80101-0000-4000-8000-000000000002", name: "John Roe", recordType: "contact" } },
  { phone: "+41449876543", record: { id: "c0a80101-0000-4000-8000-000000000003", name: "Roe Ltd", recordType: "account" } },
];

/**
 * The shapes getCustomSettings answers in (option `settingsShape`), from the settings object
 * {setting1: "…", …}. The contract says "an array containing key/value pairs" under the column
 * titles Key and Value, so libraries differ; `text` is a shape no integration can read, to see
 * that it is reported rather than read as five empty settings.
 */
export const SETTINGS_SHAPES = {
  pairs: (settings) => Object.entries(settings).map(([key, value]) => ({ key, value })),
  Pairs: (settings) => Object.entries(settings).map(([key, value]) => ({ Key: key[0].toUpperCase() + key.slice(1), Value: value })),
  arrays: (settings) => Object.entries(settings).map(([key, value]) => [key, value]),
  object: (settings) => ({ ...settings }),
  text: (settings) => Object.entries(settings).map(([key, value]) => `${key}=${value}`).join("\n"),
};

/** Returns the settings shape for a key, or throws naming the valid keys. */
export function settingsShapeOf(key) {
  const shape = Object.hasOwn(SETTINGS_SHAPES, key) ? SETTINGS_SHAPES[key] : null;
  if (!shape) throw new Error(`unknown settings shape "${key}" (use ${Object.keys(SETTINGS_SHAPES).join(", ")})`);
  return shape;
}

/** Returns the flavour definition for a key, or throws naming the valid keys. */
export function flavourOf(key) {
  const flavour = FLAVOURS[String(key).toLowerCase()];
  if (!flavour) throw new Error(`unknown flavour "${key}" (use ${Object.keys(FLAVOURS).join(", ")})`);
  return flavour;
}

/** Participant lookup: the CRM records whose phone number matches the address (digits only). */
export function lookupParticipants(address) {
  const digits = String(address ?? "").replace(/\D/g, "");
  if (!digits) return [];
  return CRM_CONTACTS.filter((c) => {
    const d = c.phone.replace(/\D/g, "");
    return d === digits || (digits.length >= 7 && d.endsWith(digits.replace(/^0+/, "")));
  }).map((c) => ({ ...c.record }));
}
