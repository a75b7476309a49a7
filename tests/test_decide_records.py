"""What a researcher and the facilitator take home of deciding first: each decision in
the CSV and JSON exports (latest only, with the case, the person, the draw and the time
taken), the data dictionary, and the report's part on the room against the AI."""

import csv
import io
import json
import uuid

import pytest

from simulators import decide
from tests.test_report import text_of
from workshop import export
from workshop.report import build_report
from workshop.store import Store

PASS = "a long workshop passphrase"
CALLS, RISK = "call_triage", "reoffending"


@pytest.fixture
def room():
    """Three people who decided calls (one of them twice) and people's risk."""
    store = Store()
    w = store.create_workshop("Library", PASS)
    people = [store.join(w.code) for _ in range(3)]
    for n, p in enumerate(people):
        store.record(p.id, CALLS, "before", 3, [], "", {}, {}, uuid.uuid4().hex)
        store.record(p.id, RISK, "before", 2, [], "", {}, {}, uuid.uuid4().hex)
        for use_case in (CALLS, RISK):
            dealt = decide.cases(use_case, None, draw=n)
            store.record_decisions(p.id, use_case, dict.fromkeys(dealt["case_id"], 1),
                                   uuid.uuid4().hex, draw=n,
                                   seconds=dict.fromkeys(dealt["case_id"], 9.5))
    first = decide.cases(CALLS, None, draw=0)["case_id"].iloc[0]
    store.record_decisions(people[0].id, CALLS, {first: 0}, uuid.uuid4().hex)  # changed
    yield store, w.code, people, first
    store.engine.dispose()


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_exports_carry_each_latest_decision_with_its_case_draw_and_time(room):
    store, code, people, changed = room
    rows = rows_of(export.decisions_csv(store, code))
    assert len(rows) == 48  # 3 people x 2 uses x 8 cases, the changed one counted once
    assert {"person_id", "case_id", "group", "truth", "ai", "person", "draw", "seconds",
            "created_at", "config.seed"} <= set(rows[0])
    mine = [r for r in rows if r["case_id"] == changed and r["use_case"] == CALLS]
    assert [r["person"] for r in mine] == ["0"]
    assert {r["draw"] for r in rows} == {"0", "1", "2"}
    assert "participant_id" not in rows[0]
    every = export.decisions_csv(store, code) + export.workshop_json(store, code)
    assert all(p.id not in every for p in people)  # the key to a ?p= link never leaves
    data = json.loads(export.workshop_json(store, code))["decisions"]
    assert len(data) == 48 and data[0]["config"]["seed"] == 1
    assert {d["seconds"] for d in data if d["case_id"] != changed} == {9.5}


def test_the_readable_export_and_the_dictionary_say_it_in_peoples_words(room):
    store, code, _people, _changed = room
    rows = rows_of(export.people_decisions_csv(store, code))
    assert {r["Use of AI"] for r in rows} == {"101 calls", "Reoffending risk"}
    assert {r["Their decision"] for r in rows} == {"fast-track", "can wait", "high risk"}
    assert {r["Truly needed"] for r in rows} >= {"urgent", "could wait", "reoffended"}
    words = rows_of(export.dictionary_csv(store, code))
    machine = {w["Machine name"] for w in words}
    assert {"decisions.case_id", "decisions.draw", "decisions.seconds",
            "decisions.ai"} <= machine
    welsh = rows_of(export.people_decisions_csv(store, code, lang="cy"))
    assert "Their decision" not in welsh[0] and "blaenoriaethu" in {
        v for r in welsh for v in r.values()}


def test_an_empty_workshop_exports_no_decisions():
    store = Store()
    code = store.create_workshop("Empty", PASS).code
    assert rows_of(export.decisions_csv(store, code)) == []
    assert json.loads(export.workshop_json(store, code))["decisions"] == []
    store.engine.dispose()


def test_the_report_shows_the_room_against_the_ai_per_use(room, tmp_path):
    store, code, _people, _changed = room
    text = " ".join(text_of(build_report(store, code), tmp_path).split())
    assert text.count("The room against the AI") == 2
    assert "Urgent calls from group B left to wait" in text
    assert "People in group B wrongly labelled high risk" in text
    assert "People who decided: 3." in text
    welsh = " ".join(text_of(build_report(store, code, lang="cy"), tmp_path).split())
    assert "Yr ystafell yn erbyn yr AI" in welsh
