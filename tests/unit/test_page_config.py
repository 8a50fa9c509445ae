"""The page's configuration agrees with itself: interpreter URL, files shipped to the worker."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def config() -> dict:
    return tomllib.loads((ROOT / "pyscript.toml").read_text())


def test_shim_starts_the_interpreter_pyscript_toml_names() -> None:
    """static/shim/worker.js and pyscript.toml name the same local interpreter."""
    shim = (ROOT / "static" / "shim" / "worker.js").read_text()
    interpreter = re.search(r'INTERPRETER = "([^"]+)"', shim).group(1)  # type: ignore[union-attr]
    assert config()["interpreter"].removeprefix("./") == interpreter
    # Our module wraps the vendored Pyodide that runtime.lock.json pins (tools/runtime.py fetches it).
    pyodide = next(entry for entry in json.loads((ROOT / "runtime.lock.json").read_text())["npm"]
                   if entry["package"] == "pyodide")
    module = (ROOT / interpreter).read_text()
    folders = set(re.findall(r"\.\./vendor/(pyodide-[^/]+)/", module))
    assert folders == {pyodide["dest"].split("/")[-1]}


def test_every_integration_module_is_shipped_to_the_worker() -> None:
    """Each .py under integration/ is listed in [files], so nothing is missing in the browser."""
    listed = {target.removeprefix("./") for target in config()["files"].values()}
    modules = {str(p.relative_to(ROOT)) for pattern in ("*.py", "py.typed")
               for p in (ROOT / "integration").rglob(pattern) if "__pycache__" not in p.parts}
    modules.discard("integration/worker_main.py")  # the worker's entry script is loaded by URL
    assert modules - listed == set(), "run `python -m tools.sync_files` to list these in pyscript.toml"
    assert listed - modules == set(), "pyscript.toml lists files that do not exist"


def test_packages_resolve_from_the_local_lock_without_micropip() -> None:
    """passthrough hands packages to Pyodide's lock: micropip (and its CDN lookups) never load."""
    assert config()["packages_cache"] == "passthrough"
    assert "pydantic" in config()["packages"]
