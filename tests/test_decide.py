"""Decide first, the core: balanced cases from the AI's own town, their truth and the
AI's decision, and the room scored against the AI on exactly the same cases."""

import numpy as np
import pandas as pd
import pytest

from simulators import decide
from simulators.call_triage import TriageConfig
from simulators.call_triage import simulate as simulate_calls
from simulators.reoffending import RiskConfig
from simulators.reoffending import simulate as simulate_risk
from workshop.analysis import people_vs_ai

SMALL_CALLS = TriageConfig(n_calls=600, audit_size=100)
CONFIGS = {"call_triage": SMALL_CALLS, "reoffending": RiskConfig(n_people=600)}


@pytest.mark.parametrize("use_case", list(CONFIGS))
@pytest.mark.parametrize("seed", [1, 7, 40])
def test_each_draw_is_balanced_between_groups_and_truths(use_case, seed):
    config = CONFIGS[use_case].replace(seed=seed)
    for draw in range(4):
        dealt = decide.cases(use_case, config, n=8, draw=draw)
        assert list(dealt.columns[:5]) == decide.COLUMNS
        counts = dealt.groupby(["group", "truth"]).size().to_dict()
        assert counts == {("A", 0): 2, ("A", 1): 2, ("B", 0): 2, ("B", 1): 2}
        assert dealt["case_id"].is_unique and set(dealt["ai"]) <= {0, 1}
        assert all(isinstance(c, str) for c in dealt["case_id"])
    six = decide.cases(use_case, config, n=6)
    assert six.groupby("group").size().to_dict() == {"A": 3, "B": 3}
    assert six.groupby("group")["truth"].sum().to_dict() == {"A": 2, "B": 2}


def test_draws_differ_and_ids_are_stable_for_a_town_whatever_the_bias():
    fair = [decide.cases("call_triage", SMALL_CALLS, draw=d) for d in range(decide.ROOM_DRAWS)]
    ids = [set(f["case_id"]) for f in fair]
    assert not (ids[0] & ids[1]) and not (ids[1] & ids[2]) and not (ids[0] & ids[2])
    again = decide.cases("call_triage", SMALL_CALLS, draw=1)
    assert list(again["case_id"]) == list(fair[1]["case_id"])
    biased = SMALL_CALLS.replace(label_bias=0.6, asr_error_gap=0.2)
    moved = decide.cases("call_triage", biased, draw=1)
    assert list(moved["case_id"]) == list(fair[1]["case_id"])
    other_town = decide.cases("call_triage", SMALL_CALLS.replace(seed=2), draw=1)
    assert not set(other_town["case_id"]) & ids[1]


def test_the_truth_and_the_ai_are_the_outcomes_own():
    calls = simulate_calls(SMALL_CALLS)
    dealt = decide.cases_of("call_triage", calls, SMALL_CALLS, draw=2)
    rows = dealt.index.to_numpy()
    assert (dealt["truth"].to_numpy() == calls.y_true[rows]).all()
    assert (dealt["ai"].to_numpy() == calls.ai_pred[rows]).all()
    assert list(dealt["shown"]) == list(calls.calls["said"].iloc[rows])  # the caller's words
    assert (dealt["group"].to_numpy() == calls.sensitive.to_numpy()[rows]).all()
    # facts() says the same for the same ids, in the order asked.
    ids = list(dealt["case_id"])[::-1]
    found = decide.facts("call_triage", calls, SMALL_CALLS, ids)
    assert list(found["case_id"]) == ids
    assert found.set_index("case_id").loc[ids, "ai"].tolist() == dealt.set_index(
        "case_id").loc[ids, "ai"].tolist()
    with pytest.raises(ValueError, match="not cases of this town"):
        decide.facts("call_triage", calls, SMALL_CALLS, ["call-99999-zzzz"])


def test_the_custody_officer_reads_the_records_the_patrols_inflated():
    fair_config = RiskConfig(n_people=600)
    patrolled_config = fair_config.replace(historic_patrol_bias=1.0)
    fair = decide.table("reoffending", simulate_risk(fair_config), fair_config)
    patrolled_outcome = simulate_risk(patrolled_config)
    patrolled = decide.table("reoffending", patrolled_outcome, patrolled_config)
    assert list(fair["case_id"]) == list(patrolled["case_id"])  # the same people
    b = fair["group"] == "B"
    assert (patrolled.loc[~b, "arrests"] == fair.loc[~b, "arrests"]).all()
    assert (patrolled.loc[b, "arrests"] >= fair.loc[b, "arrests"]).all()
    assert patrolled.loc[b, "arrests"].mean() > 1.3 * fair.loc[b, "arrests"].mean()
    assert (patrolled["arrests"].to_numpy()
            == patrolled_outcome.people["arrests"].to_numpy()).all()
    assert (patrolled["ai"].to_numpy() == patrolled_outcome.people["ai_flagged"]).all()
    assert "arrests on record" in patrolled["shown"].iloc[0]


def test_odd_requests_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="even number"):
        decide.cases("call_triage", SMALL_CALLS, n=7)
    with pytest.raises(ValueError, match="even number"):
        decide.cases("call_triage", SMALL_CALLS, n=2)
    with pytest.raises(ValueError, match="draw"):
        decide.cases("call_triage", SMALL_CALLS, draw=-1)
    with pytest.raises(ValueError, match="no cases"):
        decide.cases("hotspots")
    with pytest.raises(ValueError, match="TriageConfig"):
        decide.cases("call_triage", RiskConfig())
    assert decide.supports("call_triage") and decide.supports("reoffending")
    assert not decide.supports("evidence") and not decide.supports("hotspots")
    assert decide.harm("call_triage") == "missed"
    assert decide.harm("reoffending") == "wrongly_flagged"


def test_the_chance_band_is_wide_for_few_cases_and_narrow_for_many():
    assert decide.chance_band(3, 14, 6, 14) == pytest.approx(0.35, abs=0.01)
    assert decide.chance_band(30, 140, 60, 140) < 0.12
    assert decide.chance_band(0, 0, 1, 4) is None
    assert decide.chance_band(0, 10, 0, 10) == 0


# -- the room against the AI ----------------------------------------------------------


def frame(rows, use_case="call_triage"):
    """Decisions as ``Store.decisions`` gives them: (person, case, group, truth, ai, me)."""
    return pd.DataFrame(
        [{"participant_id": p, "use_case": use_case, "case_id": c, "group": g, "truth": t,
          "ai": a, "person": m} for p, c, g, t, a, m in rows])


def test_people_and_ai_are_scored_on_the_same_rows():
    df = frame([
        # urgent calls: p1 and p2 both decide case u1; the AI missed it, p1 did not.
        ("p1", "u1", "B", 1, 0, 1), ("p2", "u1", "B", 1, 0, 0), ("p3", "u1", "B", 1, 0, 1),
        ("p1", "u2", "A", 1, 1, 1), ("p1", "w1", "A", 0, 0, 0), ("p2", "w1", "A", 0, 0, 1),
    ])
    r = people_vs_ai(df)
    assert r["people"]["n"] == r["ai"]["n"] == 6
    assert r["people"]["harmed"] == {"A": (0, 1), "B": (1, 3)}
    assert r["ai"]["harmed"] == {"A": (0, 1), "B": (3, 3)}
    assert r["people"]["missed_by_group"] == {"A": 0.0, "B": pytest.approx(1 / 3)}
    assert r["ai"]["missed_by_group"] == {"A": 0.0, "B": 1.0}
    assert r["people"]["accuracy"] == pytest.approx(4 / 6)
    assert r["ai"]["accuracy"] == pytest.approx(3 / 6)
    # The majority: u1 fast-tracked (2 of 3), u2 fast-tracked, w1 split evenly: left out.
    m = r["majority"]
    assert (m["n"], m["ties"], m["accuracy"]) == (2, 1, 1.0)
    assert m["missed_by_group"] == {"A": 0.0, "B": 0.0}
    assert m["ai"]["harmed"] == {"A": (0, 1), "B": (1, 1)}
    assert (r["people_count"], r["cases"], r["harm"]) == (3, 3, "missed")
    assert r["chance"]["B"]["difference"] == pytest.approx(2 / 3)
    assert r["chance"]["B"]["could_be_chance"]  # 1 of 3 against 3 of 3: too few to tell


def test_reoffending_counts_people_wrongly_labelled_high_risk():
    df = frame([("p1", "a", "A", 0, 1, 0), ("p1", "b", "B", 0, 1, 1),
                ("p1", "c", "B", 0, 0, 1), ("p1", "d", "B", 1, 0, 0)], "reoffending")
    r = people_vs_ai(df)
    assert r["harm"] == "wrongly_flagged"
    assert r["people"]["harmed"] == {"A": (0, 1), "B": (2, 2)}
    assert r["ai"]["missed_by_group"] == {"A": 1.0, "B": 0.5}


def test_a_difference_from_many_decisions_is_not_called_chance():
    rng = np.random.default_rng(0)
    rows = []
    for p in range(40):
        for c in range(8):
            group, truth = "AB"[c // 4], c % 2
            ai = 0 if group == "A" else truth  # the AI leaves every urgent call of A to wait
            rows.append((f"p{p}", f"c{p}-{c}", group, truth, ai,
                         truth if rng.random() < 0.95 else 1 - truth))
    r = people_vs_ai(frame(rows))
    assert r["ai"]["missed_by_group"]["A"] == 1.0 and r["people"]["missed_by_group"]["A"] < 0.2
    assert not r["chance"]["A"]["could_be_chance"]


def test_no_decisions_and_mixed_use_cases():
    empty = people_vs_ai(frame([]).reindex(columns=[
        "participant_id", "use_case", "case_id", "group", "truth", "ai", "person"]))
    assert empty["people"]["n"] == 0 and empty["people"]["accuracy"] is None
    assert empty["majority"]["n"] == 0 and empty["people_count"] == 0
    mixed = pd.concat([frame([("p", "a", "A", 1, 1, 1)]),
                       frame([("p", "b", "A", 1, 1, 1)], "reoffending")])
    with pytest.raises(ValueError, match="one use case"):
        people_vs_ai(mixed)
