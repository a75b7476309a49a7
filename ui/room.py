"""The room's shared state (stage and facilitator's preset), read cheaply by every screen."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.store import get_store


@st.cache_data(ttl=2, show_spinner=False, max_entries=64)
def room_state(code: str) -> dict[str, Any]:
    """At most one database read per workshop every two seconds, however big the room."""
    return get_store().room(code)
