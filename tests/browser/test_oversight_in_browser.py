"""Transparency and oversight in a real browser: the record panel, the ethics panel
stage (English and Welsh), the Screen's slides, the Console's queue with theme tags and
Where I sit, each drawn with no error, the phone's parts with no serious accessibility
fault, and kept for a reviewer in var/oversight."""

import pytest

from tests.browser import flows, oversight_shots
from tests.browser.harness import PHONE, ROOT
from tests.browser.test_pages_in_browser import serious_faults


@pytest.mark.server
def test_transparency_and_oversight_in_screenshots(live_app, live_database, chromium):
    shots = oversight_shots.take(chromium, live_app, ROOT / "var" / "oversight",
                                 live_database)
    names = {p.stem for p in shots}
    assert {"record-phone", "panel-phone", "panel-cy-phone", "screen-panel-projector",
            "screen-record-tally-projector", "screen-questions-themes-projector",
            "console-moderation-projector", "where-i-sit-phone"} <= names
    assert all(p.stat().st_size > 10_000 for p in shots)


@pytest.mark.server
def test_the_panel_form_and_the_record_questions_are_accessible(live_app, live_database,
                                                                chromium):
    from workshop.store import Store

    store = Store(live_database)
    w = store.create_workshop("Axe hall", "a long workshop passphrase")
    p = store.join(w.code)
    calls = oversight_shots.CALLS
    store.set_decide_first(w.code, calls.name, False)  # straight on to "Try it"
    store.record(p.id, calls.name, "before", 3, [], "", {}, {}, oversight_shots.cid())
    tab = chromium.new_context(viewport=PHONE).new_page()
    try:
        tab.goto(f"{live_app}/panel?p={p.id}")
        flows.settle(tab, 800)
        assert tab.get_by_role("button", name="Send my advice").count() == 1
        assert serious_faults(tab) == []
        tab.goto(f"{live_app}/{calls.page.split('/')[-1][:-3]}?p={p.id}")
        flows.settle(tab)
        tab.get_by_text("📋 The tool's public record", exact=True).first.click()
        flows.settle(tab, 800)
        assert tab.get_by_role("button", name="Send what I think of the record").count() == 1
        assert serious_faults(tab) == []
    finally:
        tab.context.close()
