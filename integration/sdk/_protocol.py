"""The JS⇄Python boundary protocol of docs/protocol.md, Python side: build and parse messages.

Every message is JSON text of an object with ``"bsc": 1`` and a ``kind``; the kinds and their
fields are written once, in ``_contract``. ``decode`` returns None
for anything else on the channel (PyScript's own traffic) so callers can ignore it silently; a
message that *is* ours but malformed raises :class:`ProtocolError`; a well-formed message of a
kind this version does not know decodes to :class:`Unknown` so the caller can log it.

Both directions are implemented so the test kit (``FakeConnects``) can play the main thread.
Dataclass fields are snake_case; ``_WIRE`` maps the few camelCase wire names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from pydantic_core import from_json

from . import _contract
from ._exceptions import ProtocolError

BSC = _contract.MARK
"""Protocol marker/version carried by every message."""

_WIRE = {
    "channel_id": "channelId",
    "request_id": "requestId",
    "watchdog_ms": "watchdogMs",
    "fail_mode": "failMode",
}


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
    """Python's outcome for the beforeDial with this seq; a ``dial`` names what the shim dials."""

    seq: int
    outcome: str
    channel_id: str | None = None
    address: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Configure:
    """beforeDial watchdog settings: milliseconds to wait, and ``open``/``closed`` on failure."""

    watchdog_ms: int
    fail_mode: str


@dataclass(frozen=True)
class Persist:
    """Keep ``value`` under ``key`` across a page reload (None deletes)."""

    key: str
    value: str | None


@dataclass(frozen=True)
class Failed:
    """Python could not start the integration; ``error`` (with traceback) is shown on the page."""

    error: str


@dataclass(frozen=True)
class Ack:
    """Every event up to this seq is done (handlers returned, or the entry was rejected).

    The shim keeps posted events until they are acknowledged and re-posts the rest to a restarted
    worker; sent once per drained batch (and every few hundred events of a long burst).
    """

    seq: int


@dataclass(frozen=True)
class Diagnostics:
    """The answer to :class:`Diagnose`: counters, SDK bookkeeping sizes and memory figures."""

    id: int
    stats: dict[str, int] = field(default_factory=dict)
    python: dict[str, Any] = field(default_factory=dict)
    sdk: dict[str, Any] = field(default_factory=dict)


# ---- main thread → worker ---------------------------------------------------------------------
@dataclass(frozen=True)
class Ping:
    """Sent by the shim until it sees a hello, and later as a liveness check."""


@dataclass(frozen=True)
class ShimContext:
    """Sent once after the first hello: persisted strings, worker restarts, page visibility."""

    storage: dict[str, str] = field(default_factory=dict)
    restarts: int = 0
    visible: bool = True


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
class Diagnose:
    """Ask for a :class:`Diagnostics` answer with this id; ``collect`` runs gc.collect() first."""

    id: int
    collect: bool = False


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
    Hello | Request | Subscribe | Ready | Status | Decision | Configure | Persist | Failed | Ack
    | Diagnostics | Ping | ShimContext | Events | Response | Callback | Diagnose | Unknown
)  # fmt: skip

_KINDS: dict[str, type] = {
    "hello": Hello, "request": Request, "subscribe": Subscribe, "ready": Ready,
    "status": Status, "decision": Decision, "configure": Configure, "persist": Persist,
    "failed": Failed, "ack": Ack, "diagnostics": Diagnostics,
    "ping": Ping, "context": ShimContext, "events": Events,
    "response": Response, "callback": Callback, "diagnose": Diagnose,
}  # fmt: skip
FROM_WORKER = tuple(_contract.FROM_WORKER)
"""Kinds the worker sends, in docs/protocol.md's order (the contract's, as static/shim/contract.js)."""
TO_WORKER = tuple(_contract.TO_WORKER)
"""Kinds the main thread sends."""
_KIND_OF = {cls: kind for kind, cls in _KINDS.items()}


def _entry_body(entry: EventEntry) -> dict[str, Any]:
    if entry.invalid is not None:
        return {"seq": entry.seq, "name": entry.name, "invalid": entry.invalid}
    return {"seq": entry.seq, "name": entry.name, "payload": entry.payload}


def _body(message: Message) -> dict[str, Any]:
    if isinstance(message, Unknown):
        return {**message.raw, "kind": message.kind}
    body: dict[str, Any] = {"kind": _KIND_OF[type(message)]}
    if isinstance(message, Events):
        body["events"] = [_entry_body(entry) for entry in message.events]
        body["dropped"] = message.dropped
    elif isinstance(message, Response):
        body.update(id=message.id, ok=message.ok)
        body.update({"result": message.result} if message.ok else {"error": message.error})
    else:
        for item in fields(message):
            value = getattr(message, item.name)
            if value is None and isinstance(message, Decision):
                continue  # channelId/address/requestId only accompany a dial
            body[_WIRE.get(item.name, item.name)] = value
    return body


def encode(message: Message) -> str:
    """The JSON text of a message. Raises ProtocolError if a value is not JSON-serialisable."""
    body = _body(message)
    body["bsc"] = BSC
    try:
        return json.dumps(body, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"cannot encode {body['kind']} message as JSON: {exc}") from exc


def _need(raw: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = raw.get(key)
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise ProtocolError(f"{raw.get('kind')} message: {key!r} must be {what}, got {value!r:.80}")
    return value


def _int_or(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


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


def _optional_text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)


def _decode_known(kind: str, raw: dict[str, Any]) -> Message:
    if kind in ("ping", "ready"):
        return _KINDS[kind]()
    if kind == "hello":
        return Hello(sdk=str(raw.get("sdk", "")))
    if kind == "events":
        events = _need(raw, "events", list, "an array")
        dropped = max(_int_or(raw.get("dropped", 0), 0), 0)
        return Events(events=[_decode_entry(item) for item in events], dropped=dropped)
    if kind == "response":
        ok = _need(raw, "ok", bool, "a boolean")
        error = _optional_text(raw, "error")
        return Response(id=_need(raw, "id", int, "an integer"), ok=ok, result=raw.get("result"), error=error)
    if kind == "callback":
        return Callback(callback=_need(raw, "callback", str, "a string"))
    if kind == "context":
        storage = raw.get("storage")
        visible = raw.get("visible")
        return ShimContext(
            storage={str(k): v for k, v in storage.items() if isinstance(v, str)} if isinstance(storage, dict) else {},
            restarts=_int_or(raw.get("restarts"), 0),
            visible=visible if isinstance(visible, bool) else True,
        )
    if kind == "request":
        args = raw.get("args", [])
        if not isinstance(args, list):
            raise ProtocolError(f"request message: 'args' must be an array, got {args!r:.80}")
        return Request(id=_need(raw, "id", int, "an integer"), name=_need(raw, "name", str, "a string"), args=args)
    if kind == "subscribe":
        events = _need(raw, "events", list, "an array")
        return Subscribe(events=[str(e) for e in events])
    if kind == "status":
        status = _need(raw, "status", dict, "an object")
        return Status(status={str(k): str(v) for k, v in status.items()})
    if kind == "decision":
        return Decision(
            seq=_need(raw, "seq", int, "an integer"),
            outcome=_need(raw, "outcome", str, "a string"),
            channel_id=_optional_text(raw, "channelId"),
            address=_optional_text(raw, "address"),
            request_id=_optional_text(raw, "requestId"),
        )
    if kind == "configure":
        return Configure(
            watchdog_ms=_need(raw, "watchdogMs", int, "an integer"),
            fail_mode=_need(raw, "failMode", str, "a string"),
        )
    if kind == "persist":
        return Persist(key=_need(raw, "key", str, "a string"), value=_optional_text(raw, "value"))
    if kind == "failed":
        return Failed(error=str(raw.get("error", "")))
    return _decode_reliability(kind, raw)


def _object(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _decode_reliability(kind: str, raw: dict[str, Any]) -> Message:
    """ack, diagnose, diagnostics (and Unknown for any kind this version does not know)."""
    if kind == "ack":
        return Ack(seq=_need(raw, "seq", int, "an integer"))
    if kind == "diagnose":
        return Diagnose(id=_need(raw, "id", int, "an integer"), collect=raw.get("collect") is True)
    if kind == "diagnostics":
        stats = {key: value for key, value in _object(raw, "stats").items() if isinstance(value, int)}
        return Diagnostics(
            id=_need(raw, "id", int, "an integer"), stats=stats, python=_object(raw, "python"), sdk=_object(raw, "sdk")
        )
    return Unknown(kind=kind, raw=raw)


def _parse(text: str) -> Any:
    """JSON text to Python values: pydantic-core's parser (half again as fast on an events batch),
    and the standard library's for the rest, so both accept exactly the same texts (pydantic-core
    refuses lone surrogates, which JS strings may hold, and nests at most 200 levels).
    """
    try:
        return from_json(text)
    except ValueError:
        return json.loads(text)


def decode(text: Any) -> Message | None:
    """Parse one message; None when it is not protocol traffic (not ours, not JSON, no marker)."""
    if not isinstance(text, str):
        return None
    try:
        raw = _parse(text)
    except ValueError:
        return None
    except RecursionError:
        # Only our events can nest this deep (the shim refuses deeper payloads, so this is a bug
        # or a foreign sender): say so instead of silently losing a whole batch.
        raise ProtocolError(f"message nested too deeply to decode: {text:.120}") from None
    if not isinstance(raw, dict) or raw.get("bsc") != BSC or isinstance(raw.get("bsc"), bool):
        return None
    kind = raw.get("kind")
    if not isinstance(kind, str):
        raise ProtocolError(f"protocol message without a kind: {text:.120}")
    return _decode_known(kind, raw)
