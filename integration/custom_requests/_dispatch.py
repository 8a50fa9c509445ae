"""How a built request leaves Python: the :class:`Dispatcher` interface and its two implementations.

Why an interface: in the browser the request must become a DOM ``CustomEvent`` on ``window.top``,
which only the page's main thread can do (Python runs in a worker), while unit tests on CPython only
need to see what would have been dispatched. Both sides speak the same JSON text message::

    {"bsc": "custom-requests", "kind": "dispatch", "event": "integrationapi" | "CIClickToAct", "detail": {...}}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from integration.sdk import InvalidRequest
from integration.sdk import _validation as check
from integration.sdk._contract import CUSTOM_REQUESTS_EVENTS, CUSTOM_REQUESTS_MARK

INTEGRATION_API: str = CUSTOM_REQUESTS_EVENTS[0]
"""The default event name, ``integrationapi``: works in single- and multi-session Dynamics."""
CI_CLICK_TO_ACT: str = CUSTOM_REQUESTS_EVENTS[1]
"""``CIClickToAct``, the alternative for single-session set-ups (multi-session Dynamics may block it)."""
EVENT_NAMES = CUSTOM_REQUESTS_EVENTS


def event_name(value: Any) -> str:
    """``integrationapi`` or ``CIClickToAct`` (exact spelling: DOM event names are case-sensitive)."""
    if value not in EVENT_NAMES:
        raise InvalidRequest("event", f"must be {INTEGRATION_API!r} or {CI_CLICK_TO_ACT!r}, got {value!r}")
    return str(value)


@dataclass(frozen=True)
class Dispatched:
    """One request as it was handed to a dispatcher."""

    event: str
    detail: dict[str, Any]


class Dispatcher(Protocol):
    """Delivers one ``detail`` as the DOM event ``event`` on the top window (or records it)."""

    def dispatch(self, event: str, detail: dict[str, Any]) -> None: ...


def encode_dispatch(event: str, detail: dict[str, Any]) -> str:
    """The worker → page message for one request (JSON text, as every message across the boundary)."""
    check.json_value(detail, "detail")
    return json.dumps({"bsc": CUSTOM_REQUESTS_MARK, "kind": "dispatch", "event": event_name(event), "detail": detail},
                      allow_nan=False, separators=(",", ":"))


class MessageDispatcher:
    """Posts each request to the page as JSON text; the page's relay.js dispatches the DOM event.

    ``post`` is the worker's ``postMessage`` in the browser (any ``str -> None`` callable in tests).
    """

    def __init__(self, post: Callable[[str], None]) -> None:
        self._post = post

    def dispatch(self, event: str, detail: dict[str, Any]) -> None:
        self._post(encode_dispatch(event, detail))


class InMemoryDispatcher:
    """Keeps what was dispatched in ``sent`` (for CPython tests); dispatches nothing."""

    def __init__(self) -> None:
        self.sent: list[Dispatched] = []

    def dispatch(self, event: str, detail: dict[str, Any]) -> None:
        check.json_value(detail, "detail")
        self.sent.append(Dispatched(event_name(event), json.loads(json.dumps(detail))))
