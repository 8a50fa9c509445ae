"""``bsconnects build``: the folder to deploy, with only what the page needs.

Steps: the command makes the project's bundle, page configuration and memory snapshot current
first, as ``serve`` does (bsconnects/prepare.py); then :func:`build` checks every input and names
the command that fixes a missing one (bsconnects/build_inputs.py);
lay the output out under content-derived names (bsconnects/build_layout.py) with DEPLOY.md and the
web server configurations (bsconnects/deploy_templates/); check that every URL the page names is
in it; write it into a staging folder next to the output and only then rename it into place. A
build that fails at any step leaves the previous output as it was and no half-written folder; a
folder that is not a previous build's output is never replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import deploy_rules, deploy_templates
from .build_inputs import BuildError, BuildInputs, collect, setup_command
from .build_layout import DEPLOY, Layout, OutputFile, check, plan
from .prepare import Say, prepare
from .project import TOOLKIT_ROOT, Project, load_project

DEFAULT_OUT = "dist"


@dataclass(frozen=True)
class BuildResult:
    out: Path
    layout: Layout
    files: int
    disk_bytes: int
    cold_bytes: int
    cold_files: int
    snapshot: bool


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def build_command(args: argparse.Namespace) -> int:
    project = load_project(args.project)
    out = Path(args.out) if getattr(args, "out", None) else project.root / DEFAULT_OUT
    check_out(resolved_out(out), project)  # a wrong --out is refused before any work
    prepare(project, say)
    build(project, out)
    return 0


def resolved_out(out: Path) -> Path:
    """`--out` as an absolute path with its links resolved: what check_out compares."""
    return Path(os.path.abspath(out)).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out(out: Path, project: Project, toolkit: Path = TOOLKIT_ROOT) -> None:
    """Refuse an output that would replace or sit among the project's or the toolkit's own files,
    or that is an existing folder `bsconnects build` did not make (its files would be lost)."""
    shipped = [project.source_dir / name for name in project.config.integration.shipped_modules]
    kept = [project.root, toolkit, project.source_dir, project.work_dir, project.bundle_path.parent,
            project.snapshot_dir, toolkit / "static", toolkit / "integration", *shipped]
    for folder in kept:
        if _inside(folder.resolve(), out):
            raise BuildError(f"--out {out} would replace {folder}: choose a folder of its own (default: "
                             f"{project.root / DEFAULT_OUT})")
    for folder in [project.work_dir, toolkit / "static", toolkit / "integration", *shipped]:
        if _inside(out, folder.resolve()):
            raise BuildError(f"--out {out} is inside {folder}, whose files are served or bundled: choose another")
    if out.exists() and not out.is_dir():
        raise BuildError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / deploy_rules.BUILD_MARKER).is_file():
        raise BuildError(f"--out {out} holds files `bsconnects build` did not write (no {deploy_rules.BUILD_MARKER} "
                         "in it): it is never replaced. Choose another --out, or empty it yourself.")


def _copy_checked(item: OutputFile, target: Path, hint: str) -> None:
    data = item.data
    if data is None:
        data = item.source.read_bytes()  # type: ignore[union-attr]
        if item.sha256 is not None:
            import hashlib

            if hashlib.sha256(data).hexdigest() != item.sha256:
                raise BuildError(f"{item.source} does not match its verified sha256 (changed since it was set up). "
                                 f"Set it up again with:\n  {hint}")
    target.write_bytes(data)


def write_staging(layout: Layout, out: Path, hint: str, marker: dict[str, object]) -> Path:
    """Write every file into a new folder next to `out` and return it (removed again on failure)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; a web server must read it
        for path, item in sorted(layout.files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy_checked(item, target, hint)
        (staging / deploy_rules.BUILD_MARKER).write_text(json.dumps(marker, indent=1) + "\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def put_in_place(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with renames: `out` is either the previous output or the new one."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        if old.exists():
            old.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _add_deploy_files(layout: Layout, inputs: BuildInputs) -> None:
    cold_bytes, cold_files = layout.cold_start()
    revalidated = tuple(sorted(path for path, item in layout.files.items()
                               if not item.sibling and not deploy_rules.is_immutable(path)))
    summary = deploy_templates.DeploySummary(
        entry=inputs.project.config.integration.entry, snapshot=inputs.snapshot_pointer is not None,
        files=len(layout.files) + len(deploy_rules.NOT_SERVED), cold_bytes=cold_bytes, cold_files=cold_files,
        revalidated=revalidated)
    for name, text in deploy_templates.render(summary).items():
        layout.add(OutputFile(name, DEPLOY, data=text.encode()))


def build(project: Project, out: Path, say: Say = say, toolkit: Path = TOOLKIT_ROOT,
          can_make_snapshot: Callable[[], bool] | None = None) -> BuildResult:
    """Build `project` into `out`; raise :class:`BuildError` (and write nothing) when it cannot."""
    out = resolved_out(out)
    check_out(out, project, toolkit)
    inputs = collect(project, say, toolkit, can_make_snapshot)
    for note in inputs.notes:
        say(f"NOTE: {note}")
    layout = plan(inputs)
    _add_deploy_files(layout, inputs)
    check(layout, inputs)
    say(f"laid out: {', '.join(sorted(layout.folders.values()))}, {layout.bundle_path()}")
    marker = {"made_by": "bsconnects build", "entry": project.config.integration.entry,
              "snapshot": inputs.snapshot_pointer is not None, "folders": layout.folders}
    staging = write_staging(layout, out, setup_command(project, toolkit, runtime_only=True), marker)
    put_in_place(staging, out)
    files = len(layout.files) + 1
    siblings = sum(1 for item in layout.files.values() if item.sibling)
    disk = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    cold_bytes, cold_files = layout.cold_start()
    say(f"wrote {out}: {files} files ({siblings} of them pre-compressed .br/.gz siblings), "
        f"{disk / 1e6:.1f} MB on disk")
    say(f"a cold start downloads {cold_bytes / 1e6:.2f} MB (brotli) in {cold_files} files"
        f"{'' if inputs.snapshot_pointer is not None else ' (no memory snapshot: see the NOTE above)'}; "
        f"deploy it as {out / 'DEPLOY.md'} says")
    return BuildResult(out=out, layout=layout, files=files, disk_bytes=disk, cold_bytes=cold_bytes,
                       cold_files=cold_files, snapshot=inputs.snapshot_pointer is not None)
