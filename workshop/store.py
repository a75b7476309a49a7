"""Where workshops, participants and what they send are kept (SQLAlchemy).

``Store()`` uses ``DATABASE_URL`` if set, else an embedded SQLite file in ``var/``
(WAL mode, so many participants can write at once; the files are readable by this
user only). Point it at PostgreSQL with
``DATABASE_URL=postgresql+psycopg://user:password@host/dbname``.

Every write validates first and writes nothing on bad input (``ValueError``; the ones
a person reads are ``Refused``, with a translatable template). A database that cannot
be reached raises ``StoreUnavailable``, so the app can keep a participant's answer
(``workshop.spool``) and send it later. Opening a database from an earlier release
upgrades it in place (``workshop.models.upgrade``).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import numbers
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, delete, event, exists, func, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from workshop import analysis, export
from workshop.errors import (
    AnswersLocked,
    Refused,
    StoreUnavailable,
    TooManyAttempts,
    WorkshopNotFound,
)
from workshop.export import neutralise
from workshop.i18n import N_
from workshop.models import (
    CODE_ALPHABET,
    MODES,
    STATUSES,
    Advice,
    Answer,
    Attempt,
    Heartbeat,
    Participant,
    ParticipantText,
    Reaction,
    Series,
    Vote,
    Workshop,
    new_code,
    new_id,
    upgrade,
)
from workshop.vocabulary import (
    ADVICE_MAX,
    ADVICE_THEMES,
    COMFORT,
    COMMENT_MAX,
    DIALOGUE_STAGES,
    NOTE_MAX,
    OPEN_QUESTIONS,
    STAGES,
    THEMES,
    VOTES,
)

__all__ = [
    "CODE_ALPHABET", "AnswersLocked", "Refused", "Store", "StoreUnavailable",
    "TooManyAttempts", "WorkshopNotFound", "clean_text", "neutralise", "normalise_code",
    "require_strong_passphrase",
]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE = ROOT / "var" / "workshop.db"
COMMON_PASSPHRASES = ROOT / "data" / "common-passphrases.txt"

CODE_LENGTH = 6
TITLE_MAX = 200
PASSPHRASE_MIN = 12
TIMER_MAX = 4 * 3600
#: Wrong passphrases (per workshop code, per address) and joins (per address) are
#: counted over this window; past the limit, the next try waits at least MIN_BLOCK.
WINDOW = timedelta(minutes=10)
MIN_BLOCK = timedelta(minutes=1)
LOGIN_LIMIT = 10
_USE_CASE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Control characters (newline and tab stay in comments), and the marks that reorder
# text on screen (bidi embedding, override and isolate marks).
_UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_ADJECTIVES = (
    "Amber Brave Bright Calm Clever Cosy Crisp Daring Eager Fair Gentle Golden Happy "
    "Honest Jolly Keen Kind Lively Lucky Merry Mighty Nimble Patient Proud Quick Quiet "
    "Rapid Ready Silver Steady Sunny Swift Tidy Warm Wise Witty Zesty"
).split()
_ANIMALS = (
    "Badger Bee Robin Deer Dolphin Eagle Falcon Fox Hare Hedgehog Heron Kestrel Koala "
    "Lynx Magpie Marten Mole Newt Otter Owl Panda Puffin Rabbit Raven Seal Sparrow "
    "Squirrel Stoat Swan Tiger Toad Vole Whale Wren"
).split()

_NO_WORKSHOP = N_("There is no workshop with that code. Check the code on the screen and "
                  "try again.")
_CLOSED = N_("This workshop has closed. Thank you for taking part.")
_WAIT_LOGIN = N_("Too many wrong tries. Please wait {minutes} min and try again.")
_WAIT_JOIN = N_("Too many people have joined from this network just now. Please wait "
                "{minutes} min and try again.")


# -- passphrases ------------------------------------------------------------------


def _derive(passphrase: str, salt: bytes) -> str:
    """The one slow step (scrypt) of hashing or checking a passphrase."""
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=2**14, r=8, p=1).hex()


def _hash_passphrase(passphrase: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_derive(passphrase, salt)}"


def _check_passphrase(passphrase: str, stored: str) -> bool:
    try:
        _scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(_derive(passphrase, salt), digest_hex)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when a code is unknown, so that costs what a real check costs."""
    return _hash_passphrase(secrets.token_hex(16))


@functools.cache
def _common_passphrases() -> frozenset[str]:
    lines = COMMON_PASSPHRASES.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


def require_strong_passphrase(passphrase: Any) -> None:
    """Refuse a passphrase that is short, blank, one repeated character or common."""
    phrase = passphrase.strip().lower() if isinstance(passphrase, str) else ""
    if not phrase:
        raise Refused(N_("Choose a passphrase: it can't be empty or only spaces."))
    if len(phrase) < PASSPHRASE_MIN:
        raise Refused(N_("Choose a passphrase of at least {n} characters."), n=PASSPHRASE_MIN)
    if len(set(phrase)) == 1:
        raise Refused(N_("A passphrase of one character repeated is easy to guess. "
                         "Choose another."))
    common = _common_passphrases()
    if phrase in common or re.sub(r"\s+", "", phrase) in common:
        raise Refused(N_("That passphrase is on a list of common passwords, so it is easy "
                         "to guess. Choose another."))


# -- text -------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(code or "")).upper()


def clean_text(value: Any, *, lines: bool = True) -> str:
    """Participant text as stored: no control characters (newlines and tabs kept if
    ``lines``, else made spaces), no marks that reorder text, no outer spaces."""
    text = "" if value is None else str(value)
    text = _UNSEEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not lines:
        text = re.sub(r"\s+", " ", text)
    return text.strip()


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _pseudonym() -> str:
    return (f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)} "
            f"{secrets.randbelow(90) + 10}")


# -- the engine -------------------------------------------------------------------


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


class Store:
    """All reads and writes of workshop data. Safe to share between threads.

    ``now`` is the clock for throttling and timers (tests pass their own).
    """

    def __init__(self, url: str | None = None, *, now: Callable[[], datetime] | None = None
                 ) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False
        self.now = now or _utcnow
        self.joins_per_address = int(os.environ.get("WORKSHOP_JOINS_PER_ADDRESS", "10"))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- plumbing ---------------------------------------------------------------

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
            raise WorkshopNotFound(_NO_WORKSHOP)
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

    # -- throttling ---------------------------------------------------------------

    def _refuse_if_blocked(self, s: Session, checks: Iterable[tuple[str, str]], limit: int,
                           msgid: str) -> None:
        """Raise ``TooManyAttempts`` while any (kind, value) is blocked: from its
        ``limit``-th try within one WINDOW until that window has passed, and at least
        MIN_BLOCK after its last try."""
        now = self.now()
        wait = timedelta(0)
        for kind, value in checks:
            times = s.scalars(
                select(Attempt.at)
                .where(Attempt.kind == kind, Attempt.key == _digest(kind, value),
                       Attempt.at > now - WINDOW - MIN_BLOCK)
                .order_by(Attempt.at.desc()).limit(limit)
            ).all()
            if limit and len(times) >= limit and times[0] - times[-1] < WINDOW:
                wait = max(wait, max(times[-1] + WINDOW, times[0] + MIN_BLOCK) - now)
        if wait > timedelta(0):
            seconds = int(wait.total_seconds() + 0.999)
            raise TooManyAttempts(msgid, retry_after=seconds, minutes=-(-seconds // 60))

    def _note(self, s: Session, checks: Iterable[tuple[str, str]]) -> None:
        """Count a try for each (kind, value), and forget tries too old to matter."""
        now = self.now()
        s.execute(delete(Attempt).where(Attempt.at <= now - WINDOW - MIN_BLOCK))
        s.add_all(Attempt(kind=kind, key=_digest(kind, value), at=now)
                  for kind, value in checks)

    def _note_failure(self, checks: Iterable[tuple[str, str]]) -> None:
        """Count a failed try, in its own transaction (the caller's is about to refuse)."""
        with self._session() as s:
            self._note(s, checks)

    # -- workshops --------------------------------------------------------------

    def create_workshop(self, title: str, passphrase: str, series: str | None = None,
                        mode: str = "in_person") -> Workshop:
        """Open a workshop; with ``series``, add it to the series of that name (a new
        series takes this passphrase; an existing one must be given its own)."""
        title = clean_text(title, lines=False)
        if not title or len(title) > TITLE_MAX:
            raise Refused(N_("Give the workshop a title of 1 to {n} characters."), n=TITLE_MAX)
        require_strong_passphrase(passphrase)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        name = clean_text(series, lines=False) if series is not None else ""
        if len(name) > TITLE_MAX:
            raise Refused(N_("Give the series a name of at most {n} characters."), n=TITLE_MAX)
        series_id, hashed = self._series_for(name, passphrase) if name else (None, None)
        hashed = hashed or _hash_passphrase(passphrase)
        for _ in range(10):
            try:
                with self._session() as s:
                    w = Workshop(code=new_code(CODE_LENGTH), title=title, passphrase_hash=hashed,
                                 series_id=series_id, mode=mode)
                    s.add(w)
                return w
            except IntegrityError:
                continue  # the code was taken: draw another
        raise RuntimeError("Could not find a free workshop code.")

    def _series_for(self, name: str, passphrase: str) -> tuple[int, str]:
        """The series called ``name`` (made if new) and its passphrase hash."""
        key = name.casefold()
        for _ in range(2):
            with self._session() as s:
                self._refuse_if_blocked(s, [("series", key)], LOGIN_LIMIT, _WAIT_LOGIN)
                found = s.scalar(select(Series).where(Series.key == key))
            if found is not None:
                if _check_passphrase(passphrase, found.passphrase_hash):
                    return found.id, found.passphrase_hash
                self._note_failure([("series", key)])
                raise Refused(N_("A series called “{name}” already exists, and this is not "
                                 "its passphrase. Give its passphrase, or another name."),
                              name=found.name)
            try:
                with self._session() as s:
                    made = Series(key=key, name=name, passphrase_hash=_hash_passphrase(passphrase))
                    s.add(made)
                return made.id, made.passphrase_hash
            except IntegrityError:
                continue  # made by someone else at the same moment: check against theirs
        raise RuntimeError("Could not make or find the series.")

    def workshop(self, code: str) -> Workshop:
        with self._session() as s:
            return self._workshop(s, code)

    def workshop_by_id(self, workshop_id: int) -> Workshop:
        with self._session() as s:
            w = s.get(Workshop, int(workshop_id))
        if w is None:
            raise WorkshopNotFound(N_("That workshop no longer exists."))
        return w

    def verify_facilitator(self, code: str, passphrase: str, address: str | None = None
                           ) -> bool:
        """Is this the workshop's passphrase? After LOGIN_LIMIT wrong tries for one code,
        or from one ``address``, within the window, raises ``TooManyAttempts``."""
        code = normalise_code(code)
        checks = [("login", code)] + ([("login_from", str(address))] if address else [])
        with self._session() as s:
            self._refuse_if_blocked(s, checks, LOGIN_LIMIT, _WAIT_LOGIN)
            stored = s.scalar(select(Workshop.passphrase_hash).where(Workshop.code == code))
        # An unknown code costs the same one check, so timing tells nothing.
        ok = _check_passphrase(str(passphrase or ""), stored or _dummy_hash())
        if stored is None or not ok:
            self._note_failure(checks)
            return False
        return True

    def close_workshop(self, code: str) -> None:
        with self._change(code) as (_s, w):
            if w.closed_at is None:
                w.closed_at = self.now()

    def reopen_workshop(self, code: str) -> None:
        with self._change(code) as (_s, w):
            w.closed_at = None

    def delete_workshop(self, code: str) -> None:
        """Delete a workshop and everything recorded in it, and (on SQLite) leave no
        trace of it in the database files."""
        with self._session() as s:
            w = self._workshop(s, code)
            advice_ids = select(Advice.id).where(Advice.workshop_id == w.id)
            s.execute(delete(Vote).where(Vote.advice_id.in_(advice_ids)))
            s.execute(delete(Advice).where(Advice.workshop_id == w.id))
            s.execute(delete(Answer).where(Answer.workshop_id == w.id))
            s.execute(delete(Reaction).where(Reaction.workshop_id == w.id))
            s.execute(delete(Participant).where(Participant.workshop_id == w.id))
            series_id = w.series_id
            s.delete(w)
            s.flush()
            if series_id is not None and not s.scalar(
                    select(exists().where(Workshop.series_id == series_id))):
                s.execute(delete(Series).where(Series.id == series_id))
        if self.engine.dialect.name == "sqlite":
            self._compact()

    def _compact(self) -> None:
        """Rewrite the SQLite file without free pages and empty the WAL, so deleted
        text is in neither (secure_delete has already zeroed it in place)."""
        try:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM")
                busy, _, _ = c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            if busy:
                log.warning("The WAL could not be emptied: another process is reading")
        except DBAPIError:
            log.error("Compacting the workshop database failed", exc_info=True)

    # -- series -------------------------------------------------------------------

    def series(self, code: str) -> dict[str, Any] | None:
        """The series this workshop belongs to: its name, the modes its workshops ran
        in, and its workshops in the order they were made; None if it has none."""
        with self._session() as s:
            w = self._workshop(s, code)
            if w.series_id is None:
                return None
            name = s.scalar(select(Series.name).where(Series.id == w.series_id))
            workshops = s.scalars(
                select(Workshop).where(Workshop.series_id == w.series_id)
                .order_by(Workshop.created_at, Workshop.id)
            ).all()
        return {
            "name": name,
            "modes": list(dict.fromkeys(x.mode for x in workshops)),
            "workshops": [
                {"code": x.code, "title": x.title, "mode": x.mode, "created_at": x.created_at,
                 "closed_at": x.closed_at, "open": x.is_open}
                for x in workshops
            ],
        }

    def series_reactions(self, code: str) -> pd.DataFrame:
        """Every reaction in every workshop of this workshop's series (or of this
        workshop alone), with the person it came from and the workshop it was in."""
        columns = ["person_id", "participant", "workshop_code", "workshop_title",
                   "workshop_created_at", "mode", "reaction_id", "created_at", "use_case",
                   "stage", "comfort", "skipped", "latest"]
        with self._session() as s:
            w = self._workshop(s, code)
            where = (Workshop.series_id == w.series_id if w.series_id is not None
                     else Workshop.id == w.id)
            rows = s.execute(
                select(Participant.person_id, Participant.pseudonym, Workshop.code,
                       Workshop.title, Workshop.created_at, Workshop.mode, Reaction.id,
                       Reaction.created_at, Reaction.use_case, Reaction.stage,
                       Reaction.comfort, Reaction.skipped,
                       _is_latest(Reaction, Reaction.use_case, Reaction.stage))
                .join(Participant, Participant.id == Reaction.participant_id)
                .join(Workshop, Workshop.id == Reaction.workshop_id)
                .where(where)
                .order_by(Workshop.created_at, Workshop.id, Reaction.created_at, Reaction.id)
            ).all()
        df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        df["comfort"] = df["comfort"].astype("Int64")
        df["skipped"] = df["skipped"].astype(bool)
        df["latest"] = df["latest"].astype(bool)
        return df

    # -- where the room is ------------------------------------------------------

    def set_stage(self, code: str, stage: str) -> None:
        if stage not in DIALOGUE_STAGES:
            raise ValueError(f"stage must be one of {', '.join(DIALOGUE_STAGES)}, got {stage!r}")
        with self._change(code) as (_s, w):
            w.stage = stage

    def set_preset(
        self, code: str, use_case: str | None, preset_key: str | None,
        config: dict[str, Any] | None,
    ) -> int:
        """Put the room on a preset (or clear it with ``None``); returns its version."""
        if use_case is not None and not _USE_CASE.match(use_case):
            raise ValueError(f"use_case must be a short lower-case name, got {use_case!r}")
        if config is not None:
            json.dumps(config, allow_nan=False)
        with self._change(code) as (_s, w):
            w.preset_use_case, w.preset_key = use_case, preset_key
            w.preset_config = dict(config) if config is not None else None
            w.preset_version = (w.preset_version or 0) + 1
            return w.preset_version

    def lock(self, code: str, locked: bool = True) -> None:
        """Pause answers (``record``, ``answer``, ``add_advice`` and ``vote`` raise
        ``AnswersLocked``), or take them again with ``locked=False``."""
        with self._change(code) as (_s, w):
            w.locked = bool(locked)

    def set_timer(self, code: str, seconds: int | None) -> None:
        """Start a countdown of ``seconds`` from now for every screen, or clear it."""
        if seconds is not None and (isinstance(seconds, bool)
                                    or not isinstance(seconds, numbers.Integral)
                                    or not 1 <= seconds <= TIMER_MAX):
            raise Refused(N_("A timer can run from 1 second to {minutes} minutes."),
                          minutes=TIMER_MAX // 60)
        with self._change(code) as (_s, w):
            w.timer_seconds = None if seconds is None else int(seconds)
            w.timer_ends_at = None if seconds is None else self.now() + timedelta(
                seconds=int(seconds))

    def room(self, code: str) -> dict[str, Any]:
        """What every screen follows: the stage, the current preset, the lock, the timer."""
        with self._session() as s:
            w = self._workshop(s, code)
            return {
                "stage": w.stage or "first_views",
                "use_case": w.preset_use_case,
                "preset_key": w.preset_key,
                "config": w.preset_config,
                "version": w.preset_version or 0,
                "open": w.is_open,
                "locked": bool(w.locked),
                "timer_ends_at": w.timer_ends_at,
                "timer_seconds": w.timer_seconds,
                "revision": w.revision,
            }

    def revision(self, code: str) -> int:
        """A number that changes whenever anything in this workshop changes."""
        with self._session() as s:
            return int(self._workshop(s, code).revision)

    # -- participants -----------------------------------------------------------

    def join(self, code: str, device: str | None = None, address: str | None = None,
             returning: str | None = None) -> Participant:
        """Join a workshop as a new pseudonymous participant.

        ``device``: the browser's own random token; a device that already joined this
        workshop gets its participant back. ``returning``: a return code from an
        earlier workshop of the same series, to continue as the same person.
        ``address``: where the request came from; at most ``joins_per_address`` new
        participants per address in the window, then ``TooManyAttempts``.
        """
        if device is not None and (not isinstance(device, str) or not 16 <= len(device) <= 256):
            raise ValueError("device must be a string of 16 to 256 characters")
        device_hash = None if device is None else _digest("device", device)
        from_address = [("join", str(address))] if address else []
        person = None if returning is None else self._returning(code, returning, from_address)
        for _ in range(3):
            try:
                with self._session() as s:
                    w = self._workshop(s, code)
                    if not w.is_open:
                        raise WorkshopNotFound(_CLOSED)
                    p = self._rejoin(s, w.id, device_hash, person)
                    if p is not None:
                        return p
                    self._refuse_if_blocked(s, from_address, self.joins_per_address,
                                            _WAIT_JOIN)
                    if person and device_hash and s.scalar(select(exists().where(
                            Participant.workshop_id == w.id,
                            Participant.device_hash == device_hash))):
                        device_hash = None  # a shared phone: it is someone else's here
                    p = Participant(
                        id=new_id(), workshop_id=w.id, device_hash=device_hash,
                        pseudonym=person[1] if person else _pseudonym(),
                        person_id=person[0] if person else new_id(),
                    )
                    s.add(p)
                    self._note(s, from_address)
                    self._touch(s, w.id)
                return p
            except IntegrityError:
                continue  # the same device joined at the same moment: find it, above
        raise StoreUnavailable("Could not join just now; please try again.")

    @staticmethod
    def _rejoin(s: Session, workshop_id: int, device_hash: str | None,
                person: tuple[str, str] | None) -> Participant | None:
        """This workshop's participant for a returning person, or else for this device."""
        if person is not None:
            where = Participant.person_id == person[0]
        elif device_hash is not None:
            where = Participant.device_hash == device_hash
        else:
            return None
        return s.scalar(select(Participant).where(Participant.workshop_id == workshop_id, where)
                        .order_by(Participant.joined_at).limit(1))

    def _returning(self, code: str, returning: str, from_address: list[tuple[str, str]]
                   ) -> tuple[str, str]:
        """The (person_id, pseudonym) a return code continues in this workshop's series."""
        back = normalise_code(returning)
        with self._session() as s:
            self._refuse_if_blocked(s, from_address, self.joins_per_address, _WAIT_JOIN)
            w = self._workshop(s, code)
            found = s.execute(
                select(Participant.person_id, Participant.pseudonym, Workshop.series_id)
                .join(Workshop, Workshop.id == Participant.workshop_id)
                .where(Participant.return_code == back)
            ).first()
        if found is None or w.series_id is None or found.series_id != w.series_id:
            self._note_failure(from_address)  # a wrong code counts as a join: no guessing
            raise Refused(N_("That return code does not belong to this series of "
                             "workshops. Check it, or join as someone new."))
        return found.person_id, found.pseudonym

    def participant(self, participant_id: str) -> Participant | None:
        with self._session() as s:
            return s.get(Participant, str(participant_id))

    def _open_participant(self, s: Session, participant_id: str) -> Participant:
        """The participant, in a workshop that takes answers now (revision bumped)."""
        p = s.get(Participant, str(participant_id))
        if p is None:
            raise Refused(N_("We could not find you in this workshop. Please join it again."))
        locked, closed_at = self._touch(s, p.workshop_id)
        if closed_at is not None:
            raise Refused(N_("This workshop has closed, so no more answers are taken."))
        if locked:
            raise AnswersLocked(N_("Answers are paused for a moment by the facilitator."))
        return p

    def _insert_once(
        self, model: type[ParticipantText], participant_id: str, client_id: str, **fields: Any,
    ) -> Any:
        """Add one participant's row, once per ``client_id`` (a resubmit returns the first)."""
        def stored(s: Session) -> Any:
            return s.scalar(select(model).where(model.participant_id == str(participant_id),
                                                model.client_id == client_id))
        try:
            with self._session() as s:
                row = stored(s)
                if row is None:
                    p = self._open_participant(s, participant_id)
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

    # -- reactions --------------------------------------------------------------

    def record(
        self,
        participant_id: str,
        use_case: str,
        stage: str,
        comfort: int | None,
        themes: Sequence[str],
        comment: str | None,
        config: dict[str, Any],
        metrics: dict[str, Any],
        client_id: str,
    ) -> Reaction:
        """Store one reaction (``comfort=None``: the person skipped the question);
        the same ``client_id`` twice from one participant stores it once."""
        if not isinstance(use_case, str) or not _USE_CASE.match(use_case):
            raise ValueError(f"use_case must be a short lower-case name, got {use_case!r}")
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
        if comfort is not None and (isinstance(comfort, bool) or not isinstance(comfort, int)
                                    or comfort not in COMFORT):
            raise ValueError(f"comfort must be a whole number from 1 to 5, or None for a "
                             f"skip; got {comfort!r}")
        themes = list(themes or [])
        unknown = [t for t in themes if t not in THEMES]
        if unknown:
            raise ValueError(f"themes must come from {', '.join(THEMES)}; unknown: {unknown}")
        themes = list(dict.fromkeys(themes))
        comment = clean_text(comment)
        if len(comment) > COMMENT_MAX:
            raise Refused(N_("Your comment must be at most {n} characters."), n=COMMENT_MAX)
        for name, value in (("config", config), ("metrics", metrics)):
            if not isinstance(value, dict):
                raise ValueError(f"{name} must be a dict")
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError) as err:
                raise ValueError(f"{name} must hold only plain numbers and text: {err}") from err
        _check_client_id(client_id)
        return self._insert_once(
            Reaction, participant_id, client_id,
            use_case=use_case, stage=stage, comfort=comfort, skipped=comfort is None,
            themes=themes, comment=comment, config=dict(config), metrics=dict(metrics),
        )

    def answered(self, participant_id: str) -> set[tuple[str, str]]:
        """The (use_case, stage) pairs this participant has already answered (or skipped)."""
        with self._session() as s:
            rows = s.execute(
                select(Reaction.use_case, Reaction.stage)
                .where(Reaction.participant_id == str(participant_id))
                .distinct()
            ).all()
        return {(u, st) for u, st in rows}

    def _set_status(self, model: type[ParticipantText], code: str, item_id: int,
                    status: str, missing: str) -> None:
        _check_status(status)
        with self._change(code) as (s, w):
            done = s.execute(
                update(model).where(model.id == int(item_id), model.workshop_id == w.id)
                .values(status=status)
            )
            if done.rowcount == 0:
                raise Refused(missing)

    def moderate(self, code: str, reaction_id: int, status: str) -> None:
        """Move a comment to "pending", "approved" (may be projected) or "hidden"."""
        self._set_status(Reaction, code, reaction_id, status,
                         N_("No such comment in this workshop."))

    def hide_reaction(self, code: str, reaction_id: int, hidden: bool = True) -> None:
        """Hide a comment, or approve it with ``hidden=False``."""
        self.moderate(code, reaction_id, "hidden" if hidden else "approved")

    def comments(self, code: str, status: str | None = None) -> pd.DataFrame:
        """Reactions with a comment (in ``status``, if given), newest first."""
        if status is not None:
            _check_status(status)
        columns = ["reaction_id", "created_at", "participant", "use_case", "stage", "comfort",
                   "skipped", "comment", "status"]
        with self._session() as s:
            w = self._workshop(s, code)
            query = (
                select(Reaction.id, Reaction.created_at, Participant.pseudonym,
                       Reaction.use_case, Reaction.stage, Reaction.comfort, Reaction.skipped,
                       Reaction.comment, Reaction.status)
                .join(Participant, Participant.id == Reaction.participant_id)
                .where(Reaction.workshop_id == w.id, Reaction.comment != "")
                .order_by(Reaction.created_at.desc(), Reaction.id.desc())
            )
            if status is not None:
                query = query.where(Reaction.status == status)
            rows = s.execute(query).all()
        df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        df["comfort"] = df["comfort"].astype("Int64")
        return df

    def counts(self, code: str) -> dict[str, int]:
        with self._session() as s:
            w = self._workshop(s, code)
            n_people = s.scalar(
                select(func.count()).select_from(Participant).where(
                    Participant.workshop_id == w.id
                )
            )
            n_reactions = s.scalar(
                select(func.count()).select_from(Reaction).where(Reaction.workshop_id == w.id)
            )
        return {"participants": int(n_people or 0), "reactions": int(n_reactions or 0)}

    def reaction_rows(self, code: str) -> list[dict[str, Any]]:
        """Every reaction of the workshop, oldest first, as plain records: themes as a
        list, settings and metrics as dicts (``reactions`` flattens them; the JSON
        export keeps them)."""
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(Reaction, Participant.pseudonym, Participant.person_id,
                       _is_latest(Reaction, Reaction.use_case, Reaction.stage))
                .join(Participant, Participant.id == Reaction.participant_id)
                .where(Reaction.workshop_id == w.id)
                .order_by(Reaction.created_at, Reaction.id)
            ).all()
        return [
            {
                "reaction_id": r.id,
                "created_at": r.created_at,
                "participant": pseudonym,
                "participant_id": r.participant_id,
                "person_id": person_id,
                "use_case": r.use_case,
                "stage": r.stage,
                "comfort": r.comfort,
                "skipped": bool(r.skipped),
                "latest": bool(latest),
                "themes": list(r.themes or []),
                "comment": r.comment,
                "status": r.status,
                "hidden": r.hidden,
                "config": dict(r.config or {}),
                "metrics": dict(r.metrics or {}),
            }
            for r, pseudonym, person_id, latest in rows
        ]

    def reactions(self, code: str) -> pd.DataFrame:
        """One row per reaction; every config field and metric in its own column.
        ``latest`` marks each participant's last answer per use case and stage."""
        records = []
        for row in self.reaction_rows(code):
            config, metrics = row.pop("config"), row.pop("metrics")
            row["themes"] = "; ".join(row["themes"])
            row.update({f"config.{k}": v for k, v in config.items()})
            row.update({f"metric.{k}": v for k, v in metrics.items()})
            records.append(row)
        columns = [
            "reaction_id", "created_at", "participant", "participant_id", "person_id",
            "use_case", "stage", "comfort", "skipped", "latest", "themes", "comment",
            "status", "hidden",
        ]
        df = pd.DataFrame.from_records(records, columns=None if records else columns)
        df["comfort"] = df["comfort"].astype("Int64")
        return df

    def shift(self, code: str) -> pd.DataFrame:
        """Per participant and use case, their latest comfort before and after trying
        it; people whose latest before or after is a skip are left out."""
        return analysis.shifts(self.reactions(code))[
            ["participant_id", "use_case", "before", "after"]]

    # -- the outstanding questions ----------------------------------------------

    def answer(self, participant_id: str, question: str, choice: str, note: str | None,
               client_id: str) -> Answer:
        """Store one short answer to an outstanding question (``OPEN_QUESTIONS``), with
        an optional note; answering again replaces it in the counts (the latest counts).
        The same ``client_id`` twice from one participant stores it once."""
        if question not in OPEN_QUESTIONS:
            raise ValueError(f"question must be one of {', '.join(OPEN_QUESTIONS)}, "
                             f"got {question!r}")
        choices = OPEN_QUESTIONS[question][1]
        if not isinstance(choice, str) or choice not in choices:
            raise ValueError(f"choice must be one of {', '.join(choices)}, got {choice!r}")
        note = clean_text(note, lines=False)
        if len(note) > NOTE_MAX:
            raise Refused(N_("Your note must be at most {n} characters."), n=NOTE_MAX)
        _check_client_id(client_id)
        return self._insert_once(Answer, participant_id, client_id, question=question,
                                 choice=choice, note=note)

    def moderate_answer(self, code: str, answer_id: int, status: str) -> None:
        """Move an answer's note to "pending", "approved" or "hidden"."""
        self._set_status(Answer, code, answer_id, status,
                         N_("No such answer in this workshop."))

    def answers(self, code: str, history: bool = False) -> pd.DataFrame:
        """The answers to the outstanding questions: each person's latest per question,
        or with ``history`` every answer sent, ``latest`` marking the ones that count."""
        columns = ["answer_id", "created_at", "participant", "participant_id", "person_id",
                   "question", "choice", "note", "status", "latest"]
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(Answer.id, Answer.created_at, Participant.pseudonym,
                       Answer.participant_id, Participant.person_id, Answer.question,
                       Answer.choice, Answer.note, Answer.status,
                       _is_latest(Answer, Answer.question))
                .join(Participant, Participant.id == Answer.participant_id)
                .where(Answer.workshop_id == w.id)
                .order_by(Answer.created_at, Answer.id)
            ).all()
        df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        df["latest"] = df["latest"].astype(bool)
        return df if history else df[df["latest"]].reset_index(drop=True)

    # -- the advice round --------------------------------------------------------

    def add_advice(
        self, participant_id: str, theme: str, text: str, client_id: str
    ) -> Advice:
        """Store one piece of advice; the same ``client_id`` twice from one participant
        stores it once."""
        if theme not in ADVICE_THEMES:
            raise ValueError(f"theme must be one of {', '.join(ADVICE_THEMES)}, got {theme!r}")
        text = clean_text(text)
        if not text:
            raise Refused(N_("Write your advice first."))
        if len(text) > ADVICE_MAX:
            raise Refused(N_("Advice must be at most {n} characters."), n=ADVICE_MAX)
        _check_client_id(client_id)
        return self._insert_once(Advice, participant_id, client_id, theme=theme, text=text)

    def vote(self, participant_id: str, advice_id: int, vote: str) -> None:
        """Agree, disagree or pass; voting again changes the one vote."""
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {', '.join(VOTES)}, got {vote!r}")
        for attempt in range(2):
            try:
                with self._session() as s:
                    p = self._open_participant(s, participant_id)
                    a = s.get(Advice, int(advice_id))
                    if a is None or a.workshop_id != p.workshop_id:
                        raise Refused(N_("No such advice in this workshop."))
                    v = s.scalar(select(Vote).where(
                        Vote.advice_id == a.id, Vote.participant_id == p.id))
                    if v is None:
                        s.add(Vote(advice_id=a.id, participant_id=p.id, vote=vote))
                    else:
                        v.vote = vote
                return
            except IntegrityError:
                if attempt:
                    raise  # two votes raced twice: give up loudly

    def moderate_advice(self, code: str, advice_id: int, status: str) -> None:
        """Move advice to "pending", "approved" (may be projected) or "hidden"."""
        self._set_status(Advice, code, advice_id, status,
                         N_("No such advice in this workshop."))

    def hide_advice(self, code: str, advice_id: int, hidden: bool = True) -> None:
        """Hide advice, or approve it with ``hidden=False``."""
        self.moderate_advice(code, advice_id, "hidden" if hidden else "approved")

    def advice(self, code: str, participant_id: str | None = None) -> pd.DataFrame:
        """Every piece of advice with its vote counts (and this participant's vote)."""
        with self._session() as s:
            w = self._workshop(s, code)
            items = s.execute(
                select(Advice, Participant.pseudonym, Participant.person_id)
                .join(Participant, Participant.id == Advice.participant_id)
                .where(Advice.workshop_id == w.id)
                .order_by(Advice.id)
            ).all()
            votes = s.execute(
                select(Vote.advice_id, Vote.participant_id, Vote.vote)
                .join(Advice, Advice.id == Vote.advice_id)
                .where(Advice.workshop_id == w.id)
            ).all()
        tally: dict[tuple[int, str], int] = {}
        mine: dict[int, str] = {}
        for advice_id, voter, v in votes:
            tally[advice_id, v] = tally.get((advice_id, v), 0) + 1
            if participant_id is not None and voter == participant_id:
                mine[advice_id] = v
        columns = ["advice_id", "created_at", "author", "author_id", "person_id", "theme",
                   "text", "status", "hidden", "agree", "disagree", "pass", "my_vote"]
        rows = [
            (a.id, a.created_at, name, a.participant_id, person_id, a.theme, a.text, a.status,
             a.hidden, *(tally.get((a.id, v), 0) for v in ("agree", "disagree", "pass")),
             mine.get(a.id))
            for a, name, person_id in items
        ]
        return pd.DataFrame(rows, columns=columns)

    def votes(self, code: str) -> pd.DataFrame:
        """Every vote on this workshop's advice, one per person and piece of advice (a
        changed vote is the latest): ``participant_id``, ``advice_id``, ``vote``
        ("agree", "disagree" or "pass"), in the order they were first cast. Votes on
        hidden advice are kept: leave them out where hidden advice is."""
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(Vote.participant_id, Vote.advice_id, Vote.vote)
                .join(Advice, Advice.id == Vote.advice_id)
                .where(Advice.workshop_id == w.id)
                .order_by(Vote.created_at, Vote.id)
            ).all()
        return pd.DataFrame([tuple(r) for r in rows],
                            columns=["participant_id", "advice_id", "vote"])

    # -- exports (workshop.export) ----------------------------------------------

    def export_csv(self, code: str) -> str:
        return export.reactions_csv(self, code)

    def export_advice_csv(self, code: str) -> str:
        return export.advice_csv(self, code)

    def export_json(self, code: str) -> str:
        return export.workshop_json(self, code)


def _check_client_id(client_id: Any) -> None:
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
        raise ValueError("client_id must be a string of 8 to 64 characters")


def _check_status(status: Any) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")


def _is_latest(model: type[ParticipantText], *per: Any) -> Any:
    """True for each participant's last row of ``model`` per the ``per`` columns."""
    return (func.row_number().over(
        partition_by=(model.participant_id, *per),
        order_by=(model.created_at.desc(), model.id.desc()),
    ) == 1).label("latest")
