"""setting3 — screen pop: ``on=connect; template=<name>; param.<name>=<source>``.

Why sources are named, not scripted: an administrator maps work item fields to Dynamics
session-template parameters by name (``param.caseNumber=ctiData.CaseNo``); a bare word is a
source and must be one we know (typos are errors), a quoted value is a literal.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from ._errors import Invalid, InvalidMany, show
from ._feature import FeatureConfig, canonical_word, choose, parse_feature
from ._kv import Pair

__all__ = [
    "PopTrigger",
    "TemplateParam",
    "ScreenPopConfig",
    "parse_screen_pop",
    "SCREEN_POP_KEYS",
    "SIMPLE_SOURCES",
    "PREFIX_SOURCES",
]


class PopTrigger(StrEnum):
    """Which work item event opens the session."""

    CONNECT = "connect"  # workitemConnect: the agent accepted the call
    CREATE = "create"  # workitemCreate: as soon as it alerts
    OFF = "off"


_TRIGGERS = {"connect": PopTrigger.CONNECT, "create": PopTrigger.CREATE, "off": PopTrigger.OFF}
_EVENTS = {PopTrigger.CONNECT: "workitemConnect", PopTrigger.CREATE: "workitemCreate"}

#: Sources without a variable part (case-insensitive on input, canonical spelling here).
SIMPLE_SOURCES: tuple[str, ...] = (
    "ani",
    "id",
    "direction",
    "classification",
    "agentId",
    "channelId",
    "associatedParticipant.id",
    "associatedParticipant.name",
    "associatedParticipant.recordType",
    "activity.id",
    "activity.recordType",
)
#: Sources followed by a case-sensitive variable name.
PREFIX_SOURCES: tuple[str, ...] = ("ctiData.",)
_SIMPLE = {canonical_word(name): name for name in SIMPLE_SOURCES}
_SIMPLE_LOWER = {name.casefold(): name for name in SIMPLE_SOURCES}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VARIABLE = re.compile(r"[^\s.]+")
_SOURCES_EXPECTED = "one of " + ", ".join(SIMPLE_SOURCES) + ", ctiData.<variable> or a literal in quotes"
_MAX_TEMPLATE = 200
_MAX_PARAMS = 50

SCREEN_POP_KEYS = {"on": "on", "template": "template"}


class TemplateParam(BaseModel):
    """One session-template parameter: its name and where its value comes from."""

    model_config = ConfigDict(frozen=True)

    name: str
    source: str  # canonical source (e.g. "ctiData.CaseNo") or the literal text
    literal: bool = False


def _source(pair: Pair, name: str) -> TemplateParam:
    key = f"param.{name}"
    if pair.quoted:
        return TemplateParam(name=name, source=pair.value, literal=True)
    value = pair.value.strip()
    folded = value.casefold()
    if folded in _SIMPLE_LOWER:
        return TemplateParam(name=name, source=_SIMPLE_LOWER[folded])
    for prefix in PREFIX_SOURCES:
        if folded.startswith(prefix.casefold()):
            variable = value[len(prefix) :]
            if not _VARIABLE.fullmatch(variable):
                raise Invalid("missing or bad call variable name in", value, f"{prefix}<variable>", key=key)
            return TemplateParam(name=name, source=prefix + variable)
    if canonical_word(value) in _SIMPLE:  # e.g. associated_participant.name: forgive the spelling
        return TemplateParam(name=name, source=_SIMPLE[canonical_word(value)])
    raise Invalid("unknown source", value, _SOURCES_EXPECTED, key=key)


def _param(item: Any) -> TemplateParam:
    if isinstance(item, TemplateParam):
        return item
    if isinstance(item, Pair):
        name = item.key[len("param.") :].strip()
        if not _NAME.fullmatch(name):
            raise Invalid("bad parameter name", name, "param.<name> with letters, digits and _", key=item.key)
        return _source(item, name)
    if isinstance(item, dict):
        return TemplateParam.model_validate(item)
    raise Invalid("not a parameter", show(item), "param.<name>=<source>")


class ScreenPopConfig(FeatureConfig):
    """When to pop, which session template, and its parameters (in configured order)."""

    on: PopTrigger = PopTrigger.OFF
    template: str | None = None
    params: tuple[TemplateParam, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _default_trigger(cls, data: Any) -> Any:
        """A template alone means "pop on connect": the common case needs no ``on=``."""
        if isinstance(data, dict) and data.get("template") and not data.get("on"):
            return {**data, "on": PopTrigger.CONNECT}
        return data

    @field_validator("on", mode="before")
    @classmethod
    def _on(cls, value: Any) -> PopTrigger:
        if isinstance(value, str) and not value.strip():
            return PopTrigger.OFF
        return choose(value, _TRIGGERS, "trigger", ["connect", "create", "off"])

    @field_validator("template", mode="before")
    @classmethod
    def _template(cls, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise Invalid("not a template name:", show(value), "the session template's name")
        name = value.strip()
        if len(name) > _MAX_TEMPLATE:
            raise Invalid("template name too long:", name, f"at most {_MAX_TEMPLATE} characters")
        return name or None

    @field_validator("params", mode="before")
    @classmethod
    def _params(cls, value: Any) -> tuple[TemplateParam, ...]:
        items = list(value or ())
        if len(items) > _MAX_PARAMS:
            raise Invalid(f"too many parameters ({len(items)})", None, f"at most {_MAX_PARAMS}", key="param")
        params: list[TemplateParam] = []
        problems: list[Invalid] = []
        for item in items:
            try:
                params.append(_param(item))
            except Invalid as problem:
                problems.append(problem)
        if problems:
            raise InvalidMany(problems)
        return tuple(params)

    @model_validator(mode="after")
    def _template_required(self) -> ScreenPopConfig:
        if self.on is not PopTrigger.OFF and not self.template:
            raise Invalid("is missing", None, f"a session template name when on={self.on.value}", key="template")
        return self

    @property
    def enabled(self) -> bool:
        """True when a screen pop should happen at all."""
        return self.ok and self.on is not PopTrigger.OFF

    @property
    def trigger_event(self) -> str | None:
        """The event name that triggers the pop (``workitemConnect``/``workitemCreate``) or None."""
        return _EVENTS.get(self.on) if self.enabled else None


def _family(pair: Pair) -> tuple[str, Any] | None:
    return ("params", pair) if pair.folded.startswith("param.") else None


def parse_screen_pop(text: str) -> ScreenPopConfig:
    """setting3 text -> config (or the default with errors)."""
    return parse_feature("setting3", text, ScreenPopConfig, SCREEN_POP_KEYS, family=_family)
