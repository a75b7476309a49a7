"""Hotspots: the feedback loop appears, holds, and each fix helps in one world and fails in
another; the audit covers a window, not one day; the monitor flags a change in the world
when its limit is tight and misses it when loose. Behaviour is asserted over seeds."""

import re
from functools import cache

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, false_negative_rate

from simulators import registry
from simulators.config import settings_of
from simulators.fairness import Outcome, summary
from simulators.hotspot_monitor import monitor_rates
from simulators.hotspot_views import (
    audit_shares,
    estate_outline,
    flag_review,
    group_outlines,
    hotspots_found,
    map_frame,
    monitor_lines,
    run_shares,
    shares_on,
    worst_change,
)
from simulators.hotspots import (
    AUDIT_DAYS,
    CHECK_DAY,
    MITIGATION_CHOICES,
    MONITOR_DAYS,
    PRESETS,
    HotspotConfig,
    HotspotOutcome,
    harm_of,
    simulate,
)
from ui import cache as shared

SEEDS = range(6)
SHORT = dict(days=60)
BIAS = dict(historic_patrol_bias=0.4)
ESTATE = dict(new_estate=True)  # opens on day 60 of 120
TIGHT, LOOSE = 0.2, 0.6


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


def _gap(o: HotspotOutcome, metric: str) -> float:
    """Group A's rate minus group B's over the audited days."""
    return o.rates["A"][metric] - o.rates["B"][metric]


# ------------------------------------------------------------------ the contract


def test_outcome_audits_every_square_on_each_of_the_last_days():
    o = _run(seed=3, **SHORT)
    n, k = o.config.grid_size, o.config.n_patrols
    assert o.audit_days == AUDIT_DAYS
    assert o.weight.sum() == n * n * AUDIT_DAYS  # one case per square per audited day
    assert o.y_true @ o.weight == k * AUDIT_DAYS  # the real hotspots: top n_patrols
    assert o.y_pred @ o.weight == k * AUDIT_DAYS  # the patrols of those days
    assert set(o.sensitive) == {"A", "B"}
    assert o.true_rate.shape == o.hotspots.shape == (2, n, n)
    assert o.risk.shape == o.recorded.shape == o.reported.shape == o.patrols.shape == (60, n, n)
    assert o.risk.dtype == np.float32 and o.recorded.dtype == np.uint8
    assert o.patrols.dtype == bool and (o.patrols.sum(axis=(1, 2)) == k).all()
    rate, hot = o.true_rate[0].ravel(), o.hotspots[0].ravel()
    assert hot.sum() == k and rate[hot].min() >= rate[~hot].max()
    assert o.change_day is None and not o.estate.any()
    assert (o.true_rate[0] == o.true_rate[1]).all()


def test_the_weighted_audit_is_fairlearn_on_one_row_per_square_and_day():
    o = _run(seed=3, **SHORT)
    days = slice(-AUDIT_DAYS, None)
    y_true = np.broadcast_to(o.hotspots[0], o.patrols[days].shape).ravel()
    rows = Outcome(y_true, o.patrols[days].ravel(),
                   pd.Series(np.tile(o.group_grid.ravel(), AUDIT_DAYS)))
    assert summary(rows) == pytest.approx(summary(o))


def test_a_short_run_is_audited_over_all_its_days():
    o = simulate(HotspotConfig(days=10, seed=1))
    assert o.audit_days == 10 and o.weight.sum() == 10 * 400
    assert o.check_day is None and o.monitor.empty and o.flag_day is None


def test_history_has_one_row_per_day_per_group_and_shares_add_up():
    h = _run(seed=3, **SHORT).history
    assert list(h.columns) == ["day", "group", "patrol_share", "recorded_share",
                               "true_crime_share"]
    assert len(h) == 2 * 60
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
    share_b = o.true_rate[0][is_b].sum() / o.true_rate[0].sum()
    assert share_b == pytest.approx(is_b.mean(), abs=0.03)
    twice = simulate(HotspotConfig(seed=1, days=5, crime_rate_ratio=2.0))
    share_twice = twice.true_rate[0][is_b].sum() / twice.true_rate[0].sum()
    assert share_twice > share_b + 0.15


BAD = {
    "grid_size": [9, 41],
    "days": [0, 366],
    "n_patrols": [4, 51],
    "historic_patrol_bias": [-0.1, 0.6],
    "reporting_gap": [-0.1, 0.6],
    "crime_rate_ratio": [0.4, 2.1],
    "mitigation": ["magic"],
    "exploration": [-0.1, 0.6],
    "new_estate": ["yes", 1],
    "monitor_limit": [0.0, 0.9],
    "change_day": [39, 361],
    "seed": [-1, 10_000],
}


@pytest.mark.parametrize("field, value", [(f, v) for f, vs in BAD.items() for v in vs])
def test_out_of_range_settings_are_refused_naming_the_field(field, value):
    with pytest.raises(ValueError, match=rf"^{field} \("):
        HotspotConfig(**{field: value})


def test_every_setting_is_covered_labelled_and_said_in_peoples_units():
    names = {name for name, _, _ in settings_of(HotspotConfig)}
    assert names == set(BAD)
    for name, meta, default in settings_of(HotspotConfig):
        assert meta.label and meta.help
        if isinstance(default, float):
            assert meta.unit and "{n}" in meta.unit, name  # "40 in 100 patrols", not 0.4
    bias = [name for name, meta, _ in settings_of(HotspotConfig) if meta.bias]
    assert bias == ["historic_patrol_bias", "reporting_gap"]


# ------------------------------------------------------------------ the past


def test_the_biased_past_is_measured_not_assumed():
    """The page says what share of past patrols went to group B's areas from the run."""
    fair = [_run(seed=s, **SHORT).past["B"] for s in SEEDS]
    for p in fair:  # no bias: patrols followed crime
        assert p["patrol_share"] == pytest.approx(p["true_crime_share"], abs=0.04)
    for s in SEEDS:
        biased = _run(seed=s, **SHORT, **BIAS).past["B"]
        assert biased["patrol_share"] >= 0.4  # at least the share kept for B...
        assert biased["patrol_share"] > biased["true_crime_share"] + 0.15  # ...far above
        assert biased["true_crime_share"] == pytest.approx(fair[s]["true_crime_share"])


# ------------------------------------------------------------------ what it must show


def test_without_bias_patrols_follow_real_crime():
    patrol, true = _b_daily()
    assert abs(patrol.mean() - true.mean()) < 0.04
    assert abs(patrol[-10:].mean() - true[-10:].mean()) < 0.05


def test_without_bias_the_gap_over_the_window_is_chance_with_bias_it_is_harm():
    """With no bias, the gap between the groups over the audited days comes from where
    the loop happened to settle: small on average, one way in some cities and the other
    way in others. With a biased past it is large, and the same way in every city."""
    fair = [_gap(_run(seed=s, **SHORT), "false_negative_rate") for s in SEEDS]
    assert abs(np.mean(fair)) < 0.05
    assert min(fair) < 0 < max(fair)
    biased = [_gap(_run(seed=s, **SHORT, **BIAS), "false_negative_rate") for s in SEEDS]
    assert min(biased) > 0.15  # group A's real hotspots go without patrols, every city
    assert np.mean(biased) > 3 * np.mean(np.abs(fair))
    quiet = [-_gap(_run(seed=s, **SHORT, **BIAS), "false_positive_rate") for s in SEEDS]
    assert min(quiet) > 0  # ... and group B's quiet streets get them


def test_the_headline_is_chosen_from_the_settings_never_by_chance():
    # Where victims report less, or a new estate brings crime, the headline is group B's
    # real hotspots missed; otherwise quiet areas over-patrolled. The run never picks it.
    for seed in SEEDS:
        assert _run(seed=seed, **SHORT).terms.harm == "false_positive_rate"
        assert _run(seed=seed, **SHORT, **BIAS).terms.harm == "false_positive_rate"
    assert _run(seed=0, **SHORT, reporting_gap=0.2).terms.harm == "false_negative_rate"
    assert harm_of(HotspotConfig(new_estate=True)) == "false_negative_rate"


def test_the_monitor_at_its_default_limit_rarely_cries_wolf_whatever_the_ai_learns():
    towns = shared.over_towns(registry.get("hotspots"), "monitor", HotspotConfig(), wait=True)
    rates = monitor_rates(towns, HotspotConfig().monitor_limit)
    assert set(rates) == set(MITIGATION_CHOICES)
    for fix, r in rates.items():
        assert r["cities"] >= 20
        assert r["false_alarm"] <= 0.10, fix  # at or under 1 city in 10
    assert rates["none"]["caught"] >= 0.6  # it does catch the new estate
    # A tighter limit cries wolf more often, and catches more.
    tight = monitor_rates(towns, 0.1)
    assert sum(t["false_alarm"] for t in tight.values()) > sum(
        r["false_alarm"] for r in rates.values())
    assert tight["none"]["caught"] >= rates["none"]["caught"]


def test_random_patrols_make_one_day_a_poor_guide_the_window_steadies_it():
    explore = dict(**BIAS, mitigation="exploration", exploration=0.3)
    o = _run(seed=1, **SHORT, **explore)
    hot = o.hotspots[0].ravel()
    is_b = o.group_grid.ravel() == "B"
    daily = []
    for day in o.patrols[-AUDIT_DAYS:]:
        pat = day.ravel()
        daily.append((pat[~hot & is_b].mean()) - pat[~hot & ~is_b].mean())
    window = -_gap(o, "false_positive_rate")
    assert np.std(daily) > 0.005  # the last day alone moves from day to day
    assert window == pytest.approx(np.mean(daily), abs=0.002)


def test_biased_history_makes_the_loop_run_away_and_stay():
    patrol, true = _b_daily(**BIAS)
    gap = patrol - true
    assert gap[:10].mean() > 0.1  # it starts well above group B's real share
    assert gap[-10:].mean() > 0.08  # ... and is still there at the end
    assert (gap > 0.03).all()  # above on every single day, averaged over cities
    recorded = np.mean([run_shares(_run(seed=s, **SHORT, **BIAS))["recorded_share"]
                        for s in SEEDS])
    assert recorded > true.mean() + 0.03  # the records confirm the bias


def test_records_follow_patrols():
    for s in SEEDS:
        loop = _run(seed=s, **SHORT).loop
        assert loop["found_share"] > 0.5  # most records are patrols' finds
        assert loop["recorded_with_patrol"] > 4 * loop["recorded_without_patrol"]


@pytest.mark.parametrize("fix", ["reported_only", "discount_discoveries"])
def test_counting_reports_or_discounting_finds_brings_patrols_back(fix):
    biased = _excess(**BIAS)
    fixed = _excess(**BIAS, mitigation=fix)
    assert abs(fixed) < 0.05
    assert abs(fixed) < biased / 3


def test_with_a_reporting_gap_learning_from_reports_under_serves_group_b():
    kw = dict(reporting_gap=0.4, mitigation="reported_only")
    assert _excess(**kw) < -0.1  # group B's areas now get too few patrols
    assert all(_gap(_run(seed=s, **SHORT, **kw), "false_negative_rate") < -0.15
               for s in SEEDS)
    assert _run(seed=0, **SHORT, **kw).terms.harm == "false_negative_rate"


def test_random_patrols_cost_hotspots_and_only_loosen_the_loop():
    explore = dict(**BIAS, mitigation="exploration", exploration=0.3)
    found = [hotspots_found(_run(seed=s, **SHORT, **BIAS))["found"] for s in SEEDS]
    found_explore = [hotspots_found(_run(seed=s, **SHORT, **explore))["found"] for s in SEEDS]
    assert np.mean(found_explore) < np.mean(found) - 2
    assert 0.03 < _excess(**explore) < _excess(**BIAS)


def test_more_real_crime_in_b_draws_more_patrols_there_without_bias():
    patrol, true = _b_daily(seeds=range(3), crime_rate_ratio=2.0)
    assert true.mean() > 0.5 and patrol.mean() > 0.5


# ------------------------------------------------------------------ a change, and the monitor


def test_the_estate_changes_nothing_before_it_opens():
    plain, changed = _run(seed=2), _run(seed=2, **ESTATE)
    day = changed.change_day
    assert day == 59 and changed.estate.sum() == 9
    assert (changed.estate <= (changed.group_grid == "B")).all()  # in group B's area
    assert (plain.patrols[:day] == changed.patrols[:day]).all()
    assert (plain.recorded[:day] == changed.recorded[:day]).all()
    assert (changed.true_rate[1] > changed.true_rate[0])[changed.estate].all()
    assert changed.hotspots[1][changed.estate].all()  # its squares are now hotspots


def test_the_plain_ai_barely_sends_patrols_to_the_estate():
    for s in SEEDS:
        o = _run(seed=s, **ESTATE)
        after = o.patrols[o.change_day:][:, o.estate].mean()
        assert after < 0.3  # of its squares on an average day, after it opened


def test_the_monitor_has_a_line_per_group_from_its_first_full_window():
    o = _run(seed=1, **ESTATE)
    assert list(o.monitor.columns) == ["day", "group", "missed"]
    assert o.monitor["day"].min() == MONITOR_DAYS - 1
    assert len(o.monitor) == 2 * (120 - MONITOR_DAYS + 1)
    assert o.check_day == CHECK_DAY - 1
    # Each day's value is Fairlearn's false negative rate over the window's rows.
    day, group = 80, o.group_grid.ravel() == "B"
    window = slice(day - MONITOR_DAYS + 1, day + 1)
    hot = np.stack([o.hotspots_on(d).ravel() for d in range(window.start, day + 1)])
    pat = o.patrols[window].reshape(MONITOR_DAYS, -1)
    frame = MetricFrame(metrics=false_negative_rate, y_true=hot[:, group].ravel(),
                        y_pred=pat[:, group].ravel(),
                        sensitive_features=np.zeros(group.sum() * MONITOR_DAYS))
    assert monitor_lines(o).loc[day, "B"] == pytest.approx(frame.overall)


def test_no_change_no_flag_even_with_a_tight_limit():
    for s in SEEDS:
        for kw in ({}, BIAS):
            o = _run(seed=s, monitor_limit=TIGHT, **kw)
            assert o.flag_day is None, (s, kw)


def test_a_tight_limit_flags_the_change_soon_after():
    for s in SEEDS:
        o = _run(seed=s, monitor_limit=TIGHT, **ESTATE)
        assert o.flag_group == "B"
        assert o.change_day < o.flag_day <= o.change_day + MONITOR_DAYS
        review = flag_review(o)
        # the figures the page shows agree with the flag: whole counts out of 100
        now, then = (round(100 * review[k]["B"]) for k in ("now", "at_check"))
        assert now - then >= round(100 * TIGHT)
        # what a person would find: B's unpatrolled hotspots, most on the new estate,
        # with crimes reported from them that a real force could see
        assert review["unpatrolled"] >= 3
        assert review["unpatrolled_on_estate"] >= review["unpatrolled"] / 2
        assert review["reports_there"] > 0


def test_a_loose_limit_misses_the_change():
    for s in SEEDS:
        o = _run(seed=s, monitor_limit=LOOSE, **ESTATE)
        assert o.flag_day is None
        worst = worst_change(o)
        assert worst["group"] == "B" and TIGHT <= worst["worse_by"] < LOOSE
        assert worst["day"] > o.change_day


@pytest.mark.parametrize("seed", [0, 3])
def test_a_flag_is_raised_exactly_when_the_worst_reaches_the_limit(seed):
    """On every step of the slider, the flag and the figures said beside it agree."""
    for limit in np.round(np.arange(0.05, 0.81, 0.05), 2):
        o = _run(seed=seed, monitor_limit=float(limit), **ESTATE)
        worst = round(100 * worst_change(o)["worse_by"])
        assert (o.flag_day is not None) == (worst >= round(100 * limit)), limit


def test_the_limit_does_not_change_the_run_only_the_flag():
    tight, loose = _run(seed=0, monitor_limit=TIGHT, **ESTATE), _run(
        seed=0, monitor_limit=LOOSE, **ESTATE)
    assert (tight.patrols == loose.patrols).all() and tight.monitor.equals(loose.monitor)


# ------------------------------------------------------------------ presets


def test_presets_are_valid_and_tell_a_story_in_two_sentences():
    assert 3 <= len(PRESETS) <= 6
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for p in PRESETS:
        assert isinstance(p.config, HotspotConfig)
        assert HotspotConfig.from_dict(p.config.to_dict()) == p.config
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", p.script.strip()) if s]
        assert len(sentences) == 2, p.key
        assert not re.search(r"\d", p.script), p.key  # numbers come from the run
    assert len({p.config.seed for p in PRESETS}) == 1  # one city, several stories


def test_presets_show_what_their_scripts_claim():
    runs = {p.key: simulate(p.config) for p in PRESETS}
    shown = {k: run_shares(o) for k, o in runs.items()}
    found = {k: hotspots_found(o)["found"] for k, o in runs.items()}
    assert abs(shown["fair_start"]["excess"]) < 0.03  # "stays close"
    assert shown["biased_history"]["excess"] > 0.1
    assert shown["biased_history"]["days_above"] > 0.95  # "day after day"
    assert abs(shown["reports_only"]["excess"]) < 0.03  # "drift back"
    assert shown["reporting_gap"]["excess"] < -0.1  # "without patrols"
    assert 0.03 < shown["random_patrols"]["excess"] < shown["biased_history"]["excess"]
    assert found["random_patrols"] < found["biased_history"]  # "it costs patrols"
    assert runs["new_estate"].flag_day is not None  # the monitor notices


# ------------------------------------------------------------------ page helpers


def test_map_helpers_describe_the_day_asked_for():
    o = _run(seed=2, **ESTATE)
    n = o.config.grid_size
    frame = map_frame(o, 10)
    assert len(frame) == n * n
    assert frame["patrolled"].sum() == o.config.n_patrols
    assert (frame["patrolled"].to_numpy() == o.patrols[10].ravel()).all()
    assert len(map_frame(o, 999)) == n * n  # a day past the end shows the last day
    after = map_frame(o, o.change_day)
    assert after["real"].sum() > frame["real"].sum()  # the estate's crime is on the map
    assert (after["hotspot"].to_numpy() == o.hotspots[1].ravel()).all()
    outlines = group_outlines(o)
    assert len(outlines) == 6
    assert ((outlines["x2"] > outlines["x"]) & (outlines["y2"] > outlines["y"])).all()
    assert estate_outline(o, o.change_day - 1).empty
    assert len(estate_outline(o, o.change_day)) == 1
    day = shares_on(o, 10)
    row = o.history[(o.history["day"] == 10) & (o.history["group"] == "B")].iloc[0]
    assert day["patrol_share"] == row["patrol_share"]
    window = audit_shares(o)
    assert window == run_shares(o, last=AUDIT_DAYS)


def test_largest_city_runs_and_stays_small():
    o = simulate(HotspotConfig(grid_size=40, days=365, n_patrols=50, seed=1, new_estate=True))
    assert o.patrols.shape == (365, 40, 40)
    grids = o.risk.nbytes + o.recorded.nbytes + o.reported.nbytes + o.patrols.nbytes
    assert grids < 5_000_000
    assert o.estate.sum() == 36  # about 3 x 3 in 20, so 6 x 6 in 40


def test_a_single_day_works():
    o = simulate(HotspotConfig(days=1, grid_size=10, n_patrols=5))
    assert len(o.history) == 2 and o.y_pred @ o.weight == 5
    assert flag_review(o) is None and worst_change(o) is None
