"""The few pieces of the WebAssembly binary format the snapshot step reads and writes: the
module's magic and LEB128 numbers (section sizes, counts, constants)."""

from __future__ import annotations

MAGIC = b"\0asm\x01\0\0\0"  # "\0asm", version 1


def leb128(value: int) -> bytes:
    """`value` (unsigned) as LEB128."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def read_leb128(data: bytes, at: int, signed: bool = False) -> tuple[int, int]:
    """The LEB128 number at `at` (signed: as an i32/i64 constant is), and where the next byte is."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if signed and byte & 0x40:
                value -= 1 << shift
            return value, at
