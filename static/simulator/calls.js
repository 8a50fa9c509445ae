// Call (work item) actions: what the phone and the agent do to calls, and the workitem events each
// step raises. Events are only raised while the agent is logged in; logging in replays the calls
// still on the phone as workitemCreate (call recovery).
import { SimError, syncAgentState } from "./agent.js";
import { guid, isLive, newCall } from "./workitem.js";
import { lookupParticipants } from "./flavours.js";

/** Finds a call by id or throws a SimError naming the known ids. */
export function findCall(sim, id) {
  const call = sim.calls.find((c) => c.id === String(id));
  if (!call) throw new SimError(`no call with id "${id}" (calls: ${sim.calls.map((c) => c.id).join(", ") || "none"})`);
  return call;
}

function expectState(call, states, action) {
  if (!states.includes(call.state)) {
    throw new SimError(`cannot ${action} call ${call.id} in state ${call.state}`);
  }
}

/** A call from outside rings the agent's phone (workitemCreate, state Offered). */
export function incomingCall(sim, opts = {}) {
  const from = String(opts.from ?? "+41441234567");
  const lookup = opts.participantLookupResult ?? lookupParticipants(from);
  const call = newCall({
    id: opts.id,
    direction: "Incoming",
    classification: opts.classification ?? "Customer",
    state: "Offered",
    fromAddress: from,
    toAddress: String(opts.to ?? sim.agentProfile.extension),
    ctiData: opts.ctiData ?? {},
    associatedParticipant: "associatedParticipant" in opts ? opts.associatedParticipant ?? undefined
      : lookup.length === 1 ? lookup[0] : undefined,
    participantLookupResult: lookup,
  });
  sim.calls.push(call);
  sim.emitWorkitem("workitemCreate", call, "");
  return call.id;
}

/** Dials out (Customer call) or, with a call already connected, a consultation (holding it). */
export function dial(sim, address, { requestId = "" } = {}) {
  if (sim.agent.state === "Logout") throw new SimError("cannot dial: the agent is logged out");
  const to = String(address ?? "").trim();
  if (!to) throw new SimError("cannot dial: the address is empty");
  const live = sim.calls.filter(isLive);
  if (live.some((c) => c.state === "Offered")) throw new SimError("cannot dial while a call is alerting");
  if (live.some((c) => c.classification === "Consultation")) throw new SimError("cannot dial: already consulting");
  if (live.some((c) => c.state === "Initiated")) throw new SimError("cannot dial: a call is already being dialed");
  if (live.length > 1) throw new SimError("cannot dial: too many calls on the phone");
  const original = live[0];
  if (original && original.state === "Active") setPaused(sim, original, true, "");
  const lookup = lookupParticipants(to);
  const call = newCall({
    direction: "Outgoing",
    classification: original ? "Consultation" : "Customer",
    state: "Initiated",
    fromAddress: sim.agentProfile.extension,
    toAddress: to,
    associatedParticipant: lookup.length === 1 ? lookup[0] : undefined,
    participantLookupResult: lookup,
    requestId,
    consultOf: original ? original.id : null,
  });
  sim.calls.push(call);
  sim.emitWorkitem("workitemCreate", call, requestId);
  syncAgentState(sim);
  const delay = sim.options.outboundAnswerMs;
  if (typeof delay === "number" && delay >= 0) {
    setTimeout(() => { if (call.state === "Initiated" && sim.calls.includes(call)) connect(sim, call); }, delay);
  }
  return call.id;
}

function connect(sim, call) {
  call.state = "Active";
  call.connectedAt = new Date().toISOString();
  if (!call.activity) call.activity = { id: guid(), name: `Phone call ${call.direction === "Outgoing" ? "to" : "from"} ${call.direction === "Outgoing" ? call.toAddress : call.fromAddress}` };
  sim.emitWorkitem("workitemConnect", call, "");
  syncAgentState(sim);
}

function setPaused(sim, call, paused, requestId) {
  call.state = paused ? "Paused" : "Active";
  sim.emitWorkitem(paused ? "workitemPause" : "workitemResume", call, requestId);
}

/** The agent answers an offered call, or the far end answers an outbound one (workitemConnect). */
export function accept(sim, id) {
  const call = findCall(sim, id);
  expectState(call, ["Offered", "Initiated"], "accept");
  connect(sim, call);
}

/** Puts a connected call on hold (workitemPause). */
export function hold(sim, id) {
  const call = findCall(sim, id);
  expectState(call, ["Active"], "hold");
  setPaused(sim, call, true, "");
}

/** Retrieves a held call (workitemResume), holding whichever other call is connected. */
export function retrieve(sim, id) {
  const call = findCall(sim, id);
  expectState(call, ["Paused"], "retrieve");
  for (const other of sim.calls) if (other !== call && other.state === "Active") setPaused(sim, other, true, "");
  setPaused(sim, call, false, "");
}

/**
 * Hangs up: an alerting call is abandoned, a dial that was never answered just ends, a connected
 * Customer call goes to wrap-up when wrap-up is enabled (workitemWrapup) or ends (workitemEnd).
 */
export function hangUp(sim, id) {
  const call = findCall(sim, id);
  expectState(call, ["Offered", "Initiated", "Active", "Paused"], "hang up");
  if (call.state === "Offered") return finish(sim, call, "EndedAbandoned");
  if (call.state === "Initiated" || call.classification === "Consultation") return finish(sim, call, "Ended");
  for (const c of sim.calls) if (c.consultOf === call.id) c.consultOf = null;
  toWrapupOrEnd(sim, call, "Ended");
}

function toWrapupOrEnd(sim, call, endState) {
  if (sim.options.wrapupEnabled) {
    call.state = "Wrapup";
    call.endState = endState;
    sim.emitWorkitem("workitemWrapup", call, "");
    syncAgentState(sim);
  } else {
    finish(sim, call, endState);
  }
}

function finish(sim, call, endState, requestId = "") {
  call.state = endState;
  sim.calls = sim.calls.filter((c) => c !== call);
  sim.history.unshift(call);
  sim.history.length = Math.min(sim.history.length, 20);
  sim.emitWorkitem("workitemEnd", call, requestId);
  syncAgentState(sim, requestId);
}

/** Ends wrap-up of one call (workitemEnd); the agent state returns once no call is left. */
export function endWrapup(sim, id) {
  const call = findCall(sim, id);
  expectState(call, ["Wrapup"], "end wrap-up of");
  finish(sim, call, call.endState ?? "Ended");
}

/** Ends every wrap-up (the agent picked a state during wrap-up). */
export function endAllWrapups(sim, requestId = "") {
  const wrapping = sim.calls.filter((c) => c.state === "Wrapup");
  for (const call of wrapping) finish(sim, call, call.endState ?? "Ended", requestId);
}

function consultPair(sim, id) {
  const consult = findCall(sim, id);
  if (consult.classification !== "Consultation" || consult.state !== "Active") {
    throw new SimError(`call ${consult.id} is not a connected consultation`);
  }
  const original = sim.calls.find((c) => c.id === consult.consultOf);
  if (!original) throw new SimError(`consultation ${consult.id} has no held call to complete`);
  return { consult, original };
}

/** Completes a consultation as a transfer: both legs leave the agent (EndedTransferred). */
export function transfer(sim, id) {
  const { consult, original } = consultPair(sim, id);
  finish(sim, consult, "Ended");
  original.classification = "Transfer";
  toWrapupOrEnd(sim, original, "EndedTransferred");
}

/** Completes a consultation as a conference: the held call resumes with both participants. */
export function conference(sim, id) {
  const { consult, original } = consultPair(sim, id);
  finish(sim, consult, "Ended");
  original.classification = "Conference";
  original.participants = [...original.participants, { address: consult.toAddress }];
  setPaused(sim, original, false, "");
}

/** Call recovery: after logging in, every call still on the phone is announced again. */
export function recoverCalls(sim) {
  for (const call of sim.calls) sim.emitWorkitem("workitemCreate", call, "");
  syncAgentState(sim);
}
