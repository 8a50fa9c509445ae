// The work item (call) model and its wire form. One function builds every payload so all seven
// workitem events and getChannel's `workitems` carry the same complete set of fields.
import { API_VERSION } from "./flavours.js";

let nextCallNumber = 16777217; // Finesse-like numeric dialog ids

/** Allocates a call id, or accepts an explicit one (replayed scenarios) and keeps ids unique. */
export function allocateCallId(explicit) {
  if (explicit !== undefined && explicit !== null && explicit !== "") {
    const n = Number(explicit);
    if (Number.isInteger(n) && n >= nextCallNumber) nextCallNumber = n + 1;
    return String(explicit);
  }
  return String(nextCallNumber++);
}

/** A random GUID for CRM activity (phonecall) records. */
export function guid() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => ((Math.random() * 16) | 0).toString(16));
}

/** Creates the in-memory call; `fields` are already validated by the caller. */
export function newCall(fields) {
  return {
    id: allocateCallId(fields.id),
    direction: fields.direction,
    classification: fields.classification ?? "Customer",
    state: fields.state,
    fromAddress: fields.fromAddress,
    toAddress: fields.toAddress,
    participants: fields.participants ?? [{ address: fields.direction === "Outgoing" ? fields.toAddress : fields.fromAddress }],
    ctiData: fields.ctiData ?? {},
    associatedParticipant: fields.associatedParticipant,
    participantLookupResult: fields.participantLookupResult ?? [],
    activity: undefined,
    connectedAt: null,
    requestId: fields.requestId ?? "",
    consultOf: fields.consultOf ?? null,
    createdAt: new Date().toISOString(),
  };
}

/** The contract's ani rule: one participant and Outgoing → toAddress, otherwise fromAddress. */
export function aniOf(call) {
  return call.participants.length === 1 && call.direction === "Outgoing" ? call.toAddress : call.fromAddress;
}

/** Actions the agent can carry out on the call right now (the `capabilities` field). */
export function capabilitiesOf(call, allCalls) {
  const hasConsult = allCalls.some((c) => c.consultOf === call.id && isLive(c));
  switch (call.state) {
    case "Offered": return ["Accept"];
    case "Initiated": return ["HangUp"];
    case "Active": {
      const caps = ["Hold", "HangUp"];
      if (call.classification === "Consultation") caps.push("Transfer", "Conference");
      else if (!hasConsult) caps.push("Consult");
      return caps;
    }
    case "Paused": return hasConsult ? ["Retrieve"] : ["Retrieve", "HangUp"];
    case "Wrapup": return ["EndWrapup"];
    default: return [];
  }
}

/** True while the call is on the phone (not in wrap-up nor ended). */
export function isLive(call) {
  return ["Initiated", "Offered", "Active", "Paused"].includes(call.state);
}

/** True once the call has one of the Ended* states. */
export function isEnded(call) {
  return call.state.startsWith("Ended");
}

/** The Workitem data reference: every field, plus top-level fromAddress/toAddress. */
export function workitemPayload(call, { event, requestId, channelId, agentId, allCalls }) {
  const associations = call.activity ? [{ id: call.activity.id, name: call.activity.name, recordType: "phonecall" }] : [];
  return {
    event,
    version: API_VERSION,
    requestId: requestId ?? "",
    activity: call.activity ? { id: call.activity.id, recordType: "phonecall" } : undefined,
    agentId,
    ani: aniOf(call),
    associatedParticipant: call.associatedParticipant ? { ...call.associatedParticipant } : undefined,
    associations,
    capabilities: capabilitiesOf(call, allCalls),
    channelId,
    channelType: "Voice",
    classification: call.classification,
    connectedAt: call.connectedAt,
    ctiData: { ...call.ctiData },
    direction: call.direction,
    id: call.id,
    participants: call.participants.map((p) => ({ address: p.address })),
    participantLookupResult: call.participantLookupResult.map((r) => ({ ...r })),
    state: call.state,
    fromAddress: call.fromAddress,
    toAddress: call.toAddress,
  };
}
