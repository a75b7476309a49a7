"""Opinion groups: planted blocs of voters are found again, small groups are not shown,
and the advice that unites or divides the groups is named."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from workshop import analysis

VOTE = {1: "agree", -1: "disagree", 0: "pass"}


def planted(seed: int, blocs: int = 3, size: int = 6, items: int = 12, noise: float = 0.15,
            missing: float = 0.1) -> tuple[pd.DataFrame, dict[str, int]]:
    """``blocs`` blocs of ``size`` voters. Bloc b agrees with its own advice and
    disagrees with the next bloc's (opposite votes on different advice); everything
    else is a pass. A share ``noise`` of votes is random and ``missing`` never cast."""
    rng = np.random.default_rng(seed)
    per = items // blocs
    rows, truth = [], {}
    for b in range(blocs):
        stance = np.zeros(items, dtype=int)
        stance[b * per:(b + 1) * per] = 1
        nxt = (b + 1) % blocs
        stance[nxt * per:(nxt + 1) * per] = -1
        for i in range(size):
            who = f"p{seed}-{b}-{i}"
            truth[who] = b
            for advice in range(items):
                if rng.random() < missing:
                    continue
                v = int(rng.choice([-1, 0, 1])) if rng.random() < noise else int(stance[advice])
                rows.append((who, 100 + advice, VOTE[v]))
    votes = pd.DataFrame(rows, columns=["participant_id", "advice_id", "vote"])
    return votes.sample(frac=1, random_state=seed).reset_index(drop=True), truth


@pytest.mark.parametrize("seed", range(10))
def test_planted_blocs_are_recovered(seed):
    votes, truth = planted(seed, noise=0.1, missing=0.05)
    groups = analysis.opinion_groups(votes)
    assert list(groups.columns) == ["participant_id", "group"]
    assert len(groups) == len(truth) and groups["participant_id"].is_unique
    found = groups.set_index("participant_id")["group"]
    assert adjusted_rand_score([truth[p] for p in found.index], found.to_numpy()) == 1.0
    assert sorted(found.value_counts()) == [6, 6, 6]


def test_noisier_blocs_are_mostly_recovered_and_never_far_off():
    scores = []
    for seed in range(30):
        votes, truth = planted(seed, noise=0.15, missing=0.1)
        found = analysis.opinion_groups(votes)
        scores.append(adjusted_rand_score([truth[p] for p in found["participant_id"]],
                                          found["group"]))
    assert sum(s == 1.0 for s in scores) >= 27 and min(scores) > 0.7


@pytest.mark.parametrize("seed", range(4))
def test_two_opposed_blocs_make_two_groups(seed):
    votes, truth = planted(seed, blocs=2, size=8, items=10, noise=0.2)
    found = analysis.opinion_groups(votes).set_index("participant_id")["group"]
    assert found.nunique() == 2
    assert adjusted_rand_score([truth[p] for p in found.index], found.to_numpy()) == 1.0


def test_the_groups_do_not_depend_on_the_order_of_the_votes():
    votes, _ = planted(3)
    a = analysis.opinion_groups(votes).sort_values("participant_id")
    b = analysis.opinion_groups(votes.iloc[::-1]).sort_values("participant_id")
    assert a.reset_index(drop=True).equals(b.reset_index(drop=True))
    assert a["group"].tolist() == analysis.opinion_groups(votes)  \
        .sort_values("participant_id")["group"].tolist()


def test_few_people_or_advice_or_identical_votes_make_one_group():
    empty = analysis.opinion_groups(pd.DataFrame(columns=["participant_id", "advice_id",
                                                          "vote"]))
    assert empty.empty and list(empty.columns) == ["participant_id", "group"]
    few = pd.DataFrame([("a", 1, "agree"), ("b", 1, "disagree"), ("a", 2, "agree"),
                        ("b", 2, "disagree"), ("c", 1, "agree")],
                       columns=["participant_id", "advice_id", "vote"])
    assert analysis.opinion_groups(few)["group"].tolist() == [1, 1, 1]
    one_advice = pd.DataFrame([(f"p{i}", 7, "agree" if i % 2 else "disagree")
                               for i in range(10)],
                              columns=["participant_id", "advice_id", "vote"])
    assert set(analysis.opinion_groups(one_advice)["group"]) == {1}
    alike = pd.DataFrame([(f"p{i}", a, "agree") for i in range(10) for a in (1, 2, 3)],
                         columns=["participant_id", "advice_id", "vote"])
    assert set(analysis.opinion_groups(alike)["group"]) == {1}


def test_groups_under_three_people_are_not_shown():
    groups = pd.DataFrame({"participant_id": list("abcdefghi"),
                           "group": [1, 1, 1, 1, 2, 2, 2, 3, 3]})
    shown = analysis.shown_groups(groups)
    assert shown["participant_id"].tolist() == list("abcdefg")
    assert shown["group"].tolist() == [1, 1, 1, 1, 2, 2, 2]
    assert analysis.shown_groups(groups, min_size=4)["group"].unique().tolist() == [1]


def test_advice_that_unites_and_divides_the_groups():
    votes, truth = planted(1, noise=0.0, missing=0.0)
    everyone = pd.DataFrame([(p, 999, "agree") for p in truth],
                            columns=["participant_id", "advice_id", "vote"])
    votes = pd.concat([votes, everyone], ignore_index=True)
    groups = analysis.opinion_groups(votes)
    table = analysis.across_groups(votes, groups).set_index("advice_id")
    assert {"group_1", "group_2", "group_3", "unites", "divides", "difference"} <= set(
        table.columns)
    assert table.index[table["unites"]].tolist() == [999]
    # Each bloc agrees with its own 4 pieces of advice and disagrees with the next
    # bloc's: those 12 split the groups completely (one group all agree, one none).
    assert (table.loc[table.index != 999, "difference"] == 1.0).all()
    assert table["divides"].sum() == 12 and not table.loc[999, "divides"]
    assert table.loc[999, "difference"] == 0.0


def test_people_in_groups_too_small_to_show_do_not_count_across_groups():
    votes = pd.DataFrame([("a", 1, "agree"), ("b", 1, "agree"), ("c", 1, "agree"),
                          ("d", 1, "disagree")], columns=["participant_id", "advice_id", "vote"])
    groups = pd.DataFrame({"participant_id": list("abcd"), "group": [1, 1, 1, 2]})
    table = analysis.across_groups(votes, groups)
    assert "group_2" not in table.columns and table.loc[0, "group_1"] == 1.0
    assert bool(table.loc[0, "unites"])
