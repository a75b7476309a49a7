"""The Console: the facilitator's laptop. Lead the room; nothing here is projected."""

import streamlit as st

from ui import console, report_panel
from ui.i18n import _
from ui.navigation import signed_in
from ui.store import get_store
from workshop.network import public_base_url, public_port, with_code
from workshop.store import StoreUnavailable, WorkshopNotFound

st.title(_("🧑‍🏫 Console"))
console.keep_cookie()
code = signed_in()
if not code:
    console.sign_in()
    st.stop()
store = get_store()
try:
    workshop = store.workshop(code)
except WorkshopNotFound:
    console.sign_out()
    st.rerun()
except StoreUnavailable:
    st.error(_(console.DOWN))
    st.stop()

head, buttons = st.columns([3, 2])
with head:
    st.text(f"{workshop.title}")  # typed by a person: plain text
    link = with_code(public_base_url(st.context.url, public_port(st.get_option("server.port"))),
                     code)
    st.markdown(_("Join code **{code}**, or the link:").format(code=code))
    st.code(link, language=None)
with buttons:
    st.link_button(_("📺 Open the Screen for the projector"),
                   console.screen_link(code, workshop.passphrase_hash), type="primary",
                   width="stretch")
    st.caption(_("It opens in a new window: drag it to the projector. It shows the join "
                 "code, the stage, the timer and results, and only comments you approve."))
    if st.button(_("Sign out of this device"), width="stretch"):
        console.sign_out()
        st.rerun()

console.lead(code)
st.divider()


@st.fragment(run_every="4s")
def waiting_and_live() -> None:
    try:
        console.moderation(code)
        st.divider()
        st.subheader(_("Answers so far"))
        console.live(code)
        console.downloads(code)
    except StoreUnavailable:
        st.warning(_(console.DOWN))


waiting_and_live()
st.divider()
report_panel.after_the_room(code)  # the report, the exports for people, the series
st.divider()
console.manage(code)
