"""The 101-call simulator: its contract, and what its page must be able to show.

Behaviour is asserted averaged over a few seeds, on the page's default world size
(the speech-to-text effect needs the 2,000 past calls to show above the noise).
"""

import functools
import json
import re

import numpy as np
import pandas as pd
import pytest

from simulators import call_triage
from simulators.call_triage import (
    DATA_PATH,
    N_TEST,
    PRESETS,
    Heard,
    TriageConfig,
    TriageOutcome,
    example_calls,
    fix_cost,
    kinds_of_call,
    listen_in,
    proxy_push,
    simulate,
)
from simulators.config import Preset, settings_of, validate
from simulators.fairness import disparities, summary

SEEDS = (1, 2, 3)
SMALL: dict = {}


@functools.cache
def _run(**kw) -> TriageOutcome:
    return simulate(TriageConfig(**kw))


def run(**kw) -> TriageOutcome:
    return _run(**{**SMALL, **kw})


def mean_over_seeds(fn, **kw) -> float:
    return float(np.mean([fn(run(seed=s, **kw)) for s in SEEDS]))


def fnr(group):
    return lambda o: float(o.fairness.by_group.loc[group, "false_negative_rate"])


def gap(o) -> float:
    return disparities(o)["equalized_odds_difference"]


# ----------------------------------------------------------------------------- contract


def test_config_fields_and_defaults_are_the_binding_ones():
    names = [n for n, _m, _d in settings_of(TriageConfig)]
    for name in ("n_calls", "group_b_share", "label_bias", "asr_error_gap",
                 "fast_track_threshold", "mitigation", "human_review_share", "seed"):
        assert name in names
    c = TriageConfig()
    assert c.label_bias == 0 and c.asr_error_gap == 0 and c.mitigation == "none"
    meta = {n: m for n, m, _ in settings_of(TriageConfig)}
    assert (meta["group_b_share"].min, meta["group_b_share"].max) == (0.05, 0.5)
    assert (meta["label_bias"].min, meta["label_bias"].max) == (0, 0.8)
    assert (meta["asr_error_gap"].min, meta["asr_error_gap"].max) == (0, 0.3)
    assert (meta["human_review_share"].min, meta["human_review_share"].max) == (0, 1)
    assert meta["mitigation"].choices == ("none", "threshold_optimizer", "exponentiated_gradient")
    for _name, m, _default in settings_of(TriageConfig):
        assert m.label and len(m.help) > 20  # every setting is explained


@pytest.mark.parametrize(
    "field, value",
    [
        ("n_calls", 100), ("n_calls", 50_000), ("group_b_share", 0.6),
        ("group_b_share", 0.01), ("label_bias", 0.9), ("label_bias", -0.1),
        ("asr_error_gap", 0.31), ("fast_track_threshold", 0.99),
        ("mitigation", "magic"), ("mitigation_data", "rumour"),
        ("human_review_share", 1.5), ("audit_size", 10), ("seed", -1),
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
    assert o.terms.harm == "false_negative_rate" and o.terms.unit == "calls"
    cols = {"group", "kind", "said", "heard", "true_need", "ai_decision", "confidence",
            "urgency", "reviewed", "final_decision"}
    assert cols <= set(o.calls.columns) and len(o.calls) == N_TEST
    assert set(o.calls["true_need"]) == {"fast_track", "advise", "signpost"}
    assert set(o.calls["ai_decision"]) <= {"fast_track", "advise", "signpost"}
    assert ((o.calls["true_need"] == "fast_track").to_numpy() == (o.y_true == 1)).all()
    assert ((o.calls["final_decision"] == "fast_track").to_numpy() == (o.y_pred == 1)).all()
    assert o.calls["confidence"].between(0, 1).all()
    assert o.calls["reviewed"].mean() == pytest.approx(0.2, abs=0.001)
    # The reviewed calls are the ones the AI was least sure of.
    assert (o.calls.loc[o.calls["reviewed"], "confidence"].max()
            <= o.calls.loc[~o.calls["reviewed"], "confidence"].min())
    for key in ("calls_checked", "hours", "errors_caught", "errors_left", "ai_errors"):
        assert key in o.workload
    assert list(o.review_curve["share"]) == pytest.approx(np.linspace(0, 1, 21))
    json.dumps(summary(o))


def test_same_seed_same_calls_other_seed_other_calls():
    tiny = dict(n_calls=500, audit_size=100, label_bias=0.3, human_review_share=0.2)
    a = simulate(TriageConfig(seed=5, **tiny))
    call_triage._world.cache_clear()  # build the town again from its seed
    b = simulate(TriageConfig(seed=5, **tiny))
    c = simulate(TriageConfig(seed=6, **tiny))
    assert (a.y_pred == b.y_pred).all() and (a.y_true == b.y_true).all()
    pd.testing.assert_frame_equal(a.calls, b.calls)
    assert a.workload == b.workload
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
    o = run(seed=1, label_bias=0.6)
    assert o.history_missed["B"] == pytest.approx(0.6, abs=0.1)
    assert o.history_missed["A"] < 0.1


# ----------------------------------------------------------------------------- must show


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


HIGH = dict(label_bias=0.6, asr_error_gap=0.16)


def test_threshold_optimizer_on_audited_calls_closes_the_gap_and_says_the_cost():
    plain_gap = mean_over_seeds(gap, **HIGH)
    fixed_gap = mean_over_seeds(gap, mitigation="threshold_optimizer", **HIGH)
    assert fixed_gap < plain_gap - 0.1
    for s in SEEDS:
        plain = run(seed=s, **HIGH)
        fixed = run(seed=s, mitigation="threshold_optimizer", **HIGH)
        cost = fix_cost(fixed, plain)
        # It does not close the gap by fast-tracking nobody: it fast-tracks more.
        assert cost["after"]["fast_tracked"] > 0.15
        assert cost["after"]["fast_tracked"] >= cost["before"]["fast_tracked"]
        assert cost["extra_fast_tracked_per_1000"] > 0
        assert set(cost["after"]) == {"gap", "fast_tracked", "right", "missed[A]",
                                      "missed[B]", "false_alarm[A]", "false_alarm[B]"}


def test_a_fix_fitted_on_past_grades_learns_the_bias_back():
    to = dict(mitigation="threshold_optimizer", **HIGH)
    audited = mean_over_seeds(gap, mitigation_data="audit", **to)
    history = mean_over_seeds(gap, mitigation_data="history", **to)
    assert history > audited + 0.05


def test_exponentiated_gradient_retrains_and_lowers_the_gap():
    # One world only: this mitigation retrains many models and is the slow one.
    cfg = dict(seed=2, **HIGH)
    plain = simulate(TriageConfig(**cfg))
    fixed = simulate(TriageConfig(mitigation="exponentiated_gradient", **cfg))
    assert gap(fixed) < gap(plain)
    assert 0.1 < disparities(fixed)["selection_rate"] < 0.6
    assert fixed.fitted_on == "audit" and plain.fitted_on == "history"


def test_more_human_review_catches_more_errors_and_costs_more_hours():
    o = run(seed=1, human_review_share=0.3, **HIGH)
    curve = o.review_curve.set_index(o.review_curve["share"].round(2))
    # Checking more calls, least sure first, catches more and takes more hours.
    assert curve["errors_caught"].is_monotonic_increasing
    assert curve["hours"].is_monotonic_increasing
    assert curve.loc[0.0, "errors_caught"] == 0 == curve.loc[0.0, "hours"]
    assert curve.loc[0.5, "errors_caught"] > curve.loc[0.1, "errors_caught"] > 0
    # 1,000 calls at six minutes each: 300 checks is 30 hours.
    assert o.workload["hours"] == pytest.approx(30) == curve.loc[0.3, "hours"]
    assert o.workload["errors_caught"] == curve.loc[0.3, "errors_caught"]
    assert o.workload["errors_left"] < o.workload["ai_errors"]
    # The curve tells the truth about the decisions made.
    assert o.workload["errors_left"] == (o.y_pred != o.y_true).sum()
    assert o.workload["ai_errors"] == (o.ai_pred != o.y_true).sum()
    # Most of what the AI gets wrong is caught in the first 30 in 100 calls checked.
    assert o.workload["errors_caught"] > 0.5 * o.workload["ai_errors"]


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
    assert "knife" in [w for w, push in urgent.drivers if push > 0]
    assert urgent.heard == urgent.said and not urgent.message


def test_listen_in_a_picked_call_matches_the_table(outcome):
    for i in example_calls(outcome):
        heard = listen_in(outcome, call=i)
        row = outcome.calls.iloc[i]
        assert heard.said == row["said"] and heard.heard == row["heard"]
        assert heard.decision == row["ai_decision"] and heard.true_need == row["true_need"]
        assert heard.group == row["group"] and heard.drivers
        assert len(heard.words) == len(row["said"].split(" "))


def test_example_calls_cover_both_groups_and_misses():
    o = run(seed=1, **HIGH)
    rows = o.calls.iloc[example_calls(o)]
    assert len(rows) == 12 and set(rows["group"]) == {"A", "B"}
    missed = (rows["true_need"] == "fast_track") & (rows["ai_decision"] != "fast_track")
    assert missed.any()


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
    "text, expect",
    [
        ("", "no words"),
        ("    \n\t ", "no words"),
        ("😀😀🚓", "no words"),
        ("Bonjour, je voudrais signaler un vol de vélo", "knows none"),
        ("Mae rhywun wedi dwyn fy meic", "knows none"),
        ("警察を呼んでください", "knows none"),
        ("<script>alert('x')</script> **bold** [link](http://x)", "knows none"),
        ("knife " * 2000, "first 2,000 characters"),
        ("Robert'); DROP TABLE calls;-- knife", ""),
        (None, "no words"),
    ],
)
def test_typed_text_of_any_kind_gets_an_answer_or_a_clear_message(outcome, text, expect):
    heard = listen_in(outcome, text=text, group="B")
    assert isinstance(heard, Heard)
    if expect:
        assert expect in heard.message
    if heard.decision:
        assert heard.decision in {"fast_track", "advise", "signpost"}
        assert 0 <= heard.confidence <= 1
    else:
        assert heard.message  # no decision is always explained


def test_listen_in_a_call_a_person_would_check():
    o = run(seed=1, human_review_share=1.0)
    heard = listen_in(o, text="There's been a crash on Station Road", group="A")
    assert heard.reviewed


# ----------------------------------------------------------------------------- presets


def test_presets_are_valid_named_scenarios_with_a_two_sentence_script():
    assert 3 <= len(PRESETS) <= 5
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for p in PRESETS:
        assert isinstance(p, Preset) and isinstance(p.config, TriageConfig)
        validate(p.config)
        assert len(re.findall(r"[.!?](\s|$)", p.script)) == 2, p.key


def test_presets_show_what_their_scripts_claim():
    by_key = {p.key: p.config for p in PRESETS}

    def avg(fn, key):  # on the preset itself: what the room sees
        return fn(_run(**by_key[key].to_dict()))

    assert avg(gap, "fair_start") < 0.1
    assert avg(fnr("B"), "misheard") > avg(fnr("A"), "misheard")
    assert avg(gap, "biased_history") > avg(gap, "fair_start") + 0.1
    assert avg(gap, "a_fix") < avg(gap, "biased_history") - 0.1
    assert avg(lambda o: o.workload["errors_caught"], "human_in_the_loop") > 50
    assert avg(fnr("B"), "human_in_the_loop") > avg(fnr("A"), "human_in_the_loop")
    loop = _run(**by_key["human_in_the_loop"].to_dict()).workload
    assert loop["urgent_caught"] < loop["urgent_missed_by_ai"] / 2  # sure, and wrong
    assert avg(lambda o: o.workload["hours"], "human_in_the_loop") == pytest.approx(30)
    assert avg(lambda o: disparities(o)["accuracy"], "human_in_the_loop") > avg(
        lambda o: disparities(o)["accuracy"], "a_fix"
    )
