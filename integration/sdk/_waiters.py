"""Futures waiting for a future event: ``wait_for`` and request outcome correlation.

Waiters are settled when an event *arrives*, before it is queued for the handlers. That is what
lets a handler await an outcome (``set_agent_state(..., wait=True)``) or ``wait_for`` another
event: if waiters were settled by the dispatcher, which is busy running that very handler, the
handler would wait for itself until its timeout.

Every waiter is removed when it is settled, times out or is cancelled, so none leak.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from ._enums import EventName
from ._events import ErrorEvent
from ._exceptions import EventTimeout, RequestFailed, RequestTimeout
from ._wire import EventModel

Outcome = EventModel | BaseException | None
Matcher = Callable[[EventName, EventModel], Outcome]
"""Looks at an arriving event: returns the event to resolve with, an exception to raise, or None."""


class Waiters:
    """The set of futures waiting for events."""

    def __init__(self) -> None:
        self._waiters: list[tuple[Matcher, asyncio.Future[Any]]] = []

    def __len__(self) -> int:
        return len(self._waiters)

    def expect(self, matcher: Matcher) -> asyncio.Future[Any]:
        """Register a waiter now (before sending the request it answers, so no race)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append((matcher, future))
        return future

    def discard(self, future: asyncio.Future[Any]) -> None:
        """Forget a waiter (idempotent)."""
        self._waiters = [entry for entry in self._waiters if entry[1] is not future]

    def notify(self, name: EventName, event: EventModel) -> None:
        """Offer an arriving event to every waiter; settled ones are removed."""
        if not self._waiters:
            return
        keep: list[tuple[Matcher, asyncio.Future[Any]]] = []
        for matcher, future in self._waiters:
            if future.done():
                continue
            try:
                outcome = matcher(name, event)
            except Exception as exc:  # a caller's predicate raised: hand it to that caller
                outcome = exc
            if outcome is None:
                keep.append((matcher, future))
            elif isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
        self._waiters = keep

    def cancel_all(self) -> None:
        """Cancel every waiter (the integration is closing)."""
        waiters, self._waiters = self._waiters, []
        for _matcher, future in waiters:
            future.cancel()

    async def settle(
        self,
        future: asyncio.Future[Any],
        timeout: float | None,
        on_timeout: Callable[[], BaseException],
    ) -> Any:
        """Await a registered waiter with a timeout; the waiter is removed in every case."""
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise on_timeout() from None
        finally:
            self.discard(future)

    async def wait_for(
        self,
        name: EventName,
        predicate: Callable[[Any], bool] | None = None,
        timeout: float | None = None,
        backlog: Iterable[tuple[EventName, EventModel]] = (),
    ) -> Any:
        """The next ``name`` event for which ``predicate`` is true (EventTimeout if none).

        ``backlog`` holds events that already arrived but count as "next" for this caller (a
        handler waiting for what follows its own event, which may sit in the same batch).
        """

        def match(arrived: EventName, event: EventModel) -> Outcome:
            if arrived is not name and arrived != name:
                return None
            if predicate is not None and not predicate(event):
                return None
            return event

        for arrived, event in backlog:
            if match(arrived, event) is not None:
                return event
        future = self.expect(match)
        return await self.settle(future, timeout, lambda: EventTimeout(name.value, timeout or 0.0))

    def expect_outcome(self, request: str, request_id: str, success: EventName) -> asyncio.Future[Any]:
        """Waiter for the ``success`` event or the ``error`` event carrying ``request_id``."""

        def match(arrived: EventName, event: EventModel) -> Outcome:
            if getattr(event, "request_id", None) != request_id:
                return None
            if arrived == success:
                return event
            if arrived == EventName.ERROR and isinstance(event, ErrorEvent):
                return RequestFailed(request, event.message, request_id=request_id, event=event)
            return None

        return self.expect(match)

    async def outcome(self, request: str, future: asyncio.Future[Any], timeout: float) -> Any:
        """Await a waiter from :meth:`expect_outcome` (RequestTimeout when nothing came)."""
        return await self.settle(future, timeout, lambda: RequestTimeout(request, timeout, what="outcome event"))
