"""What happens to an ``events`` batch the moment it arrives, before any handler runs.

Per entry: skip a seq already received, count it, reject what cannot be read (``invalid`` entries,
unknown names, payloads failing validation: logged and counted, never raised), then update the
state store, settle waiters, and queue the model for the handlers. Nothing in here may raise: the
caller is the message receiver, and one bad event must not cost the good ones behind it.

Acknowledging (``Acknowledger``): the shim keeps every event it posted until Python acknowledges
it, and re-posts the rest to a restarted worker (docs/protocol.md, ``ack``). So Python says,
cheaply, how far it got: the highest seq such that every event up to it is done — its handlers
returned, or the entry was rejected. Events are handled in arrival order, so that is "just before
the oldest event still queued or running", or everything received when nothing is. An ack goes
out when the last event of a batch is done (the shim batches per task, so in normal operation a
batch is one event), and inside a long batch after ``ACK_EVERY`` events or ``ACK_AFTER_S``
seconds, never twice for one seq: a postMessage per event would cost the host page's main thread.
The price: if a worker dies in the middle of a batch, the events of that batch it handled in the
last 50 ms (at most 256) are handled again by the next worker. Seqs only grow within a page, so
an entry whose seq is not above every seq received before in this worker's life was already
handled: it is ignored (``events_repeated``).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from pydantic import ValidationError

from ._dispatch import Dispatcher
from ._enums import EventName
from ._events import parse_event
from ._messages import Ack, EventEntry, Events, Message
from ._state import StateStore
from ._stats import Stats
from ._waiters import Waiters

logger = logging.getLogger("integration.sdk")

ACK_EVERY = 256
"""Events handled in a row before an ack is sent even though more are queued."""
ACK_AFTER_S = 0.05
"""Seconds after the last ack when the next finished event is acknowledged even mid-batch."""


class Acknowledger:
    """Tracks the highest seq received and the highest acknowledged; sends ``ack`` messages."""

    def __init__(
        self,
        send: Callable[[Message], None],
        oldest_pending: Callable[[], int | None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``oldest_pending()``: the seq of the earliest event not yet done (None when idle)."""
        self._send = send
        self._oldest_pending = oldest_pending
        self._clock = clock
        self._acked_at = clock()
        self.highest = 0
        """The highest seq received in this worker's life (0 before any)."""
        self.acked = 0
        """The highest seq acknowledged so far."""
        self._since_ack = 0
        self._batch_ends: deque[int] = deque()

    def is_repeat(self, seq: int | None) -> bool:
        """True when this seq was already received in this life (so it must not be handled again)."""
        return seq is not None and seq <= self.highest

    def received(self, seq: int | None) -> None:
        """Note an entry's seq as received (called for every entry, valid or not)."""
        if seq is not None and seq > self.highest:
            self.highest = seq

    def batch_received(self) -> None:
        """A batch was taken in: its last seq is where the next ack is due."""
        if not self._batch_ends or self._batch_ends[-1] < self.highest:
            self._batch_ends.append(self.highest)
        self.settle()  # a batch of only rejected entries is done already

    def settle(self) -> None:
        """Acknowledge everything done so far, if that is more than already acknowledged."""
        oldest = self._oldest_pending()
        done = self.highest if oldest is None else oldest - 1
        self._since_ack = 0
        if done > self.acked:
            self.acked = done
            self._acked_at = self._clock()
            self._send(Ack(seq=done))
        while self._batch_ends and self._batch_ends[0] <= self.acked:
            self._batch_ends.popleft()

    def event_done(self, seq: int | None, queue_empty: bool) -> None:
        """One event's handlers returned: ack at the end of its batch, or when a batch runs long
        (in events, or in time: slow handlers then get each event acknowledged as it is done)."""
        self._since_ack += 1
        batch_end = seq is not None and bool(self._batch_ends) and self._batch_ends[0] <= seq
        if batch_end or queue_empty or self._since_ack >= ACK_EVERY or self._clock() - self._acked_at >= ACK_AFTER_S:
            self.settle()


class EventIntake:
    """Validates arriving events and fans them out to state, waiters and the dispatcher."""

    def __init__(
        self,
        stats: Stats,
        state: StateStore,
        waiters: Waiters,
        dispatcher: Dispatcher,
        acks: Acknowledger,
        unusable_before_dial: Callable[[int | None], None],
    ) -> None:
        self._stats = stats
        self._state = state
        self._waiters = waiters
        self._dispatcher = dispatcher
        self._acks = acks
        self._unusable_before_dial = unusable_before_dial

    def accept(self, batch: Events) -> None:
        """Take one batch: report losses, then each entry in order."""
        if batch.dropped:
            self._stats.events_dropped += batch.dropped
            logger.warning("the shim dropped %d event(s) (its buffer was full, or two workers failed on them)",
                           batch.dropped)
        with self._dispatcher.holding():  # delivered once the batch is in and its end is known
            for entry in batch.events:
                try:
                    self._accept_entry(entry)
                except Exception:  # belt and braces: a bug must not lose the rest of the batch
                    self._stats.events_invalid += 1
                    logger.exception("could not process event entry (seq %s)", entry.seq)
            self._acks.batch_received()

    def _accept_entry(self, entry: EventEntry) -> None:
        if self._acks.is_repeat(entry.seq):
            self._stats.events_repeated += 1
            logger.warning("ignored %s event seq %s: already received", entry.name or "<unnamed>", entry.seq)
            return
        self._acks.received(entry.seq)
        self._stats.events_received += 1
        name = EventName(entry.name) if entry.name else None
        if name is not None and not name.is_known:
            self._stats.events_unknown += 1
            logger.warning("ignored event with unknown name %r (seq %s)", entry.name, entry.seq)
            return
        if entry.invalid is not None or name is None:
            self._reject(name, entry, f"the shim marked it invalid: {entry.invalid}")
            return
        try:
            event = parse_event(name, entry.payload, entry.seq)
        except ValidationError as exc:
            self._reject(name, entry, f"payload failed validation: {exc}")
            return
        self._state.apply(name, event)
        self._waiters.notify(name, event)
        self._dispatcher.enqueue(name, event)

    def _reject(self, name: EventName | None, entry: EventEntry, why: str) -> None:
        self._stats.events_invalid += 1
        label = name.value if name is not None else (entry.name or "<unnamed>")
        logger.warning("dropped %s event (seq %s): %s", label, entry.seq, why)
        if name == EventName.BEFORE_DIAL:
            self._unusable_before_dial(entry.seq)
