"""Make the snapshot, refresh its integration bytecode, and verify one already made.

`make` runs the two phases in Chromium (tools/snapshot_browser.py), stores the bytes
(tools/snapshot_parts.py) and the wheels (tools/snapshot_wheels.py) in a staging folder, writes
the pointer (tools/snapshot_pointer.py) last and swaps the folder in whole.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

from bsconnects.project import Project
from tools import bundle, runtime, snapshot_delta, wasm
from tools.snapshot_browser import (
    EXTRA_TARGETS,
    HERE,
    NO_CHROMIUM,
    SCRIPTS,
    WORKER_JS,
    integration_files,
    make_in_browser,
    module_name,
    plan,
)
from tools.snapshot_common import PYODIDE_DIR, ROOT, SnapshotError, say, sha256
from tools.snapshot_parts import delta_against_natives, delta_against_wasm, write_compressed_siblings, write_parts
from tools.snapshot_pointer import FORMAT, POINTER, Native, SnapshotPointer, read_pointer, write_pointer
from tools.snapshot_wheels import copy_wheel, extract_native_modules, extract_stdlib_index, write_site_index

OUT = ROOT / "static" / "snapshot"


def fingerprint() -> str:
    """Changes whenever the runtime or the way the snapshot is made changes."""
    digest = hashlib.sha256(runtime.lock_fingerprint().encode())
    helpers = [Path(snapshot_delta.__file__), Path(wasm.__file__)]
    generator = sorted({*HERE.glob("snapshot.py"), *HERE.glob("snapshot_*.py")} - set(helpers))
    for path in [*generator, *helpers, WORKER_JS, *sorted(SCRIPTS.glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(EXTRA_TARGETS).encode())
    return digest.hexdigest()


def verify(out: Path = OUT) -> SnapshotPointer:
    """The pointer, after checking that it is current and its snapshot files are intact."""
    pointer = read_pointer(out)
    if pointer.fingerprint != fingerprint():
        raise SnapshotError("the snapshot was made for another runtime or generator: make it again")
    for name, digest in pointer.files.items():
        path = out / name
        if not path.is_file() or runtime.sha256_file(path) != digest:
            raise SnapshotError(f"{name} is missing or does not match its sha256")
    if not pointer.parts or any(part.file not in pointer.files for part in pointer.parts):
        raise SnapshotError("the pointer names no snapshot file, or one it does not list")
    return pointer


def _tell(discovered: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Say what the browser's phases reported; return the modules left out of the snapshot."""
    if discovered["failed"]:
        say(f"note: the integration's modules that did not import: {discovered['failed']}")
    library_files = report.get("libraryFiles") or {}
    for copy in library_files.get("released", []):
        say(f"gave back dlopen's {copy['bytes'] / 1e6:.1f} MB copy of {copy['name'].rsplit('/', 1)[-1]}")
    for copy in library_files.get("kept", []):
        say(f"note: kept dlopen's copy of {copy['name']} ({copy['why']}): the snapshot is bigger by its size")
    buffers = report.get("streamBuffers") or {}
    if buffers.get("cleared"):
        say(f"cleared the buffers of {', '.join(entry['name'] for entry in buffers['cleared'])} "
            f"({sum(entry['bytes'] for entry in buffers['cleared']) / 1e3:.0f} kB)")
    for entry in buffers.get("left", []):
        say(f"note: left {entry['name']}'s buffer as it was ({entry['candidates']} candidates): the snapshot is bigger")
    scrub = report.get("scrub") or {}
    if scrub:
        say(f"cleared {scrub['heapCleared'] / 1e6:.1f} MB of freed heap and {scrub['stackCleared'] / 1e6:.1f} MB of "
            f"unused stack before the snapshot (memory grew by {scrub['memoryGrew']} bytes)")
    left_out = sorted(report["failed"])
    if left_out:
        say(f"note: modules left out (they failed to import while freezing): {left_out}")
    return left_out


def make(project: Project | None = None, out: Path | None = None) -> SnapshotPointer:
    """Make the project's snapshot now (into `out`, by default its `snapshot_dir`) and swap it in
    atomically; returns the new pointer."""
    from tools.browser import chromium_path, running_server

    if chromium_path() is None:
        raise SnapshotError(NO_CHROMIUM)
    project = project or bundle.toolkit_project()
    out = out or project.snapshot_dir
    started = time.monotonic()
    with running_server() as base:
        discovered, frozen, data = make_in_browser(base, plan(project))
    report = frozen["report"]
    left_out = _tell(discovered, report)
    project.make_work_dir()
    staging = out.with_name(out.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    data, delta = delta_against_wasm(data)
    data, native_deltas = delta_against_natives(data, report["natives"])
    say(f"compressing {len(data) / 1e6:.1f} MB once (brotli, gzip; the slowest step)…")
    parts = write_parts(data, staging)
    lock = json.loads((ROOT / PYODIDE_DIR / "pyodide-lock.json").read_text())
    extracted, stand_ins = extract_native_modules(lock, staging)
    placed = {record["module"]: record for record in report["natives"]}
    if set(placed) != {native["module"] for native in extracted}:
        raise SnapshotError(f"not every compiled extension was loaded before the snapshot: {sorted(placed)}")
    natives = [Native(**native, memory=placed[native["module"]]["memory"], table=placed[native["module"]]["table"],
                      handles=placed[native["module"]]["handles"], delta=native_deltas.get(native["module"]))
               for native in extracted]
    say(f"libraries loaded when frozen: {report['libraries']}; table {report['tableSize']}")
    for entry in lock["packages"].values():
        wheel = staging / entry["file_name"]
        copy_wheel(ROOT / PYODIDE_DIR / entry["file_name"], wheel, stand_ins.get(entry["file_name"], {}))
        entry["sha256"] = runtime.sha256_file(wheel)
    (staging / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    site_packages = write_site_index(lock, staging)
    stdlib_index = extract_stdlib_index(ROOT / PYODIDE_DIR / "python_stdlib.zip", staging)
    for blob in [native.file for native in natives] + [stdlib_index.file]:
        write_compressed_siblings(staging / blob)
    pointer = SnapshotPointer(
        format=FORMAT, fingerprint=fingerprint(), pyodide=frozen["version"], parts=parts, sha256=sha256(data),
        size=len(data), brotli_size=sum((staging / (part.file + ".br")).stat().st_size for part in parts),
        delta=delta, modules=discovered["modules"], left_out=left_out, project=project.entry_digest,
        made=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), native=natives, table_size=report["tableSize"],
        integration_frozen=report["integration_sources"], site_packages=site_packages, stdlib_index=stdlib_index,
        # Set with the bytecode, just below.
        integration_bytecode="", integration_sources="", integration_modules=0, files={},
    )
    pointer = write_integration_bytecode(staging, pointer, discovered["integration_bytecode"], project)
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    say(f"made {out.relative_to(project.root)}: {len(discovered['modules'])} modules frozen, "
        f"{len(data) / 1e6:.1f} MB ({pointer.brotli_size / 1e6:.1f} MB brotli) "
        f"in {time.monotonic() - started:.0f} s")
    return pointer


def frozen_integration_changed(pointer: SnapshotPointer, project: Project | None = None) -> list[str]:
    """The integration modules frozen in the snapshot whose source changed (or is gone) since.

    A worker would notice and import them all again at every start (integration/_frozen.py):
    correct, but slower, so the set-up makes the snapshot again instead.
    """
    current = {module_name(path): sha256(text.encode()) for path, text in integration_files(project).items()}
    return sorted(name for name, digest in pointer.integration_frozen.items() if current.get(name) != digest)


def integration_digest(project: Project | None = None) -> str:
    """Changes whenever a source file PyScript ships to the worker changes."""
    return sha256(json.dumps(sorted(integration_files(project).items())).encode())


def write_integration_bytecode(folder: Path, pointer: SnapshotPointer, bytecode: dict[str, str],
                               project: Project | None = None) -> SnapshotPointer:
    """Add the integration's compiled modules as `integration-<hash>.zip`, (re)write the pointer
    with them and every file's sha256, and return it.

    static/shim/interpreter.mjs unpacks it before PyScript writes the sources: checked-hash
    bytecode, so a module whose source changed since is simply compiled again at import.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, encoded in sorted(bytecode.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), base64.b64decode(encoded),
                             zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    name = f"integration-{sha256(data)[:16]}.zip"
    (folder / name).write_bytes(data)
    for stale in folder.glob("integration-*.zip"):
        if stale.name != name:
            stale.unlink()
    files = {path.name: runtime.sha256_file(path) for path in sorted(folder.iterdir()) if path.name != POINTER}
    pointer = pointer.model_copy(update={"integration_bytecode": name, "integration_modules": len(bytecode),
                                         "integration_sources": integration_digest(project), "files": files})
    write_pointer(folder, pointer)
    return pointer


def refresh_integration_bytecode(project: Project | None = None, out: Path | None = None) -> None:
    """Only integration modules that are not frozen changed: compile them again (one Pyodide start,
    seconds), keep the snapshot."""
    from tools.browser import running_server

    project = project or bundle.toolkit_project()
    out = out or project.snapshot_dir
    pointer = verify(out)
    with running_server() as base:
        discovered, _, _ = make_in_browser(base, plan(project), freeze=False)
    write_integration_bytecode(out, pointer, discovered["integration_bytecode"], project)
    say(f"integration bytecode refreshed ({len(discovered['integration_bytecode'])} modules)")
