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


WORKSHOP, USE_CASES, FACILITATOR = "Workshop", "Use cases", "Facilitator"

PAGES: list[PageInfo] = [
    PageInfo(WORKSHOP, "pages/welcome.py", "Welcome", "👋", default=True),
    PageInfo(FACILITATOR, "pages/facilitator.py", "Run the workshop", "🧑‍🏫"),
]


def use_cases() -> list[PageInfo]:
    return [p for p in PAGES if p.section == USE_CASES]
