"""Fetch, verify and prepare the browser runtime (PyScript, Pyodide, wheels) under static/vendor/.

Why this exists: the browser must load nothing from the internet, and what it loads must be
exactly what we tested. So the runtime is fetched once through the ordinary package clients
(`npm pack`, `pip download`), every file is checked against the committed `runtime.lock.json`, and
only a fully verified tree is moved into place (built in a temporary folder, then renamed), so a
failed or tampered download can never be served half-written.

What it produces in static/vendor/:
- `pyscript-<version>/`: PyScript's `dist/` (no source maps).
- `pyodide-<version>/`: Pyodide's core files, the hosted wheels, and a generated
  `pyodide-lock.json` listing exactly the hosted wheels (real file names, versions, hashes).
- `.br` and `.gz` siblings of the large compressible files, made once here (never per request).
- `manifest.json`: sha256 and size of every file served from static/vendor/, which serve.py
  re-verifies at start and when a file changes.

Usage: `python -m tools.runtime` (idempotent; a verified tree is left alone and re-checked in well
under a second, with no network). `--write-lock` recomputes runtime.lock.json from a fresh download
(for a maintainer bumping a version: it trusts the registries, so review the diff).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK_PATH = ROOT / "runtime.lock.json"
VENDOR = ROOT / "static" / "vendor"
MANIFEST = "manifest.json"
COMPLETE_MARK = ".complete"
# Bumped when this tool changes what it writes, so an old tree is rebuilt.
TOOL_VERSION = "3"
# Files worth pre-compressing (wheels and python_stdlib.zip are already compressed).
COMPRESSIBLE = (".wasm", ".mjs", ".js", ".json", ".css", ".html")
MIN_COMPRESS_BYTES = 1024


class RuntimeError_(Exception):
    """A set-up failure with a message meant for the person running the command."""


def say(message: str) -> None:
    print(f"[runtime] {message}", flush=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_lock() -> dict[str, Any]:
    return json.loads(LOCK_PATH.read_text())


def lock_fingerprint() -> str:
    return hashlib.sha256(LOCK_PATH.read_bytes() + TOOL_VERSION.encode()).hexdigest()


# ---------------------------------------------------------------- verification of an existing tree


def verify_tree(vendor: Path = VENDOR) -> int:
    """Check every file of the manifest; return how many were verified, raise on any mismatch."""
    manifest = json.loads((vendor / MANIFEST).read_text())
    for relative, entry in manifest["files"].items():
        path = vendor / relative
        if not path.is_file():
            raise RuntimeError_(f"missing vendored file {path.relative_to(ROOT)}")
        actual = sha256_file(path)
        if actual != entry["sha256"]:
            raise RuntimeError_(
                f"sha256 mismatch for {path.relative_to(ROOT)}: expected {entry['sha256']}, got {actual}"
            )
    return len(manifest["files"])


def is_current(vendor: Path = VENDOR) -> bool:
    mark = vendor / COMPLETE_MARK
    return mark.is_file() and mark.read_text().strip() == lock_fingerprint()


# ---------------------------------------------------------------- fetching


# Said with every failed download: what the one-time fetch needs from the machine.
FETCH_NEEDS = ("the runtime is fetched once, with npm and pip: this machine needs the npm registry and PyPI "
               "(or the mirrors npm and pip are configured with); afterwards everything runs offline")


def run(command: list[str], what: str) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise RuntimeError_(f"{command[0]} is not installed; it is needed to download {what} ({FETCH_NEEDS}). "
                            "Install Node.js with npm (Debian: apt-get install npm) and run the command "
                            "again") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError_(f"failed to download {what}: {' | '.join(detail) or 'no output'} ({FETCH_NEEDS})")


def fetch_npm(package: str, version: str, workdir: Path) -> Path:
    """`npm pack` the exact version and unpack it; returns the unpacked `package/` folder."""
    say(f"downloading {package}@{version} (npm)…")
    target = workdir / package.replace("/", "_").replace("@", "")
    target.mkdir(parents=True)
    run(["npm", "pack", f"{package}@{version}", "--pack-destination", str(target), "--silent"],
        f"{package}@{version} from the npm registry")
    tarballs = list(target.glob("*.tgz"))
    if len(tarballs) != 1:
        raise RuntimeError_(f"npm pack {package}@{version} produced {len(tarballs)} tarballs")
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def fetch_wheels(wheels: list[dict[str, Any]], platform: str, workdir: Path) -> Path:
    """`pip download` the pinned wheels for Pyodide's platform (pure wheels match `any`)."""
    target = workdir / "wheels"
    target.mkdir()
    specs = [f"{wheel['name']}=={wheel['version']}" for wheel in wheels]
    say(f"downloading {len(specs)} wheels for {platform} (pip): {', '.join(specs)}…")
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314", "--abi", "none",
         "--platform", platform, "--platform", "any", "--dest", str(target), *specs],
        "wheels from PyPI")
    return target


def copy_verified(source: Path, destination: Path, expected: str | None, origin: str) -> str:
    """Copy one file after checking its sha256 against the lock (None: record only)."""
    if not source.is_file():
        raise RuntimeError_(f"{origin} has no file {source.name}")
    actual = sha256_file(source)
    if expected is not None and actual != expected:
        raise RuntimeError_(
            f"sha256 mismatch for {destination.relative_to(destination.parents[1])} from {origin}: "
            f"expected {expected}, got {actual}. Nothing was installed."
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    return actual


# ---------------------------------------------------------------- the generated pyodide-lock.json


def build_pyodide_lock(base: dict[str, Any], wheels: list[dict[str, Any]]) -> dict[str, Any]:
    """Keep the shipped lock's `info`, list exactly the hosted wheels with their real files.

    Pyodide resolves `packages` (PyScript's passthrough) from this file only, so an entry for a
    wheel we do not host would send the browser to a CDN; hence only hosted wheels are listed.
    """
    packages: dict[str, Any] = {}
    for wheel in wheels:
        key = wheel["name"].lower().replace("_", "-")
        shipped = base["packages"].get(key, {})
        packages[key] = {
            "name": shipped.get("name", wheel["name"]),
            "version": wheel["version"],
            "file_name": wheel["file"],
            "install_dir": "site",
            "sha256": wheel["sha256"],
            "package_type": "package",
            "imports": wheel["imports"],
            "depends": wheel["depends"],
            "unvendored_tests": False,
            "shared_library": False,
        }
    return {"info": base["info"], "packages": packages}


# ---------------------------------------------------------------- build


def compress_siblings(folder: Path) -> None:
    import brotli  # a serve/test dependency, imported here only

    targets = [p for p in sorted(folder.rglob("*"))
               if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_COMPRESS_BYTES]
    total = sum(p.stat().st_size for p in targets)
    say(f"pre-compressing {len(targets)} files ({total / 1e6:.1f} MB) with brotli and gzip, once…")
    for path in targets:
        data = path.read_bytes()
        path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def write_manifest(folder: Path) -> int:
    files = {
        str(p.relative_to(folder)): {"sha256": sha256_file(p), "size": p.stat().st_size}
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, COMPLETE_MARK)
    }
    (folder / MANIFEST).write_text(json.dumps({"files": files}, indent=1, sort_keys=True) + "\n")
    return len(files)


def build(lock: dict[str, Any], staging: Path, workdir: Path, record: bool = False) -> None:
    """Fetch everything into `staging`, verifying each file (or recording hashes if `record`)."""
    for entry in lock["npm"]:
        unpacked = fetch_npm(entry["package"], entry["version"], workdir)
        source_root = unpacked / entry.get("strip", "")
        if record:
            entry["files"] = {
                str(p.relative_to(source_root)): sha256_file(p)
                for p in sorted(source_root.rglob("*"))
                if p.is_file() and not p.name.endswith(tuple(entry.get("exclude", [])))
            }
        for relative, digest in entry["files"].items():
            copy_verified(source_root / relative, staging / entry["dest"] / relative, digest,
                          f"npm package {entry['package']}@{entry['version']}")
        if "base_lock" in entry:
            base_path = source_root / entry["base_lock"]["file"]
            digest = sha256_file(base_path)
            if record:
                entry["base_lock"]["sha256"] = digest
            elif digest != entry["base_lock"]["sha256"]:
                raise RuntimeError_(f"sha256 mismatch for the shipped {base_path.name} of "
                                    f"{entry['package']}@{entry['version']}. Nothing was installed.")
            base_lock = json.loads(base_path.read_text())

    wheels = lock["wheels"]
    downloaded = fetch_wheels(wheels["files"], wheels["platform"], workdir)
    for wheel in wheels["files"]:
        digest = copy_verified(downloaded / wheel["file"], staging / wheels["dest"] / wheel["file"],
                               None if record else wheel["sha256"], f"PyPI {wheel['name']}=={wheel['version']}")
        wheel["sha256"] = digest

    generated = build_pyodide_lock(base_lock, wheels["files"])
    (staging / wheels["dest"] / "pyodide-lock.json").write_text(json.dumps(generated, indent=1) + "\n")
    compress_siblings(staging)
    count = write_manifest(staging)
    say(f"verified {count} files")


def install(force: bool = False, record: bool = False) -> None:
    lock = load_lock()
    if not force and not record and is_current():
        count = verify_tree()
        say(f"runtime ready: {count} files verified against runtime.lock.json (no download needed)")
        return
    VENDOR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="runtime-fetch-") as work, \
            tempfile.TemporaryDirectory(prefix=".vendor-staging-", dir=VENDOR.parent) as staging_dir:
        staging = Path(staging_dir) / "vendor"
        staging.mkdir()
        build(lock, staging, Path(work), record=record)
        if record:
            LOCK_PATH.write_text(json.dumps(lock, indent=2) + "\n")
            say(f"wrote {LOCK_PATH.name}: review the diff before committing")
        (staging / COMPLETE_MARK).write_text(lock_fingerprint() + "\n")
        # Swap in the finished tree: the old one (if any) is moved aside and deleted after.
        old = Path(staging_dir) / "old"
        if VENDOR.exists():
            VENDOR.rename(old)
        staging.rename(VENDOR)
    say(f"runtime installed in {VENDOR.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="fetch again even if the tree is current")
    parser.add_argument("--write-lock", action="store_true",
                        help="record fresh hashes into runtime.lock.json (maintainers, when bumping versions)")
    parser.add_argument("--check", action="store_true", help="only verify the installed tree")
    args = parser.parse_args(argv)
    try:
        if args.check:
            say(f"{verify_tree()} files verified")
        else:
            install(force=args.force, record=args.write_lock)
    except RuntimeError_ as error:
        print(f"[runtime] ERROR: {error}", file=sys.stderr)
        return 1
    except PermissionError as error:
        print(f"[runtime] ERROR: the runtime goes into {VENDOR}, which this user cannot write ({error}). "
              "Install the toolkit where you can write (a virtual environment, or pip install --user)",
              file=sys.stderr)
        return 1
    except (OSError, json.JSONDecodeError, KeyError) as error:
        print(f"[runtime] ERROR: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
