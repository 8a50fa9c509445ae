"""Shared machinery: text of one setting -> one validated feature config, or its safe default.

Why one place: every feature must behave the same way — unknown keys and repeated keys are
errors, keys are case-insensitive, and any problem (including a bug in a validator) yields the
feature's safe default with the errors attached rather than an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ._errors import Invalid, InvalidMany, SettingError, show
from ._kv import Pair, split_pairs

__all__ = ["FeatureConfig", "parse_feature", "canonical_word", "one_of", "choose", "whole_number"]


class FeatureConfig(BaseModel):
    """Base of every per-feature config: the errors that disabled it (empty when it is valid)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    errors: tuple[SettingError, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the setting was understood completely."""
        return not self.errors

    @property
    def enabled(self) -> bool:
        """True when the feature acts: valid, and (for switchable features) not switched off.

        A feature whose setting has errors is disabled: it keeps its safe defaults.
        """
        return self.ok


C = TypeVar("C", bound=FeatureConfig)

#: Optional hook for keys that are a family (``param.<name>``): returns (field, item) or None.
FamilyHook = Callable[[Pair], "tuple[str, Any] | None"]


def canonical_word(text: str) -> str:
    """Fold an enum-like word for comparison: case, ``_``, ``-``, ``.`` and spaces do not matter.

    Why: ``NotReady``, ``not_ready`` and ``not-ready`` all obviously mean the same thing, while
    anything else is still rejected precisely.
    """
    return "".join(char for char in text.casefold() if char not in "_-. ")


def one_of(words: list[str] | tuple[str, ...]) -> str:
    """``one of a, b, c`` for an ``expected`` text."""
    return "one of " + ", ".join(words)


def _translate(setting: str, exc: ValidationError, field_keys: Mapping[str, str]) -> list[SettingError]:
    errors: list[SettingError] = []
    for item in exc.errors():
        loc = item.get("loc") or ()
        field = str(loc[0]) if loc else None
        key = field_keys.get(field, field) if field is not None else None
        original = (item.get("ctx") or {}).get("error")
        if isinstance(original, Invalid):
            errors.append(original.to_error(setting, key))
        elif isinstance(original, InvalidMany):
            errors.extend(problem.to_error(setting, key) for problem in original.problems)
        else:  # A pydantic-level complaint we did not phrase ourselves: still precise enough.
            errors.append(
                SettingError(
                    setting=setting,
                    key=key,
                    problem=f"invalid value ({item.get('msg', 'rejected')}):",
                    found=show(item.get("input")),
                    expected="a valid value",
                )
            )
    return errors


def parse_feature(
    setting: str,
    text: str,
    model: type[C],
    keys: Mapping[str, str],
    family: FamilyHook | None = None,
    context: Mapping[str, Any] | None = None,
) -> C:
    """Parse ``text`` of ``setting`` into ``model``; on any error return the default + errors.

    ``keys`` maps the documented key spelling (e.g. ``outsidePrefix``) to the model field name.
    ``context`` is passed to pydantic validators (used for cross-setting checks).
    """
    try:
        pairs, errors = split_pairs(setting, text)
        folded = {key.casefold(): (key, field) for key, field in keys.items()}
        field_keys = {field: key for key, field in keys.items()}
        data: dict[str, Any] = {}
        for pair in pairs:
            known = folded.get(pair.folded)
            if known is not None:
                data[known[1]] = pair.value
                continue
            grouped = family(pair) if family is not None else None
            if grouped is not None:
                data.setdefault(grouped[0], []).append(grouped[1])
                continue
            errors.append(
                SettingError(
                    setting=setting,
                    key=pair.key,
                    problem="unknown key",
                    expected=one_of(list(keys)) + (" or param.<name>" if family is not None else ""),
                )
            )
        try:
            parsed = model.model_validate(data, context=dict(context or {}))
        except ValidationError as exc:
            errors.extend(_translate(setting, exc, field_keys))
        else:
            if not errors:
                return parsed
    except Exception as exc:  # noqa: BLE001 - the whole point: a bad setting never escapes as an exception
        errors = [
            SettingError(
                setting=setting,
                problem=f"could not be read ({type(exc).__name__}):",
                found=show(str(exc)),
                expected="a setting this version understands",
            )
        ]
    return model(errors=tuple(errors))


E = TypeVar("E")


def choose(value: object, choices: Mapping[str, E], what: str, shown: list[str] | tuple[str, ...]) -> E:
    """Map ``value`` to one of ``choices`` (keys are :func:`canonical_word` forms) or raise Invalid.

    Non-string values pass through when they already are one of the results, so configs can also
    be built directly in Python (``DiagnosticsConfig(fail_mode=FailMode.CLOSED)``).
    """
    if not isinstance(value, str):
        if value in choices.values():
            return value  # type: ignore[return-value]
        raise Invalid(f"unknown {what}", show(value), one_of(shown))
    found = choices.get(canonical_word(value))
    if found is None:
        raise Invalid(f"unknown {what}", value, one_of(shown))
    return found


def whole_number(value: object, low: int, high: int, default: int, unit: str = "") -> int:
    """Parse a bounded integer from text (empty -> ``default``) or raise Invalid.

    Why the length guard: ``int()`` of thousands of digits is slow or refused; nothing that long
    can be in range anyway.
    """
    expected = f"a whole number{unit} from {low} to {high}"
    if isinstance(value, bool):
        raise Invalid("not a whole number:", str(value), expected)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return default
        if not (text.isascii() and text.isdigit()):
            raise Invalid("not a whole number:", value, expected)
        if len(text) > len(str(high)) + 1:
            raise Invalid("out of range:", text, expected)
        number = int(text)
    else:
        raise Invalid("not a whole number:", show(value), expected)
    if not low <= number <= high:
        raise Invalid("out of range:", str(number), expected)
    return number
