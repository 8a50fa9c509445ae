"""Scenarios: recording a session's actions as timed JSON steps and replaying them."""

from __future__ import annotations

import json

import pytest

from .conftest import Sim

pytestmark = pytest.mark.e2e


def run_a_call(sim: Sim) -> str:
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567", "ctiData": {"case": "7"}})
    sim.api("accept", call)
    sim.api("hangUp", call)
    sim.api("endWrapup", call)
    return call


def test_recording_lists_the_actions_as_timed_steps(sim: Sim) -> None:
    """Every scripted action is recorded as {at, action, args} in order, with growing times."""
    call = run_a_call(sim)
    steps = sim.api("recording")
    assert [s["action"] for s in steps] == ["login", "incomingCall", "accept", "hangUp", "endWrapup"]
    assert steps[1]["args"] == {"from": "+41441234567", "ctiData": {"case": "7"}, "id": call}
    assert steps[2]["args"] == {"id": call}
    assert all(isinstance(s["at"], int) and s["at"] >= 0 for s in steps)
    assert [s["at"] for s in steps] == sorted(s["at"] for s in steps)


def test_a_recording_replays_to_the_same_events(sim: Sim) -> None:
    """Playing a recorded scenario on a fresh simulator raises the same events in the same order."""
    run_a_call(sim)
    sim.wait_for("workitemEnd")
    original = sim.names()
    steps = sim.api("recording")
    sim.page.reload()
    sim.page.wait_for_function("window.connectsSimulator")
    sim.wait_tabs_ready()
    report = sim.api("play", steps)
    assert report == {"steps": 5, "errors": []}
    sim.wait_for("workitemEnd")
    assert sim.names() == original


def test_scenario_steps_run_at_their_times(sim: Sim) -> None:
    """Steps wait for their `at` offset; failing steps are reported and the rest still runs."""
    scenario = [
        {"at": 0, "action": "login", "args": {"state": "Ready"}},
        {"at": 300, "action": "incomingCall", "args": {"id": "900", "from": "+41449876543"}},
        {"at": 310, "action": "hold", "args": {"id": "900"}},
        {"at": 320, "action": "accept", "args": {"id": "900"}},
        {"at": 330, "action": "failNextRequest", "args": {"name": "isPrimaryTab", "message": "nope"}},
    ]
    started = sim.page.evaluate("Date.now()")
    report = sim.api("play", scenario)
    elapsed = sim.page.evaluate("Date.now()") - started
    assert elapsed >= 300
    assert report["steps"] == 5
    assert [(e["index"], e["action"]) for e in report["errors"]] == [(2, "hold")]
    assert sim.api("calls")[0]["id"] == "900" and sim.api("calls")[0]["state"] == "Active"
    assert sim.cil("isPrimaryTab")["ok"] is False


def test_invalid_scenarios_are_refused_with_a_reason(sim: Sim) -> None:
    """A scenario that is not a list of {at, action, args} steps is refused before anything runs."""
    with pytest.raises(Exception, match="unknown action"):
        sim.api("play", [{"at": 0, "action": "explode"}])
    with pytest.raises(Exception, match='"at"'):
        sim.api("play", [{"action": "login"}])
    assert sim.api("agent")["state"] == "Logout"


def test_scenario_file_input_plays_a_file(sim: Sim) -> None:
    """A scenario JSON chosen with the panel's file input is played."""
    scenario = [{"at": 0, "action": "login", "args": {}}, {"at": 10, "action": "incomingCall", "args": {}}]
    sim.page.set_input_files("#scenario-file", files=[{
        "name": "bug-1234.json", "mimeType": "application/json", "buffer": json.dumps(scenario).encode()}])
    sim.wait_for("workitemCreate")
    sim.page.wait_for_function("document.querySelector('#status').textContent.includes('Played 2 steps')")


def test_export_button_downloads_the_recording(sim: Sim) -> None:
    """Export recording downloads the recorded steps as a JSON file."""
    sim.api("login")
    with sim.page.expect_download() as info:
        sim.page.click("#export")
    path = info.value.path()
    steps = json.loads(open(path, encoding="utf-8").read())
    assert [s["action"] for s in steps] == ["login"]
