"""Shared test set-up: end-to-end tests are marked `e2e` so unit tests can run alone in seconds."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is end-to-end, marked or not (so `-m "not e2e"` is reliable)."""
    for item in items:
        if "tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A serve.py on a free loopback port, started once for the whole session."""
    process = subprocess.Popen(
        [sys.executable, "serve.py", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 30
    url = None
    lines: list[str] = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"(https?://\S+?:\d+)/", line)
        if match:
            url = match.group(1)
            break
    if url is None:
        process.kill()
        raise RuntimeError("serve.py did not start:\n" + "".join(lines))
    # Keep draining the server's output so it can never block on a full pipe.
    server_log: list[str] = []
    threading.Thread(target=lambda: server_log.extend(process.stdout), daemon=True).start()  # type: ignore[arg-type]
    yield url
    process.terminate()
    process.wait(timeout=10)
