"""A ``logging.Handler`` that forwards records to b+s Connects' log (writeLog).

Integrators just use ``logging.getLogger(__name__)``; the records land in the host's log where
support looks (COR_API_WRITE_LOG). Three guards keep this safe:

* non-blocking: ``emit`` posts the writeLog request and returns; nobody awaits it;
* recursion: a record emitted *while* forwarding (e.g. by the transport) is not forwarded again,
  and a rejected writeLog is only counted, never logged (that would loop);
* floods: a token bucket (``max_records`` per ``per_seconds``) drops the excess and later sends
  one "N log records suppressed" line, at the highest level that was suppressed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

from ._client import ConnectsClient
from ._enums import LogLevel
from ._stats import Stats

DEFAULT_FORMAT = "%(levelname)s %(name)s: %(message)s"


def level_for(levelno: int) -> LogLevel:
    """ERROR and above → Error; everything below → Debug (writeLog knows only these two)."""
    return LogLevel.ERROR if levelno >= logging.ERROR else LogLevel.DEBUG


class ConnectsLogHandler(logging.Handler):
    """Forwards log records to writeLog without blocking, recursing or flooding."""

    def __init__(
        self,
        client: ConnectsClient,
        level: int = logging.NOTSET,
        *,
        max_records: int = 30,
        per_seconds: float = 10.0,
        stats: Stats | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter(DEFAULT_FORMAT))
        self._client = client
        self._capacity = float(max(1, max_records))
        self._rate = self._capacity / per_seconds if per_seconds > 0 else float("inf")
        self._per_seconds = per_seconds
        self._tokens = self._capacity
        self._clock = clock
        self._last = clock()
        self._stats = stats or Stats()
        self._local = threading.local()
        self._suppressed = 0
        self._suppressed_level = logging.NOTSET
        self._report_scheduled = False

    @property
    def suppressed(self) -> int:
        """Records dropped by the rate limit and not yet reported."""
        return self._suppressed

    def _take_token(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def _failed(self, _error: str) -> None:
        self._stats.log_forward_failures += 1  # never log it: that would forward it again

    def _send(self, message: str, level: LogLevel) -> None:
        self._client.write_log_nowait(message, level, on_failure=self._failed)

    def _report_suppressed(self) -> None:
        if not self._suppressed:
            return
        count, levelno = self._suppressed, self._suppressed_level
        self._suppressed, self._suppressed_level = 0, logging.NOTSET
        self._send(f"{count} log record(s) suppressed by the forwarding rate limit", level_for(levelno))

    def _schedule_report(self) -> None:
        # "Later" even if nothing else is ever logged: once the window has refilled.
        if self._report_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # reported with the next forwarded record or at flush()
        self._report_scheduled = True
        loop.call_later(max(self._per_seconds, 0.0), self._scheduled_report)

    def _scheduled_report(self) -> None:
        self._report_scheduled = False
        try:
            self._guarded(self._report_suppressed)
        except Exception:  # a timer callback has nobody to raise to
            pass

    def _guarded(self, action: Callable[[], object]) -> object | None:
        if getattr(self._local, "active", False):
            return None
        self._local.active = True
        try:
            return action()
        finally:
            self._local.active = False

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "active", False):
            return  # emitted while forwarding: do not forward again
        self._local.active = True
        try:
            if not self._take_token():
                self._suppressed += 1
                self._suppressed_level = max(self._suppressed_level, record.levelno)
                self._stats.log_records_suppressed += 1
                self._schedule_report()
                return
            self._report_suppressed()
            self._send(self.format(record), level_for(record.levelno))
        except Exception:
            self.handleError(record)
        finally:
            self._local.active = False

    def flush(self) -> None:
        """Report suppressed records now (called by logging at shutdown)."""
        try:
            self._guarded(self._report_suppressed)
        except Exception:  # flush must never raise during interpreter shutdown
            pass
