"""The words of the new calls, as a page shows them: the table of calls (what each
caller said and what the AI heard), the heard words of each, and how hard each word
of the vocabulary pushes the AI (the words that give a caller's group away included).
Pure Python, no Streamlit; the model that decides is in ``simulators/call_triage.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from simulators.call_text import bank
from simulators.mitigation import FairModel

#: Inverse strength of the regularisation of the model that routes calls that can wait.
ROUTE_C = 4.0


def decide(fast: np.ndarray, route_model: Any, X: Any) -> np.ndarray:
    """fast_track / advise / signpost for each row."""
    if route_model is None or not X.shape[0]:
        sign = np.zeros(len(fast), dtype=bool)
    else:
        sign = route_model.predict(X).astype(bool)
    return np.where(fast == 1, "fast_track", np.where(sign, "signpost", "advise"))


def route_model(X_past: Any, y_past: np.ndarray, route_past: np.ndarray) -> Any:
    """The model that says where a call that can wait should go, learned from past calls
    graded "can wait" (None if they all went one way)."""
    not_urgent = y_past == 0
    if len(np.unique(route_past[not_urgent])) != 2:
        return None
    return LogisticRegression(C=ROUTE_C, solver="liblinear").fit(
        X_past[np.flatnonzero(not_urgent)], route_past[not_urgent])


def calls_table(group_b: np.ndarray, kind: np.ndarray, y_true: np.ndarray,
                route: np.ndarray, said: list[str], heard_text: list[str],
                signpost: np.ndarray, pred: np.ndarray, score: np.ndarray,
                cutoff: np.ndarray, chance: np.ndarray, reviewed: np.ndarray,
                final: np.ndarray, people_pred: np.ndarray | None,
                tossed: np.ndarray) -> pd.DataFrame:
    """The table of the new calls shown (the first of the test calls: row ``i`` is the
    ``i``-th of the arrays; ``group_b`` to ``route`` and the texts are theirs), with
    what each caller said and the AI heard; ``signpost``: where the route model sends
    each one that can wait. ``people_pred``: what call handlers decided, when they
    decide."""
    b = bank()
    m = len(said)
    can_wait = np.where(route == 1, "signpost", "advise")
    ai_decision = np.where(pred[:m] == 1, "fast_track",
                           np.where(signpost, "signpost", "advise"))
    # A person who decides a call also knows where a call that can wait should go.
    final_decision = (np.where(people_pred[:m] == 1, "fast_track", can_wait)
                      if people_pred is not None
                      else np.where(reviewed[:m], np.where(final[:m] == 1, "fast_track",
                                                           can_wait), ai_decision))
    keys = np.array([k["key"] for k in b.kinds])
    calls = pd.DataFrame({
        "group": np.where(group_b, "B", "A"), "kind": keys[kind],
        "said": said, "heard": heard_text,
        "true_need": np.where(y_true == 1, "fast_track", can_wait),
        "ai_decision": ai_decision, "urgency": score[:m].round(3),
        "cutoff": cutoff[:m].round(3), "chance": chance[:m].round(3),
        "coin_toss": tossed[:m], "reviewed": reviewed[:m], "final_decision": final_decision,
    })
    calls.index.name = "call"
    return calls


def heard_counts(heard: np.ndarray, call: np.ndarray, first_test: int) -> np.ndarray:
    """How often each word of the vocabulary was heard in the new calls."""
    words = heard[(call >= first_test) & (heard >= 0)]
    return np.bincount(words, minlength=len(bank().vocab)).astype(np.int32)


def word_weights(model: FairModel) -> np.ndarray:
    """Each vocabulary word's push towards fast-tracking in the AI's own scoring
    (log-odds per unit of TF-IDF; averaged over the mix for a retrained AI)."""
    m = model.model
    if model.mitigation == "threshold_optimizer":
        return np.ravel(m.estimator_.coef_)
    if model.mitigation == "exponentiated_gradient":
        total = np.zeros(len(bank().vocab))
        for weight, est in zip(m.weights_, m.predictors_, strict=True):
            if hasattr(est, "coef_"):
                total += float(weight) * np.ravel(est.coef_)
        return total
    return np.ravel(m.coef_)


def proxy_push(outcome: Any) -> dict[str, float]:
    """Average push towards fast-tracking of each kind of group-revealing word:
    "area A", "area B" and "dialect" (group B's way of talking), each word weighted
    by how often the AI heard it in the new calls (``outcome``: a ``TriageOutcome``).
    Below 0 pulls towards 'can wait'."""
    b = bank()
    weights = word_weights(outcome.model)
    count = outcome.heard_counts
    out = {}
    for kind in ("area A", "area B", "dialect"):
        ids = [b.index[w] for w, k in b.proxies.items() if k == kind and w in b.index]
        total = count[ids].sum()
        out[kind] = float((weights[ids] * count[ids]).sum() / total) if total else 0.0
    return out
