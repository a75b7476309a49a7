"""The Screen's slides for transparency and oversight, in the Screen's large type:
the room's tally on a tool's public record, the ethics panel's verdicts and the
conditions chosen most, and what people's words are about. Approved text only; no
names; every number counted from the room's latest answers."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from simulators import registry
from simulators.transparency import PANEL, SECTIONS
from ui.i18n import _, ngettext
from ui.panel import monitor, monitor_reading, reviewed
from ui.screen import _bar as bar
from workshop import analysis
from workshop.themes import THEMES
from workshop.vocabulary import ENOUGH, PANEL_CONDITIONS, VERDICTS

CSS = """
<style>
  .screen-oversight h4 { font-size: 0.9rem; margin: 0.3rem 0 0.2rem 0; }
  .screen-oversight .screen-answer { grid-template-columns: 1fr 7rem 1.8rem;
    font-size: 0.8rem; }
  .screen-oversight .screen-quote { font-size: 0.8rem; }
</style>
"""


def _block(title: str, rows: str) -> None:
    st.html(f'{CSS}<div class="screen-oversight"><h4>{html.escape(title)}</h4>{rows}</div>')


def record_tally(results: pd.DataFrame, use_case: str) -> None:
    """On the use-case slide: how many say the public must be told each part of the
    tool's record, and whether the record would be enough to accept the tool."""
    mine = results[results["use_case"] == use_case] if not results.empty else results
    if mine.empty:
        return
    tally = analysis.record_tally(mine, list(SECTIONS))
    rows = "".join(bar(_(SECTIONS[r.section][0]), r.yes, r.answered)
                   for r in tally.itertuples())
    enough = analysis.counts_of(mine["enough"].dropna(), list(ENOUGH))
    _block(_("📋 Its public record: must the public be told this part? (people saying "
             "yes)"), rows)
    _block(_("Would the record be enough to accept its use?"),
           "".join(bar(_(ENOUGH[k]), int(n), int(enough.sum())) for k, n in enough.items()))


def panel_slide(results: pd.DataFrame) -> None:
    """The ethics panel stage: the monitor the room reviews, the verdicts so far, the
    conditions chosen most, and conditions people wrote that the facilitator approved."""
    use_case, _config, outcome = reviewed()
    mine = results[results["use_case"] == use_case.name] if not results.empty else results
    st.markdown("## " + _("⚖️ The ethics panel: {tool} after {days} days").format(
        tool=_(registry.get(PANEL.use_case).title), days=PANEL.days))
    left, right = st.columns([1.15, 1], gap="large")
    with left:
        monitor(outcome, height=300)
        st.markdown(monitor_reading(outcome))
    with right:
        verdicts = analysis.counts_of(mine["verdict"], list(VERDICTS)) if not mine.empty \
            else pd.Series(0, index=list(VERDICTS))
        total = int(verdicts.sum())
        _block(ngettext("The panel's advice ({n} person)", "The panel's advice ({n} people)",
                        total).format(
            n=total), "".join(bar(_(VERDICTS[k]), int(n), total) for k, n in verdicts.items()))
        chosen = analysis.conditions_chosen(mine, list(PANEL_CONDITIONS)) if not mine.empty \
            else pd.Series(dtype=int)
        if not chosen.empty:
            _block(_("Conditions chosen most"), "".join(
                bar(_(PANEL_CONDITIONS[k]), int(n), total) for k, n in chosen.head(4).items()))
        written = mine[(mine["status"] == "approved") & (mine["own_condition"] != "")] \
            if not mine.empty else mine
        if not written.empty:
            _block(_("In people's own words"), "".join(
                f'<div class="screen-quote">{html.escape(text)}</div>'
                for text in written["own_condition"].tail(2)))
        if total == 0:
            st.markdown(_("Advice appears here as people send it from their phones."))


def themes_view(texts: pd.DataFrame, examples: int = 2) -> None:
    """What people's words are about: how many comments, pieces of advice and written
    conditions touch each theme (hidden text left out), with an approved example of
    the most frequent."""
    counts = analysis.theme_tally(texts, list(THEMES))
    if counts.empty:
        return
    shown = texts[texts["status"] != "hidden"]
    rows = "".join(bar(_(THEMES[k]), int(n), len(shown)) for k, n in counts.head(5).items())
    _block(ngettext("What people's words are about ({n} text)",
                    "What people's words are about ({n} texts)", len(shown)).format(
                        n=len(shown)), rows)
    approved = shown[shown["status"] == "approved"]
    quotes = []
    for theme in counts.index:
        about = approved[approved["themes"].map(lambda ts, t=theme: t in ts)]
        if not about.empty:
            quotes.append(f'<div class="screen-quote"><b>{html.escape(_(THEMES[theme]))}:'
                          f"</b> {html.escape(about['text'].iloc[-1])}</div>")
        if len(quotes) == examples:
            break
    if quotes:
        _block(_("For example"), "".join(quotes))
