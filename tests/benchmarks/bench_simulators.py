"""Speed of every simulator: cold, warm, a slider move, a fix, and the largest size.

Run: ``.venv/bin/python -m tests.benchmarks.bench_simulators [--repeats 15]``

- cold: the first ``simulate(Config())`` in a fresh Python process, imports done;
- warm: ``simulate(Config(seed=s))`` for seeds never seen before, after one warm-up
  call, so no memo of the same world counts;
- slider: a bias setting changed on a world already built (what a participant's
  slider move costs when the page's cache misses);
- fix: a high-bias world with a fix on (Fairlearn's ThresholdOptimizer fitted on audited
  cases; for hotspots, discounting patrol finds, with the new estate);
- largest: every size setting at its maximum;
- band cold: what chance alone makes (``simulators.chance.chance_bands``: every number
  over ``TOWNS`` fair towns) in a fresh Python process, imports done;
- band warm: the same for a new family of settings in a process that has worked out
  others (what the background worker pays when a non-bias slider moves);
- band kept: a band asked for again, from the room's memory cache (what a page pays).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from simulators import chance, registry
from simulators.config import settings_of
from tests.benchmarks.timing import HEADER, row, stats, timed
from workshop.outcome_cache import OutcomeCache

ROOT = Path(__file__).resolve().parents[2]

# name -> (size settings, the bias slider a participant moves, a high-bias world with a fix,
#          budget ms for a warm run at the defaults)
FIX = {"mitigation": "threshold_optimizer"}
CASES = {
    "call_triage": (["n_calls"], "label_bias",
                    {"label_bias": 0.5, "asr_error_gap": 0.16, **FIX}, 300),
    # the learning AI: two models (biased and fair old summaries), two fixes fitted
    "evidence": (["n_cases"], "dialect_strength",
                 {"method": "learned", "dialect_strength": 1.0, "label_bias": 0.6, **FIX}, 300),
    "hotspots": (["grid_size", "days", "n_patrols"], "historic_patrol_bias",
                 {"historic_patrol_bias": 0.4, "mitigation": "discount_discoveries",
                  "new_estate": True}, 1000),
    "reoffending": (["n_people"], "historic_patrol_bias",
                    {"historic_patrol_bias": 0.7, "label_bias": 0.6, **FIX}, 300),
}


def cold_ms(use_case: str) -> float:
    u = registry.get(use_case)
    module, cls = u.module_name, u.config_name
    code = (
        f"import time; from {module} import {cls} as C, simulate\n"
        "t = time.perf_counter(); simulate(C())\n"
        "print(1000 * (time.perf_counter() - t))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


#: A setting that is not bias, and values of it that each ask for a new band.
BAND_FAMILIES = {"call_triage": ("fast_track_threshold", (0.35, 0.4, 0.45)),
                 "evidence": ("summary_ratio", (0.3, 0.4, 0.45)),
                 "hotspots": ("n_patrols", (35, 45, 30)),
                 "reoffending": ("threshold", (0.3, 0.35, 0.4))}


def band_cold_ms(use_case: str) -> float:
    u = registry.get(use_case)
    code = (
        f"import time; from {u.module_name} import {u.config_name} as C\n"
        "from simulators.chance import chance_bands\n"
        f"t = time.perf_counter(); chance_bands({use_case!r}, C())\n"
        "print(1000 * (time.perf_counter() - t))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def bench_bands(use_case: str) -> dict[str, dict[str, float]]:
    base = registry.config_class(use_case)()
    name, values = BAND_FAMILIES[use_case]
    chance.chance_bands(use_case, base)  # this process has now worked one out
    results = {"band cold": stats([band_cold_ms(use_case)])}
    results["band warm"] = timed([lambda v=v: chance.chance_bands(
        use_case, base.replace(**{name: v})) for v in values])
    kept = OutcomeCache()
    kept.put(chance.fair_key(use_case, base), chance.chance_bands(use_case, base))
    results["band kept"] = timed([lambda: kept.peek(chance.fair_key(use_case, base))] * 15)
    return results


def bench(use_case: str, repeats: int = 15) -> dict[str, dict[str, float]]:
    sizes, slider, biased, _budget = CASES[use_case]
    simulate = registry.module(use_case).simulate
    config_cls = registry.config_class(use_case)
    base = config_cls()
    meta = {name: m for name, m, _ in settings_of(config_cls)}
    simulate(base.replace(seed=9999))  # warm-up on a world never timed
    results = {"cold": stats([cold_ms(use_case)])}
    results["warm"] = timed(
        [lambda s=s: simulate(base.replace(seed=1000 + s)) for s in range(repeats)])
    lo, hi = meta[slider].min or 0.0, meta[slider].max or 1.0
    steps = [lo + (hi - lo) * (i + 1) / (repeats + 1) for i in range(repeats)]
    simulate(base)
    results["slider"] = timed([lambda v=v: simulate(base.replace(**{slider: v})) for v in steps])
    fix = base.replace(**biased)
    results["fix"] = timed([lambda s=s: simulate(fix.replace(seed=2000 + s))
                            for s in range(max(3, repeats // 3))])
    big = base.replace(**{name: type(getattr(base, name))(meta[name].max) for name in sizes})
    results["largest"] = timed([lambda s=s: simulate(big.replace(seed=3000 + s))
                                for s in range(3)])
    results["largest"]["config"] = {k: v for k, v in dataclasses.asdict(big).items()
                                    if k in sizes}
    return {**results, **bench_bands(use_case)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--use-case", action="append", choices=list(CASES),
                        help="only this use case (again for more; default: all)")
    args = parser.parse_args()
    everything = {u: bench(u, args.repeats) for u in args.use_case or CASES}
    if args.json:
        print(json.dumps(everything, indent=2))
        return
    print(HEADER)
    for use_case, results in everything.items():
        budget = CASES[use_case][3]
        for what, figures in results.items():
            label = f"{use_case} {what}"
            if what == "largest":
                label += f" {figures['config']}"
            print(row(label, figures, budget if what == "warm" else None))


if __name__ == "__main__":
    main()
