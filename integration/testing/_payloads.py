"""Payload builders for the test kit: realistic wire dicts shaped like the contract's tables.

Kept apart from the fake's parts so its behaviour (what happens on a request) reads apart from
the data it sends (what the JSON looks like).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from integration.sdk import AgentState, Classification, Direction, EventName, WorkitemState

API_VERSION = "1.0"

DEFAULT_AGENT: dict[str, Any] = {
    "activeDeviceId": "SEP00AA11BB22CC",
    "extension": "5001",
    "firstName": "Alex",
    "agentId": "6f1c3d2e-agent-0001",
    "lastName": "Agent",
    "loginName": "alex.agent",
    "teamId": "team-1",
}

DEFAULT_REASON_CODES: dict[str, list[dict[str, Any]]] = {
    "NotReady": [{"id": 1, "label": "Break"}, {"id": 2, "label": "Lunch"}, {"id": 3, "label": "Meeting"}],
    "Logout": [{"id": 10, "label": "End of shift"}],
    "Wrapup": [{"id": 20, "label": "Sale"}, {"id": 21, "label": "No sale"}],
}

_call_ids = itertools.count(1)


def now_iso() -> str:
    """UTC now in the contract's format (2020-07-28T09:51:17.696Z)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_call_id() -> str:
    """A fresh, readable call id."""
    return f"call-{next(_call_ids)}"


def workitem(
    *,
    call_id: str,
    channel_id: str,
    agent_id: str,
    remote: str,
    local: str,
    direction: Direction,
    state: WorkitemState,
    classification: Classification = Classification.CUSTOMER,
    request_id: str = "",
    cti_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A work item dict; ``ani`` follows the contract's rule (outgoing → toAddress)."""
    incoming = direction == Direction.INCOMING
    from_address, to_address = (remote, local) if incoming else (local, remote)
    return {
        "version": API_VERSION,
        "requestId": request_id,
        "id": call_id,
        "state": state.value,
        "channelId": channel_id,
        "channelType": "Voice",
        "classification": classification.value,
        "direction": direction.value,
        "agentId": agent_id,
        "ani": to_address if not incoming else from_address,
        "fromAddress": from_address,
        "toAddress": to_address,
        "ctiData": dict(cti_data or {}),
        "participants": [{"address": from_address}, {"address": to_address}],
        "participantLookupResult": [],
        "associations": [],
        "capabilities": ["hold", "transfer", "consult", "end"],
    }


def with_event(name: EventName, item: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a work item as the payload of ``name`` (with ``changes`` applied)."""
    payload = {**item, **changes, "event": name.value}
    if name == EventName.WORKITEM_CONNECT and "connectedAt" not in payload:
        payload["connectedAt"] = now_iso()
    if name != EventName.WORKITEM_CREATE and "activity" not in payload:
        payload["activity"] = {"id": f"activity-{item['id']}", "recordType": "phonecall"}
    return payload


def agent_state_change(
    *,
    channel_id: str,
    old: tuple[AgentState, Any, str, str],
    new: tuple[AgentState, Any, str, str],
    request_id: str = "",
) -> dict[str, Any]:
    """agentStateChange payload from (state, reasonCode, label, changeTime) pairs."""
    return {
        "event": EventName.AGENT_STATE_CHANGE.value,
        "version": API_VERSION,
        "requestId": request_id,
        "channelType": "Voice",
        "channelId": channel_id,
        "newState": new[0].value,
        "newReasonCode": new[1],
        "newReasonCodeLabel": new[2],
        "newStateChangeTime": new[3],
        "oldState": old[0].value,
        "oldReasonCode": old[1],
        "oldReasonCodeLabel": old[2],
        "oldStateChangeTime": old[3],
    }


def error(message: str, request_id: str = "") -> dict[str, Any]:
    """error event payload."""
    return {"event": "error", "version": API_VERSION, "requestId": request_id, "message": message}


def before_dial(number: str, request_id: str = "") -> dict[str, Any]:
    """beforeDial event payload."""
    return {
        "event": "beforeDial",
        "version": API_VERSION,
        "requestId": request_id,
        "dialedNumber": number,
        "callType": "Outbound",
    }


def custom_settings(settings: dict[str, Any], shape: str) -> Any:
    """The settings in one of the three shapes: ``pairs``, ``Pairs`` (capitalised), ``object``."""
    if shape == "object":
        return dict(settings)
    key, value = ("Key", "Value") if shape == "Pairs" else ("key", "value")
    return [{key: name, value: item} for name, item in settings.items()]
