"""Reoffending risk: the words and pictures of its page (app_pages/reoffending.py).

The person card is in ``ui/reoffending_card.py``. Every number here comes from the
outcome shown, through :func:`ui.fairness_panel.figures_of` (counts out of 100,
rounded once) or rounded once here with :func:`ui.figures.per_100`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators.fairness import Outcome
from simulators.messages import N_
from simulators.reoffending import PRESETS, TERMS, RiskConfig, RiskOutcome
from simulators.reoffending_views import decisions, score_histogram, score_medians, shows
from ui.charts import TABLE, draw, spec_for, template
from ui.config_sliders import config_controls
from ui.derived import derived
from ui.fairness_panel import figures_of
from ui.figures import GROUP_COLOURS, Figures, per_100, points_text
from ui.i18n import _, lang, ngettext, num
from ui.presets import preset_pills, preset_script
from workshop.i18n import translator

KEY = "reoffending"
BIAS = ["historic_patrol_bias", "label_bias", "people_bias"]
CHOICES = ["decided_by", "learns_from"]
ADVANCED = ["n_people", "group_b_share", "seed"]
RULE_COLOUR = "#000000"
NEAR = 5  # gaps this close (in points) are "about as fair": chance alone moves them this much


def story() -> None:
    st.write(_(
        "Some police forces use AI to guess who might offend again. In Durham, a tool "
        "called HART helped decide who could join a programme instead of going to court. "
        "Here a made-up AI reads each person's police record and gives them a risk score. "
        "It is never told anyone's group. Both groups of made-up people behave in exactly "
        "the same way: only their records differ."))
    st.caption(_(
        "You can also let offender managers (the officers who supervise people after an "
        "offence) decide by hand, without the AI, and compare."))


def group_name(code: str) -> str:
    """"group A", in this session's language (the words the strip uses)."""
    return _(TERMS.group(code))


def in_100(rate: float) -> str:
    """A share said out of 100: never "0" for something that did happen, nor "100" for
    something that did not always happen."""
    n = per_100(rate)
    if n == 0 and rate > 0:
        return _("fewer than 1 in 100")
    if n == 100 and rate < 1:
        return _("more than 99 in 100")
    return _("{n} in 100").format(n=num(n))


def share_of(rate: float) -> str:
    """A share of a group, for "{share} of group A's": none, all, or so many in 100."""
    if rate <= 0:
        return _("none")
    if rate >= 1:
        return _("all")
    return in_100(rate)


# ----------------------------------------------------------------------------- settings


def settings() -> RiskConfig:
    """Scenario pills, then the settings (bias first) with a note beside any setting
    another one has switched off, then the chosen scenario's script."""
    preset_pills(PRESETS, key=KEY)
    with st.container(border=True):
        st.subheader(_("Change the records, the AI, and who decides"))
        left, right = st.columns(2)
        config = config_controls(RiskConfig, key=KEY, only=BIAS[:2], where=left)
        if config.learns_from == "audited":
            left.caption(_("The AI learns from audited records here, so re-arrests change only "
                           "the police records, not what the AI learns."))
        config_controls(RiskConfig, key=KEY, only=BIAS[2:], where=left)
        if config.decided_by == "ai":
            left.caption(_("The AI decides here: this changes only the offender managers' "
                           "decisions, shown under 'People without AI'."))
        config_controls(RiskConfig, key=KEY, only=[*CHOICES, "threshold"], where=right)
        if config.decided_by == "people":
            right.caption(_("Offender managers decide here: they label as many people high "
                            "risk as the AI would at this cut-off."))
        elif config.mitigation == "threshold_optimizer":
            right.caption(_("The fix replaces this cut-off: it sets its own cut-off for each "
                            "group, and leaves some decisions to a coin toss."))
        elif config.mitigation == "exponentiated_gradient":
            right.caption(_("The fix replaces this cut-off: the retrained AI does not use a "
                            "cut-off on this score."))
        config_controls(RiskConfig, key=KEY, only=["mitigation"], where=right)
        if config.decided_by == "people" and config.mitigation != "none":
            right.caption(_("Fixes change the AI. Offender managers decide here, so no fix is "
                            "used."))
        config = config_controls(RiskConfig, key=KEY, only=ADVANCED, where=right)
    preset_script(PRESETS, config, key=KEY)
    return config


def strip_note(outcome: RiskOutcome) -> str:
    """What the strip says under its bars: who decided, and what a fix left to chance."""
    notes = []
    if outcome.decided_by == "people":
        notes.append(_("Offender managers decided here, without the AI."))
    if outcome.coin_toss_share > 0:
        notes.append(_("The fix left {share} decisions to a weighted coin toss.").format(
            share=in_100(outcome.coin_toss_share)))
    return " ".join(notes)


# ----------------------------------------------------------------------------- risk scores


def _histogram(names: tuple[str, ...], colours: tuple[str, ...], x_title: str,
               y_title: str) -> alt.LayerChart:
    colour = alt.Color("group:N", title=None,
                       scale=alt.Scale(domain=list(names), range=list(colours)),
                       legend=alt.Legend(orient="top"))
    bars = alt.Chart(TABLE).mark_bar().encode(
        x=alt.X("x:Q", title=x_title, scale=alt.Scale(domain=[0, 100], nice=False)),
        x2="x2:Q",
        y=alt.Y("percent:Q", title=y_title),
        y2=alt.datum(0),
        color=colour,
        tooltip=["group:N", alt.Tooltip("score_from:Q", title=x_title),
                 alt.Tooltip("percent:Q", title=y_title, format=".0f")],
    )
    cut = alt.Chart(alt.Data(name="cuts"))
    rule = cut.mark_rule(strokeDash=[6, 3], strokeWidth=2.5).encode(
        x=alt.X("x:Q"), color=alt.Color("colour:N", scale=None))
    label = cut.mark_text(align="left", dx=4, baseline="top", fontSize=13,
                          fontWeight="bold").encode(
        x="x:Q", y=alt.Y("top:Q", scale=None), text="label:N",
        color=alt.Color("colour:N", scale=None))
    return alt.layer(bars, rule, label).properties(height=260)


def histogram_chart(outcome: RiskOutcome) -> tuple[dict, dict]:
    data = score_histogram(outcome)
    data["group"] = data["code"].map(group_name)
    half = (data["score_to"] - data["score_from"]) / 2
    data["x"] = data["score_from"] + (data["code"] == "B") * half  # A left, B right in a bin
    data["x2"] = data["x"] + half
    if outcome.mitigation == "threshold_optimizer":
        cuts = [{"x": 100 * c, "colour": GROUP_COLOURS.get(g, RULE_COLOUR),
                 "label": _("{group}: {cut}").format(group=group_name(g), cut=num(per_100(c)))}
                for g, c in sorted(outcome.cutoffs.items()) if c == c]
    elif outcome.mitigation == "exponentiated_gradient":
        cuts = []
    else:
        cuts = [{"x": 100 * outcome.threshold, "colour": RULE_COLOUR,
                 "label": _("cut-off {cut}").format(cut=num(per_100(outcome.threshold)))}]
    for i, row in enumerate(cuts):
        row["top"] = 4 + 18 * i  # each label on its own line, in pixels from the top
    names = tuple(group_name(g) for g in outcome.groups)
    colours = tuple(GROUP_COLOURS.get(g, RULE_COLOUR) for g in outcome.groups)
    return ({"table": data, "cuts": pd.DataFrame(cuts, columns=["x", "label", "colour", "top"])},
            template(_histogram, names, colours, _("Risk score (out of 100)"),
                     _("People, out of every 100 in the group")))


def scores_panel(outcome: RiskOutcome) -> None:
    medians = derived(outcome, "medians", lambda: score_medians(outcome))
    reading = _("Half of group B score {b} or more, and half of group A score {a} or "
                "more.").format(b=num(medians.get("B", 0)), a=num(medians.get("A", 0)))
    draw(spec_for(outcome, ("histogram", lang()), lambda: histogram_chart(outcome)),
         alt_text=reading)
    rule = {
        "threshold_optimizer": _(
            "The fix draws a line for each group, in the group's colour: people above their "
            "group's line are mostly labelled high risk, and near it a weighted coin toss "
            "decides."),
        "exponentiated_gradient": _(
            "The retrained AI does not use these scores: for each person it picks one of "
            "several AIs at random."),
    }.get(outcome.mitigation, _("Everyone to the right of the dashed line is labelled high "
                                "risk."))
    if outcome.decided_by == "people":
        rule = _("These are the AI's scores. Offender managers decide here, without them.")
    st.caption(f"{reading} {rule}")


# ----------------------------------------------------------------------------- records


def _records_bars(names: tuple[str, ...], colours: tuple[str, ...], y_title: str
                  ) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(
        x=alt.X("measure:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("group:N", sort=list(names)),
        y=alt.Y("count:Q", title=y_title, scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("group:N", title=None,
                        scale=alt.Scale(domain=list(names), range=list(colours)),
                        legend=alt.Legend(orient="top")),
        tooltip=["group:N", "measure:N", alt.Tooltip("count:Q", format=".0f")],
    )
    labels = base.mark_text(baseline="bottom", dy=-3, fontSize=13).encode(
        text=alt.Text("count:Q", format=".0f"))
    return (bars + labels).properties(height=240)


def _records_counts(outcome: RiskOutcome) -> dict[str, dict[str, int]]:
    """The past records, per group, rounded once: out of 100 people."""
    rec = outcome.records
    cols = {"reoffended": "reoffended_per_100", "rearrested": "rearrested_per_100",
            "patrolled": "patrolled_per_100"}
    out = {g: {k: round(float(rec.loc[g, c])) for k, c in cols.items()} for g in rec.index}
    for g in rec.index:  # "for every 100 people"
        out[g]["arrests"] = round(100 * float(rec.loc[g, "arrests_per_person"]))
        out[g]["offences"] = round(100 * float(rec.loc[g, "offences_per_person"]))
    return out


def records_chart(outcome: RiskOutcome) -> tuple[pd.DataFrame, dict]:
    counts = _records_counts(outcome)
    measures = {"reoffended": _("Really reoffended"), "rearrested": _("Arrested again")}
    rows = [{"group": group_name(g), "measure": label, "count": counts[g][m]}
            for g in counts for m, label in measures.items()]
    names = tuple(group_name(g) for g in counts)
    colours = tuple(GROUP_COLOURS.get(g, RULE_COLOUR) for g in counts)
    return pd.DataFrame(rows), template(_records_bars, names, colours,
                                        _("Out of every 100 people"))


def records_panel(outcome: RiskOutcome, n_people: int) -> None:
    if outcome.learns_from == "audited":
        st.caption(_("The AI was trained on {n} people from the past. It learned from audited "
                     "records of who really reoffended.").format(n=num(n_people)))
    else:
        st.caption(_("The AI was trained on {n} people from the past. It only had 'arrested "
                     "again' to learn from, not who really reoffended.").format(
                         n=num(n_people)))
    c = _records_counts(outcome)
    a, b = c["A"], c["B"]
    reading = _("In the past records, {rb} in 100 of group B and {ra} in 100 of group A were "
                "arrested again, though {tb} and {ta} in 100 really reoffended.").format(
                    rb=num(b["rearrested"]), ra=num(a["rearrested"]),
                    tb=num(b["reoffended"]), ta=num(a["reoffended"]))
    draw(spec_for(outcome, ("records", lang()), lambda: records_chart(outcome)),
         alt_text=reading)
    st.caption(reading)
    lines = [_("For every 100 people, group B had {arr_b} arrests on record and group A "
               "{arr_a}, for about the same number of real offences ({off_b} and "
               "{off_a}).").format(arr_b=num(b["arrests"]), arr_a=num(a["arrests"]),
                                   off_b=num(b["offences"]), off_a=num(a["offences"]))]
    if b["patrolled"]:
        lines.append(_("{n} in 100 of group B lived in heavily patrolled streets.").format(
            n=num(b["patrolled"])))
    st.write(" ".join(lines))
    st.markdown("**" + _("How often is the AI right?") + "**")
    st.write(accuracy_text(outcome))


def accuracy_text(outcome: RiskOutcome) -> str:
    """The AI's accuracy by the records and by what really happened, and why the first
    can rise with bias."""
    acc = {k: per_100(v) for k, v in outcome.accuracy.items()}
    text = _("Judged by the police records (who was arrested again), the AI is right about "
             "{rec} in 100 people. Judged by what really happened, which only this toy "
             "knows, it is right about {truth} in 100.").format(
                 rec=num(acc["records"]), truth=num(acc["truth"]))
    rec_gain = acc["records"] - acc["records_unpatrolled"]
    truth_gain = acc["truth"] - acc["truth_unpatrolled"]
    if outcome.learns_from == "rearrests" and rec_gain > 0 and rec_gain > truth_gain:
        if truth_gain == 0:
            looks = _("By the records it even looks more right than in the same town without the "
                      "extra patrols ({rec0} in 100), though by what really happened it is right "
                      "about {truth} in 100 in both towns.")
        else:
            looks = _("By the records it even looks more right than in the same town without the "
                      "extra patrols ({rec0} in 100), though by what really happened it is right "
                      "about {truth} in 100 against {truth0}.")
        text += " " + looks.format(rec0=num(acc["records_unpatrolled"]), truth=num(acc["truth"]),
                                   truth0=num(acc["truth_unpatrolled"]))
        text += " " + _("It is graded against re-arrests, the same biased records it learned "
                        "from, so being 'right' partly means matching the bias.")
    return text


# ----------------------------------------------------------------------------- people


def decided(outcome: RiskOutcome, who: str) -> Outcome:
    """The same people decided by ``who`` (see ``DECIDERS``), audited once for the room.
    (The outcome itself is never kept in its own memo: it would never be let go.)"""
    if shows(outcome, who):
        return outcome
    return derived(outcome, ("decisions", who), lambda: decisions(outcome, who))


def _by_decider(names: tuple[str, ...], colours: tuple[str, ...], axis: str
                ) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(
        y=alt.Y("who:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
        yOffset=alt.YOffset("group:N", sort=list(names)),
        x=alt.X("count:Q", title=axis, scale=alt.Scale(domain=[0, 100])),
        tooltip=["who:N", "group:N", alt.Tooltip("count:Q", format=".0f")],
    )
    bars = base.mark_bar().encode(color=alt.Color(
        "group:N", title=None, scale=alt.Scale(domain=list(names), range=list(colours)),
        legend=alt.Legend(orient="top")))
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(
        text=alt.Text("count:Q", format=".0f"))
    return (bars + labels).properties(height=alt.Step(24))


def people_chart(ai: Figures, people: Figures) -> tuple[pd.DataFrame, dict]:
    who = {_("The AI"): ai, _("Offender managers"): people}
    rows = [{"who": w, "group": bar.name, "count": bar.count}
            for w, fig in who.items() for bar in fig.bars]
    names = tuple(bar.name for bar in ai.bars)
    colours = tuple(bar.colour for bar in ai.bars)
    return pd.DataFrame(rows), template(_by_decider, names, colours,
                                        _("out of 100 who did not reoffend"))


def people_panel(outcome: RiskOutcome) -> None:
    by_ai, by_people = decided(outcome, "ai"), decided(outcome, "people")
    ai, people = figures_of(by_ai), figures_of(by_people)
    t = translator(lang())
    st.write(_(
        "The same people, judged by offender managers by hand, without the AI. They know "
        "each person, but not perfectly, and some of group B they may judge more harshly "
        "(the slider 'Group B people the offender managers judge more harshly'). To compare "
        "like with like, they label as many people high risk as the AI would at the cut-off: "
        "{n} in 100.").format(n=num(people.flagged_overall)))
    count = {w: {b.group: b.count for b in fig.bars} for w, fig in
             (("ai", ai), ("people", people))}
    st.markdown("**" + _("Labelled high risk wrongly: the AI beside offender managers") + "**")
    reading = _(
        "Of every 100 people who did not reoffend, the offender managers wrongly labelled "
        "{pb} from group B and {pa} from group A high risk (a gap of {pgap}); the AI "
        "{ab} and {aa} (a gap of {agap}).").format(
            pb=count_text(count["people"]["B"]), pa=count_text(count["people"]["A"]),
            pgap=points_text(people.gap, t), ab=count_text(count["ai"]["B"]),
            aa=count_text(count["ai"]["A"]), agap=points_text(ai.gap, t))
    draw(spec_for(outcome, ("people", lang()), lambda: people_chart(ai, people)),
         alt_text=reading)
    st.caption(reading)
    if ai.gap is None or people.gap is None:
        verdict = _("There are too few people in one group to compare.")
    elif abs(ai.gap - people.gap) <= NEAR:
        verdict = _("Here the AI and the offender managers are about as fair as each other: "
                    "their gaps are within {near} points, which chance alone can "
                    "make.").format(near=num(NEAR))
    elif ai.gap < people.gap:
        verdict = _("Here the AI is fairer than the offender managers: its gap is smaller.")
    else:
        verdict = _("Here the AI is less fair than the offender managers: its gap is bigger.")
    st.markdown(f"**{verdict}**")
    st.write(_("Right decisions, by what really happened: the AI {ai} in 100, the offender "
               "managers {people} in 100.").format(
                   ai=num(per_100(by_ai.overall["accuracy"])),
                   people=num(per_100(by_people.overall["accuracy"]))))
    st.caption(_(
        "The public dialogue could not decide whether AI would counter or worsen human bias. "
        "In this toy it depends on the settings: try the scenarios 'An AI fairer than biased "
        "people' and 'An AI worse than people'. How the offender managers judge is our "
        "assumption, not a measurement."))


# ----------------------------------------------------------------------------- fixes


def change_text(before: int | None, after: int | None, lower_is_better: bool = True) -> str:
    """How a count out of 100 moved, and whether that is better or worse."""
    if before is None or after is None:
        return _("not measurable")
    n = abs(after - before)
    if n == 0:
        return _("no change")
    if (after < before) == lower_is_better:
        return (ngettext("{n} fewer: better", "{n} fewer: better", n) if after < before
                else ngettext("{n} more: better", "{n} more: better", n)).format(n=num(n))
    return (ngettext("{n} fewer: worse", "{n} fewer: worse", n) if after < before
            else ngettext("{n} more: worse", "{n} more: worse", n)).format(n=num(n))


def count_text(n: int | None) -> str:
    return "–" if n is None else num(n)


def _how_the_fix_works(outcome: RiskOutcome) -> str:
    if outcome.mitigation == "threshold_optimizer":
        cut = {g: count_text(None if c != c else per_100(c)) for g, c in outcome.cutoffs.items()}
        return _(
            "**How this fix works.** First, {audit} people from the past were checked "
            "carefully to find out who really reoffended, not just who was arrested. From "
            "them the fix learns a separate cut-off for each group, so both groups get about "
            "the same share of mistakes: about {a} for group A and {b} for group B. To do "
            "that it has to be told each person's group. Is that fair?").format(
                audit=num(outcome.audit_size), a=cut.get("A", "–"), b=cut.get("B", "–"))
    return _(
        "**How this fix works.** First, {audit} people from the past were checked carefully "
        "to find out who really reoffended. The AI is then retrained on them with a rule "
        "that both groups get about the same share of mistakes. The result is a mix of "
        "several AIs, and which one decides about a person is picked at random.").format(
            audit=num(outcome.audit_size))


def _chance_lines(outcome: RiskOutcome) -> list[str]:
    """What the fix left to chance, plainly."""
    lines = [_("The fix left {share} decisions to a weighted coin toss: {a} of group A's and "
               "{b} of group B's.").format(
                   share=in_100(outcome.coin_toss_share),
                   a=share_of(outcome.coin_toss_by_group.get("A", 0.0)),
                   b=share_of(outcome.coin_toss_by_group.get("B", 0.0)))]
    if outcome.mitigation == "threshold_optimizer":
        for g, (lo, hi) in sorted(outcome.chance_range.items()):
            if lo > 0:
                lines.append(_(
                    "Whatever their score, everyone in {group} had a chance of at least {lo} "
                    "of being labelled high risk: the fix labels a few of them at "
                    "random.").format(group=group_name(g), lo=in_100(lo)))
            if hi < 1:
                lines.append(_(
                    "Nobody in {group} was labelled high risk for sure: even for the highest "
                    "scores the chance was {hi}.").format(group=group_name(g), hi=in_100(hi)))
    lines.append(_("A coin toss means two people with the same record can get different "
                   "labels. Would you accept that?"))
    return lines


def _cost_lines(outcome: RiskOutcome) -> list[str]:
    """Each group's gains and losses: the same people without the fix, then with it."""
    before, after = decided(outcome, "ai_without_fix"), outcome
    b, a = figures_of(before), figures_of(after)
    lines = []
    for bar in a.bars:
        g = bar.group
        fpr = b.counts["false_positive_rate"][g], a.counts["false_positive_rate"][g]
        fnr = b.counts["false_negative_rate"][g], a.counts["false_negative_rate"][g]
        lines.append(_(
            "**For {group}:** of every 100 who did not reoffend, {fpr_before} were wrongly "
            "labelled high risk without the fix and {fpr_after} with it ({fpr_change}). Of "
            "every 100 who did reoffend, {fnr_before} were missed without the fix and "
            "{fnr_after} with it ({fnr_change}).").format(
                group=bar.name, fpr_before=count_text(fpr[0]),
                fpr_after=count_text(fpr[1]), fpr_change=change_text(*fpr),
                fnr_before=count_text(fnr[0]), fnr_after=count_text(fnr[1]),
                fnr_change=change_text(*fnr)))
    lines.append(_(
        "**For everyone together:** labelled high risk: {sel_before} in 100 without the fix, "
        "{sel_after} with it. Right decisions, by what really happened: {acc_before} in 100 "
        "without the fix, {acc_after} with it ({acc_change}).").format(
            sel_before=count_text(b.flagged_overall), sel_after=count_text(a.flagged_overall),
            acc_before=count_text(per_100(before.overall["accuracy"])),
            acc_after=count_text(per_100(after.overall["accuracy"])),
            acc_change=change_text(per_100(before.overall["accuracy"]),
                                   per_100(after.overall["accuracy"]), lower_is_better=False)))
    return lines


FIXES = N_("""
- **Separate cut-offs**: the AI keeps its scores, and a sample of past people whose real
  reoffending was checked carefully sets a different cut-off for each group, so both get
  about the same share of mistakes. It has to be told each person's group.
- **Retrain fairly**: the AI is retrained on that checked sample with a rule that both
  groups get about the same share of mistakes.
""")


def fix_panel(outcome: RiskOutcome, config: RiskConfig) -> None:
    if config.decided_by == "people":
        st.write(_("Fixes change the AI. Offender managers decide here, so no fix is used: "
                   "choose 'The AI' under 'Who decides who is high risk' to try one."))
        return
    if outcome.mitigation == "none":
        st.write(_("No fix is on. Choose one under 'Fix' in the settings above:"))
        st.markdown(_(FIXES))
        st.caption(_("Each fix is then compared with the same people without it: what each "
                     "group gains, and what it loses."))
        return
    st.markdown(_how_the_fix_works(outcome))
    if outcome.coin_toss_share > 0:
        st.info(" ".join(_chance_lines(outcome)), icon="🪙")
    st.markdown("**" + _("What the fix changes, for the same people") + "**")
    for line in _cost_lines(outcome):
        st.markdown(line)


# ----------------------------------------------------------------------------- background

WHY = N_("""
- **Arrests are not crimes.** Where police patrol more, more people are arrested for the
  same behaviour, so a record of arrests also records where the police were. An AI that
  is never told anyone's group can still learn it from the record.
- **In the UK.** Durham Constabulary's HART (Harm Assessment Risk Tool) sorted people held
  in custody into low, moderate or high risk of reoffending. From 2016 it helped decide who
  was offered Checkpoint, a programme instead of going to court for people judged at
  moderate risk. It learned from the records of about 104,000 people arrested in Durham,
  and was criticised, for example by Big Brother Watch in 2018, for using postcode data,
  including a marketing company's profiles of neighbourhoods (Experian's Mosaic).
- **In the US.** In 2016 ProPublica studied COMPAS, a risk score used by courts, for more
  than 7,000 people arrested in Broward County, Florida. Of those not charged with a new
  crime within two years, about 45 in 100 Black defendants had been labelled higher risk,
  against about 24 in 100 white defendants. Their measure of reoffending was a new charge:
  a record too.
- **No fix is free.** Chouldechova (2017) showed that when two groups reoffend at different
  rates, a score that means the same for both groups cannot also give both the same false
  alarm rate and the same miss rate. Someone has to choose which fairness matters most.
- **People without AI.** Dressel and Farid (2018) asked people with no training in
  criminal justice to predict reoffending from a short description of each defendant: they
  were about as accurate as COMPAS, and about as uneven between Black and white
  defendants. Lin and others (2020) found algorithms did better than people when there
  was more to weigh and no quick feedback on each guess.
""")
HOW = N_("""
What is made up, and what is our assumption rather than a measurement:

- Everyone is made up. Both groups behave the same by design, so every gap here comes
  from the records or from the people judging, not from the people judged.
- In heavily patrolled streets an offence is twice as likely to end in an arrest,
  arrests with no offence behind them are 4 times as common, and a new offence ends in
  a re-arrest 75 times in 100 instead of 60. Those watched more closely after release
  are re-arrested more still: 95 in 100 of those who reoffend, and 20 in 100 of those
  who do not instead of 3. These numbers are ours.
- The offender managers know each person's real risk, but blurred; those they judge more
  harshly look riskier to them than they are. How well and how fairly real people judge
  is not measured here.
- An audit here finds out the truth exactly; real audits are slower, costlier and
  imperfect.
- The AI is a simple logistic regression on four things: age, arrests, convictions and
  whether someone has a job. HART used 34 things and COMPAS over 100 questions: the
  comparison with them is our analogy, not a copy.
- The fixes are Fairlearn's ThresholdOptimizer and ExponentiatedGradient, checked on the
  audited sample.
""")
SOURCES = N_("""
- Oswald, M., Grace, J., Urwin, S. and Barnes, G. C. (2018). *Algorithmic risk assessment
  policing models: lessons from the Durham HART model and 'Experimental'
  proportionality.* Information & Communications Technology Law 27(2).
- Big Brother Watch (2018). *A closer look at Experian big data and artificial
  intelligence in Durham Police.*
- Angwin, J., Larson, J., Mattu, S. and Kirchner, L. (2016). *Machine Bias.* ProPublica.
- Chouldechova, A. (2017). *Fair prediction with disparate impact: a study of bias in
  recidivism prediction instruments.* Big Data 5(2).
- Dressel, J. and Farid, H. (2018). *The accuracy, fairness, and limits of predicting
  recidivism.* Science Advances 4(1).
- Lin, Z., Jung, J., Goel, S. and Skeem, J. (2020). *The limits of human predictions of
  recidivism.* Science Advances 6(7).
""")


def background() -> None:
    st.markdown(_(WHY))
    st.markdown("**" + _("How this toy works") + "**")
    st.markdown(_(HOW))
    st.markdown("**" + _("Sources") + "**")
    st.markdown(_(SOURCES))
