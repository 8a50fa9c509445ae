"""setting1 — number normalisation: ``region=CH; format=E164; outsidePrefix=0``.

Why its own feature: how numbers are written for the switch (E.164, with the international
access code, national form, or untouched; plus an outside-line prefix) is a site property that
is independent of which numbers may be dialled (setting2).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

import phonenumbers
from pydantic import Field, field_validator, model_validator

from ._errors import Invalid
from ._feature import FeatureConfig, choose, parse_feature, whole_number

__all__ = ["NumberFormat", "NumberingConfig", "parse_numbering", "NUMBERING_KEYS"]

_PREFIX = re.compile(r"[0-9*#]{1,8}")
_EXTENSION_RANGE = (0, 15)


class NumberFormat(StrEnum):
    """How a recognised external number is written into the dial string."""

    E164 = "E164"  # +41446681800
    INTERNATIONAL = "INTERNATIONAL"  # 0041446681800: the home region's international access code
    NATIONAL = "NATIONAL"  # 0446681800 at home, international access code for other countries
    AS_TYPED = "AS_TYPED"  # exactly as the agent/CRM gave it (only the outside prefix is added)


_FORMATS = {
    "e164": NumberFormat.E164,
    "international": NumberFormat.INTERNATIONAL,
    "national": NumberFormat.NATIONAL,
    "astyped": NumberFormat.AS_TYPED,
}

#: Documented key spelling -> field name.
NUMBERING_KEYS = {
    "region": "region",
    "format": "number_format",
    "outsidePrefix": "outside_prefix",
    "extensionMaxDigits": "extension_max_digits",
}


class NumberingConfig(FeatureConfig):
    """Home region, dial-string format, outside-line prefix and the internal-extension rule."""

    region: str | None = None
    number_format: NumberFormat = Field(NumberFormat.E164, alias="format")
    outside_prefix: str = Field("", alias="outsidePrefix")
    extension_max_digits: int = Field(6, alias="extensionMaxDigits")

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        code = value.strip().upper() if isinstance(value, str) else value
        if not isinstance(code, str) or code not in phonenumbers.SUPPORTED_REGIONS:
            raise Invalid("unknown region", str(value), "a two-letter country code such as CH, DE, US or GB")
        return code

    @field_validator("number_format", mode="before")
    @classmethod
    def _format(cls, value: Any) -> NumberFormat:
        if isinstance(value, str) and not value.strip():
            return NumberFormat.E164
        return choose(value, _FORMATS, "format", ["E164", "INTERNATIONAL", "NATIONAL", "AS_TYPED"])

    @field_validator("outside_prefix", mode="before")
    @classmethod
    def _prefix(cls, value: Any) -> str:
        text = value.strip() if isinstance(value, str) else value
        if text == "":
            return ""
        if not isinstance(text, str) or not _PREFIX.fullmatch(text):
            raise Invalid("not a dial prefix:", str(value), "1 to 8 of the characters 0-9 * #, e.g. 0 or 9")
        return text

    @field_validator("extension_max_digits", mode="before")
    @classmethod
    def _extension(cls, value: Any) -> int:
        return whole_number(value, *_EXTENSION_RANGE, default=6)

    @model_validator(mode="after")
    def _format_needs_region(self) -> NumberingConfig:
        relative = (NumberFormat.NATIONAL, NumberFormat.INTERNATIONAL)
        if self.number_format in relative and self.region is None:
            raise Invalid(
                f"{self.number_format.value} needs a home region",
                None,
                "region=<two-letter code> in setting1, or format=E164",
                key="format",
            )
        if self.outside_prefix and self.number_format is NumberFormat.E164:
            raise Invalid(
                "cannot go in front of a +number (format is E164); found",
                self.outside_prefix,
                "format=NATIONAL or format=INTERNATIONAL together with outsidePrefix",
                key="outsidePrefix",
            )
        return self


def parse_numbering(text: str) -> NumberingConfig:
    """setting1 text -> config (or the default with errors)."""
    return parse_feature("setting1", text, NumberingConfig, NUMBERING_KEYS)
