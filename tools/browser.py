"""Headless Chromium and a throw-away serve.py, shared by the tools that drive a browser
(the benchmark, the interpreter snapshot) and by the end-to-end tests.

Browsers cannot be downloaded here: Chromium is Debian's (`/usr/bin/chromium`) or the one named by
$CHROMIUM. The flags suit root on a closed network (no sandbox, no background traffic).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
# Chromium applies only the last --disable-features switch it is given, and Playwright passes its own
# before ours: so ours repeats Playwright's list (1.65.2's; tests/e2e/test_browser_flags.py checks it
# still covers the one Playwright passes) and adds the omnibox's pop-up. Headless Chromium 156 builds
# that pop-up as a WebUI page in a renderer of its own for every new browser context: much CPU each
# (traced), which on a small machine competes with every cold load the bench and the tests measure.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
    "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
)
DISABLED_FEATURES = (*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-features=" + ",".join(DISABLED_FEATURES),
]


def chromium_path() -> str | None:
    """The Chromium to drive, or None (then only Playwright's own browser, if installed).

    `$CHROMIUM`, when set, is the only candidate: a path that names nothing is reported by the
    set-up (tools/setup_browser.py), never silently replaced by another browser.
    """
    named = os.environ.get("CHROMIUM")
    candidates = [named] if named else ["/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@contextmanager
def serving(command: list[str], cwd: Path, timeout_s: float = 60,
            lines: list[str] | None = None) -> Iterator[str]:
    """Run a server command that prints "Serving … at <URL> …" (serve.py, `bsconnects serve`),
    yielding that base URL once printed; stopped on exit. `lines` collects all it printed.

    Its output is read to the end in the background, so the server never blocks on a full pipe
    (warnings such as refused paths keep coming while it runs).
    """
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = [] if lines is None else lines
    name = " ".join([Path(command[0]).name, *command[1:2]])
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        url = None
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"{name} exited ({proc.poll()}) before printing its URL:\n" + "".join(lines))
            lines.append(line)
            match = re.search(r"(https?://\S+?)/? ", line)
            if match and "Serving" in line:
                url = match.group(1).rstrip("/")
        if url is None:
            raise RuntimeError(f"{name} did not print its URL within {timeout_s:.0f} s:\n" + "".join(lines))
        threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()  # type: ignore[arg-type]
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def running_server(*extra: str) -> Iterator[str]:
    """`python serve.py --port 0 [extra]` in the toolkit's checkout, yielding its base URL."""
    with serving([sys.executable, "serve.py", "--port", "0", *extra], ROOT) as url:
        yield url


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
