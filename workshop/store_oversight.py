"""Transparency and oversight, part of ``workshop.store.Store``: what people say of a
tool's public record, the ethics panel's verdicts, and the themes of what people wrote.

- ``record_answer``: for each section of a tool's record (``simulators.transparency``),
  must the public be told it, and would the record be enough to accept the tool;
- ``panel_verdict``: approve, approve with conditions, or pause, with the conditions
  picked and any written in the person's own words (moderated like a comment);
- ``set_themes``: a facilitator's correction of what a comment, a piece of advice or
  a written condition is about (``workshop.themes`` finds the themes otherwise).

One person, one answer: each reads back the latest per person and use case. Writes go
through ``Store``'s own ``_insert_once`` (sent twice with one ``client_id``, stored
once), so a write in a closed or paused workshop is refused as every answer is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import delete, select, update

from simulators.messages import N_
from simulators.transparency import SECTIONS
from workshop import themes as theme_lists
from workshop.database import Database
from workshop.errors import Refused
from workshop.models import (
    STATUSES,
    Advice,
    PanelVerdict,
    Participant,
    Reaction,
    RecordAnswer,
    ThemeTag,
    is_latest,
)
from workshop.security import USE_CASE, check_client_id, clean_text
from workshop.vocabulary import CONDITION_MAX, ENOUGH, PANEL_CONDITIONS, TOLD, VERDICTS

#: What a facilitator can tag: the model, its text column, and what it is called.
KINDS = {
    "comment": (Reaction, "comment"),
    "advice": (Advice, "text"),
    "condition": (PanelVerdict, "own_condition"),
}
#: Most conditions a person may write in their own words in one verdict.
OWN_CONDITIONS = 3


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_use_case(use_case: Any) -> None:
    if not isinstance(use_case, str) or not USE_CASE.match(use_case):
        raise ValueError(f"use_case must be a short lower-case name, got {use_case!r}")


def _latest(model: Any) -> Any:
    """True for each participant's last row of ``model`` per use case."""
    return is_latest(model, model.use_case)


class Oversight(Database):
    """Record answers, panel verdicts, theme corrections. ``_insert_once`` is
    ``workshop.store.Store``'s."""

    # -- the tool's record ----------------------------------------------------------

    def record_answer(self, participant_id: str, use_case: str, told: dict[str, str],
                      enough: str | None, client_id: str,
                      config: dict[str, Any] | None = None) -> RecordAnswer:
        """Store what a person says of a tool's record: ``told`` maps each section
        they answered (``simulators.transparency.SECTIONS``) to "yes" or "no"; ``enough``
        is "yes", "no", "unsure" or None (not answered). ``config``: the settings of the
        run whose record they read."""
        _check_use_case(use_case)
        if not isinstance(told, dict):
            raise ValueError("told must map sections to answers")
        for section, answer in told.items():
            if section not in SECTIONS:
                raise ValueError(f"section must be one of {', '.join(SECTIONS)}, "
                                 f"got {section!r}")
            if answer not in TOLD:
                raise ValueError(f"answer must be one of {', '.join(TOLD)}, got {answer!r}")
        if enough is not None and enough not in ENOUGH:
            raise ValueError(f"enough must be one of {', '.join(ENOUGH)} or None, "
                             f"got {enough!r}")
        if not told and enough is None:
            raise Refused(N_("Answer at least one of the questions first."))
        check_client_id(client_id)
        return self._insert_once(RecordAnswer, participant_id, client_id, use_case=use_case,
                                 told=dict(told), enough=enough, config=dict(config or {}))

    def record_results(self, code: str, history: bool = False) -> pd.DataFrame:
        """What people said of each tool's record: each person's latest per use case
        (or, with ``history``, every answer, ``latest`` marking those that count).
        ``told_<section>``: "yes", "no" or empty; ``enough``."""
        told_columns = [f"told_{s}" for s in SECTIONS]
        columns = ["answer_id", "created_at", "participant", "participant_id", "person_id",
                   "use_case", *told_columns, "enough", "config", "latest"]
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(RecordAnswer, Participant.pseudonym, Participant.person_id,
                       _latest(RecordAnswer))
                .join(Participant, Participant.id == RecordAnswer.participant_id)
                .where(RecordAnswer.workshop_id == w.id)
                .order_by(RecordAnswer.created_at, RecordAnswer.id)
            ).all()
        records = [
            (r.id, r.created_at, name, r.participant_id, person, r.use_case,
             *((r.told or {}).get(section) for section in SECTIONS), r.enough,
             dict(r.config or {}), bool(latest))
            for r, name, person, latest in rows
        ]
        df = pd.DataFrame(records, columns=columns)
        df["latest"] = df["latest"].astype(bool)
        return df if history else df[df["latest"]].reset_index(drop=True)

    # -- the ethics panel -----------------------------------------------------------

    def panel_verdict(self, participant_id: str, use_case: str, verdict: str,
                      conditions: Sequence[str], client_id: str) -> PanelVerdict:
        """Store one panel member's verdict ("approve", "conditions" or "pause") on a
        use case. Each of ``conditions`` is a key of ``PANEL_CONDITIONS`` or a condition
        in the person's own words (at most three, each up to ``CONDITION_MAX``
        characters; moderated before the room sees them). The latest verdict counts."""
        _check_use_case(use_case)
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
        if isinstance(conditions, str) or not isinstance(conditions, Sequence):
            raise ValueError("conditions must be a list")
        picked, written = [], []
        for condition in conditions:
            if not isinstance(condition, str):
                raise ValueError(f"a condition must be text, got {condition!r}")
            if condition in PANEL_CONDITIONS:
                picked.append(condition)
            elif text := clean_text(condition, lines=False):
                if len(text) > CONDITION_MAX:
                    raise Refused(N_("A condition must be at most {n} characters."),
                                  n=CONDITION_MAX)
                written.append(text)
        if len(written) > OWN_CONDITIONS:
            raise Refused(N_("Write at most {n} conditions of your own."), n=OWN_CONDITIONS)
        check_client_id(client_id)
        return self._insert_once(PanelVerdict, participant_id, client_id, use_case=use_case,
                                 verdict=verdict, conditions=list(dict.fromkeys(picked)),
                                 own_condition="\n".join(dict.fromkeys(written)))

    def panel_results(self, code: str, history: bool = False) -> pd.DataFrame:
        """The panel's verdicts: each person's latest per use case (or every one sent,
        with ``history``). ``conditions``: the keys picked; ``own_condition``: what they
        wrote ("" if nothing), with its moderation ``status``."""
        columns = ["verdict_id", "created_at", "participant", "participant_id", "person_id",
                   "use_case", "verdict", "conditions", "own_condition", "status", "latest"]
        with self._session() as s:
            w = self._workshop(s, code)
            rows = s.execute(
                select(PanelVerdict, Participant.pseudonym, Participant.person_id,
                       _latest(PanelVerdict))
                .join(Participant, Participant.id == PanelVerdict.participant_id)
                .where(PanelVerdict.workshop_id == w.id)
                .order_by(PanelVerdict.created_at, PanelVerdict.id)
            ).all()
        df = pd.DataFrame([
            (v.id, v.created_at, name, v.participant_id, person, v.use_case, v.verdict,
             list(v.conditions or []), v.own_condition or "", v.status, bool(latest))
            for v, name, person, latest in rows], columns=columns)
        df["latest"] = df["latest"].astype(bool)
        return df if history else df[df["latest"]].reset_index(drop=True)

    def moderate_condition(self, code: str, verdict_id: int, status: str) -> None:
        """Move a condition someone wrote to "pending", "approved" or "hidden"."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        with self._change(code) as (s, w):
            done = s.execute(update(PanelVerdict).where(
                PanelVerdict.id == int(verdict_id), PanelVerdict.workshop_id == w.id)
                .values(status=status))
            if done.rowcount == 0:
                raise Refused(N_("No such condition in this workshop."))

    def delete_condition(self, code: str, verdict_id: int) -> None:
        """Delete a condition someone wrote for good: its words leave the database (and
        SQLite's files); the verdict and the conditions picked stay."""
        with self._change(code) as (s, w):
            done = s.execute(update(PanelVerdict).where(
                PanelVerdict.id == int(verdict_id), PanelVerdict.workshop_id == w.id,
                PanelVerdict.own_condition != "")
                .values(own_condition="").execution_options(synchronize_session=False))
            if done.rowcount == 0:
                raise Refused(N_("No such condition in this workshop."))
        self._compact()

    # -- what people's words are about -----------------------------------------------

    def set_themes(self, code: str, kind: str, item_id: int,
                   themes: Sequence[str] | None) -> None:
        """The facilitator's themes for one comment, piece of advice or written
        condition (``kind``: "comment", "advice" or "condition"); ``None`` goes back to
        the themes the word lists find."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if themes is not None:
            if isinstance(themes, str):
                raise ValueError("themes must be a list")
            unknown = [t for t in themes if t not in theme_lists.THEMES]
            if unknown:
                raise ValueError(f"themes must come from {', '.join(theme_lists.THEMES)}; "
                                 f"unknown: {unknown}")
            themes = [t for t in theme_lists.THEMES if t in set(themes)]
        model, column = KINDS[kind]
        with self._change(code) as (s, w):
            text = s.scalar(select(getattr(model, column)).where(
                model.id == int(item_id), model.workshop_id == w.id))
            if not text:
                raise Refused(N_("No such text in this workshop."))
            where = (ThemeTag.workshop_id == w.id, ThemeTag.kind == kind,
                     ThemeTag.item_id == int(item_id))
            s.execute(delete(ThemeTag).where(*where))
            if themes is not None:
                s.add(ThemeTag(workshop_id=w.id, kind=kind, item_id=int(item_id),
                               text_digest=_digest(text), themes=list(themes)))

    def tagged_texts(self, code: str) -> pd.DataFrame:
        """Every comment, piece of advice and written condition (the latest verdicts'
        only), oldest first, with its ``themes``: the facilitator's if they set them
        (``corrected``), else those the word lists find in it."""
        columns = ["kind", "item_id", "created_at", "participant_id", "participant", "where",
                   "text", "status", "themes", "corrected"]
        with self._session() as s:
            w = self._workshop(s, code)
            fixed = {(t.kind, t.item_id): t for t in s.scalars(
                select(ThemeTag).where(ThemeTag.workshop_id == w.id))}
            found = []
            for kind, (model, column) in KINDS.items():
                where_col = model.theme if model is Advice else model.use_case
                text_col = getattr(model, column)
                query = (select(model.id, model.created_at, model.participant_id,
                                Participant.pseudonym, where_col, text_col, model.status)
                         .join(Participant, Participant.id == model.participant_id)
                         .where(model.workshop_id == w.id, text_col != ""))
                if model is PanelVerdict:
                    latest = select(model.id, _latest(model)).where(
                        model.workshop_id == w.id).subquery()
                    query = query.join(latest, latest.c.id == model.id).where(
                        latest.c.latest)
                found += [(kind, *row) for row in s.execute(query).all()]
        rows = []
        for kind, item_id, created_at, who, name, where, text, status in found:
            tag = fixed.get((kind, item_id))
            corrected = tag is not None and tag.text_digest == _digest(text)
            rows.append((kind, item_id, created_at, who, name, where, text, status,
                         list(tag.themes) if corrected else theme_lists.tags(text), corrected))
        df = pd.DataFrame(rows, columns=columns)
        return df.sort_values(["created_at", "kind", "item_id"]).reset_index(drop=True)
