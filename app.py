"""Entry point: ``streamlit run app.py``. Page config and navigation, set once."""

import streamlit as st

from ui.cache import warm_up_presets
from ui.navigation import PAGES
from ui.participant import sidebar_badge
from ui.presenter import exit_button, presenter_switch

st.set_page_config(
    page_title="AI in policing: a public workshop",
    page_icon="⚖️",
    layout="wide",
    initial_sidebar_state="auto",
    menu_items={"Get help": None, "Report a bug": None, "About": (
        "A workshop tool for public dialogues on AI in policing. "
        "Everything here runs on made-up data."
    )},
)

sections: dict[str, list] = {}
for page in PAGES:
    sections.setdefault(page.section, []).append(
        st.Page(page.path, title=page.title, icon=page.icon, default=page.default)
    )

warm_up_presets()
page = st.navigation(sections)
page.run()
sidebar_badge()
presenter_switch()
exit_button()
