"""tools/bundle.py: the archive of the integration's modules is complete, stable and never stale."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tools import bundle


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "integration" / "sdk").mkdir(parents=True)
    (tmp_path / "integration" / "__init__.py").write_text("")
    (tmp_path / "integration" / "sdk" / "client.py").write_text("X = 1\n")
    (tmp_path / "integration" / "sdk" / "py.typed").write_text("")
    (tmp_path / "integration" / "worker_main.py").write_text("print('entry')\n")
    (tmp_path / "integration" / "notes.txt").write_text("not shipped")
    return tmp_path


def test_the_archive_holds_the_modules_and_not_the_entry_script(project: Path) -> None:
    """Modules and py.typed go in; the entry script (loaded by URL) and other files do not."""
    archive = project / "out" / "integration.zip"
    assert bundle.build(project, archive) == 3
    with zipfile.ZipFile(archive) as built:
        assert sorted(built.namelist()) == ["integration/__init__.py", "integration/sdk/client.py",
                                            "integration/sdk/py.typed"]
        assert built.read("integration/sdk/client.py") == b"X = 1\n"


def test_the_same_sources_give_the_same_bytes(project: Path) -> None:
    """Fixed timestamps: rebuilding unchanged sources changes nothing (browsers keep their copy)."""
    first, second = project / "a.zip", project / "b.zip"
    bundle.build(project, first)
    os.utime(project / "integration" / "sdk" / "client.py")
    bundle.build(project, second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("change", ["edited", "added", "removed"])
def test_a_changed_module_makes_the_archive_stale(project: Path, change: str) -> None:
    """Editing, adding or removing a module is noticed, and ensure() builds it again."""
    archive = project / "integration.zip"
    bundle.build(project, archive)
    assert not bundle.is_stale(project, archive)
    module = project / "integration" / "sdk" / "client.py"
    if change == "edited":
        module.write_text("X = 2\n")
        os.utime(module, ns=(archive.stat().st_mtime_ns + 10**9,) * 2)
    elif change == "added":
        (project / "integration" / "sdk" / "extra.py").write_text("")
    else:
        module.unlink()
    assert bundle.is_stale(project, archive)
    assert bundle.ensure(project, archive) is True
    assert bundle.ensure(project, archive) is False


def test_serve_py_never_serves_a_stale_archive(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """A module edited while serve.py runs is in the very next archive it serves."""
    from tools import webserver
    from tools.webserver import ServeOptions, build_app

    archive = project / "static" / "bundle" / "integration.zip"
    monkeypatch.setattr(bundle, "ROOT", project)
    monkeypatch.setattr(bundle, "ARCHIVE", archive)
    monkeypatch.setattr(bundle, "ensure", lambda: bundle.is_stale(project, archive) and bundle.build(project, archive))
    client = TestClient(build_app(ServeOptions(vendor_dir=webserver.VENDOR)))
    first = client.get("/static/bundle/integration.zip")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    module = project / "integration" / "sdk" / "client.py"
    module.write_text("X = 3\n")
    os.utime(module, ns=(archive.stat().st_mtime_ns + 10**9,) * 2)
    again = client.get("/static/bundle/integration.zip", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 200
    with zipfile.ZipFile(archive) as built:
        assert built.read("integration/sdk/client.py") == b"X = 3\n"
