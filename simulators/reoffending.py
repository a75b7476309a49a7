"""Reoffending risk: an AI that labels people "high risk" from their police records,
beside offender managers who judge by hand.

The world (``simulators/reoffending_world.py``)
-----------------------------------------------
Made-up people in two groups, A and B, whose behaviour is drawn the same way. The
group is never given to the AI. Bias gets in through the records: a share
``historic_patrol_bias`` of group B live in heavily patrolled streets (more arrests
on record, and more re-arrests, for the same behaviour), and a share ``label_bias``
of them are watched more closely after release (re-arrested more still). Label bias
alone cannot reach the AI's decisions: if nothing it reads differs between the
groups, it cannot tell them apart. Over-patrolling gives it a way in, and then the
two biases feed each other.

The AI and the people
---------------------
A scikit-learn logistic regression on four features (age, arrests, convictions, has
a job) learns from a past cohort of ``n_people`` and scores a new cohort of
``n_people`` (the rows of the outcome). ``learns_from`` is what it is taught to
predict: ``"rearrests"`` (what police records hold) or ``"audited"`` (who really
reoffended, found out by an independent check of every past case). A person is
labelled high risk when their score reaches ``threshold``; the default, 0.25,
labels about as many people as truly reoffend (the AI learned re-arrest, which the
records show for fewer people than really reoffend).

``decided_by="people"`` has offender managers label the same people by hand instead:
they read each person's record as the AI does, know a little more of each person
than the record says, and with a stereotype of strength ``people_bias`` read a group
B record with any arrest on it as riskier; the gap that makes is measured from their
labels, never set. To compare like with like they label as many people high risk as
the AI would at the cut-off, judged against the same truth. The ``ai_flagged`` and
``people_flagged`` columns of ``people`` keep both sides' labels, whoever decides.

The fixes (``mitigation``, used only when the AI decides) need an audit: a sample of
the past cohort (three in ten, at least 500 people, or all of them in a smaller town)
whose true reoffending was found out carefully. ``"threshold_optimizer"`` keeps the
AI and learns a cut-off per group (so it has to know each person's group), settling
some decisions by a weighted coin toss; ``"exponentiated_gradient"`` retrains on the
audit under an equal-mistakes rule, a mix of AIs drawn from at random.
``coin_toss_share`` is the share of decisions a fix left to a real toss-up and
``chance_decided_share`` the share a draw is expected to have settled against the
likelier label. The ``ai_unfixed`` column is the AI without the fix, and
``ai_same_data`` the fix's own way of learning on the same audited people without its
fairness rule, so a fix is measured on the same people and the same data
(``reoffending_views.decisions``).

>>> out = simulate(RiskConfig(n_people=400, seed=1))
>>> len(out.y_true), sorted(out.groups), out.coin_toss_share
(400, ['A', 'B'], 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from simulators.config import Preset, SimConfig, setting, validate
from simulators.fairness import Outcome, b_minus_a
from simulators.messages import N_
from simulators.mitigation import FairModel, chance_shares, fit_mitigation, toss_ups
from simulators.reoffending_world import (
    features,
    judged_high_risk,
    make_world,
    records_table,
)
from simulators.terms import Terms

_LABELS = {
    "selection_rate": N_("Labelled high risk, of all"),
    "true_positive_rate": N_("Reoffenders labelled high risk"),
    "false_negative_rate": N_("Reoffenders missed"),
    "false_positive_rate": N_("Labelled high risk wrongly"),
}

#: How the page speaks of the AI's decisions.
TERMS = Terms(
    harm="false_positive_rate",
    headline=N_(
        "Of every 100 people who did not reoffend, the AI labelled {first} from "
        "{first_group} high risk, and {second} from {second_group}."),
    labels=_LABELS,
    meanings={
        "selection_rate": N_("Out of every 100 people, how many the AI labelled high risk."),
        "true_positive_rate": N_(
            "Out of every 100 people who went on to reoffend, how many the AI labelled high "
            "risk."),
        "false_negative_rate": N_(
            "Out of every 100 people who went on to reoffend, how many the AI labelled low "
            "risk."),
        "false_positive_rate": N_(
            "Out of every 100 people who did not reoffend, how many the AI labelled high "
            "risk anyway. Lower is better: each is someone watched more for nothing."),
        "accuracy": N_("Out of every 100 people, how many the AI judged right, by what "
                       "really happened."),
    },
    flagged=N_("labelled high risk"),
)

#: ... and of the offender managers' decisions, when they decide without the AI.
PEOPLE_TERMS = Terms(
    harm="false_positive_rate",
    headline=N_(
        "Of every 100 people who did not reoffend, the offender managers labelled {first} "
        "from {first_group} high risk, and {second} from {second_group}."),
    labels=_LABELS,
    meanings={
        "selection_rate": N_(
            "Out of every 100 people, how many the offender managers labelled high risk."),
        "true_positive_rate": N_(
            "Out of every 100 people who went on to reoffend, how many the offender "
            "managers labelled high risk."),
        "false_negative_rate": N_(
            "Out of every 100 people who went on to reoffend, how many the offender "
            "managers labelled low risk."),
        "false_positive_rate": N_(
            "Out of every 100 people who did not reoffend, how many the offender managers "
            "labelled high risk anyway. Lower is better: each is someone watched more for "
            "nothing."),
        "accuracy": N_("Out of every 100 people, how many the offender managers judged "
                       "right, by what really happened."),
    },
    flagged=N_("labelled high risk"),
)

AUDIT_SHARE, AUDIT_MIN = 0.3, 500
IN_GROUP_B = N_("{n} in 100 of group B")


@dataclass(frozen=True)
class RiskConfig(SimConfig):
    """The settings of the reoffending-risk world."""

    n_people: int = setting(
        4000,
        label=N_("How many people the AI scores"),
        help=N_("The AI learns from this many people from the past, then gives a risk "
                "score to this many new people."),
        min=200,
        max=10000,
        step=100,
        advanced=True,
        unit=N_("{n} people"),
    )
    group_b_share: float = setting(
        0.3,
        label=N_("People in group B"),
        help=N_("Out of every 100 people, how many belong to group B. Both groups behave "
                "the same way."),
        min=0.1,
        max=0.9,
        step=0.05,
        advanced=True,
        unit=N_("{n} in 100 people"),
    )
    historic_patrol_bias: float = setting(
        0.0,
        label=N_("Group B people who lived in heavily patrolled streets"),
        help=N_("Police patrol those streets far more: an offence there is twice as likely "
                "to end in an arrest, arrests with no offence behind them are 4 times as "
                "common, and a new offence ends in a re-arrest 75 times in 100 instead of "
                "60. Their behaviour is the same: only their records grow."),
        min=0.0,
        max=1.0,
        step=0.05,
        bias=True,
        unit=IN_GROUP_B,
    )
    label_bias: float = setting(
        0.0,
        label=N_("Group B people watched more closely after release"),
        help=N_("The AI learns from who was arrested again, not from who really "
                "reoffended. Those watched more closely are re-arrested more for the same "
                "behaviour: 95 in 100 of those who reoffend instead of 60, and 20 in 100 "
                "of those who do not instead of 3."),
        min=0.0,
        max=1.0,
        step=0.05,
        bias=True,
        unit=IN_GROUP_B,
    )
    people_bias: float = setting(
        0.0,
        label=N_("Offender managers read group B's records as riskier"),
        help=N_("Offender managers read each person's record (age, arrests, convictions, a "
                "job), as the AI does, and know each person a little. A stereotype makes them "
                "read a group B record with any arrest on it as riskier. How unfair that "
                "makes them is measured, not set: it depends on each person's record. 0 "
                "means no stereotype."),
        min=0.0,
        max=1.0,
        step=0.05,
        bias=True,
        unit=N_("a stereotype {n} in 100 strong"),
    )
    decided_by: str = setting(
        "ai",
        label=N_("Who decides who is high risk"),
        help=N_("The AI, or offender managers judging by hand without it. Either way the "
                "other side's decisions are shown under 'People without AI'."),
        choices={"ai": N_("The AI"), "people": N_("Offender managers, without the AI")},
    )
    learns_from: str = setting(
        "rearrests",
        label=N_("What the AI learns from"),
        help=N_("Police records show who was arrested again. An audit checks every past "
                "case independently (court records, follow-up) to find out who really "
                "reoffended: fairer, but slow and costly."),
        choices={"rearrests": N_("Re-arrests in police records"),
                 "audited": N_("Audited records of who really reoffended")},
    )
    threshold: float = setting(
        0.25,
        label=N_("Risk score needed to be labelled high risk"),
        help=N_("The AI gives each person a score out of 100: its guess of their chance of "
                "being arrested again (or, taught from audited records, of reoffending). "
                "Taught from re-arrests, at 25 about as many people are labelled high risk "
                "as really go on to reoffend."),
        min=0.05,
        max=0.95,
        step=0.05,
        unit=N_("a score of {n} or more"),
    )
    mitigation: str = setting(
        "none",
        label=N_("Fix"),
        help=N_("Both fixes first check a sample of past people whose real reoffending "
                "was found out carefully. One sets a separate cut-off for each group; the "
                "other retrains the AI with a rule that both groups get equal mistakes."),
        choices={
            "none": N_("No fix"),
            "threshold_optimizer": N_("Separate cut-offs"),
            "exponentiated_gradient": N_("Retrain fairly"),
        },
    )
    seed: int = setting(
        0,
        label=N_("World number"),
        help=N_("Each number makes a different made-up town. The same number always gives "
                "the same people."),
        min=0,
        max=9999,
        advanced=True,
    )


@dataclass(kw_only=True)
class RiskOutcome(Outcome):
    """The scored people, what the AI learned from, and how they were labelled.

    ``people`` has one row per scored person (row ``i`` is row ``i`` of ``y_true``):
    the features the AI read (``FEATURES``), the hidden truth (``offences``,
    ``stop_arrests``, ``reoffended``, ``risk``), the record (``rearrested``), what was
    done to them (``patrolled``, ``watched``, ``harsh``), the AI's ``score``,
    ``flag_chance`` (how likely the decision rule was to label them high risk),
    ``coin_toss`` (the label was a real toss-up: a chance between 20 and 80 in 100),
    and the labels: ``flagged`` (the decision shown), ``ai_flagged`` (the AI as set),
    ``ai_unfixed`` (the AI without the fix), ``ai_same_data`` (the fix's way of
    learning on the same audited people, without its rule; the AI without the fix
    when there is none) and ``people_flagged`` (offender managers, without the AI).
    ``score`` is always the risk score of the AI trained on the records (``model``);
    with a fix, ``decider`` labels people, from per-group cut-offs on that score
    (``cutoffs``) or, when retrained, without it (cut-offs are NaN).
    ``records`` compares, per group of the past cohort, the truth with the records.
    ``accuracy`` is how often the AI (before any fix) is right, judged by the records
    (``records``) and by what really happened (``truth``), and the same for an AI
    trained in the same town without the extra patrols (``..._unpatrolled``).
    """

    people: pd.DataFrame
    records: pd.DataFrame
    decided_by: str
    learns_from: str
    mitigation: str  # the fix used: "none" when offender managers decide
    threshold: float
    cutoffs: dict[str, float]
    reference: dict[str, float]
    audit_size: int  # people the fix's audit checked (0 without a fix)
    #: Per group, the share of its decisions that were a real toss-up (a chance of being
    #: labelled high risk between 20 and 80 in 100).
    coin_toss_by_group: dict[str, float]
    #: Per group, the lowest and highest chance the decision rule gave anyone of being
    #: labelled high risk: above 0 (below 1) when a fix labels some of a group at random
    #: whatever their score (Fairlearn's ``p_ignore``).
    chance_range: dict[str, tuple[float, float]]
    accuracy: dict[str, float]
    model: FairModel = field(repr=False, compare=False)  # gives the risk score
    decider: FairModel = field(repr=False, compare=False)  # the AI's labels (its fix, if any)


def _logistic() -> Pipeline:
    # Newton's method on four features: the same fit as lbfgs, several times faster.
    return Pipeline([("scale", StandardScaler()),
                     ("logit", LogisticRegression(solver="newton-cholesky"))])


def _cutoffs(score: np.ndarray, chance: np.ndarray, group: np.ndarray) -> dict[str, float]:
    """Per group, the lowest score at which the rule labels at least half high risk."""
    out = {}
    for g in ("A", "B"):
        m = (group == g) & (chance >= 0.5)
        out[g] = float(score[m].min()) if m.any() else float("nan")
    return out


def _fix(base: FairModel, X: np.ndarray, y: np.ndarray, group: np.ndarray,
         mitigation: str, seed: int) -> FairModel:
    try:
        return fit_mitigation(base.model, X, y, group, mitigation, prefit=True, seed=seed)
    except ValueError as err:  # e.g. a group with no reoffender in a tiny audit
        raise ValueError(
            "The audit sample is too small for this fix: use more people "
            f"or a bigger group B ({err})") from err


def _accuracy(world: dict[str, np.ndarray], config: RiskConfig, labels: np.ndarray,
              plain: np.ndarray) -> dict[str, float]:
    """How often the AI (no fix) is right, by the records and by what really happened,
    beside an AI trained in the same town without the extra patrols."""
    n = config.n_people
    now = slice(n, 2 * n)
    records, truth = world["rearrested"][now], world["reoffended"][now]
    if world["patrolled"].any():
        twin = fit_mitigation(_logistic(), features(world, slice(0, n), patrolled=False),
                              labels[:n], world["group"][:n], "none",
                              threshold=config.threshold)
        unpatrolled = twin.score(features(world, now, patrolled=False)) >= config.threshold
    else:
        unpatrolled = plain
    return {
        "records": float(accuracy_score(records, plain)),
        "truth": float(accuracy_score(truth, plain)),
        "records_unpatrolled": float(accuracy_score(records, unpatrolled)),
        "truth_unpatrolled": float(accuracy_score(truth, unpatrolled)),
    }


def _without_rule(base: FairModel, X: np.ndarray, y: np.ndarray, mitigation: str,
                  seed: int) -> FairModel:
    """The fix's own way of learning, on the same audited people, without the fairness
    rule: one cut-off for everyone set by the same optimiser (everyone in one group), or
    the same model retrained on the same people with both kinds of mistake weighed
    equally (as the reduction weighs them)."""
    everyone = np.zeros(len(y), dtype=int)
    if mitigation == "threshold_optimizer":
        return fit_mitigation(base.model, X, y, everyone, mitigation, prefit=True, seed=seed)
    balanced = Pipeline([("scale", StandardScaler()), ("logit", LogisticRegression(
        solver="newton-cholesky", class_weight="balanced"))])
    return fit_mitigation(balanced, X, y, everyone, "none", threshold=0.5, seed=seed)


def simulate(config: RiskConfig, *, lean: bool = False) -> RiskOutcome:
    """Make the people, train the AI on the past cohort, label the new cohort.
    (``lean`` is accepted for ``simulators/chance.py``; nothing here is worth skipping.)"""
    validate(config)
    n = config.n_people
    world = make_world(config.seed, 2 * n, config.group_b_share, config.historic_patrol_bias,
                       config.label_bias, config.people_bias)
    past, now = slice(0, n), slice(n, 2 * n)
    X_past, X_now = features(world, past), features(world, now)
    group_past = world["group"][past]
    group_now = pd.Series(world["group"][now], name="group")
    labels = world["reoffended" if config.learns_from == "audited" else "rearrested"]

    base = fit_mitigation(_logistic(), X_past, labels[past], group_past, "none",
                          threshold=config.threshold, seed=config.seed)
    score = base.score(X_now)  # the risk score: the AI trained on the records
    plain = base.predict(X_now, group_now)
    mitigation = config.mitigation if config.decided_by == "ai" else "none"
    n_audit = min(n, max(AUDIT_MIN, round(AUDIT_SHARE * n)))
    same_data = plain
    if mitigation == "none":
        fair = base
    else:
        audit = slice(0, n_audit)  # past rows are in random order: the first ones will do
        fair = _fix(base, X_past[audit], world["reoffended"][audit], group_past[audit],
                    mitigation, config.seed)
        same_data = _without_rule(base, X_past[audit], world["reoffended"][audit], mitigation,
                                  config.seed).predict(X_now, np.zeros(n, dtype=int))
    ai = fair.predict(X_now, group_now)
    chance = fair.chance(X_now, group_now)
    tosses = toss_ups(chance) if mitigation != "none" else np.zeros(n, dtype=bool)
    if mitigation == "threshold_optimizer":
        cutoffs = _cutoffs(score, chance, group_now.to_numpy())
    elif mitigation == "exponentiated_gradient":  # the retrained mix ignores the score
        cutoffs = {"A": float("nan"), "B": float("nan")}
    else:
        cutoffs = {"A": config.threshold, "B": config.threshold}
    # Offender managers label as many people high risk as the AI would at the cut-off.
    by_people = judged_high_risk(world["judged"][now], int(plain.sum()))
    if config.decided_by == "people":
        flagged, chance, tosses = by_people, by_people.astype(float), np.zeros(n, dtype=bool)
    else:
        flagged = ai

    people = pd.DataFrame({k: v[now] for k, v in world.items()
                           if not k.endswith("_unpatrolled") and k != "judged"})
    people["score"] = score
    people["flag_chance"] = chance
    people["coin_toss"] = tosses
    people["ai_flagged"] = ai
    people["ai_unfixed"] = plain
    people["ai_same_data"] = same_data
    people["people_flagged"] = by_people
    people["flagged"] = flagged
    groups = group_now.to_numpy()
    return RiskOutcome(
        y_true=world["reoffended"][now],
        y_pred=flagged,
        sensitive=group_now,
        score=score,
        terms=PEOPLE_TERMS if config.decided_by == "people" else TERMS,
        people=people,
        records=records_table(world, past),
        decided_by=config.decided_by,
        learns_from=config.learns_from,
        mitigation=mitigation,
        threshold=config.threshold,
        cutoffs=cutoffs,
        reference={
            "age": float(np.median(people["age"])),
            "arrests": float(np.median(people["arrests"])),
            "convictions": float(np.median(people["convictions"])),
            "employed": float(people["employed"].mean() >= 0.5),
        },
        audit_size=n_audit if mitigation != "none" else 0,
        **(chance_shares(chance) if config.decided_by == "ai" else {}),
        coin_toss_by_group={g: float(tosses[groups == g].mean()) for g in ("A", "B")
                            if (groups == g).any()},
        chance_range={g: (float(chance[groups == g].min()), float(chance[groups == g].max()))
                      for g in ("A", "B") if (groups == g).any()},
        accuracy=_accuracy(world, config, labels, plain),
        model=base,
        decider=fair,
    )


def harm_of(config: RiskConfig) -> str:
    """The headline rate: people labelled high risk who did not reoffend."""
    return TERMS.harm


def _labelled(outcome: RiskOutcome, column: str) -> Outcome:
    return Outcome(outcome.y_true, outcome.people[column].to_numpy(), outcome.sensitive)


def chance_measures(outcome: RiskOutcome) -> dict[str, float]:
    """What the page compares, for ``simulators/chance.py`` to spread over fair towns:
    B minus A in every rate of what is shown (``gap:``), of the AI as set (``ai:``), of
    offender managers (``people:``), of the AI without its fix (``no_fix:``) and on the
    same audited people without the fix's rule (``same_data:``); the AI's headline gap
    minus the people's; each group's rates with the fix minus on the same data
    without its rule; the AI's accuracy by the records and by the truth, minus the same
    in the town without the extra patrols."""
    harm = harm_of(None)
    out = {**b_minus_a(outcome)}
    for prefix, column in (("ai", "ai_flagged"), ("people", "people_flagged"),
                           ("no_fix", "ai_unfixed"), ("same_data", "ai_same_data")):
        out.update(b_minus_a(_labelled(outcome, column), prefix))
    out["ai_minus_people"] = out[f"ai:{harm}"] - out[f"people:{harm}"]
    if outcome.mitigation != "none":
        fixed, same = _labelled(outcome, "ai_flagged"), _labelled(outcome, "ai_same_data")
        for g in ("A", "B"):
            for m in ("false_positive_rate", "false_negative_rate"):
                out[f"fix_change:{m}:{g}"] = fixed.rates[g][m] - same.rates[g][m]
    acc = outcome.accuracy
    out["records_gain"] = acc["records"] - acc["records_unpatrolled"]
    out["truth_gain"] = acc["truth"] - acc["truth_unpatrolled"]
    return out


# --- Scenarios the facilitator can put the room on ---------------------------------
_PAST = dict(historic_patrol_bias=0.5)
_BOTH = dict(historic_patrol_bias=0.9, label_bias=1.0)

PRESETS: list[Preset] = [
    Preset(
        "fair_start",
        N_("A fair start"),
        N_("Both groups behave the same and were policed the same, so the records are fair. "
           "About the same share of each group is labelled high risk without going on to "
           "reoffend: a few points either way is chance."),
        RiskConfig(),
    ),
    Preset(
        "patrolled_past",
        N_("An over-patrolled past"),
        N_("Half of group B lived in heavily patrolled streets, so the same behaviour left "
           "them with more arrests on record. The AI never sees anyone's group, yet it now "
           "wrongly labels more of group B high risk."),
        RiskConfig(**_PAST),
    ),
    Preset(
        "arrest_not_crime",
        N_("Arrests are not crimes"),
        N_("The AI learns from who was arrested again, not who really reoffended, and many "
           "of group B were watched more closely after release. The two biases feed each "
           "other and the gap in wrong labels grows."),
        RiskConfig(**_BOTH),
    ),
    Preset(
        "audit_fix",
        N_("A fix checked by an audit"),
        N_("A careful audit finds out who really reoffended, and the AI gets a separate "
           "cut-off for each group so both groups get the same share of mistakes. The gap "
           "shrinks, but the AI now has to be told each person's group, and some decisions "
           "are left to a coin toss."),
        RiskConfig(**_BOTH, mitigation="threshold_optimizer"),
    ),
    Preset(
        "propublica_compas",
        N_("Published figures: ProPublica 2016"),
        N_("In 2016 ProPublica found that COMPAS wrongly labelled 45 in 100 Black defendants "
           "who did not reoffend high risk, against 24 in 100 white defendants, and missed 28 "
           "in 100 Black reoffenders against 48 white. Here records skewed by patrols and "
           "re-arrests alone, with both groups behaving the same, give close to those "
           "figures: a match does not show the same cause."),
        RiskConfig(n_people=7000, group_b_share=0.6, historic_patrol_bias=0.85,
                   label_bias=0.5, threshold=0.3),
    ),
    Preset(
        "fairer_than_people",
        N_("An AI fairer than biased people"),
        N_("Offender managers judging by hand read any arrest on a group B record as a "
           "sign of more risk, while the AI learns from audited records of who really "
           "reoffended. Here the AI wrongly labels fewer of group B than the people do: "
           "compare them under 'People without AI'."),
        RiskConfig(label_bias=0.6, people_bias=0.8, learns_from="audited", threshold=0.35),
    ),
    Preset(
        "worse_than_people",
        N_("An AI worse than people"),
        N_("The AI learns from re-arrests in records skewed by patrols, while the offender "
           "managers hold no stereotype about group B. Here the AI wrongly labels more of "
           "group B than the people do: compare them under 'People without AI'."),
        RiskConfig(historic_patrol_bias=1.0, label_bias=1.0),
    ),
]
