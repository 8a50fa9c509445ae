"""The snapshot's first megabytes stored as a difference from what the browser has anyway.

A memory snapshot begins with the main module's static data: 3.8 MB that instantiating
pyodide.asm.wasm writes into the memory from the wasm's data segments, 98 % of it unchanged when
the snapshot is taken. Stored as is, those bytes cost 1.3 MB of brotli on every cold start, a
second copy of what the wasm download already carries. Stored XORed with the memory as
instantiation leaves it, the unchanged bytes are zeros (61 kB of brotli). The restore
(static/shim/interpreter.mjs) copies that memory right after instantiation, before any code runs,
and XORs it back in before Pyodide reads the snapshot.

The image is a function of the wasm binary alone, and a snapshot is only ever restored into the
exact Pyodide build it was made with, so both sides compute the same image.
"""

from __future__ import annotations

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
    region = int.from_bytes(snapshot[offset:offset + size], "little") ^ int.from_bytes(image[:size], "little")
    out = snapshot[:offset] + region.to_bytes(size, "little") + snapshot[offset + size:]
    return out, {"against": "pyodide.asm.wasm memory after instantiation", "offset": offset, "size": size}
