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
    PageInfo(WORKSHOP, "pages/advice.py", "Our advice", "🗣️"),
    PageInfo(FACILITATOR, "pages/facilitator.py", "Run the workshop", "🧑‍🏫"),
]


def use_cases() -> list[PageInfo]:
    return [p for p in PAGES if p.section == USE_CASES]


def page_for(use_case: str) -> PageInfo | None:
    return next((p for p in PAGES if p.use_case == use_case), None)
