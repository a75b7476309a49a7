"""What the facilitator's live view shows, computed from the reactions table.

One person, one answer: every count, shift and summary here uses each participant's
latest answer per use case and stage (the ``latest`` column of ``Store.reactions``),
so sending again changes an answer instead of adding one. A skip (no comfort) is an
answer too: it takes the place of an earlier one, and is counted at no comfort level.
"""

from __future__ import annotations

import pandas as pd

from workshop.vocabulary import COMFORT, STAGES


def _who(df: pd.DataFrame) -> str:
    return "participant_id" if "participant_id" in df.columns else "participant"


def latest_answers(df: pd.DataFrame) -> pd.DataFrame:
    """Each participant's latest reaction per use case and stage (skips included).
    Uses the ``latest`` column if there is one, else the order of ``created_at``."""
    if "latest" not in df.columns:
        order = df.sort_values(["created_at", "reaction_id"])
        last = order.groupby([_who(df), "use_case", "stage"])["reaction_id"].last()
        return df[df["reaction_id"].isin(last)]
    return df[df["latest"].astype(bool)]


def _answered(df: pd.DataFrame) -> pd.DataFrame:
    """Latest answers that are not skips."""
    latest = latest_answers(df)
    skipped = latest["skipped"].astype(bool) if "skipped" in latest else latest["comfort"].isna()
    return latest[~skipped]


def comfort_counts(df: pd.DataFrame) -> pd.DataFrame:
    """How many people's latest answer is at each comfort level, per use case and stage."""
    cols = ["use_case", "stage", "comfort", "label", "reactions"]
    answers = _answered(df) if not df.empty else df
    if answers.empty:
        return pd.DataFrame(columns=cols)
    out = (
        answers.groupby(["use_case", "stage", "comfort"]).size().rename("reactions")
        .reset_index()
    )
    out["label"] = out["comfort"].map(COMFORT)
    out["stage"] = pd.Categorical(out["stage"], categories=list(STAGES), ordered=True)
    return out.sort_values(["use_case", "stage", "comfort"])[cols].reset_index(drop=True)


def shifts(df: pd.DataFrame) -> pd.DataFrame:
    """Each participant's latest comfort before trying a use case and latest after;
    someone whose latest before or after is a skip is left out. With a
    ``participant_id`` column, people are told apart by it (nicknames can repeat)."""
    who = _who(df)
    cols = ([who] if who != "participant" else []) + [
        "participant", "use_case", "before", "after", "change"]
    answers = _answered(df) if not df.empty else df
    if answers.empty:
        return pd.DataFrame(columns=cols)
    keys = [who, "participant", "use_case"] if who != "participant" else [who, "use_case"]
    by_stage = answers.set_index(keys)
    before = by_stage[by_stage["stage"] == "before"]["comfort"].rename("before")
    after = by_stage[by_stage["stage"] == "after"]["comfort"].rename("after")
    both = pd.concat([before, after], axis=1, join="inner").reset_index()
    both["change"] = both["after"] - both["before"]
    return both[cols]


def shift_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per use case: how many people grew more, less or equally comfortable."""
    s = shifts(df)
    cols = ["use_case", "more comfortable", "no change", "less comfortable", "average change"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    g = s.groupby("use_case")["change"]
    out = pd.DataFrame(
        {
            "more comfortable": g.apply(lambda c: int((c > 0).sum())),
            "no change": g.apply(lambda c: int((c == 0).sum())),
            "less comfortable": g.apply(lambda c: int((c < 0).sum())),
            "average change": g.mean().round(2),
        }
    ).reset_index()
    return out[cols]


def theme_counts(df: pd.DataFrame) -> pd.Series:
    """How often each theme was picked, in people's latest answers."""
    if df.empty:
        return pd.Series(dtype=int)
    themes = latest_answers(df)["themes"].fillna("").str.split("; ").explode()
    return themes[themes != ""].value_counts()


def rank_advice(df: pd.DataFrame, *, include_hidden: bool = False) -> pd.DataFrame:
    """Advice ranked by how much of the room agrees, with where opinion splits.

    ``agreement`` is the share of votes cast that agree (passes count as votes, so
    advice nobody feels strongly about doesn't top the list). ``divided`` marks
    advice with real support on both sides: at least two agree and two disagree,
    and the smaller side at least half the larger.
    """
    out = df if include_hidden else df[~df["hidden"].astype(bool)]
    out = out.copy()
    votes = out["agree"] + out["disagree"] + out["pass"]
    out["votes"] = votes
    out["agreement"] = (out["agree"] / votes.where(votes > 0)).round(3)
    lo = out[["agree", "disagree"]].min(axis=1)
    hi = out[["agree", "disagree"]].max(axis=1)
    out["divided"] = (lo >= 2) & (lo >= hi / 2)
    return out.sort_values(
        ["agreement", "votes", "advice_id"], ascending=[False, False, True], na_position="last"
    ).reset_index(drop=True)
