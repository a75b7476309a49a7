"""Where I sit, from the votes alone: a person's opinion group, its size, and the advice
on which it votes most unlike everyone else; nothing shown for a room too small to split."""

import pandas as pd

from workshop import analysis


def camps(people: int = 8, items: int = 4) -> pd.DataFrame:
    """Two camps: the first half agree with advice 1 and 2 and disagree with 3; the
    other half the reverse; everyone agrees with advice 4."""
    rows = []
    for n in range(people):
        for a in range(1, items + 1):
            agree = (a <= 2) == (n < people // 2) or a == items
            rows.append((f"p{n}", a, "agree" if agree else "disagree"))
    return pd.DataFrame(rows, columns=["participant_id", "advice_id", "vote"])


def test_each_camp_is_a_group_set_apart_by_the_advice_it_alone_agrees_with():
    votes = camps()
    mine = analysis.where_i_sit(votes, "p0")
    theirs = analysis.where_i_sit(votes, "p7")
    assert (mine["size"], mine["voters"], mine["groups"]) == (4, 8, 2)
    assert mine["group"] != theirs["group"]
    apart = mine["apart"].set_index("advice_id")
    assert 4 not in apart.index  # everyone agrees with it: it sets nobody apart
    assert apart.loc[1, "difference"] == 1.0 and apart.loc[3, "difference"] == -1.0
    assert (apart["my_votes"] == 4).all() and (apart["other_votes"] == 4).all()


def test_a_room_too_small_to_split_or_a_person_who_did_not_vote_sees_no_group():
    assert analysis.where_i_sit(camps(people=4), "p0") is None  # fewer than 2 x 3 people
    assert analysis.where_i_sit(camps(), "nobody") is None
    assert analysis.where_i_sit(camps().iloc[0:0], "p0") is None


def test_the_most_chosen_come_first_and_the_unchosen_are_left_out():
    results = pd.DataFrame({"conditions": [["b", "a"], ["b"], []]})
    assert analysis.conditions_chosen(results, ["a", "b", "c"]).to_dict() == {"b": 2, "a": 1}
    texts = pd.DataFrame({"themes": [["x"], ["y", "x"], ["y"]],
                          "status": ["approved", "pending", "hidden"]})
    assert analysis.theme_tally(texts, ["y", "x"]).to_dict() == {"x": 2, "y": 1}
