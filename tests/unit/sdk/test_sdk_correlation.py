"""Awaiting the outcome of setAgentState/dialOrConsult: the matching event, the error, or a timeout."""

from __future__ import annotations

import asyncio

import pytest

from integration.sdk import (
    AgentState,
    AgentStateChange,
    Direction,
    RequestFailed,
    RequestTimeout,
    Workitem,
)


async def test_set_agent_state_wait_returns_the_matching_state_change(started, fake):
    """wait=True returns the agentStateChange carrying our requestId."""
    event = await started.client.set_agent_state("voice", "Ready", wait=True, timeout=1)
    assert isinstance(event, AgentStateChange)
    assert event.new_state is AgentState.READY and event.old_state is AgentState.NOT_READY
    assert event.request_id == fake.requests_named("setAgentState")[0].args[3]


async def test_set_agent_state_wait_raises_with_the_error_events_message(started, fake):
    """An error event with our requestId raises RequestFailed carrying its message and event."""
    with pytest.raises(RequestFailed) as info:
        await started.client.set_agent_state("voice", "NotReady", 999, request_id="mine", wait=True, timeout=1)
    assert info.value.error == "Unknown reason code 999 for NotReady"
    assert info.value.request_id == "mine" and info.value.event.request_id == "mine"


async def test_dial_wait_returns_the_created_workitem(started, fake):
    """dial_or_consult(wait=True) returns the workitemCreate of our requestId."""
    item = await started.client.dial_or_consult("voice", "+41441234567", wait=True, timeout=1)
    assert isinstance(item, Workitem)
    assert item.direction is Direction.OUTGOING and item.ani == "+41441234567"


async def test_dial_wait_raises_when_logged_out(fake, integration):
    """A dial while logged out raises RequestFailed with the host's message."""
    fake.state = AgentState.LOGOUT
    await integration.start()
    with pytest.raises(RequestFailed, match="not logged in"):
        await integration.client.dial_or_consult("voice", "123", wait=True, timeout=1)


async def test_other_requests_events_do_not_settle_our_waiter(started, fake, monkeypatch):
    """Events for other requestIds (or none) are ignored by the waiter."""
    monkeypatch.setattr(fake.answers, "_do_setAgentState", lambda request, *args: fake.answers._answer(request))
    task = asyncio.ensure_future(
        started.client.set_agent_state("voice", "Ready", request_id="ours", wait=True, timeout=1)
    )
    await started.idle()
    assert not task.done()
    fake.error("someone else's failure", request_id="theirs")
    fake.agent_state_change("NotReady", request_id="")
    await started.idle()
    assert not task.done()
    fake.agent_state_change("Ready", request_id="ours")
    event = await task
    assert event.request_id == "ours" and event.new_state is AgentState.READY


async def test_outcome_timeout_raises_and_leaves_no_waiter(started, fake):
    """No outcome event in time raises RequestTimeout; the waiter is removed."""
    fake.silent.add("setAgentState")
    with pytest.raises(RequestTimeout):
        await started.client.set_agent_state("voice", "Ready", wait=True, timeout=0.05)
    assert len(started._waiters) == 0 and started._rpc.pending_count == 0


async def test_outcome_timeout_when_response_arrives_but_no_event(started, fake, monkeypatch):
    """The promise resolves but no event follows: RequestTimeout naming the outcome, no leak."""
    monkeypatch.setattr(fake.desk, "change_state", lambda *a, **k: None)
    with pytest.raises(RequestTimeout, match="outcome"):
        await started.client.set_agent_state("voice", "Ready", wait=True, timeout=0.05)
    assert len(started._waiters) == 0


async def test_rejected_request_with_wait_raises_and_leaves_no_waiter(started, fake):
    """ok=false surfaces as RequestFailed even when waiting for the outcome."""
    fake.fail["dialOrConsult"] = "cil not ready"
    with pytest.raises(RequestFailed, match="cil not ready"):
        await started.client.dial_or_consult("voice", "123", wait=True, timeout=1)
    assert len(started._waiters) == 0


async def test_outcome_event_arriving_before_the_response_is_not_missed(started, fake, monkeypatch):
    """The waiter exists before the request is sent, so an early event still counts."""
    original = fake.answers._answer

    def event_first(request, result=None, error=None):
        if request.name == "setAgentState":
            fake.agent_state_change("Ready", request_id=request.args[3])
        original(request, result, error)

    monkeypatch.setattr(fake.answers, "_answer", event_first)
    monkeypatch.setattr(fake.answers, "_do_setAgentState", lambda request, *args: fake.answers._answer(request))
    event = await started.client.set_agent_state("voice", "Ready", wait=True, timeout=1)
    assert event.new_state is AgentState.READY


async def test_handler_can_await_an_outcome_without_deadlock(started, fake):
    """Outcomes settle on arrival, so a handler awaiting one is not blocked by its own dispatch."""
    results = []

    @started.on_workitem_create
    async def go_not_ready(item):
        results.append(await started.client.set_agent_state("voice", "NotReady", 1, wait=True, timeout=1))

    fake.incoming_call()
    await started.idle()
    assert len(results) == 1 and results[0].new_reason_code == 1
