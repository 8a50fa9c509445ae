"""On-demand Pyodide packages: loaded once, shared by concurrent callers, retried after a failure."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from integration.app import _packages


class FakePyodide:
    """Pyodide's JS API as far as `require` uses it: loadedPackages and loadPackage."""

    def __init__(self, fail_first: bool = False) -> None:
        self.loadedPackages = SimpleNamespace()
        self.calls = 0
        self.fail_first = fail_first

    async def loadPackage(self, name: str) -> None:  # noqa: N802 - Pyodide's name
        self.calls += 1
        await asyncio.sleep(0.01)
        if self.fail_first and self.calls == 1:
            raise RuntimeError("network error")
        setattr(self.loadedPackages, name, "default channel")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(**options: bool) -> FakePyodide:
        pyodide = FakePyodide(**options)
        monkeypatch.setattr(_packages, "_pyodide_js", lambda: pyodide)
        monkeypatch.setattr(_packages, "_loading", {})
        return pyodide
    return install


async def test_under_cpython_nothing_is_loaded() -> None:
    """Outside Pyodide the package is installed: require returns at once."""
    await _packages.require("phonenumberslite")


async def test_concurrent_callers_share_one_load_and_later_ones_skip_it(fake: Any) -> None:
    """Three beforeDials during the load wait for the same load; afterwards nothing is loaded again."""
    pyodide = fake()
    await asyncio.gather(*(_packages.require("phonenumberslite") for _ in range(3)))
    await _packages.require("phonenumberslite")
    assert pyodide.calls == 1


async def test_a_failed_load_raises_and_the_next_call_tries_again(fake: Any) -> None:
    """A failure reaches the caller (the watchdog falls back); the next call loads it."""
    pyodide = fake(fail_first=True)
    with pytest.raises(RuntimeError):
        await _packages.require("phonenumberslite")
    await _packages.require("phonenumberslite")
    assert pyodide.calls == 2 and pyodide.loadedPackages.phonenumberslite
