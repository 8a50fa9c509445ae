"""Property tests: random and malformed input never escapes the codec, the models or the dispatcher."""

from __future__ import annotations

import asyncio
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from integration.sdk import CustomSettings, EventName, Integration, ProtocolError
from integration.sdk._events import parse_event
from integration.sdk._protocol import decode
from integration.testing import FakeConnects

FIELD_NAMES = [
    "event", "version", "requestId", "id", "state", "channelId", "channelType", "classification",
    "direction", "agentId", "ani", "connectedAt", "ctiData", "activity", "associatedParticipant",
    "associations", "participants", "participantLookupResult", "capabilities", "data", "newState",
    "oldState", "newReasonCode", "newStateChangeTime", "dialedNumber", "callType", "message",
    "key", "Key", "value", "Value", "setting1", "address", "recordType", "fromAddress",
]  # fmt: skip

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=20,
)
payloads = json_values | st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=10)
names = st.sampled_from([e.value for e in EventName] + ["workItemWrapup", "WORKITEMEND", "", "bogus"]) | st.text(
    max_size=12
)
EXAMPLES = int(os.environ.get("SDK_FUZZ_EXAMPLES", "100"))  # raise it for a deeper local run
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(name=st.sampled_from(list(EventName)), payload=payloads)
def test_models_either_validate_or_raise_validation_error(name, payload):
    """Any JSON payload for any event yields a model or a ValidationError, nothing else."""
    try:
        parse_event(name, payload)
    except ValidationError:
        pass


@FAST
@given(payload=payloads)
def test_custom_settings_never_raise_anything_but_validation_error(payload):
    """Settings accept or reject cleanly whatever shape arrives."""
    try:
        CustomSettings.model_validate(payload)
    except ValidationError:
        pass


@FAST
@given(
    text=st.text()
    | st.builds(json.dumps, json_values)
    | st.builds(lambda v: json.dumps({"bsc": 1, **v}) if isinstance(v, dict) else "x", json_values)
)
def test_decode_returns_a_message_none_or_protocol_error(text):
    """The codec never raises anything but ProtocolError on arbitrary text."""
    try:
        decode(text)
    except ProtocolError:
        pass


async def _run_batch(batch: list[tuple[str, object]], raw_texts: list[str]) -> tuple[Integration, list]:
    fake = FakeConnects()
    integration = Integration(fake.transport, default_timeout=1)
    delivered: list = []
    for event in EventName:
        integration.on(event, delivered.append)
    integration.on_error(lambda e: 1 / 0)  # a failing handler among them
    await integration.start()
    for name, payload in batch:
        fake.emit(name, payload)  # one batch: the fake flushes once per loop iteration
    for text in raw_texts:
        fake.send_raw(text)
    fake.error("sentinel")
    await integration.idle()
    await integration.close()
    return integration, delivered


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(st.tuples(names, payloads), max_size=8),
    raw_texts=st.lists(st.text(max_size=40) | st.builds(json.dumps, json_values), max_size=3),
)
def test_random_events_never_escape_the_dispatcher(batch, raw_texts):
    """Whatever arrives, the dispatcher survives, counts everything and still delivers later events."""
    integration, delivered = asyncio.run(_run_batch(batch, raw_texts))
    stats = integration.stats
    assert stats.events_received >= len(batch) + 1
    assert stats.events_received == stats.events_dispatched + stats.events_invalid + stats.events_unknown
    assert delivered and getattr(delivered[-1], "message", None) == "sentinel"
