"""The staged pipeline: a slider recomputes only what depends on it, and the result is
the same as working everything out afresh."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from simulators import call_stages, stages
from simulators.call_triage import TriageConfig, chance_measures, numbers_shown, simulate
from simulators.stages import StageCache, staged

SMALL = dict(n_calls=500, audit_size=100)


def random_configs(n: int, seed: int) -> list[TriageConfig]:
    """Configs that share some stages and not others, as a room's do."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        out.append(TriageConfig(
            label_bias=rng.choice([0.0, 0.3, 0.6]), asr_error_gap=rng.choice([0.0, 0.16]),
            fast_track_threshold=rng.choice([0.1, 0.3, 0.45, 0.8]),
            group_b_share=rng.choice([0.3, 0.5]),
            mitigation=rng.choice(["none"] * 6 + ["threshold_optimizer"] * 2
                                  + ["exponentiated_gradient"]),
            mitigation_data=rng.choice(["audit", "history"]),
            human_review_share=rng.choice([0.0, 0.05, 0.3]),
            reviewer_bias=rng.choice([0.0, 0.8]), decided_by=rng.choice(["ai", "ai", "people"]),
            people_bias=rng.choice([0.0, 0.3]), seed=rng.choice([1, 2]),
            **rng.choice([SMALL] * 5 + [{}])))
    return out


def same(a, b) -> None:
    """Two outcomes of one config hold the same numbers and the same table of calls."""
    assert numbers_shown(a) == numbers_shown(b)
    assert chance_measures(a) == chance_measures(b)
    for name in ("y_true", "y_pred", "ai_pred", "ai_final", "people_pred", "score",
                 "heard_counts"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    pd.testing.assert_frame_equal(a.hours_by_cutoff, b.hours_by_cutoff)
    pd.testing.assert_frame_equal(a.review_curve, b.review_curve)
    if a.calls is None:
        assert b.calls is None
    else:
        pd.testing.assert_frame_equal(a.calls, b.calls)
    assert (a.without_fix is None) == (b.without_fix is None)
    if a.without_fix is not None:
        np.testing.assert_array_equal(a.without_fix.y_pred, b.without_fix.y_pred)
    assert a.word_error == b.word_error and a.history_missed == b.history_missed
    assert a.cutoff_by_group == b.cutoff_by_group and a.set_aside == b.set_aside
    assert a.model.threshold == b.model.threshold == a.config.fast_track_threshold


def test_staged_results_equal_results_worked_out_afresh():
    configs = random_configs(20, seed=4)
    staged_runs = [simulate(c, lean=i % 5 == 4) for i, c in enumerate(configs)]
    for i, (config, kept) in enumerate(zip(configs, staged_runs, strict=True)):
        stages.clear_all()
        same(kept, simulate(config, lean=i % 5 == 4))


def test_moving_the_cut_off_rescores_without_retraining():
    base = TriageConfig(seed=11, **SMALL)
    simulate(base)
    before = {name: c.misses for name, c in stages.CACHES.items()}
    for cut in (0.2, 0.35, 0.5):
        simulate(base.replace(fast_track_threshold=cut))
    for cut in (0.0, 0.3, 0.8):  # a reviewer's settings: only the review is redone
        simulate(base.replace(human_review_share=0.3, reviewer_bias=cut))
    after = {name: c.misses for name, c in stages.CACHES.items()}
    assert after == before
    # A bias slider retrains, on what the AI already heard; a town setting starts afresh.
    simulate(base.replace(label_bias=0.4))
    assert call_stages.trained.cache.misses == before[call_stages.trained.cache.name] + 1
    assert call_stages.heard.cache.misses == before[call_stages.heard.cache.name]
    simulate(base.replace(group_b_share=0.4))
    assert call_stages.heard.cache.misses == before[call_stages.heard.cache.name] + 1


def test_sessions_simulating_at_once_get_what_one_would():
    configs = random_configs(6, seed=9)
    stages.clear_all()
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(simulate, configs * 2))
    stages.clear_all()
    for config, got in zip(configs * 2, together, strict=True):
        same(got, simulate(config))


def test_a_stage_cache_is_bounded_counted_and_computes_once():
    calls = []
    gate = threading.Event()

    @staged(max_entries=3)
    def slow(x: int) -> int:
        calls.append(x)
        gate.wait(5)
        return x * 2

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(slow, 7) for _ in range(8)]
        gate.set()
        assert [f.result() for f in futures] == [14] * 8
    assert calls == [7]  # eight threads asked at once: worked out once
    for x in range(10):
        slow(x)
    cache = slow.cache
    assert len(cache) == 3 and cache.evicted == 8 and cache.stats()["max_entries"] == 3
    assert cache.hits >= 7 and stages.stats()[cache.name]["entries"] == 3
    slow.cache_clear()
    assert len(cache) == 0
    del stages.CACHES[cache.name]


def test_a_failed_stage_is_not_kept_and_can_be_asked_again():
    cache = StageCache("test.failing", 2)
    with pytest.raises(ValueError):
        cache.get("k", lambda: (_ for _ in ()).throw(ValueError("no")))
    assert cache.get("k", lambda: 5) == 5 and len(cache) == 1
    with pytest.raises(ValueError):
        StageCache("test.empty", 0)
    del stages.CACHES[cache.name]


def test_a_stage_is_kept_once_however_its_arguments_are_passed():
    @staged(max_entries=4)
    def town(seed: int, size: int = 10) -> tuple[int, int]:
        return seed, size

    assert town(1) == town(1, 10) == town(seed=1) == town(1, size=10) == (1, 10)
    assert town.cache.misses == 1 and town.cache.hits == 3 and len(town.cache) == 1
