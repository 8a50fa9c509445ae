"""Markup arriving as data is shown as text, never run: in the integration's status panel
(static/shim/status.js) and in the simulator page.

Markup enters through every door the integration reads: settings 1-5 (the getCustomSettings
result), event fields (participant name, ANI, call variables, an error message), a rejected
request's error text, and a failure report from the worker. Each snippet would set
`window.__pwned` if it were ever parsed as HTML, in either page.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Frame, Page

from .conftest import PythonSim, fire

Open = Callable[..., PythonSim]

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"
SVG = '"><svg onload="window.__pwned=3">'
TEMPLATE = "<svg onload=window.__pwned=4>"  # setting3's syntax would read a leading quote as quoting
SNIPPETS = (IMG, SCRIPT, SVG, TEMPLATE)

SETTINGS = {
    "setting1": f"region={IMG}",
    "setting2": f"block={SCRIPT}",
    "setting3": f"on=connect; template={TEMPLATE}; param.who=associatedParticipant.name; param.note=ctiData.note",
    "setting4": f"state=NotReady; reason={IMG}",
    "setting5": f"log={SCRIPT}",
}

NOT_RUN = """() => ({
    pwned: window.__pwned,
    elements: document.querySelectorAll('img[src="x"], svg[onload], script:not([src]):not([type])').length,
})"""


def assert_not_run(*targets: Page | Frame) -> None:
    for target in targets:
        assert target.evaluate(NOT_RUN) == {"pwned": None, "elements": 0}, target.url


def test_markup_in_settings_events_and_results_is_shown_as_text_and_never_run(python_sim: Open) -> None:
    """Every snippet reaches the status panel and the simulator page as literal text; nothing runs."""
    sim = python_sim(SETTINGS, visible=1)
    frame = sim.frame()
    sim.api("login", "Ready")
    call = sim.api("incomingCall", {
        "from": "+41441234567", "ctiData": {"note": SCRIPT},
        "associatedParticipant": {"id": "c1", "name": IMG, "recordType": "contact"},
    })
    sim.api("accept", call)
    sim.api("incomingCall", {"from": SVG})
    fire(sim, f'[["error", {{event: "error", message: {SVG!r}}}, false]]')
    sessions = sim.wait_requests("createSession", 1)
    sim.api("failNextRequest", "isPrimaryTab", IMG)  # a rejected request: its error text is logged
    sim.api("hangUp", call)
    sim.api("endWrapup", call)
    sim.page.wait_for_function("t => connectsSimulator.writeLogs.some((log) => log.message.includes(t))", arg=IMG)
    sim.settle(1200)  # the status panel is refreshed at most every 0.5 s

    status = frame.inner_text("#integration-details")
    for snippet in SNIPPETS:  # lists arrive as JSON text, so their quotes are escaped
        assert snippet in status or json.dumps(snippet)[1:-1] in status, snippet
    assert sessions[0]["args"][0] == TEMPLATE and sessions[0]["args"][1] == {"who": IMG, "note": SCRIPT}

    host = sim.page.inner_text("body")
    assert IMG in host and SVG in host  # the call cards: participant name, ANI; the alert
    for log in sim.page.locator("[data-log]").all():  # every log table of the simulator
        log.click()
        sim.page.wait_for_timeout(100)
        assert_not_run(sim.page, frame)
    shown = sim.page.inner_text("body")
    assert SCRIPT in shown

    # A failure report from the worker (its traceback may quote anything) is text too.
    frame.evaluate("text => window.integrationShim.bridge.fromWorker({kind: 'failed', error: text})", IMG)
    assert frame.inner_text("#integration-error") == IMG
    sim.settle(300)
    assert_not_run(sim.page, frame)
