"""The room in a real browser: the Console, the Screen on the projector, a phone."""

import csv
import io
import re
import time

import pytest

from simulators import registry
from tests.browser import flows
from tests.browser.harness import PHONE, PROJECTOR

USE_CASE = "evidence"
BIAS_SLIDER = "How differently group B words things"


@pytest.mark.server
def test_the_room_journey(live_app, chromium):
    laptop = chromium.new_context(viewport=PROJECTOR, accept_downloads=True)
    projector = chromium.new_context(viewport=PROJECTOR)
    phone = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        console = laptop.new_page()
        code = flows.start_workshop(console, live_app)

        # The Screen: the join slide, large enough for the back of the room, no controls.
        screen = projector.new_page()
        screen.goto(flows.screen_url(console, live_app))
        flows.settle(screen, 1000)
        qr = screen.get_by_role("img").first
        assert qr.evaluate("i => i.complete && i.naturalWidth > 0")
        assert qr.bounding_box()["height"] >= 0.4 * PROJECTOR["height"]
        letters = screen.locator(".screen-code")
        assert letters.inner_text().strip() == code
        assert letters.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 80
        body = screen.locator("[data-testid='stMarkdownContainer'] p").first
        assert body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
        controls = ("stButton", "stDownloadButton", "stFormSubmitButton", "stTextInput",
                    "stLinkButton")
        assert all(screen.get_by_test_id(c).count() == 0 for c in controls)

        # A phone joins by the QR link: the stage banner in view, no facilitator page.
        me = phone.new_page()
        flows.join(me, live_app, code)
        assert flows.in_viewport(me, me.locator(".st-key-room-banner"))
        assert me.get_by_role("link", name=re.compile("Console")).count() == 0

        # A use case asks the before question first, inside the first screen, and
        # shows no result of the model until it is answered.
        page = registry.get(USE_CASE)
        me.goto(f"{live_app}/{USE_CASE}?{me.url.split('?', 1)[1]}")
        flows.settle(me)
        question = me.get_by_text(re.compile("^Before you try it"))
        assert flows.in_viewport(me, question)
        assert me.locator(".st-key-result-strip").count() == 0
        assert me.get_by_test_id("stVegaLiteChart").count() == 0
        flows.answer(me, 2, "Before: not sure about this")

        # Step 2 opens at its top, not where the phone had scrolled to answer.
        step = me.get_by_text(re.compile("^Step 2 of 3"))
        step.wait_for(timeout=15_000)
        flows.settle(me, 500)
        assert flows.in_viewport(me, step)

        # Step 2: moving a slider keeps the result strip in view and changes it.
        strip = me.locator(".st-key-result-strip")
        strip.wait_for(timeout=15_000)
        before = flows.strip_text(me)
        flows.move_slider(me, BIAS_SLIDER, presses=5, key="ArrowRight")
        assert flows.in_viewport(me, strip)
        assert flows.strip_text(me) != before

        # The facilitator puts everyone on a scenario: the phone hears by itself.
        preset = page.presets()[1]
        console.get_by_role("tab", name=re.compile(page.title)).click()
        console.get_by_text(preset.title, exact=True).first.click()
        flows.settle(console)
        console.get_by_role("button", name="Put everyone on this").first.click()
        start = time.monotonic()
        me.get_by_text(re.compile("The facilitator is showing")).wait_for(timeout=10_000)
        followed = time.monotonic() - start
        print(f"the phone followed the facilitator after {followed:.2f} s")
        assert followed <= flows.FOLLOW_S, f"the phone followed after {followed:.1f} s"

        # Step 3: the after question, with a comment.
        me.get_by_role("button", name=re.compile("I have tried it")).click()
        flows.settle(me)
        step = me.get_by_text(re.compile("^Step 3 of 3"))
        step.wait_for(timeout=15_000)
        flows.settle(me, 500)
        assert flows.in_viewport(me, step)
        flows.answer(me, 1, "=After: worse than I thought")

        # The comment waits for the facilitator; the Screen shows it once approved.
        console.get_by_text("=After: worse than I thought").wait_for(timeout=15_000)
        console.get_by_role("button", name="Approve").first.click()
        flows.settle(console)
        screen.goto(flows.screen_url(console, live_app))
        flows.settle(screen)
        # Putting everyone on a scenario moved the room to trying the uses of AI.
        assert console.get_by_role("radio", name="Stage 2: try the uses of AI").get_attribute(
            "aria-checked") == "true"
        screen.get_by_text("=After: worse than I thought").wait_for(timeout=15_000)

        # The CSV holds both answers, with the settings each was given under.
        console.get_by_role("button", name="Make the files to download").click()
        flows.settle(console)
        with console.expect_download() as dl:
            console.get_by_role("button", name="Download answers (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(open(dl.value.path()).read())))
        mine = [r for r in rows if r.get("use_case", r.get("Use of AI")) in (
            USE_CASE, page.title)]
        assert len(mine) == 2
        text = " ".join(" ".join(r.values()) for r in mine)
        assert "'=After" in text  # a formula, neutralised
    finally:
        laptop.close()
        projector.close()
        phone.close()


@pytest.mark.server
def test_a_deep_link_on_a_fresh_server_opens_inside_the_app(chromium):
    """After a laptop restart, phones reload e.g. /hotspots before anyone opens /."""
    from tests.browser.harness import app_server

    with app_server() as url:
        tab = chromium.new_page(viewport=PHONE)
        tab.goto(f"{url}/reoffending")
        flows.settle(tab)
        nav = tab.get_by_test_id("stSidebarNav").inner_text()
        assert "Uses of AI" in nav and "Reoffending risk" in nav
        assert tab.get_by_role("heading", name=re.compile("Reoffending risk")).count() >= 1
        tab.close()
