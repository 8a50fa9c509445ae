"""setting4 — after-call state: ``state=NotReady; reason=After Call Work; classifications=Customer``.

Why the label and not the reason-code id: ids differ between systems and are not visible to the
administrator, labels are what they see in Finesse/Control Hub. The label is resolved to an id at
run time through getReasonCodeList (see ``resolve_reason``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import field_validator, model_validator

from ._errors import Invalid, InvalidMany, show
from ._feature import FeatureConfig, canonical_word, choose, one_of, parse_feature
from ._kv import split_list

__all__ = ["AfterCallState", "AfterCallConfig", "parse_after_call", "AFTER_CALL_KEYS", "CLASSIFICATIONS"]


class AfterCallState(StrEnum):
    """The agent state to request when a matching work item ends (values as setAgentState takes them)."""

    OFF = "off"
    READY = "Ready"
    NOT_READY = "NotReady"


_STATES = {"off": AfterCallState.OFF, "ready": AfterCallState.READY, "notready": AfterCallState.NOT_READY}
#: Work item classifications from the vendor API.
CLASSIFICATIONS: tuple[str, ...] = (
    "Customer",
    "Consultation",
    "Conference",
    "Transfer",
    "Internal",
    "Unknown",
)
_CLASSES = {canonical_word(name): name for name in CLASSIFICATIONS}
_MAX_REASON = 100

AFTER_CALL_KEYS = {"state": "state", "reason": "reason", "classifications": "classifications"}


class AfterCallConfig(FeatureConfig):
    """Which state to set after which calls; ``reason`` is a reason-code label (NotReady only)."""

    state: AfterCallState = AfterCallState.OFF
    reason: str | None = None
    classifications: tuple[str, ...] = ("Customer",)

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: Any) -> AfterCallState:
        if isinstance(value, str) and not value.strip():
            return AfterCallState.OFF
        return choose(value, _STATES, "state", ["off", "Ready", "NotReady"])

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise Invalid("not a reason label:", show(value), "a reason code label, e.g. After Call Work")
        label = value.strip()
        if len(label) > _MAX_REASON:
            raise Invalid("reason label too long:", label, f"at most {_MAX_REASON} characters")
        return label or None

    @field_validator("classifications", mode="before")
    @classmethod
    def _classifications(cls, value: Any) -> tuple[str, ...]:
        items = split_list(value) if isinstance(value, str) else list(value or ())
        if not items:
            return ("Customer",)
        found: list[str] = []
        problems: list[Invalid] = []
        for item in items:
            name = _CLASSES.get(canonical_word(item)) if isinstance(item, str) else None
            if name is None:
                problems.append(Invalid("unknown classification", show(item), one_of(CLASSIFICATIONS)))
            else:
                found.append(name)
        if problems:
            raise InvalidMany(problems)
        return tuple(dict.fromkeys(found))

    @model_validator(mode="after")
    def _reason_only_for_not_ready(self) -> AfterCallConfig:
        """Ready has no reason codes: a reason there is a misunderstanding worth reporting."""
        if self.state is AfterCallState.READY and self.reason:
            raise Invalid(
                "only applies to state=NotReady, not Ready; found",
                self.reason,
                "no reason with state=Ready",
                key="reason",
            )
        return self

    @property
    def enabled(self) -> bool:
        """True when a state change should be requested after matching calls."""
        return self.ok and self.state is not AfterCallState.OFF

    def applies_to(self, classification: object) -> bool:
        """Whether a work item of this classification triggers the state change (case-insensitive)."""
        if not self.enabled or not isinstance(classification, str):
            return False
        return _CLASSES.get(canonical_word(classification)) in self.classifications


def parse_after_call(text: str) -> AfterCallConfig:
    """setting4 text -> config (or the default with errors)."""
    return parse_feature("setting4", text, AfterCallConfig, AFTER_CALL_KEYS)
