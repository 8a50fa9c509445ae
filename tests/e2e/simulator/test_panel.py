"""The page a person uses: text-only rendering, hidden integration, a screenshot for the docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Sim

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_strings_from_the_integration_are_shown_as_text(sim: Sim) -> None:
    """Markup in alert texts, log messages and sessions is displayed literally, never parsed."""
    markup = '<img src=x id="injected" onerror="window.pwned=1">'
    sim.frame().evaluate("(m) => showErrorWithCallbacks(m, m, m, m)", markup)
    sim.cil("writeLog", markup, "Debug")
    sim.cil("createSession", markup, {"html": markup})
    sim.cil("showInfo", "<b>bold?</b>")
    assert markup in sim.page.locator("#alert .alert").text_content()
    assert sim.page.locator("#infos .info").text_content() == "<b>bold?</b>"
    for view in ("writeLogs", "sessions", "requests"):
        sim.page.click(f'[data-log="{view}"]')
        assert "<img src=x id=" in sim.page.locator("#logs").text_content()
    assert sim.page.locator("#injected").count() == 0
    assert sim.page.locator("#infos b").count() == 0
    assert sim.page.evaluate("window.pwned") is None


def test_integration_is_hidden_by_default_and_can_be_shown(sim: Sim) -> None:
    """The integration iframe loads hidden (but running); the Show integration toggle reveals it."""
    iframe = sim.page.locator('iframe[data-tab="1"]')
    box = iframe.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    sim.page.check("#opt-visible")
    sim.page.wait_for_function("document.querySelector('iframe[data-tab=\"1\"]').getBoundingClientRect().width > 100")
    assert sim.api("options")["visible"] is True
    sim.api("login")
    sim.wait_for("agentStateChange")  # still the same running page: nothing was reloaded


def test_visible_query_parameter_shows_the_integration(bare: Sim) -> None:
    """?visible=1 starts with the integration shown."""
    bare.open(visible="1")
    box = bare.page.locator('iframe[data-tab="1"]').bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100


def test_screenshot_of_a_call_in_progress(bare: Sim, tmp_path: Path) -> None:
    """Renders the simulator mid-call (docs/simulator.png when SIMULATOR_SCREENSHOT=1)."""
    import os

    bare.page.set_viewport_size({"width": 1280, "height": 900})
    bare.open(visible="1", tabs="2")
    bare.api("setSettings", {"setting1": "https://crm.example.test", "setting2": "CH"})
    bare.api("login", "Ready")
    call = bare.api("incomingCall", {"from": "+41441234567", "ctiData": {"account": "10042", "queue": "Sales"}})
    bare.api("accept", call)
    bare.cil("writeLog", "call connected: opening the customer", "Debug")
    bare.cil("createSession", "Incoming call", {"contactId": "c0a80101-0000-4000-8000-000000000001"})
    bare.cil("showInfo", "Customer Jane Doe opened")
    bare.wait_for("workitemConnect")
    target = DOCS / "simulator.png" if os.environ.get("SIMULATOR_SCREENSHOT") == "1" else tmp_path / "simulator.png"
    bare.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
