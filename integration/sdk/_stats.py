"""Counters of everything the SDK swallowed instead of crashing, so it can be seen and tested.

A robust dispatcher hides failures by design; these counters are how an integrator (or the
status panel, or a test) finds out that events were invalid, dropped or that handlers raised.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Stats:
    """Live counters of one Integration (read them; the SDK updates them)."""

    events_received: int = 0
    """Event entries received from the shim (valid or not)."""
    events_dispatched: int = 0
    """Events whose handlers all ran (one count per event, not per handler)."""
    events_invalid: int = 0
    """Entries the shim flagged ``invalid`` or whose payload failed validation."""
    events_dropped: int = 0
    """Events the shim reports as lost to its bounded buffer (``dropped``)."""
    events_unknown: int = 0
    """Entries with an event name that is not one of the nine."""
    events_repeated: int = 0
    """Entries whose seq was not above every seq received before: already handled, ignored."""
    handler_errors: int = 0
    """Handler calls that raised (each logged with its traceback)."""
    protocol_errors: int = 0
    """Malformed protocol messages (ours, but unreadable)."""
    unknown_messages: int = 0
    """Well-formed protocol messages of a kind this SDK does not know."""
    late_responses: int = 0
    """Responses for requests already timed out or never sent."""
    callbacks_invoked: int = 0
    """showError button callbacks run."""
    callbacks_unknown: int = 0
    """callback messages naming an id that is not (or no longer) registered."""
    callback_errors: int = 0
    """showError callbacks that raised."""
    log_records_suppressed: int = 0
    """Log records the forwarding handler dropped because of its rate limit."""
    log_forward_failures: int = 0
    """writeLog requests the host rejected."""

    def as_dict(self) -> dict[str, int]:
        """A snapshot as a plain dict (e.g. for the status panel)."""
        return asdict(self)


def python_memory(collect: bool = False) -> dict[str, Any]:
    """Interpreter-wide memory figures for ``diagnostics``; ``collect`` first runs a full collection.

    Cheap enough on request (a few milliseconds, mostly ``gc.get_objects()``) and never run unless
    asked: long sessions and bursts must not grow memory, and in the browser only the worker knows.
    """
    if collect:
        gc.collect()
    try:
        tasks = len(asyncio.all_tasks())
    except RuntimeError:  # no running loop
        tasks = 0
    return {"allocatedBlocks": sys.getallocatedblocks(), "gcObjects": len(gc.get_objects()), "asyncioTasks": tasks}
