"""The Python integration in the simulator: the SDK's real path and every reference feature."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import PythonSim

SWISS = {"setting1": "region=CH; format=E164", "setting2": "block=premium_rate; confirm=international"}
POP = {"setting3": "on=connect; template=Incoming call; param.phone=ani; param.customer=ctiData.customerId"}

Open = Callable[..., PythonSim]


def take_a_customer_call(sim: PythonSim) -> None:
    """Log in, take a call from a customer, hang up and end wrap-up."""
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    sim.api("hangUp", call)
    sim.api("endWrapup", call)


def test_requests_from_python_reach_the_library_with_the_right_arguments(python_sim: Open) -> None:
    """At start Python asked getCustomSettings and getChannel('voice') through the shim; the typed
    settings it got back are shown in its status panel."""
    sim = python_sim({"setting1": "region=CH"})
    assert sim.requests("getCustomSettings") and sim.requests("getChannel")[0]["args"] == ["voice"]
    assert "setting1: region=CH" in sim.status()


def test_an_event_from_the_library_reaches_a_python_handler_as_a_model(python_sim: Open) -> None:
    """A call's workitemConnect is parsed by pydantic in the worker and pops a session with its data."""
    sim = python_sim(POP)
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567", "ctiData": {"customerId": "C-42"}})
    sim.api("accept", call)
    sessions = sim.wait_requests("createSession", 1)
    assert sessions[0]["args"] == ["Incoming call", {"phone": "+41441234567", "customer": "C-42"}]


def test_an_event_raised_before_python_was_ready_is_still_delivered(python_sim: Open, page) -> None:
    """Call recovery while Pyodide loads: the shim buffers the workitemCreate until Python is ready."""
    page.add_init_script("""
        if (window === window.top) {
          addEventListener('load', () => {
            const sim = window.connectsSimulator;
            const early = () => {
              const frame = document.querySelector('iframe[data-tab="1"]');
              window.pythonStateAtCall = frame?.contentDocument?.documentElement?.dataset?.integration;
              sim.login('Ready');
              window.earlyCall = sim.incomingCall({from: '+41449998877'});
            };
            // As soon as the tab's library connected, long before Python is up.
            const wait = setInterval(() => { if (sim.tabs().length) { clearInterval(wait); early(); } }, 20);
          });
        }""")
    sim = python_sim({"setting3": "on=create; template=Recovered"})
    assert page.evaluate("window.earlyCall")
    assert page.evaluate("window.pythonStateAtCall") == "loading"  # Python was not up yet
    sessions = sim.wait_requests("createSession", 1)
    assert sessions[0]["args"][0] == "Recovered"
    sim.frame().wait_for_function("document.querySelector('#integration-details').innerText.includes('workitemCreate')")


@pytest.mark.parametrize(("settings", "typed", "dialled"), [
    ({"setting1": "region=CH; format=E164"}, "044 123 45 67", "+41441234567"),
    ({"setting1": "region=DE; format=E164"}, "030 1234567", "+49301234567"),
    ({"setting1": "region=US; format=NATIONAL; outsidePrefix=9"}, "(201) 555-0123", "912015550123"),
])
def test_dialled_numbers_are_normalised_per_country(python_sim: Open, settings, typed, dialled) -> None:
    """beforeDial → phonenumbers → exactly one dialOrConsult with the normalised number."""
    sim = python_sim(settings)
    sim.api("login", "Ready")
    result = sim.api("agentDial", typed)
    assert result["blocked"] is True  # b+s Connects held the dial for the integration
    dials = sim.wait_requests("dialOrConsult", 1)
    sim.settle()
    assert [d["args"][1] for d in sim.requests("dialOrConsult")] == [dialled]
    assert dials[0]["tab"] == 1


def test_the_dial_rules_package_is_downloaded_once_whole_and_never_unpacked(python_sim: Open, page) -> None:
    """Started from the snapshot, phonenumberslite is installed on demand: with dial rules, its
    wheel is downloaded once, whole (compressed), after ready; the dials read its region files
    from memory, with no range request, and none of its 637 files is unpacked."""
    wheel = "/static/snapshot/phonenumberslite-9.0.42-py2.py3-none-any.whl"
    seen: list[tuple[str, str | None]] = []
    page.on("requestfinished", lambda request: seen.append(
        (request.url.split("/", 3)[-1], request.headers.get("range"))) if request.url.endswith(".whl") else None)
    sim = python_sim({"setting1": "region=CH; format=E164"})
    sim.frame().wait_for_function("() => document.querySelector('#integration-details').innerText.includes('snapshot')")
    assert "from the memory snapshot" in sim.status() and "wheels unpacked" not in sim.status()
    sim.api("login", "Ready")
    for typed in ("044 123 45 67", "+1 201 555 0123", "+44 20 7946 0958"):
        sim.api("agentDial", typed)
    sim.wait_requests("dialOrConsult", 3)
    sim.settle()
    assert [d["args"][1] for d in sim.requests("dialOrConsult")] == ["+41441234567", "+12015550123", "+442079460958"]
    assert seen == [(wheel.lstrip("/"), None)]


def test_events_and_dials_raise_no_error_in_the_page(python_sim: Open, page) -> None:
    """PyScript's worker hands every message it receives to `xworker.onmessage` in worker_main's
    globals: without that name, each event and dial made it post an error to the page (one
    uncaught error per message in the agent's console)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(error.message))
    sim = python_sim({"setting1": "region=CH; format=E164"})
    sim.api("login", "Ready")
    for _ in range(3):
        sim.api("agentDial", "044 123 45 67")
    sim.wait_requests("dialOrConsult", 3)
    sim.settle()
    assert errors == []


def test_premium_numbers_are_blocked_with_a_reason(python_sim: Open) -> None:
    """A blocked category dials nothing and tells the agent why."""
    sim = python_sim(SWISS)
    sim.api("login", "Ready")
    sim.api("agentDial", "0900 123 456")
    alerts = sim.wait_alerts(1)
    sim.settle()
    assert sim.requests("dialOrConsult") == []
    assert "remium" in alerts[0]["description"]


def test_international_numbers_dial_once_on_confirm_and_never_on_cancel(python_sim: Open) -> None:
    """Confirm categories ask first: Cancel dials nothing, Confirm dials exactly once."""
    sim = python_sim(SWISS)
    sim.api("login", "Ready")
    sim.api("agentDial", "+49 30 1234567")
    sim.wait_alerts(1)
    sim.api("dismissAlert")
    sim.settle()
    assert sim.requests("dialOrConsult") == []
    sim.api("agentDial", "+49 30 1234567")
    sim.page.wait_for_function("connectsSimulator.alerts.length >= 1")
    sim.api("confirmAlert")
    sim.wait_requests("dialOrConsult", 1)
    sim.settle()
    assert [d["args"][1] for d in sim.requests("dialOrConsult")] == ["+49301234567"]


@pytest.mark.parametrize("tabs", [2, 3])
def test_several_tabs_act_once_and_primary_moves_when_the_first_closes(python_sim: Open, tabs: int) -> None:
    """With 2 or 3 tabs: one dial, one session, one state change per event, all from the primary;
    after the first tab closes, the next one takes over without a reload."""
    settings = {**SWISS, **POP, "setting4": "state=NotReady; reason=Break"}
    # The dialled call keeps ringing (answer=""): answered, by default 1.5 s after the dial, it
    # would be a second work item to pop, and on a slow machine the pop came before the asserts.
    sim = python_sim(settings, tabs=tabs, answer="")
    sim.api("login", "Ready")
    sim.api("agentDial", "044 123 45 67")
    sim.wait_requests("dialOrConsult", 1)
    [dialled] = [c["id"] for c in sim.api("calls") if c["direction"] == "Outgoing"]
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.api("accept", call)
    sim.wait_requests("createSession", 1)
    sim.api("hangUp", call)
    sim.api("endWrapup", call)
    sim.wait_requests("setAgentState", 1)
    sim.settle(1000)
    assert len(sim.requests("dialOrConsult")) == 1
    assert len(sim.requests("createSession")) == 1
    assert len(sim.requests("setAgentState")) == 1
    assert {r["tab"] for r in sim.requests("dialOrConsult") + sim.requests("createSession")} == {1}

    sim.api("hangUp", dialled)  # never answered: it just ends
    sim.api("closeTab", 1)
    sim.api("agentDial", "044 765 43 21")
    sim.wait_requests("dialOrConsult", 2)
    sim.settle()
    later = sim.requests("dialOrConsult")[1:]
    assert len(later) == 1 and later[0]["tab"] == 2


def test_screen_pop_happens_once_per_work_item_across_a_reload(python_sim: Open) -> None:
    """Reloading the integration during a call recovers it without a second pop."""
    sim = python_sim({"setting3": "on=create; template=Incoming call"})
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {"from": "+41441234567"})
    sim.wait_requests("createSession", 1)
    sim.api("accept", call)
    sim.api("reloadTab", 1)
    sim.page.evaluate("connectsSimulator.whenTabsReady({timeoutMs: 90000})")
    sim.api("hold", call)
    sim.api("retrieve", call)
    sim.settle(1500)
    assert len(sim.requests("createSession")) == 1
    assert sim.requests("getChannel", tab=1)  # the reloaded integration rebuilt its state


def test_after_call_state_with_a_valid_reason_label(python_sim: Open) -> None:
    """After a customer call ends, NotReady with the reason id behind the configured label."""
    sim = python_sim({"setting4": "state=NotReady; reason=Break"})
    take_a_customer_call(sim)
    changes = sim.wait_requests("setAgentState", 1)
    break_id = next(code["id"] for code in sim.api("reasonCodes", "NotReady") if code["label"] == "Break")
    assert changes[0]["args"][1:3] == ["NotReady", break_id]
    sim.page.wait_for_function("connectsSimulator.agent().state === 'NotReady'")


def test_after_call_state_with_an_unknown_label_is_a_configuration_error(python_sim: Open) -> None:
    """An unknown label sets no state and says which setting is wrong."""
    sim = python_sim({"setting4": "state=NotReady; reason=Coffee"})
    take_a_customer_call(sim)
    alerts = sim.wait_alerts(1)
    sim.settle()
    assert sim.requests("setAgentState") == []
    assert "setting4" in alerts[0]["description"] and "Coffee" in alerts[0]["description"]


@pytest.mark.parametrize(("settings", "named"), [
    ({"setting1": "region=XX"}, "setting1"),
    ({"setting2": "block=premum_rate"}, "setting2"),
    ({"setting3": "on=sometimes; template=x"}, "setting3"),
    ({"setting4": "state=Busy"}, "setting4"),
    ({"setting5": "watchdogMs=5"}, "setting5"),
])
def test_each_bad_setting_is_shown_and_logged_and_the_rest_keeps_working(python_sim: Open, settings, named) -> None:
    """A bad setting: one precise alert in the primary tab and a writeLog Error; screen pop works."""
    sim = python_sim({**settings, **POP} if named != "setting3" else settings)
    alerts = sim.wait_alerts(1)
    assert named in alerts[0]["description"]
    sim.page.wait_for_function(
        "s => connectsSimulator.writeLogs.some(l => l.level === 'Error' && l.message.includes(s))", arg=named)
    if named != "setting3":
        sim.api("login", "Ready")
        call = sim.api("incomingCall", {"from": "+41441234567"})
        sim.api("accept", call)
        assert len(sim.wait_requests("createSession", 1)) == 1
