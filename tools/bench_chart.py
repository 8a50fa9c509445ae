"""The benchmark's figure (matplotlib, Agg: no display here): one PNG with four panels so the
three pages can be compared at a glance — ready time, transfer, round trip, event throughput."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

from tools.bench_stats import PAGE_LABELS, PAGES  # noqa: E402

COLOURS = {"plain_js": "#4c956c", "bare_pyscript": "#2c6e9b", "ours": "#d1495b"}


def _bars(ax: Any, labels: list[str], series: list[tuple[str, list[float | None], list[tuple[float, float] | None]]],
          ylabel: str, title: str) -> None:
    width = 0.8 / max(1, len(series))
    for i, (name, values, spans) in enumerate(series):
        xs = [x + i * width for x in range(len(labels))]
        heights = [v or 0 for v in values]
        errors = None
        if any(spans):
            lower = [(v or 0) - (s[0] if s else v or 0) for v, s in zip(values, spans, strict=False)]
            upper = [(s[1] if s else v or 0) - (v or 0) for v, s in zip(values, spans, strict=False)]
            errors = [lower, upper]
        bars = ax.bar(xs, heights, width, yerr=errors, capsize=3, label=name)
        for bar, value in zip(bars, values, strict=False):
            label = "n/a" if value is None else (f"{value:,.0f}" if value >= 1000 else f"{value:.3g}")
            ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                        fontsize=7)
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))], labels)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    if len(series) > 1:
        ax.legend(fontsize=8)


def _startup(ax: Any, pages: dict[str, Any]) -> None:
    """Cold start split into 'a request in flight' and 'no request in flight' (computing)."""
    names, fetching, computing = [], [], []
    for page in PAGES:
        start = pages[page].get("start_up")
        if not start:
            continue
        names.append(PAGE_LABELS[page])
        fetching.append(start.get("network_busy_ms", start["last_response_end_ms"]) / 1000)
        computing.append(start.get("network_idle_ms", start["after_last_response_ms"]) / 1000)
    ax.barh(names, fetching, label="a request in flight", color="#8fb8de")
    ax.barh(names, computing, left=fetching, label="no request in flight (compile, unpack, import)",
            color="#d1495b")
    for y, (f, c) in enumerate(zip(fetching, computing, strict=True)):
        ax.annotate(f"{f:.2f} + {c:.2f} s", (f + c, y), va="center", fontsize=7, xytext=(3, 0),
                    textcoords="offset points")
    ax.set_xlabel("seconds of navigation start -> ready (first cold load)")
    ax.set_title("Where a cold start goes", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")


def _span(entry: dict[str, Any], key: str, scale: float = 1.0) -> tuple[float, float] | None:
    node = entry.get(key) or {}
    if node.get("min") is None:
        return None
    return node["min"] * scale, node["max"] * scale


def write_chart(results: dict[str, Any], path: Path) -> Path:
    pages = results["pages"]
    labels = [PAGE_LABELS[p] for p in PAGES]
    fig, axes = plt.subplots(3, 2, figsize=(11, 11))

    def med(page: str, key: str, sub: str = "median", scale: float = 1.0) -> float | None:
        value = (pages[page].get(key) or {}).get(sub)
        return None if value is None else value * scale

    _bars(axes[0][0], labels, [
        (kind, [med(p, f"ready_{kind}_ms", scale=1e-3) for p in PAGES],
         [_span(pages[p], f"ready_{kind}_ms", 1e-3) for p in PAGES]) for kind in ("cold", "warm")
    ], "seconds", "Navigation start -> ready (median, min-max)")
    _bars(axes[0][1], labels, [
        ("cold", [med(p, "transfer_cold_bytes", scale=1e-6) for p in PAGES], [None] * len(PAGES)),
        ("warm", [med(p, "transfer_warm_bytes", scale=1e-6) for p in PAGES], [None] * len(PAGES)),
    ], "MB (bodies as sent + headers)", "Bytes transferred per load (median)")
    _bars(axes[1][0], labels, [
        ("p50", [med(p, "round_trip_ms", "p50") for p in PAGES], [None] * len(PAGES)),
        ("p99", [med(p, "round_trip_ms", "p99") for p in PAGES], [None] * len(PAGES)),
        ("p99 settled", [((pages[p].get("round_trip_ms") or {}).get("settled") or {}).get("p99") for p in PAGES],
         [None] * len(PAGES)),
    ], "ms", "beforeDial -> dialOrConsult round trip")
    _bars(axes[1][1], labels, [
        ("events/s", [(pages[p].get("burst") or {}).get("events_per_s") for p in PAGES], [None] * len(PAGES)),
    ], "events per second", "agentStateChange burst throughput")
    _bars(axes[2][1], labels, [
        ("longest gap", [med(p, "host_longest_gap_ms") for p in PAGES],
         [_span(pages[p], "host_longest_gap_ms") for p in PAGES]),
        ("blocked (gaps beyond 16 ms)", [med(p, "host_blocked_ms") for p in PAGES],
         [_span(pages[p], "host_blocked_ms") for p in PAGES]),
    ], "ms", "Host main thread during load (median over loads, min-max)")
    _startup(axes[2][0], pages)
    env = results.get("environment", {})
    fig.suptitle(f"b+s Connects integration start-up and throughput — {results.get('created', '')} "
                 f"({results['settings'].get('runs')} runs, {env.get('cpus', '?')} CPUs, {env.get('browser', '')}"
                 + (f", every request {rtt:g} ms late" if (rtt := results["settings"].get("rtt_ms")) else "") + ")",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
