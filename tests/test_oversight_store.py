"""The store's transparency and oversight: panel verdicts and record answers count
the latest per person, are checked before they are written, are exported (hidden words
blanked, formulas defused, no participant ids), survive an upgrade from schema 2 and
go with the workshop when it is deleted."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import csv
import io
import json
import uuid

import pytest
from sqlalchemy import inspect

from tests.test_store import PASS, db_url, store  # noqa: F401 - fixtures
from workshop import analysis, export
from workshop.models import SCHEMA_VERSION
from workshop.spool import Spool
from workshop.store import Refused, Store
from workshop.vocabulary import PANEL_CONDITIONS

NEW_TABLES = ("record_answers", "panel_verdicts", "theme_tags")


def cid() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def room(store):
    w = store.create_workshop("Hall", PASS)
    return w, store.join(w.code), store.join(w.code)


def test_a_panel_verdict_counts_once_per_person_the_latest(store, room):
    w, p, q = room
    first = cid()
    store.panel_verdict(p.id, "hotspots", "conditions", ["audit_by_group", "tell_public"],
                        first)
    store.panel_verdict(p.id, "hotspots", "conditions", ["audit_by_group"], first)  # resent
    store.panel_verdict(q.id, "hotspots", "approve", [], cid())
    store.panel_verdict(p.id, "hotspots", "pause", ["stop_at_gap"], cid())
    latest = store.panel_results(w.code).set_index("participant_id")
    assert latest.loc[p.id, "verdict"] == "pause" and latest.loc[q.id, "verdict"] == "approve"
    assert latest.loc[p.id, "conditions"] == ["stop_at_gap"]
    history = store.panel_results(w.code, history=True)
    assert len(history) == 3 and history["latest"].sum() == 2  # the resend stored once
    counts = analysis.counts_of(store.panel_results(w.code)["verdict"],
                                ["approve", "conditions", "pause"])
    assert counts.to_dict() == {"approve": 1, "conditions": 0, "pause": 1}


def test_merging_one_person_keeps_what_they_said_of_records_and_as_the_panel(store, room):
    w, p, q = room  # one person, who joined twice
    store.record_answer(p.id, "hotspots", {"owner": "yes"}, "no", cid())
    store.now.advance(seconds=1)
    store.record_answer(q.id, "hotspots", {"owner": "yes"}, "yes", cid())
    store.panel_verdict(q.id, "reoffending", "pause", ["stop_at_gap"], cid())
    store.merge_participants(w.code, p.id, [q.id])
    records = store.record_results(w.code)
    assert records[["participant_id", "enough"]].to_dict("records") == [
        {"participant_id": p.id, "enough": "yes"}]  # their latest, now one voice
    assert len(store.record_results(w.code, history=True)) == 2
    panel = store.panel_results(w.code)
    assert panel[["participant_id", "use_case", "verdict"]].to_dict("records") == [
        {"participant_id": p.id, "use_case": "reoffending", "verdict": "pause"}]


def test_conditions_picked_and_written_are_told_apart_and_checked(store, room):
    w, p, _q = room
    store.panel_verdict(p.id, "hotspots", "conditions",
                        ["audit_by_group", "  Ask the\u200b estate's residents\x07 first  ",
                         "audit_by_group"], cid())
    row = store.panel_results(w.code).iloc[0]
    assert row["conditions"] == ["audit_by_group"]
    assert row["own_condition"] == "Ask the estate's residents first"
    assert row["status"] == "pending"  # the room sees it only once approved
    with pytest.raises(ValueError, match="verdict must be one of"):
        store.panel_verdict(p.id, "hotspots", "maybe", [], cid())
    with pytest.raises(Refused):
        store.panel_verdict(p.id, "hotspots", "conditions", ["x" * 201], cid())
    with pytest.raises(Refused):
        store.panel_verdict(p.id, "hotspots", "conditions", ["one", "two", "three", "four"],
                            cid())
    with pytest.raises(ValueError, match="conditions must be a list"):
        store.panel_verdict(p.id, "hotspots", "pause", "audit_by_group", cid())
    assert len(store.panel_results(w.code, history=True)) == 1  # refused: nothing written


def test_a_paused_or_closed_workshop_takes_no_verdict(store, room):
    w, p, _q = room
    store.lock(w.code)
    with pytest.raises(ValueError, match="paused"):
        store.panel_verdict(p.id, "hotspots", "approve", [], cid())
    store.lock(w.code, False)
    store.close_workshop(w.code)
    with pytest.raises(Refused):
        store.record_answer(p.id, "hotspots", {"owner": "yes"}, None, cid())


def test_record_answers_count_the_latest_per_person_and_tool(store, room):
    w, p, q = room
    store.record_answer(p.id, "call_triage", {"owner": "yes", "performance": "yes"}, "no",
                        cid(), config={"label_bias": 0.4})
    store.record_answer(p.id, "call_triage", {"owner": "no"}, "unsure", cid())
    store.record_answer(q.id, "call_triage", {"performance": "yes"}, None, cid())
    store.record_answer(q.id, "evidence", {"data": "yes"}, "yes", cid())
    results = store.record_results(w.code)
    assert len(results) == 3
    calls = results[results["use_case"] == "call_triage"]
    tally = analysis.record_tally(calls, ["owner", "performance", "risks"]).set_index("section")
    assert tally.loc["owner"].to_dict() == {"yes": 0, "no": 1, "answered": 1}
    assert tally.loc["performance"].to_dict() == {"yes": 1, "no": 0, "answered": 1}
    assert tally.loc["risks", "answered"] == 0
    assert sorted(calls["enough"].dropna()) == ["unsure"]
    history = store.record_results(w.code, history=True)
    assert history.loc[history["enough"] == "no", "config"].iloc[0] == {"label_bias": 0.4}
    with pytest.raises(ValueError, match="section"):
        store.record_answer(p.id, "call_triage", {"price": "yes"}, None, cid())
    with pytest.raises(ValueError, match="answer must be"):
        store.record_answer(p.id, "call_triage", {"owner": "maybe"}, None, cid())
    with pytest.raises(Refused):
        store.record_answer(p.id, "call_triage", {}, None, cid())


def test_exports_hold_the_verdicts_with_hidden_words_blanked(store, room):
    w, p, q = room
    store.panel_verdict(p.id, "hotspots", "conditions", ["tell_public", "=HYPERLINK(1)"],
                        cid())
    store.panel_verdict(q.id, "hotspots", "pause", ["rude words"], cid())
    hidden = store.panel_results(w.code).set_index("participant_id").loc[q.id, "verdict_id"]
    store.moderate_condition(w.code, int(hidden), "hidden")
    store.record_answer(p.id, "hotspots", {"risks": "yes"}, "no", cid())
    data = json.loads(export.workshop_json(store, w.code))
    verdicts = data["panel_verdicts"]
    assert [v["verdict"] for v in verdicts] == ["conditions", "pause"]
    assert all(v["latest"] for v in verdicts)
    assert "rude words" not in json.dumps(data)
    assert data["record_answers"][0]["told_risks"] == "yes"
    assert {t["kind"] for t in data["themes"]} >= {"condition"}
    rows = list(csv.DictReader(io.StringIO(export.panel_csv(store, w.code))))
    assert [r["verdict"] for r in rows] == ["conditions", "pause"]
    assert rows[0]["own_condition"] == "'=HYPERLINK(1)" and rows[1]["own_condition"] == ""
    assert rows[0]["conditions"] == "tell_public"
    assert p.id not in export.panel_csv(store, w.code) + json.dumps(data)


def test_the_workshops_deletion_takes_its_verdicts_answers_and_tags(store, room):
    w, p, _q = room
    store.panel_verdict(p.id, "hotspots", "conditions", ["Ask people first"], cid())
    store.record_answer(p.id, "hotspots", {"risks": "yes"}, "no", cid())
    verdict = int(store.panel_results(w.code)["verdict_id"].iloc[0])
    store.set_themes(w.code, "condition", verdict, ["oversight"])
    store.delete_workshop(w.code)
    with store.engine.connect() as c:
        for table in NEW_TABLES:
            assert c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0, table


def test_a_schema_2_database_gains_the_new_tables(db_url):
    made = Store(db_url)
    w = made.create_workshop("Hall", PASS)
    p = made.join(w.code)
    made.add_advice(p.id, "oversight", "Keep a person in charge", cid())
    with made.engine.begin() as c:  # as the release before this one left it
        for table in NEW_TABLES:
            c.exec_driver_sql(f"DROP TABLE {table}")
        c.exec_driver_sql("UPDATE schema_version SET version = 2")
    made.engine.dispose()
    store = Store(db_url)
    store.panel_verdict(p.id, "hotspots", "approve", [], cid())
    assert store.panel_results(w.code)["verdict"].tolist() == ["approve"]
    assert store.advice(w.code)["text"].tolist() == ["Keep a person in charge"]
    assert set(NEW_TABLES) <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as c:
        assert c.exec_driver_sql("SELECT version FROM schema_version").scalar() == \
            SCHEMA_VERSION == 5
    store.engine.dispose()


def test_verdicts_and_record_answers_wait_in_the_spool_and_are_sent(tmp_path, store, room):
    w, p, _q = room
    spool = Spool(tmp_path / "outbox")
    store.lock(w.code)
    spool.add(p.id, "panel_verdict", {"participant_id": p.id, "use_case": "hotspots",
                                      "verdict": "conditions",
                                      "conditions": list(PANEL_CONDITIONS)[:2],
                                      "client_id": cid()})
    spool.add(p.id, "record_answer", {"participant_id": p.id, "use_case": "hotspots",
                                      "told": {"owner": "yes"}, "enough": "yes",
                                      "client_id": cid()})
    assert spool.deliver(store, p.id)[0] == 0  # paused: kept
    store.lock(w.code, False)
    assert spool.deliver(store, p.id) == (2, None)
    assert len(store.panel_results(w.code)) == len(store.record_results(w.code)) == 1
