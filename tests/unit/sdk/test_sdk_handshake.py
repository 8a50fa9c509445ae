"""The protocol conversation: hello/ping, subscribe, ready, context, decisions, callbacks."""

from __future__ import annotations

import asyncio
import json

import pytest

from integration.sdk import Action, Integration, InvalidRequest, __version__
from integration.testing import FakeConnects


def kinds(fake: FakeConnects) -> list[str]:
    return [json.loads(text)["kind"] for text in fake.transport.sent]


async def test_hello_is_sent_once_when_attached(fake):
    """Attaching sends exactly one hello carrying the SDK version."""
    integration = Integration(fake.transport)
    await integration.idle()
    assert fake.hellos == [__version__] and kinds(fake) == ["hello"]
    await integration.close()


async def test_every_ping_gets_a_hello(fake, integration):
    """A ping is answered with hello each time (also later, as a liveness check)."""
    fake.ping()
    fake.ping()
    await integration.idle()
    assert len(fake.hellos) == 3


async def test_start_sends_ready_after_seeding_and_no_subscribe_without_before_dial(fake, integration):
    """Without beforeDial handlers start() sends getChannel then ready, and never subscribe."""
    integration.on_workitem_create(lambda item: None)
    await integration.start()
    await integration.idle()
    assert kinds(fake) == ["hello", "request", "ready"]
    assert fake.subscriptions == [] and fake.ready


async def test_subscribe_before_dial_only_with_a_handler(fake, integration):
    """A beforeDial handler registered before start() makes start() subscribe it, once."""
    integration.on_before_dial(lambda event: None)
    integration.on_before_dial(lambda event: None)
    await integration.start()
    await integration.start()  # idempotent
    await integration.idle()
    assert kinds(fake) == ["hello", "subscribe", "request", "ready"]
    assert fake.subscriptions == ["beforeDial"]


async def test_late_before_dial_handler_subscribes_then(started, fake):
    """A beforeDial handler registered after start() subscribes at that moment."""
    assert fake.subscriptions == []
    started.on_before_dial(lambda event: None)
    await started.idle()
    assert fake.subscriptions == ["beforeDial"]


async def test_events_are_buffered_until_ready(fake, integration):
    """Events raised before ready reach handlers only after start()."""
    seen = []
    integration.on_error(seen.append)
    fake.error("while starting")
    await asyncio.sleep(0.01)
    assert seen == []
    await integration.start()
    await integration.idle()
    assert [e.message for e in seen] == ["while starting"]


async def test_context_is_received_and_persist_updates_storage():
    """The context's storage is exposed; persist() updates it locally and on the shim."""
    fake = FakeConnects(storage={"lastCall": "call-1"}, restarts=2, visible=False)
    integration = Integration(fake.transport)
    context = await integration.wait_for_context(timeout=1)
    assert context.restarts == 2 and context.visible is False
    assert dict(integration.storage) == {"lastCall": "call-1"}
    integration.persist("lastCall", "call-2")
    integration.persist("other", "x")
    integration.persist("other", None)
    await integration.idle()
    assert fake.storage == {"lastCall": "call-2"} == dict(integration.storage)
    with pytest.raises(InvalidRequest):
        integration.persist("", "x")
    with pytest.raises(InvalidRequest):
        integration.persist("k", 5)  # type: ignore[arg-type]
    await integration.close()


async def test_status_and_configure_messages(started, fake):
    """send_status sends short strings; configure_watchdog validates and sends its settings."""
    started.send_status({"calls": 2}, mode="ok", flag=True)
    started.configure_watchdog(2500, "closed")
    await started.idle()
    assert fake.status == {"calls": "2", "mode": "ok", "flag": "true"}
    assert fake.watchdog == (2500, "closed")
    with pytest.raises(InvalidRequest, match="watchdogMs"):
        started.configure_watchdog(0)
    with pytest.raises(InvalidRequest, match="failMode"):
        started.configure_watchdog(1000, "sideways")


async def test_dial_decision_carries_what_to_dial(fake, integration):
    """A 'dial' decision names channel, address (default: the dialled number) and a requestId."""
    decided = []

    @integration.on_before_dial
    def allow(event):
        decided.append(integration.send_decision(event, "dial"))

    await integration.start()
    seq = fake.before_dial("+41441234567")
    created = await integration.wait_for("workitemCreate", timeout=1)
    assert fake.decisions == {seq: "dial"}
    assert created.request_id == decided[0] and created.ani == "+41441234567"


async def test_dial_decision_can_change_the_number(fake, integration):
    """The handler may dial a normalised number instead of the typed one."""

    @integration.on_before_dial
    def normalise(event):
        integration.send_decision(event, "dial", address="+41441234567", channel_id="voice_5000")

    await integration.start()
    fake.before_dial("044 123 45 67")
    created = await integration.wait_for("workitemCreate", timeout=1)
    assert created.ani == "+41441234567"


async def test_decision_validation(started):
    """Decisions need a seq, a known outcome, and for dial a valid channel and address."""
    with pytest.raises(InvalidRequest, match="outcome"):
        started.send_decision(3, "maybe")
    with pytest.raises(InvalidRequest, match="seq"):
        started.send_decision("3", "block")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="address"):
        started.send_decision(3, "dial")
    with pytest.raises(InvalidRequest, match="channelId"):
        started.send_decision(3, "dial", address="1", channel_id="sip")
    assert started.send_decision(3, "block") is None


async def test_callbacks_run_sync_or_async_and_forget_both_actions(started, fake):
    """Clicking runs the Python callback (sync or async) once; the alert's other button is forgotten."""
    clicks = []

    async def reload():
        clicks.append("reload")

    await started.client.show_error(
        "Reload?", "Oops", Action("Reload", reload), Action("Cancel", lambda: clicks.append("x"))
    )
    await started.client.show_error("Second", None, Action("OK", lambda: clicks.append("ok")))
    assert len(started._callbacks) == 3
    fake.click(0, "confirm")
    await started.idle()
    assert clicks == ["reload"] and len(started._callbacks) == 1
    fake.click(0, "dismiss")  # same alert: its callback is gone
    await started.idle()
    assert clicks == ["reload"] and started.stats.callbacks_unknown == 1
    fake.click(1, "confirm")
    await started.idle()
    assert clicks == ["reload", "ok"] and len(started._callbacks) == 0


async def test_dismiss_without_callback_sends_null_and_click_sends_nothing(started, fake):
    """A dismiss button without callback is allowed; clicking it sends no callback message."""
    await started.client.show_error("Info", None, None, Action("Close"))
    fake.click(-1, "dismiss")
    await started.idle()
    assert fake.alerts[-1].dismiss == {"label": "Close", "callback": None} and fake.alerts[-1].closed


async def test_failing_callback_is_logged_and_counted(started, fake):
    """An exception in a callback does not escape; it is counted."""

    def broken():
        raise RuntimeError("callback bug")

    await started.client.show_error("x", None, Action("Go", broken))
    fake.click()
    await started.idle()
    assert started.stats.callback_errors == 1 and started.stats.callbacks_invoked == 1


async def test_unknown_callback_ids_are_counted(started, fake):
    """A callback message naming no registered action is logged and counted."""
    fake.send_raw('{"bsc":1,"kind":"callback","callback":"cb-999"}')
    await started.idle()
    assert started.stats.callbacks_unknown == 1


def test_receiver_called_without_a_running_loop_handles_inline(fake):
    """Messages delivered outside any loop (e.g. at import time) are handled immediately."""
    integration = Integration(fake.transport)
    integration._receive('{"bsc":1,"kind":"ping"}')
    assert len(fake.hellos) == 2


async def test_report_failure_sends_the_traceback(started, fake):
    """report_failure(exc) sends a 'failed' message with the formatted traceback."""
    try:
        raise ImportError("no module named rules")
    except ImportError as exc:
        started.report_failure(exc)
    started.report_failure("plain text")
    await started.idle()
    assert "Traceback" in fake.failures[0] and "ImportError: no module named rules" in fake.failures[0]
    assert fake.failures[1] == "plain text"
