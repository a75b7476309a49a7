"""Welcome: what the workshop is, the uses of AI, what happens to what you say, joining."""

import streamlit as st

from simulators import registry
from ui import participant
from ui.i18n import _, language_picker, say
from ui.reaction_box import say_here
from ui.room import STAGES, room_state, stage_page
from workshop.store import StoreUnavailable, WorkshopNotFound

CONSENT = _("""
**Before you join.** We record only your answers, the settings on your screen when you
gave them, and a made-up nickname. No name, email or phone number. Taking part is
voluntary: you can leave at any time from the menu, and skip any question.
""")


def join_box() -> None:
    me = participant.current()
    with st.container(border=True):
        if me is not None:
            st.markdown(_("**You have joined the workshop.** Your nickname is"))
            st.text(f"{me.pseudonym}  ({me.title})")  # the title was typed by a person
            try:
                room = room_state(me.code)
                title = _(STAGES.get(room["stage"], STAGES["first_views"])[0])
                st.page_link(stage_page(room), label=_("Start here: {where}").format(
                    where=title), icon="👉")
            except (StoreUnavailable, WorkshopNotFound):
                pass
            return
        st.markdown("**" + _("Join the workshop") + "**")
        st.markdown(CONSENT)
        participant.device_token()
        with st.form("join"):
            code = st.text_input(
                _("Workshop code (on the projector)"), value=st.query_params.get("code", ""),
                max_chars=20, placeholder=_("e.g. K7MX3Q"))
            returning = st.text_input(
                _("Been to an earlier workshop of this series? Your return code (optional)"),
                max_chars=20, key="join.returning")
            if st.form_submit_button(_("Join"), type="primary"):
                if not code.strip():
                    say_here("error", _("Type the code shown on the projector first."))
                    return
                try:
                    participant.join(code, returning=returning.strip())
                except StoreUnavailable:
                    say_here("error", _("The workshop can't be reached just now. Please try "
                                        "again in a moment, or tell the facilitator."))
                    return
                except ValueError as err:  # an unknown or closed workshop, or too many tries
                    say_here("error", say(err))
                    return
                st.rerun()
        st.caption(_("No code? You can still try everything on your own, without joining."))


language_picker()
st.title(_("AI in policing: try it, question it, have your say"))
join_box()
uses = list(dict.fromkeys(u.dialogue_use for u in registry.USE_CASES.values()))
st.markdown(_("""
Police forces in England and Wales are looking at computer systems that learn from
past records: so-called AI. Some are being tried out; others are still ideas. A public
dialogue in 2025 asked people what they thought of {n} such uses. Here you get your
hands on small, made-up versions of them. You can move sliders that put the kinds of
unfairness found in real records into what the AI learns from, and see for yourself
who it then lets down, and what helps.

Nothing here uses real people's data. Every call, statement and street is invented.
""").format(n=len(uses)))

st.header(_("What you can try"))
for use in uses:
    with st.container(border=True):
        st.markdown(f"**{_(use)}**")
        for u in registry.USE_CASES.values():
            if u.dialogue_use == use:
                st.page_link(u.page, label=f"{_(u.title)}: {_(u.blurb)}", icon=u.icon)

st.header(_("What happens to what you say"))
st.markdown(_("""
- Before you try each use of AI, and again after, you will be asked **how comfortable you
  would be** if police used it, with an optional comment.
- We save your answer **with the settings and numbers you were looking at**, so the
  report can say what people thought *and why*.
- You get a made-up nickname. We never ask for your name, email or anything that
  identifies you, so please don't type such details into a comment.
- Comments and advice are read by the facilitator before anything is shown on the
  projector. The report of this workshop shares answers without nicknames.
"""))
st.caption(_("On a phone, open the menu with the » button at the top left. You can come "
             "back to this page at any time."))
