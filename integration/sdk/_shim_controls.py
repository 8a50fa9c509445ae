"""Messages that steer the shim rather than ``cil``: beforeDial decisions, the watchdog settings,
strings persisted across a reload (and the ``context`` that returns them), the status panel.

A mixin of Integration, kept apart so that class stays about lifecycle and routing.
The beforeDial rules live here: the shim owns the watchdog and performs an accepted dial itself,
so a ``dial`` decision carries channelId/address/requestId; a beforeDial whose handler raised or
whose payload was unreadable is answered ``failed`` at once so the shim falls back without
waiting for its watchdog.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections import OrderedDict
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import _validation as check
from ._enums import DecisionOutcome, EventName, FailMode
from ._events import BeforeDial
from ._exceptions import InvalidRequest
from ._messages import Configure, Decision, Failed, Message, Persist, ShimContext, Status
from ._wire import EventModel, short_text

logger = logging.getLogger("integration.sdk")

_DECIDED_MEMORY = 256


class ShimControls:
    """Mixin: ``send_decision``, ``configure_watchdog``, ``persist``/``storage``, ``context``."""

    def _send(self, message: Message) -> None:  # pragma: no cover - provided by Integration
        raise NotImplementedError

    def _init_controls(self) -> None:
        self._decided: OrderedDict[int, str] = OrderedDict()
        self._context: ShimContext | None = None
        self._context_arrived = asyncio.Event()
        self._storage: dict[str, str] = {}

    # ---- beforeDial ---------------------------------------------------------------------------
    def send_decision(
        self,
        event: BeforeDial | int,
        outcome: DecisionOutcome | str,
        *,
        channel_id: str = "voice",
        address: str | None = None,
        request_id: str | None = None,
    ) -> str | None:
        """Tell the shim the decision on a beforeDial: ``dial``, ``block`` or ``failed``.

        For ``dial`` the shim dials ``address`` (default: the event's dialedNumber) on
        ``channel_id`` unless its watchdog already acted; returns the requestId it will use, so
        the resulting workitemCreate can be awaited with ``wait_for``. Other outcomes return None.
        """
        seq = event.seq if isinstance(event, BeforeDial) else event
        if isinstance(seq, bool) or not isinstance(seq, int):
            raise InvalidRequest("seq", f"needs a BeforeDial from the shim or its seq, got {event!r}")
        decided = DecisionOutcome(outcome) if isinstance(outcome, str) else outcome
        if not isinstance(decided, DecisionOutcome) or not decided.is_known:
            raise InvalidRequest("outcome", f"must be one of dial, block, failed, got {outcome!r}")
        message = Decision(seq=seq, outcome=decided.value)
        if decided == DecisionOutcome.DIAL:
            if address is None and isinstance(event, BeforeDial):
                address = event.dialed_number
            message = Decision(
                seq=seq,
                outcome=decided.value,
                channel_id=check.channel_id(channel_id),
                address=check.address(address),
                request_id=check.request_id(request_id),
            )
        self._decided[seq] = decided.value
        while len(self._decided) > _DECIDED_MEMORY:
            self._decided.popitem(last=False)
        self._send(message)
        return message.request_id

    def configure_watchdog(self, watchdog_ms: int, fail_mode: FailMode | str = FailMode.OPEN) -> None:
        """Set how long the shim waits for a beforeDial decision and what it does without one."""
        if isinstance(watchdog_ms, bool) or not isinstance(watchdog_ms, int) or watchdog_ms <= 0:
            raise InvalidRequest("watchdogMs", f"must be a positive int of milliseconds, got {watchdog_ms!r}")
        mode = FailMode(fail_mode) if isinstance(fail_mode, str) else fail_mode
        if not isinstance(mode, FailMode) or not mode.is_known:
            raise InvalidRequest("failMode", f"must be 'open' or 'closed', got {fail_mode!r}")
        self._send(Configure(watchdog_ms=watchdog_ms, fail_mode=mode.value))

    def _after_dispatch(self, name: EventName, event: EventModel, failed: bool) -> None:
        if name == EventName.BEFORE_DIAL and failed and isinstance(event, BeforeDial):
            if event.seq is not None and event.seq not in self._decided:
                logger.warning("beforeDial handler failed; telling the shim 'failed'")
                self.send_decision(event.seq, DecisionOutcome.FAILED)

    def _unusable_before_dial(self, seq: int | None) -> None:
        if seq is not None and seq not in self._decided:
            self.send_decision(seq, DecisionOutcome.FAILED)

    # ---- context and persisted strings ----------------------------------------------------------
    @property
    def context(self) -> ShimContext | None:
        """What the shim sent after hello (storage, restarts, visible); None until it arrived."""
        return self._context

    async def wait_for_context(self, timeout: float = 5.0) -> ShimContext:
        """The shim's context, waiting for it if needed (TimeoutError if it does not come)."""
        await asyncio.wait_for(self._context_arrived.wait(), timeout)
        assert self._context is not None
        return self._context

    def _on_context(self, context: ShimContext) -> None:
        self._context = context
        self._storage = dict(context.storage)
        self._context_arrived.set()

    @property
    def storage(self) -> Mapping[str, str]:
        """The persisted strings: from the context, updated by :meth:`persist` (read-only view)."""
        return MappingProxyType(self._storage)

    def persist(self, key: str, value: str | None) -> None:
        """Keep a small string across a page reload (None deletes it)."""
        check.text("key", key)
        if value is not None and not isinstance(value, str):
            raise InvalidRequest("value", f"must be a string or None, got {type(value).__name__}")
        if value is None:
            self._storage.pop(key, None)
        else:
            self._storage[key] = value
        self._send(Persist(key=key, value=value))

    # ---- failure and status panel ---------------------------------------------------------------------------
    def report_failure(self, error: BaseException | str) -> None:
        """Tell the page the integration could not start (``failed``; shown with the traceback)."""
        if isinstance(error, BaseException):
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        else:
            text = str(error)
        self._send(Failed(error=text))

    def send_status(self, status: Mapping[str, Any] | None = None, **fields: Any) -> None:
        """Update the visible status panel (values are turned into short strings)."""
        merged = {**(status or {}), **fields}
        self._send(Status(status={str(k): short_text(v) or "" for k, v in merged.items()}))
