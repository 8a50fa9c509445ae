"""What a dialled string is, and how to write it for the switch (phonenumbers, no policy here).

Why separate from the decision: "which categories does this number fall into" and "what exactly
do we dial" are pure facts about the number and the site's numbering (setting1); the dial policy
(setting2) only looks at these facts.

The rules, in order:

1. Empty (or only whitespace) -> nothing to dial.
2. Internal extension: no leading ``+``, only digits/``*``/``#`` (spaces, ``-``, ``.``, ``/``,
   parentheses ignored) and at most ``extensionMaxDigits`` digits -> dialled exactly as typed,
   never prefixed, never blocked. Emergency numbers (112, 911, 144) are short too, so they are
   never blocked either.
3. phonenumbers cannot parse it, or parses it but does not consider it a valid number ->
   dialled exactly as typed (no prefix: phonenumbers cannot format what it does not know),
   category ``invalid`` (plus ``international`` when its country code is not the home one).
4. Otherwise (a valid number) it is rewritten in the configured format with the outside prefix
   in front; its categories are its number type and ``international``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from enum import StrEnum

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from ._errors import show
from ._numbering_settings import NumberFormat, NumberingConfig

__all__ = ["NumberKind", "NumberInfo", "analyse"]

_MAX_INPUT = 250  # phonenumbers refuses longer input anyway; do not even try
_SEPARATORS = re.compile(r"[\s\-./()]")
_SHORT = re.compile(r"[0-9*#]+")
_DIAL_CHARS = re.compile(r"[^0-9+*#]")

_TYPES: dict[int, tuple[str, ...]] = {
    PhoneNumberType.FIXED_LINE: ("fixed_line",),
    PhoneNumberType.MOBILE: ("mobile",),
    # NANP (US/CA...) numbers cannot be told apart: rules about either apply (the cautious choice).
    PhoneNumberType.FIXED_LINE_OR_MOBILE: ("fixed_line", "mobile"),
    PhoneNumberType.TOLL_FREE: ("toll_free",),
    PhoneNumberType.PREMIUM_RATE: ("premium_rate",),
    PhoneNumberType.SHARED_COST: ("shared_cost",),
    PhoneNumberType.VOIP: ("voip",),
    PhoneNumberType.PERSONAL_NUMBER: ("personal_number",),
    PhoneNumberType.PAGER: ("pager",),
    PhoneNumberType.UAN: ("uan",),
    PhoneNumberType.VOICEMAIL: ("voicemail",),
}


class NumberKind(StrEnum):
    """Which of the rules above applied."""

    EMPTY = "empty"
    EXTENSION = "extension"
    INVALID = "invalid"  # not parseable, or not a number phonenumbers knows: dialled as typed
    NUMBER = "number"


@dataclass(frozen=True)
class NumberInfo:
    """Facts about one dialled string under one numbering config."""

    typed: str
    kind: NumberKind
    dial: str
    display: str
    e164: str | None = None
    region: str | None = None  # phonenumbers' region of a valid number
    country: str | None = None  # region, or the main region of its country code (for texts)
    categories: tuple[str, ...] = field(default=())


def _international_prefix(region: str) -> str | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None
    for prefix in (metadata.preferred_international_prefix, metadata.international_prefix):
        if prefix and prefix.isdigit():
            return prefix
    return None


def _format(number: phonenumbers.PhoneNumber, typed: str, config: NumberingConfig) -> str:
    """The dial string (without outside prefix) in the configured format, digits only."""
    home = config.region
    if config.number_format is NumberFormat.AS_TYPED:
        return typed
    if config.number_format is NumberFormat.INTERNATIONAL and home:
        idd = _international_prefix(home)
        if idd is not None:
            nsn = phonenumbers.national_significant_number(number)
            return f"{idd}{number.country_code}{nsn}"
    if config.number_format is NumberFormat.NATIONAL and home:
        return _DIAL_CHARS.sub("", phonenumbers.format_out_of_country_calling_number(number, home))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _is_international(number: phonenumbers.PhoneNumber, region: str | None, home: str | None) -> bool:
    if not home:
        return False
    if region:
        return region != home
    return number.country_code != phonenumbers.country_code_for_region(home)


def example_typed(region: str) -> str:
    """A valid fixed-line number of `region` as an agent there would type it (national format)."""
    number = phonenumbers.example_number_for_type(region, PhoneNumberType.FIXED_LINE)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if number is not None else ""


def analyse(dialed: object, config: NumberingConfig) -> NumberInfo:
    """Classify ``dialed`` and compute its dial string (see the module docstring for the rules)."""
    typed = dialed.strip() if isinstance(dialed, str) else ""
    if not typed:
        return NumberInfo(typed=typed, kind=NumberKind.EMPTY, dial="", display="(empty)")
    compact = _SEPARATORS.sub("", typed)
    digits = sum(char.isdigit() for char in compact)
    if _SHORT.fullmatch(compact) and compact.isascii() and digits <= config.extension_max_digits:
        return NumberInfo(typed=typed, kind=NumberKind.EXTENSION, dial=typed, display=show(typed))
    number: phonenumbers.PhoneNumber | None = None
    if len(typed) <= _MAX_INPUT:
        try:
            number = phonenumbers.parse(typed, config.region)
        except phonenumbers.NumberParseException:
            number = None
    if number is None:
        return NumberInfo(
            typed=typed, kind=NumberKind.INVALID, dial=typed, display=show(typed), categories=("invalid",)
        )
    core = number
    if number.extension is not None:
        core = copy.deepcopy(number)
        core.extension = None  # an "ext. 12" must not leak into the dial string
    e164 = phonenumbers.format_number(core, PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(core)
    main_region = phonenumbers.region_code_for_country_code(core.country_code or 0)  # 0: no country, "ZZ"
    country = region or (main_region if main_region.isalpha() and main_region != "ZZ" else None)
    international = ("international",) if _is_international(core, region, config.region) else ()
    # number_type() is UNKNOWN exactly when is_valid_number() is false; asking once halves the
    # pattern matching, the largest cost of a beforeDial.
    number_type = phonenumbers.number_type(core)
    if number_type == PhoneNumberType.UNKNOWN:
        # phonenumbers cannot format what it does not know (it would drop a national prefix):
        # dial it untouched, but still let patterns and "international" see it.
        return NumberInfo(
            typed=typed,
            kind=NumberKind.INVALID,
            dial=typed,
            display=show(typed),
            e164=e164,
            country=country,
            categories=("invalid",) + international,
        )
    return NumberInfo(
        typed=typed,
        kind=NumberKind.NUMBER,
        dial=config.outside_prefix + _format(core, typed, config),
        display=phonenumbers.format_number(core, PhoneNumberFormat.INTERNATIONAL),
        e164=e164,
        region=region,
        country=country,
        categories=_TYPES.get(number_type, ()) + international,
    )
