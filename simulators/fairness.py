"""The shared fairness core: every use case's outcome, audited with Fairlearn.

Nothing here re-implements Fairlearn: group rates come from
``fairlearn.metrics.MetricFrame``, the headline gaps from its ``difference()`` (what
Fairlearn's ``demographic_parity_difference`` and ``equalized_odds_difference``
compute, without building two more MetricFrames), and the
mitigations are Fairlearn's ``ThresholdOptimizer`` and ``ExponentiatedGradient``.

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


@dataclass(frozen=True)
class Terms:
    """How one use case speaks of its rows, so panels can say it in plain words.

    For the 101 calls: unit "calls", positive "needed a fast response",
    flagged "fast-tracked", harm "false_negative_rate" (urgent calls missed).
    """

    unit: str = "cases"
    positive: str = "needed action"
    negative: str = "did not need action"
    flagged: str = "flagged"
    missed: str = "missed"
    false_alarm: str = "flagged without need"
    harm: str = "false_negative_rate"
    group_names: Mapping[str, str] = field(
        default_factory=lambda: {"A": "group A", "B": "group B"}
    )

    def group(self, label: Any) -> str:
        return self.group_names.get(str(label), f"group {label}")


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
    fairness: MetricFrame = field(init=False, repr=False)
    # Headline numbers, worked out once: a page redraws a cached outcome on every rerun.
    _memo: dict[str, Any] = field(init=False, repr=False, compare=False, default_factory=dict)

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
        self.fairness = MetricFrame(
            metrics=METRICS,
            y_true=self.y_true,
            y_pred=self.y_pred,
            sensitive_features=self.sensitive,
        )

    @property
    def groups(self) -> list[str]:
        return list(self.rates)

    @property
    def rates(self) -> dict[str, dict[str, float]]:
        """``{group: {metric: rate}}`` as plain floats, read from the MetricFrame once.

        Pages read these numbers on every rerun; a dict lookup costs nothing, a
        pandas ``.loc`` on a string index costs a millisecond each.
        """
        if "rates" not in self._memo:
            table = self.fairness.by_group
            self._memo["rates"] = {
                str(g): {m: float(v) for m, v in row.items()} for g, row in table.iterrows()
            }
        return self._memo["rates"]


def disparities(outcome: Outcome) -> dict[str, float]:
    """The headline gaps between groups (0 means none), and the overall rates.

    The selection rate and accuracy always travel with the gaps, so a "fix" that
    closes a gap by flagging nobody is visible as such.
    """
    if "disparities" in outcome._memo:
        return dict(outcome._memo["disparities"])
    diff = outcome.fairness.difference()
    overall = outcome.fairness.overall
    outcome._memo["disparities"] = gaps = {
        # Fairlearn's demographic_parity_difference and equalized_odds_difference
        # are these differences of the outcome's own MetricFrame (tests check they
        # agree); reading them here spares two more MetricFrames per outcome.
        "demographic_parity_difference": float(diff["selection_rate"]),
        "equalized_odds_difference": float(
            diff[["true_positive_rate", "false_positive_rate"]].max()
        ),
        "false_negative_rate_difference": float(diff["false_negative_rate"]),
        "false_positive_rate_difference": float(diff["false_positive_rate"]),
        "selection_rate": float(overall["selection_rate"]),
        "accuracy": float(overall["accuracy"]),
    }
    return dict(gaps)


def summary(outcome: Outcome) -> dict[str, float]:
    """A flat, JSON-able record of an outcome: the gaps and each group's rates.

    This is what a participant's reaction stores as "the numbers on screen".
    """
    if "summary" in outcome._memo:
        return dict(outcome._memo["summary"])
    out = {k: round(v, 4) for k, v in disparities(outcome).items()}
    for group, rates in outcome.rates.items():
        for metric in METRICS:
            value = rates[metric]
            key = f"{metric}[{group}]"
            out[key] = int(value) if metric == "count" else round(value, 4)
    outcome._memo["summary"] = out
    return dict(out)


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
            return self.model._pmf_predict(X)[:, 1]
        return self.model.predict_proba(X)[:, 1]

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
) -> FairModel:
    """Fit ``estimator`` (a scikit-learn classifier) with a named mitigation.

    - ``"none"``: the estimator itself, flagging where its probability reaches
      ``threshold``.
    - ``"threshold_optimizer"``: Fairlearn's ``ThresholdOptimizer`` picks a
      threshold per group for equalized odds while maximising balanced accuracy,
      so it cannot close a gap by flagging nobody. With ``prefit=True`` the
      estimator is kept as trained and only the thresholds are learned from
      ``X, y`` (for example a small audited sample whose true outcome is known).
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
            constraints="equalized_odds",
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
