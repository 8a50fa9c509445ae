"""The built folder end to end: a plain static file server serves it, b+s Connects' way of embedding
it (a hidden same-origin iframe) starts it, and it reaches ready from its memory snapshot, loading
nothing from outside the folder but the b+s Connects library.

Two servers, neither of them serve.py: Python's http.server with a small handler that does what
DEPLOY.md asks of a web server (bsconnects/deploy_rules.py: types, cache headers, the .br/.gz
siblings by Accept-Encoding, byte ranges), serving the folder from a subfolder; and, where Debian's
nginx (with its brotli static module) is installed, nginx running the build's own nginx.conf at the
site's root. The host page plays b+s Connects with the simulator's core (createStandaloneSimulator),
loaded before the integration's frame exists, so every request after that is the integration's own.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Frame, Page

from bsconnects import deploy_rules
from bsconnects.build import BuildResult, build
from bsconnects.build_layout import START
from bsconnects.build_refs import LIBRARY
from bsconnects.project import TOOLKIT_ROOT, load_project

from .conftest import wait_ready

pytestmark = pytest.mark.e2e

STUB_LIBRARY = TOOLKIT_ROOT / "static" / "simulator" / "connects-library.js"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
HOST_PAGE = """<!doctype html><html><body>
<script type="module">
  import { createStandaloneSimulator } from "./simulator/api.js";
  // b+s Connects: the integration page in a hidden same-origin iframe, this page its simulator.
  window.embed = (src) => {
    const frame = Object.assign(document.createElement("iframe"), { id: "integration", src, hidden: true });
    document.body.append(frame);
    window.connectsSimulator = createStandaloneSimulator(frame.contentWindow);
  };
  window.hostReady = true;
</script>
</body></html>"""


@dataclass(frozen=True)
class Served:
    path: str
    status: int
    encoding: str
    content_type: str


@dataclass
class Site:
    """A running server: the built folder at `mount`, the host page at /__host/host.html."""

    base: str
    mount: str
    requests: Callable[[], list[Served]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The toolkit's own project, built the way `bsconnects build` does."""
    return build(load_project(TOOLKIT_ROOT), tmp_path_factory.mktemp("build") / "dist", say=lambda _: None)


@pytest.fixture(scope="module")
def host_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The host page and the simulator's modules it imports (b+s Connects' side, not the build's)."""
    folder = tmp_path_factory.mktemp("host")
    (folder / "host.html").write_text(HOST_PAGE)
    shutil.copytree(TOOLKIT_ROOT / "static" / "simulator", folder / "simulator")
    # The simulator reads the request names from the contract the shim is generated from.
    (folder / "shim").mkdir()
    shutil.copy(TOOLKIT_ROOT / "static" / "shim" / "contract.js", folder / "shim" / "contract.js")
    return folder


class DeployedFolder(BaseHTTPRequestHandler):
    """Serves the built folder under `mount` the way DEPLOY.md describes, plus the host and the
    b+s Connects library (neither is part of the build), and logs every request."""

    protocol_version = "HTTP/1.1"
    folder: Path
    host: Path
    mount: str
    log: list[Served]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/__host/") and (self.host / path.removeprefix("/__host/")).is_file():
            file = self.host / path.removeprefix("/__host/")
            self._send(path, file.read_bytes(), {"Content-Type": deploy_rules.media_type(file.name)})
        elif path == self.mount + LIBRARY:
            self._send(path, STUB_LIBRARY.read_bytes(), {"Content-Type": "text/javascript"})
        elif path.startswith(self.mount):
            self._deployed(path, path.removeprefix(self.mount) or "index.html")
        else:
            self._send(path, b"not found\n", {"Content-Type": "text/plain"}, status=404)

    def _deployed(self, path: str, relative: str) -> None:
        file = (self.folder / relative).resolve()
        if not file.is_relative_to(self.folder) or not file.is_file() or relative in deploy_rules.NOT_SERVED:
            self._send(path, b"not found\n", {"Content-Type": "text/plain"}, status=404)
            return
        headers = deploy_rules.response_headers(relative)
        ranged = self.headers.get("Range")
        accepted = {token.split(";")[0].strip() for token in self.headers.get("Accept-Encoding", "").split(",")}
        for encoding, suffix in deploy_rules.ENCODINGS:
            sibling = file.with_name(file.name + suffix)
            if not ranged and encoding in accepted and sibling.is_file():
                self._send(path, sibling.read_bytes(), {**headers, "Content-Encoding": encoding})
                return
        data = file.read_bytes()
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", ranged or "")
        if match:
            start = int(match.group(1))
            end = min(int(match.group(2) or len(data) - 1), len(data) - 1)
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            self._send(path, data[start:end + 1], headers, status=206)
        else:
            self._send(path, data, {**headers, "Accept-Ranges": "bytes"})

    def _send(self, path: str, body: bytes, headers: dict[str, str], status: int = 200) -> None:
        self.log.append(Served(path, status, headers.get("Content-Encoding", ""), headers.get("Content-Type", "")))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def plain_server(built: BuildResult, host_dir: Path) -> Iterator[Site]:
    """Python's http.server, the folder in a subfolder (/integration/)."""
    log: list[Served] = []
    mount = "/integration/"
    handler = type("Handler", (DeployedFolder,), {"folder": built.out, "host": host_dir, "mount": mount, "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}", mount, lambda: list(log))
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def nginx_server(built: BuildResult, host_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Debian's nginx running the build's nginx.conf (root and port set), the folder at the root."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None or not BROTLI_MODULE.exists():
        pytest.skip("nginx with its brotli static module is not installed "
                    "(apt-get install nginx-light libnginx-mod-http-brotli-static)")
    work = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    server = (built.out / "nginx.conf").read_text()
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "root /srv/bsconnects-integration;", f"root {built.out};")
    # The test's own locations (b+s Connects' side): the host page, its simulator, the stub library.
    extra = (f"    location /__host/ {{ alias {host_dir}/; }}\n"
             f"    location = /{LIBRARY} {{ alias {STUB_LIBRARY}; types {{ }} default_type text/javascript; }}\n}}\n")
    server = server[:server.rstrip().rindex("}")] + extra
    (work / "main.conf").write_text(f"""user root;
pid {work}/nginx.pid;
error_log {work}/error.log;
load_module {BROTLI_MODULE};
events {{ }}
http {{
    log_format served '$uri $status "$sent_http_content_encoding" "$sent_http_content_type"';
    access_log {work}/access.log served;
{server}
}}
""")
    process = subprocess.Popen([nginx, "-c", str(work / "main.conf"), "-p", str(work), "-g", "daemon off;"],
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.05)

        def requests() -> list[Served]:
            lines = (work / "access.log").read_text().splitlines() if (work / "access.log").exists() else []
            return [Served(match[1], int(match[2]), match[3], match[4]) for line in lines
                    if (match := re.fullmatch(r'(\S+) (\d+) "([^"]*)" "([^"]*)"', line))]

        yield Site(f"http://127.0.0.1:{port}", "/", requests)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(params=["http.server", "nginx"])
def site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue("plain_server" if request.param == "http.server" else "nginx_server")


def start_row(frame: Frame) -> str:
    """The status panel's "start" row: how the worker's Python started (the frame is hidden, so
    its rows are read from the DOM, not as rendered text)."""
    return str(frame.evaluate("""() => [...document.querySelectorAll('#integration-details dt')]
        .find((term) => term.textContent === 'start')?.nextElementSibling.textContent ?? ''"""))


def embed(page: Page, site: Site) -> tuple[str, list[Served]]:
    """Open the host, embed the built page, wait for ready; the start row and the frame's requests."""
    page.goto(f"{site.base}/__host/host.html")
    page.wait_for_function("window.hostReady === true")
    first = len(site.requests())
    page.evaluate("(src) => window.embed(src)", f"{site.mount}index.html")
    frame = page.frame_locator("#integration")
    frame.locator("html[data-integration='ready'], html[data-integration='failed']").wait_for(
        state="attached", timeout=60_000)
    integration = next(f for f in page.frames if f.url.endswith(f"{site.mount}index.html"))
    assert wait_ready(integration) == "ready", integration.evaluate("document.body.textContent")
    return start_row(integration), site.requests()[first:]


def outside_the_folder(requests: list[Served], site: Site, folder: Path) -> list[Served]:
    """Requests for anything but a file of the folder (or the b+s Connects library), or that failed."""
    def inside(served: Served) -> bool:
        relative = served.path.removeprefix(site.mount)
        return served.path.startswith(site.mount) and (relative == LIBRARY or (folder / relative).is_file())
    return [served for served in requests if not inside(served) or served.status >= 400]


def test_a_plain_static_server_starts_the_built_folder_from_its_snapshot(
    page: Page, context: BrowserContext, built: BuildResult, site: Site
) -> None:
    """Embedded as b+s Connects embeds it, the built page reaches ready from the memory snapshot and
    requests only files of the folder: each start file it ships, the wasm as brotli of type wasm."""
    offsite: list[str] = []
    context.on("request", lambda request: offsite.append(request.url) if request.url.startswith("http")
               and not request.url.startswith(site.base) else None)
    line, requests = embed(page, site)
    assert built.snapshot
    assert line.startswith("from the memory snapshot") and "changed since the snapshot" not in line, line
    assert outside_the_folder(requests, site, built.out) == [] and offsite == []
    requested = {served.path.removeprefix(site.mount) for served in requests}
    shipped_for_start = {path for path, item in built.layout.files.items() if item.role == START and not item.sibling}
    assert shipped_for_start - requested == set(), "shipped for the start but never loaded"
    wasm = next(served for served in requests if served.path.endswith("/pyodide.asm.wasm"))
    assert (wasm.encoding, wasm.content_type) == ("br", "application/wasm")


def test_without_its_snapshot_the_built_page_still_starts_from_the_folder_alone(
    page: Page, context: BrowserContext, built: BuildResult, plain_server: Site
) -> None:
    """When the snapshot cannot be used, the normal start finds the runtime's lock, stdlib and wheels
    in the folder too: still ready, still nothing from outside it."""
    context.route("**/snapshot.json", lambda route: route.fulfill(status=404, body="hidden by the test"))
    line, requests = embed(page, plain_server)
    assert line.startswith("without a snapshot"), line
    assert outside_the_folder(requests, plain_server, built.out) == []
    requested = {served.path.rsplit("/", 1)[1] for served in requests}
    assert {"pyodide-lock.json", "python_stdlib.zip", "pydantic-2.14.3-py3-none-any.whl"} <= requested
