"""Several simulated browser tabs: events everywhere, one primary tab, per-tab request logs."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE, Sim

pytestmark = pytest.mark.e2e


def test_events_reach_the_integration_in_every_tab(bare: Sim) -> None:
    """An agent state change is received by the integrations of all open tabs."""
    bare.open(tabs="3")
    bare.api("login")
    for tab in (1, 2, 3):
        [event] = bare.wait_for("agentStateChange", tab=tab)
        assert event["newState"] == "NotReady"
    assert bare.prop("eventLog")[-1]["tabs"] == [1, 2, 3]


def test_primary_tab_is_the_first_opened_still_open(bare: Sim) -> None:
    """isPrimaryTab is true in exactly one tab and moves to the next tab when the first closes."""
    bare.open(tabs="2")
    assert [bare.cil("isPrimaryTab", tab=t)["value"] for t in (1, 2)] == [True, False]
    n = bare.api("openTab")
    assert n == 3
    bare.wait_tabs_ready()
    bare.api("closeTab", 1)
    bare.page.wait_for_function("!document.querySelector('iframe[data-tab=\"1\"]')")
    assert [bare.cil("isPrimaryTab", tab=t)["value"] for t in (2, 3)] == [True, False]
    assert [(t["n"], t["primary"]) for t in bare.api("tabs")] == [(2, True), (3, False)]


def test_requests_are_logged_with_their_tab_number(bare: Sim) -> None:
    """The request log names the tab each request came from, with its arguments and time."""
    bare.open(tabs="2")
    bare.api("clearLogs")
    bare.cil("writeLog", "from one", "Debug", tab=1)
    bare.cil("writeLog", "from two", "Error", tab=2)
    log = [r for r in bare.prop("requestLog") if r["name"] == "writeLog"]
    assert [(r["tab"], r["args"]) for r in log] == [(1, ["from one", "Debug"]), (2, ["from two", "Error"])]
    assert all(r["time"].endswith("Z") for r in log)
    rows = bare.page.locator("#logs tbody tr")
    assert rows.count() >= 2 and "from two" in rows.first.text_content()


def test_before_dial_goes_to_every_tab(bare: Sim) -> None:
    """beforeDial is raised in every tab (the primary-tab check is the integration's job)."""
    bare.open(tabs="2", integration="/static/simulator/examples/plain-js-integration.html")
    bare.api("login")
    bare.api("agentDial", "+41791112233")
    for tab in (1, 2):
        bare.wait_for("beforeDial", tab=tab)


def test_closed_tab_receives_nothing_and_its_requests_fail(bare: Sim) -> None:
    """After closeTab the tab is gone from the list and no longer gets events."""
    bare.open(tabs="2")
    bare.api("closeTab", 2)
    bare.api("login")
    bare.wait_for("agentStateChange", tab=1)
    assert bare.prop("eventLog")[-1]["tabs"] == [1]
    with pytest.raises(Exception, match="no open tab 2"):
        bare.api("closeTab", 2)


def test_reload_keeps_the_tab_and_reconnects(sim: Sim) -> None:
    """Reloading a tab keeps its number and primary role; the new page connects again."""
    sim.frame().evaluate("window.oldPage = true")
    sim.api("reloadTab", 1)
    sim.frame().wait_for_function("!window.oldPage && document.documentElement.dataset.integration === 'ready'")
    sim.wait_tabs_ready()
    assert sim.cil("isPrimaryTab")["value"] is True
    sim.api("login")
    sim.wait_for("agentStateChange")


def test_tab_buttons_open_and_close_tabs(sim: Sim) -> None:
    """The panel's + Open tab and ✕ buttons open and close simulated tabs."""
    sim.page.click("#open-tab")
    sim.page.wait_for_selector('iframe[data-tab="2"]', state="attached")
    sim.wait_tabs_ready()
    sim.page.click('li[data-tab="1"] button[title="Close tab 1"]')
    sim.page.wait_for_function("connectsSimulator.tabs().length === 1")
    assert sim.api("tabs")[0]["n"] == 2 and sim.api("tabs")[0]["primary"] is True


def test_when_tabs_ready_rejects_when_an_integration_failed(bare: Sim) -> None:
    """whenTabsReady rejects at once, naming the tab, when its page marks data-integration="failed"."""
    bare.page.goto(f"{bare.server_url}/static/simulator/index.html?integration={EXAMPLE}%3Ffail%3D1")
    bare.page.wait_for_function("window.connectsSimulator")
    started = bare.page.evaluate("Date.now()")
    message = bare.page.evaluate(
        "connectsSimulator.whenTabsReady({timeoutMs: 20000}).then(() => 'ready', (e) => e.message)")
    assert "tab 1" in message and "failed" in message
    assert bare.page.evaluate("Date.now()") - started < 10000
    assert bare.api("tabs")[0]["marker"] == "failed"
    assert bare.page.locator('li[data-tab="1"] .badge').text_content() == "failed"
