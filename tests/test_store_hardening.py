"""Nobody in the room can lock the facilitator out or be many people, and deleting is
deleting: return codes only their owner's device can use, a recovery code, fewer
joins and workshops per address, a cap on advice, copies refused, single comments
and advice deleted for good, duplicates merged (SQLite and PostgreSQL)."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import os
import uuid

import pytest
from sqlalchemy import create_engine

from tests.test_store import PASS, db_url, reaction, sqlite_store, store  # noqa: F401
from workshop import export
from workshop import spool as spool_module
from workshop.models import CODE_ALPHABET, SCHEMA_VERSION
from workshop.security import ADVICE_PER_MINUTE, ADVICE_PER_PERSON, clean_text, copy_key
from workshop.spool import Spool
from workshop.store import Refused, Store, TooManyAttempts

NEW_PASS = "a brand new long phrase"


def device() -> str:
    return uuid.uuid4().hex


def cid() -> str:
    return uuid.uuid4().hex


# -- the facilitator's way back in ---------------------------------------------------


def test_a_recovery_code_shown_once_sets_a_new_passphrase_and_is_used_up(store):
    w = store.create_workshop("Hall", PASS)
    code = w.recovery_code
    assert len(code) == 16 and set(code) <= set(CODE_ALPHABET)
    assert code not in (store.workshop(w.code).recovery_hash or "")
    assert not hasattr(store.workshop(w.code), "recovery_code")  # never read back
    with pytest.raises(Refused, match="recovery code"):
        store.reset_passphrase(w.code, "WRONG" + code[5:], NEW_PASS, address="10.0.0.5")
    with pytest.raises(Refused, match="at least 12"):
        store.reset_passphrase(w.code, code, "short", address="10.0.0.5")
    typed = f"{code[:4]}-{code[4:8]} {code[8:].lower()}"
    fresh = store.reset_passphrase(w.code, typed, NEW_PASS, address="10.0.0.5")
    assert store.verify_facilitator(w.code, NEW_PASS)
    assert not store.verify_facilitator(w.code, PASS)
    with pytest.raises(Refused, match="recovery code"):  # used up
        store.reset_passphrase(w.code, code, PASS, address="10.0.0.5")
    assert fresh != code and len(fresh) == 16
    store.reset_passphrase(w.code, fresh, PASS)
    assert store.verify_facilitator(w.code, PASS)


def test_guessing_a_recovery_code_counts_as_guessing_a_passphrase(store):
    w = store.create_workshop("Hall", PASS)
    for _ in range(10):
        with pytest.raises(Refused, match="recovery code"):
            store.reset_passphrase(w.code, "ABCD" * 4, NEW_PASS, address="10.0.0.66")
    with pytest.raises(TooManyAttempts):
        store.reset_passphrase(w.code, w.recovery_code, NEW_PASS, address="10.0.0.66")
    with pytest.raises(TooManyAttempts):
        store.verify_facilitator(w.code, PASS, address="10.0.0.66")
    store.reset_passphrase(w.code, w.recovery_code, NEW_PASS, address="10.0.0.2")


def test_recovering_a_series_workshop_gives_the_series_the_new_passphrase(store):
    week1 = store.create_workshop("Week 1", PASS, series="Cardiff")
    week2 = store.create_workshop("Week 2", PASS, series="Cardiff")
    store.reset_passphrase(week2.code, week2.recovery_code, NEW_PASS)
    assert store.verify_facilitator(week1.code, NEW_PASS)
    assert store.create_workshop("Week 3", NEW_PASS, series="Cardiff").series_id == \
        week1.series_id


# -- new workshops ---------------------------------------------------------------------


def test_workshops_from_one_address_are_limited(store):
    for i in range(5):
        store.create_workshop(f"Room {i}", PASS, series=f"Series {i}", address="10.0.0.66")
    with pytest.raises(TooManyAttempts) as caught:
        store.create_workshop("One more", PASS, series="Claimed early", address="10.0.0.66")
    assert "started from this network" in str(caught.value)
    assert store.create_workshop("Elsewhere", PASS, address="10.0.0.2")
    store.now.advance(hours=1, seconds=1)
    assert store.create_workshop("Later", PASS, address="10.0.0.66")


# -- return codes ----------------------------------------------------------------------


def test_a_return_code_someone_has_seen_does_not_give_them_its_owner(store):
    """A return code read off someone's phone, typed on another device in the same
    workshop, is refused (and counted as a wrong guess): their answers stay theirs.
    Their owner can let one other device continue them, from their own device."""
    w = store.create_workshop("Week 1", PASS, series="Cardiff")
    mine, theirs = device(), device()
    victim = store.join(w.code, device=mine, address="10.0.0.5")
    store.record(**reaction(victim.id, comfort=1))
    with pytest.raises(Refused, match="another device"):
        store.join(w.code, returning=victim.return_code, device=theirs, address="10.0.0.66")
    with pytest.raises(Refused, match="another device"):
        store.join(w.code, returning=victim.return_code, address="10.0.0.66")
    assert store.counts(w.code)["participants"] == 1
    # Counted as wrong guesses: the address soon waits.
    for _ in range(2):
        with pytest.raises(Refused):
            store.join(w.code, returning=victim.return_code, device=device(),
                       address="10.0.0.66")
    with pytest.raises(TooManyAttempts):
        store.join(w.code, returning=victim.return_code, device=device(), address="10.0.0.66")
    # Their own phone still gets them; so does their new laptop, once they say so.
    assert store.join(w.code, returning=victim.return_code, device=mine).id == victim.id
    laptop = device()
    store.allow_another_device(victim.id)
    assert store.join(w.code, returning=victim.return_code, device=laptop).id == victim.id
    assert store.join(w.code, device=laptop).id == victim.id  # the laptop is theirs now
    with pytest.raises(Refused, match="another device"):  # once only
        store.join(w.code, returning=victim.return_code, device=device())
    store.allow_another_device(victim.id)
    store.now.advance(minutes=11)  # and only for a while
    with pytest.raises(Refused, match="another device"):
        store.join(w.code, returning=victim.return_code, device=device())


# -- one person, one voice ------------------------------------------------------------


def test_advice_is_capped_per_person_and_per_minute_with_clear_messages(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    first = cid()
    store.add_advice(p.id, "oversight", "Advice number 0 of many", first)
    for i in range(1, ADVICE_PER_MINUTE):
        store.add_advice(p.id, "oversight", f"Advice number {i} of many", cid())
    with pytest.raises(Refused, match="in one minute"):
        store.add_advice(p.id, "oversight", "One more, too soon", cid())
    store.now.advance(minutes=1)
    for i in range(ADVICE_PER_MINUTE, ADVICE_PER_PERSON):
        store.now.advance(seconds=15)
        store.add_advice(p.id, "oversight", f"Advice number {i} of many", cid())
    store.now.advance(minutes=5)
    with pytest.raises(Refused, match=f"{ADVICE_PER_PERSON} pieces of advice") as caught:
        store.add_advice(p.id, "oversight", "The twenty-first", cid())
    assert caught.value.params == {"n": 20}
    assert len(store.advice(w.code)) == ADVICE_PER_PERSON
    # Sending the first one again (a phone retrying) is no new advice, and no error.
    assert store.add_advice(p.id, "oversight", "Advice number 0 of many", first).text == \
        "Advice number 0 of many"
    other = store.join(w.code)
    store.add_advice(other.id, "oversight", "Someone else can still write", cid())


def test_four_hundred_pieces_of_advice_from_one_phone_store_twenty(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    stored = refused = 0
    for i in range(400):
        store.now.advance(seconds=0.1)
        try:
            store.add_advice(p.id, "oversight", f"Spam {i}", cid())
            stored += 1
        except Refused:
            refused += 1
    assert (stored, refused) == (ADVICE_PER_MINUTE, 400 - ADVICE_PER_MINUTE)
    assert len(store.advice(w.code)) <= ADVICE_PER_PERSON


def test_a_lookalike_copy_of_advice_is_refused_as_a_duplicate(store):
    w = store.create_workshop("Hall", PASS)
    a, b = store.join(w.code), store.join(w.code)
    store.add_advice(a.id, "oversight", "Keep a human in charge", cid())
    for copy in ("Keep a human in charge", "keep a HUMAN  in charge",
                 "Kеep а humаn in chаrge",  # Cyrillic е and а
                 "Keep a hu\u200bman in\u3164 charge", "Ｋｅｅｐ a human in charge",
                 "Keep a hurnan in charge"):  # rn for m
        with pytest.raises(Refused, match="already in the room"):
            store.add_advice(b.id, "oversight", copy, cid())
    store.add_advice(b.id, "oversight", "Keep a human in charge of every decision", cid())
    assert len(store.advice(w.code)) == 2
    # Hidden advice does not stand in the way of someone who means it.
    store.moderate_advice(w.code, int(store.advice(w.code)["advice_id"].iloc[0]), "hidden")
    store.add_advice(b.id, "oversight", "Keep a human in charge", cid())


# -- text that renders as nothing -------------------------------------------------------


@pytest.mark.parametrize("blank", ["\u3164", "\u115f\u1160", "\uffa0 \uffa0", "\u2800\u2800",
                                   "\u034f\ufe0f", "\u180e\u17b4", "\U0001d173\U000e0100",
                                   "\u3164\u200b\u2800\u00ad"])
def test_what_renders_as_nothing_is_nothing(store, blank):
    assert clean_text(blank) == ""
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    with pytest.raises(Refused, match="Write your advice first"):
        store.add_advice(p.id, "oversight", blank, cid())
    store.record(**reaction(p.id, comment=blank))
    assert store.comments(w.code).empty  # no blank card


def test_fillers_are_dropped_emoji_and_their_selectors_kept():
    assert clean_text("Keep\u3164 a\u2800human") == "Keep a human"
    heart, eye = "\u2764\ufe0f", "\U0001f441\ufe0f\u200d\U0001f5e8\ufe0f"
    assert clean_text(f"I {heart} it {eye}") == f"I {heart} it {eye}"
    assert clean_text("\ufe0fstray") == "stray"
    assert copy_key("Keep a human") == copy_key("Keep a\u3164 hu\u034fman")


# -- deleting is deleting -------------------------------------------------------------------


def _on_disk(store) -> bytes:
    path = store.engine.url.database
    return b"".join(open(f, "rb").read() for f in (path, f"{path}-wal", f"{path}-shm")
                    if os.path.exists(f))


def test_a_single_comment_or_advice_is_deleted_from_the_database_files(sqlite_store):
    store = sqlite_store
    w = store.create_workshop("Hall", PASS)
    p, voter = store.join(w.code), store.join(w.code)
    secret = f"zebra-{uuid.uuid4().hex}"
    store.record(**reaction(p.id, comment=f"comment {secret}", comfort=4))
    store.record(**reaction(p.id, comment="a comment that stays"))
    advice = store.add_advice(p.id, "oversight", f"advice {secret}", cid())
    store.add_advice(p.id, "oversight", "advice that stays", cid())
    store.vote(voter.id, advice.id, "agree")
    assert secret.encode() in _on_disk(store)
    gone = int(store.comments(w.code).set_index("comment").loc[f"comment {secret}",
                                                                "reaction_id"])
    store.delete_comment(w.code, gone)
    store.delete_advice(w.code, advice.id)
    assert secret.encode() not in _on_disk(store)
    assert list(store.comments(w.code)["comment"]) == ["a comment that stays"]
    assert list(store.advice(w.code)["text"]) == ["advice that stays"]
    assert store.votes(w.code).empty
    assert 4 in list(store.reactions(w.code)["comfort"])  # the answer itself stays
    assert secret not in export.reactions_csv(store, w.code) + export.workshop_json(store, w.code)
    with pytest.raises(Refused, match="No such advice"):
        store.delete_advice(w.code, advice.id)


def test_deleting_works_on_every_database_and_only_in_the_facilitators_workshop(store):
    w, other = store.create_workshop("Hall", PASS), store.create_workshop("Other", PASS)
    p = store.join(w.code)
    store.record(**reaction(p.id, comment="not yours"))
    advice = store.add_advice(p.id, "oversight", "not yours either", cid())
    rid = int(store.comments(w.code)["reaction_id"].iloc[0])
    with pytest.raises(Refused, match="No such comment"):
        store.delete_comment(other.code, rid)
    with pytest.raises(Refused, match="No such advice"):
        store.delete_advice(other.code, advice.id)
    revision = store.revision(w.code)
    store.delete_comment(w.code, rid)
    store.delete_advice(w.code, advice.id)
    assert store.comments(w.code).empty and store.advice(w.code).empty
    assert store.revision(w.code) > revision  # the Screen and exports follow


def test_answers_waiting_on_disk_go_with_their_workshop(store, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_SPOOL_DIR", str(tmp_path / "outbox"))
    w, other = store.create_workshop("Hall", PASS), store.create_workshop("Other", PASS)
    p, q = store.join(w.code), store.join(other.code)
    outbox = Spool()
    store.lock(w.code)
    for who in (p, q):
        outbox.add(who.id, "add_advice", {"participant_id": who.id, "theme": "oversight",
                                          "text": "kept while paused", "client_id": cid()})
    store.delete_workshop(w.code)
    assert outbox.participants() == [q.id]
    assert b"kept while paused" not in b"".join(
        f.read_bytes() for f in (tmp_path / "outbox").glob(f"{p.id}*"))


# -- suspected duplicates ---------------------------------------------------------------------


def test_joins_from_one_address_are_shown_and_can_be_merged_into_one_voice(
        store, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_SPOOL_DIR", str(tmp_path / "outbox"))
    w = store.create_workshop("Hall", PASS)
    first = store.join(w.code, device=device(), address="10.0.0.66")
    second = store.join(w.code, device=device(), address="10.0.0.66")
    third = store.join(w.code, device=device(), address="10.0.0.66")
    alone = store.join(w.code, device=device(), address="10.0.0.7")
    assert [[x["participant_id"] for x in g] for g in store.suspected_duplicates(w.code)] == [
        [first.id, second.id, third.id]]
    advice = store.add_advice(alone.id, "oversight", "Ask the public first", cid())
    for who, vote, comfort in ((first, "agree", 2), (second, "disagree", 4),
                               (third, "agree", 5)):
        store.record(**reaction(who.id, comfort=comfort))
        store.vote(who.id, advice.id, vote)
        store.now.advance(seconds=1)
    store.add_advice(second.id, "transparency", "Publish the audits", cid())
    store.panel_verdict(third.id, "hotspots", "approve", [], cid())
    assert [x["answers"] for x in store.suspected_duplicates(w.code)[0]] == [1, 2, 2]
    Spool().add(third.id, "vote", {"participant_id": third.id, "advice_id": advice.id,
                                   "vote": "pass"})
    assert store.advice(w.code).set_index("text").loc["Ask the public first", "agree"] == 2
    store.merge_participants(w.code, first.id, [second.id, third.id])
    assert store.counts(w.code)["participants"] == 2
    assert store.suspected_duplicates(w.code) == []
    latest = store.reactions(w.code)
    assert list(latest[latest["latest"]]["comfort"]) == [5]  # one voice: their latest
    votes = store.votes(w.code)
    assert votes.to_dict("records") == [
        {"participant_id": first.id, "advice_id": advice.id, "vote": "agree"}]
    assert store.advice(w.code).set_index("text").loc["Publish the audits", "author_id"] == \
        first.id
    assert Spool().participants() == []
    assert store.participant(second.id) is None
    with pytest.raises(Refused):
        store.merge_participants(w.code, first.id, [str(uuid.uuid4())])


# -- an older database --------------------------------------------------------------------


def test_a_version_2_database_is_upgraded_in_place(db_url):
    store = Store(db_url)
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code, address="10.0.0.5")
    store.engine.dispose()
    engine = create_engine(db_url)
    with engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE workshops DROP COLUMN recovery_hash")
        c.exec_driver_sql("ALTER TABLE participants DROP COLUMN address_hash")
        c.exec_driver_sql("UPDATE schema_version SET version = 2")
    engine.dispose()
    store = Store(db_url)
    assert store.verify_facilitator(w.code, PASS)
    assert store.participant(p.id).pseudonym == p.pseudonym
    with pytest.raises(Refused, match="recovery code"):  # made before recovery codes
        store.reset_passphrase(w.code, "ABCD" * 4, NEW_PASS)
    store.join(w.code, address="10.0.0.5", device=device())
    fresh = store.create_workshop("New", PASS)
    assert store.reset_passphrase(fresh.code, fresh.recovery_code, NEW_PASS)
    with store.engine.connect() as c:
        assert c.exec_driver_sql("SELECT version FROM schema_version").scalar() == \
            SCHEMA_VERSION
    store.engine.dispose()


def test_forgetting_touches_only_the_named_participants(tmp_path):
    outbox = Spool(tmp_path)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for pid in ids:
        outbox.add(pid, "vote", {"participant_id": pid, "advice_id": 1, "vote": "agree"})
    assert spool_module.forget([ids[0], "../../etc/passwd", ids[2]], tmp_path) == 2
    assert outbox.participants() == [ids[1]]
    assert spool_module.forget(ids, tmp_path / "nowhere") == 0
