"""Use case 1: an AI answering 101 calls. Pure Python, no Streamlit.

A made-up town phones the police non-emergency number (``simulators/call_world.py``;
its words in ``simulators/call_text.py``). Callers are in group A or group B. Group
B's words reach the AI through speech-to-text that can get more of them wrong
(``asr_error_gap``), and group B's calls name other areas and use some dialect
words: proxies of the group that a text model picks up although the group itself
is never one of its inputs. With ``label_bias``, that share of group B's truly
urgent past calls was graded "can wait" by past call handlers, and the AI learns
from those grades.

The AI is TF-IDF over a fixed vocabulary and a logistic regression, trained on past
calls and their past grades. A fix (Fairlearn, through
:func:`simulators.mitigation.fit_mitigation`) is fitted on a small audited sample whose
true need was checked by hand (or, to show what goes wrong, on the same calls' past
grades), and is compared with the same AI trained the same way on the same calls
without the fairness rule (``without_fix``). A person then double-checks the calls
nearest the fast-track cut-off. Or, with ``decided_by="people"``, call handlers grade
every call themselves, with their own bias (``people_bias``): the baseline the AI
is measured against, in fairness and in hours of a call handler's time.

How one call was heard and decided is in ``simulators/listen_in.py``; the table of
calls with their words, and how hard each word pushes the AI, in
``simulators/call_words.py``.

>>> out = simulate(TriageConfig(n_calls=600, audit_size=100, seed=3))
>>> len(out.y_true) == N_TEST and set(out.sensitive) == {"A", "B"}
True
>>> h = out.hours  # missed urgent calls count against the hours the AI saves
>>> out.coin_toss_share, h["ai"] == round(h["fast_track"] + h["review"] + h["missed"], 1)
(0.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfTransformer

from simulators import call_stages as stages
from simulators.call_stages import CALLS_SHOWN as CALLS_SHOWN
from simulators.call_stages import N_TEST as N_TEST
from simulators.call_stages import cutoffs
from simulators.call_text import GROUPS
from simulators.call_words import calls_table, proxy_push

# The minutes behind hours_saved (our assumptions) are named in call_world, and here.
from simulators.call_world import FAST_TRACK_MINUTES as FAST_TRACK_MINUTES
from simulators.call_world import MISSED_URGENT_MINUTES as MISSED_URGENT_MINUTES
from simulators.call_world import PERSON_MINUTES as PERSON_MINUTES
from simulators.call_world import REVIEW_MINUTES as REVIEW_MINUTES
from simulators.call_world import (
    checked,
    grade,
    hours,
    hours_curve,
    people_decide,
    review,
    share,
)
from simulators.config import Preset, SimConfig, setting, validate
from simulators.fairness import Outcome, b_minus_a, summary
from simulators.messages import N_
from simulators.mitigation import FairModel, chance_shares, toss_ups
from simulators.terms import Terms

_LABELS = {
    "selection_rate": N_("Fast-tracked, of all calls"),
    "true_positive_rate": N_("Urgent calls caught"),
    "false_negative_rate": N_("Urgent calls missed"),
    "false_positive_rate": N_("Fast-tracked, though it could wait"),
    "accuracy": N_("Right decisions"),
}
_MEANINGS = {
    "selection_rate": N_("Out of every 100 calls, how many were passed to a person straight "
                         "away (fast-tracked)."),
    "true_positive_rate": N_(
        "Out of every 100 calls that were truly urgent, how many were fast-tracked. "
        "Higher is better."),
    "false_negative_rate": N_(
        "Out of every 100 calls that were truly urgent, how many were left to wait. "
        "Lower is better: these are the ones that slip through."),
    "false_positive_rate": N_(
        "Out of every 100 calls that could wait, how many were fast-tracked anyway. "
        "Lower is better: each one takes a person away from an urgent call."),
    "accuracy": N_("Out of every 100 calls, how many were decided right."),
}


def _terms(headline: str) -> Terms:
    return Terms(harm="false_negative_rate", headline=headline, labels=_LABELS,
                 meanings=_MEANINGS, flagged=N_("fast-tracked"))


#: How the page speaks of the calls, by who decided them.
TERMS = {
    "ai": _terms(N_("Of every 100 urgent calls, the AI missed {first} from {first_group} "
                    "and {second} from {second_group}.")),
    "ai+review": _terms(N_(
        "Of every 100 urgent calls, the AI and the person checking it missed {first} from "
        "{first_group} and {second} from {second_group}.")),
    "people": _terms(N_(
        "Of every 100 urgent calls, call handlers without AI missed {first} from "
        "{first_group} and {second} from {second_group}.")),
}

WARNINGS_B = N_("{n} in 100 of group B's warnings")
#: What ``hours_saved`` counts, stored with every answer beside it.
HOURS_SAVED_UNIT = "net call-handler hours per 1,000 calls"


@dataclass(frozen=True)
class TriageConfig(SimConfig):
    """Settings of the 101-call world; each one is a slider or a choice on the page."""

    label_bias: float = setting(
        0.0, label=N_("Past call handlers played down group B's warnings"),
        help=N_("Call handlers grade a call from what the caller says. Out of every 100 "
                "warning signs a group B caller gave in the past (a threat, an injury, "
                "someone at risk), how many past call handlers heard as less serious than "
                "they were, because of a stereotype about group B. The AI learns from their "
                "grades."),
        min=0.0, max=0.8, step=0.05, bias=True, unit=WARNINGS_B)
    asr_error_gap: float = setting(
        0.0, label=N_("Extra mishearing of group B"),
        help=N_("The speech-to-text gets about 19 words in 100 wrong for everyone. This "
                "adds more for group B. 16 more gives the gap Koenecke and others (PNAS, "
                "2020) measured between Black and white speakers; using it for an accent "
                "is our own assumption."),
        min=0.0, max=0.3, step=0.02, bias=True, unit=N_("{n} more words in 100"))
    fast_track_threshold: float = setting(
        0.3, label=N_("How sure before fast-tracking"),
        help=N_("The AI passes a call to a person straight away when it is at least this "
                "sure the call is urgent. Lower catches more urgent calls but also sends "
                "more calls that could wait. A fix for fairness sets its own cut-offs "
                "instead."),
        min=0.1, max=0.9, step=0.05, unit=N_("{n} in 100 sure"))
    group_b_share: float = setting(
        0.3, label=N_("Callers from group B"),
        help=N_("Out of every 100 callers, how many are in group B: people from the "
                "Northgate side of town whose accent the speech-to-text knows less well."),
        min=0.05, max=0.5, step=0.05, unit=N_("{n} in 100 callers"))
    mitigation: str = setting(
        "none", label=N_("Fix for fairness"),
        help=N_("A fix from the Fairlearn toolkit. 'Different cut-offs' lets the AI use a "
                "different 'how sure' line for each group. 'Retrain' teaches a new AI with "
                "a rule that both groups' mistakes must be about equal."),
        choices={
            "none": N_("No fix"),
            "threshold_optimizer": N_("Different cut-offs per group"),
            "exponentiated_gradient": N_("Retrain with a fairness rule"),
        })
    mitigation_data: str = setting(
        "audit", label=N_("The fix learns from"),
        help=N_("Checked calls: people listened again to a small sample of past calls and "
                "wrote down what each one truly needed. Past marks: the same calls, with "
                "what call handlers decided at the time, unfair marks included."),
        choices={"audit": N_("Calls checked by hand"),
                 "history": N_("Past marks, unfair ones too")})
    human_review_share: float = setting(
        0.0, label=N_("Calls a person double-checks"),
        help=N_("Out of every 100 calls, how many a person listens to again, starting with "
                "the ones nearest the AI's fast-track cut-off."),
        min=0.0, max=1.0, step=0.05, unit=N_("{n} in 100 calls"))
    reviewer_bias: float = setting(
        0.0, label=N_("The checker plays down group B's warnings"),
        help=N_("People checking an AI can be biased too. Out of every 100 warning signs a "
                "group B caller gives, how many the person checking hears as less serious "
                "than they are."),
        min=0.0, max=0.8, step=0.05, bias=True, unit=WARNINGS_B)
    decided_by: str = setting(
        "ai", label=N_("Who decides each call"),
        help=N_("The AI (with any fix and checks above), or call handlers who answer and "
                "grade every call themselves, with no AI."),
        choices={"ai": N_("The AI"), "people": N_("Call handlers, without AI")})
    people_bias: float = setting(
        0.0, label=N_("Call handlers play down group B's warnings"),
        help=N_("Call handlers deciding without AI hear every call, and fast-track as many "
                "as the AI would, the ones that sound most urgent. Out of every 100 warning "
                "signs a group B caller gives, how many they hear as less serious than they "
                "are, because of a stereotype. How unfair that makes them is measured, not "
                "set: it depends on what each caller said."),
        min=0.0, max=1.0, step=0.05, bias=True, unit=WARNINGS_B)
    n_calls: int = setting(
        2000, label=N_("Past calls the AI learns from"),
        help=N_("How many old calls, with what call handlers decided about them, the AI "
                "studies before it answers new calls."),
        min=500, max=8000, step=500, advanced=True, unit=N_("{n} calls"))
    audit_size: int = setting(
        500, label=N_("Calls checked by hand for the fix"),
        help=N_("How many past calls people listened to again to write down their true "
                "need. A fix learns from these."),
        min=100, max=1000, step=50, advanced=True, unit=N_("{n} calls"))
    seed: int = setting(
        1, label=N_("World number"),
        help=N_("Each number makes a different made-up town with different calls. The "
                "same number always gives the same calls."),
        min=0, max=9999, advanced=True)


@dataclass(kw_only=True)
class TriageOutcome(Outcome):
    """What happened to ``N_TEST`` new calls, and what it cost in a call handler's time.

    ``y_true``: the call truly needed fast-tracking. ``y_pred``: it was fast-tracked,
    by whoever decided (``config.decided_by``): the AI after any fix and any check by
    a person, or call handlers without AI. ``sensitive``: the caller's group.
    ``coin_toss_share`` and ``chance_decided_share`` (see ``Outcome``) are the AI's
    decisions' (before any check by a person; 0 when people decide).
    """

    config: TriageConfig
    #: One row for each of the first ``CALLS_SHOWN`` new calls (row ``i`` is row ``i``
    #: of ``y_true``): group, kind (a key), said, heard (garbled words marked),
    #: true_need, ai_decision, urgency (the AI's score), cutoff (the score it was
    #: judged against), chance (of the AI fast-tracking it), coin_toss (a real
    #: toss-up: a chance between 20 and 80 in 100), reviewed, final_decision (what
    #: stood, whoever decided). None for an outcome made to be counted over many
    #: towns (``simulate(config, lean=True)``).
    calls: pd.DataFrame | None
    #: The AI's own fast-track decisions, before any person checked them.
    ai_pred: np.ndarray
    #: What call handlers without AI decided: they fast-track as many calls as the AI's
    #: path does, the ones that sound most urgent to them (``people_bias`` is their
    #: stereotype's strength), judged against the same truth.
    people_pred: np.ndarray
    #: Per group: the share of its calls that were a real toss-up for the AI, and how
    #: often the fix set aside what the caller said and drew a weighted coin instead
    #: (Fairlearn's ``p_ignore``).
    coin_by_group: dict[str, float]
    set_aside: dict[str, float]
    #: The urgency score each group's calls are fast-tracked from.
    cutoff_by_group: dict[str, float]
    #: Of the urgent calls the AI missed, the share the person checking put right (0
    #: with no check, or when people decide); also per group, and the share of the
    #: AI's needless fast-tracks the check sent back to wait.
    review_caught: float
    review: dict[str, float]
    #: Urgent calls missed per group (0 to 1) after checking each share of calls.
    review_curve: pd.DataFrame
    #: Call-handler hours for every 100 calls (``call_world.hours``): "people" (people
    #: answer every call), the AI's path ("fast_track", "review", "missed": what its
    #: missed urgent calls cost later), "ai" (their sum) and "ai_saves" (people minus
    #: ai, whoever decides).
    hours: dict[str, float]
    #: Net call-handler hours the AI saves per 1,000 calls against people answering
    #: every call, after what its missed urgent calls cost later (0 when people decide).
    hours_saved: float
    #: The same at every cut-off of the AI without a fix (``call_world.hours_curve``).
    hours_by_cutoff: pd.DataFrame
    #: Share of words the speech-to-text got wrong, per group.
    word_error: dict[str, float]
    #: How often the AI heard each word of the vocabulary in the new calls.
    heard_counts: np.ndarray = field(repr=False)
    #: Per group, how many past urgent calls were graded 'can wait' (bias and error).
    history_missed: dict[str, float]
    #: Largest distance from the cut-off a call can have and still be checked (-1: none).
    review_margin: float
    fitted_on: str
    model: FairModel = field(repr=False)
    route_model: Any = field(repr=False)
    tfidf: TfidfTransformer = field(repr=False)
    heard_tokens: dict[str, np.ndarray] | None = field(repr=False)
    #: The same calls decided by the same kind of AI trained the same way on the same
    #: calls, without the fairness rule (and checked the same way); None without a fix.
    without_fix: Outcome | None = field(default=None, repr=False, compare=False)
    #: The AI's decisions after any check by a person (the AI's path).
    ai_final: np.ndarray = field(repr=False)
    _other: Outcome | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def ai(self) -> Outcome:
        """The AI's path, audited: this outcome, unless people decide."""
        if self.config.decided_by == "ai":
            return self
        key = "ai+review" if self.config.human_review_share > 0 else "ai"
        return self._other_side(self.ai_final, TERMS[key])

    @property
    def people(self) -> Outcome:
        """Call handlers without AI, audited: this outcome, if people decide."""
        if self.config.decided_by == "people":
            return self
        return self._other_side(self.people_pred, TERMS["people"])

    def _other_side(self, pred: np.ndarray, terms: Terms) -> Outcome:
        # Worked out when a page first asks for it (once: outcomes are shared), so a
        # simulation builds one MetricFrame, not two.
        if self._other is None:
            self._other = Outcome(self.y_true, pred, self.sensitive, terms=terms)
        return self._other


def set_aside(model: FairModel) -> dict[str, float]:
    """Per group, how often different cut-offs per group ignore the call and draw a
    weighted coin instead (``p_ignore`` of the public ``interpolation_dict``)."""
    if model.mitigation != "threshold_optimizer":
        return {}
    rules = model.model.interpolated_thresholder_.interpolation_dict
    return {str(g): float(rule.get("p_ignore", 0.0)) for g, rule in rules.items()}


def simulate(config: TriageConfig, *, lean: bool = False) -> TriageOutcome:
    """Train the call-answering AI on past calls and let it, or people, answer
    ``N_TEST`` new ones. ``lean``: only what is counted over many towns
    (``simulators/chance.py``): no texts, no table of calls.

    Each stage (``simulators/call_stages.py``) is kept on the settings it depends on,
    so a slider works out again only what follows from it."""
    validate(config)
    c = config
    where = (c.seed, c.n_calls, c.audit_size, c.group_b_share)
    heard_key = (*where, c.asr_error_gap)
    t, h = stages.town(*where), stages.heard(*heard_key)
    tr = stages.trained(*heard_key, c.label_bias)
    test = t.test
    s_test = t.sensitive[test].reset_index(drop=True)
    plain, fitted_on = None, "history"
    if c.mitigation == "none":  # the trained AI at the cut-off: its scores are known
        model = FairModel("none", tr.model, c.fast_track_threshold, c.seed)
        d = stages.decided(model, None, s_test, tr.score_test)
    else:
        fix = stages.fixed(*heard_key, c.label_bias, c.mitigation, c.mitigation_data)
        model = replace(fix.model, threshold=c.fast_track_threshold)
        d, plain, fitted_on = fix.decided, fix.plain, c.mitigation_data

    y_true, group_b, group = t.y_true[test], t.group_b[test], t.group[test]
    levels = t.levels[test]
    by_people = c.decided_by == "people"
    tossed = toss_ups(d.chance)
    reviewer = grade(levels, group_b, c.reviewer_bias, t.u_review[test],
                     t.u_review_error[test])
    final, reviewed, margin, curve = review(y_true, group_b, d.pred, d.score - d.cutoff,
                                            reviewer, c.human_review_share)
    people_pred = people_decide(levels, group_b, c.people_bias, t.u_people[test],
                                t.judged[test], int(final.sum()))
    ai_key = "ai+review" if c.human_review_share > 0 else "ai"
    spent = hours(final, reviewed, y_true)
    chance = chance_shares(d.chance)
    put_right = checked(y_true, group_b, d.pred, final, reviewed)
    calls, route_model, heard_tokens = None, None, None
    if not lean:
        said = stages.shown_texts(*heard_key)
        route_model, signpost = stages.routes(*heard_key, c.label_bias)
        shown = slice(test.start, test.start + CALLS_SHOWN)
        calls = calls_table(t.group_b[shown], t.kind[shown], t.y_true[shown], t.route[shown],
                            said.said, said.heard, signpost, d.pred, d.score, d.cutoff,
                            d.chance, reviewed, final, people_pred if by_people else None,
                            tossed)
        heard_tokens = said.heard_tokens
    out = TriageOutcome(
        y_true=y_true,
        y_pred=people_pred if by_people else final,
        sensitive=s_test,
        score=d.score,
        terms=TERMS["people" if by_people else ai_key],
        coin_toss_share=0.0 if by_people else chance["coin_toss_share"],
        chance_decided_share=0.0 if by_people else chance["chance_decided_share"],
        config=c,
        calls=calls,
        ai_pred=d.pred,
        ai_final=final,
        people_pred=people_pred,
        coin_by_group={g: 0.0 if by_people else share(tossed & (group == g), group == g)
                       for g in GROUPS},
        set_aside={} if by_people else set_aside(model),
        cutoff_by_group={g: float(cutoffs(model, [g])[0]) for g in GROUPS},
        review_caught=0.0 if by_people else put_right["caught"],
        review=put_right,
        review_curve=curve,
        hours=spent,
        hours_saved=0.0 if by_people else round(10 * spent["ai_saves"], 1),
        hours_by_cutoff=hours_curve(tr.score_test, y_true, group_b, reviewer,
                                    c.human_review_share),
        word_error=h.word_error,
        heard_counts=h.heard_counts,
        history_missed=tr.history_missed,
        review_margin=margin,
        fitted_on=fitted_on,
        model=model,
        route_model=route_model,
        tfidf=h.tfidf,
        heard_tokens=heard_tokens,
    )
    if plain is not None:
        plain_final, *_ = review(y_true, group_b, plain.pred, plain.score - plain.cutoff,
                                 reviewer, c.human_review_share, curve=False)
        out.without_fix = Outcome(y_true, plain_final, s_test, terms=TERMS[ai_key])
    return out


def harm_of(config: TriageConfig) -> str:
    """The headline rate: urgent calls missed, whoever decides."""
    return "false_negative_rate"


def chance_measures(outcome: TriageOutcome) -> dict[str, float]:
    """What the page compares, for ``simulators/chance.py`` to spread over fair towns:
    B minus A in every rate of what is shown (``gap:``), of the AI's path (``ai:``),
    of call handlers without AI (``people:``) and of the same AI without the fix's
    rule (``without_fix:``); the AI's missed-call gap minus the people's; each
    group's missed calls with the fix minus without its rule; group B's share of the
    AI's missed calls a check put right minus group A's; net hours saved."""
    harm = harm_of(outcome.config)
    ai, people = b_minus_a(outcome.ai, "ai"), b_minus_a(outcome.people, "people")
    out = {**b_minus_a(outcome), **ai, **people,
           "ai_minus_people": ai[f"ai:{harm}"] - people[f"people:{harm}"],
           "hours_saved": outcome.hours["ai_saves"] * 10}
    push = proxy_push(outcome)
    out["proxy_b_minus_a"] = min(push["area B"], push["dialect"]) - push["area A"]
    if outcome.without_fix is not None:
        out.update(b_minus_a(outcome.without_fix, "without_fix"))
        for g in GROUPS:
            out[f"fix_change:{g}"] = (outcome.ai.rates[g][harm]
                                      - outcome.without_fix.rates[g][harm])
    if outcome.review["checked"] > 0:
        out["review_caught:B-A"] = outcome.review["caught[B]"] - outcome.review["caught[A]"]
    return out


def numbers_shown(outcome: TriageOutcome) -> dict[str, Any]:
    """The numbers on screen, flat and JSON-able, saved with a participant's answer."""
    out: dict[str, Any] = summary(outcome)
    out.update({
        "coin_toss_share": round(outcome.coin_toss_share, 4),
        "chance_decided_share": round(outcome.chance_decided_share, 4),
        "review_caught": round(outcome.review_caught, 4),
        "review_false_alarms_removed": round(outcome.review["false_alarms_removed"], 4),
        "hours_saved": round(outcome.hours_saved, 1),
        "hours_saved_unit": HOURS_SAVED_UNIT,
        "missed_urgent_minutes": MISSED_URGENT_MINUTES,
    })
    if outcome.without_fix is not None:  # the same calls without the fix's rule
        out.update({f"without_fix.{k}": v for k, v in summary(outcome.without_fix).items()
                    if k.startswith("false_negative_rate") or k == "equalized_odds_difference"})
    return out


# --------------------------------------------------------------------------------------
# Scenarios for the facilitator.

_BIASED = dict(asr_error_gap=0.16, label_bias=0.6)

PRESETS: list[Preset] = [
    Preset(
        "fair_start", N_("A fair start"),
        N_("Both groups are heard equally well and past call handlers graded every call "
           "without a stereotype. Any gap you see is chance: the strip says how big a gap "
           "chance alone makes in towns like this."),
        TriageConfig()),
    Preset(
        "misheard", N_("Misheard voices"),
        N_("Now the speech-to-text gets 16 more words in 100 wrong for group B: 35 in 100 "
           "against 19, the gap Koenecke and others (PNAS, 2020) measured between Black and "
           "white speakers in the United States. Watch how many of group B's urgent calls "
           "slip through."),
        TriageConfig(asr_error_gap=0.16)),
    Preset(
        "biased_history", N_("An unfair past"),
        N_("On top of that, past call handlers played down 60 in 100 of group B's warning "
           "signs, so many of their urgent calls were marked 'can wait'. The AI is never "
           "told anyone's group, yet it learns the unfairness from the words in the calls."),
        TriageConfig(**_BIASED)),
    Preset(
        "a_fix", N_("A fix, checked by hand"),
        N_("People listen again to 500 past calls to write down what each truly needed, "
           "and the AI gets a different cut-off for each group. Open 'Try a fix' to see "
           "who gains, who loses, and how many decisions were a real toss-up."),
        TriageConfig(**_BIASED, mitigation="threshold_optimizer")),
    Preset(
        "human_in_the_loop", N_("A person in the loop"),
        N_("A person now double-checks the 30 in 100 calls nearest the AI's cut-off, and "
           "plays down group B's warnings too. Open 'A person in the loop' to see what the "
           "check puts right for each group, and what it costs in hours."),
        TriageConfig(**_BIASED, human_review_share=0.3, reviewer_bias=0.8)),
    Preset(
        "biased_people", N_("Biased people, fairer AI"),
        N_("Here call handlers answer every call themselves, with no AI, and a stereotype "
           "makes them play down 30 in 100 of group B's warning signs. Open 'People without "
           "AI': an AI that learned from fairly graded calls treats the groups more alike."),
        TriageConfig(decided_by="people", people_bias=0.3)),
    Preset(
        "ai_worse", N_("AI worse than people"),
        N_("Past call handlers played down 80 in 100 of group B's warnings; today's handlers, "
           "without AI, play down only 5 in 100. The AI learned from the old grades and "
           "mishears group B: open 'People without AI' to compare it with the people it "
           "would replace."),
        TriageConfig(asr_error_gap=0.16, label_bias=0.8, people_bias=0.05)),
]
