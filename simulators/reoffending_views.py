"""Reading a reoffending-risk outcome: the people a page can pick, the risk-score
histogram, one person's card, and the same people decided another way (the AI without
its fix; offender managers without the AI). The model and its words are in
``simulators/reoffending.py``; this module reads them, never the reverse.

Everything here returns data; ``ui/reoffending.py`` says it in sentences.

>>> from simulators.reoffending import RiskConfig, simulate
>>> card = explain(simulate(RiskConfig(n_people=400, seed=1)), 0)
>>> card.number, 0 <= card.score <= 100
(1, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulators.fairness import Outcome
from simulators.messages import N_
from simulators.reoffending import PEOPLE_TERMS, TERMS, RiskOutcome
from simulators.reoffending_world import FEATURES

# --- The same people, decided another way ------------------------------------------

#: Who can decide: the AI as set (with its fix, if any), the same AI without the fix,
#: the fix's way of learning on the same audited people without its rule, and offender
#: managers without the AI. Each is a column of ``outcome.people``.
DECIDERS = {"ai": "ai_flagged", "ai_without_fix": "ai_unfixed",
            "ai_same_data": "ai_same_data", "people": "people_flagged"}


def shows(outcome: RiskOutcome, who: str) -> bool:
    """Whether the outcome's own decisions are ``who``'s (a ``DECIDERS`` key)."""
    if who not in DECIDERS:
        raise ValueError(f"who must be one of {', '.join(DECIDERS)}, got {who!r}")
    return ((who == "people") == (outcome.decided_by == "people")
            and np.array_equal(outcome.people[DECIDERS[who]].to_numpy(), outcome.y_pred))


def decisions(outcome: RiskOutcome, who: str) -> Outcome:
    """The same people and truth, labelled by ``who`` (a ``DECIDERS`` key), audited
    with Fairlearn like any outcome. The outcome itself when it shows that decider."""
    if shows(outcome, who):
        return outcome
    return Outcome(outcome.y_true, outcome.people[DECIDERS[who]].to_numpy(), outcome.sensitive,
                   score=outcome.score, terms=PEOPLE_TERMS if who == "people" else TERMS)


# --- Which people the page can show -------------------------------------------------

#: Which people the page can ask for (message ids).
KINDS = {
    "false_alarm": N_("labelled high risk, did not reoffend"),
    "missed": N_("not labelled high risk, did reoffend"),
    "caught": N_("labelled high risk, did reoffend"),
    "cleared": N_("not labelled high risk, did not reoffend"),
    "any": N_("anyone"),
}


def kind_of(flagged: int, reoffended: int) -> str:
    """The four outcomes, in KINDS' words: false_alarm, missed, caught or cleared."""
    if flagged:
        return "caught" if reoffended else "false_alarm"
    return "missed" if reoffended else "cleared"


def find_people(outcome: Outcome, kind: str = "any", group: str | None = None) -> np.ndarray:
    """Row numbers of people of one kind (see ``KINDS``), in a fixed shuffled order."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    f, r = outcome.y_pred == 1, outcome.y_true == 1
    mask = {
        "false_alarm": f & ~r,
        "missed": ~f & r,
        "caught": f & r,
        "cleared": ~f & ~r,
        "any": np.ones_like(f),
    }[kind]
    if group is not None:
        mask = mask & (outcome.sensitive.to_numpy() == group)
    order = np.random.default_rng(len(outcome.y_true)).permutation(len(mask))
    return order[mask[order]]


# --- The risk scores ----------------------------------------------------------------


def score_histogram(outcome: RiskOutcome, step: int = 5) -> pd.DataFrame:
    """Risk scores (0-100) in bins of ``step``: per group (``code``), how many people
    and how many out of every 100 of the group."""
    edges = np.arange(0, 100 + step, step)
    scores = np.clip(100 * outcome.people["score"].to_numpy(), 0, 99.999)
    rows = []
    for g in outcome.groups:
        s = scores[outcome.sensitive.to_numpy() == g]
        counts, _ = np.histogram(s, bins=edges)
        total = max(len(s), 1)
        for lo, c in zip(edges[:-1], counts, strict=True):
            rows.append({"code": g, "score_from": int(lo), "score_to": int(lo + step),
                         "people": int(c), "percent": round(100 * c / total, 1)})
    return pd.DataFrame(rows)


def score_medians(outcome: RiskOutcome) -> dict[str, int]:
    """Each group's middle risk score (0-100): half the group scores this or more."""
    scores = outcome.people["score"].to_numpy()
    groups = outcome.sensitive.to_numpy()
    return {g: round(100 * float(np.median(scores[groups == g]))) for g in outcome.groups}


# --- One person's card ----------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One thing the AI read, and its part in the score: how many points (out of 100)
    the score would change had this one thing been typical (``typical``)."""

    feature: str  # a FEATURES name
    value: int
    typical: int
    points: int  # score points this feature adds (negative: takes away)


@dataclass(frozen=True)
class PersonCard:
    """What the "why this score?" card shows about one scored person, as data."""

    index: int
    number: int  # 1-based, as shown to people
    group: str  # "A" or "B"
    score: int  # the AI's risk score, out of 100
    reasons: tuple[Reason, ...]  # biggest part first
    #: How this person was labelled: "cutoff" (one cut-off for all), "group_cutoffs"
    #: (the fix's cut-off for each group), "mix" (the retrained mix of AIs) or
    #: "people" (offender managers, without the AI).
    rule: str
    cutoff: int | None  # the cut-off that applied to them, out of 100 (None: none)
    chance: int  # out of 100: how likely the rule was to label them high risk
    coin_toss: bool  # the label was settled by a random draw
    flagged: bool
    ai_flagged: bool  # what the AI (as set) did
    people_flagged: bool  # what offender managers without the AI did
    reoffended: bool
    rearrested: bool
    kind: str  # a KINDS key: false_alarm, missed, caught, cleared
    offences: int  # hidden: real past offences
    arrests: int
    stop_arrests: int  # hidden: arrests with no offence behind them
    patrolled: bool  # lived in a heavily patrolled street
    watched: bool  # watched more closely after release
    judged_harshly: bool  # one of those the offender managers judge harsher


def explain(outcome: RiskOutcome, index: int) -> PersonCard:
    """Why person ``index`` (a row of the outcome) got their score and their label.

    Each feature's part is how many points (out of 100) their score would change had
    that one feature been typical (the median person scored); the parts need not add
    up, since the model is not a simple sum of points.
    """
    n = len(outcome.y_true)
    if not 0 <= index < n:
        raise ValueError(f"person must be between 0 and {n - 1}, got {index}")
    row = outcome.people.iloc[index]
    x = np.array([[float(row[f]) for f in FEATURES]])
    what_if = np.repeat(x, len(FEATURES) + 1, axis=0)
    for j, f in enumerate(FEATURES):
        what_if[j + 1, j] = outcome.reference[f]
    scores = outcome.model.score(what_if)
    reasons = sorted(
        (Reason(f, int(x[0, j]), int(round(outcome.reference[f])),
                round(100 * float(scores[0] - scores[j + 1])))
         for j, f in enumerate(FEATURES)),
        key=lambda r: -abs(r.points))
    group = str(row["group"])
    if outcome.decided_by == "people":
        rule, cut = "people", None
    elif outcome.mitigation == "exponentiated_gradient":
        rule, cut = "mix", None
    elif outcome.mitigation == "threshold_optimizer":
        c = outcome.cutoffs.get(group, float("nan"))
        rule, cut = "group_cutoffs", None if c != c else round(100 * c)
    else:
        rule, cut = "cutoff", round(100 * outcome.threshold)
    flagged, reoffended = bool(row["flagged"]), bool(row["reoffended"])
    return PersonCard(
        index=index,
        number=index + 1,
        group=group,
        score=round(100 * float(row["score"])),
        reasons=tuple(reasons),
        rule=rule,
        cutoff=cut,
        chance=round(100 * float(row["flag_chance"])),
        coin_toss=bool(row["coin_toss"]),
        flagged=flagged,
        ai_flagged=bool(row["ai_flagged"]),
        people_flagged=bool(row["people_flagged"]),
        reoffended=reoffended,
        rearrested=bool(row["rearrested"]),
        kind=kind_of(flagged, reoffended),
        offences=int(row["offences"]),
        arrests=int(row["arrests"]),
        stop_arrests=int(row["stop_arrests"]),
        patrolled=bool(row["patrolled"]),
        watched=bool(row["watched"]),
        judged_harshly=bool(row["harsh"]),
    )
