"""The other requests: showError/showInfo alerts, writeLog, createSession, custom settings,
bad requests, injected failures and the optional {success, response, error} envelope."""

from __future__ import annotations

import pytest

from .conftest import Sim

pytestmark = pytest.mark.e2e


def test_show_error_alerts_queue_in_order_with_their_buttons(sim: Sim) -> None:
    """Alerts show one at a time in arrival order; their buttons run the integration's callbacks."""
    frame = sim.frame()
    frame.evaluate("showErrorWithCallbacks('first problem', 'Oh no', 'Reload', 'Cancel')")
    frame.evaluate("showErrorWithCallbacks('second problem', 'Again', 'Retry', 'Ignore')")
    alerts = sim.prop("alerts")
    assert [(a["description"], a["title"], a["confirmLabel"], a["dismissLabel"], a["tab"]) for a in alerts] == [
        ("first problem", "Oh no", "Reload", "Cancel", 1), ("second problem", "Again", "Retry", "Ignore", 1)]
    alert = sim.page.locator("#alert .alert")
    assert "first problem" in alert.text_content() and "1 more queued" in alert.text_content()
    alert.locator("button.confirm").click()
    sim.page.wait_for_function("connectsSimulator.alerts.length === 1")
    assert "second problem" in sim.page.locator("#alert .alert").text_content()
    sim.page.locator("#alert button.dismiss").click()
    sim.page.wait_for_function("connectsSimulator.alerts.length === 0")
    frame.wait_for_function("window.callbacks.length === 2")
    assert frame.evaluate("window.callbacks") == ["confirm:first problem", "dismiss:second problem"]
    assert sim.page.locator("#alert .alert").count() == 0
    assert [(a["description"], a["outcome"]) for a in sim.prop("alertLog")] == [
        ("first problem", "confirmed"), ("second problem", "dismissed")]
    sim.page.click('[data-log="alerts"]')
    assert "confirmed" in sim.page.locator("#logs tbody").text_content()


def test_dismiss_action_without_callback_just_closes(sim: Sim) -> None:
    """A dismissAction with a label but no callback closes the alert and calls nothing."""
    sim.frame().evaluate("showErrorWithCallbacks('no callback', undefined, undefined, 'OK', false)")
    assert sim.page.locator("#alert button.dismiss").text_content() == "OK"
    assert sim.page.locator("#alert button.confirm").count() == 0
    sim.api("dismissAlert")
    assert sim.prop("alerts") == []
    assert sim.frame().evaluate("window.callbacks") == []


def test_reloading_a_tab_drops_its_queued_alerts(bare: Sim) -> None:
    """Reloading a tab deletes the alerts it queued; other tabs' alerts stay."""
    bare.open(tabs="2")
    bare.frame(1).evaluate("showErrorWithCallbacks('from tab one', 't', 'A', 'B')")
    bare.frame(2).evaluate("showErrorWithCallbacks('from tab two', 't', 'A', 'B')")
    bare.frame(1).evaluate("showErrorWithCallbacks('again tab one', 't', 'A', 'B')")
    bare.api("reloadTab", 1)
    bare.page.wait_for_function("connectsSimulator.alerts.length === 1")
    assert [a["description"] for a in bare.prop("alerts")] == ["from tab two"]
    dropped = [a["description"] for a in bare.prop("alertLog") if a["outcome"].startswith("dropped")]
    assert dropped == ["from tab one", "again tab one"]


def test_show_info_is_shown_then_disappears_after_six_seconds(bare: Sim) -> None:
    """showInfo is displayed and gone six seconds later."""
    bare.page.clock.install()
    bare.open()
    assert bare.cil("showInfo", "Saved the call notes")["ok"] is True
    assert bare.page.locator("#infos .info").text_content() == "Saved the call notes"
    bare.page.clock.run_for(5500)
    assert bare.page.locator("#infos .info").count() == 1
    bare.page.clock.run_for(700)
    bare.page.wait_for_function("document.querySelectorAll('#infos .info').length === 0")
    assert bare.prop("infos") == []
    assert bare.prop("alertLog")[0]["outcome"] == "disappeared after 6 s"


def test_show_info_over_sixty_characters_is_rejected(sim: Sim) -> None:
    """A description longer than 60 characters rejects the promise and raises the error event."""
    assert sim.cil("showInfo", "x" * 60)["ok"] is True
    result = sim.cil("showInfo", "y" * 61)
    assert result["ok"] is False and "60" in result["error"]
    [error] = sim.wait_for("error")
    assert error["message"] == result["error"]
    assert [i["description"] for i in sim.prop("infos")] == ["x" * 60]


def test_write_log_entries_appear_in_the_log_viewer(sim: Sim) -> None:
    """writeLog entries are listed as COR_API_WRITE_LOG with their level and tab."""
    sim.cil("writeLog", "debugging the dial rule", "Debug")
    sim.cil("writeLog", "CRM lookup failed", "Error")
    logs = sim.prop("writeLogs")
    assert [(w["tag"], w["level"], w["tab"], w["message"]) for w in logs] == [
        ("COR_API_WRITE_LOG", "Debug", 1, "debugging the dial rule"),
        ("COR_API_WRITE_LOG", "Error", 1, "CRM lookup failed")]
    sim.page.click('[data-log="writeLogs"]')
    sim.page.fill("#logs input[type=search]", "crm lookup")
    rows = sim.page.locator("#logs tbody tr")
    assert rows.count() == 1
    assert "COR_API_WRITE_LOG" in rows.first.text_content() and "Error" in rows.first.text_content()


def test_create_session_is_listed_with_template_and_parameters(sim: Sim) -> None:
    """createSession records the template name and parameters in the sessions list."""
    assert sim.cil("createSession", "Incoming call session", {"customerId": "42"})["ok"] is True
    [session] = sim.prop("sessions")
    assert (session["tab"], session["templateName"], session["templateParameters"]) == (
        1, "Incoming call session", {"customerId": "42"})
    sim.page.click('[data-log="sessions"]')
    assert "Incoming call session" in sim.page.locator("#logs tbody").text_content()


def test_custom_settings_are_edited_persisted_and_returned(sim: Sim) -> None:
    """Settings typed in the panel persist across reloads and getCustomSettings returns all five."""
    sim.page.fill('#settings input[name="setting2"]', "https://crm.example.test")
    sim.page.press('#settings input[name="setting2"]', "Tab")
    sim.page.reload()
    sim.page.wait_for_function("window.connectsSimulator")
    sim.wait_tabs_ready()
    assert sim.page.input_value('#settings input[name="setting2"]') == "https://crm.example.test"
    assert sim.cil("getCustomSettings")["value"] == [
        {"key": "setting1", "value": ""}, {"key": "setting2", "value": "https://crm.example.test"},
        {"key": "setting3", "value": ""}, {"key": "setting4", "value": ""}, {"key": "setting5", "value": ""}]
    sim.api("setSettings", {"setting5": "five"})
    assert sim.cil("getCustomSettings")["value"][4] == {"key": "setting5", "value": "five"}


BAD_REQUESTS = [
    ("getChannel", ["voice_77"], "unknown channel"),
    ("getChannel", [], "channelId must be a string"),
    ("getReasonCodeList", ["voice", "Lunch"], "unknown reasonType"),
    ("getReasonCodeList", ["voice"], "reasonType must be a string"),
    ("setAgentState", ["voice", 3], "state must be a string"),
    ("setAgentState", ["voice", "Ready", None, {"x": 1}], "requestId"),
    ("createSession", [], "templateName must be a string"),
    ("createSession", ["tpl", [1, 2]], "templateParameters"),
    ("showError", [], "description must be a string"),
    ("showError", ["d", "t", {"label": 5}], "confirmAction.label"),
    ("showError", ["d", "t", None, "Cancel"], "dismissAction"),
    ("showInfo", [42], "description must be a string"),
    ("writeLog", [], "logMessage must be a string"),
    ("writeLog", ["m", 3], "logLevel"),
]


@pytest.mark.parametrize(("name", "args", "needle"), BAD_REQUESTS)
def test_bad_requests_reject_and_raise_error_and_the_simulator_goes_on(
    sim: Sim, name: str, args: list, needle: str
) -> None:
    """Malformed requests reject with a clear message, raise the error event, and nothing breaks."""
    result = sim.cil(name, *args)
    assert result["ok"] is False
    assert result["error"].startswith(f"{name}: ") and needle in result["error"]
    [error] = sim.wait_for("error")
    assert error["message"] == result["error"] and error["requestId"] == ""
    assert sim.prop("requestLog")[-1]["outcome"] == f"error: {result['error']}"
    assert sim.cil("isPrimaryTab") == {"ok": True, "value": True}


def test_fail_next_request_fails_only_the_next_one(sim: Sim) -> None:
    """failNextRequest makes the next request of that name fail once (reject + error event)."""
    sim.api("failNextRequest", "getCustomSettings", "CRM settings store down")
    first = sim.cil("getCustomSettings")
    assert first == {"ok": False, "error": "getCustomSettings: CRM settings store down"}
    assert sim.cil("getCustomSettings")["ok"] is True
    assert sim.wait_for("error")[0]["message"] == first["error"]


def test_fail_next_dial_reports_through_the_error_event(sim: Sim) -> None:
    """An injected dialOrConsult failure resolves and raises error with the request's requestId."""
    sim.api("login")
    sim.api("failNextRequest", "dialOrConsult", "line busy")
    assert sim.cil("dialOrConsult", "voice", "123", "rq-9")["ok"] is True
    [error] = sim.wait_for("error")
    assert (error["requestId"], error["message"]) == ("rq-9", "dialOrConsult: line busy")
    assert sim.api("calls") == []


def test_envelope_option_wraps_results(bare: Sim) -> None:
    """With the envelope option requests resolve to {success, response, error}."""
    bare.open(envelope="1")
    ok = bare.cil("isPrimaryTab")["value"]
    assert ok == {"success": True, "response": True, "error": None}
    bad = bare.cil("getChannel", "nope")["value"]
    assert bad["success"] is False and "unknown channel" in bad["error"]
