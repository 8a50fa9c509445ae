"""What is true now: the agent's state per channel and the open work items.

Seeded from getChannel at start and then kept current by every arriving event, so after a page
reload the store is rebuilt from the snapshot plus the call-recovery workitemCreate. Events are
applied when they *arrive* (see _waiters for why), so a handler asking "what calls are open now"
gets the latest truth, which may already include events queued behind the one it is handling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ._channel import ChannelInfo
from ._enums import AgentState, ChannelType, EventName
from ._events import AgentStateChange
from ._wire import EventModel, ReasonCodeValue, Timestamp, reason_code_or_none, reason_code_present
from ._workitem import Workitem


@dataclass(frozen=True)
class AgentStatus:
    """The agent's state on one channel, as last reported."""

    channel_id: str
    state: AgentState | None
    reason_code: ReasonCodeValue = None
    reason_code_label: str | None = None
    state_change_time: Timestamp = None
    channel_type: ChannelType | None = None

    @property
    def has_reason_code(self) -> bool:
        """False when the reason code is missing, empty or negative."""
        return reason_code_present(self.reason_code)

    @property
    def reason(self) -> ReasonCodeValue:
        """The reason code, or None when it means "no code"."""
        return reason_code_or_none(self.reason_code)


class StateStore:
    """Current agent state per channel and open work items by id (read-only for integrators)."""

    def __init__(self) -> None:
        self._channels: dict[str, AgentStatus] = {}
        self._workitems: dict[str, Workitem] = {}
        self.agent: ChannelInfo | None = None
        """The last getChannel result (agent names, extension, team); None before seeding."""

    @property
    def channels(self) -> Mapping[str, AgentStatus]:
        """Agent status by channel id."""
        return MappingProxyType(self._channels)

    @property
    def workitems(self) -> Mapping[str, Workitem]:
        """Open work items by id, in the order they appeared."""
        return MappingProxyType(self._workitems)

    def open_workitems(self) -> list[Workitem]:
        """The open work items (calls) right now, oldest first."""
        return list(self._workitems.values())

    def workitem(self, workitem_id: str) -> Workitem | None:
        """One open work item, or None."""
        return self._workitems.get(workitem_id)

    def status(self, channel_id: str | None = None) -> AgentStatus | None:
        """The agent's status on a channel; ``None``/``"voice"`` mean the (first) voice channel."""
        if channel_id is not None and channel_id in self._channels:
            return self._channels[channel_id]
        for key, status in self._channels.items():
            if channel_id is None or (channel_id == "voice" and key.startswith("voice")):
                return status
        return None

    def agent_state(self, channel_id: str | None = None) -> AgentState | None:
        """The agent's current state on a channel (see :meth:`status`), None if unknown."""
        status = self.status(channel_id)
        return status.state if status else None

    def seed(self, info: ChannelInfo) -> None:
        """Replace the picture with a getChannel snapshot (ended items are not kept)."""
        self.agent = info
        channel = info.channel
        if channel is None:
            return
        if channel.id:
            self._channels[channel.id] = AgentStatus(
                channel_id=channel.id,
                state=channel.state,
                reason_code=channel.reason_code,
                reason_code_label=channel.reason_code_label,
                state_change_time=channel.state_change_time,
                channel_type=channel.type,
            )
        self._workitems = {item.id: item for item in channel.workitems if item.id and not item.is_ended}

    def apply(self, name: EventName, event: EventModel) -> None:
        """Update from one arriving event."""
        if isinstance(event, AgentStateChange):
            if event.channel_id:
                self._channels[event.channel_id] = AgentStatus(
                    channel_id=event.channel_id,
                    state=event.new_state,
                    reason_code=event.new_reason_code,
                    reason_code_label=event.new_reason_code_label,
                    state_change_time=event.new_state_change_time,
                    channel_type=event.channel_type,
                )
            return
        if not isinstance(event, Workitem) or not event.id:
            return
        if name == EventName.WORKITEM_END:
            self._workitems.pop(event.id, None)
        else:
            self._workitems[event.id] = event
