"""The facilitator's live numbers, from a reactions table."""

import pandas as pd

from workshop import analysis


def frame(rows):
    cols = ["reaction_id", "created_at", "participant", "use_case", "stage", "comfort", "themes"]
    return pd.DataFrame(
        [(i, pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=i), *r)
         for i, r in enumerate(rows)],
        columns=cols,
    )


ROWS = [
    ("Owl", "call_triage", "before", 4, "oversight"),
    ("Fox", "call_triage", "before", 3, ""),
    ("Owl", "call_triage", "after", 3, "oversight; jobs"),
    ("Owl", "call_triage", "after", 2, "accuracy_bias"),  # latest 'after' counts
    ("Fox", "call_triage", "after", 3, ""),
    ("Elk", "evidence", "before", 1, ""),  # no 'after' yet: no shift
]


def test_shift_uses_latest_before_and_latest_after():
    rows = [("Owl", "call_triage", "before", 1, ""), *ROWS]  # Owl changed their 'before'
    s = analysis.shifts(frame(rows)).set_index("participant")
    assert s.loc["Owl", "before"] == 4 and s.loc["Owl", "after"] == 2
    assert s.loc["Owl", "change"] == -2 and s.loc["Fox", "change"] == 0
    assert "Elk" not in s.index


def test_a_latest_skip_leaves_the_shift_and_the_counts():
    rows = [*ROWS, ("Fox", "call_triage", "after", None, "")]  # Fox skipped it at last
    df = frame(rows)
    assert "Fox" not in set(analysis.shifts(df)["participant"])
    c = analysis.comfort_counts(df)
    after = c[(c.use_case == "call_triage") & (c.stage == "after")]
    assert after["reactions"].sum() == 1  # Owl's 2; Fox's skip is at no level


def test_shift_summary_counts_people_by_direction():
    out = analysis.shift_summary(frame(ROWS)).set_index("use_case")
    assert out.loc["call_triage", "less comfortable"] == 1
    assert out.loc["call_triage", "no change"] == 1
    assert out.loc["call_triage", "more comfortable"] == 0
    assert out.loc["call_triage", "average change"] == -1.0


def test_comfort_counts_and_themes_count_each_persons_latest_answer_once():
    c = analysis.comfort_counts(frame(ROWS))
    after = c[(c.use_case == "call_triage") & (c.stage == "after")].set_index("comfort")
    # Owl answered 3 then 2: only the 2 counts. Fox's 3 is the one 3.
    assert after["reactions"].to_dict() == {2: 1, 3: 1}
    assert after.loc[3, "label"] == "Not sure"
    themes = analysis.theme_counts(frame(ROWS))
    assert themes.to_dict() == {"oversight": 1, "accuracy_bias": 1}  # 'jobs' was replaced


def test_a_latest_column_decides_which_answers_count():
    df = frame(ROWS)
    df["latest"] = [True, True, True, False, True, True]  # as if Owl's 3 came last
    c = analysis.comfort_counts(df)
    after = c[(c.use_case == "call_triage") & (c.stage == "after")].set_index("comfort")
    assert after["reactions"].to_dict() == {3: 2}


def test_empty_tables_give_empty_results():
    empty = frame([])
    assert analysis.shifts(empty).empty and analysis.comfort_counts(empty).empty
    assert analysis.shift_summary(empty).empty and analysis.theme_counts(empty).empty
