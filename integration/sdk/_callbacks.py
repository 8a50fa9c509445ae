"""showError buttons: Python callables registered under ids the shim turns into JS functions.

An alert has at most two buttons; clicking either closes it, so after one callback runs both ids
of that alert are forgotten. Alerts never clicked (the agent reloaded, the alert queue was
cleared) would otherwise pile up, so only the most recent ``MAX_ALERTS`` are remembered.
"""

from __future__ import annotations

import inspect
import itertools
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ._stats import Stats

logger = logging.getLogger("integration.sdk")

ActionCallback = Callable[[], None | Awaitable[None]]
MAX_ALERTS = 256


@dataclass(frozen=True)
class Action:
    """A showError button: its label and what to run when clicked (sync or async; may be None).

    A dismiss button without callback just closes the alert.
    """

    label: str
    callback: ActionCallback | None = None


class CallbackRegistry:
    """Maps callback ids to (callable, alert) and runs them when the shim reports a click."""

    def __init__(self, stats: Stats) -> None:
        self._stats = stats
        self._ids = itertools.count(1)
        self._alerts = itertools.count(1)
        self._callbacks: dict[str, tuple[ActionCallback, int]] = {}
        self._by_alert: OrderedDict[int, list[str]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._callbacks)

    def register(self, *actions: Action | None) -> tuple[int, list[dict[str, Any] | None]]:
        """Register one alert's actions; returns the alert key and the actions' wire form."""
        alert = next(self._alerts)
        ids: list[str] = []
        wire: list[dict[str, Any] | None] = []
        for action in actions:
            if action is None:
                wire.append(None)
                continue
            callback_id: str | None = None
            if action.callback is not None:
                callback_id = f"cb-{next(self._ids)}"
                self._callbacks[callback_id] = (action.callback, alert)
                ids.append(callback_id)
            wire.append({"label": action.label, "callback": callback_id})
        if ids:
            self._by_alert[alert] = ids
            while len(self._by_alert) > MAX_ALERTS:
                _oldest, stale = self._by_alert.popitem(last=False)
                for callback_id in stale:
                    self._callbacks.pop(callback_id, None)
        return alert, wire

    def forget(self, alert: int) -> None:
        """Drop both actions of an alert (clicked, or the showError request failed)."""
        for callback_id in self._by_alert.pop(alert, []):
            self._callbacks.pop(callback_id, None)

    async def invoke(self, callback_id: str) -> None:
        """Run the callback with this id (errors logged, never raised), then forget its alert."""
        entry = self._callbacks.get(callback_id)
        if entry is None:
            self._stats.callbacks_unknown += 1
            logger.warning("showError callback %r is unknown or was already used", callback_id)
            return
        callback, alert = entry
        self.forget(alert)
        self._stats.callbacks_invoked += 1
        try:
            result = callback()
            if inspect.isawaitable(result):
                await result
        except Exception:
            self._stats.callback_errors += 1
            logger.exception("showError callback %r raised", callback_id)
