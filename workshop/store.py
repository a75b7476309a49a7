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

This module is the ``Store`` people use: opening a workshop (with a recovery code
shown once), joining (return codes only their owner's device continues), and what a
participant sends (reactions, answers, advice, votes), with joins and new workshops
counted per address. Its other parts: ``workshop.database`` (the engine and
sessions), ``workshop.security`` (passphrase rules, limits, text cleaning),
``workshop.store_access`` (passphrases, recovery codes), ``workshop.tries``
(counting tries: guesses, joins, new workshops),
``workshop.store_room`` (the facilitator's controls), ``workshop.store_review``
(reading back, moderating, deleting and merging what participants sent),
``workshop.store_decisions`` (people's own decisions on the AI's cases) and
``workshop.store_oversight`` (what people say of a tool's record, the ethics panel's
verdicts, themes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from simulators.messages import N_
from workshop import spool
from workshop.database import NOT_HERE
from workshop.environment import env_int
from workshop.errors import (
    AnswersLocked,
    Refused,
    StoreUnavailable,
    TooManyAttempts,
    WorkshopNotFound,
)
from workshop.models import (
    MODES,
    Advice,
    Answer,
    Attempt,
    Participant,
    Reaction,
    Series,
    Vote,
    Workshop,
    new_code,
    new_id,
)
from workshop.security import (
    ADVICE_PER_MINUTE,
    ADVICE_PER_PERSON,
    CREATE,
    HANDOVER,
    JOIN,
    USE_CASE,
    WAIT_CREATE,
    WAIT_JOIN,
    WAIT_LOGIN,
    Limit,
    check_client_id,
    clean_text,
    copy_key,
    digest,
    normalise_code,
    require_strong_passphrase,
)
from workshop.store_access import RECOVERY_LENGTH, Access, Check, check_passphrase, hash_passphrase
from workshop.store_decisions import Decisions
from workshop.store_oversight import Oversight
from workshop.store_review import Review
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

#: The store's public face: ``Store``, the errors its methods raise, and how it reads a
#: code someone typed.
__all__ = ["AnswersLocked", "Refused", "Store", "StoreUnavailable", "TooManyAttempts",
           "WorkshopNotFound", "normalise_code"]

CODE_LENGTH = 6
TITLE_MAX = 200

_CLOSED = N_("This workshop has closed. Thank you for taking part.")
_IN_USE = N_("This return code is already taking part in this workshop on another device. "
             "On that device, open the menu and press “Use my return code on another "
             "device”, then try again here.")


class Store(Access, RoomControls, Review, Decisions, Oversight):
    """All reads and writes of workshop data. Safe to share between threads.

    ``now`` is the clock for throttling and timers (tests pass their own).
    """

    def __init__(self, url: str | None = None, *, now: Callable[[], datetime] | None = None
                 ) -> None:
        super().__init__(url, now=now)
        self.joins_per_address = env_int("WORKSHOP_JOINS_PER_ADDRESS", JOIN.tries, minimum=1)
        self.join_limit = Limit(self.joins_per_address, JOIN.window)
        self.create_limit = Limit(
            env_int("WORKSHOP_CREATES_PER_ADDRESS", CREATE.tries, minimum=1), CREATE.window)

    # -- workshops --------------------------------------------------------------

    def create_workshop(self, title: str, passphrase: str, series: str | None = None,
                        mode: str = "in_person", address: str | None = None,
                        device: str | None = None) -> Workshop:
        """Open a workshop; with ``series``, add it to the series of that name (a new
        series takes this passphrase; an existing one must be given its own). The
        workshop's ``recovery_code`` is on the returned object only: shown once, it
        lets the facilitator set a new passphrase (``reset_passphrase``). At most
        ``CREATE`` new workshops per ``address``."""
        title = clean_text(title, lines=False)
        if not title or len(title) > TITLE_MAX:
            raise Refused(N_("Give the workshop a title of 1 to {n} characters."), n=TITLE_MAX)
        require_strong_passphrase(passphrase)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        name = clean_text(series, lines=False) if series is not None else ""
        if len(name) > TITLE_MAX:
            raise Refused(N_("Give the series a name of at most {n} characters."), n=TITLE_MAX)
        if address:
            self.tries.counted([("create_from", str(address), self.create_limit)], WAIT_CREATE)
        series_id, hashed = (self._series_for(name, passphrase, address, device) if name
                             else (None, None))
        hashed = hashed or hash_passphrase(passphrase)
        recovery = new_code(RECOVERY_LENGTH)
        for _ in range(10):
            try:
                with self._session() as s:
                    w = Workshop(code=new_code(CODE_LENGTH), title=title, passphrase_hash=hashed,
                                 series_id=series_id, mode=mode,
                                 recovery_hash=digest("recovery", recovery))
                    s.add(w)
                w.recovery_code = recovery  # type: ignore[attr-defined] - shown once
                return w
            except IntegrityError:
                continue  # the code was taken: draw another
        raise RuntimeError("Could not find a free workshop code.")

    def _series_for(self, name: str, passphrase: str, address: str | None,
                    device: str | None) -> tuple[int, str]:
        """The series called ``name`` (made if new) and its passphrase hash; a wrong
        passphrase counts as a wrong guess from this address and device."""
        key = name.casefold()
        for _ in range(2):
            with self._session() as s:
                found = s.scalar(select(Series).where(Series.key == key))
            if found is not None:
                checks = self._guesser(address, device)
                tries = self.tries.counted(checks, WAIT_LOGIN)
                if check_passphrase(passphrase, found.passphrase_hash):
                    self.tries.forget(tries)
                    return found.id, found.passphrase_hash
                raise Refused(N_("A series called “{name}” already exists, and this is not "
                                 "its passphrase. Give its passphrase, or another name."),
                              name=found.name)
            try:
                with self._session() as s:
                    made = Series(key=key, name=name, passphrase_hash=hash_passphrase(passphrase))
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

    def delete_workshop(self, code: str) -> None:
        """Delete a workshop, everything recorded in it (leaving no trace in SQLite's
        files), and its participants' answers still waiting on this machine's disk
        (``workshop.spool``)."""
        with self._session() as s:
            w = self._workshop(s, code)
            people = s.scalars(select(Participant.id).where(Participant.workshop_id == w.id))
            ids = list(people)
        super().delete_workshop(code)
        spool.forget(ids)

    # -- participants -----------------------------------------------------------

    def join(self, code: str, device: str | None = None, address: str | None = None,
             returning: str | None = None, language: str = "en") -> Participant:
        """Join a workshop as a new pseudonymous participant.

        ``device``: the browser's own random token; a device that already joined this
        workshop gets its participant back. ``returning``: a return code from an
        earlier workshop of the same series, to continue as the same person; once that
        person takes part in this workshop, only their device may continue as them
        (another device only just after they pressed "use my return code on another
        device" there: ``allow_another_device``). ``address``: where the request came
        from; at most ``joins_per_address`` new participants per address within
        ``JOIN``'s window, then ``TooManyAttempts``; it is kept (hashed with the
        workshop) to show the facilitator several joins from one address
        (``Review.suspected_duplicates``).
        ``language``: the language of a new participant's made-up nickname.
        """
        if device is not None and (not isinstance(device, str) or not 16 <= len(device) <= 256):
            raise ValueError("device must be a string of 16 to 256 characters")
        device_hash = None if device is None else digest("device", device)
        from_address = [("join", str(address))] if address else []
        checks = [(k, v, self.join_limit) for k, v in from_address]
        person = None if returning is None else self._returning(code, returning, checks)
        for _ in range(3):
            try:
                with self._session() as s:
                    w = self._workshop(s, code)
                    if not w.is_open:
                        raise WorkshopNotFound(_CLOSED)
                    p = (self._continue(s, w.id, person, device_hash) if person
                         else self._rejoin(s, w.id, device_hash))
                    if p is not None:
                        return p
                    self.tries.hold(s, from_address)
                    self.tries.refuse_if_blocked(s, checks, WAIT_JOIN)
                    if person and device_hash and s.scalar(select(exists().where(
                            Participant.workshop_id == w.id,
                            Participant.device_hash == device_hash))):
                        device_hash = None  # a shared phone: it is someone else's here
                    p = Participant(
                        id=new_id(), workshop_id=w.id, device_hash=device_hash,
                        pseudonym=person[1] if person else nickname(language),
                        person_id=person[0] if person else new_id(),
                        address_hash=digest("joined_from", f"{w.id}:{address}")
                        if address else None,
                    )
                    s.add(p)
                    self.tries.note(s, from_address)
                    self._touch(s, w.id)
                return p
            except IntegrityError:
                continue  # the same device joined at the same moment: find it, above
            except Refused as err:
                if err.msgid == _IN_USE:  # someone else's return code: a wrong guess
                    self.tries.note_failure(from_address)
                raise
        raise StoreUnavailable("Could not join just now; please try again.")

    @staticmethod
    def _rejoin(s: Session, workshop_id: int, device_hash: str | None) -> Participant | None:
        """This device's participant in this workshop, if it has one."""
        if device_hash is None:
            return None
        return s.scalar(select(Participant).where(Participant.workshop_id == workshop_id,
                                                  Participant.device_hash == device_hash)
                        .order_by(Participant.joined_at).limit(1))

    def _continue(self, s: Session, workshop_id: int, person: tuple[str, str],
                  device_hash: str | None) -> Participant | None:
        """The returning person's participant in this workshop: None if they have none
        yet; theirs if this is their device, or if they have just let another device
        take over (which it then is); else ``Refused``."""
        p = s.scalar(select(Participant).where(Participant.workshop_id == workshop_id,
                                               Participant.person_id == person[0])
                     .order_by(Participant.joined_at).limit(1))
        if p is None or (device_hash is not None and p.device_hash == device_hash):
            return p
        handover = ("handover", p.id)
        allowed = s.execute(delete(Attempt).where(
            Attempt.kind == handover[0], Attempt.key == digest(*handover),
            Attempt.at > self.now() - HANDOVER))
        if not allowed.rowcount:
            raise Refused(_IN_USE)
        if device_hash is not None and not s.scalar(select(exists().where(
                Participant.workshop_id == workshop_id, Participant.device_hash == device_hash))):
            p.device_hash = device_hash  # this device is theirs now
        return p

    def allow_another_device(self, participant_id: str) -> None:
        """The participant, on their own device, lets their return code continue them
        on one other device in this workshop within ``HANDOVER``."""
        handover = ("handover", str(participant_id))
        with self._session() as s:
            if s.get(Participant, str(participant_id)) is None:
                raise Refused(NOT_HERE)
            self.tries.hold(s, [handover])
            s.execute(delete(Attempt).where(Attempt.kind == handover[0],
                                            Attempt.key == digest(*handover)))
            self.tries.note(s, [handover])

    def _returning(self, code: str, returning: str, checks: list[Check]) -> tuple[str, str]:
        """The (person_id, pseudonym) a return code continues in this workshop's series.
        Checking it counts as a join from the address until it proves right."""
        back = normalise_code(returning)
        tries = self.tries.counted(checks, WAIT_JOIN) if checks else []
        with self._session() as s:
            w = self._workshop(s, code)
            found = s.execute(
                select(Participant.person_id, Participant.pseudonym, Workshop.series_id)
                .join(Workshop, Workshop.id == Participant.workshop_id)
                .where(Participant.return_code == back)
            ).first()
        if found is None or w.series_id is None or found.series_id != w.series_id:
            raise Refused(N_("That return code does not belong to this series of "
                             "workshops. Check it, or join as someone new."))
        self.tries.forget(tries)
        return found.person_id, found.pseudonym

    def participant(self, participant_id: str) -> Participant | None:
        with self._session() as s:
            return s.get(Participant, str(participant_id))

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
        check_client_id(client_id)
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
        check_client_id(client_id)
        return self._insert_once(Answer, participant_id, client_id, question=question,
                                 choice=choice, note=note)

    def add_advice(
        self, participant_id: str, theme: str, text: str, client_id: str
    ) -> Advice:
        """Store one piece of advice; the same ``client_id`` twice from one participant
        stores it once. Refused (``Refused``, a message for the person) past
        ``ADVICE_PER_PERSON`` pieces or ``ADVICE_PER_MINUTE`` in a minute from one
        participant, and for a copy of advice already in the workshop, to the eye
        (``copy_key``: case, spacing and lookalike letters aside; hidden advice aside)."""
        if theme not in ADVICE_THEMES:
            raise ValueError(f"theme must be one of {', '.join(ADVICE_THEMES)}, got {theme!r}")
        text = clean_text(text)
        if not text:
            raise Refused(N_("Write your advice first."))
        if len(text) > ADVICE_MAX:
            raise Refused(N_("Advice must be at most {n} characters."), n=ADVICE_MAX)
        check_client_id(client_id)
        now, key = self.now(), copy_key(text)

        def allowed(s: Session, p: Participant) -> None:
            mine = s.scalar(select(func.count()).where(Advice.participant_id == p.id))
            if mine >= ADVICE_PER_PERSON:
                raise Refused(N_("You have given {n} pieces of advice, the most one person "
                                 "can. Thank you! You can still agree or disagree with the "
                                 "room's advice."), n=ADVICE_PER_PERSON)
            recent = s.scalar(select(func.count()).where(
                Advice.participant_id == p.id, Advice.created_at > now - timedelta(minutes=1)))
            if recent >= ADVICE_PER_MINUTE:
                raise Refused(N_("That is a lot of advice in one minute. Please wait a "
                                 "minute, then send more."))
            others = s.scalars(select(Advice.text).where(Advice.workshop_id == p.workshop_id,
                                                         Advice.status != "hidden"))
            if any(copy_key(t) == key for t in others):
                raise Refused(N_("This advice is already in the room (or something that "
                                 "looks just like it). Agree with it when it reaches your "
                                 "phone, or say what you would add."))

        return self._insert_once(Advice, participant_id, client_id, allowed, theme=theme,
                                 text=text, created_at=now)

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

