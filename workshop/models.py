"""Tables: workshops, the participants who join them, and their reactions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    passphrase_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Where the facilitator has put the room: kept here, not in a server's memory, so
    # late joiners and every app instance sharing one database see the same thing.
    stage: Mapped[str] = mapped_column(String(20), default="first_views")
    preset_use_case: Mapped[str | None] = mapped_column(String(40), nullable=True)
    preset_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    preset_config: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    preset_version: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(String(60))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class ParticipantText:
    """What reactions and advice share: sent once per ``client_id`` by one participant
    of one workshop, and hideable by the facilitator."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Reaction(ParticipantText, Base):
    __tablename__ = "reactions"

    use_case: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(10))
    comfort: Mapped[int] = mapped_column(Integer)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Advice(ParticipantText, Base):
    """A short piece of advice a participant wrote in the closing round."""

    __tablename__ = "advice"

    theme: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
