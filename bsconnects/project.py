"""A project's configuration: ``bsconnects.toml`` at the root of an integrator's repository.

One file says everything the toolkit needs to know about an integration: which function starts
it, which of the project's packages the browser loads, which Pyodide packages it needs, and the
world the simulator plays (agent, channels, reason codes, settings 1-5). Every command reads it
through :func:`load_project`, so a mistake is reported once, naming the key, before anything is
written or served. The keys and their checks are the models of ``bsconnects.project_config``;
here is the loaded project: where its files are and where what is made from them goes.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .project_config import ProjectConfig
from .toolkit_root import TOOLKIT_ROOT

CONFIG_NAME = "bsconnects.toml"


class ProjectError(Exception):
    """The project's configuration cannot be used; the message says which key and why."""


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
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def entry_digest(self) -> str:
        """Changes whenever what a start runs changes: the entry, its modules or its packages
        (the memory snapshot is made again then)."""
        return hashlib.sha256(json.dumps(self.config.integration.manifest(), sort_keys=True).encode()).hexdigest()

    @property
    def work_dir(self) -> Path:
        """Where the files made from the project go (bundle, snapshot, page configuration)."""
        return TOOLKIT_ROOT / "static" if self.is_toolkit else self.root / ".bsconnects"

    def make_work_dir(self) -> Path:
        """Create the work folder; a project's own ignores itself in git (the files in it are
        made again from the sources whenever they are needed)."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        ignore = self.work_dir / ".gitignore"
        if not self.is_toolkit and not ignore.exists():
            ignore.write_text("# Made by the bsconnects toolkit from the project's sources; never committed.\n*\n")
        return self.work_dir

    @property
    def bundle_path(self) -> Path:
        """The archive of the project's modules that the worker unpacks."""
        return self.work_dir / "bundle" / "integration.zip"

    @property
    def snapshot_dir(self) -> Path:
        """The memory snapshot made for this project's entry."""
        return self.work_dir / "snapshot"

    @property
    def pyscript_config_path(self) -> Path:
        """The page's configuration made from ``[integration]`` (bsconnects/page.py), served as
        /pyscript.toml. The toolkit's is the committed pyscript.toml (a unit test keeps it equal
        to what bsconnects/page.py makes of the toolkit's bsconnects.toml)."""
        return TOOLKIT_ROOT / "pyscript.toml" if self.is_toolkit else self.work_dir / "pyscript.toml"


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown key"
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
