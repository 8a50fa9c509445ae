"""tools/bundle.py: a project's archive holds its modules and the browser's SDK, never the test
kit; it is stable and never stale."""

from __future__ import annotations

import fnmatch
import json
import os
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bsconnects.project import CONFIG_NAME, ProjectError, load_project
from tools import bundle

CONFIG = '[integration]\nentry = "acme.main:main"\non-demand-packages = ["phonenumberslite"]\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A project outside the toolkit: a package, its data, its tests, caches."""
    (tmp_path / CONFIG_NAME).write_text(CONFIG)
    package = tmp_path / "acme"
    (package / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text("def main(integration):\n    pass\n")
    (package / "rules.json").write_text("{}")
    (package / "notes.md").write_text("not shipped")
    (package / "__pycache__" / "main.cpython-311.pyc").write_bytes(b"pyc")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_main.py").write_text("")
    return tmp_path


def names(archive: Path) -> set[str]:
    with zipfile.ZipFile(archive) as built:
        return set(built.namelist())


def test_a_projects_archive_holds_its_package_the_sdk_and_the_manifest(folder: Path) -> None:
    """The project's package (modules and data), the SDK and the worker start; not its tests,
    caches or notes, not the reference integration, not the entry script loaded by URL."""
    project = load_project(folder)
    bundle.build(project)
    shipped = names(project.bundle_path)
    assert {"acme/__init__.py", "acme/main.py", "acme/rules.json", "integration/__init__.py",
            "integration/_worker_start.py", "integration/_entry.py", "integration/sdk/__init__.py",
            "integration/sdk/_run.py", "integration/sdk/py.typed", bundle.MANIFEST} <= shipped
    assert not {name for name in shipped if name.startswith(("tests/", "integration/app/", "integration/custom_"))}
    assert not {name for name in shipped if name.endswith((".pyc", ".md"))}
    assert bundle.ENTRY not in shipped
    assert project.bundle_path == folder / ".bsconnects" / "bundle" / "integration.zip"
    assert (folder / ".bsconnects" / ".gitignore").read_text().splitlines()[-1] == "*"  # never committed


def test_the_manifest_tells_the_worker_the_entry_and_packages(folder: Path) -> None:
    """integration/_project.json is what the worker start reads (integration/_entry.py)."""
    from integration._entry import Manifest

    project = load_project(folder)
    manifest = Manifest.from_json(bundle.sources(project)[bundle.MANIFEST].decode())
    assert manifest == Manifest(entry="acme.main:main", modules=("acme",), packages=("pydantic",),
                                on_demand_packages=("phonenumberslite",))


@pytest.mark.parametrize("project_folder", ["toolkit", "outside"])
def test_the_test_kit_is_never_shipped(folder: Path, project_folder: str) -> None:
    """FakeConnects and its parts run under CPython only: not in the toolkit's archive either."""
    project = bundle.toolkit_project() if project_folder == "toolkit" else load_project(folder)
    shipped = set(bundle.shipped_files(project))
    assert not {name for name in shipped if name.startswith("integration/sdk/") and
                (name.endswith("/testing.py") or name.split("/")[-1].startswith("_fake_"))}
    for kit in ("integration/sdk/testing.py", "integration/sdk/_fake_calls.py", "integration/testing/fake.py"):
        assert any(fnmatch.fnmatchcase(kit, pattern) for pattern in bundle.TEST_KIT), kit


def test_the_reference_integration_ships_only_with_the_project_that_names_it(folder: Path) -> None:
    """The toolkit's project ships the whole `integration` package; an outside project that lists
    `integration` in modules gets the same, from the toolkit."""
    assert "integration/app/reference.py" in bundle.shipped_files(bundle.toolkit_project())
    (folder / CONFIG_NAME).write_text('[integration]\nentry = "integration.app.reference:main"\n')
    shipped = bundle.shipped_files(load_project(folder))
    assert shipped["integration/app/reference.py"] == bundle.ROOT / "integration" / "app" / "reference.py"


def test_a_single_module_project_and_a_source_folder(tmp_path: Path) -> None:
    """`modules` may name a module file; `source-dir` is where the modules are looked for."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "acme.py").write_text("def main(integration):\n    pass\n")
    (tmp_path / "src" / "helpers").mkdir()
    (tmp_path / "src" / "helpers" / "__init__.py").write_text("")
    (tmp_path / CONFIG_NAME).write_text(
        '[integration]\nentry = "acme:main"\nsource-dir = "src"\nmodules = ["acme", "helpers"]\n')
    shipped = bundle.shipped_files(load_project(tmp_path))
    assert shipped["acme.py"] == tmp_path / "src" / "acme.py"
    assert "helpers/__init__.py" in shipped


def test_a_configured_module_that_is_not_there_is_named(folder: Path) -> None:
    (folder / CONFIG_NAME).write_text('[integration]\nentry = "acme.main:main"\nmodules = ["acme", "extra"]\n')
    with pytest.raises(ProjectError, match=r"integration.modules: extra is neither a package"):
        bundle.build(load_project(folder))
    assert not (folder / ".bsconnects").exists()


def test_the_same_sources_give_the_same_bytes(folder: Path) -> None:
    """Fixed timestamps: rebuilding unchanged sources changes nothing (browsers keep their copy)."""
    project = load_project(folder)
    first, second = folder / "a.zip", folder / "b.zip"
    bundle.build(project, first)
    os.utime(folder / "acme" / "main.py")
    bundle.build(project, second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("change", ["edited", "added", "removed", "entry"])
def test_a_changed_module_or_entry_makes_the_archive_stale(folder: Path, change: str) -> None:
    """Editing, adding or removing a module, or naming another entry, is noticed, and ensure()
    builds the archive again."""
    project = load_project(folder)
    bundle.build(project)
    assert not bundle.is_stale(project)
    module = folder / "acme" / "main.py"
    if change == "edited":
        module.write_text("def main(integration):\n    return None\n")
        os.utime(module, ns=(project.bundle_path.stat().st_mtime_ns + 10**9,) * 2)
    elif change == "added":
        (folder / "acme" / "extra.py").write_text("")
    elif change == "removed":
        (folder / "acme" / "rules.json").unlink()
    else:
        (folder / CONFIG_NAME).write_text(CONFIG.replace("acme.main:main", "acme.main:other"))
        project = load_project(folder)
    assert bundle.is_stale(project)
    assert bundle.ensure(project) is True
    assert bundle.ensure(project) is False


def test_serve_py_serves_the_projects_archive_and_page_config_never_stale(folder: Path) -> None:
    """A module edited while serve.py runs is in the very next archive it serves; an edited
    bsconnects.toml is read again (the manifest and the page's packages follow it)."""
    from tools import webserver
    from tools.webserver import ServeOptions, build_app

    project = load_project(folder)
    client = TestClient(build_app(ServeOptions(vendor_dir=webserver.VENDOR, project=project)))
    first = client.get("/static/bundle/integration.zip")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    assert "acme/main.py" in names(project.bundle_path)
    module = folder / "acme" / "main.py"
    module.write_text("def main(integration):\n    return 3\n")
    os.utime(module, ns=(project.bundle_path.stat().st_mtime_ns + 10**9,) * 2)
    again = client.get("/static/bundle/integration.zip", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 200
    with zipfile.ZipFile(project.bundle_path) as built:
        assert built.read("acme/main.py").endswith(b"return 3\n")

    page = client.get("/pyscript.toml")
    assert page.status_code == 200 and 'packages = ["pydantic"]' in page.text
    (folder / CONFIG_NAME).write_text(CONFIG.replace("on-demand-packages", "packages"))
    assert 'packages = ["pydantic", "phonenumberslite"]' in client.get("/pyscript.toml").text
    client.get("/static/bundle/integration.zip")
    with zipfile.ZipFile(project.bundle_path) as built:
        assert json.loads(built.read(bundle.MANIFEST))["onDemandPackages"] == []


def test_the_build_takes_a_fresh_archive_as_current_and_a_changed_entry_as_stale(folder: Path) -> None:
    """`bsconnects build` checks the archive against the sources: the manifest is made from
    bsconnects.toml, so it is current while the configuration says the same."""
    from bsconnects.build_inputs import stale_modules

    project = load_project(folder)
    bundle.build(project)
    with zipfile.ZipFile(project.bundle_path) as built:
        members = {name: built.read(name) for name in built.namelist()}
    assert stale_modules(project, members, bundle.ROOT, skip=bundle.ENTRY) == []
    (folder / CONFIG_NAME).write_text(CONFIG.replace("acme.main:main", "acme.main:other"))
    assert stale_modules(load_project(folder), members, bundle.ROOT, skip=bundle.ENTRY) == [bundle.MANIFEST]


def test_the_build_takes_the_toolkits_archive_without_its_test_kit_as_current(tmp_path: Path) -> None:
    """The test kit is left out of the archive on purpose: the build must not call it missing."""
    from bsconnects.build_inputs import stale_modules

    project = bundle.toolkit_project()
    archive = tmp_path / "integration.zip"
    bundle.build(project, archive)
    with zipfile.ZipFile(archive) as built:
        members = {name: built.read(name) for name in built.namelist()}
    assert not any(bundle.is_test_kit(name) for name in members)
    assert stale_modules(project, members, bundle.ROOT, skip=bundle.ENTRY) == []
