"""Is the project's entry runnable? Checked under CPython before anything is served or built.

The same ``load_entry`` the browser's worker start uses (integration/_entry.py) runs in a
subprocess with the project's source folder first on ``sys.path``: a fresh interpreter, so the
project's modules are imported exactly once and nothing they do at import reaches this process.
Each way an entry fails is told apart: the module is not there, it raised while importing (with
its traceback), the function is missing, or it is not callable.
"""

from __future__ import annotations

import subprocess
import sys

from .project import Project, ProjectError

IMPORT_TIMEOUT_S = 120

_CHECK = """\
import sys
sys.path.insert(0, sys.argv[1])
from integration._entry import EntryError, describe_failure, load_entry
try:
    load_entry(sys.argv[2])
except EntryError as error:
    sys.stderr.write(describe_failure(error, limit=20000) + "\\n")
    sys.exit(3)
"""


class EntryError(ProjectError):
    """The configured entry cannot be run; the message names it and says why."""


def check_entry(project: Project) -> None:
    """Import the project's entry under CPython and find its function; :class:`EntryError` says
    which and why (an import that raised: with its traceback in the project's own files)."""
    entry = project.config.integration.entry
    try:
        result = subprocess.run([sys.executable, "-c", _CHECK, str(project.source_dir), entry],
                                cwd=project.source_dir, capture_output=True, text=True, timeout=IMPORT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise EntryError(f"{project.config_path}: integration.entry: importing {entry} took over "
                         f"{IMPORT_TIMEOUT_S} s (does a module wait for something at import?)") from None
    if result.returncode != 0:
        raise EntryError(f"{project.config_path}: integration.entry:\n{result.stderr.rstrip()}")
