"""The configured entry: found and run through the same code in the browser and under CPython;
every way it can be wrong is told apart, with the entry's name, before anything is served."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bsconnects.cli import main as bsconnects
from bsconnects.entry import EntryError as CheckFailed
from bsconnects.entry import check_entry
from bsconnects.project import CONFIG_NAME, load_project
from integration._entry import MANIFEST_NAME, EntryError, Manifest, describe_failure, load_entry, read_manifest

CASES = {
    "missing module": ("shop.nothere:main", 'module shop.nothere not found'),
    "missing package": ("nowhere.main:main", "module nowhere.main not found"),
    "missing dependency": ("shop.needs:main", "module shop.needs does not import: ModuleNotFoundError: "
                                              "No module named 'not_installed'"),
    "raises at import": ("shop.broken:main", "module shop.broken does not import: ZeroDivisionError"),
    "browser-only import": ("shop.browser:main", "import it inside the function that uses it"),
    "missing function": ("shop.main:start", "module shop.main has no start"),
    "not callable": ("shop.main:VERSION", "shop.main.VERSION is not callable (it is a str)"),
}


@pytest.fixture
def project_dir(tmp_path: Path) -> Iterator[Path]:
    """A project with a good entry (shop.main:main) and modules that fail in each way."""
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text('VERSION = "1"\n\n\ndef main(integration):\n    return None\n')
    (package / "needs.py").write_text("import not_installed\n")
    (package / "broken.py").write_text("RATIO = 1 / 0\n")
    (package / "browser.py").write_text("from pyodide.ffi import create_proxy\n")
    (tmp_path / CONFIG_NAME).write_text('[integration]\nentry = "shop.main:main"\n')
    yield tmp_path
    for name in [name for name in sys.modules if name == "shop" or name.startswith("shop.")]:
        del sys.modules[name]


def configure(folder: Path, entry: str) -> Path:
    (folder / CONFIG_NAME).write_text(f'[integration]\nentry = "{entry}"\n')
    return folder


def test_the_entry_is_its_modules_function(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(project_dir))
    function = load_entry("shop.main:main")
    assert function.__module__ == "shop.main" and function.__name__ == "main"


@pytest.mark.parametrize("case", CASES)
def test_each_bad_entry_says_which_and_why(project_dir: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """What the page's status panel shows (the worker start raises the same error)."""
    monkeypatch.syspath_prepend(str(project_dir))
    entry, reason = CASES[case]
    with pytest.raises(EntryError) as caught:
        load_entry(entry)
    assert str(caught.value).startswith(f'the integration\'s entry "{entry}": ')
    assert reason in str(caught.value)


@pytest.mark.parametrize("case", CASES)
def test_the_status_panel_says_which_first_then_where(project_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                      case: str) -> None:
    """The page shows the entry's name and the reason on the first line; an import that raised,
    its traceback in the project's files (not the import machinery's)."""
    monkeypatch.syspath_prepend(str(project_dir))
    with pytest.raises(EntryError) as caught:
        load_entry(CASES[case][0])
    text = describe_failure(caught.value)
    assert text.splitlines()[0] == str(caught.value)
    raised_in_the_project = case in ("missing dependency", "raises at import", "browser-only import")
    assert ("Traceback" in text) is raised_in_the_project and "importlib" not in text
    if raised_in_the_project:
        assert str(project_dir / "shop") in text


@pytest.mark.parametrize("case", ["missing module", "raises at import", "missing function", "not callable"])
def test_the_check_under_cpython_says_the_same(project_dir: Path, case: str) -> None:
    """`check_entry` imports in a subprocess with source-dir on sys.path, and names the key; an
    import that raised comes with its traceback in the project's own files."""
    entry, reason = CASES[case]
    with pytest.raises(CheckFailed) as caught:
        check_entry(load_project(configure(project_dir, entry)))
    message = str(caught.value)
    assert message.startswith(f"{project_dir / CONFIG_NAME}: integration.entry:") and reason in message
    if case == "raises at import":
        assert f'File "{project_dir / "shop" / "broken.py"}", line 1' in message and "importlib" not in message
    assert "shop" not in sys.modules  # imported in another interpreter, never here


def test_a_good_entry_passes_the_check(project_dir: Path) -> None:
    check_entry(load_project(project_dir))


def test_serve_refuses_a_bad_entry_before_making_anything(project_dir: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`bsconnects serve` stops with the reason and exit status 2; no bundle, no snapshot."""
    configure(project_dir, "shop.main:start")
    assert bsconnects(["serve", "--project", str(project_dir)]) == 2
    error = capsys.readouterr().err
    assert "bsconnects serve: " in error and "module shop.main has no start" in error
    assert not (project_dir / ".bsconnects").exists()


def test_serve_refuses_an_unknown_key_before_making_anything(project_dir: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (project_dir / CONFIG_NAME).write_text('[integration]\nentry = "shop.main:main"\nentrypoint = "x"\n')
    assert bsconnects(["serve", "--project", str(project_dir)]) == 2
    assert "integration.entrypoint: unknown key" in capsys.readouterr().err
    assert not (project_dir / ".bsconnects").exists()


def test_the_manifest_is_read_from_the_bundle(tmp_path: Path) -> None:
    """What tools/bundle.py writes next to integration/_entry.py, and a clear error without it."""
    (tmp_path / MANIFEST_NAME).write_text('{"entry": "shop.main:main", "modules": ["shop"], '
                                          '"packages": ["pydantic"], "onDemandPackages": ["phonenumberslite"]}')
    assert read_manifest(str(tmp_path)) == Manifest("shop.main:main", ("shop",), ("pydantic",), ("phonenumberslite",))
    with pytest.raises(EntryError, match="missing or unreadable"):
        read_manifest(str(tmp_path / "elsewhere"))


async def test_the_reference_integration_starts_through_run_and_shows_how_python_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The toolkit's own entry is a plain `main(integration)`; what the worker start recorded is
    `Integration.start_info`, shown in the status panel."""
    from integration.app.reference import main
    from integration.sdk import _startup, run
    from integration.testing import FakeConnects

    assert load_entry(load_project(Path(__file__).resolve().parents[2]).config.integration.entry) is main
    fake = FakeConnects()
    monkeypatch.setattr(_startup, "_start_info", "from the memory snapshot: interpreter in 1 ms, imports 2 ms")
    integration = await run(main, fake.transport)
    await integration.idle()
    assert integration.start_info == "from the memory snapshot: interpreter in 1 ms, imports 2 ms"
    assert fake.ready and fake.status["start"] == integration.start_info
    await integration.close()
