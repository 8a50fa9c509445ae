"""tools/runtime.py: the generated lock, verification, and the committed lock's coverage."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from tools import runtime

ROOT = Path(__file__).resolve().parents[2]


def test_generated_pyodide_lock_lists_exactly_the_hosted_wheels() -> None:
    """Only hosted wheels are listed, with their real file names, versions and hashes."""
    base = {"info": {"abi_version": "2026_0"}, "packages": {
        "pydantic": {"name": "pydantic", "version": "2.12.5", "file_name": "old.whl"},
        "numpy": {"name": "numpy", "version": "2", "file_name": "numpy.whl"},
    }}
    wheels = [{"name": "pydantic", "version": "2.14.3", "file": "pydantic-2.14.3-py3-none-any.whl",
               "sha256": "ab" * 32, "imports": ["pydantic"], "depends": ["pydantic-core"]},
              {"name": "phonenumberslite", "version": "9.0.42", "file": "p.whl", "sha256": "cd" * 32,
               "imports": ["phonenumbers"], "depends": []}]
    lock = runtime.build_pyodide_lock(base, wheels)
    assert lock["info"] == {"abi_version": "2026_0"}
    assert set(lock["packages"]) == {"pydantic", "phonenumberslite"}
    entry = lock["packages"]["pydantic"]
    assert (entry["version"], entry["file_name"], entry["sha256"]) == ("2.14.3", wheels[0]["file"], "ab" * 32)
    assert entry["install_dir"] == "site" and entry["depends"] == ["pydantic-core"]


def test_copy_verified_refuses_a_mismatch_and_writes_nothing(tmp_path: Path) -> None:
    """A downloaded file whose hash differs from the lock stops the set-up, naming the file."""
    source = tmp_path / "in" / "pyodide.asm.wasm"
    source.parent.mkdir()
    source.write_bytes(b"tampered")
    destination = tmp_path / "out" / "pyodide-1" / "pyodide.asm.wasm"
    with pytest.raises(runtime.RuntimeError_, match="pyodide.asm.wasm.*expected 00"):
        runtime.copy_verified(source, destination, "00" * 32, "npm package pyodide@1")
    assert not destination.exists()


def test_verify_tree_names_a_tampered_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-verification of an installed tree catches a changed file."""
    monkeypatch.setattr(runtime, "ROOT", tmp_path)
    vendor = tmp_path / "vendor"
    (vendor / "a").mkdir(parents=True)
    (vendor / "a" / "x.js").write_text("ok")
    runtime.write_manifest(vendor)
    assert runtime.verify_tree(vendor) == 1
    (vendor / "a" / "x.js").write_text("changed")
    with pytest.raises(runtime.RuntimeError_, match="x.js"):
        runtime.verify_tree(vendor)


def test_lock_pins_every_file_the_page_needs() -> None:
    """The committed lock has a sha256 for every vendored file, and the versions the issue fixes."""
    lock = json.loads((ROOT / "runtime.lock.json").read_text())
    versions = {entry["package"]: entry["version"] for entry in lock["npm"]}
    assert versions == {"@pyscript/core": "0.7.31", "pyodide": "314.0.7"}
    pyodide = next(entry for entry in lock["npm"] if entry["package"] == "pyodide")
    assert {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"} <= set(pyodide["files"])
    wheels = {wheel["name"]: wheel["version"] for wheel in lock["wheels"]["files"]}
    assert wheels["pydantic"] == "2.14.3" and wheels["pydantic_core"] == "2.50.4"
    for digest in [*pyodide["files"].values(), *(wheel["sha256"] for wheel in lock["wheels"]["files"])]:
        assert len(digest) == 64 and int(digest, 16) >= 0


def test_browser_and_cpython_use_the_same_pinned_versions() -> None:
    """pyproject's pins for the SDK match the wheels vendored for the browser."""
    lock = json.loads((ROOT / "runtime.lock.json").read_text())
    wheels = {wheel["name"].lower().replace("_", "-"): wheel["version"] for wheel in lock["wheels"]["files"]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name, version = requirement.split("==")
        assert wheels[name.lower()] == version, requirement


def test_a_missing_npm_is_named_with_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An integrator's machine without Node.js: the fetch says what is missing and how to get it."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm anywhere
    with pytest.raises(runtime.RuntimeError_, match=r"npm is not installed.*apt-get install npm"):
        runtime.fetch_npm("pyodide", "314.0.7", tmp_path)


def test_a_failed_download_says_what_the_fetch_needs(tmp_path: Path) -> None:
    with pytest.raises(runtime.RuntimeError_, match=r"failed to download thing: no luck \(.*npm registry and PyPI"):
        runtime.run([sys.executable, "-c", "import sys; sys.exit('no luck')"], "thing")


def test_a_runtime_folder_it_cannot_write_is_named_with_the_way_out(monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A toolkit installed system-wide, run by a user: one line, not a traceback."""
    def refuse(**_options: bool) -> None:
        raise PermissionError(13, "Permission denied", str(runtime.VENDOR))

    monkeypatch.setattr(runtime, "install", refuse)
    assert runtime.main([]) == 1
    error = capsys.readouterr().err
    assert f"the runtime goes into {runtime.VENDOR}, which this user cannot write" in error
    assert "virtual environment" in error
