"""The made-up case files the evidence summariser reads (``data/evidence_templates.json``).

Two sets of incidents that share no sentence: ``training`` (the old case files whose
summaries the learning AI copies) and ``test`` (the case files it summarises on the
page). Each incident has witness facts tagged as pointing to the arrested person
(incriminating), away from them (exculpatory), background (context) or not a key fact,
each in two standard-English wordings (group A) and two group-B wordings (a dialect, and
simple second-language English), plus a CCTV log and the officer's notes.

:func:`make_files` draws many case files from one set: 4 to 8 witnesses each, each
witness telling some of the incident's facts in their own group's words.

>>> b = bank()
>>> len(b.test.incidents) >= 6 and len(b.training.incidents) >= 6
True
>>> set(b.texts_of(b.training)) & set(b.texts_of(b.test))
set()
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "evidence_templates.json"

#: Fact tags, in code order (0 is "not a key fact").
FACT_TYPES = ("none", "incriminating", "exculpatory", "context")
WITNESS, CCTV, NOTES = 0, 1, 2
SOURCE_KINDS = ("witness", "cctv", "notes")
MIN_WITNESSES, MAX_WITNESSES = 4, 8  # statements in one case file
AS_FILED_DELAY = 0.1  # group B statements are taken a little later (interpreters, revisits)


@dataclass(frozen=True)
class Fact:
    tag: int  # index into FACT_TYPES
    p: float  # how likely a witness is to mention it
    a: tuple[int, ...]  # standard-English wordings (indices into the bank's texts)
    b: tuple[int, int]  # group B's wordings: dialect, second-language English


@dataclass(frozen=True)
class Incident:
    key: str
    kind: str  # the kind of crime
    title: str
    brief: str
    facts: tuple[Fact, ...]
    cctv: tuple[tuple[str, int, int], ...]  # (time, text, tag)
    notes: tuple[tuple[int, int], ...]  # (text, tag)
    p: np.ndarray = field(compare=False)


@dataclass(frozen=True)
class Pool:
    """One set of incidents with its own witness fillers."""

    name: str
    intros: tuple[Fact, ...]
    others: tuple[Fact, ...]
    incidents: tuple[Incident, ...]


@dataclass(frozen=True)
class Bank:
    texts: tuple[str, ...]
    #: TF-IDF rows over every text (stop words left out), for sentence similarity
    X: sparse.csr_matrix = field(compare=False)
    similarity: np.ndarray = field(compare=False)  # cosine similarity of every pair of texts
    #: every text's words as the learning AI knows them: a vocabulary fitted on the
    #: training set only, so a word it never saw in an old summary counts for nothing
    learned_words: sparse.csr_matrix = field(compare=False)
    n_words: np.ndarray = field(compare=False)
    training: Pool
    test: Pool

    def texts_of(self, pool: Pool) -> list[str]:
        """Every sentence a case file from ``pool`` can contain."""
        out = []
        for f in (*pool.intros, *pool.others, *(f for i in pool.incidents for f in i.facts)):
            out += [self.texts[t] for t in (*f.a, *f.b)]
        for inc in pool.incidents:
            out += [self.texts[t] for _time, t, _tag in inc.cctv]
            out += [self.texts[t] for t, _tag in inc.notes]
        return out


@lru_cache(maxsize=1)
def bank() -> Bank:
    """The templates, every wording indexed once, with their word vectors."""
    raw = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    texts: list[str] = []
    index: dict[str, int] = {}

    def idx(s: str) -> int:
        if s not in index:
            index[s] = len(texts)
            texts.append(s)
        return index[s]

    def fact(d: dict) -> Fact:
        a = d["a"] if isinstance(d["a"], list) else [d["a"]]
        b = d["b"]
        if len(b) != 2:
            raise ValueError(f"each fact needs two group-B wordings: {d}")
        return Fact(FACT_TYPES.index(d.get("tag", "none")), float(d.get("p", 1.0)),
                    tuple(idx(s) for s in a), (idx(b[0]), idx(b[1])))

    def incident(d: dict) -> Incident:
        facts = tuple(fact(f) for f in d["facts"])
        return Incident(
            d["key"], d["kind"], d["title"], d["brief"], facts,
            tuple((c["time"], idx(c["text"]), FACT_TYPES.index(c["tag"])) for c in d["cctv"]),
            tuple((idx(n["text"]), FACT_TYPES.index(n["tag"])) for n in d["notes"]),
            np.array([f.p for f in facts]),
        )

    def pool(name: str) -> Pool:
        d = raw[name]
        return Pool(name, tuple(fact(f) for f in d["fillers"]["intro"]),
                    tuple(fact(f) for f in d["fillers"]["other"]),
                    tuple(incident(i) for i in d["incidents"]))

    training = pool("training")
    first_test = len(texts)  # the training set's texts come first
    test = pool("test")
    X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).tocsr()
    learned = TfidfVectorizer(sublinear_tf=True).fit(texts[:first_test])
    return Bank(tuple(texts), X, cosine_similarity(X), learned.transform(texts).tocsr(),
                np.array([len(t.split()) for t in texts], dtype=float), training, test)


@dataclass
class Files:
    """Sentences of many case files, sorted by case then position in the file."""

    case: np.ndarray
    block: np.ndarray  # 0 notes, 1 CCTV, 2.. witness statements
    kind: np.ndarray  # WITNESS, CCTV, NOTES
    group: np.ndarray  # 0 A, 1 B, -1 police record
    tag: np.ndarray  # index into FACT_TYPES
    text: np.ndarray  # index into the bank's texts
    witness: np.ndarray  # witness number (1 = first statement taken), 0 for records
    own_words: np.ndarray  # a group B wording (dialect or second-language English)
    time: np.ndarray  # CCTV time, "" otherwise
    pos: np.ndarray  # position within the file, 0 = first
    starts: np.ndarray  # row where each case starts (n_cases + 1 entries)
    incident: np.ndarray  # incident index (in its pool) per case

    @property
    def key(self) -> np.ndarray:
        return (self.tag > 0).astype(np.int8)

    @property
    def size(self) -> np.ndarray:
        """Number of sentences in each row's file."""
        return np.repeat(np.diff(self.starts), np.diff(self.starts))

    @property
    def is_witness(self) -> np.ndarray:
        return self.kind == WITNESS


_COLUMNS = ("case", "block", "kind", "group", "tag", "text", "witness", "own", "time", "bkey",
            "within")


def make_files(rng: np.random.Generator, n_cases: int, pool: Pool, *, group_b_share: float,
               dialect_strength: float, order: str) -> Files:
    """Draw ``n_cases`` case files from ``pool``.

    The random draws do not depend on ``dialect_strength`` or ``order``, so moving those
    changes the same world rather than drawing a new one.
    """
    rows: list[tuple] = []  # one a sentence, in the order of _COLUMNS
    incidents = []
    add = rows.append

    for c in range(n_cases):
        i_inc = int(rng.integers(len(pool.incidents)))
        inc = pool.incidents[i_inc]
        incidents.append(i_inc)
        n_w = int(rng.integers(MIN_WITNESSES, MAX_WITNESSES + 1))
        is_b = rng.random(n_w) < group_b_share
        style = rng.integers(0, 2, n_w)
        u_file = rng.random(n_w)
        u_shuffle = rng.random(n_w + 2)
        intros = rng.permutation(len(pool.intros))
        others = rng.permutation(len(pool.others))
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
            add((c, 0, NOTES, -1, tag, text, 0, False, "", notes_key, j))
        for j, (time, text, tag) in enumerate(inc.cctv):
            add((c, 1, CCTV, -1, tag, text, 0, False, time, cctv_key, j))
        for w in range(n_w):
            mention = rng.random(len(inc.facts)) < inc.p
            if mention.sum() < 2:
                mention[rng.choice(len(inc.facts), 2, replace=False)] = True
            items = [pool.intros[intros[w % len(intros)]]]
            items += [inc.facts[j] for j in np.flatnonzero(mention)]
            if rng.random() < 0.5:
                items.insert(int(rng.integers(1, len(items) + 1)),
                             pool.others[others[w % len(others)]])
            u_dialect = rng.random(len(items))
            variant = rng.integers(0, 2, len(items))
            for j, f in enumerate(items):
                own = bool(is_b[w] and u_dialect[j] < dialect_strength)
                text = f.b[style[w]] if own else f.a[variant[j] % len(f.a)]
                add((c, 2 + w, WITNESS, int(is_b[w]), f.tag, text, number[w], own, "",
                     wkey[w], j))

    columns = zip(*rows, strict=True) if rows else ([] for _ in _COLUMNS)
    a = {k: np.asarray(v) for k, v in zip(_COLUMNS, columns, strict=True)}
    sort = np.lexsort((a["within"], a["bkey"], a["case"]))
    a = {k: v[sort] for k, v in a.items()}
    counts = np.bincount(a["case"], minlength=n_cases)
    starts = np.r_[0, np.cumsum(counts)]
    return Files(
        case=a["case"], block=a["block"], kind=a["kind"], group=a["group"], tag=a["tag"],
        text=a["text"], witness=a["witness"], own_words=a["own"], time=a["time"],
        pos=np.arange(len(sort)) - np.repeat(starts[:-1], counts),
        starts=starts, incident=np.asarray(incidents),
    )
