"""Which numbers the agent may dial, and in which form: plain functions, easy to test.

Premium-rate numbers (0900) are blocked; every other number is dialled without the spaces,
dashes, dots and brackets people type, with "00" written as "+".
"""

from __future__ import annotations

BLOCKED_PREFIXES = ("0900", "+41900")
"""Numbers starting with these (after normalising) are not dialled."""


def normalise(number: str) -> str:
    """The number as the phone system dials it: digits only, a leading "+" or "00" kept as "+"."""
    digits = "".join(character for character in number if character.isdigit())
    if number.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits


def is_blocked(number: str) -> bool:
    """True for a premium-rate number (checked on the normalised form, so "0900 12" counts too)."""
    return normalise(number).startswith(BLOCKED_PREFIXES)
