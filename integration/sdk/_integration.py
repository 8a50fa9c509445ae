"""``Integration``: the object an integrator builds on — client, handlers, state, stats, waiting.

It owns the receiving side of the protocol. A message that arrives on the loop's thread while the
loop runs (the worker's listener) is handled at once; any other is scheduled on the loop, in
order. Handling routes each message: responses settle requests, callbacks run showError buttons,
events go through the intake, pings get a hello, the rest is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from ._callbacks import CallbackRegistry
from ._client import ConnectsClient
from ._dispatch import Dispatcher, Handler, in_handler
from ._enums import EventName
from ._events import event_name
from ._exceptions import ConnectsError, ProtocolError
from ._handlers import HandlerRegistration
from ._intake import Acknowledger, EventIntake
from ._logging import ConnectsLogHandler
from ._messages import (
    Callback,
    Diagnose,
    Diagnostics,
    Events,
    Hello,
    Message,
    Ping,
    Ready,
    Response,
    ShimContext,
    Subscribe,
)
from ._protocol import decode, encode
from ._rpc import DEFAULT_TIMEOUT, Rpc
from ._shim_controls import ShimControls
from ._startup import start_info
from ._state import StateStore
from ._stats import Stats, python_memory
from ._transport import Transport
from ._version import SDK_VERSION
from ._waiters import Waiters

logger = logging.getLogger("integration.sdk")


class Integration(HandlerRegistration, ShimControls):
    """A custom integration: register handlers, ``await start()``, then use ``client``/``state``.

    Attaching to the transport sends ``hello`` at once; ``start`` seeds the state from
    getChannel, subscribes beforeDial if a handler wants it, and sends ``ready``.
    """

    def __init__(self, transport: Transport, *, default_timeout: float = DEFAULT_TIMEOUT) -> None:
        self.stats = Stats()
        """Counters of swallowed problems (invalid/dropped events, handler errors, ...)."""
        self.state = StateStore()
        """Agent state per channel and open work items, kept current."""
        self._transport = transport
        self._rpc = Rpc(self._send_text, self.stats, default_timeout)
        self._waiters = Waiters()
        self._callbacks = CallbackRegistry(self.stats)
        self.client = ConnectsClient(self._rpc, self._waiters, self._callbacks)
        """The ten requests (set_agent_state, dial_or_consult, ...)."""
        self._dispatcher = Dispatcher(self.stats, self._after_dispatch, self._event_done)
        self._acks = Acknowledger(self._send, lambda: self._dispatcher.oldest_seq)
        self._intake = EventIntake(
            self.stats, self.state, self._waiters, self._dispatcher, self._acks, self._unusable_before_dial
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inbound = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._log_handlers: list[tuple[logging.Logger, ConnectsLogHandler]] = []
        self._init_controls()
        self._started = False
        self._starting = False
        self._subscribed = False
        self._closed = False
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            pass
        transport.set_receiver(self._receive)
        self._send(Hello(sdk=SDK_VERSION))

    # ---- lifecycle --------------------------------------------------------------------------
    @property
    def start_info(self) -> str:
        """How this worker's Python started, for a status panel or a log line: from the memory
        snapshot or not, and how long the interpreter and the imports took. Empty outside the
        browser (tests)."""
        return start_info()

    @property
    def started(self) -> bool:
        """True once :meth:`start` has sent ``ready``."""
        return self._started

    async def start(self, channel_id: str | None = "voice") -> None:
        """Seed the state from getChannel(channel_id) (skipped for None), subscribe, send ready.

        A failing getChannel (e.g. logged out, no such channel) is logged, not raised: events
        will fill the state in.
        """
        if self._started or self._starting:
            return
        self._starting = True
        self._loop = asyncio.get_running_loop()
        self._dispatcher.start()
        if self._dispatcher.handlers(EventName.BEFORE_DIAL):
            self._subscribe_before_dial()
        if channel_id is not None:
            try:
                self.state.seed(await self.client.get_channel(channel_id))
            except ConnectsError as exc:
                logger.warning("could not seed state from getChannel(%r): %s", channel_id, exc)
        self._send(Ready())
        self._started = True

    async def close(self) -> None:
        """Stop receiving, stop handlers, fail pending requests, remove log forwarding."""
        if self._closed:
            return
        self._closed = True
        for target, handler in self._log_handlers:
            target.removeHandler(handler)
        self._log_handlers.clear()
        self._transport.set_receiver(lambda _text: None)
        await self._dispatcher.stop()
        for task in list(self._tasks):
            task.cancel()
        self._waiters.cancel_all()
        self._rpc.fail_all(ConnectsError("integration closed"))

    async def idle(self, timeout: float = 5.0) -> None:
        """Wait until every received message is handled and every handler returned.

        Meant for tests: after raising events on a fake host, ``await integration.idle()``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quiet_rounds = rounds = 0
        while quiet_rounds < 3:
            rounds += 1
            # Yield without delay at first (most work is a few callbacks away); a handler that
            # sleeps or awaits I/O is then waited for without spinning the CPU.
            await asyncio.sleep(0 if rounds < 200 else 0.001)
            busy = bool(getattr(self._transport, "busy", False))
            quiet = not busy and not self._inbound and not self._tasks and self._dispatcher.idle
            quiet_rounds = quiet_rounds + 1 if quiet else 0
            if loop.time() > deadline:
                raise TimeoutError(f"integration still busy after {timeout:g} s")

    # ---- handlers and waiting ---------------------------------------------------------------
    def _register(self, name: EventName, handler: Handler) -> None:
        self._dispatcher.add(name, handler)
        if name == EventName.BEFORE_DIAL and self._started:
            self._subscribe_before_dial()

    def handlers(self, name: EventName | str) -> tuple[Handler, ...]:
        """The handlers registered for an event."""
        return self._dispatcher.handlers(EventName(name))

    async def wait_for(
        self,
        name: EventName | str,
        predicate: Callable[[Any], bool] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """The next event of this name matching ``predicate`` (EventTimeout on timeout).

        "Next" means arriving after this call — or, inside a handler, after the event being
        handled, including events already received and queued behind it.
        """
        backlog = self._dispatcher.backlog() if in_handler() else ()
        return await self._waiters.wait_for(event_name(name), predicate, timeout, backlog)

    # ---- messages to the shim ---------------------------------------------------------------
    def _send_text(self, text: str) -> None:
        self._transport.send(text)

    def _send(self, message: Message) -> None:
        self._transport.send(encode(message))

    def _subscribe_before_dial(self) -> None:
        if not self._subscribed:
            self._send(Subscribe(events=[EventName.BEFORE_DIAL.value]))
            self._subscribed = True

    def forward_logging(
        self, target: logging.Logger | None = None, level: int = logging.INFO, **options: Any
    ) -> ConnectsLogHandler:
        """Forward records of ``target`` (root by default) at ``level`` and above to writeLog."""
        handler = ConnectsLogHandler(self.client, level, stats=self.stats, **options)
        logger_ = target if target is not None else logging.getLogger()
        logger_.addHandler(handler)
        if logger_.getEffectiveLevel() > level:
            logger_.setLevel(level)
        self._log_handlers.append((logger_, handler))
        return handler

    # ---- messages from the shim -------------------------------------------------------------
    def _receive(self, text: str) -> None:
        """Transport receiver. Called on the loop's thread with the loop running (the worker's
        message listener, an in-memory transport's callback), it handles the text at once:
        scheduling it cost a turn of the worker's event loop per message. Otherwise the work is
        scheduled on the loop. Transports never call it from inside ``send``."""
        if self._closed:
            return
        loop = self._loop
        if loop is None:
            try:
                loop = self._loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
        self._inbound += 1
        if loop is None or loop.is_closed() or asyncio._get_running_loop() is loop:
            self._handle(text)
        else:
            loop.call_soon_threadsafe(self._handle, text)

    def _handle(self, text: str) -> None:
        try:
            self._route(decode(text))
        except ProtocolError as exc:
            self.stats.protocol_errors += 1
            logger.warning("malformed protocol message ignored: %s", exc)
        except Exception:
            self.stats.protocol_errors += 1
            logger.exception("error while handling a protocol message")
        finally:
            self._inbound -= 1

    def _route(self, message: Message | None) -> None:
        if message is None:
            return  # not protocol traffic (PyScript's own messages)
        if isinstance(message, Response):
            self._rpc.resolve(message)
        elif isinstance(message, Events):
            self._intake.accept(message)
        elif isinstance(message, Ping):
            self._send(Hello(sdk=SDK_VERSION))
        elif isinstance(message, ShimContext):
            self._on_context(message)
        elif isinstance(message, Callback):
            self._spawn(self._callbacks.invoke(message.callback))
        elif isinstance(message, Diagnose):
            self._send(self._diagnostics(message))
        else:
            self.stats.unknown_messages += 1
            kind = getattr(message, "kind", None) or type(message).__name__.lower()
            logger.warning("ignored protocol message of kind %r", kind)

    def _diagnostics(self, request: Diagnose) -> Diagnostics:
        """Counters, the SDK's bookkeeping sizes (all bounded when nothing leaks), memory figures.

        WebAssembly memory never shrinks, so ``wasmMemoryBytes`` (from the transport, when it knows
        it) is a high-water mark; Python's allocations are what must go back down after a burst.
        """
        python = python_memory(request.collect)
        probe = getattr(self._transport, "memory", None)
        if callable(probe):
            try:
                python.update(probe())
            except Exception as exc:  # a probe of the runtime must never break the answer
                python["memoryError"] = str(exc)[:200]
        sdk = {
            "highestSeq": self._acks.highest, "ackedSeq": self._acks.acked, "queued": self._dispatcher.queued,
            "pendingRequests": self._rpc.pending_count, "nowaitRequests": self._rpc.nowait_count,
            "waiters": len(self._waiters), "callbacks": len(self._callbacks), "tasks": len(self._tasks),
            "decided": len(self._decided), "openWorkitems": len(self.state.workitems),
        }  # fmt: skip
        return Diagnostics(id=request.id, stats=self.stats.as_dict(), python=python, sdk=sdk)

    def _event_done(self, seq: int | None) -> None:
        self._acks.event_done(seq, queue_empty=not self._dispatcher.queued)

    def _spawn(self, coroutine: Any) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coroutine)
        except RuntimeError:
            coroutine.close()
            logger.warning("no running event loop: showError callback not run")
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
