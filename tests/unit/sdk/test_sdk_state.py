"""The state store: seeded from getChannel, kept current by events; wait_for awaits the next event."""

from __future__ import annotations

import asyncio

import pytest

from integration.sdk import AgentState, EventTimeout, Workitem, WorkitemState
from integration.testing import FakeConnects


async def test_start_seeds_agent_and_channel_state(fake, integration):
    """start() asks getChannel once and stores the agent and the channel's state."""
    fake.state, fake.reason_code, fake.reason_label = AgentState.NOT_READY, 2, "Lunch"
    await integration.start()
    assert [r.args for r in fake.requests_named("getChannel")] == [["voice"]]
    status = integration.state.status("voice_5000")
    assert status.state is AgentState.NOT_READY and status.reason == 2 and status.reason_code_label == "Lunch"
    assert integration.state.agent_state() is AgentState.NOT_READY
    assert integration.state.agent_state("voice") is AgentState.NOT_READY
    assert integration.state.agent.first_name == "Alex"


async def test_seed_rebuilds_open_calls_after_a_reload():
    """A reload mid-call: the snapshot and the call-recovery workitemCreate give one open call."""
    fake = FakeConnects(state=AgentState.ACTIVE)
    call_id = fake.incoming_call()
    fake.connect(call_id)
    fake.outbox.pending.clear()  # those events were seen by the previous page
    from integration.sdk import Integration

    integration = Integration(fake.transport)
    await integration.start()
    assert [w.id for w in integration.state.open_workitems()] == [call_id]
    assert integration.state.workitem(call_id).state is WorkitemState.ACTIVE
    fake.emit("workitemCreate", {**fake.workitems[call_id], "event": "workitemCreate"})  # recovery
    await integration.idle()
    assert list(integration.state.workitems) == [call_id]
    await integration.close()


async def test_seed_failure_is_logged_not_raised(fake, integration):
    """A failing getChannel leaves the state empty but start() still sends ready."""
    fake.fail["getChannel"] = "no such channel"
    await integration.start()
    await integration.idle()
    assert integration.state.agent is None and fake.ready


async def test_start_without_channel_skips_seeding(fake, integration):
    """start(channel_id=None) does not call getChannel."""
    await integration.start(channel_id=None)
    await integration.idle()
    assert fake.requests_named("getChannel") == [] and fake.ready


async def test_events_update_state_and_ended_items_are_removed(started, fake):
    """agentStateChange updates the channel; workitem events update items; workitemEnd removes."""
    fake.agent_state_change("Ready")
    call_id = fake.incoming_call()
    await started.idle()
    assert started.state.agent_state() is AgentState.READY
    assert started.state.workitem(call_id).state is WorkitemState.OFFERED
    fake.connect(call_id)
    fake.pause(call_id)
    await started.idle()
    assert started.state.workitem(call_id).state is WorkitemState.PAUSED
    fake.resume(call_id)
    fake.wrapup(call_id)
    await started.idle()
    assert started.state.workitem(call_id).state is WorkitemState.WRAPUP
    fake.end(call_id)
    await started.idle()
    assert started.state.open_workitems() == [] and call_id not in started.state.workitems


async def test_handler_sees_its_own_event_in_the_state(started, fake):
    """When a workitemCreate handler runs, its call is already in the open items."""
    snapshots = []

    @started.on_workitem_create
    def check(item: Workitem):
        snapshots.append([w.id for w in started.state.open_workitems()])

    call_id = fake.incoming_call()
    await started.idle()
    assert snapshots == [[call_id]]


async def test_state_views_are_read_only(started):
    """channels and workitems are read-only views."""
    with pytest.raises(TypeError):
        started.state.workitems["x"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        started.state.channels["x"] = None  # type: ignore[index]


async def test_wait_for_returns_the_next_matching_event(started, fake):
    """wait_for resolves with the next event of that name for which the predicate holds."""
    waiting = asyncio.ensure_future(started.wait_for("workitemConnect", lambda w: w.ani == "+2"))
    await asyncio.sleep(0)
    first, second = fake.incoming_call("+1"), fake.incoming_call("+2")
    fake.connect(first)
    fake.connect(second)
    event = await asyncio.wait_for(waiting, 1)
    assert event.id == second and len(started._waiters) == 0


async def test_wait_for_inside_a_handler_does_not_deadlock(started, fake):
    """A handler can wait for a later event: waiters are settled on arrival."""
    connected = []

    @started.on_workitem_create
    async def wait_connect(item):
        connected.append(await started.wait_for("workitemConnect", lambda w: w.id == item.id, timeout=1))

    call_id = fake.incoming_call()
    fake.connect(call_id)
    await started.idle()
    assert [w.id for w in connected] == [call_id]


async def test_wait_for_timeout_raises_and_cleans_up(started):
    """No matching event: EventTimeout (a TimeoutError), and the waiter is gone."""
    with pytest.raises(EventTimeout) as info:
        await started.wait_for("workitemEnd", timeout=0.02)
    assert isinstance(info.value, TimeoutError) and len(started._waiters) == 0


async def test_wait_for_predicate_error_reaches_the_caller(started, fake):
    """A predicate that raises fails that wait_for, not the dispatcher."""
    waiting = asyncio.ensure_future(started.wait_for("error", lambda e: 1 / 0, timeout=1))
    await asyncio.sleep(0)
    fake.error("x")
    with pytest.raises(ZeroDivisionError):
        await waiting
    await started.idle()
    assert started.stats.events_dispatched == 1


async def test_wait_for_refuses_unknown_names(started):
    """An unknown event name raises ValueError instead of waiting forever."""
    with pytest.raises(ValueError):
        await started.wait_for("callStarted")


async def test_wait_for_outside_handlers_ignores_events_that_already_arrived(started, fake):
    """From ordinary code, only events arriving after the call count as "next"."""
    fake.error("old")
    await started.idle()
    with pytest.raises(EventTimeout):
        await started.wait_for("error", timeout=0.02)
