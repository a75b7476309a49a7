"""Summarising evidence: the two summarisers, the fixes, and like-for-like comparisons.

What ``simulators/evidence.py`` runs on made-up case files (``evidence_files.py``):
a LexRank-style centrality with a lead bias, a logistic regression learned from old
(possibly biased) summaries, the per-witness quota and Fairlearn's threshold fix, and
the share of each group's key facts a set of summaries leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from fairlearn.metrics import false_negative_rate, selection_rate
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from simulators.evidence_files import CCTV, NOTES, Files, bank, make_files
from simulators.mitigation import fit_mitigation
from simulators.stages import staged

GROUPS = ("A", "B")

LEAD_BIAS = 1.0  # how fast the restart weight falls from the first to the last sentence
DAMPING = 0.75  # PageRank damping: the share of a score passed along similarity links
HISTORY_CASES = 40  # old case files with analysts' summaries (the learned scorer's data)
AUDIT_CASES = 12  # files whose key facts were tagged by hand (the threshold fix's data)
ANALYST_MISS = 0.08  # analysts' own slips: key facts left out of old summaries ...
ANALYST_EXTRA = 0.05  # ... and other sentences put in
#: A biased analyst's reaction to a group B witness's key fact told in standard words,
#: against one told in their own words (1): they know whose statement it is, and the
#: dialect or second-language wording is the cue their stereotype reacts to most.
SAME_WORDS_REACTION = 0.5


class Settings(Protocol):
    """What the summarisers read of a summary's settings (``EvidenceConfig`` has them)."""

    seed: int
    n_cases: int
    group_b_share: float
    dialect_strength: float
    order: str
    label_bias: float
    summary_ratio: float
    mitigation: str


@dataclass(frozen=True)
class Comparison:
    """The same case files summarised with one thing changed, to compare like with like."""

    left_out: dict[str, float]  # by witness group: share of its key facts left out
    summary_share: float  # share of all sentences (records too) put in the summaries

def files_to_summarise(cfg: Settings) -> tuple[Files, np.ndarray]:
    """The case files to summarise for ``cfg`` (``EvidenceConfig``), and each sentence's
    centrality: kept on what they depend on (:func:`case_files`), so moving the
    summary's length, the method, the old summaries' bias or a fix reuses them."""
    return case_files(cfg.seed, cfg.n_cases, cfg.group_b_share, cfg.dialect_strength,
                      cfg.order)


@staged(max_entries=16)
def case_files(seed: int, n_cases: int, group_b_share: float, dialect_strength: float,
               order: str) -> tuple[Files, np.ndarray]:
    files = make_files(np.random.default_rng([seed, 1]), n_cases, bank().test,
                       group_b_share=group_b_share, dialect_strength=dialect_strength,
                       order=order)
    return files, centrality_scores(files)


def centrality_scores(files: Files) -> np.ndarray:
    """LexRank-style centrality with a lead bias, per file (higher = more central).

    Cosine similarity of TF-IDF vectors is the graph; a personalised PageRank whose
    restarts favour early sentences gives each sentence its score. The similarity of every
    pair of wordings is computed once, so a file's graph is a look-up.
    """
    similarity = bank().similarity
    out = np.empty(len(files.text))
    for s, e in zip(files.starts[:-1], files.starts[1:], strict=True):
        n = e - s
        t = files.text[s:e]
        S = similarity[np.ix_(t, t)]
        np.fill_diagonal(S, 0.0)
        lead = np.exp(-LEAD_BIAS * np.arange(n) / max(n - 1, 1))
        lead /= lead.sum()
        rows = S.sum(axis=1)
        P = np.divide(S, rows[:, None], out=np.tile(lead, (n, 1)), where=rows[:, None] > 0)
        r = np.linalg.solve(np.eye(n) - DAMPING * P.T, (1 - DAMPING) * lead)
        out[s:e] = r * n  # 1 = an average sentence
    return out


def _rank_score(files: Files, raw: np.ndarray) -> np.ndarray:
    """Each sentence's standing in its own file: 1 for the top sentence, near 0 for the last.

    Ties go to the earlier sentence. A summary of k sentences keeps those with
    ``score > 1 - k / n``.
    """
    order = np.lexsort((files.pos, -raw, files.case))
    rank = np.empty(len(raw))
    rank[order] = np.arange(len(raw)) - np.repeat(files.starts[:-1], np.diff(files.starts))
    return 1.0 - rank / files.size


def _features(files: Files, centrality: np.ndarray) -> sparse.csr_matrix:
    """What the learned scorer sees: the words it knows, and where, how long and how central."""
    b = bank()
    dense = np.c_[
        files.pos / np.maximum(files.size - 1, 1),
        _rank_score(files, centrality),
        b.n_words[files.text] / 20.0,
        files.kind == CCTV,
        files.kind == NOTES,
    ]
    return sparse.hstack([b.learned_words[files.text], sparse.csr_matrix(dense)], format="csr")


@dataclass(frozen=True)
class _Learned:
    model: LogisticRegression
    #: by witness group: the share of its key facts the old summaries left out
    history_left_out: dict[str, float]


@lru_cache(maxsize=32)
def _learned_model(seed: int, group_b_share: float, dialect_strength: float,
                   label_bias: float) -> _Learned:
    """Fit the learned scorer on old case files (the training incidents) and the analysts'
    summaries of them. Kept for a while: moving 'Bias in the old summaries' back and forth
    reuses the models already fitted (they are only read afterwards)."""
    rng = np.random.default_rng([seed, 2])
    hist = make_files(rng, HISTORY_CASES, bank().training, group_b_share=group_b_share,
                      dialect_strength=dialect_strength, order="as_filed")
    key = hist.key.astype(bool)
    u = rng.random((3, len(key)))
    label = key & (u[0] >= ANALYST_MISS)
    label |= ~key & (u[1] < ANALYST_EXTRA)
    # A biased analyst leaves out group B's key facts, most of all those in their own words.
    reaction = np.where(hist.own_words, 1.0, SAME_WORDS_REACTION)
    label &= ~(key & (hist.group == 1) & (u[2] < label_bias * reaction))
    model = LogisticRegression(C=2.0, solver="liblinear", random_state=0)
    model.fit(_features(hist, centrality_scores(hist)), label.astype(int))
    return _Learned(model, _left_out(hist, label))


def learned_summariser(cfg: Settings, label_bias: float | None = None) -> _Learned:
    return _learned_model(cfg.seed, cfg.group_b_share, cfg.dialect_strength,
                          cfg.label_bias if label_bias is None else label_bias)


def sentence_scores(files: Files, centrality: np.ndarray,
                    model: LogisticRegression | None) -> np.ndarray:
    if model is None:
        return _rank_score(files, centrality)
    return _rank_score(files, model.predict_proba(_features(files, centrality))[:, 1])


def top_k(files: Files, score: np.ndarray, ratio: float) -> np.ndarray:
    k = np.maximum(1, np.round(ratio * files.size))
    return score > 1.0 - k / files.size + 1e-9


def _per_witness_quota(files: Files, score: np.ndarray, ratio: float) -> np.ndarray:
    """Every statement (and the CCTV log, and the notes) gets its share of the summary.

    A file's k places are shared in proportion to how many sentences each source has
    (largest remainders get the spare places); each source keeps its top sentences.
    """
    keep = np.zeros(len(score), dtype=bool)
    for s, e in zip(files.starts[:-1], files.starts[1:], strict=True):
        n = e - s
        k = max(1, round(ratio * n))
        blocks, inverse, sizes = np.unique(files.block[s:e], return_inverse=True,
                                           return_counts=True)
        exact = k * sizes / n
        quota = np.floor(exact).astype(int)
        spare = k - quota.sum()
        quota[np.argsort(-(exact - quota), kind="stable")[:spare]] += 1
        # Rank sentences within their own source, best first, then keep each source's quota.
        order = np.lexsort((-score[s:e], inverse))
        first = np.r_[0, np.cumsum(sizes)[:-1]]
        rank_in_block = np.empty(n, dtype=int)
        rank_in_block[order] = np.arange(n) - first[inverse[order]]
        keep[s:e] = rank_in_block < quota[inverse]
    return keep


class _ScoreAsProbability(ClassifierMixin, BaseEstimator):
    """The summariser's own score (column 0 of X, between 0 and 1) as a fitted classifier,
    so Fairlearn's ThresholdOptimizer can choose a cut-off on it per group."""

    def fit(self, X, y=None):  # nothing to learn: the score is the summariser's
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        s = np.clip(np.asarray(X, dtype=float)[:, 0], 0.0, 1.0)
        return np.c_[1.0 - s, s]

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def group_labels(files: Files, rows: np.ndarray) -> np.ndarray:
    return np.where(files.group[rows] == 1, "B", "A")


@lru_cache(maxsize=16)
def _audit(seed: int, group_b_share: float, dialect_strength: float,
           order: str) -> tuple[Files, np.ndarray] | None:
    """The audited sample (files whose key facts were checked by hand) and its sentences'
    centrality, or None if five draws in a row lacked a group. Read-only once made."""
    rng = np.random.default_rng([seed, 3])
    for _ in range(5):  # make sure the audited sample has both groups
        audit = make_files(rng, AUDIT_CASES, bank().test, group_b_share=group_b_share,
                           dialect_strength=dialect_strength, order=order)
        if np.isin([0, 1], audit.group[audit.is_witness]).all():
            return audit, centrality_scores(audit)
    return None  # pragma: no cover - needs five audits in a row without one group


def _threshold_fix(cfg: Settings, model: LogisticRegression | None, files: Files,
                   score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fairlearn's ThresholdOptimizer on the summariser's score, fitted on an audited
    sample of files like the ones summarised. Returns what is kept, and each witness
    sentence's chance of being kept (0 or 1 unless the fix drew for it)."""
    sample = _audit(cfg.seed, cfg.group_b_share, cfg.dialect_strength, cfg.order)
    if sample is None:  # pragma: no cover
        keep = top_k(files, score, cfg.summary_ratio)
        return keep, keep.astype(float)
    audit, audit_centrality = sample
    w = audit.is_witness
    audit_score = sentence_scores(audit, audit_centrality, model)
    fair = fit_mitigation(
        _ScoreAsProbability().fit(None),
        audit_score[w, None],
        audit.key[w],
        group_labels(audit, w),
        "threshold_optimizer",
        prefit=True,
        seed=cfg.seed,
        constraints="true_positive_rate_parity",
    )
    keep = top_k(files, score, cfg.summary_ratio)  # police records: as before
    chance = keep.astype(float)
    wf = files.is_witness
    groups = group_labels(files, wf)
    keep[wf] = fair.predict(score[wf, None], groups) == 1
    chance[wf] = fair.chance(score[wf, None], groups)
    return keep, chance


def summarise(cfg: Settings, model: LogisticRegression | None, files: Files,
               score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What the summaries keep, and each sentence's chance of being kept (0 or 1 unless
    a fix drew for it)."""
    if cfg.mitigation == "threshold_optimizer":
        return _threshold_fix(cfg, model, files, score)
    keep = (_per_witness_quota(files, score, cfg.summary_ratio)
            if cfg.mitigation == "per_witness_quota" else top_k(files, score, cfg.summary_ratio))
    return keep, keep.astype(float)


def _left_out(files: Files, keep: np.ndarray) -> dict[str, float]:
    """Each witness group's share of key facts the summaries left out (Fairlearn's false
    negative rate)."""
    w = files.is_witness
    out = {}
    for gi, g in enumerate(GROUPS):
        rows = w & (files.group == gi)
        out[g] = float(false_negative_rate(files.key[rows], keep[rows].astype(int)))
    return out


def compare(files: Files, keep: np.ndarray) -> Comparison:
    return Comparison(_left_out(files, keep), float(selection_rate(np.ones(len(keep)), keep)))
