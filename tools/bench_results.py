"""The benchmark's results document: the raw measurements of every page summarised (medians,
ranges, percentiles), with notes on what failed, the definitions of each figure, the ratios
between pages and the verdict on each target (tools/bench_stats.py does the arithmetic)."""

from __future__ import annotations

import argparse
from typing import Any

from tools import bench_stats
from tools.bench_stats import PAGE_LABELS, PAGES


def build_results(args: argparse.Namespace, env: dict[str, Any], raw: dict[str, Any], created: str) -> dict[str, Any]:
    pages: dict[str, Any] = {}
    for page in PAGES:
        data = raw[page]
        runs = data["runs"]
        ok = [(r, kind) for r in runs for kind in ("cold", "warm") if (r.get(kind) or {}).get("state") == "ready"]

        def values(kind: str, key: str, sub: str | None = None, _ok: list = ok) -> list[float]:
            return [(r[k][key][sub] if sub else r[k][key]) for r, k in _ok if k == kind]

        notes = list(data["notes"])
        failed = [f"run {r['run']} {k}: {(r.get(k) or {}).get('state')}" for r in runs for k in ("cold", "warm")
                  if (r.get(k) or {}).get("state") != "ready"]
        if failed:
            notes.append("not ready: " + "; ".join(failed))
        round_trip = {k: v for k, v in (data.get("round_trip") or {}).items()
                      if k not in ("durations", "warmup_durations", "settled_durations")}
        burst = data.get("burst") or {"events_per_s": None, "error": "not measured (page never ready)"}
        if round_trip.get("error"):
            notes.append(f"round trip: {round_trip['error']}")
        if burst.get("error"):
            notes.append(f"burst: {burst['error']}")
        if burst.get("source"):
            notes.append(f"events counted by: {burst['source']}; timed by: {burst.get('timed_by', '-')}")
        errors = sorted({e for r in runs for k in ("cold", "warm") for e in (r.get(k) or {}).get("page_errors", [])})
        if errors:
            count = sum((r.get(k) or {}).get("page_error_count", 0) for r in runs for k in ("cold", "warm"))
            notes.append(f"{count} uncaught page errors during loads, e.g. {errors[0][:120]}")
        if len(runs) < args.runs:
            notes.append(f"only {len(runs)} of {args.runs} runs attempted: skipped after two loads never got ready")
        gaps = [r[k]["longest_gap_ms"] for r, k in ok]
        blocked = [r[k]["blocked_ms"] for r, k in ok]
        blocked_50 = [r[k]["blocked_over_50ms"] for r, k in ok]
        first_cold = next((r["cold"] for r in runs if (r.get("cold") or {}).get("timeline") is not None
                           and r["cold"].get("state") == "ready"), None)
        pages[page] = {
            "label": PAGE_LABELS[page],
            "start_up": None if first_cold is None else bench_stats.startup_breakdown(
                first_cold["timeline"], first_cold["ready_ms"]),
            "url": data["url"],
            "settings": data.get("settings", {}),
            "ready_cold_ms": bench_stats.summary(values("cold", "ready_ms")),
            "ready_warm_ms": bench_stats.summary(values("warm", "ready_ms")),
            "transfer_cold_bytes": bench_stats.summary(values("cold", "transfer", "total")),
            "transfer_cold_requests": bench_stats.summary(values("cold", "transfer", "requests")),
            "transfer_cold_body_bytes": bench_stats.summary(values("cold", "transfer", "body")),
            "transfer_warm_bytes": bench_stats.summary(values("warm", "transfer", "total")),
            "transfer_warm_body_bytes": bench_stats.summary(values("warm", "transfer", "body")),
            "host_longest_gap_ms": bench_stats.summary(gaps),
            "host_blocked_ms": bench_stats.summary(blocked),
            "host_blocked_over_50ms": bench_stats.summary(blocked_50),
            "round_trip_ms": round_trip or bench_stats.latency_summary([]),
            "burst": burst,
            "memory": data.get("memory"),
            "runs": runs,
            "round_trip_durations_ms": (data.get("round_trip") or {}).get("durations", []),
            "notes": notes,
        }
    results: dict[str, Any] = {
        "schema": bench_stats.SCHEMA_VERSION,
        "created": created,
        "settings": {"runs": args.runs, "dials": args.dials, "events": args.events, "quick": args.quick,
                     "rtt_ms": args.rtt_ms},
        "environment": env,
        "pages": pages,
        "definitions": {
            "ready": "iframe navigation start (its performance.timeOrigin) -> data-integration='ready', "
                     "seen by the host through the stub library; cold = new browser context, warm = reload",
            "transfer": "response bodies as sent (encoded) + response headers of the iframe and its workers "
                        "(the host page's own files excluded); warm_body counts bodies only",
            "host_blocking": f"host 10 ms timer, gaps overlapping [navigation start, ready]; blocked = sum of "
                             f"max(0, gap - {bench_stats.BLOCK_THRESHOLD_MS:g} ms); over cold and warm loads",
            "round_trip": "host calls agentDial (simulator raises beforeDial) -> the page's dialOrConsult reaches "
                          "the simulator; sequential, each started from a fresh task; percentiles over the dials "
                          f"after {bench_stats.WARMUP_DIALS} warm-up dials, summarised apart (round_trip_ms.warmup); "
                          "then as many dials again, summarised apart (round_trip_ms.settled: the engines' "
                          "background compiles after a start are mostly over)",
            "burst": "N agentStateChange delivered at once by the stub -> the page's handled count grew by N",
            "memory": "CDP Runtime.getHeapUsage after the first cold load: main thread (host + iframe share one "
                      "isolate) and each dedicated worker (JS heap; WebAssembly linear memory is not included); "
                      "for workers also after HeapProfiler.collectGarbage (*_after_gc): garbage a start left "
                      "counts until V8 collects it",
        },
    }
    results["ratios"] = bench_stats.ratios_table(results)
    results["targets"] = bench_stats.evaluate_targets(results)
    return results
