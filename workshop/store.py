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

This module is the ``Store`` people use: opening a workshop (its passphrase hashed
with scrypt here), checking a facilitator's passphrase, joining, and what a
participant sends (reactions, answers, advice, votes), with wrong guesses and joins
counted. Its other parts: ``workshop.database`` (the engine and sessions),
``workshop.security`` (passphrase rules, throttle rules, text cleaning),
``workshop.store_room`` (the facilitator's controls) and ``workshop.store_review``
(reading back and moderating what participants sent).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy import func as func  # still importable from here
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workshop.database import DEFAULT_SQLITE as DEFAULT_SQLITE
from workshop.database import make_engine
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
    Advice,
    Answer,
    Attempt,
    Participant,
    ParticipantText,
    Reaction,
    Series,
    Vote,
    Workshop,
    new_code,
    new_id,
)
from workshop.security import COMMON_PASSPHRASES as COMMON_PASSPHRASES
from workshop.security import (
    LOGIN_LIMIT,
    MIN_BLOCK,
    USE_CASE,
    WAIT_JOIN,
    WAIT_LOGIN,
    WINDOW,
    blocked_for,
    clean_text,
    digest,
    normalise_code,
    require_strong_passphrase,
)
from workshop.security import PASSPHRASE_MIN as PASSPHRASE_MIN
from workshop.store_review import Review
from workshop.store_room import TIMER_MAX as TIMER_MAX
from workshop.store_room import RoomControls
from workshop.vocabulary import (
    ADVICE_MAX,
    ADVICE_THEMES,
    COMFORT,
    COMMENT_MAX,
    NOTE_MAX,
    OPEN_QUESTIONS,
    STAGES,
    THEMES,
    VOTES,
    nickname,
)

__all__ = [
    "CODE_ALPHABET", "AnswersLocked", "Refused", "Store", "StoreUnavailable",
    "TooManyAttempts", "WorkshopNotFound", "clean_text", "neutralise", "normalise_code",
    "make_engine", "require_strong_passphrase",
]

CODE_LENGTH = 6
TITLE_MAX = 200

_CLOSED = N_("This workshop has closed. Thank you for taking part.")


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


class Store(RoomControls, Review):
    """All reads and writes of workshop data. Safe to share between threads.

    ``now`` is the clock for throttling and timers (tests pass their own).
    """

    def __init__(self, url: str | None = None, *, now: Callable[[], datetime] | None = None
                 ) -> None:
        super().__init__(url, now=now)
        self.joins_per_address = int(os.environ.get("WORKSHOP_JOINS_PER_ADDRESS", "10"))

    # -- throttling ---------------------------------------------------------------

    def _refuse_if_blocked(self, s: Session, checks: Iterable[tuple[str, str]], limit: int,
                           msgid: str) -> None:
        """Raise ``TooManyAttempts`` while any (kind, value) is blocked (by
        ``workshop.security.blocked_for`` its latest ``limit`` tries)."""
        now = self.now()
        wait = timedelta(0)
        for kind, value in checks:
            times = s.scalars(
                select(Attempt.at)
                .where(Attempt.kind == kind, Attempt.key == digest(kind, value),
                       Attempt.at > now - WINDOW - MIN_BLOCK)
                .order_by(Attempt.at.desc()).limit(limit)
            ).all()
            wait = max(wait, blocked_for(times, limit, now))
        if wait > timedelta(0):
            seconds = int(wait.total_seconds() + 0.999)
            raise TooManyAttempts(msgid, retry_after=seconds, minutes=-(-seconds // 60))

    def _note(self, s: Session, checks: Iterable[tuple[str, str]]) -> None:
        """Count a try for each (kind, value), and forget tries too old to matter."""
        now = self.now()
        s.execute(delete(Attempt).where(Attempt.at <= now - WINDOW - MIN_BLOCK))
        s.add_all(Attempt(kind=kind, key=digest(kind, value), at=now)
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
                self._refuse_if_blocked(s, [("series", key)], LOGIN_LIMIT, WAIT_LOGIN)
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
            self._refuse_if_blocked(s, checks, LOGIN_LIMIT, WAIT_LOGIN)
            stored = s.scalar(select(Workshop.passphrase_hash).where(Workshop.code == code))
        # An unknown code costs the same one check, so timing tells nothing.
        ok = _check_passphrase(str(passphrase or ""), stored or _dummy_hash())
        if stored is None or not ok:
            self._note_failure(checks)
            return False
        return True

    # -- participants -----------------------------------------------------------

    def join(self, code: str, device: str | None = None, address: str | None = None,
             returning: str | None = None, language: str = "en") -> Participant:
        """Join a workshop as a new pseudonymous participant.

        ``device``: the browser's own random token; a device that already joined this
        workshop gets its participant back. ``returning``: a return code from an
        earlier workshop of the same series, to continue as the same person.
        ``address``: where the request came from; at most ``joins_per_address`` new
        participants per address in the window, then ``TooManyAttempts``.
        ``language``: the language of a new participant's made-up nickname.
        """
        if device is not None and (not isinstance(device, str) or not 16 <= len(device) <= 256):
            raise ValueError("device must be a string of 16 to 256 characters")
        device_hash = None if device is None else digest("device", device)
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
                                            WAIT_JOIN)
                    if person and device_hash and s.scalar(select(exists().where(
                            Participant.workshop_id == w.id,
                            Participant.device_hash == device_hash))):
                        device_hash = None  # a shared phone: it is someone else's here
                    p = Participant(
                        id=new_id(), workshop_id=w.id, device_hash=device_hash,
                        pseudonym=person[1] if person else nickname(language),
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
            self._refuse_if_blocked(s, from_address, self.joins_per_address, WAIT_JOIN)
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
        if not isinstance(use_case, str) or not USE_CASE.match(use_case):
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

    def my_answer(self, participant_id: str, use_case: str, stage: str
                  ) -> dict[str, Any] | None:
        """This participant's latest reaction to one question (``comfort`` None for a
        skip, ``themes``, ``comment``), to show it again; None if they never answered."""
        with self._session() as s:
            r = s.scalar(
                select(Reaction)
                .where(Reaction.participant_id == str(participant_id),
                       Reaction.use_case == use_case, Reaction.stage == stage)
                .order_by(Reaction.created_at.desc(), Reaction.id.desc()).limit(1))
            if r is None:
                return None
            return {"comfort": r.comfort, "themes": list(r.themes or []),
                    "comment": r.comment, "config": dict(r.config or {})}

    # -- the outstanding questions and the advice round -------------------------

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


def _check_client_id(client_id: Any) -> None:
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
        raise ValueError("client_id must be a string of 8 to 64 characters")
