"""``bsconnects serve``: the project inside the b+s Connects simulator, made ready first.

Each step says what it does, and a step that has nothing to do says so and costs nothing:
the options and the project are checked, the entry is imported under CPython
(bsconnects/entry.py), then the runtime is verified (or fetched: tools/runtime.py), the bundle
and the page configuration made (tools/bundle.py, bsconnects/page.py) and the memory snapshot
made or refreshed for the project's entry (tools/snapshot.py; without a Chromium, one line says
the page starts slower without it).
Then serve.py serves the project until Ctrl+C, making the bundle again whenever a source
changed, and prints the URL. A wrong entry stops everything before anything is written.
"""

from __future__ import annotations

import argparse

from . import toolkit
from .entry import check_entry
from .page import write_page_config
from .project import load_project


def say(message: str) -> None:
    print(f"[serve] {message}", flush=True)


def serve_command(args: argparse.Namespace) -> int:
    """``args.project``: the project's folder; ``args.extra``: serve.py's own options."""
    project = load_project(args.project)
    root = str(project.root)
    entry = project.config.integration.entry
    extra = list(getattr(args, "extra", []) or [])
    toolkit.step(["serve.py", "--project", root, "--check", *extra], "checking serve.py's options")
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
    return toolkit.run(["serve.py", "--project", root, *extra])
