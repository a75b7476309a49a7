"""The room against the AI, in words: the table and sentences the phone, the Screen and
the report all show from ``workshop.analysis.people_vs_ai``, in any language.

Every number comes from the result it is given, as counts ("3 of 14"), and every
difference between the room and the AI is said with the band chance alone makes at
those counts: "could be chance" when it is inside it.
"""

from __future__ import annotations

from typing import Any

from simulators.messages import N_
from simulators.terms import Terms
from workshop.i18n import Translator

#: Per role (``simulators.decide.Role.key``): the harm counted for one group, the
#: cases, and who "the room" is when it checks the AI rather than deciding alone.
HARM = {
    "call_handler": N_("Urgent calls from {group} left to wait"),
    "custody_officer": N_("People in {group} wrongly labelled high risk"),
    "officer_check": N_("Key facts from {group}'s witnesses left out"),
}
CASES = {
    "call_handler": N_("Different calls decided: {cases}."),
    "custody_officer": N_("Different people judged: {cases}."),
    "officer_check": N_("Different sentences checked: {cases}."),
}
ROWS = {
    "people": N_("The room"),
    "ai": N_("The AI, same cases"),
    "majority": N_("The room's majority"),
    "majority_ai": N_("The AI, those cases"),
}
CHECK_ROWS = {
    "people": N_("Summary checked by the room"),
    "ai": N_("Summary alone"),
    "majority": N_("Checked by the majority"),
    "majority_ai": N_("Summary alone, those cases"),
}
RIGHT = N_("Right decisions")
OF = N_("{k} of {n}")
STUDY = N_("In one US study (Dressel and Farid, 2018), people with no training were about "
           "as accurate as a commercial risk tool, about 63 in 100 against 65, and their "
           "pooled answers a little better, about 67.")


def harm_head(t: Translator, role: str, group: str) -> str:
    return t.gettext(HARM[role]).format(group=t.gettext(Terms().group(group)))


def _of(t: Translator, k: int, n: int) -> str:
    return t.gettext(OF).format(k=t.number(k), n=t.number(n)) if n else "–"


def table(t: Translator, result: dict[str, Any], role: str
          ) -> tuple[list[str], list[list[str]]]:
    """A header and rows: the room (everyone's decisions), the AI on the same cases,
    the room's majority (one per case) and the AI on those cases; each with its right
    decisions and each group's harm."""
    groups = sorted({g for e in ("people", "ai") for g in result[e]["harmed"]})
    header = ["", t.gettext(RIGHT), *(harm_head(t, role, g) for g in groups)]
    names = CHECK_ROWS if role == "officer_check" else ROWS
    entries = [("people", result["people"]), ("ai", result["ai"]),
               ("majority", result["majority"]), ("majority_ai", result["majority"]["ai"])]
    rows = []
    for key, e in entries:
        cells = [_of(t, e["right"], e["n"])]
        cells += [_of(t, *e["harmed"].get(g, (0, 0))) for g in groups]
        rows.append([t.gettext(names[key]), *cells])
    return header, rows


def counts_line(t: Translator, result: dict[str, Any], role: str) -> str:
    """How many people decided, how many different cases, and the majority's ties."""
    out = [t.gettext("People who decided: {people}.").format(
        people=t.number(result["people_count"])),
        t.gettext(CASES[role]).format(cases=t.number(result["cases"]))]
    ties = result["majority"]["ties"]
    if ties:
        out.append(t.ngettext(
            "The room split evenly on {n} of them, so it has no majority there.",
            "The room split evenly on {n} of them, so it has no majority there.",
            ties).format(n=t.number(ties)))
    return " ".join(out)


def chance_lines(t: Translator, result: dict[str, Any], role: str) -> list[str]:
    """Each difference between the room and the AI, and whether chance could make it."""
    lines = []
    for key, c in result["chance"].items():
        if c["difference"] is None:
            continue
        what = t.gettext(RIGHT) if key == "accuracy" else harm_head(t, role, key)
        d = round(100 * abs(c["difference"]))
        band = round(100 * (c["band"] or 0))
        if d == 0:
            lines.append(t.gettext("{what}: the room and the AI did the same.").format(
                what=what))
        elif c["could_be_chance"]:
            lines.append(t.gettext(
                "{what}: the room and the AI are {d} in 100 apart, which could be chance "
                "at these numbers (chance alone makes up to about {band}).").format(
                what=what, d=t.number(d), band=t.number(band)))
        else:
            lines.append(t.gettext(
                "{what}: the room and the AI are {d} in 100 apart, more than chance alone "
                "usually makes at these numbers (about {band}).").format(
                what=what, d=t.number(d), band=t.number(band)))
    return lines
