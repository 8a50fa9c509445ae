"""Runs event handlers: in arrival order, one event at a time, each handler isolated.

Order matters (a workitemEnd handler must not run before the workitemCreate handler of the same
call), so one delivery run at a time takes events from a queue and awaits all handlers of an
event before the next; a run starts when an event arrives and ends when the queue is empty.
Isolation matters because integrators' code fails: an exception is logged with its traceback and
counted, and the next handler and the next event still run.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._enums import EventName
from ._stats import Stats
from ._wire import EventModel

logger = logging.getLogger("integration.sdk")

_IN_HANDLER: ContextVar[bool] = ContextVar("integration_sdk_in_handler", default=False)


def in_handler() -> bool:
    """True in code run by the dispatcher (a handler, or a task it started)."""
    return _IN_HANDLER.get()


Handler = Callable[[Any], None | Awaitable[None]]
AfterDispatch = Callable[[EventName, EventModel, bool], None]


def _describe(handler: Handler) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


class Dispatcher:
    """Handler registry plus the single worker that delivers queued events to handlers."""

    def __init__(
        self,
        stats: Stats,
        after_dispatch: AfterDispatch | None = None,
        progress: Callable[[int | None], None] | None = None,
    ) -> None:
        """``progress(seq)`` runs after each event is done (e.g. to acknowledge it)."""
        self._stats = stats
        self._after = after_dispatch
        self._progress = progress
        self._handlers: dict[EventName, list[Handler]] = {}
        self._queue: deque[tuple[EventName, EventModel]] = deque()
        self._started = False
        self._running = False  # a delivery run is going (its task, once it waits, is `_task`)
        self._holding = False  # a batch is being queued: its delivery starts when it is whole
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self._current: EventModel | None = None

    def add(self, name: EventName, handler: Handler) -> None:
        """Register a handler (sync or async); several per event run in registration order."""
        if not callable(handler):
            raise TypeError(f"event handler must be callable, got {handler!r}")
        self._handlers.setdefault(name, []).append(handler)

    def remove(self, name: EventName, handler: Handler) -> None:
        """Unregister a handler (ValueError if it was not registered)."""
        self._handlers.get(name, []).remove(handler)

    def handlers(self, name: EventName) -> tuple[Handler, ...]:
        """The handlers of an event, in call order."""
        return tuple(self._handlers.get(name, ()))

    @property
    def idle(self) -> bool:
        """True when no event is queued and no handler is running."""
        return not self._queue and not self._busy

    @property
    def queued(self) -> int:
        """Events waiting for their handlers."""
        return len(self._queue)

    @property
    def oldest_seq(self) -> int | None:
        """The seq of the earliest event not yet done (being handled or queued), None if none."""
        if self._busy and self._current is not None and self._current.seq is not None:
            return self._current.seq
        for _name, event in self._queue:
            if event.seq is not None:
                return event.seq
        return None

    def backlog(self) -> list[tuple[EventName, EventModel]]:
        """Events that arrived after the one being handled and wait for their handlers."""
        return list(self._queue)

    def enqueue(self, name: EventName, event: EventModel) -> None:
        """Queue an event for its handlers (delivered once :meth:`start` ran)."""
        self._queue.append((name, event))
        if not self._holding:
            self._kick()

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Queue a batch whole before any of it is delivered: a run started eagerly would handle
        each event while the rest of its batch is still being taken in (and acknowledge it
        alone)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            self._kick()

    def start(self) -> None:
        """Deliver events from now on, on the running loop (idempotent)."""
        self._started = True
        self._kick()

    async def stop(self) -> None:
        """Stop delivering; queued events are discarded."""
        task, self._task = self._task, None
        self._started = self._running = False
        self._queue.clear()
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    def _kick(self) -> None:
        """Start a delivery run unless one is going (it takes every event queued meanwhile)."""
        if not self._started or self._running or not self._queue:
            return
        self._running = True
        task = _start_task(self._run())
        if not task.done():  # an eager run may be over already
            self._task = task

    async def _run(self) -> None:
        """Deliver until the queue is empty; the next event starts a new run."""
        _IN_HANDLER.set(True)  # this task's own context: seen by every handler it awaits
        try:
            while self._queue:
                await self._deliver_next()
        finally:
            self._running = False
            self._task = None

    async def _deliver_next(self) -> None:
        name, event = self._queue.popleft()
        self._busy = True
        self._current = event
        try:
            failed = await self._deliver(name, event)
            self._stats.events_dispatched += 1
            if self._after is not None:
                self._after(name, event, failed)
        except Exception:  # a bug here must not stop event delivery
            logger.exception("internal error while dispatching %s", name.value)
        finally:
            self._busy = False
            self._current = None
        if self._progress is not None:
            try:
                self._progress(event.seq)  # the event is done: nothing of it runs any more
            except Exception:
                logger.exception("internal error after dispatching %s", name.value)

    async def _deliver(self, name: EventName, event: EventModel) -> bool:
        """Call every handler of the event; True if any of them raised."""
        failed = False
        for handler in self.handlers(name):
            try:
                result = handler(event)
                if result is not None and inspect.isawaitable(result):  # sync handlers return None
                    await result
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # we are being stopped: let it through
                failed = True
                self._stats.handler_errors += 1
                logger.error("%s handler %s was cancelled", name.value, _describe(handler))
            except Exception:
                failed = True
                self._stats.handler_errors += 1
                logger.exception("%s handler %s raised", name.value, _describe(handler))
        return failed


def _start_task(coroutine: Any) -> asyncio.Task[None]:
    """Run `coroutine` as a task on the running loop, started eagerly where Python can (3.12+):
    its first steps run now, up to its first real wait, instead of on the loop's next turn.

    In the browser a turn of the loop is a turn of the worker's event loop: a beforeDial handler
    that decides without waiting answers before the message listener returns, while the agent
    waits for the dial. Handlers still run one event at a
    time and in order. CPython 3.11 (the unit tests' Python) starts the task on the next turn.
    One consequence for handler code: until its first `await`, it runs inside the worker's
    message listener, where Pyodide cannot switch stacks (`pyodide.ffi.run_sync` needs an
    `await` before it).
    """
    loop = asyncio.get_running_loop()
    if sys.version_info >= (3, 12):
        return asyncio.Task(coroutine, loop=loop, eager_start=True)  # type: ignore[call-arg]
    return loop.create_task(coroutine)
