"""Fixtures for end-to-end tests of the Python integration inside the simulator.

`python_sim(settings, tabs=1, entry=None)` opens the simulator with the real /index.html in each
tab and the given settings 1–5 (written to the simulator's storage before the page loads), and
waits until every tab's Python said ready. `entry` replaces integration/worker_main.py for
fault injection (served through a Playwright route, so no test hook lives in the product).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from ..simulator.conftest import Sim

SETTINGS_KEY = "bsConnectsSimulator.settings"
READY_MS = 90_000


class PythonSim(Sim):
    """The simulator driver plus helpers for what the Python integration did."""

    def requests(self, name: str, tab: int | None = None) -> list[dict[str, Any]]:
        return [r for r in self.prop("requestLog") if r["name"] == name and (tab is None or r["tab"] == tab)]

    def wait_requests(self, name: str, count: int, timeout_ms: int = 15_000) -> list[dict[str, Any]]:
        self.page.wait_for_function(
            "([n, c]) => connectsSimulator.requestLog.filter(r => r.name === n).length >= c",
            arg=[name, count], timeout=timeout_ms,
        )
        return self.requests(name)

    def wait_alerts(self, count: int = 1, timeout_ms: int = 15_000) -> list[dict[str, Any]]:
        self.page.wait_for_function("c => connectsSimulator.alerts.length >= c", arg=count, timeout=timeout_ms)
        return self.prop("alerts")

    def status(self, tab: int = 1) -> str:
        return self.frame(tab).inner_text("#integration-details")

    def settle(self, ms: int = 700) -> None:
        """Let in-flight work finish before asserting that something did *not* happen."""
        self.page.wait_for_timeout(ms)


# The start of a worker entry that replaces integration/worker_main.py in fault-injection tests:
# connect the SDK exactly as worker_main does (listening before the heavy imports). Entries add
# their own behaviour after it; `transport` and `Integration` are defined.
ENTRY_PREAMBLE = """import js
from pyodide.ffi import create_proxy

early = []
listener = create_proxy(lambda event: early.append(event.data) if isinstance(event.data, str) else None)
js.addEventListener("message", listener)  # as worker_main.py: listen before the heavy imports

from integration.sdk import Integration
from integration.sdk._worker_transport import WorkerTransport

transport = WorkerTransport(early=early)
js.removeEventListener("message", listener)
"""

@pytest.fixture
def python_sim(page: Page, server_url: str) -> Callable[..., PythonSim]:
    def open_sim(settings: dict[str, str] | None = None, tabs: int = 1, entry: str | None = None,
                 **params: Any) -> PythonSim:
        stored = json.dumps(json.dumps(settings or {}))
        page.add_init_script(f"localStorage.setItem({json.dumps(SETTINGS_KEY)}, {stored});")
        if entry is not None:
            page.context.route(f"{server_url}/integration/worker_main.py",
                               lambda route: route.fulfill(body=entry, content_type="text/x-python"))
        sim = PythonSim(page, server_url)
        query = {"integration": "/index.html", "tabs": tabs, **params}
        from urllib.parse import urlencode

        page.goto(f"{server_url}/static/simulator/index.html?{urlencode(query)}")
        page.wait_for_function("window.connectsSimulator")
        page.evaluate("ms => connectsSimulator.whenTabsReady({timeoutMs: ms})", READY_MS)
        return sim

    return open_sim


@pytest.fixture(autouse=True)
def _echo_console(page: Page, request: pytest.FixtureRequest) -> None:
    """With BSC_E2E_CONSOLE=1, print the page's console (debugging aid)."""
    import os

    if os.environ.get("BSC_E2E_CONSOLE"):
        page.on("console", lambda message: print("console:", message.type, message.text[:300]))
