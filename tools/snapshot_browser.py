"""What the snapshot freezes and the run in headless Chromium that freezes it.

The snapshot is made in a module Worker like the one PyScript runs the integration in, in two
phases (tools/snapshot_worker.js, tools/snapshot_scripts/): discover which modules the
integration imports, then freeze them. `plan` says what each phase gets; `make_in_browser` runs
them and returns what they reported and the snapshot's bytes.
"""

from __future__ import annotations

import ast
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bsconnects.project import Project
from bsconnects.project_config import SDK_PACKAGE
from tools import bundle
from tools.snapshot_common import PYODIDE_DIR, ROOT, SnapshotError, say
from tools.snapshot_wheels import native_members

HERE = Path(__file__).resolve().parent
WORKER_JS = HERE / "snapshot_worker.js"
SCRIPTS = HERE / "snapshot_scripts"
# Never frozen: the modules that talk to JavaScript (they hold references to the worker's objects).
# Everything else a start imports is: compiled packages too (see static/shim/natives.mjs).
NEVER_FROZEN_EXTRA = {"pyscript", "polyscript", "js", "pyodide", "_pyodide", "micropip"}
# Imported by integration/worker_main.py and PyScript before the integration: freeze them too.
EXTRA_TARGETS = ["asyncio", "json", "traceback", "random", "logging"]
NO_CHROMIUM = "no Chromium found (/usr/bin/chromium or $CHROMIUM): it makes the snapshot"
PAGE_PATH = "/__snapshot__/"
NATIVE_PATH = PAGE_PATH + "native/"
TIMEOUT_MS = 120_000


def integration_files(project: Project | None = None) -> dict[str, str]:
    """What PyScript writes into the worker's file system: the files of tools/bundle.py's archive."""
    return {name: data.decode() for name, data in bundle.sources(project).items()}


def module_name(path: str) -> str | None:
    if not path.endswith(".py") or path.endswith("worker_main.py"):
        return None
    name = path[:-3].replace("/", ".")
    return name.removesuffix(".__init__")


@dataclass(frozen=True)
class FreezePlan:
    """What each phase in the browser gets (see `plan`)."""

    packages: list[str]
    """The page's packages and the on-demand ones: what the discover phase loads."""
    freezable_packages: list[str]
    """Those and everything they depend on: what the freeze phase loads (their modules are frozen)."""
    never: list[str]
    """Top-level modules never frozen: they hold JavaScript objects."""
    files: dict[str, str]
    """The integration's files, as PyScript writes them into the worker."""
    targets: list[str]
    """The modules the discover phase imports."""
    start: list[str]
    """The integration modules a start imports (`start_imports`)."""
    tops: list[str]
    """The project's own top-level packages."""
    natives: dict[str, str]
    """Each compiled extension (path in site-packages) -> the wheel it comes from."""


def plan(project: Project | None = None) -> FreezePlan:
    """Which packages each phase loads, which modules are the project's and which top-level names
    must never be frozen. The packages are the page's and the on-demand ones: their modules are
    frozen like the others (the entry imports them at once), the on-demand ones' files are read
    only when needed (integration/sdk/_packages.py)."""
    project = project or bundle.toolkit_project()
    integration = project.config.integration
    lock = json.loads((ROOT / PYODIDE_DIR / "pyodide-lock.json").read_text())["packages"]
    packages = integration.page_packages + integration.on_demand_keys

    def closure(name: str) -> set[str]:
        found, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(lock[current]["depends"])
        return found

    # Every package is frozen, compiled ones too: their extensions are loaded where a restore
    # loads them again (static/shim/natives.mjs).
    needed = sorted(set().union(*(closure(name) for name in packages)))
    files = integration_files(project)
    targets = [name for name in map(module_name, files) if name] + EXTRA_TARGETS
    return FreezePlan(packages=packages, freezable_packages=needed, never=sorted(NEVER_FROZEN_EXTRA),
                      files=files, targets=targets, start=start_imports(project),
                      tops=sorted({SDK_PACKAGE, *integration.shipped_modules}),
                      natives={member: entry["file_name"] for key, entry in sorted(lock.items()) if key in needed
                               for member in native_members(ROOT / PYODIDE_DIR / entry["file_name"])})


def start_imports(project: Project | None = None) -> list[str]:
    """The integration modules a start imports: read from the sources of integration/worker_main.py
    and of the integration modules it imports (integration/_worker_start.py imports the rest inside
    its functions, after checking them), and the project's configured entry module, which the
    worker start imports by name. They and what they import are frozen; worker_main itself runs
    at every start."""
    project = project or bundle.toolkit_project()

    def imported(path: Path) -> set[str]:
        tree = ast.parse(path.read_text())
        names = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
        names += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        return {name for name in names if name.split(".")[0] == "integration"}

    def source(name: str) -> Path:
        path = ROOT / Path(*name.split("."))
        return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")

    entry = imported(ROOT / "integration" / "worker_main.py")
    toolkit = entry.union(*(imported(source(name)) for name in entry if source(name).is_file()))
    return sorted(toolkit | {project.config.integration.entry_module})


_RUN_PHASE = """async ({source, message}) => {
  const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
  const worker = new Worker(url, {type: "module"});
  try {
    const reply = await new Promise((resolve, reject) => {
      worker.onmessage = ({data}) => resolve(data);
      worker.onerror = (event) => reject(new Error(event.message || "worker error"));
      worker.postMessage(message);
    });
    if (!reply.ok) throw new Error(reply.error);
    const result = reply.result;
    if (result.bytes) {
      await fetch("/__snapshot__/upload", {method: "POST", body: result.bytes});
      result.bytes = result.bytes.length;
    }
    return result;
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}"""


def make_in_browser(base: str, steps: FreezePlan,
                    freeze: bool = True) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """Run both phases (or only discover) in Chromium; return (discovered, frozen report, snapshot bytes)."""
    from playwright.sync_api import Route

    from tools.browser import chromium

    uploads: list[bytes] = []

    def handle(route: Route) -> None:
        native = route.request.url.partition(NATIVE_PATH)[2]
        if route.request.method == "POST":
            uploads.append(route.request.post_data_buffer or b"")
            route.fulfill(status=204)
        elif native in steps.natives:
            with zipfile.ZipFile(ROOT / PYODIDE_DIR / steps.natives[native]) as wheel:
                route.fulfill(status=200, content_type="application/wasm", body=wheel.read(native))
        else:
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>snapshot</title>")

    source = WORKER_JS.read_text()
    common = {"pyodideUrl": f"{base}/{PYODIDE_DIR}/pyodide.mjs", "indexURL": f"{base}/{PYODIDE_DIR}/"}
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda message: say(f"browser: {message.text}") if message.type == "error" else None)
        page.route(f"**{PAGE_PATH}**", handle)
        page.goto(f"{base}{PAGE_PATH}")
        say("phase 1/2: a normal Pyodide imports the integration to see which modules it needs…")
        discovered = page.evaluate(_RUN_PHASE, {"source": source, "message": {
            **common, "phase": "discover", "packages": steps.packages, "files": steps.files,
            "script": (SCRIPTS / "discover.py").read_text(),
            "inputs": {"TARGETS": steps.targets, "EXCLUDED": steps.never,
                       "NATIVES": list(steps.natives), "START": steps.start, "TOPS": steps.tops,
                       "INTEGRATION": {path: module_name(path) for path in steps.files if path.endswith(".py")}}}})
        if not freeze:
            return discovered, {}, b""
        say(f"phase 2/2: freezing {len(discovered['modules'])} modules "
            f"(packages {', '.join(steps.freezable_packages)})…")
        frozen = page.evaluate(_RUN_PHASE, {"source": source, "message": {
            **common, "phase": "freeze", "packages": steps.freezable_packages,
            "nativesUrl": f"{base}/static/shim/natives.mjs",
            "natives": [{"module": name, "url": f"{base}{NATIVE_PATH}{name}"} for name in steps.natives],
            "files": steps.files,
            "script": (SCRIPTS / "freeze.py").read_text(),
            "inputs": {"MODULES": discovered["modules"], "TOPS": steps.tops}}})
        page.close()
    if len(uploads) != 1 or len(uploads[0]) != frozen["bytes"]:
        raise SnapshotError("the snapshot did not arrive whole from the browser")
    return discovered, frozen, uploads[0]
