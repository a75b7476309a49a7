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


def test_shift_uses_first_before_and_latest_after():
    s = analysis.shifts(frame(ROWS)).set_index("participant")
    assert s.loc["Owl", "before"] == 4 and s.loc["Owl", "after"] == 2
    assert s.loc["Owl", "change"] == -2 and s.loc["Fox", "change"] == 0
    assert "Elk" not in s.index


def test_shift_summary_counts_people_by_direction():
    out = analysis.shift_summary(frame(ROWS)).set_index("use_case")
    assert out.loc["call_triage", "less comfortable"] == 1
    assert out.loc["call_triage", "no change"] == 1
    assert out.loc["call_triage", "more comfortable"] == 0
    assert out.loc["call_triage", "average change"] == -1.0


def test_comfort_counts_and_themes():
    c = analysis.comfort_counts(frame(ROWS))
    row = c[(c.use_case == "call_triage") & (c.stage == "after") & (c.comfort == 3)]
    assert int(row["reactions"].iloc[0]) == 2 and row["label"].iloc[0] == "Not sure"
    themes = analysis.theme_counts(frame(ROWS))
    assert themes["oversight"] == 2 and themes["jobs"] == 1


def test_empty_tables_give_empty_results():
    empty = frame([])
    assert analysis.shifts(empty).empty and analysis.comfort_counts(empty).empty
    assert analysis.shift_summary(empty).empty and analysis.theme_counts(empty).empty
