"""Decide first: the room's own decisions on the cases the AI decides. Pure Python.

Before a participant sees what the AI does, they decide a few of the same cases
themselves, from what a person in that job would have in front of them:

- **the call handler** (101 calls): each call as a person hears it, the caller's own
  words and way of speaking (where group B's dialect and areas are), not the
  speech-to-text the AI reads; fast-track (1) or can wait (0);
- **the custody officer** (reoffending risk): a case card with what the AI's records
  hold (age, arrests, convictions, a job), group B's arrests on record inflated
  exactly as the simulator's patrol bias inflates them; high risk (1) or low (0);
- **the officer checking a summary** (summarising evidence, its "Be the officer"
  check): every witness sentence of the case file, kept (1) if the summary has it or
  the officer ticked it as a fact an investigator must not miss, else left out (0).

:func:`cases` draws a balanced handful of cases from the town the AI answers (half
from each group, needing action and not in both); :func:`facts` says, for case ids,
what each truly needed and what the AI decided, so the person and the AI are scored
on exactly the same cases. A case's id names its row in the outcome and the town
(the settings that make the people or calls, not the ones that bias the AI), so the
same case has the same id whatever the sliders, and different people deciding it
pool into one majority.

Each use case's harm, the one its page headlines, is :func:`harm`: "missed" (urgent
calls decided "can wait", key facts left out: the share of those needing action
decided against) or "wrongly_flagged" (people labelled high risk who did not
reoffend: the share of those not needing action decided for).

:func:`chance_band` is how far apart two shares of these sizes could be by chance
alone; it stands in until ``simulators/chance.py`` offers one.

>>> from simulators.call_triage import TriageConfig
>>> calls = next(u for u in registry.USE_CASES if supports(u))  # the 101 calls
>>> four = cases(calls, TriageConfig(n_calls=600, audit_size=100), n=4)
>>> sorted(four["group"]), sorted(four["truth"])
(['A', 'A', 'B', 'B'], [0, 0, 1, 1])
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulators import call_triage, evidence, registry, reoffending
from simulators.messages import N_
from simulators.stages import StageCache

GROUPS = ("A", "B")
#: How many different draws a room's participants are spread over: each case of a
#: draw is decided by about a third of the room, enough for a majority per case.
ROOM_DRAWS = 3
N_MIN, N_MAX = 4, 40
COLUMNS = ["case_id", "group", "truth", "ai", "shown"]


@dataclass(frozen=True)
class Role:
    """Who the participant is when deciding, and how their decisions are counted."""

    key: str  # call_handler, custody_officer or officer_check
    prefix: str  # the start of every case id
    harm: str  # "missed" or "wrongly_flagged"
    town: tuple[str, ...]  # the settings that make the town (empty: the whole config)
    draws: bool  # whether a participant is dealt cases (else they see them all)
    #: What a decision of 1 and of 0 is called, and a truth of 1 and of 0 (message ids).
    yes: str
    no: str
    truth_yes: str
    truth_no: str

    def decided(self, value: int) -> str:
        return self.yes if value else self.no

    def truth(self, value: int) -> str:
        return self.truth_yes if value else self.truth_no


ROLES = {
    call_triage.__name__: Role(
        "call_handler", "call", "missed", ("seed", "group_b_share", "n_calls", "audit_size"),
        True, N_("fast-track"), N_("can wait"), N_("urgent"), N_("could wait")),
    reoffending.__name__: Role(
        "custody_officer", "person", "wrongly_flagged", ("seed", "group_b_share", "n_people"),
        True, N_("high risk"), N_("low risk"), N_("reoffended"), N_("did not reoffend")),
    evidence.__name__: Role(
        "officer_check", "sentence", "missed", (), False, N_("kept"), N_("left out"),
        N_("a key fact"), N_("not a key fact")),
}


def role(use_case: str) -> Role | None:
    """The role a participant takes on ``use_case`` (None: this use case has none)."""
    if use_case not in registry.USE_CASES:
        return None
    return ROLES.get(registry.get(use_case).module_name)


def supports(use_case: str) -> bool:
    """Whether participants can decide cases first on this use case's page."""
    r = role(use_case)
    return r is not None and r.draws


def harm(use_case: str) -> str:
    """The harm ``use_case`` headlines: "missed" or "wrongly_flagged"."""
    r = role(use_case)
    return r.harm if r is not None else "missed"


def _role(use_case: str) -> Role:
    r = role(use_case)
    if r is None:
        raise ValueError(f"{use_case!r} has no cases for people to decide")
    return r


def town(use_case: str, config: Any) -> str:
    """A short tag of the town ``config`` makes (the same whatever the bias sliders)."""
    fields = _role(use_case).town
    values = config.to_dict()
    made = {k: values[k] for k in fields} if fields else values
    return hashlib.sha256(repr(sorted(made.items())).encode()).hexdigest()[:4]


def config_of(use_case: str, config: Any) -> Any:
    """``use_case``'s Config from a Config, a dict of its settings, or None (its
    defaults)."""
    cls = registry.config_class(use_case)
    if config is None:
        return cls()
    if isinstance(config, dict):
        return cls.from_dict(config)
    if not isinstance(config, cls):
        raise ValueError(f"config must be a {cls.__name__}, got {type(config).__name__}")
    return config


# -- every case of an outcome, as the participant would see it -------------------------


#: Tables of cases and hands dealt, kept for the outcomes asked about most recently
#: (each entry holds its outcome, so the outcome's id names it while it is kept).
_TABLES = StageCache("simulators.decide.table", 32)
_HANDS = StageCache("simulators.decide.cases_of", 96)


def table(use_case: str, outcome: Any, config: Any) -> pd.DataFrame:
    """Every case of ``outcome`` (the simulation of ``config``) a participant could
    decide: ``case_id``, ``group``, ``truth``, ``ai``, ``shown``, and what else the
    role shows, indexed by the row. Worked out once per outcome (every tap of every
    participant deciding reads it): read-only."""
    return _tables(use_case, outcome, config)[1]


def _tables(use_case: str, outcome: Any, config: Any) -> tuple[Any, pd.DataFrame,
                                                               pd.DataFrame]:
    """(outcome, its table, the table indexed by case id), kept."""
    key = (use_case, id(outcome), town(use_case, config))

    def work() -> tuple[Any, pd.DataFrame, pd.DataFrame]:
        out = _table(use_case, outcome, config)
        return outcome, out, out.set_index("case_id")

    return _TABLES.get(key, work)


def _table(use_case: str, outcome: Any, config: Any) -> pd.DataFrame:
    r = _role(use_case)
    if r.key == "call_handler":
        calls = outcome.calls  # the first of the test calls, words and all: row i is call i
        shown = len(calls)
        out = pd.DataFrame({
            "group": calls["group"].astype(str).to_numpy(),
            "truth": np.asarray(outcome.y_true[:shown], dtype=int),
            "ai": np.asarray(outcome.ai_pred[:shown], dtype=int),
            "shown": calls["said"].to_numpy(),
        })
    elif r.key == "custody_officer":
        people = outcome.people
        out = pd.DataFrame({
            "group": people["group"].astype(str).to_numpy(),
            "truth": np.asarray(outcome.y_true, dtype=int),
            "ai": people["ai_flagged"].astype(int).to_numpy(),
            "age": people["age"].astype(int).to_numpy(),
            "arrests": people["arrests"].astype(int).to_numpy(),
            "convictions": people["convictions"].astype(int).to_numpy(),
            "employed": people["employed"].astype(int).to_numpy(),
        })
        out["shown"] = [
            f"Group {g}; age {a}; {_count(k, 'arrest')} on record; "
            f"{_count(c, 'conviction')}; {'has a job' if e else 'no job'}"
            for g, a, k, c, e in out[["group", "age", "arrests", "convictions",
                                      "employed"]].itertuples(index=False)]
    else:
        case = outcome.case_file
        case = case[case["group"].isin(GROUPS)]
        out = pd.DataFrame({
            "group": case["group"].to_numpy(),
            "truth": case["key"].astype(int).to_numpy(),
            "ai": case["included"].astype(int).to_numpy(),
            "shown": case["text"].to_numpy(),
        }, index=case["position"].to_numpy())
    out = out[[*COLUMNS[1:], *(c for c in out.columns if c not in COLUMNS)]]
    out.index.name = "row"
    tag = town(use_case, config)
    out.insert(0, "case_id", [f"{r.prefix}-{i}-{tag}" for i in out.index])
    return out


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


# -- a participant's handful of cases ----------------------------------------------------


def cases_of(use_case: str, outcome: Any, config: Any, n: int = 8, draw: int = 0
             ) -> pd.DataFrame:
    """:func:`cases` from an outcome already worked out for ``config`` (kept: read-only)."""
    r = _role(use_case)
    if not r.draws:
        raise ValueError(f"{use_case!r} has no draws of cases: people see them all")
    if isinstance(n, bool) or not isinstance(n, int) or n % 2 or not N_MIN <= n <= N_MAX:
        raise ValueError(f"n must be an even number from {N_MIN} to {N_MAX}, got {n!r}")
    if isinstance(draw, bool) or not isinstance(draw, int) or draw < 0:
        raise ValueError(f"draw must be a whole number from 0, got {draw!r}")
    key = (use_case, id(outcome), town(use_case, config), n, draw)
    return _HANDS.get(key, lambda: (outcome, _deal(use_case, outcome, config, n, draw)))[1]


def _deal(use_case: str, outcome: Any, config: Any, n: int, draw: int) -> pd.DataFrame:
    everyone = table(use_case, outcome, config)
    per_group = n // 2
    seed = int(getattr(config, "seed", 0))
    picked = []
    for g_i, g in enumerate(GROUPS):
        for truth, k in ((1, (per_group + 1) // 2), (0, per_group // 2)):
            rows = np.flatnonzero((everyone["group"].to_numpy() == g)
                                  & (everyone["truth"].to_numpy() == truth))
            if len(rows) < k:
                raise ValueError(f"This town has too few cases of group {g} with truth "
                                 f"{truth} to draw from")
            order = np.random.default_rng([seed, 2 * g_i + truth, 7]).permutation(rows)
            picked += [order[(draw * k + j) % len(order)] for j in range(k)]
    picked = np.random.default_rng([seed, draw, 11]).permutation(np.array(picked))
    return everyone.iloc[picked]


def cases(use_case: str, config: Any = None, n: int = 8, draw: int = 0) -> pd.DataFrame:
    """``n`` cases of the town ``config`` makes, for a person to decide: half from each
    group, and in each group as many needing action as not (the extra one needing
    action when ``n / 2`` is odd), in a mixed order. Columns ``case_id`` (stable for a
    town and draw), ``group`` ("A"/"B"), ``truth`` (0/1), ``ai`` (0/1: the AI's own
    decision under ``config``), ``shown`` (what the person reads), and what the role
    shows besides. Different ``draw`` numbers give different cases (until a town runs
    out and they come round again)."""
    config = config_of(use_case, config)
    return cases_of(use_case, registry.module(use_case).simulate(config), config, n, draw)


def facts(use_case: str, outcome: Any, config: Any, case_ids: Iterable[str]) -> pd.DataFrame:
    """For each case id, in the order given: ``case_id``, ``group``, ``truth`` and
    ``ai`` under ``config`` (whose outcome is ``outcome``). Raises ``ValueError``
    naming the ids that are not cases of this town."""
    ids = [str(c) for c in case_ids]
    everyone = _tables(use_case, outcome, config)[2]
    unknown = [c for c in ids if c not in everyone.index]
    if unknown:
        raise ValueError(f"not cases of this town: {', '.join(unknown[:5])}")
    return everyone.loc[ids, ["group", "truth", "ai"]].reset_index()


# -- how far apart chance alone puts two shares ------------------------------------------

#: Two shares further apart than this many spreads are unlikely to differ by chance
#: alone (about 95 in 100 differences made by chance are within it).
Z = 1.96


def chance_band(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """How far apart two shares, ``k1`` of ``n1`` and ``k2`` of ``n2``, could be by
    chance alone: 1.96 times the spread of their difference if both came from one
    share (the two pooled). None when either has no cases.

    The same cases decided twice (by people and by the AI) vary together, so this
    band, made for two separate samples, is if anything too wide: a difference
    inside it "could be chance"; one outside it is larger than chance usually makes.

    >>> round(chance_band(3, 14, 6, 14), 2)
    0.35
    """
    if n1 <= 0 or n2 <= 0:
        return None
    p = (k1 + k2) / (n1 + n2)
    return Z * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
