"""The facilitator's controls over a workshop, part of ``workshop.store.Store``.

Where the room is (the stage of the dialogue, the scenario on every screen, answers
paused, a countdown) and what every screen follows (``room``, ``revision``); and
closing, reopening and deleting a workshop. Every change moves the workshop's
revision, so screens that poll it see it.
"""

from __future__ import annotations

import json
import numbers
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select

from simulators.messages import N_
from workshop.database import Database
from workshop.errors import Refused
from workshop.models import Advice, Answer, Participant, Reaction, Series, Vote, Workshop
from workshop.security import USE_CASE
from workshop.vocabulary import DIALOGUE_STAGES

TIMER_MAX = 4 * 3600


class RoomControls(Database):
    """Stage, scenario, lock, timer; close, reopen, delete."""

    # -- where the room is ------------------------------------------------------

    def set_stage(self, code: str, stage: str) -> None:
        """Move the room to another stage. What belonged to the stage it leaves goes
        with it: its timer, a pause of answers, and (leaving the uses of AI) the
        scenario every phone was put on. Setting the stage it is on changes nothing."""
        if stage not in DIALOGUE_STAGES:
            raise ValueError(f"stage must be one of {', '.join(DIALOGUE_STAGES)}, got {stage!r}")
        with self._change(code) as (_s, w):
            self._move(w, stage)

    @staticmethod
    def _move(w: Workshop, stage: str) -> None:
        if (w.stage or "first_views") == stage:
            return
        w.stage = stage
        w.timer_ends_at = w.timer_seconds = None
        w.locked = False
        if stage != "use_cases" and w.preset_use_case is not None:
            w.preset_use_case = w.preset_key = w.preset_config = None
            w.preset_version = (w.preset_version or 0) + 1

    def set_preset(
        self, code: str, use_case: str | None, preset_key: str | None,
        config: dict[str, Any] | None,
    ) -> int:
        """Put the room on a preset (or clear it with ``None``); returns its version.
        A scenario belongs to trying the uses of AI: the room moves to that stage."""
        if use_case is not None and not USE_CASE.match(use_case):
            raise ValueError(f"use_case must be a short lower-case name, got {use_case!r}")
        if config is not None:
            json.dumps(config, allow_nan=False)
        with self._change(code) as (_s, w):
            if use_case is not None:
                self._move(w, "use_cases")
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

    def approved_tallies(self, code: str) -> list[tuple[int, int, int, int]]:
        """The advice the room may see (approved), with its votes: (advice id, agree,
        disagree, pass), oldest first. What phones voting on advice follow."""
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(Advice.id, Vote.vote, func.count(Vote.id))
                .outerjoin(Vote, Vote.advice_id == Advice.id)
                .where(Advice.workshop_id == w.id, Advice.status == "approved")
                .group_by(Advice.id, Vote.vote).order_by(Advice.id)
            ).all()
        tally: dict[int, dict[str, int]] = {}
        for advice_id, vote, n in rows:
            tally.setdefault(advice_id, {})[vote] = int(n)
        return [(a, t.get("agree", 0), t.get("disagree", 0), t.get("pass", 0))
                for a, t in tally.items()]

    def revision(self, code: str) -> int:
        """A number that changes whenever anything in this workshop changes."""
        with self._session() as s:
            return int(self._workshop(s, code).revision)

    # -- closing and deleting -----------------------------------------------------

    def close_workshop(self, code: str) -> None:
        """Close the workshop to joining and answers; its timer and pause end with it."""
        with self._change(code) as (_s, w):
            if w.closed_at is None:
                w.closed_at = self.now()
            w.timer_ends_at = w.timer_seconds = None
            w.locked = False

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
