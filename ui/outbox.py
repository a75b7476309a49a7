"""Answers on their way to the store: nothing a participant sends is lost.

Each answer carries a ``client_id``, so sending it twice stores it once. If the
database can't be reached, or the facilitator has paused answers, the answer waits
here and goes with the next send or the next run of any page (``app.py`` flushes).
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from ui.i18n import _, say
from ui.store import get_store
from workshop import store as store_module
from workshop.store import StoreUnavailable

PENDING = "outbox.pending"  # [{"method": ..., "kwargs": {...}}], oldest first
# Until every store has it: answers paused by the facilitator wait like an outage.
_PAUSED = getattr(store_module, "AnswersLocked", ())


def waiting_text() -> str:
    return _("We couldn't save your answer just now. It is kept on this page and will be "
             "sent by itself as soon as it can.")


def paused_text() -> str:
    return _("Answers are paused by the facilitator for a moment. Yours is kept on this "
             "page and will be sent by itself when answers open again.")


def new_client_id() -> str:
    return uuid.uuid4().hex


def pending() -> list[dict[str, Any]]:
    return st.session_state.setdefault(PENDING, [])


def flush() -> tuple[int, str | None]:
    """Send waiting answers, oldest first. Returns (sent, problem or None)."""
    queue = pending()
    store = get_store()
    sent = 0
    while queue:
        item = queue[0]
        try:
            getattr(store, item["method"])(**item["kwargs"])
        except StoreUnavailable:
            return sent, waiting_text()
        except _PAUSED:
            return sent, paused_text()
        except ValueError as err:
            queue.pop(0)  # the store refused it for good (e.g. the workshop closed)
            return sent, say(err)
        queue.pop(0)
        sent += 1
    return sent, None


def send(method: str, **kwargs: Any) -> str | None:
    """Queue one write and flush; returns a message for the person, or None if saved."""
    pending().append({"method": method, "kwargs": kwargs})
    _sent, problem = flush()
    return problem
