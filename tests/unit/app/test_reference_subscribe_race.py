"""A beforeDial that comes as the reference integration subscribes is decided at once.

Started from the snapshot, the dial rules' package (phonenumberslite) is installed on demand and
its whole wheel is downloaded in the background right after start. A beforeDial arriving in that
window used to wait for the download: received but not handled, until the download ended; when
that took longer than the watchdog, the shim dialled the blocked number unchecked. Here the
download never ends, and the beforeDial comes at each moment around the subscription: in the
same turn as the shim subscribes it, just before and just after the shim takes Python's `ready`,
and while Python is still inside `start()` (its getChannel answer held back). Python must decide
each time with no further event.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from integration.app.reference import start_reference_integration
from integration.sdk import Integration, _packages
from integration.sdk._messages import Ready, Request, Subscribe
from integration.sdk._protocol import decode
from integration.testing import FakeConnects

RULES = {"setting1": "region=CH; format=E164", "setting2": "block=premium_rate"}
BLOCKED = "+41900123456"


class Wheels:
    """interpreter.mjs's handle on the wheels installed on demand; this download never ends."""

    def __init__(self) -> None:
        self.downloads: list[str] = []

    def has(self, name: str) -> bool:
        return name == "phonenumberslite"

    def download(self, name: str) -> asyncio.Future[str]:
        self.downloads.append(name)
        return asyncio.get_running_loop().create_future()


class DialsAtSubscription(FakeConnects):
    """A host whose agent dials the blocked number at `moment` (once)."""

    def __init__(self, moment: str) -> None:
        super().__init__(custom_settings=RULES)
        self.moment = moment
        self.dialled: int | None = None

    def dial(self) -> None:
        if self.dialled is None:
            self.dialled = self.before_dial(BLOCKED)

    def _receive(self, text: str) -> None:
        message = decode(text)
        if isinstance(message, Request) and message.name == "getChannel" and self.moment == "inside start":
            self.dial()  # Python waits for this answer inside start(), its subscription sent
            asyncio.get_running_loop().call_soon(super()._receive, text)
            return
        if isinstance(message, Ready) and self.moment == "before ready":
            self.dial()
        super()._receive(text)
        if isinstance(message, Subscribe) and self.moment == "subscribed":
            self.dial()
        if isinstance(message, Ready) and self.moment == "after ready":
            self.dial()


@pytest.fixture
def wheels_on_demand(monkeypatch: pytest.MonkeyPatch) -> Wheels:
    """Pyodide started from the snapshot: phonenumberslite listed as loaded, its wheel downloadable."""
    wheels = Wheels()
    pyodide = SimpleNamespace(loadedPackages=SimpleNamespace(phonenumberslite="default channel"))
    monkeypatch.setattr(_packages, "_pyodide_js", lambda: pyodide)
    monkeypatch.setattr(_packages, "_wheels_on_demand", lambda: wheels)
    monkeypatch.setattr(_packages, "_loading", {})
    return wheels


@pytest.mark.parametrize("moment", ["subscribed", "before ready", "after ready", "inside start"])
async def test_a_before_dial_at_subscription_is_decided_without_waiting(wheels_on_demand: Wheels, moment: str) -> None:
    fake = DialsAtSubscription(moment)
    integration = Integration(fake.transport)
    await start_reference_integration(integration)
    await integration.idle(timeout=2.0)
    assert wheels_on_demand.downloads == ["phonenumberslite"]  # in flight the whole time
    assert fake.dialled is not None and fake.decisions == {fake.dialled: "block"}
    assert integration.stats.events_dispatched == integration.stats.events_received == 1
    assert fake.acked == fake.dialled
    assert [alert.title for alert in fake.alerts] == ["Call blocked"]


def test_the_package_is_readable_at_once_when_installed_on_demand(wheels_on_demand: Wheels) -> None:
    """Listed as loaded (installed on demand): readable now, whatever its download does."""
    assert _packages.package_readable("phonenumberslite") and not _packages.package_readable("pydantic")
