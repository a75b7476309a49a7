"""Summarising evidence: which witnesses' key facts does an AI summary leave out?"""

import hashlib
import html

import altair as alt
import pandas as pd
import streamlit as st

from simulators.evidence import PRESETS, EvidenceConfig, officer_check, simulate
from simulators.fairness import summary
from ui.cache import simulate_cached
from ui.charts import TABLE, draw, per_outcome, spec_for, template
from ui.fairness_panel import fairness_panel
from ui.follow import follow_facilitator
from ui.navigation import through_app
from ui.presets import settings_box
from ui.reaction_box import reaction_box
from ui.wording import GROUP_COLOURS

through_app()

KEY = "evidence"
ONLY_KEY = f"{KEY}.only_left_out"
REVEALED_KEY = f"{KEY}.revealed_worlds"  # worlds whose answer this person has seen
PLAYED_KEY = f"{KEY}.played"  # the settings the answer was revealed on

# ----------------------------------------------------------------------------- wording
# Every sentence the page shows lives here, so a translation is one block of text.

TITLE = "📄 Summarising evidence: what does the AI leave out?"
INTRO = (
    "Investigators can face hundreds of pages of witness statements, CCTV logs and "
    "notes. An AI can read them all and copy out the sentences it thinks matter most. "
    "Here it summarises made-up case files. Some witnesses, group B, tell the same facts "
    "in a dialect or in simple second-language English. Whose facts make it into the "
    "summary?"
)
SETTINGS_TITLE = "Change the AI and the case files"
SPINNER = "The AI is reading {n} case files…"

CASE_TITLE = "One case file and its summary"
CASE_BRIEF = "**{title}.** {brief}"
SUMMARY_TITLE = "The AI's summary"
SUMMARY_COUNT = "The AI kept {kept} of the file's {total} sentences."
FILE_TITLE = "The whole case file"
ONLY_LEFT_OUT = "Show only what the summary left out"
ONLY_LEFT_OUT_HELP = "Hide the sentences the summary kept, to check what it dropped."
NOTHING_LEFT_OUT = "The summary kept every sentence of this file."
KEY_WITNESSES = (
    "🔵 **A**: a witness from group A (standard English) · 🔶 **B**: a witness from "
    "group B (dialect or second language) · 📹 CCTV log · 📝 officer's notes"
)
KEY_STATUS = "✅ in the summary · ✖️ left out"
KEY_FACTS = (
    "🛡️ points away from the arrested person · 🎯 points to them · 📌 background an "
    "investigator needs. Sentences with no mark are not key facts."
)
FACTS_HIDDEN = "Which sentences are key facts stays hidden until you try 'Be the officer' below."
IN_SUMMARY, LEFT_OUT = "✅ in the summary", "✖️ left out"
FACT_MARKS = {
    "exculpatory": "🛡️ points away from the arrested person",
    "incriminating": "🎯 points to the arrested person",
    "context": "📌 background",
}
GROUP_MARKS = {"A": "🔵 A", "B": "🔶 B"}
CCTV_MARK, NOTES_MARK = "📹 CCTV {time}", "📝 Officer's notes"
RECORD_COLOUR = "#7F7F7F"
LEFT_OUT_BACKGROUND = "#F1F4F8"

OFFICER_TITLE = "🕵️ Be the officer"
OFFICER_INTRO = (
    "People in the public dialogue said officers should check what an AI gives them "
    "against other information. Try it: read what the summary left out, and tick each "
    "sentence you think an investigator must not miss. Then reveal the answer."
)
OFFICER_LIST = "Left out of the summary:"
REVEAL = "Reveal the answer"
RESULT = "You spotted **{caught} of the {missed}** key facts the summary left out."
RESULT_EXCUL = (
    "{caught} of the {missed} left-out facts that point away from the arrested person."
)
RESULT_EXCUL_NONE = "None of the facts left out here pointed away from the arrested person."
RESULT_NOT_KEY = "{n} of the sentences you ticked were not key facts."
RESULT_NOTHING_MISSED = "This summary left out no key facts, so there was nothing to find."
RESULT_READ = (
    "The marks are now shown in the case file above. Facts left out of a summary are "
    "only found by someone who reads the whole file."
)
ALREADY_SEEN = (
    "You have seen the answer for this case, so its marks stay on while you move the "
    "settings. Change the 'World number' under 'More settings' for a new case, or hide "
    "the marks to play this one again."
)
PLAY_AGAIN = "Hide the marks and play again"

FAIRNESS_TITLE = "Key facts kept, by witness group (all {n} case files)"
FIX_LENGTH = (
    "With this fix the summaries keep {share} of every 100 sentences, though you asked "
    "for {asked}: fairer between the groups, but more for an officer to read."
)
EXCUL_TITLE = "🛡️ Facts that point away from the arrested person"
EXCUL_TEXT = (
    "Across the {n} case files, {total} sentences from witnesses point away from the "
    "person arrested. The summaries left out **{lost}** of them: {lost_a} of {total_a} "
    "from group A and {lost_b} of {total_b} from group B."
)
EXCUL_NONE = "In these case files no witness gave a fact that points away from the arrested person."
BY_FACT_TITLE = "Key facts kept, by kind of fact"
BY_FACT_LABELS = {
    "incriminating": "Points to the arrested person",
    "exculpatory": "Points away from them",
    "context": "Background",
}
BY_FACT_X = "kept, out of every 100"
BY_FACT_READING = (
    "Of the facts that point away from the arrested person, the summaries kept {a} in "
    "100 from group A and {b} in 100 from group B."
)
GROUP_NAMES = {"A": "Group A (standard English)", "B": "Group B (dialect or second language)"}

WHY_TITLE = "Why this matters"
WHY = """
An AI like this copies out the sentences it rates highest; it does not write new
ones. Two things from research are built into this toy:

- Common summarisers **under-represent people who write in a dialect**: their
  wording and length differ from most other texts, so their sentences look less
  typical and are picked less often (Keswani and Celis, 2021).
- Summarisers **favour whichever group's texts come first** in the pile; shuffling
  the order largely removes this (Olabisi and Agrawal, 2024).

An AI that learns from old summaries also copies whatever past analysts tended to
leave out. Move 'Bias in the old summaries' with the learning AI to see it.
"""
HOW_TITLE = "How this toy works"
HOW = """
- Every case file is made up from a few kinds of incident: 4 to 8 witness
  statements, a CCTV log and the officer's notes. Each sentence is tagged by hand as
  a key fact (it points to the arrested person, points away from them, or is
  background an investigator needs) or not.
- **Picks what the rest of the file repeats**: the AI compares every sentence with
  every other by the words they share, and keeps those most like many others. It
  also gives more weight to sentences near the start of the file, as many
  summarisers do.
- **Learns from old summaries**: the AI studies 40 old case files and the summaries
  analysts wrote for them, and learns which words, positions and lengths get kept.
- **A share for every witness**: each statement gets a share of the summary in
  proportion to how much the witness said.
- **A fairer cut-off per group**: Fairlearn's *ThresholdOptimizer* looks at a few
  files where every key fact was checked by hand, and sets a different bar for each
  group so that both groups' key facts are kept about as often.
- The fairness panel counts every witness sentence once. CCTV and officer's notes can
  be picked for a summary too, but belong to neither group.
"""
SOURCES_TITLE = "Sources"
SOURCES = """
- Keswani, V. and Celis, L. E. (2021). *Dialect Diversity in Text Summarization on
  Twitter.* Proceedings of the Web Conference 2021.
- Olabisi, O. and Agrawal, A. (2024). *Understanding Position Bias Effects on Fairness
  in Social Multi-Document Summarization.* VarDial Workshop 2024.
"""


# ----------------------------------------------------------------------------- helpers



def reveal(world: str, token: str) -> None:
    worlds = st.session_state.setdefault(REVEALED_KEY, [])
    if world not in worlds:
        worlds.append(world)
    st.session_state[PLAYED_KEY] = token


def play_again(world: str) -> None:
    worlds = st.session_state.setdefault(REVEALED_KEY, [])
    if world in worlds:
        worlds.remove(world)
    st.session_state.pop(PLAYED_KEY, None)


def token_of(config: EvidenceConfig) -> str:
    return hashlib.sha1(repr(sorted(config.to_dict().items())).encode()).hexdigest()[:10]


def world_of(config: EvidenceConfig) -> str:
    """The settings that decide which case is shown and what its key facts are."""
    return f"{config.seed}/{config.n_cases}/{config.group_b_share}"


def who(row) -> str:
    if row.kind == "cctv":
        return CCTV_MARK.format(time=row.time)
    if row.kind == "notes":
        return NOTES_MARK
    return f"{GROUP_MARKS[row.group]} · {row.source}"


def colour_of(row) -> str:
    return GROUP_COLOURS.get(row.group, RECORD_COLOUR) if row.kind == "witness" else RECORD_COLOUR


def sentence_block(rows: pd.DataFrame, *, status: bool, facts: bool) -> str:
    """The sentences as HTML blocks: a coloured edge and a text marker for the source."""
    parts = []
    for row in rows.itertuples():
        labels = [f"{row.position}. {who(row)}"]
        if status:
            labels.append(IN_SUMMARY if row.included else LEFT_OUT)
        if facts and row.fact:
            labels.append(FACT_MARKS[row.fact])
        background = "#FFFFFF" if row.included or not status else LEFT_OUT_BACKGROUND
        parts.append(
            f'<div style="border-left:6px solid {colour_of(row)};background:{background};'
            'padding:4px 10px;margin:4px 0;border-radius:4px">'
            f'<div style="font-size:0.85em;color:#333333">'
            f"{html.escape(' · '.join(labels))}</div>"
            f"<div>{html.escape(row.text)}</div></div>"
        )
    return "\n".join(parts)


def _by_fact_bars() -> alt.LayerChart:
    names = list(GROUP_NAMES.values())
    base = alt.Chart(TABLE).encode(
        y=alt.Y("fact:N", title=None, sort=list(BY_FACT_LABELS.values()),
                axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("group:N", sort=names),
        x=alt.X("percent:Q", title=BY_FACT_X, scale=alt.Scale(domain=[0, 100])),
        tooltip=["fact:N", "group:N", alt.Tooltip("percent:Q", format=".0f")],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("group:N", title=None,
                        legend=alt.Legend(orient="top", direction="vertical", labelLimit=360),
                        scale=alt.Scale(domain=names, range=list(GROUP_COLOURS.values())))
    )
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(
        text=alt.Text("percent:Q", format=".0f")
    )
    return (bars + labels).properties(height=alt.Step(22))


def by_fact_chart(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    data = (
        table.rename(index=BY_FACT_LABELS, columns=GROUP_NAMES)
        .rename_axis(index="fact", columns="group")
        .stack()
        .rename("kept")
        .reset_index()
    )
    data["percent"] = (100 * data["kept"]).round(0)
    return data, template(_by_fact_bars)


def per_100(x: float) -> str:
    return "none" if x != x else f"{round(100 * x):d}"


# ----------------------------------------------------------------------------- page

st.title(TITLE)
st.write(INTRO)
follow_facilitator("evidence", EvidenceConfig, KEY)

config = settings_box(EvidenceConfig, PRESETS, key=KEY, title=SETTINGS_TITLE,
                      first=["group_b_share", "dialect_strength", "label_bias", "summary_ratio"])

with st.spinner(SPINNER.format(n=config.n_cases)):
    outcome = simulate_cached(simulate, config)

case = outcome.case_file
token, world = token_of(config), world_of(config)
revealed = world in st.session_state.get(REVEALED_KEY, [])

# The case file beside its summary.
st.header(CASE_TITLE)
st.markdown(CASE_BRIEF.format(title=outcome.case_title, brief=outcome.case_brief))
st.caption(KEY_WITNESSES)
summary_col, file_col = st.columns([2, 3])
with summary_col:
    st.subheader(SUMMARY_TITLE)
    kept_rows = case[case["included"]]
    st.caption(SUMMARY_COUNT.format(kept=len(kept_rows), total=len(case)))
    st.markdown(per_outcome(outcome, ("summary block", revealed), lambda: sentence_block(
        kept_rows, status=False, facts=revealed)), unsafe_allow_html=True)
with file_col:
    st.subheader(FILE_TITLE)
    only_left_out = st.toggle(ONLY_LEFT_OUT, key=ONLY_KEY, help=ONLY_LEFT_OUT_HELP)
    st.caption(KEY_STATUS + (" · " + KEY_FACTS if revealed else ""))
    if not revealed:
        st.caption(FACTS_HIDDEN)
    shown = case[~case["included"]] if only_left_out else case
    if shown.empty:
        st.write(NOTHING_LEFT_OUT)
    else:
        st.markdown(per_outcome(outcome, ("file block", revealed, only_left_out),
                                lambda: sentence_block(shown, status=True, facts=revealed)),
                    unsafe_allow_html=True)

# Be the officer: tick what the summary should not have dropped, then reveal.
check = None
with st.container(border=True):
    st.subheader(OFFICER_TITLE)
    played_here = st.session_state.get(PLAYED_KEY) == token
    if revealed and not played_here:
        st.info(ALREADY_SEEN)
        st.button(PLAY_AGAIN, key=f"{KEY}.play_again", on_click=play_again, args=(world,))
    else:
        st.write(OFFICER_INTRO)
        st.markdown(f"**{OFFICER_LIST}**")
        ticked = []
        for row in case[~case["included"]].itertuples():
            label = f"{row.position}. {who(row)}: {row.text}"
            if st.checkbox(label, key=f"{KEY}.tick.{token}.{row.position}"):
                ticked.append(int(row.position))
        if not revealed:
            st.button(REVEAL, key=f"{KEY}.reveal", type="primary", on_click=reveal,
                      args=(world, token))
        else:
            check = officer_check(case, ticked)
            if check.missed == 0:
                st.success(RESULT_NOTHING_MISSED)
            else:
                lines = [RESULT.format(caught=check.caught, missed=check.missed)]
                if check.missed_exculpatory:
                    lines.append(RESULT_EXCUL.format(caught=check.caught_exculpatory,
                                                     missed=check.missed_exculpatory))
                else:
                    lines.append(RESULT_EXCUL_NONE)
                if check.not_key:
                    lines.append(RESULT_NOT_KEY.format(n=check.not_key))
                st.success("  \n".join(lines))
            st.caption(RESULT_READ)

# Across all the case files.
fairness_panel(outcome, metrics=["false_negative_rate", "selection_rate"],
               title=FAIRNESS_TITLE.format(n=outcome.n_cases))
if config.mitigation == "threshold_optimizer":
    st.info(FIX_LENGTH.format(share=per_100(outcome.summary_share),
                              asked=per_100(config.summary_ratio)))

st.subheader(EXCUL_TITLE)
total, lost = outcome.exculpatory_total, outcome.exculpatory_lost
if sum(total.values()) == 0:
    st.write(EXCUL_NONE)
else:
    st.markdown(EXCUL_TEXT.format(
        n=outcome.n_cases, total=sum(total.values()), lost=sum(lost.values()),
        lost_a=lost["A"], total_a=total["A"], lost_b=lost["B"], total_b=total["B"],
    ))
st.markdown(f"**{BY_FACT_TITLE}**")
reading = BY_FACT_READING.format(a=per_100(outcome.exculpatory_recall["A"]),
                                 b=per_100(outcome.exculpatory_recall["B"]))
draw(spec_for(outcome, "by_fact", lambda: by_fact_chart(outcome.recall_by_fact)),
     alt_text=reading)
st.caption(reading)

with st.expander(WHY_TITLE, expanded=False):
    st.markdown(WHY)
with st.expander(HOW_TITLE):
    st.markdown(HOW)
with st.expander(SOURCES_TITLE):
    st.markdown(SOURCES)

metrics = summary(outcome)
metrics["summary_share"] = round(outcome.summary_share, 4)
for g in ("A", "B"):
    metrics[f"exculpatory_total[{g}]"] = total[g]
    metrics[f"exculpatory_lost[{g}]"] = lost[g]
if check is not None:
    metrics["officer_caught"] = check.caught
    metrics["officer_missed"] = check.missed
st.session_state[f"{KEY}.shown"] = {"config": config.to_dict(), "metrics": metrics}
reaction_box("evidence", config.to_dict(), metrics)
