"""How the integration's Python worker starts (integration/worker_main.py calls `start`).

It connects the SDK to the main thread's shim (``WorkerTransport``) and runs the project's
configured entry through the public ``integration.sdk.run``: which function that is comes from
the bundle's ``integration/_project.json``, made from bsconnects.toml (integration/_entry.py), so
nothing here names an integration. The transport's message listener is installed before PyScript
tells the page the worker is up, so the shim's first ping already finds it. Any failure to start
is reported to the page with its traceback and the entry's name (PyScript's own events cannot
tell a failed script from a finished one), so the page shows it instead of silently never
answering.

Why a module and not the entry script itself: PyScript compiles the entry script at every start,
and Pyodide tokenizes it again to decide whether its last line prints; for a full entry script
that was a visible share of a cold start in a profile. This module is frozen in the memory
snapshot like the rest of the integration, so the entry is three lines. It holds no JavaScript
object at import: `js` and `pyodide` are imported when its functions run (`polyscript` stays in
the entry), never frozen.
The integration's own modules are imported only after `discard_stale` checked them against their
sources (integration/_frozen.py): tools/snapshot.py reads those imports from this file, adds the
configured entry's module, and freezes them.
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

    js.console.error("".join(traceback.format_exception(type(error), error, error.__traceback__)))
    try:
        from integration._entry import describe_failure

        text = describe_failure(error)
    except BaseException:  # noqa: BLE001 - the entry module itself may be what fails
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))[-4000:]
    js.postMessage(json.dumps({"bsc": 1, "kind": "failed", "error": text}))


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


def _from_snapshot() -> bool:
    import js  # type: ignore[import-not-found]  # only in Pyodide

    start_outcome = getattr(js, "bscInterpreterStart", None)
    return bool(start_outcome is not None and start_outcome.snapshot)


async def _main(transport: object, imports_ms: float, changed: list[str]) -> None:
    try:
        import js  # type: ignore[import-not-found]  # only in Pyodide

        from integration._entry import EntryError, load_entry, read_manifest

        manifest = read_manifest()
        if manifest.on_demand_packages and not _from_snapshot():
            # The snapshot holds these packages' modules already imported; without it, the entry's
            # imports need them installed first. Started from the snapshot, their files are read
            # when first needed (static/shim/remote_files.mjs).
            import pyodide_js  # type: ignore[import-not-found]

            await pyodide_js.loadPackage(list(manifest.on_demand_packages))
        entry_started = js.performance.now()
        main = load_entry(manifest.entry)
        from integration.sdk import run
        from integration.sdk._startup import record_start_info

        imports_ms += js.performance.now() - entry_started
        record_start_info(_start_info(imports_ms, changed))
        try:
            await run(main, transport)  # type: ignore[arg-type]
        except Exception as error:
            raise EntryError(f'the integration\'s entry "{manifest.entry}" failed: '
                             f"{type(error).__name__}: {error}") from error
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
