# Runs in Pyodide started with `_makeSnapshot` (tools/snapshot_worker.js, "freeze" phase), never
# imported by CPython. Imports MODULES (found by discover.py) so they are part of the snapshot, and
# notes the sources of the integration's own modules among them (those of the top-level packages
# TOPS), so that a worker started from the snapshot can tell when one changed since
# (integration/_frozen.py).
import importlib
import json
import sys

failed = {}
for name in MODULES:  # noqa: F821 - set by the worker
    if name in sys.modules:
        continue
    try:
        importlib.import_module(name)
    except BaseException as error:  # noqa: BLE001 - reported, never fatal
        failed[name] = repr(error)[:300]

sources = {}
if "integration" in sys.modules:
    from integration._frozen import record_sources

    sources = {name: digest for name, (_, digest) in record_sources(tops=TOPS).items()}  # noqa: F821

# Let go of what importing only needed once. pydantic looks for plugins at its first model
# (importlib.metadata), which leaves the stdlib's archive open in a cache: its ZipInfo records,
# a read buffer (both would weigh in the snapshot's download) and a file handle that means
# nothing after a restore (the file system is new). It is filled again only if something asks.
_fast_path = getattr(sys.modules.get("importlib.metadata"), "FastPath", None)
if hasattr(getattr(_fast_path, "__new__", None), "cache_clear"):
    _fast_path.__new__.cache_clear()

json.dumps({"frozen": sum(name in sys.modules for name in MODULES), "failed": failed,  # noqa: F821
            "modules_in_snapshot": len(sys.modules), "integration_sources": sources})
