"""The reference integration's pure core: settings, dial rules, screen pop, after-call state.

Everything here is plain Python (pydantic + phonenumbers), runs unchanged in CPython and in
Pyodide, and takes narrow inputs (strings, mappings or SDK models), so it is unit-tested without
a browser; the wiring to b+s Connects events and requests lives elsewhere.
"""

from ._after_call import ReasonCodeCache, ReasonResolution, resolve_reason
from ._after_call_settings import CLASSIFICATIONS, AfterCallConfig, AfterCallState
from ._countries import country_name
from ._diagnostics_settings import DiagnosticsConfig, FailMode, LogLevel
from ._dial import DialAction, DialDecision, decide
from ._dial_policy_settings import CATEGORIES, DialPolicyConfig
from ._errors import SettingError
from ._numbering_settings import NumberFormat, NumberingConfig
from ._phone import NumberKind
from ._screen_pop import ScreenPopMemory, build_session_parameters, resolve_source
from ._screen_pop_settings import PopTrigger, ScreenPopConfig, TemplateParam
from ._settings import SETTING_NAMES, Settings, load_settings

__all__ = [
    "AfterCallConfig",
    "AfterCallState",
    "CATEGORIES",
    "CLASSIFICATIONS",
    "DiagnosticsConfig",
    "DialAction",
    "DialDecision",
    "DialPolicyConfig",
    "FailMode",
    "LogLevel",
    "NumberFormat",
    "NumberKind",
    "NumberingConfig",
    "PopTrigger",
    "ReasonCodeCache",
    "ReasonResolution",
    "SETTING_NAMES",
    "ScreenPopConfig",
    "ScreenPopMemory",
    "SettingError",
    "Settings",
    "TemplateParam",
    "build_session_parameters",
    "country_name",
    "decide",
    "load_settings",
    "resolve_reason",
    "resolve_source",
]
