"""Reoffending risk: who does the AI label high risk, and why this person?"""

import altair as alt
import pandas as pd
import streamlit as st

from simulators.fairness import summary
from simulators.reoffending import (
    KINDS,
    PRESETS,
    RiskConfig,
    explain,
    find_people,
    score_histogram,
    score_medians,
    simulate,
)
from ui.cache import simulate_cached
from ui.charts import TABLE, draw, spec_for, template
from ui.derived import derived
from ui.fairness_panel import fairness_panel
from ui.figures import GROUP_COLOURS
from ui.presets import settings_box
from ui.use_case_page import after_step, before_question, begin, follow, remember

KEY = "reoffending"
KIND_KEY = f"{KEY}.pick_kind"
GROUP_KEY = f"{KEY}.pick_group"
NTH_KEY = f"{KEY}.nth"
NUMBER_KEY = f"{KEY}.person_number"

# ----------------------------------------------------------------------------- wording
# Every sentence the page shows lives here (the card's own sentences are in
# simulators/reoffending.py, CARD), so a translation is one block of text.

TITLE = "🔮 Reoffending risk: who gets labelled high risk?"
INTRO = (
    "Some police forces use AI to pick out people who have been in trouble before and "
    "might offend again, so officers can keep a closer eye on them. Here a made-up AI "
    "reads each person's police record and gives them a risk score. It is never told "
    "anyone's group. Both groups of made-up people behave in exactly the same way: "
    "only their records differ."
)
SETTINGS_TITLE = "Change the records and the AI"
SPINNER = "Scoring the people…"
SPINNER_RETRAIN = "Retraining the AI with a fairness rule takes a few seconds…"
FIX_FAILED = "That fix can't be used here: {err} Showing the AI without a fix instead."

FIX_NOTES = {
    "threshold_optimizer": (
        "**How this fix works.** First, {audit} people from the past were checked "
        "carefully to find out who really reoffended, not just who was arrested. From "
        "them the AI learns a separate cut-off for each group, so both groups get the "
        "same share of mistakes. To do that it has to be told each person's group, and "
        "for people close to the cut-off it decides by a weighted coin toss. Is that fair?"
    ),
    "exponentiated_gradient": (
        "**How this fix works.** First, {audit} people from the past were checked "
        "carefully to find out who really reoffended. The AI is then retrained on them "
        "with a rule that both groups get the same share of mistakes. The result is a mix "
        "of several AIs, and which one decides about a person is picked by chance."
    ),
}

GROUP_SIDE = "The whole group"
PERSON_SIDE = "One person"

HIST_TITLE = "Risk scores in each group"
HIST_X = "Risk score (out of 100)"
HIST_Y = "People (out of every 100 in the group)"
CUT_ONE = "cut-off {cut}"
CUT_GROUP = "{group}: {cut}"
HIST_READING = (
    "Half of group B score {b} or more, and half of group A score {a} or more. "
    "Everyone to the right of the {line} is labelled high risk."
)
HIST_NO_LINE = (
    "Half of group B score {b} or more, and half of group A score {a} or more. The "
    "retrained AI does not use these scores: it decides by chance, from a mix of AIs."
)
HIST_LINE_ONE = "dashed line"
HIST_LINE_GROUPS = "line in their group's colour (mostly: near it, chance decides)"
HIST_ALT = "Bar chart of risk scores for group A and group B, with the cut-off marked."

RECORDS_TITLE = "What the AI learned from"
RECORDS_MEASURES = {
    "reoffended_per_100": "Really reoffended",
    "rearrested_per_100": "Arrested again",
}
RECORDS_Y = "Out of every 100 people"
RECORDS_NOTE = (
    "The AI was trained on people from the past. It only had 'arrested again' to learn "
    "from, not who really reoffended."
)
RECORDS_READING = (
    "In the past records, {rb} in 100 of group B and {ra} in 100 of group A were "
    "arrested again, though {tb} and {ta} in 100 really reoffended."
)
ARRESTS_READING = (
    "Group B people had {arr_b} arrests each on average and group A people {arr_a}, "
    "for about the same number of real offences ({off_b} and {off_a})."
)
RECORDS_ALT = "Bars comparing, per group, who really reoffended with who was arrested again."

CARD_TITLE = "Why this score?"
CARD_INTRO = "Pick a person to see what the AI saw, and what really happened."
PICK_KIND = "Show me someone who was"
PICK_GROUP = "From"
PICK_GROUPS = {"any": "either group", "A": "group A", "B": "group B"}
PICK_NEXT = "🔀 Show someone else"
PICK_NUMBER = "Or type a person's number"
PICK_NUMBER_HINT = "1 to {n}"
BAD_NUMBER = "Type a whole number from 1 to {n} to see that person."
NOBODY = "Nobody like that in this run, so here is someone from {group} instead."
PERSON_HEADING = "#### Person {number} of {n}, {group}"
SCORE_LABEL = "Risk score"
SCORE_VALUE = "{score} out of 100"
SAW_TITLE = "**What the AI saw, and what each thing did to the score**"
SAW_NOTE = (
    "Each line compares this person with a typical person here: how much higher or "
    "lower their score would be if only that one thing were typical."
)
HAPPENED_TITLE = "**What happened next**"
HIDDEN_ICON = "🙈"

WHY_TITLE = "Why this matters"
WHY = """
- **Arrests are not crimes.** Where police patrol more, more people are arrested for
  the same behaviour, so a record of arrests also records where police were. An AI
  that is never told anyone's group can still learn it from their record.
- **In real life.** In 2016, journalists at ProPublica studied a risk score used in US
  courts (COMPAS). Among people who did *not* reoffend, 45 in 100 Black defendants had
  been labelled higher risk, against 23 in 100 white defendants.
- **No fix is free.** Researchers (Chouldechova 2017; Kleinberg and others 2016) showed
  that when two groups' recorded rates differ, no score can both mean the same for each
  group (a score of 30 meaning the same chance for everyone) and make equally many
  mistakes of each kind for both. Someone has to choose which kind of fairness matters most.
"""


def pct(x: float) -> str:
    return f"{round(x):d}"


# ----------------------------------------------------------------------------- charts


def _histogram(names: tuple[str, ...], colours: tuple[str, ...]) -> alt.LayerChart:
    colour = alt.Color(
        "group:N", title=None, scale=alt.Scale(domain=list(names), range=list(colours)),
        legend=alt.Legend(orient="top"),
    )
    x = alt.X("x:Q", title=HIST_X, scale=alt.Scale(domain=[0, 100], nice=False))
    bars = alt.Chart(TABLE).mark_bar().encode(
        x=x,
        x2="x2:Q",
        y=alt.Y("percent:Q", title=HIST_Y),
        y2=alt.datum(0),
        color=colour,
        tooltip=[
            "group:N",
            alt.Tooltip("score_from:Q", title="Score from"),
            alt.Tooltip("score_to:Q", title="to"),
            alt.Tooltip("percent:Q", title="Out of 100", format=".0f"),
        ],
    )
    cut = alt.Chart(alt.Data(name="cuts"))
    rule = cut.mark_rule(strokeDash=[6, 3], strokeWidth=2.5).encode(
        x=alt.X("x:Q"), color=alt.Color("colour:N", scale=None))
    label = cut.mark_text(align="left", dx=4, baseline="top", fontSize=13,
                          fontWeight="bold").encode(
        x="x:Q", y=alt.Y("top:Q", scale=None), text="label:N",
        color=alt.Color("colour:N", scale=None))
    return alt.layer(bars, rule, label).properties(height=260)


def histogram_chart(outcome, cutoffs: dict[str, float], one_cut: bool) -> tuple[dict, dict]:
    data = score_histogram(outcome)
    half = (data["score_to"] - data["score_from"]) / 2
    is_b = data["code"] == "B"
    data["x"] = data["score_from"] + is_b * half  # A's bar left, B's bar right in a bin
    data["x2"] = data["x"] + half
    if one_cut:
        cut = next(iter(cutoffs.values()))
        cuts = [{"x": 100 * cut, "label": CUT_ONE.format(cut=pct(100 * cut)),
                 "colour": "#000000"}]
    else:
        cuts = [{"x": 100 * c,
                 "label": CUT_GROUP.format(group=outcome.terms.group(g), cut=pct(100 * c)),
                 "colour": GROUP_COLOURS.get(g, "#999999")}
                for g, c in sorted(cutoffs.items())
                if c == c]  # a group nobody is flagged in has no cut-off
    for i, row in enumerate(cuts):
        row["top"] = 4 + 18 * i  # each label on its own line, in pixels from the top
    columns = ["x", "label", "colour", "top"]
    names = tuple(outcome.terms.group(g) for g in outcome.groups)
    colours = tuple(GROUP_COLOURS.get(g, "#999999") for g in outcome.groups)
    return ({"table": data, "cuts": pd.DataFrame(cuts, columns=columns)},
            template(_histogram, names, colours))


def _records_bars(names: tuple[str, ...], colours: tuple[str, ...]) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(
        x=alt.X("measure:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("group:N", sort=list(names)),
        y=alt.Y("percent:Q", title=RECORDS_Y, scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "group:N", title=None,
            scale=alt.Scale(domain=list(names), range=list(colours)),
            legend=alt.Legend(orient="top"),
        ),
        tooltip=["group:N", "measure:N", alt.Tooltip("percent:Q", format=".0f")],
    )
    labels = base.mark_text(baseline="bottom", dy=-3, fontSize=13).encode(
        text=alt.Text("percent:Q", format=".0f")
    )
    return (bars + labels).properties(height=240)


def records_chart(outcome) -> tuple[pd.DataFrame, dict]:
    rec = outcome.records
    rows = [
        {"group": outcome.terms.group(g), "measure": label, "percent": round(rec.loc[g, m], 1)}
        for g in rec.index
        for m, label in RECORDS_MEASURES.items()
    ]
    names = tuple(outcome.terms.group(g) for g in rec.index)
    colours = tuple(GROUP_COLOURS.get(g) for g in rec.index)
    return pd.DataFrame(rows), template(_records_bars, names, colours)


# ----------------------------------------------------------------------------- callbacks



def next_person() -> None:
    st.session_state[NTH_KEY] = st.session_state.get(NTH_KEY, 0) + 1
    st.session_state[NUMBER_KEY] = ""


def new_choice() -> None:
    st.session_state[NTH_KEY] = 0
    st.session_state[NUMBER_KEY] = ""


def typed_person(text: str, n: int) -> tuple[int | None, bool]:
    """(row, ok) from what was typed: None and ok when empty, None and not ok if unusable."""
    text = (text or "").strip()
    if not text:
        return None, True
    if not text.isdigit() or not 1 <= int(text) <= n:
        return None, False
    return int(text) - 1, True


# ----------------------------------------------------------------------------- page

frame = begin("reoffending")
st.write(INTRO)
if frame.asking_before:
    before_question(frame)
    st.stop()
follow(frame)

config = settings_box(RiskConfig, PRESETS, key=KEY, title=SETTINGS_TITLE,
                      first=["historic_patrol_bias", "label_bias"])

slow = config.mitigation == "exponentiated_gradient"
try:
    with st.spinner(SPINNER_RETRAIN if slow else SPINNER):
        outcome = simulate_cached(simulate, config)
except ValueError as err:
    st.warning(FIX_FAILED.format(err=err))
    config = config.replace(mitigation="none")
    outcome = simulate_cached(simulate, config)

if config.mitigation in FIX_NOTES:
    st.info(FIX_NOTES[config.mitigation].format(audit=outcome.audit_size), icon="🔧")

group_col, person_col = st.columns([3, 2], gap="large")

with group_col:
    st.header(GROUP_SIDE)
    fairness_panel(
        outcome, metrics=["selection_rate", "false_positive_rate", "false_negative_rate"]
    )

    with st.container(border=True):
        st.subheader(HIST_TITLE)
        one_cut = config.mitigation == "none"
        draw(spec_for(outcome, ("histogram", one_cut),
                      lambda: histogram_chart(outcome, outcome.cutoffs, one_cut)),
             alt_text=HIST_ALT)
        medians = derived(outcome, "medians", lambda: score_medians(outcome))
        reading = HIST_NO_LINE if config.mitigation == "exponentiated_gradient" else HIST_READING
        st.caption(reading.format(
            a=medians.get("A", "-"), b=medians.get("B", "-"),
            line=HIST_LINE_ONE if one_cut else HIST_LINE_GROUPS,
        ))

    with st.container(border=True):
        st.subheader(RECORDS_TITLE)
        st.caption(RECORDS_NOTE)
        draw(spec_for(outcome, "records", lambda: records_chart(outcome)),
             alt_text=RECORDS_ALT)
        rec = outcome.records
        st.caption(RECORDS_READING.format(
            rb=pct(rec.loc["B", "rearrested_per_100"]), ra=pct(rec.loc["A", "rearrested_per_100"]),
            tb=pct(rec.loc["B", "reoffended_per_100"]), ta=pct(rec.loc["A", "reoffended_per_100"]),
        ))
        st.caption(ARRESTS_READING.format(
            arr_b=f"{rec.loc['B', 'arrests_per_person']:.1f}",
            arr_a=f"{rec.loc['A', 'arrests_per_person']:.1f}",
            off_b=f"{rec.loc['B', 'offences_per_person']:.1f}",
            off_a=f"{rec.loc['A', 'offences_per_person']:.1f}",
        ))

with person_col:
    st.header(PERSON_SIDE)
    n = len(outcome.y_true)
    with st.container(border=True):
        st.subheader(CARD_TITLE)
        st.caption(CARD_INTRO)
        kind = st.selectbox(PICK_KIND, list(KINDS), format_func=KINDS.get, key=KIND_KEY,
                            on_change=new_choice)
        group = st.radio(PICK_GROUP, list(PICK_GROUPS), format_func=PICK_GROUPS.get,
                         horizontal=True, key=GROUP_KEY, on_change=new_choice)
        st.button(PICK_NEXT, key=f"{KEY}.next", on_click=next_person)
        typed = st.text_input(PICK_NUMBER, key=NUMBER_KEY, max_chars=6,
                              placeholder=PICK_NUMBER_HINT.format(n=n))
        index, ok = typed_person(typed, n)
        if not ok:
            st.warning(BAD_NUMBER.format(n=n))
        if index is None:
            chosen_group = None if group == "any" else group
            rows = find_people(outcome, kind, chosen_group)
            if len(rows) == 0:
                st.info(NOBODY.format(group=PICK_GROUPS[group]))
                rows = find_people(outcome, "any", chosen_group)
            index = int(rows[st.session_state.get(NTH_KEY, 0) % len(rows)])
        card = explain(outcome, index)

        st.markdown(PERSON_HEADING.format(number=card.number, n=n, group=card.group))
        st.metric(SCORE_LABEL, SCORE_VALUE.format(score=card.score))
        st.write(card.rule)
        st.markdown(SAW_TITLE)
        st.markdown("\n".join(f"- {r.sentence}" for r in card.reasons))
        st.caption(SAW_NOTE)
        st.markdown(HAPPENED_TITLE)
        st.markdown(f"- {card.decision}\n- {card.truth}\n- {card.record}")
        st.info(card.hidden, icon=HIDDEN_ICON)
        if card.kind in ("false_alarm", "missed"):
            st.warning(card.verdict, icon="⚠️")
        else:
            st.success(card.verdict, icon="✅")

with st.expander(WHY_TITLE):
    st.markdown(WHY)

metrics = summary(outcome)
metrics["person_shown"] = card.number
remember(frame, config, metrics)
after_step(frame)
