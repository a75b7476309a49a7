"""Timing helpers shared by the benchmark scripts (not a test: figures, not verdicts)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def stats(ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(float(np.median(ms)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "n": len(ms),
    }


def timed(calls: list[Callable[[], object]]) -> dict[str, float]:
    """Run each call once; the median and 95th percentile of their wall times."""
    ms = []
    for call in calls:
        start = time.perf_counter()
        call()
        ms.append(1000 * (time.perf_counter() - start))
    return stats(ms)


def row(name: str, figures: dict[str, float], budget_ms: float | None = None) -> str:
    budget = f"{budget_ms:.0f}" if budget_ms else ""
    return (f"| {name} | {figures['median_ms']:.0f} | {figures['p95_ms']:.0f} | "
            f"{figures['n']} | {budget} |")


HEADER = "| what | median ms | p95 ms | runs | budget ms |\n|---|---|---|---|---|"
