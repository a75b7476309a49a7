"""Store.votes: the votes table opinion groups are computed from."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import uuid

from tests.test_store import PASS, db_url, store  # noqa: F401 - fixtures


def test_votes_are_one_per_person_and_advice_in_this_workshop_only(store):
    w = store.create_workshop("Hall", PASS)
    other = store.create_workshop("Elsewhere", PASS)
    a, b = store.join(w.code), store.join(w.code)
    first = store.add_advice(a.id, "oversight", "A person checks", uuid.uuid4().hex)
    second = store.add_advice(b.id, "transparency", "Say when AI is used", uuid.uuid4().hex)
    store.vote(a.id, second.id, "agree")
    store.vote(b.id, first.id, "pass")
    store.vote(b.id, first.id, "disagree")  # a changed vote is one vote, the latest
    store.hide_advice(w.code, second.id)  # kept: the caller decides
    x = store.join(other.code)
    elsewhere = store.add_advice(x.id, "oversight", "Not this room", uuid.uuid4().hex)
    store.vote(x.id, elsewhere.id, "agree")

    df = store.votes(w.code)
    assert list(df.columns) == ["participant_id", "advice_id", "vote"]
    assert sorted(map(tuple, df.to_numpy().tolist())) == sorted([
        (a.id, second.id, "agree"), (b.id, first.id, "disagree")])
    assert df["advice_id"].map(type).eq(int).all()
    assert store.votes(other.code)["participant_id"].tolist() == [x.id]


def test_a_workshop_without_votes_gives_an_empty_table(store):
    w = store.create_workshop("Hall", PASS)
    df = store.votes(w.code)
    assert df.empty and list(df.columns) == ["participant_id", "advice_id", "vote"]
