"""Reoffending risk: every sentence its page builds, as claims (``ui/claims.py``).
No Streamlit.

Each function takes the outcome on screen, the same settings' spread in fair towns
(``Bands``, None while it is worked out) and a translator; ``page_claims`` returns every
sentence for a config, as the page shows them with every panel open. (One person's
card, ``ui/reoffending_card.py``, speaks of that person only.)
"""

from __future__ import annotations

from collections.abc import Callable

from simulators.chance import Bands
from simulators.fairness import Outcome
from simulators.messages import N_
from simulators.reoffending import PRESETS, TERMS, RiskConfig, RiskOutcome
from simulators.reoffending_views import decisions, score_medians
from ui.claims import Claim, band_of, chance_line, versus_chance
from ui.figures import figures, per_100, points_text
from workshop.i18n import Translator

HARM = TERMS.harm
Outcomes = Callable[[RiskConfig], RiskOutcome]
BandsOf = Callable[[RiskConfig], "Bands | None"]

#: ProPublica's 2016 COMPAS analysis, Broward County (two-year general recidivism,
#: medium or high score counted as "high"): each group's false positive and false
#: negative rates. Group B stands for Black defendants, group A for white.
PROPUBLICA = {"false_positive_rate": {"B": 0.449, "A": 0.235},
              "false_negative_rate": {"B": 0.280, "A": 0.477}}


def in_100(rate: float, t: Translator) -> str:
    """A share said out of 100: never "0" for something that did happen, nor "100" for
    something that did not always happen."""
    n = per_100(rate)
    if n == 0 and rate > 0:
        return t.gettext("fewer than 1 in 100")
    if n == 100 and rate < 1:
        return t.gettext("more than 99 in 100")
    return t.gettext("{n} in 100").format(n=t.number(n))


def count_text(n: int | None, t: Translator) -> str:
    return "–" if n is None else t.number(n)


def group_name(code: str, t: Translator) -> str:
    return t.gettext(TERMS.group(code))


# ----------------------------------------------------------------------------- the strip


def strip_note(outcome: RiskOutcome, t: Translator) -> list[Claim]:
    out = []
    if outcome.decided_by == "people":
        out.append(Claim("strip.people", "", t.gettext(
            "Offender managers decided here, without the AI.")))
    if outcome.mitigation != "none":
        out.append(Claim("strip.coin", "", t.gettext(
            "For {share} of the people, the fix's label was a real toss-up.").format(
                share=in_100(outcome.coin_toss_share, t))))
    return out


# ----------------------------------------------------------------------------- scores, records


def scores_claims(outcome: RiskOutcome, t: Translator) -> list[Claim]:
    medians = score_medians(outcome)
    return [Claim("scores.reading", "", t.gettext(
        "Half of group B score {b} or more, and half of group A score {a} or more.").format(
            b=t.number(medians.get("B", 0)), a=t.number(medians.get("A", 0))))]


def records_counts(outcome: RiskOutcome) -> dict[str, dict[str, int]]:
    """The past records, per group, rounded once: out of 100 people."""
    rec = outcome.records
    cols = {"reoffended": "reoffended_per_100", "rearrested": "rearrested_per_100",
            "patrolled": "patrolled_per_100"}
    out = {g: {k: round(float(rec.loc[g, c])) for k, c in cols.items()} for g in rec.index}
    for g in rec.index:  # "for every 100 people"
        out[g]["arrests"] = round(100 * float(rec.loc[g, "arrests_per_person"]))
        out[g]["offences"] = round(100 * float(rec.loc[g, "offences_per_person"]))
    return out


def records_claims(outcome: RiskOutcome, t: Translator) -> list[Claim]:
    c = records_counts(outcome)
    a, b = c["A"], c["B"]
    out = [Claim("records.reading", "", t.gettext(
        "In the past records, {rb} in 100 of group B and {ra} in 100 of group A were arrested "
        "again, though {tb} and {ta} in 100 really reoffended.").format(
            rb=t.number(b["rearrested"]), ra=t.number(a["rearrested"]),
            tb=t.number(b["reoffended"]), ta=t.number(a["reoffended"])))]
    text = t.gettext(
        "For every 100 people, group B had {arr_b} arrests on record and group A {arr_a}, "
        "for {off_b} and {off_a} real offences.").format(
            arr_b=t.number(b["arrests"]), arr_a=t.number(a["arrests"]),
            off_b=t.number(b["offences"]), off_a=t.number(a["offences"]))
    if b["patrolled"]:
        text += " " + t.gettext("{n} in 100 of group B lived in heavily patrolled "
                                "streets.").format(n=t.number(b["patrolled"]))
    out.append(Claim("records.arrests", "", text))
    acc = {k: per_100(v) for k, v in outcome.accuracy.items()}
    text = t.gettext(
        "Judged by the police records (who was arrested again), the AI is right about {rec} "
        "in 100 people. Judged by what really happened, which only this toy knows, it is "
        "right about {truth} in 100.").format(rec=t.number(acc["records"]),
                                              truth=t.number(acc["truth"]))
    if outcome.records.loc["B", "patrolled_per_100"] > 0:
        text += " " + t.gettext(
            "An AI trained in the same town without the extra patrols: {rec0} in 100 by the "
            "records, {truth0} in 100 by what really happened.").format(
                rec0=t.number(acc["records_unpatrolled"]),
                truth0=t.number(acc["truth_unpatrolled"]))
    if outcome.learns_from == "rearrests":
        text += " " + t.gettext(
            "Graded against re-arrests, the same records it learned from, being 'right' "
            "partly means matching whatever bias those records hold.")
    out.append(Claim("records.accuracy", "", text))
    return out


# ----------------------------------------------------------------------------- people


def people_claims(outcome: RiskOutcome, bands: Bands | None, t: Translator) -> list[Claim]:
    by_ai, by_people = decisions(outcome, "ai"), decisions(outcome, "people")
    ai, people = figures(by_ai, t), figures(by_people, t)
    out = [Claim("people.intro", "", t.gettext(
        "The same people, judged by offender managers by hand, without the AI. They read "
        "each person's record (age, arrests, convictions, a job), as the AI does, and know "
        "a little more of each person than the record says. A stereotype can make them read "
        "a group B record with any arrest on it as riskier (the slider 'Offender managers "
        "read group B's records as riskier'). To compare like with like, they label as many "
        "people high risk as the AI would at the cut-off: {n} in 100.").format(
            n=t.number(people.flagged_overall)))]
    count = {w: {b.group: b.count for b in fig.bars} for w, fig in
             (("ai", ai), ("people", people))}
    out.append(Claim("people.reading", "", t.gettext(
        "Of every 100 people who did not reoffend, the offender managers wrongly labelled "
        "{pb} from group B and {pa} from group A high risk (a gap of {pgap}); the AI {ab} "
        "and {aa} (a gap of {agap}).").format(
            pb=count_text(count["people"]["B"], t), pa=count_text(count["people"]["A"], t),
            pgap=points_text(people.gap, t), ab=count_text(count["ai"]["B"], t),
            aa=count_text(count["ai"]["A"], t), agap=points_text(ai.gap, t))))
    diff = ((by_ai.rates["B"][HARM] - by_ai.rates["A"][HARM])
            - (by_people.rates["B"][HARM] - by_people.rates["A"][HARM]))
    says = versus_chance(diff, band_of(bands, "ai_minus_people"))
    text = {
        "below": N_("Here the AI is fairer than the offender managers: its gap is smaller, "
                    "by more than chance alone explains."),
        "above": N_("Here the AI is less fair than the offender managers: its gap is bigger, "
                    "by more than chance alone explains."),
        "within": N_("Here the AI and the offender managers are about as fair as each "
                     "other: the difference between their gaps is one chance alone can "
                     "make."),
        "unknown": N_("Working out what chance alone makes…"),
    }[says]
    out.append(Claim("people.verdict", "" if says == "unknown" else says, t.gettext(text)))
    out.append(Claim("people.accuracy", "", t.gettext(
        "Right decisions, by what really happened: the AI {ai} in 100, the offender managers "
        "{people} in 100.").format(ai=t.number(per_100(by_ai.overall["accuracy"])),
                                   people=t.number(per_100(by_people.overall["accuracy"])))))
    return out


# ----------------------------------------------------------------------------- fixes

WAYS = ("ai_without_fix", "ai_same_data", "ai")


def how_the_fix_works(outcome: RiskOutcome, t: Translator) -> Claim:
    if outcome.mitigation == "threshold_optimizer":
        cut = {g: count_text(None if c != c else per_100(c), t)
               for g, c in outcome.cutoffs.items()}
        return Claim("fix.how", "", t.gettext(
            "**How this fix works.** First, {audit} people from the past were checked "
            "carefully to find out who really reoffended, not just who was arrested. From "
            "them the fix learns a separate cut-off for each group, so both groups get about "
            "the same share of mistakes: about {a} for group A and {b} for group B. To do "
            "that it has to be told each person's group. Is that fair?").format(
                audit=t.number(outcome.audit_size), a=cut.get("A", "–"), b=cut.get("B", "–")))
    return Claim("fix.how", "", t.gettext(
        "**How this fix works.** First, {audit} people from the past were checked carefully "
        "to find out who really reoffended. The AI is then retrained on them with a rule "
        "that both groups get about the same share of mistakes. The result is a mix of "
        "several AIs, and which one decides about a person is picked at random.").format(
            audit=t.number(outcome.audit_size)))


def chance_claims(outcome: RiskOutcome, t: Translator) -> list[Claim]:
    """What the fix left to chance: real toss-ups, and labels the draw settled."""
    out = [Claim("chance.toss_ups", "", t.gettext(
        "For {share} of the people the fix's label was a real toss-up, a chance between 20 "
        "and 80 in 100 of being labelled high risk: {a} of group A and {b} of group "
        "B.").format(share=in_100(outcome.coin_toss_share, t),
                      a=in_100(outcome.coin_toss_by_group.get("A", 0.0), t),
                      b=in_100(outcome.coin_toss_by_group.get("B", 0.0), t)))]
    out.append(Claim("chance.decided", "", t.gettext(
        "Adding up every label's chance of going the less likely way, the draw settled about "
        "{share} labels differently from what the person's record pointed to.").format(
            share=in_100(outcome.chance_decided_share, t))))
    if outcome.mitigation == "threshold_optimizer":
        for g, (lo, _hi) in sorted(outcome.chance_range.items()):
            if lo > 0:
                out.append(Claim(f"chance.floor.{g}", "", t.gettext(
                    "Whatever their score, everyone in {group} had a chance of at least {lo} "
                    "of being labelled high risk: the fix labels a few of them at "
                    "random.").format(group=group_name(g, t), lo=in_100(lo, t))))
    out.append(Claim("chance.question", "", t.gettext(
        "A coin toss means two people with the same record can get different labels. Would "
        "you accept that?")))
    return out


def cost_claims(outcome: RiskOutcome, bands: Bands | None, t: Translator) -> list[Claim]:
    """Each group's gains and losses from the fix's rule: the same people and the same
    audited data without the rule, then with it; and the AI with no fix at all."""
    same = decisions(outcome, "ai_same_data")
    none = decisions(outcome, "ai_without_fix")
    s, a, n = figures(same, t), figures(outcome, t), figures(none, t)
    out = [Claim("fix.compared", "", t.gettext(
        "To see what the fairness rule itself does, the fix is compared with the same AI "
        "set the same way from the same {n} audited people, without the rule ('Same data, "
        "no rule'). 'No fix' is the AI as trained on the records.").format(
            n=t.number(outcome.audit_size)))]
    words = {
        "false_positive_rate": N_(
            "**For {group}:** of every 100 who did not reoffend, {before} were wrongly "
            "labelled high risk on the same data without the rule and {after} with it."),
        "false_negative_rate": N_(
            "Of every 100 of {group} who did reoffend, {before} were missed without the rule "
            "and {after} with it."),
    }
    for bar in a.bars:
        g = bar.group
        for m, text in words.items():
            out.append(Claim(f"fix.group.{g}.{m}", "", t.gettext(text).format(
                group=bar.name, before=count_text(s.counts[m][g], t),
                after=count_text(a.counts[m][g], t))))
    spreads = [band_of(bands, f"fix_change:{m}:{g}") for m in words for g in ("A", "B")]
    if all(x is not None for x in spreads):
        most = max(abs(round(100 * v)) for band in spreads for v in band)
        out.append(Claim("fix.chance", "", t.gettext(
            "In made-up towns with no bias at all, the rule alone moves these numbers by up "
            "to {n} in 100, either way (9 towns in 10): a change smaller than that can be "
            "chance.").format(n=t.number(most))))
    for m in ("false_positive_rate", "false_negative_rate"):
        c = [fig.counts[m] for fig in (n, s, a)]
        out.append(Claim(f"fix.reading.{m}", "", t.gettext(
            "{measure}, out of every 100, for group A and group B: {a0} and {b0} with no "
            "fix, {a1} and {b1} on the same data without the rule, {a2} and {b2} with the "
            "fix.").format(measure=a.labels[m], a0=c[0]["A"], b0=c[0]["B"], a1=c[1]["A"],
                           b1=c[1]["B"], a2=c[2]["A"], b2=c[2]["B"])))
    out.append(Claim("fix.everyone", "", t.gettext(
        "**For everyone together:** labelled high risk: {sel_none} in 100 with no fix, "
        "{sel_before} on the same data without the rule, {sel_after} with it. Right "
        "decisions, by what really happened: {acc_none}, {acc_before} and {acc_after} in "
        "100.").format(
            sel_none=count_text(n.flagged_overall, t),
            sel_before=count_text(s.flagged_overall, t),
            sel_after=count_text(a.flagged_overall, t),
            acc_none=count_text(per_100(none.overall["accuracy"]), t),
            acc_before=count_text(per_100(same.overall["accuracy"]), t),
            acc_after=count_text(per_100(outcome.overall["accuracy"]), t))))
    return out


def fix_claims(outcome: RiskOutcome, bands: Bands | None, t: Translator) -> list[Claim]:
    if outcome.decided_by == "people" or outcome.mitigation == "none":
        return []
    return [how_the_fix_works(outcome, t), *chance_claims(outcome, t),
            *cost_claims(outcome, bands, t)]


# ----------------------------------------------------------------------------- ProPublica


def propublica_claims(outcome: Outcome, t: Translator) -> list[Claim]:
    """This town's false positive and false negative rates beside ProPublica's."""
    f = figures(outcome, t)
    ours = {m: f.counts[m] for m in PROPUBLICA}
    theirs = {m: {g: per_100(v) for g, v in by.items()} for m, by in PROPUBLICA.items()}
    return [Claim("propublica.reading", "", t.gettext(
        "In this made-up town, of every 100 people who did not reoffend, the AI labelled {fb} "
        "from group B and {fa} from group A high risk (ProPublica found {pfb} for Black and "
        "{pfa} for white defendants); of every 100 who did, it missed {nb} and {na} "
        "(ProPublica: {pnb} and {pna}).").format(
            fb=count_text(ours["false_positive_rate"]["B"], t),
            fa=count_text(ours["false_positive_rate"]["A"], t),
            pfb=theirs["false_positive_rate"]["B"], pfa=theirs["false_positive_rate"]["A"],
            nb=count_text(ours["false_negative_rate"]["B"], t),
            na=count_text(ours["false_negative_rate"]["A"], t),
            pnb=theirs["false_negative_rate"]["B"], pna=theirs["false_negative_rate"]["A"])),
        Claim("propublica.caveat", "", t.gettext(
            "Here both groups behave exactly alike: the whole gap comes from patrols and "
            "re-arrests skewing the records. Matching a published rate does not show that "
            "the same thing caused it in Broward County, where the two groups' recorded "
            "reoffending also differed."))]


# ----------------------------------------------------------------------------- every sentence


def page_claims(config: RiskConfig, outcome_of: Outcomes, bands_of: BandsOf,
                t: Translator, *, numbers: bool = True) -> list[Claim]:
    """Every sentence the page builds for ``config`` with every panel open (``numbers``:
    kept for the same signature as the other use cases; every sentence here is cheap)."""
    outcome, bands = outcome_of(config), bands_of(config)
    out = [chance_line(bands, t), *strip_note(outcome, t), *scores_claims(outcome, t),
           *records_claims(outcome, t), *people_claims(outcome, bands, t),
           *fix_claims(outcome, bands, t)]
    if is_propublica(config):
        out += propublica_claims(decisions(outcome, "ai"), t)
    return out


def is_propublica(config: RiskConfig) -> bool:
    """Whether ``config`` is the scenario that reproduces ProPublica's figures (in any
    town)."""
    scenario = next(p for p in PRESETS if p.key == "propublica_compas")
    return config.replace(seed=scenario.config.seed) == scenario.config


def script_claims(key: str, config: RiskConfig, outcome_of: Outcomes,
                  bands_of: BandsOf) -> list[Claim]:
    """What each scenario's script claims, checked on ``config``: "holds" or "fails"."""
    o, bands = outcome_of(config), bands_of(config)

    def gap(x: Outcome) -> float:
        return x.rates["B"][HARM] - x.rates["A"][HARM]

    def verdict(value: float, measure: str) -> str:
        return versus_chance(value, band_of(bands, measure))

    ai, people = decisions(o, "ai"), decisions(o, "people")
    checks = {
        "fair_start": lambda: verdict(gap(o), f"gap:{HARM}") == "within",
        # "more of group B": beyond what 19 fair towns in 20 make.
        "patrolled_past": lambda: gap(o) > band_of(bands, f"gap:{HARM}")[1],
        "arrest_not_crime": lambda: gap(o) > gap(outcome_of(config.replace(label_bias=0.0))),
        "audit_fix": lambda: (gap(o) < gap(decisions(o, "ai_without_fix"))
                              and o.chance_decided_share > 0),
        "fairer_than_people": lambda: verdict(gap(ai) - gap(people), "ai_minus_people")
        == "below",
        "worse_than_people": lambda: verdict(gap(ai) - gap(people), "ai_minus_people")
        == "above",
        # The published pattern: far more false alarms for group B, far more missed
        # reoffenders for group A (within 4 points of the figures in the room's town:
        # tests/test_reoffending.py).
        "propublica_compas": lambda: (
            ai.rates["B"]["false_positive_rate"] - ai.rates["A"]["false_positive_rate"] > 0.1
            and ai.rates["A"]["false_negative_rate"] - ai.rates["B"]["false_negative_rate"]
            > 0.1),
    }
    check = checks.get(key)
    if check is None:
        return []
    return [Claim(f"script.{key}", "holds" if check() else "fails", key)]
