"""Tries counted in the database: guesses at a passphrase, joins and new workshops from
one address, each under a hash of what it names, with its limit (``workshop.security``).

A try is counted in the same transaction that found it allowed, while that transaction
holds its counters: PostgreSQL's advisory locks, SQLite's one write lock (its first
statement, the clean-up, is a write). Sixty tries at the same moment are counted one
after another, so a limit is exact. ``Tries`` is one part of the store, given the
store's database; the store's other parts use it, none of them re-implements it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import and_, delete, or_, select, text
from sqlalchemy.orm import Session

from workshop.database import Database
from workshop.errors import TooManyAttempts
from workshop.models import Attempt
from workshop.security import KEEP_TRIES, KNOWN_DEVICE, Limit, blocked_for, digest

Check = tuple[str, str, Limit]  # (kind, value, its limit): one counter of tries
KNOWN = "login_ok"  # a device that signed in to a workshop (kept KNOWN_DEVICE)


class Tries:
    """The counters of tries, in ``db``'s database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def hold(self, s: Session, keys: Iterable[tuple[str, str]]) -> None:
        """Hold these counters until the transaction ends; forget tries too old to count."""
        if self.db.engine.dialect.name == "postgresql":
            for key in sorted({digest(kind, value) for kind, value in keys}):
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)})
        now = self.db.now()
        s.execute(delete(Attempt).where(or_(
            and_(Attempt.kind != KNOWN, Attempt.at <= now - KEEP_TRIES),
            Attempt.at <= now - KNOWN_DEVICE)))

    def refuse_if_blocked(self, s: Session, checks: Iterable[Check], msgid: str) -> None:
        """Raise ``TooManyAttempts`` while any counter is past its limit."""
        now = self.db.now()
        wait = timedelta(0)
        for kind, value, limit in checks:
            times = s.scalars(
                select(Attempt.at)
                .where(Attempt.kind == kind, Attempt.key == digest(kind, value),
                       Attempt.at > now - limit.window - limit.min_block)
                .order_by(Attempt.at.desc()).limit(limit.tries)
            ).all()
            wait = max(wait, blocked_for(times, limit, now))
        if wait > timedelta(0):
            seconds = int(wait.total_seconds() + 0.999)
            raise TooManyAttempts(msgid, retry_after=seconds, minutes=-(-seconds // 60))

    def note(self, s: Session, keys: Iterable[tuple[str, str]]) -> list[Attempt]:
        """Count a try on each counter."""
        rows = [Attempt(kind=kind, key=digest(kind, value), at=self.db.now())
                for kind, value in keys]
        s.add_all(rows)
        s.flush()
        return rows

    def counted(self, checks: Sequence[Check], msgid: str) -> list[Attempt]:
        """Refuse if blocked, else count a try, in one transaction holding the counters."""
        with self.db._session() as s:
            self.hold(s, [(k, v) for k, v, _ in checks])
            self.refuse_if_blocked(s, checks, msgid)
            return self.note(s, [(k, v) for k, v, _ in checks])

    def forget(self, tries: Sequence[Attempt]) -> None:
        """Uncount tries that proved right."""
        if tries:
            with self.db._session() as s:
                s.execute(delete(Attempt).where(Attempt.id.in_([t.id for t in tries])))

    def note_failure(self, keys: Iterable[tuple[str, str]]) -> None:
        """Count a failed try, in its own transaction (the caller's is about to refuse)."""
        keys = list(keys)
        if keys:
            with self.db._session() as s:
                self.hold(s, keys)
                self.note(s, keys)
