"""The made-up town that rings 101: who calls about what, what they say, what they truly
need, and how people grade their calls. Pure Python, no Streamlit.

Each call has a kind (14, from lost property to domestic abuse), three hidden
THRIVE-style factors (threat, harm, vulnerability, each none, some or serious) and
a caller in group A or B. The factors decide the true need (:func:`true_need`).
People grade calls too: past call handlers (whose grades the AI learns from), call
handlers deciding without AI, and people double-checking the AI (:func:`grade`).

>>> w = world(seed=1, n=500, share=0.3)
>>> len(w.y_true), round(float(w.group_b.mean()), 1)
(500, 0.3)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from simulators.call_text import bank

#: Chance a caller mentions a factor, by its level (none, some, serious).
CUE_SAID = (0.45, 0.8, 0.9)
#: Chance a caller uses dialect words in a greeting, filler or closing, by group.
DIALECT_RATE = {"A": 0.05, "B": 0.8}
#: Chance a caller says where they are, and that it is one of their own group's areas.
AREA_SAID = 0.85
OWN_AREA = 0.85
#: Chance a call handler (past or present, or a person checking the AI) grades a call
#: the wrong way round, whoever rang: an ordinary error rate, our own assumption.
HANDLER_ERROR = 0.05


@dataclass(frozen=True)
class World:
    group_b: np.ndarray  # bool per call
    kind: np.ndarray
    factors: np.ndarray  # (n, 3) levels 0-2
    y_true: np.ndarray  # 1 if the call truly needed fast-tracking
    route: np.ndarray  # 1 if its non-urgent answer is to signpost elsewhere
    tok_call: np.ndarray  # call of each token
    tok: np.ndarray  # flat index into the bank's token arrays
    call_start: np.ndarray
    call_len: np.ndarray
    # Uniform draws that decide what happens to each call, so one town gives the same
    # fates whatever the sliders: a grade is unfair if its draw is below the bias.
    u_bias: np.ndarray  # the handler grading it is unfair to group B
    u_error: np.ndarray  # the handler grading it makes an ordinary error
    u_review_bias: np.ndarray  # the person checking the AI is unfair to group B
    u_review_error: np.ndarray  # the person checking the AI makes an ordinary error
    u_err: np.ndarray  # per token: misheard if below the word error rate
    u_drop: np.ndarray  # per token: lost rather than misheard
    u_alt: np.ndarray  # per token: which soundalike or mishearing


def true_need(factors: np.ndarray) -> np.ndarray:
    """THRIVE-style rule: serious threat or harm, a vulnerable person at some risk, or
    a lot of everything, means a person should pick the call up now."""
    t, h, v = factors[:, 0], factors[:, 1], factors[:, 2]
    urgent = (t == 2) | (h == 2) | ((v == 2) & (t + h >= 1)) | (t + h + v >= 4)
    return urgent.astype(np.int8)


def grade(y_true: np.ndarray, group_b: np.ndarray, bias: float, u_bias: np.ndarray,
          u_error: np.ndarray) -> np.ndarray:
    """How people grade calls: 1 "fast-track", 0 "can wait".

    They get a share ``HANDLER_ERROR`` of every group's calls the wrong way round,
    and, harder on group B, grade a share ``bias`` of group B's urgent calls
    "can wait".
    """
    out = y_true.astype(np.int8).copy()
    flip = u_error < HANDLER_ERROR
    out[flip] = 1 - out[flip]
    out[group_b & (y_true == 1) & (u_bias < bias)] = 0
    return out


def _pick(rng: np.random.Generator, ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return ids[rng.integers(0, len(ids), size=len(rows))]


@functools.lru_cache(maxsize=16)
def world(seed: int, n: int, share: float) -> World:
    """The calls of one made-up town (cached: the sliders that only change the AI,
    the grades or the speech-to-text reuse the same calls)."""
    b = bank()
    streams = np.random.SeedSequence([seed, 101]).spawn(4)
    who, text, asr, fate = (np.random.default_rng(s) for s in streams)
    group_b = who.random(n) < share
    kind = who.choice(len(b.kinds), size=n, p=b.kind_weights / b.kind_weights.sum())
    cum = np.cumsum(b.factor_probs[kind], axis=2)  # (n, 3, 3)
    factors = (who.random((n, 3, 1)) > cum).sum(axis=2).clip(0, 2)
    routes = np.array([k["route"] == "signpost" for k in b.kinds])

    # Slots of a call, in order; each holds one phrase id (0 = nothing said).
    slots = np.zeros((n, 9), dtype=np.int64)
    dialect = np.where(group_b, DIALECT_RATE["B"], DIALECT_RATE["A"])
    for col, part, p_said in ((0, "greet", 1.0), (7, "filler", 0.6), (8, "close", 1.0)):
        said = text.random(n) < p_said
        dial = text.random(n) < dialect
        for style, mask in (("dialect", dial), ("plain", ~dial)):
            rows = np.flatnonzero(said & mask)
            slots[rows, col] = _pick(text, b.pools[f"{part}.{style}"], rows)
    # Where: most callers say where; group B mostly names group B's areas.
    said = text.random(n) < AREA_SAID
    own = text.random(n) < OWN_AREA
    from_b = np.where(own, group_b, ~group_b)
    for g, mask in (("A", ~from_b), ("B", from_b)):
        rows = np.flatnonzero(said & mask)
        slots[rows, 2] = _pick(text, b.pools[f"area.{g}"], rows)
    # What happened, and what they say about threat, harm and vulnerability.
    cue_said = text.random((n, 3)) < np.asarray(CUE_SAID)[factors]
    for k in range(len(b.kinds)):
        rows = np.flatnonzero(kind == k)
        if not len(rows):
            continue
        slots[rows, 1] = _pick(text, b.pools[f"open.{k}"], rows)
        has_detail = rows[text.random(len(rows)) < 0.8]
        slots[has_detail, 3] = _pick(text, b.pools[f"detail.{k}"], has_detail)
        for f in range(3):
            for level in range(3):
                sel = rows[(factors[rows, f] == level) & cue_said[rows, f]]
                if len(sel):
                    slots[sel, 4 + f] = _pick(text, b.pools[f"cue.{k}.{f}.{level}"], sel)
    # Callers mention the three factors in any order.
    order = np.argsort(text.random((n, 3)), axis=1)
    slots[:, 4:7] = np.take_along_axis(slots[:, 4:7], order, axis=1)

    lens = b.ph_len[slots]  # (n, slots)
    call_len = lens.sum(axis=1)
    flat_len = lens.ravel()
    total = int(flat_len.sum())
    seg_start = np.repeat(b.ph_start[slots].ravel(), flat_len)
    seg_off = np.arange(total) - np.repeat(np.cumsum(flat_len) - flat_len, flat_len)
    return World(
        group_b=group_b,
        kind=kind,
        factors=factors,
        y_true=true_need(factors),
        route=routes[kind].astype(np.int8),
        tok_call=np.repeat(np.arange(n), call_len),
        tok=seg_start + seg_off,
        call_start=np.concatenate([[0], np.cumsum(call_len)[:-1]]),
        call_len=call_len,
        u_bias=fate.random(n),
        u_error=fate.random(n),
        u_review_bias=fate.random(n),
        u_review_error=fate.random(n),
        u_err=asr.random(total),
        u_drop=asr.random(total),
        u_alt=asr.random(total),
    )
