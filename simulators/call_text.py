"""The words of the made-up 101 calls, and speech-to-text. Pure Python, no Streamlit.

Every phrase a call can be made of comes from ``data/call_templates.json`` and is
tokenised once into a :class:`Bank`: a fixed vocabulary (what the AI can know), the
display form of every token, and pools of phrases (greetings, openers, details,
cues of threat, harm and vulnerability, areas, fillers, closings). A call is a row
of phrase ids; speech-to-text (:func:`garble`) then loses or mishears some of its
words.

>>> b = bank()
>>> "knife" in b.index and b.proxies["northgate"]
'area B'
"""

from __future__ import annotations

import functools
import itertools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "call_templates.json"

#: Share of words the speech-to-text gets wrong for everyone. Koenecke et al. (PNAS
#: 2020) measured 0.19 for white US speakers on five commercial systems.
BASE_WORD_ERROR = 0.19
#: Of the words it gets wrong, the share it loses altogether (the rest it mishears).
DROP_SHARE = 0.5
#: How a lost word is shown in a heard text; misheard words are shown in [brackets].
MARK_LOST = "[…]"

FACTORS = ("threat", "harm", "vulnerability")
GROUPS = ("A", "B")

_SLOT = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"[^a-z0-9'\-]")
_TAIL = re.compile(r"^(.*?)([.,?!;:…]*)$", re.S)
_MAX_EXPANSIONS = 60


def norm(token: str) -> str:
    """The word a token stands for: lower case, letters, digits, ' and - only."""
    return _WORD.sub("", token.lower().replace("’", "'")).strip("'-")


def tail(token: str) -> str:
    """The punctuation a token ends with (kept when a word is lost or misheard)."""
    return _TAIL.match(token).group(2)  # type: ignore[union-attr]


def _expand(template: str, fills: dict[str, list[str]]) -> list[str]:
    """Every filling of a template's {slots} (a fixed sample if there are very many)."""
    names = _SLOT.findall(template)
    if not template:
        return [""]
    if not names:
        return [template]
    unique = list(dict.fromkeys(names))
    combos = list(itertools.product(*(fills[n] for n in unique)))
    if len(combos) > _MAX_EXPANSIONS:
        combos = random.Random(template).sample(combos, _MAX_EXPANSIONS)
    out = []
    for combo in combos:
        text = template.format(**dict(zip(unique, combo, strict=True)))
        out.append(text[0].upper() + text[1:])
    return out


@dataclass(frozen=True)
class Bank:
    vocab: tuple[str, ...]
    index: dict[str, int]
    shown: tuple[str, ...]  # display form of every said token, indexed by tok_shown
    tok_word: np.ndarray
    tok_shown: np.ndarray
    tok_tail: np.ndarray  # index into tails
    tok_cap: np.ndarray
    tails: tuple[str, ...]
    ph_start: np.ndarray
    ph_len: np.ndarray
    pools: dict[str, np.ndarray]
    kinds: tuple[dict[str, Any], ...]  # key and route of each kind of call
    factor_probs: np.ndarray  # (kinds, 3 factors, 3 levels)
    kind_weights: np.ndarray
    sound: np.ndarray  # (vocab, 2) soundalike word ids, -1 if none
    mishear: np.ndarray
    proxies: dict[str, str]  # word -> "area A", "area B" or "dialect"
    # The same strings as numpy object arrays, for building many texts at once.
    shown_arr: np.ndarray
    tails_arr: np.ndarray
    vocab_arr: np.ndarray
    vocab_cap: np.ndarray


@functools.lru_cache(maxsize=1)
def bank() -> Bank:
    """Every phrase of the templates, tokenised once."""
    spec = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    shared = spec["fills"]
    vocab: dict[str, int] = {}
    shown: dict[str, int] = {}
    tails: dict[str, int] = {"": 0}
    words, shows, tailv, caps, starts, lens = [], [], [], [], [], []
    phrase_of: dict[str, int] = {}

    def word_id(w: str) -> int:
        return vocab.setdefault(w, len(vocab))

    def phrase(text: str) -> int:
        if text in phrase_of:
            return phrase_of[text]
        starts.append(len(words))
        n = 0
        for token in text.split():
            w = norm(token)
            if not w:
                continue
            words.append(word_id(w))
            shows.append(shown.setdefault(token, len(shown)))
            tailv.append(tails.setdefault(tail(token), len(tails)))
            caps.append(token[:1].isupper())
            n += 1
        lens.append(n)
        phrase_of[text] = len(lens) - 1
        return phrase_of[text]

    phrase("")  # phrase 0 says nothing
    pools: dict[str, list[int]] = {}

    def pool(name: str, templates: list[str], fills: dict[str, list[str]]) -> None:
        pools[name] = [phrase(t) for tpl in templates for t in _expand(tpl, fills)]

    for style in ("plain", "dialect"):
        pool(f"greet.{style}", spec["greetings"][style], shared)
        pool(f"filler.{style}", spec["fillers"][style], shared)
        pool(f"close.{style}", spec["closings"][style], shared)
    for g in GROUPS:
        pool(f"area.{g}", spec["area_phrases"], {**shared, "area": spec["areas"][g]})
    kinds = []
    probs = np.zeros((len(spec["kinds"]), 3, 3))
    for k, kind in enumerate(spec["kinds"]):
        fills = {**shared, **kind.get("fills", {})}
        pool(f"open.{k}", kind["openers"], fills)
        pool(f"detail.{k}", kind["details"], fills)
        for f, factor in enumerate(FACTORS):
            probs[k, f] = kind[factor]
            levels = kind.get("cues", {}).get(factor, spec["cues"][factor])
            for level, texts in enumerate(levels):
                pool(f"cue.{k}.{f}.{level}", texts, fills)
        kinds.append({key: kind[key] for key in ("key", "route")})
    probs /= probs.sum(axis=2, keepdims=True)
    for w, alts in spec["soundalikes"].items():
        word_id(w)
        for a in alts:
            word_id(a)
    for w in spec["mishearings"]:
        word_id(w)
    # Proxies of the group: area names, and dialect words.
    proxies = {w: "dialect" for w in spec["dialect_words"] if w in vocab}
    for g in GROUPS:
        for area in spec["areas"][g]:
            proxies[norm(area)] = f"area {g}"
    sound = np.full((len(vocab), 2), -1, dtype=np.int32)
    for w, alts in spec["soundalikes"].items():
        ids = [vocab[a] for a in alts]
        sound[vocab[w]] = (ids * 2)[:2]
    return Bank(
        vocab=tuple(vocab),
        index=vocab,
        shown=tuple(shown),
        tok_word=np.array(words, dtype=np.int32),
        tok_shown=np.array(shows, dtype=np.int32),
        tok_tail=np.array(tailv, dtype=np.int16),
        tok_cap=np.array(caps, dtype=bool),
        tails=tuple(tails),
        ph_start=np.array(starts, dtype=np.int64),
        ph_len=np.array(lens, dtype=np.int64),
        pools={k: np.array(v, dtype=np.int64) for k, v in pools.items()},
        kinds=tuple(kinds),
        factor_probs=probs,
        kind_weights=np.array([k["weight"] for k in spec["kinds"]], dtype=float),
        sound=sound,
        mishear=np.array([vocab[w] for w in spec["mishearings"]], dtype=np.int32),
        proxies=proxies,
        shown_arr=_objects(shown),
        tails_arr=_objects(tails),
        vocab_arr=_objects(vocab),
        vocab_cap=_objects(w[:1].upper() + w[1:] for w in vocab),
    )


def _objects(strings: Any) -> np.ndarray:
    out = list(strings)
    arr = np.empty(len(out), dtype=object)
    arr[:] = out
    return arr


def kinds_of_call() -> list[dict[str, Any]]:
    """The kinds of call in the made-up town: each one's key and route."""
    return [dict(k) for k in bank().kinds]


def garble(
    word: np.ndarray, wer: np.ndarray, u_err: np.ndarray, u_drop: np.ndarray, u_alt: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Speech-to-text: each word is lost or misheard with chance ``wer``.

    Returns the heard word ids (-1 for lost or unknown words) and a status per word:
    0 heard right, 1 misheard, 2 lost.
    """
    b = bank()
    err = u_err < wer
    lost = err & (u_drop < DROP_SHARE)
    wrong = np.flatnonzero(err & ~lost)  # a few in a hundred: worked out only for these
    said, alt_u = word[wrong], u_alt[wrong]
    alt = (alt_u * 2).astype(np.int64).clip(0, 1)
    sound = np.where(said >= 0, b.sound[said.clip(0), alt], -1)
    other = b.mishear[(alt_u * len(b.mishear)).astype(np.int64) % len(b.mishear)]
    heard = word.astype(np.int64)  # a copy
    heard[wrong] = np.where(sound >= 0, sound, other)
    heard[lost] = -1
    status = np.zeros(len(word), dtype=np.int8)
    status[wrong] = 1
    status[lost] = 2
    return heard, status


def word_counts(call: np.ndarray, heard: np.ndarray, n: int) -> sparse.csr_matrix:
    """Word counts per call over the fixed vocabulary (lost and unknown words skipped),
    built straight in canonical form (rows' words sorted, each once)."""
    vocab = len(bank().vocab)
    keep = heard >= 0
    # A town's tokens come call by call, so the keys are nearly sorted already: a
    # stable sort (timsort) takes a fraction of np.unique's time on them.
    key = np.sort(call[keep].astype(np.int64) * vocab + heard[keep], kind="stable")
    first = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    cells, counts = key[starts], np.diff(np.append(starts, len(key)))
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(cells // vocab, minlength=n), out=indptr[1:])
    out = sparse.csr_matrix((counts.astype(np.float64), (cells % vocab).astype(np.int32),
                             indptr), shape=(n, vocab))
    out.has_sorted_indices = True
    return out


def _encoded(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte buffer and each string's offsets into it."""
    parts = [x.encode("utf-8") for x in strings]
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in parts], out=offsets[1:])
    return np.frombuffer(b"".join(parts), dtype=np.uint8), offsets


@functools.lru_cache(maxsize=1)
def _shown_bytes() -> tuple[np.ndarray, np.ndarray]:
    return _encoded(list(bank().shown))


def _lines(buf: np.ndarray, off: np.ndarray, ids: np.ndarray, starts: np.ndarray,
           lens: np.ndarray) -> list[str]:
    """Each call's tokens (strings ``ids`` of the byte table ``buf``/``off``) joined by
    spaces, one string per call, built as bytes in a few whole-array steps (a
    token-by-token join costs several times more)."""
    size = off[ids + 1] - off[ids]
    step = size + 1  # each token and the space or line end after it
    ends = np.cumsum(step)
    owner = np.repeat(np.arange(len(ids)), step)
    at = np.arange(int(ends[-1])) - (ends - step)[owner]
    word = at < size[owner]
    out = np.full(len(at), ord(" "), dtype=np.uint8)
    out[word] = buf[off[ids][owner[word]] + at[word]]
    out[ends[starts + lens - 1] - 1] = ord("\n")
    return out.tobytes().decode("utf-8").split("\n")[:-1]


def texts(tok: np.ndarray, heard: np.ndarray, status: np.ndarray,
          starts: np.ndarray, lens: np.ndarray) -> tuple[list[str], list[str]]:
    """Said and heard text of each call; heard words marked [misheard] or […] lost."""
    b = bank()
    shown, tails = b.tok_shown[tok].astype(np.int64), b.tok_tail[tok].astype(np.int64)
    if not len(lens) or (lens == 0).any():  # a silent call: join one by one
        said_tok = b.shown_arr[shown]
        heard_tok = said_tok.copy()
        tail_str = b.tails_arr[tails]
        lost, wrong = status == 2, status == 1
        heard_tok[lost] = MARK_LOST + tail_str[lost]
        words = np.where(b.tok_cap[tok[wrong]], b.vocab_cap[heard[wrong]],
                         b.vocab_arr[heard[wrong]])
        heard_tok[wrong] = "[" + words + "]" + tail_str[wrong]
        return (
            [" ".join(said_tok[a : a + n]) for a, n in zip(starts, lens, strict=True)],
            [" ".join(heard_tok[a : a + n]) for a, n in zip(starts, lens, strict=True)],
        )
    buf, off = _shown_bytes()
    said = _lines(buf, off, shown, starts, lens)
    # Heard tokens: the said token, a lost mark with its tail, or a misheard word in
    # brackets (capitalised as said) with its tail; each distinct one built once.
    n_tails = len(b.tails)
    changed = status > 0
    key = ((heard.clip(0) * 2 + b.tok_cap[tok]) * n_tails + tails) * 3 + status
    marks, which = np.unique(key[changed], return_inverse=True)
    made = []
    for k in marks.tolist():
        k, st = divmod(k, 3)
        k, tail_id = divmod(k, n_tails)
        word, cap = divmod(k, 2)
        made.append(MARK_LOST + b.tails[tail_id] if st == 2 else
                    "[" + (b.vocab_cap if cap else b.vocab_arr)[word] + "]" + b.tails[tail_id])
    extra, extra_off = _encoded(made)
    table = np.concatenate([buf, extra])
    table_off = np.concatenate([off, off[-1] + extra_off[1:]])
    ids = shown.copy()
    ids[changed] = len(off) - 1 + which
    return said, _lines(table, table_off, ids, starts, lens)


def tokenise(text: str) -> tuple[list[str], np.ndarray]:
    """Typed text into display tokens and vocabulary ids (-1 for unknown words)."""
    index = bank().index
    # Keep every token with a letter or digit in any script (so Welsh, Japanese... are
    # words the AI does not know, not nothing); drop bare punctuation and emoji.
    tokens = [t for t in text.split() if any(ch.isalnum() for ch in t)]
    ids = np.array([index.get(norm(t), -1) for t in tokens], dtype=np.int64)
    return tokens, ids
