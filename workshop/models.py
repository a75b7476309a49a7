"""Tables: series of workshops, the participants who join them, what they send; and
``upgrade``, which brings a database from an earlier release up to these tables."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import CreateColumn, CreateTable

#: Moderation of participants' text: new text waits; only approved text is projected.
STATUSES = ("pending", "approved", "hidden")
MODES = ("in_person", "online")
SCHEMA_VERSION = 5

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RETURN_CODE_LENGTH = 16  # about 79 bits: no glance or guess takes one


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, always read back as an aware UTC datetime (SQLite keeps no
    zone: what it stores is UTC; PostgreSQL answers in the session's zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Series(Base):
    """Workshops of one dialogue; only a series' passphrase adds a workshop to it."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # the name, case-folded
    name: Mapped[str] = mapped_column(String(200))
    passphrase_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    passphrase_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Where the facilitator has put the room: kept here, not in a server's memory, so
    # late joiners and every app instance sharing one database see the same thing.
    stage: Mapped[str] = mapped_column(String(20), default="first_views")
    preset_use_case: Mapped[str | None] = mapped_column(String(40), nullable=True)
    preset_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    preset_config: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    preset_version: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    timer_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Bumped by every write that concerns this workshop, so views can cache until it moves.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id"), nullable=True, index=True
    )
    mode: Mapped[str] = mapped_column(
        String(20), default="in_person", server_default=text("'in_person'")
    )
    # A hash of the recovery code shown once at creation (None before version 3).
    recovery_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("workshop_id", "device_hash"),)

    # A bearer token: whoever has it (the ?p= link) answers as this participant.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(String(60))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The same person across the workshops of a series; safe to put in an export.
    person_id: Mapped[str] = mapped_column(String(36), default=new_id, index=True)
    # Shown to the person to continue next time in the same series.
    return_code: Mapped[str] = mapped_column(
        String(16), unique=True, default=lambda: new_code(RETURN_CODE_LENGTH)
    )
    # A hash of the browser's device token: the same phone rejoining resumes.
    device_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # A hash of the network address it joined from, with the workshop: several from
    # one address are shown to the facilitator as possibly one person.
    address_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ParticipantText:
    """What reactions and advice share: sent once per ``client_id`` by one participant
    of one workshop, and moderated by the facilitator."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    @property
    def hidden(self) -> bool:
        return self.status == "hidden"


def is_latest(model: type[ParticipantText], *per: Any) -> Any:
    """True for each participant's last row of ``model`` per the ``per`` columns."""
    return (func.row_number().over(
        partition_by=(model.participant_id, *per),
        order_by=(model.created_at.desc(), model.id.desc()),
    ) == 1).label("latest")


class Reaction(ParticipantText, Base):
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    use_case: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(10))
    comfort: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: skipped
    skipped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Advice(ParticipantText, Base):
    """A short piece of advice a participant wrote in the closing round."""

    __tablename__ = "advice"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    theme: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)


class Answer(ParticipantText, Base):
    """A short answer to one of the dialogue's outstanding questions, with a note."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    question: Mapped[str] = mapped_column(String(20))
    choice: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class RecordAnswer(Base):
    """What one participant said of a tool's public record (``simulators.transparency``):
    for each section, must the public be told it ("yes" or "no"), and would the record
    be enough for them to accept the tool's use. The latest per use case counts."""

    __tablename__ = "record_answers"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    use_case: Mapped[str] = mapped_column(String(40))
    told: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    enough: Mapped[str | None] = mapped_column(String(10), nullable=True)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class PanelVerdict(ParticipantText, Base):
    """One participant's verdict as a member of the ethics panel, the conditions they
    picked, and any they wrote (moderated like a comment). The latest per use case
    counts."""

    __tablename__ = "panel_verdicts"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)

    use_case: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(12))
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    own_condition: Mapped[str] = mapped_column(Text, default="")


class ThemeTag(Base):
    """A facilitator's correction of the themes of one comment, piece of advice or
    written condition; without one, the themes come from the word lists
    (``workshop.themes``). ``text_digest`` is a hash of the text it was made for: a
    correction never moves to another text that later takes the same id."""

    __tablename__ = "theme_tags"
    __table_args__ = (UniqueConstraint("workshop_id", "kind", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    item_id: Mapped[int] = mapped_column(Integer)
    text_digest: Mapped[str] = mapped_column(String(64))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Vote(Base):
    """One participant's agree / disagree / pass on one piece of advice."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("advice_id", "participant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advice_id: Mapped[int] = mapped_column(
        ForeignKey("advice.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    vote: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class Decision(Base):
    """One participant's own decision on one case the AI also decided ("decide
    first"), with what the case truly needed and what the AI decided under the
    settings the person decided under (``config``). Sent once per ``client_id``
    (one set of cases); deciding a case again adds a row, and the latest counts."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("participant_id", "client_id", "case_id"),
                      Index("ix_decisions_workshop_use_case", "workshop_id", "use_case"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    use_case: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[str] = mapped_column(String(40))
    group: Mapped[str] = mapped_column(String(10))
    truth: Mapped[int] = mapped_column(Integer)
    ai: Mapped[int] = mapped_column(Integer)
    person: Mapped[int] = mapped_column(Integer)
    draw: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)  # time taken
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class DecideFirst(Base):
    """Whether a workshop's participants decide cases before seeing the AI, per use
    case (no row: yes). Room state, so every app instance sees the same."""

    __tablename__ = "decide_first"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    use_case: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


class Attempt(Base):
    """A wrong passphrase or a join, kept for the throttling window (about ten minutes)
    to slow down guessing and stuffing.
    ``key`` is a hash of the workshop code or the address, never the address itself."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Heartbeat(Base):
    """One row, rewritten to prove the database takes writes (``Store.writable``)."""

    __tablename__ = "heartbeat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class SchemaVersion(Base):
    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)


# -- bringing an older database up to these tables --------------------------------
#
# Version 1 is the first release (no schema_version table): no series, locks, timers,
# moderation status, skips, return codes or answers to the outstanding questions, and
# a client_id unique across everyone.
#
# Version 2, the last release, has no decisions or "decide first" switches, no answers
# about a tool's record, no panel verdicts and no theme corrections (new tables only,
# which ``create_all`` below makes), and no recovery codes or hash of the address a
# participant joined from (two columns, ``_from_v2``). Versions 3 and 4 were never
# released.


def upgrade(engine: Engine) -> None:
    """Create the tables, or bring an older database up to them; safe to call from
    several processes at once (the first one in does the work, under a lock)."""
    with engine.connect() as conn:
        if _version(conn) == SCHEMA_VERSION:
            return
    if engine.dialect.name == "sqlite":
        # Rebuilding a table needs foreign keys off, which only works outside a
        # transaction; BEGIN IMMEDIATE then keeps other processes out until COMMIT.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    _upgrade(conn)
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if problems:
                        raise RuntimeError(f"Upgrade broke foreign keys: {problems[:5]}")
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    else:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(7311453)"))  # one upgrader
            _upgrade(conn)


def _version(conn: Connection) -> int | None:
    """The schema's version: None for an empty database, 1 for the first release."""
    names = set(inspect(conn).get_table_names())
    if SchemaVersion.__tablename__ in names:
        return conn.scalar(select(SchemaVersion.version))
    return 1 if Workshop.__tablename__ in names else None


def _upgrade(conn: Connection) -> None:
    version = _version(conn)
    if version == SCHEMA_VERSION:
        return  # another process did it while this one waited
    if version is not None and version > SCHEMA_VERSION:
        raise RuntimeError(
            f"This database is from a newer release (schema {version}); update the app."
        )
    Base.metadata.create_all(conn)  # new tables only: existing ones are left as they are
    if version == 1:
        _from_v1(conn)
    if version is not None:  # each step checks what is already there
        _from_v2(conn)
    conn.execute(SchemaVersion.__table__.delete())
    conn.execute(SchemaVersion.__table__.insert().values(version=SCHEMA_VERSION))


def _from_v1(conn: Connection) -> None:
    text_status = "CASE WHEN hidden THEN 'hidden' ELSE 'pending' END"
    if conn.dialect.name == "sqlite":
        # SQLite cannot drop a UNIQUE or change NOT NULL: rebuild the changed tables.
        _rebuild_sqlite(conn, Workshop.__table__, {})
        _rebuild_sqlite(conn, Participant.__table__, {"person_id": "id", "return_code": "id"})
        _rebuild_sqlite(conn, Reaction.__table__, {"status": text_status})
        _rebuild_sqlite(conn, Advice.__table__, {"status": text_status})
    else:
        _add_columns(conn, Workshop.__table__, ["locked", "revision", "mode", "timer_ends_at",
                                                "timer_seconds", "series_id"])
        conn.exec_driver_sql("ALTER TABLE workshops ADD FOREIGN KEY (series_id) "
                             "REFERENCES series (id)")
        # Added empty, filled below, then made NOT NULL and unique.
        conn.exec_driver_sql("ALTER TABLE participants ADD COLUMN person_id VARCHAR(36), "
                             "ADD COLUMN return_code VARCHAR(16)")
        _add_columns(conn, Participant.__table__, ["device_hash"])
        _add_columns(conn, Reaction.__table__, ["skipped"])
        conn.exec_driver_sql("ALTER TABLE reactions ALTER COLUMN comfort DROP NOT NULL")
        for table in (Reaction.__table__, Advice.__table__):
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN status VARCHAR(10)")
            conn.exec_driver_sql(f"UPDATE {table.name} SET status = {text_status}")
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ALTER COLUMN status SET NOT NULL,"
                                 " DROP COLUMN hidden")
            for unique in inspect(conn).get_unique_constraints(table.name):
                if unique["column_names"] == ["client_id"]:
                    conn.exec_driver_sql(
                        f'ALTER TABLE {table.name} DROP CONSTRAINT "{unique["name"]}"')
            conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD UNIQUE "
                                 "(participant_id, client_id)")
    # Every earlier participant is their own person, with a return code of their own.
    table = Participant.__table__
    codes: set[str] = set()
    for (pid,) in conn.execute(select(table.c.id)).all():
        code = new_code(RETURN_CODE_LENGTH)
        while code in codes:
            code = new_code(RETURN_CODE_LENGTH)
        codes.add(code)
        conn.execute(table.update().where(table.c.id == pid)
                     .values(person_id=new_id(), return_code=code))
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE participants ALTER COLUMN person_id SET NOT NULL, "
                             "ALTER COLUMN return_code SET NOT NULL, ADD UNIQUE (return_code), "
                             "ADD UNIQUE (workshop_id, device_hash)")
        for index in (*Participant.__table__.indexes, *Workshop.__table__.indexes):
            if index.name in ("ix_participants_person_id", "ix_workshops_series_id"):
                index.create(conn)


def _from_v2(conn: Connection) -> None:
    """Recovery codes and join addresses: two empty columns (SQLite's rebuild of a
    version 1 table has made them already)."""
    for table, name in ((Workshop.__table__, "recovery_hash"),
                        (Participant.__table__, "address_hash")):
        if name not in {c["name"] for c in inspect(conn).get_columns(table.name)}:
            _add_columns(conn, table, [name])


def _add_columns(conn: Connection, table: Table, names: list[str]) -> None:
    for name in names:
        spec = CreateColumn(table.c[name]).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {spec}")


def _rebuild_sqlite(conn: Connection, table: Table, fill: dict[str, str]) -> None:
    """SQLite's way to change a table: create it anew, copy the rows, swap the names.
    Columns the old table lacks take their server default, or the SQL in ``fill``."""
    old = {c["name"] for c in inspect(conn).get_columns(table.name)}
    new = f"_new_{table.name}"
    ddl = str(CreateTable(table).compile(dialect=conn.dialect))
    conn.exec_driver_sql(ddl.replace(f"CREATE TABLE {table.name} ", f"CREATE TABLE {new} ", 1))
    columns = [c for c in table.columns if c.name in old or c.name in fill]
    names = ", ".join(c.name for c in columns)
    values = ", ".join(c.name if c.name in old else fill[c.name] for c in columns)
    conn.exec_driver_sql(f"INSERT INTO {new} ({names}) SELECT {values} FROM {table.name}")
    conn.exec_driver_sql(f"DROP TABLE {table.name}")
    conn.exec_driver_sql(f"ALTER TABLE {new} RENAME TO {table.name}")
    for index in table.indexes:
        index.create(conn)
