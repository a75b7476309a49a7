"""Use case 1: an AI answering 101 calls. Pure Python, no Streamlit.

A made-up town phones the police non-emergency number. Each call is put together from
the text templates in ``data/call_templates.json``: a kind of call (14 kinds, from lost
property to domestic abuse), what the caller says about three hidden THRIVE-style
factors (threat, harm, vulnerability), where they live, and how they talk. The hidden
factors decide the true need: ``fast_track`` (a person, now), ``advise`` or
``signpost`` (another organisation).

Callers are in group A or group B. Group B's words reach the AI through speech-to-text
that can get more of them wrong (``asr_error_gap``; Koenecke et al., PNAS 2020, measured
word error rates of 0.35 against 0.19), and group B's calls name other areas and use
some dialect words: proxies of the group that a text model picks up although the group
itself is never one of its inputs. With ``label_bias``, that share of group B's truly
urgent past calls was graded not urgent by past call handlers, and the AI learns from
those grades.

The AI is TF-IDF over a fixed vocabulary and a logistic regression, trained on past
calls and their past grades. A mitigation (Fairlearn, through
:func:`simulators.fairness.fit_mitigation`) is fitted on a small audited sample whose
true need was checked by hand, or, to show what goes wrong, on the same calls' past
grades. A person then double-checks the calls the AI is least sure about.

>>> out = simulate(TriageConfig(n_calls=600, audit_size=100, seed=3))
>>> len(out.y_true) == N_TEST and set(out.sensitive) == {"A", "B"}
True
>>> heard = listen_in(out, text="He's got a knife and he's kicking the door in")
>>> heard.decision
'fast_track'
"""

from __future__ import annotations

import functools
import itertools
import json
import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from simulators.config import Preset, SimConfig, setting, validate
from simulators.fairness import (
    FairModel,
    Outcome,
    Terms,
    disparities,
    fit_mitigation,
)
from workshop.i18n import N_

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "call_templates.json"

#: New calls the trained AI answers; every rate and workload is out of these.
N_TEST = 1000
#: Share of words the speech-to-text gets wrong for everyone (Koenecke et al.'s 0.19).
BASE_WORD_ERROR = 0.19
#: Koenecke et al. (PNAS 2020): average word error rates, white and Black speakers.
KOENECKE_WER = {"white speakers": 0.19, "Black speakers": 0.35}
#: Of the words it gets wrong, the share it loses altogether (the rest it mishears).
DROP_SHARE = 0.5
#: Chance a caller mentions a factor, by its level (none, some, serious).
CUE_SAID = (0.45, 0.8, 0.9)
#: Chance a caller uses dialect words in a greeting, filler or closing, by group.
DIALECT_RATE = {"A": 0.05, "B": 0.8}
#: Chance a caller says where they are, and that it is one of their own group's areas.
AREA_SAID = 0.85
OWN_AREA = 0.85
#: Chance a past handler graded any call the wrong way round, whatever the group.
HISTORY_NOISE = 0.03
#: Chance the person who double-checks a call gets its need right.
REVIEWER_ACCURACY = 0.95
#: Minutes a person takes to listen back to a call and decide.
REVIEW_MINUTES = 6
#: Most characters of typed text that "Listen in" reads.
MAX_TYPED_CHARS = 2000
#: Inverse strength of the regression's regularisation.
MODEL_C = 4.0

NEEDS = ("fast_track", "advise", "signpost")
FACTORS = ("threat", "harm", "vulnerability")
GROUPS = ("A", "B")
MARK_LOST = "[…]"

TERMS = Terms(
    harm="false_negative_rate",
    headline=N_(
        "Of every 100 urgent calls, the AI missed {first} from {first_group} and {second} "
        "from {second_group}."),
    labels={
        "selection_rate": N_("Fast-tracked, of all calls"),
        "true_positive_rate": N_("Urgent calls caught"),
        "false_negative_rate": N_("Urgent calls missed"),
        "false_positive_rate": N_("Fast-tracked, though it could wait"),
    },
    meanings={
        "selection_rate": N_("Out of every 100 calls, how many the AI fast-tracked to a person."),
        "true_positive_rate": N_(
            "Out of every 100 calls that were truly urgent, how many the AI fast-tracked. "
            "Higher is better."),
        "false_negative_rate": N_(
            "Out of every 100 calls that were truly urgent, how many the AI left to wait. "
            "Lower is better: these are the ones that slip through."),
        "false_positive_rate": N_(
            "Out of every 100 calls that could wait, how many the AI fast-tracked anyway. "
            "Lower is better: each one takes a person away from an urgent call."),
        "accuracy": N_("Out of every 100 calls, how many the AI got right."),
    },
    flagged=N_("fast-tracked"),
)


@dataclass(frozen=True)
class TriageConfig(SimConfig):
    """Settings of the 101-call world; each one is a slider or a choice on the page."""

    n_calls: int = setting(
        2000,
        label=N_("Past calls the AI learns from"),
        help=N_("How many old calls, with what call handlers decided about them, the AI "
        "studies before it answers 1,000 new calls."),
        min=500,
        max=8000,
        step=500,
        advanced=True,
    )
    group_b_share: float = setting(
        0.3,
        label=N_("Callers from group B"),
        help=N_("Out of every 100 callers, how many are in group B: people from the "
        "Northgate side of town whose accent the speech-to-text knows less well."),
        min=0.05,
        max=0.5,
        step=0.05,
    )
    label_bias: float = setting(
        0.0,
        label=N_("Unfair past grading of group B"),
        help=N_("Out of every 100 truly urgent calls from group B in the past, how many call "
        "handlers wrongly marked as 'can wait'. The AI learns from those past marks."),
        min=0.0,
        max=0.8,
        step=0.05,
        bias=True,
    )
    asr_error_gap: float = setting(
        0.0,
        label=N_("Extra mishearing of group B"),
        help=N_("The speech-to-text gets about 19 words in 100 wrong for everyone. This adds "
        "more for group B: 0.16 matches a study that found 35 in 100 for some voices."),
        min=0.0,
        max=0.3,
        step=0.02,
        bias=True,
    )
    fast_track_threshold: float = setting(
        0.3,
        label=N_("How sure before fast-tracking"),
        help=N_("The AI passes a call to a person straight away when it is at least this "
        "sure the call is urgent. Lower catches more urgent calls but also sends more "
        "calls that could wait. A fix for fairness sets its own lines instead."),
        min=0.1,
        max=0.9,
        step=0.05,
    )
    mitigation: str = setting(
        "none",
        label=N_("Fix for fairness"),
        help=N_("A fix from the Fairlearn toolkit. 'Different cut-offs' lets the AI use a "
        "different 'how sure' line for each group. 'Retrain' teaches a new AI with a rule "
        "that both groups' mistakes must be about equal."),
        choices={
            "none": N_("No fix"),
            "threshold_optimizer": N_("Different cut-offs per group"),
            "exponentiated_gradient": N_("Retrain with a fairness rule"),
        },
    )
    mitigation_data: str = setting(
        "audit",
        label=N_("The fix learns from"),
        help=N_("Checked calls: people listened again to a small sample of calls and "
        "wrote down what each one truly needed. Past marks: the same calls, but with "
        "what call handlers decided at the time, unfair marks included."),
        choices={"audit": N_("Calls checked by hand"),
                 "history": N_("Past marks, unfair ones too")},
    )
    human_review_share: float = setting(
        0.0,
        label=N_("Calls a person double-checks"),
        help=N_("Out of every 100 calls, how many a person listens to again, starting with "
        "the ones the AI is least sure about."),
        min=0.0,
        max=1.0,
        step=0.05,
    )
    audit_size: int = setting(
        500,
        label=N_("Calls checked by hand for the fix"),
        help=N_("How many past calls people listened to again to write down their true need. "
        "A fix learns from these."),
        min=100,
        max=1000,
        step=50,
        advanced=True,
    )
    seed: int = setting(
        1,
        label=N_("World number"),
        help=N_("Each number makes a different made-up town with different calls. The same "
        "number always gives the same calls."),
        min=0,
        max=9999,
        advanced=True,
    )


# --------------------------------------------------------------------------------------
# The text bank: every phrase a call can be made of, tokenised once.


_SLOT = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"[^a-z0-9'\-]")
_TAIL = re.compile(r"^(.*?)([.,?!;:…]*)$", re.S)
_MAX_EXPANSIONS = 60


def _norm(token: str) -> str:
    """The word a token stands for: lower case, letters, digits, ' and - only."""
    return _WORD.sub("", token.lower().replace("’", "'")).strip("'-")


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
class _Bank:
    vocab: tuple[str, ...]
    index: dict[str, int]
    shown: tuple[str, ...]  # display form of every said token, indexed by tok_shown
    tok_word: np.ndarray
    tok_shown: np.ndarray
    tok_tail: np.ndarray  # index into TAILS
    tok_cap: np.ndarray
    tails: tuple[str, ...]
    ph_start: np.ndarray
    ph_len: np.ndarray
    pools: dict[str, np.ndarray]
    kinds: tuple[dict[str, Any], ...]
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
def _bank() -> _Bank:
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
            w = _norm(token)
            if not w:
                continue
            tail = _TAIL.match(token).group(2)  # type: ignore[union-attr]
            words.append(word_id(w))
            shows.append(shown.setdefault(token, len(shown)))
            tailv.append(tails.setdefault(tail, len(tails)))
            caps.append(token[:1].isupper())
            n += 1
        lens.append(n)
        phrase_of[text] = len(lens) - 1
        return phrase_of[text]

    phrase("")  # phrase 0 says nothing
    pools: dict[str, list[int]] = {}

    def pool(name: str, templates: list[str], fills: dict[str, list[str]]) -> None:
        ids = [phrase(t) for tpl in templates for t in _expand(tpl, fills)]
        pools[name] = ids

    for style in ("plain", "dialect"):
        pool(f"greet.{style}", spec["greetings"][style], shared)
        pool(f"filler.{style}", spec["fillers"][style], shared)
        pool(f"close.{style}", spec["closings"][style], shared)
    for g in GROUPS:
        fills = {**shared, "area": spec["areas"][g]}
        pool(f"area.{g}", spec["area_phrases"], fills)
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
        kinds.append({key: kind[key] for key in ("key", "label", "route", "where_to")})
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
            proxies[_norm(area)] = f"area {g}"
    sound = np.full((len(vocab), 2), -1, dtype=np.int32)
    for w, alts in spec["soundalikes"].items():
        ids = [vocab[a] for a in alts]
        sound[vocab[w]] = (ids * 2)[:2]
    return _Bank(
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
    """The kinds of call in the made-up world: key, label, route and where it goes."""
    return [dict(k) for k in _bank().kinds]


# --------------------------------------------------------------------------------------
# The world: who calls about what, what they say, what they truly need.


@dataclass(frozen=True)
class _World:
    group_b: np.ndarray  # bool per call
    kind: np.ndarray
    factors: np.ndarray  # (n, 3) levels 0-2
    y_true: np.ndarray  # 1 if the call truly needed fast-tracking
    route: np.ndarray  # 1 if its non-urgent answer is to signpost elsewhere
    tok_call: np.ndarray  # call of each token
    tok: np.ndarray  # flat index into the bank's token arrays
    call_start: np.ndarray
    call_len: np.ndarray
    u_bias: np.ndarray  # uniform per call: past unfair grading if below label_bias
    u_noise: np.ndarray  # uniform per call: past handler error if below HISTORY_NOISE
    u_err: np.ndarray  # uniform per token: misheard if below the word error rate
    u_drop: np.ndarray  # uniform per token: lost rather than misheard
    u_alt: np.ndarray  # which soundalike or mishearing
    u_review: np.ndarray  # uniform per call: the reviewer errs if above accuracy


def _true_need(factors: np.ndarray) -> np.ndarray:
    """THRIVE-style rule: serious threat or harm, a vulnerable person at some risk, or
    a lot of everything, means a person should pick the call up now."""
    t, h, v = factors[:, 0], factors[:, 1], factors[:, 2]
    urgent = (t == 2) | (h == 2) | ((v == 2) & (t + h >= 1)) | (t + h + v >= 4)
    return urgent.astype(np.int8)


def _pick(rng: np.random.Generator, ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return ids[rng.integers(0, len(ids), size=len(rows))]


@functools.lru_cache(maxsize=16)
def _world(seed: int, n: int, share: float) -> _World:
    """The calls of one made-up town (cached: the sliders that only change the AI,
    the past grades or the speech-to-text reuse the same calls)."""
    bank = _bank()
    streams = np.random.SeedSequence([seed, 101]).spawn(4)
    who, text, asr, fate = (np.random.default_rng(s) for s in streams)
    group_b = who.random(n) < share
    kind = who.choice(len(bank.kinds), size=n, p=bank.kind_weights / bank.kind_weights.sum())
    cum = np.cumsum(bank.factor_probs[kind], axis=2)  # (n, 3, 3)
    factors = (who.random((n, 3, 1)) > cum).sum(axis=2).clip(0, 2)
    y_true = _true_need(factors)
    routes = np.array([k["route"] == "signpost" for k in bank.kinds])
    route = routes[kind].astype(np.int8)

    # Slots of a call, in order; each holds one phrase id (0 = nothing said).
    n_slots = 9
    slots = np.zeros((n, n_slots), dtype=np.int64)
    dialect = np.where(group_b, DIALECT_RATE["B"], DIALECT_RATE["A"])
    for col, part, p_said in ((0, "greet", 1.0), (7, "filler", 0.6), (8, "close", 1.0)):
        said = text.random(n) < p_said
        dial = text.random(n) < dialect
        for style, mask in (("dialect", dial), ("plain", ~dial)):
            rows = np.flatnonzero(said & mask)
            slots[rows, col] = _pick(text, bank.pools[f"{part}.{style}"], rows)
    # Where: most callers say where; group B mostly names group B's areas.
    said = text.random(n) < AREA_SAID
    own = text.random(n) < OWN_AREA
    from_b = np.where(own, group_b, ~group_b)
    for g, mask in (("A", ~from_b), ("B", from_b)):
        rows = np.flatnonzero(said & mask)
        slots[rows, 2] = _pick(text, bank.pools[f"area.{g}"], rows)
    # What happened, and what they say about threat, harm and vulnerability.
    cue_said = text.random((n, 3)) < np.asarray(CUE_SAID)[factors]
    for k in range(len(bank.kinds)):
        rows = np.flatnonzero(kind == k)
        if not len(rows):
            continue
        slots[rows, 1] = _pick(text, bank.pools[f"open.{k}"], rows)
        has_detail = rows[text.random(len(rows)) < 0.8]
        slots[has_detail, 3] = _pick(text, bank.pools[f"detail.{k}"], has_detail)
        for f in range(3):
            for level in range(3):
                sel = rows[(factors[rows, f] == level) & cue_said[rows, f]]
                if len(sel):
                    slots[sel, 4 + f] = _pick(text, bank.pools[f"cue.{k}.{f}.{level}"], sel)
    # Callers mention the three factors in any order.
    order = np.argsort(text.random((n, 3)), axis=1)
    slots[:, 4:7] = np.take_along_axis(slots[:, 4:7], order, axis=1)

    lens = bank.ph_len[slots]  # (n, slots)
    call_len = lens.sum(axis=1)
    call_start = np.concatenate([[0], np.cumsum(call_len)[:-1]])
    flat_len = lens.ravel()
    total = int(flat_len.sum())
    seg_start = np.repeat(bank.ph_start[slots].ravel(), flat_len)
    seg_off = np.arange(total) - np.repeat(np.cumsum(flat_len) - flat_len, flat_len)
    tok = seg_start + seg_off
    tok_call = np.repeat(np.arange(n), call_len)
    return _World(
        group_b=group_b,
        kind=kind,
        factors=factors,
        y_true=y_true,
        route=route,
        tok_call=tok_call,
        tok=tok,
        call_start=call_start,
        call_len=call_len,
        u_bias=fate.random(n),
        u_noise=fate.random(n),
        u_err=asr.random(total),
        u_drop=asr.random(total),
        u_alt=asr.random(total),
        u_review=fate.random(n),
    )


def _garble(
    word: np.ndarray, wer: np.ndarray, u_err: np.ndarray, u_drop: np.ndarray, u_alt: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Speech-to-text: each word is lost or misheard with chance ``wer``.

    Returns the heard word ids (-1 for lost or unknown words) and a status per word:
    0 heard right, 1 misheard, 2 lost.
    """
    bank = _bank()
    err = u_err < wer
    lost = err & (u_drop < DROP_SHARE)
    wrong = err & ~lost
    alt = (u_alt * 2).astype(np.int64).clip(0, 1)
    sound = np.where(word >= 0, bank.sound[word.clip(0), alt], -1)
    other = bank.mishear[(u_alt * len(bank.mishear)).astype(np.int64) % len(bank.mishear)]
    heard = np.where(wrong, np.where(sound >= 0, sound, other), word)
    heard = np.where(lost, -1, heard)
    status = np.where(lost, 2, np.where(wrong, 1, 0)).astype(np.int8)
    return heard.astype(np.int64), status


def _counts(call: np.ndarray, heard: np.ndarray, n: int) -> sparse.csr_matrix:
    """Word counts per call over the fixed vocabulary (lost and unknown words skipped)."""
    keep = heard >= 0
    return sparse.csr_matrix(
        (np.ones(int(keep.sum())), (call[keep], heard[keep])), shape=(n, len(_bank().vocab))
    )


# --------------------------------------------------------------------------------------
# The outcome.


@dataclass(kw_only=True)
class TriageOutcome(Outcome):
    """What the 101-call AI did with 1,000 new calls, and what it cost to check it.

    ``y_true``: the call truly needed fast-tracking. ``y_pred``: it was fast-tracked,
    after any fix and any human review. ``sensitive``: the caller's group.
    """

    config: TriageConfig
    #: One row per new call: group, kind, said, heard (garbled words marked), true_need,
    #: ai_decision, confidence, urgency, reviewed, final_decision.
    calls: pd.DataFrame
    #: The AI's own fast-track decisions, before any person checked them.
    ai_pred: np.ndarray
    #: Reviewer workload at the chosen share: calls checked, hours, errors caught...
    workload: dict[str, float]
    #: The same figures for every share from 0 to 100 in steps of 5.
    review_curve: pd.DataFrame
    #: Share of words the speech-to-text got wrong, per group.
    word_error: dict[str, float]
    #: Per group, how many past urgent calls were graded 'can wait' (bias and noise).
    history_missed: dict[str, float]
    #: Least confidence a call can have and not be checked by a person.
    review_cutoff: float
    fitted_on: str
    model: FairModel = field(repr=False)
    base_model: FairModel = field(repr=False)
    route_model: Any = field(repr=False)
    tfidf: TfidfTransformer = field(repr=False)
    heard_tokens: dict[str, np.ndarray] = field(repr=False)


def _route_model(X: np.ndarray, route: np.ndarray) -> Any:
    if len(np.unique(route)) < 2:
        return None
    return LogisticRegression(C=MODEL_C, solver="liblinear").fit(X, route)


def _decide(fast: np.ndarray, route_model: Any, X: np.ndarray) -> np.ndarray:
    """fast_track / advise / signpost for each row."""
    if route_model is None or not X.shape[0]:
        sign = np.zeros(len(fast), dtype=bool)
    else:
        sign = route_model.predict(X).astype(bool)
    return np.where(fast == 1, "fast_track", np.where(sign, "signpost", "advise"))


def _confidence(pred: np.ndarray, score: np.ndarray) -> np.ndarray:
    """How sure the AI is of its own decision: its urgency score if it fast-tracked,
    one minus it if it did not."""
    return np.where(pred == 1, score, 1.0 - score)


def _text(bank: _Bank, tok: np.ndarray, heard: np.ndarray, status: np.ndarray,
          starts: np.ndarray, lens: np.ndarray) -> tuple[list[str], list[str]]:
    """Said and heard text of each call; heard words marked [misheard] or […] lost.

    Built with whole-array operations and one join per text, not a loop per call.
    """
    said_tok = bank.shown_arr[bank.tok_shown[tok]]
    heard_tok = said_tok.copy()
    tails = bank.tails_arr[bank.tok_tail[tok]]
    lost, wrong = status == 2, status == 1
    heard_tok[lost] = MARK_LOST + tails[lost]
    words = np.where(bank.tok_cap[tok[wrong]], bank.vocab_cap[heard[wrong]],
                     bank.vocab_arr[heard[wrong]])
    heard_tok[wrong] = "[" + words + "]" + tails[wrong]
    if not len(lens) or (lens == 0).any():  # a silent call: join one by one
        return (
            [" ".join(said_tok[a : a + n]) for a, n in zip(starts, lens, strict=True)],
            [" ".join(heard_tok[a : a + n]) for a, n in zip(starts, lens, strict=True)],
        )
    sep = np.full(len(tok), " ", dtype=object)
    sep[starts + lens - 1] = "\n"
    said = "".join((said_tok + sep).tolist()).split("\n")[:-1]
    heard_text = "".join((heard_tok + sep).tolist()).split("\n")[:-1]
    return said, heard_text


def _review(
    y_true: np.ndarray, ai: np.ndarray, conf: np.ndarray, reviewer_right: np.ndarray,
    share: float,
) -> tuple[np.ndarray, np.ndarray, dict[str, float], pd.DataFrame, float]:
    """A person checks the least confident ``share`` of calls and decides them."""
    n = len(y_true)
    order = np.argsort(conf, kind="stable")
    k = int(round(share * n))
    reviewed = np.zeros(n, dtype=bool)
    reviewed[order[:k]] = True
    reviewer = np.where(reviewer_right, y_true, 1 - y_true)
    final = np.where(reviewed, reviewer, ai).astype(np.int8)
    ai_wrong = ai != y_true
    caught = np.cumsum((ai_wrong & reviewer_right)[order])
    made = np.cumsum((~ai_wrong & ~reviewer_right)[order])
    missed_urgent = np.cumsum(((y_true == 1) & (ai == 0) & reviewer_right)[order])
    ai_missed = float(((y_true == 1) & (ai == 0)).sum())
    per = 1000 / n

    def at(m: int) -> dict[str, float]:
        c = float(caught[m - 1]) if m else 0.0
        e = float(made[m - 1]) if m else 0.0
        u = float(missed_urgent[m - 1]) if m else 0.0
        return {
            "share": m / n,
            "calls_checked": m * per,
            "hours": m * per * REVIEW_MINUTES / 60,
            "errors_caught": c * per,
            "errors_made": e * per,
            "urgent_caught": u * per,
            "urgent_missed_by_ai": ai_missed * per,
            "errors_left": (float(ai_wrong.sum()) - c + e) * per,
            "ai_errors": float(ai_wrong.sum()) * per,
        }

    workload = at(k)
    steps = [int(round(s * n)) for s in np.linspace(0, 1, 21)]
    curve = pd.DataFrame([at(m) for m in steps])
    cutoff = float(conf[order[k - 1]]) if k else -1.0
    return final, reviewed, workload, curve, cutoff


def simulate(config: TriageConfig) -> TriageOutcome:
    """Train the call-answering AI on past calls and let it answer 1,000 new ones."""
    validate(config)
    bank = _bank()
    n_hist, n_audit = config.n_calls, config.audit_size
    n = n_hist + n_audit + N_TEST
    w = _world(config.seed, n, config.group_b_share)
    train = slice(0, n_hist)
    audit = slice(n_hist, n_hist + n_audit)
    test = slice(n_hist + n_audit, n)
    group = np.where(w.group_b, "B", "A")
    sensitive = pd.Series(group, name="caller group")

    # What the AI hears.
    wer = np.where(w.group_b, BASE_WORD_ERROR + config.asr_error_gap, BASE_WORD_ERROR)
    said_word = bank.tok_word[w.tok].astype(np.int64)
    heard, status = _garble(said_word, wer[w.tok_call], w.u_err, w.u_drop, w.u_alt)
    counts = _counts(w.tok_call, heard, n)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[train])
    X = tfidf.transform(counts)  # sparse: the regressions train fast on it
    X_test = X[test]

    # What past call handlers decided.
    y_hist = w.y_true.copy()
    y_hist[w.group_b & (w.y_true == 1) & (w.u_bias < config.label_bias)] = 0
    flip = w.u_noise < HISTORY_NOISE
    y_hist[flip] = 1 - y_hist[flip]

    estimator = LogisticRegression(C=MODEL_C, solver="liblinear")
    base = fit_mitigation(
        estimator, X[train], y_hist[train], sensitive[train], "none",
        threshold=config.fast_track_threshold, seed=config.seed,
    )
    model = base
    fitted_on = "history"
    if config.mitigation != "none":
        # Fairlearn's mitigations want dense rows (without a fix, sparse rows are faster).
        X_audit, X_test = X[audit].toarray(), X_test.toarray()
        fitted_on = config.mitigation_data
        y_fix = w.y_true[audit] if fitted_on == "audit" else y_hist[audit]
        # The threshold optimiser keeps the trained AI and learns a cut-off per group;
        # the reduction retrains the same kind of model under a fairness rule.
        model = fit_mitigation(
            base.model, X_audit, y_fix, sensitive[audit].reset_index(drop=True),
            config.mitigation, prefit=True, threshold=config.fast_track_threshold,
            seed=config.seed,
        )
    s_test = sensitive[test].reset_index(drop=True)
    ai = model.predict(X_test, s_test)
    score = model.score(X_test)
    conf = _confidence(ai, score)
    not_urgent = y_hist[train] == 0
    route_model = _route_model(X[train][np.flatnonzero(not_urgent)], w.route[train][not_urgent])

    y_true = w.y_true[test]
    reviewer_right = w.u_review[test] < REVIEWER_ACCURACY
    final, reviewed, workload, curve, cutoff = _review(
        y_true, ai, conf, reviewer_right, config.human_review_share
    )

    # The table of new calls.
    t0, t1 = int(w.call_start[test][0]), int(w.call_start[-1] + w.call_len[-1])
    tok_t = w.tok[t0:t1]
    said, heard_text = _text(
        bank, tok_t, heard[t0:t1], status[t0:t1], w.call_start[test] - t0, w.call_len[test]
    )
    can_wait = np.where(w.route[test] == 1, "signpost", "advise")
    need = np.where(y_true == 1, "fast_track", can_wait)
    ai_decision = _decide(ai, route_model, X_test)
    # A person who checks a call also knows where a call that can wait should go.
    final_decision = np.where(
        reviewed, np.where(final == 1, "fast_track", can_wait), ai_decision
    )
    labels = np.array([k["label"] for k in bank.kinds])
    calls = pd.DataFrame(
        {
            "group": group[test],
            "kind": labels[w.kind[test]],
            "said": said,
            "heard": heard_text,
            "true_need": need,
            "ai_decision": ai_decision,
            "confidence": conf.round(3),
            "urgency": score.round(3),
            "reviewed": reviewed,
            "final_decision": final_decision,
        }
    )
    calls.index.name = "call"

    tok_group_b = w.group_b[w.tok_call]
    word_error = {g: float((status[tok_group_b == (g == "B")] > 0).mean()) for g in GROUPS}
    urgent_train = w.y_true[train] == 1
    history_missed = {
        g: float(
            (y_hist[train][urgent_train & (group[train] == g)] == 0).mean()
            if (urgent_train & (group[train] == g)).any() else 0.0
        )
        for g in GROUPS
    }
    return TriageOutcome(
        y_true=y_true,
        y_pred=final,
        sensitive=s_test,
        score=score,
        terms=TERMS,
        config=config,
        calls=calls,
        ai_pred=ai,
        workload=workload,
        review_curve=curve,
        word_error=word_error,
        history_missed=history_missed,
        review_cutoff=cutoff,
        fitted_on=fitted_on,
        model=model,
        base_model=base,
        route_model=route_model,
        tfidf=tfidf,
        heard_tokens={
            "start": w.call_start[test] - t0,
            "len": w.call_len[test],
            "said": bank.tok_word[tok_t],
            "heard": heard[t0:t1],
            "status": status[t0:t1],
        },
    )


# --------------------------------------------------------------------------------------
# Listen in: one call, as the AI heard it, and why it decided what it did.


@dataclass(frozen=True)
class Heard:
    """One call as the AI heard it, and what it decided. Pure data for the page."""

    said: str
    heard: str  # misheard words in [brackets], lost words as […]
    words: list[tuple[str, str, str]]  # (said, heard, "ok" | "misheard" | "lost")
    decision: str  # "fast_track", "advise", "signpost", or "" when it could not answer
    urgency: float  # the AI's score that the call is urgent, 0 to 1
    confidence: float  # how sure it is of its decision, 0 to 1
    drivers: list[tuple[str, float]]  # words heard and their push towards fast-tracking
    known_words: int  # words the AI has learned anything about
    reviewed: bool  # a person would double-check it at the chosen review share
    message: str = ""  # a plain note: nothing typed, text cut short, no known words...
    true_need: str | None = None  # known for the made-up calls, not for typed ones
    final_decision: str | None = None  # after a person's check (made-up calls only)
    group: str = "A"


def word_weights(model: FairModel) -> np.ndarray:
    """Each vocabulary word's push towards fast-tracking in the AI's own scoring
    (log-odds per unit of TF-IDF; averaged over the mix for a retrained AI)."""
    m = model.model
    if model.mitigation == "threshold_optimizer":
        return np.ravel(m.estimator_.coef_)
    if model.mitigation == "exponentiated_gradient":
        total = np.zeros(len(_bank().vocab))
        for weight, est in zip(m.weights_, m.predictors_, strict=True):
            if hasattr(est, "coef_"):
                total += float(weight) * np.ravel(est.coef_)
        return total
    return np.ravel(m.coef_)


def _drivers(outcome: TriageOutcome, x: np.ndarray, top: int) -> list[tuple[str, float]]:
    contrib = word_weights(outcome.model) * x
    idx = [i for i in np.argsort(-np.abs(contrib)) if contrib[i] != 0][:top]
    vocab = _bank().vocab
    return [(vocab[i], round(float(contrib[i]), 3)) for i in idx]


def _tokenise(text: str) -> tuple[list[str], np.ndarray]:
    """Typed text into display tokens and vocabulary ids (-1 for unknown words)."""
    index = _bank().index
    # Keep every token with a letter or digit in any script (so Welsh, Japanese... are
    # words the AI does not know, not nothing); drop bare punctuation and emoji.
    tokens = [t for t in text.split() if any(ch.isalnum() for ch in t)]
    ids = np.array([index.get(_norm(t), -1) for t in tokens], dtype=np.int64)
    return tokens, ids


def listen_in(
    outcome: TriageOutcome,
    *,
    call: int | None = None,
    text: str | None = None,
    group: str = "A",
    through_speech_to_text: bool = True,
    top: int = 6,
) -> Heard:
    """Classify one call with the outcome's trained AI.

    Either ``call``, a row of ``outcome.calls`` (heard as it was in the simulation),
    or ``text`` typed by a person, which is passed through the same speech-to-text
    for ``group`` (deterministically: the same text gives the same mishearing).
    Never raises for any text: empty, huge, or in another language gets a message.
    """
    bank = _bank()
    if group not in GROUPS:
        group = "A"
    if call is not None:
        row = outcome.calls.iloc[int(call)]
        ht = outcome.heard_tokens
        a, n = int(ht["start"][int(call)]), int(ht["len"][int(call)])
        said_ids = ht["said"][a : a + n]
        heard = ht["heard"][a : a + n]
        status = ht["status"][a : a + n]
        said_tokens = str(row["said"]).split(" ")
        said_ids = said_ids.astype(np.int64)
        group = str(row["group"])
        true_need = str(row["true_need"])
        message = ""
        said_text = str(row["said"])
    else:
        raw = "" if text is None else str(text)
        message = ""
        if len(raw) > MAX_TYPED_CHARS:
            raw = raw[:MAX_TYPED_CHARS]
            message = (
                f"That was long, so the AI read only the first {MAX_TYPED_CHARS:,} "
                "characters, as a real call would be cut off."
            )
        said_tokens, said_ids = _tokenise(raw)
        said_text = " ".join(said_tokens)
        true_need = None
        if not said_tokens:
            return Heard(
                said="", heard="", words=[], decision="", urgency=float("nan"),
                confidence=float("nan"), drivers=[], known_words=0, reviewed=False,
                message="There are no words to listen to yet. Type what a caller might say.",
                group=group,
            )
        if through_speech_to_text:
            rng = np.random.default_rng([zlib.crc32(said_text.encode("utf-8")), ord(group)])
            gap = outcome.config.asr_error_gap if group == "B" else 0.0
            m = len(said_ids)
            heard, status = _garble(
                said_ids, np.full(m, BASE_WORD_ERROR + gap), rng.random(m), rng.random(m),
                rng.random(m),
            )
        else:
            heard, status = said_ids.copy(), np.zeros(len(said_ids), dtype=np.int8)
    words, shown = [], []
    for tok, h, s in zip(said_tokens, heard.tolist(), status.tolist(), strict=True):
        tail = _TAIL.match(tok).group(2)  # type: ignore[union-attr]
        if s == 2:
            words.append((tok, "", "lost"))
            shown.append(MARK_LOST + tail)
        elif s == 1:
            hw = bank.vocab[h]
            words.append((tok, hw, "misheard"))
            shown.append(f"[{hw[:1].upper() + hw[1:] if tok[:1].isupper() else hw}]{tail}")
        else:
            words.append((tok, tok, "ok"))
            shown.append(tok)
    x = outcome.tfidf.transform(_counts(np.zeros(len(heard), dtype=np.int64), heard, 1))
    x = x.toarray()
    known = int((heard >= 0).sum())
    common = dict(said=said_text, heard=" ".join(shown), words=words, known_words=known,
                  true_need=true_need, group=group)
    if call is not None:
        row = outcome.calls.iloc[int(call)]
        return Heard(
            decision=str(row["ai_decision"]),
            urgency=float(row["urgency"]),
            confidence=float(row["confidence"]),
            drivers=_drivers(outcome, x[0], top),
            reviewed=bool(row["reviewed"]),
            final_decision=str(row["final_decision"]),
            **common,
        )
    notes = [message] if message else []
    known_said = int((said_ids >= 0).sum())
    if known_said == 0 or known == 0:
        notes.insert(0, (
            "The AI knows none of these words, so it cannot tell what the call is about: "
            "it learned only from English calls about the kinds of trouble in this town."
            if known_said == 0 else
            "Every word the AI knows was lost on the line, so it has nothing to go on."
        ) + " A well-built system would pass such a call to a person.")
        return Heard(
            decision="", urgency=float("nan"), confidence=float("nan"), drivers=[],
            reviewed=False, message=" ".join(notes), **common,
        )
    if known_said < len(said_ids) / 2:
        notes.append(
            f"The AI knows only {known_said} of these {len(said_ids)} words; it ignores "
            "the others."
        )
    s = pd.Series([group], name="caller group")
    fast = outcome.model.predict(x, s)
    urgency = float(outcome.model.score(x)[0])
    confidence = float(_confidence(fast, np.array([urgency]))[0])
    return Heard(
        decision=str(_decide(fast, outcome.route_model, x)[0]),
        urgency=urgency,
        confidence=confidence,
        drivers=_drivers(outcome, x[0], top),
        reviewed=bool(confidence <= outcome.review_cutoff),
        message=" ".join(notes),
        **common,
    )


# --------------------------------------------------------------------------------------
# Comparing two outcomes: what a fix did, and what it cost.


def fix_cost(fixed: TriageOutcome, plain: TriageOutcome) -> dict[str, Any]:
    """What a fix changed: ``{"before": {...}, "after": {...}}`` rates (0 to 1) for
    the same 1,000 calls without (``plain``) and with (``fixed``) the fix, plus the
    change in calls fast-tracked and in wrong decisions, per 1,000 calls.

    Rates: "gap" (equalized odds difference), "fast_tracked", "right", and per group
    "missed[A]" (false negative rate) and "false_alarm[A]" (false positive rate).
    """

    def rates(o: TriageOutcome) -> dict[str, float]:
        gaps = disparities(o)
        out = {"gap": gaps["equalized_odds_difference"],
               "fast_tracked": gaps["selection_rate"], "right": gaps["accuracy"]}
        for g, r in o.rates.items():
            out[f"missed[{g}]"] = r["false_negative_rate"]
            out[f"false_alarm[{g}]"] = r["false_positive_rate"]
        return out

    scale = 1000 / len(fixed.y_true)
    return {
        "before": rates(plain),
        "after": rates(fixed),
        "extra_fast_tracked_per_1000": float(fixed.y_pred.sum() - plain.y_pred.sum()) * scale,
        "extra_wrong_per_1000": float(
            (fixed.y_pred != fixed.y_true).sum() - (plain.y_pred != plain.y_true).sum()
        ) * scale,
    }


def proxy_words(outcome: TriageOutcome) -> pd.DataFrame:
    """The words that tell the groups apart (area names, dialect words) and how hard
    each pushes the AI towards fast-tracking. The group is never an input, but with
    unfair past marks the AI learns to treat group B's words as 'can wait'.

    Columns: word, kind ("area A", "area B", "dialect"), push (log-odds per unit of
    TF-IDF; below 0 pulls towards 'can wait').
    """
    bank = _bank()
    weights = word_weights(outcome.model)
    rows = [
        {"word": w, "kind": kind, "push": round(float(weights[bank.index[w]]), 3)}
        for w, kind in bank.proxies.items()
        if w in bank.index
    ]
    return pd.DataFrame(rows, columns=["word", "kind", "push"])


def proxy_push(outcome: TriageOutcome) -> dict[str, float]:
    """Average push towards fast-tracking of each kind of group-revealing word:
    "area A", "area B" and "dialect" (group B's way of talking), each word weighted
    by how often the AI heard it in the new calls."""
    bank = _bank()
    weights = word_weights(outcome.model)
    heard = outcome.heard_tokens["heard"]
    count = np.bincount(heard[heard >= 0], minlength=len(bank.vocab))
    out = {}
    for kind in ("area A", "area B", "dialect"):
        ids = [bank.index[w] for w, k in bank.proxies.items() if k == kind and w in bank.index]
        total = count[ids].sum()
        out[kind] = float((weights[ids] * count[ids]).sum() / total) if total else 0.0
    return out


def example_calls(outcome: TriageOutcome, k: int = 12) -> list[int]:
    """Rows of ``outcome.calls`` worth listening to, from both groups: urgent calls the
    AI missed and caught, calls that could wait, and ones a person checked."""
    c = outcome.calls
    urgent = (c["true_need"] == "fast_track").to_numpy()
    fast = (c["ai_decision"] == "fast_track").to_numpy()
    reviewed = c["reviewed"].to_numpy()
    wanted = []
    for g in ("B", "A"):
        mine = (c["group"] == g).to_numpy()
        wanted += [
            mine & urgent & ~fast,  # missed
            mine & urgent & fast,  # caught
            mine & ~urgent & ~fast,  # rightly left to wait
            mine & ~urgent & fast,  # fast-tracked without need
            mine & reviewed,
        ]
    queues = [list(np.flatnonzero(m)) for m in wanted]
    picked: list[int] = []
    k = min(k, len(c))
    while len(picked) < k and any(queues):
        for q in queues:
            while q and int(q[0]) in picked:
                q.pop(0)
            if q and len(picked) < k:
                picked.append(int(q.pop(0)))
    return sorted(picked)


# --------------------------------------------------------------------------------------
# Scenarios for the facilitator.

PRESETS: list[Preset] = [
    Preset(
        "fair_start",
        N_("A fair start"),
        N_("Both groups are heard equally well and past call handlers marked every call "
        "fairly. The AI misses about as many urgent calls from each group."),
        TriageConfig(),
    ),
    Preset(
        "misheard",
        N_("Misheard voices"),
        N_("Now the speech-to-text gets 35 words in 100 wrong for group B, as a real study "
        "found for some voices. Watch how many of their urgent calls slip through."),
        TriageConfig(asr_error_gap=0.16),
    ),
    Preset(
        "biased_history",
        N_("An unfair past"),
        N_("On top of that, past call handlers marked half of group B's urgent calls as "
        "'can wait'. The AI is never told anyone's group, yet it learns the unfairness "
        "from the area names and words in the calls."),
        TriageConfig(asr_error_gap=0.16, label_bias=0.5),
    ),
    Preset(
        "a_fix",
        N_("A fix, checked by hand"),
        N_("People listen again to 500 past calls to write down what each truly needed, and "
        "the AI gets a different cut-off for each group. The gap shrinks; look at what it "
        "costs in calls fast-tracked that could have waited."),
        TriageConfig(asr_error_gap=0.16, label_bias=0.5, mitigation="threshold_optimizer"),
    ),
    Preset(
        "human_in_the_loop",
        N_("A person in the loop"),
        N_("A person now double-checks the 30 in 100 calls the AI is least sure about: many "
        "mistakes are caught, for hours of a person's time every day. But nobody checks the "
        "urgent calls the AI is wrongly sure can wait, and more of those come from group B."),
        TriageConfig(
            asr_error_gap=0.16, label_bias=0.5, mitigation="threshold_optimizer",
            human_review_share=0.3,
        ),
    ),
]
