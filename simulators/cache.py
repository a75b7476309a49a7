"""Simulation results kept on disk: shared by every server process, kept across restarts.

A simulation takes a tenth to a fifth of a second; loading its saved result takes
20 to 30 milliseconds. ``joblib.Memory`` keeps each result under ``var/cache`` (or
``WORKSHOP_CACHE_DIR``; set it empty to keep nothing on disk), keyed by the use case,
the config and a fingerprint of the simulators' code and data files, so a change to
either starts afresh rather than showing old numbers.

``warm_up_configs`` lists what a room asks for first: every use case's starting
settings and scenarios, then each of them with one bias slider moved to each of its
values. The server works them out in the background when it starts (once: they are
then on disk); ``python -m simulators.cache`` does it ahead of a workshop.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import joblib

from simulators import registry
from simulators.config import settings_of

ROOT = Path(__file__).resolve().parents[1]
BYTES_LIMIT = 1 << 30  # older results are dropped above this (at warm-up)


def location() -> Path | None:
    configured = os.environ.get("WORKSHOP_CACHE_DIR")
    if configured is None:
        return ROOT / "var" / "cache"
    return Path(configured) if configured.strip() else None


@functools.cache
def fingerprint(root: Path = ROOT) -> str:
    """A hash of every file the simulations depend on: simulators/ and data/."""
    h = hashlib.sha256()
    for folder in ("simulators", "data"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


@functools.cache
def _memory(where: Path | None) -> joblib.Memory:
    return joblib.Memory(where, verbose=0)


def _simulate(use_case: str, key: str, code: str, config: Any) -> Any:
    """The key is (use case, repr of the config, code fingerprint); ``config`` is not hashed."""
    return registry.module(use_case).simulate(config)


@functools.cache
def _cached_at(where: Path | None) -> Any:
    return _memory(where).cache(_simulate, ignore=["config"])


def _cached() -> Any:
    return _cached_at(location())


def simulate(use_case: str, config: Any) -> Any:
    """``simulate(config)`` for a use case, from disk when any process worked it out before."""
    return _cached()(use_case, repr(config), fingerprint(), config)


def is_saved(use_case: str, config: Any) -> bool:
    return _cached().check_call_in_cache(use_case, repr(config), fingerprint(), config)


def prune(bytes_limit: int = BYTES_LIMIT) -> None:
    """Drop the least recently used results while the cache is above ``bytes_limit``."""
    if location() is not None:
        _memory(location()).reduce_size(bytes_limit=bytes_limit)


def _grid(lo: float, hi: float, step: float) -> list[float]:
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 10) for i in range(n + 1)]


def starting_configs(use_case: str) -> list[Any]:
    """What a page shows first: the default settings, then every scenario's."""
    cls = registry.config_class(use_case)
    return list(dict.fromkeys([cls(), *(p.config for p in registry.presets(use_case))]))


def warm_up_configs(use_case: str) -> list[Any]:
    """The starting configs, then each with one bias slider moved to each of its
    values: what a room moving sliders from a scenario asks for. No config twice."""
    cls = registry.config_class(use_case)
    bases = starting_configs(use_case)
    sliders = [(name, _grid(m.min, m.max, m.step)) for name, m, _ in settings_of(cls)
               if m.bias and m.step]
    moved = (base.replace(**{name: v}) for base in bases for name, values in sliders
             for v in values)
    return list(dict.fromkeys([*bases, *moved]))


def prepare(use_cases: list[str] | None = None, limit: int | None = None) -> int:
    """Work out every warm-up config now (e.g. the day before a workshop)."""
    if location() is None:
        print("WORKSHOP_CACHE_DIR is empty: nothing would be kept.")
        return 1
    prune()
    start, done, saved = time.monotonic(), 0, 0
    for use_case in use_cases or list(registry.USE_CASES):
        for config in warm_up_configs(use_case)[:limit]:
            if is_saved(use_case, config):
                saved += 1
            else:
                simulate(use_case, config)
                done += 1
        print(f"{use_case}: ready", flush=True)
    print(f"{done} simulations worked out, {saved} already saved, in "
          f"{time.monotonic() - start:.0f} s (kept in {location()})")
    return 0


if __name__ == "__main__":
    # Through the module's own name: joblib files results under the function's
    # module, and the server knows this one as simulators.cache, not __main__.
    import argparse

    from simulators import cache as by_name

    ap = argparse.ArgumentParser(description=by_name.prepare.__doc__)
    ap.add_argument("--use-case", action="append", choices=list(registry.USE_CASES),
                    help="only this use case (again for more; default: all)")
    ap.add_argument("--limit", type=int, help="at most this many configs per use case")
    args = ap.parse_args()
    sys.exit(by_name.prepare(args.use_case, args.limit))
