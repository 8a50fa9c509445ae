"""snapshot.json, the snapshot's pointer: every key, its type and why it is there, in one place.

tools/snapshot_make.py writes it through `SnapshotPointer`, `tools.snapshot_make.verify` (the
set-up, the server, the build) reads it back through the same model, and the restore
(static/shim/snapshot_find.mjs) checks the keys it reads against static/shim/snapshot_pointer.mjs,
made from this model (`python -m tools.snapshot_pointer`; a unit test fails when it is stale).
The keys the restore reads are marked with `restore()`.

Bump `FORMAT` whenever a key changes meaning: both sides then refuse an older pointer (the
set-up makes the snapshot again; the page starts normally until it does).
"""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.snapshot_common import ROOT, SnapshotError

FORMAT = 6  # 4: the memory's start stored as a delta (tools/snapshot_delta.py); 5: long zero runs left out;
# 6: compiled extensions' memory stored as a delta too
POINTER = "snapshot.json"
JS_MODULE = ROOT / "static" / "shim" / "snapshot_pointer.mjs"


def restore(default: Any = ...) -> Any:
    """A key the restore (static/shim/interpreter.mjs, snapshot_find.mjs) reads: listed, with its
    type, in the generated JS module."""
    return Field(default, json_schema_extra={"restore": True})


class PointerModel(BaseModel):
    """Keys are the pointer's own (snake_case, FORMAT 6); unknown ones are ignored."""

    model_config = ConfigDict(use_attribute_docstrings=True, extra="ignore")


class Part(PointerModel):
    """One file of the snapshot's bytes, interpreter-<sha256[:16]>.bin, with .br/.gz siblings."""

    file: str = restore()
    """Its name in the snapshot's folder (the name changes with the content: cached forever)."""
    offset: int = restore()
    """Where its bytes go in the memory snapshot; the long zero runs between parts are not stored."""
    size: int = restore()
    """How many bytes it holds (at most tools.snapshot_parts.PART_SIZE)."""


class WasmDelta(PointerModel):
    """The memory's start, stored XORed with the memory instantiating Pyodide's wasm leaves."""

    against: str
    """What it is a difference from, for people reading the file."""
    offset: int = restore()
    """Where the memory starts in the snapshot (its header's word): where the difference starts."""
    size: int = restore()
    """How many bytes are stored as a difference."""


class NativeDelta(PointerModel):
    """A compiled extension's memory, stored XORed with what loading the extension writes there."""

    size: int = restore()
    """How many bytes, from the extension's memory start."""
    checksum: int = restore()
    """tools.snapshot_delta.word_checksum of that image: the restore undoes it only with the same."""


class StandIn(PointerModel):
    """What the snapshot's wheel holds in the extension's place (tools.snapshot_wheels.stand_in)."""

    size: int
    """Its size in bytes."""
    sha256: str
    """Its sha256, which it also names in a custom section."""


class Native(PointerModel):
    """A compiled extension, served apart as native-<sha256[:16]>.wasm and loaded before the
    runtime starts, where the snapshot expects it (static/shim/natives.mjs)."""

    file: str = restore()
    """The extension's file in the snapshot's folder."""
    module: str = restore()
    """Its path relative to site-packages."""
    package: str
    """The lock's key of the package it comes from."""
    wheel: str
    """The wheel it was copied out of."""
    size: int
    """The extension's size in bytes."""
    sha256: str
    """The extension's sha256 (its file is named after it)."""
    stand_in: StandIn
    """What the snapshot's wheel holds in its place."""
    memory: tuple[int, int] = restore()
    """[start, end) of its memory when the snapshot was made: a restore must place it there."""
    table: tuple[int, int] = restore()
    """[start, end) of its function table slots when the snapshot was made."""
    handles: list[int] = restore()
    """The dlopen handles Python holds for it in the snapshot, answered again after a restore."""
    delta: NativeDelta | None = restore(None)
    """Its memory stored as a difference; absent when stored whole."""


class SitePackages(PointerModel):
    """site-index-<hash>.json: where each file lies in the stored wheels, so that a restore
    installs them without downloading them (tools.snapshot_wheels.write_site_index)."""

    file: str = restore()
    """The index's file in the snapshot's folder; if it cannot be fetched, the wheels are unpacked."""
    packages: list[str]
    """The lock's keys of the wheels it covers."""


class StdlibIndex(PointerModel):
    """stdlib-index-<hash>.bin: the stdlib archive's end that every start reads, served apart."""

    file: str = restore()
    """Its file in the snapshot's folder; if it cannot be fetched, it is read from the archive by range."""
    offset: int = restore()
    """Where in the archive its bytes start."""
    archive_size: int = restore()
    """The whole archive's size."""


class SnapshotPointer(PointerModel):
    """snapshot.json: what the snapshot is, what it was made for and which files make it up."""

    format: int = restore()
    """`FORMAT` when written: any other number is refused on both sides."""
    fingerprint: str
    """tools.snapshot_make.fingerprint: the runtime lock and the generator's own sources."""
    pyodide: str = restore()
    """The Pyodide version it was made with: the restore refuses any other."""
    parts: list[Part] = restore()
    """The snapshot's bytes, in order, never overlapping."""
    sha256: str
    """Of the whole snapshot as stored (zeros between the parts)."""
    size: int = restore()
    """The whole snapshot's size: the buffer the restore streams the parts into."""
    brotli_size: int
    """What the parts weigh in brotli, for the set-up's summary."""
    delta: WasmDelta | None = restore(None)
    """The memory's start stored as a difference; absent when stored whole."""
    modules: list[str]
    """The modules frozen in it."""
    left_out: list[str] = []
    """Modules that failed to import while freezing (the build names the integration's)."""
    project: str
    """bsconnects.project.Project.entry_digest: made again for another entry, modules or packages."""
    made: str
    """When it was made (UTC, ISO 8601)."""
    native: list[Native] = restore([])
    """The compiled extensions loaded before the runtime starts."""
    table_size: int = restore()
    """The function table's size when frozen: a restore must find the same."""
    integration_frozen: dict[str, str] = {}
    """Frozen integration modules -> sha256 of their source: changed ones make it again."""
    site_packages: SitePackages = restore()
    """The stored wheels' index (if the restore cannot fetch it, it unpacks the wheels)."""
    stdlib_index: StdlibIndex = restore()
    """The stdlib archive's index (if the restore cannot fetch it, it reads it from the archive)."""
    integration_bytecode: str = restore()
    """integration-<hash>.zip: the integration's modules compiled, unpacked before PyScript writes them."""
    integration_sources: str
    """tools.snapshot_make.integration_digest when the bytecode was compiled (refreshed when it changes)."""
    integration_modules: int
    """How many modules the bytecode holds."""
    files: dict[str, str]
    """Every file of the snapshot's folder but the pointer -> its sha256, checked by `verify`."""

    def dump(self) -> str:
        """The pointer's text; keys that are None are left out (the restore reads them as absent)."""
        return json.dumps(self.model_dump(mode="json", exclude_none=True), indent=1) + "\n"


def read_pointer(folder: Path) -> SnapshotPointer:
    """The pointer in `folder`, validated; SnapshotError says why there is none to use."""
    try:
        text = (folder / POINTER).read_text()
    except OSError:
        raise SnapshotError(f"no {POINTER}: no snapshot was made") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise SnapshotError(f"{POINTER} is not JSON: make it again") from None
    found = data.get("format") if isinstance(data, dict) else None
    if found != FORMAT:
        raise SnapshotError(f"{POINTER} is of format {found}, this toolkit reads {FORMAT}: make it again")
    try:
        return SnapshotPointer.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SnapshotError(f"{POINTER} does not validate ({where}: {first['msg']}): make it again") from None


def write_pointer(folder: Path, pointer: SnapshotPointer) -> None:
    """Replace the pointer atomically: a reader sees the old one or the new one, whole."""
    temporary = folder / (POINTER + ".tmp")
    temporary.write_text(pointer.dump())
    temporary.replace(folder / POINTER)


# ---------------------------------------------------------------- the restore's copy, in JavaScript


def _js_type(annotation: Any) -> str:
    """The JSON type the restore checks: "number", "string", "array", "object", a model's name for
    an object of that shape, "Name[]" for an array of them, with "?" when it may be null or absent."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (Union, types.UnionType) and type(None) in args:
        [inner] = [arg for arg in args if arg is not type(None)]
        return _js_type(inner) + "?"
    if origin in (list, tuple):
        item = args[0] if args else None
        return f"{item.__name__}[]" if isinstance(item, type) and issubclass(item, PointerModel) else "array"
    if origin is dict or annotation is dict:
        return "object"
    if isinstance(annotation, type) and issubclass(annotation, PointerModel):
        return annotation.__name__
    return {int: "number", str: "string", bool: "boolean"}[annotation]


def restore_shapes() -> dict[str, dict[str, str]]:
    """Each model the restore reads -> its keys the restore reads -> their JS type."""
    shapes: dict[str, dict[str, str]] = {}
    todo: list[type[PointerModel]] = [SnapshotPointer]
    while todo:
        model = todo.pop(0)
        if model.__name__ in shapes:
            continue
        hints = typing.get_type_hints(model)
        shape = {}
        for name, field in model.model_fields.items():
            if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("restore"):
                kind = _js_type(hints[name])
                # A key with a default may be absent: the restore reads it as that default.
                shape[name] = kind if field.is_required() or kind.endswith("?") else kind + "?"
        shapes[model.__name__] = shape
        todo += [globals()[kind.rstrip("[]?")] for kind in shape.values() if kind.rstrip("[]?")[0].isupper()]
    return shapes


def js_module() -> str:
    """static/shim/snapshot_pointer.mjs as this model makes it."""
    shapes = ",\n".join(
        f"  {name}: {{ {', '.join(f'{key}: {json.dumps(kind)}' for key, kind in shape.items())} }}"
        for name, shape in restore_shapes().items())
    return (
        "// Made from tools/snapshot_pointer.py by `python -m tools.snapshot_pointer`: do not edit.\n"
        "// The snapshot pointer's format and the keys the restore (interpreter.mjs, snapshot_find.mjs)\n"
        "// reads, with their JSON types: a model's name is an object of that shape, \"[]\" an array of\n"
        "// them, \"?\" null or absent.\n\n"
        f"export const FORMAT = {FORMAT};\n\n"
        f"export const SHAPES = {{\n{shapes},\n}};\n"
    )


def main() -> int:
    JS_MODULE.write_text(js_module())
    print(f"[snapshot] wrote {JS_MODULE.relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
