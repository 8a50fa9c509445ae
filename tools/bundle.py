"""A project's modules as one archive the worker unpacks: `<work dir>/bundle/integration.zip`.

Why: PyScript fetched the modules one request each, only after the interpreter had started, a
cost paid at every start; one archive is one request. pyscript.toml lists just the archive
(`"./static/bundle/integration.zip" = "./*"`, which PyScript unpacks into the working directory).

What goes in (bsconnects.toml's `[integration]`):
- the SDK the browser needs, from the toolkit: `integration/__init__.py`, the worker start and
  `integration/sdk/`, never the test kit (`FakeConnects` and its parts run under CPython only);
- each of the project's `modules` from its `source-dir` (`integration`, the toolkit's own package
  with the reference integration, only when the project ships it, as the toolkit's project does);
- `integration/_project.json`: the entry and packages, which the worker start reads
  (integration/_entry.py).
The entry script (integration/worker_main.py) is loaded by URL, not from the archive.

The archive is made at set-up (`make serve` / `make test`, `bsconnects serve`), and serve.py
makes it again whenever a source or the configuration changed, so an edited module is never
served stale. `python -m tools.bundle [--project DIR]`.
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import os
import sys
import zipfile
from pathlib import Path

from bsconnects.project import Project, ProjectError, load_project
from bsconnects.project_config import MANIFEST_MEMBER, SDK_PACKAGE

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT / "static" / "bundle" / "integration.zip"
"""The toolkit project's archive."""
ARCHIVE_URL = "./static/bundle/integration.zip"
ENTRY = "integration/worker_main.py"  # loaded by URL as the worker's script, not from the archive
MANIFEST = MANIFEST_MEMBER  # integration/_entry.py's MANIFEST_NAME, next to it
# The toolkit files every project's browser needs: the package, the worker start, the SDK.
SDK_FILES = ("integration/__init__.py", "integration/_entry.py", "integration/_frozen.py",
             "integration/_worker_start.py", "integration/sdk/*")
# The test kit: imported by tests under CPython, never by the browser.
TEST_KIT = ("integration/sdk/testing.py", "integration/sdk/_fake_*.py", "integration/testing/*")
# What a shipped package holds besides its modules: files a module may read (text only).
SHIPPED_SUFFIXES = (".py", ".typed", ".json", ".toml", ".txt", ".csv")
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # same sources, same bytes: the ETag changes only with content


def toolkit_project() -> Project:
    return load_project(ROOT)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def is_test_kit(name: str) -> bool:
    """True for a file of the test kit (by its name in the archive): never shipped."""
    return _matches(name, TEST_KIT)


def _files_of(path: Path, base: Path) -> dict[str, Path]:
    """A module file, or every shipped file of a package folder, by name relative to `base`."""
    candidates = [path] if path.is_file() else sorted(path.rglob("*"))
    return {
        candidate.relative_to(base).as_posix(): candidate for candidate in candidates
        if candidate.is_file() and candidate.suffix in SHIPPED_SUFFIXES and "__pycache__" not in candidate.parts
        and not any(part.startswith(".") for part in candidate.relative_to(base).parts)
    }


def shipped_files(project: Project | None = None) -> dict[str, Path]:
    """The files the worker needs, by their name in the archive, with where each is read from.
    :class:`ProjectError` when a configured module is not under the source folder."""
    project = project or toolkit_project()
    toolkit = _files_of(ROOT / SDK_PACKAGE, ROOT)
    files = {name: path for name, path in toolkit.items() if _matches(name, SDK_FILES)}
    for module in project.config.integration.shipped_modules:
        if module == SDK_PACKAGE:
            files.update(toolkit)
            continue
        package, single = project.source_dir / module, project.source_dir / f"{module}.py"
        if not package.is_dir() and not single.is_file():
            raise ProjectError(f"{project.config_path}: integration.modules: {module} is neither a package "
                               f"({package}) nor a module ({single})")
        files.update(_files_of(package if package.is_dir() else single, project.source_dir))
    return {name: path for name, path in sorted(files.items())
            if name != ENTRY and name != MANIFEST and not is_test_kit(name)}


def manifest_bytes(project: Project) -> bytes:
    return project.config.integration.manifest_bytes()


def sources(project: Project | None = None) -> dict[str, bytes]:
    """The archive's contents: each shipped file's bytes and the generated manifest."""
    project = project or toolkit_project()
    files = {name: path.read_bytes() for name, path in shipped_files(project).items()}
    return {**files, MANIFEST: manifest_bytes(project)}


def archive_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def is_stale(project: Project | None = None, archive: Path | None = None) -> bool:
    """True when the archive is missing, a file is newer than it or missing from it, or the
    configuration says something else than its manifest."""
    project = project or toolkit_project()
    archive = archive or project.bundle_path
    try:
        built = archive.stat().st_mtime_ns
        with zipfile.ZipFile(archive) as existing:
            listed = set(existing.namelist())
            manifest = existing.read(MANIFEST) if MANIFEST in listed else b""
    except (OSError, zipfile.BadZipFile):
        return True
    files = shipped_files(project)
    return (listed != {*files, MANIFEST} or manifest != manifest_bytes(project)
            or any(path.stat().st_mtime_ns > built for path in files.values()))


def build(project: Project | None = None, archive: Path | None = None) -> int:
    """Write the archive atomically; return how many files it holds."""
    project = project or toolkit_project()
    archive = archive or project.bundle_path
    paths = shipped_files(project)
    files = {name: path.read_bytes() for name, path in paths.items()}
    files[MANIFEST] = manifest_bytes(project)
    project.make_work_dir()
    archive.parent.mkdir(parents=True, exist_ok=True)
    temporary = archive.with_name(f".{archive.name}.{os.getpid()}.tmp")
    temporary.write_bytes(archive_bytes(files))
    # Never older than its newest source (a source stamped in the future would look newer forever).
    newest = max((path.stat().st_mtime_ns for path in paths.values()), default=0)
    if newest > temporary.stat().st_mtime_ns:
        os.utime(temporary, ns=(newest, newest))
    temporary.replace(archive)
    return len(files)


def ensure(project: Project | None = None, archive: Path | None = None) -> bool:
    """Build the archive if it is stale; True when it was (re)built."""
    project = project or toolkit_project()
    if not is_stale(project, archive):
        return False
    build(project, archive)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=str(ROOT), help="the project's folder (default: the toolkit's own)")
    args = parser.parse_args(argv)
    try:
        project = load_project(args.project)
        count = build(project)
    except ProjectError as error:
        print(f"[bundle] {error}", file=sys.stderr)
        return 2
    print(f"[bundle] {project.bundle_path.relative_to(project.root)}: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
