"""Simulation results: the warm-up set on disk (shared by processes and restarts, never
stale, never above its cap), everything else in a bounded memory cache."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from simulators import registry
from simulators.call_triage import TriageConfig
from simulators.fairness import summary
from workshop import outcome_cache as cache
from workshop import warm_up

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("WORKSHOP_CACHE_MB", raising=False)
    return tmp_path / "cache"


def _results(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pkl")) if folder.exists() else []


def _never(config):
    raise AssertionError(f"simulated again: {config}")


def test_a_warm_up_result_is_saved_once_and_loaded_by_any_process(on_disk, monkeypatch):
    config = cache.warm_up_configs("evidence")[1]
    first = cache.outcome(registry.get("evidence"), config, cache.OutcomeCache())
    assert cache.is_saved("evidence", config) and len(_results(on_disk)) == 1
    # Another process (a new memory cache) loads it instead of simulating.
    monkeypatch.setattr(registry.module("evidence"), "simulate", _never)
    again = cache.outcome(registry.get("evidence"), config.replace(), cache.OutcomeCache())
    assert again is not first and summary(again) == summary(first)
    with pytest.raises(AssertionError, match="simulated again"):
        cache.outcome(registry.get("evidence"), config.replace(seed=config.seed + 1),
                      cache.OutcomeCache())


def test_any_other_setting_stays_in_memory_and_never_reaches_the_disk(on_disk, monkeypatch):
    memory = cache.OutcomeCache()
    config = TriageConfig(n_calls=600, audit_size=100, label_bias=0.4, seed=4321)
    assert not cache.is_warm("call_triage", config)
    first = cache.outcome(registry.get("call_triage"), config, memory)
    assert _results(on_disk) == [] and not cache.is_saved("call_triage", config)
    monkeypatch.setattr(registry.module("call_triage"), "simulate", _never)
    # Equal configs are one key (a slider value and its grid value too).
    assert cache.outcome(registry.get("call_triage"), TriageConfig(
        n_calls=600, audit_size=100, label_bias=0.1 + 0.3, seed=4321), memory) is first


def test_nothing_is_kept_on_disk_when_the_folder_is_empty(monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", "")
    config = cache.warm_up_configs("evidence")[0]
    cache.outcome(registry.get("evidence"), config, cache.OutcomeCache())
    assert cache.location() is None and not cache.is_saved("evidence", config)


def test_the_fingerprint_follows_the_simulators_code_and_data(tmp_path):
    for folder in ("simulators", "data"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.py").write_text("a = 1\n")
    before = cache.fingerprint.__wrapped__(tmp_path)
    (tmp_path / "data" / "x.py").write_text("a = 2\n")
    assert cache.fingerprint.__wrapped__(tmp_path) != before
    assert cache.fingerprint() == cache.fingerprint()  # this checkout: one value


def test_warm_up_covers_every_scenario_and_each_bias_slider_value():
    configs = cache.warm_up_configs("reoffending")
    starts = cache.starting_configs("reoffending")
    assert configs[: len(starts)] == starts and len(set(configs)) == len(configs)
    assert registry.config_class("reoffending")() in starts
    for preset in registry.presets("reoffending"):
        assert preset.config in starts
        for v in (0.0, 0.35, 1.0):
            assert preset.config.replace(label_bias=v) in configs
            assert preset.config.replace(historic_patrol_bias=v) in configs
    # Only bias sliders are walked: the decision threshold is not.
    assert all(c.threshold in {s.threshold for s in starts} for c in configs)
    # Nearest moves first: every start's one-step moves come before any far move.
    base = starts[0]
    near = base.replace(label_bias=round(base.label_bias + 0.05, 10))
    far = base.replace(label_bias=1.0 if base.label_bias < 0.5 else 0.0)
    assert configs.index(near) < configs.index(far)
    assert all(cache.is_warm("reoffending", c) for c in configs)
    assert not cache.is_warm("reoffending", base.replace(seed=(base.seed + 1) % 10000))


def test_a_slider_value_and_its_grid_value_are_one_config():
    assert TriageConfig(label_bias=0.1 + 0.05) == TriageConfig(label_bias=0.15)
    assert repr(TriageConfig(label_bias=0.1 + 0.05)) == repr(TriageConfig(label_bias=0.15))


def test_preparing_from_the_command_line_fills_the_servers_cache(on_disk):
    subprocess.run([sys.executable, "-m", "workshop.warm_up", "--use-case", "evidence",
                    "--limit", "2"], check=True, capture_output=True,
                   env=dict(os.environ, WORKSHOP_CACHE_DIR=str(on_disk)))
    first, second, third = cache.warm_up_configs("evidence")[:3]
    assert cache.is_saved("evidence", first) and cache.is_saved("evidence", second)
    assert not cache.is_saved("evidence", third)


# -- memory ---------------------------------------------------------------------------------


class Result:
    """Something shaped like an Outcome: arrays, and a ``_memo`` pages add to."""

    def __init__(self, nbytes: int) -> None:
        self.data = np.zeros(nbytes, dtype=np.uint8)
        self._memo: dict = {}


def test_memory_is_bounded_by_entries_and_by_bytes_least_recently_used_first():
    memory = cache.OutcomeCache(max_entries=3, max_bytes=10 * cache.MB)
    for k in "abc":
        memory.get(k, lambda: Result(1000))
    memory.get("a", lambda: None)  # used: kept
    memory.get("d", lambda: Result(1000))
    assert len(memory) == 3 and "b" not in memory and "a" in memory

    memory = cache.OutcomeCache(max_entries=100, max_bytes=3 * cache.MB)
    for k in range(10):
        memory.get(k, lambda: Result(cache.MB))
    assert memory.nbytes <= 3 * cache.MB and len(memory) == 2 and memory.evicted == 8
    big = memory.get("big", lambda: Result(4 * cache.MB))  # larger than everything
    assert big.data.nbytes == 4 * cache.MB and "big" not in memory


def test_what_pages_attach_to_a_result_is_counted_as_it_grows():
    memory = cache.OutcomeCache(max_entries=100, max_bytes=3 * cache.MB)
    first = memory.get("first", lambda: Result(1000))
    first._memo["chart"] = np.zeros(2 * cache.MB, dtype=np.uint8)  # a page's derived view
    memory.get("second", lambda: Result(cache.MB))
    assert memory.nbytes <= 3 * cache.MB and "first" not in memory


def test_a_view_counts_the_whole_array_it_keeps_alive():
    whole = np.zeros(1_000_000)
    assert cache.size_of({"tail": whole[-10:]}) >= whole.nbytes
    assert cache.size_of([whole, whole[:5]]) < 2 * whole.nbytes  # each buffer once


def test_concurrent_misses_on_one_key_compute_once():
    memory = cache.OutcomeCache()
    calls = []

    def slow() -> Result:
        calls.append(1)
        time.sleep(0.2)
        return Result(10)

    got = []
    threads = [threading.Thread(target=lambda: got.append(memory.get("k", slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(g) for g in got}) == 1


def test_the_caps_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WORKSHOP_MEMORY_CACHE_MB", "32")
    monkeypatch.setenv("WORKSHOP_MEMORY_CACHE_ENTRIES", "7")
    memory = cache.OutcomeCache.from_env()
    assert (memory.max_bytes, memory.max_entries) == (32 * cache.MB, 7)
    monkeypatch.setenv("WORKSHOP_CACHE_MB", "5")
    assert cache.disk_limit() == 5 * cache.MB
    monkeypatch.setenv("WORKSHOP_MEMORY_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="WORKSHOP_MEMORY_CACHE_MB"):
        cache.OutcomeCache.from_env()


# -- disk ------------------------------------------------------------------------------------


def test_prune_drops_old_code_versions_then_the_oldest_results(on_disk):
    current = on_disk / cache.fingerprint()
    stale = on_disk / "0123456789abcdef"
    legacy = on_disk / "joblib" / "simulators" / "cache"
    mine = on_disk / "notes"  # not the cache's: left alone
    for folder in (current / "evidence", stale, legacy, mine):
        folder.mkdir(parents=True)
    for i in range(4):
        path = current / "evidence" / f"{i}.pkl"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    (stale / "a.pkl").write_bytes(b"x" * 1000)
    (legacy / "output.pkl").write_bytes(b"x")
    cache.prune(bytes_limit=2500)
    assert not stale.exists() and not (on_disk / "joblib").exists() and mine.exists()
    assert [p.name for p in _results(current)] == ["2.pkl", "3.pkl"]  # newest kept


def test_a_full_disk_cache_saves_nothing_more(on_disk, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_MB", "0")
    monkeypatch.setattr(cache, "_budget", cache._Budget())
    config = cache.warm_up_configs("evidence")[0]
    assert cache.outcome(registry.get("evidence"), config, cache.OutcomeCache()) is not None
    assert _results(on_disk) == []


# -- the warm-up ----------------------------------------------------------------------------


def test_the_warm_up_runs_at_the_lowest_priority():
    code = ("import os; from workshop.warm_up import lower_priority; lower_priority();"
            "print(os.nice(0), getattr(os, 'sched_getscheduler', lambda p: -1)(0))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0] == "19"
    if hasattr(os, "SCHED_IDLE"):
        assert int(out[1]) == os.SCHED_IDLE


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_background_worker_goes_with_its_server():
    """A server's worker (busy with a long job) stops within a second or so of the
    server stopping, rather than finishing work for nobody."""
    worker = ("import sys, time; from workshop.warm_up import background_worker;"
              "background_worker(int(sys.argv[1]), 0.1); time.sleep(120)")
    server = ("import os, subprocess, sys, time;"
              f"w = subprocess.Popen([sys.executable, '-c', {worker!r}, str(os.getpid())]);"
              "print(w.pid, flush=True); time.sleep(120)")
    with subprocess.Popen([sys.executable, "-c", server], cwd=ROOT, text=True,
                          stdout=subprocess.PIPE) as parent:
        pid = int(parent.stdout.readline())
        time.sleep(1.0)
        os.kill(pid, 0)  # alive while its server is
        parent.kill()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        assert time.monotonic() < deadline, "the worker outlived its server"
        time.sleep(0.1)


_TURN = """
import time
from workshop.warm_up import background_turn
with background_turn():
    start = time.monotonic()
    time.sleep(0.3)
    print(start, time.monotonic())
"""


def test_background_work_takes_one_turn_at_a_time_across_processes(on_disk):
    """Each server process's worker and the warm-up share one turn: however many ask,
    one piece of background work runs at a time (at most one core of it)."""
    env = dict(os.environ, WORKSHOP_CACHE_DIR=str(on_disk))
    asking = [subprocess.Popen([sys.executable, "-c", _TURN], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE) for _ in range(3)]
    turns = sorted(tuple(map(float, p.communicate(timeout=60)[0].split())) for p in asking)
    assert len(turns) == 3
    assert all(one[1] <= then[0] for one, then in zip(turns, turns[1:], strict=False)), turns


def test_work_over_towns_another_process_saved_meanwhile_is_taken_from_the_disk(
        on_disk, monkeypatch):
    config = cache.warm_town_configs("reoffending", "bands")[0]
    assert cache.save_towns("reoffending", "bands", config, {"saved": "by another"})
    monkeypatch.setattr(warm_up, "work_over_towns", _never)
    assert warm_up.towns_in_turn("reoffending", "bands", config) == {"saved": "by another"}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_one_warm_up_at_a_time_and_none_when_switched_off(on_disk, monkeypatch):
    import fcntl

    on_disk.mkdir(parents=True)
    with open(on_disk / warm_up.LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another warm-up is running
        done = subprocess.run(
            [sys.executable, "-m", "workshop.warm_up", "--background", "--limit", "1"],
            cwd=ROOT, capture_output=True, text=True,
            env=dict(os.environ, WORKSHOP_CACHE_DIR=str(on_disk), WORKSHOP_WARM_UP="1"))
    assert done.returncode == 0 and _results(on_disk) == []
    monkeypatch.setenv("WORKSHOP_WARM_UP", "0")
    assert warm_up.start_warm_up() is None
