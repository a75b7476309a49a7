"""What chance alone makes (simulators/chance.py), worked out once for the room and in
the background (ui/cache.py), and warmed with the scenarios (workshop/warm_up.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from simulators import chance, registry
from simulators.call_triage import TriageConfig
from simulators.config import settings_of
from simulators.reoffending import RiskConfig
from ui import cache, strip
from ui.claims import chance_line, versus_chance
from workshop import outcome_cache
from workshop.i18n import translator

ROOT = Path(__file__).resolve().parents[1]
#: A small town: its bands take a fraction of a second.
SMALL = RiskConfig(n_people=300)


def bands(use_case: str, config) -> chance.Bands:
    return cache.over_towns(registry.get(use_case), "bands", config, wait=True)


def test_a_band_depends_only_on_the_settings_that_are_not_bias_nor_the_world_number():
    for name in registry.USE_CASES:
        cls = registry.config_class(name)
        bias = [n for n, m, _ in settings_of(cls) if m.bias]
        meta = {n: m for n, m, _ in settings_of(cls)}
        biased = cls().replace(**{n: meta[n].max for n in bias}, seed=77)
        assert chance.fair_key(name, biased) == chance.fair_key(name, cls())
        fair = chance.fair_config(biased)
        assert all(getattr(fair, n) == 0 for n in bias) and fair.seed == 0
    # ... but a setting that is not bias asks for other towns.
    assert chance.fair_key("call_triage", TriageConfig(fast_track_threshold=0.5)) != \
        chance.fair_key("call_triage", TriageConfig())


def test_chance_band_is_the_5th_to_95th_percentile_of_the_headline_gap_in_fair_towns():
    low, high = chance.chance_band("reoffending", SMALL.replace(label_bias=0.7, seed=3))
    towns = [registry.module("reoffending").simulate(SMALL.replace(seed=chance.FIRST_TOWN + i))
             for i in range(chance.TOWNS)]
    gaps = [o.rates["B"]["false_positive_rate"] - o.rates["A"]["false_positive_rate"]
            for o in towns]
    assert chance.TOWNS >= 20
    assert (low, high) == pytest.approx(tuple(np.percentile(gaps, [5, 95])))
    assert low < 0 < high  # no bias: either group can come off worse by chance


def test_a_small_town_makes_a_wider_band_than_a_big_one():
    small = bands("reoffending", SMALL).headline
    big = bands("reoffending", RiskConfig(n_people=3000)).headline
    assert small[1] - small[0] > 1.5 * (big[1] - big[0])


def test_the_strip_says_the_band_in_words_or_that_it_is_being_worked_out():
    t = translator("en")
    line = chance_line(bands("reoffending", SMALL), t).text
    low, high = bands("reoffending", SMALL).headline
    assert "chance alone" in line and f"{round(100 * high)} higher than group A's" in line
    assert "Working out" in chance_line(None, t).text
    assert chance_line(None, translator("cy")).text != chance_line(None, t).text


def test_a_verdict_is_called_only_clear_of_what_chance_makes():
    band = (-0.04, 0.05)
    assert versus_chance(0.0, band) == "within" == versus_chance(0.06, band)
    assert versus_chance(0.15, band) == "above" and versus_chance(-0.14, band) == "below"
    assert versus_chance(0.5, None) == "unknown"


def test_a_page_never_waits_for_a_band_it_works_out_in_the_background(monkeypatch):
    monkeypatch.setenv("WORKSHOP_TOWNS_IN_BACKGROUND", "1")
    use_case = registry.get("reoffending")
    config = SMALL.replace(group_b_share=0.45)  # a family no other test asks for
    start = time.perf_counter()
    assert cache.over_towns(use_case, "bands", config) is None  # at once, and started
    assert time.perf_counter() - start < 1.0
    assert cache.pending(use_case, "bands", config)
    deadline = time.monotonic() + 120
    while (ready := cache.over_towns(use_case, "bands", config)) is None:
        assert time.monotonic() < deadline, "the band was never worked out"
        time.sleep(0.2)
    assert ready.towns == chance.TOWNS and not cache.pending(use_case, "bands", config)
    assert ready == chance.chance_bands("reoffending", config)


_WORKER_CHECK = """
import multiprocessing, os, signal, sys, time, types
from simulators import registry
from simulators.reoffending import RiskConfig
from ui import cache

# As Streamlit does while it runs a script: __main__ is that script (here, a page that
# stops any process running it for want of a workshop).
page = types.ModuleType("__main__")
page.__file__ = sys.argv[1]
sys.modules["__main__"] = page
use_case = registry.get("reoffending")

def band(share):
    config = RiskConfig(n_people=300, group_b_share=share)
    deadline = time.monotonic() + 120
    while (ready := cache.over_towns(use_case, "bands", config)) is None:
        assert time.monotonic() < deadline, "the band was never worked out"
        time.sleep(0.1)
    return ready

band(0.43)
for worker in multiprocessing.active_children():  # the worker dies (killed, no memory)
    os.kill(worker.pid, signal.SIGKILL)
time.sleep(0.5)
band(0.47)  # a new worker works it out
print("ok")
"""


def test_the_background_worker_runs_no_page_and_is_replaced_if_it_dies(tmp_path):
    # A process started with "spawn" runs the file its parent's __main__ names first;
    # Streamlit makes that the script it runs. The worker must run the work alone.
    page = tmp_path / "page.py"
    ran = tmp_path / "ran"
    page.write_text(f"open({str(ran)!r}, 'w').close()\nraise SystemExit('no workshop')\n")
    done = subprocess.run([sys.executable, "-c", _WORKER_CHECK, str(page)], cwd=ROOT,
                          env={**os.environ, "WORKSHOP_TOWNS_IN_BACKGROUND": "1"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
    assert not ran.exists()


def test_only_pages_near_the_front_of_the_line_look_again_by_themselves(monkeypatch):
    """In a busy room the worker's line grows: pages whose work is far back draw no
    timer (it would cost the room more than it gives) and look on their next move."""
    monkeypatch.setenv("WORKSHOP_TOWNS_IN_BACKGROUND", "1")
    use_case = registry.get("reoffending")
    configs = [SMALL.replace(group_b_share=s) for s in (0.31, 0.33, 0.37, 0.39, 0.41)]
    watched = []
    monkeypatch.setattr(strip, "_watch", lambda u, kind, config: watched.append(config))
    places = []
    for config in configs:  # asked at once: each joins the line behind the last
        assert strip.bands_for(use_case, config) is None
        places.append(cache.place_in_line(use_case, "bands", config))
    assert places == [0, 1, 2, 3, 4]
    assert watched == configs[:strip.WATCH_PLACES + 1]
    assert cache.place_in_line(use_case, "bands", SMALL.replace(group_b_share=0.49)) is None


def test_the_warm_up_works_out_the_bands_the_scenarios_need():
    for name in registry.USE_CASES:
        needed = outcome_cache.warm_town_configs(name, "bands")
        # A few towns per use case, one per family of settings that are not bias.
        assert 1 <= len(needed) <= 8
        keys = {outcome_cache.towns_key(name, "bands", c) for c in needed}
        for config in outcome_cache.warm_up_configs(name):
            assert outcome_cache.towns_key(name, "bands", config) in keys
    monitors = outcome_cache.warm_town_configs("hotspots", "monitor")
    assert 1 <= len(monitors) <= 6


def test_a_band_on_disk_is_loaded_not_worked_out_again(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path))
    config = outcome_cache.warm_town_configs("reoffending", "bands")[0]
    value = chance.Bands("reoffending", 1, {"gap:false_positive_rate": (0.01,)},
                         "false_positive_rate")
    assert outcome_cache.save_towns("reoffending", "bands", config, value)
    assert outcome_cache.saved_towns("reoffending", "bands", config) == value
    # Outside the warm-up set nothing reaches the disk.
    assert not outcome_cache.save_towns("reoffending", "bands", SMALL, value)
