"""The one settings syntax: ``key=value; key=value``.

Why hand-written instead of a regex: values may be quoted (``param.source="web; phone"``) so a
literal can contain ``;`` or ``,``, and every mistake must come back as a precise
:class:`SettingError` instead of an exception. Pairs are separated by ``;`` or line breaks,
whitespace around keys and values is trimmed, keys are compared case-insensitively (callers use
:attr:`Pair.folded`), and a repeated key is an error (a typo must be visible, not silently win).
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import SettingError

__all__ = ["Pair", "split_pairs", "split_list", "MAX_SETTING_LENGTH"]

#: Longer settings are refused whole: real ones are a few hundred characters, and the bound keeps
#: parsing cheap for any input.
MAX_SETTING_LENGTH = 4000

_SEPARATORS = ";\n\r"
_QUOTES = "\"'"
_SYNTAX = 'key=value pairs separated by ";"'


@dataclass(frozen=True)
class Pair:
    """One ``key=value``; ``quoted`` tells a quoted literal from a bare word."""

    key: str
    value: str
    quoted: bool

    @property
    def folded(self) -> str:
        """The key as compared: case-insensitive."""
        return self.key.casefold()


def _has_control(text: str) -> bool:
    return any(not char.isprintable() and char not in " \t" for char in text)


def _read_quoted(text: str, start: int) -> tuple[str, int] | None:
    """Read a quoted value starting at the quote; return (value, index after it) or None if open."""
    quote = text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in (quote, "\\"):
            out.append(text[i + 1])
            i += 2
            continue
        if char == quote:
            return "".join(out), i + 1
        out.append(char)
        i += 1
    return None


def split_pairs(setting: str, text: str) -> tuple[list[Pair], list[SettingError]]:
    """Split one setting's text into pairs; every syntax problem becomes an error, never raised."""
    pairs: list[Pair] = []
    errors: list[SettingError] = []
    if len(text) > MAX_SETTING_LENGTH:
        errors.append(
            SettingError(
                setting=setting,
                problem=f"too long ({len(text)} characters)",
                found=text,
                expected=f"at most {MAX_SETTING_LENGTH} characters",
            )
        )
        return pairs, errors
    seen: set[str] = set()
    i = 0
    length = len(text)
    while i < length:
        # Find the end of the key part.
        j = i
        while j < length and text[j] not in _SEPARATORS and text[j] != "=":
            j += 1
        key = text[i:j].strip()
        if j >= length or text[j] in _SEPARATORS:
            if key:
                errors.append(SettingError(setting=setting, problem='missing "=" in', found=key, expected=_SYNTAX))
            i = j + 1
            continue
        # text[j] == "=": read the value.
        k = j + 1
        while k < length and text[k] in " \t":
            k += 1
        quoted = k < length and text[k] in _QUOTES
        if quoted:
            read = _read_quoted(text, k)
            if read is None:
                errors.append(
                    SettingError(
                        setting=setting,
                        key=key or None,
                        problem="quote not closed in value",
                        found=text[k + 1 :],
                        expected=f"a closing {text[k]}",
                    )
                )
                return pairs, errors
            value, end = read
            while end < length and text[end] in " \t":
                end += 1
            if end < length and text[end] not in _SEPARATORS:
                rest_end = end
                while rest_end < length and text[rest_end] not in _SEPARATORS:
                    rest_end += 1
                errors.append(
                    SettingError(
                        setting=setting,
                        key=key or None,
                        problem="unexpected text after the closing quote:",
                        found=text[end:rest_end],
                        expected='";" after a quoted value',
                    )
                )
                end = rest_end
            i = end + 1
        else:
            end = k
            while end < length and text[end] not in _SEPARATORS:
                end += 1
            value = text[k:end].strip()
            i = end + 1
        if not key:
            errors.append(
                SettingError(setting=setting, problem="missing key before", found="=" + value, expected=_SYNTAX)
            )
            continue
        if _has_control(key) or _has_control(value):
            errors.append(
                SettingError(
                    setting=setting,
                    key=key,
                    problem="control character in",
                    found=f"{key}={value}",
                    expected="printable text",
                )
            )
            continue
        if key.casefold() in seen:
            errors.append(
                SettingError(setting=setting, key=key, problem="given more than once", expected="each key once")
            )
            continue
        seen.add(key.casefold())
        pairs.append(Pair(key=key, value=value, quoted=quoted))
    return pairs, errors


def split_list(value: str) -> list[str]:
    """Comma-separated items, trimmed; empty items (e.g. a trailing comma) are ignored."""
    return [item.strip() for item in value.split(",") if item.strip()]
