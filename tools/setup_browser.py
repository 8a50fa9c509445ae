"""Make sure a Chromium is there before anything needs one; install Debian's where this machine can.

The end-to-end tests and the interpreter snapshot drive a real Chromium, and Playwright cannot
download its own on a closed network. `make test` and `make serve` run this first:

- a Chromium is found (`$CHROMIUM`, else `/usr/bin/chromium` or `chromium` on PATH): nothing to do;
- none, and this is root with apt-get: `apt-get update`, then `apt-get install -y chromium`;
- otherwise one line says what to install or which variable to set, and the exit status is 1, so
  `make test` stops before any test. With `--optional` (`make serve`) the status is 0: the page is
  still served, only without the snapshot (Python starts slower), and the line says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tools.browser import chromium_path

PACKAGE = "chromium"  # Debian's package: installs /usr/bin/chromium


def _run(command: list[str]) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, env=env, check=False).returncode


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class Machine:
    """What the set-up asks of the machine: each part is replaced in the tests."""

    find: Callable[[], str | None] = chromium_path
    is_root: Callable[[], bool] = _is_root
    which: Callable[[str], str | None] = shutil.which
    run: Callable[[list[str]], int] = _run
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


class NoChromium(Exception):
    """No Chromium, and none could be installed: the message is the one line the user reads."""


def how_to_get_one(machine: Machine) -> str:
    """What the user can do: fix $CHROMIUM if it names nothing, else install Debian's package."""
    named = machine.environ.get("CHROMIUM")
    if named:
        return f"CHROMIUM={named} is not a file: point it at a Chromium, or unset it to use Debian's {PACKAGE}"
    return (f"install Debian's {PACKAGE} (as root: apt-get install {PACKAGE}) "
            "or set CHROMIUM to a Chromium executable")


def ensure_chromium(machine: Machine | None = None, say: Callable[[str], None] = print) -> str:
    """The Chromium to use, installing Debian's when there is none and this is root with apt-get.

    Raises NoChromium (with the one line to show) when none is found and none can be installed.
    An explicit `$CHROMIUM` that names nothing is the user's choice to fix: nothing is installed.
    """
    machine = machine or Machine()
    found = machine.find()
    if found:
        return found
    if machine.environ.get("CHROMIUM") or not machine.is_root() or not machine.which("apt-get"):
        raise NoChromium(f"no Chromium found: {how_to_get_one(machine)}")
    say(f"[setup] no Chromium found: installing Debian's {PACKAGE} (apt-get update, apt-get install)…")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", PACKAGE]):
        if machine.run(command) != 0:
            raise NoChromium(f"`{' '.join(command)}` failed: {how_to_get_one(machine)}")
    found = machine.find()
    if not found:
        raise NoChromium(f"apt-get installed {PACKAGE} but no Chromium is found: {how_to_get_one(machine)}")
    say(f"[setup] installed {found}")
    return found


def main(argv: list[str] | None = None, machine: Machine | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optional", action="store_true",
                        help="without a Chromium, say so and exit 0 (serving works, only without the snapshot)")
    args = parser.parse_args(argv)
    try:
        ensure_chromium(machine)
    except NoChromium as missing:
        if args.optional:
            print(f"[setup] {missing}; serving without the interpreter snapshot (Python starts slower)",
                  file=sys.stderr)
            return 0
        print(f"[setup] {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
