"""The snapshot's first megabytes stored as a difference from what the browser has anyway.

A memory snapshot begins with the main module's static data: megabytes that instantiating
pyodide.asm.wasm writes into the memory from the wasm's data segments, nearly all of it unchanged
when the snapshot is taken. Stored as is, those bytes would be downloaded on every cold start, a
second copy of what the wasm download already carries. Stored XORed with the memory as
instantiation leaves it, the unchanged bytes are zeros, which brotli all but removes. The restore
(static/shim/interpreter.mjs, static/shim/snapshot_delta.mjs) copies that memory right after
instantiation, before any code runs, and XORs it back in before Pyodide reads the snapshot.

The image is a function of the wasm binary alone, and a snapshot is only ever restored into the
exact Pyodide build it was made with, so both sides compute the same image.

A compiled extension (pydantic-core) is the same story in its own region: loading it writes its
data there, relocated to where it sits, so its image is taken in the browser, by the code that
loads it both when the snapshot is made and when it is restored (static/shim/natives.mjs).
"""

from __future__ import annotations

import struct
from typing import Any

from tools.wasm import MAGIC, read_leb128

DATA_SECTION = 11
I32_CONST = 0x41
END = 0x0B
# Pyodide's snapshot header: magic, then (little-endian u32) where the memory starts.
SNAPSHOT_MAGIC = b"\0snp"


class DeltaError(ValueError):
    """The wasm's memory image cannot be worked out; the snapshot is then stored whole."""


def _active_segments(wasm: bytes) -> list[tuple[int, bytes]]:
    """(offset, bytes) of each data segment instantiation writes into memory 0."""
    if not wasm.startswith(MAGIC):
        raise DeltaError("not a wasm binary")
    segments: list[tuple[int, bytes]] = []
    at = len(MAGIC)
    while at < len(wasm):
        section = wasm[at]
        size, at = read_leb128(wasm, at + 1)
        end = at + size
        if section == DATA_SECTION:
            count, cursor = read_leb128(wasm, at)
            for _ in range(count):
                flags, cursor = read_leb128(wasm, cursor)
                if flags == 1:  # passive: written only when code asks, not by instantiation
                    length, cursor = read_leb128(wasm, cursor)
                    cursor += length
                    continue
                if flags == 2:
                    memory, cursor = read_leb128(wasm, cursor)
                    if memory:
                        raise DeltaError(f"a data segment for memory {memory}")
                elif flags:
                    raise DeltaError(f"a data segment with flags {flags}")
                if wasm[cursor] != I32_CONST:
                    raise DeltaError("a data segment placed by a global, not a constant")
                offset, cursor = read_leb128(wasm, cursor + 1, signed=True)
                offset &= 0xFFFFFFFF  # an i32 address: the constant is signed
                if wasm[cursor] != END:
                    raise DeltaError("a data segment offset that is not a single constant")
                length, cursor = read_leb128(wasm, cursor + 1)
                segments.append((offset, wasm[cursor:cursor + length]))
                cursor += length
        at = end
    return segments


def memory_image(wasm: bytes) -> bytes:
    """The memory as instantiating `wasm` leaves it, up to its last data byte."""
    segments = _active_segments(wasm)
    image = bytearray(max((offset + len(data) for offset, data in segments), default=0))
    for offset, data in segments:
        image[offset:offset + len(data)] = data
    return bytes(image)


def memory_offset(snapshot: bytes) -> int:
    """Where the memory starts in a Pyodide snapshot (after its header)."""
    if not snapshot.startswith(SNAPSHOT_MAGIC) or len(snapshot) < 8:
        raise DeltaError("not a Pyodide memory snapshot")
    offset = int.from_bytes(snapshot[4:8], "little")
    if offset % 4 or offset > len(snapshot):
        raise DeltaError(f"memory at {offset} in the snapshot")
    return offset


def xor_into(snapshot: bytes, image: bytes) -> tuple[bytes, dict[str, Any]]:
    """`snapshot` with its memory's first len(image) bytes XORed with `image`, and how the
    restore undoes it (the pointer's `delta`). The same call undoes it, given the same image."""
    offset = memory_offset(snapshot)
    size = min(len(image), len(snapshot) - offset)
    if size <= 0:
        raise DeltaError("the image lies past the snapshot's memory")
    out = _xor(snapshot, offset, image[:size])
    return out, {"against": "pyodide.asm.wasm memory after instantiation", "offset": offset, "size": size}


def xor_native(snapshot: bytes, address: int, image: bytes) -> tuple[bytes, dict[str, Any]]:
    """`snapshot` with the memory at `address` XORed with `image`: a compiled extension's region
    as loading it left it (its data, relocated), which the restore copies when it loads the
    extension again (static/shim/natives.mjs). Nearly all of pydantic-core's region is still that,
    so its brotli all but vanishes. The entry (the pointer's native `delta`) carries the image's
    checksum: the restore undoes the difference only with the same image."""
    offset = memory_offset(snapshot)
    if len(image) % 4 or address % 4:
        raise DeltaError(f"an extension's memory at {address} of {len(image)} bytes is not whole words")
    if offset + address + len(image) > len(snapshot):
        raise DeltaError("the extension's memory lies past the snapshot's memory")
    return _xor(snapshot, offset + address, image), {"size": len(image), "checksum": word_checksum(image)}


def word_checksum(data: bytes) -> int:
    """FNV-1a over the little-endian 32-bit words of `data`: cheap to compute in JavaScript
    (static/shim/snapshot_delta.mjs) and enough to tell a different image (not an adversary's)."""
    value = 0x811C9DC5
    for (word,) in struct.iter_unpack("<I", data[:len(data) - len(data) % 4]):
        value = ((value ^ word) * 0x01000193) & 0xFFFFFFFF
    return value


def _xor(snapshot: bytes, at: int, image: bytes) -> bytes:
    size = len(image)
    region = int.from_bytes(snapshot[at:at + size], "little") ^ int.from_bytes(image, "little")
    return snapshot[:at] + region.to_bytes(size, "little") + snapshot[at + size:]
