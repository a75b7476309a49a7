"""Outcomes are shared by the whole room, and every scenario is ready before it's asked for."""

from simulators import registry
from simulators.fairness import summary
from ui import cache


def test_the_same_config_is_simulated_once_for_everyone():
    module = registry.module("reoffending")
    config = registry.config_class("reoffending")(n_people=300)
    first = cache.simulate_cached(module.simulate, config)
    assert cache.simulate_cached(module.simulate, config.replace()) is first
    other = cache.simulate_cached(module.simulate, config.replace(label_bias=0.5))
    assert other is not first
    assert summary(other) == summary(module.simulate(config.replace(label_bias=0.5)))


def test_every_scenario_is_simulated_at_start(monkeypatch):
    monkeypatch.setenv("WORKSHOP_WARM_UP", "1")
    cache.warm_up_presets().join(timeout=300)

    def not_again(config):
        raise AssertionError(f"simulated again: {config}")

    for use_case in registry.USE_CASES:
        module = registry.module(use_case)
        simulate = module.simulate
        monkeypatch.setattr(module, "simulate", not_again)
        for preset in registry.presets(use_case):
            assert cache.simulate_cached(simulate, preset.config) is not None
