"""101 calls: the words and pictures of its page (app_pages/call_triage.py).

"Listen in" and the words that give a group away are in ``ui/listen_in.py``. Every
number comes from a :class:`simulators.call_triage.TriageOutcome` and its figures
(``ui.fairness_panel.figures_of``); this module only words and draws them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators.call_triage import PRESETS, TriageConfig, TriageOutcome
from simulators.call_world import HANDLER_ERROR
from simulators.chance import Bands
from simulators.config import settings_of
from simulators.messages import N_
from ui import call_triage_claims as says
from ui.charts import TABLE, draw, spec_for, template
from ui.claims import sentences
from ui.config_sliders import config_controls
from ui.fairness_panel import TICKS, figures_of, side_by_side
from ui.figures import EXTRA_COLOURS, GROUP_COLOURS, per_100
from ui.i18n import _, here, lang
from ui.presets import preset_pills, preset_script
from ui.use_case_page import Background, PageStep, bias_fields, simulate_shown
from workshop.vocabulary import EXTRA_QUESTIONS

KEY = "call_triage"
SAVED_TO_KEY = f"{KEY}.saved_hours_to"
FIX_FIELDS = ["mitigation", "mitigation_data"]
REVIEW_FIELDS = ["human_review_share", "reviewer_bias"]
PEOPLE_FIELDS = ["decided_by", "people_bias"]
WORLD_FIELDS = ["group_b_share", "n_calls", "audit_size", "seed"]
MEANING = {name: meta for name, meta, _default in settings_of(TriageConfig)}


def story() -> None:
    st.write(_(
        "When you ring 101, the police number for things that are not emergencies, you "
        "often wait a long time. Some police forces in England and Wales are trying out "
        "AI helpers on that line. Speech-to-text turns what you say into words, and the AI "
        "reads them and decides what to do:"))
    st.markdown(_(
        "- 🚨 **fast-track** the call to a person straight away, because someone may be in "
        "danger;\n"
        "- 💬 **give advice**, or take a report, for things that can wait;\n"
        "- ➡️ **send you to another organisation**, such as the council, the fraud "
        "reporting centre or an NHS mental health line."))
    st.write(_(
        "Here you can try a made-up version. It learned from past calls and from what call "
        "handlers decided about them. Every call, caller and place is invented. Callers are "
        "in two groups: group A, and group B, who live on the Northgate side of town and "
        "speak with an accent the speech-to-text knows less well."))
    st.caption(_("The calls are made up, in English, as the toy AI reads English."))


# ----------------------------------------------------------------------------- settings


def settings() -> TriageConfig:
    """Scenario pills, the settings box (bias first), the scenario's script."""
    preset_pills(PRESETS, key=KEY)
    with st.container(border=True):
        st.subheader(_("Change the AI's world"))
        left, right = st.columns(2)
        config_controls(TriageConfig, key=KEY, where=left, only=[
            f for f in bias_fields(TriageConfig) if f not in REVIEW_FIELDS + PEOPLE_FIELDS])
        config = config_controls(TriageConfig, key=KEY, only=["fast_track_threshold"],
                                 where=right)
        if note := threshold_note(config):
            right.caption(note)
        config = config_controls(TriageConfig, key=KEY, only=WORLD_FIELDS, where=right)
    preset_script(PRESETS, config, key=KEY)
    return config


def threshold_note(config: TriageConfig) -> str:
    """Said beside the threshold slider when something else decides instead."""
    if config.decided_by == "people":
        return _("Call handlers decide every call now (see 'People without AI'), so these "
                 "settings change only what the AI would have done.")
    if config.mitigation == "threshold_optimizer":
        return _("A fix is on: it sets its own cut-off for each group, so this slider does "
                 "nothing until you switch the fix off in 'Try a fix'.")
    if config.mitigation == "exponentiated_gradient":
        return _("A fix is on: the retrained AI decides by its own rule, so this slider "
                 "does nothing until you switch the fix off in 'Try a fix'.")
    return ""


def strip_note(config: TriageConfig, outcome: TriageOutcome) -> str:
    """Under the strip: who decides, and what a fix or a check leaves to chance."""
    return sentences(says.strip_note(config, outcome, here()))


# ----------------------------------------------------------------------------- a fix

FIX_INTRO = N_(
    "Fairlearn, a free toolkit, offers fixes. Each learns from a small sample of past "
    "calls. The public dialogue advised checking the data that goes in: here, people can "
    "listen again to those calls and write down what each truly needed. Or the fix can "
    "learn from the past marks as they are.")


def fix(page: PageStep, config: TriageConfig, outcome: TriageOutcome,
        bands: Bands | None) -> None:
    st.write(_(FIX_INTRO))
    config_controls(TriageConfig, key=KEY, only=FIX_FIELDS)
    if config.mitigation == "none" or outcome.without_fix is None:
        st.caption(_("No fix is switched on. Pick one to see who gains, who loses, and what "
                     "it leaves to chance."))
        return
    if config.decided_by == "people":
        st.info(_("Call handlers decide every call now, so the fix changes only what the "
                  "AI would have done."))
    plain = simulate_shown(page, config.replace(mitigation="none"))
    audited = (simulate_shown(page, config.replace(mitigation_data="audit"))
               if config.mitigation_data == "history" else None)
    claims = {c.slot: c for c in says.fix_claims(config, outcome, plain, audited, bands, here())}
    figs = (figures_of(plain.ai), figures_of(outcome.without_fix), figures_of(outcome.ai))
    st.write(claims.pop("fix.compared").text)
    st.markdown("\n".join(f"- {claims.pop(f'fix.group.{bar.group}').text}"
                          for bar in figs[2].bars))
    ways = (_("No fix"), _("Same data, no rule"), _("With the fix"))
    for metric in ("false_negative_rate", "false_positive_rate"):
        title = _("{measure}, out of every 100").format(measure=figs[2].labels[metric])
        st.markdown(f"**{title}**")
        reading = claims.pop(f"fix.reading.{metric}").text
        draw(spec_for(outcome, ("fix", metric, lang()),
                      lambda m=metric: side_by_side(ways, figs, m)), alt_text=reading)
        st.caption(reading)
    st.caption(claims.pop("fix.fast_tracked").text)
    st.caption(claims.pop("fix.plain").text)
    st.markdown("**" + _("What the fix left to chance") + "**")
    st.write(" ".join(claims.pop(slot).text for slot in list(claims)
                      if slot.startswith("coin.")))
    st.caption(_("🎲 marks the real toss-ups in 'Listen in'."))
    if "fix.cutoffs" in claims:
        st.caption(claims.pop("fix.cutoffs").text)
    if history := claims.pop("fix.history", None):
        (st.warning if history.variant == "more" else st.info)(history.text)


# ----------------------------------------------------------------------------- a person checks


def _curve_lines(names: tuple[str, str], x: str, y: str) -> alt.LayerChart:
    colour = alt.Color("group:N", title=None, legend=alt.Legend(orient="top"),
                       scale=alt.Scale(domain=list(names), range=list(GROUP_COLOURS.values())))
    lines = alt.Chart(TABLE).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("checked:Q", title=x, scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=TICKS)),
        y=alt.Y("missed:Q", title=y, scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=TICKS)),
        color=colour, strokeDash=alt.StrokeDash("group:N", legend=None, scale=alt.Scale(
            domain=list(names), range=[[1, 0], [6, 3]])),
        tooltip=["group:N", "checked:Q", "missed:Q"])
    now = alt.Chart(TABLE).mark_rule(color="#555555").encode(x="checked:Q").transform_filter(
        "datum.now")
    return (lines + now).properties(height=260)


def review_chart(outcome: TriageOutcome) -> tuple[pd.DataFrame, dict]:
    fig = figures_of(outcome.ai)
    names = {bar.group: bar.name for bar in fig.bars}
    curve = outcome.review_curve
    rows = [{"group": names[g], "checked": per_100(share), "missed": per_100(missed),
             "now": per_100(share) == per_100(outcome.config.human_review_share)}
            for share, *by_group in curve[["share", "missed[A]", "missed[B]"]].itertuples(
                index=False) for g, missed in zip(("A", "B"), by_group, strict=True)]
    return pd.DataFrame(rows), template(
        _curve_lines, (names["A"], names["B"]), _("calls a person checks, out of 100"),
        _("urgent calls missed, of every 100"))


def review(config: TriageConfig, outcome: TriageOutcome, bands: Bands | None) -> None:
    st.write(_(
        "AI helpers on 101 lines hand a call to a person when they spot vulnerability or "
        "when the caller asks. Here a person listens again to the calls nearest the AI's "
        "fast-track cut-off, and decides them. People make mistakes too: they get {err} in "
        "100 calls the wrong way round.").format(err=per_100(HANDLER_ERROR)))
    config_controls(TriageConfig, key=KEY, only=REVIEW_FIELDS)
    if config.decided_by == "people":
        st.info(_("Call handlers decide every call now, so nobody checks the AI: this shows "
                  "what a check would do if the AI decided."))
    r = outcome.review
    if r["checked"] > 0:
        c1, c2, c3 = st.columns(3)
        c1.metric(_("Calls checked"), _("{n} in 100").format(n=per_100(r["checked"])))
        c2.metric(_("Missed urgent calls put right"), _("{n} in 100").format(
            n=per_100(r["caught"])), help=_("Of every 100 urgent calls the AI missed, how "
                                            "many the person checking fast-tracked."))
        c3.metric(_("Needless fast-tracks sent back"), _("{n} in 100").format(
            n=per_100(r["false_alarms_removed"])), help=_(
            "Of every 100 calls the AI fast-tracked though they could wait, how many the "
            "person checking sent back to wait."))
    claims = says.review_claims(config, outcome, bands, here())
    reading = claims[0].text
    chart = spec_for(outcome, ("review", lang()), lambda: review_chart(outcome))
    draw(chart, alt_text=reading)
    st.caption(reading + " " + _("Each line shows what checking more calls would do to each "
                                 "group's missed urgent calls."))
    if r["checked"] == 0:
        st.write(_("Nobody checks any call yet. Move the slider to see what a check puts "
                   "right, for each group, and what it costs in hours."))
        return
    st.write(sentences(claims[1:]))


# ----------------------------------------------------------------------------- people alone

def versus_chart(outcome: TriageOutcome) -> tuple[pd.DataFrame, dict]:
    return side_by_side(
        (_("Call handlers"), _("The AI")),
        (figures_of(outcome.people), figures_of(outcome.ai)), "false_negative_rate")


def people(config: TriageConfig, outcome: TriageOutcome, bands: Bands | None) -> None:
    claims = {c.slot: c for c in says.people_claims(config, outcome, bands, here())}
    st.write(claims["people.intro"].text)
    config_controls(TriageConfig, key=KEY, only=PEOPLE_FIELDS)
    reading = claims["people.reading"].text
    st.markdown("**" + _("Urgent calls missed, out of every 100") + "**")
    draw(spec_for(outcome, ("versus", lang()), lambda: versus_chart(outcome)),
         alt_text=reading)
    st.caption(reading)
    st.markdown(f"**{claims['people.verdict'].text}**")
    st.caption(claims["people.how"].text + " " + _(
        "Try the scenarios 'Biased people, fairer AI' and 'AI worse than people': both can "
        "happen, depending on what the AI learned from and how well it hears."))


# ----------------------------------------------------------------------------- hours saved

#: Where saved time should go: asked with the after question (workshop.vocabulary).
_SAVED_SHORT, SAVED_QUESTION, SAVED_TO = EXTRA_QUESTIONS[KEY]["saved_hours_to"]


#: The two trade-off lines are not groups: they are drawn in colours no group has.
HOURS_COLOUR, MISSED_COLOUR = "#000000", EXTRA_COLOURS[1]


def _tradeoff_line(field: str, x: str, y: str, colour: str, dash: tuple[int, ...],
                   top: int | None) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(x=alt.X("cutoff:Q", title=x, scale=alt.Scale(
        domain=[10, 90]), axis=alt.Axis(values=[10, 30, 50, 70, 90])))
    now = base.mark_rule(color="#555555", strokeDash=[4, 3]).transform_filter("datum.now")
    scale = alt.Scale(domain=[0, top]) if top else alt.Scale(zero=True)
    line = base.mark_line(point=True, color=colour, strokeDash=list(dash)).encode(
        y=alt.Y(f"{field}:Q", title=y, scale=scale),
        tooltip=["cutoff:Q", "hours:Q", "missed:Q"])
    return (line + now).properties(height=160)


def tradeoff_chart(outcome: TriageOutcome, field: str) -> tuple[pd.DataFrame, dict]:
    """Net hours saved (``field="hours"``) or urgent calls missed (``"missed"``) at every
    cut-off of the AI without a fix, the current one marked by a dashed rule."""
    curve = outcome.hours_by_cutoff
    now = per_100(outcome.config.fast_track_threshold)
    data = pd.DataFrame({"cutoff": [per_100(c) for c in curve["cutoff"]],
                         "hours": curve["hours_saved"].round(0),
                         "missed": [per_100(m) for m in curve["missed"]]})
    data["now"] = data["cutoff"] == now
    x = _("How sure before fast-tracking (out of 100)")
    if field == "hours":
        return data, template(_tradeoff_line, "hours", x, _("Hours saved per 1,000 calls"),
                              HOURS_COLOUR, (1, 0), None)
    return data, template(_tradeoff_line, "missed", x, _("Urgent calls missed, of 100"),
                          MISSED_COLOUR, (6, 3), 100)


def saves(config: TriageConfig, outcome: TriageOutcome, bands: Bands | None) -> None:
    claims = {c.slot: c for c in says.hours_claims(config, outcome, bands, here())}
    st.write(claims["hours.parts"].text)
    st.markdown(f"**{claims['hours.verdict'].text}**")
    st.caption(claims["hours.assumed"].text)
    if curve := claims.get("hours.curve"):
        st.markdown("**" + _("The trade-off at every cut-off (the dashed line is yours)")
                    + "**")
        for field in ("hours", "missed"):
            draw(spec_for(outcome, ("tradeoff", field, lang()),
                          lambda f=field: tradeoff_chart(outcome, f)), alt_text=curve.text)
        st.caption(curve.text)
        if config.mitigation != "none":
            st.caption(_("These lines are the AI without a fix: a fix sets its own cut-offs."))
    st.write(_("The public dialogue advised that time freed by AI should go to more "
               "frontline policing and community engagement, not to savings, and that AI "
               "should not cost people their jobs. Where would you put it? You can say when "
               "you give your view."))


def saved_hours_question() -> None:
    """In the after question's form: where saved hours should go."""
    st.radio(_(SAVED_QUESTION), list(SAVED_TO), index=None, key=SAVED_TO_KEY,
             format_func=lambda k: _(SAVED_TO[k]))


def saved_hours_answer() -> dict[str, str | None]:
    return {"saved_hours_to": st.session_state.get(SAVED_TO_KEY)}


# ----------------------------------------------------------------------------- background


def heard_and_graded(outcome: TriageOutcome) -> None:
    st.caption(sentences(says.heard_claims(outcome, here())))


WHY = N_("""
- **Speech-to-text does not hear everyone equally.** Koenecke and others (PNAS, 2020)
  tested five companies' systems on speakers in the United States: on average they got
  **35 words in 100 wrong for African American speakers and 19 in 100 for white
  speakers**. An AI answering 101 calls reads what the speech-to-text wrote, so missing
  words fall unevenly. In this toy, group B's accent stands in for the speakers that
  study measured: that is our own assumption, not something the study tested.
- **Police grade calls with THRIVE**: Threat, Harm, Risk, Investigation, Vulnerability
  and Engagement, sorted into bands from 'immediate' to 'dealt with without sending
  anyone'. In this town the true need comes from threat, harm and vulnerability.
- **AI learns from past decisions.** If those were unfair to some callers, the AI copies
  it, even without being told anyone's group, because the words people use give it away.
- **Checks help, but not everywhere.** AI helpers already on 101 lines hand a call to a
  person when they spot vulnerability or when the caller asks. Calls the AI is sure
  about, rightly or wrongly, are not checked, and the person checking can be biased too.
- **People are biased too.** In the 2025 public dialogue, participants were undecided
  whether AI would counter human bias, and the bias in police records, or make it worse.
  This toy shows that both can happen.
""")
HOW = N_("""
- Each made-up call is put together from a few kinds of trouble, with what the caller
  says about threat, harm and vulnerability. Those decide what the call truly needed.
- The AI learns which words went with 'fast-track' in past calls (TF-IDF and a logistic
  regression), then answers 6,000 new calls. Every number on this page is out of those;
  'Listen in' lets you hear the first 1,000.
- **People decide from what they hear.** Past call handlers, people checking the AI and
  call handlers without AI judge a call by what the caller said about threat, harm and
  someone at risk. A stereotype makes them hear some of group B's warnings as less
  serious; which calls that turns depends on what each caller said. Past handlers and
  checkers also get 5 in 100 calls the wrong way round.
- **Different cut-offs per group**: Fairlearn's *ThresholdOptimizer* picks a cut-off for
  each group from the checked calls so that both groups' mistakes come out equal
  ("equalized odds"). To get there it may decide some calls by a weighted coin.
- **Retrain with a fairness rule**: Fairlearn's *ExponentiatedGradient* trains a mix of
  AIs on the checked calls under the same rule, and draws one of them for each call.
- **What chance alone makes**: the same settings with no bias at all, in 20 other
  made-up towns. A difference is called only when it is clearly beyond that.
""")
SOURCES = N_("""
- Koenecke, A. and others (2020). *Racial disparities in automated speech
  recognition.* Proceedings of the National Academy of Sciences 117(14).
- Hardt, M., Price, E. and Srebro, N. (2016). *Equality of Opportunity in Supervised
  Learning.* NeurIPS 2016 (the method behind different cut-offs per group).
- Agarwal, A. and others (2018). *A Reductions Approach to Fair Classification.* ICML
  2018 (the method behind retraining with a fairness rule).
- Thinks Insight and Strategy for the Home Office and Sciencewise (2025). *A public
  dialogue on Artificial Intelligence in Policing.*
""")


def background() -> Background:
    return Background(_(WHY), _("How this toy works"), _(HOW), _(SOURCES))
