"""Fixtures shared by the unit suites of the SDK and of the reference integration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from integration.sdk._protocol import Request, Response, encode
from integration.testing import FakeConnects


class AnswersSettingsWith(FakeConnects):
    """A fake host that answers getCustomSettings with exactly the given result, in any shape."""

    def __init__(self, answer: Any, **options: Any) -> None:
        super().__init__(**options)
        self.answer = answer

    def handle_request(self, request: Request) -> None:
        if request.name == "getCustomSettings":
            self.send_raw(encode(Response(id=request.id, ok=True, result=self.answer)))
        else:
            super().handle_request(request)


@pytest.fixture
def settings_answered_as() -> Callable[..., FakeConnects]:
    """`settings_answered_as(answer)`: a FakeConnects whose getCustomSettings resolves to `answer`."""
    return AnswersSettingsWith
