"""The test browser's Chromium flags do what tools/browser.py says they do.

Chromium applies only the last --disable-features switch, and Playwright passes its own before
ours, so ours must repeat Playwright's list: a Playwright upgrade that disables more features would
otherwise silently turn them back on. And the omnibox pop-up's WebUI renderer (~1.1 s of CPU per
new browser context in headless Chromium 156) must not be started: every cold load the bench and
these tests measure would compete with it on 2 cores.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e


def _disable_features_switches(browser: Browser) -> list[set[str]]:
    """Each --disable-features switch on the browser's command line (chrome://version), in order."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto("chrome://version")
        command_line = page.locator("#command_line").inner_text()
    finally:
        context.close()
    return [set(word.split("=", 1)[1].split(",")) for word in command_line.split()
            if word.startswith("--disable-features=")]


def test_the_last_disable_features_switch_keeps_every_feature_disabled_before_it(browser: Browser) -> None:
    switches = _disable_features_switches(browser)
    assert len(switches) >= 2, "Playwright's switch and ours"
    effective, earlier = switches[-1], set().union(*switches[:-1])
    assert earlier <= effective, f"turned back on by our switch: {sorted(earlier - effective)}"
    assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= effective


def test_a_new_context_starts_no_omnibox_popup_renderer(browser: Browser) -> None:
    cdp = browser.new_browser_cdp_session()
    context = browser.new_context()
    try:
        context.new_page().goto("about:blank")
        targets = cdp.send("Target.getTargets")["targetInfos"]
    finally:
        context.close()
        cdp.detach()
    webui = [target["url"] for target in targets if target["url"].startswith("chrome://omnibox-popup")]
    assert webui == []
