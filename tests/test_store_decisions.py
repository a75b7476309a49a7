"""The store keeps people's own decisions on the AI's cases: the latest counts, the
truth and the AI's decision come from the simulation (not the phone), bad input is
refused with nothing stored, and a database of the previous release gains the new
tables (SQLite and PostgreSQL)."""

import uuid

import pytest
from sqlalchemy import create_engine

from simulators import decide
from simulators.reoffending import RiskConfig
from tests.test_store import PASS, Clock, db_url  # noqa: F401 - fixtures
from workshop.analysis import people_vs_ai
from workshop.errors import AnswersLocked, Refused
from workshop.models import SCHEMA_VERSION
from workshop.store import Store

CALLS = "call_triage"


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture imported above
    s = Store(db_url, now=Clock())
    yield s
    s.engine.dispose()


def cid() -> str:
    return uuid.uuid4().hex


def dealt(draw=0, use_case=CALLS, config=None):
    return decide.cases(use_case, config, draw=draw)


def test_decisions_are_stored_with_the_case_the_draw_and_the_time(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    cases = dealt(draw=1)
    mine = {c: 1 - t for c, t in zip(cases["case_id"], cases["truth"], strict=True)}
    times = dict.fromkeys(mine, 4.25)
    assert store.record_decisions(p.id, CALLS, mine, cid(), draw=1, seconds=times) == 8
    df = store.decisions(w.code, CALLS)
    assert len(df) == 8 and set(df["participant_id"]) == {p.id}
    by_case = df.set_index("case_id")
    expected = cases.set_index("case_id")
    for col in ("group", "truth", "ai"):
        assert by_case.loc[expected.index, col].tolist() == expected[col].tolist()
    assert by_case["person"].to_dict() == mine
    assert set(df["draw"]) == {1} and set(df["seconds"]) == {4.25}
    assert df["config"].iloc[0]["label_bias"] == 0.0
    assert store.decided(p.id) == {CALLS}
    assert store.decisions(w.code, "reoffending").empty


def test_the_latest_decision_per_case_counts_and_a_resend_counts_once(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    ids = list(dealt()["case_id"])
    first = dict.fromkeys(ids, 0)
    client = cid()
    store.record_decisions(p.id, CALLS, first, client)
    store.record_decisions(p.id, CALLS, first, client)  # pressed twice, or sent from disk
    assert len(store.decisions(w.code)) == 8
    store.record_decisions(p.id, CALLS, {ids[0]: 1, ids[1]: 1}, cid())  # changed their mind
    df = store.decisions(w.code).set_index("case_id")
    assert len(df) == 8
    assert df.loc[ids[0], "person"] == 1 and df.loc[ids[1], "person"] == 1
    assert (df.loc[ids[2:], "person"] == 0).all()


def test_the_truth_and_the_ai_come_from_the_settings_not_the_phone(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    biased = RiskConfig(historic_patrol_bias=0.9, label_bias=0.9)
    cases = dealt(use_case="reoffending", config=biased)
    store.record_decisions(p.id, "reoffending", dict.fromkeys(cases["case_id"], 1), cid(),
                           config=biased.to_dict())
    df = store.decisions(w.code).set_index("case_id").loc[list(cases["case_id"])]
    assert df["ai"].tolist() == cases["ai"].tolist()
    assert df["truth"].tolist() == cases["truth"].tolist()
    assert df["config"].iloc[0]["historic_patrol_bias"] == 0.9
    # People and the AI are scored on exactly these rows.
    r = people_vs_ai(store.decisions(w.code, "reoffending"))
    assert r["people"]["n"] == r["ai"]["n"] == 8
    assert r["ai"]["right"] == int((cases["ai"] == cases["truth"]).sum())
    assert r["people"]["right"] == int(cases["truth"].sum())


def test_bad_decisions_are_refused_and_nothing_is_stored(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    ids = list(dealt()["case_id"])
    bad = [
        ({ids[0]: 2}, {}),
        ({ids[0]: True}, {}),
        ({}, {}),
        ({"call-99999-zzzz": 1}, {}),
        (dict.fromkeys(ids, 1), {"draw": -1}),
        (dict.fromkeys(ids, 1), {"seconds": {ids[0]: 10_000}}),
        (dict.fromkeys(ids, 1), {"seconds": {"elsewhere": 3}}),
        (dict.fromkeys(ids, 1), {"config": {"label_bias": 5}}),
    ]
    for decisions, extra in bad:
        with pytest.raises(ValueError):
            store.record_decisions(p.id, CALLS, decisions, cid(), **extra)
    with pytest.raises(ValueError, match="no cases"):
        store.record_decisions(p.id, "hotspots", {"x": 1}, cid())
    with pytest.raises(ValueError, match="client_id"):
        store.record_decisions(p.id, CALLS, dict.fromkeys(ids, 1), "short")
    assert store.decisions(w.code).empty


def test_paused_and_closed_workshops_take_no_decisions(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    ids = dict.fromkeys(dealt()["case_id"], 1)
    store.lock(w.code)
    with pytest.raises(AnswersLocked):
        store.record_decisions(p.id, CALLS, ids, cid())
    store.lock(w.code, False)
    revision = store.revision(w.code)
    store.record_decisions(p.id, CALLS, ids, cid())
    assert store.revision(w.code) > revision  # the Screen redraws the room against the AI
    store.close_workshop(w.code)
    with pytest.raises(Refused):
        store.record_decisions(p.id, CALLS, ids, cid())


def test_decide_first_is_on_until_the_facilitator_switches_it_off(store):
    w = store.create_workshop("Hall", PASS)
    other = store.create_workshop("Other hall", PASS)
    assert store.decide_first(w.code) == {CALLS: True, "reoffending": True}
    revision = store.revision(w.code)
    store.set_decide_first(w.code, CALLS, False)
    assert store.revision(w.code) > revision
    assert store.decide_first(w.code) == {CALLS: False, "reoffending": True}
    assert store.decide_first(other.code)[CALLS] is True
    store.set_decide_first(w.code, CALLS, True)
    assert store.decide_first(w.code)[CALLS] is True
    with pytest.raises(ValueError):
        store.set_decide_first(w.code, "hotspots", True)


def test_people_are_dealt_the_draws_in_turn_and_deleting_removes_their_decisions(store):
    w = store.create_workshop("Hall", PASS)
    people = [store.join(w.code) for _ in range(4)]
    assert [store.join_order(p.id) for p in people] == [0, 1, 2, 3]
    store.set_decide_first(w.code, CALLS, False)
    store.record_decisions(people[0].id, CALLS, dict.fromkeys(dealt()["case_id"], 1), cid())
    store.delete_workshop(w.code)
    with store.engine.connect() as c:
        for table in ("decisions", "decide_first"):
            assert c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0


def test_a_database_of_the_previous_release_gains_the_decisions(db_url):  # noqa: F811
    made = Store(db_url)
    w = made.create_workshop("Hall", PASS)
    p = made.join(w.code)
    made.engine.dispose()
    engine = create_engine(db_url)  # back to schema 2: no decisions, no switches
    with engine.begin() as c:
        c.exec_driver_sql("DROP TABLE decisions")
        c.exec_driver_sql("DROP TABLE decide_first")
        c.exec_driver_sql("UPDATE schema_version SET version = 2")
    engine.dispose()
    upgraded = Store(db_url)
    assert upgraded.participant(p.id) is not None
    upgraded.record_decisions(p.id, CALLS, dict.fromkeys(dealt()["case_id"], 0), cid())
    assert len(upgraded.decisions(w.code)) == 8 and upgraded.decide_first(w.code)[CALLS]
    with upgraded.engine.connect() as c:
        assert c.exec_driver_sql("SELECT version FROM schema_version").scalar() == \
            SCHEMA_VERSION == 5
    upgraded.engine.dispose()


def test_the_room_against_the_ai_is_worked_out_again_only_when_decisions_change(store):
    from workshop.live import RoomAgainstAI

    w = store.create_workshop("Hall", PASS)
    reads = []
    real = store.decisions
    store.decisions = lambda *a: reads.append(a) or real(*a)  # counts the full reads
    room = RoomAgainstAI(fresh_for=0)  # asks the database every time
    assert room.get(store, w.code, CALLS) is None  # nobody has decided yet
    a, b, c = (store.join(w.code) for _ in range(3))
    store.record_decisions(a.id, CALLS, dict.fromkeys(dealt(0)["case_id"], 1), cid())
    first = room.get(store, w.code, CALLS)
    assert first["people"]["n"] == 8
    assert all(room.get(store, w.code, CALLS) is first for _ in range(5))  # 200 phones
    assert len(reads) == 2
    store.record_decisions(b.id, CALLS, dict.fromkeys(dealt(1)["case_id"], 0), cid())
    assert room.get(store, w.code, CALLS)["people"]["n"] == 16
    assert room.get(store, w.code, "reoffending") is None  # each use case its own
    store.record_decisions(c.id, CALLS, dict.fromkeys(dealt(2)["case_id"], 1), cid())
    assert room.get(store, w.code, CALLS)["people"]["n"] == 24
    store.merge_participants(w.code, a.id, [c.id])  # one person: a's latest per case
    merged = len(set(dealt(0)["case_id"]) | set(dealt(2)["case_id"])) + 8
    assert room.get(store, w.code, CALLS)["people"]["n"] == merged
    assert room.get(store, w.code, CALLS) == people_vs_ai(real(w.code, CALLS))


def test_merging_people_keeps_every_case_they_decided_and_their_latest_counts(store):
    w = store.create_workshop("Hall", PASS)
    a, c = store.join(w.code), store.join(w.code)
    store.record_decisions(a.id, CALLS, dict.fromkeys(dealt(0)["case_id"], 1), cid())
    store.now.advance(seconds=1)
    store.record_decisions(c.id, CALLS, dict.fromkeys(dealt(0)["case_id"], 0), cid())
    store.record_decisions(c.id, CALLS, dict.fromkeys(dealt(1)["case_id"], 1), cid())
    store.merge_participants(w.code, a.id, [c.id])
    mine = store.decisions(w.code, CALLS)
    assert set(mine["participant_id"]) == {a.id}
    cases = set(dealt(0)["case_id"]) | set(dealt(1)["case_id"])
    assert sorted(mine["case_id"]) == sorted(cases)  # each case once: the latest
    later = mine.set_index("case_id")["person"]
    assert all(later[case] == (1 if case in set(dealt(1)["case_id"]) else 0)
               for case in dealt(0)["case_id"])  # c decided them after a


def test_others_decisions_reach_the_room_within_a_second_and_ones_own_at_once(store):
    from workshop.live import RoomAgainstAI

    w = store.create_workshop("Hall", PASS)
    a, b = store.join(w.code), store.join(w.code)
    now = [0.0]  # the room's clock, moved by hand: a busy machine's pauses don't count
    room = RoomAgainstAI(fresh_for=0.5, clock=lambda: now[0])
    store.record_decisions(a.id, CALLS, dict.fromkeys(dealt(0)["case_id"], 1), cid())
    assert room.get(store, w.code, CALLS)["people"]["n"] == 8
    store.record_decisions(b.id, CALLS, dict.fromkeys(dealt(1)["case_id"], 1), cid())
    now[0] += 0.1
    assert room.get(store, w.code, CALLS)["people"]["n"] == 8  # another phone's, just now
    now[0] += 0.5
    assert room.get(store, w.code, CALLS)["people"]["n"] == 16  # within the half second
    store.record_decisions(a.id, CALLS, dict.fromkeys(dealt(2)["case_id"], 0), cid())
    room.changed(store, w.code, CALLS)  # as the phone that stored them says
    assert room.get(store, w.code, CALLS)["people"]["n"] == 24
