"""What the facilitator's live view shows, computed from the reactions table.

One person, one answer: every count, shift and summary here uses each participant's
latest answer per use case and stage (the ``latest`` column of ``Store.reactions``),
so sending again changes an answer instead of adding one. A skip (no comfort) is an
answer too: it takes the place of an earlier one, and is counted at no comfort level.
The room's own decisions on the AI's cases are scored against the AI's by
``people_vs_ai``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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


def shifts(df: pd.DataFrame, first: str = "before", then: str = "after") -> pd.DataFrame:
    """Each participant's latest comfort before trying a use case and latest after;
    someone whose latest before or after is a skip is left out. With a
    ``participant_id`` column, people are told apart by it (nicknames can repeat).
    ``first`` and ``then`` pair other stages (first views and final views are
    ``"before"`` and ``"final"``); the columns are still ``before`` and ``after``."""
    who = _who(df)
    cols = ([who] if who != "participant" else []) + [
        "participant", "use_case", "before", "after", "change"]
    answers = _answered(df) if not df.empty else df
    if answers.empty:
        return pd.DataFrame(columns=cols)
    keys = [who, "participant", "use_case"] if who != "participant" else [who, "use_case"]
    by_stage = answers.set_index(keys)
    before = by_stage[by_stage["stage"] == first]["comfort"].rename("before")
    after = by_stage[by_stage["stage"] == then]["comfort"].rename("after")
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


#: Advice needs at least this many votes before it is ranked: two votes are not a room.
MIN_VOTES = 3


def rank_advice(df: pd.DataFrame, *, include_hidden: bool = False) -> pd.DataFrame:
    """Advice ranked by how much of the room agrees, with where opinion splits.

    ``votes`` counts the votes cast (agree, disagree and pass). ``agreement`` is the
    share of them that agree (passes count as votes, so advice nobody feels strongly
    about doesn't top the list). ``ranked`` is True once advice has ``MIN_VOTES``
    votes: only ranked advice is ordered by agreement (the rest follows, most voted
    first), so two early votes never put a piece of advice on top. ``divided`` marks
    advice with support on both sides: someone agrees, someone disagrees, and the
    smaller side is at least half the larger (a 1-1 split is divided).

    >>> df = pd.DataFrame({"advice_id": [1, 2, 3], "hidden": False, "agree": [2, 3, 1],
    ...                    "disagree": [0, 1, 1], "pass": [0, 0, 0]})
    >>> rank_advice(df)[["advice_id", "ranked", "divided"]].values.tolist()
    [[2, True, False], [1, False, False], [3, False, True]]
    """
    out = df if include_hidden else df[~df["hidden"].astype(bool)]
    out = out.copy()
    votes = out["agree"] + out["disagree"] + out["pass"]
    out["votes"] = votes
    out["agreement"] = (out["agree"] / votes.where(votes > 0)).round(3)
    out["ranked"] = votes >= MIN_VOTES
    lo = out[["agree", "disagree"]].min(axis=1)
    hi = out[["agree", "disagree"]].max(axis=1)
    out["divided"] = (lo >= 1) & (2 * lo >= hi)
    order = out["agreement"].where(out["ranked"])
    return out.assign(_order=order).sort_values(
        ["ranked", "_order", "votes", "advice_id"], ascending=[False, False, False, True],
        na_position="last").drop(columns="_order").reset_index(drop=True)


# -- opinion groups (as Pol.is finds them) -------------------------------------------

#: A vote as a number in the vote matrix; a piece of advice someone did not vote on is 0.
VOTE_VALUES = {"agree": 1.0, "disagree": -1.0, "pass": 0.0}
MAX_GROUPS = 5
#: Groups smaller than this are not shown: a group of one or two is a person, not a view.
MIN_GROUP = 3


def vote_matrix(votes: pd.DataFrame) -> pd.DataFrame:
    """Participants (rows) by advice (columns): agree +1, disagree -1, pass or no vote 0."""
    if votes.empty:
        return pd.DataFrame(dtype=float)
    values = votes.assign(value=votes["vote"].map(VOTE_VALUES).fillna(0.0))
    matrix = values.pivot_table(index="participant_id", columns="advice_id", values="value",
                                aggfunc="last", fill_value=0.0)
    return matrix.sort_index(axis=0).sort_index(axis=1).astype(float)


def opinion_groups(votes: pd.DataFrame, *, max_groups: int = MAX_GROUPS,
                   random_state: int = 0) -> pd.DataFrame:
    """Who votes alike: one row per participant who voted, with their ``group``.

    As Pol.is does it: the vote matrix (:func:`vote_matrix`) is projected onto its
    first two principal components, and k-means splits the people into 2 to
    ``max_groups`` groups, k chosen by the silhouette score (the smaller k on a tie).
    Deterministic (fixed ``random_state``). Fewer than ``2 * MIN_GROUP`` people (too
    few for two groups that could be shown), fewer than two pieces of advice, or votes
    all alike make one group. Groups are numbered from 1, the largest first.

    >>> votes = pd.DataFrame({"participant_id": ["a", "b"], "advice_id": [1, 1],
    ...                       "vote": ["agree", "disagree"]})
    >>> opinion_groups(votes)["group"].tolist()
    [1, 1]
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    matrix = vote_matrix(votes)
    if matrix.empty:
        return pd.DataFrame({"participant_id": pd.Series(dtype=object),
                             "group": pd.Series(dtype=int)})
    out = pd.DataFrame({"participant_id": list(matrix.index), "group": 1})
    x = matrix.to_numpy()
    people, items = x.shape
    distinct = len(np.unique(x, axis=0))
    top = min(max_groups, distinct, people - 1)
    if items < 2 or top < 2 or people < 2 * MIN_GROUP:
        return out
    points = PCA(n_components=2, svd_solver="full").fit_transform(x)
    best: tuple[float, np.ndarray] | None = None
    for k in range(2, top + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(points)
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(points, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    if best is None:
        return out
    labels = pd.Series(best[1])
    # Number the groups 1, 2, ... by size, then by who comes first: the same votes
    # always give the same numbers.
    order = sorted(labels.unique(), key=lambda g: (-(labels == g).sum(), labels.eq(g).idxmax()))
    out["group"] = labels.map({g: n for n, g in enumerate(order, start=1)}).to_numpy()
    return out


def shown_groups(groups: pd.DataFrame, min_size: int = MIN_GROUP) -> pd.DataFrame:
    """The groups that may be shown: those of at least ``min_size`` people, numbered
    again from 1 (the largest first); people in smaller groups are left out."""
    sizes = groups["group"].value_counts()
    kept = [g for g in sorted(sizes.index) if sizes[g] >= min_size]
    renumber = {g: n for n, g in enumerate(kept, start=1)}
    out = groups[groups["group"].isin(kept)].copy()
    out["group"] = out["group"].map(renumber).astype(int)
    return out.reset_index(drop=True)


def across_groups(votes: pd.DataFrame, groups: pd.DataFrame, *,
                  min_size: int = MIN_GROUP) -> pd.DataFrame:
    """Per piece of advice, how each shown group voted on it, and whether it unites
    or divides them.

    ``group_<n>``: the share of that group's votes on it that agree (passes count as
    votes, as in :func:`rank_advice`; empty if nobody in the group voted on it).
    ``unites``: a majority of the votes in every group agree. ``difference``: the
    highest group's share less the lowest's; ``divides`` marks the advice with the
    largest difference (if it is above 0). Only people in groups of at least
    ``min_size`` count (:func:`shown_groups`).
    """
    shown = shown_groups(groups, min_size)
    numbers = sorted(shown["group"].unique())
    columns = [f"group_{g}" for g in numbers]
    cast = votes.merge(shown, on="participant_id")
    if cast.empty:
        return pd.DataFrame(columns=["advice_id", *columns, "lowest", "highest", "difference",
                                     "unites", "divides"])
    cast = cast.assign(agree=cast["vote"].eq("agree"))
    share = cast.groupby(["advice_id", "group"])["agree"].mean().unstack("group")
    share = share.reindex(columns=numbers)
    share.columns = columns
    out = share.reset_index()
    shares = out[columns]
    out["lowest"] = shares.min(axis=1)
    out["highest"] = shares.max(axis=1)
    out["difference"] = (out["highest"] - out["lowest"]).where(shares.count(axis=1) >= 2)
    out["unites"] = (shares > 0.5).all(axis=1) & shares.notna().all(axis=1)
    widest = out["difference"].max()
    out["divides"] = (out["difference"] == widest) & (out["difference"] > 0)
    return out.sort_values("advice_id").reset_index(drop=True)


# -- a dialogue over several workshops ------------------------------------------------

#: The order of the answers within one workshop.
STAGE_ORDER = {stage: n for n, stage in enumerate(STAGES)}


def series_comfort(df: pd.DataFrame, workshops: list[str] | None = None) -> pd.DataFrame:
    """From ``Store.series_reactions``: each person's latest comfort per workshop, use
    case and stage, skips left out. ``person`` numbers people 1, 2, ... in the order
    they first answered; ``workshop`` numbers the workshops 1, 2, ... in the order of
    ``workshops`` (codes), else as they come."""
    cols = ["person", "person_id", "workshop", "workshop_code", "mode", "use_case", "stage",
            "comfort"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    people = {p: n for n, p in enumerate(dict.fromkeys(df["person_id"]), start=1)}
    codes = workshops or list(dict.fromkeys(df["workshop_code"]))
    numbers = {c: n for n, c in enumerate(codes, start=1)}
    kept = df[df["latest"].astype(bool) & ~df["skipped"].astype(bool)
              & df["workshop_code"].isin(numbers)].copy()
    kept["person"] = kept["person_id"].map(people)
    kept["workshop"] = kept["workshop_code"].map(numbers)
    kept["comfort"] = kept["comfort"].astype(int)
    kept["order"] = kept["stage"].map(STAGE_ORDER)
    kept = kept.sort_values(["workshop", "order", "person"])
    return kept[cols].reset_index(drop=True)


def came_back(comfort: pd.DataFrame) -> int:
    """How many people answered in more than one workshop of the series."""
    if comfort.empty:
        return 0
    return int((comfort.groupby("person")["workshop"].nunique() > 1).sum())


# -- the room against the AI ("decide first") ------------------------------------------


def _scored(truth: pd.Series, decided: pd.Series, groups: pd.Series, harm: str
            ) -> dict[str, Any]:
    """Accuracy and each group's harm for ``decided`` against ``truth``."""
    n = len(truth)
    right = int((truth == decided).sum())
    needs = truth == (1 if harm == "missed" else 0)
    harmed = needs & (decided != truth)
    counts = {str(g): (int((harmed & (groups == g)).sum()), int((needs & (groups == g)).sum()))
              for g in sorted(groups.unique())}
    return {
        "accuracy": right / n if n else None,
        "right": right,
        "n": n,
        "harm": harm,
        "missed_by_group": {g: (k / of if of else None) for g, (k, of) in counts.items()},
        "harmed": counts,
    }


def _chance(a: dict[str, Any], b: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """How far apart ``b`` is from ``a`` (accuracy, and each group's harm), with the
    band chance alone makes at those counts (``simulators.decide.chance_band``)."""
    from simulators.decide import chance_band

    pairs = {"accuracy": ((a["right"], a["n"]), (b["right"], b["n"]))}
    pairs.update({g: (a["harmed"][g], b["harmed"].get(g, (0, 0))) for g in a["harmed"]})
    out = {}
    for key, ((k1, n1), (k2, n2)) in pairs.items():
        band = chance_band(k1, n1, k2, n2)
        diff = (k2 / n2 - k1 / n1) if n1 and n2 else None
        out[key] = {"difference": diff, "band": band,
                    "could_be_chance": diff is None or band is None or abs(diff) <= band}
    return out


def people_vs_ai(decisions: pd.DataFrame) -> dict[str, Any]:
    """The room against the AI, scored on exactly the same cases (``Store.decisions``
    of one use case: each person's latest decision per case).

    Three entries, each with ``accuracy`` (the share decided right; None with no
    cases), ``missed_by_group`` ({group: share}) and ``n`` (decisions scored), and
    ``right``, ``harm`` and ``harmed`` ({group: (harmed, of)}, the counts behind the
    shares):

    - ``people``: every person's decisions;
    - ``ai``: the AI's decision on each of those same rows (a case decided by three
      people counts three times for both);
    - ``majority``: the room's majority decision per case, one per case; cases the
      room split evenly on are left out (``ties``). It holds ``ai``, the AI scored on
      the same cases.

    ``missed_by_group`` is each group's share of the use case's harm
    (``simulators.decide.harm``): "missed" (101 calls: urgent calls decided "can
    wait", of the urgent ones; evidence: key facts left out, of the key facts) or
    "wrongly_flagged" (reoffending: people labelled high risk who did not reoffend,
    of those who did not). Also: ``harm``, ``people_count`` and ``cases`` (how many
    people and different cases), and ``chance`` (the AI against the people: per
    group and for accuracy, the ``difference`` in shares, the ``band`` chance alone
    makes at those counts, and whether the difference ``could_be_chance``).
    """
    from simulators.decide import harm as harm_of

    use_cases = (list(decisions["use_case"].unique())
                 if "use_case" in decisions and not decisions.empty else [])
    if len(use_cases) > 1:
        raise ValueError(f"decisions of one use case at a time, got {use_cases}")
    harm = harm_of(use_cases[0]) if use_cases else "missed"
    df = decisions.reset_index(drop=True)
    truth, groups = df["truth"].astype(int), df["group"].astype(str)
    people = _scored(truth, df["person"].astype(int), groups, harm)
    ai = _scored(truth, df["ai"].astype(int), groups, harm)
    per_case = df.groupby("case_id", sort=True).agg(
        truth=("truth", "first"), group=("group", "first"), yes=("person", "mean"),
        ai=("ai", lambda s: int(s.mean() >= 0.5)))
    clear = per_case[per_case["yes"] != 0.5]
    majority = _scored(clear["truth"].astype(int), (clear["yes"] > 0.5).astype(int),
                       clear["group"].astype(str), harm)
    majority["ties"] = int(len(per_case) - len(clear))
    majority["ai"] = _scored(clear["truth"].astype(int), clear["ai"].astype(int),
                             clear["group"].astype(str), harm)
    return {
        "people": people,
        "ai": ai,
        "majority": majority,
        "harm": harm,
        "people_count": int(df["participant_id"].nunique()) if "participant_id" in df else 0,
        "cases": int(len(per_case)),
        "chance": _chance(people, ai),
    }
# -- transparency and oversight ---------------------------------------------------------


def record_tally(results: pd.DataFrame, sections: list[str]) -> pd.DataFrame:
    """From ``Store.record_results`` (latest answers, one use case or several): per
    section, how many said the public must be told it (``yes``), how many said there
    was no need (``no``), and how many answered."""
    rows = []
    for section in sections:
        column = results.get(f"told_{section}", pd.Series(dtype=object))
        yes, no = int((column == "yes").sum()), int((column == "no").sum())
        rows.append({"section": section, "yes": yes, "no": no, "answered": yes + no})
    return pd.DataFrame(rows, columns=["section", "yes", "no", "answered"])


def counts_of(values: pd.Series, keys: list[str]) -> pd.Series:
    """How many of ``values`` are each of ``keys`` (0 for a key nobody chose), in the
    order of ``keys``."""
    return values.value_counts().reindex(keys, fill_value=0).astype(int)


def _most_first(lists: pd.Series, keys: list[str]) -> pd.Series:
    """How many of the lists in ``lists`` hold each of ``keys``, most first (ties in the
    order of ``keys``); keys no list holds are left out."""
    held = lists.explode().dropna() if not lists.empty else pd.Series(dtype=object)
    counts = counts_of(held, keys)
    counts = counts.reindex(sorted(keys, key=lambda k: (-counts[k], keys.index(k))))
    return counts[counts > 0]


def conditions_chosen(results: pd.DataFrame, keys: list[str]) -> pd.Series:
    """From ``Store.panel_results``: how many people picked each condition, most
    chosen first; conditions nobody picked left out."""
    return _most_first(results["conditions"] if not results.empty else pd.Series(
        dtype=object), keys)


def theme_tally(texts: pd.DataFrame, keys: list[str]) -> pd.Series:
    """From ``Store.tagged_texts``: how many comments, pieces of advice and written
    conditions are about each theme (hidden text left out), most first; themes no
    text is about left out."""
    shown = texts[texts["status"] != "hidden"] if not texts.empty else texts
    return _most_first(shown["themes"] if not shown.empty else pd.Series(dtype=object),
                       keys)


def sets_apart(votes: pd.DataFrame, groups: pd.DataFrame, group: int, *,
               min_size: int = MIN_GROUP, top: int = 3) -> pd.DataFrame:
    """The advice on which ``group`` (numbered as :func:`shown_groups` numbers them)
    voted most unlike everyone else who voted, as Pol.is picks a group's
    representative comments: ``mine`` and ``others`` are the shares of the group's
    votes, and of everyone else's, that agree (passes count as votes); ``difference``
    is ``mine`` less ``others``. Only advice with at least two votes on each side, and
    a difference, is kept; the ``top`` largest differences (either way) first."""
    shown = shown_groups(groups, min_size)
    members = set(shown.loc[shown["group"] == group, "participant_id"])
    columns = ["advice_id", "mine", "others", "difference", "my_votes", "other_votes"]
    if not members or votes.empty:
        return pd.DataFrame(columns=columns)
    cast = votes.assign(agree=votes["vote"].eq("agree"),
                        side=votes["participant_id"].isin(members))
    by = cast.groupby(["advice_id", "side"])["agree"].agg(["mean", "size"]).unstack("side")
    if True not in by["mean"].columns or False not in by["mean"].columns:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({
        "mine": by["mean"][True], "others": by["mean"][False],
        "my_votes": by["size"][True], "other_votes": by["size"][False],
    }).dropna()
    out = out[(out["my_votes"] >= 2) & (out["other_votes"] >= 2)]
    out["difference"] = out["mine"] - out["others"]
    out = out[out["difference"].abs() > 0].reset_index()
    out["size"] = out["difference"].abs()
    out = out.sort_values(["size", "advice_id"], ascending=[False, True]).head(top)
    out[["my_votes", "other_votes"]] = out[["my_votes", "other_votes"]].astype(int)
    return out[columns].reset_index(drop=True)


def where_i_sit(votes: pd.DataFrame, participant_id: str, *,
                min_size: int = MIN_GROUP) -> dict | None:
    """Which shown opinion group this person is in (``group``), how many people it
    holds (``size``), how many voted in all (``voters``) and how many groups there are
    (``groups``), with the advice that most sets the group apart (``apart``, as
    :func:`sets_apart`); ``None`` if the votes make fewer than two groups that can be
    shown, or this person is in none of them. Pass only votes on approved advice."""
    if votes.empty:
        return None
    groups = opinion_groups(votes)
    shown = shown_groups(groups, min_size)
    if shown["group"].nunique() < 2:
        return None
    mine = shown.loc[shown["participant_id"] == participant_id, "group"]
    if mine.empty:
        return None
    group = int(mine.iloc[0])
    return {"group": group, "size": int((shown["group"] == group).sum()),
            "voters": len(groups), "groups": int(shown["group"].nunique()),
            "apart": sets_apart(votes, groups, group, min_size=min_size)}
