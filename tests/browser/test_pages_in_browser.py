"""Every page in a real browser: no errors, no serious accessibility faults, and a
screenshot at phone and projector size for a reviewer (docs/screenshots/)."""

import os
from pathlib import Path

import pytest

from tests.browser.harness import PHONE, PROJECTOR, ROOT, wait_for_app
from ui.navigation import PAGES

AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
SHOTS = ROOT / "docs/screenshots"
# Streamlit's own menu puts section headings inside its <ul>: framework markup we can't
# change from the app (axe rules "list"/"listitem"). Everything else is checked.
AXE_EXCLUDE = ["[data-testid='stSidebarNavItems']"]


def url_path(page) -> str:
    return "" if page.default else Path(page.path).stem


@pytest.mark.server
@pytest.mark.parametrize("size_name, size", [("phone", PHONE), ("projector", PROJECTOR)])
@pytest.mark.parametrize("page", PAGES, ids=[Path(p.path).stem for p in PAGES])
def test_page_renders_and_is_accessible(live_app, chromium, page, size_name, size):
    ctx = chromium.new_context(viewport=size)
    tab = ctx.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto(f"{live_app}/{url_path(page)}")
        wait_for_app(tab)
        tab.wait_for_timeout(800)  # charts draw after the script finishes
        assert tab.get_by_test_id("stException").count() == 0
        assert errors == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{Path(page.path).stem}-{size_name}.png"))
        if size_name == "phone":
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
            bad = [
                f"{v['id']} ({v['impact']}): {v['help']} -> "
                + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                            else str(n["target"]) for n in v["nodes"][:3])
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == [], "\n".join(bad)
    finally:
        ctx.close()
