"""getCustomSettings result: the five free-text settings an administrator configures.

The contract says the promise "resolves to an array containing key/value pairs" and titles the
columns ``Key``/``Value``, so three shapes are in the wild or plausible: ``[{"key", "value"}]``,
``[{"Key", "Value"}]`` and a plain object. All three read into the same model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import model_validator

from ._wire import WireModel, short_text

SETTING_KEYS: tuple[str, ...] = ("setting1", "setting2", "setting3", "setting4", "setting5")


def _pairs_to_object(value: Any) -> Any:
    """Turn the key/value-pair array (either capitalisation) into a plain object."""
    if not isinstance(value, list):
        return value
    merged: dict[str, Any] = {}
    for entry in value:
        if not isinstance(entry, dict):
            raise ValueError(f"custom settings entry is not an object: {entry!r}")
        key = entry.get("key", entry.get("Key"))
        if not isinstance(key, str):
            raise ValueError(f"custom settings entry without a text key: {entry!r}")
        merged[key] = entry.get("value", entry.get("Value"))
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
        if value is None:
            return {}
        value = _pairs_to_object(value)
        if isinstance(value, dict):
            return {str(key): short_text(item) for key, item in value.items()}
        return value

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
