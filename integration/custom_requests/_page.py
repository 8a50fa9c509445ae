"""The example page's button protocol: the page posts a click, Python validates and dispatches.

Why the page does not build requests itself: the validation lives in Python (shared with the SDK),
and the page's main thread belongs to the agent's Dynamics session, so it only forwards clicks and
shows answers. Messages are JSON text, marked ``"bsc": "custom-requests"``
(``_contract.CUSTOM_REQUESTS_MARK``: this page's own protocol, never mistaken for the shim's ``"bsc": 1``):

page → worker
    ``{"bsc": "custom-requests", "kind": "ping"}``  (until the first hello)
    ``{"bsc": "custom-requests", "kind": "click", "action": <ACTIONS key>, "args": {<wire names>}, "event"?: str}``
worker → page
    ``{"bsc": "custom-requests", "kind": "hello"}``
    ``{"bsc": "custom-requests", "kind": "dispatch", "event": str, "detail": {...}}``  (see ``_dispatch``)
    ``{"bsc": "custom-requests", "kind": "error", "action": str, "error": str}``  (shown to the user as text)
    ``{"bsc": "custom-requests", "kind": "failed", "error": str}``  (the worker could not start; sent by worker.py)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from integration.sdk import InvalidRequest
from integration.sdk._contract import CUSTOM_REQUESTS_MARK

from ._dispatch import INTEGRATION_API, MessageDispatcher
from ._requests import CustomRequests

# action → (method of CustomRequests, {wire argument name: Python keyword})
ACTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "setAgentState": ("set_agent_state", {"channelId": "channel_id", "state": "state",
                                           "reasonCode": "reason_code", "requestId": "request_id"}),
    "createSession": ("create_session", {"templateName": "template_name",
                                          "templateParameters": "template_parameters"}),
    "writeLog": ("write_log", {"logMessage": "message", "logLevel": "level"}),
    "clickToDial": ("click_to_dial", {"value": "number", "entityLogicalName": "entity_logical_name",
                                       "entityId": "entity_id"}),
}


def _message(kind: str, **fields: Any) -> str:
    return json.dumps({"bsc": CUSTOM_REQUESTS_MARK, "kind": kind, **fields}, separators=(",", ":"))


def _template_parameters(value: Any) -> Any:
    """The page's text box holds JSON text; an empty box means no parameters."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        return json.loads(value)
    except ValueError as error:
        raise InvalidRequest("templateParameters", f"is not JSON: {error}") from None


def _keywords(action: str, args: Any) -> dict[str, Any]:
    if not isinstance(args, dict):
        raise InvalidRequest("args", f"must be an object, got {type(args).__name__}")
    _, names = ACTIONS[action]
    unknown = sorted(set(args) - set(names))
    if unknown:
        raise InvalidRequest(unknown[0], f"is not an argument of {action} (use {', '.join(names)})")
    keywords = {names[wire]: value for wire, value in args.items()}
    if "template_parameters" in keywords:
        keywords["template_parameters"] = _template_parameters(keywords["template_parameters"])
    return keywords


class ClickHandler:
    """Answers the page's messages: ``handle(text)`` posts a hello, a dispatch or an error through ``post``."""

    def __init__(self, post: Callable[[str], None]) -> None:
        self._post = post
        self._dispatcher = MessageDispatcher(post)

    def handle(self, text: Any) -> None:
        """Handle one message from the page; anything that is not ours (PyScript's traffic) is ignored."""
        if not isinstance(text, str) or not text.startswith("{"):
            return
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("bsc") != CUSTOM_REQUESTS_MARK:
            return
        if message.get("kind") == "ping":
            self._post(_message("hello"))
        elif message.get("kind") == "click":
            self.click(message.get("action"), message.get("args", {}), message.get("event", INTEGRATION_API))

    def click(self, action: Any, args: Any, event: Any = INTEGRATION_API) -> None:
        """Run one button's request; a refused argument is posted back as an ``error`` message."""
        try:
            if action not in ACTIONS:
                raise InvalidRequest("action", f"unknown action {action!r} (use {', '.join(ACTIONS)})")
            requests = CustomRequests(self._dispatcher, event=event)
            method, _ = ACTIONS[action]
            getattr(requests, method)(**_keywords(action, args))
        except InvalidRequest as error:
            self._post(_message("error", action=str(action), error=str(error)))
