"""The advice round and the room's shared state, through the store (SQLite and
PostgreSQL: the store fixtures come from tests/test_store.py)."""
# ruff: noqa: F811 - fixtures as parameters

import csv
import io
import json
import threading
import uuid

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from tests.test_store import PASS, db_url, store  # noqa: F401 - fixtures
from workshop import analysis, export
from workshop.store import Store


@pytest.fixture
def room(store):
    w = store.create_workshop("Advice", PASS)
    return w, [store.join(w.code) for _ in range(6)]


def advise(store, p, text="Audit the training data", theme="accuracy_bias"):
    return store.add_advice(p.id, theme, text, uuid.uuid4().hex)


def test_advice_and_votes_round_trip_and_rank(store, room):
    w, people = room
    a1 = advise(store, people[0], "Always keep a human reviewer", "oversight")
    a2 = advise(store, people[1], "Publish error rates by group", "transparency")
    for p in people[1:5]:
        store.vote(p.id, a1.id, "agree")
    for p, v in zip(people[2:6], ["agree", "agree", "disagree", "disagree"], strict=True):
        store.vote(p.id, a2.id, v)
    ranked = analysis.rank_advice(store.advice(w.code))
    assert list(ranked["advice_id"]) == [a1.id, a2.id]
    assert ranked.loc[0, "agreement"] == 1.0 and not ranked.loc[0, "divided"]
    assert ranked.loc[1, "agreement"] == 0.5 and ranked.loc[1, "divided"]
    rows = list(csv.DictReader(io.StringIO(export.advice_csv(store, w.code))))
    assert {r["text"] for r in rows} == {a1.text, a2.text}
    assert next(r for r in rows if r["text"] == a1.text)["agree"] == "4"
    data = json.loads(export.workshop_json(store, w.code))
    assert {a["text"] for a in data["advice"]} == {a1.text, a2.text}


def test_one_vote_per_participant_per_item_even_when_sent_at_once(store, room):
    w, people = room
    a = advise(store, people[0])
    barrier = threading.Barrier(8)
    errors = []

    def tap(v):
        try:
            barrier.wait()
            store.vote(people[1].id, a.id, v)
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=tap, args=(v,)) for v in ["agree", "disagree"] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    row = store.advice(w.code, participant_id=people[1].id).iloc[0]
    assert row["agree"] + row["disagree"] + row["pass"] == 1
    assert row["my_vote"] in ("agree", "disagree")
    store.vote(people[1].id, a.id, "pass")
    row = store.advice(w.code).iloc[0]
    assert (row["agree"], row["disagree"], row["pass"]) == (0, 0, 1)


@pytest.mark.parametrize(
    "theme, text, message",
    [("vibes", "x", "theme"), ("oversight", "   ", "Write your advice"),
     ("oversight", "x" * 281, "at most 280")],
)
def test_bad_advice_is_refused_and_nothing_written(store, room, theme, text, message):
    w, people = room
    with pytest.raises(ValueError, match=message):
        store.add_advice(people[0].id, theme, text, uuid.uuid4().hex)
    assert store.advice(w.code).empty


def test_advice_resubmit_is_idempotent_and_votes_stay_in_their_workshop(store, room):
    w, people = room
    cid = uuid.uuid4().hex
    a = store.add_advice(people[0].id, "oversight", "One", cid)
    assert store.add_advice(people[0].id, "oversight", "One", cid).id == a.id
    other = store.create_workshop("Elsewhere", PASS)
    stranger = store.join(other.code)
    with pytest.raises(ValueError, match="No such advice"):
        store.vote(stranger.id, a.id, "agree")
    with pytest.raises(ValueError, match="vote must be"):
        store.vote(people[1].id, a.id, "maybe")


def test_hidden_advice_leaves_the_ranking_and_the_export(store, room):
    w, people = room
    a = advise(store, people[0], "=cmd|' /C calc'!A0")
    store.hide_advice(w.code, a.id)
    assert analysis.rank_advice(store.advice(w.code)).empty
    assert "calc" not in export.advice_csv(store, w.code)


def test_formula_advice_is_neutralised_in_csv(store, room):
    w, people = room
    advise(store, people[0], "=1+1")
    rows = list(csv.DictReader(io.StringIO(export.advice_csv(store, w.code))))
    assert rows[0]["text"] == "'=1+1"


def test_room_state_is_stored_with_the_workshop(store, room, tmp_path):
    w, _ = room
    assert store.room(w.code)["stage"] == "first_views"
    v1 = store.set_preset(w.code, "call_triage", "biased_history", {"label_bias": 0.6})
    store.set_stage(w.code, "use_cases")
    # Another app instance (a new Store on the same database) sees the same room.
    other = Store(str(store.engine.url))
    state = other.room(w.code)
    other.engine.dispose()
    assert state["use_case"] == "call_triage" and state["preset_key"] == "biased_history"
    assert state["config"] == {"label_bias": 0.6} and state["version"] == v1
    assert state["stage"] == "use_cases"
    assert store.set_preset(w.code, None, None, None) == v1 + 1
    with pytest.raises(ValueError):
        store.set_stage(w.code, "lunch")


def test_delete_removes_advice_and_votes(store, room):
    w, people = room
    a = advise(store, people[0])
    store.vote(people[1].id, a.id, "agree")
    store.delete_workshop(w.code)
    other = Store(str(store.engine.url))
    with Session(other.engine) as s:
        from workshop.models import Advice, Vote

        assert s.query(Advice).count() == 0 and s.query(Vote).count() == 0
    other.engine.dispose()


def test_rank_advice_puts_unvoted_last():
    df = pd.DataFrame([
        dict(advice_id=1, hidden=False, agree=0, disagree=0, **{"pass": 0}),
        dict(advice_id=2, hidden=False, agree=1, disagree=1, **{"pass": 0}),
    ])
    assert list(analysis.rank_advice(df)["advice_id"]) == [2, 1]


def test_new_advice_waits_for_approval_and_votes_count_once_per_person(store, room):
    w, people = room
    a = advise(store, people[0])
    items = store.advice(w.code)
    assert items.loc[0, "status"] == "pending" and not items.loc[0, "hidden"]
    assert items.loc[0, "person_id"] == people[0].person_id
    for v in ("agree", "disagree", "agree"):
        store.vote(people[1].id, a.id, v)
    row = store.advice(w.code).iloc[0]
    assert (row["agree"], row["disagree"]) == (1, 0)
    store.moderate_advice(w.code, a.id, "approved")
    assert store.advice(w.code).loc[0, "status"] == "approved"
