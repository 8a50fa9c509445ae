"""Worker glue: connects :class:`ClickHandler` to the worker's ``postMessage`` and ``message`` events.

Runs only inside the PyScript worker (static/custom-requests/worker.py calls :func:`run`). The
``js``/``pyodide`` imports are inside the function so this module still imports on CPython.
"""

from __future__ import annotations

from typing import Any

from ._page import ClickHandler


def run() -> ClickHandler:
    """Listen for the page's messages and answer through the worker's ``postMessage``."""
    import js  # type: ignore[import-not-found]  # only in Pyodide
    from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

    handler = ClickHandler(lambda text: js.postMessage(text))

    def on_message(event: Any) -> None:
        handler.handle(getattr(event, "data", None))

    js.addEventListener("message", create_proxy(on_message))
    return handler
