"""The advice round: write advice to the police and Home Office, and weigh others'."""

from __future__ import annotations

import streamlit as st

from ui import outbox, participant
from ui.navigation import page_link, through_app
from ui.store import get_store
from workshop.store import StoreUnavailable, WorkshopNotFound
from workshop.vocabulary import ADVICE_MAX, ADVICE_THEMES, VOTES

through_app()

TEXT = {
    "title": "Our advice",
    "intro": "The 2025 dialogue ended with participants giving advice to the Home Office "
    "and police forces. Now it's your turn. Write short pieces of advice under one of "
    "the three themes that came out of that dialogue, then say whether you agree with "
    "what others in the room wrote.",
    "join": "Join the workshop on the Welcome page to give advice and see the room's.",
    "write": "Write a piece of advice",
    "theme": "Which theme is it about?",
    "text": "Your advice (one or two sentences, please no names)",
    "send": "Add my advice",
    "saved": "Thank you, your advice is added. Others in the room can now weigh it.",
    "empty": "Write something first.",
    "vote_title": "What others in the room advise",
    "vote_help": "For each piece of advice, pick Agree, Disagree or Pass. You can change "
    "your mind: only your latest choice counts.",
    "none_yet": "Nobody else has written advice yet. This list fills up as people write.",
    "mine_title": "Your advice so far",
    "down": "The workshop can't be reached just now. Your advice is kept and will be sent "
    "on your next try.",
}

st.title(TEXT["title"])
st.write(TEXT["intro"])
me = participant.current()
if me is None:
    st.info(TEXT["join"])
    page_link("pages/welcome.py", label="Join the workshop", icon="👋")
    st.stop()

store = get_store()
if outbox.pending():
    _sent, problem = outbox.flush()
    if problem:
        st.warning(problem)
if st.session_state.pop("advice.saved", False):
    st.success(TEXT["saved"])

with st.container(border=True):
    st.subheader(TEXT["write"])
    st.session_state.setdefault("advice.client_id", outbox.new_client_id())
    with st.form("advice.form", clear_on_submit=True, border=False):
        theme = st.radio(TEXT["theme"], list(ADVICE_THEMES), format_func=ADVICE_THEMES.get)
        text = st.text_area(TEXT["text"], max_chars=ADVICE_MAX)
        if st.form_submit_button(TEXT["send"], type="primary"):
            if not (text or "").strip():
                st.error(TEXT["empty"])
            else:
                problem = outbox.send(
                    "add_advice",
                    participant_id=me.id,
                    theme=theme,
                    text=text,
                    client_id=st.session_state.pop("advice.client_id"),
                )
                if problem:
                    st.warning(problem)
                else:
                    st.session_state["advice.saved"] = True
                    st.rerun()


def _vote(advice_id: int) -> None:
    choice = st.session_state.get(f"advice.vote.{advice_id}")
    if choice:
        outbox.send("vote", participant_id=me.id, advice_id=advice_id, vote=choice)


try:
    items = store.advice(me.code, participant_id=me.id)
except (StoreUnavailable, WorkshopNotFound):
    st.warning(TEXT["down"])
    st.stop()

visible = items[~items["hidden"].astype(bool)]
others = visible[visible["author_id"] != me.id]
mine = visible[visible["author_id"] == me.id]

st.subheader(TEXT["vote_title"])
if others.empty:
    st.caption(TEXT["none_yet"])
else:
    st.caption(TEXT["vote_help"])
    for theme_key, theme_name in ADVICE_THEMES.items():
        group = others[others["theme"] == theme_key]
        if group.empty:
            continue
        st.markdown(f"**{theme_name}**")
        for row in group.itertuples():
            with st.container(border=True):
                st.text(row.text)
                key = f"advice.vote.{row.advice_id}"
                if key not in st.session_state and isinstance(row.my_vote, str):
                    st.session_state[key] = row.my_vote
                st.segmented_control(
                    "Your view", list(VOTES), format_func=VOTES.get, key=key,
                    on_change=_vote, args=(row.advice_id,), label_visibility="collapsed",
                )

if not mine.empty:
    st.subheader(TEXT["mine_title"])
    for row in mine.itertuples():
        st.text(f"{ADVICE_THEMES[row.theme]}: {row.text}")
