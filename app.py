"""Entry point: page config, the menu, the room's banner, set once for every page.

``make run`` serves this through ``asgi.py`` (which adds the small ``/api/room``
route phones follow the room by); ``streamlit run app.py`` works too, without it.
"""

from pathlib import Path

import streamlit as st

from ui import i18n, navigation, outbox, participant, room, style
from ui.cache import warm_up_presets
from ui.presenter import exit_button, follow_room, presenter_switch, presenting
from ui.reaction_box import FLASH

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
style.apply()
i18n.keep_in_address()
warm_up_presets()
page = st.navigation(navigation.pages())
navigation.note_page(page.url_path)
navigation.close_menu(page.url_path)
participant_page = page.url_path not in {Path(navigation.CONSOLE).stem,
                                         Path(navigation.SCREEN).stem}
if participant_page and not presenting():
    room.banner(page.url_path)
    me = participant.current()
    if me is not None and outbox.pending(me.id):  # kept while the store was down or paused
        sent, problem = outbox.flush(me.id)
        if sent and not problem:
            st.session_state[FLASH] = ("success", i18n._("Your kept answer is now saved."))
if participant_page and presenting():
    follow_room(page.url_path)
page.run()
if participant_page:
    participant.sidebar_badge()
presenter_switch()
exit_button()
