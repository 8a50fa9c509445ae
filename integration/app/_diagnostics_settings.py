"""setting5 — diagnostics and reliability: ``log=info; failMode=open; watchdogMs=3000``.

Why together: all three are about how the integration behaves when something goes wrong — how
much it writes to the b+s log, whether a failing dial check lets the call through (open) or
stops it (closed), and how long the shim waits for Python's beforeDial decision.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from ._feature import FeatureConfig, choose, parse_feature, whole_number

__all__ = [
    "LogLevel",
    "FailMode",
    "DiagnosticsConfig",
    "parse_diagnostics",
    "DIAGNOSTICS_KEYS",
    "WATCHDOG_RANGE",
]


class LogLevel(StrEnum):
    """Minimum level written to the b+s Connects log."""

    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    def allows(self, level: LogLevel | str) -> bool:
        """True when a message of ``level`` passes this threshold (unknown levels always pass)."""
        order = list(LogLevel)
        try:
            return order.index(LogLevel(str(getattr(level, "value", level)).lower())) >= order.index(self)
        except ValueError:
            return True


class FailMode(StrEnum):
    """What a dial check does when it cannot decide (error, timeout, broken dial policy)."""

    OPEN = "open"  # let the call through: the agent can always work
    CLOSED = "closed"  # block it: policy compliance beats availability


_LEVELS = {level.value: level for level in LogLevel} | {"warn": LogLevel.WARNING}
_MODES = {mode.value: mode for mode in FailMode}
WATCHDOG_RANGE = (500, 30000)
DIAGNOSTICS_KEYS = {"log": "log_level", "failMode": "fail_mode", "watchdogMs": "watchdog_ms"}


class DiagnosticsConfig(FeatureConfig):
    """Log threshold, fail mode and the beforeDial watchdog in milliseconds."""

    log_level: LogLevel = Field(LogLevel.INFO, alias="log")
    fail_mode: FailMode = Field(FailMode.OPEN, alias="failMode")
    watchdog_ms: int = Field(3000, alias="watchdogMs")

    @field_validator("log_level", mode="before")
    @classmethod
    def _log(cls, value: Any) -> LogLevel:
        if isinstance(value, str) and not value.strip():
            return LogLevel.INFO
        return choose(value, _LEVELS, "log level", [level.value for level in LogLevel])

    @field_validator("fail_mode", mode="before")
    @classmethod
    def _fail(cls, value: Any) -> FailMode:
        if isinstance(value, str) and not value.strip():
            return FailMode.OPEN
        return choose(value, _MODES, "fail mode", [mode.value for mode in FailMode])

    @field_validator("watchdog_ms", mode="before")
    @classmethod
    def _watchdog(cls, value: Any) -> int:
        return whole_number(value, *WATCHDOG_RANGE, default=3000, unit=" of milliseconds")


def parse_diagnostics(text: str) -> DiagnosticsConfig:
    """setting5 text -> config (or the default with errors)."""
    return parse_feature("setting5", text, DiagnosticsConfig, DIAGNOSTICS_KEYS)
