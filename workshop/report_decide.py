"""The report's part on the room against the AI: for a use of AI whose cases people
decided themselves ("decide first", or the officer's check of a summary), everyone's
decisions beside the AI's on exactly the same cases, per group, with counts and what
chance alone could make (``workshop.room_vs_ai``)."""

from __future__ import annotations

from simulators import decide, registry
from workshop import analysis, room_vs_ai
from workshop.i18n import Translator
from workshop.report_charts import Document, table, table_height
from workshop.report_data import Data

WIDTHS = [1.9, 1.05, 1.7, 1.7]


def decide_part(doc: Document, t: Translator, d: Data, use_case: registry.UseCase) -> None:
    """The room against the AI on ``use_case``'s cases; a line if nobody decided any."""
    role = decide.role(use_case.name)
    mine = d.decisions[d.decisions["use_case"] == use_case.name] if not d.decisions.empty \
        else d.decisions
    if role is None or (mine.empty and not role.draws):
        return
    doc.heading(t.gettext("The room against the AI"), 3)
    if mine.empty:
        doc.paragraph(t.gettext("Nobody decided cases of this use of AI themselves."))
        return
    result = analysis.people_vs_ai(mine)
    doc.paragraph(t.gettext(
        "Before seeing what the AI did, people decided some of its cases themselves. Each "
        "person's latest decision on each case counts, and the AI is scored on exactly the "
        "same cases; the majority is the room's most common decision on each case.")
        if role.draws else t.gettext(
        "People checked the AI's summary of a case file: what it left out that an "
        "investigator must not miss. The summary they checked is scored beside the "
        "summary alone, on the same sentences."), 9.5)
    header, rows = room_vs_ai.table(t, result, role.key)
    widths = WIDTHS[:len(header)]
    doc.chart(table_height(header, rows, widths),
              lambda fig, box: table(fig, box, header, rows, widths),
              room_vs_ai.counts_line(t, result, role.key))
    doc.bullets(room_vs_ai.chance_lines(t, result, role.key), 9.5)
    if role.draws:
        doc.paragraph(t.gettext(room_vs_ai.STUDY), 8.5)
