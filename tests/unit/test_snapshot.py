"""The snapshot step without a browser: what is frozen, how wheels are stored, when a snapshot is usable."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from bsconnects.project import load_project
from tools import bundle, snapshot, snapshot_browser, snapshot_make, snapshot_parts, snapshot_wheels
from tools.served_files import SNAPSHOT_BLOB
from tools.snapshot_common import sha256
from tools.snapshot_pointer import Part, SitePackages, SnapshotPointer, StdlibIndex


def test_plan_freezes_every_package_with_its_compiled_extensions_preloaded() -> None:
    """pydantic-core is frozen too: its extension is loaded before the runtime starts, at a place a
    restore loads it at again; the modules that hold JavaScript objects never are."""
    steps = snapshot_browser.plan()
    assert {"js", "pyodide", "pyscript"} <= set(steps.never)
    assert not {"pydantic", "pydantic_core", "integration"} & set(steps.never)
    assert {"pydantic", "pydantic-core", "typing-extensions", "phonenumberslite"} <= set(steps.freezable_packages)
    [(extension, wheel)] = steps.natives.items()
    assert extension == "pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.so"
    assert wheel.startswith("pydantic_core-")


def test_plan_freezes_only_the_integration_modules_a_start_imports() -> None:
    """What worker_main imports (read from its source), not the tests' fakes nor worker_main."""
    start = snapshot_browser.plan().start
    assert {"integration._frozen", "integration.sdk", "integration.app.reference"} <= set(start)
    # worker_main calls integration._worker_start, which imports these inside its functions.
    assert {"integration._worker_start", "integration.sdk._worker_transport"} <= set(start)
    assert not any(name.endswith(("worker_main", "testing")) for name in start)


def test_plan_imports_every_integration_module_but_the_worker_entry() -> None:
    """The discover phase imports the integration's modules; worker_main would start it, so never."""
    targets = snapshot_browser.plan().targets
    assert "integration.app.reference" in targets and "integration.sdk" in targets
    assert not any(name.endswith("worker_main") for name in targets)


def outside_project(folder: Path):
    """A project outside the toolkit whose entry module imports a module of its own."""
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "__init__.py").write_text("")
    (folder / "acme" / "main.py").write_text("from . import rules\n\n\ndef main(integration):\n    pass\n")
    (folder / "acme" / "rules.py").write_text("")
    (folder / "bsconnects.toml").write_text('[integration]\nentry = "acme.main:main"\n')
    return load_project(folder)


def test_plan_freezes_the_configured_entry_of_a_project(tmp_path: Path) -> None:
    """The entry's module is imported at start like the worker start's own (its imports follow
    in the browser); the project's package is the project's, its packages the configured ones."""
    steps = snapshot_browser.plan(outside_project(tmp_path))
    assert {"acme.main", "integration._worker_start", "integration._entry", "integration.sdk"} <= set(steps.start)
    assert "integration.app.reference" not in steps.start
    assert steps.tops == ["acme", "integration"]
    assert steps.packages == ["pydantic"] and "phonenumberslite" not in steps.freezable_packages
    assert {"acme/main.py", "acme/rules.py", bundle.MANIFEST} <= set(steps.files)
    assert "acme.main" in steps.targets and "acme.rules" in steps.targets


def test_the_toolkits_plan_freezes_its_on_demand_package() -> None:
    """phonenumberslite comes from bsconnects.toml's on-demand-packages, not from the tool."""
    steps = snapshot_browser.plan()
    assert steps.packages == ["pydantic", "phonenumberslite"]
    assert "integration.app.reference" in steps.start


def test_a_snapshot_made_for_another_entry_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry, its modules or its packages changed: the frozen modules are not the ones a start
    imports any more."""
    project = outside_project(tmp_path / "project")
    project.snapshot_dir.parent.mkdir(parents=True)
    write_snapshot(project.snapshot_dir, project=bundle.toolkit_project().entry_digest)
    made: list[Path] = []
    monkeypatch.setattr(snapshot, "make", lambda project, out: made.append(out))
    assert snapshot.ensure(project=project) == 0
    assert made == [project.snapshot_dir]


SIDE_MODULE = (b"\0asm\x01\0\0\0" + b"\0\x0d\x08dylink.0" + b"\x01\x02\x03\x04"  # dylink.0, 4 bytes of data
               + b"\x01\x04\x01\x60\0\0" + b"\x0a" * 50)  # a type section and more: dropped


def test_a_stand_in_keeps_only_the_dylink_section_and_names_the_real_module() -> None:
    """Pyodide reads the memory/table needs from dylink.0 before instantiating: kept byte for byte."""
    replacement = snapshot_wheels.stand_in(SIDE_MODULE, "ab" * 32)
    assert replacement.startswith(SIDE_MODULE[:8 + 2 + 9 + 4])
    assert replacement.endswith(b"bsc.native" + b"ab" * 32)
    assert b"\x60" not in replacement and len(replacement) < len(SIDE_MODULE) + 50


def test_only_a_side_module_gets_a_stand_in() -> None:
    with pytest.raises(snapshot.SnapshotError, match="dylink.0"):
        snapshot_wheels.stand_in(b"\0asm\x01\0\0\0" + b"\0\x05\x04name" + b"\0", "ab" * 32)
    with pytest.raises(snapshot.SnapshotError, match="not a wasm module"):
        snapshot_wheels.stand_in(b"ELF" + bytes(20), "ab" * 32)


def test_a_replaced_file_gets_its_record_line_updated(tmp_path: Path) -> None:
    """The wheel's RECORD keeps matching its files: hash and size of the stand-in."""
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pkg/_ext.so", SIDE_MODULE)
        archive.writestr("pkg/__init__.py", "")
        archive.writestr("pkg-1.0.dist-info/RECORD", "pkg/_ext.so,sha256=old,78\npkg/__init__.py,sha256=x,0\n")
    snapshot_wheels.copy_wheel(wheel, tmp_path / "out.whl", {"pkg/_ext.so": b"NEW"})
    with zipfile.ZipFile(tmp_path / "out.whl") as out:
        assert out.read("pkg/_ext.so") == b"NEW"
        assert {info.compress_type for info in out.infolist()} == {zipfile.ZIP_STORED}
        assert out.read("pkg/__init__.py") == b"" and not any(name.endswith(".pyc") for name in out.namelist())
        record = out.read("pkg-1.0.dist-info/RECORD").decode().splitlines()
    digest = base64.urlsafe_b64encode(hashlib.sha256(b"NEW").digest()).rstrip(b"=").decode()
    assert record == [f"pkg/_ext.so,sha256={digest},3", "pkg/__init__.py,sha256=x,0"]


def test_a_copied_wheel_is_stored_and_served_compressed_as_a_whole(tmp_path: Path) -> None:
    """Brotli over the stored archive beats each file's own deflate (1.09 -> 0.59 MB for the
    snapshot's wheels): the copy is stored, with .br and .gz siblings holding the same bytes."""
    import brotli

    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    module = "".join(f"def handler_{n}(event):\n    return event.get('value_{n}')\n\n" for n in range(400))
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("a", "b", "c"):
            archive.writestr(f"pkg/{name}.py", module.replace("handler", f"{name}_handler"))
    snapshot_wheels.copy_wheel(wheel, tmp_path / "out.whl", {})
    stored = (tmp_path / "out.whl").read_bytes()
    assert brotli.decompress((tmp_path / "out.whl.br").read_bytes()) == stored
    assert gzip.decompress((tmp_path / "out.whl.gz").read_bytes()) == stored
    assert (tmp_path / "out.whl.br").stat().st_size < wheel.stat().st_size / 2


def test_the_site_index_says_where_each_file_of_a_stored_wheel_lies(tmp_path: Path) -> None:
    """A restore reads the snapshot's wheels by range (static/shim/remote_files.mjs): each recorded
    range of the wheel is exactly that file's bytes, and the index is named by its content."""
    source = tmp_path / "pkg-1.0-py3-none-any.whl"
    files = {"pkg/__init__.py": b"VALUE = 1\n", "pkg/data/region_US.py": b"x" * 5000,
             "pkg-1.0.dist-info/METADATA": b"Name: pkg\nVersion: 1.0\n", "pkg/empty.py": b""}
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pkg/", b"")  # a directory entry: not a file
        for name, data in files.items():
            archive.writestr(name, data)
    folder = tmp_path / "out"
    folder.mkdir()
    snapshot_wheels.copy_wheel(source, folder / source.name, {})
    lock = {"packages": {"pkg": {"name": "pkg", "file_name": source.name, "install_dir": "site", "sha256": "ab"}}}
    entry = snapshot_wheels.write_site_index(lock, folder)
    index = (folder / entry.file).read_bytes()
    assert (entry.file, entry.packages) == (f"site-index-{sha256(index)[:16]}.json", ["pkg"])
    assert SNAPSHOT_BLOB.fullmatch(entry.file)
    package = json.loads(index)["packages"]["pkg"]
    wheel = (folder / source.name).read_bytes()
    assert package["size"] == len(wheel) and package["install_dir"] == "site" and package["sha256"] == "ab"
    assert {name: wheel[offset:offset + size] for name, offset, size in package["files"]} == files


@pytest.mark.parametrize("member", ["pkg-1.0.data/scripts/tool", "pkg/compressed.py"])
def test_a_wheel_that_cannot_be_read_by_range_is_left_to_a_normal_install(tmp_path: Path, member: str) -> None:
    """A compressed member, or one an install moves elsewhere (a .data folder): not indexed."""
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("pkg/__init__.py", b"")
        archive.writestr(member, b"data " * 100, zipfile.ZIP_DEFLATED if "compressed" in member else zipfile.ZIP_STORED)
    assert snapshot_wheels.stored_members(wheel) is None
    lock = {"packages": {"pkg": {"name": "pkg", "file_name": wheel.name, "install_dir": "site", "sha256": "ab"}}}
    entry = snapshot_wheels.write_site_index(lock, tmp_path)
    assert entry.packages == []


def test_the_stdlib_index_is_the_archives_end_that_zip_readers_touch(tmp_path: Path) -> None:
    """The central directory, and the last 64 kB where zipimport searches for the end record."""
    archive = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        for number in range(30):
            out.writestr(f"pkg/mod{number}.py", f"X = {number}\n".encode() * 800)
    folder = tmp_path / "out"
    folder.mkdir()
    entry = snapshot_wheels.extract_stdlib_index(archive, folder)
    data = archive.read_bytes()
    index = (folder / entry.file).read_bytes()
    with zipfile.ZipFile(archive) as opened:
        central_directory = data[opened.start_dir:]
    assert entry.archive_size == len(data) > 2 * snapshot_wheels.ZIP_END_SEARCH
    assert data[entry.offset:] == index and len(index) == snapshot_wheels.ZIP_END_SEARCH
    assert index.endswith(central_directory) and b"pkg/mod29.py" in central_directory
    assert entry.file == f"stdlib-index-{sha256(index)[:16]}.bin"


def write_snapshot(folder: Path, **changes: object) -> SnapshotPointer:
    """A snapshot folder with a pointer of every key (`changes` replace some, None removes one)."""
    folder.mkdir()
    (folder / "interpreter-0123456789abcdef.bin").write_bytes(b"memory")
    (folder / "pyodide-lock.json").write_text("{}")
    pointer = SnapshotPointer(
        format=snapshot.FORMAT, fingerprint=snapshot.fingerprint(), pyodide="314.0.7",
        parts=[Part(file="interpreter-0123456789abcdef.bin", offset=0, size=6)], sha256=sha256(b"memory"),
        size=6, brotli_size=10, modules=["pydantic"], project=bundle.toolkit_project().entry_digest,
        made="2020-01-01T00:00:00Z", table_size=1, integration_bytecode="integration-0123456789abcdef.zip",
        integration_sources="", integration_modules=0,
        site_packages=SitePackages(file="site-index-0123456789abcdef.json", packages=[]),
        stdlib_index=StdlibIndex(file="stdlib-index-0123456789abcdef.bin", offset=0, archive_size=0),
        files={name: sha256((folder / name).read_bytes())
               for name in ("interpreter-0123456789abcdef.bin", "pyodide-lock.json")})
    data = {**pointer.model_dump(mode="json"), **changes}
    (folder / snapshot.POINTER).write_text(json.dumps({key: value for key, value in data.items() if value is not None}))
    return pointer


def test_a_current_intact_snapshot_is_usable(tmp_path: Path) -> None:
    """Same runtime and generator, every file matching its sha256: verified."""
    pointer = write_snapshot(tmp_path / "snap")
    assert snapshot.verify(tmp_path / "snap") == pointer


@pytest.mark.parametrize("damage", ["no pointer", "other runtime", "tampered", "missing file"])
def test_an_unusable_snapshot_is_refused(tmp_path: Path, damage: str) -> None:
    """A missing pointer, another runtime's snapshot, a changed or missing file: refused with a reason."""
    folder = tmp_path / "snap"
    write_snapshot(folder, **({"fingerprint": "0" * 64} if damage == "other runtime" else {}))
    if damage == "no pointer":
        (folder / snapshot.POINTER).unlink()
    elif damage == "tampered":
        (folder / "pyodide-lock.json").write_text('{"changed": 1}')
    elif damage == "missing file":
        (folder / "interpreter-0123456789abcdef.bin").unlink()
    with pytest.raises(snapshot.SnapshotError):
        snapshot.verify(folder)


def test_the_set_up_step_never_fails_and_never_leaves_a_stale_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No browser to make it: the set-up goes on (exit 0), and the out-of-date snapshot is removed."""
    folder = tmp_path / "snap"
    write_snapshot(folder, fingerprint="0" * 64)

    def no_browser(project: object, out: Path) -> dict:
        raise snapshot.SnapshotError("no Chromium found")

    monkeypatch.setattr(snapshot, "make", no_browser)
    assert snapshot.ensure(out=folder) == 0
    assert not folder.exists()
    assert "starts without it" in capsys.readouterr().out


def test_the_fingerprint_follows_the_runtime_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another runtime lock gives another fingerprint, so the set-up makes the snapshot again."""
    before = snapshot.fingerprint()
    monkeypatch.setattr(snapshot_make.runtime, "lock_fingerprint", lambda: "another runtime")
    assert snapshot.fingerprint() != before


def test_integration_bytecode_is_zipped_and_recorded_in_the_pointer(tmp_path: Path) -> None:
    """The compiled modules become integration-<hash>.zip, listed and hashed in snapshot.json."""
    folder = tmp_path / "snap"
    pointer = write_snapshot(folder)
    (folder / "integration-00000000000000ff.zip").write_bytes(b"stale")
    pyc = {"integration/__pycache__/x.cpython-314.pyc": base64.b64encode(b"PYC").decode()}
    snapshot_make.write_integration_bytecode(folder, pointer, pyc)
    written = json.loads((folder / snapshot.POINTER).read_text())
    with zipfile.ZipFile(folder / written["integration_bytecode"]) as archive:
        assert archive.read("integration/__pycache__/x.cpython-314.pyc") == b"PYC"
    assert written["integration_sources"] == snapshot_make.integration_digest()
    assert not (folder / "integration-00000000000000ff.zip").exists()
    assert snapshot.verify(folder).integration_bytecode == written["integration_bytecode"]


@pytest.mark.parametrize("sources_changed", [True, False])
def test_the_set_up_step_recompiles_only_a_changed_integration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources_changed: bool
) -> None:
    """A current snapshot is kept; its integration bytecode is refreshed only when a source changed."""
    folder = tmp_path / "snap"
    write_snapshot(folder, integration_sources="old" if sources_changed else snapshot_make.integration_digest())
    refreshed: list[Path] = []
    monkeypatch.setattr(snapshot, "refresh_integration_bytecode", lambda project, out: refreshed.append(out))
    monkeypatch.setattr(snapshot, "make", lambda project, out: pytest.fail("a current snapshot must not be made again"))
    assert snapshot.ensure(out=folder) == 0
    assert refreshed == ([folder] if sources_changed else [])


def test_a_changed_frozen_integration_module_makes_the_snapshot_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module frozen in the snapshot changed: its copy would be dropped at every start (slower),
    so the set-up makes the snapshot again rather than only recompiling."""
    folder = tmp_path / "snap"
    source = snapshot_browser.integration_files()["integration/sdk/_enums.py"]
    frozen = {"integration.sdk._enums": hashlib.sha256(source.encode()).hexdigest(),
              "integration.sdk._gone": "0" * 64}
    write_snapshot(folder, integration_sources="old", integration_frozen=frozen)
    assert snapshot_make.frozen_integration_changed(snapshot_make.read_pointer(folder)) == ["integration.sdk._gone"]
    made: list[Path] = []
    monkeypatch.setattr(snapshot, "make", lambda project, out: made.append(out))
    monkeypatch.setattr(snapshot, "refresh_integration_bytecode",
                        lambda project, out: pytest.fail("made again instead"))
    assert snapshot.ensure(out=folder) == 0
    assert made == [folder]


def test_the_snapshot_is_written_in_parts_that_cover_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of PART_SIZE bytes, in order, named by their content, each with brotli and gzip."""
    monkeypatch.setattr(snapshot_parts, "PART_SIZE", 4)
    data = b"0123456789"
    parts = snapshot_parts.write_parts(data, tmp_path)
    assert [(part.offset, part.size) for part in parts] == [(0, 4), (4, 4), (8, 2)]
    assert b"".join((tmp_path / part.file).read_bytes() for part in parts) == data
    assert len({part.file for part in parts}) == 3
    for part in parts:
        assert (tmp_path / (part.file + ".br")).is_file() and (tmp_path / (part.file + ".gz")).is_file()
        assert SNAPSHOT_BLOB.fullmatch(part.file)  # served as immutable


def test_long_runs_of_zeros_are_left_out_of_the_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore streams the parts into a zeroed buffer: whole zero blocks adding up to ZERO_RUN or
    more are not stored (the last block may be short); a shorter run, or zeros sharing a block
    with data, are."""
    monkeypatch.setattr(snapshot_parts, "ZERO_BLOCK", 4)
    monkeypatch.setattr(snapshot_parts, "ZERO_RUN", 8)
    #      blocks: data  | 2 zero  | data  | 1 zero  | x...   | 2 zero   | data   | 2 zero + 1 byte
    data = b"head" + bytes(8) + b"mid!" + bytes(4) + b"x" + bytes(11) + b"tail" + bytes(9)
    assert snapshot_parts.stored_extents(data) == [(0, 4), (12, 24), (32, 36)]
    monkeypatch.setattr(snapshot_parts, "PART_SIZE", 8)
    parts = snapshot_parts.write_parts(data, tmp_path)
    assert [(part.offset, part.size) for part in parts] == [(0, 4), (12, 8), (20, 4), (32, 4)]
    rebuilt = bytearray(len(data))
    for part in parts:
        rebuilt[part.offset:part.offset + part.size] = (tmp_path / part.file).read_bytes()
    assert bytes(rebuilt) == data
    assert snapshot_parts.stored_extents(bytes(20)) == [] and snapshot_parts.stored_extents(b"") == []
