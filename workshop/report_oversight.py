"""The report's parts on transparency and oversight: what the room said of each tool's
public record, the ethics panel's verdicts and conditions, and what people's words
were about. :mod:`workshop.report` puts them in order.

Each person's latest answer counts; written conditions and example texts are shown
only if the facilitator approved them; every number says what it counts.
"""

from __future__ import annotations

from simulators import registry
from simulators.transparency import ALGO_CARE_SOURCE, PANEL, SECTIONS, STANDARD, record
from workshop import analysis
from workshop.i18n import Translator
from workshop.report_charts import GREY, Document, bars
from workshop.report_data import Data, nickname
from workshop.themes import THEMES
from workshop.vocabulary import ENOUGH, PANEL_CONDITIONS, VERDICTS

#: Most approved examples quoted per theme.
EXAMPLES = 2


def _quote(t: Translator, text: str, who: str | None, names: bool) -> str:
    quoted = t.gettext("“{text}”").format(text=text)
    return f"{quoted}\n{nickname(t, who)}" if names and who else quoted


def _share(t: Translator, k: int, n: int) -> str:
    return t.gettext("{k} of {n}").format(k=t.number(k), n=t.number(n))


# -- the tools' public records ----------------------------------------------------------


def record_section(doc: Document, t: Translator, d: Data, title: str) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    doc.paragraph(t.gettext(
        "On each use of AI, people could read the tool's public record, set out like the "
        "UK's {name} ({short}, version {version}) and filled in from the run on their "
        "screen. For each part of it they said whether the public must be told it, and "
        "whether the record would be enough for them to accept the tool's use. Each "
        "person's latest answer per tool counts.").format(
            name=t.gettext(STANDARD["name"]), short=STANDARD["short"],
            version=STANDARD["version"]))
    results = d.records
    if results.empty:
        doc.paragraph(t.gettext("Nobody answered about a tool's record in this workshop."))
        return
    for use_case in registry.USE_CASES.values():
        mine = results[results["use_case"] == use_case.name]
        if mine.empty:
            continue
        doc.heading(t.gettext(use_case.title), 2, keep=2.5)
        tally = analysis.record_tally(mine, list(SECTIONS))
        labels = [t.gettext(SECTIONS[s][0]) for s in tally["section"]]
        said = [t.ngettext("{n} person answered about this record.",
                           "{n} people answered about this record.", len(mine)).format(
            n=t.number(len(mine)))]
        said.append(t.gettext(
            "Each bar counts the people who said the public must be told that part; the "
            "number after it is how many answered about that part."))
        doc.chart(0.3 + 0.3 * len(labels), lambda fig, box, tl=tally, lb=labels: bars(
            fig, box, lb, tl["yes"].tolist(), label_width=2.8,
            values=[_share(t, int(r.yes), int(r.answered)) for r in tl.itertuples()]),
            " ".join(said))
        enough = analysis.counts_of(mine["enough"].dropna(), list(ENOUGH))
        answered = int(enough.sum())
        if answered:
            doc.paragraph(t.gettext(
                "Would this record be enough to accept the police using the tool? Of the "
                "{n} who answered: {yes} yes, {no} no, {unsure} not sure.").format(
                    n=t.number(answered), yes=t.number(int(enough["yes"])),
                    no=t.number(int(enough["no"])), unsure=t.number(int(enough["unsure"]))))


# -- the ethics panel -------------------------------------------------------------------


def panel_section(doc: Document, t: Translator, d: Data, title: str, names: bool) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    tool = t.gettext(registry.get(PANEL.use_case).title)
    doc.paragraph(t.gettext(
        "The room sat as a police force's data ethics panel reviewing the {tool} tool "
        "after {days} days of use: its monitor, its public record and questions under "
        "the eight headings of ALGO-CARE. Each person advised the force to carry on, "
        "carry on with conditions, or pause the tool, and could pick conditions or write "
        "their own. Each person's latest advice counts.").format(
            tool=tool, days=t.number(PANEL.days)))
    doc.paragraph(_monitor(t), 10)
    doc.paragraph(t.gettext(ALGO_CARE_SOURCE), 8.5, color=GREY)
    panel = d.panel[d.panel["use_case"] == PANEL.use_case] if not d.panel.empty else d.panel
    if panel.empty:
        doc.paragraph(t.gettext("Nobody gave the panel's advice in this workshop."))
        return
    counts = analysis.counts_of(panel["verdict"], list(VERDICTS))
    total = int(counts.sum())
    top = counts.idxmax()
    doc.chart(0.3 + 0.3 * len(counts), lambda fig, box: bars(
        fig, box, [t.gettext(VERDICTS[k]) for k in counts.index], counts.tolist(),
        label_width=2.8), t.ngettext(
        "{n} person gave advice; the advice given most: “{verdict}” ({k}).",
        "{n} people gave advice; the advice given most: “{verdict}” ({k}).", total).format(
            n=t.number(total), verdict=t.gettext(VERDICTS[top]),
            k=t.number(int(counts[top]))))
    chosen = analysis.conditions_chosen(panel, list(PANEL_CONDITIONS))
    if chosen.empty:
        doc.paragraph(t.gettext("Nobody picked one of the conditions offered."))
    else:
        doc.heading(t.gettext("Conditions people set"), 3)
        doc.chart(0.3 + 0.3 * len(chosen), lambda fig, box: bars(
            fig, box, [t.gettext(PANEL_CONDITIONS[k]) for k in chosen.index],
            chosen.tolist(), label_width=3.4), t.gettext(
            "How many of the {n} people picked each condition; people could pick several. "
            "Conditions nobody picked are left out.").format(n=t.number(total)))
    written = panel[panel["own_condition"] != ""]
    approved = written[written["status"] == "approved"]
    if not approved.empty:
        doc.heading(t.gettext("Conditions in people's own words"), 3)
        doc.bullets([_quote(t, r.own_condition, r.participant, names)
                     for r in approved.itertuples()], 9.5)
    if len(written) > len(approved):
        doc.paragraph(t.ngettext(
            "{n} condition someone wrote was not approved by the facilitator and is not "
            "shown.", "{n} conditions people wrote were not approved by the facilitator and "
            "are not shown.", len(written) - len(approved)).format(
                n=t.number(len(written) - len(approved))), 8.5, color=GREY)


def _monitor(t: Translator) -> str:
    """What the panel saw of the tool's monitor, from the run it reviewed."""
    use_case = registry.get(PANEL.use_case)
    config = PANEL.config()
    outcome = use_case.module().simulate(config)
    review = record(use_case, config, outcome)["tier2"]["human_review"]
    if review["flag_day"] is None:
        return t.gettext("In the run the panel reviewed, the tool's monitor raised no flag.")
    return t.gettext("In the run the panel reviewed, the tool's monitor raised a flag on day "
                     "{day} for {group}.").format(
        day=t.number(review["flag_day"] + 1),
        group=t.gettext(outcome.terms.group(review["flag_group"])))


# -- what people's words were about ------------------------------------------------------


def themes_section(doc: Document, t: Translator, d: Data, title: str, names: bool) -> None:
    doc.new_page()
    doc.heading(t.gettext(title), 1)
    doc.paragraph(t.gettext(
        "Every comment, piece of advice and condition people wrote was tagged with the "
        "dialogue's themes by lists of words, in English and Welsh, that anyone can read in "
        "the app's language files; the facilitator could correct any tag. A text can be "
        "about several themes, or none. Hidden text is not counted; examples are quoted "
        "only if the facilitator approved them."))
    texts = d.texts
    counts = analysis.theme_tally(texts, list(THEMES))
    shown = texts[texts["status"] != "hidden"] if not texts.empty else texts
    if counts.empty:
        doc.paragraph(t.ngettext(
            "None of the {n} text people wrote uses a theme's words.",
            "None of the {n} texts people wrote use a theme's words.", len(shown)).format(
                n=t.number(len(shown))))
        return
    corrected = int(shown["corrected"].sum())
    doc.chart(0.3 + 0.3 * len(counts), lambda fig, box: bars(
        fig, box, [t.gettext(THEMES[k]) for k in counts.index], counts.tolist()),
        " ".join([t.ngettext(
            "Of the {n} text people wrote (not hidden), how many are about each theme.",
            "Of the {n} texts people wrote (not hidden), how many are about each theme.",
            len(shown)).format(n=t.number(len(shown))), t.ngettext(
            "The facilitator set the themes of {k} of them by hand.",
            "The facilitator set the themes of {k} of them by hand.", corrected).format(
                k=t.number(corrected))]))
    approved = shown[shown["status"] == "approved"]
    for theme in counts.index:
        about = approved[approved["themes"].map(lambda ts, th=theme: th in ts)]
        if about.empty:
            continue
        doc.heading(t.gettext(THEMES[theme]), 3)
        doc.bullets([_quote(t, r.text, r.participant, names)
                     for r in about.head(EXAMPLES).itertuples()], 9.5)

