"""The store's connection to its database: ``make_engine``, and ``Database``, the
sessions every part of ``workshop.store.Store`` reads and writes in.

``make_engine`` uses ``DATABASE_URL`` if set, else an embedded SQLite file,
``var/workshop.db``. SQLite runs in WAL mode, so many participants can write at once,
with a busy timeout, foreign keys and ``secure_delete``; its files are readable by
this user only (a database made by an earlier release too). PostgreSQL gets a pool of
connections checked before use. The tables, and the upgrade of a database from an
earlier release, are ``workshop.models``.

A ``Database`` session makes the tables on first use and turns the database's own
failures into the store's: a value it will not take is ``Refused``, one it cannot be
reached for is ``StoreUnavailable`` (logged, as all the store's messages are, under
``workshop.store``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from simulators.messages import N_
from workshop.errors import AnswersLocked, Refused, StoreUnavailable, WorkshopNotFound
from workshop.models import Heartbeat, Participant, ParticipantText, Workshop, upgrade
from workshop.security import normalise_code

#: Said to a phone whose participant is not (or no longer) in the workshop.
NOT_HERE = N_("We could not find you in this workshop. Please join it again.")

log = logging.getLogger("workshop.store")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE = ROOT / "var" / "workshop.db"

NO_WORKSHOP = N_("There is no workshop with that code. Check the code on the screen and "
                 "try again.")


def _private(path: str) -> None:
    """This user alone may read the database and its -wal and -shm files."""
    for name in (path, f"{path}-wal", f"{path}-shm"):
        try:
            os.chmod(name, 0o600)
        except FileNotFoundError:
            pass


def _sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL, or None (memory, a URI, another database)."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or path in (None, "", ":memory:"):
        return None
    return None if path.startswith("file:") else path


def make_engine(url: str | None = None) -> Engine:
    url = url or os.environ.get("DATABASE_URL") or None
    if url is None:
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DEFAULT_SQLITE}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True,
                             pool_timeout=10, hide_parameters=True)
    path = _sqlite_file(url)
    if path is not None and not os.path.exists(path):
        # Created 0600 here; SQLite gives its -wal and -shm files the same mode.
        old = os.umask(0o077)
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        finally:
            os.umask(old)
    engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA busy_timeout=10000")
        # Turning a new (or rollback-journal) file into WAL needs it to itself, and
        # SQLite says "locked" at once rather than wait: several processes starting
        # together take turns.
        for attempt in range(100):
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or attempt == 99:
                    raise
                time.sleep(0.05)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not left
        cur.close()
        if path is not None:
            _private(path)  # also a database made by an earlier release

    return engine


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Database:
    """Sessions on one database, and the look-ups every part of the store shares.
    Safe to share between threads.

    ``now`` is the clock for throttling and timers (tests pass their own).
    """

    def __init__(self, url: str | None = None, *, now: Callable[[], datetime] | None = None
                 ) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False
        self.now = now or _utcnow

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def _ensure_tables(self) -> None:
        if not self._ready:
            upgrade(self.engine)
            self._ready = True

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            self._ensure_tables()
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except DataError as err:
            # A value the database will not take: sending it again would not help.
            log.warning("The workshop database refused a value", exc_info=True)
            raise Refused(N_("This could not be stored as it is. Please change it and "
                             "try again.")) from err
        except DBAPIError as err:
            log.error("The workshop database failed (%s)", self.url, exc_info=True)
            raise StoreUnavailable(
                "The workshop database can't be reached just now."
            ) from err

    def ping(self) -> bool:
        """Can the database be read?"""
        try:
            with self._session() as s:
                s.execute(select(1))
            return True
        except StoreUnavailable:
            return False

    def writable(self) -> bool:
        """Can the database take a write now? (It writes one tiny heartbeat row.)"""
        try:
            with self._session() as s:
                s.merge(Heartbeat(id=1, at=self.now()))
            return True
        except IntegrityError:
            return True  # another process wrote the first heartbeat at the same moment
        except (StoreUnavailable, Refused):
            return False

    def _workshop(self, s: Session, code: str) -> Workshop:
        w = s.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
        if w is None:
            raise WorkshopNotFound(NO_WORKSHOP)
        return w

    @staticmethod
    def _touch(s: Session, workshop_id: int) -> tuple[bool, datetime | None]:
        """Bump the workshop's revision; returns its (locked, closed_at) as of now.
        Done first in a write, it holds the workshop's row (or SQLite's write lock),
        so a lock or a close cannot slip in before the write commits."""
        s.execute(update(Workshop).where(Workshop.id == workshop_id)
                  .values(revision=Workshop.revision + 1)
                  .execution_options(synchronize_session=False))
        locked, closed_at = s.execute(select(Workshop.locked, Workshop.closed_at)
                                      .where(Workshop.id == workshop_id)).one()
        return bool(locked), closed_at

    @contextmanager
    def _change(self, code: str) -> Iterator[tuple[Session, Workshop]]:
        """A facilitator's change to a workshop, which moves its revision."""
        with self._session() as s:
            w = self._workshop(s, code)
            self._touch(s, w.id)
            yield s, w

    def _compact(self) -> None:
        """Rewrite the SQLite file without free pages and empty the WAL, so deleted
        text is in neither (secure_delete has already zeroed it in place). Nothing to
        do on another database (PostgreSQL's own vacuum reclaims deleted rows)."""
        if self.engine.dialect.name != "sqlite":
            return
        try:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM")
                busy, _, _ = c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            if busy:
                log.warning("The WAL could not be emptied: another process is reading")
        except DBAPIError:
            log.error("Compacting the workshop database failed", exc_info=True)

    # -- what every participant write shares ---------------------------------------

    def _open_participant(self, s: Session, participant_id: str) -> Participant:
        """The participant, in a workshop that takes answers now (revision bumped)."""
        p = s.get(Participant, str(participant_id))
        if p is None:
            raise Refused(NOT_HERE)
        locked, closed_at = self._touch(s, p.workshop_id)
        if closed_at is not None:
            raise Refused(N_("This workshop has closed, so no more answers are taken."))
        if locked:
            raise AnswersLocked(N_("Answers are paused for a moment by the facilitator."))
        return p

    def _insert_once(
        self, model: type[ParticipantText], participant_id: str, client_id: str,
        check: Callable[[Session, Participant], None] | None = None, **fields: Any,
    ) -> Any:
        """Add one participant's row, once per ``client_id`` (a resubmit returns the
        first). ``check`` may refuse it, seeing the workshop as this write holds it."""
        def stored(s: Session) -> Any:
            return s.scalar(select(model).where(model.participant_id == str(participant_id),
                                                model.client_id == client_id))
        try:
            with self._session() as s:
                row = stored(s)
                if row is None:
                    p = self._open_participant(s, participant_id)
                    if check is not None:
                        check(s, p)
                    row = model(client_id=client_id, workshop_id=p.workshop_id,
                                participant_id=p.id, **fields)
                    s.add(row)
            return row
        except IntegrityError:
            # The same client_id arrived twice at once: the other one won.
            with self._session() as s:
                row = stored(s)
            if row is None:
                raise
            return row
