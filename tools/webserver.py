"""The HTTP side of serve.py: a Starlette app with the headers a hidden b+s Connects page needs.

One project is served (bsconnects.toml; the toolkit's own by default): its bundle, memory
snapshot and page configuration at the URLs the page asks for (/static/bundle/integration.zip,
/static/snapshot/, /pyscript.toml), the page, shim, simulator and runtime from the toolkit. The
project's configuration is read again when it changes, the bundle made again when a source
changed: reloading the page runs what was just edited.

Why each piece:
- Pre-compressed siblings (`.br`, `.gz`, made once by tools/runtime.py and tools/snapshot.py) are
  chosen by `Accept-Encoding`: compressing per request cost +0.9 s on a cold load here.
- Files under `static/vendor/` live in versioned folders, so they are cached for a year as
  immutable; everything else revalidates with ETag (Starlette's FileResponse answers 304).
- Vendored files are verified against `static/vendor/manifest.json` at start (and re-hashed when a
  file's size or mtime changes): a tampered runtime file is refused, never served.
- Only the integration's own folders are served; anything else, including paths that escape them
  (`..`, encoded variants, symlinks out), is a 404 and is logged.
- `--latency-ms` (off by default) delays every request, to measure start-up as on a network.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bsconnects.page import write_page_config
from bsconnects.project import Project, ProjectError, load_project
from tools import bundle, simulator_world

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
SIMULATOR_PAGE = "/static/simulator/index.html"
STUB_LIBRARY = ROOT / "static" / "simulator" / "connects-library.js"
# The set-up's interpreter snapshot (tools/snapshot.py) is named by its content: cache it forever.
SNAPSHOT_BLOB = re.compile(r"(interpreter-[0-9a-f]{16}\.bin|native-[0-9a-f]{16}\.wasm|stdlib-index-[0-9a-f]{16}\.bin"
                           r"|site-index-[0-9a-f]{16}\.json)")
# Files that change without their folder's version changing: revalidate, never immutable.
MUTABLE_VENDOR_NAMES = {"pyodide-lock.json", "manifest.json", "snapshot.bin"}
IMMUTABLE = "public, max-age=31536000, immutable"
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
MEDIA_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".toml": "application/toml",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".json": "application/json",
    ".py": "text/x-python",
    ".css": "text/css",
    ".html": "text/html",
    ".png": "image/png",
}

log = logging.getLogger("serve")


class VendorTampered(Exception):
    """A vendored runtime file does not match what tools/runtime.py verified."""


@dataclass(frozen=True)
class ServeOptions:
    cors_origins: tuple[str, ...] = ()
    frame_ancestors: tuple[str, ...] = ()
    latency_ms: float = 0.0
    vendor_dir: Path = VENDOR
    project: Project | None = None
    """The project served (default: the toolkit's own, the reference integration)."""
    snapshot_dir: Path | None = None
    """Where its memory snapshot is (default: the project's `snapshot_dir`)."""


class ProjectSource:
    """The served project, read again when its bsconnects.toml changes while serving. A change
    that does not validate is logged, and the configuration read before stays in use."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._stamp = self._signature()

    def _signature(self) -> tuple[int, int] | None:
        try:
            stat = self.project.config_path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def current(self) -> Project:
        stamp = self._signature()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self.project = load_project(self.project.root)
                log.info("%s changed: read again", self.project.config_path)
            except ProjectError as error:
                log.error("%s (the configuration read before stays in use)", error)
        return self.project


class VendorIntegrity:
    """Knows the verified hash of every vendored file and refuses any that changed."""

    def __init__(self, vendor_dir: Path) -> None:
        self.vendor_dir = vendor_dir.resolve()
        manifest_path = vendor_dir / "manifest.json"
        if not manifest_path.is_file():
            raise VendorTampered(
                f"{manifest_path.relative_to(ROOT)} is missing: the runtime is not set up "
                "(run `make serve`, or `python -m tools.runtime`)"
            )
        self.expected = {
            relative: entry["sha256"] for relative, entry in json.loads(manifest_path.read_text())["files"].items()
        }
        self._seen: dict[str, tuple[int, int]] = {}
        for relative in self.expected:
            self.check(relative)

    def check(self, relative: str) -> None:
        path = self.vendor_dir / relative
        try:
            stat = path.stat()
        except OSError as error:
            raise VendorTampered(f"vendored file static/vendor/{relative} is missing") from error
        signature = (stat.st_size, stat.st_mtime_ns)
        if self._seen.get(relative) == signature:
            return
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != self.expected[relative]:
            self._seen.pop(relative, None)
            raise VendorTampered(
                f"vendored file static/vendor/{relative} does not match its verified sha256 "
                f"(expected {self.expected[relative][:16]}…, got {digest[:16]}…); "
                "run `python -m tools.runtime --force` to restore it"
            )
        self._seen[relative] = signature

    def is_vendored(self, path: Path) -> str | None:
        try:
            relative = path.resolve().relative_to(self.vendor_dir)
        except ValueError:
            return None
        return str(relative)


class IntegrationFiles(StaticFiles):
    """StaticFiles with pre-compressed siblings, cache policy, MIME types and vendor checks."""

    def __init__(self, directory: Path, integrity: VendorIntegrity | None, check_dir: bool = True) -> None:
        super().__init__(directory=directory, follow_symlink=False, check_dir=check_dir)
        self.integrity = integrity

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result,
                      scope: Scope, status_code: int = 200) -> Response:
        path = Path(full_path)
        media_type = MEDIA_TYPES.get(path.suffix)
        vendored = self.integrity.is_vendored(path) if self.integrity else None
        headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if vendored is not None:
            if (refusal := self._refusal(vendored)) is not None:
                return refusal
            if path.name not in MUTABLE_VENDOR_NAMES:
                headers["Cache-Control"] = IMMUTABLE
        elif SNAPSHOT_BLOB.fullmatch(path.name):
            headers["Cache-Control"] = IMMUTABLE
        request_headers = Request(scope).headers
        # A range is read from the file itself: a range of its brotli stream would be useless to
        # the reader (static/shim/interpreter.mjs reads wheels and the stdlib archive by range).
        accepted = "" if "range" in request_headers else request_headers.get("accept-encoding", "")
        for encoding, suffix in ENCODINGS:
            sibling = path.with_name(path.name + suffix)
            if encoding in accepted and (vendored is None or f"{vendored}{suffix}" in self.integrity.expected):  # type: ignore[union-attr]
                if sibling.is_file():
                    if vendored is not None and (refusal := self._refusal(vendored + suffix)) is not None:
                        return refusal
                    headers["Content-Encoding"] = encoding
                    return self._conditional(scope, FileResponse(
                        sibling, status_code=status_code, headers=headers,
                        media_type=media_type or "application/octet-stream", stat_result=sibling.stat()))
        return self._conditional(scope, FileResponse(path, status_code=status_code, headers=headers,
                                                     media_type=media_type, stat_result=stat_result))

    def _refusal(self, relative: str) -> Response | None:
        """None when the vendored file is the verified one; otherwise the logged refusal."""
        try:
            self.integrity.check(relative)  # type: ignore[union-attr]
        except VendorTampered as error:
            log.error("refused: %s", error)
            return PlainTextResponse(f"Refused: {error}\n", status_code=500)
        return None

    def _conditional(self, scope: Scope, response: FileResponse) -> Response:
        return conditional(response, Headers(scope=scope))


def conditional(response: FileResponse, request_headers: Headers) -> Response:
    """ETag / If-None-Match: answer 304 when the browser already has this exact file."""
    if StaticFiles.is_not_modified(None, response.headers, request_headers):  # type: ignore[arg-type]
        return NotModifiedResponse(response.headers)
    return response


class SnapshotGate:
    """Serves static/snapshot/ only while tools/snapshot.py vouches for it (current and intact).

    A snapshot left from another runtime would be downloaded (~5 MB) only to be refused by Pyodide;
    hidden, the page starts normally at once. Re-checked whenever snapshot.json changes.
    """

    def __init__(self, app: ASGIApp, folder: Path) -> None:
        self.app = app
        self.folder = folder
        self._checked: tuple[int, int] | None = None
        self._usable = False

    def usable(self) -> bool:
        from tools import snapshot

        try:
            stat = (self.folder / snapshot.POINTER).stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = (0, 0)
        if signature != self._checked:
            self._checked = signature
            try:
                snapshot.verify(self.folder)
                self._usable = True
            except snapshot.SnapshotError as reason:
                self._usable = False
                log.warning("interpreter snapshot not served (%s): the integration starts without it; "
                            "`python -m tools.snapshot` makes it", reason)
        return self._usable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.usable():
            await PlainTextResponse("No usable interpreter snapshot\n", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds the headers every page needs and logs every refused (404) path."""

    def __init__(self, app: ASGIApp, frame_ancestors: tuple[str, ...]) -> None:
        self.app = app
        ancestors = " ".join(("'self'", *frame_ancestors))
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", (
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval' blob:; "
                "worker-src 'self' blob:; connect-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
                f"img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors {ancestors}"
            ).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers
                if message["status"] == 404:
                    log.warning("404 (not served): %s %r", scope.get("method"), scope.get("raw_path", b"").decode(
                        "latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_headers)


class DelayedResponses:
    """Holds every request back `latency_ms` before answering it: a network round trip.

    On loopback every request is answered at once, so a chain of requests, each made only once the
    one before it arrived (a module and then its imports; the worker's config, then its
    interpreter), costs nothing there, and about one round trip per link between an agent and the
    web server that serves the integration. `serve.py --latency-ms` and `make bench ARGS="--rtt-ms
    N"` show that cost. Requests wait concurrently (asyncio), as on a network, not in turn.
    """

    def __init__(self, app: ASGIApp, latency_ms: float) -> None:
        self.app = app
        self.seconds = latency_ms / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


def build_app(options: ServeOptions | None = None) -> Starlette:
    """The whole site: simulator at `/`, the integration page and its folders, nothing else."""
    options = options or ServeOptions()
    integrity = VendorIntegrity(options.vendor_dir)
    source = ProjectSource(options.project or bundle.toolkit_project())
    snapshot_dir = options.snapshot_dir or source.project.snapshot_dir

    def revalidated(request: Request, path: Path, media_type: str | None) -> Response:
        """A small file that changes with the code: no-cache, but 304 when the ETag still matches."""
        return conditional(FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"},
                                        stat_result=path.stat()), request.headers)

    def root_file(name: str) -> Route:
        async def endpoint(request: Request) -> Response:
            path = ROOT / name
            return revalidated(request, path, MEDIA_TYPES.get(path.suffix))
        return Route(f"/{name}", endpoint)

    async def home(request: Request) -> Response:
        return RedirectResponse(SIMULATOR_PAGE + (f"?{request.url.query}" if request.url.query else ""))

    async def integration_bundle(request: Request) -> Response:
        project = source.current()
        try:
            bundle.ensure(project)  # a module edited since: the archive is made again before it is served
        except ProjectError as error:
            log.error("%s", error)
            return PlainTextResponse(f"{error}\n", status_code=500)
        return revalidated(request, project.bundle_path, "application/zip")

    async def page_config(request: Request) -> Response:
        return revalidated(request, write_page_config(source.current()), "application/toml")

    async def stub_library(request: Request) -> Response:
        if not STUB_LIBRARY.is_file():
            return PlainTextResponse("console.error('b+s Connects stub library missing');\n",
                                     media_type="text/javascript")
        return revalidated(request, STUB_LIBRARY, "text/javascript")

    routes = [
        Route("/", home),
        Route("/cnx_connectsIntegrationLibrary.min.js", stub_library),
        root_file("index.html"),
        Route("/pyscript.toml", page_config),
        Route("/static/bundle/integration.zip", integration_bundle),
        simulator_world.route(source.project.root),
        Mount("/integration", IntegrationFiles(ROOT / "integration", None)),
        Mount("/static/snapshot", SnapshotGate(IntegrationFiles(snapshot_dir, None, check_dir=False), snapshot_dir)),
        Mount("/static", IntegrationFiles(ROOT / "static", integrity)),
    ]
    middleware = [Middleware(SecurityHeaders, frame_ancestors=options.frame_ancestors)]
    if options.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(options.cors_origins),
                                     allow_methods=["GET", "HEAD"]))
    if options.latency_ms > 0:
        middleware.insert(0, Middleware(DelayedResponses, latency_ms=options.latency_ms))
    return Starlette(routes=routes, middleware=middleware)
