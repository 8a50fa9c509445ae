"""The JS⇄Python boundary protocol of docs/protocol.md, Python side: messages to JSON text and back.

Every message is JSON text of an object with ``"bsc": 1`` and a ``kind``; the kinds and their
fields are written once, in ``_contract``, and each kind is a dataclass of ``_messages``.
``decode`` returns None for anything else on the channel (PyScript's own traffic) so callers can
ignore it silently; a message that *is* ours but malformed raises :class:`ProtocolError`; a
well-formed message of a kind this version does not know decodes to :class:`Unknown` so the
caller can log it. Dataclass fields are snake_case; ``_WIRE`` maps the few camelCase wire names.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from pydantic_core import from_json

from . import _contract
from ._exceptions import ProtocolError
from ._messages import (
    KINDS,
    Ack,
    Callback,
    Configure,
    Decision,
    Diagnose,
    Diagnostics,
    EventEntry,
    Events,
    Failed,
    Hello,
    Message,
    Persist,
    Request,
    Response,
    ShimContext,
    Status,
    Subscribe,
    Unknown,
)

BSC = _contract.MARK
"""Protocol marker/version carried by every message."""

_WIRE = {
    "channel_id": "channelId",
    "request_id": "requestId",
    "watchdog_ms": "watchdogMs",
    "fail_mode": "failMode",
}
_KIND_OF = {cls: kind for kind, cls in KINDS.items()}


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
        return KINDS[kind]()
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
    """JSON text to Python values: pydantic-core's parser (faster on an events batch),
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
