"""``run``: the one public way to give an integrator's ``main`` a connected ``Integration``.

The same call serves the browser worker (no transport given: the worker's ``postMessage``
channel to the page's shim) and tests (``FakeConnects().transport``), so an integration's code
never depends on where it runs.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from ._integration import Integration
from ._transport import Transport

Main = Callable[[Integration], "Awaitable[None] | None"]
"""An integration's entry: registers handlers (sync or async), may call ``start`` itself."""


async def run(main: Main, transport: Transport | None = None) -> Integration:
    """Connect an ``Integration``, hand it to ``main``, and start it if ``main`` did not.

    ``main(integration)`` registers its handlers and may ``await integration.start(...)`` itself
    (to choose the channel, or to act after start); otherwise ``run`` starts it on "voice" once
    ``main`` returns. Returns the started integration; an exception from ``main`` propagates.
    """
    if transport is None:
        from ._worker_transport import WorkerTransport

        transport = WorkerTransport()
    integration = Integration(transport)
    outcome = main(integration)
    if inspect.isawaitable(outcome):
        await outcome
    if not integration.started:
        await integration.start()
    return integration
