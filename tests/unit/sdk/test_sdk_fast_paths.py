"""The faster ways of reading events behave exactly like the plain ones they replaced.

Reading an event is the integration's hot path (a burst of calls is thousands of events a second),
so three steps use cheaper machinery: pydantic-core's JSON parser with the standard library's as
fallback, pydantic-core's number-to-text coercion instead of a Python validator, and the event's
seq kept without a declared private attribute. These tests pin down that nothing else changed.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, BeforeValidator, ValidationError

from integration.sdk import BeforeDial, EventName, Workitem
from integration.sdk._events import parse_event
from integration.sdk._protocol import _parse
from integration.sdk._wire import Text

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def same(left: Any, right: Any) -> bool:
    """Equal values of equal types all the way down (NaN equals NaN)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


def outcome(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except (ValueError, RecursionError):
        return "refused"


@settings(max_examples=1000, deadline=None)
@given(value=json_values, ascii_only=st.booleans())
def test_json_text_parses_to_the_same_values_as_the_standard_library(value, ascii_only):
    """Any JSON text (as JS or Python write it) decodes to identical values and types."""
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert same(_parse(text), json.loads(text))


@settings(max_examples=1000, deadline=None)
@given(text=st.text(max_size=30) | st.sampled_from(['"\\ud800"', '{"a": "\\udfff x"}', "1 2", "[1,]", "NaN", "-0"]))
def test_any_text_is_accepted_or_refused_alike(text):
    """Garbage is refused by both; lone surrogates (legal in JS strings) are still accepted."""
    assert same(outcome(_parse, text), outcome(json.loads, text))


def _to_text(value: Any) -> Any:
    """The Python validator ``Text`` used before: numbers to their text, everything else as is."""
    if isinstance(value, bool):
        return value  # let validation reject it: a bool is never an identifier
    if isinstance(value, (int, float)):
        return str(value)
    return value


class _Reference(BaseModel):
    value: Annotated[str | None, BeforeValidator(_to_text)] = None


class _Fast(BaseModel):
    value: Text = None


def _read(model: type[BaseModel], raw: Any) -> Any:
    try:
        return model(value=raw).value  # type: ignore[attr-defined]
    except ValidationError:
        return "refused"


@settings(max_examples=1000, deadline=None)
@given(raw=json_values)
def test_text_fields_read_any_json_value_like_the_python_validator(raw):
    """Numbers become their decimal text, text stays, bools and structures are refused — as before."""
    assert same(_read(_Fast, raw), _read(_Reference, raw))


def test_text_fields_examples():
    """Identifiers sent as numbers arrive as text; a bool is never an identifier."""
    assert Workitem.model_validate({"id": 16777217, "agentId": 1.5}).id == "16777217"
    assert _read(_Fast, True) == "refused"


def test_seq_is_kept_on_parsed_events_and_none_on_hand_built_ones():
    """parse_event attaches the shim's seq; copies keep it; models built in Python have None."""
    event = parse_event(EventName.BEFORE_DIAL, {"dialedNumber": "+41441234567"}, 7)
    assert isinstance(event, BeforeDial) and event.seq == 7
    assert event.model_copy().seq == 7
    assert BeforeDial(dialed_number="1").seq is None
    assert parse_event(EventName.ERROR, {"message": "m"}).seq is None
    assert event.model_dump(by_alias=True, exclude_none=True) == {"dialedNumber": "+41441234567"}
