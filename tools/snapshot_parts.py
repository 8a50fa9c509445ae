"""The snapshot's bytes as files: XOR deltas against what the browser has anyway, long zero runs
left out, content-named parts of at most `PART_SIZE`, each pre-compressed (brotli, gzip)."""

from __future__ import annotations

import base64
import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tools import snapshot_delta
from tools.snapshot_common import PYODIDE_DIR, ROOT, say, sha256
from tools.snapshot_pointer import NativeDelta, Part, WasmDelta

# Raw bytes per file of the snapshot. Chromium's in-memory HTTP cache (private windows, test
# browsers) keeps no entry larger than an eighth of its 50 MB: a snapshot in one file is larger
# than that even in brotli, so it was downloaded again on every warm load. Parts of 8 MiB stay
# well under it in brotli, and download in parallel.
PART_SIZE = 8 << 20


def delta_against_wasm(data: bytes) -> tuple[bytes, WasmDelta | None]:
    """The snapshot with its memory's start stored as a difference from the memory instantiating
    Pyodide's wasm leaves (tools/snapshot_delta.py), or whole if that cannot be worked out."""
    try:
        image = snapshot_delta.memory_image((ROOT / PYODIDE_DIR / "pyodide.asm.wasm").read_bytes())
        data, record = snapshot_delta.xor_into(data, image)
    except snapshot_delta.DeltaError as error:
        say(f"note: the snapshot is stored whole ({error})")
        return data, None
    delta = WasmDelta(**record)
    say(f"the memory's first {delta.size / 1e6:.1f} MB stored as a difference from the wasm's data")
    return data, delta


def delta_against_natives(data: bytes, placed: list[dict[str, Any]]) -> tuple[bytes, dict[str, NativeDelta]]:
    """The snapshot with each compiled extension's region stored as a difference from its memory
    as loading left it (the browser's `image` of it, see static/shim/natives.mjs); an extension
    whose region cannot be is stored whole. Returns the data and each one's `delta` by module."""
    deltas = {}
    for record in placed:
        image = base64.b64decode(record.pop("image", "") or "")
        if not image:
            continue
        try:
            data, delta = snapshot_delta.xor_native(data, record["memory"][0], image)
            deltas[record["module"]] = NativeDelta(**delta)
        except snapshot_delta.DeltaError as error:
            say(f"note: {record['module']}'s memory is stored whole ({error})")
            continue
        say(f"{record['module'].split('/')[0]}'s {len(image) / 1e6:.1f} MB of memory stored as a difference "
            "from what loading it writes")
    return data, deltas


# Runs of zeros at least this long (in whole blocks) are not stored: the buffer a restore streams
# the parts into starts zeroed. Free heap and the stack's unused part are a large share of the
# snapshot: stored, they would be decoded, piped to the worker and copied at every start for nothing.
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


def write_parts(data: bytes, folder: Path) -> list[Part]:
    """Write the snapshot as interpreter-<hash>.bin parts of at most PART_SIZE bytes, leaving out
    long runs of zeros (`stored_extents`), each with .br/.gz siblings (the names change with the
    content: immutable); return where each part goes, in order."""
    pieces = [(offset, min(offset + PART_SIZE, end))
              for start, end in stored_extents(data) for offset in range(start, end, PART_SIZE)]
    # brotli and gzip let go of the GIL: one part per core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(lambda piece: _write_part(data[piece[0]:piece[1]], piece[0], folder), pieces))


def _write_part(chunk: bytes, offset: int, folder: Path) -> Part:
    name = f"interpreter-{sha256(chunk)[:16]}.bin"
    (folder / name).write_bytes(chunk)
    # Brotli quality 11: slightly smaller than quality 10 for much more time, paid once by the
    # set-up and saved at every cold start.
    write_compressed_siblings(folder / name, gzip_too=True)
    return Part(file=name, offset=offset, size=len(chunk))



def write_compressed_siblings(path: Path, gzip_too: bool = False) -> None:
    """`path`.br (and `path`.gz), the encodings serve.py chooses by Accept-Encoding."""
    import brotli  # a serve/test dependency

    data = path.read_bytes()
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11, lgwin=24))
    if gzip_too:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
