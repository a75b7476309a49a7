"""The Console's "after the room" part: the report and the exports for people for every
workshop; for a workshop in a series, each person's comfort across it, by number."""

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages import ROOT, captions
from ui import report_panel
from workshop import report
from workshop.store import Store

PASS = "correct horse battery"


def console(code: str) -> AppTest:
    """The Console, signed in to ``code``, as the app's navigation runs it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["facilitator.code"] = code
    at.run()
    at.switch_page("app_pages/console.py").run()
    return at


@pytest.fixture
def store():
    s = Store()  # DATABASE_URL points at this test's own database
    yield s
    s.engine.dispose()


def downloads(at):
    return {d.proto.label for d in at.get("download_button")}


def make(at, key):
    """Press a "make the files" button (ui/downloads.py)."""
    at.button(key=f"files.{key}.make").click().run()
    assert not at.exception
    return at


def everything(at) -> str:
    parts = [captions(at), " ".join(m.value for m in at.markdown),
             " ".join(s.value for s in at.subheader)]
    parts += [df.value.to_csv() for df in at.dataframe]
    return " ".join(parts)


def record(s, pid, use_case, stage, comfort):
    s.record(pid, use_case, stage, comfort, [], "", {}, {}, uuid.uuid4().hex)


def test_every_workshop_offers_the_report_and_the_exports_for_people(store):
    w = store.create_workshop("Hall", PASS)
    at = console(w.code)
    assert not at.exception
    assert not downloads(at) & {"Download the report (PDF)", "Download answers (CSV)"}
    names = at.checkbox(key="report.names")
    assert names.label == "Show nicknames in the report" and names.value is False
    assert not any(s.value == "Series" for s in at.subheader)
    assert {"Download the report (PDF)", "Answers as people saw them (CSV)",
            "What each column means (CSV)"} <= downloads(make(at, "report"))
    assert {"Download answers (CSV)", "Download everything (JSON)"} <= downloads(
        make(at, "console"))


def test_made_files_are_held_say_when_the_workshop_changed_and_go_with_their_settings(
        store):
    """The files are handed over as data, which the Console's session holds (a file
    made on the click itself is swept by the next runs of any phone); made before a new
    answer they say so; made with or without nicknames, never offered for the other."""
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    record(store, p.id, "call_triage", "before", 2)
    at = make(console(w.code), "report")
    assert at.button(key="files.report.make").label == "Make them again"
    pdf = next(d for d in at.get("download_button")
               if d.proto.label == "Download the report (PDF)")
    assert pdf.proto.url and not pdf.proto.deferred_file_id
    changed = "The workshop has changed since these files were made"
    assert changed not in captions(at)
    record(store, p.id, "call_triage", "after", 4)
    at.run()
    assert "Download the report (PDF)" in downloads(at) and changed in captions(at)
    at.checkbox(key="report.names").check().run()
    assert "Download the report (PDF)" not in downloads(at)
    assert at.button(key="files.report.make").label == "Make the report and its files"
    assert "Download the report (PDF)" in downloads(make(at, "report"))
    assert changed not in captions(at)
    assert any(str(k).startswith("files.") for k in at.session_state)
    at.text_input(key="facilitator.confirm_delete").input(w.code).run()
    at.button(key="files.console.make").click().run()  # files of both kinds held
    next(b for b in at.button if b.label == "Delete everything").click().run()
    assert not any(str(k).startswith("files.") for k in at.session_state)


def test_the_report_is_made_once_per_revision_and_names_only_when_asked(store, monkeypatch):
    made = []
    build = report.build_report
    monkeypatch.setattr(report, "build_report",
                        lambda *a, **k: made.append(k) or build(*a, **k))
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    said = store.record(p.id, "overall", "before", 2, [], "Plain words", {}, {},
                        uuid.uuid4().hex)
    store.moderate(w.code, said.id, "approved")
    revision = store.revision(w.code)
    plain = report_panel.report_pdf(w.code, revision, "en", False)
    assert plain.startswith(b"%PDF")
    assert report_panel.report_pdf(w.code, revision, "en", False) == plain
    assert len(made) == 1  # the same data: made once
    named = report_panel.report_pdf(w.code, revision, "en", True)
    assert made[-1]["names"] is True and named != plain
    store.record(p.id, "overall", "final", 4, [], "", {}, {}, uuid.uuid4().hex)
    report_panel.report_pdf(w.code, store.revision(w.code), "en", False)
    assert len(made) == 3  # new data: made again


def test_a_series_shows_each_person_by_number_across_its_workshops(store):
    week1 = store.create_workshop("Week 1 hall", PASS, series="Cardiff")
    week2 = store.create_workshop("Week 2 online", PASS, series="Cardiff", mode="online")
    people = [store.join(week1.code) for _ in range(3)]
    for p in people:
        record(store, p.id, "call_triage", "before", 1)
        record(store, p.id, "call_triage", "after", 3)
    back = store.join(week2.code, returning=people[0].return_code)
    record(store, back.id, "call_triage", "before", 3)
    record(store, back.id, "call_triage", "after", 5)
    at = console(week2.code)
    assert not at.exception
    shown = everything(at)
    assert "Series" in shown and any(t.value == "Cardiff" for t in at.text)
    assert "In person" in shown and "Online" in shown
    assert "1 of the 3 people who answered came to more than one workshop." in shown
    table = at.dataframe[-1].value
    assert list(table.index) == ["Person 1", "Person 2", "Person 3"]
    assert list(table.columns) == ["Workshop 1: before", "Workshop 1: after",
                                   "Workshop 2: before", "Workshop 2: after"]
    assert table.loc["Person 1"].tolist() == ["1", "3", "3", "5"]
    assert table.loc["Person 2"].tolist() == ["1", "3", "–", "–"]
    assert {"Download the whole series (CSV)",
            "What each column of the series means (CSV)"} <= downloads(make(at, "series"))
    changed = "A workshop in the series has changed since these files were made"
    assert changed not in captions(at)
    record(store, people[1].id, "call_triage", "after", 4)  # in the other workshop
    at.run()
    assert changed in captions(at)
    for p in [*people, back]:
        assert p.pseudonym not in shown and p.id not in shown and p.person_id not in shown
