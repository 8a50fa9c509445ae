"""One precise, printable complaint about one setting.

Why a model and not an exception: a bad setting must never take the integration down. Parsing
collects these, attaches them to the affected feature (which falls back to its safe default) and
hands them to the reference integration (reference.py), which shows and logs them. ``str(error)`` is the single line an
administrator reads, e.g.::

    setting2: key "block": unknown category "premum_rate" (expected one of premium_rate, ...)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["SettingError", "Invalid", "InvalidMany", "show"]

_MAX_SHOWN = 60


def show(value: object) -> str:
    """Render a found value safely for a one-line message.

    Why: settings may contain anything (control characters, megabytes of text); the message must
    stay one short line, so control characters are escaped and long values are cut.
    """
    text = value if isinstance(value, str) else repr(value)
    out: list[str] = []
    for char in text[: _MAX_SHOWN + 1]:
        if char.isprintable():
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    shown = "".join(out)
    if len(text) > _MAX_SHOWN or len(shown) > _MAX_SHOWN:
        shown = shown[:_MAX_SHOWN] + "…"
    return shown


class SettingError(BaseModel):
    """Which setting, which key, what was wrong, what was found and what was expected."""

    model_config = ConfigDict(frozen=True)

    setting: str
    key: str | None = None
    problem: str
    found: str | None = None
    expected: str

    def __str__(self) -> str:
        parts = [f"{self.setting}:"]
        if self.key is not None:
            parts.append(f'key "{show(self.key)}":')
        parts.append(self.problem)
        if self.found is not None:
            parts.append(f'"{show(self.found)}"')
        parts.append(f"(expected {self.expected})")
        return " ".join(parts)


class Invalid(ValueError):
    """Raised inside validators; carries the pieces of a :class:`SettingError`.

    Why a ValueError subclass: pydantic wraps ValueErrors raised by validators and keeps the
    original exception in the error context, so the translation step can recover these fields
    exactly instead of parsing pydantic's generic English messages.
    """

    def __init__(self, problem: str, found: str | None, expected: str, key: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.found = found
        self.expected = expected
        self.key = key

    def to_error(self, setting: str, key: str | None) -> SettingError:
        """The finished error for ``setting``; an explicit key on the exception wins."""
        return SettingError(
            setting=setting,
            key=self.key if self.key is not None else key,
            problem=self.problem,
            found=self.found,
            expected=self.expected,
        )


class InvalidMany(ValueError):
    """Several independent :class:`Invalid` findings from one field (e.g. two bad parameters).

    Why: pydantic reports one error per field, but an administrator fixing settings wants every
    mistake at once.
    """

    def __init__(self, problems: list[Invalid]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems
