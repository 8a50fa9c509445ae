"""Exceptions raised by the SDK, one class per thing the caller can act on.

::

    Exception
    └── ConnectsError                         every SDK failure; catch this to catch them all
        ├── InvalidRequest (+ ValueError)     an argument was refused before anything was sent
        ├── RequestFailed                     the host said no: response ok=false, an envelope
        │                                     with success=false, or the error event that
        │                                     answered our requestId
        ├── RequestTimeout (+ TimeoutError)   no response / no outcome event in time
        ├── EventTimeout (+ TimeoutError)     wait_for() saw no matching event in time
        └── ProtocolError                     the other side sent something we cannot read
                                              (e.g. getChannel resolved to a number)

``InvalidRequest`` is a ``ValueError`` and the timeouts are ``TimeoutError`` so that code that does
not know this SDK still catches them with the standard classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._events import ErrorEvent


class ConnectsError(Exception):
    """Base class of every exception the SDK raises."""


class InvalidRequest(ConnectsError, ValueError):
    """An argument failed validation, so the request was never sent.

    ``field`` is the wire name of the argument (e.g. ``channelId``) so the message points at the
    exact thing to fix.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class RequestFailed(ConnectsError):
    """The host rejected a request, or answered it with an ``error`` event.

    ``error`` is the host's text; ``event`` is the :class:`ErrorEvent` when the failure came as an
    event (correlated by requestId), else ``None``.
    """

    def __init__(
        self,
        request: str,
        error: Any,
        *,
        request_id: str | None = None,
        event: ErrorEvent | None = None,
    ) -> None:
        text = "" if error is None else str(error)
        super().__init__(f"{request} failed: {text or '(no error text)'}")
        self.request = request
        self.error = text
        self.request_id = request_id
        self.event = event


class RequestTimeout(ConnectsError, TimeoutError):
    """No response (or no outcome event) arrived within the timeout; the request was forgotten."""

    def __init__(self, request: str, timeout: float, *, what: str = "response") -> None:
        super().__init__(f"{request}: no {what} within {timeout:g} s")
        self.request = request
        self.timeout = timeout


class EventTimeout(ConnectsError, TimeoutError):
    """``wait_for`` saw no matching event within its timeout."""

    def __init__(self, event: str, timeout: float) -> None:
        super().__init__(f"no matching {event} event within {timeout:g} s")
        self.event = event
        self.timeout = timeout


class ProtocolError(ConnectsError):
    """A message or result did not have the shape the protocol/contract promises."""
