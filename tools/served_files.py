"""How serve.py answers with a file: its MIME type, cache policy and pre-compressed sibling.

Files named by their version or content (static/vendor/'s versioned folders, the memory
snapshot's files named by their digest) are immutable; everything else revalidates with ETag. A
vendored file is checked against its verified hash before it is served (tools/vendor_integrity.py).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from tools.vendor_integrity import VendorIntegrity, VendorTampered

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
        # the reader (static/shim/remote_files.mjs reads wheels and the stdlib archive by range).
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
