"""docs/settings.md stays true: its examples load cleanly and it documents every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from integration.app import CATEGORIES, DialAction, decide, load_settings
from integration.app._after_call_settings import AFTER_CALL_KEYS
from integration.app._diagnostics_settings import DIAGNOSTICS_KEYS
from integration.app._dial_policy_settings import DIAL_POLICY_KEYS
from integration.app._numbering_settings import NUMBERING_KEYS
from integration.app._screen_pop_settings import SCREEN_POP_KEYS, SIMPLE_SOURCES

DOC = (Path(__file__).resolve().parents[3] / "docs" / "settings.md").read_text(encoding="utf-8")
_BLOCKS = re.findall(r"```settings\n(.*?)```", DOC, flags=re.DOTALL)
# One block = one configuration: its lines are "settingN: text".
_EXAMPLES = [
    {name.strip(): text.strip() for name, text in (line.split(":", 1) for line in block.splitlines() if line.strip())}
    for block in _BLOCKS
]


def test_doc_has_examples() -> None:
    """The checked example blocks exist (a renamed fence would silently skip the checks)."""
    assert len(_EXAMPLES) >= 8


@pytest.mark.parametrize("example", _EXAMPLES, ids=[" ".join(example.values())[:40] for example in _EXAMPLES])
def test_doc_example_loads_without_errors(example: dict[str, str]) -> None:
    """Every documented example configuration loads without errors."""
    assert set(example) <= {"setting1", "setting2", "setting3", "setting4", "setting5"}
    assert load_settings(example).error_messages() == []


def test_every_key_category_and_source_is_documented() -> None:
    """Each key, dial category and screen-pop source appears in the doc."""
    names = [*NUMBERING_KEYS, *DIAL_POLICY_KEYS, *SCREEN_POP_KEYS, *AFTER_CALL_KEYS, *DIAGNOSTICS_KEYS]
    for name in [*names, *CATEGORIES, *SIMPLE_SOURCES, "param.<name>", "ctiData.<variable>"]:
        assert f"`{name}" in DOC or f".{name.split('.')[-1]}`" in DOC, name


def test_documented_us_example_dials_as_stated() -> None:
    """The US example's dial strings in the doc are what decide() produces."""
    settings = load_settings({"setting1": "region=US; format=NATIONAL; outsidePrefix=9"})
    assert decide("(201) 555-0123", settings).number == "912015550123"
    assert decide("+44 121 234 5678", settings).number == "9011441212345678"
    assert "`912015550123`" in DOC and "`9011441212345678`" in DOC


def test_documented_swiss_format_table() -> None:
    """The format table for a Swiss site matches decide()."""
    expected = {
        "E164": ("+41446681800", "+49301234567"),
        "NATIONAL": ("0446681800", "0049301234567"),
        "INTERNATIONAL": ("0041446681800", "0049301234567"),
        "AS_TYPED": ("044 668 18 00", "+49 30 1234567"),
    }
    for fmt, numbers in expected.items():
        settings = load_settings({"setting1": f"region=CH; format={fmt}"})
        got = tuple(decide(typed, settings).number for typed in ("044 668 18 00", "+49 30 1234567"))
        assert got == numbers
        assert f"| `{fmt}` | `{numbers[0]}` | `{numbers[1]}`" in DOC


def test_documented_agent_texts() -> None:
    """The agent-facing texts quoted in the doc are the ones decide() produces."""
    settings = load_settings({"setting1": "region=CH", "setting2": "block=premium_rate; confirm=international"})
    blocked = decide("0900 123 456", settings)
    confirm = decide("+49 30 1234567", settings)
    assert blocked.action is DialAction.BLOCK and blocked.reason in DOC
    assert confirm.action is DialAction.CONFIRM and confirm.reason in DOC


def test_documented_error_examples_are_real() -> None:
    """The error lines quoted in the doc are exactly what load_settings reports."""
    cases = {
        "setting2": "block=premum_rate",
        "setting1": "regoin=CH",
        "setting4": "state=Busy",
        "setting5": "watchdogMs=100",
    }
    for setting, text in cases.items():
        (message,) = load_settings({setting: text}).error_messages()
        assert message in DOC, message
