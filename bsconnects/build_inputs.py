"""What `bsconnects build` builds from, all checked before anything is written.

A deployed folder runs unattended on agents' machines: it must never hold a runtime file that is
not the verified one, code older than its sources, or an entry that cannot start. So every input
is checked first (the runtime against its manifest, the bundle against the sources, the entry in
the bundle, the memory snapshot against the bundle and the entry), and any problem ends the build
with the one command that fixes it, before the output folder is touched.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .prepare import Say
from .project import TOOLKIT_ROOT, Project, ProjectError
from .project_config import MANIFEST_MEMBER

if TYPE_CHECKING:  # the toolkit's tools are imported only where a build runs from it
    from tools.snapshot_pointer import SnapshotPointer

# The shim's own names for the files it loads by URL (static/shim/worker.js).
_WORKER_CONSTANT = re.compile(r'export const (INTERPRETER|CONFIG|ENTRY) = "([^"]+)";')


class BuildError(ProjectError):
    """The build cannot be made as asked; the message says why and what to run. Nothing was written."""


@dataclass(frozen=True)
class PageUrls:
    """Where the page's worker finds its interpreter module, configuration and script (page-relative)."""

    interpreter: str
    config: str
    entry: str


@dataclass
class BuildInputs:
    """Everything the output is made from, checked."""

    project: Project
    toolkit: Path
    urls: PageUrls
    page_config: Path
    bundle_url: str
    bundle: Path
    packages: list[str]
    on_demand_packages: list[str]
    snapshot_pointer: SnapshotPointer | None
    notes: list[str] = field(default_factory=list)

    @property
    def index_html(self) -> Path:
        return self.toolkit / "index.html"

    @property
    def vendor_dir(self) -> Path:
        return self.toolkit / "static" / "vendor"

    @property
    def worker_script(self) -> Path:
        return self.toolkit / self.urls.entry


def setup_command(project: Project, toolkit: Path = TOOLKIT_ROOT, runtime_only: bool = False) -> str:
    """The command that makes the runtime (and the bundle and the snapshot) for `project`."""
    if project.root == toolkit:
        return f"cd {toolkit} && make setup"
    if runtime_only:
        return f"cd {toolkit} && {sys.executable} -m tools.runtime"
    return f"cd {project.root} && bsconnects serve   (it makes the bundle and the memory snapshot)"


def page_urls(toolkit: Path) -> PageUrls:
    """The constants of static/shim/worker.js: the URLs the page's worker starts from."""
    return parse_page_urls((toolkit / "static" / "shim" / "worker.js").read_text(encoding="utf-8"))


def parse_page_urls(worker_js: str) -> PageUrls:
    found = dict(_WORKER_CONSTANT.findall(worker_js))
    missing = {"INTERPRETER", "CONFIG", "ENTRY"} - set(found)
    if missing:
        raise BuildError(f"static/shim/worker.js does not name {', '.join(sorted(missing))}: "
                         "this shim is not one the build knows how to lay out")
    return PageUrls(interpreter=found["INTERPRETER"], config=found["CONFIG"], entry=found["ENTRY"])


def page_config_path(project: Project, urls: PageUrls, toolkit: Path = TOOLKIT_ROOT) -> Path:
    """The page configuration served for `project`: the toolkit's own, or the one made for the project."""
    return toolkit / urls.config if project.root == toolkit else project.work_dir / urls.config


def check_runtime(vendor: Path, hint: str) -> None:
    """The pinned runtime is set up and current (each file's hash is checked again when copied)."""
    from tools import runtime

    if not (vendor / runtime.MANIFEST).is_file():
        raise BuildError(f"the browser runtime is not set up (no {vendor}/{runtime.MANIFEST}). Set it up with:\n"
                         f"  {hint}\nthen build again.")
    if not runtime.is_current(vendor):
        raise BuildError(f"the browser runtime in {vendor} is not the one runtime.lock.json pins (not verified). "
                         f"Set it up again with:\n  {hint}\nthen build again.")


def read_page_config(path: Path) -> tuple[dict[str, Any], str]:
    """The page configuration's settings and the URL of the one archive it unpacks (the bundle)."""
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BuildError(f"the page configuration {path} cannot be read: {error}") from None
    files = settings.get("files") or {}
    if len(files) != 1 or list(files.values()) != ["./*"]:
        raise BuildError(f"{path}: [files] must name exactly the bundle, unpacked as \"./*\" (found {files})")
    return settings, next(iter(files))


def read_bundle(path: Path, hint: str) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    except FileNotFoundError:
        raise BuildError(f"no bundle of the integration's modules ({path}). Make it with:\n  {hint}\n"
                         "then build again.") from None
    except (OSError, zipfile.BadZipFile) as error:
        raise BuildError(f"the bundle {path} cannot be read ({error}). Make it again with:\n  {hint}") from None


def stale_modules(project: Project, members: dict[str, bytes], toolkit: Path, skip: str) -> list[str]:
    """The modules whose source differs from the bundle's copy, is gone, or is not in the bundle
    (the test kit never is: it runs under CPython only)."""
    from tools.bundle import is_test_kit

    stale = []
    for name, data in members.items():
        if name == MANIFEST_MEMBER:  # made from bsconnects.toml, not copied from a source
            if data != project.config.integration.manifest_bytes():
                stale.append(name)
            continue
        source = next((base / name for base in (project.source_dir, toolkit) if (base / name).is_file()), None)
        if source is None or source.read_bytes() != data:
            stale.append(name)
    for top in project.config.integration.shipped_modules:
        folder = project.source_dir / top
        files = folder.rglob("*.py") if folder.is_dir() else [p for p in [folder.with_suffix(".py")] if p.is_file()]
        for path in files:
            name = path.relative_to(project.source_dir).as_posix()
            if "__pycache__" not in path.parts and name not in members and name != skip and not is_test_kit(name):
                stale.append(name)
    return sorted(stale)


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def check_entry(project: Project, members: dict[str, bytes]) -> None:
    """The configured entry is in the bundle, compiles, and defines its function."""
    integration = project.config.integration
    where = f'integration.entry = "{integration.entry}"'
    base = integration.entry_module.replace(".", "/")
    source = next((name for name in (f"{base}.py", f"{base}/__init__.py") if name in members), None)
    if source is None:
        raise BuildError(f"{where}: there is no module {integration.entry_module} in the bundle "
                         f"(no {base}.py or {base}/__init__.py). Check the name in bsconnects.toml.")
    try:
        tree = ast.parse(members[source], filename=source)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        raise BuildError(f"{where}: {source} does not compile"
                         f"{f' (line {line})' if line else ''}: {getattr(error, 'msg', error)}") from None
    if integration.entry_function not in _top_level_names(tree):
        raise BuildError(f"{where}: {integration.entry_module} defines no {integration.entry_function}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot_problem(project: Project, members: dict[str, bytes]) -> tuple[SnapshotPointer | None, str]:
    """The snapshot's pointer and "" when it is current for this bundle and entry; else why not."""
    from tools import snapshot

    try:
        pointer = snapshot.verify(project.snapshot_dir)
    except snapshot.SnapshotError as error:
        return None, str(error)
    current = {snapshot.module_name(name): _sha256(data) for name, data in members.items()}
    frozen = pointer.integration_frozen
    changed = sorted(name for name, digest in frozen.items() if current.get(name) != digest)
    if changed:
        return None, f"it froze older sources of {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}"
    entry_module = project.config.integration.entry_module
    if entry_module not in frozen and entry_module in pointer.left_out:
        raise BuildError(f"the entry's module {entry_module} imports under CPython but did not import in the "
                         "browser when the memory snapshot was made, so the page would fail to start. "
                         f"See why in the page's status panel: cd {project.root} && bsconnects serve")
    if entry_module not in frozen:
        return None, f"it was made for another entry (it does not hold {entry_module})"
    return pointer, ""


def bytecode_is_current(pointer: SnapshotPointer, members: dict[str, bytes]) -> bool:
    """Whether the snapshot's compiled modules were made from exactly the bundle's sources."""
    sources = {name: data.decode("utf-8", "replace") for name, data in members.items()}
    return pointer.integration_sources == _sha256(json.dumps(sorted(sources.items())).encode())


def collect(project: Project, say: Say, toolkit: Path = TOOLKIT_ROOT,
            can_make_snapshot: Callable[[], bool] | None = None) -> BuildInputs:
    """Check every input of the build; raise :class:`BuildError` (nothing written) on the first problem."""
    hint = setup_command(project, toolkit)
    urls = page_urls(toolkit)
    check_runtime(toolkit / "static" / "vendor", setup_command(project, toolkit, runtime_only=True))
    say("runtime: set up and current")
    config_path = page_config_path(project, urls, toolkit)
    settings, bundle_url = read_page_config(config_path)
    members = read_bundle(project.bundle_path, hint)
    stale = stale_modules(project, members, toolkit, skip=urls.entry)
    if stale:
        shown = ", ".join(stale[:3]) + (f" and {len(stale) - 3} more" if len(stale) > 3 else "")
        raise BuildError(f"the bundle {project.bundle_path} is older than the sources ({shown}). "
                         f"Make it again with:\n  {hint}\nthen build again.")
    check_entry(project, members)
    say(f"bundle: {len(members)} files, current; entry {project.config.integration.entry} found")
    pointer, problem = snapshot_problem(project, members)
    notes: list[str] = []
    if problem:
        if (can_make_snapshot or _chromium_present)():
            raise BuildError(f"the memory snapshot in {project.snapshot_dir} cannot be used: {problem}. "
                             f"Make it (about a minute) with:\n  {hint}\nthen build again.")
        notes.append(f"building WITHOUT a memory snapshot ({problem}; no Chromium here to make one): the page "
                     "starts normally, correct but slower. Make the snapshot where Chromium is "
                     f"installed ({hint}) and build again.")
    else:
        say(f"snapshot: current for this entry ({len(pointer.modules) if pointer else 0} modules frozen)")
    shipped = set(project.config.integration.shipped_modules)
    failed = [name for name in (pointer.left_out if pointer else []) if name.split(".")[0] in shipped]
    if failed:
        notes.append(f"{', '.join(failed)} did not import in the browser when the snapshot was made: if the page "
                     f"fails to start, its status panel says why ({hint} shows it in the simulator)")
    if pointer is not None and not bytecode_is_current(pointer, members):
        notes.append("the snapshot's compiled modules are older than some sources: those compile at start "
                     f"(slightly slower). Refresh them with: {hint}")
    integration = project.config.integration
    packages = list(dict.fromkeys([*settings.get("packages", []), *integration.packages]))
    return BuildInputs(project=project, toolkit=toolkit, urls=urls, page_config=config_path,
                       bundle_url=bundle_url, bundle=project.bundle_path, packages=packages,
                       on_demand_packages=list(integration.on_demand_packages),
                       snapshot_pointer=pointer, notes=notes)


def _chromium_present() -> bool:
    from tools.browser import chromium_path

    return chromium_path() is not None

