"""Calls in the fake host: ringing, dialled, connected, held, wrapped up, ended.

Each method changes the fake's picture of the call (``workitems``) and raises the matching
workitem event, as b+s Connects does when the agent or the phone system acts.
"""

from __future__ import annotations

from typing import Any

from integration.sdk import AgentState, Classification, Direction, EventName, WorkitemState

from . import _payloads as payloads
from ._desk import Desk
from ._outbox import Outbox

_LOGGED_OUT = (AgentState.LOGOUT, AgentState.OFFLINE)


class Calls:
    """The open work items of the agent's channel and their life cycle."""

    def __init__(self, desk: Desk, outbox: Outbox) -> None:
        self._desk = desk
        self._outbox = outbox
        self.workitems: dict[str, dict[str, Any]] = {}
        """Open work items by id, as the host sends them."""

    def incoming_call(self, ani: str = "+41441234567", *, cti_data: dict[str, Any] | None = None) -> str:
        """A call rings: workitemCreate (Offered, Incoming); returns the call id."""
        return self.new_call(ani, Direction.INCOMING, WorkitemState.OFFERED, cti_data=cti_data)

    def new_call(
        self,
        remote: str,
        direction: Direction,
        state: WorkitemState,
        *,
        request_id: str = "",
        cti_data: dict[str, Any] | None = None,
    ) -> str:
        """A new work item (a consultation when one is open already): workitemCreate; its id."""
        call_id = payloads.new_call_id()
        classification = Classification.CONSULTATION if self.workitems else Classification.CUSTOMER
        item = payloads.workitem(
            call_id=call_id,
            channel_id=self._desk.channel_id,
            agent_id=self._desk.agent["agentId"],
            remote=remote,
            local=self._desk.agent["extension"],
            direction=direction,
            state=state,
            classification=classification,
            request_id=request_id,
            cti_data=cti_data,
        )
        self.workitems[call_id] = item
        self._outbox.emit(EventName.WORKITEM_CREATE, payloads.with_event(EventName.WORKITEM_CREATE, item))
        return call_id

    def dial(self, channel_id: Any, address: Any, request_id: str = "") -> None:
        """What ``cil.dialOrConsult`` does: a workitemCreate, or an error event."""
        if not self._desk.matches(channel_id):
            self._outbox.error(f"Unknown channel {channel_id}", request_id)
        elif self._desk.state in _LOGGED_OUT:
            self._outbox.error("Cannot dial: the agent is not logged in", request_id)
        elif not isinstance(address, str) or not address.strip():
            self._outbox.error("Cannot dial: the address is empty", request_id)
        else:
            self.new_call(address, Direction.OUTGOING, WorkitemState.INITIATED, request_id=request_id)

    def connect(self, call_id: str) -> dict[str, Any]:
        """The call is accepted: workitemConnect (Active)."""
        return self._change(EventName.WORKITEM_CONNECT, call_id, WorkitemState.ACTIVE)

    def pause(self, call_id: str) -> dict[str, Any]:
        """The call is put on hold: workitemPause (Paused)."""
        return self._change(EventName.WORKITEM_PAUSE, call_id, WorkitemState.PAUSED)

    def resume(self, call_id: str) -> dict[str, Any]:
        """The held call is resumed: workitemResume (Active)."""
        return self._change(EventName.WORKITEM_RESUME, call_id, WorkitemState.ACTIVE)

    def wrapup(self, call_id: str) -> dict[str, Any]:
        """The call enters wrap-up: workitemWrapup (Wrapup)."""
        return self._change(EventName.WORKITEM_WRAPUP, call_id, WorkitemState.WRAPUP)

    def end(self, call_id: str, state: WorkitemState = WorkitemState.ENDED) -> dict[str, Any]:
        """The call disappears: workitemEnd; it is no longer open."""
        payload = self._change(EventName.WORKITEM_END, call_id, state)
        del self.workitems[call_id]
        return payload

    def _change(self, name: EventName, call_id: str, state: WorkitemState) -> dict[str, Any]:
        item = self.workitems[call_id]
        item["state"] = state.value
        payload = payloads.with_event(name, item)
        item.update({k: v for k, v in payload.items() if k in ("connectedAt", "activity")})
        self._outbox.emit(name, payload)
        return payload
