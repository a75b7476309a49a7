"""Who this browser is in the workshop: joining, staying in across pages, leaving.

The participant's random id is kept in the session and in the address bar
(``?p=``), so a phone that reloads the page or drops off the Wi-Fi comes back as
the same pseudonym.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st

from ui.i18n import _, lang, say
from ui.navigation import WELCOME, page_link
from ui.store import get_store
from workshop.network import client_address
from workshop.security import HANDOVER
from workshop.store import StoreUnavailable, WorkshopNotFound

_KEY = "participant"


@dataclass(frozen=True)
class Me:
    id: str
    pseudonym: str
    code: str
    title: str
    return_code: str = ""  # only for a workshop in a series: to continue next time


def grouped(code: str) -> str:
    """A long code in groups of four, to read and copy (dashes and spaces are ignored
    when it is typed back).

    >>> grouped("ABCD2345EFGH6789")
    'ABCD-2345-EFGH-6789'
    """
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _me(p, w) -> Me:
    return Me(p.id, p.pseudonym, w.code, w.title,
              grouped(p.return_code) if w.series_id is not None else "")


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
                    me = _me(p, w)
                    st.session_state[_KEY] = me
            except (StoreUnavailable, WorkshopNotFound, ValueError):
                me = None
    if me is not None and st.query_params.get("p") != me.id:
        st.query_params["p"] = me.id
    return me


DEVICE_COOKIE = "workshop_device"
_KEEP_DEVICE = st.components.v2.component(
    "device_cookie", html="<span></span>",
    js="""
export default function ({ data }) {
  const has = document.cookie.split("; ").some((c) => c.startsWith(data.name + "="));
  if (!has) {
    document.cookie = data.name + "=" + data.value + "; path=/; max-age=" + data.age +
      "; SameSite=Lax";
  }
}
""")


def joined(what_for: str) -> Me:
    """The joined participant; for anyone else, why to join (``what_for``, translated)
    and the way to the Welcome page, and the page stops there."""
    me = current()
    if me is None:
        st.info(what_for)
        page_link(WELCOME, label=_("Join the workshop"), icon="👋")
        st.stop()
    return me


def device_token() -> str:
    """A random token this browser keeps (a cookie), so the same phone joining again
    is the same participant. The store keeps only a hash of it."""
    cookie = st.context.cookies.get(DEVICE_COOKIE)
    cookie = cookie if isinstance(cookie, str) else None
    token = cookie or st.session_state.get(DEVICE_COOKIE)
    if not isinstance(token, str) or not 16 <= len(token) <= 256:
        token = secrets.token_urlsafe(24)
    st.session_state[DEVICE_COOKIE] = token
    if cookie != token:
        _KEEP_DEVICE(key="device.cookie", data={"name": DEVICE_COOKIE, "value": token,
                                                "age": 60 * 60 * 24 * 30})
    return token


def address() -> str | None:
    """This device's network address (a proxy's word taken only if it is trusted)."""
    return client_address(st.context.ip_address, dict(st.context.headers))


def join(code: str, returning: str | None = None) -> Me:
    """Join a workshop (or continue as the person a series' return code names);
    raises a ``ValueError`` the person can read (``ui.i18n.say``) or
    ``StoreUnavailable``."""
    store = get_store()
    p = store.join(code, device=st.session_state.get(DEVICE_COOKIE), address=address(),
                   returning=returning or None, language=lang())
    w = store.workshop(code)
    me = _me(p, w)
    st.session_state[_KEY] = me
    st.query_params["p"] = me.id
    st.query_params.pop("code", None)
    return me


def another_device(me: Me) -> None:
    """Let this person's return code continue them on one other device here: only
    they, on this device, can (a code someone glimpsed is refused)."""
    if st.button(_("Use my return code on another device"), key="handover"):
        try:
            get_store().allow_another_device(me.id)
            st.success(_("For the next {minutes} minutes, your return code works once on "
                         "another device in this workshop.").format(
                             minutes=int(HANDOVER.total_seconds() // 60)))
        except StoreUnavailable:
            st.error(_("The workshop can't be reached just now. Please try again in a "
                       "moment, or tell the facilitator."))
        except ValueError as err:
            st.error(say(err))


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
        if me.return_code:
            st.caption(_("Your return code, to continue at the next workshop of this "
                         "series:"))
            st.code(me.return_code, language=None)
            another_device(me)
        if st.button(_("Leave the workshop"), key="leave_workshop"):
            leave()
            st.rerun()
