"""The made-up town that rings 101: who calls about what, what they say, what they truly
need, how people grade their calls, check the AI's, and the hours that takes. Pure
Python, no Streamlit.

Each call has a kind (14, from lost property to domestic abuse), three hidden
THRIVE-style factors (threat, harm, vulnerability, each none, some or serious) and
a caller in group A or B. The factors decide the true need (:func:`true_need`).

People decide from what they hear, as the AI does from what it reads: a call handler
knows a factor only if the caller spoke of it (:func:`heard_levels`), and judges the
call by the same THRIVE-style rule on what they heard (:func:`urgency`). A stereotype
about group B acts on that hearing: each warning sign a group B caller gives (a
threat, an injury, someone at risk) is heard one level less serious with a chance
that is the stereotype's strength (:func:`played_down`), so which calls it turns
depends on what was said: a call whose urgency rests on one warning is easily
played down, one with several rarely. Past call handlers (whose grades the AI learns
from) and people double-checking the AI grade this way (:func:`grade`); call
handlers deciding without AI rank the calls by how urgent they sound and fast-track
as many as the AI does (:func:`people_decide`). Their gap between the groups is
measured from their decisions, never set.

>>> w = world(seed=1, n=500, share=0.3)
>>> len(w.y_true), round(float(w.group_b.mean()), 1)
(500, 0.3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulators.call_text import bank
from simulators.stages import staged

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
#: How much a call handler's sense of a call's urgency wanders from the rule, in the
#: rule's own units (a level of threat, harm or vulnerability is 1): our assumption.
JUDGEMENT_SPREAD = 0.35
#: A call is urgent by the rule from this urgency (see :func:`urgency`).
URGENT_FROM = 2.0
#: Minutes of a call handler's time: our own assumptions, said on the page. A person
#: answering and grading a call alone; a person taking over a call the AI fast-tracked
#: (the whole call again); a person listening back to a call the AI answered, to check it.
PERSON_MINUTES = 6
FAST_TRACK_MINUTES = 6
REVIEW_MINUTES = 4
#: What an urgent call the AI left to wait costs later, in minutes of police time: the
#: caller rings again, someone calls back, and help is sent late. Our assumption, said
#: on the page: no study we know of measures it.
MISSED_URGENT_MINUTES = 120
#: Points of the review curve: 0, 5, ... 100 calls checked in 100.
REVIEW_STEPS = 21


@dataclass(frozen=True)
class World:
    group_b: np.ndarray  # bool per call
    kind: np.ndarray
    factors: np.ndarray  # (n, 3) levels 0-2
    cue_said: np.ndarray  # (n, 3) the caller spoke of the factor
    y_true: np.ndarray  # 1 if the call truly needed fast-tracking
    route: np.ndarray  # 1 if its non-urgent answer is to signpost elsewhere
    tok_call: np.ndarray  # call of each token
    tok: np.ndarray  # flat index into the bank's token arrays
    call_start: np.ndarray
    call_len: np.ndarray
    # Draws that decide what happens to each call, so one town gives the same fates
    # whatever the sliders: a warning is played down if its draw is below the
    # stereotype's strength, so a stronger stereotype plays down all the weaker one did.
    u_past: np.ndarray  # (n, 3) the past handler grading it plays a warning down
    u_error: np.ndarray  # the past handler grading it makes an ordinary error
    u_people: np.ndarray  # (n, 3) today's call handler plays a warning down
    judged: np.ndarray  # how far today's call handler's sense of urgency wanders (normal)
    u_review: np.ndarray  # (n, 3) the person checking the AI plays a warning down
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


def heard_levels(factors: np.ndarray, cue_said: np.ndarray) -> np.ndarray:
    """The levels a person hears: each factor the caller spoke of, 0 for the others."""
    return np.where(cue_said, factors, 0)


def played_down(levels: np.ndarray, group_b: np.ndarray, strength: float,
                u: np.ndarray) -> np.ndarray:
    """What a stereotype of strength ``strength`` does to what is heard: each warning
    sign (a level above 0) in group B's calls is heard one level less serious when its
    draw ``u`` is below the strength."""
    down = (levels > 0) & group_b[:, None] & (u < strength)
    return levels - down


def urgency(levels: np.ndarray) -> np.ndarray:
    """The THRIVE-style rule as a score: ``URGENT_FROM`` or more exactly when
    :func:`true_need` would call these levels urgent; at most 1.5 otherwise."""
    t, h, v = (levels[:, i].astype(float) for i in range(3))
    return np.maximum.reduce([t, h, v * np.minimum(1.0, t + h), (t + h + v) / 2])


def grade(heard: np.ndarray, group_b: np.ndarray, strength: float, u: np.ndarray,
          u_error: np.ndarray) -> np.ndarray:
    """How a person grades calls from what they heard: 1 "fast-track", 0 "can wait".

    The rule on the levels heard, after their stereotype (``strength``, see
    :func:`played_down`); and, whoever rang, a share ``HANDLER_ERROR`` of calls the
    wrong way round.
    """
    out = (urgency(played_down(heard, group_b, strength, u)) >= URGENT_FROM).astype(np.int8)
    flip = u_error < HANDLER_ERROR
    out[flip] = 1 - out[flip]
    return out


def people_decide(heard: np.ndarray, group_b: np.ndarray, strength: float, u: np.ndarray,
                  judged: np.ndarray, how_many: int) -> np.ndarray:
    """Call handlers without AI: the ``how_many`` calls that sound most urgent to them
    (the rule on what they heard, after their stereotype, and their own judgement,
    ``JUDGEMENT_SPREAD`` wide), fast-tracked (1); the rest wait (0)."""
    sense = urgency(played_down(heard, group_b, strength, u)) + JUDGEMENT_SPREAD * judged
    out = np.zeros(len(sense), dtype=np.int8)
    if how_many > 0:
        out[np.argsort(-sense, kind="stable")[:how_many]] = 1
    return out


def _pick(rng: np.random.Generator, ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return ids[rng.integers(0, len(ids), size=len(rows))]


@staged(max_entries=4)
def world(seed: int, n: int, share: float) -> World:
    """The calls of one made-up town (about 16 MB, most of it per word; the stages of
    ``simulators/call_stages.py`` keep what they need of it, so a few are kept)."""
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
        cue_said=cue_said,
        y_true=true_need(factors),
        route=routes[kind].astype(np.int8),
        tok_call=np.repeat(np.arange(n), call_len),
        tok=seg_start + seg_off,
        call_start=np.concatenate([[0], np.cumsum(call_len)[:-1]]),
        call_len=call_len,
        u_past=fate.random((n, 3)),
        u_error=fate.random(n),
        u_people=fate.random((n, 3)),
        judged=fate.standard_normal(n),
        u_review=fate.random((n, 3)),
        u_review_error=fate.random(n),
        u_err=asr.random(total),
        u_drop=asr.random(total),
        u_alt=asr.random(total),
    )


# --------------------------------------------------------------------------------------
# People checking the AI, and the hours people spend.


def review(y_true: np.ndarray, group_b: np.ndarray, ai: np.ndarray, distance: np.ndarray,
           reviewer: np.ndarray, checked_share: float, *, curve: bool = True
           ) -> tuple[np.ndarray, np.ndarray, float, pd.DataFrame | None]:
    """A person checks the ``checked_share`` of calls nearest the AI's cut-off (smallest
    ``abs(distance)``: urgency score minus the score it fast-tracks from) and decides
    them as ``reviewer`` graded them.

    Returns the final decisions, which calls were checked, the largest distance from
    the cut-off that was checked (-1 if none), and (``curve``) the urgent calls missed
    per group after checking each share of calls in turn."""
    n = len(y_true)
    k = int(round(checked_share * n))
    if not k and not curve:  # nobody checks: nothing to sort
        return ai.astype(np.int8), np.zeros(n, dtype=bool), -1.0, None
    margin = np.abs(distance)
    order = np.argsort(margin, kind="stable")
    reviewed = np.zeros(n, dtype=bool)
    reviewed[order[:k]] = True
    final = np.where(reviewed, reviewer, ai).astype(np.int8)
    cut = float(margin[order[k - 1]]) if k else -1.0
    if not curve:
        return final, reviewed, cut, None
    urgent = y_true == 1
    # Checking call i changes "missed" by +1 if the person leaves an urgent call the AI
    # fast-tracked to wait, -1 if they fast-track an urgent call the AI missed.
    change = (urgent & (ai == 1) & (reviewer == 0)).astype(int) - (
        urgent & (ai == 0) & (reviewer == 1)).astype(int)
    steps = [int(round(s * n)) for s in np.linspace(0, 1, REVIEW_STEPS)]
    points = {"share": [m / n for m in steps]}
    for g, mine in (("A", ~group_b), ("B", group_b)):
        total = max(1, int((urgent & mine).sum()))
        missed = int((urgent & mine & (ai == 0)).sum())
        running = np.concatenate([[0], np.cumsum((change * mine)[order])])
        points[f"missed[{g}]"] = [(missed + running[m]) / total for m in steps]
    return final, reviewed, cut, pd.DataFrame(points)


def share(part: np.ndarray, whole: np.ndarray) -> float:
    return float(part.sum() / whole.sum()) if whole.any() else 0.0


def checked(y_true: np.ndarray, group_b: np.ndarray, ai: np.ndarray, final: np.ndarray,
             reviewed: np.ndarray) -> dict[str, float]:
    """What the check put right: missed urgent calls fast-tracked (overall and per
    group), needless fast-tracks sent back to wait."""
    missed = (y_true == 1) & (ai == 0)
    false_alarm = (y_true == 0) & (ai == 1)
    out = {"caught": share(missed & reviewed & (final == 1), missed),
           "unchecked": share(missed & ~reviewed, missed),
           "false_alarms_removed": share(false_alarm & reviewed & (final == 0), false_alarm),
           "checked": float(reviewed.mean())}
    for g, mine in (("A", ~group_b), ("B", group_b)):
        out[f"caught[{g}]"] = share(missed & mine & reviewed & (final == 1), missed & mine)
    return out


def hours(final: np.ndarray, reviewed: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
    """Call-handler hours for every 100 calls, each rounded once to a tenth of an hour
    and the totals derived from the rounded parts, so they add up on the page.

    ``people``: people answering every call themselves. The AI's path: ``fast_track``
    (people taking over the calls it fast-tracked), ``review`` (checking calls) and
    ``missed`` (what the urgent calls it left to wait cost later,
    ``MISSED_URGENT_MINUTES`` each); ``ai`` is their sum and ``ai_saves`` is
    ``people`` minus ``ai``: missing more urgent calls never looks like saving more.
    """
    per = 100 / len(final)
    missed = float(((y_true == 1) & (final == 0)).sum())
    out = {"people": round(100 * PERSON_MINUTES / 60, 1),
           "fast_track": round(float(final.sum()) * per * FAST_TRACK_MINUTES / 60, 1),
           "review": round(float(reviewed.sum()) * per * REVIEW_MINUTES / 60, 1),
           "missed": round(missed * per * MISSED_URGENT_MINUTES / 60, 1)}
    out["ai"] = round(out["fast_track"] + out["review"] + out["missed"], 1)
    out["ai_saves"] = round(out["people"] - out["ai"], 1)
    return out


#: The cut-offs the trade-off of hours and missed calls is drawn at.
CURVE_CUTOFFS = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))


def hours_curve(score: np.ndarray, y_true: np.ndarray, group_b: np.ndarray,
                reviewer: np.ndarray, checked_share: float) -> pd.DataFrame:
    """The AI without a fix at every cut-off of ``CURVE_CUTOFFS``, on the same calls
    and with the same checks: ``cutoff``, ``hours_saved`` (net, per 1,000 calls, as
    :func:`hours` counts it), ``missed`` (share of urgent calls left to wait, after
    checks) and ``fast_tracked`` (share of all calls)."""
    rows = []
    urgent = max(1, int((y_true == 1).sum()))
    for c in CURVE_CUTOFFS:
        ai = (score >= c).astype(np.int8)
        final, reviewed, _margin, _ = review(y_true, group_b, ai, score - c, reviewer,
                                             checked_share, curve=False)
        h = hours(final, reviewed, y_true)
        rows.append({"cutoff": c, "hours_saved": round(10 * h["ai_saves"], 1),
                     "missed": float(((y_true == 1) & (final == 0)).sum() / urgent),
                     "fast_tracked": float(final.mean())})
    return pd.DataFrame(rows)
