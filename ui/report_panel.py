"""After the room, on the Console: the report to print, the exports in people's words,
and, for a workshop in a series, each person's comfort across its workshops.

Files are made when the facilitator asks (ui/downloads.py), and kept per workshop
revision and language, so nothing is made twice for the same data and nothing slows the
live Console.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulators import registry
from ui.downloads import File, offer
from ui.i18n import _, lang, ngettext, num
from ui.store import get_store
from workshop import analysis, export
from workshop.i18n import translator
from workshop.report_data import (
    OVERALL,
    SHORT_OVERALL_STAGES,
    SHORT_STAGES,
    mode_name,
    short_stage,
    use_case_title,
)


@st.cache_data(max_entries=8, show_spinner=False)
def report_pdf(code: str, revision: int, language: str, names: bool) -> bytes:
    """The report, made again only when the workshop changed (``revision``)."""
    from workshop.report import build_report  # matplotlib: loaded when first asked for

    return build_report(get_store(), code, lang=language, names=names)


@st.cache_data(max_entries=16, show_spinner=False)
def people_files(code: str, revision: int, language: str) -> tuple[str, str, str]:
    store = get_store()
    return (export.people_csv(store, code, lang=language),
            export.dictionary_csv(store, code, lang=language),
            export.people_decisions_csv(store, code, lang=language))


@st.cache_data(max_entries=16, show_spinner=False)
def series_files(code: str, revisions: tuple[int, ...], language: str) -> tuple[str, str]:
    store = get_store()
    return (export.series_csv(store, code, lang=language),
            export.dictionary_csv(store, code, lang=language, series=True))


def after_the_room(code: str) -> None:
    """The report and the exports for people; the series, if this workshop is in one."""
    store = get_store()
    st.subheader(_("After the room: the report"))
    st.caption(_("A printable report (A4, readable in black and white) of how views moved, "
                 "the open questions, the advice, the opinion groups in the votes and the "
                 "comments you approved. Nobody is named unless you choose to show "
                 "nicknames."))
    names = st.checkbox(_("Show nicknames in the report"), value=False, key="report.names")
    revision, language = store.revision(code), lang()
    offer("report", [
        File(_("Download the report (PDF)"), lambda: report_pdf(code, revision, language, names),
             f"workshop-{code}-report.pdf", "application/pdf", "report.pdf"),
        File(_("Answers as people saw them (CSV)"),
             lambda: people_files(code, revision, language)[0],
             f"workshop-{code}-answers.csv", "text/csv", "report.people"),
        File(_("What each column means (CSV)"),
             lambda: people_files(code, revision, language)[1],
             f"workshop-{code}-dictionary.csv", "text/csv", "report.dictionary"),
        File(_("Decisions as people saw them (CSV)"),
             lambda: people_files(code, revision, language)[2],
             f"workshop-{code}-decisions-readable.csv", "text/csv", "report.decisions"),
    ], _("Make the report and its files"), revision=revision,
        settings=(code, language, names), columns=2, latest=lambda: store.revision(code))
    st.caption(_("“Answers as people saw them” uses the titles, labels and comfort levels "
                 "on people's screens; the answers download above has the same answers "
                 "with machine names, for analysis."))
    info = store.series(code)
    if info is not None:
        series_view(code, info)


def series_view(code: str, info: dict) -> None:
    """Each person's comfort per use case across the series' workshops, by number."""
    store = get_store()
    st.subheader(_("Series"))
    st.text(info["name"])  # typed by a person: plain text
    codes = [w["code"] for w in info["workshops"]]
    st.dataframe(pd.DataFrame({
        _("Workshop"): [str(n) for n in range(1, len(codes) + 1)],
        _("Title"): [w["title"] for w in info["workshops"]],
        _("Where"): [mode_name(translator(lang()), w["mode"]) for w in info["workshops"]],
        _("Opened"): [translator(lang()).date(w["created_at"], with_time=False)
                      for w in info["workshops"]],
        _("This one"): ["✓" if c == code else "" for c in codes],
    }), hide_index=True)
    comfort = analysis.series_comfort(store.series_reactions(code), codes)
    people, back = comfort["person"].nunique(), analysis.came_back(comfort)
    st.caption(ngettext(
        "{k} of the {n} person who answered came to more than one workshop.",
        "{k} of the {n} people who answered came to more than one workshop.",
        people).format(k=num(back), n=num(people)))
    if comfort.empty:
        st.info(_("No answers in this series yet."))
    else:
        present = [k for k in (OVERALL, *registry.USE_CASES) if k in set(comfort["use_case"])]
        chosen = st.selectbox(_("Use of AI"), present, key="report.series.use_case",
                              format_func=lambda k: use_case_title(translator(lang()), k))
        st.dataframe(journeys(comfort[comfort["use_case"] == chosen], chosen))
        st.caption(_("Each row is one person (person 1 answered first), each column a "
                     "workshop and question; the number is their latest comfort there, "
                     "from 1 (very uncomfortable) to 5 (very comfortable); “–”: not "
                     "answered, or skipped. No names."))
    revisions, language = tuple(store.revision(c) for c in codes), lang()
    offer("series", [
        File(_("Download the whole series (CSV)"),
             lambda: series_files(code, revisions, language)[0],
             "series-answers.csv", "text/csv", "report.series"),
        File(_("What each column of the series means (CSV)"),
             lambda: series_files(code, revisions, language)[1],
             "series-dictionary.csv", "text/csv", "report.series.dictionary"),
    ], _("Make the series' files"), revision=revisions, settings=(code, language),
        columns=2, latest=lambda: tuple(store.revision(c) for c in codes),
        changed=_("A workshop in the series has changed since these files were made: "
                  "make them again for the latest."))


def journeys(rows: pd.DataFrame, use_case: str) -> pd.DataFrame:
    """People (rows) by workshop and question (columns): their latest comfort."""
    t = translator(lang())
    shown = SHORT_OVERALL_STAGES if use_case == OVERALL else SHORT_STAGES
    rows = rows[rows["stage"].isin(list(shown))]
    table = rows.pivot_table(index="person", columns=["workshop", "stage"], values="comfort",
                             aggfunc="last")
    order = sorted(table.columns, key=lambda c: (c[0], analysis.STAGE_ORDER[c[1]]))
    table = table[order].map(lambda v: "–" if pd.isna(v) else str(int(v)))
    table.columns = [_("Workshop {n}: {stage}").format(n=w, stage=short_stage(t, use_case, s))
                     for w, s in order]
    table.index = [_("Person {n}").format(n=p) for p in table.index]
    return table
