"""The room's own decisions on the AI's cases ("decide first"), part of
``workshop.store.Store``.

A participant decides a handful of cases before seeing the AI
(``simulators.decide``); ``record_decisions`` stores each with what the case truly
needed and what the AI decided, worked out here from the use case's simulation of
the settings the person decided under (never taken from the phone), the draw of
cases they were dealt and the seconds each took. ``decisions`` reads them back,
each person's latest per case. Whether a workshop decides first, per use case, is
room state (``set_decide_first``, ``decide_first``), kept in the database so every
app instance sees it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workshop.database import Database
from workshop.models import DecideFirst, Decision, Participant, Workshop
from workshop.security import normalise_code

#: The most cases one set of decisions may hold, and the longest a case may take.
MAX_CASES = 64
MAX_SECONDS = 3600
MAX_DRAW = 9999
COLUMNS = ["participant_id", "person_id", "participant", "use_case", "case_id", "group",
           "truth", "ai", "person", "draw", "seconds", "created_at", "config"]


def _zero_or_one(case_id: str, value: Any) -> int:
    if isinstance(value, bool) or value not in (0, 1) or not isinstance(value, numbers.Integral):
        raise ValueError(f"the decision on {case_id!r} must be 0 or 1, got {value!r}")
    return int(value)


def _times(seconds: Mapping[str, Any] | None, ids: list[str]) -> dict[str, float | None]:
    if seconds is None:
        return dict.fromkeys(ids)
    if not isinstance(seconds, Mapping) or not set(seconds) <= set(ids):
        raise ValueError("seconds must map some of the decided case ids to a time")
    out: dict[str, float | None] = dict.fromkeys(ids)
    for case_id, value in seconds.items():
        if value is None:
            continue
        if (isinstance(value, bool) or not isinstance(value, numbers.Real)
                or not math.isfinite(value) or not 0 <= value <= MAX_SECONDS):
            raise ValueError(f"seconds for {case_id!r} must be from 0 to {MAX_SECONDS}")
        out[case_id] = round(float(value), 2)
    return out


class Decisions(Database):
    """Decide first: the switch per use case, and people's decisions on the AI's cases."""

    # -- the switch -------------------------------------------------------------------

    def set_decide_first(self, code: str, use_case: str, on: bool) -> None:
        """Have participants decide cases first on ``use_case``'s page, or not."""
        from simulators.decide import supports

        if not supports(use_case):
            raise ValueError(f"{use_case!r} has no cases for people to decide first")
        with self._change(code) as (s, w):
            s.merge(DecideFirst(workshop_id=w.id, use_case=use_case, enabled=bool(on)))

    def decide_first(self, code: str) -> dict[str, bool]:
        """Per use case that has cases to decide: whether participants decide first
        (yes unless the facilitator switched it off)."""
        from simulators import registry
        from simulators.decide import supports

        with self._session() as s:
            w = self._workshop(s, code)
            set_to = dict(s.execute(select(DecideFirst.use_case, DecideFirst.enabled)
                                    .where(DecideFirst.workshop_id == w.id)).all())
        return {u: bool(set_to.get(u, True)) for u in registry.USE_CASES if supports(u)}

    # -- what participants decide -------------------------------------------------------

    def record_decisions(self, participant_id: str, use_case: str,
                         decisions: Mapping[str, int], client_id: str, *,
                         config: Mapping[str, Any] | None = None, draw: int = 0,
                         seconds: Mapping[str, float] | None = None) -> int:
        """Store one participant's decisions (``{case_id: 1 or 0}``: fast-track or can
        wait, high or low risk, kept or left out) on cases of ``use_case`` under
        ``config`` (a dict of its settings; None: its defaults), dealt as ``draw``,
        with the ``seconds`` each took. What each case truly needed and what the AI
        decided are worked out here. The same ``client_id`` twice stores it once.
        Returns how many decisions the set holds."""
        from simulators import decide, registry
        from workshop.outcome_cache import outcome

        if not isinstance(use_case, str) or decide.role(use_case) is None:
            raise ValueError(f"{use_case!r} has no cases for people to decide")
        if not isinstance(decisions, Mapping) or not 1 <= len(decisions) <= MAX_CASES:
            raise ValueError(f"decisions must map 1 to {MAX_CASES} case ids to 0 or 1")
        ids = [str(c) for c in decisions]
        if any(len(c) > 40 for c in ids):
            raise ValueError("a case id is at most 40 characters")
        chosen = {str(c): _zero_or_one(str(c), v) for c, v in decisions.items()}
        if isinstance(draw, bool) or not isinstance(draw, numbers.Integral) \
                or not 0 <= draw <= MAX_DRAW:
            raise ValueError(f"draw must be a whole number from 0 to {MAX_DRAW}")
        times = _times(seconds, ids)
        if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
            raise ValueError("client_id must be a string of 8 to 64 characters")
        settings = decide.config_of(use_case, None if config is None else dict(config))
        found = decide.facts(use_case, outcome(registry.get(use_case), settings), settings,
                             ids)
        stored = settings.to_dict()
        try:
            with self._session() as s:
                done = self._sent(s, participant_id, client_id)
                if done:
                    return done
                p = self._open_participant(s, participant_id)  # type: ignore[attr-defined]
                s.add_all(Decision(
                    client_id=client_id, workshop_id=p.workshop_id, participant_id=p.id,
                    use_case=use_case, case_id=row.case_id, group=row.group,
                    truth=int(row.truth), ai=int(row.ai), person=chosen[row.case_id],
                    draw=int(draw), seconds=times[row.case_id], config=stored)
                    for row in found.itertuples(index=False))
            return len(found)
        except IntegrityError:
            with self._session() as s:  # the same set arrived twice at once
                done = self._sent(s, participant_id, client_id)
            if not done:
                raise
            return done

    @staticmethod
    def _sent(s: Session, participant_id: str, client_id: str) -> int:
        return int(s.scalar(select(func.count()).select_from(Decision).where(
            Decision.participant_id == str(participant_id),
            Decision.client_id == client_id)) or 0)

    def decisions(self, code: str, use_case: str | None = None) -> pd.DataFrame:
        """Each participant's latest decision per case (of ``use_case``, or all), oldest
        first: ``participant_id``, ``person_id``, ``participant`` (the nickname),
        ``use_case``, ``case_id``, ``group``, ``truth``, ``ai``, ``person`` (their own
        decision), ``draw``, ``seconds`` (time taken, or empty), ``created_at`` and
        ``config`` (the settings the AI decided under)."""
        latest = (func.row_number().over(
            partition_by=(Decision.participant_id, Decision.use_case, Decision.case_id),
            order_by=(Decision.created_at.desc(), Decision.id.desc())) == 1).label("latest")
        with self._session() as s:
            w = self._workshop(s, code)
            # Columns, not ORM objects: a room's decisions are read whenever they change
            query = (select(Decision.participant_id, Participant.person_id,
                            Participant.pseudonym, Decision.use_case, Decision.case_id,
                            Decision.group, Decision.truth, Decision.ai, Decision.person,
                            Decision.draw, Decision.seconds, Decision.created_at,
                            Decision.config, latest)
                     .join(Participant, Participant.id == Decision.participant_id)
                     .where(Decision.workshop_id == w.id))
            if use_case is not None:
                query = query.where(Decision.use_case == use_case)
            rows = s.execute(query.order_by(Decision.created_at, Decision.id)).all()
        df = pd.DataFrame([(*row[:12], dict(row[12] or {})) for row in rows if row[13]],
                          columns=COLUMNS)
        for col in ("truth", "ai", "person", "draw"):
            df[col] = df[col].astype(int)
        df["seconds"] = df["seconds"].astype(float)
        return df

    def decisions_version(self, code: str, use_case: str | None = None
                          ) -> tuple[int, int, int]:
        """Changes whenever a decision of ``decisions(code, use_case)`` is stored or
        deleted, or people who decided are merged into one: (how many are stored, the
        newest one's id, how many people they are from); (0, 0, 0) for none or an
        unknown workshop. One read of an index, for keeping what is worked out from
        the decisions until they change."""
        query = (select(func.count(Decision.id), func.max(Decision.id),
                        func.count(Decision.participant_id.distinct()))
                 .join(Workshop, Workshop.id == Decision.workshop_id)
                 .where(Workshop.code == normalise_code(code)))
        if use_case is not None:
            query = query.where(Decision.use_case == use_case)
        with self._session() as s:
            n, newest, people = s.execute(query).one()
        return int(n or 0), int(newest or 0), int(people or 0)

    def decided(self, participant_id: str) -> set[str]:
        """The use cases this participant has decided cases of."""
        with self._session() as s:
            return set(s.scalars(select(Decision.use_case).where(
                Decision.participant_id == str(participant_id)).distinct()).all())

    def join_order(self, participant_id: str) -> int:
        """How many people joined this participant's workshop before them (0: first),
        to deal each person the next draw of cases in turn."""
        with self._session() as s:
            p = s.get(Participant, str(participant_id))
            if p is None:
                return 0
            return int(s.scalar(select(func.count()).select_from(Participant).where(
                Participant.workshop_id == p.workshop_id,
                (Participant.joined_at < p.joined_at)
                | ((Participant.joined_at == p.joined_at) & (Participant.id < p.id)))) or 0)

