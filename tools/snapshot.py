"""Make the interpreter memory snapshot that lets the integration start faster than bare PyScript.

Why: starting Pyodide (wasm compile + interpreter init + imports) is most of our start-up. A
memory snapshot of an interpreter that already imported the stdlib, pydantic and the
integration's own modules is restored instead (measured here: ready in 1.2-1.5 s against
2.5 s for bare PyScript). Pyodide's snapshot options are private (`_makeSnapshot`,
`_loadSnapshot`), so everything around them is defensive:

- the snapshot is made in headless Chromium, in a module Worker like the one PyScript runs the
  integration in, in two phases (tools/snapshot_worker.js): discover which modules the integration
  imports, then freeze them;
- a compiled extension (pydantic-core) is a wasm module of its own, whose functions live outside
  the memory: it is loaded before the runtime starts, both when the snapshot is made and when it
  is restored, so it sits at the same place each time (static/shim/natives.mjs); where it went is
  recorded and checked;
- the integration's frozen modules carry the digests of their sources: a worker whose sources
  differ imports them again (integration/_frozen.py), and this command makes the snapshot again;
- it is tied to the exact runtime: `snapshot.json` records the runtime lock's fingerprint and
  Pyodide's version and build, and this command makes it again whenever they change;
- static/shim/interpreter.mjs restores it and falls back to a normal start whenever it is missing,
  does not match, or fails to restore: the snapshot only ever makes start-up faster.

One snapshot per project, made for its configured entry (bsconnects.toml's `[integration]`):
the entry's module and what it imports are frozen with the toolkit's own, so an integrator's
module starts as fast as the reference one; the snapshot is made again when the entry, its
modules or its packages change (`Project.entry_digest`, kept in the pointer).

Output (git-ignored), in the project's `snapshot_dir` (the toolkit's: static/snapshot/):
snapshot.json; the snapshot in interpreter-<sha256[:16]>.bin parts of up to 8 MiB with
pre-compressed .br/.gz siblings (the name changes with the content, so browsers may cache them
forever, see `PART_SIZE`; long runs of zeros are left out, see `stored_extents`); the wheels,
stored, and their pyodide-lock.json (a compiled extension's module is replaced in its wheel by a
stand-in and served apart as native-<hash>.wasm, see `stand_in`); site-index-<hash>.json, where
each file lies in those wheels, so that a restore installs them without downloading them (see
`write_site_index`); integration-<hash>.zip, the integration's own modules compiled (refreshed in
seconds when only modules that are not frozen changed). The restore fetches the stdlib archive
only where Python reads it (static/shim/interpreter.mjs).
`python -m tools.snapshot [--project DIR] [--force | --check | --remove]`.
"""

from __future__ import annotations

import argparse
import ast
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bsconnects.project import SDK_PACKAGE, Project, ProjectError, load_project
from tools import bundle, runtime, snapshot_delta, wasm

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "snapshot"
POINTER = "snapshot.json"
FORMAT = 6  # 4: the memory's start stored as a delta (tools/snapshot_delta.py); 5: long zero runs left out;
# 6: compiled extensions' memory stored as a delta too
HERE = Path(__file__).resolve().parent
WORKER_JS = HERE / "snapshot_worker.js"
SCRIPTS = HERE / "snapshot_scripts"
PYODIDE_DIR = "static/vendor/pyodide-314.0.7"
# Never frozen: the modules that talk to JavaScript (they hold references to the worker's objects).
# Everything else a start imports is: compiled packages too (see static/shim/natives.mjs).
NEVER_FROZEN_EXTRA = {"pyscript", "polyscript", "js", "pyodide", "_pyodide", "micropip"}
# Imported by integration/worker_main.py and PyScript before the integration: freeze them too.
EXTRA_TARGETS = ["asyncio", "json", "traceback", "random", "logging"]
NO_CHROMIUM = "no Chromium found (/usr/bin/chromium or $CHROMIUM): it makes the snapshot"
PAGE_PATH = "/__snapshot__/"
NATIVE_PATH = PAGE_PATH + "native/"
TIMEOUT_MS = 120_000


def say(message: str) -> None:
    print(f"[snapshot] {message}", flush=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint() -> str:
    """Changes whenever the runtime or the way the snapshot is made changes."""
    digest = hashlib.sha256(runtime.lock_fingerprint().encode())
    helpers = [Path(snapshot_delta.__file__), Path(wasm.__file__)]
    for path in [Path(__file__), *helpers, WORKER_JS, *sorted(SCRIPTS.glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(EXTRA_TARGETS).encode())
    return digest.hexdigest()


def read_pointer(out: Path = OUT) -> dict[str, Any] | None:
    try:
        return json.loads((out / POINTER).read_text())
    except (OSError, ValueError):
        return None


def verify(out: Path = OUT) -> dict[str, Any]:
    """The pointer, after checking that it is current and its snapshot file is intact."""
    pointer = read_pointer(out)
    if pointer is None:
        raise SnapshotError(f"no {POINTER}: no snapshot was made")
    if pointer.get("format") != FORMAT or pointer.get("fingerprint") != fingerprint():
        raise SnapshotError("the snapshot was made for another runtime or generator: make it again")
    for name, digest in pointer.get("files", {}).items():
        path = out / name
        if not path.is_file() or runtime.sha256_file(path) != digest:
            raise SnapshotError(f"{name} is missing or does not match its sha256")
    parts = pointer.get("parts") or []
    if not parts or any(part.get("file") not in pointer.get("files", {}) for part in parts):
        raise SnapshotError("the pointer names no snapshot file, or one it does not list")
    return pointer


class SnapshotError(Exception):
    """The snapshot could not be made or is not usable."""


# ---------------------------------------------------------------- making it in Chromium


def integration_files(project: Project | None = None) -> dict[str, str]:
    """What PyScript writes into the worker's file system: the files of tools/bundle.py's archive."""
    return {name: data.decode() for name, data in bundle.sources(project).items()}


def _module_name(path: str) -> str | None:
    if not path.endswith(".py") or path.endswith("worker_main.py"):
        return None  # worker_main starts the integration when imported
    name = path[:-3].replace("/", ".")
    return name.removesuffix(".__init__")


def plan(project: Project | None = None) -> dict[str, Any]:
    """Which packages each phase loads, which modules are the project's and which top-level names
    must never be frozen. The packages are the page's and the on-demand ones: their modules are
    frozen like the others (the entry imports them at once), the on-demand ones' files are read
    only when needed (integration/app/_packages.py)."""
    project = project or bundle.toolkit_project()
    integration = project.config.integration
    lock = json.loads((ROOT / PYODIDE_DIR / "pyodide-lock.json").read_text())["packages"]
    packages = integration.page_packages + integration.on_demand_keys

    def closure(name: str) -> set[str]:
        found, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(lock[current]["depends"])
        return found

    # Every package is frozen, compiled ones too: their extensions are loaded where a restore
    # loads them again (static/shim/natives.mjs).
    needed = sorted(set().union(*(closure(name) for name in packages)))
    files = integration_files(project)
    targets = [name for name in map(_module_name, files) if name] + EXTRA_TARGETS
    return {"packages": packages, "freezable_packages": needed, "never": sorted(NEVER_FROZEN_EXTRA),
            "files": files, "targets": targets, "start": start_imports(project),
            "tops": sorted({SDK_PACKAGE, *integration.shipped_modules}),
            "natives": {member: entry["file_name"] for key, entry in sorted(lock.items()) if key in needed
                        for member in native_members(ROOT / PYODIDE_DIR / entry["file_name"])}}


def start_imports(project: Project | None = None) -> list[str]:
    """The integration modules a start imports: read from the sources of integration/worker_main.py
    and of the integration modules it imports (integration/_worker_start.py imports the rest inside
    its functions, after checking them), and the project's configured entry module, which the
    worker start imports by name. They and what they import are frozen; worker_main itself runs
    at every start."""
    project = project or bundle.toolkit_project()

    def imported(path: Path) -> set[str]:
        tree = ast.parse(path.read_text())
        names = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
        names += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        return {name for name in names if name.split(".")[0] == "integration"}

    def source(name: str) -> Path:
        path = ROOT / Path(*name.split("."))
        return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")

    entry = imported(ROOT / "integration" / "worker_main.py")
    toolkit = entry.union(*(imported(source(name)) for name in entry if source(name).is_file()))
    return sorted(toolkit | {project.config.integration.entry_module})


def native_members(wheel: Path) -> list[str]:
    """A wheel's compiled extensions (.so: wasm side modules), as paths relative to site-packages."""
    with zipfile.ZipFile(wheel) as archive:
        return [name for name in archive.namelist() if name.endswith(".so")]


def extract_native_modules(
    lock: dict[str, Any], folder: Path
) -> tuple[list[dict[str, Any]], dict[str, dict[str, bytes]]]:
    """Copy each compiled extension (.so: a wasm module) out of its wheel as native-<hash>.wasm;
    return their records for the pointer and, by wheel, the stand-in each module is replaced with.

    static/shim/interpreter.mjs compiles this copy (pydantic-core: 4.7 MB) as soon as it reads
    snapshot.json, while the snapshot downloads, and loads it before the runtime starts, where the
    snapshot, which holds pydantic imported, expects it. The snapshot's copy of the wheel holds a
    stand-in instead of the module (see `stand_in`), so the 1.4 MB are not downloaded twice.
    """
    natives = []
    stand_ins: dict[str, dict[str, bytes]] = {}
    for key, entry in lock["packages"].items():
        wheel = ROOT / PYODIDE_DIR / entry["file_name"]
        with zipfile.ZipFile(wheel) as archive:
            members = {name: archive.read(name) for name in native_members(wheel)}
        for name, data in members.items():
            digest = _sha256(data)
            target = folder / f"native-{digest[:16]}.wasm"
            target.write_bytes(data)
            replacement = stand_in(data, digest)
            stand_ins.setdefault(entry["file_name"], {})[name] = replacement
            natives.append({"file": target.name, "module": name, "package": key,
                            "wheel": entry["file_name"], "size": len(data), "sha256": digest,
                            "stand_in": {"size": len(replacement), "sha256": _sha256(replacement)}})
    return natives, stand_ins


# zipimport looks for a zip's end record in its last 64 kB (the longest comment) plus the records.
ZIP_END_SEARCH = 65_535 + 22 + 56 + 20


def extract_stdlib_index(archive: Path, folder: Path) -> dict[str, Any]:
    """Copy the end of the stdlib archive that locating and reading its index touches (the
    central directory, or the last 64 kB where zipimport searches for the end record, whichever
    starts earlier) as stdlib-index-<hash>.bin.

    A restore reads the archive only where Python reads it (static/shim/interpreter.mjs), and
    every start reads this part: Pyodide lists the installed distributions, which opens each zip
    on sys.path, and zipimport reads the index again after each package install. Served as its
    own immutable file, it is cached like the snapshot, where range requests into the archive
    were downloaded again on every warm load.
    """
    data = archive.read_bytes()
    with zipfile.ZipFile(archive) as opened:
        offset = max(0, min(opened.start_dir, len(data) - ZIP_END_SEARCH))
    index = data[offset:]
    target = folder / f"stdlib-index-{_sha256(index)[:16]}.bin"
    target.write_bytes(index)
    return {"file": target.name, "offset": offset, "archive_size": len(data)}


STAND_IN_SECTION = b"bsc.native"


def stand_in(module: bytes, digest: str) -> bytes:
    """What the snapshot's wheel holds in place of a compiled extension: a wasm module with only
    the original's `dylink.0` section (Pyodide reads its memory and table needs from it before
    instantiating) and a custom section naming the real module's sha256.

    It is never loaded: a restore loads the real module (native-<hash>.wasm) before the runtime
    starts (static/shim/natives.mjs), and Pyodide's load of the wheel's copy finds it loaded. If
    the real module cannot be had, the snapshot start is abandoned for a normal one, whose wheels
    are the untouched originals.
    """
    if module[:8] != wasm.MAGIC or module[8] != 0:
        raise SnapshotError("a compiled extension is not a wasm module with a custom section first")
    size, body = wasm.read_leb128(module, 9)
    name_length, name_start = wasm.read_leb128(module, body)
    if module[name_start:name_start + name_length] != b"dylink.0":
        raise SnapshotError("a compiled extension has no dylink.0 section first: it is not a side module")
    payload = wasm.leb128(len(STAND_IN_SECTION)) + STAND_IN_SECTION + digest.encode()
    return module[:body + size] + b"\0" + wasm.leb128(len(payload)) + payload


def copy_wheel(wheel: Path, target: Path, replace: dict[str, bytes]) -> None:
    """Copy `wheel` to `target` with the files in `replace` swapped for new content (their RECORD
    lines follow), stored uncompressed, with .br and .gz siblings that serve.py sends instead.

    Stored: brotli over the whole archive compresses the wheels to 0.59 MB where each file's own
    deflate gave 1.09 MB, and unpacking them no longer inflates anything. No bytecode is added:
    every module of the wheels a start imports is frozen in the snapshot, so their .pyc files
    would only be downloaded and unpacked (0.7 MB more, measured).
    """
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info))
            if info.filename.endswith(".dist-info/RECORD") and replace:
                data = _record_with(data.decode(), replace).encode()
            info.compress_type = zipfile.ZIP_STORED
            out.writestr(info, data)
    write_compressed_siblings(target, gzip_too=True)


def stored_members(wheel: Path) -> list[list[Any]] | None:
    """Where each file of a stored wheel lies in it: [path, offset of its bytes, size], or None
    when the wheel cannot be read that way (a member compressed, or one that an install moves
    elsewhere, like a `.data` folder's: Pyodide's unpacking then installs it normally)."""
    members: list[list[Any]] = []
    with zipfile.ZipFile(wheel) as archive, wheel.open("rb") as raw:
        for info in archive.infolist():
            if info.is_dir():
                continue
            top = info.filename.split("/", 1)[0]
            if (info.compress_type != zipfile.ZIP_STORED or top.endswith(".data") or info.filename.startswith("/")
                    or ".." in info.filename.split("/")):
                return None
            raw.seek(info.header_offset)
            header = raw.read(30)
            if header[:4] != b"PK\x03\x04":
                return None
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            members.append([info.filename, info.header_offset + 30 + name_length + extra_length, info.file_size])
    return members


def write_site_index(lock: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Write site-index-<hash>.json: for each of the snapshot's wheels (already in `folder`),
    where each of its files lies in it; return the pointer's entry.

    A restored interpreter already holds every module a start imports, so its wheels are not
    downloaded and unpacked at start (0.4 MB brotli and ~0.12 s of every cold start, measured):
    static/shim/interpreter.mjs creates each file where Pyodide would unpack it, its bytes fetched
    from the stored wheel by range when Python first reads them (a module the snapshot lacks,
    a package's metadata, phonenumbers' data for a region).
    """
    packages = {}
    for key, entry in sorted(lock["packages"].items()):
        members = stored_members(folder / entry["file_name"])
        if members is not None:
            packages[key] = {"name": entry["name"], "file": entry["file_name"], "sha256": entry["sha256"],
                             "size": (folder / entry["file_name"]).stat().st_size,
                             "install_dir": entry["install_dir"], "files": members}
    data = json.dumps({"packages": packages}, separators=(",", ":")).encode()
    target = folder / f"site-index-{_sha256(data)[:16]}.json"
    target.write_bytes(data)
    write_compressed_siblings(target)
    return {"file": target.name, "packages": sorted(packages)}


def write_compressed_siblings(path: Path, gzip_too: bool = False) -> None:
    """`path`.br (and `path`.gz), the encodings serve.py chooses by Accept-Encoding."""
    import brotli  # a serve/test dependency

    data = path.read_bytes()
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11, lgwin=24))
    if gzip_too:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def _record_with(record: str, replace: dict[str, bytes]) -> str:
    """A wheel's RECORD with the hash and size of each replaced file updated."""
    lines = []
    for line in record.splitlines():
        path = line.split(",", 1)[0]
        if path in replace:
            digest = base64.urlsafe_b64encode(hashlib.sha256(replace[path]).digest()).rstrip(b"=").decode()
            line = f"{path},sha256={digest},{len(replace[path])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


_RUN_PHASE = """async ({source, message}) => {
  const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
  const worker = new Worker(url, {type: "module"});
  try {
    const reply = await new Promise((resolve, reject) => {
      worker.onmessage = ({data}) => resolve(data);
      worker.onerror = (event) => reject(new Error(event.message || "worker error"));
      worker.postMessage(message);
    });
    if (!reply.ok) throw new Error(reply.error);
    const result = reply.result;
    if (result.bytes) {
      await fetch("/__snapshot__/upload", {method: "POST", body: result.bytes});
      result.bytes = result.bytes.length;
    }
    return result;
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}"""


def make_in_browser(base: str, steps: dict[str, Any],
                    freeze: bool = True) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """Run both phases (or only discover) in Chromium; return (discovered, frozen report, snapshot bytes)."""
    from playwright.sync_api import Route

    from tools.browser import chromium

    uploads: list[bytes] = []

    def handle(route: Route) -> None:
        native = route.request.url.partition(NATIVE_PATH)[2]
        if route.request.method == "POST":
            uploads.append(route.request.post_data_buffer or b"")
            route.fulfill(status=204)
        elif native in steps["natives"]:
            with zipfile.ZipFile(ROOT / PYODIDE_DIR / steps["natives"][native]) as wheel:
                route.fulfill(status=200, content_type="application/wasm", body=wheel.read(native))
        else:
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>snapshot</title>")

    source = WORKER_JS.read_text()
    common = {"pyodideUrl": f"{base}/{PYODIDE_DIR}/pyodide.mjs", "indexURL": f"{base}/{PYODIDE_DIR}/"}
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda message: say(f"browser: {message.text}") if message.type == "error" else None)
        page.route(f"**{PAGE_PATH}**", handle)
        page.goto(f"{base}{PAGE_PATH}")
        say("phase 1/2: a normal Pyodide imports the integration to see which modules it needs…")
        discovered = page.evaluate(_RUN_PHASE, {"source": source, "message": {
            **common, "phase": "discover", "packages": steps["packages"], "files": steps["files"],
            "script": (SCRIPTS / "discover.py").read_text(),
            "inputs": {"TARGETS": steps["targets"], "EXCLUDED": steps["never"],
                       "NATIVES": list(steps["natives"]), "START": steps["start"], "TOPS": steps["tops"],
                       "INTEGRATION": {path: _module_name(path) for path in steps["files"] if path.endswith(".py")}}}})
        if not freeze:
            return discovered, {}, b""
        say(f"phase 2/2: freezing {len(discovered['modules'])} modules "
            f"(packages {', '.join(steps['freezable_packages'])})…")
        frozen = page.evaluate(_RUN_PHASE, {"source": source, "message": {
            **common, "phase": "freeze", "packages": steps["freezable_packages"],
            "nativesUrl": f"{base}/static/shim/natives.mjs",
            "natives": [{"module": name, "url": f"{base}{NATIVE_PATH}{name}"} for name in steps["natives"]],
            "files": steps["files"],
            "script": (SCRIPTS / "freeze.py").read_text(),
            "inputs": {"MODULES": discovered["modules"], "TOPS": steps["tops"]}}})
        page.close()
    if len(uploads) != 1 or len(uploads[0]) != frozen["bytes"]:
        raise SnapshotError("the snapshot did not arrive whole from the browser")
    return discovered, frozen, uploads[0]


def make(project: Project | None = None, out: Path | None = None) -> dict[str, Any]:
    """Make the project's snapshot now (into `out`, by default its `snapshot_dir`) and swap it in
    atomically; returns the new pointer."""
    from tools.browser import chromium_path, running_server

    if chromium_path() is None:
        raise SnapshotError(NO_CHROMIUM)
    project = project or bundle.toolkit_project()
    out = out or project.snapshot_dir
    started = time.monotonic()
    steps = plan(project)
    with running_server() as base:
        discovered, frozen, data = make_in_browser(base, steps)
    if discovered["failed"]:
        say(f"note: the integration's modules that did not import: {discovered['failed']}")
    library_files = frozen["report"].get("libraryFiles") or {}
    for copy in library_files.get("released", []):
        say(f"gave back dlopen's {copy['bytes'] / 1e6:.1f} MB copy of {copy['name'].rsplit('/', 1)[-1]}")
    for copy in library_files.get("kept", []):
        say(f"note: kept dlopen's copy of {copy['name']} ({copy['why']}): the snapshot is bigger by its size")
    buffers = frozen["report"].get("streamBuffers") or {}
    if buffers.get("cleared"):
        say(f"cleared the buffers of {', '.join(entry['name'] for entry in buffers['cleared'])} "
            f"({sum(entry['bytes'] for entry in buffers['cleared']) / 1e3:.0f} kB)")
    for entry in buffers.get("left", []):
        say(f"note: left {entry['name']}'s buffer as it was ({entry['candidates']} candidates): the snapshot is bigger")
    scrub = frozen["report"].get("scrub") or {}
    if scrub:
        say(f"cleared {scrub['heapCleared'] / 1e6:.1f} MB of freed heap and {scrub['stackCleared'] / 1e6:.1f} MB of "
            f"unused stack before the snapshot (memory grew by {scrub['memoryGrew']} bytes)")
    left_out = sorted(frozen["report"]["failed"])
    if left_out:
        say(f"note: modules left out (they failed to import while freezing): {left_out}")
    project.make_work_dir()
    staging = out.with_name(out.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    data, delta = _delta_against_wasm(data)
    data, native_deltas = _delta_against_natives(data, frozen["report"]["natives"])
    say(f"compressing {len(data) / 1e6:.1f} MB once (brotli, gzip; about 20 s on 2 cores)…")
    parts = write_parts(data, staging)
    pointer = {
        "format": FORMAT, "fingerprint": fingerprint(), "pyodide": frozen["version"], "parts": parts,
        "sha256": _sha256(data), "size": len(data),
        "brotli_size": sum((staging / (part["file"] + ".br")).stat().st_size for part in parts),
        "delta": delta, "modules": discovered["modules"], "left_out": left_out, "project": project.entry_digest,
        "made": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    lock = json.loads((ROOT / PYODIDE_DIR / "pyodide-lock.json").read_text())
    pointer["native"], stand_ins = extract_native_modules(lock, staging)
    placed = {record["module"]: record for record in frozen["report"]["natives"]}
    if set(placed) != {native["module"] for native in pointer["native"]}:
        raise SnapshotError(f"not every compiled extension was loaded before the snapshot: {sorted(placed)}")
    for native in pointer["native"]:
        record = placed[native["module"]]
        native.update(memory=record["memory"], table=record["table"], handles=record["handles"])
        if native["module"] in native_deltas:
            native["delta"] = native_deltas[native["module"]]
    pointer["table_size"] = frozen["report"]["tableSize"]
    pointer["integration_frozen"] = frozen["report"]["integration_sources"]
    say(f"libraries loaded when frozen: {frozen['report']['libraries']}; table {pointer['table_size']}")
    for entry in lock["packages"].values():
        wheel = staging / entry["file_name"]
        copy_wheel(ROOT / PYODIDE_DIR / entry["file_name"], wheel, stand_ins.get(entry["file_name"], {}))
        entry["sha256"] = runtime.sha256_file(wheel)
    (staging / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    pointer["site_packages"] = write_site_index(lock, staging)
    pointer["stdlib_index"] = extract_stdlib_index(ROOT / PYODIDE_DIR / "python_stdlib.zip", staging)
    for blob in [native["file"] for native in pointer["native"]] + [pointer["stdlib_index"]["file"]]:
        write_compressed_siblings(staging / blob)
    write_integration_bytecode(staging, pointer, discovered["integration_bytecode"], project)
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    say(f"made {out.relative_to(project.root)}: {len(discovered['modules'])} modules frozen, "
        f"{len(data) / 1e6:.1f} MB ({pointer['brotli_size'] / 1e6:.1f} MB brotli) "
        f"in {time.monotonic() - started:.0f} s")
    return pointer


def frozen_integration_changed(pointer: dict[str, Any], project: Project | None = None) -> list[str]:
    """The integration modules frozen in the snapshot whose source changed (or is gone) since.

    A worker would notice and import them all again at every start (integration/_frozen.py):
    correct, but ~0.3 s slower, so the set-up makes the snapshot again instead.
    """
    current = {_module_name(path): _sha256(text.encode()) for path, text in integration_files(project).items()}
    return sorted(name for name, digest in pointer.get("integration_frozen", {}).items() if current.get(name) != digest)


# Raw bytes per file of the snapshot. Chromium's in-memory HTTP cache (private windows, test
# browsers) keeps no entry larger than an eighth of its 50 MB: a 6.6 MB (brotli) snapshot in one
# file was downloaded again on every warm load. 8 MiB parts are 0.1-3 MB each in brotli, and
# download in parallel.
PART_SIZE = 8 << 20


def _delta_against_wasm(data: bytes) -> tuple[bytes, dict[str, Any] | None]:
    """The snapshot with its memory's start stored as a difference from the memory instantiating
    Pyodide's wasm leaves (tools/snapshot_delta.py), or whole if that cannot be worked out."""
    try:
        image = snapshot_delta.memory_image((ROOT / PYODIDE_DIR / "pyodide.asm.wasm").read_bytes())
        data, delta = snapshot_delta.xor_into(data, image)
    except snapshot_delta.DeltaError as error:
        say(f"note: the snapshot is stored whole ({error})")
        return data, None
    say(f"the memory's first {delta['size'] / 1e6:.1f} MB stored as a difference from the wasm's data")
    return data, delta


def _delta_against_natives(data: bytes, placed: list[dict[str, Any]]) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """The snapshot with each compiled extension's region stored as a difference from its memory
    as loading left it (the browser's `image` of it, see static/shim/natives.mjs); an extension
    whose region cannot be is stored whole. Returns the data and each one's `delta` by module."""
    deltas = {}
    for record in placed:
        image = base64.b64decode(record.pop("image", "") or "")
        if not image:
            continue
        try:
            data, deltas[record["module"]] = snapshot_delta.xor_native(data, record["memory"][0], image)
        except snapshot_delta.DeltaError as error:
            say(f"note: {record['module']}'s memory is stored whole ({error})")
            continue
        say(f"{record['module'].split('/')[0]}'s {len(image) / 1e6:.1f} MB of memory stored as a difference "
            "from what loading it writes")
    return data, deltas


# Runs of zeros at least this long (in whole blocks) are not stored: the buffer a restore streams
# the parts into starts zeroed. Here 13 of the 37.7 MB: free heap and the stack's unused part,
# decoded, piped to the worker and copied at every start for nothing.
ZERO_RUN = 1 << 20
ZERO_BLOCK = 64 << 10


def stored_extents(data: bytes) -> list[tuple[int, int]]:
    """The [start, end) ranges of `data` to store: all of it but runs of ZERO_RUN or more zero
    bytes made of whole ZERO_BLOCK blocks."""
    zero = bytes(ZERO_BLOCK)
    extents: list[tuple[int, int]] = []
    start = 0  # of the range being stored
    run = None  # start of the zero blocks seen last
    for block in range(0, len(data) + ZERO_BLOCK, ZERO_BLOCK):
        chunk = data[block:block + ZERO_BLOCK]
        if chunk and chunk == zero[:len(chunk)]:
            run = block if run is None else run
            continue
        end = min(block, len(data))
        if run is not None and end - run >= ZERO_RUN:
            if run > start:
                extents.append((start, run))
            start = end
        run = None
    if start < len(data):
        extents.append((start, len(data)))
    return extents


def write_parts(data: bytes, folder: Path) -> list[dict[str, Any]]:
    """Write the snapshot as interpreter-<hash>.bin parts of at most PART_SIZE bytes, leaving out
    long runs of zeros (`stored_extents`), each with .br/.gz siblings (the names change with the
    content: immutable); return where each part goes, in order."""
    pieces = [(offset, min(offset + PART_SIZE, end))
              for start, end in stored_extents(data) for offset in range(start, end, PART_SIZE)]
    # brotli and gzip let go of the GIL: one part per core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda piece: _write_part(data[piece[0]:piece[1]], piece[0], folder), pieces))


def _write_part(chunk: bytes, offset: int, folder: Path) -> dict[str, Any]:
    name = f"interpreter-{_sha256(chunk)[:16]}.bin"
    (folder / name).write_bytes(chunk)
    # Brotli quality 11: 3.9 MB against 4.0 MB at quality 10, in ~19 s on 2 cores (10: ~10 s).
    write_compressed_siblings(folder / name, gzip_too=True)
    return {"file": name, "offset": offset, "size": len(chunk)}


def integration_digest(project: Project | None = None) -> str:
    """Changes whenever a source file PyScript ships to the worker changes."""
    return _sha256(json.dumps(sorted(integration_files(project).items())).encode())


def write_integration_bytecode(folder: Path, pointer: dict[str, Any], bytecode: dict[str, str],
                               project: Project | None = None) -> None:
    """Add the integration's compiled modules as `integration-<hash>.zip` and (re)write the pointer.

    static/shim/interpreter.mjs unpacks it before PyScript writes the sources: checked-hash
    bytecode, so a module whose source changed since is simply compiled again at import.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, encoded in sorted(bytecode.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), base64.b64decode(encoded),
                             zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    name = f"integration-{_sha256(data)[:16]}.zip"
    (folder / name).write_bytes(data)
    for stale in folder.glob("integration-*.zip"):
        if stale.name != name:
            stale.unlink()
    pointer.update(integration_bytecode=name, integration_sources=integration_digest(project),
                   integration_modules=len(bytecode))
    pointer["files"] = {path.name: runtime.sha256_file(path) for path in sorted(folder.iterdir())
                        if path.name != POINTER}
    temporary = folder / (POINTER + ".tmp")
    temporary.write_text(json.dumps(pointer, indent=1) + "\n")
    temporary.replace(folder / POINTER)


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


def ensure(force: bool = False, project: Project | None = None, out: Path | None = None) -> int:
    """The set-up step: keep a current snapshot for the project's entry (in `out`, by default its
    `snapshot_dir`), make one when needed, never fail the set-up (without a Chromium, one line
    says so and the page starts without it)."""
    from tools.browser import chromium_path

    project = project or bundle.toolkit_project()
    out = out or project.snapshot_dir
    if not force:
        try:
            pointer = verify(out)
            if pointer.get("project") != project.entry_digest:
                raise SnapshotError("made for another entry, modules or packages: making it again")
            changed = frozen_integration_changed(pointer, project)
            if changed:
                raise SnapshotError(f"integration modules frozen in it changed ({', '.join(changed[:3])}): "
                                    "making it again")
            say("snapshot current (verified)")
            if pointer.get("integration_sources") != integration_digest(project):
                try:
                    refresh_integration_bytecode(project, out)
                except Exception as error:  # noqa: BLE001 - stale bytecode is only slower, never wrong
                    say(f"could not refresh the integration's bytecode ({error}); changed modules compile at start")
            return 0
        except SnapshotError as reason:
            if chromium_path() is not None:
                say(f"{reason}")
    if chromium_path() is None:
        say(f"{NO_CHROMIUM}: the page starts without a memory snapshot (correct, about 1.5 s slower)")
        shutil.rmtree(out, ignore_errors=True)  # never leave a stale one behind
        return 0
    try:
        make(project, out)
    except Exception as error:  # noqa: BLE001 - the page still starts, only slower
        say(f"could not make the snapshot ({type(error).__name__}: {error}); the integration starts "
            "without it (correct, about 1.5 s slower)")
        shutil.rmtree(out, ignore_errors=True)  # never leave a stale one behind
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="make it again even if it is current")
    group.add_argument("--check", action="store_true", help="only verify the snapshot (exit 1 if unusable)")
    group.add_argument("--remove", action="store_true", help="delete it (the page then starts normally)")
    parser.add_argument("--project", default=str(ROOT), help="the project's folder (default: the toolkit's own)")
    args = parser.parse_args(argv)
    try:
        project = load_project(args.project)
    except ProjectError as error:
        say(f"{error}")
        return 2
    if args.remove:
        shutil.rmtree(project.snapshot_dir, ignore_errors=True)
        say("removed")
        return 0
    if args.check:
        try:
            pointer = verify(project.snapshot_dir)
        except SnapshotError as error:
            say(f"not usable: {error}")
            return 1
        say(f"usable: {len(pointer['parts'])} files, {pointer['size'] / 1e6:.1f} MB, {len(pointer['modules'])} modules")
        return 0
    return ensure(force=args.force, project=project)


if __name__ == "__main__":
    sys.exit(main())
