"""The keys of ``bsconnects.toml``, validated: ``[integration]`` (what the browser runs) and
``[simulator]`` (the world the simulator plays).

Every section is strict, so a typo is reported naming the key instead of being ignored; values
are checked against what they feed (entry form, packages of the pinned runtime, channel ids and
reason codes as the flavour's getChannel and getReasonCodeList answer them).
:func:`bsconnects.project.load_project` reads the file and reports what these models refuse.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .toolkit_root import RUNTIME_LOCK

ENTRY_PATTERN = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$")
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MODULE_PATTERN = re.compile(r"^[A-Za-z_]\w*$")
SDK_PACKAGE = "integration"
"""The toolkit's own package (the SDK, the worker start, the reference integration)."""
MANIFEST_MEMBER = f"{SDK_PACKAGE}/_project.json"
"""The bundle's member the worker start reads (integration/_entry.py), made from ``[integration]``."""
ALWAYS_PACKAGES = ("pydantic",)
"""Imported by every start: the SDK's models are pydantic models."""


def package_key(name: str) -> str:
    """A package's name as Pyodide's lock keys it (PEP 503: lower case, runs of -_. as -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def runtime_packages() -> frozenset[str]:
    """The Pyodide packages the pinned runtime vendors (runtime.lock.json), by lock key. The lock
    ships with the toolkit: an unreadable one is a broken install, said as such (a name that
    cannot be checked would only fail later, in the browser)."""
    try:
        lock = json.loads(RUNTIME_LOCK.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"the toolkit's {RUNTIME_LOCK} cannot be read ({error}): install the toolkit again") from None
    return frozenset(package_key(wheel["name"]) for wheel in lock.get("wheels", {}).get("files", []))


class _Section(BaseModel):
    """Strict: an unknown key is a typo to report, not a setting to ignore."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class IntegrationConfig(_Section):
    """``[integration]``: what the browser runs."""

    entry: str = Field(description='"package.module:function": the integration\'s main(integration)')
    source_dir: str = Field(".", alias="source-dir",
                            description="folder (relative to the project) holding the packages")
    modules: list[str] = Field(default_factory=list, description="top-level packages/modules shipped to the browser "
                                                                 "(default: the entry's top-level package)")
    packages: list[str] = Field(default_factory=list,
                                description="Pyodide packages imported at start (pydantic always)")
    on_demand_packages: list[str] = Field(default_factory=list, alias="on-demand-packages",
                                          description="Pyodide packages whose files are fetched when first read")

    @field_validator("entry")
    @classmethod
    def _entry_form(cls, value: str) -> str:
        if not ENTRY_PATTERN.match(value):
            module, _, function = value.partition(":")
            odd = sorted({char for char in module + function if not (char.isalnum() or char in "._")})
            why = (f" ({', '.join(repr(char) for char in odd)} cannot be in a Python name: a package is imported "
                   "by its folder's name, e.g. acme_connects)" if odd else "")
            raise ValueError(f'{value!r} is not of the form "package.module:function"{why}')
        return value

    @field_validator("modules")
    @classmethod
    def _top_level_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not MODULE_PATTERN.match(name):
                raise ValueError(f"{name!r} is not a top-level package or module name (no dots, no paths)")
        return value

    @field_validator("packages", "on_demand_packages")
    @classmethod
    def _vendored(cls, value: list[str]) -> list[str]:
        known = runtime_packages()
        for name in value:
            if package_key(name) not in known:
                raise ValueError(f"{name!r} is not a package of the pinned runtime "
                                 f"(available: {', '.join(sorted(known))})")
        return value

    @model_validator(mode="after")
    def _packages_once(self) -> IntegrationConfig:
        both = {package_key(name) for name in self.packages} & {package_key(name) for name in self.on_demand_packages}
        if both:
            raise ValueError(f"on-demand-packages: {', '.join(sorted(both))} also in packages (pick one)")
        return self

    @property
    def entry_module(self) -> str:
        return self.entry.partition(":")[0]

    @property
    def entry_function(self) -> str:
        return self.entry.partition(":")[2]

    @property
    def shipped_modules(self) -> list[str]:
        """The project's top-level packages/modules the browser gets (``integration`` is the
        toolkit's own, reference integration included)."""
        return self.modules or [self.entry_module.split(".")[0]]

    @property
    def page_packages(self) -> list[str]:
        """The Pyodide packages the page's configuration installs before Python runs: pydantic
        (the SDK's), then ``packages``, by lock key, each once."""
        keys = [package_key(name) for name in (*ALWAYS_PACKAGES, *self.packages)]
        return list(dict.fromkeys(keys))

    @property
    def on_demand_keys(self) -> list[str]:
        """``on-demand-packages`` by lock key, each once."""
        return list(dict.fromkeys(package_key(name) for name in self.on_demand_packages))

    def manifest(self) -> dict[str, Any]:
        """What the worker start reads from the bundle (integration/_entry.py): which function to
        run, which top-level modules are the project's, which packages to load when the page
        starts without the memory snapshot."""
        return {"entry": self.entry, "modules": self.shipped_modules, "packages": self.page_packages,
                "onDemandPackages": self.on_demand_keys}

    def manifest_bytes(self) -> bytes:
        """The manifest as the bundle holds it (``MANIFEST_MEMBER``): the same config, the same bytes."""
        return (json.dumps(self.manifest(), indent=1, sort_keys=True) + "\n").encode()


class _World(_Section):
    """Strict types too: ``extension = 1001`` is a number where getChannel answers a string."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)


class AgentProfile(_World):
    """``[simulator.agent]``: the agent fields of getChannel's answer. A key left out keeps the
    simulator's default, so the config names only what the integration reads."""

    agent_id: str | None = Field(None, alias="agent-id", description="agentId (Cisco Common Identity user id)")
    first_name: str | None = Field(None, alias="first-name", description="firstName")
    last_name: str | None = Field(None, alias="last-name", description="lastName")
    login_name: str | None = Field(None, alias="login-name", description="loginName")
    extension: str | None = Field(None, description="the extension the agent works with")
    team_id: str | None = Field(None, alias="team-id", description="teamId")
    active_device_id: str | None = Field(None, alias="active-device-id",
                                         description="activeDeviceId (empty on WxCC, as there)")


def _reason_id(value: object) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"{value!r} is not a reason id: a number (UCCE, CCX) or a non-empty string (WxCC)")


class ReasonCodeConfig(_World):
    """One reason code, as getReasonCodeList answers it: numbers on UCCE/CCX, strings on WxCC."""

    id: Annotated[int | str, BeforeValidator(_reason_id)]
    label: NonEmpty


ReasonCodeType = Literal["Logout", "NotReady", "Wrapup"]
"""The reasonType values of getReasonCodeList."""
InitialState = Literal["Logout", "Ready", "NotReady"]
Flavour = Literal["ucce", "ccx", "wxcc"]
SettingKey = Literal["setting1", "setting2", "setting3", "setting4", "setting5"]
CHANNEL_ID_PATTERN = re.compile(r"^(voice_-?\d+|telephony)$")


class SimulatorConfig(_World):
    """``[simulator]``: the customer's world the simulator plays.

    Every key is optional: what is left out keeps the simulator's default (the flavour's channel
    id and reason codes, a made-up agent, the agent logged out, settings kept from the page).
    """

    flavour: Flavour | None = Field(None, description="ucce | ccx | wxcc: channel id and reason id style")
    channel_id: str | None = Field(None, alias="channel-id",
                                   description="the voice channel's id: voice_<peripheral id>, voice_-1 or telephony")
    wrapup: bool | None = Field(None, description="false: hanging up ends the call without wrap-up")
    initial_state: InitialState | None = Field(None, alias="initial-state",
                                               description="the agent's state when the page opens")
    initial_reason: str | None = Field(None, alias="initial-reason",
                                       description="label of a configured reason code of initial-state")
    agent: AgentProfile = Field(default_factory=AgentProfile)
    reason_codes: dict[ReasonCodeType, list[ReasonCodeConfig]] = Field(default_factory=dict, alias="reason-codes")
    settings: dict[SettingKey, str] | None = Field(
        None, description="setting1-5 as getCustomSettings answers them (a setting left out is empty)")

    @field_validator("channel_id")
    @classmethod
    def _channel_form(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_ID_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a voice channel id: voice_<peripheral id> (UCCE), voice_-1 (CCX) "
                             "or telephony (WxCC)")
        return value

    @field_validator("reason_codes")
    @classmethod
    def _distinct(cls, value: dict[str, list[ReasonCodeConfig]]) -> dict[str, list[ReasonCodeConfig]]:
        for kind, codes in value.items():
            for what, keys in (("id", [str(c.id) for c in codes]), ("label", [c.label.casefold() for c in codes])):
                twice = sorted({key for key in keys if keys.count(key) > 1})
                if twice:
                    raise ValueError(f"{kind}: the {what} {', '.join(twice)} is given more than once")
        return value

    @model_validator(mode="after")
    def _initial_reason_is_configured(self) -> SimulatorConfig:
        if self.initial_reason is None:
            return self
        state = self.initial_state
        if state not in ("NotReady", "Logout"):
            raise ValueError(f"initial-reason: needs initial-state NotReady or Logout (not {state})")
        labels = [code.label for code in self.reason_codes.get(state, [])]
        if self.initial_reason.casefold() not in (label.casefold() for label in labels):
            raise ValueError(f"initial-reason: {self.initial_reason!r} is not a {state} reason code of "
                             f"[simulator.reason-codes] (configured: {', '.join(labels) or 'none'})")
        return self


class ProjectConfig(_Section):
    """The whole of ``bsconnects.toml``."""

    integration: IntegrationConfig
    simulator: SimulatorConfig = Field(default_factory=SimulatorConfig)
