"""Presenter mode: large type and no sidebar, for the projector (``?present=1``)."""

from __future__ import annotations

import streamlit as st

from ui.i18n import _
from ui.navigation import signed_in

_CSS = """
<style>
  html { font-size: 22px; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
  .block-container, [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; padding: 1.5rem 3rem !important;
  }
  [data-testid="stCaptionContainer"] { font-size: 1.15rem !important; color: #1A1A1A; }
  [data-testid="stMetricValue"] { font-size: 2.6rem !important; }
</style>
"""


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def _set(on: bool) -> None:
    if on:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def presenter_switch() -> None:
    """The styles when it is on, and the switch in the sidebar of a facilitator's
    device (participants never see it). Called by app.py."""
    if presenting():
        st.html(_CSS)
        return
    if not signed_in():
        return
    st.sidebar.toggle(
        _("Presenter mode (large type, for the projector)"),
        value=False,
        key="presenter.on",
        on_change=lambda: _set(st.session_state["presenter.on"]),
    )


def exit_button() -> None:
    """A quiet way out of presenter mode, at the foot of the page."""
    if presenting() and st.button(_("Leave presenter mode"), key="presenter.off"):
        _set(False)
        st.rerun()
