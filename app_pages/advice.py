"""Our advice: write advice to the police and Home Office, weigh the room's, say a final view."""

from __future__ import annotations

import streamlit as st

from ui import outbox, participant
from ui.i18n import _
from ui.navigation import page_link
from ui.reaction_box import answered, flash, question_box
from ui.store import get_store
from ui.where_i_sit import where_i_sit
from workshop.store import StoreUnavailable, WorkshopNotFound
from workshop.vocabulary import ADVICE_MAX, ADVICE_THEMES, VOTES

OVERALL = "overall"

st.title(_("🗣️ Our advice"))
st.write(_("The 2025 dialogue ended with participants giving advice to the Home Office and "
           "police forces. Now it's your turn. Write short pieces of advice under one of the "
           "three themes that came out of that dialogue, then say whether you agree with "
           "what others in the room wrote."))
me = participant.current()
if me is None:
    st.info(_("Join the workshop on the Welcome page to give advice and see the room's."))
    page_link("app_pages/welcome.py", label=_("Join the workshop"), icon="👋")
    st.stop()
flash()


def add(me_id: str) -> None:
    ss = st.session_state
    text = (ss.get("advice.text") or "").strip()
    if not text:
        ss["reactions.flash"] = ("error", _("Write something first."))
        return
    problem = outbox.send("add_advice", participant_id=me_id, theme=ss["advice.theme"],
                          text=text, client_id=ss.pop("advice.client_id"))
    ss["advice.text"] = ""
    ss["reactions.flash"] = ("warning", problem) if problem else ("success", _(
        "Thank you, your advice is added. Once the facilitator has read it, the room can "
        "weigh it."))


def vote(advice_id: int, me_id: str) -> None:
    choice = st.session_state.get(f"advice.vote.{advice_id}")
    if choice:
        problem = outbox.send("vote", participant_id=me_id, advice_id=advice_id, vote=choice)
        if problem:
            st.session_state["reactions.flash"] = ("warning", problem)


with st.container(border=True):
    st.subheader(_("Write a piece of advice"))
    st.session_state.setdefault("advice.client_id", outbox.new_client_id())
    with st.form("advice.form", border=False):
        st.radio(_("Which theme is it about?"), list(ADVICE_THEMES), key="advice.theme",
                 format_func=lambda t: _(ADVICE_THEMES[t]))
        st.text_area(_("Your advice (one or two sentences, please no names)"),
                     max_chars=ADVICE_MAX, key="advice.text")
        st.form_submit_button(_("Add my advice"), type="primary", on_click=add, args=(me.id,))

try:
    items = get_store().advice(me.code, participant_id=me.id)
except (StoreUnavailable, WorkshopNotFound):
    st.warning(_("The workshop can't be reached just now. Your advice is kept and will be "
                 "sent on your next try."))
    st.stop()

status = items["status"] if "status" in items else items["hidden"].map(
    {True: "hidden", False: "approved"})
others = items[(status == "approved") & (items["author_id"] != me.id)]
mine = items[(items["author_id"] == me.id) & (status != "hidden")]

st.subheader(_("What others in the room advise"))
if others.empty:
    st.caption(_("Nobody else's advice is up yet. This list fills up as people write and "
                 "the facilitator reads it."))
else:
    st.caption(_("For each piece of advice, pick Agree, Disagree or Pass. You can change "
                 "your mind: only your latest choice counts."))
    for theme_key, theme_name in ADVICE_THEMES.items():
        group = others[others["theme"] == theme_key]
        if group.empty:
            continue
        st.markdown(f"**{_(theme_name)}**")
        for row in group.itertuples():
            with st.container(border=True):
                st.text(row.text)  # participant text: never Markdown
                key = f"advice.vote.{row.advice_id}"
                if key not in st.session_state and isinstance(row.my_vote, str):
                    st.session_state[key] = row.my_vote
                st.segmented_control(
                    _("Your view"), list(VOTES), format_func=lambda v: _(VOTES[v]), key=key,
                    on_change=vote, args=(row.advice_id, me.id), label_visibility="collapsed")

where_i_sit(me, items[status == "approved"])

if not mine.empty:
    st.subheader(_("Your advice so far"))
    for row in mine.itertuples():
        st.text(f"{_(ADVICE_THEMES[row.theme])}: {row.text}")

st.divider()
st.subheader(_("Your view at the end"))
if (OVERALL, "final") in answered():
    st.success(_("Thank you: your final view is saved."))
question_box(OVERALL, "final", question=_(
    "Now, at the end: how comfortable would you be if the police used AI in their work?"))
if me.return_code:
    st.info(_("This workshop is one of a series. Keep this return code to continue as the "
              "same person next time, so the report can follow how your views change:"),
            icon="🔑")
    st.code(me.return_code, language=None)
