"""How the integration's Python worker starts (integration/worker_main.py calls `start`).

It connects the SDK to the main thread's shim (``WorkerTransport``) and starts the reference
integration. The transport's message listener is installed before PyScript tells the page the
worker is up, so the shim's first ping already finds it. Any failure to start is reported to the
page with its traceback (PyScript's own events cannot tell a failed script from a finished one),
so the page shows it instead of silently never answering.

Why a module and not the entry script itself: PyScript compiles the entry script at every start,
and Pyodide tokenizes it again to decide whether its last line prints; for an 87-line script
that cost ~0.1 s of a cold start in a profile. This module is frozen in the memory snapshot like
the rest of the integration, so the entry is three lines. It holds no JavaScript object at
import: `js` and `pyodide` are imported when its functions run (`polyscript` stays in the entry),
never frozen.
The integration's own modules are imported only after `discard_stale` checked them against their
sources (integration/_frozen.py): tools/snapshot.py reads those imports from this file to freeze
them.
"""

from __future__ import annotations

import asyncio
import json
import random
import traceback
from typing import Any

__all__ = ["start"]


def _report_failure(error: BaseException) -> None:
    import js  # type: ignore[import-not-found]  # only in Pyodide

    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    js.console.error(text)
    js.postMessage(json.dumps({"bsc": 1, "kind": "failed", "error": text[-4000:]}))


def _start_info(imports_ms: float, changed: list[str]) -> str:
    """How this worker's interpreter started (static/shim/interpreter.mjs leaves the outcome), and
    whether the snapshot's copy of the integration was used (`changed`: the modules whose source
    differs from their frozen copy; then all of them were imported from source)."""
    import js  # type: ignore[import-not-found]  # only in Pyodide

    start_outcome = getattr(js, "bscInterpreterStart", None)
    if start_outcome is None:
        how = "interpreter start not reported"
    elif start_outcome.snapshot:
        how = (f"from the memory snapshot: interpreter in {start_outcome.ms} ms"
               f"{getattr(start_outcome, 'note', '') or ''}")
    else:
        how = f"without a snapshot ({start_outcome.reason}): interpreter in {start_outcome.ms} ms"
    if changed:
        how += (f"; {len(changed)} integration module(s) changed since the snapshot ({', '.join(changed[:3])}): "
                "imported from source")
    return f"{how}, imports {imports_ms:.0f} ms"


async def _main(transport: object, imports_ms: float, changed: list[str]) -> None:
    import sys

    try:
        if "phonenumbers" not in sys.modules:
            # No snapshot (which holds phonenumbers' modules): the app imports it, so load it first.
            # Not through integration.app._packages.require: importing integration.app imports
            # phonenumbers.
            import pyodide_js  # type: ignore[import-not-found]

            await pyodide_js.loadPackage("phonenumberslite")
        from integration.app.reference import start_reference_integration
        from integration.sdk import Integration

        integration = Integration(transport)  # type: ignore[arg-type]
        await start_reference_integration(integration, _start_info(imports_ms, changed))
    except BaseException as error:  # noqa: BLE001 - everything must reach the page
        _report_failure(error)


def start() -> asyncio.Future[Any] | None:
    """Listen to the shim at once, then check the frozen modules, import the rest and start the
    integration in the background; returns its task (None when starting failed, and said so)."""
    import js  # type: ignore[import-not-found]  # only in Pyodide
    from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

    # Listen before the heavy imports below (pydantic): PyScript may let the page talk to this
    # worker while they run, and a message with no listener is lost (and makes PyScript log an error).
    early: list[str] = []
    early_listener = create_proxy(lambda event: early.append(event.data) if isinstance(event.data, str) else None)
    js.addEventListener("message", early_listener)

    # Restored from a memory snapshot, every visitor's interpreter starts with the same random state.
    random.seed()

    try:
        imports_started = js.performance.now()
        from integration._frozen import discard_stale

        changed_since_snapshot = discard_stale()
        from integration.sdk._worker_transport import WorkerTransport

        transport = WorkerTransport(early=early)
        js.removeEventListener("message", early_listener)
        return asyncio.ensure_future(_main(transport, js.performance.now() - imports_started, changed_since_snapshot))
    except BaseException as error:  # noqa: BLE001
        _report_failure(error)
        return None
