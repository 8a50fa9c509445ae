"""The fake host's event stream to the worker: numbered events, held until ``ready``, batched.

Like the shim, it buffers every event until the integration says ``ready`` and then sends what
piled up in one ``events`` message per asyncio loop iteration (at once when no loop runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from integration.sdk import EventName
from integration.sdk._messages import EventEntry, Events
from integration.sdk._protocol import encode

from . import _payloads as payloads


class Outbox:
    """Events on their way to the worker; ``send`` writes one protocol text to the transport."""

    def __init__(self, send: Callable[[str], None]) -> None:
        self._send = send
        self.ready = False
        """True once the worker sent ``ready``: queued events go out from then on."""
        self.pending: list[EventEntry] = []
        """Events queued and not sent yet."""
        self._seq = 0
        self._dropped = 0
        self._flush_scheduled = False

    def emit(self, name: EventName | str, payload: Any) -> int:
        """Queue one event for the worker (sent in the next batch once ready); returns its seq."""
        return self._queue(str(name), payload=payload)

    def emit_invalid(self, name: EventName | str, reason: str = "not JSON-serialisable") -> int:
        """Queue an entry the shim marks ``invalid``."""
        return self._queue(str(name), invalid=reason)

    def error(self, message: str, request_id: str = "") -> int:
        """Queue an ``error`` event (how the host reports an operation that failed)."""
        return self.emit(EventName.ERROR, payloads.error(message, request_id))

    def drop(self, count: int = 1) -> None:
        """Pretend ``count`` events were lost to the shim's bounded buffer."""
        self._seq += count
        self._dropped += count
        self.schedule_flush()

    def open(self) -> None:
        """The worker is ready: what was held back goes out."""
        self.ready = True
        self.schedule_flush()

    def flush(self) -> None:
        """Send the queued events now as one batch (normally done per loop iteration)."""
        self._flush_scheduled = False
        if not self.ready or not (self.pending or self._dropped):
            return
        batch, self.pending = self.pending, []
        dropped, self._dropped = self._dropped, 0
        self._send(encode(Events(events=batch, dropped=dropped)))

    def schedule_flush(self) -> None:
        """Flush at the next loop iteration (at once outside a running loop)."""
        if not self.ready or self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._flush_scheduled = True
        loop.call_soon(self.flush)

    def _queue(self, name: str, payload: Any = None, invalid: str | None = None) -> int:
        self._seq += 1
        self.pending.append(EventEntry(seq=self._seq, name=name, payload=payload, invalid=invalid))
        self.schedule_flush()
        return self._seq
