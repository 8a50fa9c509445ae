"""The page's configuration agrees with itself: interpreter URL, files shipped to the worker."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from tools import bundle

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


def test_the_worker_gets_the_integration_as_one_archive() -> None:
    """[files] names only the archive tools/bundle.py makes, unpacked into the working directory."""
    assert config()["files"] == {bundle.ARCHIVE_URL: "./*"}
    assert (ROOT / bundle.ARCHIVE_URL).resolve() == bundle.ARCHIVE


def test_the_archive_holds_every_integration_module_but_the_entry_script() -> None:
    """Each .py under integration/ is shipped (the worker's entry script is loaded by URL)."""
    modules = {str(p.relative_to(ROOT)) for pattern in ("*.py", "py.typed")
               for p in (ROOT / "integration").rglob(pattern) if "__pycache__" not in p.parts}
    assert set(bundle.shipped_modules()) == modules - {"integration/worker_main.py"}


def test_packages_resolve_from_the_local_lock_without_micropip() -> None:
    """passthrough hands packages to Pyodide's lock: micropip (and its CDN lookups) never load."""
    assert config()["packages_cache"] == "passthrough"
    assert "pydantic" in config()["packages"]
