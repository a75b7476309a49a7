"""The evidence-summary world: what it must show, over several seeds, and the made-up
case files it is built from."""

import json
import re
from dataclasses import fields
from functools import cache

import numpy as np
import pandas as pd
import pytest

import simulators.evidence_summaries as summarisers
from simulators.config import validate
from simulators.evidence import (
    FAIR_HISTORY,
    NOT_LEARNING,
    OWN_WORDS,
    PRESETS,
    SAME_WORDS,
    EvidenceConfig,
    EvidenceOutcome,
    history_route,
    numbers_shown,
    officer_check,
    simulate,
)
from simulators.evidence_files import FACT_TYPES, TEMPLATES, bank, make_files
from simulators.fairness import disparities, summary

SEEDS = (0, 1, 2, 3)
SMALL = EvidenceConfig(n_cases=20)


@cache
def run(config: EvidenceConfig) -> EvidenceOutcome:
    return simulate(config)


def kept(outcome: EvidenceOutcome, group: str) -> float:
    """Share of the group's key facts put in the summary."""
    return float(outcome.fairness.by_group.loc[group, "true_positive_rate"])


def averaged(base: EvidenceConfig = SMALL, seeds=SEEDS, **changes) -> dict[str, float]:
    rows = [run(base.replace(seed=s, **changes)) for s in seeds]
    a = float(np.mean([kept(o, "A") for o in rows]))
    b = float(np.mean([kept(o, "B") for o in rows]))
    return {"A": a, "B": b, "gap": a - b, "share": float(np.mean([o.summary_share for o in rows]))}


def gaps(base: EvidenceConfig = SMALL, seeds=SEEDS, **changes) -> np.ndarray:
    """Each seed's gap: the share of group B's key facts left out minus group A's."""
    return np.array([kept(o, "A") - kept(o, "B")
                     for o in (run(base.replace(seed=s, **changes)) for s in seeds)])


def gap_of(outcome: EvidenceOutcome) -> float:
    return kept(outcome, "A") - kept(outcome, "B")


def left_out_gap(left_out: dict[str, float]) -> float:
    return left_out["B"] - left_out["A"]


# --------------------------------------------------------------------------- the case files


def _raw() -> dict:
    return json.loads(TEMPLATES.read_text(encoding="utf-8"))


def _sentences(split: dict) -> set[str]:
    out = set()
    for filler in (*split["fillers"]["intro"], *split["fillers"]["other"]):
        out |= {filler["a"], *filler["b"]}
    for inc in split["incidents"]:
        for fact in inc["facts"]:
            out |= {*fact["a"], *fact["b"]}
        out |= {c["text"] for c in inc["cctv"]} | {n["text"] for n in inc["notes"]}
    return out


def test_no_test_sentence_appears_in_training():
    raw = _raw()
    training, test = _sentences(raw["training"]), _sentences(raw["test"])
    assert len(training) > 300 and len(test) > 300
    assert not training & test, sorted(training & test)[:5]
    b = bank()
    assert set(b.texts_of(b.test)) == test and set(b.texts_of(b.training)) == training
    # The files drawn from them: the learning AI's old files share no sentence with the
    # files it summarises.
    kw = dict(group_b_share=0.5, dialect_strength=0.5, order="as_filed")
    old = make_files(np.random.default_rng(1), 40, b.training, **kw)
    new = make_files(np.random.default_rng(2), 40, b.test, **kw)
    assert not set(old.text) & set(new.text)


def test_at_least_twelve_incidents_of_at_least_four_kinds_each_complete():
    raw = _raw()
    incidents = raw["training"]["incidents"] + raw["test"]["incidents"]
    assert len(incidents) >= 12
    assert len({i["kind"] for i in incidents}) >= 4
    test_kinds = {i["kind"] for i in raw["test"]["incidents"]}
    assert len(test_kinds) >= 4
    assert test_kinds <= {i["kind"] for i in raw["training"]["incidents"]}
    assert len({i["key"] for i in incidents}) == len(incidents)
    for inc in incidents:
        tags = {f["tag"] for f in inc["facts"]}
        assert {"incriminating", "exculpatory", "context", "none"} <= tags, inc["key"]
        for fact in inc["facts"]:
            assert fact["tag"] in FACT_TYPES and 0 < fact["p"] <= 1
            assert len(fact["a"]) == 2 and len(fact["b"]) == 2, fact["id"]
            assert not set(fact["b"]) & set(fact["a"]), fact["id"]  # in other words
        assert len(inc["cctv"]) >= 3 and len(inc["notes"]) >= 2, inc["key"]
        assert all(re.fullmatch(r"\d\d:\d\d", c["time"]) for c in inc["cctv"])
        records = [c["tag"] for c in inc["cctv"]] + [n["tag"] for n in inc["notes"]]
        assert set(records) <= set(FACT_TYPES) and "exculpatory" in records, inc["key"]
        assert inc["title"] and inc["brief"]
    about = " ".join(raw["_about"])
    assert "reviewed by people who speak that way" in about and "invented" in about


# --------------------------------------------------------------------------- the contract


def test_outcome_has_one_row_per_witness_sentence_and_a_rendered_case():
    out = run(SMALL)
    assert isinstance(out, EvidenceOutcome)
    n = len(out.y_true)
    assert n > 20 * 4 * 3  # at least 4 witnesses with 3 sentences in each of 20 files
    assert len(out.y_pred) == len(out.sensitive) == len(out.score) == n
    assert set(out.sensitive) == {"A", "B"}
    assert 0.3 < out.y_true.mean() < 0.8  # key facts and other sentences both present
    cf = out.case_file
    assert list(cf["position"]) == list(range(1, len(cf) + 1))
    assert {"witness", "cctv", "notes"} == set(cf["kind"])
    assert set(cf.loc[cf["kind"] == "witness", "group"]) <= {"A", "B"}
    assert (cf.loc[cf["kind"] == "cctv", "time"].str.match(r"\d\d:\d\d")).all()
    assert set(cf["fact"]) <= {"", "incriminating", "exculpatory", "context"}
    assert (cf["key"] == (cf["fact"] != "")).all()
    assert cf["included"].any() and not cf["included"].all()
    assert out.case_title in {i.title for i in bank().test.incidents} and out.case_brief
    # The summary keeps the share asked for (rounded per file).
    assert out.summary_share == pytest.approx(SMALL.summary_ratio, abs=0.03)


def test_the_case_shown_is_short_enough_for_a_phone():
    for s in SEEDS:
        cf = run(SMALL.replace(seed=s)).case_file
        assert len(cf) <= 36, (s, len(cf))
        b = cf[cf["group"] == "B"]
        assert b["witness"].nunique() >= 2 and (cf["group"] == "A").any()


def test_same_seed_same_numbers_other_seed_other_world():
    a, b = simulate(SMALL), simulate(SMALL)
    assert (a.y_pred == b.y_pred).all() and (a.y_true == b.y_true).all()
    pd.testing.assert_frame_equal(a.case_file, b.case_file)
    assert summary(a) == summary(b)
    c = simulate(SMALL.replace(seed=SMALL.seed + 1))
    assert len(c.y_true) != len(a.y_true) or (c.y_true != a.y_true).any()


@pytest.mark.parametrize(
    "field_name, value",
    [
        ("n_cases", 5),
        ("n_cases", 12.5),
        ("n_cases", 201),
        ("group_b_share", 0.05),
        ("group_b_share", 0.7),
        ("dialect_strength", -0.1),
        ("dialect_strength", 1.5),
        ("label_bias", 0.9),
        ("summary_ratio", 0.05),
        ("summary_ratio", 0.65),
        ("method", "magic"),
        ("order", "alphabetical"),
        ("mitigation", "ignore_it"),
        ("seed", -1),
    ],
)
def test_out_of_range_settings_name_the_field(field_name, value):
    with pytest.raises(ValueError, match=rf"^{field_name} \("):
        EvidenceConfig(**{field_name: value})


def test_every_field_is_a_documented_setting_in_peoples_units():
    names = [f.name for f in fields(EvidenceConfig)]
    assert names == [
        "n_cases", "group_b_share", "dialect_strength", "label_bias", "method",
        "summary_ratio", "order", "mitigation", "seed",
    ]
    meta = {f.name: f.metadata["setting"] for f in fields(EvidenceConfig)}
    assert set(meta["method"].choices) == {"centrality", "learned"}
    assert set(meta["order"].choices) == {"as_filed", "group_b_last", "shuffled"}
    assert set(meta["mitigation"].choices) == {"none", "per_witness_quota", "threshold_optimizer"}
    for name, m in meta.items():
        assert m.label and len(m.help) > 20, name
        if m.unit is not None and "in 100" in m.unit:
            # a share is said out of 100 in its help too, never as 0 to 1 or out of 10
            assert "100" in m.help and "10 " not in m.help and "0:" not in m.help, name
    assert "tell group B's sentences apart" in meta["label_bias"].help


def test_moving_a_slider_changes_the_same_world():
    """The shown case stays the same case while the summariser's settings move."""
    base = run(SMALL)
    for changes in (
        dict(dialect_strength=1.0),
        dict(method="learned"),
        dict(order="shuffled"),
        dict(mitigation="per_witness_quota"),
    ):
        other = run(SMALL.replace(**changes))
        assert other.case_title == base.case_title, changes
        assert sorted(other.case_file["source"]) == sorted(base.case_file["source"]), changes
        assert (other.y_true.sum(), len(other.y_true)) == (base.y_true.sum(), len(base.y_true))


# --------------------------------------------------------------------------- must show


@pytest.mark.parametrize("method", ["centrality", "learned"])
def test_no_bias_keeps_both_groups_key_facts_about_equally(method):
    """(The learning AI is tested on incidents it never saw: it cannot just remember.)"""
    r = averaged(method=method, dialect_strength=0.0, label_bias=0.0)
    assert abs(r["gap"]) < 0.07, r
    assert r["A"] > 0.4 and r["B"] > 0.4, r


def test_dialect_means_group_b_key_facts_are_kept_less_often():
    plain = averaged(dialect_strength=0.0, label_bias=0.0)
    some = averaged(dialect_strength=0.5, label_bias=0.0)
    strong = averaged(dialect_strength=1.0, label_bias=0.0)
    assert plain["B"] > some["B"] > strong["B"]
    assert strong["gap"] > plain["gap"] + 0.12
    # The facts are the same; only the wording changed, and group A is not helped by it.
    assert strong["A"] == pytest.approx(plain["A"], abs=0.06)


def test_biased_old_summaries_teach_the_learned_ai_to_drop_group_b():
    fair = averaged(method="learned", dialect_strength=0.5, label_bias=0.0)
    biased = averaged(method="learned", dialect_strength=0.5, label_bias=0.8)
    assert biased["B"] < fair["B"] - 0.08
    assert biased["gap"] > fair["gap"] + 0.04
    # The centrality ranker learns nothing from old summaries.
    c0 = averaged(dialect_strength=0.5, label_bias=0.0)
    c8 = averaged(dialect_strength=0.5, label_bias=0.8)
    assert c0 == c8


def test_past_bias_reaches_group_b_only_through_their_words():
    """With group B in group A's words the old bias has almost nothing to hold on to;
    with strong dialect cues it adds a large gap. Seed by seed, not only on average."""
    learned = SMALL.replace(method="learned", order="shuffled")
    plain = gaps(learned, dialect_strength=0.0, label_bias=0.8) - gaps(
        learned, dialect_strength=0.0, label_bias=0.0)
    cues = gaps(learned, dialect_strength=1.0, label_bias=0.8) - gaps(
        learned, dialect_strength=1.0, label_bias=0.0)
    assert (np.abs(plain) < 0.08).all(), plain
    assert (cues > 0.15).all(), cues
    assert cues.mean() > plain.mean() + 0.2


def test_history_route_is_said_from_the_settings():
    assert history_route(EvidenceConfig(label_bias=0.8)) == NOT_LEARNING
    learned = EvidenceConfig(method="learned")
    assert history_route(learned.replace(label_bias=0.0)) == FAIR_HISTORY
    assert history_route(learned.replace(label_bias=0.5, dialect_strength=0.0)) == SAME_WORDS
    assert history_route(learned.replace(label_bias=0.5, dialect_strength=0.3)) == OWN_WORDS
    assert run(SMALL.replace(method="learned", label_bias=0.5)).history_route == OWN_WORDS


def test_the_outcome_says_what_the_old_summaries_and_the_wording_were():
    for s in SEEDS:
        cfg = SMALL.replace(method="learned", label_bias=0.6, dialect_strength=0.5, seed=s)
        out = run(cfg)
        # the analysts' bias, and their own slips on everyone's key facts: they left out
        # group B's key facts most where told in their own words
        assert out.history_left_out["A"] < 0.15
        least = 1 - (1 - summarisers.ANALYST_MISS) * (1 - 0.6 * summarisers.SAME_WORDS_REACTION)
        most = 1 - (1 - summarisers.ANALYST_MISS) * (1 - 0.6)
        assert least - 0.1 < out.history_left_out["B"] < most + 0.1
        assert out.own_words_share == pytest.approx(0.5, abs=0.1)
        assert run(cfg.replace(dialect_strength=0.0)).own_words_share == 0
    assert run(SMALL).history_left_out is None  # this AI never read old summaries


def test_fair_history_is_the_same_files_after_fair_old_summaries():
    for changes in (dict(), dict(mitigation="per_witness_quota"), dict(order="group_b_last")):
        cfg = SMALL.replace(method="learned", label_bias=0.6, dialect_strength=0.8, **changes)
        out, fair = run(cfg), run(cfg.replace(label_bias=0.0))
        assert out.fair_history.left_out == pytest.approx(
            {g: fair.rates[g]["false_negative_rate"] for g in ("A", "B")})
        assert out.fair_history.summary_share == pytest.approx(fair.summary_share)
        assert fair.fair_history is None
    assert run(SMALL.replace(label_bias=0.6)).fair_history is None  # never reads old ones


def test_group_b_last_widens_the_gap_and_shuffling_narrows_it():
    kw = dict(dialect_strength=0.0, label_bias=0.0)
    as_filed = averaged(order="as_filed", **kw)
    last = averaged(order="group_b_last", **kw)
    shuffled = averaged(order="shuffled", **kw)
    assert last["gap"] > as_filed["gap"] + 0.08
    assert shuffled["gap"] < last["gap"] - 0.1
    assert abs(shuffled["gap"]) < 0.05
    assert shuffled["gap"] <= as_filed["gap"] + 0.01


@pytest.mark.parametrize("method", ["centrality", "learned"])
def test_fixes_narrow_the_gap_at_high_bias(method):
    kw = dict(method=method, dialect_strength=1.0, label_bias=0.8)
    none = averaged(**kw)
    assert none["gap"] > 0.15
    quota = averaged(mitigation="per_witness_quota", **kw)
    assert quota["gap"] < none["gap"] / 2
    assert quota["share"] == pytest.approx(SMALL.summary_ratio, abs=0.03)  # same length
    fair = averaged(mitigation="threshold_optimizer", **kw)
    assert abs(fair["gap"]) < none["gap"] / 2
    # Its price is a longer summary, said on the page; it does not keep everything.
    assert SMALL.summary_ratio + 0.1 < fair["share"] < 0.9


@pytest.mark.parametrize("fix", ["per_witness_quota", "threshold_optimizer"])
def test_a_fix_is_compared_with_the_same_files_without_it(fix):
    for s in SEEDS:
        cfg = SMALL.replace(dialect_strength=1.0, mitigation=fix, seed=s)
        out, plain = run(cfg), run(cfg.replace(mitigation="none"))
        assert out.without_fix.left_out == pytest.approx(
            {g: plain.rates[g]["false_negative_rate"] for g in ("A", "B")})
        assert out.without_fix.summary_share == pytest.approx(plain.summary_share)
        assert left_out_gap(out.without_fix.left_out) > gap_of(out)
        if fix == "threshold_optimizer":
            # ... and narrower than summaries as long without it: not only length
            assert out.same_length.summary_share == pytest.approx(out.summary_share, abs=0.02)
            assert left_out_gap(out.same_length.left_out) > gap_of(out)
        else:
            assert out.same_length is None and out.coin_toss_share == 0
            assert out.chance_decided_share == 0
    assert run(SMALL).without_fix is None and run(SMALL).coin_toss_share == 0


def test_the_threshold_fix_counts_what_it_leaves_to_chance():
    """Fairlearn's ThresholdOptimizer draws for sentences near its cut-offs; the outcome
    counts them, and the same seed draws the same way."""
    outs = [run(SMALL.replace(dialect_strength=1.0, mitigation="threshold_optimizer",
                              seed=s)) for s in SEEDS]
    assert all(0 <= o.coin_toss_share < 0.5 for o in outs)
    assert max(o.chance_decided_share for o in outs) > 0
    # What the draw settled is at most half of what it touched.
    assert all(o.chance_decided_share <= 0.5 * o.coin_toss_share + 0.05 for o in outs)
    cfg = SMALL.replace(dialect_strength=1.0, mitigation="threshold_optimizer", seed=7)
    assert (simulate(cfg).y_pred == simulate(cfg).y_pred).all()


def test_threshold_fix_goes_through_the_shared_fairlearn_core(monkeypatch):
    calls = []
    real = summarisers.fit_mitigation

    def spy(*args, **kwargs):
        calls.append((args[4] if len(args) > 4 else kwargs.get("mitigation"), kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(summarisers, "fit_mitigation", spy)
    simulate(SMALL.replace(mitigation="threshold_optimizer", seed=11))
    assert calls and calls[0][0] == "threshold_optimizer"
    assert calls[0][1]["prefit"] is True
    # the gap the page headlines: each group's key facts kept (left out) equally often
    assert calls[0][1]["constraints"] == "true_positive_rate_parity"


def test_exculpatory_facts_are_counted_by_group():
    out = run(SMALL.replace(dialect_strength=1.0))
    for g in ("A", "B"):
        assert 0 <= out.exculpatory_lost[g] <= out.exculpatory_total[g]
        lost_share = out.exculpatory_lost[g] / out.exculpatory_total[g]
        assert out.left_out_by_fact.loc["exculpatory", g] == pytest.approx(lost_share)
    assert list(out.left_out_by_fact.index) == ["incriminating", "exculpatory", "context"]
    # Strong dialect: group B's facts that point away from the suspect are left out more.
    rows = [run(SMALL.replace(dialect_strength=1.0, seed=s)) for s in SEEDS]
    a = np.mean([o.left_out_by_fact.loc["exculpatory", "A"] for o in rows])
    b = np.mean([o.left_out_by_fact.loc["exculpatory", "B"] for o in rows])
    assert b > a + 0.05


def test_record_keeps_the_numbers_and_what_they_were_compared_with():
    out = run(SMALL.replace(method="learned", label_bias=0.5, mitigation="threshold_optimizer"))
    rec = numbers_shown(out)
    assert rec["false_negative_rate[B]"] == round(out.rates["B"]["false_negative_rate"], 4)
    for name in ("without_fix", "same_length", "fair_history"):
        assert rec[f"{name}.false_negative_rate[B]"] == round(getattr(out, name).left_out["B"], 4)
    assert rec["coin_toss_share"] == round(out.coin_toss_share, 4)
    assert rec["chance_decided_share"] == round(out.chance_decided_share, 4)
    json.dumps(rec)
    assert not any(k.startswith("fair_history") for k in numbers_shown(run(SMALL)))


def test_a_small_world_with_few_group_b_witnesses_still_runs():
    out = simulate(EvidenceConfig(n_cases=10, group_b_share=0.1, method="learned",
                                  mitigation="threshold_optimizer", seed=5))
    assert len(out.y_true) > 0
    d = disparities(out)
    assert 0 <= d["selection_rate"] <= 1


# --------------------------------------------------------------------------- the officer


def test_officer_check_counts_what_the_participant_caught():
    cf = run(SMALL).case_file
    left_out_key = cf.loc[cf["key"] & ~cf["included"], "position"].tolist()
    excul = cf.loc[cf["key"] & ~cf["included"] & (cf["fact"] == "exculpatory"), "position"]
    assert left_out_key, "the shown case should have key facts to find"
    nothing = officer_check(cf, [])
    assert (nothing.caught, nothing.ticked, nothing.missed) == (0, 0, len(left_out_key))
    everything = officer_check(cf, left_out_key)
    assert everything.caught == everything.missed == len(left_out_key)
    assert everything.caught_exculpatory == everything.missed_exculpatory == len(excul)
    assert everything.not_key == 0
    not_key = cf.loc[~cf["key"], "position"].tolist()[:2]
    some = officer_check(cf, left_out_key[:1] + not_key + [999])
    assert (some.caught, some.not_key, some.ticked) == (1, len(not_key), 1 + len(not_key))


# --------------------------------------------------------------------------- presets


def test_presets_are_valid_and_speak_in_two_sentences():
    assert 3 <= len(PRESETS) <= 6
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for p in PRESETS:
        assert isinstance(p.config, EvidenceConfig)
        validate(p.config)
        assert len(re.findall(r"[.!?](?:\s|$)", p.script)) == 2, p.key
        assert p.title


def _preset(key):
    return next(p for p in PRESETS if p.key == key)


def test_presets_show_what_their_scripts_claim():
    seeds = (0, 1, 2)
    fair = averaged(_preset("fair_start").config, seeds)
    assert abs(fair["gap"]) < 0.06
    words = averaged(_preset("own_words").config, seeds)
    assert words["gap"] > fair["gap"] + 0.12
    # Biased old summaries with group B in group A's words: little harm. The same bias
    # with group B in their own words: large harm, far more than the wording alone.
    same_config = _preset("biased_past_same_words").config
    own_config = _preset("biased_past_own_words").config
    assert same_config == own_config.replace(dialect_strength=0.0)
    same, own = gaps(same_config, seeds), gaps(own_config, seeds)
    assert (np.abs(same) < 0.08).all(), same
    assert (own > same + 0.2).all(), (own, same)
    assert (own > gaps(own_config, seeds, label_bias=0.0) + 0.1).all()
    last = _preset("last_in_pile").config
    assert averaged(last, seeds)["gap"] > averaged(last, seeds, order="shuffled")["gap"] + 0.08
    fix = _preset("a_share_each").config
    assert averaged(fix, seeds)["gap"] < averaged(fix, seeds, mitigation="none")["gap"] - 0.12
