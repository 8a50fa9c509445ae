"""``ConnectsClient``: one async method per ``cil`` request, arguments checked before sending.

Wire arguments are positional and fixed-length, exactly as the ``cil`` methods take them (the
contract's sample code), optional ones as ``null``. Results are parsed into the models; a result
of the wrong shape raises ProtocolError rather than handing the caller half-read data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Literal, overload

from pydantic import ValidationError

from . import _validation as check
from ._callbacks import Action, CallbackRegistry
from ._channel import ChannelInfo, ReasonCode
from ._enums import AgentState, EventName, LogLevel, ReasonType, RequestName
from ._events import AgentStateChange
from ._exceptions import InvalidRequest, ProtocolError
from ._rpc import Rpc
from ._settings import CustomSettings, settings_entries
from ._waiters import Waiters
from ._workitem import Workitem

ReasonCodeArg = int | str | ReasonCode | None


def _parse(model: Any, request: str, result: Any) -> Any:
    try:
        return model.model_validate(result)
    except ValidationError as exc:
        raise ProtocolError(f"{request} returned an unreadable result: {exc}") from exc


class ConnectsClient:
    """Issues the ten Integration API requests; get one from ``Integration.client``."""

    def __init__(self, rpc: Rpc, waiters: Waiters, callbacks: CallbackRegistry) -> None:
        self._rpc = rpc
        self._waiters = waiters
        self._callbacks = callbacks

    @property
    def default_timeout(self) -> float:
        """Seconds a request waits for its response (and outcome) unless given ``timeout``."""
        return self._rpc.default_timeout

    @default_timeout.setter
    def default_timeout(self, value: float) -> None:
        self._rpc.default_timeout = value

    async def _call(self, name: RequestName, args: list[Any], timeout: float | None = None) -> Any:
        return await self._rpc.call(name.value, args, timeout)

    async def create_session(self, template_name: str, template_parameters: dict[str, Any] | None = None) -> None:
        """Open a Dynamics session from a session template (parameters must be JSON)."""
        args = [check.template_name(template_name), check.template_parameters(template_parameters)]
        await self._call(RequestName.CREATE_SESSION, args)

    async def _with_outcome(
        self,
        name: RequestName,
        args: list[Any],
        request_id: str,
        success: EventName,
        wait: bool,
        timeout: float | None,
    ) -> Any:
        limit = self.default_timeout if timeout is None else timeout
        if not wait:
            await self._call(name, args, limit)
            return request_id
        future = self._waiters.expect_outcome(name.value, request_id, success)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            await self._call(name, args, limit)
            remaining = max(0.0, limit - (loop.time() - started))
            return await self._waiters.outcome(name.value, future, remaining)
        finally:
            self._waiters.discard(future)
            if future.done() and not future.cancelled():
                future.exception()  # mark retrieved: the response already told the caller
            else:
                future.cancel()

    @overload
    async def set_agent_state(
        self,
        channel_id: str,
        state: AgentState | str,
        reason_code: ReasonCodeArg = "",
        request_id: str | None = None,
        *,
        wait: Literal[False] = False,
        timeout: float | None = None,
    ) -> str: ...

    @overload
    async def set_agent_state(
        self,
        channel_id: str,
        state: AgentState | str,
        reason_code: ReasonCodeArg = "",
        request_id: str | None = None,
        *,
        wait: Literal[True],
        timeout: float | None = None,
    ) -> AgentStateChange: ...

    async def set_agent_state(
        self,
        channel_id: str,
        state: AgentState | str,
        reason_code: ReasonCodeArg = "",
        request_id: str | None = None,
        *,
        wait: bool = False,
        timeout: float | None = None,
    ) -> str | AgentStateChange:
        """Set the agent's state (Ready, NotReady, Logout), optionally with a reason code.

        Returns the request id; with ``wait=True`` returns the matching AgentStateChange, or
        raises RequestFailed carrying the error event's message, or RequestTimeout.
        """
        rid = check.request_id(request_id)
        args = [
            check.channel_id(channel_id),
            check.agent_state(state),
            check.reason_code(reason_code),
            rid,
        ]
        return await self._with_outcome(
            RequestName.SET_AGENT_STATE, args, rid, EventName.AGENT_STATE_CHANGE, wait, timeout
        )

    @overload
    async def dial_or_consult(
        self,
        channel_id: str,
        address: str,
        request_id: str | None = None,
        *,
        wait: Literal[False] = False,
        timeout: float | None = None,
    ) -> str: ...

    @overload
    async def dial_or_consult(
        self,
        channel_id: str,
        address: str,
        request_id: str | None = None,
        *,
        wait: Literal[True],
        timeout: float | None = None,
    ) -> Workitem: ...

    async def dial_or_consult(
        self,
        channel_id: str,
        address: str,
        request_id: str | None = None,
        *,
        wait: bool = False,
        timeout: float | None = None,
    ) -> str | Workitem:
        """Dial ``address`` (a consultation call if the agent already has one).

        Returns the request id; with ``wait=True`` returns the Workitem of the matching
        workitemCreate, or raises RequestFailed (error event) or RequestTimeout.
        """
        rid = check.request_id(request_id)
        args = [check.channel_id(channel_id), check.address(address), rid]
        return await self._with_outcome(
            RequestName.DIAL_OR_CONSULT, args, rid, EventName.WORKITEM_CREATE, wait, timeout
        )

    async def get_channel(self, channel_id: str) -> ChannelInfo:
        """The agent and the channel's state and open work items."""
        result = await self._call(RequestName.GET_CHANNEL, [check.channel_id(channel_id)])
        if not isinstance(result, dict):
            raise ProtocolError(f"getChannel returned {type(result).__name__}, expected an object")
        return _parse(ChannelInfo, "getChannel", result)

    async def get_custom_settings(self) -> CustomSettings:
        """The integration's configured settings (setting1-5), whichever shape the host answers in.

        An answer of no known shape raises ProtocolError saying what came ("getCustomSettings
        answered …; expected …"), so it is reported instead of read as five empty settings.
        """
        result = await self._call(RequestName.GET_CUSTOM_SETTINGS, [])
        try:
            entries = settings_entries(result)
        except ValueError as exc:
            raise ProtocolError(str(exc)) from None
        return _parse(CustomSettings, "getCustomSettings", entries)

    async def get_reason_code_list(self, channel_id: str, reason_type: ReasonType | str) -> list[ReasonCode]:
        """The reason codes of one type (Logout, NotReady, Wrapup) on a channel."""
        args = [check.channel_id(channel_id), check.reason_type(reason_type)]
        result = await self._call(RequestName.GET_REASON_CODE_LIST, args)
        if result is None:
            return []
        if not isinstance(result, list):
            raise ProtocolError(f"getReasonCodeList returned {type(result).__name__}, expected an array")
        return [_parse(ReasonCode, "getReasonCodeList", item) for item in result]

    async def is_primary_tab(self) -> bool:
        """True when this integration runs in the first-opened browser tab."""
        result = await self._call(RequestName.IS_PRIMARY_TAB, [])
        if not isinstance(result, bool):
            raise ProtocolError(f"isPrimaryTab returned {result!r}, expected true or false")
        return result

    async def show_error(
        self,
        description: str,
        title: str | None = None,
        confirm: Action | None = None,
        dismiss: Action | None = None,
    ) -> None:
        """Show an error alert with optional confirm/dismiss buttons running Python callbacks."""
        args: list[Any] = [check.text("description", description), check.optional_text("title", title)]
        for field, action in (("confirmAction", confirm), ("dismissAction", dismiss)):
            if action is None:
                continue
            if not isinstance(action, Action):
                raise InvalidRequest(field, f"must be an Action or None, got {type(action).__name__}")
            check.text(f"{field}.label", action.label)
            if action.callback is not None and not callable(action.callback):
                raise InvalidRequest(f"{field}.callback", "must be callable or None")
        if confirm is not None and confirm.callback is None:
            raise InvalidRequest("confirmAction.callback", "a confirm button needs a callback")
        alert, wire = self._callbacks.register(confirm, dismiss)
        try:
            await self._call(RequestName.SHOW_ERROR, args + wire)
        except BaseException:
            self._callbacks.forget(alert)
            raise

    async def show_info(self, description: str) -> None:
        """Show a short info message (at most 60 characters; it disappears after six seconds)."""
        await self._call(RequestName.SHOW_INFO, [check.show_info_text(description)])

    async def write_log(self, message: str, level: LogLevel | str = LogLevel.DEBUG) -> None:
        """Write into the b+s Connects log (find it under COR_API_WRITE_LOG)."""
        args = [check.text("logMessage", message, allow_empty=True), check.log_level(level)]
        await self._call(RequestName.WRITE_LOG, args)

    def write_log_nowait(
        self,
        message: str,
        level: LogLevel | str = LogLevel.DEBUG,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        """Send writeLog without waiting for the host (what the logging handler uses)."""
        args = [check.text("logMessage", message, allow_empty=True), check.log_level(level)]
        self._rpc.call_nowait(RequestName.WRITE_LOG.value, args, on_failure)
