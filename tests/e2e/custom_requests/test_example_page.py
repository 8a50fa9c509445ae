"""The example page, framed in the simulator, sends each Custom Request and the simulator acts on it."""

from __future__ import annotations

import pytest

from ..simulator.conftest import EXAMPLE, Sim
from .conftest import custom_entries, open_with_page

pytestmark = pytest.mark.e2e


def test_page_buttons_change_the_simulator(sim: Sim) -> None:
    """NotReady with a reason, Ready, writeLog and createSession from the page act on the simulator."""
    custom = open_with_page(sim)
    sim.api("login", "Ready")
    sim.wait_for("agentStateChange")
    sim.clear_received()

    custom.fill("reason", "2")
    assert custom.press("not-ready") == "Sent setAgentState (integrationapi)."
    agent = sim.api("agent")
    assert (agent["state"], agent["reasonCode"], agent["reasonCodeLabel"]) == ("NotReady", 2, "Lunch")
    [change] = sim.wait_for("agentStateChange")  # reached the integration in tab 1, like any state change
    assert (change["oldState"], change["newState"], change["newReasonCode"]) == ("Ready", "NotReady", 2)

    assert custom.press("ready").startswith("Sent setAgentState")
    assert sim.api("agent")["state"] == "Ready"
    assert len(sim.wait_for("agentStateChange", 2)) == 2

    custom.fill("log-message", "from the page")
    custom.select("log-level", "Error")
    assert custom.press("write-log") == "Sent writeLog (integrationapi)."
    [log] = sim.prop("writeLogs")
    assert (log["tab"], log["tag"], log["level"], log["message"]) == (
        "custom request", "COR_API_WRITE_LOG", "Error", "from the page")

    custom.fill("template", "incoming_call")
    custom.fill("parameters", '{"customerId": "42"}')
    assert custom.press("create-session") == "Sent createSession (integrationapi)."
    [session] = sim.prop("sessions")
    assert (session["templateName"], session["templateParameters"]) == ("incoming_call", {"customerId": "42"})

    entries = custom_entries(sim)
    assert [(e["name"], e["via"], e["outcome"]) for e in entries] == [
        ("setAgentState", "integrationapi", "ok"), ("setAgentState", "integrationapi", "ok"),
        ("writeLog", "integrationapi", "ok"), ("createSession", "integrationapi", "ok")]
    assert entries[0]["args"] == {
        "request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "2"}
    assert len(custom.sent()) == 4


def test_page_shows_validation_errors_and_sends_nothing(sim: Sim) -> None:
    """Input Python refuses is shown on the page as text; nothing reaches the simulator."""
    custom = open_with_page(sim)
    sim.api("login", "Ready")
    custom.fill("template", "")
    assert custom.press("create-session") == "Not sent: templateName: must not be empty"
    custom.fill("template", "t")
    custom.fill("parameters", "{not json")
    assert custom.press("create-session").startswith("Not sent: templateParameters: is not JSON")
    custom.fill("channel", "phone")
    assert custom.press("ready").startswith("Not sent: channelId: 'phone' is not a channel id")
    custom.fill("number", "  ")
    assert custom.press("dial") == "Not sent: value: must not be empty"
    assert sim.prop("sessions") == [] and custom_entries(sim) == [] and sim.api("calls") == []
    assert sim.api("agent")["state"] == "Ready"
    assert custom.sent() == []


def test_page_can_send_ci_click_to_act(sim: Sim) -> None:
    """With the CIClickToAct option the same request arrives through that event."""
    custom = open_with_page(sim)
    custom.select("event", "CIClickToAct")
    assert custom.press("write-log") == "Sent writeLog (CIClickToAct)."
    [entry] = custom_entries(sim)
    assert (entry["name"], entry["via"], entry["outcome"]) == ("writeLog", "CIClickToAct", "ok")
    assert len(sim.prop("writeLogs")) == 1


def test_click_to_dial_goes_through_before_dial(sim: Sim) -> None:
    """A click-to-dial from the page is blocked and handed to the integration's beforeDial."""
    custom = open_with_page(sim)
    sim.api("login", "Ready")
    custom.fill("number", "+41791112233")
    custom.fill("entity-name", "contact")
    custom.fill("entity-id", "42")
    assert custom.press("dial") == "Sent click-to-dial (integrationapi)."
    [before] = sim.wait_for("beforeDial")
    assert (before["dialedNumber"], before["callType"]) == ("+41791112233", "Outbound")
    # The example integration answers with dialOrConsult, so the call is placed by the integration.
    [create] = sim.wait_for("workitemCreate")
    assert (create["requestId"], create["toAddress"]) == (before["requestId"], "+41791112233")
    [entry] = custom_entries(sim)
    assert (entry["name"], entry["outcome"], entry["result"], entry["requestId"]) == (
        "clickToDial", "ok", "beforeDial raised", before["requestId"])
    assert entry["args"] == {"value": "+41791112233", "entityLogicalName": "contact", "entityId": "42"}


def test_click_to_dial_without_before_dial_dials_directly(sim: Sim) -> None:
    """With no beforeDial subscriber the click-to-dial places the call at once."""
    custom = open_with_page(sim, f"{EXAMPLE}?beforeDial=0")
    sim.api("login", "Ready")
    custom.fill("number", "+41791112233")
    assert custom.press("dial").startswith("Sent click-to-dial")
    [call] = sim.api("calls")
    assert (call["toAddress"], call["direction"]) == ("+41791112233", "Outgoing")
    assert sim.received("beforeDial") == []
    [entry] = custom_entries(sim)
    assert entry["outcome"] == "ok" and entry["result"] == f"dialing (call {call['id']})"
