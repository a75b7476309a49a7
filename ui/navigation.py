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
from ui.store import get_store
from workshop.live import console_token_code, console_token_ok
from workshop.store import StoreUnavailable, WorkshopNotFound

WELCOME = "app_pages/welcome.py"
FIRST_VIEWS = "app_pages/first_views.py"
PANEL = "app_pages/panel.py"
QUESTIONS = "app_pages/questions.py"
ADVICE = "app_pages/advice.py"
CONSOLE = "app_pages/console.py"
SCREEN = "app_pages/screen.py"
FACILITATOR_KEY = "facilitator.code"  # set once the passphrase is given on this device
CONSOLE_COOKIE = "workshop_console"  # keeps the Console signed in across a reload
_CHECKED = "facilitator.cookie_checked"

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
    """The workshop code this device runs as facilitator, if any: given its passphrase
    in this session, or earlier on this device (a signed cookie that has not expired,
    for a workshop that still exists; checked once a session)."""
    ss = st.session_state
    if FACILITATOR_KEY not in ss and not ss.get(_CHECKED):
        ss[_CHECKED] = True
        token = st.context.cookies.get(CONSOLE_COOKIE)
        code = console_token_code(token) if isinstance(token, str) else None
        if code:
            try:
                w = get_store().workshop(code)
            except (StoreUnavailable, WorkshopNotFound):
                w = None
            if w is not None and console_token_ok(token, w.passphrase_hash):
                ss[FACILITATOR_KEY] = w.code
    return ss.get(FACILITATOR_KEY)


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


_CLOSE_MENU = st.components.v2.component(
    "close_menu", html="<span></span>",
    js="""
export default function () {
  // On a phone the menu covers the page: once a page is chosen, fold it away.
  if (innerWidth > 768) return;
  const menu = document.querySelector('[data-testid="stSidebar"]');
  if (!menu || menu.getAttribute("data-collapsed") !== "false") return;
  const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (fold) fold.click();
}
""")


_PAGE, _FRESH = "nav.page", "nav.fresh"


def note_page(url_path: str) -> None:
    """Note the page this run shows (``app.py``, once a run): a form drawn on a page
    just opened is drawn anew in the browser, so it sets what it shows."""
    ss = st.session_state
    ss[_FRESH] = ss.get(_PAGE) != url_path
    ss[_PAGE] = url_path


def page_is_fresh() -> bool:
    """Is this the first run of the page just opened? (False for a page script run on
    its own, without ``app.py``.)"""
    return bool(st.session_state.get(_FRESH, False))


def close_menu(url_path: str) -> None:
    """Fold the menu away on a phone when ``url_path`` (a page just chosen) opens.
    Called by ``app.py``; it acts once per page opened, not on the page's reruns."""
    with st.container(key="menu-closer"):
        _CLOSE_MENU(key=f"menu.close.{url_path or 'welcome'}")


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
