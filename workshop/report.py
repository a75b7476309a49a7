"""What a facilitator takes home after the room: the workshop's report, as a PDF.

``build_report(store, code)`` follows the dialogue's arc: first views and final views,
each use of AI (how comfort moved when people tried it, the themes they raised, what
was on their screen when they answered, and the room's own decisions against the
AI's on the same cases), the open questions, the advice and how it
was voted on, the opinion groups in the votes, the comments the facilitator approved,
and, for a workshop in a series, each person's views across the workshops.

Honest numbers: every sentence that quotes a number is built from the data it
describes, and says what it leaves out (skips, people who answered only once, text
the facilitator did not approve). Nobody is named unless the facilitator asks
(``names=True``, their made-up nicknames); participant ids and return codes never
appear. Every sentence goes through the translator, with English message ids.

From the command line (``DATABASE_URL`` as for the app)::

    python -m workshop.report CODE -o report.pdf [--lang cy] [--names]
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from simulators import registry
from simulators.config import Setting, settings_of
from simulators.messages import N_
from workshop import analysis
from workshop.i18n import Translator
from workshop.report_charts import GREY, Document, bars, comfort_pair, paper
from workshop.report_data import OVERALL, OVERALL_TITLE, Data, comfort_label, stage_name
from workshop.report_decide import decide_part
from workshop.report_oversight import panel_section, record_section, themes_section
from workshop.report_parts import (
    advice_section,
    comments_section,
    groups_section,
    questions_section,
    series_section,
)
from workshop.vocabulary import COMFORT, EXTRA_QUESTIONS, THEMES

if TYPE_CHECKING:
    from workshop.store import Store

SECTIONS = [
    OVERALL_TITLE,
    N_("The dialogue across the workshops"),
    N_("Trying the uses of AI"),
    N_("The tools' public records"),
    N_("The ethics panel"),
    N_("The open questions"),
    N_("Our advice"),
    N_("Opinion groups"),
    N_("What people said"),
    N_("What people's words were about"),
]
#: Settings not worth a line in the report: the made-up world's number.
UNTOLD = {"seed"}
__all__ = ["build_report", "main"]


# -- the cover ------------------------------------------------------------------------


def _when(t: Translator, d: Data) -> str:
    start = d.workshop.created_at
    end = d.workshop.closed_at or d.last_activity() or start
    if start.date() == end.date():
        return t.gettext("Held on {date}.").format(date=t.date(start, with_time=False))
    return t.gettext("Held from {start} to {end}.").format(
        start=t.date(start, with_time=False), end=t.date(end, with_time=False))


def mode_sentence(t: Translator, mode: str) -> str:
    return (t.gettext("This workshop was held online.") if mode == "online"
            else t.gettext("This workshop was held in person."))


def cover(doc: Document, t: Translator, d: Data, names: bool) -> None:
    doc.new_page()
    doc.paragraph(t.gettext("Workshop report: AI in policing"), 11, color=GREY)
    doc.heading(d.workshop.title, 0)
    doc.paragraph(" ".join([_when(t, d), mode_sentence(t, d.workshop.mode)]), 11)
    if d.series:
        codes = [w["code"] for w in d.series["workshops"]]
        doc.paragraph(t.gettext("It is workshop {number} of {total} in the series “{name}”.")
                      .format(number=codes.index(d.code) + 1, total=len(codes),
                              name=d.series["name"]), 11)
    doc.space(0.15)
    doc.heading(t.gettext("What was collected"), 2)
    people = d.counts["participants"]
    answered = d.reactions["participant_id"].nunique() if not d.reactions.empty else 0
    skips = int(d.reactions["skipped"].sum()) if not d.reactions.empty else 0
    approved = int((d.advice["status"] == "approved").sum()) if not d.advice.empty else 0
    shown_comments = int((d.comments["status"] == "approved").sum())
    doc.bullets([
        t.ngettext("{n} person joined.", "{n} people joined.", people).format(
            n=t.number(people)),
        t.ngettext("{n} of them answered at least one question about how comfortable they "
                   "would be.", "{n} of them answered at least one question about how "
                   "comfortable they would be.", answered).format(n=t.number(answered)),
        " ".join([
            t.ngettext("{n} answer about comfort was sent in all.",
                       "{n} answers about comfort were sent in all.",
                       d.counts["reactions"]).format(n=t.number(d.counts["reactions"])),
            t.ngettext("{n} of them was a skip.", "{n} of them were skips.", skips).format(
                n=t.number(skips)),
            t.gettext("Where someone answered a question again, this report counts their "
                      "latest.")]),
        t.ngettext("{n} answer to the open questions (each person's latest).",
                   "{n} answers to the open questions (each person's latest).",
                   len(d.answers)).format(n=t.number(len(d.answers))),
        t.ngettext("{n} piece of advice, {approved} of them approved by the facilitator.",
                   "{n} pieces of advice, {approved} of them approved by the facilitator.",
                   len(d.advice)).format(n=t.number(len(d.advice)),
                                         approved=t.number(approved)),
        t.ngettext("{n} vote on advice.", "{n} votes on advice.", len(d.votes)).format(
            n=t.number(len(d.votes))),
        t.ngettext("{n} comment, {approved} of them approved by the facilitator.",
                   "{n} comments, {approved} of them approved by the facilitator.",
                   len(d.comments)).format(n=t.number(len(d.comments)),
                                           approved=t.number(shown_comments)),
    ])
    doc.heading(t.gettext("How to read this report"), 2)
    doc.paragraph(t.gettext(
        "People said how comfortable they would be if the police used each kind of AI, "
        "from 1 (very uncomfortable) to 5 (very comfortable), or skipped the question. "
        "Where someone answered the same question more than once, only their latest "
        "answer counts. Skipped answers are left out of the charts, and each chart says "
        "how many people it counts."))
    doc.paragraph(t.gettext(
        "People's own words (comments, notes and advice) are shown only if the "
        "facilitator approved them, exactly as written."))
    doc.paragraph(t.gettext(
        "The facilitator chose to show people's made-up nicknames next to their words.")
        if names else t.gettext(
        "Nobody is named: people are counted, not listed."))
    doc.heading(t.gettext("Contents"), 2)
    sections = [s for s in SECTIONS if d.series or s != SECTIONS[1]]
    doc.bullets([f"{n}. {t.gettext(s)}" for n, s in enumerate(sections, start=1)], mark="")
    doc.space(0.2)
    doc.paragraph(t.gettext("Made on {date}.").format(date=t.date(datetime.now(UTC))),
                  8.5, color=GREY)


# -- how comfort moved ----------------------------------------------------------------


def movement(doc: Document, t: Translator, d: Data, use_case: str, first: str, then: str,
             names: tuple[str, str]) -> None:
    """Each person's latest answer at ``first`` and at ``then``, paired: a chart of
    both distributions and of the pairs, with sentences saying how many moved and
    who is left out."""
    rows = d.reactions[d.reactions["use_case"] == use_case] if not d.reactions.empty \
        else d.reactions
    pairs = analysis.shifts(rows, first, then) if not rows.empty else pd.DataFrame(
        columns=["before", "after"])
    n = len(pairs)
    if n:
        before = pairs["before"].astype(int)
        after = pairs["after"].astype(int)
        up, down = int((after > before).sum()), int((after < before).sum())
        same = n - up - down
        links = pairs.groupby(["before", "after"]).size()
        caption = " ".join([
            t.ngettext("Of the {n} person who answered both times, {up} became more "
                       "comfortable, {down} less comfortable and {same} did not change.",
                       "Of the {n} people who answered both times, {up} became more "
                       "comfortable, {down} less comfortable and {same} did not change.",
                       n).format(
                n=t.number(n), up=t.number(up), down=t.number(down), same=t.number(same)),
            t.gettext("Their average comfort went from {before} to {after}.").format(
                before=t.number(before.mean(), 1), after=t.number(after.mean(), 1)),
            t.ngettext("{k} of them was comfortable or very comfortable at first, and "
                       "{later} later.", "{k} of them were comfortable or very comfortable "
                       "at first, and {later} later.", int((before >= 4).sum())).format(
                k=t.number(int((before >= 4).sum())),
                later=t.number(int((after >= 4).sum()))),
            t.gettext("Both charts count only these people; in the grid, each number is "
                      "how many of them gave that pair of answers."),
        ])
        levels = list(COMFORT)
        doc.chart(3.0, lambda fig, box: comfort_pair(
            fig, box, [comfort_label(t, c) for c in levels],
            [int((before == c).sum()) for c in levels],
            [int((after == c).sum()) for c in levels],
            {(int(a), int(b)): int(k) for (a, b), k in links.items()}, names,
            (t.gettext("more comfortable"), t.gettext("less comfortable"),
             t.gettext("no change")), t.gettext("People")), caption)
    else:
        doc.paragraph(t.gettext("Nobody has answered both questions yet, so there is no "
                                "movement to show."))
    doc.paragraph(" ".join(_left_out(t, rows, first, then, set(pairs.get(
        "participant_id", pd.Series(dtype=object))))), 9.5)


def _left_out(t: Translator, rows: pd.DataFrame, first: str, then: str,
              paired: set[str]) -> list[str]:
    if rows.empty:
        return []
    latest = analysis.latest_answers(rows)
    latest = latest[latest["stage"].isin([first, then])]
    skipped = set(latest.loc[latest["skipped"].astype(bool), "participant_id"])
    one = set(latest["participant_id"]) - paired - skipped
    out = []
    if skipped:
        out.append(t.ngettext(
            "{n} person who skipped one of the two questions is left out.",
            "{n} people who skipped one of the two questions are left out.",
            len(skipped)).format(n=t.number(len(skipped))))
    if one:
        out.append(t.ngettext(
            "{n} person answered only one of the two and is left out.",
            "{n} people answered only one of the two and are left out.",
            len(one)).format(n=t.number(len(one))))
    return out


def first_and_final(doc: Document, t: Translator, d: Data) -> None:
    doc.new_page()
    doc.heading(t.gettext(SECTIONS[0]), 1)
    doc.paragraph(t.gettext(
        "At the start, before trying anything, people said how comfortable they would be "
        "if the police used AI in their work. At the end they were asked again. This is "
        "how their views moved over the workshop."))
    movement(doc, t, d, OVERALL, "before", "final",
             (stage_name(t, OVERALL, "before"), stage_name(t, OVERALL, "final")))
    answered = d.answered(OVERALL)
    for stage, title in (("before", N_("What mattered to people at first")),
                         ("final", N_("What mattered to people at the end"))):
        mine = answered[answered["stage"] == stage] if not answered.empty else answered
        if not mine.empty:
            themes_part(doc, t, mine, t.gettext(title))


# -- one use of AI --------------------------------------------------------------------


def uses_section(doc: Document, t: Translator, d: Data) -> None:
    """Each use of AI people answered about, a page each; the others named at the end."""
    doc.new_page()
    doc.heading(t.gettext(SECTIONS[2]), 1)
    unanswered, drawn = [], 0
    for use_case in registry.USE_CASES.values():
        answered = d.answered(use_case.name)
        if answered.empty:
            unanswered.append(t.gettext("Nobody answered about “{title}” in this "
                                        "workshop.").format(title=t.gettext(use_case.title)))
            continue
        if drawn:
            doc.new_page()
        drawn += 1
        doc.heading(t.gettext(use_case.title), 2)
        doc.paragraph(t.gettext("A toy version of: {use}.").format(
            use=t.gettext(use_case.dialogue_use)), 9.5, color=GREY)
        doc.heading(t.gettext("Before and after trying it"), 3)
        movement(doc, t, d, use_case.name, "before", "after",
                 (t.gettext("Before"), t.gettext("After")))
        themes_part(doc, t, answered)
        for field, asked in EXTRA_QUESTIONS.get(use_case.name, {}).items():
            extra_part(doc, t, answered, field, asked)
        settings_part(doc, t, answered, use_case)
        decide_part(doc, t, d, use_case)  # the room's own decisions against the AI's
    if unanswered:
        doc.space(0.15)
        doc.paragraph(" ".join(unanswered))


def themes_part(doc: Document, t: Translator, answered: pd.DataFrame,
                title: str | None = None) -> None:
    """Which themes people picked, each person counted once per theme."""
    doc.heading(title or t.gettext("What mattered to people"), 3)
    people = answered["participant_id"].nunique()
    picked = (answered.assign(theme=answered["themes"].fillna("").str.split("; "))
              .explode("theme"))
    picked = picked[picked["theme"].isin(list(THEMES))]
    per_theme = picked.groupby("theme")["participant_id"].nunique().sort_values(
        ascending=False, kind="stable")
    if per_theme.empty:
        doc.paragraph(t.ngettext(
            "None of the {n} person who answered picked a theme.",
            "None of the {n} people who answered picked a theme.", people).format(
                n=t.number(people)))
        return
    none = people - picked["participant_id"].nunique()
    top = per_theme.index[0]
    said = [t.ngettext("Of the {n} person who answered, {k} picked “{theme}”, the theme "
                       "picked most.", "Of the {n} people who answered, {k} picked "
                       "“{theme}”, the theme picked most.", people).format(
        n=t.number(people), k=t.number(int(per_theme.iloc[0])), theme=t.gettext(THEMES[top]))]
    said.append(t.ngettext("People could pick several themes or none; {n} picked none.",
                           "People could pick several themes or none; {n} picked none.",
                           none).format(n=t.number(none)) if none
                else t.gettext("People could pick several themes."))
    caption = " ".join(said)
    doc.chart(0.3 + 0.26 * len(per_theme), lambda fig, box: bars(
        fig, box, [t.gettext(THEMES[k]) for k in per_theme.index],
        [int(v) for v in per_theme]), caption)


def extra_part(doc: Document, t: Translator, answered: pd.DataFrame, field: str,
               asked: tuple[str, str, dict[str, str]]) -> None:
    """How people answered a question asked with the after question (where the time
    an AI saves should go): each person's latest answer after trying it."""
    name, question, choices = asked
    doc.heading(t.gettext(name), 3)
    after = answered[answered["stage"] == "after"]
    column = f"config.{field}"
    given = after[column].dropna() if column in after.columns else pd.Series(dtype=object)
    given = given[given.isin(list(choices))]
    n = len(after)
    if given.empty:
        doc.paragraph(t.gettext("“{question}” Nobody answered this.").format(
            question=t.gettext(question)))
        return
    counts = {c: int((given == c).sum()) for c in choices}
    top = max(counts, key=counts.get)
    caption = " ".join([
        t.gettext("“{question}”").format(question=t.gettext(question)),
        t.ngettext("{k} of the {n} person who answered after trying it answered this.",
                   "{k} of the {n} people who answered after trying it answered this.",
                   n).format(k=t.number(len(given)), n=t.number(n)),
        t.gettext("The answer chosen most: “{choice}” ({k} of {n}).").format(
            choice=t.gettext(choices[top]), k=t.number(counts[top]),
            n=t.number(len(given)))])
    doc.chart(0.25 + 0.36 * len(choices), lambda fig, box: bars(
        fig, box, [t.gettext(label) for label in choices.values()], list(counts.values()),
        label_width=3.2), caption)


def in_units(t: Translator, meta: Setting, value: Any) -> str:
    """A setting's value as people saw it on the slider: 0.3 -> "30 in 100 calls"."""
    if meta.choices is not None:
        return t.gettext(meta.describe(value))
    if isinstance(value, float) and meta.unit is not None:
        return t.gettext(meta.unit).format(n=t.number(round(value * meta.scale, 6)))
    if meta.unit is not None:
        return t.gettext(meta.unit).format(n=t.number(value))
    if isinstance(value, float) and meta.scale != 1:
        return t.gettext("{n} in 100").format(n=t.number(round(value * meta.scale, 6)))
    return t.number(value, 0 if float(value).is_integer() else 2)


def settings_part(doc: Document, t: Translator, answered: pd.DataFrame,
                  use_case: registry.UseCase) -> None:
    """What was on people's screens when they gave their latest answer after trying it."""
    after = answered[answered["stage"] == "after"]
    doc.heading(t.gettext("What they were looking at when they answered"), 3)
    settings = [(name, meta) for name, meta, _d in settings_of(use_case.config_class())
                if name not in UNTOLD and f"config.{name}" in after.columns
                and after[f"config.{name}"].notna().any()]
    if after.empty or not settings:
        doc.paragraph(t.gettext("No answers after trying it recorded the settings."))
        return
    n = len(after)
    doc.paragraph(t.ngettext(
        "Each answer after trying it was saved with the settings on the person's screen. "
        "For the {n} person whose latest answer after trying it was not a skip:",
        "Each answer after trying it was saved with the settings on the person's screen. "
        "For the {n} people whose latest answer after trying it was not a skip:",
        n).format(n=t.number(n)))
    lines = []
    fix = dict(settings).get("mitigation")
    if fix is not None:
        on = after["config.mitigation"].fillna("none") != "none"
        k = int(on.sum())
        lines.append(t.ngettext(
            "{k} of {n} answered with a fix on (“{setting}” was not “{none}”).",
            "{k} of {n} answered with a fix on (“{setting}” was not “{none}”).", n).format(
                k=t.number(k), n=t.number(n), setting=t.gettext(fix.label),
                none=t.gettext(fix.describe("none"))))
        if 0 < k < n:
            lines.append(" ".join([
                t.ngettext("Average comfort with a fix on: {mean} ({k} person).",
                           "Average comfort with a fix on: {mean} ({k} people).", k).format(
                    mean=t.number(after.loc[on, "comfort"].astype(float).mean(), 1),
                    k=t.number(k)),
                t.ngettext("Without one: {mean} ({k} person).",
                           "Without one: {mean} ({k} people).", n - k).format(
                    mean=t.number(after.loc[~on, "comfort"].astype(float).mean(), 1),
                    k=t.number(n - k))]))
    for name, meta in sorted(settings, key=lambda s: not s[1].bias):
        if name == "mitigation":
            continue  # said above
        values = after[f"config.{name}"].dropna()
        if meta.choices is not None:
            top = values.value_counts().index[0]
            line = t.gettext("“{setting}”: most often “{value}” ({k} of {n}).").format(
                setting=t.gettext(meta.label), value=in_units(t, meta, top),
                k=t.number(int((values == top).sum())), n=t.number(len(values)))
        elif values.nunique() == 1:
            line = t.gettext("“{setting}”: {value} for everyone.").format(
                setting=t.gettext(meta.label), value=in_units(t, meta, values.iloc[0]))
        else:
            line = t.gettext("“{setting}”: typically {median} (from {low} to {high}).").format(
                setting=t.gettext(meta.label), median=in_units(t, meta, values.median()),
                low=in_units(t, meta, values.min()), high=in_units(t, meta, values.max()))
        if meta.bias or values.nunique() > 1:
            lines.append(line)
    doc.bullets(lines, 9.5)
    doc.paragraph(t.gettext("Settings that put bias into the made-up data come first; "
                            "settings nobody changed are not listed."), 8.5, color=GREY)


# -- the whole report -----------------------------------------------------------------


def build_report(store: Store, code: str, *, lang: str = "en", names: bool = False) -> bytes:
    """The workshop's report as a PDF (A4, printable in black and white).

    ``names``: show participants' made-up nicknames next to their words (the
    facilitator's choice); otherwise nobody is named. Participant ids and return codes
    are never shown.
    """
    t = Translator(lang)
    d = Data(store, code)
    title = d.workshop.title
    with paper():
        doc = Document(title, lambda n: t.gettext("{title} · page {n}").format(
            title=title, n=n))
        cover(doc, t, d, names)
        first_and_final(doc, t, d)
        if d.series:
            series_section(doc, t, d, SECTIONS[1])
        uses_section(doc, t, d)
        record_section(doc, t, d, SECTIONS[3])
        panel_section(doc, t, d, SECTIONS[4], names)
        questions_section(doc, t, d, SECTIONS[5], names)
        advice_section(doc, t, d, SECTIONS[6], names)
        groups_section(doc, t, d, SECTIONS[7])
        comments_section(doc, t, d, SECTIONS[8], names)
        themes_section(doc, t, d, SECTIONS[9], names)
        return doc.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workshop.report",
        description="Make a workshop's report as a PDF (uses DATABASE_URL like the app).")
    parser.add_argument("code", help="the workshop's join code")
    parser.add_argument("-o", "--output", help="where to write the PDF "
                        "(default: workshop-CODE-report.pdf)")
    parser.add_argument("--lang", default="en", help="en or cy (default: en)")
    parser.add_argument("--names", action="store_true",
                        help="show participants' made-up nicknames next to their words")
    args = parser.parse_args(argv)
    from workshop.errors import WorkshopNotFound
    from workshop.store import Store, normalise_code

    code = normalise_code(args.code)
    store = Store()
    try:
        pdf = build_report(store, code, lang=args.lang, names=args.names)
    except WorkshopNotFound:
        print(f"No workshop with the code {code}.", file=sys.stderr)
        return 2
    finally:
        store.engine.dispose()
    out = args.output or f"workshop-{code}-report.pdf"
    with open(out, "wb") as f:
        f.write(pdf)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
