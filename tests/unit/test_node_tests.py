"""The browser code's unit tests (tests/js/*.test.mjs) run under `node --test` as part of pytest,
so README's one test command runs them too; a failure shows node's own report."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_node_test_files_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: it runs tests/js (README: a set-up requirement)")
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests" / "js").glob("*.test.mjs"))
    assert files, "no tests/js/*.test.mjs found"
    done = subprocess.run([node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        pytest.fail(f"node --test failed:\n{done.stdout[-6000:]}{done.stderr[-2000:]}", pytrace=False)
