"""One dial per beforeDial, from the primary tab, whether the library answers plain or enveloped.

The reference integration runs in 1, 2 and 3 tabs with the simulator answering every request
plain or as `{success, response, error}`. On one loaded page per combination, each flow agents
rely on runs in turn and its effects are counted: a dial decided by Python, a blocked number, a
confirmed international number, the watchdog's fail-open and fail-closed fallbacks, screen pop
and the after-call state. Each must happen exactly once, from tab 1 (the primary), or not at
all where the policy blocks.

Then getCustomSettings answers in each shape the simulator offers: every reasonable one is read,
and one nobody can read is reported (writeLog error and status panel), not read as empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ..integration.conftest import PythonSim

Open = Callable[..., PythonSim]

SETTINGS = {
    "setting1": "region=CH; format=E164",
    "setting2": "block=premium_rate; confirm=international",
    "setting3": "on=connect; template=Incoming call; param.phone=ani",
    "setting4": "state=NotReady; reason=Break",
}
COUNTED = ("dialOrConsult", "createSession", "setAgentState")
# Python cannot read this beforeDial (a requestId must be text): each tab's SDK answers `failed`
# at once, and each tab's watchdog falls back on the number it carries.
UNREADABLE_BEFORE_DIAL = {"event": "beforeDial", "version": "1.0", "requestId": True,
                          "dialedNumber": "+41447654321", "callType": "Outbound"}


class Counter:
    """What one flow did: the requests and alerts that appeared since the last look."""

    def __init__(self, sim: PythonSim) -> None:
        self.sim = sim
        self.seen = self.now()

    def now(self) -> dict[str, int]:
        counts = {name: len(self.sim.requests(name)) for name in COUNTED}
        return {**counts, "alerts": len(self.sim.prop("alertLog"))}

    def wait(self, name: str, more: int) -> None:
        """Until `more` new `name` entries appeared (requests, or "alerts")."""
        source = "alertLog" if name == "alerts" else "requestLog.filter(r => r.name === n)"
        self.sim.page.wait_for_function(
            f"([n, c]) => connectsSimulator.{source}.length >= c", arg=[name, self.seen[name] + more], timeout=15_000)

    def new(self, settle_ms: int) -> dict[str, list[dict[str, Any]]]:
        """Let late work land, then what is new since the last call, by kind."""
        self.sim.settle(settle_ms)
        logs = {name: self.sim.requests(name)[self.seen[name]:] for name in COUNTED}
        logs["alerts"] = self.sim.prop("alertLog")[self.seen["alerts"]:]
        self.seen = self.now()
        return logs


def tabs_of(entries: list[dict[str, Any]]) -> list[int]:
    return [entry["tab"] for entry in entries]


def dialled(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["args"][1] for entry in entries]


def the_dialled_call(sim: PythonSim) -> str:
    [call] = [c["id"] for c in sim.api("calls") if c["direction"] == "Outgoing"]
    return call


@pytest.mark.parametrize("tabs", [1, 2, 3])
@pytest.mark.parametrize("envelope", [False, True], ids=["plain", "enveloped"])
def test_every_flow_acts_once_from_the_primary_tab(python_sim: Open, envelope: bool, tabs: int) -> None:
    # answer="": dialled calls keep ringing until hung up (an answered one would be popped too).
    sim = python_sim(SETTINGS, tabs=tabs, envelope=int(envelope), answer="")
    settle = 400 + 150 * tabs  # ms for a late second dial or alert to show up
    sim.api("login", "Ready")
    count = Counter(sim)

    # A number Python decides: normalised and dialled once; its end sets the after-call state once.
    sim.api("agentDial", "044 123 45 67")
    count.wait("dialOrConsult", 1)
    sim.api("hangUp", the_dialled_call(sim))
    count.wait("setAgentState", 1)
    flow = count.new(settle)
    assert dialled(flow["dialOrConsult"]) == ["+41441234567"] and tabs_of(flow["dialOrConsult"]) == [1]
    assert tabs_of(flow["setAgentState"]) == [1] and flow["alerts"] == [] and flow["createSession"] == []

    # A blocked number: never dialled, one alert from the primary tab.
    sim.api("agentDial", "0900 123 456")
    count.wait("alerts", 1)
    sim.api("dismissAlert")
    flow = count.new(settle)
    assert flow["dialOrConsult"] == [] and [(a["tab"], a["title"]) for a in flow["alerts"]] == [(1, "Call blocked")]

    # An international number: asked once, dialled once on confirm.
    sim.api("agentDial", "+49 30 1234567")
    count.wait("alerts", 1)
    sim.api("confirmAlert")
    count.wait("dialOrConsult", 1)
    sim.api("hangUp", the_dialled_call(sim))
    count.wait("setAgentState", 1)
    flow = count.new(settle)
    assert [(a["tab"], a["title"]) for a in flow["alerts"]] == [(1, "Please confirm the call")]
    assert dialled(flow["dialOrConsult"]) == ["+49301234567"] and tabs_of(flow["dialOrConsult"]) == [1]
    assert tabs_of(flow["setAgentState"]) == [1]

    # Python cannot decide (fail-open): the primary tab's watchdog dials the number as it came, once.
    sim.page.evaluate("p => connectsSimulator._core.emit('beforeDial', p)", UNREADABLE_BEFORE_DIAL)
    count.wait("dialOrConsult", 1)
    sim.api("hangUp", the_dialled_call(sim))
    count.wait("setAgentState", 1)
    flow = count.new(settle)
    assert [r["args"] for r in flow["dialOrConsult"]] == [["voice", "+41447654321"]]
    assert tabs_of(flow["dialOrConsult"]) == [1] and flow["alerts"] == []

    # The same with fail-closed: nothing dialled, the agent told once.
    for tab in range(1, tabs + 1):
        sim.frame(tab).evaluate("window.integrationShim.watchdog.configure({failMode: 'closed'})")
    sim.page.evaluate("p => connectsSimulator._core.emit('beforeDial', p)", UNREADABLE_BEFORE_DIAL)
    count.wait("alerts", 1)
    sim.api("dismissAlert")
    flow = count.new(settle)
    assert flow["dialOrConsult"] == [] and [(a["tab"], a["title"]) for a in flow["alerts"]] == [(1, "Call not started")]

    # A customer call: one screen pop when it connects, one after-call state when it ends.
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    count.wait("createSession", 1)
    sim.api("hangUp", call)
    sim.api("endWrapup", call)
    count.wait("setAgentState", 1)
    flow = count.new(settle)
    assert [r["args"] for r in flow["createSession"]] == [["Incoming call", {"phone": "+41441234567"}]]
    assert tabs_of(flow["createSession"]) == [1] and tabs_of(flow["setAgentState"]) == [1]
    assert flow["setAgentState"][0]["args"][1] == "NotReady" and flow["dialOrConsult"] == []


def reload_with(sim: PythonSim, **options: Any) -> None:
    """Reload tab 1's integration with these simulator options; return once the new page is ready."""
    sim.api("configure", options)
    sim.api("clearLogs")
    sim.frame().evaluate("document.documentElement.dataset.old = '1'")
    sim.api("reloadTab", 1)
    sim.page.wait_for_function("""() => {
        const root = document.querySelector('iframe[data-tab="1"]').contentDocument?.documentElement;
        return root && !root.dataset.old && root.dataset.integration === 'ready';
    }""", timeout=90_000)


def test_settings_are_read_in_every_reasonable_shape_and_an_unreadable_one_is_reported(python_sim: Open) -> None:
    """pairs, arrays and object are read (dial rules on); text is one error in writeLog and in the
    status panel. (Key/Value and Setting1 spellings: tests/unit/sdk/test_sdk_settings_shapes.py.)"""
    sim = python_sim({"setting1": "region=CH; format=E164"})
    for envelope, shape in [(False, "pairs"), (True, "arrays"), (False, "object"), (False, "text")]:
        if shape != "pairs":  # the page loaded with the default shape
            reload_with(sim, envelope=envelope, settingsShape=shape)
        sim.frame().wait_for_function("document.querySelector('#integration-details').innerText.includes('setting')")
        if shape == "text":
            sim.page.wait_for_function("connectsSimulator.writeLogs.some(l => l.level === 'Error')")
        sim.settle(300)
        status = sim.status()
        subscribed = sim.api("tabs")[0]["subscriptions"].get("beforeDial") == 1
        unreadable = [log for log in sim.prop("writeLogs")
                      if log["level"] == "Error" and "getCustomSettings answered" in log["message"]]
        if shape == "text":
            assert len(unreadable) == 1 and 'the text "setting1=region=CH' in unreadable[0]["message"], shape
            assert "getCustomSettings answered the text" in status and not subscribed
        else:
            assert unreadable == [], (shape, envelope)
            assert "setting1: region=CH; format=E164" in status, (shape, envelope)
            assert subscribed, (shape, envelope)
