"""A project's configuration: ``bsconnects.toml`` at the root of an integrator's repository.

One file says everything the toolkit needs to know about an integration: which function starts
it, which of the project's packages the browser loads, which Pyodide packages it needs, and the
world the simulator plays (agent, channels, reason codes, settings 1-5). Every command reads it
through :func:`load_project`, so a mistake is reported once, naming the key, before anything is
written or served.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_NAME = "bsconnects.toml"
TOOLKIT_ROOT = Path(__file__).resolve().parent.parent
"""The toolkit's checkout: the shim, the simulator, the runtime (static/vendor) and the tools."""
ENTRY_PATTERN = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$")


class ProjectError(Exception):
    """The project's configuration cannot be used; the message says which key and why."""


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
            raise ValueError(f'{value!r} is not of the form "package.module:function"')
        return value

    @property
    def entry_module(self) -> str:
        return self.entry.partition(":")[0]

    @property
    def entry_function(self) -> str:
        return self.entry.partition(":")[2]

    @property
    def shipped_modules(self) -> list[str]:
        return self.modules or [self.entry_module.split(".")[0]]


class AgentProfile(_Section):
    """``[simulator.agent]``: who is logged in."""

    first_name: str = Field("Alex", alias="first-name")
    last_name: str = Field("Meier", alias="last-name")
    login: str = "ameier"
    extension: str = "1001"
    team: str = "Support"


class ReasonCodeConfig(_Section):
    """One reason code of ``[simulator.reason-codes]``."""

    code: int
    label: str


ReasonCodeType = Literal["NotReady", "Logout", "WrapUp"]


class SimulatorConfig(_Section):
    """``[simulator]``: the customer's world the simulator plays."""

    agent: AgentProfile = Field(default_factory=AgentProfile)
    channels: list[str] = Field(default_factory=lambda: ["voice"])
    initial_state: str = Field("NotReady", alias="initial-state")
    reason_codes: dict[ReasonCodeType, list[ReasonCodeConfig]] = Field(default_factory=dict, alias="reason-codes")
    settings: dict[Literal["setting1", "setting2", "setting3", "setting4", "setting5"], str] = Field(
        default_factory=dict)


class ProjectConfig(_Section):
    """The whole of ``bsconnects.toml``."""

    integration: IntegrationConfig
    simulator: SimulatorConfig = Field(default_factory=SimulatorConfig)


class Project(BaseModel):
    """A loaded project: its folder and its validated configuration."""

    model_config = ConfigDict(frozen=True)

    root: Path
    config: ProjectConfig

    @property
    def source_dir(self) -> Path:
        return (self.root / self.config.integration.source_dir).resolve()

    @property
    def is_toolkit(self) -> bool:
        """True for the toolkit's own project (the reference integration)."""
        return self.root == TOOLKIT_ROOT

    @property
    def work_dir(self) -> Path:
        """Where the files made from the project go (bundle, snapshot, page configuration)."""
        return TOOLKIT_ROOT / "static" if self.is_toolkit else self.root / ".bsconnects"

    @property
    def bundle_path(self) -> Path:
        """The archive of the project's modules that the worker unpacks."""
        return self.work_dir / "bundle" / "integration.zip"

    @property
    def snapshot_dir(self) -> Path:
        """The memory snapshot made for this project's entry."""
        return self.work_dir / "snapshot"


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = "unknown key" if problem["type"] == "extra_forbidden" else problem["msg"]
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)


def load_project(root: Path | str) -> Project:
    """Read and validate ``<root>/bsconnects.toml``; :class:`ProjectError` names what is wrong."""
    folder = Path(root).resolve()
    path = folder / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(f"{path}: not found (a project has a {CONFIG_NAME} at its root)") from None
    except tomllib.TOMLDecodeError as error:
        raise ProjectError(f"{path}: not valid TOML: {error}") from None
    try:
        config = ProjectConfig.model_validate(data)
    except ValidationError as error:
        raise ProjectError(f"{path}:\n{_describe(error)}") from None
    project = Project(root=folder, config=config)
    if not project.source_dir.is_dir():
        raise ProjectError(f"{path}: integration.source-dir: {project.source_dir} is not a folder")
    return project
