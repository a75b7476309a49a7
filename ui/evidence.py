"""Summarising evidence: the words and pictures of its page (app_pages/evidence.py).

Every number in a sentence here is read from the outcome on screen (or the config
that made it): counts out of 100 are rounded once, as ``ui.figures`` rounds them, so
a sentence and the strip beside it never disagree.
"""

from __future__ import annotations

import hashlib
import html

import altair as alt
import pandas as pd
import streamlit as st

from simulators.chance import Bands
from simulators.evidence import (
    FAIR_HISTORY,
    NOT_LEARNING,
    EvidenceConfig,
    EvidenceOutcome,
    officer_check,
    toy_sizes,
)
from simulators.messages import N_
from ui import decide
from ui import evidence_claims as says
from ui.charts import TABLE, draw, spec_for, template
from ui.claims import sentences
from ui.derived import derived
from ui.figures import GROUP_COLOURS, per_100
from ui.i18n import _, here, lang, ngettext, num
from ui.use_case_page import Background

KEY = "evidence"
REVEALED_KEY = f"{KEY}.revealed_worlds"  # worlds whose answer this person has seen
PLAYED_KEY = f"{KEY}.played"  # the settings the answer was revealed on
RECORD_COLOUR = "#6B6B6B"
LEFT_OUT_BACKGROUND = "#F1F4F8"
FACT_MARKS = {
    "exculpatory": N_("🛡️ points away from the arrested person"),
    "incriminating": N_("🎯 points to the arrested person"),
    "context": N_("📌 background"),
}
GROUP_MARKS = {"A": "🔵 A", "B": "🔶 B"}
BY_FACT_LABELS = {
    "incriminating": N_("Points to the arrested person"),
    "exculpatory": N_("Points away from them"),
    "context": N_("Background"),
}


def story() -> None:
    st.write(_(
        "Investigators can face hundreds of pages of witness statements, CCTV logs and "
        "notes. An AI can read them all and copy out the sentences it thinks matter most. "
        "Here it summarises made-up case files. Some witnesses, group B, tell the same "
        "facts in a dialect or in simple second-language English; the others, group A, in "
        "standard English. Whose facts make it into the summary?"))
    st.caption(_("The case files are made up, in English, as the toy AI reads English."))


def witness_key() -> None:
    st.caption(_(
        "🔵 **A**: a witness from group A (standard English) · 🔶 **B**: a witness from "
        "group B (dialect or second language) · 📹 CCTV log · 📝 officer's notes"))


# ----------------------------------------------------------------------------- what compares


def strip_note(config: EvidenceConfig, outcome: EvidenceOutcome) -> str:
    """One line under the strip: the same case files with the fix off, or with fair old
    summaries; or why 'Bias in the old summaries' changes nothing here."""
    return sentences(says.strip_note(config, outcome, here()))


def history_note(outcome: EvidenceOutcome, bands: Bands | None) -> None:
    """Can the bias in old summaries reach these summaries? (``evidence_claims``)"""
    lines = [c.text for c in says.history_claims(outcome, bands, here())]
    question = _(says.QUESTION)
    if outcome.history_route in (NOT_LEARNING, FAIR_HISTORY):
        st.info(f"**{question}** " + lines[0], icon="🗂️")
    else:
        st.info(f"**{question}**  \n" + "  \n".join(lines), icon="🗂️")


def fix_note(outcome: EvidenceOutcome, bands: Bands | None) -> None:
    """What the fix changed, on the same case files without it (``evidence_claims``)."""
    lines = [c.text for c in says.fix_claims(outcome, bands, here())]
    if lines:
        st.info("\n".join(f"- {line}" for line in lines), icon="🔧")


# ----------------------------------------------------------------------------- the case file


def token_of(config: EvidenceConfig) -> str:
    return hashlib.sha1(repr(sorted(config.to_dict().items())).encode()).hexdigest()[:10]


def world_of(config: EvidenceConfig) -> str:
    """The settings that decide which case is shown and what its key facts are."""
    return f"{config.seed}/{config.n_cases}/{config.group_b_share}"


def who(row) -> str:
    if row.kind == "cctv":
        return _("📹 CCTV {time}").format(time=row.time)
    if row.kind == "notes":
        return _("📝 Officer's notes")
    return f"{GROUP_MARKS[row.group]} · " + _("Witness {n}").format(n=row.witness)


def sentence_block(rows: pd.DataFrame, *, status: bool, facts: bool) -> str:
    """The sentences as HTML blocks: a coloured edge and a text marker for the source."""
    parts = []
    for row in rows.itertuples():
        labels = [f"{row.position}. {who(row)}"]
        if status:
            labels.append(_("✅ in the summary") if row.included else _("✖️ left out"))
        if facts and row.fact:
            labels.append(_(FACT_MARKS[row.fact]))
        colour = GROUP_COLOURS.get(row.group, RECORD_COLOUR) if row.kind == "witness" \
            else RECORD_COLOUR
        background = "#FFFFFF" if row.included or not status else LEFT_OUT_BACKGROUND
        parts.append(
            f'<div style="border-left:6px solid {colour};background:{background};'
            'padding:4px 10px;margin:4px 0;border-radius:4px;overflow-wrap:anywhere">'
            f'<div style="font-size:0.85em;color:#333333">'
            f"{html.escape(' · '.join(labels))}</div>"
            f"<div>{html.escape(row.text)}</div></div>"
        )
    return "\n".join(parts)


def case_file(outcome: EvidenceOutcome, revealed: bool) -> None:
    case = outcome.case_file
    st.markdown(f"**{html.escape(outcome.case_title)}.** {html.escape(outcome.case_brief)}")
    witness_key()
    summary_col, file_col = st.columns([2, 3])
    with summary_col:
        st.subheader(_("The AI's summary"))
        kept = case[case["included"]]
        st.caption(_("The AI kept {kept} of the file's {total} sentences.").format(
            kept=num(len(kept)), total=num(len(case))))
        st.markdown(derived(outcome, ("summary block", lang(), revealed), lambda: sentence_block(
            kept, status=False, facts=revealed)), unsafe_allow_html=True)
    with file_col:
        st.subheader(_("The whole case file"))
        only_left_out = st.toggle(
            _("Show only what the summary left out"), key=f"{KEY}.only_left_out",
            help=_("Hide the sentences the summary kept, to check what it dropped."))
        st.caption(_("✅ in the summary · ✖️ left out") + (" · " + _(
            "🛡️ points away from the arrested person · 🎯 points to them · 📌 background "
            "an investigator needs. Sentences with no mark are not key facts.")
            if revealed else ""))
        if not revealed:
            st.caption(_("Which sentences are key facts stays hidden until you try 'Be "
                         "the officer'."))
        shown = case[~case["included"]] if only_left_out else case
        if shown.empty:
            st.write(_("The summary kept every sentence of this file."))
        else:
            st.markdown(derived(outcome, ("file block", lang(), revealed, only_left_out),
                                lambda: sentence_block(shown, status=True, facts=revealed)),
                        unsafe_allow_html=True)


# ----------------------------------------------------------------------------- be the officer


def _reveal(world: str, token: str) -> None:
    worlds = st.session_state.setdefault(REVEALED_KEY, [])
    if world not in worlds:
        worlds.append(world)
    st.session_state[PLAYED_KEY] = token


def _play_again(world: str) -> None:
    worlds = st.session_state.setdefault(REVEALED_KEY, [])
    if world in worlds:
        worlds.remove(world)
    st.session_state.pop(PLAYED_KEY, None)


def revealed(config: EvidenceConfig) -> bool:
    return world_of(config) in st.session_state.get(REVEALED_KEY, [])


def be_the_officer(config: EvidenceConfig, outcome: EvidenceOutcome):
    """Tick what the summary should not have dropped, then reveal. Returns the check."""
    case, token, world = outcome.case_file, token_of(config), world_of(config)
    if revealed(config) and st.session_state.get(PLAYED_KEY) != token:
        st.info(_("You have seen the answer for this case, so its marks stay on while you "
                  "move the settings. Change the 'World number' under 'More settings' for a "
                  "new case, or hide the marks to play this one again."))
        st.button(_("Hide the marks and play again"), key=f"{KEY}.play_again",
                  on_click=_play_again, args=(world,))
        return None
    st.write(_("People in the public dialogue said officers should check what an AI gives "
               "them against other information. Try it: read what the summary left out, and "
               "tick each sentence you think an investigator must not miss. Then reveal the "
               "answer."))
    st.markdown("**" + _("Left out of the summary:") + "**")
    ticked = [
        int(row.position) for row in case[~case["included"]].itertuples()
        if st.checkbox(f"{row.position}. {who(row)}: {row.text}",
                       key=f"{KEY}.tick.{token}.{row.position}")
    ]
    if not revealed(config):
        st.button(_("Reveal the answer"), key=f"{KEY}.reveal", type="primary",
                  on_click=_reveal, args=(world, token))
        return None
    check = officer_check(case, ticked)
    if check.missed == 0:
        st.success(_("This summary left out no key facts, so there was nothing to find."))
    else:
        lines = [_("You spotted **{caught} of the {missed}** key facts the summary left "
                   "out.").format(caught=num(check.caught), missed=num(check.missed))]
        if check.missed_exculpatory:
            lines.append(_("{caught} of the {missed} left-out facts that point away from the "
                           "arrested person.").format(caught=num(check.caught_exculpatory),
                                                      missed=num(check.missed_exculpatory)))
        else:
            lines.append(_("None of the facts left out here pointed away from the arrested "
                           "person."))
        if check.not_key:
            lines.append(ngettext("{n} of the sentences you ticked was not a key fact.",
                                  "{n} of the sentences you ticked were not key facts.",
                                  check.not_key).format(n=num(check.not_key)))
        st.success("  \n".join(lines))
    st.caption(_("The marks are now shown in the case file. Facts left out of a summary are "
                 "only found by someone who reads the whole file."))
    decide.officer_room(KEY, config, outcome, ticked)  # the room's checks against the AI
    return check


# ----------------------------------------------------------------------------- across all files


def _by_fact_bars(names: tuple[str, ...], sort: tuple[str, ...], axis: str) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(
        y=alt.Y("fact:N", title=None, sort=list(sort), axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("group:N", sort=list(names)),
        x=alt.X("count:Q", title=axis, scale=alt.Scale(domain=[0, 100])),
        tooltip=["fact:N", "group:N", alt.Tooltip("count:Q", format=".0f")],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("group:N", title=None,
                        legend=alt.Legend(orient="top", direction="vertical", labelLimit=360),
                        scale=alt.Scale(domain=list(names), range=list(GROUP_COLOURS.values())))
    )
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(
        text=alt.Text("count:Q", format=".0f"))
    return (bars + labels).properties(height=alt.Step(22))


def by_fact_chart(outcome: EvidenceOutcome) -> tuple[pd.DataFrame, dict]:
    """Key facts left out, out of every 100, by kind of fact and witness group."""
    table = outcome.left_out_by_fact
    names = {g: _(outcome.terms.group(g)) for g in table.columns}
    facts = {k: _(v) for k, v in BY_FACT_LABELS.items()}
    rows = [{"fact": facts[fact], "group": names[g], "count": per_100(table.loc[fact, g])}
            for fact in BY_FACT_LABELS for g in names]
    data = pd.DataFrame([r for r in rows if r["count"] is not None])
    return data, template(_by_fact_bars, tuple(names.values()), tuple(facts.values()),
                          _("left out, out of every 100"))


def exculpatory(outcome: EvidenceOutcome) -> None:
    total, reading = (c.text for c in says.exculpatory_claims(outcome, here()))
    st.markdown(total)
    st.markdown(f"**{reading}**")  # the chart's reading, above it
    st.markdown("**" + _("Key facts left out, by kind of fact") + "**")
    draw(spec_for(outcome, ("by_fact", lang()), lambda: by_fact_chart(outcome)),
         alt_text=reading)


WHY = N_("""
An AI like this copies out the sentences it rates highest; it does not write new
ones. Two studies of AIs that summarise social media posts found ways they leave
some people out, and this toy builds both in:

- **Dialect.** Keswani and Celis (2021) summarised tweets written in different
  dialects of English with common summarising methods, and found that the summaries
  under-represented the dialect fewer of the writers used.
- **Order.** Olabisi and Agrawal (2024) gave summarising AIs tweets from three
  dialect groups in different orders, and found that the summaries favoured whichever
  group came first; with the tweets shuffled, they did not.

Both studies looked at tweets, not police statements. Carrying their findings over
to witnesses who speak a dialect or learned English as a second language is our own
analogy, made for this workshop; neither study measured second-language English.

A third way is built in too: an AI that learns from old summaries copies what past
analysts tended to leave out, but only for sentences it can tell apart. If group B's
statements are worded just like group A's, it has nothing to single them out by.
""")
HOW = N_("""
- Every case file is made up, from {test_incidents} incidents of {kinds} kinds of
  crime: {min_witnesses} to {max_witnesses} witness statements, a CCTV log and the
  officer's notes. Each sentence is tagged by hand as a key fact (it points to the
  arrested person, points away from them, or is background an investigator needs)
  or not.
- **Picks what the rest of the file repeats**: the AI compares every sentence with
  every other by the words they share, and keeps those most like many others. It
  also gives more weight to sentences near the start of the file, as many
  summarisers do.
- **Learns from old summaries**: the AI studies {history_cases} old case files from
  {training_incidents} other incidents, and the summaries analysts wrote for them, and
  learns which words, positions and lengths got kept. None of the sentences in those
  old files appears in the files it summarises here.
- **A share for every witness**: each statement gets a share of the summary in
  proportion to how much the witness said.
- **A fairer cut-off per group**: Fairlearn's *ThresholdOptimizer* looks at
  {audit_cases} files where every key fact was checked by hand, and sets a different
  bar for each group so that both groups' key facts are kept about as often. It sets
  the bars to make the fewest mistakes on those files, not to keep the summary as
  short as you asked, so summaries often get longer. For sentences near a bar it
  tosses a weighted coin.
- The fairness panel counts every witness sentence once. CCTV and officer's notes can
  be picked for a summary too, but belong to neither group.
""")
SOURCES = N_("""
- Keswani, V. and Celis, L. E. (2021). *Dialect Diversity in Text Summarization on
  Twitter.* Proceedings of the Web Conference 2021. Measured: how often tweets in each
  dialect were picked by common summarising methods.
- Olabisi, O. and Agrawal, A. (2024). *Understanding Position Bias Effects on Fairness
  in Social Multi-Document Summarization.* VarDial Workshop 2024. Measured: how the
  order of three dialect groups' tweets changed whose views the summaries carried.
""")


def background() -> Background:
    return Background(_(WHY), _("How this toy works"),
                      _(HOW).format(**{k: num(v) for k, v in toy_sizes().items()}), _(SOURCES))
