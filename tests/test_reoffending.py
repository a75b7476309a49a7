"""Reoffending risk: biased records raise group B's false alarms; an audited fix lowers them.

Behaviour is asserted on averages over a few seeds, so one lucky draw cannot pass or
fail a test.
"""

from functools import cache

import numpy as np
import pytest

from simulators.config import settings_of
from simulators.fairness import disparities
from simulators.reoffending import (
    FEATURES,
    KINDS,
    PRESETS,
    RiskConfig,
    RiskOutcome,
    explain,
    find_people,
    kind_of,
    score_histogram,
    simulate,
)

SEEDS = range(4)
N = 1500  # smaller than the default, the behaviour still shows


@cache
def run(config: RiskConfig) -> RiskOutcome:
    return simulate(config)


def averaged(seeds=SEEDS, n_people=N, **kw) -> dict[str, float]:
    """Gaps and group rates averaged over seeds."""
    rows = []
    for seed in seeds:
        out = run(RiskConfig(n_people=n_people, seed=seed, **kw))
        g = out.fairness.by_group
        d = disparities(out)
        rows.append(
            {
                "eod": d["equalized_odds_difference"],
                "selected": d["selection_rate"],
                "base": float(out.y_true.mean()),
                "fpr_A": float(g.loc["A", "false_positive_rate"]),
                "fpr_B": float(g.loc["B", "false_positive_rate"]),
                "cut_A": out.cutoffs["A"],
                "cut_B": out.cutoffs["B"],
            }
        )
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


# --- What the world and model must show ----------------------------------------------


def test_default_threshold_flags_about_as_many_as_truly_reoffend():
    a = averaged()
    assert abs(a["selected"] - a["base"]) < 0.06
    assert 0.2 < a["base"] < 0.5


def test_without_bias_the_groups_false_alarms_are_close():
    a = averaged()
    assert abs(a["fpr_B"] - a["fpr_A"]) < 0.03
    assert a["eod"] < 0.07


def test_over_patrolling_raises_group_b_false_alarms_and_the_gap():
    fair = averaged()
    gaps = [averaged(historic_patrol_bias=pb) for pb in (0.0, 0.4, 0.8)]
    fpr_gap = [g["fpr_B"] - g["fpr_A"] for g in gaps]
    assert fpr_gap[0] < fpr_gap[1] < fpr_gap[2]
    assert fpr_gap[2] > 0.08
    assert gaps[2]["eod"] > fair["eod"] + 0.1


def test_re_arrest_labels_make_the_patrol_bias_worse():
    patrol = averaged(historic_patrol_bias=0.7)
    both = averaged(historic_patrol_bias=0.7, label_bias=0.6)
    assert both["fpr_B"] - both["fpr_A"] > patrol["fpr_B"] - patrol["fpr_A"] + 0.05
    assert both["eod"] > patrol["eod"] + 0.05


def test_label_bias_alone_shows_in_the_records_but_cannot_reach_the_decisions():
    # The documented choice: group B is re-arrested more for the same reoffending.
    a = averaged(label_bias=0.8)
    assert abs(a["fpr_B"] - a["fpr_A"]) < 0.04
    rec = run(RiskConfig(n_people=N, label_bias=0.8, seed=0)).records
    assert rec.loc["B", "rearrested_per_100"] > rec.loc["A", "rearrested_per_100"] + 10
    assert abs(rec.loc["B", "reoffended_per_100"] - rec.loc["A", "reoffended_per_100"]) < 6


def test_patrol_bias_inflates_arrests_not_behaviour():
    rec = run(RiskConfig(n_people=N, historic_patrol_bias=0.8, seed=1)).records
    assert rec.loc["B", "arrests_per_person"] > 1.8 * rec.loc["A", "arrests_per_person"]
    ratio = rec.loc["B", "offences_per_person"] / rec.loc["A", "offences_per_person"]
    assert 0.85 < ratio < 1.15


def test_group_is_never_a_feature():
    assert "group" not in FEATURES
    out = run(RiskConfig(n_people=N, historic_patrol_bias=0.8, seed=0))
    assert out.model.model.n_features_in_ == len(FEATURES)
    # Same records, other group: same score.
    X = out.people.loc[:, list(FEATURES)].to_numpy(dtype=float)
    assert np.allclose(out.model.score(X), out.people["score"])


def test_threshold_optimizer_on_an_audit_lowers_the_gap_without_collapsing_flags():
    biased = dict(historic_patrol_bias=0.7, label_bias=0.6)
    before = averaged(seeds=range(3), **biased)
    after = averaged(seeds=range(3), mitigation="threshold_optimizer", **biased)
    assert after["eod"] < before["eod"] / 2
    assert 0.2 < after["selected"] < 0.7
    assert abs(after["fpr_B"] - after["fpr_A"]) < 0.08
    out = run(RiskConfig(n_people=N, mitigation="threshold_optimizer", seed=0, **biased))
    assert out.audit_size >= 500
    assert out.cutoffs["B"] > out.cutoffs["A"]  # group B needs a higher score


def test_exponentiated_gradient_lowers_the_gap_too():
    biased = dict(n_people=800, historic_patrol_bias=0.7, label_bias=0.6, seed=2)
    before = disparities(run(RiskConfig(**biased)))
    fixed = run(RiskConfig(mitigation="exponentiated_gradient", **biased))
    after = disparities(fixed)
    assert after["equalized_odds_difference"] < before["equalized_odds_difference"] / 2
    assert 0.2 < after["selection_rate"] < 0.8
    # The risk score shown is still the records-trained model's; the mix decides.
    assert np.allclose(fixed.score, run(RiskConfig(**biased)).score)
    assert "does not use this score" in explain(fixed, 0).rule


def test_outcome_rows_line_up():
    out = run(RiskConfig(n_people=N, historic_patrol_bias=0.5, seed=0))
    assert len(out.y_true) == len(out.people) == N
    assert (out.people["reoffended"].to_numpy() == out.y_true).all()
    assert (out.people["flagged"].to_numpy() == out.y_pred).all()
    assert (out.sensitive.to_numpy() == out.people["group"].to_numpy()).all()
    assert np.allclose(out.score, out.people["score"])
    assert (out.y_pred == (out.score >= 0.25)).all()
    assert (out.people["stop_arrests"] <= out.people["arrests"]).all()
    assert out.terms.harm == "false_positive_rate"
    assert out.terms.flagged == "labelled high risk"


# --- Determinism, validation, presets -----------------------------------------------


def test_same_seed_same_world_other_seed_other_world():
    a = simulate(RiskConfig(n_people=300, historic_patrol_bias=0.5, seed=7))
    b = simulate(RiskConfig(n_people=300, historic_patrol_bias=0.5, seed=7))
    c = simulate(RiskConfig(n_people=300, historic_patrol_bias=0.5, seed=8))
    assert a.people.equals(b.people)
    assert (a.y_pred == b.y_pred).all()
    assert not a.people.equals(c.people)


def test_mitigated_runs_are_deterministic():
    cfg = RiskConfig(n_people=400, historic_patrol_bias=0.7, mitigation="threshold_optimizer")
    assert (simulate(cfg).y_pred == simulate(cfg).y_pred).all()


@pytest.mark.parametrize(
    "field, bad",
    [
        ("n_people", 100),
        ("n_people", 20000),
        ("n_people", 1500.5),
        ("group_b_share", 0.0),
        ("group_b_share", 0.95),
        ("historic_patrol_bias", -0.1),
        ("historic_patrol_bias", 1.5),
        ("label_bias", 2.0),
        ("label_bias", float("nan")),
        ("threshold", 0.0),
        ("threshold", 1.0),
        ("mitigation", "magic"),
        ("seed", -1),
        ("seed", "x"),
    ],
)
def test_each_out_of_range_field_is_named(field, bad):
    with pytest.raises(ValueError, match=field):
        RiskConfig(**{field: bad})


def test_every_field_has_plain_metadata():
    names = [name for name, _meta, _default in settings_of(RiskConfig)]
    assert names == [
        "n_people", "group_b_share", "historic_patrol_bias", "label_bias",
        "threshold", "mitigation", "seed",
    ]
    for _name, meta, _default in settings_of(RiskConfig):
        assert meta.label and meta.help
    assert RiskConfig().historic_patrol_bias == 0 and RiskConfig().label_bias == 0


def test_a_tiny_town_with_a_fix_runs_or_says_why():
    cfg = RiskConfig(n_people=200, group_b_share=0.1, mitigation="threshold_optimizer")
    try:
        out = simulate(cfg)
    except ValueError as err:
        assert "audit" in str(err)
    else:
        assert len(out.y_true) == 200


def test_presets_are_valid_and_tell_two_sentences():
    assert 3 <= len(PRESETS) <= 5
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for p in PRESETS:
        assert isinstance(p.config, RiskConfig)
        RiskConfig(**p.config.to_dict())  # valid
        assert p.script.count(". ") + p.script.endswith(".") == 2, p.key


def test_presets_show_what_their_scripts_claim():
    res = {p.key: _avg_preset(p.config) for p in PRESETS}
    fair, past, both, fix = (
        res["fair_start"], res["patrolled_past"], res["arrest_not_crime"], res["audit_fix"]
    )
    assert abs(fair["fpr_B"] - fair["fpr_A"]) < 0.03  # about the same share
    assert past["fpr_B"] > past["fpr_A"] + 0.05  # more of group B wrongly labelled
    assert both["eod"] > past["eod"] + 0.05  # the gap grows
    assert fix["eod"] < both["eod"] / 2  # the gap shrinks
    assert fix["cut_B"] > fix["cut_A"] + 0.03  # ...by holding group B to a higher score


def test_the_room_sees_each_preset_claim_on_its_own_world():
    """The presets' own seed is what every screen shows: the story must hold there too."""
    res = {}
    for p in PRESETS:
        out = run(p.config)
        g = out.fairness.by_group
        res[p.key] = (
            disparities(out)["equalized_odds_difference"],
            g.loc["B", "false_positive_rate"] - g.loc["A", "false_positive_rate"],
            out.cutoffs,
        )
    assert abs(res["fair_start"][1]) < 0.04
    assert res["patrolled_past"][1] > 0.04
    assert res["arrest_not_crime"][0] > res["patrolled_past"][0] + 0.04
    assert res["audit_fix"][0] < res["arrest_not_crime"][0] / 2
    assert res["audit_fix"][2]["B"] > res["audit_fix"][2]["A"]


def _avg_preset(config: RiskConfig) -> dict[str, float]:
    kw = {k: v for k, v in config.to_dict().items() if k not in ("seed", "n_people")}
    return averaged(seeds=range(3), **kw)


# --- The page's helpers --------------------------------------------------------------


@pytest.fixture(scope="module")
def biased():
    return simulate(RiskConfig(n_people=N, historic_patrol_bias=0.8, label_bias=0.5, seed=3))


def test_find_people_finds_each_kind(biased):
    f, r, g = biased.y_pred, biased.y_true, biased.sensitive.to_numpy()
    for kind in KINDS:
        rows = find_people(biased, kind)
        assert len(rows) > 0
        if kind != "any":
            assert all(kind_of(f[i], r[i]) == kind for i in rows)
        rows_b = find_people(biased, kind, "B")
        assert set(rows_b) <= set(rows) and (g[rows_b] == "B").all()
    assert len(find_people(biased, "any")) == N
    assert (find_people(biased, "missed") == find_people(biased, "missed")).all()
    with pytest.raises(ValueError, match="kind"):
        find_people(biased, "villain")


def test_the_card_explains_a_false_alarm_in_group_b(biased):
    i = int(find_people(biased, "false_alarm", "B")[0])
    card = explain(biased, i)
    assert card.kind == "false_alarm" and card.flagged and not card.reoffended
    assert card.group == "group B" and card.number == i + 1
    assert card.score == round(100 * biased.people.loc[i, "score"])
    assert "labelled high risk" in card.verdict and "did not reoffend" in card.truth
    assert sorted(r.feature for r in card.reasons) == sorted(FEATURES)
    assert "25 or more" in card.rule
    assert str(int(biased.people.loc[i, "arrests"])) in card.hidden


def test_card_points_follow_the_model(biased):
    people = biased.people
    heavy = int(np.flatnonzero(people["arrests"] >= biased.reference["arrests"] + 4)[0])
    reasons = {r.feature: r for r in explain(biased, heavy).reasons}
    assert reasons["arrests"].points > 0 and "up" in reasons["arrests"].sentence
    typical = np.flatnonzero(
        (people["arrests"] == biased.reference["arrests"])
        & (people["convictions"] == biased.reference["convictions"])
        & (people["age"] == biased.reference["age"])
        & (people["employed"] == biased.reference["employed"])
    )
    if len(typical):
        card = explain(biased, int(typical[0]))
        assert all(r.points == 0 for r in card.reasons)
        assert all("almost no difference" in r.sentence for r in card.reasons)


def test_card_under_the_fix_speaks_of_group_cut_offs():
    out = run(RiskConfig(n_people=N, historic_patrol_bias=0.7, label_bias=0.6,
                         mitigation="threshold_optimizer", seed=0))
    card = explain(out, int(find_people(out, "any", "B")[0]))
    assert "cut-off for each group" in card.rule and "group B" in card.rule
    with pytest.raises(ValueError, match="person"):
        explain(out, N)


def test_score_histogram_is_percent_of_each_group(biased):
    h = score_histogram(biased)
    assert set(h["code"]) == {"A", "B"}
    sums = h.groupby("code")["percent"].sum()
    assert np.allclose(sums, 100, atol=0.6)
    assert h.groupby("code")["people"].sum().sum() == N
    assert len(h) == 2 * 20
