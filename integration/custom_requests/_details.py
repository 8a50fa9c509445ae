"""Build the ``detail`` of a Custom Request, validated exactly as the SDK validates the same request.

Why reuse the SDK's checks: a customiser who moves a call from a custom integration
(``client.set_agent_state(...)``) to a Dynamics page (``requests.set_agent_state(...)``) must get the
same :class:`InvalidRequest` (same field, same text) for the same bad input. A Custom Request is
fire-and-forget — b+s Connects answers nothing to a Dynamics page — so refusing bad input here, before
it is sent, is the only feedback the page ever gets.
"""

from __future__ import annotations

from typing import Any

from integration.sdk import InvalidRequest, LogLevel
from integration.sdk import _validation as check


def create_session_detail(template_name: str, template_parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """``{request: "createSession", templateName[, templateParameters]}`` (parameters only when given)."""
    detail: dict[str, Any] = {"request": "createSession", "templateName": check.template_name(template_name)}
    parameters = check.template_parameters(template_parameters)
    if parameters is not None:
        detail["templateParameters"] = parameters
    return detail


def set_agent_state_detail(
    channel_id: str, state: str, reason_code: int | str | None = "", request_id: str | int | None = None
) -> dict[str, Any]:
    """``{request: "setAgentState", channelId, state, reasonCode[, requestId]}``.

    ``reasonCode`` is always present ("" for none, as the contract says). ``requestId`` is optional
    in the contract and nothing answers a Dynamics page, so it is sent only when the caller gives one
    (it then shows in b+s Connects' log and in the error event a failure raises).
    """
    detail: dict[str, Any] = {
        "request": "setAgentState",
        "channelId": check.channel_id(channel_id),
        "state": check.agent_state(state),
        "reasonCode": check.reason_code(reason_code),
    }
    if request_id is not None and request_id != "":
        detail["requestId"] = check.request_id(request_id)
    return detail


def write_log_detail(message: str, level: LogLevel | str = LogLevel.DEBUG) -> dict[str, Any]:
    """``{request: "writeLog", logMessage, logLevel}`` (Debug or Error)."""
    return {
        "request": "writeLog",
        "logMessage": check.text("logMessage", message, allow_empty=True),
        "logLevel": check.log_level(level),
    }


def click_to_dial_detail(
    number: str, entity_logical_name: str | None = None, entity_id: str | None = None
) -> dict[str, Any]:
    """``{value, entityLogicalName, entityId}``: a click-to-dial has no ``request`` field.

    The record fields say which CRM record the number belongs to; they go together (one without the
    other names no record), and both may be left out.
    """
    detail: dict[str, Any] = {"value": check.text("value", number).strip()}
    name = check.optional_text("entityLogicalName", entity_logical_name)
    record = check.optional_text("entityId", entity_id)
    if (name is None) != (record is None):
        missing = "entityId" if record is None else "entityLogicalName"
        raise InvalidRequest(missing, "entityLogicalName and entityId go together (give both or neither)")
    if name is not None and record is not None:
        detail["entityLogicalName"] = check.text("entityLogicalName", name)
        detail["entityId"] = check.text("entityId", record)
    return detail
