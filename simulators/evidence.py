"""Use case 2: an AI that summarises evidence, and whose key facts it leaves out.

The synthetic world: made-up case files (``simulators/evidence_files.py``), each with 4 to
8 witness statements, a CCTV log and the officer's notes, every sentence tagged as a key
fact (pointing to the arrested person, away from them, or background) or not. Witnesses
in group A write standard English; group B give the same facts in a dialect or in plain
second-language English, often in fewer words; ``dialect_strength`` sets how often.

Two extractive summarisers pick sentences from each file:

- ``"centrality"``: LexRank/TextRank style. Sentences are compared by TF-IDF cosine
  similarity (scikit-learn), and a personalised PageRank over that graph, whose restarts
  favour early sentences (the lead bias of common summarisers), scores each sentence.
  What many statements say in similar words scores high, so wording that differs from
  the rest of the file scores low, and whatever comes first in the file is favoured.
- ``"learned"``: a logistic regression on words, position, length and centrality,
  trained on old case files (incidents that never appear in the files it summarises)
  and the summaries analysts wrote for them, in which, with ``label_bias``, they left
  out that share of group B's key facts. The bias reaches new summaries only through
  what marks group B's sentences: their words (and, as filed, a little their place).

Each summary keeps the top ``summary_ratio`` of a file's sentences, unless a fix is on:
``"per_witness_quota"`` gives every statement (and the CCTV log and the notes) its share of
the summary; ``"threshold_optimizer"`` has Fairlearn's ``ThresholdOptimizer`` (through
``simulators.mitigation.fit_mitigation``) pick a cut-off per witness group on the
summariser's own score so that both groups' key facts are kept equally often (true
positive rate parity, the gap the page headlines), fitted on a small audited sample of
files whose key facts were tagged by hand. It sets its cut-offs for accuracy, not for the
length asked, and settles some borderline sentences by a random draw.

The outcome has one row per witness sentence: ``y_true`` = a key fact, ``y_pred`` = in the
summary, ``sensitive`` = the witness's group. CCTV and notes sentences compete for the
summary but belong to no witness group, so they are in the rendered case, not the audit.
It also carries the same files summarised without the fix (``without_fix``), without it
but as long as the fix made them (``same_length``), and, for the learning AI, after fair
old summaries (``fair_history``), so the page can compare like with like.

>>> out = simulate(EvidenceConfig(n_cases=10, seed=3))
>>> set(out.sensitive) <= {"A", "B"} and len(out.y_true) == len(out.y_pred)
True
>>> sorted(out.case_file.columns)[:4]
['fact', 'group', 'included', 'key']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import false_negative_rate

from simulators.config import Preset, SimConfig, setting, validate
from simulators.evidence_files import (
    CCTV,
    FACT_TYPES,
    MAX_WITNESSES,
    MIN_WITNESSES,
    NOTES,
    SOURCE_KINDS,
    WITNESS,
    Files,
    bank,
)
from simulators.evidence_summaries import (
    AUDIT_CASES,
    GROUPS,
    HISTORY_CASES,
    Comparison,
    compare,
    files_to_summarise,
    group_labels,
    learned_summariser,
    sentence_scores,
    summarise,
    top_k,
)
from simulators.fairness import Outcome, b_minus_a, summary
from simulators.messages import N_
from simulators.mitigation import chance_shares
from simulators.terms import Terms

TERMS = Terms(
    harm="false_negative_rate",
    headline=N_(
        "Of every 100 key facts, the summary left out {first} from {first_group} and "
        "{second} from {second_group}."),
    labels={
        "selection_rate": N_("Put in the summary"),
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
    # Short, so the strip and the charts fit a phone; the story, the settings and the
    # case file's key say who is in each group.
    group_names={"A": N_("group A"), "B": N_("group B")},
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

#: How the bias in old summaries can reach this run's summaries (see :func:`history_route`).
NOT_LEARNING, FAIR_HISTORY, SAME_WORDS, OWN_WORDS = (
    "not_learning", "fair_history", "same_words", "own_words")


@dataclass(frozen=True)
class EvidenceConfig(SimConfig):
    """Settings of the evidence-summary world; every field is a slider or a choice."""

    n_cases: int = setting(
        100,
        label=N_("How many case files"),
        help=N_("How many made-up case files the AI summarises. More files give steadier "
                "numbers."),
        min=10,
        max=200,
        step=10,
        advanced=True,
        unit=N_("{n} case files"),
    )
    group_b_share: float = setting(
        0.3,
        label=N_("Witnesses in group B"),
        help=N_("Out of every 100 witnesses, how many are in group B: they speak a dialect, "
                "or learned English as a second language. The others, group A, write "
                "standard English."),
        min=0.1,
        max=0.6,
        step=0.05,
        unit=N_("{n} in 100 witnesses"),
    )
    dialect_strength: float = setting(
        0.5,
        label=N_("How differently group B words things"),
        help=N_("Out of every 100 sentences group B witnesses give, how many are in their "
                "own dialect or simple second-language English, often shorter. The rest "
                "use the same words as group A. The facts are the same either way."),
        min=0.0,
        max=1.0,
        step=0.1,
        bias=True,
        unit=N_("{n} in 100 sentences in their own words"),
    )
    label_bias: float = setting(
        0.0,
        label=N_("Bias in the old summaries"),
        help=N_("The AI that learns copies summaries analysts wrote in the past. This is "
                "how many of every 100 key facts from group B those analysts left out. It "
                "reaches the new summaries only if the AI learns from old summaries and can "
                "tell group B's sentences apart by their words."),
        min=0.0,
        max=0.8,
        step=0.1,
        bias=True,
        unit=N_("{n} in 100 of group B's key facts left out"),
    )
    method: str = setting(
        "centrality",
        label=N_("How the AI picks sentences"),
        help=N_("Picks what the rest of the file repeats: it keeps sentences that sound like "
                "many others, and gives more weight to what comes first. Learns from old "
                "summaries: it learns which words analysts kept in the past, and keeps "
                "sentences with those words."),
        choices=METHODS,
    )
    summary_ratio: float = setting(
        0.35,
        label=N_("How long the summary is"),
        help=N_("Out of every 100 sentences in a case file, how many the summary keeps."),
        min=0.1,
        max=0.6,
        step=0.05,
        unit=N_("{n} in 100 sentences"),
    )
    order: str = setting(
        "as_filed",
        label=N_("Order of the statements"),
        help=N_("As filed: in the order the police took them (group B's often a little "
                "later, for example when an interpreter was needed). Group B last: all of "
                "group B's statements at the end. Shuffled: a random order."),
        choices=ORDERS,
    )
    mitigation: str = setting(
        "none",
        label=N_("A fix to try"),
        help=N_("A share for every witness: each statement gets a share of the summary in "
                "proportion to its length. A fairer cut-off per group: a few files checked "
                "by hand set a different bar for each group, so both groups' key facts are "
                "kept about as often. The summary may get longer, and some borderline "
                "sentences are put in or left out by chance."),
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
    """One row per witness sentence, plus one case file to show and what compares.

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
    left_out_by_fact: pd.DataFrame = field(repr=False)  # fact type x group: share left out
    #: the same files, the same AI, no fix (None when no fix is on)
    without_fix: Comparison | None = None
    #: ... and no fix, but summaries as long as the fix made them (threshold fix only)
    same_length: Comparison | None = None
    #: the same files and settings, the AI trained on fair old summaries (None unless the
    #: learning AI learned from biased ones)
    fair_history: Comparison | None = None
    #: share of group B's witness sentences in their own words
    own_words_share: float = 0.0
    #: by witness group: the share of its key facts the old summaries left out (the
    #: learning AI only)
    history_left_out: dict[str, float] | None = None
    history_route: str = NOT_LEARNING


def history_route(config: EvidenceConfig) -> str:
    """How the bias in old summaries can reach this run's summaries.

    - ``NOT_LEARNING``: this AI never reads old summaries, so their bias cannot reach it;
    - ``FAIR_HISTORY``: it learns from old summaries, and they were fair;
    - ``SAME_WORDS``: they were biased, but group B use group A's words, so the AI can
      hardly tell whose sentence is whose and the bias has little to hold on to;
    - ``OWN_WORDS``: they were biased, and group B's own words let the AI single their
      sentences out.
    """
    if config.method != "learned":
        return NOT_LEARNING
    if config.label_bias == 0:
        return FAIR_HISTORY
    return SAME_WORDS if config.dialect_strength == 0 else OWN_WORDS


# --------------------------------------------------------------------------- simulate


def _showcase(files: Files) -> int:
    """The case to show: the shortest file with group A witnesses, at least two group B
    witnesses, and a fact from group B that points away from the suspect.

    Chosen from who the witnesses are and what they saw, not from the summariser's
    settings, so the same case stays on screen while a participant moves those sliders.
    """
    w = files.is_witness
    n = len(files.starts) - 1
    has_a = np.bincount(files.case[w & (files.group == 0)], minlength=n) > 0
    has_b = np.bincount(files.case[w & (files.group == 1)], minlength=n) > 0
    b_excul = np.bincount(files.case[w & (files.group == 1) & (files.tag == 2)], minlength=n) > 0
    b_statements = np.unique(files.case[w & (files.group == 1)] * 100
                             + files.block[w & (files.group == 1)]) // 100
    two_b = np.bincount(b_statements, minlength=n) >= 2
    size = np.diff(files.starts)
    for candidates in (has_a & b_excul & two_b, has_a & b_excul, has_a & has_b):
        if candidates.any():
            return int(np.flatnonzero(candidates)[np.argmin(size[candidates])])
    return 0


def _case_file(files: Files, keep: np.ndarray, score: np.ndarray, c: int) -> pd.DataFrame:
    texts = bank().texts
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


def simulate(config: EvidenceConfig, *, lean: bool = False) -> EvidenceOutcome:
    """Summarise ``config.n_cases`` made-up case files and audit whose key facts were kept.
    (``lean`` is accepted for ``simulators/chance.py``; nothing here is worth skipping.)"""
    validate(config)
    files, centrality = files_to_summarise(config)
    learned = learned_summariser(config) if config.method == "learned" else None
    model = learned.model if learned else None
    score = sentence_scores(files, centrality, model)
    keep, chance = summarise(config, model, files, score)

    without_fix = same_length = fair_history = None
    if config.mitigation != "none":
        without_fix = compare(files, top_k(files, score, config.summary_ratio))
    if config.mitigation == "threshold_optimizer":
        same_length = compare(files, top_k(files, score, float(keep.mean())))
    if learned and config.label_bias > 0:
        fair_model = learned_summariser(config, label_bias=0.0).model
        fair_score = sentence_scores(files, centrality, fair_model)
        fair_keep, _ = summarise(config, fair_model, files, fair_score)
        fair_history = compare(files, fair_keep)

    w = files.is_witness
    tag, kept = files.tag[w], keep[w].astype(int)
    left_out_by_fact = pd.DataFrame(np.nan, index=list(FACT_TYPES[1:]), columns=list(GROUPS))
    excul_total, excul_lost = {}, {}
    for gi, g in enumerate(GROUPS):
        in_group = files.group[w] == gi
        for ti, fact in enumerate(FACT_TYPES[1:], start=1):
            rows = in_group & (tag == ti)
            if rows.any():  # every row here is a key fact: the share left out
                left_out_by_fact.loc[fact, g] = false_negative_rate(
                    np.ones(int(rows.sum()), dtype=int), kept[rows])
        rows = in_group & (tag == FACT_TYPES.index("exculpatory"))
        excul_total[g] = int(rows.sum())
        excul_lost[g] = int(rows.sum() - kept[rows].sum())

    b_rows = w & (files.group == 1)
    c = _showcase(files)
    inc = bank().test.incidents[files.incident[c]]
    return EvidenceOutcome(
        y_true=files.key[w],
        y_pred=keep[w],
        sensitive=pd.Series(group_labels(files, w), name="witness group"),
        score=score[w],
        terms=TERMS,
        case_file=_case_file(files, keep, score, c),
        case_title=inc.title,
        case_brief=inc.brief,
        n_cases=config.n_cases,
        summary_share=float(keep.mean()),
        exculpatory_total=excul_total,
        exculpatory_lost=excul_lost,
        left_out_by_fact=left_out_by_fact,
        without_fix=without_fix,
        same_length=same_length,
        fair_history=fair_history,
        **chance_shares(chance[w]),
        own_words_share=float(files.own_words[b_rows].mean()) if b_rows.any() else 0.0,
        history_left_out=learned.history_left_out if learned else None,
        history_route=history_route(config),
    )


def harm_of(config: EvidenceConfig) -> str:
    """The headline rate: key facts left out."""
    return TERMS.harm


def chance_measures(outcome: EvidenceOutcome) -> dict[str, float]:
    """What the page compares, for ``simulators/chance.py`` to spread over fair case
    files: B minus A in every rate (``gap:``), the same without the fix (and at the
    fix's length), each group's key facts left out with the fix minus without it, and
    the gap in facts that point away from the arrested person."""
    out = b_minus_a(outcome)
    for name in ("without_fix", "same_length", "fair_history"):
        other = getattr(outcome, name)
        if other is not None:
            out[f"{name}:false_negative_rate"] = other.left_out["B"] - other.left_out["A"]
    if outcome.without_fix is not None:
        for g in GROUPS:
            out[f"fix_change:{g}"] = (outcome.rates[g]["false_negative_rate"]
                                      - outcome.without_fix.left_out[g])
    excul = outcome.left_out_by_fact.loc["exculpatory"]
    out["exculpatory_gap"] = float(excul["B"] - excul["A"])
    return out


def toy_sizes() -> dict[str, int]:
    """The sizes the page's "how this toy works" quotes, from the toy itself."""
    b = bank()
    return {
        "min_witnesses": MIN_WITNESSES,
        "max_witnesses": MAX_WITNESSES,
        "test_incidents": len(b.test.incidents),
        "training_incidents": len(b.training.incidents),
        "kinds": len({i.kind for i in b.test.incidents}),
        "history_cases": HISTORY_CASES,
        "audit_cases": AUDIT_CASES,
    }


def numbers_shown(outcome: EvidenceOutcome) -> dict[str, Any]:
    """What a reaction stores as the numbers on screen: the audit, and what it was
    compared with."""
    out = summary(outcome)
    out["summary_share"] = round(outcome.summary_share, 4)
    out["coin_toss_share"] = round(outcome.coin_toss_share, 4)
    out["chance_decided_share"] = round(outcome.chance_decided_share, 4)
    out["own_words_share"] = round(outcome.own_words_share, 4)
    for g, v in (outcome.history_left_out or {}).items():
        out[f"history_left_out[{g}]"] = round(v, 4)
    for g in GROUPS:
        out[f"exculpatory_total[{g}]"] = outcome.exculpatory_total[g]
        out[f"exculpatory_lost[{g}]"] = outcome.exculpatory_lost[g]
    for name in ("without_fix", "same_length", "fair_history"):
        other = getattr(outcome, name)
        if other is not None:
            out[f"{name}.summary_share"] = round(other.summary_share, 4)
            for g in GROUPS:
                out[f"{name}.false_negative_rate[{g}]"] = round(other.left_out[g], 4)
    return out


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
           "witnesses are left out about equally often."),
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
        "biased_past_same_words",
        N_("Biased old summaries, same words"),
        N_("This AI learned from old summaries whose writers left out many of group B's key "
           "facts, but here group B use the same words as group A. The AI cannot tell whose "
           "sentence is whose, so that old bias cannot single group B out."),
        EvidenceConfig(method="learned", dialect_strength=0.0, label_bias=0.7,
                       order="shuffled"),
    ),
    Preset(
        "biased_past_own_words",
        N_("Biased old summaries, own words"),
        N_("The same biased old summaries, but now group B tell their facts in their own "
           "words. The AI learned that sentences worded like theirs were left out before, so "
           "it leaves them out again, far more often than the wording alone would."),
        EvidenceConfig(method="learned", dialect_strength=0.9, label_bias=0.7,
                       order="shuffled"),
    ),
    Preset(
        "last_in_pile",
        N_("Last in the pile"),
        N_("Group B's statements are put at the end of the file, and this AI gives more weight "
           "to what comes first. Their key facts drop out more; try 'Shuffled' to see how much "
           "of that the order made."),
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
