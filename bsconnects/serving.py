"""``bsconnects serve``: the project inside the b+s Connects simulator, made ready first.

serve.py's options are checked first, then everything the page needs is made or refreshed
(bsconnects/prepare.py). Then serve.py serves the project until Ctrl+C, making the bundle again
whenever a source changed, and prints the URL.
"""

from __future__ import annotations

import argparse

from . import toolkit
from .prepare import prepare
from .project import load_project


def say(message: str) -> None:
    print(f"[serve] {message}", flush=True)


def serve_command(args: argparse.Namespace) -> int:
    """``args.project``: the project's folder; ``args.extra``: serve.py's own options."""
    project = load_project(args.project)
    root = str(project.root)
    extra = list(getattr(args, "extra", []) or [])
    toolkit.step(["serve.py", "--project", root, "--check", *extra], "checking serve.py's options")
    prepare(project, say)
    return toolkit.run(["serve.py", "--project", root, *extra])
