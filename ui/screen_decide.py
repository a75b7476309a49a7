"""The Screen's panels of the room against the AI: everyone's own decisions beside the
AI's on the same cases, per group, in the Screen's type (HTML for ``ui.screen.turns``).

Counts, not just shares ("3 of 14"), from ``workshop.room_vs_ai``, and beside each
difference between the room and the AI whether chance alone could make it. Nothing
private: no names, no single person's decisions.
"""

from __future__ import annotations

import html

from simulators import decide, registry
from ui.i18n import _, lang, num
from ui.store import get_store
from workshop import analysis, room_vs_ai
from workshop.i18n import translator
from workshop.store import StoreUnavailable, WorkshopNotFound

#: Marks a measure on which the room and the AI are further apart than chance makes.
MARK = "✱"


def _beyond_chance(c: dict | None) -> bool:
    """Whether the room and the AI are further apart than chance alone usually makes."""
    return c is not None and c["difference"] is not None and not c["could_be_chance"]


def _table(columns: list[str], measures: list[str], cells: list[list[str]]) -> str:
    """A measure a row, a column each for whoever decided (the AI's shaded); every
    cell escaped."""
    head = "<th></th>" + "".join(
        f'<th scope="col"{" class=ai" if i % 2 else ""}>{html.escape(c)}</th>'
        for i, c in enumerate(columns))
    rows = "".join(
        f'<tr><th scope="row">{html.escape(m)}</th>' + "".join(
            f'<td{" class=ai" if i % 2 else ""}>{html.escape(v)}</td>'
            for i, v in enumerate(values)) + "</tr>"
        for m, values in zip(measures, cells, strict=True))
    return f'<table class="vs"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def panels(code: str, use_case: str) -> list[tuple[str, str]]:
    """The room against the AI on ``use_case``'s cases, once the room has decided
    some: everyone's decisions and the AI's on the same cases, then the room's
    majority per case and the AI's on those; ``(heading, html)`` for the Screen."""
    role = decide.role(use_case)
    if role is None:
        return []
    try:
        decisions = get_store().decisions(code, use_case)
    except (StoreUnavailable, WorkshopNotFound):
        return []
    if decisions.empty:
        return []
    t = translator(lang())
    result = analysis.people_vs_ai(decisions)
    head, rows = room_vs_ai.table(t, result, role.key)
    groups = sorted({g for e in ("people", "ai") for g in result[e]["harmed"]})
    beyond = [_beyond_chance(result["chance"].get(k)) for k in ("accuracy", *groups)]
    measures = [f"{m} {MARK}" if b else m for m, b in zip(head[1:], beyond, strict=True)]
    by_row = list(zip(*(r[1:] for r in rows), strict=True))  # a measure a row
    title = html.escape(_("The room against the AI, on the same cases"))
    chance = (_("{mark} a gap bigger than chance alone makes at these numbers; a gap "
                "without {mark} could be chance.") if any(beyond)
              else _("Each gap here could be chance at these numbers."))
    everyone = _table([rows[0][0], rows[1][0]], measures, [list(r[:2]) for r in by_row])
    pooled = _table([rows[2][0], rows[3][0]], head[1:], [list(r[2:]) for r in by_row])
    notes = [room_vs_ai.counts_line(t, result, role.key),
             *([t.gettext(room_vs_ai.STUDY)] if role.draws else [])]  # alone, as studied
    return [(title, everyone + _note(chance.format(mark=MARK))), (title, _note(notes[0])),
            (title, pooled),
            *((title, _note(n)) for n in notes[1:])]


def _note(text: str) -> str:
    return f'<div class="note">{html.escape(text)}</div>'


def results(code: str) -> list[str]:
    """For the closing slide: for each use of AI the room decided cases of, how many
    it decided right and how many the AI did, on the same cases (HTML)."""
    try:
        decisions = get_store().decisions(code)
    except (StoreUnavailable, WorkshopNotFound):
        return []
    out = []
    for use_case in registry.USE_CASES.values():
        role = decide.role(use_case.name)
        mine = decisions[decisions["use_case"] == use_case.name] if not decisions.empty \
            else decisions
        if role is None or not role.draws or mine.empty:
            continue
        result = analysis.people_vs_ai(mine)
        out.append(f"<b>{html.escape(use_case.icon + ' ' + _(use_case.title))}.</b> "
                   + html.escape(_("The room decided {room} of {n} right; the AI, {ai} of the "
                                   "same {n}.").format(room=num(result["people"]["right"]),
                                                      ai=num(result["ai"]["right"]),
                                                      n=num(result["people"]["n"]))))
    return out
