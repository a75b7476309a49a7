"""Where workshops, participants and reactions are kept (SQLAlchemy).

``Store()`` uses ``DATABASE_URL`` if set, else an embedded SQLite file in ``var/``
(WAL mode, so many participants can write at once). Point it at PostgreSQL with
``DATABASE_URL=postgresql+psycopg://user:password@host/dbname``.

Every write validates first and writes nothing on bad input (``ValueError``); a
database that cannot be reached raises ``StoreUnavailable``, so the app can keep a
participant's answer and send it later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, delete, event, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from workshop.models import Advice, Base, Participant, Reaction, Vote, Workshop
from workshop.vocabulary import (
    ADVICE_MAX,
    ADVICE_THEMES,
    COMFORT,
    COMMENT_MAX,
    DIALOGUE_STAGES,
    STAGES,
    THEMES,
    VOTES,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE = ROOT / "var" / "workshop.db"

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_USE_CASE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

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


class StoreUnavailable(RuntimeError):
    """The database could not be reached; nothing was written."""


class WorkshopNotFound(ValueError):
    """No open workshop has this code."""


def _hash_passphrase(passphrase: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(passphrase.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _check_passphrase(passphrase: str, stored: str) -> bool:
    try:
        _scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    candidate = _hash_passphrase(passphrase, salt).split("$")[2]
    return hmac.compare_digest(candidate, digest_hex)


def normalise_code(code: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(code or "")).upper()


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet (no formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    url = url or os.environ.get("DATABASE_URL") or None
    if url is None:
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DEFAULT_SQLITE}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(
            url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_timeout=10
        )
    return engine


class Store:
    """All reads and writes of workshop data. Safe to share between threads."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._ready = False

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- plumbing ---------------------------------------------------------------

    def _ensure_tables(self) -> None:
        if not self._ready:
            Base.metadata.create_all(self.engine)
            self._ready = True

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            self._ensure_tables()
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as err:
            if isinstance(err, IntegrityError):
                raise
            raise StoreUnavailable(
                "The workshop database can't be reached just now."
            ) from err

    def _insert_once(
        self, model: type[Reaction] | type[Advice], participant_id: str, client_id: str,
        **fields: Any,
    ) -> Any:
        """Add one participant's row, once per ``client_id`` (a resubmit returns the first)."""
        try:
            with self._session() as s:
                existing = s.scalar(select(model).where(model.client_id == client_id))
                if existing is not None:
                    return existing
                p = self._open_participant(s, participant_id)
                row = model(client_id=client_id, workshop_id=p.workshop_id,
                            participant_id=p.id, **fields)
                s.add(row)
            return row
        except IntegrityError:
            # The same client_id arrived twice at once: the other one won.
            with self._session() as s:
                existing = s.scalar(select(model).where(model.client_id == client_id))
            if existing is None:
                raise
            return existing

    def ping(self) -> bool:
        try:
            with self._session() as s:
                s.execute(select(1))
            return True
        except StoreUnavailable:
            return False

    def _workshop(self, s: Session, code: str) -> Workshop:
        w = s.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
        if w is None:
            raise WorkshopNotFound(
                "There is no workshop with that code. Check the code on the screen and "
                "try again."
            )
        return w

    # -- workshops --------------------------------------------------------------

    def create_workshop(self, title: str, passphrase: str) -> Workshop:
        title = (title or "").strip()
        if not title or len(title) > 200:
            raise ValueError("Give the workshop a title of 1 to 200 characters.")
        if len(passphrase or "") < 8:
            raise ValueError("Choose a passphrase of at least 8 characters.")
        hashed = _hash_passphrase(passphrase)
        for _ in range(10):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self._session() as s:
                    w = Workshop(code=code, title=title, passphrase_hash=hashed)
                    s.add(w)
                return w
            except IntegrityError:
                continue  # the code was taken: draw another
        raise RuntimeError("Could not find a free workshop code.")

    def workshop(self, code: str) -> Workshop:
        with self._session() as s:
            return self._workshop(s, code)

    def workshop_by_id(self, workshop_id: int) -> Workshop:
        with self._session() as s:
            w = s.get(Workshop, int(workshop_id))
        if w is None:
            raise WorkshopNotFound("That workshop no longer exists.")
        return w

    def verify_facilitator(self, code: str, passphrase: str) -> bool:
        with self._session() as s:
            w = s.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
        if w is None:
            # Spend the same time as a real check, so timing tells nothing.
            _check_passphrase(passphrase or "", _hash_passphrase("x"))
            return False
        return _check_passphrase(passphrase or "", w.passphrase_hash)

    def close_workshop(self, code: str) -> None:
        with self._session() as s:
            w = self._workshop(s, code)
            if w.closed_at is None:
                w.closed_at = datetime.now(UTC)

    def reopen_workshop(self, code: str) -> None:
        with self._session() as s:
            self._workshop(s, code).closed_at = None

    def delete_workshop(self, code: str) -> None:
        """Delete a workshop and everything recorded in it."""
        with self._session() as s:
            w = self._workshop(s, code)
            advice_ids = select(Advice.id).where(Advice.workshop_id == w.id)
            s.execute(delete(Vote).where(Vote.advice_id.in_(advice_ids)))
            s.execute(delete(Advice).where(Advice.workshop_id == w.id))
            s.execute(delete(Reaction).where(Reaction.workshop_id == w.id))
            s.execute(delete(Participant).where(Participant.workshop_id == w.id))
            s.delete(w)

    # -- where the room is ------------------------------------------------------

    def set_stage(self, code: str, stage: str) -> None:
        if stage not in DIALOGUE_STAGES:
            raise ValueError(f"stage must be one of {', '.join(DIALOGUE_STAGES)}, got {stage!r}")
        with self._session() as s:
            self._workshop(s, code).stage = stage

    def set_preset(
        self, code: str, use_case: str | None, preset_key: str | None,
        config: dict[str, Any] | None,
    ) -> int:
        """Put the room on a preset (or clear it with ``None``); returns its version."""
        if use_case is not None and not _USE_CASE.match(use_case):
            raise ValueError(f"use_case must be a short lower-case name, got {use_case!r}")
        if config is not None:
            json.dumps(config, allow_nan=False)
        with self._session() as s:
            w = self._workshop(s, code)
            w.preset_use_case, w.preset_key = use_case, preset_key
            w.preset_config = dict(config) if config is not None else None
            w.preset_version = (w.preset_version or 0) + 1
            return w.preset_version

    def room(self, code: str) -> dict[str, Any]:
        """What every participant's screen follows: the stage and the current preset."""
        with self._session() as s:
            w = self._workshop(s, code)
            return {
                "stage": w.stage or "first_views",
                "use_case": w.preset_use_case,
                "preset_key": w.preset_key,
                "config": w.preset_config,
                "version": w.preset_version or 0,
                "open": w.is_open,
            }

    # -- participants -----------------------------------------------------------

    def join(self, code: str) -> Participant:
        with self._session() as s:
            w = self._workshop(s, code)
            if not w.is_open:
                raise WorkshopNotFound("This workshop has closed. Thank you for taking part.")
            name = (
                f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)} "
                f"{secrets.randbelow(90) + 10}"
            )
            p = Participant(id=str(uuid.uuid4()), workshop_id=w.id, pseudonym=name)
            s.add(p)
        return p

    def participant(self, participant_id: str) -> Participant | None:
        with self._session() as s:
            return s.get(Participant, str(participant_id))

    # -- reactions --------------------------------------------------------------

    def record(
        self,
        participant_id: str,
        use_case: str,
        stage: str,
        comfort: int,
        themes: Sequence[str],
        comment: str | None,
        config: dict[str, Any],
        metrics: dict[str, Any],
        client_id: str,
    ) -> Reaction:
        """Store one reaction; the same ``client_id`` twice stores it once."""
        if not isinstance(use_case, str) or not _USE_CASE.match(use_case):
            raise ValueError(f"use_case must be a short lower-case name, got {use_case!r}")
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
        if isinstance(comfort, bool) or not isinstance(comfort, int) or comfort not in COMFORT:
            raise ValueError(f"comfort must be a whole number from 1 to 5, got {comfort!r}")
        themes = list(themes or [])
        unknown = [t for t in themes if t not in THEMES]
        if unknown:
            raise ValueError(f"themes must come from {', '.join(THEMES)}; unknown: {unknown}")
        themes = list(dict.fromkeys(themes))
        comment = "" if comment is None else str(comment).strip()
        if len(comment) > COMMENT_MAX:
            raise ValueError(f"comment must be at most {COMMENT_MAX} characters")
        for name, value in (("config", config), ("metrics", metrics)):
            if not isinstance(value, dict):
                raise ValueError(f"{name} must be a dict")
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError) as err:
                raise ValueError(f"{name} must hold only plain numbers and text: {err}") from err
        if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
            raise ValueError("client_id must be a string of 8 to 64 characters")
        return self._insert_once(
            Reaction, participant_id, client_id,
            use_case=use_case, stage=stage, comfort=comfort, themes=themes,
            comment=comment, config=dict(config), metrics=dict(metrics),
        )

    def answered(self, participant_id: str) -> set[tuple[str, str]]:
        """The (use_case, stage) pairs this participant has already answered."""
        with self._session() as s:
            rows = s.execute(
                select(Reaction.use_case, Reaction.stage)
                .where(Reaction.participant_id == str(participant_id))
                .distinct()
            ).all()
        return {(u, st) for u, st in rows}

    def hide_reaction(self, code: str, reaction_id: int, hidden: bool = True) -> None:
        with self._session() as s:
            w = self._workshop(s, code)
            done = s.execute(
                update(Reaction)
                .where(Reaction.id == int(reaction_id), Reaction.workshop_id == w.id)
                .values(hidden=bool(hidden))
            )
            if done.rowcount == 0:
                raise ValueError("No such comment in this workshop.")

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

    # -- the advice round --------------------------------------------------------

    def _open_participant(self, s: Session, participant_id: str) -> Participant:
        p = s.get(Participant, str(participant_id))
        if p is None:
            raise ValueError("Unknown participant: please join the workshop again.")
        w = s.get(Workshop, p.workshop_id)
        if w is None or not w.is_open:
            raise ValueError("This workshop has closed, so no more answers are taken.")
        return p

    def add_advice(
        self, participant_id: str, theme: str, text: str, client_id: str
    ) -> Advice:
        """Store one piece of advice; the same ``client_id`` twice stores it once."""
        if theme not in ADVICE_THEMES:
            raise ValueError(f"theme must be one of {', '.join(ADVICE_THEMES)}, got {theme!r}")
        text = str(text or "").strip()
        if not text:
            raise ValueError("Write your advice first.")
        if len(text) > ADVICE_MAX:
            raise ValueError(f"Advice must be at most {ADVICE_MAX} characters.")
        if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
            raise ValueError("client_id must be a string of 8 to 64 characters")
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
                        raise ValueError("No such advice in this workshop.")
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

    def hide_advice(self, code: str, advice_id: int, hidden: bool = True) -> None:
        with self._session() as s:
            w = self._workshop(s, code)
            done = s.execute(
                update(Advice)
                .where(Advice.id == int(advice_id), Advice.workshop_id == w.id)
                .values(hidden=bool(hidden))
            )
            if done.rowcount == 0:
                raise ValueError("No such advice in this workshop.")

    def advice(self, code: str, participant_id: str | None = None) -> pd.DataFrame:
        """Every piece of advice with its vote counts (and this participant's vote)."""
        with self._session() as s:
            w = self._workshop(s, code)
            items = s.execute(
                select(Advice, Participant.pseudonym)
                .join(Participant, Participant.id == Advice.participant_id)
                .where(Advice.workshop_id == w.id)
                .order_by(Advice.id)
            ).all()
            votes = s.execute(
                select(Vote.advice_id, Vote.participant_id, Vote.vote)
                .join(Advice, Advice.id == Vote.advice_id)
                .where(Advice.workshop_id == w.id)
            ).all()
        tally: dict[int, dict[str, int]] = {}
        mine: dict[int, str] = {}
        for advice_id, voter, v in votes:
            tally.setdefault(advice_id, {}).setdefault(v, 0)
            tally[advice_id][v] += 1
            if participant_id is not None and voter == participant_id:
                mine[advice_id] = v
        rows = []
        for a, name in items:
            t = tally.get(a.id, {})
            rows.append({
                "advice_id": a.id, "created_at": a.created_at, "author": name,
                "author_id": a.participant_id, "theme": a.theme, "text": a.text,
                "hidden": a.hidden, "agree": t.get("agree", 0),
                "disagree": t.get("disagree", 0), "pass": t.get("pass", 0),
                "my_vote": mine.get(a.id),
            })
        columns = ["advice_id", "created_at", "author", "author_id", "theme", "text",
                   "hidden", "agree", "disagree", "pass", "my_vote"]
        return pd.DataFrame(rows, columns=columns)

    def export_advice_csv(self, code: str) -> str:
        """The advice for a report, with votes; hidden advice left out, formulas neutralised."""
        df = self.advice(code)
        df = df[~df["hidden"].astype(bool)].drop(columns=["author_id", "my_vote", "hidden"])
        df["created_at"] = df["created_at"].map(lambda t: pd.Timestamp(t).isoformat())
        for col in ("author", "theme", "text", "created_at"):
            df[col] = df[col].map(neutralise)
        return df.to_csv(index=False)

    # -- reading and exporting --------------------------------------------------

    def _rows(self, code: str) -> tuple[Workshop, list[tuple[Reaction, str]]]:
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(Reaction, Participant.pseudonym)
                .join(Participant, Participant.id == Reaction.participant_id)
                .where(Reaction.workshop_id == w.id)
                .order_by(Reaction.created_at, Reaction.id)
            ).all()
        return w, [(r, name) for r, name in rows]

    def reactions(self, code: str) -> pd.DataFrame:
        """One row per reaction; every config field and metric in its own column."""
        _w, rows = self._rows(code)
        records = []
        for r, pseudonym in rows:
            rec: dict[str, Any] = {
                "reaction_id": r.id,
                "created_at": r.created_at,
                "participant": pseudonym,
                "participant_id": r.participant_id,
                "use_case": r.use_case,
                "stage": r.stage,
                "comfort": r.comfort,
                "themes": "; ".join(r.themes or []),
                "comment": r.comment,
                "hidden": r.hidden,
            }
            rec.update({f"config.{k}": v for k, v in (r.config or {}).items()})
            rec.update({f"metric.{k}": v for k, v in (r.metrics or {}).items()})
            records.append(rec)
        columns = [
            "reaction_id", "created_at", "participant", "participant_id", "use_case",
            "stage", "comfort", "themes", "comment", "hidden",
        ]
        return pd.DataFrame.from_records(records, columns=None if records else columns)

    def export_csv(self, code: str) -> str:
        """The reactions for a report: hidden comments blanked, formulas neutralised."""
        df = self.reactions(code).drop(columns=["participant_id"])
        if len(df):
            df.loc[df["hidden"].astype(bool), "comment"] = ""
            df["created_at"] = df["created_at"].map(lambda t: pd.Timestamp(t).isoformat())
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].map(neutralise)
        return df.to_csv(index=False)

    def export_json(self, code: str) -> str:
        w, rows = self._rows(code)
        payload = {
            "workshop": {
                "code": w.code,
                "title": w.title,
                "created_at": w.created_at.isoformat() if w.created_at else None,
                "closed_at": w.closed_at.isoformat() if w.closed_at else None,
            },
            "reactions": [
                {
                    "reaction_id": r.id,
                    "created_at": r.created_at.isoformat() if r.created_at else None,
                    "participant": name,
                    "use_case": r.use_case,
                    "stage": r.stage,
                    "comfort": r.comfort,
                    "themes": list(r.themes or []),
                    "comment": "" if r.hidden else r.comment,
                    "hidden": r.hidden,
                    "config": r.config,
                    "metrics": r.metrics,
                }
                for r, name in rows
            ],
            "advice": [
                {
                    "advice_id": int(a["advice_id"]),
                    "theme": a["theme"],
                    "text": a["text"],
                    "author": a["author"],
                    "agree": int(a["agree"]),
                    "disagree": int(a["disagree"]),
                    "pass": int(a["pass"]),
                }
                for a in self.advice(code).to_dict("records")
                if not a["hidden"]
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
