"""Our advice: write advice to the police and Home Office, weigh the room's, say a final view."""

from __future__ import annotations

import time

import streamlit as st

from ui import outbox, participant
from ui.i18n import _
from ui.reaction_box import answered, is_open, notice, question_box, tell, too_long
from ui.room import closed_text, tally_html
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
me = participant.joined(
    _("Join the workshop on the Welcome page to give advice and see the room's."))
FORM = "advice.form"


def add(me_id: str) -> None:
    ss = st.session_state
    text = (ss.get("advice.text") or "").strip()
    if not text:
        tell(FORM, "error", _("Write something first."))
        return
    if (problem := too_long(text, ADVICE_MAX)) is not None:
        tell(FORM, "error", problem)
        return
    sent = outbox.send("add_advice", participant_id=me_id, theme=ss["advice.theme"],
                       text=text, client_id=ss.pop("advice.client_id"))
    if sent is not None and not sent.kept:  # refused: the text stays in the box
        tell(FORM, "error", sent)
        return
    ss["advice.text"] = ""
    tell(FORM, *(("warning", sent) if sent else ("success", _(
        "Thank you, your advice is added. Once the facilitator has read it, the room can "
        "weigh it."))))


def vote(advice_id: int, me_id: str) -> None:
    choice = st.session_state.get(f"advice.vote.{advice_id}")
    if choice:
        sent = outbox.send("vote", participant_id=me_id, advice_id=advice_id, vote=choice)
        if sent is not None:
            tell(f"advice.vote.{advice_id}", "warning" if sent.kept else "error", sent)


def tally(row: dict) -> None:
    st.caption(tally_html(row["advice_id"], row["agree"], row["disagree"], row["pass"],
                          read_at), unsafe_allow_html=True)


open_now = is_open(me.code)
with st.container(border=True):
    st.header(_("Write a piece of advice"))
    if not open_now:
        st.info(closed_text(), icon="🔒")
    else:
        st.session_state.setdefault("advice.client_id", outbox.new_client_id())
        with st.form(FORM, border=False):
            st.radio(_("Which theme is it about?"), list(ADVICE_THEMES), key="advice.theme",
                     format_func=lambda t: _(ADVICE_THEMES[t]))
            st.text_area(_("Your advice (one or two sentences, please no names)"),
                         key="advice.text")
            notice(FORM)
            st.form_submit_button(_("Add my advice"), type="primary", on_click=add,
                                  args=(me.id,))

try:
    read_at = time.time()  # the votes below are at least this fresh
    items = get_store().advice(me.code, participant_id=me.id)
except (StoreUnavailable, WorkshopNotFound):
    st.warning(_("The workshop can't be reached just now. Your advice is kept and will be "
                 "sent on your next try."))
    st.stop()

status = items["status"] if "status" in items else items["hidden"].map(
    {True: "hidden", False: "approved"})
others = items[(status == "approved") & (items["author_id"] != me.id)]
mine = items[(items["author_id"] == me.id) & (status != "hidden")]

st.header(_("What others in the room advise"))
if others.empty:
    st.caption(_("Nobody else's advice is up yet. This list fills up by itself as people "
                 "write and the facilitator reads it."))
else:
    st.caption(_("For each piece of advice, pick Agree, Disagree or Pass. You can change "
                 "your mind: only your latest choice counts. Once you have voted, you see "
                 "how the room votes."))
    for theme_key, theme_name in ADVICE_THEMES.items():
        group = others[others["theme"] == theme_key]
        if group.empty:
            continue
        st.markdown(f"**{_(theme_name)}**")
        for row in group.to_dict("records"):
            with st.container(border=True):
                st.text(row["text"])  # participant text: never Markdown
                key = f"advice.vote.{row['advice_id']}"
                if key not in st.session_state and isinstance(row["my_vote"], str):
                    st.session_state[key] = row["my_vote"]
                st.segmented_control(
                    _("Your view"), list(VOTES), format_func=lambda v: _(VOTES[v]), key=key,
                    on_change=vote, args=(row["advice_id"], me.id),
                    label_visibility="collapsed", disabled=not open_now)
                if st.session_state.get(key):  # voted: the room's votes, kept up to date
                    tally(row)
                notice(key)

where_i_sit(me, items[status == "approved"])

if not mine.empty:
    st.header(_("Your advice so far"))
    for row in mine.to_dict("records"):
        st.text(f"{_(ADVICE_THEMES[row['theme']])}: {row['text']}")
        if row["status"] == "approved":
            tally(row)
        else:
            st.caption(_("Waiting for the facilitator to read it."))

st.divider()
st.header(_("Your view at the end"))
if (OVERALL, "final") in answered():
    st.success(_("Thank you: your final view is saved."))
question_box(OVERALL, "final", question=_(
    "Now, at the end: how comfortable would you be if the police used AI in their work?"))
if me.return_code:
    st.info(_("This workshop is one of a series. Keep this return code to continue as the "
              "same person next time, so the report can follow how your views change:"),
            icon="🔑")
    st.code(me.return_code, language=None)
