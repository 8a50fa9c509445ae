"""Fixtures for the SDK unit tests: a fake b+s Connects host and an Integration wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from integration.sdk import Integration
from integration.testing import FakeConnects


@pytest.fixture
def fake() -> FakeConnects:
    """A fresh fake host (agent NotReady on voice_5000, default reason codes)."""
    return FakeConnects()


@pytest.fixture
async def integration(fake: FakeConnects) -> AsyncIterator[Integration]:
    """An Integration attached to ``fake`` (not started; short default timeout)."""
    it = Integration(fake.transport, default_timeout=1.0)
    yield it
    await it.close()


@pytest.fixture
async def started(integration: Integration) -> Integration:
    """``integration`` after ``start()`` (state seeded, ready sent) and settled."""
    await integration.start()
    await integration.idle()
    return integration
