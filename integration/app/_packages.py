"""Pyodide packages loaded when a feature first needs them, not at every start.

Why: unpacking phonenumberslite (637 files) cost ~250 ms of every start in the browser, and only
the dial rules (settings 1 and 2) use it. The interpreter snapshot already holds phonenumbers'
modules, so `import phonenumbers` works at once; only its per-region data files need the package.
Under CPython (tests) the package is installed and `require` returns at once.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

__all__ = ["require"]

_loading: dict[str, asyncio.Future[Any]] = {}


def _pyodide_js() -> Any:
    """Pyodide's JS API in the browser; None under CPython."""
    if sys.platform != "emscripten":
        return None
    import pyodide_js  # type: ignore[import-not-found]  # only in Pyodide

    return pyodide_js


async def require(package: str) -> None:
    """Make `package`'s files available (loaded once; concurrent callers share the one load)."""
    pyodide = _pyodide_js()
    if pyodide is None or getattr(pyodide.loadedPackages, package, None) is not None:
        return
    if package not in _loading:
        _loading[package] = asyncio.ensure_future(pyodide.loadPackage(package))
    try:
        await asyncio.shield(_loading[package])
    except BaseException:
        _loading.pop(package, None)  # the next caller tries again
        raise
