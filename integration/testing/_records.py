"""What the fake host records of the integration's requests: the request itself and the alerts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordedRequest:
    """A request the integration sent: its protocol id, name and positional args."""

    id: int
    name: str
    args: list[Any]


@dataclass
class Alert:
    """A showError the integration displayed (buttons as sent: label + callback id or None)."""

    description: str
    title: str | None
    confirm: dict[str, Any] | None
    dismiss: dict[str, Any] | None
    closed: bool = False
