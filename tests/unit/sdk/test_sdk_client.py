"""ConnectsClient: exact positional wire args, validation before sending, results and failures."""

from __future__ import annotations

import asyncio
import json

import pytest

from integration.sdk import (
    Action,
    AgentState,
    ConnectsError,
    InMemoryTransport,
    Integration,
    InvalidRequest,
    ProtocolError,
    ReasonCode,
    ReasonType,
    RequestFailed,
    RequestTimeout,
)
from integration.sdk._messages import Request, Response
from integration.sdk._protocol import decode, encode


class ManualHost:
    """The far end of a transport where the test answers each request by hand."""

    def __init__(self) -> None:
        self.transport, self._end = InMemoryTransport.pair()
        self.requests: list[Request] = []
        self._end.set_receiver(self._receive)

    def _receive(self, text: str) -> None:
        message = decode(text)
        if isinstance(message, Request):
            self.requests.append(message)

    def respond(self, ok: bool = True, result=None, error=None, request: Request | None = None) -> None:
        target = request or self.requests[-1]
        self._end.send(encode(Response(id=target.id, ok=ok, result=result, error=error)))

    async def answer_next(self, **kwargs) -> Request:
        """Wait for the next request and answer it."""
        seen = len(self.requests)
        while len(self.requests) == seen:
            await asyncio.sleep(0)
        self.respond(**kwargs)
        return self.requests[-1]


@pytest.fixture
async def host():
    return ManualHost()


@pytest.fixture
async def client_of(host):
    integration = Integration(host.transport, default_timeout=0.5)
    yield integration
    await integration.close()


async def call(host, coroutine, **answer):
    task = asyncio.ensure_future(coroutine)
    request = await host.answer_next(**answer)
    return request, await task


async def test_wire_args_are_positional_and_fixed_length(host, client_of):
    """Each request goes out with the cil method's positional args, optional ones as null."""
    c = client_of.client
    cases = [
        (c.create_session("Case", {"id": 1}), "createSession", ["Case", {"id": 1}]),
        (c.create_session("Case"), "createSession", ["Case", None]),
        (c.set_agent_state("voice", AgentState.NOT_READY, 3, "r1"), "setAgentState", ["voice", "NotReady", 3, "r1"]),
        (c.set_agent_state("voice_5000", "Ready", request_id="r2"), "setAgentState", ["voice_5000", "Ready", "", "r2"]),
        (c.dial_or_consult("telephony", " +4144 ", "r3"), "dialOrConsult", ["telephony", "+4144", "r3"]),
        (c.show_info("Hello"), "showInfo", ["Hello"]),
        (c.show_error("Broken"), "showError", ["Broken", None, None, None]),
        (c.write_log("msg", "Error"), "writeLog", ["msg", "Error"]),
        (c.write_log("msg"), "writeLog", ["msg", "Debug"]),
    ]  # fmt: skip
    for coroutine, name, args in cases:
        request, _ = await call(host, coroutine)
        assert (request.name, request.args) == (name, args)


async def test_request_ids_are_fresh_and_unique_when_not_given(host, client_of):
    """setAgentState/dialOrConsult get a new unique requestId each time and return it."""
    ids = set()
    for coroutine in (
        client_of.client.set_agent_state("voice", "Ready"),
        client_of.client.set_agent_state("voice", "Ready"),
        client_of.client.dial_or_consult("voice", "123"),
    ):
        request, returned = await call(host, coroutine)
        assert request.args[-1] == returned and returned
        ids.add(returned)
    assert len(ids) == 3


async def test_reason_code_object_is_sent_as_its_id(host, client_of):
    """A ReasonCode from get_reason_code_list can be passed straight to set_agent_state."""
    request, _ = await call(host, client_of.client.set_agent_state("voice", "NotReady", ReasonCode(id=7, label="x")))
    assert request.args[2] == 7


async def test_results_are_parsed_into_models(host, client_of):
    """getChannel, getReasonCodeList, getCustomSettings and isPrimaryTab return typed values."""
    c = client_of.client
    _, info = await call(host, c.get_channel("voice"), result={"firstName": "Alex", "channel": {"state": "Ready"}})
    assert info.first_name == "Alex" and info.channel.state is AgentState.READY
    request, codes = await call(
        host, c.get_reason_code_list("voice_-1", ReasonType.WRAPUP), result=[{"id": 1, "label": "Sale"}]
    )
    assert request.args == ["voice_-1", "Wrapup"] and codes == [ReasonCode(id=1, label="Sale")]
    _, settings = await call(host, c.get_custom_settings(), result=[{"Key": "setting2", "Value": "on"}])
    assert settings.setting2 == "on"
    _, primary = await call(host, c.is_primary_tab(), result=False)
    assert primary is False
    _, none = await call(host, c.get_reason_code_list("voice", "Logout"), result=None)
    assert none == []


async def test_envelope_results_are_unwrapped(host, client_of):
    """A {success, response, error} envelope yields its response."""
    _, primary = await call(host, client_of.client.is_primary_tab(), result={"success": True, "response": True})
    assert primary is True
    _, nothing = await call(host, client_of.client.show_info("x"), result={"success": True})
    assert nothing is None


async def test_envelope_failure_raises_request_failed_with_its_error(host, client_of):
    """success=false raises RequestFailed carrying the envelope's error."""
    with pytest.raises(RequestFailed) as info:
        await call(host, client_of.client.show_info("x"), result={"success": False, "error": "not now"})
    assert info.value.error == "not now" and info.value.request == "showInfo"


async def test_rejected_response_raises_request_failed(host, client_of):
    """ok=false raises RequestFailed carrying the shim's error text."""
    with pytest.raises(RequestFailed, match="cil is not available") as info:
        await call(host, client_of.client.get_custom_settings(), ok=False, error="cil is not available")
    assert info.value.error == "cil is not available"


@pytest.mark.parametrize(
    ("method", "result"),
    [
        ("get_channel", 5),
        ("get_channel", {"channel": "voice"}),
        ("get_reason_code_list", {"id": 1}),
        ("get_reason_code_list", [{"label": "no id"}]),
        ("is_primary_tab", "true"),
        ("get_custom_settings", 42),
    ],
)
async def test_unreadable_results_raise_protocol_error(host, client_of, method, result):
    """A result of the wrong shape raises ProtocolError instead of returning half-read data."""
    args = {"get_channel": ("voice",), "get_reason_code_list": ("voice", "NotReady")}.get(method, ())
    with pytest.raises(ProtocolError):
        await call(host, getattr(client_of.client, method)(*args), result=result)


async def test_timeout_raises_and_forgets_the_request(host, client_of):
    """No response in time raises RequestTimeout; the pending entry is gone, a late answer ignored."""
    client_of.client.default_timeout = 0.1
    with pytest.raises(RequestTimeout) as info:
        await asyncio.wait_for(client_of.client.is_primary_tab(), 2)
    assert isinstance(info.value, TimeoutError) and info.value.timeout == 0.1
    assert client_of._rpc.pending_count == 0
    host.respond(result=True)
    await client_of.idle()
    assert client_of.stats.late_responses == 1


async def test_default_timeout_is_configurable(host, client_of):
    """client.default_timeout changes how long requests wait."""
    client_of.client.default_timeout = 0.05
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(RequestTimeout):
        await client_of.client.show_info("x")
    assert loop.time() - started < 0.4


async def test_cancelled_caller_leaves_no_pending_request(host, client_of):
    """Cancelling the awaiting task removes its pending entry too."""
    task = asyncio.ensure_future(client_of.client.is_primary_tab())
    await asyncio.sleep(0.01)
    assert client_of._rpc.pending_count == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert client_of._rpc.pending_count == 0


INVALID = [
    ("set_agent_state", ("voice_abc", "Ready"), "channelId"),
    ("set_agent_state", ("Voice", "Ready"), "channelId"),
    ("set_agent_state", ("", "Ready"), "channelId"),
    ("set_agent_state", (5000, "Ready"), "channelId"),
    ("set_agent_state", ("voice", "Active"), "state"),
    ("set_agent_state", ("voice", "Wrapup"), "state"),
    ("set_agent_state", ("voice", "Lunch"), "state"),
    ("set_agent_state", ("voice", None), "state"),
    ("set_agent_state", ("voice", "NotReady", 1.5), "reasonCode"),
    ("set_agent_state", ("voice", "NotReady", True), "reasonCode"),
    ("set_agent_state", ("voice", "Ready", "", 3.2), "requestId"),
    ("dial_or_consult", ("voice", ""), "address"),
    ("dial_or_consult", ("voice", "   "), "address"),
    ("dial_or_consult", ("voice", None), "address"),
    ("dial_or_consult", ("sip", "123"), "channelId"),
    ("get_channel", ("voice_",), "channelId"),
    ("get_reason_code_list", ("voice", "Ready"), "reasonType"),
    ("get_reason_code_list", ("voice", ""), "reasonType"),
    ("create_session", ("",), "templateName"),
    ("create_session", (None,), "templateName"),
    ("create_session", ("T", ["not", "a", "dict"]), "templateParameters"),
    ("create_session", ("T", {"x": object()}), "templateParameters"),
    ("create_session", ("T", {"x": float("inf")}), "templateParameters"),
    ("show_info", ("x" * 61,), "description"),
    ("show_info", ("🙂" * 31,), "description"),
    ("show_info", ("",), "description"),
    ("show_info", (None,), "description"),
    ("show_error", ("",), "description"),
    ("show_error", ("d", 5), "title"),
    ("show_error", ("d", None, Action("Go")), "confirmAction.callback"),
    ("show_error", ("d", None, Action("", lambda: None)), "confirmAction.label"),
    ("show_error", ("d", None, None, {"label": "x"}), "dismissAction"),
    ("show_error", ("d", None, None, Action("x", "not callable")), "dismissAction.callback"),
    ("write_log", ("m", "Info"), "logLevel"),
    ("write_log", ("m", "Warning"), "logLevel"),
    ("write_log", (None, "Debug"), "logMessage"),
]


@pytest.mark.parametrize(
    ("method", "args", "field"), INVALID, ids=[f"{m}-{f}-{i}" for i, (m, _, f) in enumerate(INVALID)]
)
async def test_invalid_arguments_raise_before_sending(host, client_of, method, args, field):
    """Bad arguments raise InvalidRequest (a ValueError) naming the field; nothing is sent."""
    with pytest.raises(InvalidRequest) as info:
        await getattr(client_of.client, method)(*args)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ConnectsError)
    assert info.value.field == field and str(info.value).startswith(field)
    assert host.requests == []


@pytest.mark.parametrize("channel", ["voice", "voice_5000", "voice_-1", "telephony"])
async def test_every_documented_channel_id_is_accepted(host, client_of, channel):
    """The four channelId forms of the contract pass validation."""
    request, _ = await call(host, client_of.client.get_channel(channel), result={})
    assert request.args == [channel]


async def test_show_info_accepts_exactly_sixty_characters(host, client_of):
    """The limit is inclusive and the text is sent untruncated."""
    request, _ = await call(host, client_of.client.show_info("x" * 60))
    assert request.args == ["x" * 60]


async def test_lowercase_state_and_types_are_normalised(host, client_of):
    """Enum texts are matched case-insensitively and sent in the contract's spelling."""
    request, _ = await call(host, client_of.client.set_agent_state("voice", "notready", request_id="r"))
    assert request.args[1] == "NotReady"
    request, _ = await call(host, client_of.client.write_log("m", "error"))
    assert request.args[1] == "Error"


async def test_show_error_actions_go_out_as_label_and_callback_id(host, client_of):
    """Actions become {"label", "callback": id-or-null}; a dismiss without callback is allowed."""
    request, _ = await call(
        host,
        client_of.client.show_error("Reload?", "Oh no", Action("Reload", lambda: None), Action("Cancel")),
    )
    description, title, confirm, dismiss = request.args
    assert (description, title) == ("Reload?", "Oh no")
    assert confirm["label"] == "Reload" and isinstance(confirm["callback"], str)
    assert dismiss == {"label": "Cancel", "callback": None}
    assert json.loads(json.dumps(request.args)) == request.args


async def test_failed_show_error_forgets_its_callbacks(host, client_of):
    """When the host rejects showError, its callbacks are not kept around."""
    with pytest.raises(RequestFailed):
        await call(host, client_of.client.show_error("x", None, Action("Go", lambda: None)), ok=False, error="no")
    assert len(client_of._callbacks) == 0


async def test_closing_fails_pending_requests(host, client_of):
    """close() fails requests still waiting, so nobody hangs."""
    task = asyncio.ensure_future(client_of.client.is_primary_tab())
    await asyncio.sleep(0.01)
    await client_of.close()
    with pytest.raises(ConnectsError):
        await task
