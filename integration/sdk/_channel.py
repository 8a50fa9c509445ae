"""Results of getChannel and getReasonCodeList."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ._enums import AgentState, ChannelType
from ._wire import (
    NULL_AS_EMPTY_LIST,
    ReasonCodeValue,
    Text,
    Timestamp,
    WireModel,
    reason_code_or_none,
    reason_code_present,
)
from ._workitem import Workitem


class Channel(WireModel):
    """One channel of the agent with its state and its open work items."""

    id: Text = None
    type: ChannelType | None = None
    state: AgentState | None = None
    reason_code: ReasonCodeValue = None
    reason_code_label: str | None = None
    state_change_time: Timestamp = None
    workitems: Annotated[list[Workitem], NULL_AS_EMPTY_LIST] = Field(default_factory=list)

    @property
    def has_reason_code(self) -> bool:
        """False when reasonCode is missing, empty or negative ("no code available")."""
        return reason_code_present(self.reason_code)

    @property
    def reason(self) -> ReasonCodeValue:
        """reasonCode, or None when it means "no code"."""
        return reason_code_or_none(self.reason_code)


class ChannelInfo(WireModel):
    """getChannel result: who the agent is and the channel's current state."""

    active_device_id: Text = None
    channel: Channel | None = None
    extension: Text = None
    first_name: str | None = None
    agent_id: Text = None
    last_name: str | None = None
    login_name: str | None = None
    team_id: Text = None


class ReasonCode(WireModel):
    """One entry of getReasonCodeList: ``id`` (number or text) and its label."""

    id: int | str
    label: str | None = None

    @property
    def is_none_code(self) -> bool:
        """True for a negative id, which the contract uses for "no reason code"."""
        return not reason_code_present(self.id)
