"""Event delivery: order, isolation, sync/async handlers, and nothing unreadable escapes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from integration.sdk import AgentStateChange, BeforeDial, ErrorEvent, EventName, Workitem
from integration.sdk._messages import EventEntry, Events
from integration.sdk._protocol import encode


async def test_handlers_receive_models_of_their_event(started, fake):
    """Each event reaches its handlers as the right model, with the shim's seq attached."""
    got = []
    started.on("agentStateChange", got.append)
    started.on_error(got.append)
    started.on_workitem_create(got.append)
    fake.agent_state_change("Ready")
    fake.error("boom")
    fake.incoming_call()
    await started.idle()
    assert [type(e) for e in got] == [AgentStateChange, ErrorEvent, Workitem]
    assert [e.seq for e in got] == [1, 2, 3]


async def test_every_on_decorator_registers_for_its_event(integration):
    """on_<event> and on(name) register the same way for all nine events."""
    names = {
        "on_agent_state_change": "agentStateChange",
        "on_before_dial": "beforeDial",
        "on_error": "error",
        "on_workitem_connect": "workitemConnect",
        "on_workitem_create": "workitemCreate",
        "on_workitem_end": "workitemEnd",
        "on_workitem_pause": "workitemPause",
        "on_workitem_resume": "workitemResume",
        "on_workitem_wrapup": "workitemWrapup",
    }
    for method, name in names.items():

        def handler(event):
            return None

        assert getattr(integration, method)(handler) is handler
        assert integration.handlers(name) == (handler,)
    assert integration.on("workItemWrapup")(print) is print
    assert integration.handlers(EventName.WORKITEM_WRAPUP)[-1] is print


def test_unknown_event_name_is_refused_at_registration(fake):
    """Registering for a name that is not one of the nine raises ValueError at once."""
    from integration.sdk import Integration

    integration = Integration(fake.transport)
    with pytest.raises(ValueError, match="onWorkitemConnect"):
        integration.on("onWorkitemConnect")


async def test_events_are_delivered_in_order_one_at_a_time(started, fake):
    """Handlers of one event (sync and async) finish before the next event's handlers start."""
    log = []

    @started.on_workitem_create
    async def slow(item):
        log.append(("start", item.id))
        await asyncio.sleep(0.01)
        log.append(("end", item.id))

    @started.on_workitem_create
    def sync_second(item):
        log.append(("sync", item.id))

    @started.on_workitem_end
    def ended(item):
        log.append(("ended", item.id))

    first = fake.incoming_call()
    second = fake.incoming_call()
    fake.end(first)
    await started.idle()
    assert log == [
        ("start", first), ("end", first), ("sync", first),
        ("start", second), ("end", second), ("sync", second),
        ("ended", first),
    ]  # fmt: skip


async def test_a_failing_handler_does_not_stop_others_or_later_events(started, fake, caplog):
    """A handler's exception is logged with traceback and counted; everything else still runs."""
    seen = []

    @started.on_error
    def broken(event):
        raise RuntimeError("handler bug")

    @started.on_error
    async def broken_async(event):
        raise KeyError("async bug")

    @started.on_error
    def fine(event):
        seen.append(event.message)

    with caplog.at_level(logging.ERROR, logger="integration.sdk"):
        fake.error("one")
        fake.error("two")
        await started.idle()
    assert seen == ["one", "two"]
    assert started.stats.handler_errors == 4 and started.stats.events_dispatched == 2
    assert any("handler bug" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    assert any("broken" in r.getMessage() for r in caplog.records)


async def test_handler_cancelled_error_is_isolated_too(started, fake):
    """A handler raising CancelledError on its own does not kill the dispatcher."""
    seen = []

    @started.on_error
    async def cancels(event):
        raise asyncio.CancelledError

    started.on_error(lambda event: seen.append(event.message))
    fake.error("a")
    fake.error("b")
    await started.idle()
    assert seen == ["a", "b"] and started.stats.handler_errors == 2


async def test_invalid_payloads_are_logged_and_counted_not_raised(started, fake, caplog):
    """A payload failing validation or flagged invalid is dropped with a log line and counted."""
    seen = []
    started.on_workitem_create(seen.append)
    started.on_agent_state_change(seen.append)
    with caplog.at_level(logging.WARNING, logger="integration.sdk"):
        fake.emit("workitemCreate", ["not", "an", "object"])
        fake.emit("agentStateChange", {"newState": 42})
        fake.emit_invalid("workitemConnect", "cyclic object")
        fake.incoming_call()
        await started.idle()
    assert [type(e) for e in seen] == [Workitem]
    assert started.stats.events_invalid == 3 and started.stats.events_received == 4
    assert sum("dropped" in r.getMessage() for r in caplog.records) == 3


async def test_unknown_event_names_are_counted_and_skipped(started, fake):
    """An event name outside the nine is logged and counted, later events still flow."""
    seen = []
    started.on_error(seen.append)
    fake.emit("workitemTransfer", {"id": "x"})
    fake.error("still here")
    await started.idle()
    assert started.stats.events_unknown == 1 and len(seen) == 1


async def test_wrapup_event_under_either_spelling_reaches_wrapup_handlers(started, fake):
    """Both workItemWrapup and workitemWrapup are delivered to on_workitem_wrapup."""
    seen = []
    started.on_workitem_wrapup(seen.append)
    fake.emit("workItemWrapup", {"id": "c1", "state": "Wrapup"})
    fake.emit("workitemWrapup", {"id": "c1", "state": "Wrapup"})
    await started.idle()
    assert [e.id for e in seen] == ["c1", "c1"]


async def test_dropped_events_are_logged_and_counted(started, fake, caplog):
    """The batch's dropped count is added to stats and logged."""
    with caplog.at_level(logging.WARNING, logger="integration.sdk"):
        fake.drop(5)
        fake.error("after the gap")
        await started.idle()
    assert started.stats.events_dropped == 5
    assert any("dropped 5" in r.getMessage() for r in caplog.records)


async def test_malformed_and_unknown_messages_never_crash(started, fake):
    """Malformed protocol messages and unknown kinds are counted; foreign text is ignored."""
    seen = []
    started.on_error(seen.append)
    fake.send_raw('{"bsc":1,"kind":"response","id":"x","ok":true}')
    fake.send_raw('{"bsc":1,"kind":"telemetry"}')
    fake.send_raw('{"bsc":1,"kind":"hello","sdk":"js"}')
    fake.send_raw("pyscript internal chatter")
    fake.send_raw('{"bsc":1,"kind":"events","events":[{"name":7}],"dropped":0}')
    fake.error("fine")
    await started.idle()
    assert started.stats.protocol_errors == 1
    assert started.stats.unknown_messages == 2
    assert started.stats.events_invalid == 1
    assert [e.message for e in seen] == ["fine"]


async def test_events_before_start_wait_for_the_dispatcher(fake, integration):
    """Events arriving before start() are kept and handled once it runs."""
    seen = []
    integration.on_error(seen.append)
    fake.ready = True  # a shim that forwards early
    fake.error("early")
    await asyncio.sleep(0.01)
    assert seen == []
    await integration.start()
    await integration.idle()
    assert [e.message for e in seen] == ["early"]


async def test_failing_before_dial_handler_answers_failed(fake, integration):
    """If a beforeDial handler raises before deciding, the shim is told 'failed' at once."""

    @integration.on_before_dial
    def broken(event: BeforeDial):
        raise RuntimeError("no rules")

    await integration.start()
    await integration.idle()
    seq = fake.before_dial("+4144")
    await integration.idle()
    assert fake.decisions == {seq: "failed"}


async def test_unreadable_before_dial_answers_failed(started, fake):
    """A beforeDial whose payload is unusable is answered 'failed' (no handler could decide)."""
    started.on_before_dial(lambda event: None)
    started._subscribe_before_dial()
    batch = Events(events=[EventEntry(seq=41, name="beforeDial", invalid="not serialisable")])
    fake.send_raw(encode(batch))
    await started.idle()
    assert fake.decisions == {41: "failed"}


async def test_handler_deciding_keeps_its_decision(fake, integration):
    """A beforeDial handler that decided and then raised is not overridden with 'failed'."""

    @integration.on_before_dial
    def decide_then_fail(event: BeforeDial):
        integration.send_decision(event, "block")
        raise RuntimeError("after deciding")

    await integration.start()
    seq = fake.before_dial("+4144")
    await integration.idle()
    assert fake.decisions == {seq: "block"}
