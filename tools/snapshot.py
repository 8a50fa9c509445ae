"""Make the interpreter memory snapshot that lets the integration start faster than bare PyScript.

Why: starting Pyodide (wasm compile + interpreter init + imports) is most of our start-up. A
memory snapshot of an interpreter that already imported the stdlib, pydantic and the
integration's own modules is restored instead, which skips most of that work (`make bench`
compares the start-up with bare PyScript's). Pyodide's snapshot options are private
(`_makeSnapshot`, `_loadSnapshot`), so everything around them is defensive:

- the snapshot is made in headless Chromium, in a module Worker like the one PyScript runs the
  integration in, in two phases (tools/snapshot_browser.py, tools/snapshot_worker.js): discover
  which modules the integration imports, then freeze them;
- a compiled extension (pydantic-core) is a wasm module of its own, whose functions live outside
  the memory: it is loaded before the runtime starts, both when the snapshot is made and when it
  is restored, so it sits at the same place each time (static/shim/natives.mjs); where it went is
  recorded and checked;
- the integration's frozen modules carry the digests of their sources: a worker whose sources
  differ imports them again (integration/_frozen.py), and this command makes the snapshot again;
- it is tied to the exact runtime: `snapshot.json` records the runtime lock's fingerprint and
  Pyodide's version and build, and this command makes it again whenever they change;
- static/shim/interpreter.mjs restores it and falls back to a normal start whenever it is missing,
  does not match, or fails to restore: the snapshot only ever makes start-up faster.

One snapshot per project, made for its configured entry (bsconnects.toml's `[integration]`):
the entry's module and what it imports are frozen with the toolkit's own, so an integrator's
module starts as fast as the reference one; the snapshot is made again when the entry, its
modules or its packages change (`Project.entry_digest`, kept in the pointer).

Output (git-ignored), in the project's `snapshot_dir` (the toolkit's: static/snapshot/):
snapshot.json; the snapshot in interpreter-<sha256[:16]>.bin parts of up to 8 MiB with
pre-compressed .br/.gz siblings (the name changes with the content, so browsers may cache them
forever; long runs of zeros are left out: tools/snapshot_parts.py); the wheels, stored, and
their pyodide-lock.json (a compiled extension's module is replaced in its wheel by a stand-in and
served apart as native-<hash>.wasm); site-index-<hash>.json, where each file lies in those wheels,
so that a restore installs them without downloading them (tools/snapshot_wheels.py);
integration-<hash>.zip, the integration's own modules compiled (refreshed in
seconds when only modules that are not frozen changed). The restore fetches the stdlib archive
only where Python reads it (static/shim/remote_files.mjs). snapshot.json, its pointer, is
described key by key in tools/snapshot_pointer.py (and docs/snapshot.md).

This module is the command: `python -m tools.snapshot [--project DIR] [--force | --check | --remove]`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from bsconnects.project import Project, ProjectError, load_project
from tools import bundle
from tools.snapshot_browser import NO_CHROMIUM, module_name
from tools.snapshot_common import ROOT, SnapshotError, say
from tools.snapshot_make import (
    fingerprint,
    frozen_integration_changed,
    integration_digest,
    make,
    refresh_integration_bytecode,
    verify,
)
from tools.snapshot_pointer import FORMAT, POINTER, SnapshotPointer

# What the set-up, the server and the build use from the snapshot step.
__all__ = ["FORMAT", "POINTER", "SnapshotError", "SnapshotPointer", "ensure", "fingerprint", "main", "module_name",
           "verify"]


def ensure(force: bool = False, project: Project | None = None, out: Path | None = None) -> int:
    """The set-up step: keep a current snapshot for the project's entry (in `out`, by default its
    `snapshot_dir`), make one when needed, never fail the set-up (without a Chromium, one line
    says so and the page starts without it)."""
    from tools.browser import chromium_path

    project = project or bundle.toolkit_project()
    out = out or project.snapshot_dir
    if not force:
        try:
            pointer = verify(out)
            if pointer.project != project.entry_digest:
                raise SnapshotError("made for another entry, modules or packages: making it again")
            changed = frozen_integration_changed(pointer, project)
            if changed:
                raise SnapshotError(f"integration modules frozen in it changed ({', '.join(changed[:3])}): "
                                    "making it again")
            say("snapshot current (verified)")
            if pointer.integration_sources != integration_digest(project):
                try:
                    refresh_integration_bytecode(project, out)
                except Exception as error:  # noqa: BLE001 - stale bytecode is only slower, never wrong
                    say(f"could not refresh the integration's bytecode ({error}); changed modules compile at start")
            return 0
        except SnapshotError as reason:
            if chromium_path() is not None:
                say(f"{reason}")
    if chromium_path() is None:
        say(f"{NO_CHROMIUM}: the page starts without a memory snapshot (correct, only slower)")
        shutil.rmtree(out, ignore_errors=True)  # never leave a stale one behind
        return 0
    try:
        make(project, out)
    except Exception as error:  # noqa: BLE001 - the page still starts, only slower
        say(f"could not make the snapshot ({type(error).__name__}: {error}); the integration starts "
            "without it (correct, only slower)")
        shutil.rmtree(out, ignore_errors=True)  # never leave a stale one behind
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="make it again even if it is current")
    group.add_argument("--check", action="store_true", help="only verify the snapshot (exit 1 if unusable)")
    group.add_argument("--remove", action="store_true", help="delete it (the page then starts normally)")
    parser.add_argument("--project", default=str(ROOT), help="the project's folder (default: the toolkit's own)")
    args = parser.parse_args(argv)
    try:
        project = load_project(args.project)
    except ProjectError as error:
        say(f"{error}")
        return 2
    if args.remove:
        shutil.rmtree(project.snapshot_dir, ignore_errors=True)
        say("removed")
        return 0
    if args.check:
        try:
            pointer = verify(project.snapshot_dir)
        except SnapshotError as error:
            say(f"not usable: {error}")
            return 1
        say(f"usable: {len(pointer.parts)} files, {pointer.size / 1e6:.1f} MB, {len(pointer.modules)} modules")
        return 0
    return ensure(force=args.force, project=project)


if __name__ == "__main__":
    sys.exit(main())
