"""benchmarks/pls.py's short timings: the mean of calls repeated over a window of seconds."""

from __future__ import annotations

import importlib.util
import time

from helpers.registers import paths

_spec = importlib.util.spec_from_file_location("bench_pls", paths.ROOT / "benchmarks" / "pls.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_a_timing_spans_its_window_and_reports_the_mean_of_its_calls():
    starts, durations = [], iter([0.001, 0.004] * 1000)

    def call():
        starts.append(time.perf_counter())
        time.sleep(next(durations))

    mean, spread, cpu = bench.timed(call, repeats=3, window=0.08)
    timed_calls = len(starts) - 1  # the first call is a warm-up
    assert spread["n"] == timed_calls > 3  # the window, not the repeats, decided the count
    assert time.perf_counter() - starts[1] >= 0.08
    assert spread["mean"] == mean and spread["min"] < mean < spread["max"]
    # fast and slow calls alternate: the fastest took its 1 ms, the slowest at least 4 ms
    assert 0.001 <= spread["min"] and 0.004 <= spread["max"]
    assert 0 <= cpu < mean  # sleeping uses no CPU


def test_without_a_window_a_timing_makes_exactly_its_repeats():
    calls = []
    mean, spread, _ = bench.timed(lambda: calls.append(1), repeats=4, window=0.0)
    assert len(calls) == 5 and spread["n"] == 4
