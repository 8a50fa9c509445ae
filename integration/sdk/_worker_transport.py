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

_MALLINFO: Any = None


def _mallinfo() -> Any:
    """Emscripten's ``mallinfo()`` through ctypes (loaded on first use: only diagnostics need it)."""
    global _MALLINFO
    if _MALLINFO is None:
        import ctypes

        class MallInfo(ctypes.Structure):
            _fields_ = [(name, ctypes.c_size_t) for name in (
                "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                "keepcost")]  # fmt: skip

        function = ctypes.CDLL(None).mallinfo
        function.restype = MallInfo
        _MALLINFO = function
    return _MALLINFO()


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

    def memory(self) -> dict[str, int]:
        """Memory figures of the runtime for ``diagnostics`` (only computed when asked).

        ``wasmMemoryBytes``: the WebAssembly memory, which never shrinks (a high-water mark);
        ``mallocInUseBytes``/``mallocFreeBytes``: C heap in use / free inside it (``mallinfo``),
        which does go back down when Python frees objects; ``jsRefs``: JS objects Python holds
        references to (a leak of JsProxies shows here). Each probe uses Pyodide internals, so a
        figure that cannot be read is left out rather than failing the answer.
        """
        import pyodide_js  # type: ignore[import-not-found]  # only in Pyodide

        module = pyodide_js._module
        figures: dict[str, int] = {}
        probes = {
            "wasmMemoryBytes": lambda: module.HEAP8.length,
            "jsRefs": lambda: module.hiwire.num_keys(),
        }
        for name, probe in probes.items():
            try:
                figures[name] = int(probe())
            except Exception:  # noqa: BLE001 - an internal that moved: leave the figure out
                pass
        try:
            info = _mallinfo()
            figures["mallocInUseBytes"], figures["mallocFreeBytes"] = int(info.uordblks), int(info.fordblks)
        except Exception:  # noqa: BLE001 - no ctypes/mallinfo in this build
            pass
        return figures

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
