"""``bsconnects new NAME [DIR]``: a new integration project, made from the template files.

The template is a folder of real files (``templates/project``) shipped with the package: the
configuration, a small working integration, its unit tests, a simulator scenario, a README.
``__NAME__`` in a file's name or text becomes the project's name; ``dot-`` at the start of a file
name becomes ``.`` (dot-files are easily lost when packaging). The folder is written under a
temporary name and renamed at the end, so a failure never leaves half a project behind.
"""

from __future__ import annotations

import argparse
import keyword
import os
import shutil
import sys
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .project import TOOLKIT_ROOT, ProjectError

PLACEHOLDER = "__NAME__"
DOT_PREFIX = "dot-"
RESERVED = frozenset({"integration", "bsconnects", "tests", "js", "pyodide", "pyscript", "pydantic",
                      "pydantic_core", "pytest", "phonenumbers"})
"""Names a project's package must not take: it would hide the toolkit or a module it needs."""

NEXT_STEPS = (
    ("bsconnects test", "run the unit tests (FakeConnects) and, with a Chromium, a smoke test"),
    ("bsconnects serve", "open the integration in the b+s Connects simulator"),
    ("bsconnects build", "write the deployable folder dist/"),
)


def template() -> Traversable:
    """The project template shipped with the package."""
    return files("bsconnects") / "templates" / "project"


def check_name(name: str) -> None:
    """Refuse a name that cannot be the project's package; the message says why and what works."""
    example = "e.g. acme_connects"
    if not name.isidentifier() or not name.isascii():
        raise ProjectError(f"{name!r} is not a valid Python package name: use letters, digits and "
                           f"underscores, not starting with a digit ({example})")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ProjectError(f"{name!r} is a Python keyword: choose another name ({example})")
    if name in RESERVED or name in sys.stdlib_module_names or name.startswith("_"):
        raise ProjectError(f"{name!r} would hide a module of the same name (the toolkit's, Python's or a "
                           f"package it needs): choose another name ({example})")


def target_folder(name: str, folder: str | None) -> Path:
    """Where the project goes; refused when it exists or lies inside the toolkit's own folder."""
    target = Path(folder if folder is not None else name).expanduser().resolve()
    if target.exists() or target.is_symlink():
        raise ProjectError(f"{target} already exists: nothing was written (choose a new folder)")
    if target.is_relative_to(TOOLKIT_ROOT) and (TOOLKIT_ROOT / ".git").exists():
        raise ProjectError(f"{target} is inside the toolkit's own folder: a project lives in a folder "
                           f"(and repository) of its own, e.g. {Path.home() / name}")
    return target


def render(source: Traversable, destination: Path, name: str) -> list[Path]:
    """Copy the template folder ``source`` into ``destination``; the files written, relative."""
    written: list[Path] = []
    for item in sorted(source.iterdir(), key=lambda entry: entry.name):
        if item.name == "__pycache__" or item.name.endswith(".pyc"):
            continue
        target_name = item.name.replace(PLACEHOLDER, name)
        if target_name.startswith(DOT_PREFIX):
            target_name = "." + target_name.removeprefix(DOT_PREFIX)
        target = destination / target_name
        if item.is_dir():
            target.mkdir()
            written += [target_name / path for path in render(item, target, name)]
        else:
            target.write_text(item.read_text(encoding="utf-8").replace(PLACEHOLDER, name), encoding="utf-8")
            written.append(Path(target_name))
    return written


def create(name: str, folder: str | None = None) -> tuple[Path, list[Path]]:
    """Write a new project; returns its folder and its files. :class:`ProjectError` if refused."""
    check_name(name)
    target = target_folder(name, folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        written = render(template(), staging, name)
        os.rename(staging, target)  # fails, rather than merging, if the folder appeared meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    target.chmod(0o777 & ~_umask())
    return target, written


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def new_command(args: argparse.Namespace) -> int:
    """``bsconnects new``: create the project, say what was made and what to run next."""
    target, written = create(args.name, args.dir)
    try:
        shown = target.relative_to(Path.cwd())
    except ValueError:
        shown = target
    print(f"Created the integration project {args.name} in {shown}/:")
    for path in sorted(written, key=lambda item: (len(item.parts), str(item))):
        print(f"  {path.as_posix()}")
    print("\nNext:")
    width = max(len(command) for command, _ in NEXT_STEPS)
    print(f"  cd {shown}")
    for command, purpose in NEXT_STEPS:
        print(f"  {command:<{width}}   {purpose}")
    return 0
