"""``bsconnects test``: the project's unit tests with pytest, then one smoke test in a browser.

pytest runs in the project's folder with the project's source-dir (and the toolkit) importable,
so the tests import the integration's package as the browser does; the exit status is pytest's.
When the unit tests pass and a Chromium is present, a smoke test serves the project with the
toolkit's ``serve.py --project`` and loads its page in the simulator: it passes when the page
says ready and the integration made its first request, i.e. the project's entry ran (the
runtime is set up first, as ``serve`` does; the page starts without a memory snapshot if the
project has none yet). ``--no-smoke`` (taken out of the pytest arguments) leaves the smoke test out.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import integration

from . import toolkit
from .project import TOOLKIT_ROOT, Project, ProjectError, load_project

if TYPE_CHECKING:
    from playwright.sync_api import Page

NO_SMOKE = "--no-smoke"
SERVE = TOOLKIT_ROOT / "serve.py"
SERVE_START_S = 600.0
"""How long serve.py may take to print its URL (a first run makes the project's snapshot)."""
READY_MS = 120_000
SIMULATOR_PAGE = "/static/simulator/index.html?integration=/index.html&tabs=1"


class SmokeFailure(Exception):
    """The project's page did not come up in the simulator; the message says what was seen."""


def test_command(args: argparse.Namespace) -> int:
    """Run the unit tests; when they pass, the smoke test (unless ``--no-smoke``)."""
    project = load_project(args.project)
    extra = [arg for arg in args.extra if arg != NO_SMOKE]
    status = run_unit_tests(project, extra)
    if status != 0 or NO_SMOKE in args.extra:
        return status
    return run_smoke_test(project)


def test_environment(project: Project) -> dict[str, str]:
    """The environment pytest runs in: the project's source-dir and the toolkit importable."""
    toolkit_import_root = Path(integration.__file__).resolve().parent.parent
    paths = [str(project.source_dir), str(toolkit_import_root)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def run_unit_tests(project: Project, pytest_args: list[str]) -> int:
    """pytest in the project's folder; returns its exit status."""
    if importlib.util.find_spec("pytest") is None or importlib.util.find_spec("pytest_asyncio") is None:
        source = TOOLKIT_ROOT if (TOOLKIT_ROOT / "pyproject.toml").is_file() else "bs-connects-pyscript"
        raise ProjectError(f"pytest is not installed with the toolkit: install the toolkit with its test extra "
                           f"(pip install '{source}[test]')")
    print(f"[test] unit tests: pytest in {project.root}", flush=True)
    command = [sys.executable, "-m", "pytest", *pytest_args]
    return subprocess.run(command, cwd=project.root, env=test_environment(project), check=False).returncode


# ---- the smoke test in the simulator ------------------------------------------------------------
def smoke_unavailable() -> str | None:
    """Why the smoke test cannot run here, or None when it can."""
    if str(TOOLKIT_ROOT) not in sys.path:
        sys.path.insert(0, str(TOOLKIT_ROOT))  # the checkout's tools (serve.py's browser helpers)
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (the toolkit's test extra installs it)"
    if not SERVE.is_file() or importlib.util.find_spec("tools.browser") is None:
        return f"no toolkit checkout with serve.py at {TOOLKIT_ROOT}"
    from tools.browser import chromium_path

    if chromium_path() is None:
        return "no Chromium found (install it, or name it in $CHROMIUM)"
    usage = subprocess.run([sys.executable, str(SERVE), "--help"], capture_output=True, text=True, check=False)
    if "--project" not in usage.stdout:
        return "this toolkit's serve.py cannot serve a project (no --project option)"
    return None


def run_smoke_test(project: Project) -> int:
    """The smoke test with its report: 0 when it passed or cannot run here, else 1."""
    reason = smoke_unavailable()
    if reason is not None:
        print(f"[test] smoke test skipped: {reason}")
        return 0
    print("[test] runtime for the smoke test (tools/runtime.py)…", flush=True)
    toolkit.step(["-m", "tools.runtime"], "setting up the runtime")  # fetched once, as serve does
    print("[test] smoke test: the project's page in the simulator (headless Chromium)", flush=True)
    try:
        seen = smoke_test(project)
    except SmokeFailure as failure:
        print(f"[test] smoke test FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"[test] smoke test passed: {seen}")
    return 0


@contextmanager
def serving(project: Project) -> Iterator[str]:
    """``serve.py --project DIR --port 0`` for the block; yields its base URL; echoes its output."""
    command = [sys.executable, str(SERVE), "--project", str(project.root), "--port", "0"]
    proc = subprocess.Popen(command, cwd=TOOLKIT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    url: list[str] = []
    found = threading.Event()

    def read() -> None:  # to the end, so the server never blocks on a full pipe
        for line in proc.stdout:  # type: ignore[union-attr]
            match = re.search(r"(https?://\S+?)/? ", line)
            if match and "Serving" in line and not url:
                url.append(match.group(1).rstrip("/"))
                found.set()
            elif not found.is_set():
                print(f"  serve: {line.rstrip()}", flush=True)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + SERVE_START_S
        while not found.wait(0.2):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SmokeFailure(f"serve.py {'exited' if proc.poll() is not None else 'did not start'} "
                                   "before printing its URL (its output is above)")
        yield url[0]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def smoke_test(project: Project) -> str:
    """Load the project's page in the simulator; returns what was seen, or raises SmokeFailure."""
    from playwright.sync_api import Error

    from tools.browser import chromium

    with serving(project) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + SIMULATOR_PAGE)
        page.wait_for_function("window.connectsSimulator")
        try:
            page.evaluate("ms => connectsSimulator.whenTabsReady({timeoutMs: ms})", READY_MS)
        except Error as error:
            raise SmokeFailure(f"{error.message.splitlines()[0]}\n{status_panel(page)}") from None
        requests = page.evaluate("connectsSimulator.requestLog.filter(r => r.tab === 1).map(r => r.name)")
        if not requests:
            raise SmokeFailure(f"the page is ready but the integration sent no request\n{status_panel(page)}")
        return f"ready; the integration's first request: {requests[0]}"


def status_panel(page: Page) -> str:
    """The integration page's status panel (what the page says about its start), or a note."""
    try:
        frame = page.frame_locator('iframe[data-tab="1"]')
        parts = [frame.locator(f"#integration-{part}").inner_text(timeout=2000) for part in ("state", "error")]
        return "the page says: " + "\n".join(part.strip() for part in parts if part.strip())
    except Exception as error:  # noqa: BLE001 - a report, never a second failure
        return f"(the page's status panel could not be read: {error})"
