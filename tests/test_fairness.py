"""The fairness core, checked against numbers worked out by hand."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from simulators.fairness import Outcome, disparities, summary
from simulators.mitigation import MITIGATIONS, FairModel, fit_mitigation

# Eight cases per group; four of each really need action.
#   A: TP 3, FN 1, FP 1, TN 3 -> flagged 4/8, TPR 3/4, FNR 1/4, FPR 1/4, accuracy 6/8
#   B: TP 1, FN 3, FP 2, TN 2 -> flagged 3/8, TPR 1/4, FNR 3/4, FPR 2/4, accuracy 3/8
Y_TRUE = [1, 1, 1, 1, 0, 0, 0, 0] * 2
Y_PRED = [1, 1, 1, 0, 1, 0, 0, 0] + [1, 0, 0, 0, 1, 1, 0, 0]
GROUP = pd.Series(["A"] * 8 + ["B"] * 8, name="caller group")


@pytest.fixture
def outcome():
    return Outcome(np.array(Y_TRUE), np.array(Y_PRED), GROUP)


def test_group_rates_match_hand_count(outcome):
    g = outcome.fairness.by_group
    assert g.loc["A", "selection_rate"] == pytest.approx(0.5)
    assert g.loc["B", "selection_rate"] == pytest.approx(0.375)
    assert g.loc["A", "true_positive_rate"] == pytest.approx(0.75)
    assert g.loc["B", "true_positive_rate"] == pytest.approx(0.25)
    assert g.loc["A", "false_negative_rate"] == pytest.approx(0.25)
    assert g.loc["B", "false_negative_rate"] == pytest.approx(0.75)
    assert g.loc["A", "false_positive_rate"] == pytest.approx(0.25)
    assert g.loc["B", "false_positive_rate"] == pytest.approx(0.5)
    assert g.loc["A", "accuracy"] == pytest.approx(0.75)
    assert g.loc["B", "accuracy"] == pytest.approx(0.375)
    assert g.loc["A", "count"] == 8 and g.loc["B", "count"] == 8


def test_headline_gaps_match_hand_count(outcome):
    d = disparities(outcome)
    assert d["demographic_parity_difference"] == pytest.approx(0.125)  # 4/8 - 3/8
    assert d["equalized_odds_difference"] == pytest.approx(0.5)  # max(|3/4-1/4|, |1/4-2/4|)
    assert d["false_negative_rate_difference"] == pytest.approx(0.5)
    assert d["false_positive_rate_difference"] == pytest.approx(0.25)
    assert d["selection_rate"] == pytest.approx(7 / 16)
    assert d["accuracy"] == pytest.approx(9 / 16)


@pytest.mark.parametrize("seed", range(5))
def test_headline_gaps_are_fairlearns_own(seed):
    """The gaps read from the outcome's MetricFrame equal Fairlearn's functions,
    three groups and a group with no positive case included."""
    from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference

    rng = np.random.default_rng(seed)
    n = 300
    groups = pd.Series(rng.choice(["A", "B", "C"], n), name="group")
    y_true = rng.integers(0, 2, n)
    y_true[groups.to_numpy() == "C"] = 0  # C: no positives (Fairlearn: TPR 0)
    y_pred = rng.integers(0, 2, n)
    d = disparities(Outcome(y_true, y_pred, groups))
    kw = {"sensitive_features": groups}
    assert d["demographic_parity_difference"] == pytest.approx(
        demographic_parity_difference(y_true, y_pred, **kw))
    assert d["equalized_odds_difference"] == pytest.approx(
        equalized_odds_difference(y_true, y_pred, **kw))


def _agrees_with_metric_frame(o: Outcome) -> None:
    table, diff = o.fairness.by_group, o.fairness.difference()
    assert o.groups == [str(g) for g in table.index]
    for g in o.groups:
        for m in table.columns:
            assert o.rates[g][m] == pytest.approx(float(table.loc[g, m]), abs=1e-12)
    assert o.gaps["demographic_parity_difference"] == pytest.approx(diff["selection_rate"])
    assert o.gaps["equalized_odds_difference"] == pytest.approx(
        max(diff["true_positive_rate"], diff["false_positive_rate"]))
    assert o.gaps["false_negative_rate_difference"] == pytest.approx(diff["false_negative_rate"])
    assert o.overall["accuracy"] == pytest.approx(float(o.fairness.overall["accuracy"]))


@pytest.mark.parametrize("seed", range(3))
def test_counted_rates_are_fairlearns_for_every_use_case(seed):
    """The rates and gaps pages read (counted per group) equal the outcome's own
    Fairlearn MetricFrame, at the defaults and in every scenario, weighted or not."""
    from simulators import registry

    for name in registry.USE_CASES:
        configs = [registry.config_class(name)(seed=seed),
                   *(p.config.replace(seed=seed) for p in registry.presets(name)[:2])]
        for config in configs:
            _agrees_with_metric_frame(registry.module(name).simulate(config))


def test_weighted_rates_are_fairlearns():
    rng = np.random.default_rng(7)
    n = 200
    o = Outcome(rng.integers(0, 2, n), rng.integers(0, 2, n),
                pd.Series(rng.choice(["A", "B"], n), name="group"), weight=rng.integers(1, 9, n))
    _agrees_with_metric_frame(o)
    assert sum(o.rates[g]["count"] for g in o.groups) == pytest.approx(float(o.weight.sum()))


def test_rates_are_the_metric_frames_numbers(outcome):
    table = outcome.fairness.by_group
    assert outcome.groups == ["A", "B"]
    for g in outcome.groups:
        for m in table.columns:
            assert outcome.rates[g][m] == pytest.approx(float(table.loc[g, m]))


def test_summary_is_flat_and_json_able(outcome):
    import json

    s = summary(outcome)
    assert s["false_negative_rate[B]"] == pytest.approx(0.75)
    assert s["count[A]"] == 8
    json.dumps(s)


def test_sensitive_keeps_its_name_and_gets_one_if_missing():
    o = Outcome(np.array([1, 0]), np.array([1, 0]), ["A", "B"])
    assert o.sensitive.name == "group"
    o2 = Outcome(np.array(Y_TRUE), np.array(Y_PRED), GROUP)
    assert o2.sensitive.name == "caller group"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(y_true=[1, 0, 2], y_pred=[1, 0, 0], sensitive=["A", "A", "B"]), "only 0 and 1"),
        (dict(y_true=[1, 0], y_pred=[1, 0, 0], sensitive=["A", "A", "B"]), "same length"),
    ],
)
def test_bad_outcomes_are_refused_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Outcome(**kwargs)


def _biased_world(seed=0, n=3000):
    """Group B's positives were half mislabelled negative; a proxy feature tells B apart."""
    rng = np.random.default_rng(seed)
    b = rng.random(n) < 0.4
    x = rng.normal(size=(n, 2))
    y = (x[:, 0] + 0.5 * rng.normal(size=n) > 0.3).astype(int)
    y_hist = y.copy()
    y_hist[b & (y == 1) & (rng.random(n) < 0.5)] = 0
    X = np.c_[x, b + rng.normal(scale=0.1, size=n)]
    return X, y, y_hist, pd.Series(np.where(b, "B", "A"), name="group")


def test_mitigations_lower_the_gap_without_flagging_nobody():
    X, y, y_hist, s = _biased_world()
    train, audit, test = slice(0, 1500), slice(1500, 2000), slice(2000, None)
    base = fit_mitigation(LogisticRegression(), X[train], y_hist[train], s[train])
    plain = Outcome(y[test], base.predict(X[test], s[test]), s[test])
    gap_plain = disparities(plain)["equalized_odds_difference"]
    assert gap_plain > 0.2  # the mislabelled history shows up as a gap
    for name in ("threshold_optimizer", "exponentiated_gradient"):
        fixed = fit_mitigation(
            base.model, X[audit], y[audit], s[audit], name, prefit=True, seed=1
        )
        out = Outcome(y[test], fixed.predict(X[test], s[test]), s[test])
        d = disparities(out)
        assert d["equalized_odds_difference"] < gap_plain / 2, name
        assert 0.2 < d["selection_rate"] < 0.8, name  # still flags a real share


def test_mitigation_is_deterministic_for_a_seed():
    X, y, y_hist, s = _biased_world(seed=3)
    preds = [
        fit_mitigation(LogisticRegression(), X, y, s, "threshold_optimizer", seed=7).predict(X, s)
        for _ in range(2)
    ]
    assert (preds[0] == preds[1]).all()


def test_unknown_mitigation_is_named():
    X, y, _, s = _biased_world(n=200)
    with pytest.raises(ValueError, match="mitigation must be one of"):
        fit_mitigation(LogisticRegression(), X, y, s, "magic")
    assert MITIGATIONS == ("none", "threshold_optimizer", "exponentiated_gradient")


def test_chance_matches_what_the_randomised_fixes_predict():
    """``chance`` (read from the fixes' public attributes) is the share of draws that
    flag a row, and only rows with a chance strictly between 0 and 1 ever change."""
    rng = np.random.default_rng(5)
    n = 1500
    X = rng.normal(size=(n, 3))
    group = np.where(rng.random(n) < 0.35, "B", "A")
    y = (X[:, 0] + 0.8 * (group == "B") + rng.normal(size=n) > 0.4).astype(int)
    for mitigation in ("threshold_optimizer", "exponentiated_gradient"):
        model = fit_mitigation(LogisticRegression(), X, y, group, mitigation, seed=1)
        chance = model.chance(X, group)
        draws = np.mean([FairModel(mitigation, model.model, seed=k).predict(X, group)
                         for k in range(200)], axis=0)
        assert np.abs(draws - chance).max() < 0.15
        tossed = model.coin_tosses(X, group)
        fixed = ~tossed
        assert set(np.unique(draws[fixed])) <= {0.0, 1.0}
        assert 0 < tossed.mean() <= 1
    plain = fit_mitigation(LogisticRegression(), X, y, group, "none")
    assert not plain.coin_tosses(X, group).any()
