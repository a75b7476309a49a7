"""The room: a lock, a timer, moderation before anything is projected, skips, and
one answer per person (their latest), on SQLite and PostgreSQL."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import threading
import uuid
from datetime import timedelta

import pytest

from tests.test_store import PASS, db_url, reaction, store  # noqa: F401 - fixtures
from workshop.store import AnswersLocked, Refused


@pytest.fixture
def room(store):
    w = store.create_workshop("Room", PASS)
    return w.code, [store.join(w.code) for _ in range(3)]


# -- the lock ----------------------------------------------------------------------


def test_a_locked_room_takes_no_answers_advice_or_votes_and_writes_nothing(store, room):
    code, (a, b, _) = room
    advice = store.add_advice(a.id, "oversight", "Keep a human in charge", uuid.uuid4().hex)
    before = store.revision(code)
    store.lock(code)
    assert store.room(code)["locked"] is True
    locked_revision = store.revision(code)
    assert locked_revision != before
    with pytest.raises(AnswersLocked) as caught:
        store.record(**reaction(a.id))
    assert isinstance(caught.value, ValueError) and caught.value.msgid
    with pytest.raises(AnswersLocked):
        store.add_advice(b.id, "oversight", "Publish the error rates", uuid.uuid4().hex)
    with pytest.raises(AnswersLocked):
        store.vote(b.id, advice.id, "agree")
    assert store.reactions(code).empty
    assert len(store.advice(code)) == 1 and store.advice(code).loc[0, "agree"] == 0
    assert store.revision(code) == locked_revision  # refused writes move nothing
    store.lock(code, False)
    assert store.room(code)["locked"] is False
    store.record(**reaction(a.id))
    store.vote(b.id, advice.id, "agree")
    assert len(store.reactions(code)) == 1


def test_an_answer_already_stored_is_still_acknowledged_while_locked(store, room):
    code, (a, _, _) = room
    args = reaction(a.id)
    first = store.record(**args)
    store.lock(code)
    assert store.record(**args).id == first.id  # a resend from the spool is no new answer


def test_answers_racing_a_lock_are_either_stored_or_refused_never_lost(store, room):
    code, people = room
    sent, refused, errors = [], [], []
    barrier = threading.Barrier(len(people) + 1)

    def answer(p):
        barrier.wait()
        try:
            store.record(**reaction(p.id))
            sent.append(p.id)
        except AnswersLocked:
            refused.append(p.id)
        except Exception as err:  # noqa: BLE001 - asserted below
            errors.append(err)

    threads = [threading.Thread(target=answer, args=(p,)) for p in people]
    for t in threads:
        t.start()
    barrier.wait()
    store.lock(code)
    for t in threads:
        t.join(30)
    assert errors == [] and len(sent) + len(refused) == len(people)
    assert sorted(store.reactions(code)["participant_id"]) == sorted(sent)


# -- the timer ---------------------------------------------------------------------


def test_the_timer_is_shared_in_utc_and_can_be_cleared(store, room):
    code, _ = room
    state = store.room(code)
    assert state["timer_ends_at"] is None and state["timer_seconds"] is None
    store.set_timer(code, 300)
    state = store.room(code)
    assert state["timer_seconds"] == 300
    assert state["timer_ends_at"] == store.now() + timedelta(seconds=300)
    assert state["timer_ends_at"].utcoffset() == timedelta(0)
    store.set_timer(code, None)
    assert store.room(code)["timer_ends_at"] is None
    assert store.room(code)["timer_seconds"] is None


@pytest.mark.parametrize("seconds", [0, -5, 4 * 3600 + 1, 2.5, "60", True])
def test_a_timer_out_of_range_is_refused(store, room, seconds):
    code, _ = room
    with pytest.raises(ValueError):
        store.set_timer(code, seconds)
    assert store.room(code)["timer_seconds"] is None


def test_room_keeps_its_keys_and_gains_the_lock_and_the_timer(store, room):
    code, _ = room
    assert {"stage", "use_case", "preset_key", "config", "version", "open", "locked",
            "timer_ends_at", "timer_seconds"} <= set(store.room(code))


# -- moderation --------------------------------------------------------------------


def test_new_comments_wait_for_the_facilitator_newest_first(store, room):
    code, (a, b, _) = room
    first = store.record(**reaction(a.id, comment="First thought"))
    store.record(**reaction(a.id, stage="after", comment=""))  # no comment: not listed
    second = store.record(**reaction(b.id, comment="Second thought", comfort=None))
    pending = store.comments(code, "pending")
    assert list(pending["reaction_id"]) == [second.id, first.id]
    assert list(pending["comment"]) == ["Second thought", "First thought"]
    assert {"reaction_id", "comment", "use_case", "stage", "comfort", "created_at",
            "participant"} <= set(pending.columns)
    assert pending.loc[1, "participant"] == a.pseudonym
    assert store.comments(code, "approved").empty
    store.moderate(code, first.id, "approved")
    assert list(store.comments(code, "approved")["reaction_id"]) == [first.id]
    assert list(store.comments(code, "pending")["reaction_id"]) == [second.id]
    store.moderate(code, first.id, "hidden")
    assert list(store.comments(code, "hidden")["reaction_id"]) == [first.id]


def test_moderation_refuses_unknown_statuses_and_other_workshops(store, room):
    code, (a, _, _) = room
    r = store.record(**reaction(a.id))
    with pytest.raises(ValueError, match="status"):
        store.moderate(code, r.id, "shown")
    with pytest.raises(ValueError, match="status"):
        store.comments(code, "shown")
    other = store.create_workshop("Other", PASS)
    with pytest.raises(Refused, match="No such comment"):
        store.moderate(other.code, r.id, "approved")
    assert store.comments(code, "pending").loc[0, "reaction_id"] == r.id


def test_hide_reaction_and_hide_advice_keep_working_as_status_changes(store, room):
    code, (a, _, _) = room
    r = store.record(**reaction(a.id))
    advice = store.add_advice(a.id, "oversight", "Keep a human in charge", uuid.uuid4().hex)
    assert store.advice(code).loc[0, "status"] == "pending"
    store.hide_reaction(code, r.id)
    store.hide_advice(code, advice.id)
    assert store.reactions(code).loc[0, "hidden"] and store.advice(code).loc[0, "hidden"]
    assert store.advice(code).loc[0, "status"] == "hidden"
    store.hide_reaction(code, r.id, hidden=False)
    store.hide_advice(code, advice.id, hidden=False)
    assert store.reactions(code).loc[0, "status"] == "approved"
    assert store.advice(code).loc[0, "status"] == "approved"
    assert not store.advice(code).loc[0, "hidden"]


def test_advice_moderation_stays_in_its_workshop(store, room):
    code, (a, _, _) = room
    advice = store.add_advice(a.id, "oversight", "Keep a human in charge", uuid.uuid4().hex)
    other = store.create_workshop("Other", PASS)
    with pytest.raises(ValueError):
        store.moderate_advice(other.code, advice.id, "approved")
    with pytest.raises(ValueError):
        store.moderate_advice(code, advice.id, "published")
    store.moderate_advice(code, advice.id, "approved")
    assert store.advice(code).loc[0, "status"] == "approved"


# -- skips and latest answers --------------------------------------------------------


def test_a_skip_is_stored_as_a_skip_and_counts_as_answered(store, room):
    code, (a, _, _) = room
    store.record(**reaction(a.id, comfort=None, themes=[], comment=None))
    df = store.reactions(code)
    assert bool(df.loc[0, "skipped"]) and df["comfort"].isna().all()
    assert store.answered(a.id) == {("call_triage", "before")}


def test_latest_marks_each_persons_last_answer_per_use_case_and_stage(store, room):
    code, (a, b, _) = room
    first = store.record(**reaction(a.id, comfort=2))
    second = store.record(**reaction(a.id, comfort=None))  # then skipped it
    other_stage = store.record(**reaction(a.id, stage="after", comfort=4))
    theirs = store.record(**reaction(b.id, comfort=5))
    latest = store.reactions(code).set_index("reaction_id")["latest"].to_dict()
    assert latest == {first.id: False, second.id: True, other_stage.id: True, theirs.id: True}


def test_shift_pairs_each_persons_latest_before_and_after(store, room):
    code, (a, b, c) = room
    store.record(**reaction(a.id, stage="before", comfort=1))
    store.record(**reaction(a.id, stage="before", comfort=2))  # changed their mind
    store.record(**reaction(a.id, stage="after", comfort=3))
    store.record(**reaction(a.id, stage="after", comfort=5))
    store.record(**reaction(b.id, stage="before", comfort=4))
    store.record(**reaction(b.id, stage="after", comfort=2))
    store.record(**reaction(b.id, stage="after", comfort=None))  # latest after: a skip
    store.record(**reaction(c.id, stage="before", comfort=3))  # no after yet
    shift = store.shift(code)
    assert list(shift.columns) == ["participant_id", "use_case", "before", "after"]
    assert shift.to_dict("records") == [
        {"participant_id": a.id, "use_case": "call_triage", "before": 2, "after": 5}]


def test_sending_again_changes_the_count_instead_of_adding_to_it(store, room):
    from workshop import analysis

    code, (a, _, _) = room
    for comfort in (1, 2, 5):
        store.record(**reaction(a.id, comfort=comfort))
    counts = analysis.comfort_counts(store.reactions(code))
    assert counts[["comfort", "reactions"]].values.tolist() == [[5, 1]]
    assert len(store.reactions(code)) == 3  # the history is kept


# -- the outstanding questions -----------------------------------------------------


def test_answers_to_the_open_questions_count_each_persons_latest(store, room):
    code, (a, b, _) = room
    store.answer(a.id, "pace", "too_fast", "Slow down\x00 please\u202e", uuid.uuid4().hex)
    store.answer(a.id, "pace", "right", "", uuid.uuid4().hex)  # changed their mind
    store.answer(b.id, "pace", "too_fast", None, uuid.uuid4().hex)
    store.answer(b.id, "jobs", "never", "", uuid.uuid4().hex)
    latest = store.answers(code)
    assert sorted(zip(latest["question"], latest["choice"], strict=True)) == [
        ("jobs", "never"), ("pace", "right"), ("pace", "too_fast")]
    history = store.answers(code, history=True)
    assert len(history) == 4 and history["latest"].sum() == 3
    assert history.loc[0, "note"] == "Slow down please"
    assert history.loc[0, "status"] == "pending"


@pytest.mark.parametrize("question, choice", [("lunch", "soup"), ("pace", "never"),
                                              ("pace", None)])
def test_an_answer_outside_the_choices_is_refused(store, room, question, choice):
    code, (a, _, _) = room
    with pytest.raises(ValueError):
        store.answer(a.id, question, choice, "", uuid.uuid4().hex)
    assert store.answers(code).empty


def test_answers_are_paused_with_the_room_and_sent_once(store, room):
    code, (a, _, _) = room
    cid = uuid.uuid4().hex
    first = store.answer(a.id, "pace", "right", "", cid)
    assert store.answer(a.id, "pace", "right", "", cid).id == first.id
    store.lock(code)
    with pytest.raises(AnswersLocked):
        store.answer(a.id, "jobs", "never", "", uuid.uuid4().hex)
    assert len(store.answers(code, history=True)) == 1
    store.moderate_answer(code, first.id, "hidden")
    assert store.answers(code).loc[0, "status"] == "hidden"
