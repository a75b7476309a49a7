"""The room, second pass (issue #25), in a real browser: nothing a room waits for, nothing
off the projector, no message out of sight. Phones at 390 x 844, the Screen at
1920 x 1080 and 1280 x 720, the Console on a laptop. The facilitator's moves are made
through the store where the Console is not what is being tested."""

import itertools
import re
import time

import pytest

from tests.browser import flows
from tests.browser.harness import PHONE, PROJECTOR, PROJECTOR_720
from workshop.live import screen_key
from workshop.store import Store


@pytest.fixture(scope="module")
def store(live_database):
    s = Store(live_database)
    yield s
    s.engine.dispose()


def workshop(store, title="Live room"):
    return store.create_workshop(title, flows.PASSPHRASE)


def phone(chromium):
    return chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)


def joined(ctx, base, code, path=""):
    tab = ctx.new_page()
    pid = flows.join(tab, base, code)
    if path:
        tab.goto(f"{base}/{path}?p={pid}")
        flows.settle(tab)
    return tab, pid


def wait_for(tab, locator, seconds: float = flows.FOLLOW_S) -> float:
    """How long ``locator`` took to appear (it must, within ``seconds``)."""
    start = time.monotonic()
    locator.first.wait_for(timeout=seconds * 1000)
    return time.monotonic() - start


def in_view(tab, locator) -> bool:
    box = locator.bounding_box()
    h = tab.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 40) <= h


@pytest.mark.server
def test_advice_and_vote_totals_reach_phones_by_themselves(live_app, chromium, store):
    """1: approved advice reaches the other phones without a reload, and once voted on,
    the room's totals keep up by themselves."""
    w = workshop(store)
    a_ctx, b_ctx = phone(chromium), phone(chromium)
    try:
        a, a_id = joined(a_ctx, live_app, w.code, "advice")
        b, b_id = joined(b_ctx, live_app, w.code, "advice")
        b.get_by_label("Your advice (one or two sentences, please no names)").fill(
            "Publish error rates for every group")
        b.get_by_role("button", name="Add my advice").click()
        flows.settle(b)
        [item] = store.advice(w.code)["advice_id"]
        assert a.get_by_text("Publish error rates for every group").count() == 0
        store.moderate_advice(w.code, int(item), "approved")
        took = wait_for(a, a.get_by_text("Publish error rates for every group"))
        print(f"approved advice reached the phone after {took:.2f} s")
        flows.settle(a)
        a.get_by_test_id("stButtonGroup").get_by_text("Agree", exact=True).click()
        flows.settle(a)
        tally = a.locator(f'[data-tally="{int(item)}"]')
        assert tally.inner_text() == "1 agree, 0 disagree, 0 pass"
        assert in_view(a, tally)
        # Two more people vote elsewhere: the totals on this phone follow, no rerun asked.
        others = [store.join(w.code) for _ in range(2)]
        store.vote(others[0].id, int(item), "disagree")
        store.vote(others[1].id, int(item), "pass")
        start = time.monotonic()
        while tally.inner_text() != "1 agree, 1 disagree, 1 pass":
            assert time.monotonic() - start < flows.FOLLOW_S, tally.inner_text()
            a.wait_for_timeout(100)
    finally:
        a_ctx.close()
        b_ctx.close()


@pytest.mark.server
def test_time_up_and_closing_reach_phones_and_go_with_their_stage(live_app, chromium, store):
    """7 and 8: "Time is up" is said where people look, and goes when the room moves
    on; closing the workshop tells every phone, which then asks nothing more."""
    w = workshop(store)
    ctx = phone(chromium)
    try:
        tab, _pid = joined(ctx, live_app, w.code, "first_views")
        tab.mouse.wheel(0, 600)  # reading further down the page
        store.set_timer(w.code, 4)
        up = tab.get_by_role("alert").filter(has_text="Time is up")
        wait_for(tab, up, 8)
        assert in_view(tab, up)
        store.set_stage(w.code, "questions")
        start = time.monotonic()
        while "Time is up" in tab.locator(".st-key-room-banner").inner_text():
            assert time.monotonic() - start < flows.FOLLOW_S
            tab.wait_for_timeout(100)
        assert store.room(w.code)["timer_ends_at"] is None
        # The room moved on: said in view, wherever the phone has scrolled to.
        toast = tab.get_by_test_id("stToast").filter(has_text="The room has moved on")
        wait_for(tab, toast)
        assert in_view(tab, toast)

        tab.goto(f"{live_app}/first_views?{tab.url.split('?', 1)[1]}")
        flows.settle(tab)
        tab.get_by_text(re.compile(r"^3 · ")).first.click()
        store.close_workshop(w.code)
        wait_for(tab, tab.get_by_text("This workshop has closed").first)
        flows.settle(tab)
        assert tab.get_by_role("button", name="Send my answer").count() == 0
        assert tab.get_by_text("your view is saved").count() == 0
        assert tab.get_by_text("your first view is saved").count() == 0
    finally:
        ctx.close()


@pytest.mark.server
def test_a_scenario_of_the_same_use_case_reaches_a_phone_at_step_3(live_app, chromium,
                                                                   store):
    """6: a phone that has tried the use case and is answering the after question is
    told when the facilitator puts the room on a scenario of it, and can go to it."""
    w = workshop(store)
    store.set_stage(w.code, "use_cases")
    ctx = phone(chromium)
    try:
        tab, _pid = joined(ctx, live_app, w.code, "evidence")
        flows.answer(tab, 3)
        tab.get_by_role("button", name=re.compile("I have tried it")).click()
        flows.settle(tab)
        tab.get_by_text(re.compile("^Step 3 of 3")).wait_for()
        from simulators import registry

        preset = registry.presets("evidence")[1]
        store.set_preset(w.code, "evidence", preset.key, preset.config.to_dict())
        took = wait_for(tab, tab.get_by_text("The facilitator is showing"))
        print(f"the phone at step 3 heard of the scenario after {took:.2f} s")
        flows.settle(tab)
        tab.get_by_role("button", name="Try it with the facilitator's view").click()
        flows.settle(tab)
        assert tab.get_by_text(re.compile("^Step 2 of 3")).count() == 1
        assert tab.get_by_text(re.compile("You are on the facilitator's view")).count() == 1
    finally:
        ctx.close()


@pytest.mark.server
def test_messages_are_where_the_phone_is_looking(live_app, chromium, store):
    """3, 4 and 10: a refusal is beside the button just pressed, in view; a comment
    that is too long is refused with the reason and stays in the box; the wrong code
    is said in view; the before question starts on the first screen; the menu folds
    away once a page is chosen; "Change my answer" shows the answer given."""
    w = workshop(store)
    store.set_stage(w.code, "use_cases")
    ctx = phone(chromium)
    try:
        tab = ctx.new_page()
        tab.goto(f"{live_app}/?code=ZZZZZZ")
        flows.settle(tab)
        tab.get_by_role("button", name="Join").click()
        flows.settle(tab)
        wrong = tab.get_by_test_id("stAlert").filter(has_text=re.compile("code"))
        assert in_view(tab, wrong)

        tab, pid = joined(ctx, live_app, w.code, "call_triage")
        question = tab.get_by_text(re.compile("^Before you try it"))
        assert in_view(tab, question)  # on the first screen, without scrolling
        # The comfort scale's own label is for screen readers only: the question says it.
        assert not tab.get_by_text("How comfortable would you be?", exact=True).is_visible()
        from tests.browser.test_pages_in_browser import serious_faults

        assert serious_faults(tab) == []  # the story's own scrolling box included

        send = tab.get_by_role("button", name="Send my answer")
        send.scroll_into_view_if_needed()
        send.click()
        flows.settle(tab)
        error = tab.get_by_test_id("stAlert").filter(has_text="Please pick how comfortable")
        assert in_view(tab, error)

        long = ("Too long for the box. " * 240)[:5040]
        box = tab.get_by_label("Anything else you want to say? (optional, please no names)")
        box.fill(long)
        tab.get_by_text(re.compile(r"^2 · ")).first.click()
        send.click()
        flows.settle(tab)
        refusal = tab.get_by_test_id("stAlert").filter(has_text="characters long")
        assert in_view(tab, refusal)
        assert "5,040" in refusal.inner_text() and "1,000" in refusal.inner_text()
        assert len(box.input_value()) == 5040  # kept for editing
        assert store.reactions(w.code).empty  # nothing sent
        box.fill("Short enough now.")
        send.click()
        flows.settle(tab)
        # On to the next step (deciding 8 calls first, then trying the AI)
        assert tab.get_by_text(re.compile("^Step 2 of 4")).count() == 1
        flows.decide_cases(tab)
        tab.get_by_role("button", name=re.compile("Now see what the AI")).click()
        flows.settle(tab)

        # The after answer, then "Change my answer": the answer given is shown.
        tab.get_by_role("button", name=re.compile("I have tried it")).click()
        flows.settle(tab)
        flows.answer(tab, 4, "Better than I feared.")
        tab.get_by_role("button", name="Change my answer").click()
        flows.settle(tab)
        assert tab.get_by_role("radio", name=re.compile(r"^4 · ")).is_checked()
        assert tab.get_by_text("Better than I feared.").count() == 1

        # The menu folds away once a page is chosen.
        tab.get_by_test_id("stExpandSidebarButton").click()
        tab.wait_for_timeout(500)
        menu = tab.get_by_test_id("stSidebar")
        assert menu.get_attribute("data-collapsed") == "false"
        tab.get_by_test_id("stSidebarNav").get_by_role("link", name="First views").click()
        flows.settle(tab, 800)
        assert menu.get_attribute("data-collapsed") == "true"
    finally:
        ctx.close()


@pytest.mark.server
def test_welsh_nicknames_and_long_welsh_values_stay_on_the_phone(live_app, chromium,
                                                                 store):
    """12: joining in Welsh gives a Welsh nickname; a long Welsh slider value wraps
    on the screen instead of running off its edge."""
    from workshop.vocabulary import CY_ANIMALS

    w = workshop(store)
    ctx = phone(chromium)
    try:
        tab = ctx.new_page()
        tab.goto(f"{live_app}/?code={w.code}&lang=cy")
        flows.settle(tab)
        tab.get_by_role("button", name="Ymuno").click()
        flows.settle(tab)
        name = store.participant(tab.url.split("p=")[1].split("&")[0]).pseudonym
        assert name.split()[0] in CY_ANIMALS, name
        assert tab.get_by_text(name).count() >= 1

        tab.goto(f"{live_app}/evidence?lang=cy")
        flows.settle(tab)
        for i in range(3):  # the settings box's sliders, the longest values among them
            thumb = tab.get_by_test_id("stSlider").nth(i).get_by_role("slider")
            for key in ("Home", "End"):
                thumb.focus()
                thumb.press(key)
                flows.settle(tab, 200)
                value = tab.get_by_test_id("stSliderThumbValue").nth(i).bounding_box()
                assert value["x"] >= 0 and value["x"] + value["width"] <= PHONE["width"]
    finally:
        ctx.close()


@pytest.mark.server
def test_the_advice_pages_headings_go_in_order(live_app, chromium, store):
    """A screen reader moving by headings finds the advice page's sections under its
    title, none skipped (axe's heading-order)."""
    from tests.browser.test_pages_in_browser import serious_faults

    w = workshop(store, "Headings")
    store.set_stage(w.code, "advice")
    ctx = phone(chromium)
    try:
        tab, _pid = joined(ctx, live_app, w.code, "advice")
        levels = tab.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4')]"
                              ".map((h) => Number(h.tagName[1]))")
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
        assert [f for f in serious_faults(tab, ("moderate", "serious", "critical"))
                if f.startswith("heading-order")] == []
    finally:
        ctx.close()


# -- the Screen ------------------------------------------------------------------------


#: Every slide, in the order a workshop shows them: the use-case slide first with
#: comfort, the record's tally and comments, then with the room against the AI.
SLIDES = ["first_views", "use_cases", "room_against_ai", "panel", "questions", "advice",
          "closed"]


def put(store, code: str, slide: str, people: list) -> None:
    from simulators import registry

    if slide == "closed":
        store.close_workshop(code)
        return
    store.reopen_workshop(code)
    if slide == "room_against_ai":
        flows.decide_room(store, code, people)
        slide = "use_cases"
    store.set_stage(code, slide)
    if slide == "use_cases":
        preset = registry.presets("call_triage")[1]
        store.set_preset(code, "call_triage", preset.key, preset.config.to_dict())


_TEXT_SIZES = """() => {
  const sizes = [];
  const walk = (root) => {
    const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let e = it.currentNode; e; e = it.nextNode()) {
      if (e.nodeType !== 1) continue;
      if (e.shadowRoot) walk(e.shadowRoot);
      const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const r = e.getBoundingClientRect();
      if (own && r.width && r.height && getComputedStyle(e).visibility !== "hidden") {
        sizes.push([parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40),
                    r.bottom]);
      }
    }
  };
  walk(document.querySelector('[data-testid="stMain"]'));
  return sizes;
}"""


def shown_text(tab) -> str:
    return tab.evaluate("""() => [...document.querySelectorAll('*')]
        .flatMap((e) => e.shadowRoot ? [e.shadowRoot.textContent] : [])
        .join(' ') + document.body.innerText""")


@pytest.mark.server
@pytest.mark.parametrize("size", [PROJECTOR, PROJECTOR_720], ids=["1920x1080", "1280x720"])
def test_every_slide_fits_the_projector_in_large_type(live_app, chromium, store, size):
    """2 and 9, with #23 and #24's slides: with 8 approved comments, 8 pieces of advice,
    the record's tally, a filled ethics panel and the room's decisions, no slide and no
    turn of a list scrolls, is cut short or runs off the screen at 1920 x 1080 or
    1280 x 720, every word (the charts' too) is at least 28 px, the scenario is named,
    and advice shows its votes counted, a 1-1 split marked and no ranking below the
    minimum of votes."""
    w = workshop(store, "Eight of everything")
    people = flows.fill_room(store, w.code)
    flows.fill_panel(store, w.code, people)
    split = store.add_advice(store.join(w.code).id, "oversight", "Split one way and the other",
                             "client-split-1")
    store.moderate_advice(w.code, split.id, "approved")
    voters = [store.join(w.code) for _ in range(2)]
    store.vote(voters[0].id, split.id, "agree")
    store.vote(voters[1].id, split.id, "disagree")
    ctx = chromium.new_context(viewport=size)
    try:
        tab = ctx.new_page()
        tab.goto(f"{live_app}/screen?code={w.code}&key="
                 f"{screen_key(w.code, w.passphrase_hash)}")
        flows.settle(tab, 800)
        for slide in SLIDES:
            put(store, w.code, slide, people)
            flows.after_room_change(tab)
            shown = ""
            for turn in range(flows.turns_taken(tab)):
                where = f"{slide}, turn {turn + 1}"
                main = tab.get_by_test_id("stMain")
                scroll, client = main.evaluate("e => [e.scrollHeight, e.clientHeight]")
                assert scroll <= client, f"{where}: the slide scrolls ({scroll} > {client})"
                assert not flows.cut_turns(tab), f"{where}: cut short: {flows.cut_turns(tab)}"
                sizes = tab.evaluate(_TEXT_SIZES)
                small = [s for s in sizes if s[0] < 28]
                assert not small, f"{where}: type under 28 px: {small[:5]}"
                off = [s for s in sizes if s[2] > size["height"] + 1]
                assert not off, f"{where}: off the screen: {off[:5]}"
                shown += shown_text(tab)
                tab.screenshot(path=f"var/screenshots/screen-{slide}-{size['width']}-{turn}.png")
                flows.next_turn(tab)
            if slide in ("use_cases", "room_against_ai"):
                assert "Scenario: Misheard voices" in shown
                assert "must the public be told this part?" in shown
                assert "Fine for advice lines, not for anything urgent." in shown
            if slide == "room_against_ai":
                assert "The room against the AI, on the same cases" in shown
                assert "People who decided: 8." in shown
            if slide == "panel":
                assert "The panel's advice (8 people)" in shown
                assert "Ask the people living on the new estate what they see" in shown
                assert "Stop it until the estate is patrolled fairly" not in shown  # unread
            if slide == "questions":
                assert "What people's words are about" in shown
            if slide == "advice":
                assert re.search(r"\d+ agree, \d+ disagree, \d+ pass", shown)
                assert "in 100 agree" not in shown
                assert "divided" in shown
    finally:
        ctx.close()
        store.reopen_workshop(w.code)


_VISIBLE_ITEMS = """() => [...document.querySelectorAll('*')]
  .filter((e) => e.shadowRoot && e.shadowRoot.querySelector('.turns'))
  .flatMap((e) => [...e.shadowRoot.querySelectorAll('.item')])
  .filter((i) => !i.hidden).map((i) => i.textContent)"""


@pytest.mark.server
def test_a_long_list_takes_turns_so_every_item_is_up_within_a_minute(live_app, chromium,
                                                                     store):
    """2: at 1280 x 720 the room's advice does not fit at once; it takes turns by
    itself, and every piece is on the screen at least once a minute."""
    from tests.browser.flows import ADVICE

    w = workshop(store, "Turns")
    flows.fill_room(store, w.code)
    store.set_stage(w.code, "advice")
    ctx = chromium.new_context(viewport=PROJECTOR_720)
    try:
        tab = ctx.new_page()
        tab.goto(f"{live_app}/screen?code={w.code}&key="
                 f"{screen_key(w.code, w.passphrase_hash)}")
        flows.settle(tab, 1000)
        first = tab.evaluate(_VISIBLE_ITEMS)
        assert 0 < len(first) < len(ADVICE), "8 pieces of advice do not fit at once here"
        seen, start = set(), time.monotonic()
        while len(seen) < len(ADVICE) and time.monotonic() - start < 61:
            seen |= {text for text in ADVICE for shown in tab.evaluate(_VISIBLE_ITEMS)
                     if text[1] in shown}
            tab.wait_for_timeout(1000)
        print(f"all {len(seen)} pieces of advice shown within {time.monotonic() - start:.0f} s")
        assert len(seen) == len(ADVICE)
    finally:
        ctx.close()


@pytest.mark.server
def test_the_screen_asks_for_the_room_once_a_second_however_often_it_reruns(
        live_app, chromium, store):
    """A Screen reruns at every answer; each rerun runs its components again. The
    room's banner must still ask the server once a second, not once more per rerun
    (it asked 33 times a second after six changes), and its lists take one turn at
    a time."""
    w = workshop(store, "Reruns")
    people = flows.fill_room(store, w.code)
    store.set_stage(w.code, "advice")
    ctx = chromium.new_context(viewport=PROJECTOR_720)
    asked: list[str] = []
    try:
        tab = ctx.new_page()
        tab.on("request", lambda r: asked.append(r.url) if "/api/room" in r.url else None)
        tab.goto(f"{live_app}/screen?code={w.code}&key="
                 f"{screen_key(w.code, w.passphrase_hash)}")
        flows.settle(tab, 1000)
        for n in range(6):  # six answers arrive: six reruns with new data
            store.vote(people[n].id, int(store.advice(w.code)["advice_id"].iloc[-1]),
                       "pass")
            flows.after_room_change(tab, 500)
        before = len(asked)
        tab.wait_for_timeout(5000)
        print(f"{len(asked) - before} requests for the room in 5 s")
        assert len(asked) - before <= 7
        flows.next_turn(tab)  # a turn has just begun: the next is 10 s away
        first = tab.evaluate(_VISIBLE_ITEMS)
        tab.wait_for_timeout(1000)
        assert tab.evaluate(_VISIBLE_ITEMS) == first  # not flickering between turns
    finally:
        ctx.close()


# -- the Console -----------------------------------------------------------------------


@pytest.mark.server
def test_the_console_stays_signed_in_and_opens_the_room_large(live_app, chromium, store):
    """5 and 13: the sign-in fields are the ones a password manager fills; a reload
    keeps the facilitator signed in (a cookie, not the address); the stage buttons
    are not named like the menu's pages; "Open it large" opens a new tab on the
    room's scenario, in large type, following the room."""
    from simulators import registry

    w = workshop(store, "Console")
    laptop = chromium.new_context(viewport=PROJECTOR)
    try:
        tab = laptop.new_page()
        tab.goto(f"{live_app}/console")
        flows.settle(tab)
        code_box = tab.get_by_label("Workshop code").first  # the sign-in tab's
        secret = tab.get_by_label("Passphrase", exact=True)
        assert code_box.get_attribute("autocomplete") == "username"
        assert secret.get_attribute("autocomplete") == "current-password"
        code_box.fill(w.code)
        secret.fill(flows.PASSPHRASE)
        tab.get_by_role("button", name="Open", exact=True).click()
        flows.settle(tab)
        tab.get_by_text("Join code").first.wait_for()
        tab.reload()
        flows.settle(tab)
        assert tab.get_by_text("Join code").count() >= 1, "signed out by a reload"
        assert tab.get_by_label("Passphrase", exact=True).count() == 0
        assert w.code not in tab.url and "key=" not in tab.url

        links = tab.get_by_test_id("stSidebarNavLink")
        menu = {links.nth(i).inner_text().split("\n")[-1].strip()
                for i in range(links.count())}
        assert "First views" in menu and "Our advice" in menu
        stages = tab.get_by_role(
            "radiogroup", name="Where the room is now (shown on every phone and on the Screen)"
        ).get_by_role("radio")
        names = {stages.nth(i).inner_text().strip() for i in range(stages.count())}
        assert len(names) == 5 and not names & menu, (names, menu)

        page = registry.get("call_triage")
        preset = page.presets()[1]
        tab.get_by_role("tab", name=re.compile(page.title)).click()
        tab.get_by_text(preset.title, exact=True).first.click()
        flows.settle(tab)
        tab.get_by_role("button", name="Put everyone on this").first.click()
        flows.settle(tab)
        large = tab.get_by_role("link", name=re.compile("Open it large")).first
        assert large.get_attribute("target") == "_blank"
        with laptop.expect_page() as opened:
            large.click()
        shown = opened.value
        flows.settle(shown, 1000)
        assert shown.url != tab.url and "/console" in tab.url  # the Console stays
        body = shown.get_by_test_id("stMarkdownContainer").locator("p").first
        assert body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
        pill = shown.get_by_role("radiogroup", name="Scenarios").get_by_role(
            "radio", name=preset.title)
        assert pill.get_attribute("aria-checked") == "true"
        assert shown.get_by_text(re.compile(re.escape(preset.script[:30]))).count() >= 1
        # The facilitator moves the room on: the large view follows by itself.
        after = page.presets()[2]
        store.set_preset(w.code, page.name, after.key, after.config.to_dict())
        wait_for(shown, shown.get_by_text(re.compile(re.escape(after.script[:30]))))
    finally:
        laptop.close()


@pytest.mark.server
def test_the_downloads_read_as_people_would(live_app, chromium, store, tmp_path):
    """11 and 15: the PDF has no empty boxes for emoji, says "1 person was", and has
    every question the room answered; the readable CSV has people's words for its
    headers and values. Once the room changes, the Console says so of the files."""
    import csv
    import io
    import subprocess

    w = workshop(store, "Downloads 👋")
    from tests.browser.flows import fill_room

    fill_room(store, w.code, people=8)
    lone = store.join(w.code)
    store.record(lone.id, "call_triage", "after", 4, [], "Good idea 👍🏽", {
        "label_bias": 0.4, "saved_hours_to": "community"}, {"count[A]": 10}, "client-lone-1")
    for rid in store.comments(w.code, "pending")["reaction_id"]:
        store.moderate(w.code, int(rid), "approved")
    laptop = chromium.new_context(viewport=PROJECTOR, accept_downloads=True)
    try:
        tab = laptop.new_page()
        tab.goto(f"{live_app}/console")
        flows.settle(tab)
        tab.get_by_label("Workshop code").first.fill(w.code)  # the sign-in tab's
        tab.get_by_label("Passphrase", exact=True).fill(flows.PASSPHRASE)
        tab.get_by_role("button", name="Open", exact=True).click()
        flows.settle(tab)
        tab.get_by_role("button", name="Make the report and its files").click()
        flows.settle(tab)
        with tab.expect_download() as dl:
            tab.get_by_role("button", name="Answers as people saw them (CSV)").click()
        rows = list(csv.reader(io.StringIO(open(dl.value.path(), encoding="utf-8").read())))
        header = rows[0]
        machine = [h for h in header if "_" in h or "[" in h]
        assert not machine, machine
        assert "101 calls: Where saved time should go" in header
        cells = [c for r in rows[1:] for c in r]
        assert "More community engagement" in cells and "40" in cells
        assert not [c for c in cells if re.fullmatch(r"-?\d+\.0", c)]

        with tab.expect_download() as dl:
            tab.get_by_role("button", name="Download the report (PDF)").click()
        pdf = tmp_path / "report.pdf"
        dl.value.save_as(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = " ".join(text.split())
        assert "\ufffd" not in text and "□" not in text
        assert "Good idea" in flat and "Downloads" in flat
        assert "What mattered to people at first" in flat
        assert "where should that time go" in flat
        assert not re.search(r"\b1 (were|people|votes|pieces|comments|answers)\b", flat)
        assert "0 of its" not in flat

        # A late answer: the Console says the files are out of date by itself, within
        # a few seconds, with nobody touching it.
        changed = tab.get_by_text("The workshop has changed since these files were made")
        assert changed.count() == 0
        store.record(lone.id, "call_triage", "before", 2, [], "", {}, {}, "client-lone-2")
        changed.first.wait_for(timeout=15_000)
    finally:
        laptop.close()


@pytest.mark.server
def test_the_hotspots_strip_leads_with_the_group_the_bias_is_against(live_app, chromium):
    """14: with a biased past against group B, the strip's headline speaks of group B's
    areas first, not group A's."""
    ctx = phone(chromium)
    try:
        tab = ctx.new_page()
        tab.goto(f"{live_app}/hotspots")
        flows.settle(tab)
        tab.get_by_test_id("stButtonGroup").get_by_text("A biased past").click()
        flows.settle(tab, 800)
        headline = tab.locator(".st-key-result-strip .strip-sentence").inner_text()
        assert headline.index("group B") < headline.index("group A"), headline
    finally:
        ctx.close()
