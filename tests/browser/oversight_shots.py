"""Screenshots of transparency and oversight as people see them, at phone and projector
size: the record panel on a use-case page, the ethics panel stage (English and Welsh),
the Screen's slides (at 1920 x 1080 and 1280 x 720), the Console's moderation queue with
theme tags, and Where I sit.

    python -m tests.browser.oversight_shots var/oversight

Starts the app on a fresh database, fills a small room through the store, and walks it
in Chromium. Writes only into the folder given (``var/`` is ignored by git).
"""

from __future__ import annotations

import re
import sys
import tempfile
import uuid
from pathlib import Path

from simulators import registry
from simulators.transparency import PANEL
from tests.browser import flows
from tests.browser.harness import PHONE, PROJECTOR, app_server, browser
from workshop.store import Store

SMALL = {"width": 1280, "height": 720}
CALLS = next(iter(registry.USE_CASES.values()))


def cid() -> str:
    return uuid.uuid4().hex


def fill_room(store: Store, code: str) -> list[str]:
    """Eight people who answered about the record, gave the panel's advice, wrote and
    voted on advice (in two camps), as a room would have."""
    people = [store.join(code).id for _ in range(8)]
    verdicts = ["conditions", "conditions", "pause", "approve", "conditions", "conditions",
                "pause", "conditions"]
    picks = [["audit_by_group", "stop_at_gap"], ["audit_by_group", "tell_public"],
             ["stop_at_gap"], [], ["check_near_cutoff", "audit_by_group"],
             ["tell_public", "Ask the people living on the new estate what they see"],
             ["audit_data"], ["audit_by_group", "back_to_panel"]]
    for p, verdict, chosen in zip(people, verdicts, picks, strict=True):
        store.record_answer(p, CALLS.name, {"owner": "yes", "performance": "yes",
                                            "risks": "yes", "data": "no"},
                            "no" if verdict != "approve" else "yes", cid())
        store.panel_verdict(p, PANEL.use_case, verdict, chosen, cid())
    written = store.panel_results(code)
    for v in written[written["own_condition"] != ""]["verdict_id"]:
        store.moderate_condition(code, int(v), "approved")
    texts = ["A person must check every decision the AI makes",
             "Publish how each tool works and tell the public when it fails",
             "Audit the data for bias before it is used", "Slow down: trial it first"]
    items = [store.add_advice(people[k], t, text, cid()) for k, (t, text) in enumerate(zip(
        ["oversight", "transparency", "accuracy_bias", "oversight"], texts, strict=True))]
    for a in items:
        store.moderate_advice(code, a.id, "approved")
    for n, p in enumerate(people):
        for k, a in enumerate(items):
            store.vote(p, a.id, "agree" if (k < 2) == (n < 4) or k == 3 else "disagree")
    store.record(people[0], "overall", "before", 2, [], "Who is accountable when the AI "
                 "gets it wrong?", {}, {}, cid())
    store.panel_verdict(people[1], PANEL.use_case, "conditions",
                        ["audit_by_group", "Stop it until the estate is patrolled fairly"],
                        cid())  # waits in the Console's queue
    return people


def take(chromium, base: str, out: Path, database_url: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(tab, name: str) -> None:
        flows.settle(tab, 800)
        if tab.get_by_test_id("stException").count():
            raise AssertionError(f"{name}: the page shows an error")
        path = out / f"{name}.png"
        tab.screenshot(path=str(path))
        written.append(path)

    def open_folded(tab, label: str) -> None:
        tab.get_by_text(label, exact=True).first.click()
        flows.settle(tab)
        tab.get_by_text(label, exact=True).first.scroll_into_view_if_needed()

    laptop = chromium.new_context(viewport=PROJECTOR)
    projector = chromium.new_context(viewport=PROJECTOR)
    phone = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    seated = chromium.new_context(viewport=PROJECTOR)
    try:
        console = laptop.new_page()
        code = flows.start_workshop(console, base)
        screen = projector.new_page()
        screen.goto(flows.screen_url(console, base))
        store = Store(database_url)
        fill_room(store, code)
        me, mine = phone.new_page(), seated.new_page()
        pid, seat = flows.join(me, base, code), flows.join(mine, base, code)
        path = re.sub(r"\.py$", "", CALLS.page.split("/")[-1])

        # The record on a use-case page.
        store.set_stage(code, "use_cases")
        store.set_decide_first(code, CALLS.name, False)  # straight on to "Try it"
        for tab, who, size in ((me, pid, "phone"), (mine, seat, "projector")):
            store.record(who, CALLS.name, "before", 3, [], "", {}, {}, cid())
            tab.goto(f"{base}/{path}?p={who}")
            flows.settle(tab)
            open_folded(tab, "📋 The tool's public record")
            shot(tab, f"record-{size}")
            tab.get_by_text("How people check it", exact=True).first.scroll_into_view_if_needed()
            shot(tab, f"record-middle-{size}")
            tab.get_by_text("Would this record be enough", exact=False).first \
                .scroll_into_view_if_needed()
            shot(tab, f"record-questions-{size}")
        store.set_preset(code, CALLS.name, None, None)
        shot(screen, "screen-record-tally-projector")

        # The ethics panel stage.
        store.set_stage(code, "panel")
        me.goto(f"{base}/panel?p={pid}")
        shot(me, "panel-phone")
        me.get_by_text("4. Your advice").scroll_into_view_if_needed()
        shot(me, "panel-advice-phone")
        me.get_by_text("Approve, with conditions").first.click()
        me.get_by_role("button", name="Send my advice").click()
        shot(me, "panel-sent-phone")
        mine.goto(f"{base}/panel?p={seat}")
        shot(mine, "panel-projector")
        shot(screen, "screen-panel-projector")
        screen.set_viewport_size(SMALL)
        shot(screen, "screen-panel-1280")
        screen.set_viewport_size(PROJECTOR)
        me.goto(f"{base}/panel?p={pid}&lang=cy")
        shot(me, "panel-cy-phone")

        # Themes on the Screen, and in the Console's queue.
        store.set_stage(code, "questions")
        shot(screen, "screen-questions-themes-projector")
        console.bring_to_front()
        console.wait_for_timeout(5000)  # the queue refreshes itself every 4 s
        console.get_by_text("To read before the room sees it").first.scroll_into_view_if_needed()
        shot(console, "console-moderation-projector")

        # Where I sit, after the advice round.
        store.set_stage(code, "advice")
        advice_voter = store.panel_results(code)["participant_id"].iloc[0]
        me.goto(f"{base}/advice?p={advice_voter}")
        flows.settle(me)
        open_folded(me, "🧭 Where you sit in the room")
        shot(me, "where-i-sit-phone")
    finally:
        for ctx in (laptop, projector, phone, seated):
            ctx.close()
    return written


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["var/oversight"])[0])
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/workshop.db"
        with app_server(database_url) as base, browser() as chromium:
            for path in take(chromium, base, out, database_url):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
