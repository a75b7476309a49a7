"""101 calls: every sentence its page builds, as claims (``ui/claims.py``). No Streamlit.

Each function takes the outcome on screen (and what it is compared with), the same
settings' spread in fair towns (``Bands``, None while it is worked out) and a
translator, and returns the page's sentences for one panel; ``page_claims`` returns
all of them for a config, as the page shows them with every panel open.
"""

from __future__ import annotations

from collections.abc import Callable

from simulators import call_triage as ct
from simulators.call_triage import TriageConfig, TriageOutcome
from simulators.call_words import proxy_push
from simulators.call_world import HANDLER_ERROR, JUDGEMENT_SPREAD
from simulators.chance import Bands
from simulators.config import settings_of
from simulators.messages import N_
from ui.claims import Claim, band_of, chance_line, count_of_100, versus_chance
from ui.figures import figures, per_100, points_text
from workshop.i18n import Translator

MEANING = {name: meta for name, meta, _default in settings_of(TriageConfig)}
HARM = "false_negative_rate"

Outcomes = Callable[[TriageConfig], TriageOutcome]
BandsOf = Callable[[TriageConfig], "Bands | None"]


# ----------------------------------------------------------------------------- the strip


def strip_note(config: TriageConfig, outcome: TriageOutcome, t: Translator) -> list[Claim]:
    """Under the strip: who decides, and what a fix or a check leaves to chance."""
    if config.decided_by == "people":
        return [Claim("strip.note", "", t.gettext(
            "Call handlers decide every call here, without AI."))]
    out = []
    if config.mitigation != "none":
        out.append(Claim("strip.fix", "", t.gettext("Fix for fairness: {fix}.").format(
            fix=t.gettext(MEANING["mitigation"].describe(config.mitigation)))))
        out.append(Claim("strip.coin", "", t.gettext(
            "{n} in 100 of the fix's decisions were a real toss-up.").format(
                n=count_of_100(outcome.coin_toss_share, t))))
    if config.human_review_share > 0:
        out.append(Claim("strip.review", "", t.gettext(
            "A person double-checks {n} in 100 calls.").format(
                n=per_100(config.human_review_share))))
    return out


# ----------------------------------------------------------------------------- a fix

GAIN = N_("For {group}, the rule is a gain: {after} in 100 of its urgent calls are missed "
          "with it, against {before} in 100 without it.")
LOSS = N_("For {group}, the rule is a loss: {after} in 100 of its urgent calls are missed "
          "with it, against {before} in 100 without it.")
SAME = N_("For {group}, the rule changes about as much as chance alone would: {after} in "
          "100 of its urgent calls are missed with it, against {before} in 100 without it.")


def fix_claims(config: TriageConfig, outcome: TriageOutcome, plain: TriageOutcome,
               audited: TriageOutcome | None, bands: Bands | None,
               t: Translator) -> list[Claim]:
    """What the fix's rule does to each group, on the same calls without it; what the
    fix left to chance; and, for a fix learned from past marks, the same fix learned
    from calls checked by hand (``audited``)."""
    if config.mitigation == "none" or outcome.without_fix is None:
        return []
    figs = (figures(plain.ai, t), figures(outcome.without_fix, t), figures(outcome.ai, t))
    out = [Claim("fix.compared", "", t.gettext(FIX_COMPARED[config.mitigation]).format(
        n=t.number(config.audit_size)))]
    before, after = figs[1].counts[HARM], figs[2].counts[HARM]
    for bar in figs[2].bars:
        g = bar.group
        change = outcome.ai.rates[g][HARM] - outcome.without_fix.rates[g][HARM]
        says = versus_chance(change, band_of(bands, f"fix_change:{g}"))
        if says == "unknown":
            out.append(Claim(f"fix.group.{g}", "", t.gettext(
                "For {group}: {after} in 100 of its urgent calls are missed with the rule, "
                "against {before} in 100 without it.").format(
                    group=bar.name, after=after[g], before=before[g])))
            continue
        words = {"below": GAIN, "above": LOSS, "within": SAME}[says]
        out.append(Claim(f"fix.group.{g}", says, t.gettext(words).format(
            group=bar.name, after=after[g], before=before[g])))
    for metric in (HARM, "false_positive_rate"):
        c = [fig.counts[metric] for fig in figs]
        out.append(Claim(f"fix.reading.{metric}", "", t.gettext(
            "{measure}, out of every 100, for group A and group B: {a0} and {b0} with no "
            "fix, {a1} and {b1} on the same data without the rule, {a2} and {b2} with the "
            "fix.").format(measure=figs[2].labels[metric], a0=c[0]["A"], b0=c[0]["B"],
                           a1=c[1]["A"], b1=c[1]["B"], a2=c[2]["A"], b2=c[2]["B"])))
    out.append(Claim("fix.fast_tracked", "", t.gettext(
        "All calls fast-tracked: {a} in 100 with no fix, {b} in 100 on the same data without "
        "the rule, {c} in 100 with the fix.").format(
            a=figs[0].flagged_overall, b=figs[1].flagged_overall, c=figs[2].flagged_overall)))
    out.append(Claim("fix.plain", "", t.gettext(
        "'No fix' is the AI trained on {n} past calls and their past marks. What differs "
        "between it and 'Same data, no rule' comes from what the fix learns from, not from "
        "its rule.").format(n=t.number(config.n_calls))))
    out += coin_claims(outcome, t)
    if config.mitigation == "threshold_optimizer":
        out.append(Claim("fix.cutoffs", "", t.gettext(
            "Here the fix fast-tracks group A's calls from an urgency score of {a} in 100 and "
            "group B's from {b} in 100. It has to know each caller's group to decide. Would "
            "that be acceptable to you?").format(
                a=per_100(outcome.cutoff_by_group["A"]),
                b=per_100(outcome.cutoff_by_group["B"]))))
    if config.mitigation_data == "history" and audited is not None:
        here, there = figures(outcome.ai, t).gap, figures(audited.ai, t).gap
        gap_here = outcome.ai.rates["B"][HARM] - outcome.ai.rates["A"][HARM]
        gap_there = audited.ai.rates["B"][HARM] - audited.ai.rates["A"][HARM]
        says = versus_chance(gap_here - gap_there, band_of(bands, f"gap:{HARM}"))
        text = (t.gettext(
            "⚠️ This fix learned from the past marks, unfair ones included: it makes the "
            "groups equal by those marks, not by what the calls truly needed. It leaves a "
            "gap of {here}; the same fix learned from calls checked by hand leaves {there}.")
            if says == "above" else t.gettext(
            "This fix learned from the past marks, unfair ones included. Here that leaves "
            "a gap of {here}; the same fix learned from calls checked by hand leaves "
            "{there}: no clear difference."))
        out.append(Claim("fix.history", "more" if says == "above" else "not_clear",
                         text.format(here=points_text(here, t), there=points_text(there, t))))
    return out


FIX_COMPARED = {
    "threshold_optimizer": N_(
        "To see what the fairness rule itself does, the fix is compared with the same AI "
        "given one cut-off for everyone, set the same way from the same {n} calls, without "
        "the rule."),
    "exponentiated_gradient": N_(
        "To see what the fairness rule itself does, the retrained AI is compared with the "
        "same kind of AI trained on the same {n} calls, weighing both kinds of mistake "
        "equally, without the rule."),
}


def coin_claims(outcome: TriageOutcome, t: Translator) -> list[Claim]:
    """What the fix left to chance: real toss-ups, and decisions the draw settled."""
    out = [Claim("coin.toss_ups", "", t.gettext(
        "{n} in 100 calls were a real toss-up for the fix: a chance between 20 and 80 in "
        "100 of being fast-tracked. That is {a} in 100 of group A's calls and {b} in 100 of "
        "group B's.").format(n=count_of_100(outcome.coin_toss_share, t),
                             a=count_of_100(outcome.coin_by_group["A"], t),
                             b=count_of_100(outcome.coin_by_group["B"], t)))]
    out.append(Claim("coin.decided", "", t.gettext(
        "Adding up every decision's chance of going the less likely way, the draw settled "
        "about {n} in 100 calls differently from what the call itself pointed to.").format(
            n=count_of_100(outcome.chance_decided_share, t))))
    for group, share in outcome.set_aside.items():
        if share > 0:
            out.append(Claim(f"coin.set_aside.{group}", "", t.gettext(
                "To bring group {group}'s mistakes level with the other group's, the fix "
                "sets aside what the caller said in about {n} in 100 of group {group}'s "
                "decisions and draws a weighted coin instead.").format(
                    group=group, n=count_of_100(share, t))))
    return out


# ----------------------------------------------------------------------------- a person checks


def review_claims(config: TriageConfig, outcome: TriageOutcome, bands: Bands | None,
                  t: Translator) -> list[Claim]:
    """What a person checking the calls nearest the cut-off puts right, for each group."""
    r = outcome.review
    fig = figures(outcome.ai, t)
    a, b = fig.counts[HARM]["A"], fig.counts[HARM]["B"]
    if not r["checked"]:
        return [Claim("review.reading", "none", t.gettext(
            "With no checks, the urgent calls missed are {a} in 100 for group A and {b} in 100 "
            "for group B.").format(a=a, b=b))]
    out = [Claim("review.reading", "some", t.gettext(
        "With these checks, the urgent calls missed are {a} in 100 for group A and {b} in 100 "
        "for group B.").format(a=a, b=b))]
    out.append(Claim("review.caught", "", t.gettext(
        "Of every 100 urgent calls the AI missed, the check put right {n}: {a} in 100 of group "
        "A's and {b} in 100 of group B's.").format(
            n=per_100(r["caught"]), a=per_100(r["caught[A]"]), b=per_100(r["caught[B]"]))))
    out.append(Claim("review.unchecked", "", t.gettext(
        "{n} in 100 of the urgent calls the AI missed were never checked: the AI was further "
        "from its cut-off on those, so nobody looked again.").format(
            n=per_100(r["unchecked"]))))
    says = versus_chance(r["caught[B]"] - r["caught[A]"], band_of(bands, "review_caught:B-A"))
    if says != "unknown":
        text = {
            "below": N_("The check puts right fewer of group B's missed urgent calls than "
                        "group A's, more than chance alone explains: a human check can carry "
                        "bias too."),
            "above": N_("The check puts right more of group B's missed urgent calls than "
                        "group A's, more than chance alone explains."),
            "within": N_("The check puts right about as many of each group's missed urgent "
                         "calls, as far as chance alone can tell."),
        }[says]
        out.append(Claim("review.verdict", says, t.gettext(text)))
    out.append(Claim("review.hours", "", t.gettext(
        "Checking takes {h} hours of a person's time for every 1,000 calls.").format(
            h=t.number(10 * outcome.hours["review"]))))
    return out


# ----------------------------------------------------------------------------- people alone


def people_claims(config: TriageConfig, outcome: TriageOutcome, bands: Bands | None,
                  t: Translator) -> list[Claim]:
    """Call handlers without AI beside the AI, on the same calls and the same truth."""
    p, a = figures(outcome.people, t), figures(outcome.ai, t)
    out = [Claim("people.intro", "", t.gettext(
        "In the public dialogue, participants were undecided whether AI would counter human "
        "bias or make it worse. Here call handlers answer every call themselves, with no AI. "
        "They hear every word, judge each call by what the caller said about threat, harm "
        "and someone at risk, and fast-track as many calls as the AI does: {n} in 100. You "
        "can give them a stereotype that plays down group B's warnings.").format(
            n=p.flagged_overall))]
    out.append(Claim("people.reading", "", t.gettext(
        "Call handlers without AI missed {pa} in 100 of group A's urgent calls and {pb} in "
        "100 of group B's; the AI, with your settings, missed {aa} and {ab}.").format(
            pa=p.counts[HARM]["A"], pb=p.counts[HARM]["B"], aa=a.counts[HARM]["A"],
            ab=a.counts[HARM]["B"])))
    ai_gap = outcome.ai.rates["B"][HARM] - outcome.ai.rates["A"][HARM]
    people_gap = outcome.people.rates["B"][HARM] - outcome.people.rates["A"][HARM]
    says = versus_chance(ai_gap - people_gap, band_of(bands, "ai_minus_people"))
    values = dict(ai=points_text(a.gap, t), people=points_text(p.gap, t))
    text = {
        "below": N_("Here the AI narrows the gap between the groups: {ai} against {people} "
                    "for call handlers without AI, more than chance alone explains."),
        "above": N_("Here the AI widens the gap between the groups: {ai} against {people} "
                    "for call handlers without AI, more than chance alone explains."),
        "within": N_("Here the gap between the groups is about the same either way, as far "
                     "as chance alone can tell: {ai} for the AI, {people} for the people."),
        "unknown": N_("The gap between the groups is {ai} for the AI and {people} for the "
                      "people. Working out what chance alone makes…"),
    }[says]
    out.append(Claim("people.verdict", "" if says == "unknown" else says,
                     t.gettext(text).format(**values)))
    out.append(Claim("people.how", "", t.gettext(
        "How call handlers judge is our assumption: their sense of a call's urgency wanders "
        "by about {spread} of a level of threat, harm or risk, and people grading past calls "
        "or checking the AI get {err} in 100 calls the wrong way round.").format(
            spread=t.number(JUDGEMENT_SPREAD, 2), err=per_100(HANDLER_ERROR))))
    return out


# ----------------------------------------------------------------------------- hours saved


def hours_claims(config: TriageConfig, outcome: TriageOutcome, bands: Bands | None,
                 t: Translator) -> list[Claim]:
    """Call handlers' time, the AI's path, and what its missed urgent calls cost later."""
    h = outcome.hours
    values = {k: t.number(10 * h[v]) for k, v in (("people", "people"), ("ai", "ai"),
                                                     ("ft", "fast_track"), ("rev", "review"),
                                                     ("missed", "missed"))}
    out = [Claim("hours.parts", "", t.gettext(
        "Call handlers answering every call themselves: {people} hours for every 1,000 "
        "calls. With the AI: {ai} hours: {ft} taking over the calls it fast-tracks, {rev} "
        "checking calls, and {missed} later on the urgent calls it left to wait.").format(
            **values))]
    saved = 10 * h["ai_saves"]
    spread = band_of(bands, "hours_saved")
    if config.decided_by == "people":
        text = t.gettext("Call handlers decide every call now, so nothing is saved. The AI, "
                         "with these settings, would save {n} hours for every 1,000 calls, "
                         "net.")
    else:
        text = t.gettext("Net time the AI saves for every 1,000 calls, after what its missed "
                         "urgent calls cost later: {n} hours.")
    text = text.format(n=t.number(saved))
    if spread is not None:
        text += " " + t.gettext("From one town like this to the next, chance alone moves "
                                "this by about {n} hours either way.").format(
            n=t.number(round((spread[1] - spread[0]) / 2)))
    out.append(Claim("hours.verdict", "", text))
    out.append(Claim("hours.assumed", "", t.gettext(
        "Our own assumptions, not measurements: a call handler takes {p} minutes to answer "
        "and grade a call, {f} minutes to take over a call the AI fast-tracked, and {r} "
        "minutes to listen back to a call and check it. An urgent call the AI leaves to wait "
        "costs {m} minutes later: the caller rings again, someone calls back, and help is "
        "sent late. No study we know of measures that. Calls the AI answers itself take "
        "none of their time.").format(p=ct.PERSON_MINUTES, f=ct.FAST_TRACK_MINUTES,
                                      r=ct.REVIEW_MINUTES, m=ct.MISSED_URGENT_MINUTES)))
    curve = outcome.hours_by_cutoff
    if curve is not None and not curve.empty:
        best = curve.loc[curve["hours_saved"].idxmax()]
        out.append(Claim("hours.curve", "", t.gettext(
            "Without a fix, the AI saves the most time, {n} hours for every 1,000 calls, "
            "fast-tracking from an urgency score of {c} in 100, where it misses {m} in 100 "
            "urgent calls. A higher cut-off fast-tracks fewer calls but misses more urgent "
            "ones, and each costs more later than it saves now.").format(
                n=t.number(best["hours_saved"], 0), c=per_100(best["cutoff"]),
                m=per_100(best["missed"]))))
    return out


# ----------------------------------------------------------------------------- background


def heard_claims(outcome: TriageOutcome, t: Translator) -> list[Claim]:
    return [Claim("heard.graded", "", t.gettext(
        "Speech-to-text got {a} words in 100 wrong for group A and {b} in 100 for group B. "
        "In the past, call handlers marked {ha} in 100 of group A's urgent calls 'can wait', "
        "and {hb} in 100 of group B's.").format(
            a=per_100(outcome.word_error["A"]), b=per_100(outcome.word_error["B"]),
            ha=per_100(outcome.history_missed["A"]), hb=per_100(outcome.history_missed["B"])))]


def proxy_claims(outcome: TriageOutcome, bands: Bands | None, t: Translator) -> list[Claim]:
    push = proxy_push(outcome)
    text = t.gettext(
        "On average, each group B area name pushes the AI {b}, each dialect word {d}, and "
        "each group A area name {a} (in log-odds of fast-tracking; 0 is no push).").format(
            b=t.number(push["area B"], 2), d=t.number(push["dialect"], 2),
            a=t.number(push["area A"], 2))
    band = band_of(bands, "proxy_b_minus_a")
    if band is not None:
        text += " " + t.gettext(
            "In made-up towns with no bias at all, chance alone makes group B's words push "
            "anything from {low} to {high} more than group A's (9 towns in 10).").format(
                low=t.number(band[0], 2), high=t.number(band[1], 2))
    return [Claim("proxy.reading", "", text)]


# ----------------------------------------------------------------------------- every sentence


def page_claims(config: TriageConfig, outcome_of: Outcomes, bands_of: BandsOf,
                t: Translator, *, numbers: bool = True) -> list[Claim]:
    """Every sentence the page builds for ``config`` with every panel open (``numbers``:
    kept for the same signature as the other use cases; every sentence here is cheap)."""
    outcome, bands = outcome_of(config), bands_of(config)
    out = [chance_line(bands, t), *strip_note(config, outcome, t)]
    if config.mitigation != "none":
        audited = (outcome_of(config.replace(mitigation_data="audit"))
                   if config.mitigation_data == "history" else None)
        out += fix_claims(config, outcome, outcome_of(config.replace(mitigation="none")),
                          audited, bands, t)
    out += review_claims(config, outcome, bands, t)
    out += people_claims(config, outcome, bands, t)
    out += hours_claims(config, outcome, bands, t)
    out += heard_claims(outcome, t)
    out += proxy_claims(outcome, bands, t)
    return out


def script_claims(key: str, config: TriageConfig, outcome_of: Outcomes,
                  bands_of: BandsOf) -> list[Claim]:
    """What each scenario's script claims, checked on ``config`` (the scenario in some
    town): "holds" or "fails"."""
    o, bands = outcome_of(config), bands_of(config)

    def gap(x) -> float:
        return x.rates["B"][HARM] - x.rates["A"][HARM]

    def verdict(value: float, measure: str) -> str:
        return versus_chance(value, band_of(bands, measure))

    checks = {
        "fair_start": lambda: verdict(gap(o), f"gap:{HARM}") == "within",
        "misheard": lambda: o.word_error["B"] > o.word_error["A"] + 0.1,
        "biased_history": lambda: (o.history_missed["B"] > o.history_missed["A"] + 0.2
                                   and verdict(gap(o), f"gap:{HARM}") == "above"),
        "a_fix": lambda: gap(o.ai) < gap(outcome_of(config.replace(mitigation="none")).ai),
        "human_in_the_loop": lambda: o.review["caught[B]"] < o.review["caught[A]"],
        "biased_people": lambda: verdict(gap(o.ai) - gap(o.people), "ai_minus_people")
        == "below",
        "ai_worse": lambda: verdict(gap(o.ai) - gap(o.people), "ai_minus_people") == "above",
    }
    check = checks.get(key)
    if check is None:
        return []
    return [Claim(f"script.{key}", "holds" if check() else "fails", key)]
