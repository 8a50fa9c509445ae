"""The JS⇄Python boundary protocol of docs/protocol.md, Python side: build and parse messages.

Every message is JSON text of an object with ``"bsc": 1`` and a ``kind``. ``decode`` returns None
for anything else on the channel (PyScript's own traffic) so callers can ignore it silently; a
message that *is* ours but malformed raises :class:`ProtocolError`; a well-formed message of a
kind this version does not know decodes to :class:`Unknown` so the caller can log it.

Both directions are implemented so the test kit (``FakeConnects``) can play the main thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ._exceptions import ProtocolError

BSC = 1
"""Protocol marker/version carried by every message."""


# ---- worker → main thread ---------------------------------------------------------------------
@dataclass(frozen=True)
class Hello:
    """Python's listener is installed (sent once at attach and in reply to every ping)."""

    sdk: str


@dataclass(frozen=True)
class Request:
    """Call ``cil[name](...args)``; answered by a :class:`Response` with the same id."""

    id: int
    name: str
    args: list[Any]


@dataclass(frozen=True)
class Subscribe:
    """Subscribe these events on ``cil`` now (only beforeDial needs it)."""

    events: list[str]


@dataclass(frozen=True)
class Ready:
    """Handlers are registered: flush buffered events."""


@dataclass(frozen=True)
class Status:
    """Short strings for the visible status panel."""

    status: dict[str, str]


@dataclass(frozen=True)
class Decision:
    """Python's outcome for the beforeDial event with this seq."""

    seq: int
    outcome: str


@dataclass(frozen=True)
class Failed:
    """Python could not start the integration; ``error`` (with traceback) is shown on the page."""

    error: str


# ---- main thread → worker ---------------------------------------------------------------------
@dataclass(frozen=True)
class Ping:
    """Sent by the shim until it sees a hello."""


@dataclass(frozen=True)
class EventEntry:
    """One event of a batch; ``invalid`` holds the shim's reason when the payload was unusable."""

    seq: int | None
    name: str
    payload: Any = None
    invalid: str | None = None


@dataclass(frozen=True)
class Events:
    """A batch of events in arrival order, plus how many were lost since the previous batch."""

    events: list[EventEntry] = field(default_factory=list)
    dropped: int = 0


@dataclass(frozen=True)
class Response:
    """The outcome of a Request: ``result`` when ok, else ``error`` text."""

    id: int
    ok: bool
    result: Any = None
    error: str | None = None


@dataclass(frozen=True)
class Callback:
    """A showError button with this callback id was clicked."""

    callback: str


@dataclass(frozen=True)
class Unknown:
    """A protocol message of a kind this version does not know (logged, never fatal)."""

    kind: str
    raw: dict[str, Any]


Message = (
    Hello | Request | Subscribe | Ready | Status | Decision | Failed | Ping | Events | Response | Callback | Unknown
)

_KIND: dict[type, str] = {
    Hello: "hello",
    Request: "request",
    Subscribe: "subscribe",
    Ready: "ready",
    Status: "status",
    Decision: "decision",
    Failed: "failed",
    Ping: "ping",
    Events: "events",
    Response: "response",
    Callback: "callback",
}


def _entry_to_json(entry: EventEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"seq": entry.seq, "name": entry.name}
    if entry.invalid is not None:
        item["invalid"] = entry.invalid
    else:
        item["payload"] = entry.payload
    return item


def encode(message: Message) -> str:
    """The JSON text of a message. Raises ProtocolError if a value is not JSON-serialisable."""
    if isinstance(message, Unknown):
        body: dict[str, Any] = {**message.raw, "kind": message.kind}
    else:
        body = {"kind": _KIND[type(message)]}
        if isinstance(message, Events):
            body["events"] = [_entry_to_json(entry) for entry in message.events]
            body["dropped"] = message.dropped
        elif isinstance(message, Response):
            body.update(id=message.id, ok=message.ok)
            if message.ok:
                body["result"] = message.result
            else:
                body["error"] = message.error
        else:
            body.update(message.__dict__)
    body["bsc"] = BSC
    try:
        return json.dumps(body, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"cannot encode {body['kind']} message as JSON: {exc}") from exc


def _int(raw: dict[str, Any], key: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(f"{raw.get('kind')} message: {key!r} must be an integer, got {value!r}")
    return value


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise ProtocolError(f"{raw.get('kind')} message: {key!r} must be a string, got {value!r}")
    return value


def _decode_entry(item: Any) -> EventEntry:
    """One batch entry; a malformed entry becomes an ``invalid`` entry instead of failing the batch."""
    if not isinstance(item, dict):
        return EventEntry(seq=None, name="", invalid=f"event entry is not an object: {item!r:.80}")
    seq = item.get("seq")
    seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else None
    name = item.get("name")
    if not isinstance(name, str) or not name:
        return EventEntry(seq=seq, name="", invalid=f"event entry without a name: {item!r:.80}")
    if "invalid" in item:
        return EventEntry(seq=seq, name=name, invalid=str(item["invalid"]))
    if "payload" not in item:
        return EventEntry(seq=seq, name=name, invalid="event entry without payload")
    return EventEntry(seq=seq, name=name, payload=item["payload"])


def _decode_known(kind: str, raw: dict[str, Any]) -> Message:
    if kind == "ping":
        return Ping()
    if kind == "ready":
        return Ready()
    if kind == "hello":
        sdk = raw.get("sdk")
        return Hello(sdk=sdk if isinstance(sdk, str) else str(sdk))
    if kind == "events":
        events = raw.get("events")
        if not isinstance(events, list):
            raise ProtocolError(f"events message without an events array: {events!r:.80}")
        dropped = raw.get("dropped", 0)
        dropped = dropped if isinstance(dropped, int) and not isinstance(dropped, bool) else 0
        return Events(events=[_decode_entry(item) for item in events], dropped=max(dropped, 0))
    if kind == "response":
        ok = raw.get("ok")
        if not isinstance(ok, bool):
            raise ProtocolError(f"response message: 'ok' must be a boolean, got {ok!r}")
        error = raw.get("error")
        return Response(
            id=_int(raw, "id"),
            ok=ok,
            result=raw.get("result"),
            error=None if error is None else str(error),
        )
    if kind == "callback":
        return Callback(callback=_text(raw, "callback"))
    if kind == "request":
        args = raw.get("args", [])
        if not isinstance(args, list):
            raise ProtocolError(f"request message: 'args' must be an array, got {args!r:.80}")
        return Request(id=_int(raw, "id"), name=_text(raw, "name"), args=args)
    if kind == "subscribe":
        events = raw.get("events")
        if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
            raise ProtocolError(f"subscribe message: 'events' must be an array of strings: {events!r}")
        return Subscribe(events=list(events))
    if kind == "status":
        status = raw.get("status")
        if not isinstance(status, dict):
            raise ProtocolError(f"status message: 'status' must be an object, got {status!r:.80}")
        return Status(status={str(k): str(v) for k, v in status.items()})
    if kind == "failed":
        return Failed(error=str(raw.get("error", "")))
    if kind == "decision":
        return Decision(seq=_int(raw, "seq"), outcome=_text(raw, "outcome"))
    return Unknown(kind=kind, raw=raw)


def decode(text: Any) -> Message | None:
    """Parse one message; None when it is not protocol traffic (not ours, not JSON, no marker)."""
    if not isinstance(text, str):
        return None
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("bsc") != BSC or isinstance(raw.get("bsc"), bool):
        return None
    kind = raw.get("kind")
    if not isinstance(kind, str):
        raise ProtocolError(f"protocol message without a kind: {text:.120}")
    return _decode_known(kind, raw)
