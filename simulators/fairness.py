"""The shared fairness core: every use case's outcome, audited with Fairlearn.

Each outcome's audit is a ``fairlearn.metrics.MetricFrame`` (``outcome.fairness``);
the fixes are in ``simulators/mitigation.py`` and the words in ``simulators/terms.py``.
What pages read on every rerun, each group's rates
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
from sklearn.metrics import accuracy_score

from simulators.terms import Terms

#: The rates every outcome is audited on, in the order panels show them.
METRICS = {
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "false_negative_rate": false_negative_rate,
    "accuracy": accuracy_score,
    "count": count,
}

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
    #: What the decision rule left to chance (``simulators.mitigation.chance_shares``):
    #: the share of decisions that were a real toss-up (a chance of being flagged
    #: between 20 and 80 in 100), and the share a draw is expected to have settled
    #: against the likelier outcome. 0 for a rule that leaves nothing to chance.
    coin_toss_share: float = 0.0
    chance_decided_share: float = 0.0
    #: ``{group: {metric: rate}}`` as plain floats (``METRICS``' names): pages read
    #: them on every rerun, where a pandas ``.loc`` costs a millisecond.
    rates: dict[str, dict[str, float]] = field(init=False, repr=False, compare=False)
    #: The headline gaps between groups: largest minus smallest rate (0: none).
    gaps: dict[str, float] = field(init=False, repr=False, compare=False)
    #: The same rates over every row, whatever the group (``METRICS``' names).
    overall: dict[str, float] = field(init=False, repr=False, compare=False)

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
        self.overall = _rates(*cells.sum(axis=0))

        def gap(metric: str) -> float:  # MetricFrame.difference(): largest minus smallest
            values = [r[metric] for r in self.rates.values()]
            return max(values) - min(values) if values else 0.0

        self.gaps = {
            "demographic_parity_difference": gap("selection_rate"),
            "equalized_odds_difference": max(gap("true_positive_rate"),
                                             gap("false_positive_rate")),
            "false_negative_rate_difference": gap("false_negative_rate"),
            "false_positive_rate_difference": gap("false_positive_rate"),
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
    return {**outcome.gaps, "selection_rate": outcome.overall["selection_rate"],
            "accuracy": outcome.overall["accuracy"]}


def b_minus_a(outcome: Outcome, prefix: str = "gap") -> dict[str, float]:
    """Group B's rate minus group A's, for every audited rate, as ``{prefix}:{metric}``
    (shares, signed); empty if either group is missing. What ``chance_measures`` of a
    use case reports, for ``simulators/chance.py`` to spread over fair towns."""
    rates = outcome.rates
    if "A" not in rates or "B" not in rates:
        return {}
    return {f"{prefix}:{m}": rates["B"][m] - rates["A"][m] for m in METRICS if m != "count"}


def summary(outcome: Outcome) -> dict[str, float]:
    """A flat, JSON-able record of an outcome: the gaps and each group's rates.

    This is what a participant's reaction stores as "the numbers on screen".
    """
    out = {k: round(v, 4) for k, v in disparities(outcome).items()}
    for group, rates in outcome.rates.items():
        for metric in METRICS:
            value = rates[metric]
            key = f"{metric}[{group}]"
            out[key] = int(value) if metric == "count" else round(value, 4)
    return out
