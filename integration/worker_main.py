"""Entry point of the integration's Python worker (PyScript runs this file in a Web Worker).

Placeholder until the SDK lands: answers the handshake and reports ready, so the foundation
(offline runtime, worker start, host never blocked) can be proven end to end.
"""

import json
import sys

import js  # type: ignore[import-not-found]  # only in Pyodide
import pydantic
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]


def _send(kind: str, **fields: object) -> None:
    js.postMessage(json.dumps({"bsc": 1, "kind": kind, **fields}))


def _on_message(event: object) -> None:
    data = getattr(event, "data", None)
    if isinstance(data, str) and data.startswith("{") and json.loads(data).get("kind") == "ping":
        _send("hello", sdk="0")
        _send("status", status={"python": sys.version.split()[0], "pydantic": pydantic.VERSION})
        _send("ready")


js.addEventListener("message", create_proxy(_on_message))
