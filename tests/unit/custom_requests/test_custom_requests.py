"""Custom Requests on CPython: detail shapes, event choice, and the SDK's validation reused as is."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from integration.custom_requests import (
    CI_CLICK_TO_ACT,
    INTEGRATION_API,
    CustomRequests,
    Dispatched,
    InMemoryDispatcher,
    InvalidRequest,
    MessageDispatcher,
    encode_dispatch,
)
from integration.sdk import ConnectsClient, Integration
from integration.testing import FakeConnects


@pytest.fixture
def sent() -> InMemoryDispatcher:
    return InMemoryDispatcher()


@pytest.fixture
def requests(sent: InMemoryDispatcher) -> CustomRequests:
    return CustomRequests(sent)


@pytest.fixture
async def client() -> AsyncIterator[ConnectsClient]:
    """An SDK client (never started: only its argument checks are exercised)."""
    integration = Integration(FakeConnects().transport, default_timeout=0.2)
    yield integration.client
    await integration.close()


def test_set_agent_state_detail(requests: CustomRequests, sent: InMemoryDispatcher) -> None:
    """setAgentState carries request, channelId, state and reasonCode, on integrationapi."""
    detail = requests.set_agent_state("telephony", "NotReady", "aux-break")
    assert detail == {
        "request": "setAgentState", "channelId": "telephony", "state": "NotReady", "reasonCode": "aux-break"}
    assert sent.sent == [Dispatched(INTEGRATION_API, detail)]


def test_set_agent_state_without_reason_sends_empty_reason_and_no_request_id(
    requests: CustomRequests, sent: InMemoryDispatcher
) -> None:
    """No reason code is "" (the contract's 'empty'); requestId is left out unless given."""
    assert requests.set_agent_state("voice", "Ready") == {
        "request": "setAgentState", "channelId": "voice", "state": "Ready", "reasonCode": ""}
    assert requests.set_agent_state("voice_5000", "NotReady", 2, request_id=7)["requestId"] == "7"
    assert requests.set_agent_state("voice_-1", "Logout", None, request_id="abc") == {
        "request": "setAgentState", "channelId": "voice_-1", "state": "Logout", "reasonCode": "", "requestId": "abc"}


def test_state_spelling_is_normalised_like_the_sdk(requests: CustomRequests) -> None:
    """A known state in another case is sent with the contract's spelling."""
    assert requests.set_agent_state("voice", "notready", 1)["state"] == "NotReady"


def test_create_session_detail(requests: CustomRequests, sent: InMemoryDispatcher) -> None:
    """createSession carries templateName and, only when given, templateParameters."""
    assert requests.create_session("incoming-call", {"customerId": "42", "n": [1, 2]}) == {
        "request": "createSession", "templateName": "incoming-call",
        "templateParameters": {"customerId": "42", "n": [1, 2]}}
    assert requests.create_session("plain") == {"request": "createSession", "templateName": "plain"}
    assert [d.event for d in sent.sent] == [INTEGRATION_API, INTEGRATION_API]


def test_write_log_detail(requests: CustomRequests) -> None:
    """writeLog carries logMessage and logLevel (Debug by default; empty messages allowed as in the SDK)."""
    assert requests.write_log("hello") == {"request": "writeLog", "logMessage": "hello", "logLevel": "Debug"}
    assert requests.write_log("", "error") == {"request": "writeLog", "logMessage": "", "logLevel": "Error"}


def test_click_to_dial_detail_has_no_request_field(requests: CustomRequests, sent: InMemoryDispatcher) -> None:
    """A click-to-dial is {value, entityLogicalName, entityId}, without `request`, number trimmed."""
    assert requests.click_to_dial(" +41441234567 ", "contact", "0f8fad5b") == {
        "value": "+41441234567", "entityLogicalName": "contact", "entityId": "0f8fad5b"}
    assert requests.click_to_dial("1234") == {"value": "1234"}
    assert all("request" not in d.detail for d in sent.sent)


@pytest.mark.parametrize("number", ["", "   ", None, 41441234567])
def test_click_to_dial_refuses_a_missing_number(
    requests: CustomRequests, sent: InMemoryDispatcher, number: Any
) -> None:
    """No number (or a non-string one) is refused, naming the wire field `value`; nothing is sent."""
    with pytest.raises(InvalidRequest) as info:
        requests.click_to_dial(number)
    assert info.value.field == "value"
    assert sent.sent == []


def test_click_to_dial_record_fields_go_together(requests: CustomRequests, sent: InMemoryDispatcher) -> None:
    """An entity name without an id (or the reverse) names no record and is refused."""
    with pytest.raises(InvalidRequest) as info:
        requests.click_to_dial("1234", "contact")
    assert info.value.field == "entityId"
    with pytest.raises(InvalidRequest) as info:
        requests.click_to_dial("1234", entity_id="x")
    assert info.value.field == "entityLogicalName"
    with pytest.raises(InvalidRequest):
        requests.click_to_dial("1234", "", "x")
    with pytest.raises(InvalidRequest):
        requests.click_to_dial("1234", "contact", 5)  # type: ignore[arg-type]
    assert sent.sent == []


def test_ci_click_to_act_option(sent: InMemoryDispatcher) -> None:
    """event="CIClickToAct" dispatches the same detail under that event name."""
    requests = CustomRequests(sent, event=CI_CLICK_TO_ACT)
    requests.click_to_dial("1234")
    requests.write_log("x")
    assert [d.event for d in sent.sent] == ["CIClickToAct", "CIClickToAct"]
    assert sent.sent[0].detail == {"value": "1234"}


@pytest.mark.parametrize("event", ["ciclicktoact", "IntegrationAPI", "", None, "click"])
def test_unknown_event_name_is_refused(sent: InMemoryDispatcher, event: Any) -> None:
    """DOM event names are case-sensitive: only the two exact names are accepted."""
    with pytest.raises(InvalidRequest) as info:
        CustomRequests(sent, event=event)
    assert info.value.field == "event"


# Same bad input → same InvalidRequest as the SDK client (field and text).
SET_AGENT_STATE_BAD: list[tuple[Any, ...]] = [
    ("", "Ready"), ("phone", "Ready"), (5000, "Ready"), (None, "Ready"), ("voice_x", "Ready"),
    ("voice", "Active"), ("voice", "Busy"), ("voice", None), ("voice", 3),
    ("voice", "NotReady", 1.5), ("voice", "NotReady", True), ("voice", "NotReady", ["1"]),
    ("voice", "NotReady", 1, 2.5), ("voice", "NotReady", 1, True), ("voice", "NotReady", 1, {"id": 1}),
]


@pytest.mark.parametrize("args", SET_AGENT_STATE_BAD)
async def test_set_agent_state_errors_match_the_sdk(
    requests: CustomRequests, sent: InMemoryDispatcher, client: ConnectsClient, args: tuple[Any, ...]
) -> None:
    """set_agent_state refuses what ConnectsClient.set_agent_state refuses, with the same error."""
    with pytest.raises(InvalidRequest) as ours:
        requests.set_agent_state(*args)
    with pytest.raises(InvalidRequest) as sdk:
        await client.set_agent_state(*args)
    assert (ours.value.field, str(ours.value)) == (sdk.value.field, str(sdk.value))
    assert sent.sent == []


CREATE_SESSION_BAD: list[tuple[Any, ...]] = [
    ("",), ("  ",), (None,), (42,), ("t", []), ("t", "a=1"), ("t", {"x": object()}), ("t", {"x": float("nan")}),
]


@pytest.mark.parametrize("args", CREATE_SESSION_BAD)
async def test_create_session_errors_match_the_sdk(
    requests: CustomRequests, sent: InMemoryDispatcher, client: ConnectsClient, args: tuple[Any, ...]
) -> None:
    """create_session refuses what ConnectsClient.create_session refuses, with the same error."""
    with pytest.raises(InvalidRequest) as ours:
        requests.create_session(*args)
    with pytest.raises(InvalidRequest) as sdk:
        await client.create_session(*args)
    assert (ours.value.field, str(ours.value)) == (sdk.value.field, str(sdk.value))
    assert sent.sent == []


WRITE_LOG_BAD: list[tuple[Any, ...]] = [(None,), (5,), ("m", "Info"), ("m", "Warning"), ("m", None), ("m", 1)]


@pytest.mark.parametrize("args", WRITE_LOG_BAD)
async def test_write_log_errors_match_the_sdk(
    requests: CustomRequests, sent: InMemoryDispatcher, client: ConnectsClient, args: tuple[Any, ...]
) -> None:
    """write_log refuses what ConnectsClient.write_log refuses, with the same error."""
    with pytest.raises(InvalidRequest) as ours:
        requests.write_log(*args)
    with pytest.raises(InvalidRequest) as sdk:
        await client.write_log(*args)
    assert (ours.value.field, str(ours.value)) == (sdk.value.field, str(sdk.value))
    assert sent.sent == []


def test_invalid_request_is_the_sdks_class() -> None:
    """The re-exported InvalidRequest is the SDK's (one except clause catches both)."""
    from integration.sdk import InvalidRequest as SdkInvalidRequest

    assert InvalidRequest is SdkInvalidRequest


def test_message_dispatcher_posts_the_protocol_message() -> None:
    """In the browser each request is one JSON text message {bsc, kind: dispatch, event, detail}."""
    posted: list[str] = []
    CustomRequests(MessageDispatcher(posted.append)).set_agent_state("voice", "NotReady", 2)
    assert len(posted) == 1 and isinstance(posted[0], str)
    assert json.loads(posted[0]) == {
        "bsc": "custom-requests", "kind": "dispatch", "event": "integrationapi",
        "detail": {"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": 2}}


def test_encode_dispatch_refuses_what_json_cannot_carry() -> None:
    """A detail that is not JSON is refused in Python rather than lost at the boundary."""
    with pytest.raises(InvalidRequest):
        encode_dispatch("integrationapi", {"x": {1, 2}})
    with pytest.raises(InvalidRequest):
        encode_dispatch("other", {"value": "1"})


def test_in_memory_dispatcher_keeps_a_copy(sent: InMemoryDispatcher) -> None:
    """What was sent is recorded as sent: later changes to the caller's dict do not alter it."""
    parameters = {"a": 1}
    CustomRequests(sent).create_session("t", parameters)
    parameters["a"] = 2
    assert sent.sent[0].detail["templateParameters"] == {"a": 1}
