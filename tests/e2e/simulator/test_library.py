"""The stub library itself: object and class use, initIntegration, handlers, standalone mode."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page

from .conftest import EXAMPLE, Sim

pytestmark = pytest.mark.e2e


def test_library_works_when_used_as_a_class(bare: Sim) -> None:
    """new ConnectsIntegrationLibrary() gives the same working API as the object form."""
    bare.open(integration=EXAMPLE + "?style=class")
    same = bare.frame().evaluate(
        "new ConnectsIntegrationLibrary().getChannel === ConnectsIntegrationLibrary.getChannel")
    assert same is True
    bare.api("login")
    bare.wait_for("agentStateChange")


def test_init_integration_calls_back_asynchronously_and_once(sim: Sim) -> None:
    """initIntegration's callback runs after the call returns, exactly once."""
    result = sim.frame().evaluate("""async () => {
        let calls = 0;
        const done = ConnectsIntegrationLibrary.initIntegration(() => { calls += 1; });
        const synchronously = calls;
        await done;
        await new Promise((r) => setTimeout(r, 50));
        return [synchronously, calls];
    }""")
    assert result == [0, 1]


def test_several_handlers_per_event_and_a_failing_one_does_not_stop_the_rest(sim: Sim) -> None:
    """Every registered handler gets the event, even when an earlier handler throws."""
    sim.frame().evaluate("""() => {
        window.extra = [];
        ConnectsIntegrationLibrary.onAgentStateChange(() => { throw new Error('boom'); });
        ConnectsIntegrationLibrary.onAgentStateChange((d) => window.extra.push(d.newState));
    }""")
    sim.api("login", "Ready")
    sim.frame().wait_for_function("window.extra.length === 1")
    assert sim.frame().evaluate("window.extra") == ["Ready"]
    assert len(sim.received("agentStateChange")) == 1


def test_payloads_are_plain_objects_of_the_integration_page(sim: Sim) -> None:
    """Event data is copied into the iframe's realm (plain objects and arrays of that page)."""
    sim.frame().evaluate("""() => {
        window.realmCheck = null;
        ConnectsIntegrationLibrary.onWorkitemCreate((d) => {
            window.realmCheck = Object.getPrototypeOf(d) === Object.prototype
                && d.participants instanceof Array && d.ctiData.constructor === Object;
        });
    }""")
    sim.api("login")
    sim.api("incomingCall", {"ctiData": {"k": "v"}})
    sim.frame().wait_for_function("window.realmCheck !== null")
    assert sim.frame().evaluate("window.realmCheck") is True
    value = sim.frame().evaluate("ConnectsIntegrationLibrary.getChannel('voice').then(v => v instanceof Object)")
    assert value is True


def test_registering_a_non_function_handler_throws(sim: Sim) -> None:
    """onX with something that is not a function throws a TypeError at once."""
    message = sim.frame().evaluate(
        "() => { try { ConnectsIntegrationLibrary.onError('nope'); return 'no error'; } catch (e) { return e.name; } }")
    assert message == "TypeError"


def test_integration_page_opened_alone_starts_an_in_page_simulator(page: Page, server_url: str) -> None:
    """Opened without the simulator page, the library starts its own core and says so in console."""
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(message.text)

    page.on("console", keep)
    page.goto(server_url + EXAMPLE)
    page.wait_for_function("document.documentElement.dataset.integration === 'ready'")
    assert any("in-page simulator" in m for m in messages)
    page.evaluate("connectsSimulator.login('Ready')")
    page.wait_for_function("window.received.some(e => e.name === 'agentStateChange')")
    assert page.evaluate("cilCall('isPrimaryTab')") == {"ok": True, "value": True}
    assert page.evaluate("connectsSimulator.tabs()")[0]["ready"] is True


def test_default_integration_is_index_html_and_query_overrides_it(page: Page, server_url: str) -> None:
    """The iframe loads /index.html unless ?integration= names another same-origin page."""
    page.goto(server_url + "/static/simulator/index.html")
    assert page.locator('iframe[data-tab="1"]').get_attribute("src") == "/index.html"
    page.goto(server_url + "/static/simulator/index.html?integration=https://elsewhere.test/x.html")
    assert page.locator('iframe[data-tab="1"]').get_attribute("src") == "/index.html"
    page.goto(server_url + "/?integration=" + EXAMPLE)
    assert page.locator('iframe[data-tab="1"]').get_attribute("src") == EXAMPLE
