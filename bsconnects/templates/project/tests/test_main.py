"""The integration's unit tests on FakeConnects, b+s Connects in-process: `bsconnects test`.

Each test raises what the agent or the phone system does (``fake.incoming_call``, ``fake.connect``,
``fake.before_dial``, ...), waits until the integration handled it (``await integration.idle()``)
and checks what the integration asked b+s Connects to do (``fake.sessions``, ``fake.decisions``,
``fake.state``, ``fake.logs``, ...).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from __NAME__.dial_rules import is_blocked, normalise
from __NAME__.main import main

from integration.sdk import AgentState, Integration, run
from integration.testing import FakeConnects

REASON_CODES = {"NotReady": [{"id": 1, "label": "Break"}, {"id": 3, "label": "After Call Work"}]}


@pytest.fixture
def fake() -> FakeConnects:
    """b+s Connects with the agent Ready and the customer's NotReady reason codes."""
    return FakeConnects(state=AgentState.READY, reason_codes=REASON_CODES)


@pytest.fixture
async def integration(fake: FakeConnects) -> AsyncIterator[Integration]:
    """The integration, started through its entry exactly as in the browser."""
    started = await run(main, fake.transport)
    yield started
    await started.close()


async def test_a_connected_call_opens_the_session_with_the_account(fake, integration):
    call = fake.incoming_call("+41441234567", cti_data={"account": "ACME-1001"})
    await integration.idle()
    assert fake.sessions == []  # ringing is not enough
    fake.connect(call)
    await integration.idle()
    assert fake.sessions == [("incoming_call", {"ani": "+41441234567", "account": "ACME-1001"})]


async def test_the_agents_own_dial_opens_no_session(fake, integration):
    fake.dial("voice", "+41449999999")
    [call] = fake.workitems
    fake.connect(call)
    await integration.idle()
    assert fake.sessions == []


async def test_a_secondary_tab_opens_no_session():
    fake = FakeConnects(primary_tab=False)
    integration = await run(main, fake.transport)
    fake.connect(fake.incoming_call(cti_data={"account": "ACME-1001"}))
    await integration.idle()
    assert fake.sessions == []
    await integration.close()


async def test_a_0900_number_is_blocked_and_the_agent_told_why(fake, integration):
    seq = fake.before_dial("0900 123 456")
    await integration.idle()
    assert fake.decisions[seq] == "block"
    assert fake.workitems == {}  # nothing was dialled
    assert fake.alerts[-1].title == "Call blocked"


async def test_other_numbers_are_dialled_normalised(fake, integration):
    seq = fake.before_dial("044 123 45 67")
    await integration.idle()
    assert fake.decisions[seq] == "dial"
    assert [item["toAddress"] for item in fake.workitems.values()] == ["0441234567"]


async def test_after_the_last_call_the_agent_is_not_ready_after_call_work(fake, integration):
    first, second = fake.incoming_call(), fake.incoming_call()
    fake.end(first)
    await integration.idle()
    assert fake.state is AgentState.READY  # a call is still open
    fake.end(second)
    await integration.idle()
    assert (fake.state, fake.reason_code, fake.reason_label) == (AgentState.NOT_READY, 3, "After Call Work")


async def test_without_the_reason_code_the_state_stays_and_an_error_is_logged():
    fake = FakeConnects(state=AgentState.READY, reason_codes={"NotReady": [{"id": 1, "label": "Break"}]})
    integration = await run(main, fake.transport)
    fake.end(fake.incoming_call())
    await integration.idle()
    assert fake.state is AgentState.READY
    assert any(level == "Error" and "After Call Work" in line for line, level in fake.logs)
    await integration.close()


async def test_log_lines_go_into_the_bs_connects_log(fake, integration):
    fake.connect(fake.incoming_call(cti_data={"account": "ACME-1001"}))
    await integration.idle()
    assert any("screen pop" in line and "ACME-1001" in line for line, _level in fake.logs)


@pytest.mark.parametrize(("typed", "dialled"), [
    ("044 123 45 67", "0441234567"),
    ("+41 (44) 123-45-67", "+41441234567"),
    ("0041.44.123.45.67", "+41441234567"),
])
def test_normalise(typed, dialled):
    assert normalise(typed) == dialled


@pytest.mark.parametrize(("number", "blocked"), [
    ("0900 123 456", True), ("+41 900 123 456", True), ("0041900123456", True), ("044 900 12 34", False),
])
def test_premium_rate_numbers_are_blocked(number, blocked):
    assert is_blocked(number) is blocked
