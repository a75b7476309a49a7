"""What the facilitator's live view shows, computed from the reactions table."""

from __future__ import annotations

import pandas as pd

from workshop.vocabulary import COMFORT, STAGES


def comfort_counts(df: pd.DataFrame) -> pd.DataFrame:
    """How many reactions at each comfort level, per use case and stage."""
    cols = ["use_case", "stage", "comfort", "label", "reactions"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = (
        df.groupby(["use_case", "stage", "comfort"]).size().rename("reactions").reset_index()
    )
    out["label"] = out["comfort"].map(COMFORT)
    out["stage"] = pd.Categorical(out["stage"], categories=list(STAGES), ordered=True)
    return out.sort_values(["use_case", "stage", "comfort"])[cols].reset_index(drop=True)


def shifts(df: pd.DataFrame) -> pd.DataFrame:
    """Each participant's comfort before trying a use case and after (latest answer)."""
    cols = ["participant", "use_case", "before", "after", "change"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    ordered = df.sort_values(["created_at", "reaction_id"])
    first_before = (
        ordered[ordered["stage"] == "before"]
        .groupby(["participant", "use_case"])["comfort"].first().rename("before")
    )
    last_after = (
        ordered[ordered["stage"] == "after"]
        .groupby(["participant", "use_case"])["comfort"].last().rename("after")
    )
    both = pd.concat([first_before, last_after], axis=1, join="inner").reset_index()
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
    """How often each theme was picked."""
    if df.empty:
        return pd.Series(dtype=int)
    themes = df["themes"].fillna("").str.split("; ").explode()
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
