"""The reference integration reads settings in every reasonable shape and reports any other.

Answered as `[[key, value]]` the dial rules are on; answered in a shape nobody can read, the
integration says so once in b+s Connects' log, in its status panel and in an alert, instead of
running silently with every feature off.
"""

from __future__ import annotations

from typing import Any

from integration.app.reference import start_reference_integration
from integration.sdk import Integration
from integration.testing import FakeConnects


async def started(make: Any, answer: Any) -> tuple[FakeConnects, Integration]:
    fake = make(answer)
    integration = Integration(fake.transport)
    await start_reference_integration(integration)
    await integration.idle()
    return fake, integration


async def test_settings_as_arrays_of_pairs_switch_the_dial_rules_on(settings_answered_as: Any) -> None:
    pairs = [["Setting1", "region=CH; format=E164"], ["setting2", "block=premium_rate"]]
    fake, integration = await started(settings_answered_as, pairs)
    assert "beforeDial" in fake.subscriptions
    seq = fake.before_dial("0900 123 456")
    await integration.idle()
    assert fake.decisions[seq] == "block"
    assert fake.alerts[-1].title == "Call blocked"


async def test_settings_in_an_unknown_shape_are_one_error_in_the_log_the_panel_and_an_alert(
    settings_answered_as: Any,
) -> None:
    fake, _integration = await started(settings_answered_as, "setting1=region=CH")
    expected = 'getCustomSettings answered the text "setting1=region=CH"; expected [{key, value}'
    errors = [message for message, level in fake.logs if level == "Error"]
    assert len([message for message in errors if expected in message]) == 1
    assert "getCustomSettings answered the text" in fake.status["setting errors"]
    assert [alert.title for alert in fake.alerts] == ["Integration configuration error"]
    assert expected in fake.alerts[0].description
    assert "beforeDial" not in fake.subscriptions
