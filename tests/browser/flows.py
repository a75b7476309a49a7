"""What people do in the browser, as steps the journeys and the screenshots share."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tests.browser.harness import wait_for_app

PASSPHRASE = "a long workshop passphrase"

# How long a page following the room may take to show a change: it asks once a second
# (tests/browser/test_room_live.py counts its requests) and then reruns, about 2 s in
# a room (the load test's figures, README, Speed). The bound tells "follows by itself"
# from "only on a reload"; it is not a speed test: this machine runs four browsers and
# their servers at once while testing.
FOLLOW_S = 5.0


def settle(tab, ms: int = 500) -> None:
    """The run the last action asked for is over, ``ms`` have passed (for charts to
    draw and timers to fire) and any run started meanwhile is over too."""
    wait_for_app(tab)
    tab.wait_for_timeout(ms)
    wait_for_app(tab, start=None)


def after_room_change(tab, ms: int = 800) -> None:
    """A page following the room (the Screen, a phone's banner) asks for it once a
    second and reruns when it changed: wait for that run (up to 3 s), then settle."""
    wait_for_app(tab, start=3000)
    settle(tab, ms)


def start_workshop(tab, base: str, title: str = "Leeds library, 3 March") -> str:
    """The facilitator starts a workshop in the Console; returns its code."""
    tab.goto(f"{base}/console")
    settle(tab)
    tab.get_by_role("tab", name="Start a new workshop").click()
    tab.get_by_label("Workshop title").fill(title)
    tab.get_by_label("Choose a passphrase (at least 12 characters)").fill(PASSPHRASE)
    tab.get_by_label("Type it again").fill(PASSPHRASE)
    tab.get_by_role("button", name="Start the workshop").click()
    settle(tab)
    # The recovery code, shown once, until the facilitator says it is written down.
    tab.get_by_role("button", name="I have written it down: open the workshop").click()
    settle(tab)
    link = tab.get_by_test_id("stCode").first.inner_text().strip()
    code = parse_qs(urlsplit(link).query)["code"][0]
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    return code


def screen_url(console_tab, base: str) -> str:
    """The Screen's address, as the Console's button opens it."""
    href = console_tab.get_by_role("link", name=re.compile("Open the Screen")).get_attribute(
        "href")
    return href if href.startswith("http") else base + href


def join(tab, base: str, code: str) -> str:
    """A participant joins by the QR code's link; returns their ``?p=`` id."""
    tab.goto(f"{base}/?code={code}")
    settle(tab)
    tab.get_by_role("button", name="Join").click()
    settle(tab)
    tab.get_by_text("You have joined the workshop.").wait_for(timeout=15_000)
    return parse_qs(urlsplit(tab.url).query)["p"][0]


def answer(tab, comfort: int, comment: str = "", skip: bool = False) -> None:
    """Answer the question on screen (the radio's option starts with its number)."""
    if skip:
        tab.get_by_role("button", name="Skip this question").click()
    else:
        tab.get_by_text(re.compile(rf"^{comfort} · ")).first.click()
        if comment:
            tab.get_by_label("Anything else you want to say? (optional, please no names)"
                             ).first.fill(comment)
        tab.get_by_role("button", name="Send my answer").click()
    settle(tab)


def decide_cases(tab, n: int = 8) -> None:
    """Decide the cases a use case deals before its AI (the first answer, then the
    other, in turn), then go on to try the AI."""
    for i in range(n):
        tab.locator(".st-key-decide-buttons").get_by_role("button").nth(i % 2).click()
        wait_for_app(tab)
    settle(tab)


def move_slider(tab, label: str, presses: int = 4, key: str = "ArrowRight") -> None:
    box = tab.get_by_test_id("stSlider").filter(has_text=label).first
    thumb = box.get_by_role("slider")
    thumb.focus()
    for _ in range(presses):
        thumb.press(key)
    settle(tab)


def strip_text(tab) -> str:
    return tab.locator(".st-key-result-strip").inner_text()


def in_viewport(tab, locator) -> bool:
    box = locator.bounding_box()
    size = tab.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 60) <= size[
        "height"]


COMMENTS = [
    "I'd want a person to check every call it marks as 'can wait'.",
    "If it mishears accents, people like my mum will be left waiting.",
    "Fine for advice lines, not for anything urgent.",
    "Who is accountable when the AI gets it wrong? That needs to be clear before it "
    "is used anywhere near emergencies, and the public should be told.",
    "It saved time in the toy, but the gap for group B worried me.",
    "Better than waiting forty minutes on hold.",
    "Only if the records it learns from are checked for bias first, by someone "
    "independent of the force that wants to use it.",
    "I changed my mind after seeing the fix: it helps, but it is not magic.",
]
ADVICE = [
    ("oversight", "A named person must be responsible for every decision the AI helps "
                  "make, and the public must be able to challenge it."),
    ("accuracy_bias", "Test it on every group before it is used, and publish the results."),
    ("transparency", "Tell callers when an AI is listening, in plain words."),
    ("oversight", "An independent ethics panel should review each tool every year, with "
                  "the power to stop it if it does more harm than good."),
    ("accuracy_bias", "Never train it on old records without checking them for bias."),
    ("transparency", "Publish what each tool is for, what data it uses and how well it "
                     "works, in a register anyone can read."),
    ("oversight", "Time saved should go to officers in the community, not to cuts."),
    ("accuracy_bias", "Keep a human in the loop for anything that affects someone's "
                      "liberty."),
]


def fill_room(store, code: str, people: int = 8, use_case: str = "call_triage") -> list:
    """A room as it is after an hour: ``people`` participants with first views, before
    and after answers on ``use_case`` (8 comments, approved), the open questions
    answered, 8 pieces of advice approved and voted on, final views. Returns the
    participants."""
    import uuid

    from workshop.vocabulary import OPEN_QUESTIONS

    def cid() -> str:
        return uuid.uuid4().hex

    joined = [store.join(code) for _ in range(people)]
    for n, p in enumerate(joined):
        store.record(p.id, "overall", "before", 1 + n % 5, ["oversight"], "", {}, {}, cid())
        store.record(p.id, use_case, "before", 2 + n % 3, [], "", {}, {}, cid())
        store.record(p.id, use_case, "after", 1 + (n * 2) % 5, ["accuracy_bias"],
                     COMMENTS[n % len(COMMENTS)], {}, {}, cid())
        for k, (key, (_q, choices)) in enumerate(OPEN_QUESTIONS.items()):
            store.answer(p.id, key, list(choices)[(n + k) % len(choices)], "", cid())
    for rid in store.comments(code, "pending")["reaction_id"]:
        store.moderate(code, int(rid), "approved")
    items = [store.add_advice(joined[n % people].id, theme, text, cid())
             for n, (theme, text) in enumerate(ADVICE)]
    for a in items:
        store.moderate_advice(code, a.id, "approved")
    votes = ["agree", "agree", "disagree", "pass", "agree", "disagree", "agree", "agree"]
    for n, a in enumerate(items):
        for k, p in enumerate(joined[: 2 + n % (people - 1)]):
            store.vote(p.id, a.id, votes[(n + k) % len(votes)])
    for n, p in enumerate(joined):
        store.record(p.id, "overall", "final", 1 + (n + 1) % 5, [], "", {}, {}, cid())
    return joined


def decide_room(store, code: str, people: list, use_case: str = "call_triage") -> None:
    """``people`` (from :func:`fill_room`) each decide 8 cases of ``use_case`` first,
    spread over the room's draws as phones deal them, some right and some wrong: the
    room against the AI has something to show."""
    import uuid

    from simulators import decide

    for n, p in enumerate(people):
        dealt = decide.cases(use_case, None, draw=n % decide.ROOM_DRAWS)
        said = {c: int(t if (k + n) % 3 else 1 - t)
                for k, (c, t) in enumerate(zip(dealt["case_id"], dealt["truth"], strict=True))}
        store.record_decisions(p.id, use_case, said, uuid.uuid4().hex,
                               draw=n % decide.ROOM_DRAWS)


def fill_panel(store, code: str, people: list, use_case: str = "call_triage") -> None:
    """``people`` say what the public must be told of ``use_case``'s record and whether
    it is enough, and sit as the ethics panel: verdicts, conditions picked, and two
    written in their own words (one approved, one still waiting)."""
    import uuid

    from simulators.transparency import PANEL, SECTIONS

    verdicts = ["conditions", "conditions", "pause", "approve", "conditions", "pause"]
    picks = [["audit_by_group", "stop_at_gap"], ["audit_by_group", "tell_public"],
             ["stop_at_gap"], [], ["check_near_cutoff", "audit_by_group"],
             ["tell_public", "Ask the people living on the new estate what they see"],
             ["audit_data"], ["audit_by_group", "back_to_panel"]]
    for n, p in enumerate(people):
        told = {s: ("yes" if (n + k) % 4 else "no") for k, s in enumerate(SECTIONS)}
        store.record_answer(p.id, use_case, told, ["no", "yes", "unsure"][n % 3],
                            uuid.uuid4().hex)
        store.panel_verdict(p.id, PANEL.use_case, verdicts[n % len(verdicts)],
                            picks[n % len(picks)], uuid.uuid4().hex)
    written = store.panel_results(code)
    for v in written[written["own_condition"] != ""]["verdict_id"]:
        store.moderate_condition(code, int(v), "approved")
    store.panel_verdict(people[0].id, PANEL.use_case, "conditions",
                        ["audit_by_group", "Stop it until the estate is patrolled fairly"],
                        uuid.uuid4().hex)  # waits in the Console's queue


_TURNS = """() => [...document.querySelectorAll('*')]
  .filter((e) => e.shadowRoot && e.shadowRoot.querySelector('.turns'))
  .map((e) => e.shadowRoot.querySelector('.turns'))"""


def turns_taken(tab) -> int:
    """How many turns the Screen's longest list takes (1: everything fits at once)."""
    return tab.evaluate(f"""() => Math.max(1, ...({_TURNS})().map((t) => {{
        const where = t.querySelector('.where').textContent;
        return where ? Number(where.split(' / ')[1]) : 1; }}))""")


def cut_turns(tab) -> list[str]:
    """The lists whose turn on the Screen now is cut short (its items overflow it)."""
    return tab.evaluate(f"""() => ({_TURNS})()
        .map((t) => t.querySelector('.page'))
        .filter((p) => p.scrollHeight > p.clientHeight + 4)
        .map((p) => p.textContent.trim().slice(0, 60))""")


def next_turn(tab) -> None:
    """Every list on the Screen moves on to its next turn now, as it would by itself
    within its few seconds."""
    tab.evaluate("() => Object.values(window.__screenTurns || {})"
                 ".forEach((kept) => { kept.since = -1e9; })")
    tab.wait_for_timeout(800)


def turn_to(tab, text: str, most: int = 12) -> None:
    """Let the Screen's lists take turns until ``text`` is up."""
    shown = tab.get_by_text(text, exact=False)
    for _ in range(most):
        if any(shown.nth(i).is_visible() for i in range(shown.count())):
            return
        next_turn(tab)
    raise AssertionError(f"{text!r} never came up on the Screen")
