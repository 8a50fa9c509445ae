"""Payload models of the non-workitem events, and the event name → model table.

The one place that knows which model reads which event, so the dispatcher, the state store and
the test kit agree on it.
"""

from __future__ import annotations

from typing import Any

from ._enums import WORKITEM_EVENTS, AgentState, CallType, ChannelType, EventName
from ._wire import EventModel, ReasonCodeValue, Text, Timestamp, reason_code_or_none, reason_code_present
from ._workitem import Workitem


class AgentStateChange(EventModel):
    """agentStateChange: the agent's state on one channel changed.

    Reason codes are kept as sent; negative values mean "no code", which ``has_new_reason_code``
    and ``new_reason`` (None then) spell out.
    """

    event: EventName | None = None
    version: Text = None
    request_id: Text = None
    channel_type: ChannelType | None = None
    channel_id: Text = None
    new_state: AgentState | None = None
    new_reason_code: ReasonCodeValue = None
    new_reason_code_label: str | None = None
    new_state_change_time: Timestamp = None
    old_state: AgentState | None = None
    old_reason_code: ReasonCodeValue = None
    old_reason_code_label: str | None = None
    old_state_change_time: Timestamp = None

    @property
    def has_new_reason_code(self) -> bool:
        """False when newReasonCode is missing, empty or negative."""
        return reason_code_present(self.new_reason_code)

    @property
    def has_old_reason_code(self) -> bool:
        """False when oldReasonCode is missing, empty or negative."""
        return reason_code_present(self.old_reason_code)

    @property
    def new_reason(self) -> ReasonCodeValue:
        """newReasonCode, or None when it means "no code"."""
        return reason_code_or_none(self.new_reason_code)

    @property
    def old_reason(self) -> ReasonCodeValue:
        """oldReasonCode, or None when it means "no code"."""
        return reason_code_or_none(self.old_reason_code)


class BeforeDial(EventModel):
    """beforeDial: the agent is about to dial; the integration decides (dial via dialOrConsult).

    Answer with ``Integration.send_decision(event, outcome)`` so the shim's watchdog stops.
    """

    event: EventName | None = None
    version: Text = None
    request_id: Text = None
    dialed_number: Text = None
    call_type: CallType | None = None


class ErrorEvent(EventModel):
    """error: a request failed or b+s Connects hit an error; requestId is empty if unknown."""

    event: EventName | None = None
    version: Text = None
    request_id: Text = None
    message: Text = None


Event = AgentStateChange | BeforeDial | ErrorEvent | Workitem
"""Any model an event handler can receive."""

EVENT_MODELS: dict[EventName, type[EventModel]] = {
    EventName.AGENT_STATE_CHANGE: AgentStateChange,
    EventName.BEFORE_DIAL: BeforeDial,
    EventName.ERROR: ErrorEvent,
    **{name: Workitem for name in WORKITEM_EVENTS},
}


def event_name(name: str | EventName) -> EventName:
    """Normalise an event name (any case, ``workItemWrapup`` too); raises ValueError if unknown."""
    member = EventName(name)
    if not member.is_known:
        known = ", ".join(EventName.known_values())
        raise ValueError(f"unknown event name {str(name)!r}; expected one of: {known}")
    return member


def parse_event(name: EventName, payload: Any, seq: int | None = None) -> EventModel:
    """Validate one event payload into its model (raises pydantic.ValidationError when unreadable)."""
    model = EVENT_MODELS[name].model_validate(payload)
    model._set_seq(seq)
    return model
