"""What a web server must send with the built folder: one set of rules, written out three ways.

`bsconnects build` lays its output out so that two cache rules suffice: everything under
``static/`` is named by its content (a new version is a new folder or file name), so browsers keep
it for a year without asking again; the few files whose names the world knows (``index.html``, the
page configuration, the worker's script) are revalidated on every start. DEPLOY.md, the IIS,
nginx and Azure Static Web Apps configurations (bsconnects/deploy_templates/) and the end-to-end
test's plain file server all read these rules, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

IMMUTABLE_FOLDER = "static"
"""Every file below this top-level folder of the output is content-named."""
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The default frame ancestor next to 'self': any Dynamics 365 organisation. DEPLOY.md asks to narrow
# it to the customer's own (e.g. https://contoso.crm4.dynamics.com).
DYNAMICS_ORIGINS: tuple[str, ...] = ("https://*.dynamics.com",)

# Content-Type by suffix, for every kind of file the build writes. A module script or a wasm
# module served with another type is refused by the browser (strict MIME checks).
MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".toml": "application/toml",
    ".py": "text/x-python",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".bin": "application/octet-stream",
}
DEFAULT_MEDIA_TYPE = "application/octet-stream"
# Pre-compressed siblings, in order of preference: `<file>.br` is sent as `<file>` with
# `Content-Encoding: br` to a request whose Accept-Encoding names br, and no Range header (a range
# is always of the plain file: the worker reads wheels and the stdlib archive by range).
ENCODINGS: tuple[tuple[str, str], ...] = (("br", ".br"), ("gzip", ".gz"))
SIBLING_SUFFIXES = tuple(suffix for _, suffix in ENCODINGS)

DEPLOY_FILES = ("DEPLOY.md", "web.config", "nginx.conf", "staticwebapp.config.json")
"""Written into the output for the person deploying it; never loaded by the page."""
BUILD_MARKER = ".bsconnects-build"
"""Marks a folder `bsconnects build` made, the only kind it replaces."""
NOT_SERVED = (*DEPLOY_FILES, BUILD_MARKER)


def content_security_policy(frame_ancestors: Sequence[str] = DYNAMICS_ORIGINS) -> str:
    """The page's CSP: its own files only. Pyodide needs wasm compilation (and PyScript eval and
    blob: workers); the snapshot start fetches an empty stdlib archive as a data: URL."""
    ancestors = " ".join(("'self'", *frame_ancestors))
    return ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval' blob:; "
            "worker-src 'self' blob:; connect-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; frame-ancestors {ancestors}")


def security_headers(frame_ancestors: Sequence[str] = DYNAMICS_ORIGINS) -> dict[str, str]:
    """Sent with every response."""
    return {
        "Content-Security-Policy": content_security_policy(frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def is_immutable(path: str) -> bool:
    """Whether the file at `path` (relative to the output, with /) may be cached for good."""
    parts = PurePosixPath(path).parts
    return len(parts) > 1 and parts[0] == IMMUTABLE_FOLDER


def cache_control(path: str) -> str:
    return IMMUTABLE if is_immutable(path) else REVALIDATE


def media_type(path: str) -> str:
    """The Content-Type of `path`, also when a compressed sibling of it is sent."""
    return MEDIA_TYPES.get(PurePosixPath(path).suffix, DEFAULT_MEDIA_TYPE)


def response_headers(path: str, frame_ancestors: Sequence[str] = DYNAMICS_ORIGINS) -> dict[str, str]:
    """Every header a response for `path` carries, but Content-Encoding (see `ENCODINGS`)."""
    return {"Content-Type": media_type(path), "Cache-Control": cache_control(path),
            "Vary": "Accept-Encoding", **security_headers(frame_ancestors)}
