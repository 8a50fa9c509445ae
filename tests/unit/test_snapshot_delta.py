"""tools/snapshot_delta.py: the wasm's memory image, and the snapshot stored as a difference from it."""

from __future__ import annotations

import pytest

from tools import snapshot_delta
from tools.snapshot_delta import DeltaError
from tools.wasm import MAGIC, leb128


def sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def active(offset: int, data: bytes, memory: int | None = None) -> bytes:
    head = leb128(0) if memory is None else leb128(2) + leb128(memory)
    return head + b"\x41" + sleb(offset) + b"\x0b" + leb128(len(data)) + data


def passive(data: bytes) -> bytes:
    return leb128(1) + leb128(len(data)) + data


def wasm(*segments: bytes) -> bytes:
    """A module with a type section (skipped) and a data section holding `segments`."""
    types = b"\x01" + leb128(4) + b"\x01\x60\x00\x00"
    body = leb128(len(segments)) + b"".join(segments)
    return MAGIC + types + b"\x0b" + leb128(len(body)) + body


def pyodide_snapshot(memory: bytes, header: int = 16) -> bytes:
    return b"\0snp" + header.to_bytes(4, "little") + b"\x07" * (header - 8) + memory


def test_the_image_holds_what_instantiation_writes_and_zeros_between() -> None:
    """Active segments at their offsets (one past 127, one for memory 0 by index); a passive one
    is written only when code asks, so it is not part of the image."""
    module = wasm(active(4, b"abc"), passive(b"zz"), active(300, b"\x01\x02", memory=0))
    image = snapshot_delta.memory_image(module)
    assert len(image) == 302
    assert image[:8] == b"\0\0\0\0abc\0" and image[300:] == b"\x01\x02"
    assert image[7:300] == bytes(293)


def test_an_address_above_2_gib_is_read_as_unsigned() -> None:
    """i32.const is signed: 0x80000000 is encoded as a negative number."""
    segments = snapshot_delta._active_segments(wasm(active(-(1 << 31), b"x")))
    assert segments == [(1 << 31, b"x")]


def test_unchanged_bytes_are_stored_as_zeros_and_the_same_call_restores_them() -> None:
    image = snapshot_delta.memory_image(wasm(active(0, b"static data!")))
    memory = b"static DATA!" + b"heap" * 10
    snapshot = pyodide_snapshot(memory)
    stored, delta = snapshot_delta.xor_into(snapshot, image)
    assert delta == {"against": "pyodide.asm.wasm memory after instantiation", "offset": 16, "size": len(image)}
    assert len(stored) == len(snapshot) and stored[:16] == snapshot[:16]
    region = stored[16:16 + len(image)]
    assert region[:7] == bytes(7) and region[7:11] != bytes(4) and region[11:] == bytes(1)
    assert stored[16 + len(image):] == b"heap" * 10
    assert snapshot_delta.xor_into(stored, image)[0] == snapshot


def test_an_image_longer_than_the_memory_covers_only_the_memory() -> None:
    image = snapshot_delta.memory_image(wasm(active(0, b"0123456789")))
    stored, delta = snapshot_delta.xor_into(pyodide_snapshot(b"0123"), image)
    assert delta["size"] == 4 and stored[16:] == bytes(4)


@pytest.mark.parametrize(("module", "why"), [
    (b"not wasm", "not a wasm binary"),
    (wasm(b"\x00\x23\x00\x0b\x01x"), "placed by a global"),
    (wasm(b"\x00\x41\x00\x41\x00\x6a\x0b\x01x"), "not a single constant"),
    (wasm(active(0, b"x", memory=1)), "for memory 1"),
])
def test_an_image_that_cannot_be_worked_out_is_refused(module: bytes, why: str) -> None:
    with pytest.raises(DeltaError, match=why):
        snapshot_delta.memory_image(module)


def test_only_a_pyodide_snapshot_is_changed() -> None:
    with pytest.raises(DeltaError, match="not a Pyodide memory snapshot"):
        snapshot_delta.xor_into(b"\0asm" + bytes(40), b"x")
    with pytest.raises(DeltaError, match="memory at 6"):
        snapshot_delta.xor_into(b"\0snp" + (6).to_bytes(4, "little") + bytes(8), b"x")


def test_an_extensions_region_is_stored_as_a_difference_from_its_image_and_restored_by_the_same_call() -> None:
    """Only the extension's region changes (at its address past the snapshot's header); the entry
    carries the image's size and checksum, which the restore checks before undoing it."""
    memory = b"main" * 4 + b"ext-data-changed" + b"heap" * 4
    snapshot = pyodide_snapshot(memory)
    image = b"ext-data-at-load"
    stored, delta = snapshot_delta.xor_native(snapshot, 16, image)
    assert delta == {"size": 16, "checksum": snapshot_delta.word_checksum(image)}
    assert stored[:32] == snapshot[:32] and stored[48:] == snapshot[48:]
    assert stored[32:41] == bytes(9) and stored[41:48] != bytes(7)
    assert snapshot_delta.xor_native(stored, 16, image)[0] == snapshot


def test_the_word_checksum_is_fnv1a_over_little_endian_words() -> None:
    """The restore computes the same in JavaScript (static/shim/snapshot_delta.mjs, wordChecksum)."""
    assert snapshot_delta.word_checksum(b"") == 0x811C9DC5
    expected = ((0x811C9DC5 ^ 0x04030201) * 0x01000193) & 0xFFFFFFFF
    assert snapshot_delta.word_checksum(b"\x01\x02\x03\x04") == expected
    assert snapshot_delta.word_checksum(b"\x01\x02\x03\x04") != snapshot_delta.word_checksum(b"\x04\x03\x02\x01")


@pytest.mark.parametrize(("address", "image", "why"), [
    (2, b"abcd", "not whole words"),
    (0, b"abc", "not whole words"),
    (8, b"abcdefgh", "past the snapshot's memory"),
])
def test_an_extensions_region_that_does_not_fit_is_refused(address: int, image: bytes, why: str) -> None:
    with pytest.raises(DeltaError, match=why):
        snapshot_delta.xor_native(pyodide_snapshot(bytes(12)), address, image)
