"""The page's configuration (PyScript's pyscript.toml), made from a project's ``[integration]``.

The page (index.html) and the shim are the toolkit's and the same for every project; only this
file and the bundle it names differ: the Pyodide packages installed before Python runs are
pydantic plus the project's ``packages``. Served as /pyscript.toml by serve.py and written into
the deployable folder by ``bsconnects build``. The toolkit's own is the committed pyscript.toml.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .project import Project

BUNDLE_URL = "./static/bundle/integration.zip"
INTERPRETER_URL = "./static/shim/interpreter.mjs"

_TEMPLATE = """\
# PyScript configuration of the integration's worker (see static/shim/worker.js), made from the
# project's bsconnects.toml by the toolkit (bsconnects/page.py); edit that file, not this one.
# Everything is served locally: the interpreter, and the wheels through the generated
# pyodide-lock.json next to it. "passthrough" hands `packages` straight to Pyodide, so micropip is
# never loaded, which saves its start. The interpreter is Pyodide's, started through the
# toolkit's module that restores the memory snapshot when one fits (static/shim/interpreter.mjs).
interpreter = {interpreter}
# pydantic and [integration] packages. on-demand-packages are not installed here: the memory
# snapshot holds their modules, and without it the worker start installs them before the entry.
packages = {packages}
packages_cache = "passthrough"

# The integration's modules, as one archive PyScript unpacks into the working directory: made by
# the toolkit whenever a module or bsconnects.toml changed (tools/bundle.py).
[files]
{bundle} = "./*"
"""


def page_config(project: Project) -> str:
    """The text of the page's pyscript.toml for `project`."""
    return _TEMPLATE.format(interpreter=json.dumps(INTERPRETER_URL), bundle=json.dumps(BUNDLE_URL),
                            packages=json.dumps(project.config.integration.page_packages))


def write_page_config(project: Project, target: Path | None = None) -> Path:
    """Write the page's configuration (by default to ``project.pyscript_config_path``) unless it
    already says the same; returns where it is."""
    path = target or project.pyscript_config_path
    text = page_config(project)
    try:
        if path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass
    project.make_work_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path
