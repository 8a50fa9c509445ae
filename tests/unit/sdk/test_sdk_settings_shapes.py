"""getCustomSettings in every reasonable shape is read; any other shape is one clear error.

The contract says "an array containing key/value pairs": libraries answer `[{key, value}]` (either
capitalisation), `[[key, value]]` or a plain object, with the setting names in any letter case.
Read as five empty settings instead, an integration silently switches its features off.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from integration.sdk import CustomSettings, Integration, ProtocolError
from integration.testing import FakeConnects

READ = {"setting1": "region=CH", "setting2": "block=premium_rate", "setting3": None, "setting4": None, "setting5": None}


@pytest.mark.parametrize("answer", [
    [{"key": "setting1", "value": "region=CH"}, {"key": "setting2", "value": "block=premium_rate"}],
    [{"Key": "setting1", "Value": "region=CH"}, {"Key": "setting2", "Value": "block=premium_rate"}],
    [["setting1", "region=CH"], ["setting2", "block=premium_rate"]],
    {"setting1": "region=CH", "setting2": "block=premium_rate"},
    [{"key": "Setting1", "value": "region=CH"}, {"KEY": "SETTING2", "VALUE": "block=premium_rate"}],
    [["Setting1", "region=CH"], [" setting2 ", "block=premium_rate"]],
    {"Setting1": "region=CH", "SETTING2": "block=premium_rate"},
], ids=["pairs", "capitalised pairs", "arrays", "object", "pairs, other cases", "arrays, other cases",
        "object, other cases"])
async def test_each_reasonable_shape_reads_the_same_settings(settings_answered_as: Any, answer: Any) -> None:
    fake = settings_answered_as(answer)
    integration = Integration(fake.transport, default_timeout=1.0)
    settings = await integration.client.get_custom_settings()
    assert dict(settings.mapping) == READ


@pytest.mark.parametrize("answer", [None, [], {}], ids=["null", "empty array", "empty object"])
def test_no_settings_at_all_reads_as_empty(answer: Any) -> None:
    assert dict(CustomSettings.model_validate(answer).mapping) == dict.fromkeys(READ)


@pytest.mark.parametrize(("answer", "named"), [
    ("setting1=region=CH", 'the text "setting1=region=CH"'),
    (42, "the number 42"),
    (True, "true"),
    ([1, 2], "an array whose entry 1 is the number 1"),
    ([{"name": "setting1", "text": "x"}], "an array whose entry 1 is an object with keys name, text"),
    ([["setting1", "a", "b"]], "an array whose entry 1 is an array of 3 entries"),
    ({"key": "setting1", "value": "x"}, "an object with keys key, value but none of setting1-setting5"),
    ([["settingOne", "x"]], "an array of 1 entry with keys settingOne but none of setting1-setting5"),
    ([["setting1", "a"], ["Setting1", "b"]], "setting1 twice"),
])
async def test_any_other_shape_is_one_error_naming_what_came(
    settings_answered_as: Any, answer: Any, named: str
) -> None:
    """The request raises ProtocolError saying what was answered and what was expected."""
    fake = settings_answered_as(answer)
    integration = Integration(fake.transport, default_timeout=1.0)
    with pytest.raises(ProtocolError) as raised:
        await integration.client.get_custom_settings()
    assert str(raised.value) == (f"getCustomSettings answered {named}; expected "
                                 "[{key, value}, ...], [[key, value], ...] or {setting1: ..., setting5: ...}")
    with pytest.raises(ValidationError, match="getCustomSettings answered"):
        CustomSettings.model_validate(answer)


async def test_an_enveloped_answer_reads_the_same() -> None:
    fake = FakeConnects(custom_settings={"setting1": "region=CH"}, envelope=True)
    integration = Integration(fake.transport, default_timeout=1.0)
    assert (await integration.client.get_custom_settings()).setting1 == "region=CH"
