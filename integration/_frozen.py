"""The integration's own modules frozen in the memory snapshot, checked against their sources.

Why: tools/snapshot.py freezes the integration modules a start imports (the toolkit's
``integration`` package and the project's own), because building the SDK's pydantic models at
every start would cost a noticeable part of it in the browser. PyScript writes the current sources into the
worker at every start, and serve.py rebuilds them whenever a file changes, so a frozen module
can be older than its source. Silently running old code would be far
worse than a slower start: before anything else imports the integration, `discard_stale` compares
each frozen module's source with the digest recorded when it was frozen, and if any differs (or is
gone), every frozen integration module is dropped, to be imported again from source.

Plain Python, no Pyodide: `record_sources` runs in the snapshot's interpreter
(tools/snapshot_scripts/freeze.py), `discard_stale` in the worker (integration/_worker_start.py).
"""

from __future__ import annotations

import hashlib
import importlib
import sys
from collections.abc import Iterable, MutableMapping
from types import ModuleType

PACKAGE = "integration"
# Kept on the package module itself: it is frozen with the modules it describes.
ATTRIBUTE = "__frozen_sources__"


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as source:
            return hashlib.sha256(source.read()).hexdigest()
    except OSError:
        return None


def _ours(name: str, tops: Iterable[str]) -> bool:
    return name.split(".")[0] in tops


def record_sources(modules: MutableMapping[str, ModuleType] = sys.modules,
                   tops: Iterable[str] = (PACKAGE,)) -> dict[str, list[str]]:
    """Note, on the integration package, the source file and digest of each loaded module of the
    top-level packages `tops` (the toolkit's and the project's)."""
    tops = {PACKAGE, *tops}
    sources: dict[str, list[str]] = {}
    for name, module in list(modules.items()):
        path = getattr(module, "__file__", None)
        digest = _digest(path) if _ours(name, tops) and path else None
        if digest is not None:
            sources[name] = [path, digest]  # type: ignore[list-item]  # path is a str here
    if PACKAGE in modules:
        setattr(modules[PACKAGE], ATTRIBUTE, sources)
    return sources


def discard_stale(modules: MutableMapping[str, ModuleType] = sys.modules) -> list[str]:
    """Drop every frozen integration module if any has a source that changed; return those that did.

    All of them go, not only the changed ones: an unchanged module may hold classes or functions
    of a changed one, and mixing the two versions would be worse than importing everything again.
    """
    sources: dict[str, list[str]] = getattr(modules.get(PACKAGE), ATTRIBUTE, None) or {}
    changed = sorted(name for name, (path, digest) in sources.items() if _digest(path) != digest)
    if changed:
        for name in [name for name in modules if name in sources]:
            del modules[name]
        importlib.invalidate_caches()
    return changed
