"""The wheel carries the toolkit's own files, so that installing it is enough to run ``bsconnects``.

``bsconnects serve`` and ``build`` run the tools (tools/), serve.py, the page (index.html), the
shim, the simulator and the SDK's sources (the browser's copy of ``integration``), and fetch the
runtime that runtime.lock.json pins. A checkout has them at its root; an installed wheel has them
in ``bsconnects/_toolkit/``, laid out the same way, where ``bsconnects.toolkit_root.TOOLKIT_ROOT``
finds them. An editable install (``pip install -e``) needs no copy: it runs from the checkout.
Everything else (pyproject.toml) is declarative.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TOOLKIT_DIR = "_toolkit"
# What the commands read at run time, relative to the checkout; the benchmark, the docs and the
# toolkit's own tests stay out.
TOOLKIT_FILES = (
    "serve.py", "index.html", "runtime.lock.json", "bsconnects.toml", "pyscript.toml",
    "tools/*.py", "tools/snapshot_worker.js", "tools/snapshot_scripts/*",
    "static/shim/*", "static/simulator/**/*", "static/custom-requests/*",
    "integration/**/*.py", "integration/**/py.typed",
)
LEFT_OUT = ("tools/bench*.py",)


def toolkit_files(root: Path) -> list[Path]:
    """The toolkit's files under `root`, relative to it, sorted."""
    found = {path.relative_to(root) for pattern in TOOLKIT_FILES for path in root.glob(pattern)
             if path.is_file() and "__pycache__" not in path.parts}
    return sorted(path for path in found if not any(path.match(pattern) for pattern in LEFT_OUT))


class BuildWithToolkit(build_py):
    """build_py, then the toolkit's files copied into the package's ``_toolkit`` folder."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "bsconnects" / TOOLKIT_DIR
        shutil.rmtree(target, ignore_errors=True)
        for name in toolkit_files(HERE):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(HERE / name, target / name)


setup(cmdclass={"build_py": BuildWithToolkit})
