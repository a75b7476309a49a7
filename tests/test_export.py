"""What the researcher takes away: every answer with its history and status, people
only by person_id, no participant id (the key to someone's ?p= link), no formulas."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import csv
import io
import json
import uuid

import pytest

from tests.test_store import PASS, db_url, reaction, store  # noqa: F401 - fixtures
from workshop import export


@pytest.fixture
def filled(store):
    w = store.create_workshop("Library, Tuesday", PASS, series="Leeds", mode="online")
    a, b = store.join(w.code), store.join(w.code)
    rows = {
        "pending": store.record(**reaction(a.id, comment="=HYPERLINK(\"http://x\")")),
        "approved": store.record(**reaction(a.id, comfort=4, comment="Fair enough")),
        "hidden": store.record(**reaction(b.id, comment="rude words")),
        "silent": store.record(**reaction(b.id, stage="after", comment="")),
        "skip": store.record(**reaction(b.id, stage="final", comfort=None, comment="")),
    }
    store.moderate(w.code, rows["approved"].id, "approved")
    store.hide_reaction(w.code, rows["hidden"].id)
    kept = store.add_advice(a.id, "oversight", "+Keep a human in charge", uuid.uuid4().hex)
    gone = store.add_advice(b.id, "oversight", "hidden advice", uuid.uuid4().hex)
    store.hide_advice(w.code, gone.id)
    store.vote(b.id, kept.id, "agree")
    store.answer(a.id, "pace", "too_fast", "=1+1", uuid.uuid4().hex)
    store.answer(a.id, "pace", "right", "", uuid.uuid4().hex)
    return w, (a, b), rows


def test_reactions_csv_keeps_the_history_marks_status_and_names_people_by_person(store, filled):
    w, (a, b), rows = filled
    out = list(csv.DictReader(io.StringIO(export.reactions_csv(store, w.code))))
    by_id = {int(r["reaction_id"]): r for r in out}
    assert len(out) == 5 and "participant_id" not in out[0]
    assert {r["person_id"] for r in out} == {a.person_id, b.person_id}
    pending, approved = by_id[rows["pending"].id], by_id[rows["approved"].id]
    assert pending["comment"] == "'=HYPERLINK(\"http://x\")" and pending["status"] == "pending"
    assert pending["latest"] == "False" and approved["latest"] == "True"
    assert approved["status"] == "approved"
    hidden = by_id[rows["hidden"].id]
    assert hidden["comment"] == "" and hidden["status"] == "hidden" and hidden["comfort"] == "2"
    assert by_id[rows["silent"].id]["status"] == ""  # no comment, nothing to moderate
    skip = by_id[rows["skip"].id]
    assert skip["skipped"] == "True" and skip["comfort"] == ""
    assert all(r["created_at"].endswith("+00:00") for r in out)
    assert out[0]["config.label_bias"] == "0.4"


def test_advice_csv_leaves_out_hidden_advice_and_marks_status(store, filled):
    w, (a, _), _ = filled
    out = list(csv.DictReader(io.StringIO(export.advice_csv(store, w.code))))
    assert [r["text"] for r in out] == ["'+Keep a human in charge"]
    assert out[0]["status"] == "pending" and out[0]["agree"] == "1"
    assert out[0]["person_id"] == a.person_id and "author_id" not in out[0]


def test_json_nests_settings_and_carries_series_and_mode(store, filled):
    w, (a, _), rows = filled
    data = json.loads(export.workshop_json(store, w.code))
    assert data["workshop"]["series"] == "Leeds" and data["workshop"]["mode"] == "online"
    first = data["reactions"][0]
    assert first["config"] == {"label_bias": 0.4, "mitigation": "none", "seed": 3}
    assert first["themes"] == ["oversight", "accuracy_bias"]
    assert first["person_id"] == a.person_id and "participant_id" not in first
    assert {r["status"] for r in data["reactions"]} == {"pending", "approved", "hidden", ""}
    hidden = next(r for r in data["reactions"] if r["reaction_id"] == rows["hidden"].id)
    assert hidden["comment"] == "" and hidden["hidden"]
    assert [x["text"] for x in data["advice"]] == ["+Keep a human in charge"]
    assert [(x["choice"], x["latest"]) for x in data["answers"]] == [
        ("too_fast", False), ("right", True)]
    assert data["answers"][0]["person_id"] == a.person_id
    assert "participant_id" not in data["answers"][0]


def test_no_export_holds_a_participant_id_or_return_code(store, filled):
    w, people, _ = filled
    files = [export.reactions_csv(store, w.code), export.advice_csv(store, w.code),
             export.workshop_json(store, w.code)]
    for p in people:
        for text in files:
            assert p.id not in text and p.return_code not in text


def test_an_empty_workshop_exports_headers_and_empty_lists(store):
    w = store.create_workshop("Empty", PASS)
    assert export.reactions_csv(store, w.code).startswith("reaction_id,")
    assert export.advice_csv(store, w.code).startswith("advice_id,")
    data = json.loads(export.workshop_json(store, w.code))
    assert data["reactions"] == [] and data["advice"] == [] and data["answers"] == []
    assert data["workshop"]["series"] is None


# -- for people: the labels people saw, a data dictionary, a series joined ---------------


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_for_people_uses_the_words_people_saw(store, filled):
    w, (a, b), rows = filled
    out = rows_of(export.people_csv(store, w.code))
    assert len(out) == 5
    first = out[0]
    assert first["Use of AI"] == "101 calls" and first["Question"] == "Before trying it"
    assert first["Comfort"] == "2 · Uncomfortable"
    assert first["Themes"] == "Human oversight; Accuracy and bias"
    bias = "101 calls: Past call handlers played down group B's warnings"
    assert first[bias] == "40"  # 0.4, as 40 in 100
    assert first["101 calls: Fix for fairness"] == "No fix"
    assert first["101 calls: World number"] == "3"
    assert first["101 calls, result: Urgent calls missed, group B"] == "40"  # out of 100
    assert first["Comment"] == "'=HYPERLINK(\"http://x\")"  # still no formula
    assert first["Comment status"] == "waiting" and first["Person"] == a.person_id
    assert not any(c.startswith(("config.", "metric.")) for c in first)
    by_id = {r["Answer number"]: r for r in out}
    assert by_id[str(rows["hidden"].id)]["Comment"] == ""
    skip = by_id[str(rows["skip"].id)]
    assert skip["Skipped"] == "yes" and skip["Comfort"] == ""
    assert skip["Question"] == "At the end of the workshop"
    assert all(r["Sent at"].endswith("+00:00") for r in out)
    text = export.people_csv(store, w.code)
    for p in (a, b):
        assert p.id not in text and p.return_code not in text


def test_the_data_dictionary_has_a_row_for_every_column(store, filled):
    w, _, _ = filled
    columns = next(csv.reader(io.StringIO(export.people_csv(store, w.code))))
    decided = next(csv.reader(io.StringIO(export.people_decisions_csv(store, w.code))))
    docs = rows_of(export.dictionary_csv(store, w.code))
    # The answers' columns, then those of the decisions people made themselves.
    assert [d["Column"] for d in docs] == columns + [c for c in decided if c not in columns]
    by_column = {d["Column"]: d for d in docs}
    bias = by_column["101 calls: Past call handlers played down group B's warnings"]
    assert bias["Machine name"] == "config.label_bias"
    assert "out of 100" in bias["Values or units"] and "call handlers" in bias["Meaning"]
    assert by_column["Comfort"]["Machine name"] == "comfort"
    assert "2 · Uncomfortable" in by_column["Comfort"]["Values or units"]
    assert by_column["Person"]["Machine name"] == "person_id"
    assert all(d["Meaning"] for d in docs)


def test_the_series_csv_joins_the_workshops_and_follows_people(store):
    week1 = store.create_workshop("Week 1", PASS, series="Cardiff")
    week2 = store.create_workshop("=Week 2", PASS, series="Cardiff", mode="online")
    a = store.join(week1.code)
    store.record(**reaction(a.id, comfort=1, comment=""))
    back = store.join(week2.code, returning=a.return_code)
    store.record(**reaction(back.id, comfort=4, comment="-2 is my view"))
    other = store.join(week2.code)
    store.record(**reaction(other.id, comfort=3, comment=""))
    text = export.series_csv(store, week2.code)
    out = rows_of(text)
    assert [r["Workshop code"] for r in out] == [week1.code, week2.code, week2.code]
    assert [r["Where"] for r in out] == ["In person", "Online", "Online"]
    assert out[1]["Workshop"] == "'=Week 2" and out[1]["Comment"] == "'-2 is my view"
    assert out[0]["Person"] == out[1]["Person"] == a.person_id != out[2]["Person"]
    assert [r["Comfort"] for r in out] == ["1 · Very uncomfortable", "4 · Comfortable",
                                          "3 · Not sure"]
    assert all(r["Workshop date"].endswith("+00:00") for r in out)
    assert export.series_csv(store, week1.code) == text
    for p in (a, back, other):
        assert p.id not in text and p.return_code not in text
    docs = rows_of(export.dictionary_csv(store, week2.code, series=True))
    assert [d["Column"] for d in docs] == next(csv.reader(io.StringIO(text)))
    alone = store.create_workshop("Alone", PASS)
    store.record(**reaction(store.join(alone.code).id))
    assert [r["Workshop code"] for r in rows_of(export.series_csv(store, alone.code))] == [
        alone.code]


def test_the_exports_for_people_speak_welsh_and_an_empty_workshop_has_headers(store):
    w = store.create_workshop("Empty", PASS)
    assert export.people_csv(store, w.code).startswith("Answer number,")
    assert len(rows_of(export.dictionary_csv(store, w.code))) == 12 + 8  # answers, decisions
    assert export.people_csv(store, w.code, lang="cy").count(",") >= 11
