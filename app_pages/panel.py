"""The ethics panel: the room reviews one tool after 90 days of use and advises the force."""

import streamlit as st

from ui.i18n import _
from ui.panel import panel_page

st.title(_("⚖️ The ethics panel"))
panel_page()
