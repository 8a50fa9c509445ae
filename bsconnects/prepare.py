"""What the page needs for a project, made or refreshed: the step ``serve`` and ``build`` share.

Each step says what it does, and a step that has nothing to do says so and costs nothing: the
entry is imported under CPython (bsconnects/entry.py), then the runtime is verified (or fetched:
tools/runtime.py), the bundle and the page configuration made (tools/bundle.py,
bsconnects/page.py) and the memory snapshot made or refreshed for the project's entry
(tools/snapshot.py; without a Chromium, one line says the page starts slower without it). A
wrong entry stops everything before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable

from . import toolkit
from .entry import check_entry
from .page import write_page_config
from .project import Project

Say = Callable[[str], None]
"""How a command says what a step does (one line, with its own prefix)."""


def prepare(project: Project, say: Say) -> None:
    """Make everything the project's page loads current; :class:`~bsconnects.toolkit.ToolError`
    (or :class:`~bsconnects.project.ProjectError` for the entry) names the step that failed."""
    root = str(project.root)
    entry = project.config.integration.entry
    say(f"project {root}: checking the entry {entry} (imported with CPython)…")
    check_entry(project)
    say("runtime (tools/runtime.py)…")
    toolkit.step(["-m", "tools.runtime"], "setting up the runtime")
    say("bundle of the project's modules (tools/bundle.py)…")
    toolkit.step(["-m", "tools.bundle", "--project", root], "making the bundle")
    say(f"page configuration: {write_page_config(project).relative_to(project.root)}")
    say(f"memory snapshot for {entry} (tools/snapshot.py; made again only when the entry or its modules "
        "changed)…")
    toolkit.step(["-m", "tools.snapshot", "--project", root], "making the snapshot")
