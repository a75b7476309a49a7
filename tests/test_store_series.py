"""Joining again and joining a series: the same phone resumes, a return code
continues the same person in the next workshop, nobody stuffs the room."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import threading
import uuid

import pytest

from tests.test_store import PASS, db_url, reaction, store  # noqa: F401 - fixtures
from workshop.models import CODE_ALPHABET
from workshop.store import Refused, TooManyAttempts

OTHER_PASS = "a different long phrase"


def device():
    return uuid.uuid4().hex


# -- the same phone -------------------------------------------------------------------


def test_the_same_device_rejoining_gets_the_same_participant(store):
    w = store.create_workshop("Hall", PASS)
    phone = device()
    p = store.join(w.code, device=phone)
    again = store.join(w.code.lower(), device=phone)
    assert (again.id, again.pseudonym) == (p.id, p.pseudonym)
    assert store.join(w.code, device=device()).id != p.id
    assert store.counts(w.code)["participants"] == 2
    assert store.participant(p.id).pseudonym == p.pseudonym  # ?p= keeps working


def test_only_a_hash_of_the_device_is_stored(store):
    w = store.create_workshop("Hall", PASS)
    phone = device()
    p = store.join(w.code, device=phone)
    assert store.participant(p.id).device_hash not in (None, phone)
    assert phone not in store.participant(p.id).device_hash


def test_a_device_joining_twice_at_once_is_one_participant(store):
    w = store.create_workshop("Hall", PASS)
    phone = device()
    barrier = threading.Barrier(6)
    ids, errors = [], []

    def tap():
        try:
            barrier.wait()
            ids.append(store.join(w.code, device=phone).id)
        except Exception as err:  # noqa: BLE001 - asserted below
            errors.append(err)

    threads = [threading.Thread(target=tap) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(set(ids)) == 1
    assert store.counts(w.code)["participants"] == 1


def test_a_device_token_of_the_wrong_shape_is_refused(store):
    w = store.create_workshop("Hall", PASS)
    for bad in ("short", "x" * 300, 12345678901234567):
        with pytest.raises(ValueError, match="device"):
            store.join(w.code, device=bad)
    assert store.counts(w.code)["participants"] == 0


# -- stuffing the room ------------------------------------------------------------------


def test_joins_from_one_address_are_limited_but_rejoining_is_not(store, monkeypatch):
    monkeypatch.setenv("WORKSHOP_JOINS_PER_ADDRESS", "3")
    from workshop.store import Store

    limited = Store(store.engine.url.render_as_string(hide_password=False), now=store.now)
    w = limited.create_workshop("Hall", PASS)
    phones = [device() for _ in range(3)]
    people = [limited.join(w.code, device=ph, address="203.0.113.7") for ph in phones]
    with pytest.raises(TooManyAttempts) as caught:
        limited.join(w.code, device=device(), address="203.0.113.7")
    assert caught.value.retry_after >= 60 and isinstance(caught.value, ValueError)
    # A phone that already joined comes back; another network is not held up.
    assert limited.join(w.code, device=phones[0], address="203.0.113.7").id == people[0].id
    limited.join(w.code, device=device(), address="198.51.100.1")
    assert limited.counts(w.code)["participants"] == 4
    store.now.advance(minutes=59)
    with pytest.raises(TooManyAttempts):
        limited.join(w.code, device=device(), address="203.0.113.7")
    store.now.advance(minutes=1, seconds=1)
    limited.join(w.code, device=device(), address="203.0.113.7")
    limited.engine.dispose()


def test_the_default_join_limit_is_four_per_address_an_hour(store):
    """One device clearing its cookie is at most four voices an hour, not 120 in a
    two-hour workshop."""
    w = store.create_workshop("Hall", PASS)
    for _ in range(4):
        store.join(w.code, device=device(), address="203.0.113.8")
    store.now.advance(minutes=30)
    with pytest.raises(TooManyAttempts) as caught:
        store.join(w.code, device=device(), address="203.0.113.8")
    assert 29 * 60 < caught.value.retry_after <= 30 * 60


# -- series ---------------------------------------------------------------------------


def test_a_series_needs_its_own_passphrase_to_take_another_workshop(store):
    first = store.create_workshop("Leeds, week 1", PASS, series="Leeds 2026")
    with pytest.raises(Refused, match="already exists"):
        store.create_workshop("Leeds, week 2", OTHER_PASS, series="leeds  2026")
    second = store.create_workshop("Leeds, week 2", PASS, series=" Leeds 2026 ",
                                   mode="online")
    assert store.verify_facilitator(second.code, PASS)
    info = store.series(first.code)
    assert info["name"] == "Leeds 2026"
    assert [x["code"] for x in info["workshops"]] == [first.code, second.code]
    assert info["modes"] == ["in_person", "online"]
    assert store.series(second.code) == info
    assert store.series(store.create_workshop("Alone", PASS).code) is None
    with pytest.raises(ValueError):
        store.create_workshop("Bad mode", PASS, mode="hybrid")


def test_guessing_a_series_passphrase_is_throttled_per_guesser(store):
    store.create_workshop("Leeds, week 1", PASS, series="Leeds 2026")
    laptop = device()
    for i in range(10):  # one laptop, moving between networks
        with pytest.raises(Refused, match="already exists"):
            store.create_workshop("Mine now", OTHER_PASS, series="Leeds 2026",
                                  address=f"10.0.1.{i}", device=laptop)
    with pytest.raises(TooManyAttempts):
        store.create_workshop("Leeds, week 2", PASS, series="Leeds 2026", device=laptop,
                              address="10.0.2.1")
    # Not the series' own facilitator, elsewhere.
    assert store.create_workshop("Leeds, week 2", PASS, series="Leeds 2026",
                                 address="10.0.0.2").series_id is not None


def test_a_return_code_continues_the_same_person_in_the_next_workshop(store):
    week1 = store.create_workshop("Week 1", PASS, series="Cardiff")
    week2 = store.create_workshop("Week 2", PASS, series="Cardiff", mode="online")
    p1 = store.join(week1.code)
    assert len(p1.return_code) == 16 and set(p1.return_code) <= set(CODE_ALPHABET)
    assert p1.person_id and p1.person_id != p1.id
    typed = "-".join([p1.return_code[:5], p1.return_code[5:].lower()])
    phone = device()
    p2 = store.join(week2.code, returning=typed, device=phone)
    assert p2.id != p1.id and p2.workshop_id == week2.id
    assert (p2.person_id, p2.pseudonym) == (p1.person_id, p1.pseudonym)
    assert p2.return_code != p1.return_code
    # Coming back again in week 2 on that phone resumes that participant.
    assert store.join(week2.code, returning=p1.return_code, device=phone).id == p2.id
    stranger = store.join(week2.code)
    assert stranger.person_id not in (p1.person_id,)


def test_a_return_code_from_elsewhere_is_refused(store):
    week1 = store.create_workshop("Week 1", PASS, series="Cardiff")
    week2 = store.create_workshop("Week 2", PASS, series="Cardiff")
    elsewhere = store.create_workshop("Other series", PASS, series="Swansea")
    alone = store.create_workshop("No series", PASS)
    from_elsewhere = store.join(elsewhere.code).return_code
    for code, back in [(week2.code, "NOTACODE42"), (week2.code, from_elsewhere),
                       (alone.code, store.join(week1.code).return_code)]:
        with pytest.raises(Refused, match="return code"):
            store.join(code, returning=back)
    assert store.counts(week2.code)["participants"] == 0


def test_wrong_return_codes_count_against_the_address(store):
    store.create_workshop("Week 1", PASS, series="Cardiff")
    week2 = store.create_workshop("Week 2", PASS, series="Cardiff")
    for _ in range(4):
        with pytest.raises(Refused, match="return code"):
            store.join(week2.code, returning=f"GUESS{uuid.uuid4().hex[:5]}",
                       address="203.0.113.9")
    with pytest.raises(TooManyAttempts):
        store.join(week2.code, returning="ANYTHING23", address="203.0.113.9")


def test_return_codes_are_unique(store):
    w = store.create_workshop("Hall", PASS)
    codes = {store.join(w.code).return_code for _ in range(30)}
    assert len(codes) == 30


def test_series_reactions_follow_each_person_across_workshops(store):
    week1 = store.create_workshop("Week 1", PASS, series="Cardiff")
    week2 = store.create_workshop("Week 2", PASS, series="Cardiff", mode="online")
    store.create_workshop("Elsewhere", PASS, series="Swansea")
    p1 = store.join(week1.code)
    store.record(**reaction(p1.id, comfort=2))
    store.record(**reaction(p1.id, comfort=3))
    p2 = store.join(week2.code, returning=p1.return_code)
    store.record(**reaction(p2.id, comfort=None))
    other = store.join(week2.code)
    store.record(**reaction(other.id, comfort=5))
    df = store.series_reactions(week2.code)
    assert {"person_id", "workshop_code", "workshop_title", "workshop_created_at", "mode",
            "use_case", "stage", "comfort", "skipped", "latest"} <= set(df.columns)
    assert "participant_id" not in df.columns
    mine = df[df["person_id"] == p1.person_id]
    assert list(mine["workshop_code"]) == [week1.code, week1.code, week2.code]
    assert list(mine["mode"]) == ["in_person", "in_person", "online"]
    assert list(mine["latest"]) == [False, True, True]
    assert list(mine["skipped"]) == [False, False, True]
    assert len(df) == 4
    assert store.series_reactions(week1.code).equals(df)
    alone = store.create_workshop("Alone", PASS)
    store.record(**reaction(store.join(alone.code).id))
    assert list(store.series_reactions(alone.code)["workshop_code"]) == [alone.code]


def test_deleting_the_last_workshop_of_a_series_frees_its_name(store):
    w = store.create_workshop("Week 1", PASS, series="Cardiff")
    store.delete_workshop(w.code)
    assert store.series(store.create_workshop("Week 1", OTHER_PASS, series="Cardiff").code)
