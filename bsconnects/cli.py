"""``bsconnects``: the integrator's command line (``new``, ``serve``, ``test``, ``build``).

Each command lives in a module of its own; this file only parses the command line. Errors that
the user can fix (a bad configuration, a folder that exists, a missing runtime) end the command
with one message and exit status 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Sequence

from .project import ProjectError
from .toolkit import Terminated

Command = Callable[[argparse.Namespace], int]


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_command

    return new_command(args)


def _serve(args: argparse.Namespace) -> int:
    from .serving import serve_command

    return serve_command(args)


def _test(args: argparse.Namespace) -> int:
    from .testing_command import test_command

    return test_command(args)


def _build(args: argparse.Namespace) -> int:
    from .build import build_command
    from .toolkit import tools_importable

    tools_importable()  # the build reads the runtime's manifest and the snapshot's pointer in-process
    return build_command(args)


# What `serve` and `test` pass on: serve.py's options and pytest's arguments.
EPILOGS = {
    "serve": """Server options (serve.py's), passed on:
  --host HOST             address to bind (default: loopback only)
  --port PORT             port (0 picks a free one; default 8000)
  --cert PEM --key PEM    serve https (Dynamics pages are https and block mixed content)
  --cors-origin ORIGIN    origin allowed to load the runtime files cross-origin (repeatable)
  --frame-ancestor ORIGIN origin allowed to frame the pages (repeatable; default: same origin)
  --latency-ms MS         hold every request back MS ms, as a network round trip would""",
    "test": """Other arguments go to pytest (e.g. -q, -x, -k NAME).
  --no-smoke              leave out the smoke test in the simulator (headless Chromium)""",
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="bsconnects", description="Write, test, serve and build b+s Connects "
                                                                 "custom integrations in Python.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="create a new integration project")
    new.add_argument("name", help="the project's Python package name (e.g. acme_connects)")
    new.add_argument("dir", nargs="?", help="folder to create (default: ./NAME); must not exist")
    new.set_defaults(run=_new)

    for name, run, text in (("serve", _serve, "serve the project inside the b+s Connects simulator"),
                            ("test", _test, "run the project's tests"),
                            ("build", _build, "write the deployable folder")):
        command = commands.add_parser(name, help=text, description=text, epilog=EPILOGS.get(name),
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_argument("--project", default=".", help="the project's folder (default: .)")
        command.set_defaults(run=run)
        if name == "build":
            command.add_argument("--out", help="the folder to write (default: dist inside the project); "
                                               "replaces only a folder an earlier build wrote")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parser().parse_known_args(argv)
    args.extra = extra
    try:
        return int(args.run(args))
    except ProjectError as error:
        print(f"bsconnects {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 128 + signal.SIGTERM


if __name__ == "__main__":
    raise SystemExit(main())
