"""Screenshots of the whole room, as people see it, at phone and projector size.

    python -m tests.browser.screenshots docs/screenshots     # what `make screenshots` runs

Starts the app as ``make run`` does on a fresh database, starts a workshop in the
Console, opens the Screen, joins from a phone and walks every page and step:
``<page>-<step>-<phone|projector>.png``. Once people have tried the uses of AI, the
room fills up as it would in an hour (8 more people, 8 approved comments, 8 pieces
of advice voted on, their decisions on the reoffending cases, the record's tally, the
ethics panel), and each of the Screen's
slides is taken at 1920 x 1080 (``screen-<slide>-projector.png``) and at 1280 x 720
(``screen-<slide>-720.png``), with a later turn of a list where it matters
(``-record``, ``-themes``; the room against the AI).
The browser tests call :func:`take_all` with an ignored folder
(``var/screenshots``); only this command writes ``docs/``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from simulators import decide, registry
from tests.browser import flows
from tests.browser.harness import PHONE, PROJECTOR, PROJECTOR_720, app_server, browser
from workshop.store import Store

#: The walk's parts, in order: the start (joining, first views), each use case's page
#: at phone and projector size, and the room an hour in (the Screen, the Console). Each
#: part starts its own workshop when walked alone, so the tests walk them side by side.
PARTS = ("start", *registry.USE_CASES, "room")


def take_all(browser, base: str, out: Path, database_url: str,
             parts: tuple[str, ...] = PARTS) -> list[Path]:
    """Walk the room in ``browser`` (a Playwright browser) and write the screenshots
    of ``parts`` (all of them by default, one after the other)."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"no such part of the walk: {sorted(unknown)}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(tab, name: str) -> None:
        flows.settle(tab, 800)
        if tab.get_by_test_id("stException").count():
            raise AssertionError(f"{name}: the page shows an error")
        path = out / f"{name}.png"
        tab.screenshot(path=str(path))
        written.append(path)

    laptop = browser.new_context(viewport=PROJECTOR)
    projector = browser.new_context(viewport=PROJECTOR)
    small = browser.new_context(viewport=PROJECTOR_720)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    wide = browser.new_context(viewport=PROJECTOR)
    seated = browser.new_context(viewport=PROJECTOR)
    # The start and the room show the Console and people joining; a use case's pages
    # alone need only a workshop and two people in it, made in the store.
    by_hand = bool({"start", "room"} & set(parts))
    try:
        console = laptop.new_page()
        store = Store(database_url)
        code = (flows.start_workshop(console, base) if by_hand else
                store.create_workshop("Leeds library, 3 March", flows.PASSPHRASE).code)
        screen, screen_720 = projector.new_page(), small.new_page()
        if by_hand:  # the Screen, at both sizes
            screen.goto(flows.screen_url(console, base))
            screen_720.goto(flows.screen_url(console, base))

        def slide(name: str) -> None:
            shot(screen, f"screen-{name}-projector")
            shot(screen_720, f"screen-{name}-720")

        visitor = wide.new_page()
        me = phone.new_page()
        if "start" in parts:
            shot(screen, "screen-join-projector")
            visitor.goto(base)
            shot(visitor, "welcome-visitor-projector")
            me.goto(f"{base}/?code={code}")
            shot(me, "welcome-visitor-phone")
        # A participant on a phone, and a second on a laptop: each step at both sizes.
        mine = seated.new_page()
        pid, mine_pid = ((flows.join(me, base, code), flows.join(mine, base, code))
                         if by_hand else (store.join(code).id, store.join(code).id))
        query = f"p={pid}"
        if "start" in parts:
            shot(me, "welcome-joined-phone")
            me.goto(f"{base}/first_views?{query}")
            shot(me, "first_views-phone")
            flows.answer(me, 2, "I am not sure the police would use it fairly.")
            shot(screen, "screen-first_views-projector")

        store.set_stage(code, "use_cases")
        for use_case in registry.USE_CASES.values():
            if use_case.name not in parts:
                continue
            path = re.sub(r"\.py$", "", use_case.page.split("/")[-1])
            visitor.goto(f"{base}/{path}")
            shot(visitor, f"{path}-visitor-projector")
            for tab, who, size in ((me, query, "phone"), (mine, f"p={mine_pid}", "projector")):
                tab.goto(f"{base}/{path}?{who}")
                shot(tab, f"{path}-1-before-{size}")
                flows.answer(tab, 2)
                if decide.supports(use_case.name):  # their own cases first
                    shot(tab, f"{path}-2-decide-{size}")
                    flows.decide_cases(tab)
                    shot(tab, f"{path}-2-decided-{size}")
                    tab.get_by_role("button", name=re.compile("Now see what the AI")).click()
                shot(tab, f"{path}-2-try-{size}")
                tab.get_by_role("button", name=re.compile("I have tried it")).click()
                shot(tab, f"{path}-3-after-{size}")
                flows.answer(tab, 3, "A person should check what it decides.")
        if "room" in parts:
            _the_room_an_hour_in(store, code, base, console, screen, screen_720, me, query,
                                 wide, shot, slide)
    finally:
        for ctx in (laptop, projector, small, phone, wide, seated):
            ctx.close()
    return written


def _the_room_an_hour_in(store, code, base, console, screen, screen_720, me, query, wide,
                         shot, slide) -> None:
    """8 more people, their comments approved, 8 pieces of advice, their own decisions
    on the reoffending cases, what they said of the record and as the ethics panel;
    then each of the Screen's slides, the phone's last pages and the Console."""
    people = flows.fill_room(store, code)
    flows.decide_room(store, code, people, "reoffending")
    flows.fill_panel(store, code, people)
    preset = registry.presets("call_triage")[1]
    store.set_preset(code, "call_triage", preset.key, preset.config.to_dict())
    slide("use_cases")
    for tab in (screen, screen_720):
        flows.turn_to(tab, "must the public be told")
    slide("use_cases-record")
    present = wide.new_page()  # "Open it large": the room's scenario, large
    present.goto(screen_url_for(flows.screen_url(console, base), "call_triage"))
    shot(present, "present-call_triage-projector")
    store.set_preset(code, "reoffending", None, None)
    for tab in (screen, screen_720):
        flows.settle(tab, 1500)
        flows.turn_to(tab, "The AI, same cases")
    slide("room_against_ai")
    store.set_stage(code, "panel")
    slide("panel")

    store.set_stage(code, "questions")
    me.goto(f"{base}/questions?{query}")
    shot(me, "questions-phone")
    slide("questions")
    for tab in (screen, screen_720):
        flows.turn_to(tab, "What people's words are about")
    slide("questions-themes")
    store.set_stage(code, "advice")
    me.goto(f"{base}/advice?{query}")
    flows.settle(me)
    me.get_by_test_id("stButtonGroup").first.get_by_text("Agree", exact=True).click()
    shot(me, "advice-phone")
    slide("advice")
    console.bring_to_front()
    # The room moved on (through the store, above) since the Console was drawn:
    # its facilitator puts it on the stage it is on, as they would have.
    console.get_by_role("radio", name="Stage 5: advice and final views").click()
    shot(console, "console-projector")
    console.set_viewport_size(PHONE)
    shot(console, "console-phone")
    store.close_workshop(code)
    slide("results")


def screen_url_for(screen_url: str, use_case: str) -> str:
    """The address "Open it large" opens: the use case's page in presenter mode, with
    the Screen's code and key."""
    page = registry.get(use_case).page.split("/")[-1].removesuffix(".py")
    return screen_url.replace("/screen?", f"/{page}?present=1&", 1)


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["var/screenshots"])[0])
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/workshop.db"
        with app_server(database_url) as base, browser() as chromium:
            for path in take_all(chromium, base, out, database_url):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
