"""Reoffending risk: an AI that labels people "high risk" from their police records.

The world
---------
Made-up people in two groups, A and B. Their true behaviour is drawn the same way
for both groups: a hidden tendency to offend, an age, a job or not, past offences,
and whether they go on to reoffend. Group is never given to the model. Bias gets in
only through the records the model reads:

- ``historic_patrol_bias``: group B's streets were patrolled more, so for the same
  offences group B people were caught more often, and were also arrested more often
  when they had done nothing (stops that ended in an arrest and no charge). Their
  *prior arrests* are inflated for the same behaviour. Convictions follow only real
  offences that were caught, so they are inflated less.
- ``label_bias``: the model learns from *re-arrest*, not from reoffending, because
  re-arrest is what the records hold. The choice made here: for the same behaviour,
  a group B person is more likely to be re-arrested. A group B person who reoffends
  is caught more often (0.60 rising to 0.95), and one who does not reoffend is
  arrested anyway more often (0.03 rising to 0.15). Group A's chances stay as they are.

Label bias alone cannot reach the decisions: if nothing the model sees differs
between the groups, it cannot tell them apart. Over-patrolling gives it a way in
(more arrests on record), and then the two biases feed each other.

The model
---------
A scikit-learn logistic regression on four features (age, prior arrests, prior
convictions, has a job) learns from a past cohort of ``n_people`` and scores a new
cohort of ``n_people``; those scored people are the rows of the outcome. Its score is
its estimate of the chance of re-arrest, and a person is labelled high risk when the
score reaches ``threshold``. The default, 0.25, labels about as many people as truly
reoffend (about 34 in 100 at the defaults); it sits below that rate because the
model learned re-arrest, which the records show for only about 23 in 100.

The fixes (``mitigation``) need an audit: a sample of the past cohort (three in
ten of them, at least 500 people, or all of them in a smaller town) whose true
reoffending was found out carefully, not read off arrest records.
``"threshold_optimizer"`` keeps the model and learns a cut-off per group from the
audit (so it has to know each person's group, and it decides by a weighted coin
toss near the cut-off); ``"exponentiated_gradient"`` retrains on the audit under an
equal-mistakes rule. Both go through ``fairness.fit_mitigation``.

>>> out = simulate(RiskConfig(n_people=400, seed=1))
>>> len(out.y_true), sorted(out.groups)
(400, ['A', 'B'])
>>> card = explain(out, 0)
>>> card.number, 0 <= card.score <= 100
(1, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from simulators.config import Preset, SimConfig, setting, validate
from simulators.fairness import FairModel, Outcome, Terms, fit_mitigation
from workshop.i18n import N_

# --- The made-up world's constants (behaviour is the same for both groups) ---------
AGE_RANGE = (18, 60)
TENDENCY_SHAPE, TENDENCY_SCALE = 1.5, 0.6  # hidden tendency to offend (gamma)
MAX_YEARS = 12  # years of adult record that count
OFFENCES_PER_YEAR = 0.5  # offences a year per unit of tendency
CAUGHT = 0.35  # chance an offence leads to an arrest, without extra patrols
CAUGHT_EXTRA = 0.45  # added in group B at full historic patrol bias
STOPS_PER_YEAR = 0.03  # arrests with no offence behind them, a year
STOPS_EXTRA = 8.0  # group B's stop arrests multiply by 1 + this at full patrol bias
CONVICTED = 0.6  # chance a caught offence ends in a conviction
REARREST_IF_REOFFEND = 0.60  # chance the records show reoffending as a re-arrest
REARREST_IF_REOFFEND_EXTRA = 0.35  # added in group B at full label bias
REARREST_IF_NOT = 0.03  # re-arrested though they did not reoffend
REARREST_IF_NOT_EXTRA = 0.12  # added in group B at full label bias
AUDIT_SHARE, AUDIT_MIN = 0.3, 500

FEATURES = ("age", "arrests", "convictions", "employed")

TERMS = Terms(
    harm="false_positive_rate",
    headline=N_(
        "Of every 100 people who did not reoffend, the AI labelled {first} from "
        "{first_group} high risk, and {second} from {second_group}."),
    labels={
        "selection_rate": N_("Labelled high risk, of all"),
        "true_positive_rate": N_("Reoffenders labelled high risk"),
        "false_negative_rate": N_("Reoffenders missed"),
        "false_positive_rate": N_("Labelled high risk wrongly"),
    },
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
        "accuracy": N_("Out of every 100 people, how many the AI judged right."),
    },
    flagged=N_("labelled high risk"),
)


@dataclass(frozen=True)
class RiskConfig(SimConfig):
    """The settings of the reoffending-risk world."""

    n_people: int = setting(
        2000,
        label=N_("How many people the AI scores"),
        help=N_("The AI learns from this many people from the past, then gives a risk "
        "score to this many new people."),
        min=200,
        max=10000,
        step=100,
        advanced=True,
    )
    group_b_share: float = setting(
        0.3,
        label=N_("Share of people in group B"),
        help=N_("Out of every 100 people, how many belong to group B. Both groups behave "
        "the same way."),
        min=0.1,
        max=0.9,
        step=0.05,
        advanced=True,
    )
    historic_patrol_bias: float = setting(
        0.0,
        label=N_("Extra police patrols in group B's streets in the past"),
        help=N_("0 means both groups' streets were patrolled the same. Higher means group B "
        "was watched more, so for the same behaviour they got more arrests on record."),
        min=0.0,
        max=1.0,
        step=0.05,
        bias=True,
    )
    label_bias: float = setting(
        0.0,
        label=N_("Re-arrest counted as reoffending"),
        help=N_("The AI learns from who was arrested again, not who really reoffended. "
        "0 means both groups are re-arrested equally for the same behaviour; higher "
        "means group B is re-arrested more, even some who did nothing."),
        min=0.0,
        max=1.0,
        step=0.05,
        bias=True,
    )
    threshold: float = setting(
        0.25,
        label=N_("Risk score needed to be labelled high risk"),
        help=N_("The AI gives each person a score from 0 to 1 (its guess of their chance "
        "of being arrested again). At 0.25, about as many people are labelled high "
        "risk as really go on to reoffend."),
        min=0.05,
        max=0.95,
        step=0.05,
    )
    mitigation: str = setting(
        "none",
        label=N_("Fix"),
        help=N_("Both fixes first check a small sample of people whose real reoffending "
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
    """The scored people, what the model learned from, and the cut-offs it used.

    ``people`` has one row per scored person (row ``i`` is row ``i`` of ``y_true``):
    the features the model saw (``FEATURES``), the hidden truth (``offences``,
    ``stop_arrests``, ``reoffended``), the record (``rearrested``), ``score``,
    ``flag_chance`` (the chance the decision rule labels them high risk) and
    ``flagged``. ``score`` is always the risk score of the model trained on the
    records (``model``); with a fix, ``decider`` labels people, from per-group cut-offs
    on that score (``cutoffs``) or, when retrained, without it (cut-offs are NaN).
    ``records`` compares, per group of the past cohort the model learned
    from, the truth with the records.
    """

    people: pd.DataFrame
    records: pd.DataFrame
    cutoffs: dict[str, float]
    threshold: float
    mitigation: str
    reference: dict[str, float]
    audit_size: int
    model: FairModel = field(repr=False, compare=False)  # gives the risk score
    decider: FairModel = field(repr=False, compare=False)  # labels (the fix, if any)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _world(rng: np.random.Generator, n: int, config: RiskConfig) -> dict[str, np.ndarray]:
    """``n`` made-up people: the same behaviour in both groups, biased records in B."""
    b = rng.random(n) < config.group_b_share
    age = rng.integers(AGE_RANGE[0], AGE_RANGE[1] + 1, n)
    tendency = rng.gamma(TENDENCY_SHAPE, TENDENCY_SCALE, n)
    years = np.minimum(age - 16, MAX_YEARS)
    employed = rng.random(n) < _sigmoid(1.0 - 0.8 * tendency + 0.02 * (age - 30))
    offences = rng.poisson(OFFENCES_PER_YEAR * tendency * years)
    pb = config.historic_patrol_bias
    caught = rng.binomial(offences, np.where(b, CAUGHT + CAUGHT_EXTRA * pb, CAUGHT))
    stops = rng.poisson(years * STOPS_PER_YEAR * np.where(b, 1 + STOPS_EXTRA * pb, 1.0))
    convictions = rng.binomial(caught, CONVICTED)
    logit = 0.35 + 1.2 * np.log(tendency) - 0.045 * (age - 30) - 0.5 * employed
    reoffended = rng.random(n) < _sigmoid(logit)
    lb = config.label_bias
    p_rearrest = np.where(
        reoffended,
        np.where(b, REARREST_IF_REOFFEND + REARREST_IF_REOFFEND_EXTRA * lb, REARREST_IF_REOFFEND),
        np.where(b, REARREST_IF_NOT + REARREST_IF_NOT_EXTRA * lb, REARREST_IF_NOT),
    )
    rearrested = rng.random(n) < p_rearrest
    return {
        "group": np.where(b, "B", "A"),
        "age": age,
        "arrests": caught + stops,
        "convictions": convictions,
        "employed": employed.astype(np.int8),
        "offences": offences,
        "stop_arrests": stops,
        "reoffended": reoffended.astype(np.int8),
        "rearrested": rearrested.astype(np.int8),
    }


def _features(world: dict[str, np.ndarray], rows: slice) -> np.ndarray:
    return np.column_stack([world[f][rows] for f in FEATURES]).astype(float)


def _records(world: dict[str, np.ndarray], rows: slice) -> pd.DataFrame:
    """Per group of the past cohort: the truth beside the records the model learned from."""
    group = world["group"][rows]
    out = []
    for g in ("A", "B"):
        m = group == g
        k = int(m.sum())

        def mean(col: str, m: np.ndarray = m, k: int = k) -> float:
            return float(world[col][rows][m].mean()) if k else float("nan")

        out.append(
            {
                "group": g,
                "people": k,
                "reoffended_per_100": 100 * mean("reoffended"),
                "rearrested_per_100": 100 * mean("rearrested"),
                "offences_per_person": mean("offences"),
                "arrests_per_person": mean("arrests"),
            }
        )
    return pd.DataFrame(out).set_index("group")


def _cutoffs(score: np.ndarray, chance: np.ndarray, group: np.ndarray) -> dict[str, float]:
    """Per group, the lowest score at which the rule labels at least half high risk."""
    out = {}
    for g in ("A", "B"):
        m = (group == g) & (chance >= 0.5)
        out[g] = float(score[m].min()) if m.any() else float("nan")
    return out


def simulate(config: RiskConfig) -> RiskOutcome:
    """Make the people, train the model on the past cohort, score the new cohort."""
    validate(config)
    n = config.n_people
    rng = np.random.default_rng(config.seed)
    world = _world(rng, 2 * n, config)
    past, now = slice(0, n), slice(n, 2 * n)
    X_past, X_now = _features(world, past), _features(world, now)
    group_now = pd.Series(world["group"][now], name="group")

    # Newton's method on four features: the same fit as lbfgs, several times faster.
    logit = LogisticRegression(solver="newton-cholesky")
    model = Pipeline([("scale", StandardScaler()), ("logit", logit)])
    base = fit_mitigation(
        model, X_past, world["rearrested"][past], world["group"][past], "none",
        threshold=config.threshold, seed=config.seed,
    )
    n_audit = min(n, max(AUDIT_MIN, round(AUDIT_SHARE * n)))
    if config.mitigation == "none":
        fair = base
    else:
        audit = slice(0, n_audit)  # past rows are in random order: the first ones will do
        try:
            fair = fit_mitigation(
                base.model, X_past[audit], world["reoffended"][audit],
                world["group"][audit], config.mitigation, prefit=True, seed=config.seed,
            )
        except ValueError as err:  # e.g. a group with no reoffender in a tiny audit
            raise ValueError(
                "The audit sample is too small for this fix: use more people "
                f"or a bigger group B ({err})"
            ) from err

    score = base.score(X_now)  # the risk score: the model trained on the records
    flagged = fair.predict(X_now, group_now)
    if config.mitigation == "threshold_optimizer":
        chance = fair.model._pmf_predict(X_now, sensitive_features=group_now)[:, 1]
        cutoffs = _cutoffs(score, chance, group_now.to_numpy())
    elif config.mitigation == "exponentiated_gradient":
        # The retrained mix decides without the risk score: no cut-off on it.
        chance = fair.score(X_now)
        cutoffs = {"A": float("nan"), "B": float("nan")}
    else:
        chance = (score >= config.threshold).astype(float)
        cutoffs = {"A": config.threshold, "B": config.threshold}

    people = pd.DataFrame({k: v[now] for k, v in world.items()})
    people["score"] = score
    people["flag_chance"] = chance
    people["flagged"] = flagged
    reference = {
        "age": float(np.median(people["age"])),
        "arrests": float(np.median(people["arrests"])),
        "convictions": float(np.median(people["convictions"])),
        "employed": float(people["employed"].mean() >= 0.5),
    }
    return RiskOutcome(
        y_true=world["reoffended"][now],
        y_pred=flagged,
        sensitive=group_now,
        score=score,
        terms=TERMS,
        people=people,
        records=_records(world, past),
        cutoffs=cutoffs,
        threshold=config.threshold,
        mitigation=config.mitigation,
        reference=reference,
        audit_size=n_audit if config.mitigation != "none" else 0,
        model=base,
        decider=fair,
    )


# --- Helpers for the page: pure, so tests can read them without a server ------------

#: Which people the page can ask for, and how to find them.
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


def find_people(outcome: RiskOutcome, kind: str = "any", group: str | None = None) -> np.ndarray:
    """Row numbers of people of one kind (see ``KINDS``), in a fixed shuffled order.

    >>> out = simulate(RiskConfig(n_people=400, historic_patrol_bias=0.8, seed=2))
    >>> i = find_people(out, "false_alarm", "B")[0]
    >>> bool(out.y_pred[i] == 1 and out.y_true[i] == 0 and out.sensitive[i] == "B")
    True
    """
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


def score_histogram(outcome: RiskOutcome, step: int = 5) -> pd.DataFrame:
    """Risk scores (0-100) in bins of ``step``, as the percent of each group in each bin."""
    edges = np.arange(0, 100 + step, step)
    scores = np.clip(100 * outcome.people["score"].to_numpy(), 0, 99.999)
    rows = []
    for g in outcome.groups:
        s = scores[outcome.sensitive.to_numpy() == g]
        counts, _ = np.histogram(s, bins=edges)
        total = max(len(s), 1)
        for lo, c in zip(edges[:-1], counts, strict=True):
            rows.append(
                {
                    "group": outcome.terms.group(g),
                    "code": g,
                    "score_from": int(lo),
                    "score_to": int(lo + step),
                    "people": int(c),
                    "percent": round(100 * c / total, 1),
                }
            )
    return pd.DataFrame(rows)


def score_medians(outcome: RiskOutcome) -> dict[str, int]:
    """Each group's middle risk score (0-100): half the group scores this or more."""
    scores = outcome.people["score"].to_numpy()
    groups = outcome.sensitive.to_numpy()
    return {g: round(100 * float(np.median(scores[groups == g]))) for g in outcome.groups}


# --- The "why this score" card ------------------------------------------------------
# Every sentence of the card is here, so a translation is one place.
CARD = {
    "age": "Age {value:.0f}",
    "arrests": ("1 past arrest", "{value:.0f} past arrests"),
    "convictions": ("1 past conviction", "{value:.0f} past convictions"),
    "employed_yes": "Has a job",
    "employed_no": "Has no job",
    "typical_age": "a typical person here is {ref:.0f}",
    "typical_count": "a typical person here has {ref:.0f}",
    "typical_job": "most people here {ref}",
    "job_has": "have a job",
    "job_not": "have no job",
    "up": "pushes their score up {pts}",
    "down": "brings their score down {pts}",
    "point": "1 point",
    "points": "{n} points",
    "none": "makes almost no difference to their score",
    "reason": "{what} ({typical}): {effect}.",
    "rule_one": "People scoring {cut} or more are labelled high risk.",
    "rule_groups": "The fix uses a cut-off for each group: about {cut} for {group}.",
    "rule_chance": "At this score the fix labels {chance} in 100 people like them high risk, "
    "by a weighted coin toss.",
    "rule_mix": "The retrained AI does not use this score. It labels {chance} in 100 people "
    "like them high risk, picking by chance among a mix of AIs.",
    "decision_yes": "The AI labelled them high risk.",
    "decision_no": "The AI did not label them high risk.",
    "truth_yes": "What really happened: they went on to reoffend.",
    "truth_no": "What really happened: they did not reoffend.",
    "record_yes": "What the police records show: they were arrested again.",
    "record_no": "What the police records show: they were not arrested again.",
    "record_wrong_yes": "What the police records show: they were arrested again, "
    "though they had not reoffended.",
    "record_wrong_no": "What the police records show: no new arrest, "
    "though they did reoffend.",
    "hidden": "What the AI could not see: they really committed {offences} in the past.",
    "hidden_stops": "Of their {arrests}, {stops} came from being stopped when they had "
    "done nothing.",
    "hidden_no_stops": "Every one of their arrests was for a real offence.",
    "hidden_no_arrests": "They had never been arrested.",
    "offence": ("{n} offence", "{n} offences"),
    "arrest": ("{n} arrest", "{n} arrests"),
    "verdict_false_alarm": "A false alarm: labelled high risk, but did not reoffend.",
    "verdict_missed": "Missed: went on to reoffend, but was not labelled high risk.",
    "verdict_caught": "Labelled high risk, and did go on to reoffend.",
    "verdict_cleared": "Not labelled high risk, and did not reoffend.",
}


@dataclass(frozen=True)
class Reason:
    """One feature's part in a score: the score minus the score had it been typical."""

    feature: str
    shown: str  # "6 past arrests"
    points: int  # score points this feature adds (negative: takes away)
    sentence: str


@dataclass(frozen=True)
class PersonCard:
    """Everything the "why this score" card says about one scored person."""

    index: int
    number: int  # 1-based, as shown to people
    group: str
    score: int
    flagged: bool
    reoffended: bool
    rearrested: bool
    kind: str  # a KINDS key: false_alarm, missed, caught, cleared
    reasons: list[Reason]
    rule: str
    decision: str
    truth: str
    record: str
    hidden: str
    verdict: str


def _reason_text(feature: str, value: float, ref: float, points: int) -> tuple[str, str]:
    if feature == "employed":
        shown = CARD["employed_yes"] if value else CARD["employed_no"]
        typical = CARD["typical_job"].format(ref=CARD["job_has"] if ref else CARD["job_not"])
    elif feature == "age":
        shown = CARD["age"].format(value=value)
        typical = CARD["typical_age"].format(ref=ref)
    else:
        shown = CARD[feature][int(value != 1)].format(value=value)
        typical = CARD["typical_count"].format(ref=ref)
    pts = CARD["point"] if abs(points) == 1 else CARD["points"].format(n=abs(points))
    if points > 0:
        effect = CARD["up"].format(pts=pts)
    elif points < 0:
        effect = CARD["down"].format(pts=pts)
    else:
        effect = CARD["none"]
    return shown, CARD["reason"].format(what=shown, typical=typical, effect=effect)


def _count(word: str, n: int) -> str:
    return CARD[word][int(n != 1)].format(n=n)


def _hidden(offences: int, arrests: int, stops: int) -> str:
    """What the record hides: real offences, and arrests with no offence behind them."""
    first = CARD["hidden"].format(offences=_count("offence", offences))
    if arrests == 0:
        second = CARD["hidden_no_arrests"]
    elif stops == 0:
        second = CARD["hidden_no_stops"]
    else:
        second = CARD["hidden_stops"].format(arrests=_count("arrest", arrests), stops=stops)
    return f"{first} {second}"


def explain(outcome: RiskOutcome, index: int) -> PersonCard:
    """Why person ``index`` (a row of the outcome) got their score, in plain words.

    Each feature's part is measured as how many points (out of 100) their score
    would change had that one feature been typical (the median person scored);
    the parts need not add up, since the model is not a simple sum of points.
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
    score = round(100 * float(row["score"]))
    reasons = []
    for j, f in enumerate(FEATURES):
        points = round(100 * float(scores[0] - scores[j + 1]))
        shown, sentence = _reason_text(f, x[0, j], outcome.reference[f], points)
        reasons.append(Reason(f, shown, points, sentence))
    reasons.sort(key=lambda r: -abs(r.points))

    group = str(row["group"])
    flagged, reoffended = bool(row["flagged"]), bool(row["reoffended"])
    rearrested = bool(row["rearrested"])
    if outcome.mitigation == "none":
        rule = CARD["rule_one"].format(cut=round(100 * outcome.threshold))
    elif outcome.mitigation == "exponentiated_gradient":
        rule = CARD["rule_mix"].format(chance=round(100 * float(row["flag_chance"])))
    else:
        cut = outcome.cutoffs.get(group, float("nan"))
        cut_text = "-" if cut != cut else str(round(100 * cut))
        rule = CARD["rule_groups"].format(cut=cut_text, group=outcome.terms.group(group))
        chance = float(row["flag_chance"])
        if 0.01 < chance < 0.99:
            rule += " " + CARD["rule_chance"].format(chance=round(100 * chance))
    if rearrested != reoffended:
        record = CARD["record_wrong_yes"] if rearrested else CARD["record_wrong_no"]
    else:
        record = CARD["record_yes"] if rearrested else CARD["record_no"]
    kind = kind_of(flagged, reoffended)
    return PersonCard(
        index=index,
        number=index + 1,
        group=outcome.terms.group(group),
        score=score,
        flagged=flagged,
        reoffended=reoffended,
        rearrested=rearrested,
        kind=kind,
        reasons=reasons,
        rule=rule,
        decision=CARD["decision_yes"] if flagged else CARD["decision_no"],
        truth=CARD["truth_yes"] if reoffended else CARD["truth_no"],
        record=record,
        hidden=_hidden(int(row["offences"]), int(row["arrests"]), int(row["stop_arrests"])),
        verdict=CARD[f"verdict_{kind}"],
    )


# --- Scenarios the facilitator can put the room on ---------------------------------
_PAST = dict(historic_patrol_bias=0.7)
_BOTH = dict(historic_patrol_bias=0.7, label_bias=0.6)

PRESETS: list[Preset] = [
    Preset(
        "fair_start",
        N_("A fair start"),
        N_("Both groups behave the same and were policed the same, so the records are fair. "
        "About the same share of each group is labelled high risk without going on to "
        "reoffend."),
        RiskConfig(),
    ),
    Preset(
        "patrolled_past",
        N_("An over-patrolled past"),
        N_("Group B's streets were patrolled far more, so the same behaviour left them with "
        "more arrests on record. The AI never sees anyone's group, yet it now wrongly "
        "labels more of group B high risk."),
        RiskConfig(**_PAST),
    ),
    Preset(
        "arrest_not_crime",
        N_("Arrests are not crimes"),
        N_("The AI also learns from who was arrested again, not who really reoffended, and "
        "group B is re-arrested more for the same behaviour. The two biases feed each "
        "other and the gap in wrong labels grows."),
        RiskConfig(**_BOTH),
    ),
    Preset(
        "audit_fix",
        N_("A fix checked by an audit"),
        N_("A careful audit finds out who really reoffended, and the AI gets a separate "
        "cut-off for each group so both groups get the same share of mistakes. The gap "
        "shrinks, but only by holding group B to a higher score: the AI now has to be "
        "told each person's group."),
        RiskConfig(**_BOTH, mitigation="threshold_optimizer"),
    ),
]
