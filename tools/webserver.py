"""The HTTP side of serve.py: a Starlette app with the headers a hidden b+s Connects page needs.

One project is served (bsconnects.toml; the toolkit's own by default): its bundle, memory
snapshot and page configuration at the URLs the page asks for (/static/bundle/integration.zip,
/static/snapshot/, /pyscript.toml), the page, shim, simulator and runtime from the toolkit. The
project's configuration is read again when it changes, the bundle made again when a source
changed: reloading the page runs what was just edited.

Why each piece:
- Pre-compressed siblings (`.br`, `.gz`, made once by tools/runtime.py and tools/snapshot.py) are
  chosen by `Accept-Encoding`: compressing on every request would slow every cold load.
- Files under `static/vendor/` live in versioned folders, so they are cached for a year as
  immutable; everything else revalidates with ETag (Starlette's FileResponse answers 304). Both in
  tools/served_files.py.
- Vendored files are verified against `static/vendor/manifest.json` at start (and re-hashed when a
  file's size or mtime changes): a tampered runtime file is refused, never served
  (tools/vendor_integrity.py).
- Only the integration's own folders are served; anything else, including paths that escape them
  (`..`, encoded variants, symlinks out), is a 404 and is logged.
- `--latency-ms` (off by default) delays every request, to measure start-up as on a network. This,
  the security headers and the snapshot gate are the layers of tools/serve_middleware.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from bsconnects.page import write_page_config
from bsconnects.project import Project, ProjectError, load_project
from tools import bundle, simulator_world
from tools.serve_middleware import DelayedResponses, SecurityHeaders, SnapshotGate
from tools.served_files import MEDIA_TYPES, IntegrationFiles, conditional
from tools.vendor_integrity import VendorIntegrity

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
SIMULATOR_PAGE = "/static/simulator/index.html"
STUB_LIBRARY = ROOT / "static" / "simulator" / "connects-library.js"

log = logging.getLogger("serve")


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
