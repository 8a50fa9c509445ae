"""The one written-down contract between the page's JavaScript and the Python worker.

Everything both languages must agree on lives here as plain data: the event and request names of
the Integration API, the message kinds of the shim's protocol (docs/protocol.md) with their fields,
the markers that tell our messages from PyScript's own traffic, and the limits. Python reads it
directly (``_enums``, ``_messages``, ``_protocol``, ``integration.custom_requests``); the browser
reads the same data from ``static/shim/contract.js`` and a block of
``static/simulator/connects-library.js``, both written by ``python -m tools.contract`` (a unit
test fails when either is stale).

Only literals here: the generator turns this module's data into JavaScript as JSON.
"""

from __future__ import annotations

from typing import Any, Final

MARK: Final = 1
"""Value of ``"bsc"`` in every message of the shim's protocol (its version)."""

CUSTOM_REQUESTS_MARK: Final = "custom-requests"
"""Value of ``"bsc"`` in the Custom Requests page's messages: another protocol on another page, so
a message of one can never be read as a message of the other."""

MAX_PAYLOAD_DEPTH: Final = 100
"""An event payload nested deeper than this travels as ``invalid``: Python's JSON parser would overflow."""

EVENTS: Final = (
    "agentStateChange", "beforeDial", "error", "workitemConnect", "workitemCreate",
    "workitemEnd", "workitemPause", "workitemResume", "workitemWrapup",
)  # fmt: skip
"""The nine events, by subscription name (``cil.on`` + capitalised name)."""

ON_DEMAND_EVENTS: Final = ("beforeDial",)
"""Events the shim subscribes only when Python asks: subscribing blocks the agent's own dials."""

REQUESTS: Final = (
    "createSession", "dialOrConsult", "getChannel", "getCustomSettings", "getReasonCodeList",
    "isPrimaryTab", "setAgentState", "showError", "showInfo", "writeLog",
)  # fmt: skip
"""The ten requests of the Integration API, by their ``cil`` method names."""

# kind -> {wire field: type}. A type ending in "?" marks a field that may be null or left out.
# Types: int, bool, str, array, object, any.
FROM_WORKER: Final[dict[str, dict[str, str]]] = {
    "hello": {"sdk": "str"},
    "request": {"id": "int", "name": "str", "args": "array"},
    "subscribe": {"events": "array"},
    "ready": {},
    "status": {"status": "object"},
    "decision": {"seq": "int", "outcome": "str", "channelId": "str?", "address": "str?", "requestId": "str?"},
    "configure": {"watchdogMs": "int", "failMode": "str"},
    "persist": {"key": "str", "value": "str?"},
    "failed": {"error": "str"},
    "ack": {"seq": "int"},
    "diagnostics": {"id": "int", "stats": "object", "python": "object", "sdk": "object"},
}
"""Kinds the worker sends to the main thread, in docs/protocol.md's order, with their fields."""

TO_WORKER: Final[dict[str, dict[str, str]]] = {
    "ping": {},
    "context": {"storage": "object", "restarts": "int", "visible": "bool"},
    "events": {"events": "array", "dropped": "int"},
    "response": {"id": "int", "ok": "bool", "result": "any?", "error": "str?"},
    "callback": {"callback": "str"},
    "diagnose": {"id": "int", "collect": "bool?"},
}
"""Kinds the main thread sends to the worker, in docs/protocol.md's order, with their fields."""

CUSTOM_REQUESTS_EVENTS: Final = ("integrationapi", "CIClickToAct")
"""The DOM events b+s Connects listens for on the top window (exact spelling: DOM names are case-sensitive)."""

CUSTOM_REQUESTS_FROM_WORKER: Final[dict[str, dict[str, str]]] = {
    "hello": {},
    "dispatch": {"event": "str", "detail": "object"},
    "error": {"action": "str", "error": "str"},
    "failed": {"error": "str"},
}
"""Kinds the Custom Requests page's worker sends (integration/custom_requests/_page.py)."""

CUSTOM_REQUESTS_TO_WORKER: Final[dict[str, dict[str, str]]] = {
    "ping": {},
    "click": {"action": "str", "args": "object", "event": "str?"},
}
"""Kinds the Custom Requests page sends to its worker."""

CONTRACT: Final = {
    "mark": MARK,
    "customRequestsMark": CUSTOM_REQUESTS_MARK,
    "maxPayloadDepth": MAX_PAYLOAD_DEPTH,
    "events": EVENTS,
    "onDemandEvents": ON_DEMAND_EVENTS,
    "requests": REQUESTS,
    "fromWorker": FROM_WORKER,
    "toWorker": TO_WORKER,
    "customRequestsEvents": CUSTOM_REQUESTS_EVENTS,
    "customRequestsFromWorker": CUSTOM_REQUESTS_FROM_WORKER,
    "customRequestsToWorker": CUSTOM_REQUESTS_TO_WORKER,
}
"""All of the above under the names the JavaScript module exports (tools.contract writes it)."""


def wire_fields(fields: dict[str, str]) -> tuple[frozenset[str], frozenset[str]]:
    """(required, optional) field names of one kind's entry above."""
    required = frozenset(name for name, kind in fields.items() if not kind.endswith("?"))
    return required, frozenset(fields) - required


_TYPES: Final[dict[str, type | tuple[type, ...]]] = {
    "int": int, "bool": bool, "str": str, "array": list, "object": dict, "any": object,
}


def field_problems(body: dict[str, Any], spec: dict[str, str]) -> list[str]:
    """What is wrong with one decoded message for its kind's fields (empty when nothing): for the
    tests that hold each side's messages to this contract."""
    found = [f"{name} is not in the contract" for name in body if name not in spec and name not in ("bsc", "kind")]
    for name, kind in spec.items():
        value, wanted = body.get(name), kind.rstrip("?")
        if value is None:
            if wanted == kind:
                found.append(f"{name} missing")
        elif not isinstance(value, _TYPES[wanted]) or (isinstance(value, bool) and wanted not in ("bool", "any")):
            found.append(f"{name} is not {kind}: {value!r}")
    return found


def require_values(enum: type, names: tuple[str, ...]) -> None:
    """Fail at import when an enum written out for type checkers drifts from the contract's list."""
    values = tuple(member.value for member in enum)  # type: ignore[attr-defined]
    if values != names:
        raise AssertionError(f"{enum.__name__} lists {values}, the contract {names}")
