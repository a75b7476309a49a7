"""How long ``simulate(HotspotConfig())`` takes, warm, at the defaults and the largest size.

Budget (issue 5): the defaults (a 20 x 20 city, 120 days) at most 1 s median after a
warm-up. Each timed call uses a new seed, so no memo of an earlier result can help;
the warm-up call uses yet another seed.

Run: ``.venv/bin/python -m benchmarks.bench_hotspots`` (from the repository root).
"""

from __future__ import annotations

import time

import numpy as np

from simulators.config import settings_of
from simulators.hotspots import HotspotConfig, simulate

BUDGET_MS = 1000.0


def largest() -> HotspotConfig:
    """The biggest city the settings allow: every size setting at its maximum."""
    sizes = {"grid_size", "days", "n_patrols"}
    top = {name: int(meta.max) for name, meta, _ in settings_of(HotspotConfig) if name in sizes}
    return HotspotConfig(**top)


def _time(config: HotspotConfig, repeats: int) -> dict[str, float]:
    simulate(config.replace(seed=9999))  # warm-up with a seed never timed
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        simulate(config.replace(seed=1000 + i))
        times.append(1000 * (time.perf_counter() - start))
    return {
        "median_ms": round(float(np.median(times)), 1),
        "p95_ms": round(float(np.percentile(times, 95)), 1),
        "repeats": repeats,
    }


def bench(repeats: int = 15) -> dict[str, dict[str, float]]:
    """Median and 95th-percentile milliseconds, warm, at the defaults and the largest size."""
    big = largest()
    return {
        "defaults (20x20, 120 days)": _time(HotspotConfig(), repeats),
        f"largest ({big.grid_size}x{big.grid_size}, {big.days} days, "
        f"{big.n_patrols} patrols)": _time(big, max(3, repeats // 2)),
    }


if __name__ == "__main__":
    for name, figures in bench().items():
        print(f"{name}: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms "
              f"over {figures['repeats']} runs (budget at defaults {BUDGET_MS:.0f} ms)")
