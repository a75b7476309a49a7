"""Who this browser is in the workshop: joining, staying in across pages, leaving.

The participant's random id is kept in the session and in the address bar
(``?p=``), so a phone that reloads the page or drops off the Wi-Fi comes back as
the same pseudonym.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.i18n import _
from ui.store import get_store
from workshop.store import StoreUnavailable, WorkshopNotFound

_KEY = "participant"


@dataclass(frozen=True)
class Me:
    id: str
    pseudonym: str
    code: str
    title: str


def current() -> Me | None:
    """The joined participant, restored from ``?p=`` after a reload."""
    me = st.session_state.get(_KEY)
    if me is None:
        pid = st.query_params.get("p")
        if pid:
            try:
                store = get_store()
                p = store.participant(pid)
                if p is not None:
                    w = store.workshop_by_id(p.workshop_id)
                    me = Me(p.id, p.pseudonym, w.code, w.title)
                    st.session_state[_KEY] = me
            except (StoreUnavailable, WorkshopNotFound, ValueError):
                me = None
    if me is not None and st.query_params.get("p") != me.id:
        st.query_params["p"] = me.id
    return me


def join(code: str) -> Me:
    """Join a workshop; raises ``WorkshopNotFound`` or ``StoreUnavailable``."""
    store = get_store()
    p = store.join(code)
    w = store.workshop(code)
    me = Me(p.id, p.pseudonym, w.code, w.title)
    st.session_state[_KEY] = me
    st.query_params["p"] = me.id
    st.query_params.pop("code", None)
    return me


def leave() -> None:
    st.session_state.pop(_KEY, None)
    st.query_params.pop("p", None)


def sidebar_badge() -> None:
    """Shown on every page: who you are here, and how to leave."""
    me = current()
    with st.sidebar:
        if me is None:
            st.caption(_("You are exploring on your own. Join a workshop on the Welcome "
                         "page."))
            return
        st.markdown(_("**You are taking part as**"))
        st.text(f"{me.pseudonym}\n{me.title}")  # the title was typed by a person
        if st.button(_("Leave the workshop"), key="leave_workshop"):
            leave()
            st.rerun()
