"""Agent state: login, setAgentState, reason codes, channels per flavour, getChannel."""

from __future__ import annotations

import re

import pytest

from .conftest import Sim

STATE_FIELDS = {
    "event", "version", "requestId", "channelType", "channelId", "newState", "newReasonCode",
    "newReasonCodeLabel", "newStateChangeTime", "oldState", "oldReasonCode", "oldReasonCodeLabel",
    "oldStateChangeTime",
}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

pytestmark = pytest.mark.e2e


def test_login_raises_agent_state_change_with_every_field(sim: Sim) -> None:
    """Logging in raises agentStateChange Logout → NotReady carrying every documented field."""
    sim.api("login")
    [event] = sim.wait_for("agentStateChange")
    assert set(event) == STATE_FIELDS
    assert event["event"] == "agentStateChange"
    assert event["channelType"] == "Voice"
    assert event["channelId"] == "voice_5000"
    assert (event["oldState"], event["newState"]) == ("Logout", "NotReady")
    assert event["newReasonCode"] < 0 and event["oldReasonCode"] < 0
    assert ISO_UTC.match(event["newStateChangeTime"]) and ISO_UTC.match(event["oldStateChangeTime"])


def test_set_agent_state_changes_state_with_the_request_id(sim: Sim) -> None:
    """setAgentState(voice, NotReady, code, requestId) changes state and echoes the requestId."""
    sim.api("login", "Ready")
    sim.wait_for("agentStateChange")
    result = sim.cil("setAgentState", "voice", "NotReady", 2, "req-7")
    assert result == {"ok": True, "value": None}
    events = sim.wait_for("agentStateChange", 2)
    last = events[-1]
    assert last["requestId"] == "req-7"
    assert (last["oldState"], last["newState"], last["newReasonCode"], last["newReasonCodeLabel"]) == (
        "Ready", "NotReady", 2, "Lunch")
    assert sim.api("agent")["state"] == "NotReady"


def test_set_agent_state_can_log_in_and_out_with_a_logout_reason(sim: Sim) -> None:
    """Ready from Logout logs in; Logout with a logout reason logs out with that reason."""
    sim.cil("setAgentState", "voice_5000", "Ready", None, "in")
    sim.cil("setAgentState", "voice", "Logout", "10", "out")
    events = sim.wait_for("agentStateChange", 2)
    assert [(e["newState"], e["requestId"]) for e in events] == [("Ready", "in"), ("Logout", "out")]
    assert events[1]["newReasonCodeLabel"] == "End of shift"


@pytest.mark.parametrize(
    ("setup", "args", "needle"),
    [
        ("Ready", ["voice", "Ready", None, "r1"], "already Ready"),
        ("Ready", ["voice", "NotReady", 999, "r1"], "unknown NotReady reason"),
        ("Ready", ["voice", "Active", None, "r1"], "cannot be requested"),
        ("Ready", ["voice", "Sleeping", None, "r1"], "unknown agent state"),
        ("Ready", ["telephony", "NotReady", None, "r1"], "unknown channel"),
        (None, ["voice", "Logout", None, "r1"], "already logged out"),
    ],
)
def test_invalid_transition_or_reason_raises_error_event(sim: Sim, setup: str | None, args: list, needle: str) -> None:
    """An invalid transition, unknown reason, state or channel raises error with the requestId."""
    if setup:
        sim.api("login", setup)
    before = sim.api("agent")["state"]
    result = sim.cil("setAgentState", *args)
    assert result["ok"] is True  # the vendor reports these through the error event only
    [error] = sim.wait_for("error")
    assert set(error) == {"event", "version", "requestId", "message"}
    assert error["event"] == "error" and error["requestId"] == "r1"
    assert needle in error["message"]
    assert sim.api("agent")["state"] == before


def test_state_change_refused_during_a_call(sim: Sim) -> None:
    """While a call is active the agent cannot go NotReady (error event), and state stays Active."""
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    sim.cil("setAgentState", "voice", "NotReady", None, "during")
    [error] = sim.wait_for("error")
    assert error["requestId"] == "during" and "call is active" in error["message"]
    assert sim.api("agent")["state"] == "Active"


@pytest.mark.parametrize(
    ("flavour", "channel", "id_type"),
    [("ucce", "voice_5000", int), ("ccx", "voice_-1", int), ("wxcc", "telephony", str)],
)
def test_flavours_have_their_channel_id_and_reason_codes(bare: Sim, flavour: str, channel: str, id_type: type) -> None:
    """Each flavour answers on its channel id and on "voice", with reason ids of its type."""
    bare.open(flavour=flavour)
    for channel_id in (channel, "voice"):
        result = bare.cil("getReasonCodeList", channel_id, "NotReady")
        assert result["ok"], result
        assert all(set(r) == {"id", "label"} and isinstance(r["id"], id_type) for r in result["value"])
    for reason_type in ("Logout", "NotReady", "Wrapup"):
        assert bare.cil("getReasonCodeList", channel, reason_type)["value"]
    others = {"voice_5000", "voice_-1", "telephony"} - {channel}
    for other in others:
        assert bare.cil("getChannel", other)["ok"] is False
    bare.api("login", "Ready")
    [event] = bare.wait_for("agentStateChange")
    assert event["channelId"] == channel


def test_flavour_switch_through_the_api(sim: Sim) -> None:
    """configure({flavour}) switches the channel id while logged out and is refused when logged in."""
    sim.api("configure", {"flavour": "wxcc"})
    assert sim.cil("getChannel", "telephony")["value"]["channel"]["id"] == "telephony"
    sim.api("login")
    with pytest.raises(Exception, match="log out"):
        sim.api("configure", {"flavour": "ccx"})


def test_get_channel_returns_agent_and_channel(sim: Sim) -> None:
    """getChannel returns the documented agent fields and the channel with its work items."""
    sim.api("login", "NotReady", "Break")
    call = sim.api("incomingCall", {"from": "+41449876543"})
    value = sim.cil("getChannel", "voice")["value"]
    assert set(value) == {
        "activeDeviceId", "channel", "extension", "firstName", "agentId", "lastName", "loginName", "teamId",
    }
    channel = value["channel"]
    assert set(channel) == {"id", "type", "state", "reasonCode", "reasonCodeLabel", "stateChangeTime", "workitems"}
    assert (channel["id"], channel["type"], channel["state"], channel["reasonCode"], channel["reasonCodeLabel"]) == (
        "voice_5000", "Voice", "NotReady", 1, "Break")
    assert [w["id"] for w in channel["workitems"]] == [call]
    assert channel["workitems"][0]["state"] == "Offered"


def test_panel_state_selects_set_state_with_reason(sim: Sim) -> None:
    """The panel's state and reason selects set NotReady with the chosen reason."""
    sim.page.click("#login")
    sim.page.select_option("#state-select", "NotReady")
    sim.page.select_option("#reason-select", "Meeting")
    sim.page.click("#set-state")
    events = sim.wait_for("agentStateChange", 2)
    assert (events[-1]["newState"], events[-1]["newReasonCode"], events[-1]["newReasonCodeLabel"]) == (
        "NotReady", 3, "Meeting")
    assert "NotReady" in sim.page.text_content("#agent-state")


def test_forced_states_offline_and_unknown(sim: Sim) -> None:
    """The panel can force any state (Offline, Unknown) to test how an integration copes."""
    sim.api("login")
    sim.api("setState", "Offline", None, {"force": True})
    sim.api("setState", "Unknown", None, {"force": True})
    events = sim.wait_for("agentStateChange", 3)
    assert [e["newState"] for e in events] == ["NotReady", "Offline", "Unknown"]
