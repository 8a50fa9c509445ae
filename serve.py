"""Serve the integration and the b+s Connects simulator, offline, with the right headers.

`python serve.py [--project DIR]` prints the URL to open: `/` is the simulator, which embeds
`/index.html` (the integration page that b+s Connects loads) exactly as b+s Connects does. The
project (a folder with a bsconnects.toml) is the toolkit's own by default: the reference
integration. The HTTP work lives in `tools/webserver.py`; this file only reads the command line
and starts uvicorn. `bsconnects serve` makes what a project needs first (bundle, snapshot), then
runs this.
"""

from __future__ import annotations

import argparse
import logging
import sys

from bsconnects.project import ProjectError, load_project
from tools.vendor_integrity import VendorTampered
from tools.webserver import ROOT, ServeOptions, build_app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the b+s Connects Python integration and simulator.")
    parser.add_argument("--project", default=str(ROOT), metavar="DIR",
                        help="the project to serve: a folder with a bsconnects.toml (default: the toolkit's own, "
                             "the reference integration)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="port (0 picks a free one; default 8000)")
    parser.add_argument("--cert", help="TLS certificate (PEM): Dynamics pages are https and block mixed content")
    parser.add_argument("--key", help="TLS private key (PEM), with --cert")
    parser.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                        help="origin allowed to load the runtime files cross-origin (repeatable), "
                             "e.g. https://org.crm4.dynamics.com")
    parser.add_argument("--frame-ancestor", action="append", default=[], metavar="ORIGIN",
                        help="origin allowed to frame the pages (repeatable; default: same origin only)")
    parser.add_argument("--check", action="store_true",
                        help="check the options and the project's configuration, then exit without serving")
    parser.add_argument("--latency-ms", type=float, default=0.0, metavar="MS",
                        help="hold every request back MS ms, as a network round trip would "
                             "(to see how start-up fares away from loopback; default 0)")
    args = parser.parse_args(argv)
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    if not 0 <= args.latency_ms <= 10_000:
        parser.error("--latency-ms must be between 0 and 10000")
    return args


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        project = load_project(args.project)
    except ProjectError as error:
        print(f"serve.py: {error}", file=sys.stderr)
        return 2
    if args.check:
        return 0
    options = ServeOptions(cors_origins=tuple(args.cors_origin), frame_ancestors=tuple(args.frame_ancestor),
                           latency_ms=args.latency_ms, project=project)
    try:
        app = build_app(options)
    except VendorTampered as error:
        print(f"serve.py: refusing to start: {error}", file=sys.stderr)
        return 1
    config = uvicorn.Config(app, host=args.host, port=args.port, ssl_certfile=args.cert,
                            ssl_keyfile=args.key, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    scheme = "https" if args.cert else "http"

    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        for listener in server.servers:
            for sock in listener.sockets:
                host, port = sock.getsockname()[:2]
                shown = f"[{host}]" if ":" in host else host
                print(f"Serving the b+s Connects simulator at {scheme}://{shown}:{port}/ "
                      f"(integration page: /index.html; project {project.root}). Ctrl+C stops.", flush=True)

    server.startup = startup  # type: ignore[method-assign]
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
