"""All five settings at once: ``load_settings(raw) -> Settings``.

Why per-feature isolation: a typo in the screen-pop setting must not stop the dial policy. Each
setting is parsed on its own; a bad one yields its feature's safe default with the errors
attached, and :attr:`Settings.errors` lists everything for the status panel and the log.
``load_settings`` never raises, whatever b+s Connects (or a test) hands it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from ._after_call_settings import AfterCallConfig, parse_after_call
from ._diagnostics_settings import DiagnosticsConfig, parse_diagnostics
from ._dial_policy_settings import DialPolicyConfig, parse_dial_policy
from ._errors import SettingError, show
from ._numbering_settings import NumberingConfig, parse_numbering
from ._screen_pop_settings import ScreenPopConfig, parse_screen_pop

__all__ = ["Settings", "load_settings", "SETTING_NAMES"]

SETTING_NAMES: tuple[str, ...] = ("setting1", "setting2", "setting3", "setting4", "setting5")


class Settings(BaseModel):
    """The parsed configuration: one config per feature plus every error found."""

    model_config = ConfigDict(frozen=True)

    numbering: NumberingConfig = NumberingConfig()
    dial_policy: DialPolicyConfig = DialPolicyConfig()
    screen_pop: ScreenPopConfig = ScreenPopConfig()
    after_call: AfterCallConfig = AfterCallConfig()
    diagnostics: DiagnosticsConfig = DiagnosticsConfig()
    errors: tuple[SettingError, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every setting was understood."""
        return not self.errors

    def error_messages(self) -> list[str]:
        """One line per error, ready for writeLog/showError."""
        return [str(error) for error in self.errors]


def _entries(raw: Any) -> Iterable[tuple[Any, Any]]:
    """(name, value) pairs from a mapping, getCustomSettings' key/value list, or the SDK's model.

    The SDK's ``CustomSettings`` exposes its values as ``.mapping``; reading it by duck typing
    keeps this module free of SDK imports.
    """
    mapping = getattr(raw, "mapping", None) if not isinstance(raw, Mapping) else None
    if isinstance(mapping, Mapping):
        raw = mapping
    if isinstance(raw, Mapping):
        return list(raw.items())
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        return []
    entries: list[tuple[Any, Any]] = []
    for item in raw:
        if isinstance(item, Mapping):
            lowered = {str(key).casefold(): value for key, value in item.items()}
            entries.append((lowered.get("key"), lowered.get("value")))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            entries.append((item[0], item[1]))
    return entries


def _texts(raw: Any) -> tuple[dict[str, str], list[SettingError]]:
    """The text of each known setting; a missing or null setting is the empty string (defaults)."""
    texts = dict.fromkeys(SETTING_NAMES, "")
    errors: list[SettingError] = []
    seen: set[str] = set()
    for name, value in _entries(raw):
        setting = name.strip().casefold() if isinstance(name, str) else None
        if setting not in texts:
            continue  # b+s only knows setting1..5; anything else is not ours to judge
        if setting in seen:
            errors.append(SettingError(setting=setting, problem="appears more than once", expected="one value"))
            continue
        seen.add(setting)
        if value is None:
            continue
        if not isinstance(value, str):
            errors.append(
                SettingError(
                    setting=setting,
                    problem=f"is not text ({type(value).__name__}):",
                    found=show(value),
                    expected="a string of key=value pairs",
                )
            )
            continue
        texts[setting] = value
    return texts, errors


def load_settings(raw: Any) -> Settings:
    """Parse getCustomSettings' result (a ``{"setting1": "...", ...}`` mapping or its key/value list).

    Never raises: every problem ends up in :attr:`Settings.errors` and disables only its feature.
    """
    try:
        texts, errors = _texts(raw)
        broken = {error.setting for error in errors}

        def text(name: str) -> str:
            return "" if name in broken else texts[name]

        numbering = parse_numbering(text("setting1"))
        dial_policy = parse_dial_policy(
            text("setting2"), home_region=numbering.region, numbering_failed=not numbering.ok
        )
        configs: dict[str, Any] = {
            "numbering": numbering,
            "dial_policy": dial_policy,
            "screen_pop": parse_screen_pop(text("setting3")),
            "after_call": parse_after_call(text("setting4")),
            "diagnostics": parse_diagnostics(text("setting5")),
        }
        # A setting refused before parsing (duplicate, not text) still disables its feature.
        for name, field in zip(SETTING_NAMES, configs, strict=True):
            own = tuple(error for error in errors if error.setting == name)
            if own:
                configs[field] = type(configs[field])(errors=own + configs[field].errors)
        collected = [error for config in configs.values() for error in config.errors]
        return Settings(**configs, errors=tuple(collected))
    except Exception as exc:  # noqa: BLE001 - last line of defence; the parsers already never raise
        error = SettingError(
            setting="settings",
            problem=f"could not be read ({type(exc).__name__}):",
            found=show(str(exc)),
            expected="a mapping of setting1..setting5 to strings",
        )
        return Settings(errors=(error,))
