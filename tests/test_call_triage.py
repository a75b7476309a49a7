"""The 101-call simulator: its contract, and what its page must be able to show.

Behaviour is asserted averaged over a few seeds (worlds), on the page's default world
size (the speech-to-text effect needs the 2,000 past calls to show above the noise).
"""

import functools
import json
import re

import numpy as np
import pandas as pd
import pytest

from simulators import call_world
from simulators.call_text import DATA_PATH, kinds_of_call
from simulators.call_triage import (
    CALLS_SHOWN,
    FAST_TRACK_MINUTES,
    MISSED_URGENT_MINUTES,
    N_TEST,
    PERSON_MINUTES,
    PRESETS,
    REVIEW_MINUTES,
    TriageConfig,
    TriageOutcome,
    numbers_shown,
    proxy_push,
    simulate,
)
from simulators.config import Preset, settings_of, validate
from simulators.fairness import Outcome, disparities
from simulators.listen_in import Heard, example_calls, listen_in

SEEDS = (1, 2, 3)
MORE_SEEDS = (1, 2, 3, 4, 5)


@functools.cache
def run(**kw) -> TriageOutcome:
    return simulate(TriageConfig(**kw))


def mean_over_seeds(fn, seeds=SEEDS, **kw) -> float:
    return float(np.mean([fn(run(seed=s, **kw)) for s in seeds]))


def fnr(group):
    return lambda o: o.rates[group]["false_negative_rate"]


def gap(o) -> float:
    return disparities(o)["equalized_odds_difference"]


def missed_gap(o) -> float:
    return o.gaps["false_negative_rate_difference"]


HIGH = dict(label_bias=0.5, asr_error_gap=0.16)
BY_KEY = {p.key: p.config for p in PRESETS}


# ----------------------------------------------------------------------------- contract


def test_config_fields_and_defaults_are_the_binding_ones():
    meta = {n: m for n, m, _d in settings_of(TriageConfig)}
    for name in ("n_calls", "group_b_share", "label_bias", "asr_error_gap",
                 "fast_track_threshold", "mitigation", "human_review_share", "seed",
                 "decided_by", "people_bias", "reviewer_bias"):
        assert name in meta
    c = TriageConfig()
    assert (c.label_bias, c.asr_error_gap, c.people_bias, c.reviewer_bias) == (0, 0, 0, 0)
    assert c.mitigation == "none" and c.decided_by == "ai"
    assert (meta["group_b_share"].min, meta["group_b_share"].max) == (0.05, 0.5)
    assert (meta["label_bias"].min, meta["label_bias"].max) == (0, 0.8)
    assert (meta["asr_error_gap"].min, meta["asr_error_gap"].max) == (0, 0.3)
    assert (meta["human_review_share"].min, meta["human_review_share"].max) == (0, 1)
    assert (meta["people_bias"].min, meta["people_bias"].max) == (0, 1)
    assert meta["mitigation"].choices == ("none", "threshold_optimizer", "exponentiated_gradient")
    assert meta["decided_by"].choices == ("ai", "people")
    # Every setting that puts bias into the data or into people is marked, so fair towns
    # (simulators/chance.py) zero them all; the first two lead the page's settings box.
    assert [n for n, m, _d in settings_of(TriageConfig) if m.bias] == [
        "label_bias", "asr_error_gap", "reviewer_bias", "people_bias"]
    for name, m, _default in settings_of(TriageConfig):
        assert m.label and len(m.help) > 20, name  # every setting is explained
        if m.step and name != "seed":
            assert m.unit and "{n}" in m.unit, name  # said in people's units


@pytest.mark.parametrize(
    "field, value",
    [
        ("n_calls", 100), ("n_calls", 50_000), ("group_b_share", 0.6),
        ("group_b_share", 0.01), ("label_bias", 0.9), ("label_bias", -0.1),
        ("asr_error_gap", 0.31), ("fast_track_threshold", 0.99),
        ("mitigation", "magic"), ("mitigation_data", "rumour"),
        ("human_review_share", 1.5), ("reviewer_bias", 0.9), ("decided_by", "robots"),
        ("people_bias", 1.1), ("audit_size", 10), ("seed", -1),
    ],
)
def test_out_of_range_fields_raise_naming_field_and_range(field, value):
    with pytest.raises(ValueError, match=rf"^{field} \(.*\) must be"):
        TriageConfig(**{field: value})


def test_simulate_validates_a_config_changed_behind_its_back():
    c = TriageConfig()
    object.__setattr__(c, "label_bias", 2.0)
    with pytest.raises(ValueError, match="label_bias"):
        simulate(c)


def test_outcome_carries_what_the_page_needs():
    o = run(seed=1, human_review_share=0.2)
    assert isinstance(o, TriageOutcome)
    assert len(o.y_true) == len(o.y_pred) == len(o.sensitive) == N_TEST
    assert set(o.sensitive) == {"A", "B"}
    assert o.terms.harm == "false_negative_rate"
    cols = {"group", "kind", "said", "heard", "true_need", "ai_decision", "urgency",
            "cutoff", "chance", "coin_toss", "reviewed", "final_decision"}
    # The first calls, with their words, for "Listen in": row i is row i of y_true.
    assert cols <= set(o.calls.columns) and len(o.calls) == CALLS_SHOWN < N_TEST
    m = CALLS_SHOWN
    assert set(o.calls["kind"]) <= {k["key"] for k in kinds_of_call()}
    assert set(o.calls["true_need"]) == {"fast_track", "advise", "signpost"}
    assert set(o.calls["ai_decision"]) <= {"fast_track", "advise", "signpost"}
    assert ((o.calls["true_need"] == "fast_track").to_numpy() == (o.y_true[:m] == 1)).all()
    assert ((o.calls["final_decision"] == "fast_track").to_numpy() == (o.y_pred[:m] == 1)).all()
    assert ((o.calls["ai_decision"] == "fast_track").to_numpy() == (o.ai_pred[:m] == 1)).all()
    assert o.calls["reviewed"].mean() == pytest.approx(0.2, abs=0.03)
    assert list(o.review_curve["share"]) == pytest.approx(np.linspace(0, 1, 21))
    # The AI's path and people alone, side by side; no fix, nothing to compare it with.
    assert o.ai is o and isinstance(o.people, Outcome) and o.without_fix is None
    assert (o.people.y_pred == o.people_pred).all()
    json.dumps(numbers_shown(o))


def test_same_seed_same_calls_other_seed_other_calls():
    tiny = dict(n_calls=500, audit_size=100, label_bias=0.3, human_review_share=0.2,
                mitigation="threshold_optimizer")
    a = simulate(TriageConfig(seed=5, **tiny))
    call_world.world.cache_clear()  # build the town again from its seed
    b = simulate(TriageConfig(seed=5, **tiny))
    c = simulate(TriageConfig(seed=6, **tiny))
    assert (a.y_pred == b.y_pred).all() and (a.y_true == b.y_true).all()
    pd.testing.assert_frame_equal(a.calls, b.calls)
    assert numbers_shown(a) == numbers_shown(b)
    assert list(a.calls["said"]) != list(c.calls["said"])


# ----------------------------------------------------------------------------- the calls


def test_templates_give_many_kinds_and_calls_that_rarely_read_the_same():
    spec = json.loads(DATA_PATH.read_text())
    assert len(spec["kinds"]) >= 12 and len(kinds_of_call()) == len(spec["kinds"])
    o = run(seed=1)
    said = o.calls["said"]
    assert said.nunique() / len(said) > 0.97
    assert o.calls["kind"].nunique() >= 12
    # Proxies of group B: its area names and dialect words turn up mostly in its calls.
    b_words = r"\b(?:Northgate|Riverside|Carrowfield|Eastmoor|Millbank|Sandhill|pet|summat)\b"
    has = said.str.contains(b_words)
    by_group = has.groupby(o.calls["group"]).mean()
    assert by_group["B"] > 0.6 > 0.3 > by_group["A"]


def test_speech_to_text_mishears_group_b_more_with_the_gap():
    assert run(seed=1).word_error["B"] == pytest.approx(0.19, abs=0.02)
    o = run(seed=1, asr_error_gap=0.16)
    assert o.word_error["A"] == pytest.approx(0.19, abs=0.02)
    assert o.word_error["B"] == pytest.approx(0.35, abs=0.02)
    assert o.calls["heard"].str.contains(r"\[").mean() > 0.8  # garbled words are marked


def test_label_bias_shows_in_the_past_grades_of_group_b_only():
    fair, biased = run(seed=1), run(seed=1, label_bias=0.6)
    # Past handlers grade from what callers said: some urgent calls never said why, for
    # both groups alike.
    assert abs(fair.history_missed["B"] - fair.history_missed["A"]) < 0.05
    assert biased.history_missed["A"] == fair.history_missed["A"]
    assert biased.history_missed["B"] > fair.history_missed["B"] + 0.3


def test_a_stereotype_plays_down_what_was_said_not_calls_at_random():
    w = call_world.world(1, 20000, 0.5)
    levels = call_world.heard_levels(w.factors, w.cue_said)
    urgent_b = w.group_b & (w.y_true == 1)
    fair = call_world.grade(levels, w.group_b, 0.0, w.u_past, w.u_error)
    biased = call_world.grade(levels, w.group_b, 0.5, w.u_past, w.u_error)
    turned = urgent_b & (fair == 1) & (biased == 0)
    # Group A's grades never move; group B's urgent calls are played down more often when
    # their urgency rests on one warning sign than when several serious ones were said.
    assert (fair[~w.group_b] == biased[~w.group_b]).all() and turned.any()
    serious = (levels == 2).sum(axis=1)
    one = turned[urgent_b & (fair == 1) & (serious == 1)].mean()
    many = turned[urgent_b & (fair == 1) & (serious >= 2)].mean()
    assert one > many + 0.2
    # A caller who said nothing worrying gives the stereotype nothing to act on.
    silent = urgent_b & (levels.sum(axis=1) == 0)
    assert (fair[silent] == biased[silent]).all()


# ----------------------------------------------------------------------------- bias


def test_no_bias_means_close_missed_call_rates():
    # Each world's rates wobble by a few points (about 75 urgent calls per group);
    # averaged over worlds they agree.
    assert abs(mean_over_seeds(fnr("B")) - mean_over_seeds(fnr("A"))) < 0.05


def test_label_bias_raises_group_b_misses_and_the_gap():
    assert mean_over_seeds(fnr("B"), label_bias=0.6) > mean_over_seeds(fnr("B")) + 0.12
    assert mean_over_seeds(gap, label_bias=0.6) > mean_over_seeds(gap) + 0.08


def test_asr_error_gap_raises_group_b_misses_and_the_gap():
    assert mean_over_seeds(fnr("B"), asr_error_gap=0.3) > mean_over_seeds(fnr("B")) + 0.05
    assert mean_over_seeds(gap, asr_error_gap=0.3) > mean_over_seeds(gap) + 0.03


def test_unfair_past_travels_through_the_groups_words():
    def b_minus_a(o):
        push = proxy_push(o)
        return (push["area B"] + push["dialect"]) / 2 - push["area A"]

    assert mean_over_seeds(b_minus_a, label_bias=0.6) < mean_over_seeds(b_minus_a) - 0.3


# ----------------------------------------------------------------------------- a fix


def test_without_a_fix_nothing_is_left_to_chance():
    for s in SEEDS:
        o = run(seed=s, **HIGH)
        assert o.coin_toss_share == 0 == o.chance_decided_share
        assert not o.calls["coin_toss"].any()
        assert set(o.calls["chance"]) <= {0.0, 1.0} and o.set_aside == {}


def test_coin_tosses_are_real_toss_ups_and_what_the_draw_settled():
    for s in SEEDS:
        o = run(seed=s, mitigation="threshold_optimizer", **HIGH)
        chance = o.calls["chance"].to_numpy()
        tossed = o.calls["coin_toss"].to_numpy()
        # A real toss-up: a chance of being fast-tracked between 20 and 80 in 100 (the
        # table holds the first calls: about the same share as all of them).
        assert o.coin_toss_share == pytest.approx(tossed.mean(), abs=0.03)
        assert ((chance >= 0.2) & (chance <= 0.8) == tossed).all()
        # The share the draw settled against the likelier outcome.
        assert o.chance_decided_share == pytest.approx(
            np.minimum(chance, 1 - chance).mean(), abs=0.02)
        # A sliver of chance on every call of a group (Fairlearn's p_ignore) does not
        # make every call a coin toss: few are real toss-ups, and few were settled by
        # the draw.
        rules = o.model.model.interpolated_thresholder_.interpolation_dict
        assert o.set_aside == {str(g): pytest.approx(float(r["p_ignore"]))
                               for g, r in rules.items()}
        assert o.coin_toss_share < 0.15 and o.chance_decided_share < 0.1
        assert o.chance_decided_share <= 0.5 * ((chance > 0) & (chance < 1)).mean()


def test_a_coin_toss_goes_either_way_across_draws():
    o = run(seed=1, mitigation="threshold_optimizer", **HIGH)
    toss_up = o.calls.index[o.calls["chance"].between(0.2, 0.8)]
    assert len(toss_up) > 5
    fast = o.calls.loc[toss_up, "ai_decision"] == "fast_track"
    assert 0 < fast.mean() < 1


def test_the_fix_is_compared_with_the_same_data_without_the_rule():
    # Retraining on 500 checked calls: the rule itself costs little; learning from 500
    # calls instead of 2,000 costs much more. Comparing with the AI trained on every past
    # call would have blamed the rule for the small sample.
    eg = dict(mitigation="exponentiated_gradient")
    rule_cost, sample_cost = [], []
    for s in SEEDS:
        fixed = run(seed=s, **eg)
        plain = run(seed=s)
        assert fixed.without_fix is not None
        rule_cost.append(fixed.rates["A"]["false_negative_rate"]
                         - fixed.without_fix.rates["A"]["false_negative_rate"])
        sample_cost.append(fixed.without_fix.rates["A"]["false_negative_rate"]
                           - plain.rates["A"]["false_negative_rate"])
    assert abs(np.mean(rule_cost)) < 0.05
    assert np.mean(sample_cost) > 0.1


def test_different_cut_offs_close_the_gap_and_group_a_pays_for_it():
    def before(g):
        return lambda o: o.without_fix.rates[g]["false_negative_rate"]

    to = dict(mitigation="threshold_optimizer", **HIGH)
    assert mean_over_seeds(gap, **to) < mean_over_seeds(lambda o: gap(o.without_fix), **to) - 0.1
    assert mean_over_seeds(fnr("B"), **to) < mean_over_seeds(before("B"), **to)
    assert mean_over_seeds(fnr("A"), **to) > mean_over_seeds(before("A"), **to) + 0.05
    for s in SEEDS:  # it does not close the gap by fast-tracking nobody
        assert disparities(run(seed=s, **to))["selection_rate"] > 0.15


# ----------------------------------------------------------------------------- a person checks


def test_review_starts_nearest_the_cut_off():
    for mitigation in ("none", "threshold_optimizer"):
        o = run(seed=1, human_review_share=0.3, mitigation=mitigation, **HIGH)
        distance = (o.calls["urgency"] - o.calls["cutoff"]).abs()
        checked = o.calls["reviewed"]
        assert distance[checked].max() <= distance[~checked].min() + 1e-3
        assert o.review_margin == pytest.approx(distance[checked].max(), abs=1e-3)


def test_review_caught_is_the_share_of_missed_urgent_calls_put_right():
    for s in SEEDS:
        o = run(seed=s, human_review_share=0.3, **HIGH)
        missed = (o.y_true == 1) & (o.ai_pred == 0)
        put_right = missed & (o.ai_final == 1)  # only a check changes a decision
        assert o.review_caught == pytest.approx(put_right.sum() / missed.sum())
        alarms = (o.y_true == 0) & (o.ai_pred == 1)
        sent_back = alarms & (o.ai_final == 0)
        assert o.review["false_alarms_removed"] == pytest.approx(sent_back.sum() / alarms.sum())
        c = o.calls  # ... and the table of calls says the same, call by call
        shown = (c["reviewed"] & (c["final_decision"] == "fast_track")).to_numpy()
        assert (shown == (c["reviewed"].to_numpy() & (o.ai_final[:len(c)] == 1))).all()
    assert run(seed=1).review_caught == 0


def test_more_checking_puts_more_right_and_checking_near_the_cut_off_pays():
    caught = [mean_over_seeds(lambda o: o.review_caught, human_review_share=s)
              for s in (0.0, 0.1, 0.3, 0.5)]
    assert caught == sorted(caught) and caught[0] == 0
    # Checking the 30 in 100 calls nearest the cut-off finds more than 30 in 100 of the
    # urgent calls the AI missed: those sit near the cut-off more often than not.
    assert caught[2] > 0.4
    o = run(seed=1, human_review_share=0.3)
    curve = o.review_curve.set_index(o.review_curve["share"].round(2))
    for g in "AB":
        assert curve.loc[0.0, f"missed[{g}]"] == pytest.approx(
            run(seed=1).rates[g]["false_negative_rate"])
        assert curve.loc[0.3, f"missed[{g}]"] == pytest.approx(o.rates[g]["false_negative_rate"])
        assert curve.loc[0.5, f"missed[{g}]"] < curve.loc[0.0, f"missed[{g}]"]


def test_a_biased_checker_puts_right_fewer_of_group_b_missed_calls():
    fair = dict(human_review_share=0.3)
    biased = dict(human_review_share=0.3, reviewer_bias=0.5)

    def caught(g):
        return lambda o: o.review[f"caught[{g}]"]

    assert mean_over_seeds(caught("B"), **biased) < mean_over_seeds(caught("B"), **fair) - 0.2
    assert mean_over_seeds(caught("A"), **biased) == pytest.approx(
        mean_over_seeds(caught("A"), **fair))
    assert mean_over_seeds(fnr("B"), **biased) > mean_over_seeds(fnr("B"), **fair) + 0.1


# ----------------------------------------------------------------------------- people without AI


def test_people_decide_the_same_calls_with_the_same_work_and_the_same_truth():
    for s in SEEDS:
        o = run(seed=s, decided_by="people", people_bias=0.4, human_review_share=0.3,
                mitigation="threshold_optimizer")
        assert (o.y_pred == o.people_pred).all() and o.people is o
        assert isinstance(o.ai, Outcome) and o.ai is not o
        assert o.hours_saved == 0 and o.coin_toss_share == 0 and o.review_caught == 0
        shown = o.people_pred[:CALLS_SHOWN]
        assert ((o.calls["final_decision"] == "fast_track").to_numpy() == shown).all()
        # As many calls fast-tracked as the AI's path, on the same calls and truth.
        assert (o.people.y_true == o.ai.y_true).all()
        assert abs(o.people_pred.sum() - o.ai_final.sum()) <= 0.1 * o.ai_final.sum()


def test_peoples_gap_is_measured_from_what_they_heard_never_set():
    # No stereotype: the people's gap is chance; a stereotype raises it, by an amount
    # that depends on what callers said, not equal to the slider.
    fair = mean_over_seeds(missed_gap, decided_by="people")
    gaps = [mean_over_seeds(lambda o: o.rates["B"]["false_negative_rate"]
                            - o.rates["A"]["false_negative_rate"], decided_by="people",
                            people_bias=b) for b in (0.2, 0.4, 0.8)]
    assert fair < 0.04
    assert gaps == sorted(gaps) and gaps[0] > 0.05
    assert all(abs(g - b) > 0.05 for g, b in zip(gaps, (0.2, 0.4, 0.8), strict=True))


def test_an_ai_trained_on_fair_records_can_be_fairer_than_biased_people():
    o = [run(**BY_KEY["biased_people"].replace(seed=s).to_dict()) for s in MORE_SEEDS]
    assert all(missed_gap(x.ai) < missed_gap(x.people) - 0.1 for x in o)
    assert np.mean([missed_gap(x) for x in o]) > 0.2  # the strip shows the people


def test_an_ai_trained_on_biased_records_can_be_worse_than_people():
    o = [run(**BY_KEY["ai_worse"].replace(seed=s).to_dict()) for s in MORE_SEEDS]
    worse = [missed_gap(x.ai) > missed_gap(x.people) for x in o]
    assert sum(worse) >= 4
    assert np.mean([missed_gap(x.ai) - missed_gap(x.people) for x in o]) > 0.1


# ----------------------------------------------------------------------------- hours


def test_hours_saved_are_net_of_what_missed_urgent_calls_cost_later():
    for s in SEEDS:
        o = run(seed=s, human_review_share=0.3)
        h = o.hours
        assert h["people"] == pytest.approx(100 * PERSON_MINUTES / 60)
        fast = (o.y_pred == 1).sum() * 100 / N_TEST
        assert h["fast_track"] == pytest.approx(fast * FAST_TRACK_MINUTES / 60, abs=0.05)
        assert h["review"] == pytest.approx(30 * REVIEW_MINUTES / 60, abs=0.05)
        missed = ((o.y_true == 1) & (o.y_pred == 0)).sum() * 100 / N_TEST
        assert h["missed"] == pytest.approx(missed * MISSED_URGENT_MINUTES / 60, abs=0.05)
        assert h["ai"] == pytest.approx(h["fast_track"] + h["review"] + h["missed"])
        assert o.hours_saved == pytest.approx(10 * (h["people"] - h["ai"]))
        assert numbers_shown(o)["hours_saved_unit"] == "net call-handler hours per 1,000 calls"
    # A missed urgent call costs far more later than a check costs now, so checking the
    # calls nearest the cut-off pays for itself.
    checks = [mean_over_seeds(lambda o: o.hours_saved, human_review_share=r) for r in (0, 0.3)]
    assert checks[1] > checks[0]


def test_missing_more_urgent_calls_never_looks_like_saving_more():
    for s in SEEDS:
        curve = run(seed=s).hours_by_cutoff
        # Along the cut-offs, whenever more urgent calls are missed, fewer hours are saved.
        more_missed = np.diff(curve["missed"].to_numpy()) > 0.005
        assert (np.diff(curve["hours_saved"].to_numpy())[more_missed] <= 0).all()
        assert curve["hours_saved"].iloc[-1] < curve["hours_saved"].max()
        # The page's point is on the curve.
        at = curve[np.isclose(curve["cutoff"], 0.3)].iloc[0]
        assert at["hours_saved"] == run(seed=s).hours_saved
    # A more biased AI misses more of group B's urgent calls, and saves less.
    assert mean_over_seeds(lambda o: o.hours_saved, **HIGH) < mean_over_seeds(
        lambda o: o.hours_saved)


# ----------------------------------------------------------------------------- listen in


@pytest.fixture(scope="module")
def outcome():
    return run(seed=1)


def test_listen_in_hears_urgency_and_calm(outcome):
    urgent = listen_in(outcome, text="He's got a knife and he's kicking the door in right now",
                       through_speech_to_text=False)
    calm = listen_in(outcome, text="I think I left my wallet on the bus yesterday",
                     through_speech_to_text=False)
    assert isinstance(urgent, Heard)
    assert urgent.decision == "fast_track" and calm.decision != "fast_track"
    assert urgent.urgency > 0.7 > 0.3 > calm.urgency
    assert urgent.cutoff == pytest.approx(0.3) and not urgent.coin_toss
    assert "knife" in [w for w, push in urgent.drivers if push > 0]
    assert urgent.heard == urgent.said and not urgent.notes


def test_listen_in_a_picked_call_matches_the_table():
    o = run(seed=1, mitigation="threshold_optimizer", human_review_share=0.2, **HIGH)
    for i in example_calls(o):
        heard = listen_in(o, call=i)
        row = o.calls.iloc[i]
        assert heard.said == row["said"] and heard.heard == row["heard"]
        assert heard.decision == row["ai_decision"] and heard.true_need == row["true_need"]
        assert heard.group == row["group"] and heard.kind == row["kind"] and heard.drivers
        assert heard.coin_toss == row["coin_toss"] and heard.reviewed == row["reviewed"]
        assert len(heard.words) == len(row["said"].split(" "))


def test_example_calls_cover_both_groups_misses_and_coin_tosses():
    o = run(seed=1, mitigation="threshold_optimizer", **HIGH)
    rows = o.calls.iloc[example_calls(o)]
    assert len(rows) == 12 and set(rows["group"]) == {"A", "B"}
    missed = (rows["true_need"] == "fast_track") & (rows["ai_decision"] != "fast_track")
    assert missed.any() and rows["coin_toss"].any()
    assert rows["chance"].between(0.2, 0.8).any()  # a real toss-up to listen to


def test_typed_text_through_group_b_speech_to_text_loses_more_words():
    o = run(seed=1, asr_error_gap=0.3)
    text = ("My neighbour is shouting and I think he has got a knife and there is blood "
            "everywhere and she is not breathing properly please help ") * 4
    a = listen_in(o, text=text, group="A")
    b = listen_in(o, text=text, group="B")

    def broken(h):
        return sum(s != "ok" for *_, s in h.words) / len(h.words)

    assert broken(b) > broken(a) + 0.15
    assert listen_in(o, text=text, group="B").heard == b.heard  # same text, same hearing
    assert "[" in b.heard


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "empty"),
        ("    \n\t ", "empty"),
        ("😀😀🚓", "empty"),
        ("Bonjour, je voudrais signaler un vol de vélo", "unknown"),
        ("Mae rhywun wedi dwyn fy meic", "unknown"),
        ("警察を呼んでください", "unknown"),
        ("<script>alert('x')</script> **bold** [link](http://x)", "unknown"),
        ("knife " * 2000, "cut_short"),
        ("Robert'); DROP TABLE calls;-- knife", None),
        (None, "empty"),
    ],
)
def test_typed_text_of_any_kind_gets_an_answer_or_a_note(outcome, text, code):
    heard = listen_in(outcome, text=text, group="B")
    assert isinstance(heard, Heard)
    codes = [c for c, _values in heard.notes]
    if code:
        assert code in codes
    if code == "cut_short":
        assert dict(heard.notes)["cut_short"] == {"n": 2000}
    if heard.decision:
        assert heard.decision in {"fast_track", "advise", "signpost"}
        assert 0 <= heard.urgency <= 1
    else:
        assert codes  # no decision is always explained
    for c, values in heard.notes:  # codes with values, never sentences
        assert re.fullmatch(r"[a-z_]+", c) and isinstance(values, dict)


def test_listen_in_a_call_a_person_would_check():
    o = run(seed=1, human_review_share=1.0)
    heard = listen_in(o, text="There's been a crash on Station Road", group="A")
    assert heard.reviewed


# ----------------------------------------------------------------------------- presets


def test_presets_are_valid_named_scenarios_with_a_two_sentence_script():
    assert 5 <= len(PRESETS) <= 7
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for p in PRESETS:
        assert isinstance(p, Preset) and isinstance(p.config, TriageConfig)
        validate(p.config)
        assert len(re.findall(r"[.!?](\s|$)", p.script)) == 2, p.key


def test_presets_show_what_their_scripts_claim():
    # On the presets themselves (what the room sees); over 30 towns in tests/test_claims.py.
    def at(key, **kw):
        return run(**BY_KEY[key].replace(**kw).to_dict())

    assert gap(at("fair_start")) < 0.1
    assert fnr("B")(at("misheard")) > fnr("A")(at("misheard"))
    assert at("misheard").word_error["B"] == pytest.approx(0.35, abs=0.02)
    assert gap(at("biased_history")) > gap(at("fair_start")) + 0.1
    fixed = at("a_fix")
    assert missed_gap(fixed) < missed_gap(at("biased_history")) - 0.05
    assert fixed.chance_decided_share > 0
    loop = at("human_in_the_loop")
    assert loop.review["caught[B]"] < loop.review["caught[A]"]  # harder on group B
    assert loop.hours["review"] == pytest.approx(30 * REVIEW_MINUTES / 60, abs=0.05)
    people = at("biased_people")
    assert people.config.decided_by == "people"
    assert abs(people.history_missed["B"] - people.history_missed["A"]) < 0.05
    assert at("ai_worse").history_missed["B"] > at("ai_worse").history_missed["A"] + 0.4


def test_fair_towns_read_fair():
    # The fair start's headline gap moves by at most 3 points from town to town.
    gaps = [missed_gap(simulate(TriageConfig(seed=s), lean=True)) for s in range(100, 130)]
    signed = [simulate(TriageConfig(seed=s), lean=True) for s in range(100, 112)]
    assert np.std([o.rates["B"]["false_negative_rate"] - o.rates["A"]["false_negative_rate"]
                   for o in signed]) <= 0.03
    assert np.mean(gaps) < 0.05


def test_lean_outcomes_hold_the_same_numbers():
    config = TriageConfig(label_bias=0.3, human_review_share=0.2, decided_by="people",
                          people_bias=0.3, seed=4)
    full, lean = simulate(config), simulate(config, lean=True)
    assert lean.calls is None and full.calls is not None
    assert numbers_shown(lean) == numbers_shown(full)
    assert (lean.people_pred == full.people_pred).all()
    pd.testing.assert_frame_equal(lean.hours_by_cutoff, full.hours_by_cutoff)


def test_a_fix_retrained_on_past_marks_leaves_more_of_the_gap():
    # Past marks played down what group B said: the AI retrained under the fairness rule
    # on those marks leaves more of the true gap than retrained on calls checked by hand
    # (the page warns only when a town shows it beyond chance: ui/call_triage_claims.py).
    more = []
    for s in (2, 3):
        base = TriageConfig(label_bias=0.6, mitigation="exponentiated_gradient", seed=s)
        audit = simulate(base, lean=True)
        history = simulate(base.replace(mitigation_data="history"), lean=True)
        more.append(missed_gap(history) - missed_gap(audit))
    assert min(more) > 0 and np.mean(more) > 0.05
