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
    assert {"Download the report (PDF)", "Answers as people saw them (CSV)",
            "What each column means (CSV)"} <= downloads(at)
    names = at.checkbox(key="report.names")
    assert names.label == "Show nicknames in the report" and names.value is False
    assert not any(s.value == "Series" for s in at.subheader)


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
            "What each column of the series means (CSV)"} <= downloads(at)
    for p in [*people, back]:
        assert p.pseudonym not in shown and p.id not in shown and p.person_id not in shown
