"""Reading back and moderating what participants sent, part of ``workshop.store.Store``.

What the Console, the Screen, the report and the exports read: a workshop's
reactions (one row each, or the comments alone), its counts, the shift in comfort,
the answers to the outstanding questions, the advice with its votes, and every
reaction across a series; and moderation, which moves a comment, an answer's note or
a piece of advice to "pending", "approved" or "hidden", deletes a comment or a piece
of advice for good, and merges participants who are one person (several joins from
one address are shown as suspected duplicates). The exports themselves are
``workshop.export``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import aliased

from simulators.messages import N_
from workshop import analysis, spool
from workshop.database import Database
from workshop.errors import Refused
from workshop.models import (
    STATUSES,
    Advice,
    Answer,
    Decision,
    PanelVerdict,
    Participant,
    ParticipantText,
    Reaction,
    RecordAnswer,
    Series,
    Vote,
    Workshop,
    is_latest,
)

#: Everything a participant sends, each with what makes one sending of it unique
#: besides its sender: merging people moves all of it (``Review.merge_participants``).
SENT = ((Reaction, ("client_id",)), (Answer, ("client_id",)), (Advice, ("client_id",)),
        (RecordAnswer, ("client_id",)), (PanelVerdict, ("client_id",)),
        (Decision, ("client_id", "case_id")))


class Review(Database):
    """Reactions, answers, advice and votes read back; moderation; exports."""

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
                       is_latest(Reaction, Reaction.use_case, Reaction.stage))
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

    # -- reactions and comments --------------------------------------------------

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
                       is_latest(Reaction, Reaction.use_case, Reaction.stage))
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
                       is_latest(Answer, Answer.question))
                .join(Participant, Participant.id == Answer.participant_id)
                .where(Answer.workshop_id == w.id)
                .order_by(Answer.created_at, Answer.id)
            ).all()
        df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        df["latest"] = df["latest"].astype(bool)
        return df if history else df[df["latest"]].reset_index(drop=True)

    # -- the advice round --------------------------------------------------------

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

    # -- moderation ---------------------------------------------------------------

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

    def moderate_answer(self, code: str, answer_id: int, status: str) -> None:
        """Move an answer's note to "pending", "approved" or "hidden"."""
        self._set_status(Answer, code, answer_id, status,
                         N_("No such answer in this workshop."))

    def moderate_advice(self, code: str, advice_id: int, status: str) -> None:
        """Move advice to "pending", "approved" (may be projected) or "hidden"."""
        self._set_status(Advice, code, advice_id, status,
                         N_("No such advice in this workshop."))

    def hide_advice(self, code: str, advice_id: int, hidden: bool = True) -> None:
        """Hide advice, or approve it with ``hidden=False``."""
        self.moderate_advice(code, advice_id, "hidden" if hidden else "approved")

    # -- deleting and merging -------------------------------------------------------

    def delete_comment(self, code: str, reaction_id: int) -> None:
        """Delete a comment for good: its words leave the database (and SQLite's files);
        the answer it came with (how comfortable, the settings) stays."""
        with self._change(code) as (s, w):
            done = s.execute(
                update(Reaction).where(Reaction.id == int(reaction_id),
                                       Reaction.workshop_id == w.id, Reaction.comment != "")
                .values(comment="").execution_options(synchronize_session=False))
            if done.rowcount == 0:
                raise Refused(N_("No such comment in this workshop."))
        self._compact()

    def delete_advice(self, code: str, advice_id: int) -> None:
        """Delete a piece of advice and its votes for good (from SQLite's files too)."""
        with self._change(code) as (s, w):
            this = select(Advice.id).where(Advice.id == int(advice_id),
                                           Advice.workshop_id == w.id)
            s.execute(delete(Vote).where(Vote.advice_id.in_(this)))
            if s.execute(delete(Advice).where(Advice.id.in_(this))).rowcount == 0:
                raise Refused(N_("No such advice in this workshop."))
        self._compact()

    def suspected_duplicates(self, code: str) -> list[list[dict[str, Any]]]:
        """Participants who joined this workshop from one network address, in groups
        of two or more (earliest first): possibly one person joining again and again,
        or a shared phone, or a whole venue behind one address. Each: ``participant_id``,
        ``participant`` (nickname), ``joined_at`` and ``answers`` (everything sent:
        reactions, answers, advice, what they said of a record or as the panel, and each
        set of cases decided)."""
        with self._session() as s:
            w = self._workshop(s, code)
            shared = (select(Participant.address_hash)
                      .where(Participant.workshop_id == w.id,
                             Participant.address_hash.is_not(None))
                      .group_by(Participant.address_hash).having(func.count() > 1))
            people = s.execute(
                select(Participant.id, Participant.pseudonym, Participant.joined_at,
                       Participant.address_hash)
                .where(Participant.workshop_id == w.id,
                       Participant.address_hash.in_(shared))
                .order_by(Participant.joined_at, Participant.id)).all()
            sent: dict[str, int] = {}
            for model, _unique in SENT:
                for pid, n in s.execute(
                        select(model.participant_id, func.count(model.client_id.distinct()))
                        .where(model.workshop_id == w.id).group_by(model.participant_id)):
                    sent[pid] = sent.get(pid, 0) + int(n)
        groups: dict[str, list[dict[str, Any]]] = {}
        for pid, name, joined, address in people:
            groups.setdefault(address, []).append(
                {"participant_id": pid, "participant": name, "joined_at": joined,
                 "answers": sent.get(pid, 0)})
        return list(groups.values())

    def merge_participants(self, code: str, keep: str, others: Sequence[str]) -> None:
        """Make ``others`` one voice with ``keep``: everything they sent (``SENT``:
        answers, advice, what they said of a record or as the panel, the cases they
        decided) and their votes become ``keep``'s (where both voted on one piece of
        advice, the later vote stays; each person's latest answer, and latest decision
        on a case, is the one that counts, as always), then they are deleted, with any
        answers their phones still had waiting."""
        keep, ids = str(keep), [str(o) for o in dict.fromkeys(others) if str(o) != str(keep)]
        with self._change(code) as (s, w):
            found = set(s.scalars(select(Participant.id).where(
                Participant.workshop_id == w.id, Participant.id.in_([keep, *ids]))))
            if found != {keep, *ids}:
                raise Refused(N_("Those people are not all in this workshop."))
            for model, unique in SENT:
                theirs = model.participant_id.in_(ids)
                kept = aliased(model)  # the same sending, kept already (sent twice)
                s.execute(delete(model).where(theirs, exists().where(and_(
                    kept.participant_id == keep,
                    *(getattr(kept, c) == getattr(model, c) for c in unique)))))
                s.execute(update(model).where(theirs).values(participant_id=keep)
                          .execution_options(synchronize_session=False))
            seen: set[int] = set()
            for vote in s.scalars(select(Vote).where(Vote.participant_id.in_([keep, *ids]))
                                  .order_by(Vote.created_at.desc(), Vote.id.desc())):
                if vote.advice_id in seen:
                    s.delete(vote)
                seen.add(vote.advice_id)
            s.flush()
            s.execute(update(Vote).where(Vote.participant_id.in_(ids))
                      .values(participant_id=keep).execution_options(synchronize_session=False))
            s.execute(delete(Participant).where(Participant.id.in_(ids)))
        spool.forget(ids)



def _check_status(status: Any) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
