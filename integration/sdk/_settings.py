"""getCustomSettings result: the five free-text settings an administrator configures.

The contract says the promise "resolves to an array containing key/value pairs" and titles the
columns ``Key``/``Value``, so several shapes are in the wild or plausible: ``[{"key", "value"}]``
(either capitalisation), ``[["setting1", "..."]]`` and a plain object, with the setting names in
any letter case (``Setting1``). All of them read into the same model. Anything else is refused
with one message naming the shape that came, never read as five empty settings: with empty
settings an integration silently switches its features off (no dial rules, no beforeDial).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, model_validator

from ._wire import WireModel, short_text

SETTING_KEYS: tuple[str, ...] = ("setting1", "setting2", "setting3", "setting4", "setting5")
EXPECTED_SHAPES = "[{key, value}, ...], [[key, value], ...] or {setting1: ..., setting5: ...}"
"""The shapes getCustomSettings may answer in, as the error message names them."""


def _describe(value: Any) -> str:
    """A short description of an unexpected answer (or part of it) for the error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = json.dumps(value[:40], ensure_ascii=False)
        return f"the text {shown}{'...' if len(value) > 40 else ''}"
    if isinstance(value, list):
        return f"an array of {len(value)} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, dict):
        return f"an object with keys {_names(value)}" if value else "an empty object"
    return type(value).__name__


def _names(keys: Any) -> str:
    """The first few keys, each cut short, for an error message."""
    names = [str(key)[:40] for key in list(keys)[:5]]
    return ", ".join(names) + (", ..." if len(keys) > 5 else "")


def _unexpected(shape: str) -> ValueError:
    return ValueError(f"getCustomSettings answered {shape}; expected {EXPECTED_SHAPES}")


def _pair(entry: Any, index: int) -> tuple[str, Any]:
    """One entry of the array: ``{key, value}`` (property names in any letter case) or ``[key, value]``."""
    key: Any = None
    value: Any = None
    if isinstance(entry, dict):
        fields = {str(name).casefold(): item for name, item in entry.items()}
        key, value = fields.get("key"), fields.get("value")
    elif isinstance(entry, (list, tuple)) and len(entry) == 2:
        key, value = entry
    if not isinstance(key, str):
        raise _unexpected(f"an array whose entry {index + 1} is {_describe(entry)}")
    return key, value


def _setting_name(key: str) -> str:
    """``Setting1`` or `` SETTING1 `` is setting1; any other key is kept as it came."""
    folded = key.strip().casefold()
    return folded if folded in SETTING_KEYS else key


def settings_entries(answer: Any) -> dict[str, Any]:
    """getCustomSettings' answer as one mapping of setting name to value (null: no settings).

    Raises ValueError naming the shape that came when the answer is none of the known shapes,
    names a setting twice, or holds entries but none of setting1…setting5.
    """
    if answer is None:
        return {}
    if isinstance(answer, dict):
        pairs = [(str(key), value) for key, value in answer.items()]
    elif isinstance(answer, list):
        pairs = [_pair(entry, index) for index, entry in enumerate(answer)]
    else:
        raise _unexpected(_describe(answer))
    merged: dict[str, Any] = {}
    for key, value in pairs:
        name = _setting_name(key)
        if name in merged:
            raise _unexpected(f"{name} twice")
        merged[name] = value
    if merged and not any(name in merged for name in SETTING_KEYS):
        container = "an object" if isinstance(answer, dict) else _describe(answer)
        raise _unexpected(f"{container} with keys {_names(merged)} but none of setting1-setting5")
    return merged


class CustomSettings(WireModel):
    """The configured settings: ``.setting1`` … ``.setting5`` plus a read-only ``mapping``.

    Values are text (numbers/booleans turned into their text) or None when not configured.
    Keys other than setting1-5 are kept too and show up in ``mapping``.
    """

    setting1: str | None = None
    setting2: str | None = None
    setting3: str | None = None
    setting4: str | None = None
    setting5: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        if isinstance(value, BaseModel):
            return value
        return {key: short_text(item) for key, item in settings_entries(value).items()}

    @property
    def mapping(self) -> Mapping[str, str | None]:
        """Every setting by key (setting1-5 always present), read-only."""
        data: dict[str, str | None] = {key: getattr(self, key) for key in SETTING_KEYS}
        for key, item in (self.model_extra or {}).items():
            data[key] = item
        return MappingProxyType(data)

    def __getitem__(self, key: str) -> str | None:
        return self.mapping[key]

    def __contains__(self, key: object) -> bool:
        return key in self.mapping

    def get(self, key: str, default: str | None = None) -> str | None:
        """The setting's value, or ``default`` when the key is unknown or the value is None."""
        item = self.mapping.get(key)
        return default if item is None else item

    def keys(self) -> Iterator[str]:
        """The setting keys (setting1-5 first)."""
        return iter(self.mapping)
