"""dialOrConsult and beforeDial: outbound and consultation calls, their failures, dial blocking."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE, Sim

pytestmark = pytest.mark.e2e


def test_dial_or_consult_places_an_outbound_customer_call(sim: Sim) -> None:
    """dialOrConsult resolves and raises workitemCreate (Outgoing, Customer) with its requestId."""
    sim.api("login", "Ready")
    assert sim.cil("dialOrConsult", "voice", "+41791112233", "dial-1") == {"ok": True, "value": None}
    [create] = sim.wait_for("workitemCreate")
    assert (create["requestId"], create["direction"], create["classification"], create["state"]) == (
        "dial-1", "Outgoing", "Customer", "Initiated")
    assert create["toAddress"] == create["ani"] == "+41791112233"
    assert sim.api("agent")["state"] == "Active"


def test_outbound_call_is_answered_by_the_far_end(bare: Sim) -> None:
    """With the answer delay option the far end answers by itself: workitemConnect follows."""
    bare.open(answer="50")
    bare.api("login")
    bare.cil("dialOrConsult", "voice", "+41791112233")
    [connect] = bare.wait_for("workitemConnect")
    assert connect["state"] == "Active" and connect["connectedAt"]


def test_dial_or_consult_with_a_call_is_a_consultation(sim: Sim) -> None:
    """With a connected call, dialOrConsult holds it and creates a Consultation call."""
    sim.api("login")
    call = sim.api("incomingCall", {})
    sim.api("accept", call)
    sim.cil("dialOrConsult", "voice", "2002", "c-1")
    [pause] = sim.wait_for("workitemPause")
    consult = sim.wait_for("workitemCreate", 2)[-1]
    assert pause["id"] == call
    assert (consult["classification"], consult["requestId"], consult["direction"]) == (
        "Consultation", "c-1", "Outgoing")


@pytest.mark.parametrize(
    ("setup", "args", "needle"),
    [
        ("logged-out", ["voice", "+41791112233", "f1"], "logged out"),
        ("ready", ["voice", "  ", "f1"], "address is empty"),
        ("ready", ["voice_9", "+41791112233", "f1"], "unknown channel"),
        ("consulting", ["voice", "2003", "f1"], "already consulting"),
        ("alerting", ["voice", "2003", "f1"], "alerting"),
    ],
)
def test_dial_or_consult_failures_raise_error_event_and_resolve(sim: Sim, setup: str, args: list, needle: str) -> None:
    """A refused dial resolves the promise and raises the error event with the request's requestId."""
    if setup != "logged-out":
        sim.api("login")
    if setup == "consulting":
        call = sim.api("incomingCall", {})
        sim.api("accept", call)
        sim.api("agentDial", "2002")
    if setup == "alerting":
        sim.api("incomingCall", {})
    calls_before = len(sim.api("calls"))
    assert sim.cil("dialOrConsult", *args)["ok"] is True
    [error] = sim.wait_for("error")
    assert error["requestId"] == "f1" and needle in error["message"]
    assert len(sim.api("calls")) == calls_before


@pytest.mark.parametrize("args", [[], ["voice"], ["voice", 41791112233], [5000, "123"], ["voice", "123", {"id": 1}]])
def test_malformed_dial_or_consult_rejects_and_raises_error(sim: Sim, args: list) -> None:
    """Wrong types or missing arguments reject the promise and raise the error event."""
    sim.api("login")
    result = sim.cil("dialOrConsult", *args)
    assert result["ok"] is False and "dialOrConsult" in result["error"]
    [error] = sim.wait_for("error")
    assert error["message"] == result["error"]
    assert sim.api("calls") == []


def test_before_dial_blocks_the_panel_dial_and_the_integration_dials(sim: Sim) -> None:
    """With a beforeDial handler the agent's dial is blocked, beforeDial raised, and the
    integration's dialOrConsult (same number, the event's requestId) is not blocked again."""
    sim.api("login")
    result = sim.api("agentDial", "+41791112233")
    assert result["blocked"] is True
    [before] = sim.wait_for("beforeDial")
    assert before == {"event": "beforeDial", "version": before["version"], "requestId": result["requestId"],
                      "dialedNumber": "+41791112233", "callType": "Outbound"}
    [create] = sim.wait_for("workitemCreate")
    assert (create["toAddress"], create["requestId"], create["classification"]) == (
        "+41791112233", result["requestId"], "Customer")
    assert len(sim.received("beforeDial")) == 1
    assert [r["name"] for r in sim.prop("requestLog") if r["name"] == "dialOrConsult"] == ["dialOrConsult"]


def test_scripted_dial_without_before_dial_handler_just_dials(bare: Sim) -> None:
    """With no beforeDial handler registered anywhere, the panel dial places the call itself."""
    bare.open(integration=EXAMPLE + "?beforeDial=0")
    bare.api("login")
    result = bare.api("agentDial", "+41791112233")
    assert result["blocked"] is False
    [create] = bare.wait_for("workitemCreate")
    assert create["id"] == result["id"] and create["requestId"] == ""
    assert bare.received("beforeDial") == []


def test_consultation_dial_from_the_panel_is_not_blocked(sim: Sim) -> None:
    """A dial with a call connected is a consultation and never raises beforeDial."""
    sim.api("login")
    call = sim.api("incomingCall", {})
    sim.api("accept", call)
    result = sim.api("agentDial", "2002")
    assert result["blocked"] is False
    consult = sim.wait_for("workitemCreate", 2)[-1]
    assert consult["classification"] == "Consultation"
    assert sim.received("beforeDial") == []


def test_panel_dial_pad_click_to_dial(sim: Sim) -> None:
    """Typing a number in the dial pad and clicking Dial goes through beforeDial to the integration."""
    sim.api("login")
    sim.page.fill("#dial-number", "+41795556677")
    sim.page.click("#dial")
    [before] = sim.wait_for("beforeDial")
    assert before["dialedNumber"] == "+41795556677"
    sim.wait_for("workitemCreate")
    assert "beforeDial" in sim.page.text_content("#status")
