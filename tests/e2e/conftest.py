"""End-to-end harness: one serve.py and one Chromium per test session, a fresh context per test.

Pyodide's start-up dominates these tests, so the server and the browser are shared; each test gets
pytest-playwright's fresh `context`/`page`. Chromium is Debian's (`/usr/bin/chromium`) or the one
named by $CHROMIUM: browsers cannot be downloaded here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, Request, Route

from tools.browser import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    executable = chromium_path()
    if executable:
        args["executable_path"] = executable
    return args


class OffsiteRequests(list):  # type: ignore[type-arg]
    """Every request that went anywhere but the local server (each is aborted)."""


@pytest.fixture
def offsite(context: BrowserContext, server_url: str) -> OffsiteRequests:
    """Abort and record any request that is not to serve.py (pages, frames and workers)."""
    local = urlsplit(server_url).netloc
    seen = OffsiteRequests()

    def guard(route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != local:
            seen.append(request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    context.on("request", lambda request: (
        seen.append(request.url)
        if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != local
        and request.url not in seen else None
    ))
    return seen


def wait_ready(target: Page | Frame, timeout_ms: int = READY_TIMEOUT_MS) -> str:
    """Wait until an integration page (a page or a frame) says ready or failed; return which."""
    target.wait_for_function(
        "['ready', 'failed'].includes(document.documentElement.dataset.integration)", timeout=timeout_ms
    )
    return str(target.evaluate("document.documentElement.dataset.integration"))
