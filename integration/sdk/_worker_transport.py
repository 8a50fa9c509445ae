"""The browser transport: the only SDK module that touches ``js`` (Pyodide in a PyScript worker).

Text goes to the main thread with the worker's ``postMessage`` and comes back through a
``message`` listener on the worker's global scope. The channel also carries PyScript's own
traffic, so only strings are passed on (the protocol layer drops strings that are not ours).
Messages that arrive before a receiver is installed are kept, so nothing is lost at start.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ._transport import Receiver, Transport


class WorkerTransport(Transport):
    """``postMessage`` to the main thread; a ``message`` listener for the way back."""

    def __init__(self, early: list[str] | None = None) -> None:
        """``early``: texts a listener installed before this transport already received."""
        import js  # type: ignore[import-not-found]  # only in Pyodide
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

        self._js = js
        self._receiver: Receiver | None = None
        self._backlog: deque[str] = deque(early or ())
        # Kept on self: without a live proxy the listener would be garbage-collected.
        self._listener = create_proxy(self._on_message)
        js.addEventListener("message", self._listener)

    def send(self, text: str) -> None:
        self._js.postMessage(text)

    def set_receiver(self, receiver: Receiver) -> None:
        self._receiver = receiver
        while self._backlog:
            receiver(self._backlog.popleft())

    def _on_message(self, event: Any) -> None:
        data = event.data
        if not isinstance(data, str):
            return
        if self._receiver is None:
            self._backlog.append(data)
        else:
            self._receiver(data)
