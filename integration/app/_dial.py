"""The beforeDial decision: dial (rewritten), block, or ask the agent first.

Why pure: the reference integration (reference.py) only has to turn a :class:`DialDecision` into ``dialOrConsult`` /
``showError`` calls; every rule — normalisation, categories, patterns, "block beats confirm",
fail mode — is decided here and unit-tested without a browser. ``decide`` never raises: if
anything inside fails, the configured fail mode (setting5) decides.
"""

from __future__ import annotations

from enum import StrEnum
from fnmatch import fnmatchcase

from pydantic import BaseModel, ConfigDict

from ._countries import country_name
from ._diagnostics_settings import FailMode
from ._dial_policy_settings import is_pattern
from ._errors import show
from ._phone import NumberInfo, NumberKind, analyse, example_typed
from ._settings import Settings

__all__ = ["DialAction", "DialDecision", "decide", "rehearse"]

_LABELS = {
    "premium_rate": "Premium-rate",
    "toll_free": "Toll-free",
    "shared_cost": "Shared-cost",
    "voip": "VoIP",
    "personal_number": "Personal",
    "pager": "Pager",
    "uan": "Universal access (UAN)",
    "voicemail": "Voicemail",
    "mobile": "Mobile",
    "fixed_line": "Fixed-line",
}


class DialAction(StrEnum):
    """What the wiring should do with the dial attempt."""

    DIAL = "dial"  # dialOrConsult(number) now
    BLOCK = "block"  # showError(reason); do not dial
    CONFIRM = "confirm"  # showError(reason, confirm -> dialOrConsult(number), dismiss -> nothing)


class DialDecision(BaseModel):
    """The outcome for one dialled string, with everything needed to act on it and to log it."""

    model_config = ConfigDict(frozen=True)

    action: DialAction
    number: str  # the dial string (for BLOCK: what would have been dialled)
    original: str  # what b+s Connects gave us
    matched: str | None = None  # the category or pattern that caused BLOCK/CONFIRM
    reason: str = ""  # short agent-facing text for BLOCK/CONFIRM, empty for DIAL
    kind: NumberKind = NumberKind.NUMBER
    e164: str | None = None
    categories: tuple[str, ...] = ()


def _matches(rule: str, info: NumberInfo) -> bool:
    if is_pattern(rule):
        return info.e164 is not None and fnmatchcase(info.e164, rule)
    return rule in info.categories


def _text(action: DialAction, rule: str, info: NumberInfo) -> str:
    shown = info.display
    if action is DialAction.BLOCK:
        if rule == "international":
            return f"International calls are blocked: {country_name(info.country)} ({shown})"
        if rule == "invalid":
            return f"Invalid numbers are blocked: {shown}"
        if is_pattern(rule):
            return f"Numbers matching {rule} are blocked: {shown}"
        return f"{_LABELS.get(rule, rule)} numbers are blocked: {shown}"
    if rule == "international":
        return f"International call to {country_name(info.country)} ({shown}). Dial?"
    if rule == "invalid":
        return f"{shown} does not look like a valid number. Dial anyway?"
    if is_pattern(rule):
        return f"{shown} matches {rule}. Dial?"
    return f"{_LABELS.get(rule, rule)} number {shown}. Dial?"


def _decision(action: DialAction, info: NumberInfo, matched: str | None = None, reason: str = "") -> DialDecision:
    return DialDecision(
        action=action,
        number=info.dial,
        original=info.typed,
        matched=matched,
        reason=reason,
        kind=info.kind,
        e164=info.e164,
        categories=info.categories,
    )


def _failed(dialed: object, settings: object, why: str) -> DialDecision:
    """Fail mode: closed blocks, open dials exactly what was given."""
    original = dialed if isinstance(dialed, str) else ""
    closed = isinstance(settings, Settings) and settings.diagnostics.fail_mode is FailMode.CLOSED
    if closed:
        return DialDecision(
            action=DialAction.BLOCK,
            number=original,
            original=original,
            matched="fail_closed",
            reason=f"Dialling is blocked: {why}",
        )
    return DialDecision(action=DialAction.DIAL, number=original, original=original, kind=NumberKind.INVALID)


def decide(dialed_number: str, settings: Settings | None = None) -> DialDecision:
    """Decide what to do with ``dialed_number`` (beforeDial's dialedNumber) under ``settings``.

    Block rules win over confirm rules; within a list the first matching rule (in configured
    order) is reported. Extensions and empty input are never subject to the policy.
    """
    try:
        settings = settings if isinstance(settings, Settings) else Settings()
        fail_closed = settings.diagnostics.fail_mode is FailMode.CLOSED
        broken = [
            name
            for name, config in (("setting1", settings.numbering), ("setting2", settings.dial_policy))
            if not config.ok
        ]
        if broken and fail_closed:
            return _failed(dialed_number, settings, f"the dial rules ({', '.join(broken)}) have errors")
        info = analyse(dialed_number, settings.numbering)
        if info.kind is NumberKind.EMPTY:
            return _decision(DialAction.BLOCK, info, matched="empty", reason="No number to dial.")
        if info.kind is NumberKind.EXTENSION:
            return _decision(DialAction.DIAL, info)
        for action, rules in (
            (DialAction.BLOCK, settings.dial_policy.block),
            (DialAction.CONFIRM, settings.dial_policy.confirm),
        ):
            for rule in rules:
                if _matches(rule, info):
                    return _decision(action, info, matched=rule, reason=_text(action, rule, info))
        return _decision(DialAction.DIAL, info)
    except Exception as exc:  # noqa: BLE001 - a dial check must never take the call flow down
        return _failed(dialed_number, settings, f"the dial check failed ({type(exc).__name__}: {show(str(exc))})")


def rehearse(settings: Settings) -> DialDecision | None:
    """Decide once for an example number of the home region, answering nobody; nothing without
    a home region (None).

    Why: a page's first decision for a region imports that region's numbering data from
    phonenumbers (its module compiled at first import), which makes the agent's first dial
    markedly slower than the next ones; rehearsed in the background right after start, the first
    dial is as quick as the rest. Without a home region the numbers' regions are unknown:
    rehearsing a US number saved nothing.
    """
    region = settings.numbering.region
    return decide(example_typed(region), settings) if region else None
