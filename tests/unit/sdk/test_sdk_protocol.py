"""The protocol codec matches docs/protocol.md and never mistakes foreign traffic for ours."""

from __future__ import annotations

import json

import pytest

from integration.sdk import ProtocolError
from integration.sdk._messages import (
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
    Persist,
    Ping,
    Ready,
    Request,
    Response,
    ShimContext,
    Status,
    Subscribe,
    Unknown,
)
from integration.sdk._protocol import decode, encode

WIRE = [
    (Hello(sdk="0.1.0"), {"kind": "hello", "sdk": "0.1.0"}),
    (Request(id=3, name="showInfo", args=["hi"]), {"kind": "request", "id": 3, "name": "showInfo", "args": ["hi"]}),
    (Subscribe(events=["beforeDial"]), {"kind": "subscribe", "events": ["beforeDial"]}),
    (Ready(), {"kind": "ready"}),
    (Status(status={"python": "3.14"}), {"kind": "status", "status": {"python": "3.14"}}),
    (Decision(seq=4, outcome="block"), {"kind": "decision", "seq": 4, "outcome": "block"}),
    (
        Decision(seq=5, outcome="dial", channel_id="voice", address="+4144", request_id="r"),
        {"kind": "decision", "seq": 5, "outcome": "dial", "channelId": "voice", "address": "+4144", "requestId": "r"},
    ),
    (Configure(watchdog_ms=2500, fail_mode="closed"), {"kind": "configure", "watchdogMs": 2500, "failMode": "closed"}),
    (Persist(key="k", value=None), {"kind": "persist", "key": "k", "value": None}),
    (Failed(error="Traceback ..."), {"kind": "failed", "error": "Traceback ..."}),
    (Ping(), {"kind": "ping"}),
    (
        ShimContext(storage={"a": "b"}, restarts=2, visible=False),
        {"kind": "context", "storage": {"a": "b"}, "restarts": 2, "visible": False},
    ),
    (
        Events(
            events=[EventEntry(1, "error", {"message": "m"}), EventEntry(2, "beforeDial", invalid="cyclic")],
            dropped=3,
        ),
        {
            "kind": "events",
            "events": [
                {"seq": 1, "name": "error", "payload": {"message": "m"}},
                {"seq": 2, "name": "beforeDial", "invalid": "cyclic"},
            ],
            "dropped": 3,
        },
    ),
    (Response(id=3, ok=True, result=None), {"kind": "response", "id": 3, "ok": True, "result": None}),
    (Response(id=3, ok=False, error="nope"), {"kind": "response", "id": 3, "ok": False, "error": "nope"}),
    (Callback(callback="cb-1"), {"kind": "callback", "callback": "cb-1"}),
    (Ack(seq=41), {"kind": "ack", "seq": 41}),
    (Diagnose(id=2, collect=True), {"kind": "diagnose", "id": 2, "collect": True}),
    (
        Diagnostics(id=2, stats={"events_received": 3}, python={"gcObjects": 9}, sdk={"queued": 0}),
        {"kind": "diagnostics", "id": 2, "stats": {"events_received": 3}, "python": {"gcObjects": 9},
         "sdk": {"queued": 0}},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("message", "wire"), WIRE, ids=lambda v: type(v).__name__ if not isinstance(v, dict) else "")
def test_every_kind_encodes_to_the_documented_json(message, wire):
    """Each message encodes to exactly the documented fields plus the bsc marker, and back."""
    text = encode(message)
    assert json.loads(text) == {**wire, "bsc": 1}
    assert decode(text) == message


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "",
        "[1,2]",
        json.dumps({"kind": "ping"}),
        json.dumps({"bsc": 2, "kind": "ping"}),
        json.dumps({"bsc": True, "kind": "ping"}),
        json.dumps({"type": "pyscript", "data": 1}),
        None,
        b'{"bsc":1,"kind":"ping"}',
    ],
)
def test_foreign_traffic_is_ignored(text):
    """Anything without the bsc:1 marker (or not text) decodes to None, silently."""
    assert decode(text) is None


@pytest.mark.parametrize(
    "raw",
    [
        {"bsc": 1},
        {"bsc": 1, "kind": 5},
        {"bsc": 1, "kind": "response", "id": "1", "ok": True},
        {"bsc": 1, "kind": "response", "id": 1, "ok": "yes"},
        {"bsc": 1, "kind": "response", "id": True, "ok": True},
        {"bsc": 1, "kind": "events", "events": {}},
        {"bsc": 1, "kind": "callback", "callback": 7},
        {"bsc": 1, "kind": "decision", "seq": "1", "outcome": "dial"},
        {"bsc": 1, "kind": "ack", "seq": "3"},
        {"bsc": 1, "kind": "ack"},
        {"bsc": 1, "kind": "diagnose", "id": None},
        {"bsc": 1, "kind": "diagnostics", "id": 1.5},
    ],
)
def test_malformed_protocol_messages_raise_protocol_error(raw):
    """A message that is ours but unreadable raises ProtocolError (the caller logs and counts)."""
    with pytest.raises(ProtocolError):
        decode(json.dumps(raw))


def test_unknown_kinds_decode_to_unknown():
    """A well-formed message of a future kind is reported, not dropped or fatal."""
    message = decode(json.dumps({"bsc": 1, "kind": "telemetry", "x": 1}))
    assert isinstance(message, Unknown) and message.kind == "telemetry" and message.raw["x"] == 1


def test_malformed_event_entries_become_invalid_entries():
    """Bad entries inside a batch are flagged individually; the good ones survive."""
    text = json.dumps(
        {
            "bsc": 1,
            "kind": "events",
            "events": [7, {"seq": 1}, {"seq": 2, "name": "error"}, {"seq": 3, "name": "error", "payload": {}}],
            "dropped": "many",
        }
    )
    batch = decode(text)
    assert [entry.invalid is not None for entry in batch.events] == [True, True, True, False]
    assert batch.events[3] == EventEntry(3, "error", {})
    assert batch.dropped == 0


def test_context_tolerates_missing_or_odd_fields():
    """context defaults: empty storage, 0 restarts, visible; non-text stored values skipped."""
    message = decode(json.dumps({"bsc": 1, "kind": "context", "storage": {"a": 1, "b": "x"}}))
    assert message == ShimContext(storage={"b": "x"}, restarts=0, visible=True)


def test_unserialisable_values_raise_protocol_error():
    """encode refuses NaN and non-JSON objects instead of sending text JS cannot parse."""
    with pytest.raises(ProtocolError):
        encode(Request(id=1, name="writeLog", args=[float("nan")]))
    with pytest.raises(ProtocolError):
        encode(Request(id=1, name="writeLog", args=[object()]))


def test_a_message_too_deep_to_decode_is_a_protocol_error_not_silence():
    """JSON nested deeper than the parser allows is reported (a batch must never vanish silently)."""
    deep = '{"bsc":1,"kind":"events","dropped":0,"events":[{"seq":1,"name":"error","payload":' + "[" * 100_000
    deep += "]" * 100_000 + "}]}"
    with pytest.raises(ProtocolError, match="nested too deeply"):
        decode(deep)
