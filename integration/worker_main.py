"""Entry point of the integration's Python worker (PyScript runs this file in a Web Worker).

It connects the SDK to the main thread's shim (``WorkerTransport``) and starts the reference
integration. The transport's message listener is installed at top level, before PyScript tells
the page the worker is up, so the shim's first ping already finds it. Any failure to start is
reported to the page with its traceback (PyScript's own events cannot tell a failed script from
a finished one), so the page shows it instead of silently never answering.
"""

import asyncio
import json
import random
import sys
import traceback

import js  # type: ignore[import-not-found]  # only in Pyodide
from polyscript import xworker  # type: ignore[import-not-found]  # PyScript's worker-side handle
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]


def _report_failure(error: BaseException) -> None:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    js.console.error(text)
    js.postMessage(json.dumps({"bsc": 1, "kind": "failed", "error": text[-4000:]}))


def _start_info(imports_ms: float, changed: list[str]) -> str:
    """How this worker's interpreter started (static/shim/interpreter.mjs leaves the outcome), and
    whether the snapshot's copy of the integration was used (`changed`: the modules whose source
    differs from their frozen copy; then all of them were imported from source)."""
    start = getattr(js, "bscInterpreterStart", None)
    if start is None:
        how = "interpreter start not reported"
    elif start.snapshot:
        how = f"from the memory snapshot: interpreter in {start.ms} ms{getattr(start, 'note', '') or ''}"
    else:
        how = f"without a snapshot ({start.reason}): interpreter in {start.ms} ms"
    if changed:
        how += (f"; {len(changed)} integration module(s) changed since the snapshot ({', '.join(changed[:3])}): "
                "imported from source")
    return f"{how}, imports {imports_ms:.0f} ms"


async def _main(transport: object, imports_ms: float, changed: list[str]) -> None:
    try:
        if "phonenumbers" not in sys.modules:
            # No snapshot (which holds phonenumbers' modules): the app imports it, so load it first.
            import pyodide_js  # type: ignore[import-not-found]

            await pyodide_js.loadPackage("phonenumberslite")
        from integration.app.reference import start_reference_integration
        from integration.sdk import Integration

        integration = Integration(transport)  # type: ignore[arg-type]
        await start_reference_integration(integration, _start_info(imports_ms, changed))
    except BaseException as error:  # noqa: BLE001 - everything must reach the page
        _report_failure(error)


# PyScript's worker hands every message it receives to `xworker.onmessage`, looked up by that name
# in this script's globals. Without it, each message made PyScript post an error back to the page:
# an uncaught error in the console for every event (300 for 300 dials, measured; bare PyScript
# too) and a second message per round trip. The SDK's transport has its own listener, so this one
# does nothing, in JS: Function.prototype is a function that returns undefined.
xworker.onmessage = js.Function.prototype

# Listen before the heavy imports below (pydantic): PyScript may let the page talk to this worker
# while they run, and a message with no listener is lost (and makes PyScript log an error).
_early: list[str] = []
_early_listener = create_proxy(lambda event: _early.append(event.data) if isinstance(event.data, str) else None)
js.addEventListener("message", _early_listener)

# Restored from a memory snapshot, every visitor's interpreter starts with the same random state.
random.seed()

try:
    _imports_started = js.performance.now()
    from integration._frozen import discard_stale

    _changed_since_snapshot = discard_stale()
    from integration.sdk._worker_transport import WorkerTransport

    _transport = WorkerTransport(early=_early)
    js.removeEventListener("message", _early_listener)
    _task = asyncio.ensure_future(_main(_transport, js.performance.now() - _imports_started, _changed_since_snapshot))
except BaseException as _error:  # noqa: BLE001
    _report_failure(_error)
