"""The foundation end to end: offline runtime, Python in a worker, the host never frozen."""

from __future__ import annotations

from playwright.sync_api import Page

from .conftest import OffsiteRequests, wait_ready

# A minimal stand-in for the vendor library, so these tests prove the runtime alone
# (the simulator's own tests prove the real stub).
MINIMAL_LIBRARY = "window.ConnectsIntegrationLibrary = {initIntegration(cb) { setTimeout(cb, 0); }};"

# A host page like b+s Connects: the integration in a same-origin iframe, and a 10 ms timer
# whose longest gap shows how long the shared main thread was blocked.
HOST_PAGE = """<!doctype html><html><body>
<script>
  window.gaps = []; let last = performance.now();
  setInterval(() => { const now = performance.now(); gaps.push(now - last); last = now; }, 10);
</script>
<iframe id="integration" src="/index.html" style="display:none"></iframe>
</body></html>"""


def use_minimal_library(page: Page, server_url: str) -> None:
    page.route(f"{server_url}/cnx_connectsIntegrationLibrary.min.js",
               lambda route: route.fulfill(body=MINIMAL_LIBRARY, content_type="text/javascript"))


def test_page_reaches_ready_offline_with_pydantic_in_the_worker(
    page: Page, server_url: str, offsite: OffsiteRequests
) -> None:
    """index.html starts Python in a worker from local files only, and pydantic imports there."""
    use_minimal_library(page, server_url)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{server_url}/index.html")
    assert wait_ready(page) == "ready", page.inner_text("body")
    details = page.inner_text("#integration-details")
    assert "pydantic" in details and "2.14.3" in details
    assert "3.14" in details  # Pyodide's Python, not the server's
    assert any("[integration] ready" in text for text in messages)
    assert offsite == [], f"requests left the machine: {offsite}"
    # Python ran in a worker: the page itself never created an interpreter on the main thread.
    assert page.evaluate("typeof window.pyodide === 'undefined' && typeof window.loadPyodide === 'undefined'")


def test_loading_never_blocks_a_same_origin_host(page: Page, server_url: str, offsite: OffsiteRequests) -> None:
    """With index.html in a same-origin iframe, the host's 10 ms timer never stalls for 500 ms."""
    use_minimal_library(page, server_url)
    page.route(f"{server_url}/__host.html", lambda route: route.fulfill(body=HOST_PAGE, content_type="text/html"))
    page.goto(f"{server_url}/__host.html")
    frame = page.frame_locator("#integration")
    frame.locator("html[data-integration='ready']").wait_for(state="attached", timeout=60_000)
    longest = page.evaluate("Math.max(...gaps)")
    # A main-thread Pyodide start stalls the host ~2,200 ms here; a worker start ~35 ms.
    assert longest < 500, f"host main thread blocked for {longest:.0f} ms"
    assert offsite == []


def test_a_page_that_cannot_reach_the_library_says_so_visibly(page: Page, server_url: str) -> None:
    """Without the b+s Connects library the page shows a readable error, not a blank page."""
    page.route(f"{server_url}/cnx_connectsIntegrationLibrary.min.js",
               lambda route: route.fulfill(body="/* nothing */", content_type="text/javascript"))
    page.goto(f"{server_url}/index.html")
    assert wait_ready(page) == "failed"
    assert "ConnectsIntegrationLibrary is not defined" in page.inner_text("#integration-error")
    assert page.is_visible("#integration-error")
