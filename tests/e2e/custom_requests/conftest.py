"""Fixtures for the Custom Requests end-to-end tests: the simulator (plain-JS integration in tab 1,
so nothing waits for the Python integration) with the example page framed through `customPage`."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Frame, Page

from ..simulator.conftest import EXAMPLE, Sim

PAGE = "/static/custom-requests/example.html"
PYTHON_READY_MS = 60_000


class CustomPage:
    """Drives the framed example page: its inputs, buttons and the text it shows."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame

    def fill(self, field: str, value: str) -> None:
        self.frame.fill(f"#{field}", value)

    def select(self, field: str, value: str) -> None:
        self.frame.select_option(f"#{field}", value)

    def press(self, button: str) -> str:
        """Click a button and wait for the page's answer; return the text it shows."""
        self.frame.evaluate("document.getElementById('result').textContent = ''")
        self.frame.click(f"#{button}")
        self.frame.wait_for_function("document.getElementById('result').textContent !== ''", timeout=10_000)
        return self.frame.inner_text("#result")

    def sent(self) -> list[str]:
        return self.frame.eval_on_selector_all("#sent li", "items => items.map(i => i.textContent)")


def open_with_page(sim: Sim, integration: str = EXAMPLE, **params: Any) -> CustomPage:
    """Open the simulator with the example page framed; wait until the page's Python is ready."""
    sim.open(integration, customPage=PAGE, **params)
    handle = sim.page.locator("iframe[data-custom-page]").element_handle()
    assert handle is not None, "customPage did not add an iframe"
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function("document.documentElement.dataset.customRequests !== 'loading'", timeout=PYTHON_READY_MS)
    assert frame.evaluate("document.documentElement.dataset.customRequests") == "ready", frame.inner_text("#result")
    return CustomPage(frame)


@pytest.fixture
def sim(page: Page, server_url: str) -> Sim:
    """A simulator driver whose page is not loaded yet."""
    return Sim(page, server_url)


def custom_entries(sim: Sim) -> list[dict[str, Any]]:
    """The request log's custom requests."""
    return [e for e in sim.prop("requestLog") if e["tab"] == "custom request"]
