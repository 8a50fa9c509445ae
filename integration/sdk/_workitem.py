"""The Workitem data reference: the payload of the six workitem* events and of Channel.workitems.

The contract says work item events "have a field called data"; the shim forwards the fields at
the top level. Both shapes are accepted: a payload whose work item sits in a ``data`` object (and
has no top-level ``id``) is unwrapped, its outer ``event``/``version``/``requestId`` kept unless
the inner object has its own.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from ._enums import ChannelType, Classification, Direction, EventName, WorkitemState
from ._wire import NULL_AS_EMPTY_LIST, EventModel, JsonObject, Text, Timestamp, WireModel


class Activity(WireModel):
    """The phone call record created for a work item (may be absent on workitemCreate)."""

    id: Text = None
    record_type: Text = None


class CrmRecord(WireModel):
    """A Dynamics record: associatedParticipant, associations, participantLookupResult."""

    id: Text = None
    name: str | None = None
    record_type: Text = None


class Participant(WireModel):
    """A party of the work item; the contract guarantees only ``address`` (extras kept)."""

    address: Text = None

    @model_validator(mode="before")
    @classmethod
    def _bare_address(cls, value: Any) -> Any:
        # A participant list of plain strings is read as a list of addresses.
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return {"address": str(value)}
        return value


class Workitem(EventModel):
    """A work item (e.g. a phone call) as b+s Connects describes it.

    ``cti_data`` holds the call variables as a plain dict. ``from_address``/``to_address`` are
    not in the contract's table but are what ``ani`` is derived from; they are read when sent.
    """

    event: EventName | None = None
    version: Text = None
    request_id: Text = None
    id: Text = None
    state: WorkitemState | None = None
    channel_id: Text = None
    channel_type: ChannelType | None = None
    classification: Classification | None = None
    direction: Direction | None = None
    agent_id: Text = None
    ani: Text = None
    from_address: Text = None
    to_address: Text = None
    connected_at: Timestamp = None
    cti_data: JsonObject = Field(default_factory=dict)
    activity: Activity | None = None
    associated_participant: CrmRecord | None = None
    associations: Annotated[list[CrmRecord], NULL_AS_EMPTY_LIST] = Field(default_factory=list)
    participant_lookup_result: Annotated[list[CrmRecord], NULL_AS_EMPTY_LIST] = Field(default_factory=list)
    participants: Annotated[list[Participant], NULL_AS_EMPTY_LIST] = Field(default_factory=list)
    capabilities: Annotated[list[Any], NULL_AS_EMPTY_LIST] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _unwrap_data(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("data"), dict) and "id" not in value:
            merged = {key: item for key, item in value.items() if key != "data"}
            merged.update(value["data"])
            return merged
        return value

    @property
    def is_ended(self) -> bool:
        """True when ``state`` is one of the ``Ended*`` states."""
        return self.state is not None and self.state.is_ended

    @property
    def addresses(self) -> list[str]:
        """Every participant address that was sent, in order."""
        return [p.address for p in self.participants if p.address]
