"""The built folder's layout: which files go in, under which names, with which references rewritten.

The page's URLs keep the toolkit's shape (``static/shim/``, ``static/vendor/``, ``static/snapshot/``,
the bundle), but each folder is renamed after a hash of its content (``static/shim-<hash>/``…) and
the bundle gets a content-named file name, so that every file under ``static/`` may be cached for
good (bsconnects/deploy_rules.py) and a new build never mixes with an old one in a browser cache.
The files that name those folders (index.html, the page configuration, the shim's modules, whose
``../vendor/`` and ``../snapshot/`` are relative to their own folder) are rewritten to match; the
shim's hash is taken after its references to the other folders were rewritten, so it changes
whenever they do.

What goes in is what the page loads, found rather than listed: the files index.html names, every
module they and the interpreter module import (which reaches PyScript's and Pyodide's modules),
the few files the runtime fetches by name at run time (`RUNTIME_FETCHED`), the wheels of the
configured packages, the snapshot, the bundle and the worker's script.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import json
import posixpath
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import build_refs
from .build_inputs import BuildError, BuildInputs, parse_page_urls

START, ON_DEMAND, DEPLOY = "start", "on demand", "deploy"
"""Roles: loaded at every cold start; loaded when needed (or by the no-snapshot fallback); not for the page."""
# Vendored files the runtime fetches by a name no file of the page spells out as a URL:
# PyScript's package graph (read when the configuration lists packages), Pyodide's wasm, its stdlib
# archive (read by range after a snapshot start, whole otherwise) and its lock (a normal start).
RUNTIME_FETCHED = ("pyscript-*/pyodide_graph-*.js", "pyodide-*/pyodide.asm.wasm", "pyodide-*/python_stdlib.zip",
                   "pyodide-*/pyodide-lock.json")
FALLBACK_ONLY = ("pyodide-*/python_stdlib.zip", "pyodide-*/pyodide-lock.json", "*.whl")
"""Not loaded at a start from the memory snapshot (wheels and the stdlib are then read on demand)."""
SNAPSHOT_LOCK = "pyodide-lock.json"


@dataclass(frozen=True)
class OutputFile:
    """One file of the output: copied from `source` (checked against `sha256` if given) or `data`."""

    path: str
    role: str
    source: Path | None = None
    data: bytes | None = None
    sha256: str | None = None
    sibling: bool = False

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.source.stat().st_size  # type: ignore[union-attr]


@dataclass
class Layout:
    files: dict[str, OutputFile] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)
    """URL folder (e.g. static/shim) -> its content-named folder in the output."""

    def add(self, item: OutputFile) -> None:
        if item.path in self.files:
            raise BuildError(f"two files of the build would be written to {item.path}")
        self.files[item.path] = item

    def cold_start(self) -> tuple[int, int]:
        """Bytes a browser downloads on a cold start (brotli where a sibling exists), and how many files."""
        started = [item for item in self.files.values() if item.role == START and not item.sibling]
        total = sum(self.files.get(item.path + ".br", item).size for item in started)
        return total, len(started)

    def bundle_path(self) -> str:
        return next(path for path in self.files if path.startswith("static/bundle/"))


def content_hash(entries: Iterable[tuple[str, str]]) -> str:
    """A short name for a set of (name, sha256) pairs: changes whenever one of them does."""
    digest = hashlib.sha256()
    for name, sha in sorted(entries):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()[:16]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rename_folders(text: str, renames: dict[str, str]) -> str:
    """Point every `static/<old>/` and `../<old>/` of `text` at the renamed folder."""
    for old, new in renames.items():
        text = text.replace(f"static/{old}/", f"static/{new}/").replace(f"../{old}/", f"../{new}/")
    return text


def _wheels(lock: dict[str, Any], requested: Iterable[str]) -> set[str]:
    """The lock keys of `requested` and of everything they depend on."""
    packages = lock.get("packages", {})
    found: set[str] = set()
    todo = [str(name).lower().replace("_", "-") for name in requested]
    while todo:
        key = todo.pop()
        if key in found:
            continue
        if key not in packages:
            raise BuildError(f"the page needs the Pyodide package {key!r}, which the pinned runtime does not hold "
                             "(runtime.lock.json)")
        found.add(key)
        todo.extend(packages[key].get("depends", []))
    return found


def select_vendor(inputs: BuildInputs, reached: set[str]) -> dict[str, str]:
    """The vendored files to ship (relative to static/vendor) with their roles."""
    manifest = json.loads((inputs.vendor_dir / "manifest.json").read_text())["files"]
    chosen = {path.removeprefix("static/vendor/") for path in reached if path.startswith("static/vendor/")}
    missing = sorted(name for name in chosen if name not in manifest)
    if missing:
        raise BuildError(f"the page loads vendored files the runtime does not hold: {', '.join(missing)}")
    chosen |= {name for name in manifest for pattern in RUNTIME_FETCHED if fnmatch.fnmatch(name, pattern)}
    lock_name = next(name for name in chosen if fnmatch.fnmatch(name, "pyodide-*/pyodide-lock.json"))
    lock = json.loads((inputs.vendor_dir / lock_name).read_text())
    folder = posixpath.dirname(lock_name)
    at_start = _wheels(lock, inputs.packages)
    every = _wheels(lock, [*inputs.packages, *inputs.on_demand_packages])
    snapshot = inputs.snapshot_pointer is not None
    roles: dict[str, str] = {}
    for name in chosen:
        fallback = any(fnmatch.fnmatch(name, pattern) for pattern in FALLBACK_ONLY)
        roles[name] = ON_DEMAND if snapshot and fallback else START
    for key in every:
        name = f"{folder}/{lock['packages'][key]['file_name']}"
        roles[name] = START if key in at_start and not snapshot else ON_DEMAND
    for name, role in list(roles.items()):
        roles.update({name + suffix: role for suffix in (".br", ".gz") if name + suffix in manifest})
    return roles


def _compressed(path: str, data: bytes, role: str) -> list[OutputFile]:
    """The .br and .gz siblings of a file the build writes itself, when worth it (as for the runtime's)."""
    from tools.runtime import COMPRESSIBLE, MIN_COMPRESS_BYTES

    if not path.endswith(COMPRESSIBLE) or len(data) < MIN_COMPRESS_BYTES:
        return []
    try:
        import brotli
    except ImportError:
        raise BuildError("the build compresses with brotli: pip install 'bs-connects-pyscript[serve]'") from None
    return [OutputFile(path + ".br", role, data=brotli.compress(data, quality=11), sibling=True),
            OutputFile(path + ".gz", role, data=gzip.compress(data, compresslevel=9, mtime=0), sibling=True)]


def _written(layout: Layout, path: str, data: bytes) -> None:
    layout.add(OutputFile(path, START, data=data))
    for sibling in _compressed(path, data, START):
        layout.add(sibling)


def plan(inputs: BuildInputs) -> Layout:
    """Everything the output holds, named and rewritten; nothing is written yet."""
    toolkit, urls = inputs.toolkit, inputs.urls
    read = lambda path: (toolkit / path).read_text(encoding="utf-8")  # noqa: E731 - the closure's reader
    index = inputs.index_html.read_text(encoding="utf-8")
    roots = [*build_refs.html_references("index.html", index), posixpath.normpath(urls.interpreter)]
    try:
        reached = build_refs.closure(roots, read)
    except OSError as error:
        raise BuildError(f"the page loads a file the toolkit does not have: {error}") from None
    shim = sorted(path for path in reached if path.startswith("static/shim/"))
    layout = Layout()

    vendor = select_vendor(inputs, reached)
    manifest = json.loads((inputs.vendor_dir / "manifest.json").read_text())["files"]
    renames = {"vendor": "vendor-" + content_hash((name, manifest[name]["sha256"]) for name in vendor)}
    for name, role in sorted(vendor.items()):
        layout.add(OutputFile(f"static/{renames['vendor']}/{name}", role, source=inputs.vendor_dir / name,
                              sha256=manifest[name]["sha256"], sibling=name.endswith((".br", ".gz"))))

    pointer = inputs.snapshot_pointer
    if pointer is not None:
        from tools.snapshot import POINTER

        folder = inputs.project.snapshot_dir
        extra = {name: _sha256((folder / name).read_bytes()) for name in (POINTER, SNAPSHOT_LOCK)}
        listed = {**pointer.files, **extra}
        renames["snapshot"] = "snapshot-" + content_hash(listed.items())
        for name, sha in sorted(listed.items()):
            role = ON_DEMAND if ".whl" in name else START
            layout.add(OutputFile(f"static/{renames['snapshot']}/{name}", role, source=folder / name, sha256=sha,
                                  sibling=name.endswith((".br", ".gz"))))

    bundle = inputs.bundle.read_bytes()
    stem, dot, suffix = posixpath.basename(inputs.bundle_url).rpartition(".")
    bundle_path = f"static/bundle/{stem}-{_sha256(bundle)[:16]}{dot}{suffix}"
    layout.add(OutputFile(bundle_path, START, data=bundle))

    shim_texts = {path: rename_folders(read(path), renames) for path in shim}
    renames = {"shim": "shim-" + content_hash((path, _sha256(text.encode())) for path, text in shim_texts.items()),
               **renames}
    for path, text in shim_texts.items():
        _written(layout, rename_folders(path, renames), rename_folders(text, renames).encode())
    _written(layout, "index.html", rename_folders(index, renames).encode())
    config = inputs.page_config.read_text(encoding="utf-8").replace(f'"{inputs.bundle_url}"', f'"./{bundle_path}"')
    # Its comments speak of the toolkit's set-up, not of the deployed folder.
    config = "".join(line for line in config.splitlines(keepends=True) if not line.lstrip().startswith("#"))
    _written(layout, posixpath.normpath(urls.config), rename_folders(config, renames).encode())
    _written(layout, posixpath.normpath(urls.entry), inputs.worker_script.read_bytes())
    layout.folders = {f"static/{old}": f"static/{new}" for old, new in
                      [("shim", renames["shim"]), ("vendor", renames["vendor"]),
                       *([("snapshot", renames["snapshot"])] if "snapshot" in renames else [])]}
    return layout


def check(layout: Layout, inputs: BuildInputs) -> None:
    """Every URL the page's files name leads to a file of the output (a guard against a bad rewrite)."""
    texts = {path: item.data.decode("utf-8") for path, item in layout.files.items()
             if item.data is not None and not item.sibling and path.endswith((".html", ".js", ".mjs"))}
    written = set(layout.files)
    optional = set() if inputs.snapshot_pointer is not None else {"static/snapshot/"}
    broken = build_refs.broken_references(texts, written, optional)
    config_path = posixpath.normpath(inputs.urls.config)
    config = tomllib.loads(layout.files[config_path].data.decode("utf-8"))  # type: ignore[union-attr]
    for url in [config.get("interpreter", ""), *config.get("files", {})]:
        if posixpath.normpath(url) not in written:
            broken.append(f"{config_path} -> {url}")
    worker = next((path for path in texts if path.startswith("static/shim") and path.endswith("/worker.js")), None)
    if worker is not None:
        urls = parse_page_urls(texts[worker])
        broken += [f"{worker} -> {url}" for url in (urls.interpreter, urls.config, urls.entry)
                   if posixpath.normpath(url) not in written]
    if broken:
        raise BuildError("the laid-out page refers to files the build did not write (a bug in the build):\n  "
                         + "\n  ".join(broken))

