"""A database from the first release opens with this one: nothing lost, and the new
features work on it (SQLite and PostgreSQL)."""

import threading
import uuid
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    inspect,
)

from tests.test_store import db_url, fresh_postgres, reaction  # noqa: F401 - fixtures
from workshop import export
from workshop.models import SCHEMA_VERSION
from workshop.store import Store
from workshop.store_access import hash_passphrase

# The tables exactly as the first release made them (workshop/models.py before schema
# versions): a client_id unique across everyone, a hidden flag, a comfort always given.
V1 = MetaData()
_TZ = DateTime(timezone=True)
workshops = Table(
    "workshops", V1,
    Column("id", Integer, primary_key=True),
    Column("code", String(12), nullable=False, unique=True, index=True),
    Column("title", String(200), nullable=False),
    Column("passphrase_hash", String(200), nullable=False),
    Column("created_at", _TZ, nullable=False),
    Column("closed_at", _TZ),
    Column("stage", String(20), nullable=False),
    Column("preset_use_case", String(40)),
    Column("preset_key", String(60)),
    Column("preset_config", JSON),
    Column("preset_version", Integer, nullable=False),
)
participants = Table(
    "participants", V1,
    Column("id", String(36), primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("pseudonym", String(60), nullable=False),
    Column("joined_at", _TZ, nullable=False),
)


def _text_columns():
    return [
        Column("id", Integer, primary_key=True),
        Column("client_id", String(64), nullable=False, unique=True),
        Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False,
               index=True),
        Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"),
               nullable=False, index=True),
        Column("hidden", Boolean, nullable=False),
        Column("created_at", _TZ, nullable=False),
    ]


advice = Table(
    "advice", V1,
    Column("theme", String(30), nullable=False),
    Column("text", Text, nullable=False),
    *_text_columns(),
)
reactions = Table(
    "reactions", V1,
    Column("use_case", String(40), nullable=False),
    Column("stage", String(10), nullable=False),
    Column("comfort", Integer, nullable=False),
    Column("themes", JSON, nullable=False),
    Column("comment", Text, nullable=False),
    Column("config", JSON, nullable=False),
    Column("metrics", JSON, nullable=False),
    *_text_columns(),
)
votes = Table(
    "votes", V1,
    Column("id", Integer, primary_key=True),
    Column("advice_id", ForeignKey("advice.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("vote", String(10), nullable=False),
    Column("created_at", _TZ, nullable=False),
    UniqueConstraint("advice_id", "participant_id"),
)

OLD_PASS = "eight ch"  # the first release took passphrases of 8 characters
T0 = datetime(2025, 11, 4, 18, 30, tzinfo=UTC)


def first_release_database(url):
    """A database as a facilitator has it today: one workshop, two people, answers."""
    engine = create_engine(url)
    V1.create_all(engine)
    with engine.begin() as c:
        wid = c.execute(workshops.insert().values(
            code="HALL42", title="Library, Tuesday", passphrase_hash=hash_passphrase(OLD_PASS),
            created_at=T0, stage="use_cases", preset_version=2,
            preset_use_case="call_triage", preset_key="biased", preset_config={"bias": 0.5},
        )).inserted_primary_key[0]
        people = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]
        for i, pid in enumerate(people):
            c.execute(participants.insert().values(
                id=pid, workshop_id=wid, pseudonym=f"Calm Otter {i + 10}", joined_at=T0))
        for i, (pid, stage, comfort, comment, hidden) in enumerate([
            (people[0], "before", 2, "Worried about accents", False),
            (people[0], "after", 4, "Less worried now", False),
            (people[1], "before", 3, "rude words", True),
        ]):
            c.execute(reactions.insert().values(
                use_case="call_triage", stage=stage, comfort=comfort, themes=["oversight"],
                comment=comment, config={"label_bias": 0.4, "seed": 3},
                metrics={"gap": 0.31}, client_id=f"client-{i:04d}", workshop_id=wid,
                participant_id=pid, hidden=hidden, created_at=T0 + timedelta(minutes=i)))
        kept = c.execute(advice.insert().values(
            theme="oversight", text="Keep a human in charge", client_id="advice-0001",
            workshop_id=wid, participant_id=people[0], hidden=False,
            created_at=T0)).inserted_primary_key[0]
        c.execute(advice.insert().values(
            theme="oversight", text="hidden advice", client_id="advice-0002",
            workshop_id=wid, participant_id=people[1], hidden=True, created_at=T0))
        c.execute(votes.insert().values(advice_id=kept, participant_id=people[1],
                                        vote="agree", created_at=T0))
    engine.dispose()
    return people


def schema(url):
    """What a database's tables look like, for comparing an upgrade with a fresh one."""
    engine = create_engine(url)
    insp = inspect(engine)
    out = {}
    for t in sorted(insp.get_table_names()):
        out[t] = {
            "columns": sorted((c["name"], c["nullable"]) for c in insp.get_columns(t)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t))
            + sorted(tuple(i["column_names"]) for i in insp.get_indexes(t) if i["unique"]),
            "indexes": sorted((i["name"], tuple(i["column_names"]))
                              for i in insp.get_indexes(t) if not i["unique"]),
            "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                   for f in insp.get_foreign_keys(t)),
        }
    engine.dispose()
    return out


@pytest.fixture
def old_db(db_url):  # noqa: F811 - a fixture from tests/test_store.py
    people = first_release_database(db_url)
    return db_url, people


def test_an_upgraded_database_keeps_every_answer(old_db):
    url, (first, second) = old_db
    store = Store(url)
    assert store.verify_facilitator("HALL42", OLD_PASS)  # old passphrases still open it
    room = store.room("HALL42")
    assert (room["stage"], room["preset_key"], room["version"]) == ("use_cases", "biased", 2)
    assert room["locked"] is False and room["timer_ends_at"] is None
    df = store.reactions("HALL42")
    assert list(df["comment"]) == ["Worried about accents", "Less worried now", "rude words"]
    assert list(df["comfort"]) == [2, 4, 3] and not df["skipped"].any()
    assert list(df["status"]) == ["pending", "pending", "hidden"]
    assert list(df["config.label_bias"]) == [0.4, 0.4, 0.4]
    assert list(df["created_at"]) == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]
    assert df["latest"].all()
    items = store.advice("HALL42").set_index("text")
    assert items.loc["Keep a human in charge", "agree"] == 1
    assert items.loc["hidden advice", "status"] == "hidden"
    assert items.loc["Keep a human in charge", "status"] == "pending"
    p = store.participant(first)  # the ?p= links people hold still work
    assert p.pseudonym == "Calm Otter 10" and p.person_id not in (None, first)
    assert len(p.return_code) >= 8 and p.return_code != store.participant(second).return_code
    assert store.answered(first) == {("call_triage", "before"), ("call_triage", "after")}
    assert "rude words" not in export.reactions_csv(store, "HALL42")
    store.engine.dispose()


def test_the_new_features_work_on_an_upgraded_database(old_db):
    url, (first, second) = old_db
    store = Store(url)
    # A client_id is now one participant's own: the other person's same id is theirs.
    store.record(**reaction(second, stage="after", client_id="client-0000", comment="mine"))
    store.record(**reaction(second, stage="after", client_id="client-0000", comment="again"))
    store.record(**reaction(first, stage="after", comfort=None))
    df = store.reactions("HALL42")
    assert len(df) == 5 and list(df["comment"])[3] == "mine" and df["skipped"].iloc[-1]
    assert store.shift("HALL42").to_dict("records") == [
        {"participant_id": second, "use_case": "call_triage", "before": 3, "after": 2}]
    store.moderate("HALL42", int(df["reaction_id"].iloc[0]), "approved")
    assert len(store.comments("HALL42", "approved")) == 1
    revision = store.revision("HALL42")
    store.lock("HALL42")
    with pytest.raises(ValueError):
        store.add_advice(first, "oversight", "More training", uuid.uuid4().hex)
    store.lock("HALL42", False)
    store.set_timer("HALL42", 120)
    assert store.revision("HALL42") != revision
    phone = uuid.uuid4().hex
    assert store.join("HALL42", device=phone).id == store.join("HALL42", device=phone).id
    week2 = store.create_workshop("Week 2", "a long new passphrase", series="Library talks")
    assert store.series(week2.code)["workshops"][0]["code"] == week2.code
    store.delete_workshop("HALL42")
    store.engine.dispose()


def test_an_upgraded_database_has_the_tables_of_a_new_one(old_db, tmp_path, request):
    url, _ = old_db
    upgraded = Store(url)
    assert upgraded.ping()
    upgraded.engine.dispose()
    if url.startswith("sqlite"):
        new = nullcontext(f"sqlite:///{tmp_path / 'fresh.db'}")
    else:
        new = contextmanager(fresh_postgres)(request.getfixturevalue("pg_url"))
    with new as fresh:
        made = Store(fresh)
        assert made.ping()
        made.engine.dispose()
        assert schema(url) == schema(fresh)


def test_opening_an_old_database_from_two_processes_at_once_upgrades_it_once(old_db):
    url, (first, _) = old_db
    stores = [Store(url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    errors = []

    def open_it(s):
        try:
            barrier.wait()
            assert s.participant(first) is not None
        except Exception as err:  # noqa: BLE001 - asserted below
            errors.append(err)

    threads = [threading.Thread(target=open_it, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(stores[0].reactions("HALL42")) == 3
    with stores[0].engine.connect() as c:
        assert c.exec_driver_sql("SELECT version FROM schema_version").all() == [
            (SCHEMA_VERSION,)]
    for s in stores:
        s.engine.dispose()


def test_a_database_from_a_newer_release_is_not_touched(db_url):  # noqa: F811
    store = Store(db_url)
    assert store.ping()
    with store.engine.begin() as c:
        c.exec_driver_sql(f"UPDATE schema_version SET version = {SCHEMA_VERSION + 1}")
    store.engine.dispose()
    with pytest.raises(RuntimeError, match="newer release"):
        Store(db_url).ping()
