"""serve.py's HTTP behaviour: MIME types, caching, pre-compression, integrity, refusals."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import shutil
import time
from pathlib import Path

import brotli
import httpx2
import pytest
from starlette.testclient import TestClient
from test_snapshot import write_snapshot

import serve
from tools import webserver
from tools.served_files import SNAPSHOT_BLOB
from tools.vendor_integrity import VendorTampered
from tools.webserver import ServeOptions, build_app

WASM = b"\x00asm" + bytes(range(256)) * 64


@pytest.fixture
def vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small vendored tree with a manifest, as tools/runtime.py writes it."""
    root = tmp_path / "static"
    folder = root / "vendor" / "pyodide-1.0"
    folder.mkdir(parents=True)
    (folder / "pyodide.asm.wasm").write_bytes(WASM)
    (folder / "pyodide.asm.wasm.br").write_bytes(brotli.compress(WASM))
    (folder / "pyodide.asm.wasm.gz").write_bytes(gzip.compress(WASM))
    (folder / "pyodide-lock.json").write_text("{}")
    (folder / "tool.whl").write_bytes(b"PK wheel")
    files = {
        str(p.relative_to(root / "vendor")): {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                                              "size": p.stat().st_size}
        for p in folder.iterdir()
    }
    (root / "vendor" / "manifest.json").write_text(json.dumps({"files": files}))
    (root / "shim").mkdir()
    (root / "shim" / "main.js").write_text("export {};\n")
    (root / "shim" / "pyscript.toml").write_text("x = 1\n")
    monkeypatch.setattr(webserver, "ROOT", tmp_path)
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "pyscript.toml").write_text("packages = []\n")
    (tmp_path / "integration").mkdir()
    (tmp_path / "integration" / "main.py").write_text("print('hi')\n")
    (tmp_path / "secret.txt").write_text("top secret")
    return root / "vendor"


@pytest.fixture
def client(vendor: Path) -> TestClient:
    return TestClient(build_app(ServeOptions(vendor_dir=vendor)))


@pytest.mark.parametrize(("path", "media_type"), [
    ("/static/vendor/pyodide-1.0/pyodide.asm.wasm", "application/wasm"),
    ("/static/shim/main.js", "text/javascript"),
    ("/pyscript.toml", "application/toml"),
    ("/static/vendor/pyodide-1.0/tool.whl", "application/zip"),
    ("/integration/main.py", "text/x-python"),
    ("/index.html", "text/html"),
])
def test_media_types(client: TestClient, path: str, media_type: str) -> None:
    """Each kind of file is served with the type browsers require (wasm streaming needs application/wasm)."""
    response = client.get(path, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_brotli_sibling_chosen_by_accept_encoding(client: TestClient) -> None:
    """A pre-compressed sibling is served when the browser accepts it, the plain file otherwise."""
    path = "/static/vendor/pyodide-1.0/pyodide.asm.wasm"
    br = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["content-encoding"] == "br"
    assert br.headers["content-type"] == "application/wasm"
    assert br.content == WASM  # httpx decodes brotli: the bytes are the real file
    gz = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == WASM
    assert "Accept-Encoding" in plain.headers["vary"]


def test_a_range_is_read_from_the_file_itself_not_its_compressed_sibling(client: TestClient) -> None:
    """Wheels and the stdlib archive are read by range: the bytes must be the file's, whatever
    encodings the browser accepts."""
    path = "/static/vendor/pyodide-1.0/pyodide.asm.wasm"
    part = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br", "Range": "bytes=4-259"})
    assert part.status_code == 206
    assert "content-encoding" not in part.headers
    assert part.content == WASM[4:260]


def test_vendored_files_are_immutable_and_others_revalidate(client: TestClient) -> None:
    """Versioned runtime files are cached for a year; pages and the generated lock revalidate."""
    wasm = client.get("/static/vendor/pyodide-1.0/pyodide.asm.wasm")
    assert wasm.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/static/vendor/pyodide-1.0/pyodide-lock.json", "/static/shim/main.js", "/index.html"):
        assert client.get(path).headers["cache-control"] == "no-cache", path


@pytest.mark.parametrize("path", ["/static/shim/main.js", "/index.html", "/pyscript.toml"])
def test_etag_conditional_request_gets_304(client: TestClient, path: str) -> None:
    """A browser holding the current ETag gets 304 and no body (a warm load transfers ~nothing)."""
    first = client.get(path)
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("path", [
    "/static/../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%252e%252e/secret.txt",
    "/static/..%2fsecret.txt",
    "/static/..%5csecret.txt",
    "/static/shim/..\\..\\secret.txt",
    "/integration/../secret.txt",
    "/secret.txt",
    "/static/vendor/../../secret.txt",
])
def test_paths_outside_the_served_folders_are_404(client: TestClient, path: str) -> None:
    """Traversal attempts, raw or encoded, never reach a file outside the served folders."""
    response = client.get(path)
    assert response.status_code == 404
    assert b"top secret" not in response.content


def test_symlink_out_of_the_tree_is_refused(client: TestClient, vendor: Path) -> None:
    """A symlink inside static/ that points outside is not followed."""
    (vendor.parent / "shim" / "leak.txt").symlink_to(vendor.parent.parent / "secret.txt")
    assert client.get("/static/shim/leak.txt").status_code == 404


def test_tampered_vendored_file_is_refused_while_serving(client: TestClient, vendor: Path) -> None:
    """A runtime file changed after start is refused with a message naming it, never served."""
    wasm = vendor / "pyodide-1.0" / "pyodide.asm.wasm"
    wasm.write_bytes(WASM + b"evil")
    response = client.get("/static/vendor/pyodide-1.0/pyodide.asm.wasm", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 500
    assert "pyodide-1.0/pyodide.asm.wasm" in response.text
    assert b"evil" not in response.content


def test_tampered_compressed_sibling_is_refused(client: TestClient, vendor: Path) -> None:
    """The .br sibling is verified too: tampering there is not a way around the check."""
    (vendor / "pyodide-1.0" / "pyodide.asm.wasm.br").write_bytes(brotli.compress(WASM + b"evil"))
    response = client.get("/static/vendor/pyodide-1.0/pyodide.asm.wasm", headers={"Accept-Encoding": "br"})
    assert response.status_code == 500


def test_server_refuses_to_start_on_a_tampered_runtime(vendor: Path) -> None:
    """build_app verifies every vendored file up front and names the bad one."""
    (vendor / "pyodide-1.0" / "tool.whl").write_bytes(b"PK other")
    with pytest.raises(VendorTampered, match="tool.whl"):
        build_app(ServeOptions(vendor_dir=vendor))


def test_server_refuses_to_start_without_a_runtime(vendor: Path) -> None:
    """A missing runtime says how to set it up instead of serving a broken page."""
    shutil.rmtree(vendor)
    with pytest.raises(VendorTampered, match="tools.runtime"):
        build_app(ServeOptions(vendor_dir=vendor))


def test_security_headers_on_every_response(client: TestClient) -> None:
    """nosniff, no referrer, and a CSP that allows only self plus wasm compilation."""
    headers = client.get("/index.html").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "'wasm-unsafe-eval'" in csp
    assert "frame-ancestors 'self'" in csp
    assert client.get("/nothing-here").headers["x-content-type-options"] == "nosniff"


def test_frame_ancestors_and_cors_are_configurable(vendor: Path) -> None:
    """A Dynamics origin can frame the page and fetch the runtime cross-origin; others cannot."""
    origin = "https://contoso.crm4.dynamics.com"
    client = TestClient(build_app(ServeOptions(vendor_dir=vendor, cors_origins=(origin,), frame_ancestors=(origin,))))
    response = client.get("/static/vendor/pyodide-1.0/tool.whl", headers={"Origin": origin})
    assert response.headers["access-control-allow-origin"] == origin
    assert origin in response.headers["content-security-policy"]
    other = client.get("/static/vendor/pyodide-1.0/tool.whl", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_latency_holds_each_request_back_once_and_concurrently(vendor: Path) -> None:
    """`--latency-ms`: every response comes a round trip late, requests in flight together wait
    together (4 at 300 ms: ~0.3 s, not 1.2 s), and what is answered does not change."""
    app = build_app(ServeOptions(vendor_dir=vendor, latency_ms=300))
    paths = ["/static/vendor/pyodide-1.0/tool.whl", "/pyscript.toml", "/index.html", "/static/shim/main.js"]

    async def fetch_all() -> tuple[float, list[httpx2.Response]]:
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http:
            started = time.perf_counter()
            responses = await asyncio.gather(*(http.get(path) for path in paths))
            return time.perf_counter() - started, list(responses)

    elapsed, responses = asyncio.run(fetch_all())
    assert 0.3 <= elapsed < 0.9
    plain = TestClient(build_app(ServeOptions(vendor_dir=vendor)))
    assert [(r.status_code, r.content) for r in responses] == [(plain.get(p).status_code, plain.get(p).content)
                                                               for p in paths]


@pytest.mark.parametrize("value", ["-1", "10001", "soon"])
def test_serve_refuses_a_latency_out_of_range(value: str) -> None:
    with pytest.raises(SystemExit):
        serve.parse_args(["--latency-ms", value])


def test_home_is_the_simulator(client: TestClient) -> None:
    """`/` opens the simulator, which embeds /index.html the way b+s Connects does."""
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307)
    assert response.headers["location"].startswith("/static/simulator/index.html")


def test_a_usable_snapshot_is_served_its_blob_cached_forever(vendor: Path, tmp_path: Path) -> None:
    """interpreter-<hash>.bin is named by its content (immutable); snapshot.json must revalidate."""
    write_snapshot(tmp_path / "snap")
    client = TestClient(build_app(ServeOptions(vendor_dir=vendor, snapshot_dir=tmp_path / "snap")))
    blob = client.get("/static/snapshot/interpreter-0123456789abcdef.bin")
    assert blob.status_code == 200 and blob.content == b"memory"
    assert blob.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/snapshot/snapshot.json").headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(("name", "immutable"), [
    ("interpreter-0123456789abcdef.bin", True), ("native-0123456789abcdef.wasm", True),
    ("stdlib-index-0123456789abcdef.bin", True), ("stdlib-index.bin", False),
    ("site-index-0123456789abcdef.json", True), ("pyodide-lock.json", False),
    ("interpreter-0123456789abcdef.bin.old", False)])
def test_only_content_named_snapshot_files_are_immutable(name: str, immutable: bool) -> None:
    assert bool(SNAPSHOT_BLOB.fullmatch(name)) is immutable


@pytest.mark.parametrize("made", ["never", "for another runtime"])
def test_a_missing_or_stale_snapshot_is_not_served(vendor: Path, tmp_path: Path, made: str) -> None:
    """Only a current, intact snapshot is served: otherwise 404, so the page starts normally at once."""
    if made != "never":
        write_snapshot(tmp_path / "snap", fingerprint="0" * 64)
    client = TestClient(build_app(ServeOptions(vendor_dir=vendor, snapshot_dir=tmp_path / "snap")))
    assert client.get("/static/snapshot/snapshot.json").status_code == 404
    assert client.get("/static/snapshot/interpreter-0123456789abcdef.bin").status_code == 404
