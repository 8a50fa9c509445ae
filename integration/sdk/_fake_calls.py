"""Calls in the test kit's fake host: ringing, dialled, connected, held, wrapped up, ended.

A mixin of ``testing.FakeConnects`` (which holds ``workitems`` and ``emit``); every method
changes the fake's picture of the call and raises the matching workitem event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _fake_payloads as payloads
from ._enums import Classification, Direction, EventName, WorkitemState

if TYPE_CHECKING:
    from .testing import FakeConnects


class CallBehaviour:
    """incoming_call / connect / pause / resume / wrapup / end, and dialled calls."""

    def incoming_call(self: FakeConnects, ani: str = "+41441234567", *, cti_data: dict[str, Any] | None = None) -> str:
        """A call rings: workitemCreate (Offered, Incoming); returns the call id."""
        return self._new_call(ani, Direction.INCOMING, WorkitemState.OFFERED, cti_data=cti_data)

    def _new_call(
        self: FakeConnects,
        remote: str,
        direction: Direction,
        state: WorkitemState,
        *,
        request_id: str = "",
        cti_data: dict[str, Any] | None = None,
    ) -> str:
        call_id = payloads.new_call_id()
        classification = Classification.CONSULTATION if self.workitems else Classification.CUSTOMER
        item = payloads.workitem(
            call_id=call_id,
            channel_id=self.channel_id,
            agent_id=self.agent["agentId"],
            remote=remote,
            local=self.agent["extension"],
            direction=direction,
            state=state,
            classification=classification,
            request_id=request_id,
            cti_data=cti_data,
        )
        self.workitems[call_id] = item
        self.emit(EventName.WORKITEM_CREATE, payloads.with_event(EventName.WORKITEM_CREATE, item))
        return call_id

    def _workitem_event(self: FakeConnects, name: EventName, call_id: str, state: WorkitemState) -> dict[str, Any]:
        item = self.workitems[call_id]
        item["state"] = state.value
        payload = payloads.with_event(name, item)
        item.update({k: v for k, v in payload.items() if k in ("connectedAt", "activity")})
        self.emit(name, payload)
        return payload

    def connect(self: FakeConnects, call_id: str) -> dict[str, Any]:
        """The call is accepted: workitemConnect (Active)."""
        return self._workitem_event(EventName.WORKITEM_CONNECT, call_id, WorkitemState.ACTIVE)

    def pause(self: FakeConnects, call_id: str) -> dict[str, Any]:
        """The call is put on hold: workitemPause (Paused)."""
        return self._workitem_event(EventName.WORKITEM_PAUSE, call_id, WorkitemState.PAUSED)

    def resume(self: FakeConnects, call_id: str) -> dict[str, Any]:
        """The held call is resumed: workitemResume (Active)."""
        return self._workitem_event(EventName.WORKITEM_RESUME, call_id, WorkitemState.ACTIVE)

    def wrapup(self: FakeConnects, call_id: str) -> dict[str, Any]:
        """The call enters wrap-up: workitemWrapup (Wrapup)."""
        return self._workitem_event(EventName.WORKITEM_WRAPUP, call_id, WorkitemState.WRAPUP)

    def end(self: FakeConnects, call_id: str, state: WorkitemState = WorkitemState.ENDED) -> dict[str, Any]:
        """The call disappears: workitemEnd; it is no longer open."""
        payload = self._workitem_event(EventName.WORKITEM_END, call_id, state)
        del self.workitems[call_id]
        return payload
