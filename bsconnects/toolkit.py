"""The toolkit's own files (tools/, static/, serve.py) and running its tools from there.

Why subprocesses: the ``bsconnects`` console script runs with the integrator's folder as its
working directory and only the installed packages (``integration``, ``bsconnects``) importable;
the tools live in the toolkit's own files (``TOOLKIT_ROOT``: the checkout, or the installed wheel's
``bsconnects/_toolkit/``). Each tool runs as ``python -m tools.<name>`` (or ``python serve.py``)
with that folder as its working directory, in the same Python, so nobody has to set PYTHONPATH.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .project import TOOLKIT_ROOT, ProjectError

STOP_WAIT_S = 5


class ToolError(ProjectError):
    """A step of the toolkit failed; its own output (printed above) says why."""


def toolkit_root() -> Path:
    """The toolkit's own files; :class:`ToolError` when its tools are missing (an install made
    without setup.py's copy of them)."""
    if not (TOOLKIT_ROOT / "tools" / "bundle.py").is_file() or not (TOOLKIT_ROOT / "serve.py").is_file():
        raise ToolError(f"the toolkit's tools are not in {TOOLKIT_ROOT}: install the toolkit again from its "
                        "checkout or from a wheel built from it (`pip install <checkout>`)")
    return TOOLKIT_ROOT


def tools_importable() -> None:
    """Make the toolkit's ``tools`` package importable in this process, for a command that reads
    what the tools wrote (``build``). The toolkit's folder goes last on ``sys.path``, so it never hides a
    module of the project's."""
    root = str(toolkit_root())
    if root not in sys.path:
        sys.path.append(root)


def run(arguments: list[str]) -> int:
    """Run ``python <arguments>`` in the toolkit's folder, its output going to ours; its exit
    status. Ctrl+C in a terminal reaches it too; interrupted otherwise, it is asked to stop
    (SIGTERM), and stopped if it does not."""
    process = subprocess.Popen([sys.executable, *arguments], cwd=toolkit_root())
    try:
        return process.wait()
    except KeyboardInterrupt:
        for stop in (None, process.terminate, process.kill):
            if stop is not None:
                stop()
            try:
                process.wait(timeout=STOP_WAIT_S)
                break
            except subprocess.TimeoutExpired:
                continue
        raise


def step(arguments: list[str], what: str) -> None:
    """Run a tool that must succeed; :class:`ToolError` names the step that did not."""
    status = run(arguments)
    if status != 0:
        raise ToolError(f"{what} failed (exit status {status}; its output above says why)")
