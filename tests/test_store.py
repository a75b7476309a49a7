"""The store: nothing a participant sends is lost, nobody reads what they should not.

The ``store`` fixture runs each test on SQLite and on a fresh PostgreSQL database; other
store test files import it from here.
"""

import csv
import hashlib
import io
import json
import logging
import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from workshop.export import advice_csv, reactions_csv, workshop_json
from workshop.export_rows import neutralise
from workshop.models import CODE_ALPHABET, Attempt, Workshop, upgrade
from workshop.store import (
    Refused,
    Store,
    StoreUnavailable,
    TooManyAttempts,
    WorkshopNotFound,
)

PASS = "correct horse battery"


class Clock:
    """A clock the test moves by hand: throttles and timers without sleeping."""

    def __init__(self) -> None:
        self.t = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> None:
        self.t += timedelta(**kw)


def fresh_postgres(pg_url):
    """A new, empty database on the test server; dropped afterwards."""
    name = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield pg_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'w.db'}"
    else:
        yield from fresh_postgres(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url):
    s = Store(db_url, now=Clock())
    yield s
    s.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'w.db'}", now=Clock())
    yield s
    s.engine.dispose()


def reaction(pid, **over):
    args = dict(
        participant_id=pid,
        use_case="call_triage",
        stage="before",
        comfort=2,
        themes=["oversight", "accuracy_bias"],
        comment="Worried about accents",
        config={"label_bias": 0.4, "mitigation": "none", "seed": 3},
        metrics={"equalized_odds_difference": 0.31, "false_negative_rate[B]": 0.4},
        client_id=uuid.uuid4().hex,
    )
    args.update(over)
    return args


@pytest.fixture
def workshop(store):
    return store.create_workshop("Library, Tuesday", PASS)


def test_workshop_code_is_short_unambiguous_and_passphrase_is_hashed(store, workshop):
    assert len(workshop.code) == 6 and set(workshop.code) <= set(CODE_ALPHABET)
    assert PASS not in workshop.passphrase_hash
    assert store.verify_facilitator(workshop.code, PASS)
    assert store.verify_facilitator(workshop.code.lower(), PASS)
    assert not store.verify_facilitator(workshop.code, PASS + "x")
    assert not store.verify_facilitator("ZZZZZZ", PASS)
    codes = {store.create_workshop(f"w{i}", PASS).code for i in range(20)}
    assert len(codes) == 20


def test_passphrases_are_hashed_at_full_cost_unless_a_setting_lowers_it(store, monkeypatch):
    cheap = store.create_workshop("Tests' cost", PASS)  # conftest: WORKSHOP_SCRYPT_COST=10
    assert cheap.passphrase_hash.startswith("scrypt:10$")
    monkeypatch.delenv("WORKSHOP_SCRYPT_COST")
    full = store.create_workshop("A real room's cost", PASS)
    assert full.passphrase_hash.startswith("scrypt$")  # 2**14, as before the setting
    # Each hash is checked at its own cost, whatever the setting is now.
    assert store.verify_facilitator(cheap.code, PASS)
    assert store.verify_facilitator(full.code, PASS)
    assert not store.verify_facilitator(full.code, PASS + "x")
    monkeypatch.setenv("WORKSHOP_SCRYPT_COST", "3")
    with pytest.raises(ValueError, match="WORKSHOP_SCRYPT_COST must be at least 10"):
        store.create_workshop("Too cheap", PASS)


@pytest.mark.parametrize("title, phrase", [("", PASS), ("ok", "short"), ("x" * 201, PASS)])
def test_bad_workshop_settings_are_refused(store, title, phrase):
    with pytest.raises(ValueError):
        store.create_workshop(title, phrase)


def test_join_gives_a_pseudonym_and_refuses_unknown_or_closed_codes(store, workshop):
    p = store.join(f" {workshop.code.lower()} ")
    assert p.pseudonym and p.pseudonym[0].isupper()
    with pytest.raises(WorkshopNotFound, match="no workshop with that code"):
        store.join("NOPE42")
    store.close_workshop(workshop.code)
    with pytest.raises(WorkshopNotFound, match="closed"):
        store.join(workshop.code)


@pytest.mark.parametrize(
    "bad",
    [
        dict(stage="during"),
        dict(comfort=0),
        dict(comfort=6),
        dict(comfort=True),
        dict(comfort="3"),
        dict(themes=["oversight", "vibes"]),
        dict(comment="x" * 1001),
        dict(config={"f": float("nan")}),
        dict(metrics={"f": object()}),
        dict(use_case="Robert'); DROP TABLE reactions;--"),
        dict(client_id="short"),
        dict(participant_id="not-a-participant"),
    ],
)
def test_invalid_reaction_raises_and_writes_nothing(store, workshop, bad):
    p = store.join(workshop.code)
    with pytest.raises(ValueError):
        store.record(**reaction(p.id, **bad))
    assert len(store.reactions(workshop.code)) == 0


def test_resubmitting_a_client_id_stores_one_row(store, workshop):
    p = store.join(workshop.code)
    args = reaction(p.id)
    first = store.record(**args)
    again = store.record(**{**args, "comment": "changed my mind"})
    assert first.id == again.id
    df = store.reactions(workshop.code)
    assert len(df) == 1 and df.loc[0, "comment"] == "Worried about accents"


def test_a_restart_loses_nothing(db_url):
    url = db_url
    s1 = Store(url)
    w = s1.create_workshop("Restart", PASS)
    p = s1.join(w.code)
    s1.record(**reaction(p.id))
    s1.engine.dispose()
    s2 = Store(url)  # a new process would do exactly this
    df = s2.reactions(w.code)
    assert len(df) == 1
    assert df.loc[0, "config.label_bias"] == 0.4
    assert s2.verify_facilitator(w.code, PASS)
    s2.engine.dispose()


def test_reactions_table_has_a_column_per_setting_and_metric(store, workshop):
    p = store.join(workshop.code)
    store.record(**reaction(p.id))
    store.record(**reaction(p.id, stage="after", comfort=4, config={"label_bias": 0.0}))
    df = store.reactions(workshop.code)
    assert list(df["stage"]) == ["before", "after"]
    assert {"config.label_bias", "config.mitigation", "metric.equalized_odds_difference",
            "metric.false_negative_rate[B]"} <= set(df.columns)
    assert df.loc[0, "themes"] == "oversight; accuracy_bias"


def test_csv_export_neutralises_formulas_and_blanks_hidden_comments(store, workshop):
    p = store.join(workshop.code)
    evil = store.record(**reaction(p.id, comment='=HYPERLINK("http://x","click")'))
    store.record(**reaction(p.id, comment="+44 123", stage="after"))
    hidden = store.record(**reaction(p.id, comment="rude words", stage="final"))
    store.hide_reaction(workshop.code, hidden.id)
    rows = list(csv.DictReader(io.StringIO(reactions_csv(store, workshop.code))))
    assert [r["comment"] for r in rows] == ["'=HYPERLINK(\"http://x\",\"click\")", "'+44 123", ""]
    assert rows[0]["config.label_bias"] == "0.4"
    assert "participant_id" not in rows[0]
    data = json.loads(workshop_json(store, workshop.code))
    assert data["workshop"]["code"] == workshop.code
    assert data["reactions"][0]["config"]["seed"] == 3
    assert data["reactions"][2]["comment"] == "" and data["reactions"][2]["hidden"]
    assert evil.id == data["reactions"][0]["reaction_id"]


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("-1") == "'-1" and neutralise("@me") == "'@me"
    assert neutralise("fine") == "fine" and neutralise(-1.5) == -1.5


def test_hide_only_works_within_the_facilitators_own_workshop(store, workshop):
    other = store.create_workshop("Other", PASS)
    p = store.join(other.code)
    r = store.record(**reaction(p.id))
    with pytest.raises(ValueError):
        store.hide_reaction(workshop.code, r.id)


def test_closed_workshop_takes_no_more_answers_and_delete_removes_everything(store, workshop):
    p = store.join(workshop.code)
    store.record(**reaction(p.id))
    store.close_workshop(workshop.code)
    with pytest.raises(ValueError, match="closed"):
        store.record(**reaction(p.id))
    store.delete_workshop(workshop.code)
    with pytest.raises(WorkshopNotFound):
        store.reactions(workshop.code)
    assert store.participant(p.id) is None


def _sixty_at_once(store):
    w = store.create_workshop("Full room", PASS)
    people = [store.join(w.code) for _ in range(60)]
    barrier = threading.Barrier(60)
    errors = []
    args = [reaction(p.id) for p in people]

    def send(a):
        try:
            barrier.wait()
            store.record(**a)
            store.record(**a)  # a double tap on Send
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=send, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    df = store.reactions(w.code)
    return errors, df, args


def test_sixty_participants_recording_at_once(store):
    errors, df, args = _sixty_at_once(store)
    assert errors == []
    assert len(df) == 60
    assert df["participant_id"].nunique() == 60


def test_unreachable_database_raises_store_unavailable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    store = Store(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none")
    with pytest.raises(StoreUnavailable):
        store.create_workshop("x", PASS)
    assert store.ping() is False


def test_database_url_environment_variable_selects_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert Store().url.endswith("env.db")


def test_sending_the_same_client_id_at_once_stores_one_row(store, workshop):
    p = store.join(workshop.code)
    args = reaction(p.id)
    barrier = threading.Barrier(8)
    ids, errors = [], []

    def tap():
        try:
            barrier.wait()
            ids.append(store.record(**args).id)
        except Exception as err:  # noqa: BLE001 - asserted below
            errors.append(err)

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(set(ids)) == 1
    assert len(store.reactions(workshop.code)) == 1


def test_one_persons_client_id_never_swallows_anothers_answer(store, workshop):
    a, b = store.join(workshop.code), store.join(workshop.code)
    cid = uuid.uuid4().hex
    store.record(**reaction(a.id, client_id=cid, comment="mine"))
    store.record(**reaction(b.id, client_id=cid, comment="theirs"))
    store.add_advice(a.id, "oversight", "Keep a human in charge", cid)
    store.add_advice(b.id, "oversight", "Publish the error rates", cid)
    df = store.reactions(workshop.code)
    assert sorted(df["comment"]) == ["mine", "theirs"]
    assert set(store.advice(workshop.code)["text"]) == {"Keep a human in charge",
                                                       "Publish the error rates"}


# -- passphrases -------------------------------------------------------------------


@pytest.mark.parametrize("phrase", [
    "", "            ", "short phrase"[:11], "password1234", "PASSWORD1234", "  Password1234 ",
    "qwertyuiop123", "123456789012", "iloveyou1234", "correct horse battery staple",
    "aaaaaaaaaaaaaaaa", "............",
])
def test_weak_passphrases_are_refused_and_nothing_is_made(store, phrase):
    with pytest.raises(Refused) as caught:
        store.create_workshop("Hall", phrase)
    assert isinstance(caught.value, ValueError) and caught.value.msgid
    upgrade(store.engine)  # the tables, whether or not the store has made them yet
    with Session(store.engine) as s:
        assert s.scalar(select(func.count())
                        .select_from(Workshop)) == 0


def test_a_short_passphrase_says_how_long_in_a_translatable_message(store):
    with pytest.raises(Refused) as caught:
        store.create_workshop("Hall", "eleven char")
    err = caught.value
    assert err.msgid == "Choose a passphrase of at least {n} characters."
    assert err.params == {"n": 12} and str(err) == "Choose a passphrase of at least 12 characters."


@pytest.mark.parametrize("phrase", [PASS, "Leeds library 3 March", "tea & biscuits at ten"])
def test_long_uncommon_passphrases_are_taken(store, phrase):
    w = store.create_workshop("Hall", phrase)
    assert store.verify_facilitator(w.code, phrase)


def test_checking_an_unknown_code_costs_one_hash_like_a_known_one(store, workshop, monkeypatch):
    store.verify_facilitator("ZZZZZZ", PASS)  # the dummy hash is made once, here
    calls = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert not store.verify_facilitator("ZZZZZZ", PASS)
    assert len(calls) == 1
    assert store.verify_facilitator(workshop.code, PASS)
    assert len(calls) == 2


# -- throttling --------------------------------------------------------------------


def test_wrong_passphrases_block_their_address_and_device_never_the_workshop(store, workshop):
    """The code is on the projector: a phone guessing it locks out that phone, not the
    facilitator (on every database, and in another process sharing it)."""
    other = store.create_workshop("Other room", PASS)
    phone, laptop = "phone-" + "x" * 20, "laptop-" + "y" * 20
    for _ in range(10):
        assert not store.verify_facilitator(workshop.code, "wrong but long enough",
                                            address="10.0.0.66", device=phone)
    with pytest.raises(TooManyAttempts) as caught:
        store.verify_facilitator(workshop.code, PASS, address="10.0.0.66", device=phone)
    assert isinstance(caught.value, ValueError)
    assert caught.value.retry_after >= 60 and caught.value.params["minutes"] >= 1
    assert "{minutes}" in caught.value.msgid
    with pytest.raises(TooManyAttempts):  # that phone, from another address too
        store.verify_facilitator(other.code, PASS, address="10.0.0.67", device=phone)
    # The facilitator's laptop, elsewhere on the network: the right passphrase works.
    assert store.verify_facilitator(workshop.code, PASS, address="10.0.0.2", device=laptop)
    again = Store(str(store.engine.url.render_as_string(hide_password=False)), now=store.now)
    with pytest.raises(TooManyAttempts):
        again.verify_facilitator(workshop.code, PASS, address="10.0.0.66")
    assert again.verify_facilitator(workshop.code, PASS, address="10.0.0.3")
    again.engine.dispose()
    store.now.advance(minutes=10, seconds=1)
    assert store.verify_facilitator(workshop.code, PASS, address="10.0.0.66", device=phone)


def test_a_device_that_signed_in_before_is_not_locked_out_by_others_at_its_address(
        store, workshop):
    """A venue behind one address: someone else's wrong guesses from it block new
    devices there, never the facilitator's own device; its own wrong guesses do."""
    laptop = "laptop-" + "y" * 20
    assert store.verify_facilitator(workshop.code, PASS, address="203.0.113.5", device=laptop)
    for i in range(10):
        store.verify_facilitator(workshop.code, "wrong but long enough",
                                 address="203.0.113.5", device=f"phone-{i:02d}" + "z" * 16)
    with pytest.raises(TooManyAttempts):
        store.verify_facilitator(workshop.code, PASS, address="203.0.113.5")
    assert store.verify_facilitator(workshop.code, PASS, address="203.0.113.5", device=laptop)
    for _ in range(10):
        store.verify_facilitator(workshop.code, "my own typo, twice", address="203.0.113.5",
                                 device=laptop)
    with pytest.raises(TooManyAttempts):
        store.verify_facilitator(workshop.code, PASS, address="203.0.113.5", device=laptop)


def test_sixty_guesses_at_the_same_moment_get_ten_checks(store, workshop, monkeypatch):
    """Counting holds under parallel guesses: each is counted before it is checked,
    one after another (SQLite's write lock, PostgreSQL's advisory locks)."""
    checks, refused, errors = [], [], []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: checks.append(1) or real(*a, **k))
    barrier = threading.Barrier(60)

    def guess(i: int) -> None:
        try:
            barrier.wait()
            store.verify_facilitator(workshop.code, f"guess number {i:04d}",
                                     address="10.0.0.66")
        except TooManyAttempts:
            refused.append(i)
        except Exception as err:  # noqa: BLE001 - asserted below
            errors.append(err)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert (len(checks), len(refused)) == (10, 50)


def test_a_block_lasts_at_least_a_minute_after_the_last_wrong_try(store, workshop):
    for i in range(10):  # ten tries spread over nine and a half minutes
        if i:
            store.now.advance(seconds=63.3)
        assert not store.verify_facilitator(workshop.code, "wrong but long enough",
                                            address="10.0.0.66")
    # 45 s on, the first try has left the ten-minute window, but the block holds.
    store.now.advance(seconds=45)
    with pytest.raises(TooManyAttempts) as caught:
        store.verify_facilitator(workshop.code, PASS, address="10.0.0.66")
    assert 0 < caught.value.retry_after <= 15
    store.now.advance(seconds=16)
    assert store.verify_facilitator(workshop.code, PASS, address="10.0.0.66")


def test_ten_wrong_tries_from_one_address_block_that_address_for_any_code(store, workshop):
    codes = [store.create_workshop(f"Room {i}", PASS).code for i in range(5)]
    for i in range(10):
        assert not store.verify_facilitator(codes[i % 5], "wrong but long enough",
                                            address="203.0.113.9")
    with pytest.raises(TooManyAttempts):
        store.verify_facilitator(workshop.code, PASS, address="203.0.113.9")
    assert store.verify_facilitator(workshop.code, PASS, address="198.51.100.4")
    assert store.verify_facilitator(workshop.code, PASS)  # that code itself is not blocked


def test_attempts_keep_no_address_or_code_in_the_clear(store, workshop):
    store.verify_facilitator(workshop.code, "wrong but long enough", address="203.0.113.9",
                             device="device-" + "d" * 20)
    with Session(store.engine) as s:
        keys = s.scalars(select(Attempt.key)).all()
    assert len(keys) == 2
    assert not any("203.0.113.9" in k or workshop.code in k or "device-" in k for k in keys)


# -- what participants type ----------------------------------------------------------


def test_control_and_bidi_characters_are_stripped_newlines_and_tabs_kept(store, workshop):
    p = store.join(workshop.code)
    typed = "\u202eevil\u202c\x00 line one\r\nline\ttwo\x07\u2066\u200f\u061c\x1b[31m"
    store.record(**reaction(p.id, comment=typed))
    store.add_advice(p.id, "oversight", "\u202dKeep\x00 a human\u2069\nin charge\x0b",
                     uuid.uuid4().hex)
    assert store.reactions(workshop.code).loc[0, "comment"] == "evil line one\nline\ttwo[31m"
    assert store.advice(workshop.code).loc[0, "text"] == "Keep a human\nin charge"


def test_invisible_characters_make_no_lookalike_advice_and_no_blank_card(store, workshop):
    """Zero-width spaces, word joiners, soft hyphens and tag characters are dropped, so
    advice cannot be copied invisibly (splitting its votes) and an unseen text is no text;
    the joiners in emoji and the tags of the Welsh flag stay."""
    p = store.join(workshop.code)
    store.add_advice(p.id, "oversight", "Keep a\u200b human in\u00ad charge\u2060",
                     uuid.uuid4().hex)
    assert store.advice(workshop.code)["text"].tolist() == ["Keep a human in charge"]
    with pytest.raises(Refused, match="already in the room"):  # no invisible copy
        store.add_advice(p.id, "oversight", "Keep a human in\u2063 charge", uuid.uuid4().hex)
    for unseen in ("\u200b", "\ufeff \u2060", "\U000e0041\U000e0042", "\u200d"):
        with pytest.raises(Refused, match="Write your advice first"):
            store.add_advice(p.id, "oversight", unseen, uuid.uuid4().hex)
    wales = "\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F"
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    store.record(**reaction(p.id, comment=f"Cymru {wales} {family}\u2028next"))
    assert store.reactions(workshop.code).loc[0, "comment"] == f"Cymru {wales} {family}\nnext"


def test_a_nul_in_a_comment_is_stored_cleaned_not_taken_for_an_outage(store, workshop):
    p = store.join(workshop.code)
    store.record(**reaction(p.id, comment="before\x00after"))
    assert store.reactions(workshop.code).loc[0, "comment"] == "beforeafter"


def test_a_value_the_database_refuses_is_a_clear_refusal_not_an_outage(db_url, monkeypatch):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite stores any text; PostgreSQL refuses a NUL")
    store = Store(db_url)
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    import workshop.store as store_module

    monkeypatch.setattr(store_module, "clean_text", lambda v, **_: str(v))  # let one through
    with pytest.raises(Refused, match="could not be stored"):
        store.record(**reaction(p.id, comment="before\x00after"))
    assert store.reactions(w.code).empty
    store.engine.dispose()


@pytest.mark.parametrize("comfort", ["3", 3.0, 2.5, "", [3]])
def test_comfort_that_no_widget_offers_is_a_clear_value_error(store, workshop, comfort):
    p = store.join(workshop.code)
    with pytest.raises(ValueError, match="comfort must be a whole number from 1 to 5"):
        store.record(**reaction(p.id, comfort=comfort))
    assert store.reactions(workshop.code).empty


# -- data at rest ----------------------------------------------------------------------


def _mode(path):
    return os.stat(path).st_mode & 0o777


def test_the_sqlite_files_are_readable_by_their_owner_only(tmp_path):
    path = tmp_path / "private.db"
    store = Store(f"sqlite:///{path}")
    w = store.create_workshop("Hall", PASS)
    store.record(**reaction(store.join(w.code).id))
    for name in (path, f"{path}-wal", f"{path}-shm"):
        assert os.path.exists(name) and _mode(name) == 0o600, name
    store.engine.dispose()


def test_an_older_readable_database_is_made_private_when_opened(tmp_path):
    path = tmp_path / "old.db"
    store = Store(f"sqlite:///{path}")
    store.create_workshop("Hall", PASS)
    store.engine.dispose()
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            os.chmod(name, 0o644)
    again = Store(f"sqlite:///{path}")
    assert again.ping()
    assert _mode(path) == 0o600
    again.engine.dispose()


def test_a_deleted_workshop_leaves_no_text_in_the_database_files(sqlite_store):
    store = sqlite_store
    path = store.engine.url.database
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    secret = f"zebra-{uuid.uuid4().hex}"
    store.record(**reaction(p.id, comment=f"comment {secret}"))
    store.add_advice(p.id, "oversight", f"advice {secret}", uuid.uuid4().hex)
    store.answer(p.id, "pace", "too_fast", f"note {secret}", uuid.uuid4().hex)
    files = [path, f"{path}-wal", f"{path}-shm"]

    def on_disk():
        return b"".join(open(f, "rb").read() for f in files if os.path.exists(f))

    assert secret.encode() in on_disk()  # the check below can fail
    store.delete_workshop(w.code)
    assert secret.encode() not in on_disk()
    assert store.ping()  # the app goes on running


def test_times_carry_their_zone_on_every_database(store, workshop):
    p = store.join(workshop.code)
    store.record(**reaction(p.id))
    store.add_advice(p.id, "oversight", "Keep a human in charge", uuid.uuid4().hex)
    assert store.reactions(workshop.code).loc[0, "created_at"].utcoffset() == timedelta(0)
    assert store.workshop(workshop.code).created_at.tzinfo is not None
    rows = list(csv.DictReader(io.StringIO(reactions_csv(store, workshop.code))))
    assert rows[0]["created_at"].endswith("+00:00")
    advice = list(csv.DictReader(io.StringIO(advice_csv(store, workshop.code))))
    assert advice[0]["created_at"].endswith("+00:00")
    data = json.loads(workshop_json(store, workshop.code))
    assert data["workshop"]["created_at"].endswith("+00:00")
    assert data["reactions"][0]["created_at"].endswith("+00:00")


# -- faults, health and change ---------------------------------------------------------


def _nothing_listens():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_fault_is_logged_with_its_cause(caplog):
    store = Store(f"postgresql+psycopg://nobody@127.0.0.1:{_nothing_listens()}/none")
    with caplog.at_level(logging.ERROR, logger="workshop.store"), \
            pytest.raises(StoreUnavailable):
        store.workshop("ABCDEF")
    [record] = [r for r in caplog.records if r.name == "workshop.store"]
    assert record.exc_info and "OperationalError" in record.exc_text


def test_writable_is_true_only_when_a_write_goes_through(store):
    assert store.writable() and store.writable()
    down = Store(f"postgresql+psycopg://nobody@127.0.0.1:{_nothing_listens()}/none")
    assert not down.writable()


def test_a_read_only_database_reads_but_is_not_writable(db_url):
    made = Store(db_url)
    assert made.writable()  # tables made
    made.engine.dispose()
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    else:
        read_only = db_url + "?options=-c%20default_transaction_read_only%3Don"
    store = Store(read_only)
    assert store.ping()
    assert not store.writable()
    store.engine.dispose()


def test_the_revision_moves_with_every_change_and_only_then(store, workshop):
    code = workshop.code
    seen = [store.revision(code)]

    def moved():
        seen.append(store.revision(code))
        return seen[-1] != seen[-2]

    p = store.join(code)
    assert moved()
    r = store.record(**reaction(p.id))
    assert moved()
    a = store.add_advice(p.id, "oversight", "Keep a human in charge", uuid.uuid4().hex)
    assert moved()
    store.vote(store.join(code).id, a.id, "agree")
    assert moved()
    store.moderate(code, r.id, "approved")
    assert moved()
    store.moderate_advice(code, a.id, "hidden")
    assert moved()
    store.set_stage(code, "advice")
    assert moved()
    store.set_preset(code, "call_triage", "biased", {"label_bias": 0.5})
    assert moved()
    store.lock(code)
    assert moved()
    store.set_timer(code, 60)
    assert moved()
    store.close_workshop(code)
    assert moved()
    store.reactions(code), store.advice(code), store.room(code), store.counts(code)
    assert not moved()
    other = store.create_workshop("Elsewhere", PASS)
    store.record(**reaction(store.join(other.code).id))
    assert not moved()  # another workshop's answers leave this one's revision alone


def test_many_stores_opening_a_fresh_file_at_once_all_work(tmp_path):
    """Turning a new file into WAL needs it alone, and SQLite refuses at once rather
    than wait: without taking turns, about one start in ten of eight failed."""
    import sqlite3

    for n in range(10):
        path = tmp_path / f"fresh{n}.db"
        sqlite3.connect(path).close()
        stores = [Store(f"sqlite:///{path}") for _ in range(8)]
        barrier = threading.Barrier(len(stores))
        results = []

        def start(s, barrier=barrier, results=results):
            barrier.wait()
            results.append(s.ping())

        threads = [threading.Thread(target=start, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert results == [True] * len(stores)
        for s in stores:
            s.engine.dispose()
