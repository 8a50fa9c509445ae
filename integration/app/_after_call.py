"""After-call state: resolve the configured reason label to a reason-code id, with a small cache.

Why labels are resolved at run time: setting4 names the reason the way administrators see it
("After Call Work"); setAgentState needs the id, which only getReasonCodeList knows, per channel
and reason type. The cache keeps that to one request per (channel, reason type).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from ._errors import show

__all__ = ["ReasonResolution", "resolve_reason", "ReasonCodeCache"]

_MAX_LISTED = 10


class ReasonResolution(BaseModel):
    """Either the reason-code id for a label, or the precise reason why there is none."""

    model_config = ConfigDict(frozen=True)

    label: str
    reason_id: str | int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when an id was found."""
        return self.error is None


def _is_code(code_id: object) -> bool:
    """A usable id: text or a non-negative number (negative ids mean "no reason code")."""
    if isinstance(code_id, bool) or not isinstance(code_id, (str, int)):
        return False
    text = str(code_id).strip()
    return bool(text) and not (text.startswith("-") and text[1:].isdigit())


def _entry(code: Any) -> tuple[Any, Any]:
    """(id, label) from a mapping or an object (SDK model); (None, None) when unusable."""
    if isinstance(code, Mapping):
        return code.get("id"), code.get("label")
    return getattr(code, "id", None), getattr(code, "label", None)


def resolve_reason(label: object, reason_codes: object, reason_type: str = "NotReady") -> ReasonResolution:
    """Find the id whose label equals ``label`` (case-insensitive, surrounding spaces ignored)."""
    wanted = label.strip() if isinstance(label, str) else ""
    if not wanted:
        return ReasonResolution(label="", error="no reason label given (expected a reason code label)")
    entries = []
    if isinstance(reason_codes, Sequence) and not isinstance(reason_codes, (str, bytes)):
        entries = [_entry(code) for code in reason_codes]
    usable = [
        (code_id, code_label) for code_id, code_label in entries if isinstance(code_label, str) and _is_code(code_id)
    ]
    if not usable:
        return ReasonResolution(label=wanted, error=f'no {reason_type} reason codes available to find "{show(wanted)}"')
    matches = list(
        dict.fromkeys(code_id for code_id, code_label in usable if code_label.strip().casefold() == wanted.casefold())
    )
    if len(matches) == 1:
        return ReasonResolution(label=wanted, reason_id=matches[0])
    if matches:
        ids = ", ".join(show(str(code_id)) for code_id in matches)
        return ReasonResolution(label=wanted, error=f'reason "{show(wanted)}" is ambiguous: ids {ids}')
    labels = [show(code_label) for _, code_label in usable[:_MAX_LISTED]]
    more = ", …" if len(usable) > _MAX_LISTED else ""
    return ReasonResolution(
        label=wanted,
        error=f'reason "{show(wanted)}" not found among {reason_type} reason codes '
        f"(available: {', '.join(labels)}{more})",
    )


class ReasonCodeCache:
    """Reason-code lists keyed by (channel id, reason type); failures are never cached."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], tuple[Any, ...]] = {}

    def get(self, channel_id: str, reason_type: str) -> tuple[Any, ...] | None:
        """The cached list or None."""
        return self._lists.get((str(channel_id), str(reason_type)))

    def put(self, channel_id: str, reason_type: str, codes: Sequence[Any]) -> None:
        """Store a fetched list."""
        usable = isinstance(codes, Sequence) and not isinstance(codes, (str, bytes))
        self._lists[(str(channel_id), str(reason_type))] = tuple(codes) if usable else ()

    def clear(self) -> None:
        """Forget everything (e.g. after a re-login, when codes may have changed)."""
        self._lists.clear()

    async def get_or_fetch(
        self, channel_id: str, reason_type: str, fetch: Callable[[], Awaitable[Sequence[Any]]]
    ) -> tuple[Any, ...]:
        """The cached list, or ``await fetch()`` and cache it. Exceptions from ``fetch`` propagate
        and nothing is cached, so the next call retries."""
        cached = self.get(channel_id, reason_type)
        if cached is not None:
            return cached
        codes = await fetch()
        self.put(channel_id, reason_type, codes)
        return self.get(channel_id, reason_type) or ()
