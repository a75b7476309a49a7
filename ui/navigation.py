"""The app's pages, in one list: ``app.py`` builds the menu from it and the
Welcome page links to the use cases from it. A new page is one line here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    section: str
    path: str
    title: str
    icon: str
    blurb: str = ""  # one line for the Welcome page's list of use cases
    default: bool = False
    use_case: str | None = None  # the name reactions and presets use (simulators.registry)


WORKSHOP, USE_CASES, FACILITATOR = "Workshop", "Use cases", "Facilitator"

PAGES: list[PageInfo] = [
    PageInfo(WORKSHOP, "pages/welcome.py", "Welcome", "👋", default=True),
    PageInfo(USE_CASES, "pages/call_triage.py", "101 calls", "📞",
             blurb="whose urgent calls slip through when an AI answers the non-emergency line",
             use_case="call_triage"),
    PageInfo(USE_CASES, "pages/evidence.py", "Summarising evidence", "📄",
             blurb="whose facts, and which facts, an AI summary leaves out",
             use_case="evidence"),
    PageInfo(USE_CASES, "pages/hotspots.py", "Crime hotspots", "🗺️",
             blurb="watch patrols follow the records, and the records follow the patrols",
             use_case="hotspots"),
    PageInfo(USE_CASES, "pages/reoffending.py", "Reoffending risk", "🔮",
             blurb="who an AI labels high risk when arrest records are skewed",
             use_case="reoffending"),
    PageInfo(WORKSHOP, "pages/advice.py", "Our advice", "🗣️"),
    PageInfo(FACILITATOR, "pages/facilitator.py", "Run the workshop", "🧑‍🏫"),
]


def use_cases() -> list[PageInfo]:
    return [p for p in PAGES if p.section == USE_CASES]


def page_for(use_case: str) -> PageInfo | None:
    return next((p for p in PAGES if p.use_case == use_case), None)


def page_link(path: str, label: str, icon: str | None = None) -> None:
    """``st.page_link``, or plain text where the page isn't in this app's menu
    (a page script run on its own, as in its unit tests)."""
    import streamlit as st
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.caption(f"{icon or ''} {label}".strip())


def through_app() -> None:
    """Make sure this page runs inside ``app.py`` (its menu, page config, sidebar).

    Streamlit treats a ``pages/`` folder as an old-style multipage app until
    ``app.py`` first calls ``st.navigation``: on a freshly started server, a phone
    reloading ``/call_triage`` would run that page script alone. Every page calls this
    first; it switches Streamlit to ``app.py``'s menu and reruns, landing on the
    same page (both name it by its file). Only a session's first run is redirected:
    that is the only one a live server can meet (the switch is for the whole
    server), while AppTest resets it before every run, where a rerun mid-session
    would lose the click that caused it.
    """
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and len(st.session_state) == 0:
        PagesManager.uses_pages_directory = False
        st.rerun()
