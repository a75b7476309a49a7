"""The 101-call simulation in stages, each kept on the settings it depends on. Pure Python.

``simulators/call_triage.py``'s ``simulate`` takes a config through these stages
(``simulators/stages.py`` keeps each one's recent results):

- :func:`town`: the calls of the made-up town, one row each (World number, how many
  past, audited and new calls, group B's share);
- :func:`heard`: what the speech-to-text heard, as the AI's TF-IDF rows (and the
  extra mishearing of group B);
- :func:`trained`: past call handlers' grades and the AI trained on them (and how
  they played down group B's warnings);
- :func:`fixed`: a fix fitted on the audited calls and what it decides, beside the
  same AI without the fix's rule (and the fix, and what it learns from);
- :func:`shown_texts` and :func:`routes`: what the table of calls shows, only when
  a page asks for it (not over many towns).

The rest (the cut-off, the check by a person, people without AI, the hours) is a few
milliseconds of arithmetic on those, done for each config: so moving the fast-track
cut-off rescores a trained model, and moving a reviewer's setting redoes only the
review. Each stage is a pure function of its key: the result is the same as working
it all out afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from simulators.call_text import BASE_WORD_ERROR, GROUPS, bank, garble, texts, word_counts
from simulators.call_words import heard_counts, route_model
from simulators.call_world import grade, heard_levels, share, world
from simulators.mitigation import FairModel, fit_mitigation
from simulators.stages import staged

#: New calls the trained AI answers; every rate and workload is out of these: enough
#: that in a fair town the headline gap moves by under 3 points from town to town.
N_TEST = 6000
#: Of those, the first ones kept with their words for "Listen in" (the table of calls).
CALLS_SHOWN = 1000
#: Inverse strength of the regression's regularisation.
MODEL_C = 4.0
#: Towns each process keeps what the AI heard of (about 5 MB each): more than the 20
#: fair towns a band is measured over (``simulators.chance.TOWNS``), so moving the
#: cut-off rescores them all.
TOWNS_KEPT = 24


@dataclass(frozen=True)
class Town:
    """One row per call of a town (the per-call parts of ``call_world.World``; its
    per-word parts are left to :func:`heard`), split into past, audited and new calls."""

    train: slice
    audit: slice
    test: slice
    group_b: np.ndarray
    group: np.ndarray  # "A" or "B"
    sensitive: pd.Series
    y_true: np.ndarray
    route: np.ndarray
    levels: np.ndarray  # what a person hears of each factor (call_world.heard_levels)
    u_past: np.ndarray
    u_error: np.ndarray
    u_people: np.ndarray
    judged: np.ndarray
    u_review: np.ndarray
    u_review_error: np.ndarray
    kind: np.ndarray


@staged(max_entries=TOWNS_KEPT)
def town(seed: int, n_hist: int, n_audit: int, share_b: float) -> Town:
    n = n_hist + n_audit + N_TEST
    w = world(seed, n, share_b)
    group = np.where(w.group_b, "B", "A")
    return Town(
        train=slice(0, n_hist), audit=slice(n_hist, n_hist + n_audit),
        test=slice(n_hist + n_audit, n), group_b=w.group_b, group=group,
        sensitive=pd.Series(group, name="caller group"), y_true=w.y_true, route=w.route,
        levels=heard_levels(w.factors, w.cue_said), u_past=w.u_past, u_error=w.u_error,
        u_people=w.u_people, judged=w.judged, u_review=w.u_review,
        u_review_error=w.u_review_error, kind=w.kind)


@dataclass(frozen=True)
class Heard:
    """What the AI reads of every call, after speech-to-text."""

    X: sparse.csr_matrix  # TF-IDF rows of every call
    tfidf: TfidfTransformer
    word_error: dict[str, float]
    heard_counts: np.ndarray  # how often each word was heard in the new calls
    # The words of the first CALLS_SHOWN new calls, for the table of calls: the bank's
    # token ids, what was heard, its status, each call's first token and length.
    shown_tok: np.ndarray
    shown_heard: np.ndarray
    shown_status: np.ndarray
    shown_start: np.ndarray
    shown_len: np.ndarray


@staged(max_entries=TOWNS_KEPT)
def heard(seed: int, n_hist: int, n_audit: int, share_b: float, asr_gap: float) -> Heard:
    b = bank()
    n = n_hist + n_audit + N_TEST
    w = world(seed, n, share_b)
    wer = np.where(w.group_b, BASE_WORD_ERROR + asr_gap, BASE_WORD_ERROR)
    said_word = b.tok_word[w.tok].astype(np.int64)
    words, status = garble(said_word, wer[w.tok_call], w.u_err, w.u_drop, w.u_alt)
    counts = word_counts(w.tok_call, words, n)
    train = slice(0, n_hist)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[train])
    first_test = n_hist + n_audit
    tok_b = w.group_b[w.tok_call]
    wrong, in_b = status > 0, int(np.count_nonzero(tok_b))
    shown = slice(first_test, first_test + CALLS_SHOWN)
    t0 = int(w.call_start[shown][0])
    t1 = int(w.call_start[shown][-1] + w.call_len[shown][-1])
    return Heard(
        X=tfidf.transform(counts), tfidf=tfidf,
        word_error={"A": float(np.count_nonzero(wrong & ~tok_b) / max(1, len(tok_b) - in_b)),
                    "B": float(np.count_nonzero(wrong & tok_b) / max(1, in_b))},
        heard_counts=heard_counts(words, w.tok_call, first_test),
        shown_tok=w.tok[t0:t1].copy(), shown_heard=words[t0:t1].copy(),
        shown_status=status[t0:t1].copy(), shown_start=w.call_start[shown] - t0,
        shown_len=w.call_len[shown].copy())


@dataclass(frozen=True)
class Texts:
    said: list[str]
    heard: list[str]
    heard_tokens: dict[str, np.ndarray]  # small integers: an outcome is kept for the room


@staged(max_entries=8)
def shown_texts(seed: int, n_hist: int, n_audit: int, share_b: float,
                asr_gap: float) -> Texts:
    """Said and heard text of the first ``CALLS_SHOWN`` new calls."""
    h = heard(seed, n_hist, n_audit, share_b, asr_gap)
    said, heard_text = texts(h.shown_tok, h.shown_heard, h.shown_status, h.shown_start,
                             h.shown_len)
    tokens = {"start": h.shown_start.astype(np.int32), "len": h.shown_len.astype(np.int16),
              "said": bank().tok_word[h.shown_tok].astype(np.int16),
              "heard": h.shown_heard.astype(np.int16),
              "status": h.shown_status.astype(np.int8)}
    return Texts(said, heard_text, tokens)


@dataclass(frozen=True)
class Trained:
    """Past call handlers' grades, and the AI trained on them (before any fix)."""

    model: LogisticRegression
    y_hist: np.ndarray
    score_test: np.ndarray  # the AI's urgency score of each new call
    history_missed: dict[str, float]


@staged(max_entries=2 * TOWNS_KEPT)
def trained(seed: int, n_hist: int, n_audit: int, share_b: float, asr_gap: float,
            label_bias: float) -> Trained:
    t = town(seed, n_hist, n_audit, share_b)
    h = heard(seed, n_hist, n_audit, share_b, asr_gap)
    y_hist = grade(t.levels, t.group_b, label_bias, t.u_past, t.u_error)
    base = fit_mitigation(LogisticRegression(C=MODEL_C, solver="liblinear"), h.X[t.train],
                          y_hist[t.train], t.sensitive[t.train], "none", seed=seed)
    urgent = t.y_true[t.train] == 1
    mine = {g: t.group[t.train] == g for g in GROUPS}
    return Trained(
        model=base.model, y_hist=y_hist, score_test=base.score(h.X[t.test]),
        history_missed={g: share((y_hist[t.train] == 0) & urgent & mine[g], urgent & mine[g])
                        for g in GROUPS})


@staged(max_entries=16)
def routes(seed: int, n_hist: int, n_audit: int, share_b: float, asr_gap: float,
           label_bias: float) -> tuple[Any, np.ndarray]:
    """The model that says where a call that can wait should go, and whether it
    signposts each shown call."""
    t = town(seed, n_hist, n_audit, share_b)
    h = heard(seed, n_hist, n_audit, share_b, asr_gap)
    y_hist = trained(seed, n_hist, n_audit, share_b, asr_gap, label_bias).y_hist
    model = route_model(h.X[t.train], y_hist[t.train], t.route[t.train])
    first = t.test.start
    x = h.X[first:first + CALLS_SHOWN]
    sign = (model.predict(x).astype(bool) if model is not None and x.shape[0]
            else np.zeros(x.shape[0], dtype=bool))
    return model, sign


@dataclass(frozen=True)
class Decided:
    """What a model decided for each new call, how sure it was, and what it was judged
    against."""

    pred: np.ndarray
    score: np.ndarray
    chance: np.ndarray
    cutoff: np.ndarray


def cutoffs(model: FairModel, groups: Any) -> np.ndarray:
    """The urgency score each row is judged against: the slider's cut-off; with
    different cut-offs per group, the caller's group's (its two cut-offs averaged by
    how often it uses each, from the public ``interpolation_dict``); with a retrained
    mix, half of its predictors' votes."""
    groups = np.asarray(groups).astype(str)
    if model.mitigation == "exponentiated_gradient":
        return np.full(len(groups), 0.5)
    if model.mitigation != "threshold_optimizer":
        return np.full(len(groups), float(model.threshold))
    out = np.full(len(groups), 0.5)
    for g, rule in model.model.interpolated_thresholder_.interpolation_dict.items():
        used = [(float(rule[f"p{i}"]), float(rule[f"operation{i}"].threshold))
                for i in (0, 1)]
        used = [(p, t) for p, t in used if p > 0 and np.isfinite(t)]
        if used:
            out[groups == str(g)] = sum(p * t for p, t in used) / sum(p for p, _ in used)
    return np.clip(out, 0.0, 1.0)


def decided(model: FairModel, X: Any, groups: pd.Series,
            score: np.ndarray | None = None) -> Decided:
    """What ``model`` decides for each row (``score``: its scores, if known)."""
    score = model.score(X) if score is None else score
    return Decided(model.predict(X, groups, score), score, model.chance_of(score, groups),
                   cutoffs(model, groups))


@dataclass(frozen=True)
class Fixed:
    """A fix and its decisions, beside the same AI without the fix's rule."""

    model: FairModel
    decided: Decided
    plain: Decided


@staged(max_entries=16)
def fixed(seed: int, n_hist: int, n_audit: int, share_b: float, asr_gap: float,
          label_bias: float, mitigation: str, fitted_on: str) -> Fixed:
    """Fairlearn's fix fitted on the audited calls (their true need, or their past
    grades), its decisions on the new calls, and the same AI's without the rule."""
    t = town(seed, n_hist, n_audit, share_b)
    h = heard(seed, n_hist, n_audit, share_b, asr_gap)
    tr = trained(seed, n_hist, n_audit, share_b, asr_gap, label_bias)
    # Fairlearn's mitigations want dense rows (without a fix, sparse rows are faster).
    X_audit, X_test = h.X[t.audit].toarray(), h.X[t.test].toarray()
    y_fix = t.y_true[t.audit] if fitted_on == "audit" else tr.y_hist[t.audit]
    # The threshold optimiser keeps the trained AI and learns a cut-off per group;
    # the reduction retrains the same kind of model under a fairness rule.
    model = fit_mitigation(tr.model, X_audit, y_fix, t.sensitive[t.audit].reset_index(
        drop=True), mitigation, prefit=True, seed=seed)
    plain = _without_rule(mitigation, tr.model, X_audit, y_fix, seed)
    s_test = t.sensitive[t.test].reset_index(drop=True)
    return Fixed(model, decided(model, X_test, s_test),
                 decided(plain, X_test, _one_group(len(s_test))))


def _without_rule(mitigation: str, base: LogisticRegression, X_audit: np.ndarray,
                  y_fix: np.ndarray, seed: int) -> FairModel:
    """The fix's own way of learning, on the same audited calls, without the fairness
    rule: one cut-off for everyone set by the same optimiser (Fairlearn's
    ThresholdOptimizer with every caller in one group), or the same model retrained
    on the same calls with both kinds of mistake weighed equally (as the reduction's
    ``ErrorRate`` costs weigh them)."""
    if mitigation == "threshold_optimizer":
        return fit_mitigation(base, X_audit, y_fix, _one_group(len(y_fix)),
                              "threshold_optimizer", prefit=True, seed=seed)
    balanced = LogisticRegression(C=MODEL_C, solver="liblinear", class_weight="balanced")
    return fit_mitigation(balanced, X_audit, y_fix, _one_group(len(y_fix)), "none",
                          threshold=0.5, seed=seed)


def _one_group(n: int) -> pd.Series:
    return pd.Series(["all"] * n, name="caller group")
