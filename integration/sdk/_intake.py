"""What happens to an ``events`` batch the moment it arrives, before any handler runs.

Per entry: count it, reject what cannot be read (``invalid`` entries, unknown names, payloads
failing validation: logged and counted, never raised), then update the state store, settle
waiters, and queue the model for the handlers. Nothing in here may raise: the caller is the
message receiver, and one bad event must not cost the good ones behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import ValidationError

from ._dispatch import Dispatcher
from ._enums import EventName
from ._events import parse_event
from ._protocol import EventEntry, Events
from ._state import StateStore
from ._stats import Stats
from ._waiters import Waiters

logger = logging.getLogger("integration.sdk")


class EventIntake:
    """Validates arriving events and fans them out to state, waiters and the dispatcher."""

    def __init__(
        self,
        stats: Stats,
        state: StateStore,
        waiters: Waiters,
        dispatcher: Dispatcher,
        unusable_before_dial: Callable[[int | None], None],
    ) -> None:
        self._stats = stats
        self._state = state
        self._waiters = waiters
        self._dispatcher = dispatcher
        self._unusable_before_dial = unusable_before_dial

    def accept(self, batch: Events) -> None:
        """Take one batch: report losses, then each entry in order."""
        if batch.dropped:
            self._stats.events_dropped += batch.dropped
            logger.warning("the shim dropped %d event(s) (its buffer was full)", batch.dropped)
        for entry in batch.events:
            try:
                self._accept_entry(entry)
            except Exception:  # belt and braces: a bug must not lose the rest of the batch
                self._stats.events_invalid += 1
                logger.exception("could not process event entry %r", entry)

    def _accept_entry(self, entry: EventEntry) -> None:
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
