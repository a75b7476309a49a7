"""Reoffending risk: the words and pictures of its page (app_pages/reoffending.py).

The person card is in ``ui/reoffending_card.py``. Every number here comes from the
outcome shown, through :func:`ui.fairness_panel.figures_of` (counts out of 100,
rounded once) or rounded once here with :func:`ui.figures.per_100`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators.chance import Bands
from simulators.fairness import Outcome
from simulators.messages import N_
from simulators.reoffending import PRESETS, TERMS, RiskConfig, RiskOutcome
from simulators.reoffending_views import decisions, score_histogram, shows
from ui import reoffending_claims as says
from ui.charts import TABLE, draw, spec_for, template
from ui.claims import sentences
from ui.config_sliders import config_controls
from ui.derived import derived
from ui.fairness_panel import figures_of, side_by_side
from ui.figures import GROUP_COLOURS, Figures, per_100
from ui.i18n import _, here, lang, num
from ui.presets import preset_pills, preset_script
from ui.use_case_page import Background

KEY = "reoffending"
BIAS = ["historic_patrol_bias", "label_bias", "people_bias"]
CHOICES = ["decided_by", "learns_from"]
ADVANCED = ["n_people", "group_b_share", "seed"]
RULE_COLOUR = "#000000"


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
    return sentences(says.strip_note(outcome, here()))


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
    reading = derived(outcome, ("scores words", lang()),
                      lambda: sentences(says.scores_claims(outcome, here())))
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


def records_chart(outcome: RiskOutcome) -> tuple[pd.DataFrame, dict]:
    counts = says.records_counts(outcome)
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
    claims = says.records_claims(outcome, here())
    reading = claims[0].text
    draw(spec_for(outcome, ("records", lang()), lambda: records_chart(outcome)),
         alt_text=reading)
    st.caption(reading)
    st.write(claims[1].text)
    st.markdown("**" + _("How often is the AI right?") + "**")
    st.write(claims[2].text)


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


def people_panel(outcome: RiskOutcome, bands: Bands | None) -> None:
    ai, people = figures_of(decided(outcome, "ai")), figures_of(decided(outcome, "people"))
    claims = {c.slot: c for c in says.people_claims(outcome, bands, here())}
    st.write(claims["people.intro"].text)
    st.markdown("**" + _("Labelled high risk wrongly: the AI beside offender managers") + "**")
    reading = claims["people.reading"].text
    draw(spec_for(outcome, ("people", lang()), lambda: people_chart(ai, people)),
         alt_text=reading)
    st.caption(reading)
    st.markdown(f"**{claims['people.verdict'].text}**")
    st.write(claims["people.accuracy"].text)
    st.caption(_(
        "The public dialogue could not decide whether AI would counter or worsen human bias. "
        "In this toy it depends on the settings: try the scenarios 'An AI fairer than biased "
        "people' and 'An AI worse than people'. How the offender managers judge is our "
        "assumption, not a measurement."))


# ----------------------------------------------------------------------------- fixes


FIXES = N_("""
- **Separate cut-offs**: the AI keeps its scores, and a sample of past people whose real
  reoffending was checked carefully sets a different cut-off for each group, so both get
  about the same share of mistakes. It has to be told each person's group.
- **Retrain fairly**: the AI is retrained on that checked sample with a rule that both
  groups get about the same share of mistakes.
""")


def fix_panel(outcome: RiskOutcome, config: RiskConfig, bands: Bands | None) -> None:
    if config.decided_by == "people":
        st.write(_("Fixes change the AI. Offender managers decide here, so no fix is used: "
                   "choose 'The AI' under 'Who decides who is high risk' to try one."))
        return
    if outcome.mitigation == "none":
        st.write(_("No fix is on. Choose one under 'Fix' in the settings above:"))
        st.markdown(_(FIXES))
        st.caption(_("Each fix is then compared with the same people and the same audited "
                     "data without its rule: what each group gains, and what it loses."))
        return
    claims = {c.slot: c for c in says.fix_claims(outcome, bands, here())}
    st.markdown(claims.pop("fix.how").text)
    st.info(" ".join(claims.pop(k).text for k in list(claims) if k.startswith("chance.")),
            icon="🪙")
    st.markdown("**" + _("What the fix changes, for the same people") + "**")
    st.write(claims.pop("fix.compared").text)
    figs = tuple(figures_of(decided(outcome, who)) for who in says.WAYS)
    ways = (_("No fix"), _("Same data, no rule"), _("With the fix"))
    for metric in ("false_positive_rate", "false_negative_rate"):
        st.markdown("**" + _("{measure}, out of every 100").format(
            measure=figs[2].labels[metric]) + "**")
        reading = claims.pop(f"fix.reading.{metric}").text
        draw(spec_for(outcome, ("fix", metric, lang()),
                      lambda m=metric: side_by_side(ways, figs, m)), alt_text=reading)
        st.caption(reading)
    for g in ("A", "B"):
        st.markdown(" ".join(claims.pop(f"fix.group.{g}.{m}").text
                             for m in ("false_positive_rate", "false_negative_rate")))
    if chance := claims.pop("fix.chance", None):
        st.caption(chance.text)
    st.markdown(claims.pop("fix.everyone").text)


def propublica_panel(outcome: RiskOutcome) -> None:
    """The preset that reproduces ProPublica's figures: theirs beside this town's."""
    for claim in says.propublica_claims(decided(outcome, "ai"), here()):
        st.write(claim.text)
    st.caption(_("Source: Angwin, J., Larson, J., Mattu, S. and Kirchner, L. (2016). Machine "
                 "Bias. ProPublica, 23 May 2016; and Larson, J., Mattu, S., Kirchner, L. and "
                 "Angwin, J. (2016). How We Analyzed the COMPAS Recidivism Algorithm. "
                 "ProPublica. Their figures: two-year general recidivism, a medium or high "
                 "score counted as high risk, in Broward County, Florida."))


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
- The offender managers read each person's record with a rule of thumb of ours and know
  a little more of each person, blurred; a stereotype makes a group B record with any
  arrest on it read as riskier. Their gap is measured from their labels, not set; how
  well and how fairly real people judge is not measured here.
- **What chance alone makes**: the same settings with no bias at all, in 20 other
  made-up towns. A difference is called only when it is clearly beyond that.
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


def background() -> Background:
    return Background(_(WHY), _("How this toy works"), _(HOW), _(SOURCES))
