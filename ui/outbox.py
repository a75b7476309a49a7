"""Answers on their way to the store: nothing a participant sends is lost.

Each answer carries a ``client_id``, so sending it twice stores it once. It goes
through the participant's spool on disk (``workshop.spool``): if the database
can't be reached, or the facilitator has paused answers, it waits there, even if
the app restarts, and goes with the next send or the next run of any page
(``app.py`` sends what waits).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from ui.i18n import _, say
from ui.store import get_store
from workshop.errors import AnswersLocked, StoreUnavailable
from workshop.spool import Spool


class Problem(str):
    """Why an answer is not stored yet, for the person: ``kept`` if it waits in the
    outbox and goes by itself later, else it was refused (the workshop closed, say)
    and the person still has it to change or keep."""

    kept: bool = False

    @classmethod
    def of(cls, text: str, kept: bool) -> Problem:
        out = cls(text)
        out.kept = kept
        return out


def waiting_text() -> str:
    return _("We couldn't save your answer just now. It is kept and will be sent by itself "
             "as soon as it can.")


def paused_text() -> str:
    return _("Answers are paused by the facilitator for a moment. Yours is kept and will be "
             "sent by itself when answers open again.")


@functools.cache
def spool() -> Spool:
    return Spool()


def new_client_id() -> str:
    return uuid.uuid4().hex


def pending(participant_id: str) -> bool:
    return bool(spool().pending(participant_id))


def flush(participant_id: str) -> tuple[int, Problem | None]:
    """Send what waits, oldest first. Returns (sent, a message for the person or None)."""
    sent, problem = spool().deliver(get_store(), participant_id)
    if problem is None:
        return sent, None
    if isinstance(problem, StoreUnavailable):
        return sent, Problem.of(waiting_text(), kept=True)
    if isinstance(problem, AnswersLocked):
        return sent, Problem.of(paused_text(), kept=True)
    return sent, Problem.of(say(problem), kept=False)


def send(method: str, **kwargs: Any) -> Problem | None:
    """Keep one write and send what waits; a message for the person, or None if saved."""
    participant_id = kwargs["participant_id"]
    spool().add(participant_id, method, kwargs)
    _sent, problem = flush(participant_id)
    return problem
