"""One 101 call as the AI heard it, and why it decided what it did. Pure Python.

``listen_in`` reads a call from an outcome (as it was heard in the simulation) or a
call typed by a person (passed through the same speech-to-text); ``example_calls``
picks calls worth listening to. (How hard the words that give a caller's group away
push the AI is ``simulators.call_words.proxy_push``.) What they return is data and
message codes: the page words them.

>>> from simulators.call_triage import TriageConfig, simulate
>>> out = simulate(TriageConfig(n_calls=600, audit_size=100, seed=3))
>>> listen_in(out, text="He's got a knife and he's kicking the door in").decision
'fast_track'
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulators.call_text import (
    BASE_WORD_ERROR,
    GROUPS,
    MARK_LOST,
    bank,
    garble,
    tail,
    tokenise,
    word_counts,
)
from simulators.call_triage import TriageOutcome, cutoffs
from simulators.call_words import decide, word_weights
from simulators.mitigation import toss_ups

#: Most characters of typed text that "Listen in" reads.
MAX_TYPED_CHARS = 2000

#: What a note about a heard call means (the page words each code):
#: "empty" (no words), "cut_short" {n: characters read}, "unknown" (no word the AI
#: knows), "all_lost" (every known word lost on the line), "few_known" {known, total}.
NOTES = ("empty", "cut_short", "unknown", "all_lost", "few_known")


@dataclass(frozen=True)
class Heard:
    """One call as the AI heard it, and what it decided. Pure data for the page."""

    said: str
    heard: str  # misheard words in [brackets], lost words as […]
    words: list[tuple[str, str, str]]  # (said, heard, "ok" | "misheard" | "lost")
    decision: str  # "fast_track", "advise", "signpost", or "" when it could not answer
    urgency: float  # the AI's score that the call is urgent, 0 to 1
    cutoff: float  # the score it fast-tracks from, for this caller's group
    chance: float  # its chance of fast-tracking this call: 0 or 1 unless the fix drew
    drivers: list[tuple[str, float]]  # words heard and their push towards fast-tracking
    known_words: int  # words the AI has learned anything about
    reviewed: bool  # a person would double-check it at the chosen share
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (code, values)
    true_need: str | None = None  # known for the made-up calls, not for typed ones
    final_decision: str | None = None  # what stood, whoever decided (made-up calls only)
    group: str = "A"
    kind: str | None = None  # the kind of call (made-up calls only)

    @property
    def coin_toss(self) -> bool:
        """A real toss-up: a chance of fast-tracking between 20 and 80 in 100."""
        return bool(toss_ups(self.chance))


def _drivers(outcome: TriageOutcome, x: np.ndarray, top: int) -> list[tuple[str, float]]:
    contrib = word_weights(outcome.model) * x
    idx = [i for i in np.argsort(-np.abs(contrib)) if contrib[i] != 0][:top]
    vocab = bank().vocab
    return [(vocab[i], round(float(contrib[i]), 3)) for i in idx]


def _shown(said_tokens: list[str], heard: np.ndarray, status: np.ndarray):
    """(said, heard, status) per word, and the heard text with its marks."""
    vocab = bank().vocab
    words, shown = [], []
    for tok, h, s in zip(said_tokens, heard.tolist(), status.tolist(), strict=True):
        end = tail(tok)
        if s == 2:
            words.append((tok, "", "lost"))
            shown.append(MARK_LOST + end)
        elif s == 1:
            hw = vocab[h]
            words.append((tok, hw, "misheard"))
            shown.append(f"[{hw[:1].upper() + hw[1:] if tok[:1].isupper() else hw}]{end}")
        else:
            words.append((tok, tok, "ok"))
            shown.append(tok)
    return words, " ".join(shown)


def _no_answer(**common: Any) -> Heard:
    nan = float("nan")
    return Heard(decision="", urgency=nan, cutoff=nan, chance=nan, drivers=[],
                 reviewed=False, **common)


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
    Never raises for any text: empty, huge, or in another language gets a note.
    """
    if group not in GROUPS:
        group = "A"
    if call is not None:
        row = outcome.calls.iloc[int(call)]
        ht = outcome.heard_tokens
        a, n = int(ht["start"][int(call)]), int(ht["len"][int(call)])
        said_ids = ht["said"][a : a + n].astype(np.int64)
        heard, status = ht["heard"][a : a + n], ht["status"][a : a + n]
        said_tokens = str(row["said"]).split(" ")
        words, heard_text = _shown(said_tokens, heard, status)
        x = outcome.tfidf.transform(word_counts(np.zeros(n, dtype=np.int64), heard, 1))
        return Heard(
            said=str(row["said"]), heard=heard_text, words=words,
            decision=str(row["ai_decision"]), urgency=float(row["urgency"]),
            cutoff=float(row["cutoff"]), chance=float(row["chance"]),
            drivers=_drivers(outcome, x.toarray()[0], top),
            known_words=int((heard >= 0).sum()), reviewed=bool(row["reviewed"]),
            true_need=str(row["true_need"]), final_decision=str(row["final_decision"]),
            group=str(row["group"]), kind=str(row["kind"]),
        )
    raw = "" if text is None else str(text)
    notes: list[tuple[str, dict[str, Any]]] = []
    if len(raw) > MAX_TYPED_CHARS:
        raw = raw[:MAX_TYPED_CHARS]
        notes.append(("cut_short", {"n": MAX_TYPED_CHARS}))
    said_tokens, said_ids = tokenise(raw)
    if not said_tokens:
        return _no_answer(said="", heard="", words=[], known_words=0,
                          notes=[("empty", {})], group=group)
    said_text = " ".join(said_tokens)
    m = len(said_ids)
    if through_speech_to_text:
        rng = np.random.default_rng([zlib.crc32(said_text.encode("utf-8")), ord(group)])
        gap = outcome.config.asr_error_gap if group == "B" else 0.0
        heard, status = garble(said_ids, np.full(m, BASE_WORD_ERROR + gap), rng.random(m),
                               rng.random(m), rng.random(m))
    else:
        heard, status = said_ids.copy(), np.zeros(m, dtype=np.int8)
    words, heard_text = _shown(said_tokens, heard, status)
    known = int((heard >= 0).sum())
    known_said = int((said_ids >= 0).sum())
    common = dict(said=said_text, heard=heard_text, words=words, known_words=known,
                  group=group)
    if known_said == 0 or known == 0:
        notes.insert(0, ("unknown" if known_said == 0 else "all_lost", {}))
        return _no_answer(notes=notes, **common)
    if known_said < m / 2:
        notes.append(("few_known", {"known": known_said, "total": m}))
    x = outcome.tfidf.transform(word_counts(np.zeros(m, dtype=np.int64), heard, 1)).toarray()
    s = pd.Series([group], name="caller group")
    model = outcome.model
    fast = model.predict(x, s)
    urgency = float(model.score(x)[0])
    cutoff = float(cutoffs(model, s)[0])
    return Heard(
        decision=str(decide(fast, outcome.route_model, x)[0]),
        urgency=urgency, cutoff=cutoff, chance=float(model.chance(x, s)[0]),
        drivers=_drivers(outcome, x[0], top),
        reviewed=bool(abs(urgency - cutoff) <= outcome.review_margin),
        notes=notes, **common,
    )


def example_calls(outcome: TriageOutcome, k: int = 12) -> list[int]:
    """Rows of ``outcome.calls`` worth listening to, from both groups: urgent calls the
    AI missed and caught, calls that could wait, ones a person checked, and ones the
    fix decided by a coin toss (a real toss-up first)."""
    c = outcome.calls
    urgent = (c["true_need"] == "fast_track").to_numpy()
    fast = (c["ai_decision"] == "fast_track").to_numpy()
    reviewed = c["reviewed"].to_numpy()
    toss_up = c["coin_toss"].to_numpy()
    coin = ((c["chance"] > 0) & (c["chance"] < 1)).to_numpy()
    wanted = []
    for g in ("B", "A"):
        mine = (c["group"] == g).to_numpy()
        wanted += [
            mine & urgent & ~fast,  # missed
            mine & toss_up,
            mine & urgent & fast,  # caught
            mine & coin,
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
