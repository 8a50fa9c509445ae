"""On-demand Pyodide packages: loaded once, shared by concurrent callers, retried after a failure."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from integration.sdk import _packages


class FakePyodide:
    """Pyodide's JS API as far as `load_package` uses it: loadedPackages and loadPackage."""

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


class FakeWheels:
    """static/shim/remote_files.mjs's `bscWheels`: the packages installed on demand, each downloadable whole."""

    def __init__(self, *names: str) -> None:
        self.names = set(names)
        self.downloads: list[str] = []

    def has(self, name: str) -> bool:
        return name in self.names

    async def download(self, name: str) -> str:
        self.downloads.append(name)
        await asyncio.sleep(0.01)
        return ""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(wheels: FakeWheels | None = None, **options: bool) -> FakePyodide:
        pyodide = FakePyodide(**options)
        monkeypatch.setattr(_packages, "_pyodide_js", lambda: pyodide)
        monkeypatch.setattr(_packages, "_wheels_on_demand", lambda: wheels)
        monkeypatch.setattr(_packages, "_loading", {})
        return pyodide
    return install


async def test_under_cpython_nothing_is_loaded() -> None:
    """Outside Pyodide the package is installed: require returns at once."""
    await _packages.load_package("phonenumberslite")


async def test_concurrent_callers_share_one_load_and_later_ones_skip_it(fake: Any) -> None:
    """Three beforeDials during the load wait for the same load; afterwards nothing is loaded again."""
    pyodide = fake()
    await asyncio.gather(*(_packages.load_package("phonenumberslite") for _ in range(3)))
    await _packages.load_package("phonenumberslite")
    assert pyodide.calls == 1


async def test_a_failed_load_raises_and_the_next_call_tries_again(fake: Any) -> None:
    """A failure reaches the caller (the watchdog falls back); the next call loads it."""
    pyodide = fake(fail_first=True)
    with pytest.raises(RuntimeError):
        await _packages.load_package("phonenumberslite")
    await _packages.load_package("phonenumberslite")
    assert pyodide.calls == 2 and pyodide.loadedPackages.phonenumberslite


async def test_a_package_installed_on_demand_is_downloaded_whole_once_not_unpacked(fake: Any) -> None:
    """Started from the snapshot, phonenumberslite is installed (Pyodide lists it as loaded), its
    files read by range: require downloads its wheel once, for all callers, and unpacks nothing."""
    wheels = FakeWheels("phonenumberslite")
    pyodide = fake(wheels)
    pyodide.loadedPackages.phonenumberslite = "default channel"
    await asyncio.gather(*(_packages.load_package("phonenumberslite") for _ in range(3)))
    await _packages.load_package("phonenumberslite")
    assert wheels.downloads == ["phonenumberslite"] and pyodide.calls == 0


async def test_a_package_not_installed_on_demand_is_loaded_by_pyodide(fake: Any) -> None:
    wheels = FakeWheels("pydantic")
    pyodide = fake(wheels)
    await _packages.load_package("phonenumberslite")
    assert wheels.downloads == [] and pyodide.calls == 1
