"""The Screen's slide of the room against the AI: everyone's own decisions beside the
AI's on the same cases, per group, in type that reads from the back of the room.

Counts, not just shares ("3 of 14"), and a sentence per difference saying whether
chance alone could make it (``workshop.room_vs_ai``). Nothing private: no names,
no single person's decisions.
"""

from __future__ import annotations

import html

import streamlit as st

from simulators import decide
from ui.decide import html_table
from ui.i18n import _, lang
from ui.store import get_store
from workshop import analysis, room_vs_ai
from workshop.i18n import translator
from workshop.store import StoreUnavailable, WorkshopNotFound

CSS = """
<style>
  .vs-title { font-size: 1rem; font-weight: 700; margin: 0 0 0.2rem 0; }
  .vs-table { border-collapse: collapse; width: 100%; font-size: 1rem; line-height: 1.15; }
  .vs-table th { font-size: 0.7rem; font-weight: 600; text-align: right;
                 padding: 0.1rem 0.3rem; vertical-align: bottom; }
  .vs-table td { text-align: right; padding: 0.15rem 0.3rem; border-top: 2px solid #D5DBE3;
                 font-variant-numeric: tabular-nums; font-weight: 700; white-space: nowrap; }
  .vs-table td:first-child, .vs-table th:first-child { text-align: left; font-weight: 400;
                 white-space: normal; }
  .vs-table tbody tr:nth-child(even) td { background: #F1F4F8; }  /* the AI's rows */
  .vs-note { font-size: 0.72rem; line-height: 1.25; margin: 0.25rem 0 0 0; }
  @media (max-height: 800px) {
    .vs-title { font-size: 0.8rem; } .vs-table { font-size: 0.7rem; }
    .vs-table th { font-size: 0.5rem; } .vs-note { font-size: 0.5rem; }
  }
</style>
"""


def has_slide(code: str, use_case: str) -> bool:
    """Whether the room has decided cases of this use case: the slide has something."""
    if not decide.supports(use_case):
        return False
    try:
        return not get_store().decisions(code, use_case).empty
    except (StoreUnavailable, WorkshopNotFound):
        return False


def slide(code: str, use_case: str) -> None:
    """The room against the AI on ``use_case``'s cases, for the projector."""
    decisions = get_store().decisions(code, use_case)
    role = decide.role(use_case).key
    t = translator(lang())
    result = analysis.people_vs_ai(decisions)
    st.html(CSS)
    title = html.escape(_("The room against the AI, on the same cases"))
    notes = [room_vs_ai.counts_line(t, result, role),
             *room_vs_ai.chance_lines(t, result, role)]
    st.html(f'<p class="vs-title">{title}</p>'
            + html_table(*room_vs_ai.table(t, result, role), css="vs-table")
            + "".join(f'<p class="vs-note">{html.escape(n)}</p>' for n in notes))
