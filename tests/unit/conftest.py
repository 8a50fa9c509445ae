"""Fixtures shared by the unit suites of the SDK and of the reference integration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from integration.testing import FakeConnects


def answers_settings_with(answer: Any, **options: Any) -> FakeConnects:
    """A fake host that answers getCustomSettings with exactly the given result, in any shape."""
    fake = FakeConnects(**options)
    fake.canned["getCustomSettings"] = answer
    return fake


@pytest.fixture
def settings_answered_as() -> Callable[..., FakeConnects]:
    """`settings_answered_as(answer)`: a FakeConnects whose getCustomSettings resolves to `answer`."""
    return answers_settings_with
