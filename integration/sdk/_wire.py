"""Shared building blocks of the data models: the base class and tolerant field types.

Everything here leans towards *reading* whatever the host sends rather than rejecting it: the
contract documents field names and meanings but hardly any types, and a rejected event is an
event the integrator never sees. Rejection is kept for payloads that are not objects at all or
whose fields have a clearly wrong JSON type.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel


class WireModel(BaseModel):
    """Base of every model: camelCase wire aliases, snake_case names, unknown fields kept.

    ``extra="allow"`` keeps fields this SDK does not know (see ``model_extra``) so a newer host
    loses nothing; ``populate_by_name`` lets tests and integrators build models in Python names.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        serialize_by_alias=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The model as the host would send it (camelCase keys, JSON types, extras included)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _parse_time(value: Any) -> Any:
    """ISO-8601 text becomes a datetime; anything else (odd text, numbers) passes through raw."""
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except (ValueError, OverflowError):
            return value
    return value


Timestamp = Annotated[datetime | str | int | float | None, BeforeValidator(_parse_time)]
"""A point in time: ``datetime`` when the host sent parseable ISO text, else the raw value."""


Text = Annotated[str | None, Field(coerce_numbers_to_str=True)]
"""Optional text that also accepts a number (turned into its decimal text; a bool is refused).

Identifiers arrive as text or numbers depending on the host flavour; keep them as text.
pydantic-core's own coercion rather than a Python validator: a work item has a dozen of these
fields, and a Python call per field was a tenth of the cost of reading an event.
"""

ReasonCodeValue = int | str | None
"""A reason code as sent: an int, its text, or None. Negative means "no reason code"."""


def reason_code_present(code: ReasonCodeValue) -> bool:
    """False when the contract's "negative values indicate no code available" applies (or empty)."""
    if code is None:
        return False
    if isinstance(code, bool):
        return False
    if isinstance(code, int):
        return code >= 0
    text = code.strip()
    if not text:
        return False
    try:
        return int(text) >= 0
    except ValueError:
        return True  # a non-numeric code is a code


def reason_code_or_none(code: ReasonCodeValue) -> ReasonCodeValue:
    """The code itself, or None when it means "no reason code"."""
    return code if reason_code_present(code) else None


def _none_to_empty_dict(value: Any) -> Any:
    return {} if value is None else value


def _none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


JsonObject = Annotated[dict[str, Any], BeforeValidator(_none_to_empty_dict)]
"""A JSON object field where ``null`` means empty."""


NULL_AS_EMPTY_LIST = BeforeValidator(_none_to_empty_list)
"""Use as ``Annotated[list[X], NULL_AS_EMPTY_LIST]``: hosts send null for "none" as often as []."""


def short_text(value: Any) -> str | None:
    """Render a setting or status value as text (JSON for structures, None stays None)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    try:
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    except (TypeError, ValueError):
        return str(value)


class EventModel(WireModel):
    """Base of the models handed to event handlers: adds the protocol's sequence number.

    ``seq`` is the shim's number for the event (None when the model was built by hand); a
    beforeDial decision must quote it. It is kept with pydantic's private values but is not a
    declared private attribute: declaring one makes pydantic run a post-init hook for every
    model, a fifth of the cost of reading an event in a burst.
    """

    @property
    def seq(self) -> int | None:
        """The shim's sequence number of this event, or None."""
        private = self.__pydantic_private__
        return None if private is None else private.get("seq")

    def _set_seq(self, seq: int | None) -> None:
        if seq is None:
            return
        private = self.__pydantic_private__
        if private is None:
            object.__setattr__(self, "__pydantic_private__", {"seq": seq})
        else:
            private["seq"] = seq
