"""What every part of the snapshot step shares: where the runtime is, how it reports, its error."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = "static/vendor/pyodide-314.0.7"


class SnapshotError(Exception):
    """The snapshot could not be made or is not usable."""


def say(message: str) -> None:
    print(f"[snapshot] {message}", flush=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
