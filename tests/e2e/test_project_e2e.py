"""An integrator's own project, outside the toolkit, served by `bsconnects serve` as an
integrator runs it: its entry runs in the simulator, from a memory snapshot made for it; an edit
runs at the next reload; a failing entry is named in the page's status panel; `bsconnects build`
writes its deployable folder.

The toolkit is installed from its wheel in a virtual environment of its own
(tests/e2e/installed_toolkit.py), so nothing here reads the checkout: the project is made in a
temporary folder (never inside the repository) and served by that environment's `bsconnects`
console script with the project's folder as working directory. Making its snapshot takes a
minute or more (a headless Chromium imports the entry twice).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from tools.browser import serving

from . import installed_toolkit
from .conftest import wait_ready

SERVE_TIMEOUT_S = 1200  # the snapshot is made first; on a busy 2-core machine that took minutes
MAIN = '''"""A small integration of its own: it says it ran, and how its Python started."""

from integration.sdk import Integration

GREETING = "acme entry ran"


async def main(integration: Integration) -> None:
    await integration.start()
    integration.send_status({"state": "ready", "start": integration.start_info, "acme": GREETING})
    await integration.client.write_log(f"{GREETING}; {integration.start_info}")
'''


class Served:
    """The project's folder, the served base URL, everything `bsconnects serve` printed, and the
    installed toolkit's `bin` folder."""

    def __init__(self, folder: Path, url: str, lines: list[str], bin_dir: Path) -> None:
        self.folder = folder
        self.url = url
        self.lines = lines
        self.bin_dir = bin_dir


# Session-scoped: made once even though pytest runs this module's browser tests (parametrized by
# pytest-playwright) and its other tests apart, with other modules in between.
@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    bin_dir = installed_toolkit.install(tmp_path_factory.mktemp("installed-toolkit"))
    folder = tmp_path_factory.mktemp("acme-connects")
    (folder / "acme").mkdir()
    (folder / "acme" / "__init__.py").write_text("")
    (folder / "acme" / "main.py").write_text(MAIN)
    (folder / "bsconnects.toml").write_text('[integration]\nentry = "acme.main:main"\n')
    lines: list[str] = []
    with serving([str(bin_dir / "bsconnects"), "serve", "--port", "0"], folder, SERVE_TIMEOUT_S, lines) as url:
        yield Served(folder, url, lines, bin_dir)


def integration_frame(page: Page, served: Served) -> Frame:
    """The simulator with the project's page in one tab, once that page says ready or failed."""
    page.goto(f"{served.url}/static/simulator/index.html?integration=/index.html&tabs=1")
    page.wait_for_function("window.connectsSimulator")
    handle = page.locator('iframe[data-tab="1"]').element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_load_state()
    wait_ready(frame)
    return frame


def write_logs(page: Page, text: str) -> list[str]:
    page.wait_for_function("t => connectsSimulator.writeLogs.some(l => l.message.startsWith(t))", arg=text,
                           timeout=30_000)
    return [entry["message"] for entry in page.evaluate("connectsSimulator.writeLogs")
            if entry["message"].startswith(text)]


@pytest.mark.timeout(SERVE_TIMEOUT_S + 300)
def test_the_integrators_entry_runs_in_the_simulator_from_its_snapshot(page: Page, served: Served) -> None:
    """Each step said what it did; the page ran acme.main:main, restored from the snapshot made
    for it, with acme's modules frozen in it (none imported again from source)."""
    said = "".join(served.lines)
    for step in ("[serve] project", "[runtime] ", "[bundle] .bsconnects/bundle/integration.zip",
                 "[snapshot] made .bsconnects/snapshot"):
        assert step in said, said
    frame = integration_frame(page, served)
    assert frame.evaluate("document.documentElement.dataset.integration") == "ready"
    [line] = write_logs(page, "acme entry ran")
    assert line.startswith("acme entry ran; from the memory snapshot"), line
    assert "changed since the snapshot" not in line, line
    assert "acme entry ran" in frame.inner_text("#integration-details")


@pytest.mark.timeout(SERVE_TIMEOUT_S + 300)
def test_an_edited_module_runs_at_the_next_reload(page: Page, served: Served) -> None:
    """The bundle is made again when a project source changed: the edit runs, imported from
    source over its frozen copy (the start line says so)."""
    module = served.folder / "acme" / "main.py"
    module.write_text(MAIN.replace('GREETING = "acme entry ran"', 'GREETING = "acme entry ran, edited"'))
    try:
        integration_frame(page, served)
        [line] = write_logs(page, "acme entry ran, edited")
        assert "1 integration module(s) changed since the snapshot (acme.main)" in line, line
    finally:
        module.write_text(MAIN)


@pytest.mark.timeout(SERVE_TIMEOUT_S + 300)
def test_an_entry_that_fails_in_the_page_is_named_in_the_status_panel(page: Page, served: Served) -> None:
    """A module that raises while importing: the panel says failed, with the entry and the reason
    first, then where, in the project's file."""
    module = served.folder / "acme" / "main.py"
    module.write_text(MAIN + "\nRATIO = 1 / 0\n")
    try:
        frame = integration_frame(page, served)
        assert frame.evaluate("document.documentElement.dataset.integration") == "failed"
        error = frame.inner_text("#integration-error")
        assert error.splitlines()[0] == ('the integration\'s entry "acme.main:main": module acme.main does not '
                                         "import: ZeroDivisionError: division by zero"), error
        assert 'acme/main.py", line' in error and "RATIO = 1 / 0" in error
    finally:
        module.write_text(MAIN)


def installed_python(served: Served, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(served.bin_dir / "python"), "-c", code], capture_output=True, text=True,
                          cwd=served.folder, check=False)


def test_the_toolkit_runs_from_its_installed_wheel_alone(served: Served) -> None:
    """The commands found the toolkit's files in the installed package; the checkout is not
    importable there, and the wheel carries neither the benchmark nor the toolkit's tests."""
    where = installed_python(served, "import bsconnects.project as p; print(p.TOOLKIT_ROOT)")
    toolkit = Path(where.stdout.strip())
    assert toolkit.parts[-2:] == ("bsconnects", "_toolkit") and served.bin_dir.parent in toolkit.parents, where
    assert "No module named 'tools'" in installed_python(served, "import tools").stderr
    assert (toolkit / "serve.py").is_file() and (toolkit / "static" / "shim" / "worker.js").is_file()
    assert not list(toolkit.glob("tools/bench*")) and not (toolkit / "static" / "bench").exists()
    assert not (toolkit / "tests").exists()
    typed = installed_python(served, "import pathlib, integration.sdk as sdk; "
                                     "print(pathlib.Path(sdk.__file__).with_name('py.typed').is_file())")
    assert typed.stdout.strip() == "True", typed  # an integrator's mypy reads the SDK's annotations
    packages = installed_python(served, "from bsconnects.project_config import runtime_packages; "
                                        "print(' '.join(sorted(runtime_packages())))")
    assert "phonenumberslite" in packages.stdout.split() and "pydantic" in packages.stdout.split(), packages


@pytest.mark.timeout(SERVE_TIMEOUT_S + 300)
def test_build_from_the_installed_toolkit_writes_the_deployable_folder(served: Served) -> None:
    """`bsconnects build` in the project: the same steps as serve (all current by now), then the
    folder, with the project's bundle and snapshot and none of the simulator."""
    done = subprocess.run([str(served.bin_dir / "bsconnects"), "build"], cwd=served.folder, capture_output=True,
                          text=True, timeout=SERVE_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    for step in ("[build] project", "[snapshot] snapshot current (verified)", "[build] snapshot: current for this "
                 "entry", "[build] wrote"):
        assert step in done.stdout, done.stdout
    dist = served.folder / "dist"
    assert (dist / "index.html").is_file() and (dist / "DEPLOY.md").is_file()
    assert list(dist.glob("static/snapshot-*/snapshot.json")) and list(dist.glob("static/bundle/integration-*.zip"))
    assert not list(dist.rglob("simulator")) and not list(dist.rglob("connects-library.js"))


@pytest.mark.timeout(SERVE_TIMEOUT_S)
def test_new_then_test_from_the_installed_toolkit_passes_its_smoke_test(served: Served,
                                                                       tmp_path: Path) -> None:
    """The README's first two commands, from the installed toolkit: `new` makes a project whose
    unit tests pass and whose page comes up in the simulator (the smoke test, no snapshot yet)."""
    made = subprocess.run([str(served.bin_dir / "bsconnects"), "new", "acme_first"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    tested = subprocess.run([str(served.bin_dir / "bsconnects"), "test", "-p", "no:cacheprovider"],
                            cwd=tmp_path / "acme_first", capture_output=True, text=True, timeout=600, check=False)
    said = tested.stdout + tested.stderr
    assert tested.returncode == 0, said
    assert " passed" in said and "[test] smoke test passed: ready; the integration's first request:" in said, said
