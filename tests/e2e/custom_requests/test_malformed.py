"""Custom requests dispatched straight on the simulator's top window: malformed ones are rejected,
logged and shown, and change nothing; well-formed ones act exactly like an integration's request."""

from __future__ import annotations

from typing import Any

import pytest

from ..simulator.conftest import Sim
from .conftest import custom_entries

pytestmark = pytest.mark.e2e

NO_DETAIL = object()


def dispatch(sim: Sim, detail: Any, event: str = "integrationapi") -> None:
    if detail is NO_DETAIL:
        sim.page.evaluate("e => window.dispatchEvent(new Event(e))", event)
    else:
        sim.page.evaluate("([e, d]) => window.dispatchEvent(new CustomEvent(e, {detail: d}))", [event, detail])


def snapshot(sim: Sim) -> dict[str, Any]:
    return {"agent": sim.api("agent"), "sessions": sim.prop("sessions"), "writeLogs": sim.prop("writeLogs"),
            "calls": sim.api("calls"), "events": len(sim.prop("eventLog"))}


MALFORMED: list[tuple[Any, str]] = [
    (NO_DETAIL, "detail must be an object, got nothing"),
    (None, "detail must be an object, got null"),
    ("setAgentState", "detail must be an object, got string"),
    ([1, 2], "detail must be an object, got an array"),
    ({}, "missing request"),
    ({"channelId": "voice", "state": "Ready"}, "missing request"),
    ({"request": 5}, "request must be a string, got number"),
    ({"request": "nope"}, 'unknown request "nope"'),
    ({"request": "showInfo", "description": "x"}, '"showInfo" is not available for Custom Requests'),
    ({"request": "dialOrConsult", "channelId": "voice", "address": "1"}, '"dialOrConsult" is not available'),
    ({"request": "setAgentState", "channelId": 5, "state": "NotReady"}, "channelId must be a string, got number 5"),
    ({"request": "setAgentState", "channelId": "voice"}, "state must be a string, got nothing"),
    ({"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": {"id": 1}},
     "reasonCode must be string or number"),
    ({"request": "createSession", "templateName": ""}, "templateName must not be empty"),
    ({"request": "createSession", "templateName": "t", "templateParameters": [1]},
     "templateParameters must be an object"),
    ({"request": "writeLog", "logMessage": 42}, "logMessage must be a string, got number 42"),
    ({"value": ""}, "value (the number to dial) must be a non-empty string, got an empty one"),
    ({"value": 41791112233}, "must be a non-empty string, got number"),
    ({"value": "1", "entityId": 5}, "entityId must be a string"),
]


@pytest.mark.parametrize(("detail", "reason"), MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
def test_malformed_custom_request_is_rejected_and_logged(sim: Sim, detail: Any, reason: str) -> None:
    """A malformed detail changes nothing, is logged with its reason and shown on the page."""
    sim.open()
    sim.api("login", "Ready")
    sim.wait_for("agentStateChange")
    sim.clear_received()
    before = snapshot(sim)
    dispatch(sim, detail)
    [entry] = custom_entries(sim)
    assert entry["outcome"] != "ok" and reason in entry["outcome"], entry
    assert entry["via"] == "integrationapi"
    after = snapshot(sim)
    assert {k: v for k, v in after.items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}
    status = sim.page.locator("#status")
    assert reason in status.inner_text() and status.get_attribute("data-kind") == "error"
    assert sim.received("agentStateChange") == [] and sim.received("beforeDial") == []


def test_refused_state_change_is_logged_and_raises_no_event_in_tabs(sim: Sim) -> None:
    """A well-formed setAgentState the agent cannot take (unknown reason) is refused like a tab's would be;
    its error event reaches no tab (the requester is not one)."""
    sim.open()
    sim.api("login", "Ready")
    dispatch(sim, {"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": 99,
                   "requestId": "r1"})
    [entry] = custom_entries(sim)
    assert entry["outcome"].startswith('error: setAgentState: unknown NotReady reason code "99"')
    assert entry["requestId"] == "r1"
    assert sim.api("agent")["state"] == "Ready"
    [error] = [e for e in sim.prop("eventLog") if e["name"] == "error"]
    assert error["tabs"] == [] and error["payload"]["requestId"] == "r1"
    assert sim.received("error") == []
    assert "unknown NotReady reason code" in sim.page.inner_text("#status")


@pytest.mark.parametrize("event", ["integrationapi", "CIClickToAct"])
def test_both_events_perform_the_request(sim: Sim, event: str) -> None:
    """integrationapi and CIClickToAct carry the same detail and both are performed."""
    sim.open()
    sim.api("login", "Ready")
    sim.wait_for("agentStateChange")
    sim.clear_received()
    detail = {"request": "setAgentState", "channelId": "voice_5000", "state": "NotReady", "reasonCode": "3"}
    dispatch(sim, detail, event)
    assert sim.api("agent")["reasonCodeLabel"] == "Meeting"
    [change] = sim.wait_for("agentStateChange")
    assert change["newState"] == "NotReady"
    [entry] = custom_entries(sim)
    assert (entry["via"], entry["outcome"]) == (event, "ok")


def test_request_log_panel_shows_custom_requests(sim: Sim) -> None:
    """The panel's request log lists custom requests under tab "custom request", rejected ones marked failed."""
    sim.open()
    dispatch(sim, {"request": "writeLog", "logMessage": "hi", "logLevel": "Debug"})
    dispatch(sim, {"request": "nope"})
    rows = sim.page.locator("#logs tbody tr")
    rows.first.wait_for()
    texts = rows.all_inner_texts()
    assert any("custom request" in t and "nope" in t for t in texts)
    assert sim.page.locator("#logs tbody tr.failed").count() == 1
