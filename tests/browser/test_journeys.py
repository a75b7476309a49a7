"""The main journeys in a real browser: a facilitator and a participant on a phone."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from simulators import registry
from simulators.config import settings_of
from tests.benchmarks.bench_simulators import CASES
from tests.browser.harness import PHONE, PROJECTOR, wait_for_app
from ui.navigation import page_for

PASS = "correct horse battery"


def slider_label(use_case: str) -> str:
    name = CASES[use_case][1]  # the bias slider a participant moves
    return {n: m for n, m, _ in settings_of(registry.config_class(use_case))}[name].label


def gap_in_mistakes(tab) -> str:
    metric = tab.get_by_test_id("stMetric").filter(has_text="Gap in mistakes").first
    return metric.get_by_test_id("stMetricValue").inner_text()


def move_slider(tab, label: str, presses: int = 8) -> None:
    box = tab.get_by_test_id("stSlider").filter(has_text=label).first
    thumb = box.get_by_role("slider")
    thumb.focus()
    for _ in range(presses):
        thumb.press("ArrowRight")
    wait_for_app(tab)
    tab.wait_for_timeout(500)
    wait_for_app(tab)


def answer(tab, comfort_label: str, comment: str) -> None:
    tab.get_by_text(comfort_label, exact=True).click()
    tab.get_by_label("Anything else you want to say? (optional, please no names)").fill(comment)
    tab.get_by_role("button", name="Send my answer").click()
    wait_for_app(tab)
    tab.get_by_text("Thank you, your answer is saved.").wait_for(timeout=15_000)


@pytest.mark.server
def test_facilitator_and_participant_journey(live_app, chromium):
    host = chromium.new_context(viewport=PROJECTOR, accept_downloads=True)
    phone = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        # The facilitator starts a workshop and sees its join link.
        fac = host.new_page()
        fac.goto(f"{live_app}/facilitator")
        wait_for_app(fac)
        fac.get_by_role("tab", name="Start a new workshop").click()
        fac.get_by_label("Workshop title").fill("Browser journey")
        fac.get_by_label("Choose a passphrase (at least 8 characters)").fill(PASS)
        fac.get_by_label("Type it again").fill(PASS)
        fac.get_by_role("button", name="Start the workshop").click()
        wait_for_app(fac)
        link = fac.get_by_test_id("stCode").first.inner_text().strip()
        code = parse_qs(urlsplit(link).query)["code"][0]
        assert re.fullmatch(r"[A-Z2-9]{6}", code)
        assert fac.get_by_role("img").count() >= 1  # the QR code, loaded (from the process
        # that made it, through the proxy) rather than a broken image
        assert fac.get_by_role("img").first.evaluate("i => i.complete && i.naturalWidth > 0")

        # A participant joins by the ?code= link on a phone, by keyboard alone.
        me = phone.new_page()
        me.goto(f"{live_app}/?code={code}")
        wait_for_app(me)
        me.get_by_label("Workshop code (on the projector)").focus()
        me.keyboard.press("Enter")
        wait_for_app(me)
        me.get_by_text("You have joined the workshop.").wait_for(timeout=15_000)
        pid = parse_qs(urlsplit(me.url).query)["p"][0]

        # On each use case: a bias slider moves the disparity figure.
        for use_case in CASES:
            page = page_for(use_case)
            me.goto(f"{live_app}/{page.path.split('/')[-1][:-3]}?p={pid}")
            wait_for_app(me)
            me.wait_for_timeout(500)
            if use_case == "call_triage":
                answer(me, "2: Uncomfortable", "Before: not sure about this")
            before = gap_in_mistakes(me)
            move_slider(me, slider_label(use_case))
            after = gap_in_mistakes(me)
            assert after != before, (use_case, before, after)
            if use_case == "call_triage":
                answer(me, "1: Very uncomfortable", "=After: worse than I thought")

        # The facilitator's live view shows both answers without a reload.
        answers = fac.get_by_test_id("stMetric").filter(has_text="Answers").first
        answers.get_by_test_id("stMetricValue").filter(has_text="2").wait_for(timeout=20_000)
        fac.get_by_text("Before: not sure about this").wait_for(timeout=10_000)

        # The CSV holds both, with the settings each was given under.
        with fac.expect_download() as dl:
            fac.get_by_role("button", name="Download answers (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(open(dl.value.path()).read())))
        assert [r["stage"] for r in rows] == ["before", "after"]
        assert float(rows[1]["config.label_bias"]) > float(rows[0]["config.label_bias"])
        assert rows[1]["comment"].startswith("'=")  # a formula, neutralised
        assert "metric.equalized_odds_difference" in rows[0]
    finally:
        host.close()
        phone.close()


@pytest.mark.server
def test_a_deep_link_on_a_fresh_server_opens_inside_the_app(chromium):
    """After a laptop restart, phones reload e.g. /hotspots before anyone opens /."""
    from tests.browser.harness import app_server

    with app_server() as url:
        tab = chromium.new_page(viewport=PHONE)
        tab.goto(f"{url}/reoffending")
        wait_for_app(tab)
        tab.wait_for_timeout(500)
        wait_for_app(tab)
        nav = tab.get_by_test_id("stSidebarNav").inner_text()
        assert "Use cases" in nav and "Reoffending risk" in nav
        assert tab.get_by_role("heading", name=re.compile("Reoffending risk")).count() >= 1
        tab.close()
