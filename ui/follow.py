""""Follow the facilitator": put your screen on the preset the facilitator chose.

The facilitator's choice is stored with the workshop, so late joiners and every
app instance see it. Participants are offered the jump, never forced, and can go
back to their own settings.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from simulators import registry
from ui import participant
from ui.config_sliders import config_values, set_config
from ui.navigation import page_for, page_link
from ui.room import room_state
from workshop.store import StoreUnavailable, WorkshopNotFound

JUMPED = "follow.jumped"
TEXT = {
    "showing": "📺 The facilitator is showing **{title}**.",
    "on_it": "📺 You are on the facilitator's view: **{title}**.",
    "jump": "Jump to the facilitator's view",
    "back": "Back to my own settings",
    "elsewhere": "📺 The facilitator has moved on to another use of AI.",
}


def _room_code() -> str | None:
    me = participant.current()
    if me is not None:
        return me.code
    return st.session_state.get("facilitator.code")


def _jump(config_cls: type, key: str, target: Any) -> None:
    st.session_state[f"{key}.mine"] = config_values(config_cls, key=key)
    set_config(target, key=key)
    st.session_state[JUMPED] = True


def _back(key: str) -> None:
    set_config(st.session_state.pop(f"{key}.mine"), key=key)
    st.session_state[JUMPED] = True


def follow_facilitator(use_case: str, config_cls: type, key: str) -> None:
    """Call near the top of a use-case page, before its controls are drawn."""
    code = _room_code()
    if code is not None:
        _banner(use_case, config_cls, key, code)


# Every phone in the room asks every POLL seconds; each ask is a (small) rerun on the
# one server, and Streamlit 1.67 can drop the end of a full rerun that a tick races
# (see the load test's notes). Moving a slider also rereads the room at once.
POLL = "10s"


@st.fragment(run_every=POLL)
def _banner(use_case: str, config_cls: type, key: str, code: str) -> None:
    if st.session_state.pop(JUMPED, False):
        st.rerun()  # redraw the whole page with the new settings
    try:
        room = room_state(code)
    except (StoreUnavailable, WorkshopNotFound):
        return
    if room["use_case"] == use_case and room["config"]:
        try:
            target = config_cls.from_dict(room["config"])
        except (TypeError, ValueError):
            return
        preset = registry.preset(use_case, room["preset_key"])
        title = preset.title if preset else "the facilitator's settings"
        if config_values(config_cls, key=key) == target:
            st.info(TEXT["on_it"].format(title=title))
            if f"{key}.mine" in st.session_state:
                st.button(TEXT["back"], on_click=_back, args=(key,), key=f"{key}.back")
        else:
            st.info(TEXT["showing"].format(title=title))
            st.button(TEXT["jump"], on_click=_jump, args=(config_cls, key, target),
                      key=f"{key}.jump", type="primary")
    elif room["use_case"] and room["use_case"] != use_case:
        page = page_for(room["use_case"])
        st.info(TEXT["elsewhere"])
        if page is not None:
            page_link(page.path, label=f"Go to {page.title}", icon=page.icon)
