"""The reaction box at the foot of every use-case page.

A participant says how comfortable they would be if police used this AI, once
before trying it and again after. Each answer is saved with the settings and the
numbers on their screen. If the database can't be reached, the answer waits in
the session and is sent on the next try: nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import outbox, participant
from ui.navigation import page_link
from ui.presenter import presenting
from ui.store import get_store
from workshop.store import StoreUnavailable
from workshop.vocabulary import COMFORT, COMMENT_MAX, THEMES

DONE = "reactions.done"  # (use_case, stage) pairs answered this session
FLASH = "reactions.flash"

TEXT = {
    "title": "Your view",
    "join": "Join the workshop on the Welcome page to share your view. "
    "You can still try everything here without joining.",
    "before": "**Before you try it:** how comfortable would you be if police used this?",
    "after": "**Now that you have tried it:** how comfortable would you be if police used this?",
    "after_again": "You can answer again whenever the settings change your mind. "
    "Each answer is kept with what was on your screen.",
    "themes": "What matters most to you here? (optional)",
    "comment": "Anything else you want to say? (optional, please no names)",
    "send": "Send my answer",
    "sent": "Thank you, your answer is saved.",
}


def _send(use_case: str, stage: str, me_id: str, client_key: str, config: dict[str, Any],
          metrics: dict[str, Any]) -> None:
    """The submit button's callback: it runs before the page is drawn again, so the
    page shows the answer as sent (and the next question) in that same run.
    ``config`` and ``metrics`` are what was on screen when the button was pressed."""
    ss = st.session_state
    keys = {k: f"reaction.{use_case}.{k}" for k in ("comfort", "themes", "comment")}
    comfort = ss.get(keys["comfort"])
    if comfort is None:  # nothing typed is cleared: the person adds the missing answer
        ss[FLASH] = ("error", "Please pick how comfortable you would be (1 to 5) first.")
        return
    problem = outbox.send(
        "record",
        participant_id=me_id,
        use_case=use_case,
        stage=stage,
        comfort=int(comfort),
        themes=list(ss.get(keys["themes"]) or []),
        comment=ss.get(keys["comment"]) or "",
        config=dict(config),
        metrics=dict(metrics),
        client_id=ss.pop(client_key),
    )
    ss[DONE].add((use_case, stage))
    ss[keys["comfort"]], ss[keys["themes"]], ss[keys["comment"]] = None, [], ""
    ss[FLASH] = ("warning", problem) if problem else ("success", TEXT["sent"])


def reaction_box(use_case: str, config: dict[str, Any], metrics: dict[str, Any]) -> None:
    """Draw the box; ``config`` and ``metrics`` are what the participant is looking at."""
    if presenting():
        return  # the projector shows the picture, not one person's answer box
    st.divider()
    st.subheader(TEXT["title"])
    me = participant.current()
    if me is None:
        st.info(TEXT["join"])
        page_link("pages/welcome.py", label="Join the workshop", icon="👋")
        return
    flash = st.session_state.pop(FLASH, None)
    if flash:
        kind, message = flash
        getattr(st, kind)(message)
    if outbox.pending():
        sent, problem = outbox.flush()
        if problem:
            st.warning(problem)
        elif sent:
            st.success(TEXT["sent"])
    if DONE not in st.session_state:
        try:  # after a reload, pick up where this person was
            st.session_state[DONE] = get_store().answered(me.id)
        except StoreUnavailable:
            st.session_state[DONE] = set()
    done = st.session_state[DONE]
    stage = "after" if (use_case, "before") in done else "before"
    st.markdown(TEXT[stage])
    if stage == "after" and (use_case, "after") in done:
        st.caption(TEXT["after_again"])
    client_key = f"reactions.client.{use_case}.{stage}"
    st.session_state.setdefault(client_key, outbox.new_client_id())
    with st.form(f"reaction.{use_case}", border=False):
        st.radio(
            "How comfortable would you be?",
            list(COMFORT),
            index=None,
            format_func=lambda c: f"{c}: {COMFORT[c]}",
            key=f"reaction.{use_case}.comfort",
            label_visibility="collapsed",
        )
        st.pills(
            TEXT["themes"],
            list(THEMES),
            selection_mode="multi",
            format_func=THEMES.get,
            key=f"reaction.{use_case}.themes",
        )
        st.text_area(
            TEXT["comment"], max_chars=COMMENT_MAX, key=f"reaction.{use_case}.comment"
        )
        st.form_submit_button(
            TEXT["send"], type="primary", on_click=_send,
            args=(use_case, stage, me.id, client_key, dict(config), dict(metrics)),
        )
