"""The agent's desk in the fake host: who is logged in, on which channel, in which state.

It also holds what the host configures for the agent (reason codes, settings 1-5, whether this
tab is the primary one) and raises ``agentStateChange`` when the state changes.
"""

from __future__ import annotations

from typing import Any

from integration.sdk import AgentState, EventName

from . import _payloads as payloads
from ._outbox import Outbox


class Desk:
    """The agent's profile, channel and state; every field is read and set by tests as they like."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        channel_id: str,
        agent: dict[str, Any] | None,
        state: AgentState | str,
        reason_code: int | str,
        reason_codes: dict[str, list[dict[str, Any]]] | None,
        custom_settings: dict[str, Any] | None,
        settings_shape: str,
        primary_tab: bool,
    ) -> None:
        self._outbox = outbox
        self.channel_id = channel_id
        self.agent: dict[str, Any] = {**payloads.DEFAULT_AGENT, **(agent or {})}
        self.state = AgentState(state)
        self.reason_code: int | str = reason_code
        self.reason_label = ""
        self.state_change_time = payloads.now_iso()
        self.reason_codes = reason_codes if reason_codes is not None else payloads.DEFAULT_REASON_CODES
        self.custom_settings = dict(custom_settings or {"setting1": "", "setting2": ""})
        self.settings_shape = settings_shape
        self.primary_tab = primary_tab

    def matches(self, channel_id: Any) -> bool:
        """True for this channel's id, and for "voice" on a voice channel (as cil accepts)."""
        return channel_id == self.channel_id or (channel_id == "voice" and self.channel_id.startswith("voice"))

    def reason_label_for(self, state: AgentState, code: Any) -> str | None:
        """The label of a known code for this state; None when the code is unknown."""
        for entry in self.reason_codes.get(state.value, []):
            if str(entry.get("id")) == str(code):
                return str(entry.get("label", ""))
        return None

    def change_state(
        self,
        new_state: AgentState | str,
        reason_code: int | str = -1,
        label: str = "",
        request_id: str = "",
    ) -> dict[str, Any]:
        """Change the agent's state and raise agentStateChange; returns the payload."""
        old = (self.state, self.reason_code, self.reason_label, self.state_change_time)
        self.state, self.reason_code, self.reason_label = AgentState(new_state), reason_code, label
        self.state_change_time = payloads.now_iso()
        new = (self.state, self.reason_code, self.reason_label, self.state_change_time)
        payload = payloads.agent_state_change(channel_id=self.channel_id, old=old, new=new, request_id=request_id)
        self._outbox.emit(EventName.AGENT_STATE_CHANGE, payload)
        return payload

    def channel(self, workitems: list[dict[str, Any]]) -> dict[str, Any]:
        """getChannel's answer: the agent, and the channel with its state and open work items."""
        channel = {
            "id": self.channel_id,
            "type": "Voice",
            "state": self.state.value,
            "reasonCode": self.reason_code,
            "reasonCodeLabel": self.reason_label,
            "stateChangeTime": self.state_change_time,
            "workitems": workitems,
        }
        return {**self.agent, "channel": channel}
