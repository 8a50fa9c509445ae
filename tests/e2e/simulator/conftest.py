"""Fixtures for the simulator's own end-to-end tests: the simulator page embedding the plain-JS
example integration (no Python start-up, so these run in seconds) and a small driver around
`window.connectsSimulator` and the example's `window.received` / `window.cilCall`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Frame, Page

EXAMPLE = "/static/simulator/examples/plain-js-integration.html"


class Sim:
    """Drives the simulator page and reads what the example integration in each tab received."""

    def __init__(self, page: Page, server_url: str) -> None:
        self.page = page
        self.server_url = server_url

    def open(self, integration: str = EXAMPLE, **params: Any) -> Sim:
        """Load the simulator page with query parameters and wait for every tab to be ready."""
        query = urlencode({"integration": integration, **params})
        self.page.goto(f"{self.server_url}/static/simulator/index.html?{query}")
        self.page.wait_for_function("window.connectsSimulator")
        self.wait_tabs_ready()
        return self

    def wait_tabs_ready(self) -> list[dict[str, Any]]:
        return self.page.evaluate("connectsSimulator.whenTabsReady({timeoutMs: 10000})")

    def api(self, method: str, *args: Any) -> Any:
        """Call connectsSimulator.<method>(...args) on the host page (awaited if it is a promise)."""
        return self.page.evaluate("([m, a]) => connectsSimulator[m](...a)", [method, list(args)])

    def prop(self, name: str) -> Any:
        return self.page.evaluate(f"connectsSimulator.{name}")

    def frame(self, tab: int = 1) -> Frame:
        handle = self.page.locator(f'iframe[data-tab="{tab}"]').element_handle()
        assert handle is not None, f"no iframe for tab {tab}"
        frame = handle.content_frame()
        assert frame is not None
        return frame

    def cil(self, name: str, *args: Any, tab: int = 1) -> dict[str, Any]:
        """Call a request from the integration in `tab`: {ok, value} or {ok: False, error}."""
        return self.frame(tab).evaluate("([n, a]) => cilCall(n, ...a)", [name, list(args)])

    def received(self, name: str | None = None, tab: int = 1) -> list[dict[str, Any]]:
        events = self.frame(tab).evaluate("window.received")
        return [e["data"] for e in events if name is None or e["name"] == name]

    def names(self, tab: int = 1) -> list[str]:
        return [e["name"] for e in self.frame(tab).evaluate("window.received")]

    def wait_for(self, name: str, count: int = 1, tab: int = 1, timeout: int = 5000) -> list[dict[str, Any]]:
        """Wait until the integration in `tab` received `count` events `name`; return them all."""
        self.frame(tab).wait_for_function(
            "([n, c]) => window.received.filter(e => e.name === n).length >= c", arg=[name, count], timeout=timeout
        )
        return self.received(name, tab)

    def clear_received(self, tab: int = 1) -> None:
        self.frame(tab).evaluate("window.received.length = 0")


@pytest.fixture
def sim(page: Page, server_url: str) -> Sim:
    """The simulator with one tab running the plain-JS example integration, ready."""
    return Sim(page, server_url).open()


@pytest.fixture
def bare(page: Page, server_url: str) -> Sim:
    """A driver whose page is not loaded yet (tests choose the query parameters)."""
    return Sim(page, server_url)
