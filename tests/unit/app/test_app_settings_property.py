"""Property: load_settings turns any input into configs or precise errors, never an exception."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from integration.app import SETTING_NAMES, Settings, load_settings
from integration.app._after_call_settings import AfterCallConfig
from integration.app._diagnostics_settings import DiagnosticsConfig
from integration.app._dial_policy_settings import DialPolicyConfig
from integration.app._numbering_settings import NumberingConfig
from integration.app._screen_pop_settings import ScreenPopConfig

_DEFAULTS = {
    "numbering": NumberingConfig(),
    "dial_policy": DialPolicyConfig(),
    "screen_pop": ScreenPopConfig(),
    "after_call": AfterCallConfig(),
    "diagnostics": DiagnosticsConfig(),
}
_FIELD_OF = dict(zip(SETTING_NAMES, _DEFAULTS, strict=True))

# Text that looks like settings (keys, separators, quotes) mixed with anything at all.
_FRAGMENTS = st.sampled_from(
    ["region", "format", "outsidePrefix", "block", "confirm", "on", "template", "param.x", "state",
     "reason", "classifications", "log", "failMode", "watchdogMs", "=", ";", ",", '"', "'", "\\", "\n",
     "CH", "NATIONAL", "0", "premium_rate", "+41*", "connect", "ani", "ctiData.", "NotReady", "3000",
     "\x00", "\u202e", "é", " "]
)
_SETTINGISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join)
_VALUES = st.one_of(
    st.none(), st.text(), _SETTINGISH, st.integers(), st.booleans(), st.floats(), st.binary(max_size=8),
    st.lists(st.text(max_size=3), max_size=3), st.dictionaries(st.text(max_size=3), st.text(max_size=3)),
)
_KEYS = st.one_of(st.sampled_from(list(SETTING_NAMES) + ["SETTING1", " setting2 "]), st.text(max_size=10),
                  st.integers())


def _check(result: Settings) -> None:
    assert isinstance(result, Settings)
    for error in result.errors:
        message = str(error)
        assert message.startswith(f"{error.setting}:")
        assert "(expected " in message
        assert message.isprintable() and "\n" not in message
        assert len(message) < 1200
    for setting, field in _FIELD_OF.items():
        config = getattr(result, field)
        own = [error for error in result.errors if error.setting == setting]
        # Either the feature is valid, or it is the safe default carrying exactly its errors.
        if own:
            assert config.errors == tuple(own)
            assert config.model_copy(update={"errors": ()}) == _DEFAULTS[field]
        else:
            assert config.ok


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=7))
def test_any_mapping_gives_configs_or_precise_errors(raw: dict[object, object]) -> None:
    """Any mapping of anything yields a Settings whose features are valid or default-with-errors."""
    _check(load_settings(raw))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SETTING_NAMES), _SETTINGISH)
def test_settingish_text_in_each_setting(name: str, text: str) -> None:
    """Text built from real keys, separators, quotes and control characters never escapes as an exception."""
    _check(load_settings({name: text}))


_LONG = st.tuples(st.text(min_size=1, max_size=20), st.integers(0, 50)).map(
    lambda parts: parts[0] * (4001 // len(parts[0]) + 1 + parts[1])
)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(SETTING_NAMES), _LONG)
def test_long_strings_are_refused(name: str, text: str) -> None:
    """Settings longer than the bound are an error for that setting, not a hang or a crash."""
    result = load_settings({name: text})
    _check(result)
    assert [error.setting for error in result.errors] == [name]


def test_megabyte_setting_is_refused_fast() -> None:
    """A megabyte of settings text is refused whole with a short message."""
    result = load_settings({"setting2": "block=" + "premium_rate," * 100_000})
    (error,) = result.errors
    assert error.problem.startswith("too long") and len(str(error)) < 300


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.tuples(_KEYS, _VALUES), st.dictionaries(st.text(max_size=5), _VALUES),
                          st.integers(), st.none()), max_size=6))
def test_any_key_value_list(raw: list[object]) -> None:
    """Any list shaped roughly like getCustomSettings' result is also safe."""
    _check(load_settings(raw))


_REGIONS = st.sampled_from(["CH", "DE", "US", "GB", "AT", "FR"])
_CATEGORY = st.sampled_from(["premium_rate", "toll_free", "shared_cost", "voip", "mobile", "international",
                             "invalid", "pager"])
_PATTERN = st.from_regex(r"\+[0-9]{1,6}[*?]?", fullmatch=True)
_LITERAL = st.text(alphabet=string.ascii_letters + string.digits + " ;,=-", max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    region=_REGIONS,
    fmt=st.sampled_from(["E164", "NATIONAL", "INTERNATIONAL", "AS_TYPED"]),
    prefix=st.sampled_from(["", "0", "9", "*8#"]),
    block=st.lists(st.one_of(_CATEGORY, _PATTERN), max_size=4),
    confirm=st.lists(st.one_of(_CATEGORY, _PATTERN), max_size=4),
    literal=_LITERAL,
    watchdog=st.integers(500, 30000),
)
def test_generated_valid_settings_round_trip(
    region: str, fmt: str, prefix: str, block: list[str], confirm: list[str], literal: str, watchdog: int
) -> None:
    """Valid settings written in the documented syntax read back exactly as written."""
    if fmt == "E164":
        prefix = ""
    escaped = literal.replace("\\", "\\\\").replace('"', '\\"')
    result = load_settings(
        {
            "setting1": f"region={region}; format={fmt}; outsidePrefix={prefix}",
            "setting2": f"block={', '.join(block)}; confirm={', '.join(confirm)}",
            "setting3": f'template=T; param.lit="{escaped}"; param.who=associatedParticipant.name',
            "setting5": f"watchdogMs={watchdog}",
        }
    )
    assert result.error_messages() == []
    assert result.numbering.region == region and result.numbering.outside_prefix == prefix
    assert result.dial_policy.block == tuple(dict.fromkeys(block))
    assert result.dial_policy.confirm == tuple(dict.fromkeys(confirm))
    assert result.screen_pop.params[0].source == literal
    assert result.diagnostics.watchdog_ms == watchdog
