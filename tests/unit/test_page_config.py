"""The page's configuration agrees with itself: interpreter URL, files shipped to the worker."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path

from bsconnects.page import page_config
from bsconnects.project import CONFIG_NAME, load_project
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


def test_the_archive_holds_every_integration_module_but_the_entry_script_and_the_test_kit() -> None:
    """Each .py under integration/ is shipped (the worker's entry script is loaded by URL; the
    test kit runs under CPython only), with the manifest the worker start reads."""
    modules = {str(p.relative_to(ROOT)) for pattern in ("*.py", "py.typed")
               for p in (ROOT / "integration").rglob(pattern) if "__pycache__" not in p.parts}
    test_kit = {name for name in modules if fnmatch.fnmatchcase(name, "integration/sdk/_fake_*.py")
                or name.startswith("integration/testing/")} | {"integration/sdk/testing.py"}
    assert set(bundle.sources()) == modules - test_kit - {"integration/worker_main.py"} | {bundle.MANIFEST}


def test_the_committed_page_config_is_what_the_toolkits_project_makes() -> None:
    """pyscript.toml is made from bsconnects.toml (bsconnects/page.py): the committed copy must
    not say anything else, or serving the toolkit would rewrite it."""
    project = bundle.toolkit_project()
    assert project.pyscript_config_path == ROOT / "pyscript.toml"
    assert page_config(project) == (ROOT / "pyscript.toml").read_text()


def test_the_page_installs_pydantic_and_the_projects_packages_but_not_the_on_demand_ones(tmp_path: Path) -> None:
    """[integration] packages follow pydantic in the page's packages, by Pyodide's names;
    on-demand packages are left to the snapshot and the worker start."""
    (tmp_path / CONFIG_NAME).write_text('[integration]\nentry = "acme:main"\npackages = ["Typing_Extensions"]\n'
                                        'on-demand-packages = ["phonenumberslite"]\n')
    project = load_project(tmp_path)
    config = tomllib.loads(page_config(project))
    assert config["packages"] == ["pydantic", "typing-extensions"]
    assert config["files"] == {bundle.ARCHIVE_URL: "./*"} and config["interpreter"] == "./static/shim/interpreter.mjs"
    assert project.pyscript_config_path == tmp_path / ".bsconnects" / "pyscript.toml"


def test_packages_resolve_from_the_local_lock_without_micropip() -> None:
    """passthrough hands packages to Pyodide's lock: micropip (and its CDN lookups) never load."""
    assert config()["packages_cache"] == "passthrough"
    assert "pydantic" in config()["packages"]


def _links(rel: str) -> set[str]:
    """The hrefs of index.html's <link rel=`rel`> elements."""
    return set(re.findall(rf'<link rel="{rel}" href="([^"]+)">', (ROOT / "index.html").read_text()))


_STATIC_IMPORT = re.compile(r"""(?:^|[;}\s])(?:import|export)\b[^;"'()]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']"""
                            r"""|^\s*import\s*["'](\.{1,2}/[^"']+)["']""", re.M)


def _static_imports(entry: Path) -> set[str]:
    """Every module `entry` imports statically, and those modules' own, as paths from the root."""
    seen: set[str] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        for match in _STATIC_IMPORT.finditer(module.read_text()):
            target = (module.parent / (match.group(1) or match.group(2))).resolve()
            name = str(target.relative_to(ROOT))
            if name not in seen:
                seen.add(name)
                todo.append(target)
    return seen


def test_the_page_preloads_every_module_its_entry_imports() -> None:
    """A module main.js reaches through static imports and index.html does not preload is fetched
    only once its importer arrived: one more network round trip before the worker can start."""
    graph = _static_imports(ROOT / "static" / "shim" / "main.js")
    assert "static/vendor/pyscript-0.7.31/core-C9KDLldu.js" in graph  # the walk reaches PyScript's chunks
    assert graph - _links("modulepreload") == set()


def test_the_page_prefetches_the_vendored_modules_the_interpreter_module_imports() -> None:
    """Pyodide's two modules are imported by ours in the worker, after PyScript read its config:
    prefetched by the page, they come from the HTTP cache there (they are immutable)."""
    vendored = {name for name in _static_imports(ROOT / "static" / "shim" / "interpreter.mjs")
                if name.startswith("static/vendor/")}
    assert vendored and vendored <= _links("prefetch")


def test_every_preloaded_file_exists_in_the_pinned_runtime_or_the_tree() -> None:
    """A runtime upgrade renames PyScript's chunks: the preloads must follow (runtime.lock.json)."""
    pinned = {f"static/vendor/{entry['dest']}/{name}"
              for entry in json.loads((ROOT / "runtime.lock.json").read_text())["npm"]
              for name in entry.get("files", {})}
    for href in _links("modulepreload") | _links("prefetch"):
        if href.startswith("static/vendor/"):
            assert href in pinned, href
        else:
            assert (ROOT / href).is_file(), href
