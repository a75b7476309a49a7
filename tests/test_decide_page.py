"""Decide first on the phone, the Console's switch and the Screen's slide, with AppTest:
a joined participant goes before question -> 8 cases of their own -> the AI on the
same cases -> sliders -> after question, and nothing they decide is lost."""

import html

import pytest
from streamlit.testing.v1 import AppTest

from simulators import decide, registry
from tests.pages import ROOT, captions, screen_html, texts
from ui.participant import Me
from workshop.errors import StoreUnavailable
from workshop.live import screen_key
from workshop.store import Store

PASS = "a long workshop passphrase"
CALLS, RISK, EVIDENCE = "call_triage", "reoffending", "evidence"


def page_of(use_case: str) -> str:
    return str(ROOT / registry.get(use_case).page)


def joined(store: Store, use_case: str, code: str | None = None, lang: str | None = None
           ) -> tuple[str, Me, AppTest]:
    if code is None:
        code = store.create_workshop("Hall", PASS).code
    p = store.join(code)
    me = Me(p.id, p.pseudonym, code, "Hall")
    return code, me, open_page(use_case, me, lang)


def open_page(use_case: str, me: Me, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(page_of(use_case), default_timeout=120)
    at.session_state["participant"] = me
    at.query_params["p"] = me.id
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def answer_before(at: AppTest, use_case: str) -> AppTest:
    at.radio(key=f"reaction.{use_case}.before.comfort").set_value(3)
    [send] = [b for b in at.button if b.label in ("Send my answer", "Anfon fy ateb")]
    return send.click().run()


def html_text(at: AppTest) -> str:
    return html.unescape(" ".join(h.proto.body for h in at.get("html")))


def decide_all(at: AppTest, use_case: str, choose=lambda i: i % 2) -> AppTest:
    for i in range(8):
        yes = [b for b in at.button if b.key and b.key.startswith(f"decide.{use_case}.yes.")]
        no = [b for b in at.button if b.key and b.key.startswith(f"decide.{use_case}.no.")]
        assert len(yes) == len(no) == 1, f"one case at a time (case {i + 1})"
        (yes if choose(i) else no)[0].click().run()
        assert not at.exception
    return at


@pytest.fixture
def store():
    s = Store()
    yield s
    s.engine.dispose()


def test_a_call_handler_decides_8_calls_then_sees_the_ai_on_the_same_calls(store):
    code, me, at = joined(store, CALLS)
    at = answer_before(at, CALLS)
    assert "Step 2 of 4: You decide" in captions(at)
    assert any("You be the call handler" in h.value for h in at.subheader)
    assert not at.get("vega_lite_chart") and not at.get("select_slider")  # no AI yet
    assert "Call 1 of 8" in at.get("progress")[0].proto.text
    dealt = decide.cases(CALLS, None, draw=0)
    assert str(dealt["shown"].iloc[0]) in html_text(at)  # the caller's own words
    at = decide_all(at, CALLS)
    df = store.decisions(code, CALLS)
    assert sorted(df["case_id"]) == sorted(dealt["case_id"])
    assert df["person"].sum() == 4 and set(df["draw"]) == {0}
    assert df["seconds"].notna().all() and (df["seconds"] >= 0).all()
    # Their 8, with what each truly needed, and the room against the AI.
    shown = html_text(at)
    assert "Truly needed" in shown and "The AI, same cases" in shown
    right = int((df["person"] == df["truth"]).sum())
    assert f"You decided **{right} of 8** right" in texts(at)
    assert "People who decided: 1." in captions(at)
    at.button(key=f"decide.{CALLS}.to_try").click().run()
    assert "Step 3 of 4: Try it" in captions(at)
    assert at.get("select_slider")  # the sliders
    at.button(key=f"{CALLS}.to_after").click().run()
    assert "Step 4 of 4" in captions(at)
    # Back on another day (a new session): their decisions are kept, so they try it.
    again = open_page(CALLS, me)
    assert "Step 3 of 4: Try it" in captions(again)
    assert len(store.decisions(code, CALLS)) == 8


def test_people_take_turns_at_the_draws_and_decide_under_the_rooms_scenario(store):
    code = store.create_workshop("Hall", PASS).code
    preset = registry.preset(CALLS, "biased_history")
    store.set_preset(code, CALLS, preset.key, preset.config.to_dict())
    ids = []
    for _ in range(2):
        _code, _me, at = joined(store, CALLS, code)
        decide_all(answer_before(at, CALLS), CALLS, choose=lambda i: 1)
    df = store.decisions(code, CALLS)
    ids = df.groupby("participant_id", sort=False)["case_id"].apply(set).tolist()
    assert len(ids) == 2 and not ids[0] & ids[1]  # a different draw each
    assert sorted(set(df["draw"])) == [0, 1]
    assert df["config"].iloc[0]["label_bias"] == preset.config.label_bias
    expected = decide.cases(CALLS, preset.config, draw=1).set_index("case_id")["ai"]
    mine = df[df["draw"] == 1].set_index("case_id")["ai"]
    assert mine.to_dict() == expected.loc[mine.index].to_dict()


def test_a_custody_officer_reads_the_records_the_ai_reads(store):
    code, _me, at = joined(store, RISK)
    at = answer_before(at, RISK)
    card = html_text(at)
    first = decide.cases(RISK, None, draw=0).iloc[0]
    assert "Arrests on record" in card and f"<dd>{first['arrests']}</dd>" in " ".join(
        h.proto.body for h in at.get("html"))
    at = decide_all(at, RISK)
    assert "Two years on" in html_text(at)
    r = store.decisions(code, RISK)
    assert len(r) == 8 and set(r["group"]) == {"A", "B"}


def test_the_facilitator_can_switch_deciding_first_off(store):
    code, _me, at = joined(store, CALLS)
    store.set_decide_first(code, CALLS, False)
    at = answer_before(at, CALLS)
    assert "Step 2 of 3: Try it" in captions(at)
    assert store.decisions(code).empty


def test_decisions_wait_on_disk_when_the_database_is_down(store, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_SPOOL_DIR", str(tmp_path / "outbox"))
    from ui import outbox

    outbox.spool.cache_clear()
    code, me, at = joined(store, CALLS)
    at = answer_before(at, CALLS)
    real = Store.record_decisions

    def down(self, *a, **k):
        raise StoreUnavailable("down")

    monkeypatch.setattr(Store, "record_decisions", down)
    at = decide_all(at, CALLS)
    assert any("couldn't save" in w.value for w in at.warning)
    assert store.decisions(code).empty and list((tmp_path / "outbox").glob("*.jsonl"))
    assert "Truly needed" in html_text(at)  # they still see their 8 against the AI
    monkeypatch.setattr(Store, "record_decisions", real)
    outbox.spool.cache_clear()
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    again.query_params["p"] = me.id
    again.run()
    assert len(store.decisions(code)) == 8
    outbox.spool.cache_clear()


def test_deciding_in_welsh(store):
    _code, _me, at = joined(store, RISK, lang="cy")
    at.button[1].click().run()  # skip the before question, in Welsh
    assert not at.exception
    heading = " ".join(h.value for h in at.subheader)
    assert "custody officer" not in heading and heading.strip()
    assert "Arrests on record" not in html_text(at)


def test_the_console_switch_is_kept_in_the_database(store):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("app_pages/console.py").run()
    at.text_input[2].set_value("Community hall")
    at.text_input[3].set_value(PASS)
    at.text_input[4].set_value(PASS)
    at.button[1].click().run()
    [written] = [b for b in at.button if b.label.startswith("I have written it down")]
    written.click().run()
    code = at.session_state["facilitator.code"]
    switch = at.toggle(key=f"facilitator.decide.{CALLS}")
    assert switch.value is True
    switch.set_value(False).run()
    assert not at.exception
    assert store.decide_first(code) == {CALLS: False, RISK: True}
    assert at.toggle(key=f"facilitator.decide.{CALLS}").value is False


def test_the_screen_shows_the_room_against_the_ai(store):
    code = store.create_workshop("Hall", PASS).code
    for draw in range(3):
        p = store.join(code)
        dealt = decide.cases(CALLS, None, draw=draw)
        store.record_decisions(p.id, CALLS, dict.fromkeys(dealt["case_id"], 1),
                               f"client-{draw:04d}", draw=draw)
    store.set_stage(code, "use_cases")
    store.set_preset(code, CALLS, None, None)
    at = AppTest.from_file(str(ROOT / "app_pages/screen.py"), default_timeout=90)
    at.query_params["code"] = code
    at.query_params["key"] = screen_key(code, store.workshop(code).passphrase_hash)
    at.run()
    assert not at.exception
    shown = html.unescape(screen_html(at))
    assert "The room against the AI" in shown
    # Everyone fast-tracked every call: half right, and no urgent call left to wait.
    assert "12 of 24" in shown and "0 of 6" in shown
    assert "People who decided: 3." in shown
    assert p.id not in shown and p.pseudonym not in shown


def test_the_closing_slide_says_how_many_the_room_and_the_ai_got_right(store):
    from workshop import analysis

    code = store.create_workshop("Hall", PASS).code
    for draw in range(2):
        p = store.join(code)
        dealt = decide.cases(CALLS, None, draw=draw)
        store.record_decisions(p.id, CALLS, dict(zip(dealt["case_id"], dealt["truth"],
                                                     strict=True)),
                               f"client-{draw:04d}", draw=draw)  # every one right
    store.close_workshop(code)
    at = AppTest.from_file(str(ROOT / "app_pages/screen.py"), default_timeout=90)
    at.query_params["code"] = code
    at.query_params["key"] = screen_key(code, store.workshop(code).passphrase_hash)
    at.run()
    assert not at.exception
    ai = analysis.people_vs_ai(store.decisions(code, CALLS))["ai"]["right"]
    assert (f"The room decided 16 of 16 right; the AI, {ai} of the same 16."
            in html.unescape(screen_html(at)))


def test_the_officers_check_of_a_summary_is_kept_beside_the_summary_alone(store, monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")
    code = store.create_workshop("Hall", PASS).code
    store.set_stage(code, "use_cases")
    p = store.join(code)
    me = Me(p.id, p.pseudonym, code, "Hall")
    store.record(me.id, EVIDENCE, "before", None, [], "", {}, {}, "client-before")
    at = open_page(EVIDENCE, me)
    ticks = [c for c in at.checkbox if c.key and c.key.startswith(f"{EVIDENCE}.tick.")
             and "Witness" in c.label]
    assert ticks
    ticks[0].check().run()
    at.button(key=f"{EVIDENCE}.reveal").click().run()
    assert not at.exception
    df = store.decisions(code, EVIDENCE)
    assert not df.empty and set(df["group"]) <= {"A", "B"}
    assert (df["person"] >= df["ai"]).all()  # what the summary kept, plus the ticks
    assert int((df["person"] > df["ai"]).sum()) == 1
    assert "Summary checked by the room" in html_text(at)
