"""Unit tests of the benchmark's pure parts (tools/bench_stats.py, the results document of
tools/bench_results.py, the table of tools/bench_report.py): no browser, no server."""

from __future__ import annotations

import math
from argparse import Namespace

import pytest

from tools import bench_report, bench_results, bench_stats


def test_percentile_interpolates_between_ranks() -> None:
    """p50 of an even count is the mean of the middle two; p0/p100 are min/max."""
    assert bench_stats.percentile([4, 1, 3, 2], 50) == 2.5
    assert bench_stats.percentile([4, 1, 3, 2], 0) == 1
    assert bench_stats.percentile([4, 1, 3, 2], 100) == 4


def test_percentile_p99_of_1000_values() -> None:
    """p99 of 1..1000 lies between the 990th and 991st value (linear interpolation)."""
    assert bench_stats.percentile(list(range(1, 1001)), 99) == pytest.approx(990.01)


def test_percentile_rejects_out_of_range_and_handles_empty() -> None:
    """A percentile outside 0..100 is an error; no values give NaN."""
    with pytest.raises(ValueError):
        bench_stats.percentile([1.0], 101)
    assert math.isnan(bench_stats.percentile([], 50))


def test_summary_skips_failed_runs() -> None:
    """None (a run that never got ready) is left out of median/min/max and of n."""
    assert bench_stats.summary([3.0, None, 1.0, 2.0]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}
    assert bench_stats.summary([None]) == {"median": None, "min": None, "max": None, "n": 0}


def test_latency_summary() -> None:
    """Round-trip summary reports p50, p99, max and the number of trips."""
    result = bench_stats.latency_summary([1.0] * 99 + [10.0])
    assert result["p50"] == 1.0 and result["max"] == 10.0 and result["n"] == 100
    assert 1.0 < result["p99"] < 10.0


def test_gaps_between_keeps_gaps_overlapping_the_window() -> None:
    """A freeze that started before the window or ends after it counts whole; others are left out."""
    ticks = [0, 10, 20, 120, 130, 140, 300]
    assert bench_stats.gaps_between(ticks, 50, 135) == [100, 10, 10]
    assert bench_stats.gaps_between(ticks, 135, 200) == [10, 160]


def test_blocking_counts_only_time_beyond_the_threshold() -> None:
    """Gaps up to 16 ms block nothing; a 116 ms gap blocks 100 ms; 50 ms variant alongside."""
    result = bench_stats.blocking([10, 16, 11, 116, 26])
    assert result["longest_gap_ms"] == 116
    assert result["blocked_ms"] == pytest.approx(100 + 10)
    assert result["blocked_over_50ms"] == pytest.approx(66)
    assert bench_stats.blocking([]) == {"longest_gap_ms": 0.0, "blocked_ms": 0.0, "blocked_over_50ms": 0.0}


def test_ratio_handles_missing_and_zero() -> None:
    """A ratio is only given when both values exist and the reference is not zero."""
    assert bench_stats.ratio(1.4, 2.0) == pytest.approx(0.7)
    assert bench_stats.ratio(None, 2.0) is None
    assert bench_stats.ratio(1.0, 0) is None


def _results(ours: dict, bare: dict | None = None) -> dict:
    empty = {"median": None}
    bare = bare or {"ready_cold_ms": {"median": 3000.0}, "ready_warm_ms": {"median": 2000.0}}
    pages = {"plain_js": {"ready_cold_ms": {"median": 50.0}, "ready_warm_ms": {"median": 40.0}},
             "bare_pyscript": bare, "ours": ours}
    for entry in pages.values():
        entry.setdefault("ready_cold_ms", empty)
        entry.setdefault("ready_warm_ms", empty)
    return {"pages": pages}


def _verdicts(results: dict) -> dict[str, str]:
    return {t["target"]: t["verdict"] for t in bench_stats.evaluate_targets(results)}


def test_targets_pass_at_the_limits() -> None:
    """Values exactly at the issue's limits pass (<= and >=)."""
    ours = {
        "ready_cold_ms": {"median": 2100.0}, "ready_warm_ms": {"median": 1200.0},
        "host_longest_gap_ms": {"median": 100.0}, "host_blocked_ms": {"median": 100.0},
        "round_trip_ms": {"p99": 2.0}, "burst": {"events_per_s": 10_000.0},
        "transfer_cold_bytes": {"median": 6_000_000}, "transfer_warm_body_bytes": {"median": 16 * 1024},
    }
    assert set(_verdicts(_results(ours)).values()) == {"PASS"}


def test_targets_miss_just_beyond_the_limits() -> None:
    """Values just past each limit are MISS, including too few events per second."""
    ours = {
        "ready_cold_ms": {"median": 2101.0}, "ready_warm_ms": {"median": 1201.0},
        "host_longest_gap_ms": {"median": 100.5}, "host_blocked_ms": {"median": 101.0},
        "round_trip_ms": {"p99": 2.01}, "burst": {"events_per_s": 9_999.0},
        "transfer_cold_bytes": {"median": 6_000_001}, "transfer_warm_body_bytes": {"median": 16 * 1024 + 1},
    }
    assert set(_verdicts(_results(ours)).values()) == {"MISS"}


def test_targets_not_measured_are_na() -> None:
    """A page that never got ready yields N/A, never PASS."""
    verdicts = _verdicts(_results({"burst": {"events_per_s": None}, "round_trip_ms": {"p99": None}}))
    assert set(verdicts.values()) == {"N/A"}
    assert len(verdicts) == len(bench_stats.TARGETS)


def test_ratios_table_relative_to_both_baselines() -> None:
    """Ready ratios are given against plain JS and against bare PyScript."""
    ours = {"ready_cold_ms": {"median": 1500.0}, "ready_warm_ms": {"median": 400.0}}
    table = bench_stats.ratios_table(_results(ours))
    assert table["ours"]["ready_cold_ms"]["vs_bare_pyscript"] == pytest.approx(0.5)
    assert table["ours"]["ready_cold_ms"]["vs_plain_js"] == pytest.approx(30.0)
    assert table["ours"]["ready_warm_ms"]["vs_bare_pyscript"] == pytest.approx(0.2)


def _load(ready_ms: float, body: int = 1000) -> dict:
    return {"state": "ready", "seen_by": "stub library", "ready_ms": ready_ms, "longest_gap_ms": 20.0,
            "blocked_ms": 4.0, "blocked_over_50ms": 0.0,
            "transfer": {"body": body, "total": body + 300, "requests": 3}}


def _raw(failing: str | None = None) -> dict:
    raw = {}
    for page in bench_stats.PAGES:
        runs = [{"run": i + 1, "cold": _load(100.0 * (i + 1)), "warm": _load(50.0 * (i + 1), body=0)}
                for i in range(3)]
        if page == failing:
            runs = [{"run": 1, "cold": {"state": "timeout", "error": "Timeout"}}]
        raw[page] = {"url": f"/{page}.html", "runs": runs, "notes": [],
                     "memory": {"main_js_heap_used": 1, "workers": [], "worker_js_heap_used": 0},
                     "round_trip": {**bench_stats.latency_summary([0.5, 0.6, 0.7]), "durations": [0.5, 0.6, 0.7]},
                     "burst": {"events": 10, "ms": 1.0, "events_per_s": 10_000.0, "source": "test"}}
    return raw


ENV = {"cpus": 2, "browser": "Chromium test", "load_average_start": [1.0, 1, 1], "load_average_end": [2.0, 1, 1]}


def test_results_document_has_the_documented_shape() -> None:
    """build_results produces every key check_shape requires, with medians over the runs."""
    args = Namespace(runs=3, dials=3, events=10, quick=False, rtt_ms=0.0)
    results = bench_results.build_results(args, ENV, _raw(), "2026-11-25T00:00:00+00:00")
    assert bench_stats.check_shape(results) == []
    assert results["pages"]["ours"]["ready_cold_ms"] == {"median": 200.0, "min": 100.0, "max": 300.0, "n": 3}
    assert results["pages"]["ours"]["transfer_warm_body_bytes"]["median"] == 0
    assert "durations" not in results["pages"]["ours"]["round_trip_ms"]


def test_check_shape_reports_missing_parts() -> None:
    """A document without a page or a key is reported, so a broken results file is noticed."""
    problems = bench_stats.check_shape({"pages": {"plain_js": {}}})
    assert any("'bare_pyscript'" in p for p in problems)
    assert any("lacks 'ready_cold_ms'" in p for p in problems)
    assert any("'targets'" in p for p in problems)


def test_failed_page_is_noted_and_targets_not_passed() -> None:
    """A page that never got ready is reported in notes and its targets are N/A, not PASS."""
    args = Namespace(runs=3, dials=3, events=10, quick=False, rtt_ms=0.0)
    raw = _raw(failing="ours")
    del raw["ours"]["burst"], raw["ours"]["round_trip"]
    results = bench_results.build_results(args, ENV, raw, "2026-11-25T00:00:00+00:00")
    notes = " ".join(results["pages"]["ours"]["notes"])
    assert "not ready: run 1 cold: timeout" in notes and "only 1 of 3 runs" in notes
    assert {t["verdict"] for t in results["targets"]} == {"N/A"}
    table = bench_report.render_table(results)
    assert "N/A" in table and "our integration" in table


def test_startup_breakdown_splits_fetching_from_computing() -> None:
    """The time after the last response is ready minus the latest end; largest downloads first."""
    timeline = [{"path": "/a.wasm?x=1", "start_ms": 10, "end_ms": 900, "body": 2_700_000},
                {"path": "/b.py", "start_ms": 950, "end_ms": 1200, "body": 4_000},
                {"path": "/c.zip", "start_ms": 20, "end_ms": 800, "body": 2_500_000}]
    result = bench_stats.startup_breakdown(timeline, ready_ms=3000.0, largest=2)
    assert result["last_response_end_ms"] == 1200
    assert result["after_last_response_ms"] == 1800
    assert [row["path"] for row in result["largest"]] == ["/a.wasm", "/c.zip"]
    assert result["requests"] == 3
    assert result["network_busy_ms"] == (900 - 10) + (1200 - 950)
    assert result["network_idle_ms"] == 3000 - 1140


class _DialPage:
    """A stand-in for Playwright's page: bench.roundTrips(n) answers n durations, 1, 2, ... n ms."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def evaluate(self, _script: str, n: int) -> dict:
        self.asked.append(n)
        return {"durations": [float(i + 1) for i in range(n)]}


def test_round_trips_split_into_warm_up_timed_and_settled_dials() -> None:
    """One sequence of dials; the first `warmup` and the last `settled` are summarised apart, so
    the engines' compiles after a start show apart from the page once settled."""
    from tools import bench_browser

    page = _DialPage()
    result = bench_browser.measure_round_trips(page, 4, warmup=2, settled=3)  # type: ignore[arg-type]
    assert page.asked == [9]
    assert result["warmup_durations"] == [1.0, 2.0]
    assert result["durations"] == [3.0, 4.0, 5.0, 6.0]
    assert result["settled_durations"] == [7.0, 8.0, 9.0]
    assert result["settled"]["dials"] == 3 and result["settled"]["n"] == 3 and result["settled"]["max"] == 9.0
    assert result["n"] == 4 and result["max"] == 6.0
    assert "settled" not in bench_browser.measure_round_trips(page, 4, warmup=2)


def test_settled_round_trips_are_summarised_but_their_durations_left_out() -> None:
    args = Namespace(runs=3, dials=3, events=10, quick=False, rtt_ms=0.0)
    raw = _raw()
    raw["ours"]["round_trip"] = {**raw["ours"]["round_trip"], "settled": {"p50": 0.4, "p99": 0.9, "dials": 3},
                                 "settled_durations": [0.4, 0.4, 0.9]}
    results = bench_results.build_results(args, ENV, raw, "2026-11-25T00:00:00+00:00")
    assert results["pages"]["ours"]["round_trip_ms"]["settled"]["p99"] == 0.9
    assert "settled_durations" not in results["pages"]["ours"]["round_trip_ms"]


def test_rtt_is_a_bench_setting_within_range() -> None:
    from tools.bench import parse_args

    assert parse_args(["--rtt-ms", "50"]).rtt_ms == 50
    assert parse_args([]).rtt_ms == 0
    for argv in (["--rtt-ms", "-5"], ["--rtt-ms", "5000"], ["--rtt-ms", "50", "--save-docs"]):
        with pytest.raises(SystemExit):
            parse_args(argv)
