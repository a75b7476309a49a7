"""Outcomes are shared by the whole room, bounded in memory, kept on disk only for the
warm-up set, and every scenario is ready before it's asked for without a process of
the room's doing the work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulators import registry
from simulators.fairness import summary
from ui import cache
from workshop import outcome_cache as disk

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _own_outcome_cache():
    """These tests are about the memory cache itself: each starts, and leaves, a new one."""
    cache.outcomes.cache_clear()
    yield
    cache.outcomes.cache_clear()


def test_the_same_config_is_simulated_once_for_everyone():
    use_case, module = registry.get("reoffending"), registry.module("reoffending")
    config = registry.config_class("reoffending")(n_people=300)
    first = cache.outcome(use_case, config)
    assert cache.outcome(use_case, config.replace()) is first
    other = cache.outcome(use_case, config.replace(label_bias=0.5))
    assert other is not first
    assert summary(other) == summary(module.simulate(config.replace(label_bias=0.5)))


def _nice(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    except (OSError, IndexError, ValueError):
        return None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_every_scenario_is_worked_out_by_a_low_priority_process(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("WORKSHOP_WARM_UP", "1")
    monkeypatch.delenv("WORKSHOP_WARM_UP_STARTED", raising=False)
    warm = cache.warm_up_presets()
    assert warm.process is not None
    starts = [(u, c) for u in registry.USE_CASES for c in disk.starting_configs(u)]
    niceness = set()
    try:
        deadline = time.monotonic() + 300
        while not all(disk.is_saved(u, c) for u, c in starts):
            assert warm.process.poll() is None, "the warm-up stopped before the scenarios"
            assert time.monotonic() < deadline, "the scenarios were not worked out"
            niceness.add(_nice(warm.process.pid))
            time.sleep(0.5)
    finally:
        warm.process.terminate()
        warm.join(timeout=30)
    assert 19 in niceness  # it lowered its priority while working
    # The pages then find every scenario on disk, without simulating.
    for use_case in registry.USE_CASES.values():
        monkeypatch.setattr(use_case.module(), "simulate",
                            lambda config: pytest.fail(f"{config}"))
        for preset in use_case.presets():
            assert cache.outcome(use_case, preset.config) is not None


def test_behind_workshop_serve_the_app_starts_no_warm_up_process(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("WORKSHOP_WARM_UP", "1")
    monkeypatch.setenv("WORKSHOP_WARM_UP_STARTED", "1")  # as workshop.serve sets it
    warm = cache.warm_up_presets()
    warm.join(timeout=120)
    assert warm.process is None and not warm.imports.is_alive()


def test_the_pages_folder_is_found_before_and_after_the_move(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    (tmp_path / "pages").mkdir()
    assert cache.pages_dir() == tmp_path / "pages"
    (tmp_path / "app_pages").mkdir()
    assert cache.pages_dir() == tmp_path / "app_pages"


_SWEEP = """
import json, sys
from pathlib import Path

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

from simulators import registry
from ui import cache
from workshop import outcome_cache as disk

use_case, cls = registry.get("hotspots"), registry.config_class("hotspots")
starts = disk.starting_configs("hotspots")
# Load the libraries and fill the caches the simulator keeps of its own first.
for config in starts:
    cache.outcome(use_case, config)
for seed in range(9990, 10000):
    cache.outcome(use_case, cls(seed=seed))
base = peak = rss_mb()
for seed in range(int(sys.argv[1])):  # a room typing World numbers
    cache.outcome(use_case, cls(seed=seed))
    peak = max(peak, rss_mb())
memory = cache.outcomes()
print(json.dumps({"base": base, "peak": peak, "entries": len(memory),
                  "bytes": memory.nbytes, "measured": memory.measured,
                  "evicted": memory.evicted, "starts": len(starts)}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc")
def test_typing_world_numbers_grows_neither_disk_nor_memory_beyond_the_caps(tmp_path):
    cap_mb = 12
    folder = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-c", _SWEEP, "120"], cwd=ROOT, capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), WORKSHOP_CACHE_DIR=str(folder),
                 WORKSHOP_WARM_UP="0", WORKSHOP_MEMORY_CACHE_MB=str(cap_mb),
                 WORKSHOP_MEMORY_CACHE_ENTRIES="10000"))
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # The sweep made several times the cap in results: without the bound, memory grows.
    assert got["measured"] > 3 * cap_mb * disk.MB and got["evicted"] > 0
    assert got["bytes"] <= cap_mb * disk.MB
    # Process memory grew by no more than the cap (and the allocator's slack).
    assert got["peak"] - got["base"] <= cap_mb + 8, got
    # Only the warm-up set reached the disk: the scenarios shown first, no World number.
    assert len(list(folder.rglob("*.pkl"))) == got["starts"]


def test_what_pages_derive_from_an_outcome_counts_against_the_cap(monkeypatch):
    import numpy as np

    from ui.derived import derived

    monkeypatch.setenv("WORKSHOP_MEMORY_CACHE_MB", "4")
    monkeypatch.setenv("WORKSHOP_MEMORY_CACHE_ENTRIES", "1000")
    use_case = registry.get("hotspots")
    cls = registry.config_class("hotspots")
    first = cache.outcome(use_case, cls(seed=101))
    # A page builds a big view of it, kept beside it for every session.
    derived(first, "a big chart", lambda: np.zeros(4 * disk.MB - 1, dtype=np.uint8))
    cache.outcome(use_case, cls(seed=102))
    memory = cache.outcomes()
    assert memory.nbytes <= 4 * disk.MB
    assert ("hotspots", repr(cls(seed=101))) not in memory  # dropped, view and all
