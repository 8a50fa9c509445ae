"""Work items: the call life cycle, its events and payloads, wrap-up, recovery, consult legs."""

from __future__ import annotations

import re

import pytest

from .conftest import Sim

WORKITEM_FIELDS = {
    "event", "version", "requestId", "activity", "agentId", "ani", "associatedParticipant", "associations",
    "capabilities", "channelId", "channelType", "classification", "connectedAt", "ctiData", "direction", "id",
    "participants", "participantLookupResult", "state", "fromAddress", "toAddress",
}
WORKITEM_EVENTS = ["workitemCreate", "workitemConnect", "workitemPause", "workitemResume", "workitemWrapup",
                   "workitemEnd"]
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

pytestmark = pytest.mark.e2e


def workitem_events(sim: Sim) -> list[tuple[str, str]]:
    return [(e["name"], e["data"]["state"]) for e in sim.frame().evaluate("window.received")
            if e["name"].startswith("workitem")]


def test_incoming_call_life_cycle_raises_each_event_in_order(sim: Sim) -> None:
    """Incoming → accept → hold → retrieve → hang up → end wrap-up raises the six events in order."""
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567", "ctiData": {"account": "42"}})
    for action in ("accept", "hold", "retrieve", "hangUp", "endWrapup"):
        sim.api(action, call)
    sim.wait_for("workitemEnd")
    assert workitem_events(sim) == [
        ("workitemCreate", "Offered"), ("workitemConnect", "Active"), ("workitemPause", "Paused"),
        ("workitemResume", "Active"), ("workitemWrapup", "Wrapup"), ("workitemEnd", "Ended"),
    ]
    states = [e["newState"] for e in sim.received("agentStateChange")]
    assert states == ["Ready", "Active", "Wrapup", "Ready"]


def test_workitem_payload_carries_every_field(sim: Sim) -> None:
    """Every workitem event has all Workitem fields with the documented values and types."""
    sim.api("login")
    call = sim.api("incomingCall", {"from": "+41441234567", "ctiData": {"account": "42", "lang": "de"}})
    sim.api("accept", call)
    create, = sim.wait_for("workitemCreate")
    connect, = sim.wait_for("workitemConnect")
    raw_create = sim.frame().evaluate("Object.keys(window.received.find(e => e.name === 'workitemCreate').data)")
    assert set(raw_create) == WORKITEM_FIELDS  # activity present (undefined) even before the record exists
    assert "activity" not in create or create["activity"] is None
    assert set(connect) == WORKITEM_FIELDS
    assert connect["activity"]["recordType"] == "phonecall" and connect["activity"]["id"]
    assert connect["associations"] == [{"id": connect["activity"]["id"], "name": connect["associations"][0]["name"],
                                        "recordType": "phonecall"}]
    assert ISO_UTC.match(connect["connectedAt"])
    assert connect["channelType"] == "Voice" and connect["channelId"] == "voice_5000"
    assert connect["classification"] == "Customer" and connect["direction"] == "Incoming"
    assert connect["ctiData"] == {"account": "42", "lang": "de"}
    assert connect["participants"] == [{"address": "+41441234567"}]
    assert connect["associatedParticipant"] == {
        "id": "c0a80101-0000-4000-8000-000000000001", "name": "Jane Doe", "recordType": "contact"}
    assert connect["participantLookupResult"] == [connect["associatedParticipant"]]
    assert connect["ani"] == connect["fromAddress"] == "+41441234567"
    assert connect["id"] == call and isinstance(connect["agentId"], str) and connect["agentId"]
    assert "Hold" in connect["capabilities"] and "Accept" in create["capabilities"]
    assert all(isinstance(c, str) for c in connect["capabilities"])


def test_lookup_with_several_matches_leaves_associated_participant_undefined(sim: Sim) -> None:
    """Two CRM matches: participantLookupResult lists both and associatedParticipant is undefined."""
    sim.api("login")
    sim.api("incomingCall", {"from": "+41449876543"})
    [create] = sim.wait_for("workitemCreate")
    assert len(create["participantLookupResult"]) == 2
    assert create.get("associatedParticipant") is None


def test_wrapup_disabled_ends_right_after_hang_up(sim: Sim) -> None:
    """With wrap-up disabled, hang-up raises workitemEnd at once and the agent returns to Ready."""
    sim.api("configure", {"wrapupEnabled": False})
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    sim.api("hangUp", call)
    sim.wait_for("workitemEnd")
    assert workitem_events(sim) == [
        ("workitemCreate", "Offered"), ("workitemConnect", "Active"), ("workitemEnd", "Ended")]
    assert sim.api("agent")["state"] == "Ready"


def test_setting_a_state_during_wrapup_ends_wrapup(sim: Sim) -> None:
    """setAgentState(NotReady) during wrap-up ends it (workitemEnd) and applies NotReady."""
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {})
    sim.api("accept", call)
    sim.api("hangUp", call)
    sim.cil("setAgentState", "voice", "NotReady", 1, "after-call")
    sim.wait_for("workitemEnd")
    last = sim.wait_for("agentStateChange", 4)[-1]
    assert (last["oldState"], last["newState"], last["requestId"]) == ("Wrapup", "NotReady", "after-call")


def test_caller_abandons_before_answer(sim: Sim) -> None:
    """Hanging up an alerting call ends it as EndedAbandoned without wrap-up."""
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {})
    sim.api("hangUp", call)
    [end] = sim.wait_for("workitemEnd")
    assert end["state"] == "EndedAbandoned"
    assert sim.api("agent")["state"] == "Ready"


def test_login_with_a_call_on_the_phone_recovers_it(sim: Sim) -> None:
    """A call taken while logged out is announced with workitemCreate when the agent logs in."""
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    assert sim.received() == []
    sim.api("login", "Ready")
    [create] = sim.wait_for("workitemCreate")
    assert (create["id"], create["state"]) == (call, "Active")
    states = [(e["oldState"], e["newState"]) for e in sim.wait_for("agentStateChange", 2)]
    assert states == [("Logout", "Ready"), ("Ready", "Active")]


def test_ani_rule_for_outgoing_and_conference(sim: Sim) -> None:
    """ani is toAddress for one participant Outgoing, else fromAddress (conference: 2 participants)."""
    sim.api("configure", {"outboundAnswerMs": None})
    sim.api("login")
    sim.cil("dialOrConsult", "voice", "+41791112233", "out")
    [create] = sim.wait_for("workitemCreate")
    assert (create["direction"], create["ani"], create["toAddress"]) == ("Outgoing", "+41791112233", "+41791112233")
    sim.api("accept", create["id"])
    sim.cil("dialOrConsult", "voice", "2002", "consult")
    consult = sim.wait_for("workitemCreate", 2)[-1]
    sim.api("accept", consult["id"])
    sim.api("conference", consult["id"])
    resume = sim.wait_for("workitemResume")[-1]
    assert resume["id"] == create["id"] and resume["classification"] == "Conference"
    assert resume["participants"] == [{"address": "+41791112233"}, {"address": "2002"}]
    assert resume["ani"] == resume["fromAddress"] == "1001"


def test_transfer_completes_consultation(sim: Sim) -> None:
    """Transfer ends the consultation leg and puts the original call in wrap-up as a Transfer."""
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    consult = sim.api("agentDial", "2002")["id"]
    sim.api("accept", consult)
    sim.api("transfer", consult)
    sim.api("endWrapup", call)
    ends = sim.wait_for("workitemEnd", 2)
    assert [(e["id"], e["classification"], e["state"]) for e in ends] == [
        (consult, "Consultation", "Ended"), (call, "Transfer", "EndedTransferred")]
    assert sim.api("agent")["state"] == "Ready"


def test_call_actions_in_the_wrong_state_are_refused(sim: Sim) -> None:
    """Holding an alerting call throws a clear error and changes nothing."""
    sim.api("login")
    call = sim.api("incomingCall", {})
    with pytest.raises(Exception, match="cannot hold call"):
        sim.api("hold", call)
    with pytest.raises(Exception, match="no call with id"):
        sim.api("accept", "nope")
    assert sim.api("calls")[0]["state"] == "Offered"


def test_panel_buttons_drive_a_call(sim: Sim) -> None:
    """A person can run a whole call from the panel: log in, incoming, accept, hold, ..., end wrap-up."""
    page = sim.page
    page.click("#login")
    page.fill("#caller", "+41449876543")
    page.fill("#cti", '{"order": "A-17"}')
    page.click("#incoming")
    for action in ("accept", "hold", "retrieve", "hangUp", "endWrapup"):
        page.click(f'#calls [data-action="{action}"]')
    sim.wait_for("workitemEnd")
    assert [name for name, _ in workitem_events(sim)] == WORKITEM_EVENTS
    assert sim.received("workitemCreate")[0]["ctiData"] == {"order": "A-17"}
    assert page.text_content("#calls") == "No calls."
