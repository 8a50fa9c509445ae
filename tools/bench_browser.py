"""The browser side of `python -m tools.bench`: start serve.py, launch Chromium like the e2e
harness, load one page under test in the benchmark host (static/bench/host.html) and read what
the host recorded. Each function measures one thing; tools/bench.py decides the order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, Request

from tools import bench_stats
from tools.browser import chromium, running_server  # noqa: F401 - used by tools/bench.py

ROOT = Path(__file__).resolve().parent.parent
HOST_PAGE = "/static/bench/host.html"
READY_TIMEOUT_MS = 30_000
SETTLE_MS = 300  # requests finishing just after ready still belong to the load


class Load:
    """One navigation of the host page in a context, with the requests it caused."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context = context
        self.page = page
        self.requests: list[Request] = []
        self.failed: list[str] = []
        context.on("requestfinished", self._finished)
        context.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page_errors: list[str] = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _finished(self, request: Request) -> None:
        self.requests.append(request)

    def start(self) -> None:
        self.requests = []
        self.failed = []
        self.page_errors = []

    def timeline(self, frame_start_epoch_ms: float, limit: int = 300) -> list[dict[str, Any]]:
        """The page's requests (not the host's) as [path, start, end] in ms from the iframe's
        navigation start, with body bytes: shows when fetching ended and computing began."""
        rows: list[dict[str, Any]] = []
        for request in self._page_requests():
            timing = request.timing
            start = timing["startTime"] - frame_start_epoch_ms
            end = start + max(timing.get("responseEnd", 0), 0)
            rows.append({"path": re.sub(r"^https?://[^/]+", "", request.url), "start_ms": round(start, 1),
                         "end_ms": round(end, 1), "body": max(0, request.sizes()["responseBodySize"])})
        rows.sort(key=lambda row: row["start_ms"])
        return rows[:limit]

    def _page_requests(self) -> list[Request]:
        chosen = []
        for request in self.requests:
            if not request.url.startswith("http"):
                continue
            try:
                if request.frame == self.page.main_frame:
                    continue  # the benchmark host itself, the same for every page
            except Exception:  # noqa: BLE001 - worker requests may have no frame: they count
                pass
            chosen.append(request)
        return chosen

    def transfer(self) -> dict[str, Any]:
        """Bytes of the page under test and its workers (the host page's own files are left out):
        response bodies as transferred (encoded) plus response headers, from Chromium's accounting,
        which also sees the Python worker's requests."""
        body = headers = count = 0
        with_body: list[dict[str, Any]] = []
        for request in self._page_requests():
            sizes = request.sizes()
            body += max(0, sizes["responseBodySize"])
            headers += max(0, sizes["responseHeadersSize"])
            count += 1
            if sizes["responseBodySize"] > 0:
                path = re.sub(r"^https?://[^/]+", "", request.url)
                with_body.append({"path": path, "body": sizes["responseBodySize"]})
        with_body.sort(key=lambda row: -row["body"])
        # The largest bodies: on a warm load these are the files that were not served from cache.
        return {"body": body, "total": body + headers, "requests": count, "largest_bodies": with_body[:12]}


def measure_load(load: Load, url: str, reload: bool, timeline: bool = False) -> dict[str, Any]:
    """Navigate (or reload) the host; ready time, host blocking and transfer of that load (and,
    with `timeline`, when each of the page's requests started and ended)."""
    load.start()
    page = load.page
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    try:
        page.wait_for_function("document.documentElement.dataset.bench !== 'loading'", timeout=READY_TIMEOUT_MS)
    except Exception as error:  # noqa: BLE001 - a page that never gets ready is a result, not a crash
        return {"state": "timeout", "error": str(error).splitlines()[0]}
    page.wait_for_timeout(SETTLE_MS)
    host = page.evaluate("""() => ({
        state: bench.state.readyState, seenBy: bench.state.seenBy, readyAt: bench.state.readyAt,
        frameOrigin: bench.frameOrigin, hostOrigin: performance.timeOrigin,
        created: bench.state.frameCreatedAt, ticks: bench.ticks.slice() })""")
    gaps = bench_stats.gaps_between(host["ticks"], host["frameOrigin"], host["readyAt"])
    extra = {"timeline": load.timeline(host["hostOrigin"] + host["frameOrigin"])} if timeline else {}
    return {
        **extra,
        "page_errors": sorted(set(load.page_errors))[:3],
        "page_error_count": len(load.page_errors),
        "state": host["state"],
        "seen_by": host["seenBy"],
        "ready_ms": host["readyAt"] - host["frameOrigin"],
        **bench_stats.blocking(gaps),
        "transfer": load.transfer(),
    }


def new_load(browser: Browser) -> Load:
    context = browser.new_context()
    return Load(context, context.new_page())


def host_url(base: str, page_path: str, settings: dict[str, str] | None = None) -> str:
    """The benchmark host embedding `page_path`; `settings` become the simulator's setting1-5."""
    query = f"page={quote(page_path, safe='/')}"
    for key, value in (settings or {}).items():
        query += f"&{key}={quote(value, safe='')}"
    return f"{base}{HOST_PAGE}?{query}"


class WorkerCdp:
    """CDP commands to a dedicated worker through the page's session (Target.sendMessageToTarget:
    Playwright's CDPSession only talks to its own target)."""

    def __init__(self, page: Page, cdp: CDPSession, target_id: str) -> None:
        self.page = page
        self.cdp = cdp
        self.replies: dict[int, dict[str, Any]] = {}
        self.next_id = 1
        cdp.on("Target.receivedMessageFromTarget", self._received)
        self.session = cdp.send("Target.attachToTarget", {"targetId": target_id, "flatten": False})["sessionId"]

    def _received(self, event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def send(self, method: str, params: dict[str, Any] | None = None, timeout_ms: int = 5000) -> dict[str, Any]:
        ident = self.next_id
        self.next_id += 1
        self.cdp.send("Target.sendMessageToTarget", {
            "sessionId": self.session, "message": json.dumps({"id": ident, "method": method, "params": params or {}})})
        waited = 0
        while ident not in self.replies and waited < timeout_ms:
            self.page.wait_for_timeout(20)  # pumps Playwright's event loop (time.sleep would not)
            waited += 20
        reply = self.replies.pop(ident, None)
        if reply is None or "error" in reply:
            raise RuntimeError(f"{method} in the worker: {reply and reply.get('error') or 'no answer'}")
        return reply["result"]


def measure_memory(load: Load) -> dict[str, Any]:
    """JS heap of the main thread (host + same-origin iframe share one isolate) and of each worker."""
    cdp = load.context.new_cdp_session(load.page)
    try:
        main = cdp.send("Runtime.getHeapUsage")
        workers = []
        for target in cdp.send("Target.getTargets")["targetInfos"]:
            if target["type"] != "worker":
                continue
            try:
                worker = WorkerCdp(load.page, cdp, target["targetId"])
                usage = worker.send("Runtime.getHeapUsage")
                # Buffers a start let go of (the snapshot's 38 MB) stay counted until V8 collects
                # them, which it does lazily: measured again after a forced collection.
                worker.send("HeapProfiler.enable")
                worker.send("HeapProfiler.collectGarbage")
                collected = worker.send("Runtime.getHeapUsage")
                workers.append({"js_heap_used": usage["usedSize"], "js_heap_total": usage["totalSize"],
                                "backing_stores": usage.get("backingStorageSize"),
                                "js_heap_used_after_gc": collected["usedSize"],
                                "backing_stores_after_gc": collected.get("backingStorageSize")})
            except Exception as error:  # noqa: BLE001
                workers.append({"error": str(error)})
        return {
            "main_js_heap_used": main["usedSize"],
            "main_js_heap_total": main["totalSize"],
            "workers": workers,
            "worker_js_heap_used": sum(w.get("js_heap_used", 0) for w in workers),
            "wasm_memory": None,
        }
    finally:
        cdp.detach()


def measure_round_trips(page: Page, dials: int, warmup: int = bench_stats.WARMUP_DIALS,
                        settled: int = 0) -> dict[str, Any]:
    """`dials` timed round trips after `warmup` untimed ones (the same for every page), then
    `settled` more, summarised apart.

    Right after a start the engines still tier up (V8 optimises the worker's wasm and JS in the
    background; on 2 cores that competes with the page) and lazily loaded data arrives: the first
    dials of a fresh page measured 5-25 ms. An agent does not dial 100 times in its first second,
    so those are reported apart ("warm-up") and the percentiles describe the page from then on.
    A snapshot start runs almost no Python before ready, so V8 compiles the interpreter's hot
    functions during the timed dials (traced: ~0.44 s of optimising compiles in the first 1,100);
    the `settled` dials that follow show the page once most of that is over (65 ms in the next 1,100).
    """
    result = page.evaluate("(n) => bench.roundTrips(n)", warmup + dials + settled)
    durations = result.get("durations") or []
    first, timed, later = durations[:warmup], durations[warmup:warmup + dials], durations[warmup + dials:]
    summary = {**bench_stats.latency_summary(timed), "error": result.get("error"),
               "warmup": {**bench_stats.latency_summary(first), "dials": warmup},
               "durations": [round(d, 3) for d in timed], "warmup_durations": [round(d, 3) for d in first]}
    if settled:
        summary["settled"] = {**bench_stats.latency_summary(later), "dials": settled}
        summary["settled_durations"] = [round(d, 3) for d in later]
    return summary


def measure_burst(page: Page, events: int) -> dict[str, Any]:
    result = page.evaluate("(n) => bench.burst(n)", events)
    if result.get("error"):
        return {"error": result["error"], "source": result.get("source"), "events": events, "events_per_s": None}
    return {"events": events, "ms": result["ms"], "raise_ms": result["raisedMs"], "source": result["source"],
            "timed_by": result["timedBy"], "handled": result["handled"],
            "events_per_s": events / (result["ms"] / 1000) if result["ms"] > 0 else None}
