"""The shared ``key=value; key=value`` syntax of all five settings."""

from __future__ import annotations

from integration.app._kv import MAX_SETTING_LENGTH, Pair, split_list, split_pairs


def pairs(text: str) -> list[tuple[str, str, bool]]:
    found, errors = split_pairs("settingX", text)
    assert errors == [], [str(error) for error in errors]
    return [(pair.key, pair.value, pair.quoted) for pair in found]


def messages(text: str) -> list[str]:
    return [str(error) for error in split_pairs("settingX", text)[1]]


def test_empty_and_blank_text_give_no_pairs() -> None:
    """An empty or blank setting means "all defaults": no pairs, no errors."""
    assert pairs("") == []
    assert pairs("  ;  ; \n ") == []


def test_pairs_are_trimmed_and_keep_key_spelling() -> None:
    """Whitespace around keys and values is trimmed; the key's spelling is kept for messages."""
    assert pairs("  Region = CH ;format=E164") == [("Region", "CH", False), ("format", "E164", False)]


def test_line_breaks_separate_pairs_like_semicolons() -> None:
    """A setting written one pair per line reads the same as with semicolons."""
    assert pairs("region=CH\nformat=NATIONAL\r\noutsidePrefix=0") == pairs("region=CH;format=NATIONAL;outsidePrefix=0")


def test_quoted_values_keep_separators_and_spaces() -> None:
    """A quoted value may contain ; , = and leading spaces, and escapes its quote with a backslash."""
    assert pairs('param.a=" web; phone, =x"; param.b=\'it\\\'s\'') == [
        ("param.a", " web; phone, =x", True),
        ("param.b", "it's", True),
    ]


def test_value_may_contain_equals_sign() -> None:
    """Only the first = separates key and value."""
    assert pairs("template=a=b") == [("template", "a=b", False)]


def test_repeated_key_is_an_error_regardless_of_case() -> None:
    """Keys are case-insensitive, so Region and REGION collide; the repetition is reported."""
    found, errors = split_pairs("setting1", "Region=CH; REGION=DE")
    assert [pair.value for pair in found] == ["CH"]
    assert [str(error) for error in errors] == [
        'setting1: key "REGION": given more than once (expected each key once)'
    ]


def test_missing_equals_is_reported_with_the_text() -> None:
    """A word without = is a precise error naming the word."""
    assert messages("region CH") == [
        'settingX: missing "=" in "region CH" (expected key=value pairs separated by ";")'
    ]


def test_missing_key_is_reported() -> None:
    """``=value`` without a key is an error."""
    assert messages("=CH") == ['settingX: missing key before "=CH" (expected key=value pairs separated by ";")']


def test_unterminated_quote_is_reported() -> None:
    """An opening quote without its closing quote is an error for that key."""
    assert messages('template="Incoming') == [
        'settingX: key "template": quote not closed in value "Incoming" (expected a closing ")'
    ]


def test_text_after_closing_quote_is_reported() -> None:
    """Anything but a separator after a quoted value is an error."""
    assert messages('template="A" B') == [
        'settingX: key "template": unexpected text after the closing quote: "B" (expected ";" after a quoted value)'
    ]


def test_control_characters_are_reported_escaped() -> None:
    """Control characters are refused and shown escaped, so the message stays one printable line."""
    (message,) = messages("region=C\x00H")
    assert message == 'settingX: key "region": control character in "region=C\\x00H" (expected printable text)'


def test_too_long_setting_is_refused_whole() -> None:
    """A setting beyond the length bound is one error, not a slow parse."""
    found, errors = split_pairs("settingX", "a=b;" * MAX_SETTING_LENGTH)
    assert found == []
    assert len(errors) == 1 and errors[0].problem.startswith("too long")
    assert len(str(errors[0])) < 200


def test_split_list_ignores_empty_items() -> None:
    """Lists are comma-separated and trimmed; a trailing comma is harmless."""
    assert split_list(" a, b ,,c, ") == ["a", "b", "c"]


def test_pair_folds_key() -> None:
    """``Pair.folded`` is the case-insensitive comparison form."""
    assert Pair(key="OutsidePrefix", value="0", quoted=False).folded == "outsideprefix"
