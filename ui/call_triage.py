"""101 calls: the words and pictures of its page (app_pages/call_triage.py).

"Listen in" and the words that give a group away are in ``ui/listen_in.py``. Every
number comes from a :class:`simulators.call_triage.TriageOutcome` and its figures
(``ui.fairness_panel.figures_of``); this module only words and draws them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators import call_triage as ct
from simulators.call_triage import PRESETS, TriageConfig, TriageOutcome
from simulators.call_world import HANDLER_ERROR
from simulators.config import settings_of
from ui.charts import TABLE, draw, spec_for, template
from ui.config_sliders import config_controls
from ui.fairness_panel import figures_of
from ui.figures import GROUP_COLOURS, Figures, per_100, points_text
from ui.i18n import _, lang, num
from ui.presets import preset_pills, preset_script
from ui.use_case_page import Frame, bias_fields, simulate_shown
from workshop.i18n import N_, translator
from workshop.vocabulary import EXTRA_QUESTIONS

KEY = "call_triage"
SAVED_TO_KEY = f"{KEY}.saved_hours_to"
FIX_FIELDS = ["mitigation", "mitigation_data"]
REVIEW_FIELDS = ["human_review_share", "reviewer_bias"]
PEOPLE_FIELDS = ["decided_by", "people_bias"]
WORLD_FIELDS = ["group_b_share", "n_calls", "audit_size", "seed"]
MEANING = {name: meta for name, meta, _default in settings_of(TriageConfig)}
TICKS = [0, 20, 40, 60, 80, 100]  # out of 100, on every axis that counts so


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
        config_controls(TriageConfig, key=KEY, only=bias_fields(TriageConfig), where=left)
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


def coin_sentence(share: float) -> str:
    n = per_100(share)
    if n == 0:
        return _("For fewer than 1 in 100 calls the fix's decision was a coin toss.")
    return _("For {n} in 100 calls the fix's decision was a coin toss.").format(n=n)


def strip_note(config: TriageConfig, outcome: TriageOutcome) -> str:
    """Under the strip: who decides, and what a fix or a check leaves to chance."""
    if config.decided_by == "people":
        return _("Call handlers decide every call here, without AI.")
    parts = []
    if config.mitigation != "none":
        parts.append(_("Fix for fairness: {fix}.").format(
            fix=_(MEANING["mitigation"].describe(config.mitigation))))
        if outcome.coin_toss_share > 0:
            parts.append(coin_sentence(outcome.coin_toss_share))
    if config.human_review_share > 0:
        parts.append(_("A person double-checks {n} in 100 calls.").format(
            n=per_100(config.human_review_share)))
    return " ".join(parts)


# ----------------------------------------------------------------------------- side by side


def _side_by_side_bars(rows: tuple[str, ...], names: tuple[str, ...]) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(
        y=alt.Y("row:N", title=None, sort=list(rows), axis=alt.Axis(labelLimit=150)),
        yOffset=alt.YOffset("group:N", sort=list(names)),
        x=alt.X("count:Q", title=None, scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=TICKS)),
        tooltip=["row:N", "group:N", "count:Q"])
    bars = base.mark_bar().encode(color=alt.Color(
        "group:N", title=None, legend=alt.Legend(orient="top"),
        scale=alt.Scale(domain=list(names), range=list(GROUP_COLOURS.values()))))
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(text="count:Q")
    return (bars + labels).properties(height=alt.Step(22))


def side_by_side(rows: tuple[str, ...], figs: tuple[Figures, ...],
                 metric: str) -> tuple[pd.DataFrame, dict]:
    """One metric, per group, for several ways of deciding the same calls (one row
    each), counts out of 100 from each way's figures."""
    data = pd.DataFrame([{"row": row, "group": bar.name, "count": fig.counts[metric][bar.group]}
                         for row, fig in zip(rows, figs, strict=True) for bar in fig.bars])
    names = tuple(bar.name for bar in figs[0].bars)
    return data, template(_side_by_side_bars, rows, names)


# ----------------------------------------------------------------------------- a fix

FIX_INTRO = N_(
    "Fairlearn, a free toolkit, offers fixes. Each learns from a small sample of past "
    "calls. The public dialogue advised checking the data that goes in: here, people can "
    "listen again to those calls and write down what each truly needed. Or the fix can "
    "learn from the past marks as they are.")
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


def fix_reading(figs: tuple[Figures, ...], metric: str) -> str:
    c = [fig.counts[metric] for fig in figs]
    return _("{measure}, out of every 100, for group A and group B: {a0} and {b0} with no "
             "fix, {a1} and {b1} on the same data without the rule, {a2} and {b2} with the "
             "fix.").format(measure=figs[2].labels[metric], a0=c[0]["A"], b0=c[0]["B"],
                            a1=c[1]["A"], b1=c[1]["B"], a2=c[2]["A"], b2=c[2]["B"])


GAIN = N_("For {group}, the rule is a gain: {after} in 100 of its urgent calls are missed "
          "with it, against {before} in 100 without it.")
LOSS = N_("For {group}, the rule is a loss: {after} in 100 of its urgent calls are missed "
          "with it, against {before} in 100 without it.")
SAME = N_("For {group}, the rule changes nothing here: {n} in 100 of its urgent calls are "
          "missed either way.")


def fix(frame: Frame, config: TriageConfig, outcome: TriageOutcome) -> None:
    st.write(_(FIX_INTRO))
    config_controls(TriageConfig, key=KEY, only=FIX_FIELDS)
    if config.mitigation == "none" or outcome.without_fix is None:
        st.caption(_("No fix is switched on. Pick one to see who gains, who loses, and what "
                     "it leaves to chance."))
        return
    if config.decided_by == "people":
        st.info(_("Call handlers decide every call now, so the fix changes only what the "
                  "AI would have done."))
    plain = simulate_shown(frame, config.replace(mitigation="none")).ai
    figs = (figures_of(plain), figures_of(outcome.without_fix), figures_of(outcome.ai))
    st.write(_(FIX_COMPARED[config.mitigation]).format(n=num(config.audit_size)))
    before, after = figs[1].counts["false_negative_rate"], figs[2].counts["false_negative_rate"]
    lines = []
    for bar in figs[2].bars:
        b, a = before[bar.group], after[bar.group]
        if a == b:
            lines.append(_(SAME).format(group=bar.name, n=a))
        else:
            lines.append(_(LOSS if a > b else GAIN).format(group=bar.name, before=b, after=a))
    st.markdown("\n".join(f"- {line}" for line in lines))
    ways = (_("No fix"), _("Same data, no rule"), _("With the fix"))
    for metric in ("false_negative_rate", "false_positive_rate"):
        title = _("{measure}, out of every 100").format(measure=figs[2].labels[metric])
        st.markdown(f"**{title}**")
        reading = fix_reading(figs, metric)
        draw(spec_for(outcome, ("fix", metric, lang()),
                      lambda m=metric: side_by_side(ways, figs, m)), alt_text=reading)
        st.caption(reading)
    st.caption(_("All calls fast-tracked: {a} in 100 with no fix, {b} in 100 on the same "
                 "data without the rule, {c} in 100 with the fix.").format(
        a=figs[0].flagged_overall, b=figs[1].flagged_overall, c=figs[2].flagged_overall))
    st.caption(_("'No fix' is the AI trained on {n} past calls and their past marks. What "
                 "differs between it and 'Same data, no rule' comes from what the fix learns "
                 "from, not from its rule.").format(n=num(config.n_calls)))
    coin_tosses(outcome)
    if config.mitigation == "threshold_optimizer":
        st.caption(_("Here the fix fast-tracks group A's calls from an urgency score of {a} "
                     "in 100 and group B's from {b} in 100. It has to know each caller's "
                     "group to decide. Would that be acceptable to you?").format(
            a=per_100(outcome.cutoff_by_group["A"]), b=per_100(outcome.cutoff_by_group["B"])))
    if config.mitigation_data == "history":
        st.warning(_("⚠️ This fix learned from the past marks, unfair ones included: it "
                     "makes the groups equal by those marks, not by what the calls truly "
                     "needed, so more of the gap is left. Switch to 'Calls checked by hand' "
                     "to compare."))


def coin_tosses(outcome: TriageOutcome) -> None:
    """What the fix left to chance, in plain words."""
    st.markdown("**" + _("What the fix left to chance") + "**")
    if outcome.coin_toss_share == 0:
        st.write(_("None of the fix's decisions was left to chance here."))
        return
    lines = [coin_sentence(outcome.coin_toss_share) + " " + _(
        "That is {a} in 100 of group A's calls and {b} in 100 of group B's.").format(
        a=per_100(outcome.coin_by_group["A"]), b=per_100(outcome.coin_by_group["B"]))]
    toss_up = per_100(outcome.toss_up_share)
    if 2 * outcome.toss_up_share < outcome.coin_toss_share:
        lines.append(_("For most of them the coin was weighted heavily one way: {n} in 100 "
                       "calls were a real toss-up, with a chance between 20 and 80 in 100 of "
                       "being fast-tracked.").format(n=toss_up))
    else:
        lines.append(_("{n} in 100 calls were a real toss-up, with a chance between 20 and "
                       "80 in 100 of being fast-tracked.").format(n=toss_up))
    for group, share in outcome.set_aside.items():
        if share > 0:
            lines.append(_(
                "To bring group {group}'s mistakes level with the other group's, the fix "
                "sets aside what the caller said in about {n} in 100 of group {group}'s "
                "decisions and draws a weighted coin instead. So every call from group "
                "{group} had some chance of going the other way.").format(
                group=group, n=max(1, per_100(share))))
    st.write(" ".join(lines))
    st.caption(_("🎲 marks these calls in 'Listen in'."))


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


def review(config: TriageConfig, outcome: TriageOutcome) -> None:
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
    fig = figures_of(outcome.ai)
    chart = spec_for(outcome, ("review", lang()), lambda: review_chart(outcome))
    reading = (_("With these checks, the urgent calls missed are {a} in 100 for group A "
                 "and {b} in 100 for group B.") if r["checked"] else
               _("With no checks, the urgent calls missed are {a} in 100 for group A and {b} "
                 "in 100 for group B.")).format(
        a=fig.counts["false_negative_rate"]["A"], b=fig.counts["false_negative_rate"]["B"])
    draw(chart, alt_text=reading)
    st.caption(reading + " " + _("Each line shows what checking more calls would do to each "
                                 "group's missed urgent calls."))
    if r["checked"] == 0:
        st.write(_("Nobody checks any call yet. Move the slider to see what a check puts "
                   "right, for each group, and what it costs in hours."))
        return
    lines = [_("Of every 100 urgent calls the AI missed, the check put right {n}: {a} in 100 "
               "of group A's and {b} in 100 of group B's.").format(
        n=per_100(r["caught"]), a=per_100(r["caught[A]"]), b=per_100(r["caught[B]"]))]
    if per_100(r["unchecked"]) > 0:
        lines.append(_("{n} in 100 of the urgent calls the AI missed were never checked: the "
                       "AI was further from its cut-off on those, so nobody looked again.")
                     .format(n=per_100(r["unchecked"])))
    if config.reviewer_bias > 0:
        lines.append(
            _("The person checking is harder on group B, and the check puts right fewer of "
              "group B's missed urgent calls than group A's: a human check can carry bias "
              "too.") if per_100(r["caught[B]"]) < per_100(r["caught[A]"]) else
            _("The person checking is harder on group B, yet here the check still put right "
              "as many of group B's missed urgent calls as group A's, or more."))
    lines.append(_("Checking takes {h} hours of a person's time for every 100 calls.").format(
        h=num(outcome.hours["review"], 1)))
    st.write(" ".join(lines))


# ----------------------------------------------------------------------------- people alone

#: Gaps this close (in points) come and go from one made-up town to the next.
SAME_GAP = 3


def versus_chart(outcome: TriageOutcome) -> tuple[pd.DataFrame, dict]:
    return side_by_side(
        (_("Call handlers"), _("The AI")),
        (figures_of(outcome.people), figures_of(outcome.ai)), "false_negative_rate")


def people(config: TriageConfig, outcome: TriageOutcome) -> None:
    st.write(_(
        "In the public dialogue, participants were undecided whether AI would counter human "
        "bias or make it worse. Here call handlers answer and grade every call themselves, with "
        "no AI. They get {err} in 100 of everyone's calls the wrong way round, and you can "
        "make them harder on group B.").format(err=per_100(HANDLER_ERROR)))
    config_controls(TriageConfig, key=KEY, only=PEOPLE_FIELDS)
    p, a = figures_of(outcome.people), figures_of(outcome.ai)
    reading = _("Call handlers without AI missed {pa} in 100 of group A's urgent calls and "
                "{pb} in 100 of group B's; the AI, with your settings, missed {aa} and "
                "{ab}.").format(pa=p.counts["false_negative_rate"]["A"],
                                pb=p.counts["false_negative_rate"]["B"],
                                aa=a.counts["false_negative_rate"]["A"],
                                ab=a.counts["false_negative_rate"]["B"])
    st.markdown("**" + _("Urgent calls missed, out of every 100") + "**")
    draw(spec_for(outcome, ("versus", lang()), lambda: versus_chart(outcome)),
         alt_text=reading)
    st.caption(reading)
    t = translator(lang())
    ai_gap, people_gap = a.gap, p.gap
    if ai_gap is None or people_gap is None or abs(ai_gap - people_gap) <= SAME_GAP:
        verdict = _("Here the gap between the groups is about the same either way: {ai} "
                    "for the AI, {people} for the people.").format(
            ai=points_text(ai_gap, t), people=points_text(people_gap, t))
    else:
        verdict = (_("Here the AI narrows the gap between the groups: {ai} against {people} "
                     "for call handlers without AI.") if ai_gap < people_gap else
                   _("Here the AI widens the gap between the groups: {ai} against {people} "
                     "for call handlers without AI.")).format(
            ai=points_text(ai_gap, t), people=points_text(people_gap, t))
    st.markdown(f"**{verdict}**")
    st.caption(_("Try the scenarios 'Biased people, fairer AI' and 'AI worse than people': "
                 "both can happen, depending on what the AI learned from and how well it "
                 "hears."))


# ----------------------------------------------------------------------------- hours saved

#: Where saved time should go: asked with the after question (workshop.vocabulary).
_SAVED_SHORT, SAVED_QUESTION, SAVED_TO = EXTRA_QUESTIONS[KEY]["saved_hours_to"]


def saves(config: TriageConfig, outcome: TriageOutcome) -> None:
    h = outcome.hours
    values = dict(people=num(h["people"], 1), ai=num(h["ai"], 1),
                  ft=num(h["fast_track"], 1), rev=num(h["review"], 1))
    st.write((_("Call handlers answering every call themselves: {people} hours for every "
                "100 calls. With the AI: {ai} hours, {ft} of them taking over the calls it "
                "fast-tracks and {rev} checking calls.") if h["review"] else
              _("Call handlers answering every call themselves: {people} hours for every "
                "100 calls. With the AI: {ai} hours, all of them taking over the calls it "
                "fast-tracks.")).format(**values))
    saved = h["ai_saves"]
    if config.decided_by == "people":
        st.markdown((_("**Call handlers decide every call now, so nothing is saved.** The AI, "
                       "with these settings, would save {n} hours for every 100 calls.")
                     if saved >= 0 else
                     _("**Call handlers decide every call now, so nothing is saved.** The AI, "
                       "with these settings, would cost {n} more hours for every 100 calls."))
                    .format(n=num(abs(saved), 1)))
    elif saved >= 0:
        st.markdown(_("**The AI saves {n} hours of call handlers' time for every 100 "
                      "calls.**").format(n=num(saved, 1)))
    else:
        st.markdown(_("**With these settings the AI costs {n} more hours for every 100 "
                      "calls than people alone.**").format(n=num(-saved, 1)))
    st.caption(_("Our own assumptions, not measurements: a call handler takes {p} minutes to "
                 "answer and grade a call, {f} minutes to take over a call the AI "
                 "fast-tracked, and {r} minutes to listen back to a call and check it. Calls "
                 "the AI answers itself take none of their time.").format(
        p=ct.PERSON_MINUTES, f=ct.FAST_TRACK_MINUTES, r=ct.REVIEW_MINUTES))
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
    st.caption(_(
        "Speech-to-text got {a} words in 100 wrong for group A and {b} in 100 for group B. "
        "In the past, call handlers marked {ha} in 100 of group A's urgent calls 'can wait', "
        "and {hb} in 100 of group B's.").format(
        a=per_100(outcome.word_error["A"]), b=per_100(outcome.word_error["B"]),
        ha=per_100(outcome.history_missed["A"]), hb=per_100(outcome.history_missed["B"])))


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
  regression), then answers 1,000 new calls. Every number on this page is out of those.
- **Different cut-offs per group**: Fairlearn's *ThresholdOptimizer* picks a cut-off for
  each group from the checked calls so that both groups' mistakes come out equal
  ("equalized odds"). To get there it may decide some calls by a weighted coin.
- **Retrain with a fairness rule**: Fairlearn's *ExponentiatedGradient* trains a mix of
  AIs on the checked calls under the same rule, and draws one of them for each call.
- Call handlers, past and present, and people checking the AI get 5 in 100 calls the
  wrong way round; the bias sliders add more for group B.
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


def background() -> None:
    st.markdown(_(WHY))
    st.markdown("**" + _("How this toy works") + "**")
    st.markdown(_(HOW))
    st.markdown("**" + _("Sources") + "**")
    st.markdown(_(SOURCES))
