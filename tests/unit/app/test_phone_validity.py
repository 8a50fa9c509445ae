"""The dial check asks phonenumbers for a number's type once and derives validity from it."""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(REGIONS), st.text(alphabet="0123456789", min_size=3, max_size=13))
def test_unknown_type_means_invalid_exactly(region: str, digits: str) -> None:
    """number_type() is UNKNOWN exactly when is_valid_number() is false (what _phone.analyse relies on)."""
    try:
        number = phonenumbers.parse(f"+{phonenumbers.country_code_for_region(region)}{digits}", None)
    except phonenumbers.NumberParseException:
        return
    assert (phonenumbers.number_type(number) != PhoneNumberType.UNKNOWN) == phonenumbers.is_valid_number(number)
