"""Page reruns after a slider move, measured with AppTest (no browser, no network).

Run: ``.venv/bin/python -m tests.benchmarks.bench_pages [--repeats 10]``

- cold: the slider goes to a value not seen before, so the page's cache misses and the
  simulation runs;
- warm: the slider goes back and forth between values already seen (the cache hits),
  as when a room sits on the facilitator's scenario.
The budget for a warm rerun is a p95 of at most 300 ms.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from simulators.config import settings_of
from tests.benchmarks.bench_simulators import CASES
from tests.benchmarks.timing import HEADER, row, stats

ROOT = Path(__file__).resolve().parents[2]


def bench(use_case: str, repeats: int = 10) -> dict[str, dict[str, float]]:
    slider_name = CASES[use_case][1]
    key = f"{use_case}.{slider_name}"
    from simulators import registry

    page = registry.get(use_case).page
    meta = {n: m for n, m, _ in settings_of(registry.config_class(use_case))}[slider_name]
    at = AppTest.from_file(str(ROOT / page), default_timeout=120).run()
    step = meta.step or 0.05
    values = [round(meta.min + step * (i % int((meta.max - meta.min) / step)), 4)
              for i in range(1, repeats + 1)]

    def move(value: float) -> float:
        start = time.perf_counter()
        at.select_slider(key=key).set_value(value).run()
        assert not at.exception, at.exception
        return 1000 * (time.perf_counter() - start)

    cold = [move(v) for v in values]
    seen = values[:2]
    warm = [move(seen[i % 2]) for i in range(repeats)]
    return {"cold": stats(cold), "warm": stats(warm)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    print(HEADER)
    for use_case in CASES:
        for what, figures in bench(use_case, args.repeats).items():
            print(row(f"{use_case} page rerun, cache {what}", figures,
                      300 if what == "warm" else None))


if __name__ == "__main__":
    main()
