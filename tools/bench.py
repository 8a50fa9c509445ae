"""`make bench`: how much start-up, transfer, host blocking, latency and throughput the Python
integration costs next to a plain-JS integration (the floor) and a bare PyScript worker.

Not a test: it prints a table, PASS/MISS lines for the issue's targets, and saves
bench-results/<timestamp>.json + .png (`--save-docs` also copies them to docs/bench/latest.*).
Each page is embedded by static/bench/host.html as a same-origin iframe, like b+s Connects does.
The pages are interleaved within each run (round-robin, rotating the order) because this machine
drifts by ±0.3 s between batches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tools import bench_stats
from tools.bench_stats import PAGE_LABELS, PAGES

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench-results"
DOCS_DIR = ROOT / "docs" / "bench"
PLAIN_JS_PAGES = ("/static/simulator/examples/plain-js-integration.html", "/static/bench/plain-js.html")
PAGE_PATHS = {"bare_pyscript": "/static/bench/bare-pyscript.html", "ours": "/index.html"}
# Dial rules on but nothing blocked or rewritten (E.164 is the default, made explicit): the
# reference integration subscribes beforeDial only when setting1 or setting2 is set, and then
# answers every dial with a `dial` decision that the shim performs (docs/settings.md).
# setting5 raises the beforeDial watchdog from 3 s to 30 s: the burst is timed by a dial raised
# right after 10,000 events, and with 3 s the shim's fail-open fallback answers it first.
PAGE_SETTINGS = {"ours": {"setting1": "format=E164", "setting5": "watchdogMs=30000"}}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold+warm loads per page, interleaved (default 5)")
    parser.add_argument("--quick", action="store_true", help="1 run, 200 dials, 2,000 events (a smoke run)")
    parser.add_argument("--dials", type=int, default=1000, help="beforeDial round trips per page (default 1000)")
    parser.add_argument("--events", type=int, default=10_000, help="agentStateChange events in the burst")
    parser.add_argument("--rtt-ms", type=float, default=0.0, metavar="MS",
                        help="serve every request MS ms late, a network round trip (serve.py --latency-ms); "
                             "default 0: loopback, where a chain of requests costs nothing")
    parser.add_argument("--save-docs", action="store_true", help="also copy the JSON and PNG to docs/bench/latest.*")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results (default bench-results/)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.dials, args.events = 1, min(args.dials, 200), min(args.events, 2000)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not 0 <= args.rtt_ms <= 1000:
        parser.error("--rtt-ms must be between 0 and 1000")
    if args.save_docs and args.rtt_ms:
        parser.error("--save-docs keeps the loopback figures the history compares; run --rtt-ms without it")
    return args


def plain_js_path() -> str:
    for path in PLAIN_JS_PAGES:
        if (ROOT / path.lstrip("/")).is_file():
            return path
    raise SystemExit("no plain-JS integration page found (" + ", ".join(PLAIN_JS_PAGES) + ")")


def environment(browser_version: str) -> dict[str, Any]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                    capture_output=True, text=True, check=False).stdout.strip())
    except OSError:
        commit, dirty = "", False
    return {"cpus": os.cpu_count(), "browser": f"Chromium {browser_version}", "python": sys.version.split()[0],
            "commit": commit, "dirty_tree": dirty, "load_average_start": list(os.getloadavg())}


def collect(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement; returns the raw per-page data."""
    from tools import bench_browser as bb

    paths = {"plain_js": plain_js_path(), **PAGE_PATHS}
    raw: dict[str, dict[str, Any]] = {p: {"url": paths[p], "settings": PAGE_SETTINGS.get(p, {}), "runs": [],
                                          "notes": []} for p in PAGES}
    latency = ("--latency-ms", f"{args.rtt_ms:g}") if args.rtt_ms else ()
    with bb.running_server(*latency) as base, bb.chromium() as browser:
        env = environment(browser.version)
        print(f"serve.py at {base}; Chromium {browser.version}; {args.runs} run(s), pages interleaved"
              + (f"; every request served {args.rtt_ms:g} ms late" if args.rtt_ms else ""), flush=True)
        failures = dict.fromkeys(PAGES, 0)
        for run in range(args.runs):
            order = PAGES[run % len(PAGES):] + PAGES[:run % len(PAGES)]
            for page in order:
                if failures[page] >= 2:
                    continue  # never got ready twice: more attempts would only burn minutes
                url = bb.host_url(base, paths[page], PAGE_SETTINGS.get(page))
                load = bb.new_load(browser)
                entry: dict[str, Any] = {"run": run + 1}
                try:
                    entry["cold"] = bb.measure_load(load, url, reload=False, timeline=run == 0)
                    if entry["cold"].get("state") != "ready":
                        failures[page] += 1
                        raw[page]["runs"].append(entry)
                        print(f"  run {run + 1} {PAGE_LABELS[page]:>16}: cold {_short(entry['cold'])}, "
                              f"warm skipped", flush=True)
                        continue
                    if "memory" not in raw[page]:
                        raw[page]["memory"] = bb.measure_memory(load)
                    entry["warm"] = bb.measure_load(load, url, reload=True)
                    if "burst" not in raw[page] and entry["warm"].get("state") == "ready":
                        raw[page]["round_trip"] = bb.measure_round_trips(load.page, args.dials, settled=args.dials)
                        raw[page]["burst"] = bb.measure_burst(load.page, args.events)
                finally:
                    load.context.close()
                raw[page]["runs"].append(entry)
                print(f"  run {run + 1} {PAGE_LABELS[page]:>16}: cold {_short(entry.get('cold'))}, "
                      f"warm {_short(entry.get('warm'))}", flush=True)
        env["load_average_end"] = list(os.getloadavg())
    return {"env": env, "raw": raw}


def _short(load: dict[str, Any] | None) -> str:
    if not load:
        return "-"
    if load.get("state") != "ready":
        return f"{load.get('state')}"
    return f"{load['ready_ms'] / 1000:.2f} s"


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


def _fmt_summary(node: dict[str, Any] | None, scale: float, unit: str, digits: int = 2) -> str:
    if not node or node.get("median") is None:
        return "n/a"
    if node["n"] == 1:
        return f"{node['median'] * scale:.{digits}f} {unit}"
    return (f"{node['median'] * scale:.{digits}f} {unit} ({node['min'] * scale:.{digits}f}–"
            f"{node['max'] * scale:.{digits}f})")


def _bytes(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.1f} kB"


def _med(entry: dict[str, Any], key: str) -> float | None:
    return (entry.get(key) or {}).get("median")


def _int(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _latency(summary: dict[str, Any] | None) -> str:
    """'p50 / p99 ms' of a latency summary, or n/a when it has none."""
    if not summary or summary.get("p50") is None:
        return "n/a"
    return f"{summary['p50']:.2f} / {summary['p99']:.2f} ms"


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 1e6:.2f} MB"


def render_table(results: dict[str, Any]) -> str:
    pages = results["pages"]
    rows: list[tuple[str, list[str]]] = [
        ("ready cold, median (min–max)", [_fmt_summary(pages[p]["ready_cold_ms"], 1e-3, "s") for p in PAGES]),
        ("ready warm, median (min–max)", [_fmt_summary(pages[p]["ready_warm_ms"], 1e-3, "s") for p in PAGES]),
        ("transfer cold (requests)", [
            f"{_bytes(_med(pages[p], 'transfer_cold_bytes'))} ({_int(_med(pages[p], 'transfer_cold_requests'))})"
            for p in PAGES]),
        ("transfer warm (bodies only)", [
            f"{_bytes(_med(pages[p], 'transfer_warm_bytes'))} ({_bytes(_med(pages[p], 'transfer_warm_body_bytes'))})"
            for p in PAGES]),
        ("host longest gap, median (max)", [
            "n/a" if pages[p]["host_longest_gap_ms"]["median"] is None else
            f"{pages[p]['host_longest_gap_ms']['median']:.0f} ms ({pages[p]['host_longest_gap_ms']['max']:.0f})"
            for p in PAGES]),
        ("host blocked, median (max)", [
            "n/a" if pages[p]["host_blocked_ms"]["median"] is None else
            f"{pages[p]['host_blocked_ms']['median']:.0f} ms ({pages[p]['host_blocked_ms']['max']:.0f})"
            for p in PAGES]),
        ("host blocked beyond 50 ms (TBT-like)", [
            "n/a" if pages[p]["host_blocked_over_50ms"]["median"] is None else
            f"{pages[p]['host_blocked_over_50ms']['median']:.0f} ms ({pages[p]['host_blocked_over_50ms']['max']:.0f})"
            for p in PAGES]),
        ("round trip p50 / p99", [
            _latency(pages[p]["round_trip_ms"]) + (
                "" if pages[p]["round_trip_ms"].get("p50") is None else f" (n={pages[p]['round_trip_ms']['n']})")
            for p in PAGES]),
        (f"  first {bench_stats.WARMUP_DIALS} dials p50 / p99",
         [_latency(pages[p]["round_trip_ms"].get("warmup")) for p in PAGES]),
        ("  the next dials (settled) p50 / p99",
         [_latency(pages[p]["round_trip_ms"].get("settled")) for p in PAGES]),
        ("events per second (burst)", [
            "n/a" if pages[p]["burst"].get("events_per_s") is None else
            f"{pages[p]['burst']['events_per_s']:,.0f}/s" for p in PAGES]),
        ("JS heap main thread", [_mb((pages[p]["memory"] or {}).get("main_js_heap_used")) for p in PAGES]),
        ("worker ArrayBuffers (excl. wasm)", [
            "n/a" if not pages[p]["memory"] or not pages[p]["memory"]["workers"] else
            _mb(sum(w.get("backing_stores") or 0 for w in pages[p]["memory"]["workers"])) for p in PAGES]),
        ("  the same after a forced GC", [
            "n/a" if not pages[p]["memory"] or not pages[p]["memory"]["workers"] else
            _mb(sum(w.get("backing_stores_after_gc") or 0 for w in pages[p]["memory"]["workers"])) for p in PAGES]),
        ("JS heap worker(s)", [
            "n/a" if not pages[p]["memory"] else
            ("none" if not pages[p]["memory"]["workers"] else _mb(pages[p]["memory"]["worker_js_heap_used"]))
            for p in PAGES]),
    ]
    head = ["metric"] + [PAGE_LABELS[p] for p in PAGES]
    widths = [max(len(head[0]), *(len(r[0]) for r in rows))]
    widths += [max(len(head[i + 1]), *(len(r[1][i]) for r in rows)) for i in range(len(PAGES))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=False)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip([name, *cells], widths, strict=False)) for name, cells in rows]
    lines.append("")
    for page in PAGES:
        ratios = results["ratios"][page]
        parts = []
        for metric, label in (("ready_cold_ms", "cold"), ("ready_warm_ms", "warm")):
            r = ratios[metric]
            parts.append(f"{label} {_x(r['vs_plain_js'])} plain JS, {_x(r['vs_bare_pyscript'])} bare PyScript")
        lines.append(f"ratio {PAGE_LABELS[page]:>16}: " + "; ".join(parts))
    lines.append("")
    lines.append("targets (our integration; host blocking as the median over loads, worst in the table):")
    for target in results["targets"]:
        value = target["value"]
        if value is None:
            shown = "not measured"
        elif target["unit"] == "B":
            shown = _bytes(value)
        else:
            shown = f"{value:,.2f}{target['unit']}"
        lines.append(f"  {target['verdict']:<4} {target['text']}: {shown}")
    lines.append("")
    lines.append("where a cold start goes (first run):")
    for page in PAGES:
        start = pages[page].get("start_up")
        if not start:
            continue
        largest = ", ".join(f"{row['path'].rsplit('/', 1)[-1]} {_bytes(row['body'])}" for row in start["largest"][:4])
        lines.append(f"  {PAGE_LABELS[page]:>16}: ready at {start['ready_ms'] / 1000:.2f} s: a request in flight "
                     f"{start['network_busy_ms'] / 1000:.2f} s, none {start['network_idle_ms'] / 1000:.2f} s; "
                     f"{start['requests']} requests, last response at {start['last_response_end_ms'] / 1000:.2f} s; "
                     f"largest: {largest}")
    notes = [(p, n) for p in PAGES for n in pages[p]["notes"]]
    if notes:
        lines.append("")
        lines.append("notes:")
        lines += [f"  {PAGE_LABELS[p]}: {n}" for p, n in notes]
    env = results["environment"]
    lines.append(f"load average {env['load_average_start'][0]:.1f} at start, {env['load_average_end'][0]:.1f} at end "
                 f"({env['cpus']} CPUs): figures from a busy machine are slower and noisier")
    return "\n".join(lines)


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def save(results: dict[str, Any], out: Path, stamp: str, save_docs: bool) -> tuple[Path, Path]:
    from tools.bench_chart import write_chart

    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{stamp}.json"
    json_path.write_text(json.dumps(results, indent=1) + "\n")
    png_path = write_chart(results, out / f"{stamp}.png")
    if save_docs:
        DOCS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(json_path, DOCS_DIR / "latest.json")
        shutil.copyfile(png_path, DOCS_DIR / "latest.png")
    return json_path, png_path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    now = dt.datetime.now(dt.UTC)
    collected = collect(args)
    results = build_results(args, collected["env"], collected["raw"], now.isoformat(timespec="seconds"))
    problems = bench_stats.check_shape(results)
    if problems:
        print("results document is malformed: " + "; ".join(problems), file=sys.stderr)
    json_path, png_path = save(results, args.out, now.strftime("%Y%m%dT%H%M%SZ"), args.save_docs)
    print()
    print(render_table(results))
    print(f"\nsaved {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path} and "
          f"{png_path.name}" + (" (and docs/bench/latest.json, latest.png)" if args.save_docs else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
