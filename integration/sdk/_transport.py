"""How protocol text moves: the ``Transport`` interface and an in-memory pair for tests.

The SDK never touches ``js``: in the browser the worker transport (_worker_transport.py) implements this
interface with ``postMessage``; in tests two :class:`InMemoryTransport` ends talk to each other.
"""

from __future__ import annotations

import abc
import asyncio
from collections import deque
from collections.abc import Callable

Receiver = Callable[[str], None]


class Transport(abc.ABC):
    """One end of a text channel to the main thread.

    ``send`` must not block and must not call the receiver re-entrantly; ``set_receiver``
    installs the one callback that gets every incoming text (it may be called synchronously
    from JS, so it only schedules work).
    """

    @abc.abstractmethod
    def send(self, text: str) -> None:
        """Post one message to the other side."""

    @abc.abstractmethod
    def set_receiver(self, receiver: Receiver) -> None:
        """Install the callback for incoming messages (replacing any previous one)."""


class _Link:
    """State shared by both ends of a pair: how many messages are still on their way."""

    def __init__(self) -> None:
        self.in_flight = 0


class InMemoryTransport(Transport):
    """One end of an in-process pair; make a pair with :meth:`pair`.

    Delivery mimics ``postMessage``: asynchronous (``loop.call_soon``) when an event loop is
    running, in order, and buffered until the other end installs its receiver. ``sent`` records
    every text this end sent, for assertions. ``busy`` is True while any message of the pair is
    still undelivered, which lets ``Integration.idle()`` know the line is quiet.
    """

    def __init__(self, link: _Link | None = None) -> None:
        self._link = link or _Link()
        self._peer: InMemoryTransport | None = None
        self._receiver: Receiver | None = None
        self._backlog: deque[str] = deque()
        self.sent: list[str] = []
        self.closed = False

    @classmethod
    def pair(cls) -> tuple[InMemoryTransport, InMemoryTransport]:
        """Two connected ends: what one sends, the other receives."""
        link = _Link()
        first, second = cls(link), cls(link)
        first._peer, second._peer = second, first
        return first, second

    @property
    def busy(self) -> bool:
        """True while a message of this pair is scheduled but not yet handed to a receiver."""
        return self._link.in_flight > 0

    def send(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"transport carries text only, got {type(text).__name__}")
        if self.closed or self._peer is None or self._peer.closed:
            return  # like postMessage to a terminated worker: silently lost
        self.sent.append(text)
        self._peer._accept(text)

    def set_receiver(self, receiver: Receiver) -> None:
        self._receiver = receiver
        while self._backlog:
            self._deliver(self._backlog.popleft())

    def close(self) -> None:
        """Stop delivering in both directions (later sends are dropped)."""
        self.closed = True

    def _accept(self, text: str) -> None:
        if self._receiver is None:
            self._backlog.append(text)
            return
        self._deliver(text)

    def _deliver(self, text: str) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            self._call_receiver(text, counted=False)
            return
        self._link.in_flight += 1
        loop.call_soon(self._call_receiver, text, True)

    def _call_receiver(self, text: str, counted: bool) -> None:
        try:
            if not self.closed and self._receiver is not None:
                self._receiver(text)
        finally:
            # Decrement after the receiver ran: anything it sent is already counted, so the
            # pair never looks quiet in the middle of a request/response exchange.
            if counted:
                self._link.in_flight -= 1
