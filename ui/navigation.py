"""The app's pages: ``app.py`` builds the menu from here, from the use-case declarations.

Participants see the workshop's pages only. The facilitator's Console appears in
the menu only on a device where its passphrase was given; the Screen (for the
projector) is never in the menu: the Console opens it.
"""

from __future__ import annotations

import streamlit as st

from simulators import registry
from simulators.messages import N_
from ui.i18n import _

WELCOME = "app_pages/welcome.py"
FIRST_VIEWS = "app_pages/first_views.py"
PANEL = "app_pages/panel.py"
QUESTIONS = "app_pages/questions.py"
ADVICE = "app_pages/advice.py"
CONSOLE = "app_pages/console.py"
SCREEN = "app_pages/screen.py"
FACILITATOR_KEY = "facilitator.code"  # set once the passphrase is given on this device

_WORKSHOP = [
    (WELCOME, N_("Welcome"), "👋"),
    (FIRST_VIEWS, N_("First views"), "💭"),
]
_AFTER = [
    (PANEL, N_("The ethics panel"), "⚖️"),
    (QUESTIONS, N_("Outstanding questions"), "❓"),
    (ADVICE, N_("Our advice"), "🗣️"),
]


def signed_in() -> str | None:
    """The workshop code this device runs as facilitator, if any."""
    return st.session_state.get(FACILITATOR_KEY)


def pages() -> dict[str, list[st.Page]]:
    """The menu, in this session's language."""

    def page(path: str, title: str, icon: str, **kw) -> st.Page:
        return st.Page(path, title=_(title), icon=icon, **kw)

    menu = {
        _("The workshop"): [page(*p, default=p[0] == WELCOME) for p in _WORKSHOP],
        _("Uses of AI"): [page(u.page, u.title, u.icon) for u in registry.USE_CASES.values()],
        _("Closing"): [page(*p) for p in _AFTER],
    }
    console = page(CONSOLE, N_("Console"), "🧑‍🏫",
                   visibility="visible" if signed_in() else "hidden")
    screen = page(SCREEN, N_("Screen"), "📺", visibility="hidden")
    if signed_in():
        menu[_("Facilitator")] = [console, screen]
    else:  # reachable by its address (/console), never listed
        menu[_("Closing")] += [console, screen]
    return menu


def page_link(path: str, label: str, icon: str | None = None, **kw) -> None:
    """``st.page_link``, or plain text where the page isn't in this app's menu
    (a page script run on its own, as in its unit tests)."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(path, label=label, icon=icon, **kw)
    except StreamlitPageNotFoundError:
        st.caption(f"{icon or ''} {label}".strip())


def next_use_case(name: str) -> registry.UseCase | None:
    """The use case after ``name``, in the workshop's order."""
    names = list(registry.USE_CASES)
    i = names.index(name)
    return registry.USE_CASES[names[i + 1]] if i + 1 < len(names) else None
