"""Pyodide packages loaded when a feature first needs them, not at every start
(``on-demand-packages`` in bsconnects.toml).

Why: unpacking a large package (phonenumberslite has hundreds of files) would cost every start in
the browser when only one feature reads it. The interpreter snapshot already holds its modules,
so ``import phonenumbers`` works at once; only its data files need the package.

Started from the snapshot, the package is installed already, its files read from its wheel by
range on first use (static/shim/remote_files.mjs). A dial to a +1 number reads the files of
many regions, so `load_package` then downloads the wheel whole, compressed, in the background:
nothing is unpacked, and the files are in memory before the agent dials. A decision must not wait
for that download (the network may be slow, and the shim's watchdog is counting): `package_readable`
says whether the files can be read now, by range if the wheel is not in memory yet.
Under CPython (tests) the package is installed and `load_package` returns at once.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

__all__ = ["load_package", "package_readable"]

_loading: dict[str, asyncio.Future[Any]] = {}


def _pyodide_js() -> Any:
    """Pyodide's JS API in the browser; None under CPython."""
    if sys.platform != "emscripten":
        return None
    import pyodide_js  # type: ignore[import-not-found]  # only in Pyodide

    return pyodide_js


def _wheels_on_demand() -> Any:
    """remote_files.mjs's handle on the wheels it installed on demand (`has`, `download`), or None
    (CPython, or a start without the snapshot: packages are then installed by unpacking)."""
    if sys.platform != "emscripten":
        return None
    import js  # type: ignore[import-not-found]  # only in Pyodide

    return getattr(js, "bscWheels", None)


def package_readable(package: str) -> bool:
    """True when `package`'s files can be read now, without waiting for anything: under CPython,
    and in the browser once Pyodide lists it as loaded. A package installed on demand is listed
    at once: its files are read by range until its wheel is in memory (`load_package`)."""
    pyodide = _pyodide_js()
    return pyodide is None or getattr(pyodide.loadedPackages, package, None) is not None


async def load_package(package: str) -> None:
    """Make `package`'s files available in memory: an on-demand package's wheel is downloaded
    whole (never unpacked), any other package of the pinned runtime is loaded by Pyodide. Loaded
    once; concurrent callers share the one load, and a failed load is tried again by the next.
    Start it early (e.g. when the feature is configured) and do not make a beforeDial decision
    wait for it: :func:`package_readable` says whether the files can be read now."""
    pyodide = _pyodide_js()
    if pyodide is None:
        return
    wheels = _wheels_on_demand()
    on_demand = wheels is not None and bool(wheels.has(package))
    if not on_demand and getattr(pyodide.loadedPackages, package, None) is not None:
        return
    if package not in _loading:
        load = wheels.download(package) if on_demand else pyodide.loadPackage(package)
        _loading[package] = asyncio.ensure_future(load)
    try:
        await asyncio.shield(_loading[package])
    except BaseException:
        _loading.pop(package, None)  # the next caller tries again
        raise
