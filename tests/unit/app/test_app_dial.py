"""decide(): normalisation, categories, patterns, precedence, invalid numbers, extensions, fail mode."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration.app import DialAction, FailMode, NumberKind, Settings, decide, load_settings


def cfg(setting1: str = "", setting2: str = "", setting5: str = "") -> Settings:
    loaded = load_settings({"setting1": setting1, "setting2": setting2, "setting5": setting5})
    assert loaded.error_messages() == []
    return loaded


@pytest.mark.parametrize(
    ("setting1", "typed", "number"),
    [
        # Switzerland
        ("region=CH", "044 668 18 00", "+41446681800"),
        ("region=CH; format=NATIONAL", "+41 44 668 18 00", "0446681800"),
        ("region=CH; format=NATIONAL", "+49 30 1234567", "0049301234567"),
        ("region=CH; format=INTERNATIONAL", "044 668 18 00", "0041446681800"),
        # Germany
        ("region=DE", "030 123456", "+4930123456"),
        ("region=DE; format=NATIONAL", "+49 30 123456", "030123456"),
        ("region=DE; format=NATIONAL", "+41 44 668 18 00", "0041446681800"),
        # United States: national dialling keeps the 1, international uses 011
        ("region=US", "(201) 555-0123", "+12015550123"),
        ("region=US; format=NATIONAL", "+1 201-555-0123", "12015550123"),
        ("region=US; format=NATIONAL", "+44 121 234 5678", "011441212345678"),
        # United Kingdom
        ("region=GB", "0121 234 5678", "+441212345678"),
        ("region=GB; format=NATIONAL", "+44 121 234 5678", "01212345678"),
        # No region: only numbers in international form are understood
        ("", "+41 44 668 18 00", "+41446681800"),
        # An extension on the number never reaches the dial string
        ("region=CH", "044 668 18 00 ext. 12", "+41446681800"),
    ],
)
def test_normalisation(setting1: str, typed: str, number: str) -> None:
    """Valid numbers are rewritten in the configured format for the home region."""
    decision = decide(typed, cfg(setting1))
    assert (decision.action, decision.number, decision.kind) == (DialAction.DIAL, number, NumberKind.NUMBER)


@pytest.mark.parametrize(
    ("setting1", "typed", "number"),
    [
        ("region=US; format=NATIONAL; outsidePrefix=9", "(201) 555-0123", "912015550123"),
        ("region=US; format=NATIONAL; outsidePrefix=9", "+49 30 123456", "90114930123456"),
        ("region=CH; format=NATIONAL; outsidePrefix=0", "044 668 18 00", "00446681800"),
        ("region=CH; format=INTERNATIONAL; outsidePrefix=0", "+49 30 123456", "0004930123456"),
        ("region=DE; format=AS_TYPED; outsidePrefix=0", "030 123456", "0030 123456"),
    ],
)
def test_outside_prefix_goes_in_front(setting1: str, typed: str, number: str) -> None:
    """The outside-line prefix is put in front of every rewritten external number."""
    assert decide(typed, cfg(setting1)).number == number


def test_as_typed_keeps_the_agents_spelling() -> None:
    """format=AS_TYPED classifies the number but dials exactly what was given."""
    decision = decide(" 044 668 18 00 ", cfg("region=CH; format=AS_TYPED"))
    assert decision.number == "044 668 18 00" and decision.e164 == "+41446681800"


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("0900 123 456", "premium_rate"),
        ("0800 123 456", "toll_free"),
        ("0840 123 456", "shared_cost"),
        ("0878 123 456", "personal_number"),
        ("074 012 34 56", "pager"),
        ("058 123 45 67", "uan"),
        ("0860 12 345 67 89", "voicemail"),
        ("078 123 45 67", "mobile"),
        ("021 234 56 78", "fixed_line"),
        ("+44 56 1234 5678", "voip"),
        ("+49 30 123456", "international"),
        ("+41 12", "invalid"),
    ],
)
def test_each_category_can_be_blocked(typed: str, category: str) -> None:
    """Every category name blocks the numbers of that kind (Swiss home region), and only those."""
    decision = decide(typed, cfg("region=CH", f"block={category}"))
    assert decision.action is DialAction.BLOCK and decision.matched == category
    unrelated = "premium_rate" if category == "pager" else "pager"
    assert decide(typed, cfg("region=CH", f"block={unrelated}")).action is DialAction.DIAL


def test_block_reason_text() -> None:
    """The block text names the category and shows the number readably."""
    decision = decide("0900 123 456", cfg("region=CH", "block=premium_rate"))
    assert decision.reason == "Premium-rate numbers are blocked: +41 900 123 456"
    assert decision.number == "+41900123456"


def test_confirm_international_text_names_the_country() -> None:
    """Confirming an international call names the country and the number, ending in a question."""
    decision = decide("+49 30 1234567", cfg("region=CH", "confirm=international"))
    assert decision.action is DialAction.CONFIRM
    assert decision.reason == "International call to Germany (+49 30 1234567). Dial?"
    assert decision.number == "+49301234567"


def test_confirm_category_text() -> None:
    """Confirming a category says what kind of number it is."""
    decision = decide("078 123 45 67", cfg("region=CH", "confirm=mobile"))
    assert decision.reason == "Mobile number +41 78 123 45 67. Dial?"


def test_unknown_country_falls_back_to_region_code() -> None:
    """Countries outside the name table are shown by their region code."""
    decision = decide("+84 24 3825 1234", cfg("region=CH", "confirm=international"))
    assert decision.reason.startswith("International call to VN (")


def test_pattern_blocks_matching_e164_numbers() -> None:
    """A + pattern matches the E.164 form however the number was typed."""
    policy = cfg("region=CH", "block=+41900*, +4184?123456")
    blocked = decide("0900 123 456", policy)
    assert (blocked.action, blocked.matched) == (DialAction.BLOCK, "+41900*")
    assert blocked.reason == "Numbers matching +41900* are blocked: +41 900 123 456"
    assert decide("0840 123 456", policy).matched == "+4184?123456"
    assert decide("0800 123 456", policy).action is DialAction.DIAL


def test_pattern_also_sees_invalid_numbers() -> None:
    """Patterns apply to numbers phonenumbers parses but does not consider valid."""
    decision = decide("+41 900 1", cfg("region=CH", "block=+41900*"))
    assert decision.action is DialAction.BLOCK and "invalid" in decision.categories


def test_block_beats_confirm() -> None:
    """A number matching both lists is blocked, whatever the order of the lists."""
    for setting2 in ("block=premium_rate; confirm=premium_rate", "confirm=+41*; block=+41900*"):
        assert decide("0900 123 456", cfg("region=CH", setting2)).action is DialAction.BLOCK


def test_first_matching_rule_is_reported() -> None:
    """Within a list, the first rule (in configured order) that matches is the one reported."""
    decision = decide("+49 1512 3456789", cfg("region=CH", "confirm=mobile, international"))
    assert decision.matched == "mobile"
    assert set(decision.categories) == {"mobile", "international"}


def test_invalid_number_is_dialled_untouched_by_default() -> None:
    """Unparseable and invalid numbers are dialled exactly as given (no prefix) unless invalid is ruled."""
    policy = cfg("region=CH; format=NATIONAL; outsidePrefix=0")
    for typed in ("call me", "+41 12", "12-34-56-78-90-12-34"):
        decision = decide(typed, policy)
        assert (decision.action, decision.number, decision.kind) == (DialAction.DIAL, typed, NumberKind.INVALID)


def test_invalid_number_confirm_and_block() -> None:
    """The invalid category asks or blocks for numbers phonenumbers cannot validate."""
    confirm = decide("call me", cfg("region=CH", "confirm=invalid"))
    assert confirm.action is DialAction.CONFIRM
    assert confirm.reason == "call me does not look like a valid number. Dial anyway?"
    assert decide("+44 7700 900123", cfg("region=GB", "block=invalid")).action is DialAction.BLOCK


def test_without_region_national_numbers_are_invalid() -> None:
    """Without a home region a national number cannot be understood: dialled as typed, category invalid."""
    decision = decide("044 668 18 00", cfg())
    assert (decision.action, decision.number, decision.categories) == (DialAction.DIAL, "044 668 18 00", ("invalid",))


@pytest.mark.parametrize("typed", ["4711", "47 11", "123456", "*72#", "112", "911"])
def test_short_numbers_are_extensions_and_never_blocked(typed: str) -> None:
    """Up to six digits (no +) are internal extensions/service numbers: dialled as typed, never ruled."""
    policy = cfg("region=US; format=NATIONAL; outsidePrefix=9", "block=invalid, fixed_line, premium_rate")
    decision = decide(typed, policy)
    assert (decision.action, decision.number, decision.kind) == (DialAction.DIAL, typed, NumberKind.EXTENSION)


def test_extension_length_is_configurable() -> None:
    """extensionMaxDigits moves the boundary between extensions and external numbers."""
    assert decide("1234567", cfg("region=CH; extensionMaxDigits=7")).kind is NumberKind.EXTENSION
    assert decide("12345", cfg("region=CH; extensionMaxDigits=4")).kind is NumberKind.INVALID
    assert decide("+41 44 668 18 00", cfg("region=CH; extensionMaxDigits=15")).kind is NumberKind.NUMBER


def test_empty_number_is_blocked() -> None:
    """Nothing to dial is a block with a plain explanation, not a dial of an empty string."""
    decision = decide("   ", cfg())
    assert (decision.action, decision.reason) == (DialAction.BLOCK, "No number to dial.")


def test_broken_dial_policy_fails_open() -> None:
    """With failMode=open a broken setting2 means no policy: the number is dialled."""
    broken = load_settings({"setting1": "region=CH", "setting2": "block=premum_rate"})
    assert decide("0900 123 456", broken).action is DialAction.DIAL


def test_broken_dial_rules_fail_closed() -> None:
    """With failMode=closed a broken setting1 or setting2 blocks every external and internal dial."""
    for raw in ({"setting2": "block=premum_rate"}, {"setting1": "region=XX"}):
        broken = load_settings({**raw, "setting5": "failMode=closed"})
        assert broken.diagnostics.fail_mode is FailMode.CLOSED
        decision = decide("044 668 18 00", broken)
        assert decision.action is DialAction.BLOCK and decision.matched == "fail_closed"
        assert decision.reason.startswith("Dialling is blocked: the dial rules (setting")


def test_internal_failure_follows_fail_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """If analysis itself fails, open dials the original and closed blocks it; nothing is raised."""
    import integration.app._dial as dial

    def boom(*_: object) -> None:
        raise RuntimeError("metadata missing")

    monkeypatch.setattr(dial, "analyse", boom)
    opened = decide("044 668 18 00", cfg("region=CH"))
    assert (opened.action, opened.number) == (DialAction.DIAL, "044 668 18 00")
    closed = decide("044 668 18 00", cfg("region=CH", "", "failMode=closed"))
    assert closed.action is DialAction.BLOCK
    assert closed.reason == "Dialling is blocked: the dial check failed (RuntimeError: metadata missing)"


def test_missing_settings_use_defaults() -> None:
    """decide() without settings behaves like an empty configuration."""
    assert decide("+41 44 668 18 00").number == "+41446681800"


_SETTINGS = [
    cfg(),
    cfg("region=CH; format=NATIONAL; outsidePrefix=0", "block=premium_rate, +41900*; confirm=international"),
    cfg("region=US; format=INTERNATIONAL; outsidePrefix=9", "block=invalid; confirm=mobile, +1900*"),
    cfg("region=GB; format=AS_TYPED; extensionMaxDigits=0", "confirm=invalid, voip"),
    load_settings({"setting2": "block=oops", "setting5": "failMode=closed"}),
]
_PHONEISH = st.text(alphabet="0123456789+ -()./*#xet:;", max_size=40)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), _PHONEISH, st.text(min_size=240, max_size=400)), st.sampled_from(_SETTINGS))
def test_decide_never_raises(typed: str, settings_: Settings) -> None:
    """Any string under any configuration yields a decision; BLOCK/CONFIRM always carry a reason."""
    decision = decide(typed, settings_)
    assert decision.action in DialAction
    if decision.action is not DialAction.DIAL:
        assert decision.reason
    else:
        assert decision.number or not typed.strip()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["CH", "DE", "US", "GB"]), st.integers(10**6, 10**10 - 1))
def test_rewritten_numbers_keep_their_e164(region: str, digits: int) -> None:
    """Whatever the format, a rewritten number still denotes the same E.164 number."""
    import phonenumbers

    typed = "0" + str(digits)
    e164 = decide(typed, cfg(f"region={region}")).e164
    national = decide(typed, cfg(f"region={region}; format=NATIONAL"))
    if national.kind is NumberKind.NUMBER:
        assert phonenumbers.format_number(
            phonenumbers.parse(national.number, region), phonenumbers.PhoneNumberFormat.E164
        ) == e164


@pytest.mark.parametrize(("setting1", "dialled"), [
    ("region=CH; format=E164", r"\+41\d{9}"),
    ("region=DE; format=NATIONAL", r"0\d{6,}"),
    ("region=US; format=E164", r"\+1\d{10}"),
])
def test_a_rehearsal_decides_for_a_valid_number_of_the_home_region(setting1: str, dialled: str) -> None:
    """The rehearsal after start (reference.py) runs the real decision on a number that is valid
    in the home region, so it loads that region's data, and dials it like any other."""
    import re

    from integration.app._dial import rehearse

    decision = rehearse(cfg(setting1))
    assert decision is not None and decision.action is DialAction.DIAL
    assert re.fullmatch(dialled, decision.number), decision.number


def test_without_a_home_region_there_is_nothing_to_rehearse() -> None:
    from integration.app._dial import rehearse

    assert rehearse(cfg("format=E164")) is None
