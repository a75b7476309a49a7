"""Hotspots: the feedback loop appears, holds, and each fix helps in one world and fails in
another. Behaviour is asserted averaged over seeds, on 60-day runs where it already shows."""

import re
from functools import cache

import numpy as np
import pytest

from simulators.config import settings_of
from simulators.hotspots import (
    PRESETS,
    HotspotConfig,
    HotspotOutcome,
    group_outlines,
    hotspots_found,
    map_frame,
    run_shares,
    shares_on,
    simulate,
)

SEEDS = range(6)
SHORT = dict(days=60)
BIAS = dict(historic_patrol_bias=0.8)


@cache
def _run(**kw) -> HotspotOutcome:
    return simulate(HotspotConfig(**kw))


def _b_daily(seeds=SEEDS, **kw) -> tuple[np.ndarray, np.ndarray]:
    """Group B's patrol share and real-crime share per day, averaged over seeds."""
    patrol, true = [], []
    for seed in seeds:
        h = _run(seed=seed, **SHORT, **kw).history
        b = h[h["group"] == "B"]
        patrol.append(b["patrol_share"].to_numpy())
        true.append(b["true_crime_share"].to_numpy())
    return np.mean(patrol, axis=0), np.mean(true, axis=0)


def _excess(**kw) -> float:
    """How far group B's patrol share ran above its real crime share, averaged."""
    patrol, true = _b_daily(**kw)
    return float((patrol - true).mean())


# ------------------------------------------------------------------ the contract


def test_outcome_has_one_row_per_square_and_the_grids_for_the_maps():
    o = _run(seed=3, **SHORT)
    n = o.config.grid_size
    assert len(o.y_true) == len(o.y_pred) == len(o.sensitive) == n * n
    assert o.y_true.sum() == o.config.n_patrols  # the real hotspots: top n_patrols by rate
    assert o.y_pred.sum() == o.config.n_patrols  # the patrols of the last day
    assert (o.y_pred == o.patrols[-1].ravel()).all()
    assert set(o.sensitive) == {"A", "B"}
    assert o.true_rate.shape == (n, n)
    assert o.risk.shape == o.recorded.shape == o.patrols.shape == (60, n, n)
    assert o.risk.dtype == np.float32 and o.recorded.dtype == np.int16
    assert o.patrols.dtype == bool
    # y_true is exactly the n_patrols squares with the highest real rate
    rate = o.true_rate.ravel()
    assert rate[o.y_true == 1].min() >= rate[o.y_true == 0].max()


def test_history_has_one_row_per_day_per_group_and_shares_add_up():
    h = _run(seed=3, **SHORT).history
    assert list(h.columns) == ["day", "group", "patrol_share", "recorded_share",
                               "true_crime_share"]
    assert len(h) == 2 * 60
    assert (h.groupby("day").size() == 2).all()
    sums = h.groupby("day")[["patrol_share", "recorded_share", "true_crime_share"]].sum()
    assert np.allclose(sums.to_numpy(), 1.0)


def test_same_seed_same_city_other_seed_other_city():
    a, b = simulate(HotspotConfig(seed=7, days=30)), simulate(HotspotConfig(seed=7, days=30))
    assert (a.patrols == b.patrols).all() and a.history.equals(b.history)
    c = simulate(HotspotConfig(seed=8, days=30))
    assert not np.array_equal(a.true_rate, c.true_rate)


def test_groups_have_the_same_crime_unless_the_ratio_says_otherwise():
    o = _run(seed=1, **SHORT)
    is_b = o.group_grid == "B"
    share_b = o.true_rate[is_b].sum() / o.true_rate.sum()
    assert share_b == pytest.approx(is_b.mean(), abs=0.03)
    twice = simulate(HotspotConfig(seed=1, days=5, crime_rate_ratio=2.0))
    share_twice = twice.true_rate[is_b].sum() / twice.true_rate.sum()
    assert share_twice > share_b + 0.15


BAD = {
    "grid_size": [9, 41],
    "days": [0, 366],
    "n_patrols": [4, 51],
    "historic_patrol_bias": [-0.1, 1.1],
    "reporting_gap": [-0.1, 0.6],
    "crime_rate_ratio": [0.4, 2.1],
    "mitigation": ["magic"],
    "exploration": [-0.1, 0.6],
    "seed": [-1, 10_000],
}


@pytest.mark.parametrize("field, value", [(f, v) for f, vs in BAD.items() for v in vs])
def test_out_of_range_settings_are_refused_naming_the_field(field, value):
    with pytest.raises(ValueError, match=rf"^{field} \("):
        HotspotConfig(**{field: value})


def test_every_setting_is_covered_and_labelled_plainly():
    names = {name for name, _, _ in settings_of(HotspotConfig)}
    assert names == set(BAD)
    for _name, meta, _ in settings_of(HotspotConfig):
        assert meta.label and meta.help


# ------------------------------------------------------------------ what it must show


def test_without_bias_or_reporting_gap_patrols_follow_real_crime():
    patrol, true = _b_daily()
    assert abs(patrol.mean() - true.mean()) < 0.04  # group B, and so group A too
    assert abs(patrol[-10:].mean() - true[-10:].mean()) < 0.05


def test_biased_history_makes_the_loop_run_away_and_stay():
    patrol, true = _b_daily(**BIAS)
    gap = patrol - true
    assert gap[:10].mean() > 0.1  # it starts well above group B's real share
    assert gap[-10:].mean() > 0.08  # ... and is still there at the end
    assert (gap > 0.03).all()  # above on every single day, averaged over cities
    # the records confirm the bias: more crime is written down where patrols went
    recorded = np.mean([
        run_shares(_run(seed=s, **SHORT, **BIAS))["recorded_share"] for s in SEEDS
    ])
    assert recorded > true.mean() + 0.03


def test_bias_over_patrols_quiet_b_areas_and_misses_a_hotspots():
    fpr_gap, fnr_gap = [], []
    for s in SEEDS:
        g = _run(seed=s, **SHORT, **BIAS).fairness.by_group
        fpr_gap.append(g.loc["B", "false_positive_rate"] - g.loc["A", "false_positive_rate"])
        fnr_gap.append(g.loc["A", "false_negative_rate"] - g.loc["B", "false_negative_rate"])
    assert np.mean(fpr_gap) > 0.02
    assert np.mean(fnr_gap) > 0.15


@pytest.mark.parametrize("fix", ["reported_only", "discount_discoveries"])
def test_counting_reports_or_discounting_finds_brings_patrols_back(fix):
    biased = _excess(**BIAS)
    fixed = _excess(**BIAS, mitigation=fix)
    assert abs(fixed) < 0.05
    assert abs(fixed) < biased / 3


def test_with_a_reporting_gap_learning_from_reports_under_serves_group_b():
    excess = _excess(reporting_gap=0.4, mitigation="reported_only")
    assert excess < -0.1  # group B's areas now get too few patrols
    fnr_gap = np.mean([
        _run(seed=s, **SHORT, reporting_gap=0.4, mitigation="reported_only")
        .fairness.difference()["false_negative_rate"]
        for s in SEEDS
    ])
    assert fnr_gap > 0.25
    o = _run(seed=0, **SHORT, reporting_gap=0.4, mitigation="reported_only")
    assert o.terms.harm == "false_negative_rate"  # the headline speaks of missed hotspots


def test_random_patrols_cost_hotspots_and_only_loosen_the_loop():
    found_none = np.mean([hotspots_found(_run(seed=s, **SHORT, **BIAS))["found"] for s in SEEDS])
    explore = dict(**BIAS, mitigation="exploration", exploration=0.3)
    found_explore = np.mean([hotspots_found(_run(seed=s, **SHORT, **explore))["found"]
                             for s in SEEDS])
    assert found_explore < found_none - 2
    assert 0.03 < _excess(**explore) < _excess(**BIAS)


def test_more_real_crime_in_b_draws_more_patrols_there_without_bias():
    patrol, true = _b_daily(seeds=range(3), crime_rate_ratio=2.0)
    assert true.mean() > 0.5
    assert patrol.mean() > 0.5


# ------------------------------------------------------------------ presets


def test_presets_are_valid_and_tell_a_story_in_two_sentences():
    assert 3 <= len(PRESETS) <= 5
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for p in PRESETS:
        assert isinstance(p.config, HotspotConfig)
        assert HotspotConfig.from_dict(p.config.to_dict()) == p.config
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", p.script.strip()) if s]
        assert len(sentences) == 2, p.key
    assert len({p.config.seed for p in PRESETS}) == 1  # one city, several stories


def test_presets_show_what_their_scripts_claim():
    shown = {p.key: run_shares(simulate(p.config)) for p in PRESETS}
    found = {p.key: hotspots_found(simulate(p.config))["found"] for p in PRESETS}
    assert abs(shown["fair_start"]["excess"]) < 0.03
    assert shown["biased_history"]["excess"] > 0.1
    assert shown["biased_history"]["days_above"] > 0.95  # "day after day"
    assert abs(shown["reports_only"]["excess"]) < 0.03  # "drift back"
    assert shown["reporting_gap"]["excess"] < -0.1  # "without patrols"
    assert 0.03 < shown["random_patrols"]["excess"] < shown["biased_history"]["excess"]
    assert found["random_patrols"] < found["biased_history"]  # "it costs patrols"


# ------------------------------------------------------------------ page helpers


def test_map_helpers_describe_the_day_asked_for():
    o = _run(seed=2, **SHORT)
    n = o.config.grid_size
    frame = map_frame(o, 10)
    assert len(frame) == n * n
    assert frame["patrolled"].sum() == o.config.n_patrols
    assert (frame["patrolled"].to_numpy() == o.patrols[10].ravel()).all()
    assert len(map_frame(o, 999)) == n * n  # a day past the end shows the last day
    outlines = group_outlines(o)
    assert len(outlines) == 6
    assert ((outlines["x2"] > outlines["x"]) & (outlines["y2"] > outlines["y"])).all()
    day = shares_on(o, 10)
    row = o.history[(o.history["day"] == 10) & (o.history["group"] == "B")].iloc[0]
    assert day["patrol_share"] == row["patrol_share"]


def test_largest_city_runs_and_stays_small():
    o = simulate(HotspotConfig(grid_size=40, days=365, n_patrols=50, seed=1))
    assert o.patrols.shape == (365, 40, 40)
    grids = o.risk.nbytes + o.recorded.nbytes + o.patrols.nbytes
    assert grids < 5_000_000


def test_a_single_day_works():
    o = simulate(HotspotConfig(days=1, grid_size=10, n_patrols=5))
    assert len(o.history) == 2 and o.y_pred.sum() == 5
