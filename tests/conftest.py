"""Shared test set-up: end-to-end tests are marked `e2e` so unit tests can run alone in seconds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.browser import running_server

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is end-to-end, marked or not (so `-m "not e2e"` is reliable)."""
    for item in items:
        if "tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A serve.py on a free loopback port, started once for the whole session."""
    with running_server() as url:
        yield url
