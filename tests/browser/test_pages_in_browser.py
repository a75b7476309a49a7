"""Every page in a real browser: no errors, no serious accessibility faults, and
screenshots of the whole room for a reviewer (written to the ignored var/screenshots;
`make screenshots` refreshes docs/screenshots on purpose)."""

import os

import pytest

from simulators import registry
from tests.browser import flows
from tests.browser.harness import PHONE, PROJECTOR, ROOT
from tests.browser.screenshots import PARTS, take_all

AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
# Streamlit's own menu puts section headings inside its <ul>: framework markup we can't
# change from the app (axe rules "list"/"listitem"). Everything else is checked.
AXE_EXCLUDE = ["[data-testid='stSidebarNavItems']"]
PAGES = ["", "first_views", *[u.page.split("/")[-1][:-3] for u in registry.USE_CASES.values()],
         "panel", "questions", "advice", "console"]


def serious_faults(tab, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's findings on the page as it is, of these ``impacts``."""
    if not AXE.exists():
        message = "axe-core missing: run `npm ci --prefix tests/browser`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        """async (exclude) => await axe.run(
            {exclude: exclude.map(s => [s])}, {resultTypes: ['violations']})""",
        AXE_EXCLUDE,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                    else str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"] if v["impact"] in impacts
    ]


@pytest.fixture(scope="module")
def tabs(chromium):
    """One tab a size, each page opened in it in turn, as a person going from page to
    page: Chromium then compiles Streamlit's scripts once a tab, not once a page
    (about 40 % of what opening a page costs it)."""
    contexts = {name: chromium.new_context(viewport=size)
                for name, size in (("phone", PHONE), ("projector", PROJECTOR))}
    yield {name: ctx.new_page() for name, ctx in contexts.items()}
    for ctx in contexts.values():
        ctx.close()


@pytest.mark.server
@pytest.mark.parametrize("size_name", ["phone", "projector"])
@pytest.mark.parametrize("path", PAGES, ids=[p or "welcome" for p in PAGES])
def test_page_renders_and_is_accessible(live_app, tabs, path, size_name):
    tab = tabs[size_name]
    errors = []

    def seen(error) -> None:
        errors.append(str(error))

    tab.on("pageerror", seen)
    try:
        tab.goto(f"{live_app}/{path}")
        flows.settle(tab, 800)  # charts draw after the script finishes
        assert tab.get_by_test_id("stException").count() == 0
        assert errors == []
        if size_name == "phone":
            assert serious_faults(tab) == []
    finally:
        tab.remove_listener("pageerror", seen)


@pytest.mark.server
@pytest.mark.parametrize("part", PARTS)
def test_the_whole_room_in_screenshots(live_app, live_database, chromium, part):
    """Every step of every page, the Console and each of the Screen's slides: drawn with
    no error, and kept for a reviewer in var/screenshots (a part of the walk a test,
    so they run side by side)."""
    shots = take_all(chromium, live_app, ROOT / "var" / "screenshots", live_database, (part,))
    assert len(shots) >= 5 and all(p.stat().st_size > 10_000 for p in shots)
