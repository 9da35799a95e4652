"""Latency summaries shared by the benchmarks."""

from __future__ import annotations

import statistics


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and the mean of latencies (zeros for under two values)."""
    if len(values) < 2:
        return {"p50": values[0] if values else 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98],
            "mean": statistics.fmean(values)}
