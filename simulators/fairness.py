"""The shared fairness core: every use case's outcome, audited with Fairlearn.

Each outcome's audit is a ``fairlearn.metrics.MetricFrame`` (``outcome.fairness``),
and the mitigations are Fairlearn's ``ThresholdOptimizer`` and
``ExponentiatedGradient``. What pages read on every rerun, each group's rates
(``outcome.rates``) and the headline gaps (``outcome.gaps``: what Fairlearn's
``demographic_parity_difference`` and ``equalized_odds_difference`` compute), is
counted straight from the confusion matrix per group, with Fairlearn's definitions
(a rate whose group has no cases to divide by is 0, as Fairlearn's is); the
MetricFrame, about half the cost of a simulation, is built when something asks for
it. ``tests/test_fairness.py`` checks the two agree for every use case.

>>> import numpy as np, pandas as pd
>>> o = Outcome(np.array([1, 1, 0, 0]), np.array([1, 0, 0, 0]),
...             pd.Series(["A", "A", "B", "B"], name="group"))
>>> round(float(o.fairness.by_group.loc["A", "false_negative_rate"]), 2)
0.5
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    count,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from fairlearn.postprocessing import ThresholdOptimizer
from fairlearn.reductions import EqualizedOdds, ErrorRate, ExponentiatedGradient
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.pipeline import Pipeline

from simulators.messages import N_

# Fairlearn 0.15's ExponentiatedGradient grows a Series with .at, which pandas 3
# warns about on every iteration; the result is correct, the noise is not ours.
warnings.filterwarnings("ignore", category=pd.errors.Pandas4Warning, module="fairlearn")

#: The rates every outcome is audited on, in the order panels show them.
METRICS = {
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "false_negative_rate": false_negative_rate,
    "accuracy": accuracy_score,
    "count": count,
}

MITIGATIONS = ("none", "threshold_optimizer", "exponentiated_gradient")


#: Chart labels and glossary sentences for any use case, by metric (message ids).
GENERIC_LABELS: Mapping[str, str] = {
    "selection_rate": N_("Flagged, of all"),
    "true_positive_rate": N_("Caught, of those that needed action"),
    "false_negative_rate": N_("Missed, of those that needed action"),
    "false_positive_rate": N_("Flagged without need, of those that did not need action"),
    "accuracy": N_("Right decisions"),
}
GENERIC_MEANINGS: Mapping[str, str] = {
    "selection_rate": N_("Out of every 100 cases, how many the AI flagged."),
    "true_positive_rate": N_(
        "Out of every 100 cases that really needed action, how many the AI flagged. "
        "Higher is better."),
    "false_negative_rate": N_(
        "Out of every 100 cases that really needed action, how many the AI missed. "
        "Lower is better: these are the ones that slip through."),
    "false_positive_rate": N_(
        "Out of every 100 cases that did not need action, how many the AI flagged anyway. "
        "Lower is better."),
    "accuracy": N_("Out of every 100 cases, how many the AI got right."),
}


@dataclass(frozen=True)
class Terms:
    """How one use case speaks of its rows, as message ids the pages translate.

    ``harm`` is the metric whose gap between groups is the headline; ``headline``
    says it in one sentence with ``{first}``/``{first_group}`` (the worse-off group)
    and ``{second}``/``{second_group}``, each count out of 100. ``labels`` and
    ``meanings`` name each metric in this use case's words (falling back to the
    generic ones).
    """

    harm: str = "false_negative_rate"
    headline: str = N_(
        "Of every 100 cases that needed action, the AI missed {first} from {first_group} "
        "and {second} from {second_group}.")
    labels: Mapping[str, str] = field(default_factory=dict)
    meanings: Mapping[str, str] = field(default_factory=dict)
    #: The short name of what the AI does to a row, for "Gap in ..." (a message id).
    flagged: str = N_("flagged")
    group_names: Mapping[str, str] = field(
        default_factory=lambda: {"A": N_("group A"), "B": N_("group B")}
    )

    def group(self, label: Any) -> str:
        """The message id naming a group."""
        return self.group_names.get(str(label), str(label))

    def label(self, metric: str) -> str:
        return self.labels.get(metric) or GENERIC_LABELS.get(metric, metric)

    def meaning(self, metric: str) -> str:
        return self.meanings.get(metric) or GENERIC_MEANINGS.get(metric, metric)


def _binary(name: str, values: Any) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.dtype == bool:
        return arr.astype(np.int8)
    if arr.size and not np.isin(arr, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 and 1")
    return arr.astype(np.int8)


@dataclass
class Outcome:
    """What a simulation produced, one row per case, with its Fairlearn audit.

    Use cases extend it with ``@dataclass(kw_only=True)`` subclasses that carry
    what their page needs to tell the story (tables, maps, histories).
    """

    y_true: np.ndarray
    y_pred: np.ndarray
    sensitive: pd.Series
    score: np.ndarray | None = None
    terms: Terms = field(default_factory=Terms)
    #: How many cases each row stands for (Fairlearn's ``sample_weight``), for an
    #: outcome of many identical cases kept as one row each: exact, and as fast as a
    #: few rows. ``None``: every row is one case.
    weight: np.ndarray | None = None
    #: ``{group: {metric: rate}}`` as plain floats (``METRICS``' names): pages read
    #: them on every rerun, where a pandas ``.loc`` costs a millisecond.
    rates: dict[str, dict[str, float]] = field(init=False, repr=False, compare=False)
    #: The headline gaps and overall rates (see :func:`disparities`).
    gaps: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.y_true = _binary("y_true", self.y_true)
        self.y_pred = _binary("y_pred", self.y_pred)
        if not isinstance(self.sensitive, pd.Series):
            self.sensitive = pd.Series(self.sensitive)
        if self.sensitive.name is None:
            self.sensitive = self.sensitive.rename("group")
        self.sensitive = self.sensitive.reset_index(drop=True)
        n = len(self.y_true)
        if len(self.y_pred) != n or len(self.sensitive) != n:
            raise ValueError(
                "y_true, y_pred and sensitive must have the same length, got "
                f"{n}, {len(self.y_pred)} and {len(self.sensitive)}"
            )
        if self.score is not None:
            self.score = np.asarray(self.score, dtype=float)
            if len(self.score) != n:
                raise ValueError("score must have one value per row")
        if self.weight is not None:
            self.weight = np.asarray(self.weight, dtype=float)
            if len(self.weight) != n:
                raise ValueError("weight must have one value per row")
        weight = np.ones(n) if self.weight is None else self.weight
        names, index = np.unique(self.sensitive.to_numpy(), return_inverse=True)
        # The confusion matrix of each group: cell [g, 2 * truth + decision].
        cells = np.zeros((len(names), 4))
        np.add.at(cells, (index, 2 * self.y_true + self.y_pred), weight)
        self.rates = {str(g): _rates(*cells[i]) for i, g in enumerate(names)}
        overall = _rates(*cells.sum(axis=0))

        def gap(metric: str) -> float:  # MetricFrame.difference(): largest minus smallest
            values = [r[metric] for r in self.rates.values()]
            return max(values) - min(values) if values else 0.0

        self.gaps = {
            "demographic_parity_difference": gap("selection_rate"),
            "equalized_odds_difference": max(gap("true_positive_rate"),
                                             gap("false_positive_rate")),
            "false_negative_rate_difference": gap("false_negative_rate"),
            "false_positive_rate_difference": gap("false_positive_rate"),
            "selection_rate": overall["selection_rate"],
            "accuracy": overall["accuracy"],
        }

    @property
    def fairness(self) -> MetricFrame:
        """Fairlearn's audit of this outcome (built on first use, then kept)."""
        frame = self.__dict__.get("_fairness")
        if frame is None:
            metrics, params = METRICS, None
            if self.weight is not None:
                metrics = {**METRICS, "count": _weighted_count}
                params = {m: {"sample_weight": self.weight} for m in METRICS}
            frame = self.__dict__["_fairness"] = MetricFrame(
                metrics=metrics, y_true=self.y_true, y_pred=self.y_pred,
                sensitive_features=self.sensitive, sample_params=params)
        return frame

    @property
    def groups(self) -> list[str]:
        return list(self.rates)


def _rates(tn: float, fp: float, fn: float, tp: float) -> dict[str, float]:
    """``METRICS`` from one confusion matrix (of weights), as Fairlearn defines them."""

    def share(part: float, whole: float) -> float:
        return float(part / whole) if whole > 0 else 0.0

    cases = tn + fp + fn + tp
    return {
        "selection_rate": share(fp + tp, cases),
        "true_positive_rate": share(tp, tp + fn),
        "false_positive_rate": share(fp, fp + tn),
        "false_negative_rate": share(fn, tp + fn),
        "accuracy": share(tp + tn, cases),
        "count": float(cases),
    }


def _weighted_count(y_true: Any, y_pred: Any, sample_weight: Any) -> float:
    """Fairlearn's ``count`` when each row stands for ``sample_weight`` cases."""
    return float(np.sum(sample_weight))


def disparities(outcome: Outcome) -> dict[str, float]:
    """The headline gaps between groups (0 means none), and the overall rates.

    The selection rate and accuracy always travel with the gaps, so a "fix" that
    closes a gap by flagging nobody is visible as such.
    """
    return dict(outcome.gaps)


def summary(outcome: Outcome) -> dict[str, float]:
    """A flat, JSON-able record of an outcome: the gaps and each group's rates.

    This is what a participant's reaction stores as "the numbers on screen".
    """
    out = {k: round(v, 4) for k, v in outcome.gaps.items()}
    for group, rates in outcome.rates.items():
        for metric in METRICS:
            value = rates[metric]
            key = f"{metric}[{group}]"
            out[key] = int(value) if metric == "count" else round(value, 4)
    return out


@dataclass
class FairModel:
    """A fitted predictor, mitigated or not, that predicts 0/1 for each row."""

    mitigation: str
    model: Any
    threshold: float = 0.5
    seed: int = 0

    def score(self, X: Any) -> np.ndarray:
        """The underlying model's probability of the positive class."""
        if self.mitigation == "threshold_optimizer":
            return self.model.estimator_.predict_proba(X)[:, 1]
        if self.mitigation == "exponentiated_gradient":
            # The randomised mix's chance of flagging: each predictor's 0/1 answer,
            # weighted as the mix draws them (its public predictors_ and weights_).
            m = self.model
            return sum(float(w) * np.asarray(p.predict(X), dtype=float)
                       for w, p in zip(m.weights_, m.predictors_, strict=True))
        return self.model.predict_proba(X)[:, 1]

    def chance(self, X: Any, sensitive: Any) -> np.ndarray:
        """Each row's chance of being flagged: 0 or 1 where the decision is fixed,
        in between where the fix settles it by a random draw.

        A ``ThresholdOptimizer`` mixes, per group, two cut-offs (and, a share
        ``p_ignore`` of the time, a flat chance); an ``ExponentiatedGradient`` model
        draws one of several predictors. Both are read from their public fitted
        attributes (``interpolated_thresholder_.interpolation_dict``;
        ``predictors_`` and ``weights_``).
        """
        if self.mitigation == "threshold_optimizer":
            score = self.score(X)
            groups = np.asarray(sensitive).astype(str)
            out = np.zeros(len(score))
            for g, rule in self.model.interpolated_thresholder_.interpolation_dict.items():
                rows = groups == str(g)
                s = score[rows]
                mixed = sum(float(rule[f"p{i}"]) * _passes(rule[f"operation{i}"], s)
                            for i in (0, 1))
                p_ignore = float(rule.get("p_ignore", 0.0))
                out[rows] = (1 - p_ignore) * mixed + p_ignore * float(
                    rule.get("prediction_constant", 0.0))
            return np.clip(out, 0.0, 1.0)
        if self.mitigation == "exponentiated_gradient":
            return np.clip(self.score(X), 0.0, 1.0)
        return (self.score(X) >= self.threshold).astype(float)

    def coin_tosses(self, X: Any, sensitive: Any) -> np.ndarray:
        """True for each row whose decision the fix left to a random draw."""
        p = self.chance(X, sensitive)
        return (p > 1e-9) & (p < 1 - 1e-9)

    def predict(self, X: Any, sensitive: Any) -> np.ndarray:
        if self.mitigation == "threshold_optimizer":
            pred = self.model.predict(
                X, sensitive_features=sensitive, random_state=self.seed
            )
        elif self.mitigation == "exponentiated_gradient":
            pred = self.model.predict(X, random_state=self.seed)
        else:
            pred = self.score(X) >= self.threshold
        return np.asarray(pred).astype(np.int8)


def _passes(operation: Any, score: np.ndarray) -> np.ndarray:
    """1.0 where a Fairlearn threshold operation (``>`` or ``<`` a threshold) holds."""
    if operation.operator == ">":
        return (score > operation.threshold).astype(float)
    return (score < operation.threshold).astype(float)


def _balanced_costs(y: np.ndarray) -> dict[str, float]:
    """Error costs that weigh both classes equally (balanced accuracy)."""
    p = float(np.clip(np.mean(y), 1e-3, 1 - 1e-3))
    return {"fn": 0.5 / p, "fp": 0.5 / (1 - p)}


def fit_mitigation(
    estimator: Any,
    X: Any,
    y: Any,
    sensitive: Any,
    mitigation: str = "none",
    *,
    prefit: bool = False,
    threshold: float = 0.5,
    seed: int = 0,
    constraints: str = "equalized_odds",
) -> FairModel:
    """Fit ``estimator`` (a scikit-learn classifier) with a named mitigation.

    - ``"none"``: the estimator itself, flagging where its probability reaches
      ``threshold``.
    - ``"threshold_optimizer"``: Fairlearn's ``ThresholdOptimizer`` picks a
      threshold per group for equalized odds (or ``constraints``) while maximising
      balanced accuracy, so it cannot close a gap by flagging nobody. With ``prefit=True`` the
      estimator is kept as trained and only the thresholds are learned from
      ``X, y`` (for example a small audited sample whose true outcome is known).
      ``constraints`` names another of Fairlearn's constraints for it, such as
      ``"true_positive_rate_parity"`` (each group's positives found equally often).
    - ``"exponentiated_gradient"``: Fairlearn's ``ExponentiatedGradient`` retrains
      a randomised mix of estimators on ``X, y`` under equalized odds, with
      errors on both classes weighted equally.
    """
    if mitigation not in MITIGATIONS:
        raise ValueError(
            f"mitigation must be one of {', '.join(MITIGATIONS)}, got {mitigation!r}"
        )
    y = np.asarray(y)
    if mitigation == "none":
        model = estimator if prefit else clone(estimator).fit(X, y)
        return FairModel("none", model, threshold, seed)
    if mitigation == "threshold_optimizer":
        opt = ThresholdOptimizer(
            estimator=estimator if prefit else clone(estimator),
            constraints=constraints,
            objective="balanced_accuracy_score",
            prefit=prefit,
            predict_method="predict_proba",
        )
        opt.fit(X, y, sensitive_features=sensitive)
        return FairModel(mitigation, opt, threshold, seed)
    weight_name = "sample_weight"
    if isinstance(estimator, Pipeline):
        weight_name = f"{estimator.steps[-1][0]}__sample_weight"
    eg = ExponentiatedGradient(
        clone(estimator),
        constraints=EqualizedOdds(),
        objective=ErrorRate(costs=_balanced_costs(y)),
        eps=0.02,
        max_iter=30,
        sample_weight_name=weight_name,
    )
    eg.fit(X, y, sensitive_features=sensitive)
    return FairModel(mitigation, eg, threshold, seed)
