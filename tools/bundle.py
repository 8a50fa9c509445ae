"""The integration's modules as one archive the worker unpacks: static/bundle/integration.zip.

Why: PyScript fetched the ~55 modules one request each, only after the interpreter had started
(~250 ms of every start here); one archive takes ~90 ms. pyscript.toml lists just the archive
(`"./static/bundle/integration.zip" = "./*"`, which PyScript unpacks into the working directory).

The archive is made from `integration/` at set-up (`make serve` / `make test`), and serve.py makes
it again whenever a source is newer, so an edited module is never served stale. For a static web
server, run `python -m tools.bundle` (or the set-up) before copying the folder.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "integration"
ARCHIVE = ROOT / "static" / "bundle" / "integration.zip"
ARCHIVE_URL = "./static/bundle/integration.zip"
ENTRY = "integration/worker_main.py"  # loaded by URL as the worker's script, not from the archive
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # same sources, same bytes: the ETag changes only with content


def shipped_modules(root: Path = ROOT) -> list[str]:
    """The files the worker needs, relative to the project root (what the archive holds)."""
    return sorted(
        path.relative_to(root).as_posix() for path in (root / "integration").rglob("*")
        if path.suffix in (".py", ".typed") and "__pycache__" not in path.parts
        and path.relative_to(root).as_posix() != ENTRY
    )


def sources(root: Path = ROOT) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in shipped_modules(root)}


def archive_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def is_stale(root: Path = ROOT, archive: Path = ARCHIVE) -> bool:
    """True when the archive is missing, or a module is newer than it or missing from it."""
    try:
        built = archive.stat().st_mtime_ns
        with zipfile.ZipFile(archive) as existing:
            listed = set(existing.namelist())
    except (OSError, zipfile.BadZipFile):
        return True
    modules = shipped_modules(root)
    return listed != set(modules) or any((root / name).stat().st_mtime_ns > built for name in modules)


def build(root: Path = ROOT, archive: Path = ARCHIVE) -> int:
    """Write the archive atomically; return how many modules it holds."""
    files = sources(root)
    archive.parent.mkdir(parents=True, exist_ok=True)
    temporary = archive.with_name(f".{archive.name}.{os.getpid()}.tmp")
    temporary.write_bytes(archive_bytes(files))
    # Never older than its newest source (a source stamped in the future would look newer forever).
    newest = max((root / name).stat().st_mtime_ns for name in files) if files else 0
    if newest > temporary.stat().st_mtime_ns:
        os.utime(temporary, ns=(newest, newest))
    temporary.replace(archive)
    return len(files)


def ensure(root: Path = ROOT, archive: Path = ARCHIVE) -> bool:
    """Build the archive if it is stale; True when it was (re)built."""
    if not is_stale(root, archive):
        return False
    build(root, archive)
    return True


def main() -> int:
    count = build()
    print(f"[bundle] {ARCHIVE.relative_to(ROOT)}: {count} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
