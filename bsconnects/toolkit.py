"""The toolkit's own files (tools/, static/, serve.py) and running its tools from there.

Why subprocesses: the ``bsconnects`` console script runs with the integrator's folder as its
working directory and only the installed packages (``integration``, ``bsconnects``) importable;
the tools live in the toolkit's own files (``TOOLKIT_ROOT``: the checkout, or the installed wheel's
``bsconnects/_toolkit/``). Each tool runs as ``python -m tools.<name>`` (or ``python serve.py``)
with that folder as its working directory, in the same Python, so nobody has to set PYTHONPATH.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType

from .project import TOOLKIT_ROOT, ProjectError

STOP_WAIT_S = 5
PR_SET_PDEATHSIG = 1


class ToolError(ProjectError):
    """A step of the toolkit failed; its own output (printed above) says why."""


class Terminated(Exception):
    """The command was asked to stop (SIGTERM) while a tool ran; the tool was stopped first."""


def _terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


def _stop_with_parent() -> None:
    """In the tool's process, before it runs (Linux): SIGTERM when the command dies, even by
    SIGKILL, which no handler sees (PR_SET_PDEATHSIG)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


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
    status. Ctrl+C in a terminal reaches it too; interrupted otherwise (or sent SIGTERM, as a
    process manager or a test harness stops a command), it is asked to stop (SIGTERM), and
    stopped if it does not; on Linux, killed outright (SIGKILL), it is sent SIGTERM by the kernel:
    serve.py never outlives ``bsconnects serve`` holding its port."""
    process = subprocess.Popen([sys.executable, *arguments], cwd=toolkit_root(),
                               preexec_fn=_stop_with_parent if sys.platform == "linux" else None)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return process.wait()
    except (KeyboardInterrupt, Terminated) as stopped:
        # Ctrl+C reached the tool as well (the terminal signals the whole group): give it time to
        # stop by itself first. SIGTERM reached only this process: pass it on at once.
        first = None if isinstance(stopped, KeyboardInterrupt) else process.terminate
        for stop in (first, process.terminate, process.kill):
            if stop is not None:
                stop()
            try:
                process.wait(timeout=STOP_WAIT_S)
                break
            except subprocess.TimeoutExpired:
                continue
        raise
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def step(arguments: list[str], what: str) -> None:
    """Run a tool that must succeed; :class:`ToolError` names the step that did not."""
    status = run(arguments)
    if status != 0:
        raise ToolError(f"{what} failed (exit status {status}; its output above says why)")
