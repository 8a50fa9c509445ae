"""`make bench`: how much start-up, transfer, host blocking, latency and throughput the Python
integration costs next to a plain-JS integration (the floor) and a bare PyScript worker.

Not a test: it prints a table, PASS/MISS lines for the issue's targets, and saves
bench-results/<timestamp>.json + .png (`--save-docs` also copies them to docs/bench/latest.*).
Each page is embedded by static/bench/host.html as a same-origin iframe, like b+s Connects does.
The pages are interleaved within each run (round-robin, rotating the order) because this machine
drifts by ±0.3 s between batches.

This module reads the command line, runs the measurements (tools/bench_browser.py) and saves; the
results document is assembled by tools/bench_results.py and printed by tools/bench_report.py.
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
from tools.bench_report import render_table
from tools.bench_results import build_results
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
