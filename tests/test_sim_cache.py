"""Simulation results on disk: shared by processes and restarts, never stale."""

from __future__ import annotations

import pytest

from simulators import cache, registry
from simulators.call_triage import TriageConfig
from simulators.fairness import summary


@pytest.fixture
def on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_result_worked_out_once_is_loaded_not_simulated_again(on_disk, monkeypatch):
    config = TriageConfig(n_calls=600, audit_size=100, label_bias=0.4)
    first = cache.simulate("call_triage", config)
    assert cache.is_saved("call_triage", config)
    assert any(on_disk.rglob("output.pkl"))

    def not_again(config):
        raise AssertionError("simulated again")

    monkeypatch.setattr(registry.module("call_triage"), "simulate", not_again)
    again = cache.simulate("call_triage", TriageConfig(n_calls=600, audit_size=100,
                                                       label_bias=0.1 + 0.3))
    assert again is not first and summary(again) == summary(first)
    with pytest.raises(AssertionError, match="simulated again"):
        cache.simulate("call_triage", config.replace(label_bias=0.45))


def test_nothing_is_kept_when_the_folder_is_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_CACHE_DIR", "")
    config = TriageConfig(n_calls=600, audit_size=100)
    cache.simulate("call_triage", config)
    assert cache.location() is None and not cache.is_saved("call_triage", config)


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


def test_a_slider_value_and_its_grid_value_are_one_config():
    assert TriageConfig(label_bias=0.1 + 0.05) == TriageConfig(label_bias=0.15)
    assert repr(TriageConfig(label_bias=0.1 + 0.05)) == repr(TriageConfig(label_bias=0.15))


def test_preparing_from_the_command_line_fills_the_servers_cache(on_disk):
    import os
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "simulators.cache", "--use-case", "evidence",
                    "--limit", "2"], check=True, capture_output=True,
                   env=dict(os.environ, WORKSHOP_CACHE_DIR=str(on_disk)))
    first, second, third = cache.warm_up_configs("evidence")[:3]
    assert cache.is_saved("evidence", first) and cache.is_saved("evidence", second)
    assert not cache.is_saved("evidence", third)
