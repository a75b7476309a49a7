"""Use case 2: an AI that summarises evidence, and whose key facts it leaves out.

The synthetic world: case files for a few kinds of incident (``data/evidence_templates.json``),
each with 4 to 8 witness statements, a CCTV log with times and the officer's notes. Every
sentence is tagged as a key fact (incriminating, exculpatory or context) or not. Witnesses
in group A write standard English; group B give the same facts in a dialect or in plain
second-language English, often in fewer words; ``dialect_strength`` sets how often they do.

Two extractive summarisers pick sentences from each file:

- ``"centrality"``: LexRank/TextRank style. Sentences are compared by TF-IDF cosine
  similarity (scikit-learn), and a personalised PageRank over that graph, whose restarts
  favour early sentences (the lead bias of common summarisers), scores each sentence.
  What many statements say in similar words scores high, so wording that differs from
  the rest of the file scores low (Keswani and Celis 2021), and whatever comes first in
  the file is favoured (Olabisi and Agrawal 2024).
- ``"learned"``: a logistic regression on words, position, length and centrality,
  trained on historical summaries written by analysts who, with ``label_bias``, left out
  that share of group B's key facts.

Each summary keeps the top ``summary_ratio`` of a file's sentences, unless a fix is on:
``"per_witness_quota"`` gives every statement (and the CCTV log and the notes) its share of
the summary; ``"threshold_optimizer"`` has Fairlearn's ``ThresholdOptimizer`` (through
``simulators.fairness.fit_mitigation``) pick a cut-off per witness group on the
summariser's own score, fitted on a small audited sample of files whose key facts were
tagged by hand.

The outcome has one row per witness sentence: ``y_true`` = a key fact, ``y_pred`` = in the
summary, ``sensitive`` = the witness's group. CCTV and notes sentences compete for the
summary but belong to no witness group, so they are in the rendered case, not the audit.

>>> out = simulate(EvidenceConfig(n_cases=10, seed=3))
>>> set(out.sensitive) <= {"A", "B"} and len(out.y_true) == len(out.y_pred)
True
>>> sorted(out.case_file.columns)[:4]
['fact', 'group', 'included', 'key']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from fairlearn.metrics import true_positive_rate
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity

from simulators.config import Preset, SimConfig, setting, validate
from simulators.fairness import Outcome, Terms, fit_mitigation
from workshop.i18n import N_

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "evidence_templates.json"

#: Fact tags, in code order (0 is "not a key fact").
FACT_TYPES = ("none", "incriminating", "exculpatory", "context")
WITNESS, CCTV, NOTES = 0, 1, 2
SOURCE_KINDS = ("witness", "cctv", "notes")

LEAD_BIAS = 1.0  # how fast the restart weight falls from the first to the last sentence
DAMPING = 0.75  # PageRank damping: the share of a score passed along similarity links
AS_FILED_DELAY = 0.1  # group B statements are taken a little later (interpreters, revisits)
HISTORY_CASES = 40  # historical files with analysts' summaries (the learned scorer's data)
AUDIT_CASES = 12  # files whose key facts were tagged by hand (the threshold fix's data)
ANALYST_MISS = 0.08  # analysts' own slips: key facts left out of historical summaries ...
ANALYST_EXTRA = 0.05  # ... and other sentences put in

TERMS = Terms(
    harm="false_negative_rate",
    headline=N_(
        "Of every 100 key facts, the summary left out {first} from {first_group} and "
        "{second} from {second_group}."),
    labels={
        "selection_rate": N_("Put in the summary, of all sentences"),
        "true_positive_rate": N_("Key facts kept"),
        "false_negative_rate": N_("Key facts left out"),
        "false_positive_rate": N_("Other sentences put in"),
    },
    meanings={
        "selection_rate": N_("Out of every 100 sentences, how many the AI put in the summary."),
        "true_positive_rate": N_(
            "Out of every 100 key facts, how many the summary kept. Higher is better."),
        "false_negative_rate": N_(
            "Out of every 100 key facts, how many the summary left out. Lower is better: an "
            "investigator reading only the summary never sees them."),
        "false_positive_rate": N_(
            "Out of every 100 sentences that were not key facts, how many the summary put "
            "in anyway."),
        "accuracy": N_("Out of every 100 sentences, how many the AI judged right."),
    },
    flagged=N_("put in the summary"),
    group_names={"A": N_("group A (standard English)"),
                 "B": N_("group B (dialect or second language)")},
)

METHODS = {
    "centrality": N_("Picks what the rest of the file repeats"),
    "learned": N_("Learns from old summaries"),
}
ORDERS = {"as_filed": N_("As filed"), "group_b_last": N_("Group B last"),
          "shuffled": N_("Shuffled")}
FIXES = {
    "none": N_("No fix"),
    "per_witness_quota": N_("A share for every witness"),
    "threshold_optimizer": N_("A fairer cut-off per group"),
}


@dataclass(frozen=True)
class EvidenceConfig(SimConfig):
    """Settings of the evidence-summary world; every field is a slider or a choice."""

    n_cases: int = setting(
        30,
        label=N_("How many case files"),
        help=N_("How many made-up case files the AI summarises. More files give steadier numbers."),
        min=10,
        max=100,
        step=5,
        advanced=True,
    )
    group_b_share: float = setting(
        0.3,
        label=N_("Witnesses in group B"),
        help=(
            N_("Out of every 10 witnesses, how many speak a dialect or learned English as a "
            "second language (group B). The others, group A, write standard English.")
        ),
        min=0.1,
        max=0.6,
        step=0.05,
    )
    dialect_strength: float = setting(
        0.5,
        label=N_("How differently group B words things"),
        help=(
            N_("0: group B's statements use the same words as group A's. 1: every sentence is "
            "in their own dialect or simple second-language English, often shorter. "
            "The facts are the same either way.")
        ),
        min=0.0,
        max=1.0,
        step=0.1,
        bias=True,
    )
    label_bias: float = setting(
        0.3,
        label=N_("Bias in the old summaries"),
        help=(
            N_("The AI that learns copies summaries analysts wrote in the past. This is how many "
            "of group B's key facts those analysts left out: 0.3 means 3 in every 10. "
            "Only the AI that learns from old summaries is affected.")
        ),
        min=0.0,
        max=0.8,
        step=0.1,
        bias=True,
    )
    method: str = setting(
        "centrality",
        label=N_("How the AI picks sentences"),
        help=(
            N_("Picks what the rest of the file repeats: it keeps sentences that sound like many "
            "others, and gives more weight to what comes first. Learns from old summaries: "
            "it copies what analysts kept in the past.")
        ),
        choices=METHODS,
    )
    summary_ratio: float = setting(
        0.35,
        label=N_("How long the summary is"),
        help=N_("The share of a file's sentences the summary keeps: 0.3 means 3 in every 10."),
        min=0.1,
        max=0.6,
        step=0.05,
    )
    order: str = setting(
        "as_filed",
        label=N_("Order of the statements"),
        help=(
            N_("As filed: in the order the police took them (group B's often a little later, "
            "for example when an interpreter was needed). Group B last: all of group B's "
            "statements at the end. Shuffled: a random order.")
        ),
        choices=ORDERS,
    )
    mitigation: str = setting(
        "none",
        label=N_("A fix to try"),
        help=(
            N_("A share for every witness: each statement gets its fair share of the summary. "
            "A fairer cut-off per group: a checked sample of files is used to set a "
            "different bar for each group, so both groups' key facts are kept about as "
            "often (the summary may get longer).")
        ),
        choices=FIXES,
    )
    seed: int = setting(
        1,
        label=N_("World number"),
        help=N_("Change it to get a different set of made-up case files."),
        min=0,
        max=9999,
        advanced=True,
    )


@dataclass(kw_only=True)
class EvidenceOutcome(Outcome):
    """One row per witness sentence, plus one case file to show and the exculpatory count.

    ``case_file`` has every sentence of the shown case in file order, with columns
    ``position`` (1 = first), ``source`` ("Witness 3", "CCTV log", "Officer's notes"),
    ``group`` ("A", "B" or "" for police records), ``kind``, ``time``, ``text``, ``fact``
    (the fact type, "" if not a key fact), ``key``, ``included`` and ``score``.
    """

    case_file: pd.DataFrame
    case_title: str
    case_brief: str
    n_cases: int
    summary_share: float  # share of all sentences (records too) put in the summaries
    exculpatory_total: dict[str, int]  # by witness group
    exculpatory_lost: dict[str, int]
    exculpatory_recall: dict[str, float]  # share of exculpatory facts kept, by group
    recall_by_fact: pd.DataFrame = field(repr=False)  # fact type x group: share kept


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class _Fact:
    tag: int
    p: float
    a: tuple[int, ...]
    b: tuple[int, int]


@dataclass(frozen=True)
class _Incident:
    key: str
    title: str
    brief: str
    facts: tuple[_Fact, ...]
    cctv: tuple[tuple[str, int, int], ...]  # (time, text, tag)
    notes: tuple[tuple[int, int], ...]  # (text, tag)
    p: np.ndarray = field(compare=False)


@dataclass(frozen=True)
class _Bank:
    texts: tuple[str, ...]
    X: sparse.csr_matrix = field(compare=False)  # TF-IDF rows, one per text
    similarity: np.ndarray = field(compare=False)  # cosine similarity of every pair of texts
    n_words: np.ndarray = field(compare=False)
    intros: tuple[_Fact, ...]
    others: tuple[_Fact, ...]
    incidents: tuple[_Incident, ...]


@lru_cache(maxsize=1)
def _bank() -> _Bank:
    """The templates, every wording indexed once, with TF-IDF vectors fitted on them all."""
    raw = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    texts: list[str] = []
    index: dict[str, int] = {}

    def idx(s: str) -> int:
        if s not in index:
            index[s] = len(texts)
            texts.append(s)
        return index[s]

    def fact(d: dict, tag: str = "none") -> _Fact:
        a = d["a"] if isinstance(d["a"], list) else [d["a"]]
        b = d["b"]
        if len(b) != 2:
            raise ValueError(f"each fact needs two group-B wordings: {d}")
        return _Fact(
            FACT_TYPES.index(d.get("tag", tag)),
            float(d.get("p", 1.0)),
            tuple(idx(s) for s in a),
            (idx(b[0]), idx(b[1])),
        )

    intros = tuple(fact(d) for d in raw["fillers"]["intro"])
    others = tuple(fact(d) for d in raw["fillers"]["other"])
    incidents = []
    for inc in raw["incidents"]:
        facts = tuple(fact(d) for d in inc["facts"])
        incidents.append(
            _Incident(
                inc["key"],
                inc["title"],
                inc["brief"],
                facts,
                tuple((c["time"], idx(c["text"]), FACT_TYPES.index(c["tag"])) for c in inc["cctv"]),
                tuple((idx(n["text"]), FACT_TYPES.index(n["tag"])) for n in inc["notes"]),
                np.array([f.p for f in facts]),
            )
        )
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    X = vectorizer.fit_transform(texts).tocsr()
    n_words = np.array([len(t.split()) for t in texts], dtype=float)
    similarity = cosine_similarity(X)
    return _Bank(tuple(texts), X, similarity, n_words, intros, others, tuple(incidents))


# --------------------------------------------------------------------------- case files


@dataclass
class _Files:
    """Sentences of many case files, sorted by case then position in the file."""

    case: np.ndarray
    block: np.ndarray  # 0 notes, 1 CCTV, 2.. witness statements
    kind: np.ndarray  # WITNESS, CCTV, NOTES
    group: np.ndarray  # 0 A, 1 B, -1 police record
    tag: np.ndarray  # index into FACT_TYPES
    text: np.ndarray  # index into the bank's texts
    witness: np.ndarray  # witness number (1 = first statement taken), 0 for records
    time: np.ndarray  # CCTV time, "" otherwise
    pos: np.ndarray  # position within the file, 0 = first
    starts: np.ndarray  # row where each case starts (n_cases + 1 entries)
    incident: np.ndarray  # incident index per case

    @property
    def key(self) -> np.ndarray:
        return (self.tag > 0).astype(np.int8)

    @property
    def size(self) -> np.ndarray:
        """Number of sentences in each row's file."""
        return np.repeat(np.diff(self.starts), np.diff(self.starts))


def _make_files(rng: np.random.Generator, n_cases: int, cfg: EvidenceConfig, order: str) -> _Files:
    """Draw case files. The random draws do not depend on the settings, so moving a slider
    changes the same world rather than drawing a new one."""
    bank = _bank()
    cols: dict[str, list] = {k: [] for k in ("case", "block", "kind", "group", "tag", "text",
                                            "witness", "time", "bkey", "within")}
    incidents = []

    def add(case, block, kind, group, tag, text, witness, time, bkey, within):
        cols["case"].append(case)
        cols["block"].append(block)
        cols["kind"].append(kind)
        cols["group"].append(group)
        cols["tag"].append(tag)
        cols["text"].append(text)
        cols["witness"].append(witness)
        cols["time"].append(time)
        cols["bkey"].append(bkey)
        cols["within"].append(within)

    for c in range(n_cases):
        i_inc = int(rng.integers(len(bank.incidents)))
        inc = bank.incidents[i_inc]
        incidents.append(i_inc)
        n_w = int(rng.integers(4, 9))
        is_b = rng.random(n_w) < cfg.group_b_share
        style = rng.integers(0, 2, n_w)
        u_file = rng.random(n_w)
        u_shuffle = rng.random(n_w + 2)
        intros = rng.permutation(len(bank.intros))
        others = rng.permutation(len(bank.others))
        # Witnesses are numbered in the order their statements were taken (as filed).
        filed = u_file + AS_FILED_DELAY * is_b
        number = np.empty(n_w, dtype=int)
        number[np.argsort(filed, kind="stable")] = np.arange(1, n_w + 1)
        if order == "as_filed":
            wkey, notes_key, cctv_key = filed, -1.0, 10.0
        elif order == "group_b_last":
            wkey, notes_key, cctv_key = u_file + 10.0 * is_b, -1.0, 5.0
        else:
            wkey, notes_key, cctv_key = u_shuffle[2:], u_shuffle[0], u_shuffle[1]
        for j, (text, tag) in enumerate(inc.notes):
            add(c, 0, NOTES, -1, tag, text, 0, "", notes_key, j)
        for j, (time, text, tag) in enumerate(inc.cctv):
            add(c, 1, CCTV, -1, tag, text, 0, time, cctv_key, j)
        for w in range(n_w):
            mention = rng.random(len(inc.facts)) < inc.p
            if mention.sum() < 2:
                mention[rng.choice(len(inc.facts), 2, replace=False)] = True
            items = [bank.intros[intros[w % len(intros)]]]
            items += [inc.facts[j] for j in np.flatnonzero(mention)]
            if rng.random() < 0.5:
                items.insert(int(rng.integers(1, len(items) + 1)), bank.others[others[w]])
            u_dialect = rng.random(len(items))
            variant = rng.integers(0, 2, len(items))
            group = int(is_b[w])
            for j, f in enumerate(items):
                if is_b[w] and u_dialect[j] < cfg.dialect_strength:
                    text = f.b[style[w]]
                else:
                    text = f.a[variant[j] % len(f.a)]
                add(c, 2 + w, WITNESS, group, f.tag, text, number[w], "", wkey[w], j)

    a = {k: np.asarray(v) for k, v in cols.items()}
    sort = np.lexsort((a["within"], a["bkey"], a["case"]))
    a = {k: v[sort] for k, v in a.items()}
    counts = np.bincount(a["case"], minlength=n_cases)
    starts = np.r_[0, np.cumsum(counts)]
    pos = np.arange(len(sort)) - np.repeat(starts[:-1], counts)
    return _Files(
        case=a["case"],
        block=a["block"],
        kind=a["kind"],
        group=a["group"],
        tag=a["tag"],
        text=a["text"],
        witness=a["witness"],
        time=a["time"],
        pos=pos,
        starts=starts,
        incident=np.asarray(incidents),
    )


# --------------------------------------------------------------------------- summarisers


def _centrality(files: _Files) -> np.ndarray:
    """LexRank-style centrality with a lead bias, per file (higher = more central).

    Cosine similarity of TF-IDF vectors is the graph; a personalised PageRank whose
    restarts favour early sentences gives each sentence its score. The similarity of every
    pair of wordings is computed once, so a file's graph is a look-up.
    """
    similarity = _bank().similarity
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


def _rank_score(files: _Files, raw: np.ndarray) -> np.ndarray:
    """Each sentence's standing in its own file: 1 for the top sentence, near 0 for the last.

    Ties go to the earlier sentence. A summary of k sentences keeps those with
    ``score > 1 - k / n``.
    """
    order = np.lexsort((files.pos, -raw, files.case))
    rank = np.empty(len(raw))
    rank[order] = np.arange(len(raw)) - np.repeat(files.starts[:-1], np.diff(files.starts))
    return 1.0 - rank / files.size


def _features(files: _Files, centrality: np.ndarray) -> sparse.csr_matrix:
    """What the learned scorer sees: the words, and where, how long and how central."""
    bank = _bank()
    size = files.size
    dense = np.c_[
        files.pos / np.maximum(size - 1, 1),
        _rank_score(files, centrality),
        bank.n_words[files.text] / 20.0,
        files.kind == CCTV,
        files.kind == NOTES,
    ]
    return sparse.hstack([bank.X[files.text], sparse.csr_matrix(dense)], format="csr")


def _train_learned(cfg: EvidenceConfig) -> LogisticRegression:
    """Fit the learned scorer on historical files and the analysts' (biased) summaries."""
    rng = np.random.default_rng([cfg.seed, 2])
    hist = _make_files(rng, HISTORY_CASES, cfg, "as_filed")
    key = hist.key.astype(bool)
    u = rng.random((3, len(key)))
    label = key & (u[0] >= ANALYST_MISS)
    label |= ~key & (u[1] < ANALYST_EXTRA)
    label &= ~(key & (hist.group == 1) & (u[2] < cfg.label_bias))
    model = LogisticRegression(C=2.0, solver="liblinear", random_state=0)
    return model.fit(_features(hist, _centrality(hist)), label.astype(int))


def _score(files: _Files, model: LogisticRegression | None) -> np.ndarray:
    centrality = _centrality(files)
    if model is None:
        return _rank_score(files, centrality)
    return _rank_score(files, model.predict_proba(_features(files, centrality))[:, 1])


def _top_k(files: _Files, score: np.ndarray, ratio: float) -> np.ndarray:
    k = np.maximum(1, np.round(ratio * files.size))
    return score > 1.0 - k / files.size + 1e-9


def _per_witness_quota(files: _Files, score: np.ndarray, ratio: float) -> np.ndarray:
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


def _threshold_fix(cfg: EvidenceConfig, model: LogisticRegression | None, files: _Files,
                   score: np.ndarray) -> np.ndarray:
    """Fairlearn's ThresholdOptimizer on the summariser's score, fitted on an audited sample."""
    rng = np.random.default_rng([cfg.seed, 3])
    for _ in range(5):  # make sure the audited sample has both groups
        audit = _make_files(rng, AUDIT_CASES, cfg, cfg.order)
        w = audit.kind == WITNESS
        if np.isin([0, 1], audit.group[w]).all():
            break
    else:  # pragma: no cover - needs five audits in a row without one group
        return _top_k(files, score, cfg.summary_ratio)
    audit_score = _score(audit, model)
    fair = fit_mitigation(
        _ScoreAsProbability().fit(None),
        audit_score[w, None],
        audit.key[w],
        np.where(audit.group[w] == 1, "B", "A"),
        "threshold_optimizer",
        prefit=True,
        seed=cfg.seed,
    )
    keep = _top_k(files, score, cfg.summary_ratio)  # police records: as before
    wf = files.kind == WITNESS
    keep[wf] = fair.predict(score[wf, None], np.where(files.group[wf] == 1, "B", "A")) == 1
    return keep


# --------------------------------------------------------------------------- simulate


def _showcase(files: _Files) -> int:
    """The case to show: the first short file with group A witnesses, at least two group B
    witnesses, and a fact from group B that points away from the suspect.

    Chosen from who the witnesses are and what they saw, not from the summariser's
    settings, so the same case stays on screen while a participant moves those sliders.
    """
    w = files.kind == WITNESS
    n = len(files.starts) - 1
    has_a = np.bincount(files.case[w & (files.group == 0)], minlength=n) > 0
    has_b = np.bincount(files.case[w & (files.group == 1)], minlength=n) > 0
    b_excul = np.bincount(files.case[w & (files.group == 1) & (files.tag == 2)], minlength=n) > 0
    b_statements = np.unique(files.case[w & (files.group == 1)] * 100
                             + files.block[w & (files.group == 1)]) // 100
    two_b = np.bincount(b_statements, minlength=n) >= 2
    short = np.diff(files.starts) <= 40  # fits a phone screen better
    for candidates in (has_a & b_excul & two_b & short, has_a & b_excul & short,
                       has_a & b_excul, has_a & has_b, np.ones(n, dtype=bool)):
        if candidates.any():
            return int(np.argmax(candidates))
    return 0  # pragma: no cover


def _case_file(files: _Files, keep: np.ndarray, score: np.ndarray, c: int) -> pd.DataFrame:
    texts = _bank().texts
    s, e = files.starts[c], files.starts[c + 1]
    kind = files.kind[s:e]
    source = np.where(
        kind == CCTV,
        "CCTV log",
        np.where(kind == NOTES, "Officer's notes", [f"Witness {n}" for n in files.witness[s:e]]),
    )
    tag = files.tag[s:e]
    return pd.DataFrame(
        {
            "position": files.pos[s:e] + 1,
            "source": source,
            "witness": np.where(kind == WITNESS, files.witness[s:e], 0),
            "group": np.array(["A", "B", ""])[files.group[s:e]],
            "kind": np.array(SOURCE_KINDS)[kind],
            "time": files.time[s:e],
            "text": [texts[t] for t in files.text[s:e]],
            "fact": np.array(["", *FACT_TYPES[1:]])[tag],
            "key": tag > 0,
            "included": keep[s:e],
            "score": np.round(score[s:e], 3),
        }
    )


def simulate(config: EvidenceConfig) -> EvidenceOutcome:
    """Summarise ``config.n_cases`` made-up case files and audit whose key facts were kept."""
    validate(config)
    files = _make_files(np.random.default_rng([config.seed, 1]), config.n_cases, config,
                        config.order)
    model = _train_learned(config) if config.method == "learned" else None
    score = _score(files, model)
    if config.mitigation == "per_witness_quota":
        keep = _per_witness_quota(files, score, config.summary_ratio)
    elif config.mitigation == "threshold_optimizer":
        keep = _threshold_fix(config, model, files, score)
    else:
        keep = _top_k(files, score, config.summary_ratio)

    w = files.kind == WITNESS
    group = pd.Series(np.where(files.group[w] == 1, "B", "A"), name="witness group")
    tag, kept = files.tag[w], keep[w].astype(int)
    recall_by_fact = pd.DataFrame(np.nan, index=list(FACT_TYPES[1:]), columns=["A", "B"])
    excul_total, excul_lost = {}, {}
    for gi, g in enumerate(("A", "B")):
        in_group = files.group[w] == gi
        for ti, fact in enumerate(FACT_TYPES[1:], start=1):
            rows = in_group & (tag == ti)
            if rows.any():  # the share of these key facts kept: Fairlearn's true positive rate
                recall_by_fact.loc[fact, g] = true_positive_rate(
                    np.ones(int(rows.sum()), dtype=int), kept[rows]
                )
        rows = in_group & (tag == 2)
        excul_total[g] = int(rows.sum())
        excul_lost[g] = int(rows.sum() - kept[rows].sum())
    excul_recall = {g: float(recall_by_fact.loc["exculpatory", g]) for g in ("A", "B")}

    c = _showcase(files)
    inc = _bank().incidents[files.incident[c]]
    return EvidenceOutcome(
        y_true=files.key[w],
        y_pred=keep[w],
        sensitive=group,
        score=score[w],
        terms=TERMS,
        case_file=_case_file(files, keep, score, c),
        case_title=inc.title,
        case_brief=inc.brief,
        n_cases=config.n_cases,
        summary_share=float(keep.mean()),
        exculpatory_total=excul_total,
        exculpatory_lost=excul_lost,
        exculpatory_recall=excul_recall,
        recall_by_fact=recall_by_fact,
    )


# --------------------------------------------------------------------------- the officer


@dataclass(frozen=True)
class OfficerCheck:
    """How a participant's ticks compare with the key facts the summary left out."""

    missed: int  # key facts the summary left out
    caught: int  # ... that the participant ticked
    missed_exculpatory: int  # exculpatory facts the summary left out
    caught_exculpatory: int  # ... that the participant ticked
    not_key: int  # ticked sentences that were not key facts
    ticked: int


def officer_check(case_file: pd.DataFrame, ticked: Iterable[int]) -> OfficerCheck:
    """Score "Be the officer": ``ticked`` are the positions of sentences the participant
    thinks the summary should not have left out.

    >>> cf = pd.DataFrame({"position": [1, 2, 3, 4], "key": [True, True, False, True],
    ...                    "included": [True, False, False, False],
    ...                    "fact": ["context", "exculpatory", "", "incriminating"]})
    >>> officer_check(cf, [2, 3])
    OfficerCheck(missed=2, caught=1, missed_exculpatory=1, caught_exculpatory=1, not_key=1, \
ticked=2)
    """
    chosen = case_file["position"].isin(set(ticked)).to_numpy()
    left_out_key = (case_file["key"] & ~case_file["included"]).to_numpy()
    excul = (case_file["fact"] == "exculpatory").to_numpy() & left_out_key
    return OfficerCheck(
        missed=int(left_out_key.sum()),
        caught=int((chosen & left_out_key).sum()),
        missed_exculpatory=int(excul.sum()),
        caught_exculpatory=int((chosen & excul).sum()),
        not_key=int((chosen & ~case_file["key"].to_numpy()).sum()),
        ticked=int(chosen.sum()),
    )


# --------------------------------------------------------------------------- presets

PRESETS: list[Preset] = [
    Preset(
        "fair_start",
        N_("A fair start"),
        N_("Here every witness tells what they saw in the same kind of words, and the AI keeps "
        "the sentences that the rest of the file backs up. Key facts from both groups of "
        "witnesses are kept about equally often."),
        EvidenceConfig(dialect_strength=0.0, label_bias=0.0, order="shuffled"),
    ),
    Preset(
        "own_words",
        N_("Same facts, different words"),
        N_("Now group B tell the same facts in their own dialect or in simple second-language "
        "English, often in fewer words. The AI favours sentences that sound like the rest of "
        "the file, so group B's key facts, even ones that point away from the suspect, are "
        "left out more often."),
        EvidenceConfig(dialect_strength=0.9, label_bias=0.0, order="shuffled"),
    ),
    Preset(
        "biased_history",
        N_("Learning from biased summaries"),
        N_("This AI learned from old summaries in which analysts had left out many of group B's "
        "facts. It copies that habit, so group B's key facts are left out far more often "
        "than group A's."),
        EvidenceConfig(method="learned", dialect_strength=0.6, label_bias=0.7),
    ),
    Preset(
        "last_in_pile",
        N_("Last in the pile"),
        N_("Group B's statements are put at the end of the file, and this AI gives more weight "
        "to what comes first. Their key facts drop out more; try 'Shuffled' to even it out."),
        EvidenceConfig(dialect_strength=0.3, label_bias=0.0, order="group_b_last"),
    ),
    Preset(
        "a_share_each",
        N_("A fix: a share for every witness"),
        N_("The summary must now give every witness a share of its space, in proportion to what "
        "they said. The gap between the groups shrinks, but an officer still needs to check "
        "what was left out."),
        EvidenceConfig(dialect_strength=0.9, label_bias=0.0, mitigation="per_witness_quota"),
    ),
]
