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

from simulators.evidence import (
    FAIR_HISTORY,
    NOT_LEARNING,
    OWN_WORDS,
    SAME_WORDS,
    EvidenceConfig,
    EvidenceOutcome,
    officer_check,
    toy_sizes,
)
from simulators.messages import N_
from ui import decide
from ui.charts import TABLE, draw, spec_for, template
from ui.derived import derived
from ui.fairness_panel import figures_of
from ui.figures import GROUP_COLOURS, per_100, points_text
from ui.i18n import _, lang, ngettext, num
from workshop.i18n import translator

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


def _counts(left_out: dict[str, float]) -> dict[str, int | None]:
    return {g: per_100(v) for g, v in left_out.items()}


def _gap(counts: dict[str, int | None]) -> int | None:
    if counts["A"] is None or counts["B"] is None:
        return None
    return abs(counts["A"] - counts["B"])


def _n(count: int | None) -> str:
    return "–" if count is None else num(count)


# ----------------------------------------------------------------------------- what compares


def strip_note(config: EvidenceConfig, outcome: EvidenceOutcome) -> str:
    """One line under the strip: the same case files with the fix off, or with fair old
    summaries; or why 'Bias in the old summaries' changes nothing here."""
    t = translator(lang())
    lines = []
    if outcome.without_fix is not None:
        lines.append(_("Without the fix, on the same case files: {gap}.").format(
            gap=points_text(_gap(_counts(outcome.without_fix.left_out)), t)))
    if outcome.fair_history is not None:
        lines.append(_("With fair old summaries, on the same case files: {gap}.").format(
            gap=points_text(_gap(_counts(outcome.fair_history.left_out)), t)))
    elif outcome.history_route == NOT_LEARNING and config.label_bias > 0:
        lines.append(_("'Bias in the old summaries' changes nothing here: this AI does not "
                       "learn from them."))
    return " ".join(lines)


#: How many points old bias must add to the gap before the page says it reaches group B.
REACHES = 5


def history_note(outcome: EvidenceOutcome) -> None:
    """Can the bias in old summaries reach these summaries? Said from the settings (the
    method, how differently group B words things), then shown on the same case files
    summarised after fair old summaries."""
    route = outcome.history_route
    question = _("Can the old summaries' bias reach these summaries?")
    if route == NOT_LEARNING:
        st.info(f"**{question}** " + _(
            "No: this AI picks what the rest of the file repeats and never reads old "
            "summaries, so 'Bias in the old summaries' changes nothing. Choose 'Learns from "
            "old summaries' to see what it does."), icon="🗂️")
        return
    words = _n(per_100(outcome.own_words_share))
    history = _counts(outcome.history_left_out)
    hist_a, hist_b = _n(history["A"]), _n(history["B"])
    if route == FAIR_HISTORY:
        st.info(f"**{question}** " + _(
            "This AI learns from old summaries, and here they were fair: the analysts left "
            "out {hist_a} in 100 of group A's key facts and {hist_b} in 100 of group B's. "
            "Move 'Bias in the old summaries' up: the AI can only copy that bias onto "
            "sentences it can tell apart by their words, and here {words} in 100 of group "
            "B's sentences are in their own words.").format(
                hist_a=hist_a, hist_b=hist_b, words=words), icon="🗂️")
        return
    if route == SAME_WORDS:
        lines = [_("The analysts left out {hist_b} in 100 of group B's key facts, against "
                   "{hist_a} in 100 of group A's. But here group B use the same words as "
                   "group A, so the AI can hardly tell whose sentence is whose.").format(
                       hist_a=hist_a, hist_b=hist_b)]
    else:
        assert route == OWN_WORDS
        lines = [_("The analysts left out {hist_b} in 100 of group B's key facts, against "
                   "{hist_a} in 100 of group A's, and here {words} in 100 of group B's "
                   "sentences are in their own words: the AI can learn that sentences worded "
                   "like theirs were left out, and leave them out again.").format(
                       hist_a=hist_a, hist_b=hist_b, words=words)]
    now = figures_of(outcome).counts["false_negative_rate"]
    fair = _counts(outcome.fair_history.left_out)
    lines.append(_("On the same case files, this summary leaves out {a} in 100 of group A's "
                   "key facts and {b} in 100 of group B's; after fair old summaries it would "
                   "leave out {fair_a} and {fair_b}.").format(
                       a=_n(now.get("A")), b=_n(now.get("B")), fair_a=_n(fair["A"]),
                       fair_b=_n(fair["B"])))
    if None not in (now.get("A"), now.get("B"), fair["A"], fair["B"]):
        added = (now["B"] - now["A"]) - (fair["B"] - fair["A"])
        worse_a = now["A"] - fair["A"] >= REACHES
        if added >= REACHES:
            lines.append(_("So the old bias does reach group B here: it widens the gap by "
                           "{points}.").format(points=points_text(added, translator(lang()))))
            if worse_a:
                lines.append(_("It makes group A's summaries worse too."))
        else:
            lines.append(_("So the old bias cannot single out group B here.")
                         if route == SAME_WORDS else
                         _("So the old bias barely reaches group B here."))
            if worse_a and now["B"] - fair["B"] >= REACHES:
                lines.append(_("It makes the summaries worse for both groups, though: the AI "
                               "learned that key facts were often left out, whoever gave "
                               "them."))
            lines.append(_("Move 'How differently group B words things' up to see the old "
                           "bias find group B.") if route == SAME_WORDS
                         or outcome.own_words_share < 0.5 else
                         _("Move 'Bias in the old summaries' up to see it find group B."))
    st.info(f"**{question}**  \n" + "  \n".join(lines), icon="🗂️")


def fix_note(outcome: EvidenceOutcome) -> None:
    """What the fix changed, on the same case files without it: each group's key facts
    left out, the length of the summaries (and, if it grew, what that length alone
    does), and what the fix left to chance."""
    before = outcome.without_fix
    if before is None:
        return
    now = figures_of(outcome).counts["false_negative_rate"]
    was = _counts(before.left_out)
    lines = [_("Without the fix, on the same case files, the summary left out {a0} in 100 "
               "of group A's key facts and {b0} in 100 of group B's; with it, {a} and "
               "{b}.").format(a0=_n(was["A"]), b0=_n(was["B"]), a=_n(now.get("A")),
                              b=_n(now.get("B")))]
    share, share0 = per_100(outcome.summary_share), per_100(before.summary_share)
    if share > share0:
        lines.append(_("The summaries get longer: they keep {share} in 100 sentences, against "
                       "{before} without the fix, so there is more for an officer to "
                       "read.").format(share=num(share), before=num(share0)))
    elif share < share0:
        lines.append(_("The summaries get shorter: they keep {share} in 100 sentences, against "
                       "{before} without the fix.").format(share=num(share),
                                                           before=num(share0)))
    else:
        lines.append(_("The summaries stay as long: {share} in 100 sentences.").format(
            share=num(share)))
    if outcome.same_length is not None and share != share0:
        same = _counts(outcome.same_length.left_out)
        lines.append(_("Some of that change comes only from longer summaries: without the "
                       "fix, summaries as long would leave out {a} in 100 of group A's key "
                       "facts and {b} in 100 of group B's.").format(a=_n(same["A"]),
                                                                    b=_n(same["B"])))
    chance = per_100(outcome.chance_share)
    if chance:
        lines.append(_("The fix left {n} in 100 witness sentences to chance: for sentences "
                       "near its bar it tosses a weighted coin, so another run could keep "
                       "different ones.").format(n=num(chance)))
    elif outcome.chance_share > 0:
        lines.append(_("The fix left fewer than 1 in 100 witness sentences to chance: for "
                       "sentences near its bar it tosses a weighted coin."))
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
    total = outcome.exculpatory_total
    left = _counts(outcome.left_out_by_fact.loc["exculpatory"].to_dict())
    if sum(total.values()) == 0:
        st.write(_("In these case files no witness gave a fact that points away from the "
                   "arrested person."))
    else:
        st.markdown(_(
            "Across the {n} case files, witnesses gave **{total}** sentences that point away "
            "from the person arrested: {total_a} from group A and {total_b} from group "
            "B.").format(n=num(outcome.n_cases), total=num(sum(total.values())),
                         total_a=num(total["A"]), total_b=num(total["B"])))
    if left["A"] is None or left["B"] is None:
        reading = _("Too few of these facts came from one of the groups to compare them.")
    else:
        reading = _("Of the facts that point away from the arrested person, the summaries "
                    "left out {a} in 100 from group A and {b} in 100 from group B.").format(
                        a=num(left["A"]), b=num(left["B"]))
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


def background() -> None:
    st.markdown("**" + _("Why this matters") + "**")
    st.markdown(_(WHY))
    st.markdown("**" + _("How this toy works") + "**")
    st.markdown(_(HOW).format(**{k: num(v) for k, v in toy_sizes().items()}))
    st.markdown("**" + _("Sources") + "**")
    st.markdown(_(SOURCES))
