"""The benchmark's results document as the text table `make bench` prints: each figure per page,
the ratios, PASS/MISS per target, where a cold start goes and the notes."""

from __future__ import annotations

from typing import Any

from tools import bench_stats
from tools.bench_stats import PAGE_LABELS, PAGES


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
