"""The snapshot's wheels and archives: copies the restore reads by range instead of unpacking.

- each compiled extension (.so: a wasm side module) is copied out of its wheel as
  native-<hash>.wasm and replaced in the wheel by a small stand-in (`stand_in`);
- the wheels are stored uncompressed, with .br/.gz siblings (`copy_wheel`);
- site-index-<hash>.json says where each file lies in them (`write_site_index`);
- stdlib-index-<hash>.bin is the end of the stdlib archive every start reads (`extract_stdlib_index`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

from tools import wasm
from tools.snapshot_common import PYODIDE_DIR, ROOT, SnapshotError, sha256
from tools.snapshot_parts import write_compressed_siblings
from tools.snapshot_pointer import SitePackages, StdlibIndex


def native_members(wheel: Path) -> list[str]:
    """A wheel's compiled extensions (.so: wasm side modules), as paths relative to site-packages."""
    with zipfile.ZipFile(wheel) as archive:
        return [name for name in archive.namelist() if name.endswith(".so")]


def extract_native_modules(
    lock: dict[str, Any], folder: Path
) -> tuple[list[dict[str, Any]], dict[str, dict[str, bytes]]]:
    """Copy each compiled extension (.so: a wasm module) out of its wheel as native-<hash>.wasm;
    return their records for the pointer and, by wheel, the stand-in each module is replaced with.

    static/shim/snapshot_find.mjs compiles this copy (pydantic-core's is megabytes) as soon as it reads
    snapshot.json, while the snapshot downloads, and loads it before the runtime starts, where the
    snapshot, which holds pydantic imported, expects it. The snapshot's copy of the wheel holds a
    stand-in instead of the module (see `stand_in`), so the module is not downloaded twice.
    """
    natives = []
    stand_ins: dict[str, dict[str, bytes]] = {}
    for key, entry in lock["packages"].items():
        wheel = ROOT / PYODIDE_DIR / entry["file_name"]
        with zipfile.ZipFile(wheel) as archive:
            members = {name: archive.read(name) for name in native_members(wheel)}
        for name, data in members.items():
            digest = sha256(data)
            target = folder / f"native-{digest[:16]}.wasm"
            target.write_bytes(data)
            replacement = stand_in(data, digest)
            stand_ins.setdefault(entry["file_name"], {})[name] = replacement
            natives.append({"file": target.name, "module": name, "package": key,
                            "wheel": entry["file_name"], "size": len(data), "sha256": digest,
                            "stand_in": {"size": len(replacement), "sha256": sha256(replacement)}})
    return natives, stand_ins


# zipimport looks for a zip's end record in its last 64 kB (the longest comment) plus the records.
ZIP_END_SEARCH = 65_535 + 22 + 56 + 20


def extract_stdlib_index(archive: Path, folder: Path) -> StdlibIndex:
    """Copy the end of the stdlib archive that locating and reading its index touches (the
    central directory, or the last 64 kB where zipimport searches for the end record, whichever
    starts earlier) as stdlib-index-<hash>.bin.

    A restore reads the archive only where Python reads it (static/shim/remote_files.mjs), and
    every start reads this part: Pyodide lists the installed distributions, which opens each zip
    on sys.path, and zipimport reads the index again after each package install. Served as its
    own immutable file, it is cached like the snapshot, where range requests into the archive
    were downloaded again on every warm load.
    """
    data = archive.read_bytes()
    with zipfile.ZipFile(archive) as opened:
        offset = max(0, min(opened.start_dir, len(data) - ZIP_END_SEARCH))
    index = data[offset:]
    target = folder / f"stdlib-index-{sha256(index)[:16]}.bin"
    target.write_bytes(index)
    return StdlibIndex(file=target.name, offset=offset, archive_size=len(data))


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

    Stored: brotli over the whole archive compresses the wheels far better than each file's own
    deflate, and unpacking them no longer inflates anything. No bytecode is added: every module
    of the wheels a start imports is frozen in the snapshot, so their .pyc files would only be
    downloaded and unpacked.
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


def write_site_index(lock: dict[str, Any], folder: Path) -> SitePackages:
    """Write site-index-<hash>.json: for each of the snapshot's wheels (already in `folder`),
    where each of its files lies in it; return the pointer's entry.

    A restored interpreter already holds every module a start imports, so its wheels are not
    downloaded and unpacked at start (that would add to every cold start's download and time):
    static/shim/remote_files.mjs creates each file where Pyodide would unpack it, its bytes fetched
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
    target = folder / f"site-index-{sha256(data)[:16]}.json"
    target.write_bytes(data)
    write_compressed_siblings(target)
    return SitePackages(file=target.name, packages=sorted(packages))



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
