"""The ASGI layers around serve.py's routes: snapshot gate, security headers, simulated latency."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("serve")


class SnapshotGate:
    """Serves static/snapshot/ only while tools/snapshot.py vouches for it (current and intact).

    A snapshot left from another runtime would be downloaded whole only to be refused by Pyodide;
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
