"""Fixes for fairness, from Fairlearn: fit one, and read what it decided and how.

:func:`fit_mitigation` fits a scikit-learn classifier with no fix, with Fairlearn's
``ThresholdOptimizer`` (a cut-off per group) or with its ``ExponentiatedGradient`` (a
randomised mix retrained under a fairness rule); the :class:`FairModel` it returns
says, for each row, its decision, its score and its chance of being flagged, which is
where a fix that settles some decisions by a random draw shows it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.postprocessing import ThresholdOptimizer
from fairlearn.reductions import EqualizedOdds, ErrorRate, ExponentiatedGradient
from sklearn.base import clone
from sklearn.pipeline import Pipeline

# Fairlearn 0.15's ExponentiatedGradient grows a Series with .at, which pandas 3
# warns about on every iteration; the result is correct, the noise is not ours.
warnings.filterwarnings("ignore", category=pd.errors.Pandas4Warning, module="fairlearn")

MITIGATIONS = ("none", "threshold_optimizer", "exponentiated_gradient")
#: A real toss-up: a chance of being flagged between these (inclusive).
TOSS_UP = (0.2, 0.8)


def toss_ups(chance: np.ndarray) -> np.ndarray:
    """True for each decision that was a real toss-up (see ``TOSS_UP``)."""
    p = np.asarray(chance, dtype=float)
    return (p >= TOSS_UP[0]) & (p <= TOSS_UP[1])


def chance_shares(chance: np.ndarray) -> dict[str, float]:
    """What a decision rule left to chance, from each decision's chance of being flagged:

    - ``coin_toss_share``: the share of decisions that were a real toss-up;
    - ``chance_decided_share``: the share a draw is expected to settle against the
      likelier outcome (the mean of ``min(p, 1 - p)``): a sliver of chance on many
      decisions adds up to few decisions really decided by the draw.

    >>> chance_shares(np.array([0.0, 1.0, 0.5, 0.995]))
    {'coin_toss_share': 0.25, 'chance_decided_share': 0.12625}
    """
    p = np.clip(np.asarray(chance, dtype=float), 0.0, 1.0)
    if not p.size:
        return {"coin_toss_share": 0.0, "chance_decided_share": 0.0}
    return {"coin_toss_share": float(toss_ups(p).mean()),
            "chance_decided_share": float(np.minimum(p, 1 - p).mean())}


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
        return self.chance_of(self.score(X), sensitive)

    def chance_of(self, score: np.ndarray, sensitive: Any) -> np.ndarray:
        """:meth:`chance` from the rows' scores (:meth:`score`), already worked out."""
        if self.mitigation == "threshold_optimizer":
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
            return np.clip(score, 0.0, 1.0)
        return (score >= self.threshold).astype(float)

    def coin_tosses(self, X: Any, sensitive: Any) -> np.ndarray:
        """True for each row whose decision the fix left to a random draw."""
        p = self.chance(X, sensitive)
        return (p > 1e-9) & (p < 1 - 1e-9)

    def predict(self, X: Any, sensitive: Any, score: np.ndarray | None = None) -> np.ndarray:
        """Each row's decision (0/1), drawn where the fix leaves it to chance; ``score``:
        the rows' scores, if already worked out (used without a fix)."""
        if self.mitigation == "threshold_optimizer":
            pred = self.model.predict(
                X, sensitive_features=sensitive, random_state=self.seed
            )
        elif self.mitigation == "exponentiated_gradient":
            pred = self.model.predict(X, random_state=self.seed)
        else:
            pred = (self.score(X) if score is None else score) >= self.threshold
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
