"""The vendored runtime as tools/runtime.py verified it: a file that changed since is refused.

Every file of static/vendor/ is checked against ``manifest.json``'s sha256 when the server starts,
and again whenever its size or modification time changes, so a tampered runtime file is never
served.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

MANIFEST = "manifest.json"


class VendorTampered(Exception):
    """A vendored runtime file does not match what tools/runtime.py verified."""


class VendorIntegrity:
    """Knows the verified hash of every vendored file and refuses any that changed."""

    def __init__(self, vendor_dir: Path) -> None:
        self.vendor_dir = vendor_dir.resolve()
        manifest_path = vendor_dir / MANIFEST
        if not manifest_path.is_file():
            raise VendorTampered(
                f"static/vendor/{MANIFEST} is missing: the runtime is not set up (`bsconnects serve` in a "
                f"project sets it up, or: {self.restore_command()})"
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
                f"restore it with: {self.restore_command(force=True)}"
            )
        self._seen[relative] = signature

    def restore_command(self, force: bool = False) -> str:
        """The command that fetches and verifies the runtime again, runnable from anywhere."""
        toolkit = self.vendor_dir.parent.parent
        return f"cd {toolkit} && {sys.executable} -m tools.runtime{' --force' if force else ''}"

    def is_vendored(self, path: Path) -> str | None:
        try:
            relative = path.resolve().relative_to(self.vendor_dir)
        except ValueError:
            return None
        return str(relative)
