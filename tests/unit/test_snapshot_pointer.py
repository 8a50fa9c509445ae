"""snapshot.json's model: what is refused on read, and the restore's JavaScript copy kept in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_snapshot import write_snapshot

from tools import snapshot, snapshot_pointer
from tools.snapshot_common import ROOT, SnapshotError
from tools.snapshot_pointer import FORMAT, JS_MODULE, POINTER, read_pointer, restore_shapes

SHIM = ROOT / "static" / "shim"
# The modules of the restore that read the pointer's keys.
READERS = [SHIM / "interpreter.mjs", SHIM / "snapshot_find.mjs"]


def test_a_pointer_reads_back_as_written(tmp_path: Path) -> None:
    """What the model writes, it reads back unchanged: keys that are None are left out, not null."""
    pointer = write_snapshot(tmp_path / "snap")
    (tmp_path / "snap" / POINTER).write_text(pointer.dump())
    assert read_pointer(tmp_path / "snap") == pointer
    assert "null" not in pointer.dump() and '"delta"' not in pointer.dump()


@pytest.mark.parametrize("change, reason", [
    ({"table_size": None}, "table_size: Field required"),
    ({"parts": [{"file": "interpreter-0123456789abcdef.bin", "offset": "start", "size": 6}]}, "parts.0.offset"),
    ({"format": FORMAT - 1}, f"of format {FORMAT - 1}, this toolkit reads {FORMAT}"),
])
def test_a_pointer_that_does_not_validate_is_refused_with_the_key_named(
    tmp_path: Path, change: dict, reason: str
) -> None:
    """A key missing, of the wrong type, or another format: not usable, and the reason says which."""
    write_snapshot(tmp_path / "snap", **change)
    with pytest.raises(SnapshotError, match=re.escape(reason)):
        snapshot.verify(tmp_path / "snap")


def test_a_pointer_that_is_not_json_is_refused(tmp_path: Path) -> None:
    write_snapshot(tmp_path / "snap")
    (tmp_path / "snap" / POINTER).write_text("{")
    with pytest.raises(SnapshotError, match="not JSON"):
        read_pointer(tmp_path / "snap")


def test_every_key_says_why_it_is_there() -> None:
    """The model is the pointer's documentation: every key of every part of it has a docstring."""
    models = [model for model in vars(snapshot_pointer).values()
              if isinstance(model, type) and issubclass(model, snapshot_pointer.PointerModel)
              and model is not snapshot_pointer.PointerModel]
    assert len(models) == 8
    undocumented = [f"{model.__name__}.{key}" for model in models
                    for key, field in model.model_fields.items() if not field.description]
    assert undocumented == []


def test_the_restores_copy_of_the_model_is_current() -> None:
    """static/shim/snapshot_pointer.mjs is made from the model: remake it with
    `python -m tools.snapshot_pointer` when this fails."""
    assert JS_MODULE.read_text() == snapshot_pointer.js_module(), "run: python -m tools.snapshot_pointer"


def test_the_restore_reads_its_format_and_keys_from_the_model() -> None:
    """The restore takes FORMAT from the generated module, and reads only pointer keys the model
    lists for it (so a key renamed in the model fails here, not in a browser)."""
    finder = READERS[1].read_text()
    assert 'from "./snapshot_pointer.mjs"' in finder
    readers = {path.name for path in SHIM.glob("*.mjs") if re.search(r"\bpointer\.\w", path.read_text())}
    assert readers == {path.name for path in READERS}, readers
    source = "".join(path.read_text() for path in READERS)
    assert not re.search(r"const FORMAT\b", source)
    shapes = restore_shapes()
    read = set(re.findall(r"\bpointer\.(\w+)", source)) | set(re.findall(r"\{ (\w+) \} = snapshot\.pointer", source))
    assert read and read <= set(shapes["SnapshotPointer"]), read - set(shapes["SnapshotPointer"])
    parts = set(re.findall(r"\bpart\.(\w+)", source))
    assert parts and parts <= set(shapes["Part"])
