"""AppTest of the room: joining, one question at a time, the Console and the Screen."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages import screen_html, texts
from ui.participant import Me
from workshop.live import screen_key
from workshop.store import Store, StoreUnavailable

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"


def app():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)


def page(path: str, me: Me | None = None, **state):
    at = AppTest.from_file(str(ROOT / path), default_timeout=90)
    if me is not None:
        at.session_state["participant"] = me
        at.query_params["p"] = me.id
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.fixture
def store():
    return Store()  # DATABASE_URL points at this test's own database


@pytest.fixture
def joined(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    return w, Me(p.id, p.pseudonym, w.code, w.title)


# -- joining -----------------------------------------------------------------------


def test_joining_by_code_link_gives_a_pseudonym_on_every_page(store):
    w = store.create_workshop("Hall", PASS)
    at = app()
    at.query_params["code"] = w.code
    at.run()
    assert at.text_input[0].value == w.code
    assert any("Before you join" in m.value for m in at.markdown)
    at.button[0].click().run()  # the form's Join button
    assert not at.exception
    me = at.session_state["participant"]
    assert me.code == w.code and me.pseudonym
    assert at.query_params["p"] == me.id
    assert any(me.pseudonym in t.value for t in at.text)
    again = app()  # a reload: the address keeps ?p=
    again.query_params["p"] = me.id
    again.run()
    assert any(me.pseudonym in t.value for t in again.sidebar.text)
    assert again.sidebar.button(key="leave_workshop")


def test_the_same_device_joining_again_is_the_same_person(store):
    w = store.create_workshop("Hall", PASS)
    at = app()
    at.query_params["code"] = w.code
    at.run().button[0].click().run()
    first = at.session_state["participant"]
    at.sidebar.button(key="leave_workshop").click().run()
    at.text_input[0].set_value(w.code)
    at.button[0].click().run()
    assert at.session_state["participant"].id == first.id
    assert store.counts(w.code)["participants"] == 1


def test_unknown_code_gets_a_clear_message():
    at = app().run()
    at.text_input[0].set_value("nope12")
    at.button[0].click().run()
    assert not at.exception
    assert "no workshop with that code" in at.error[0].value
    assert "participant" not in at.session_state


def test_joined_participants_see_the_stage_and_where_to_start(store, joined):
    w, me = joined
    store.set_stage(w.code, "questions")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["p"] = me.id
    at.run()
    assert not at.exception
    links = [link.label for link in at.get("page_link")]
    assert any("Start here: Outstanding questions" in label for label in links)


# -- one question at a time ----------------------------------------------------------


def test_a_use_case_asks_the_before_question_first_and_shows_no_result(joined):
    _w, me = joined
    at = page("app_pages/evidence.py", me)
    assert not at.exception
    assert any("Before you try it" in m.value for m in at.markdown)
    assert not at.get("vega_lite_chart") and not at.get("html") and not at.metric
    assert "Step 1 of 3" in " ".join(c.value for c in at.caption)


def test_before_then_after_each_saved_with_what_was_on_screen(store, joined):
    w, me = joined
    at = page("app_pages/evidence.py", me)
    at.radio(key="reaction.evidence.before.comfort").set_value(2)
    at.text_area(key="reaction.evidence.before.comment").set_value("**bold** <script>x</script>")
    at.button[0].click().run()  # Send
    assert not at.exception
    assert at.get("html"), "the result strip appears once the first view is given"
    at.select_slider(key="evidence.dialect_strength").set_value(1.0).run()
    at.button(key="evidence.to_after").click().run()
    assert any("Now that you have tried it" in m.value for m in at.markdown)
    at.radio(key="reaction.evidence.after.comfort").set_value(4)
    at.button[0].click().run()
    df = store.reactions(w.code)
    assert list(df["stage"]) == ["before", "after"] and list(df["comfort"]) == [2, 4]
    assert list(df["config.dialect_strength"]) == [0.5, 1.0]
    assert df["metric.equalized_odds_difference"].isna().iloc[0]  # nothing seen before
    assert not df["metric.equalized_odds_difference"].isna().iloc[1]
    assert df.loc[0, "comment"] == "**bold** <script>x</script>"
    assert any("saved" in s.value for s in at.success)


def test_a_skip_is_recorded_as_a_skip_and_opens_the_next_step(store, joined):
    w, me = joined
    at = page("app_pages/evidence.py", me)
    skip = [b for b in at.button if b.label == "Skip this question"][0]
    skip.click().run()
    df = store.reactions(w.code)
    assert list(df["skipped"]) == [True] and df["comfort"].isna().all()
    assert at.get("html")
    assert store.shift(w.code).empty


def test_sending_without_a_comfort_level_says_so_and_saves_nothing(store, joined):
    w, me = joined
    at = page("app_pages/first_views.py", me)
    at.text_area[0].set_value("My long thought")
    at.button[0].click().run()
    assert "pick how comfortable" in at.error[0].value
    assert store.reactions(w.code).empty
    assert at.text_area[0].value == "My long thought"  # nothing typed is lost
    at.radio[0].set_value(3)
    at.button[0].click().run()
    assert list(store.reactions(w.code)["comment"]) == ["My long thought"]


def test_database_down_keeps_the_answer_on_disk_and_sends_it_later(store, joined,
                                                                  monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_SPOOL_DIR", str(tmp_path / "outbox"))
    from ui import outbox

    outbox.spool.cache_clear()
    w, me = joined
    at = page("app_pages/first_views.py", me)
    real_record = Store.record

    def down(self, *a, **k):
        raise StoreUnavailable("down")

    monkeypatch.setattr(Store, "record", down)
    at.radio[0].set_value(1)
    at.text_area[0].set_value("keep this")
    at.button[0].click().run()
    assert not at.exception
    assert "couldn't save" in at.warning[0].value
    assert store.reactions(w.code).empty
    assert list((tmp_path / "outbox").glob("*.jsonl"))  # kept on disk, not in memory

    monkeypatch.setattr(Store, "record", real_record)
    outbox.spool.cache_clear()  # as a restarted process would
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    again.query_params["p"] = me.id
    again.run()  # any page of a new session sends it
    df = store.reactions(w.code)
    assert len(df) == 1 and df.loc[0, "comment"] == "keep this"
    outbox.spool.cache_clear()


def test_paused_answers_wait_and_go_when_answers_open(store, joined, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_SPOOL_DIR", str(tmp_path / "outbox"))
    from ui import outbox

    outbox.spool.cache_clear()
    w, me = joined
    store.lock(w.code)
    at = page("app_pages/first_views.py", me)
    at.radio[0].set_value(5)
    at.button[0].click().run()
    assert "paused" in at.warning[0].value
    assert store.reactions(w.code).empty
    store.lock(w.code, False)
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    again.query_params["p"] = me.id
    again.run()
    assert list(store.reactions(w.code)["comfort"]) == [5]
    outbox.spool.cache_clear()


def test_open_questions_take_a_short_answer_each(store, joined):
    w, me = joined
    at = page("app_pages/questions.py", me)
    assert len(at.get("form")) == 5
    at.radio(key="question.pace.choice").set_value("too_fast")
    at.text_input(key="question.pace.note").set_value("slow down")
    [send] = [b for b in at.button if "pace" in str(b.form_id)]
    send.click().run()
    answers = store.answers(w.code)
    assert list(answers["question"]) == ["pace"] and list(answers["choice"]) == ["too_fast"]


# -- the Console ---------------------------------------------------------------------


def console():
    at = app().run()
    at.switch_page("app_pages/console.py").run()
    return at


def create(at, title="Community hall", phrase=PASS):
    at.text_input[2].set_value(title)
    at.text_input[3].set_value(phrase)
    at.text_input[4].set_value(phrase)
    at.button[1].click().run()
    # The recovery code, shown once, until the facilitator says it is written down.
    [written] = [b for b in at.button if b.label.startswith("I have written it down")]
    written.click().run()
    return at.session_state["facilitator.code"]


def test_the_console_shows_nothing_without_the_passphrase(store, joined):
    w, me = joined
    from tests.test_store import reaction

    store.record(**reaction(me.id, comment="secret view"))
    at = console()
    assert not at.exception
    at.text_input[0].set_value(w.code)
    at.text_input[1].set_value("wrong passphrase here")
    at.button[0].click().run()
    assert "don't match" in at.error[0].value
    assert "secret view" not in texts(at) + " ".join(t.value for t in at.text)
    assert not at.get("download_button")


def test_a_weak_passphrase_is_refused_with_a_reason():
    at = console()
    at.text_input[2].set_value("Hall")
    at.text_input[3].set_value("password1234")
    at.text_input[4].set_value("password1234")
    at.button[1].click().run()
    assert at.error and "facilitator.code" not in at.session_state


def test_comments_wait_for_the_facilitator_and_show_as_plain_text(store):
    at = console()
    code = create(at)
    p = store.join(code)
    from tests.test_store import reaction

    store.record(**reaction(p.id, comment="<b>hi</b> [link](http://x)"))
    at.run()
    assert any(t.value == "<b>hi</b> [link](http://x)" for t in at.text)
    assert not any("[link](http://x)" in m.value for m in at.markdown)
    assert store.comments(code, "pending").shape[0] == 1
    approve = [b for b in at.button if b.label == "Approve"][0]
    approve.click().run()
    assert list(store.comments(code, "approved")["comment"]) == ["<b>hi</b> [link](http://x)"]


def test_the_console_leads_the_room(store):
    at = console()
    code = create(at)
    at.segmented_control(key="facilitator.stage").set_value("advice").run()
    assert store.room(code)["stage"] == "advice"
    at.button(key="facilitator.timer").click().run()
    assert store.room(code)["timer_seconds"] == 600
    at.toggle(key="facilitator.locked").set_value(True).run()
    assert store.room(code)["locked"]
    from simulators import registry

    preset = registry.presets("reoffending")[1]
    at.radio(key="facilitator.preset.reoffending").set_value(preset.key).run()
    at.button(key="facilitator.apply.reoffending").click().run()
    room = store.room(code)
    assert (room["use_case"], room["preset_key"]) == ("reoffending", preset.key)
    assert room["config"] == preset.config.to_dict()


def test_a_console_left_open_elsewhere_never_puts_the_room_back(store):
    """Another device moves the stage and pauses answers; this Console, rerun by any
    button, shows the room as it now is and changes nothing."""
    at = console()
    code = create(at)
    store.set_stage(code, "questions")
    store.lock(code, True)
    at.button(key="facilitator.timer").click().run()
    room = store.room(code)
    assert (room["stage"], room["locked"]) == ("questions", True)
    assert at.segmented_control(key="facilitator.stage").value == "questions"
    assert at.toggle(key="facilitator.locked").value is True
    at.toggle(key="facilitator.locked").set_value(False).run()
    assert store.room(code)["locked"] is False


# -- the Screen ----------------------------------------------------------------------


def screen(code: str, key: str | None):
    at = AppTest.from_file(str(ROOT / "app_pages/screen.py"), default_timeout=90)
    at.query_params["code"] = code
    if key is not None:
        at.query_params["key"] = key
    return at.run()


def test_the_screen_needs_its_key_and_shows_only_approved_comments(store, joined):
    w, me = joined
    assert "Open it from the facilitator's Console" in texts(screen(w.code, None))
    assert "Open it from" in texts(screen(w.code, "0" * 16))
    key = screen_key(w.code, store.workshop(w.code).passphrase_hash)
    at = screen(w.code, key)
    assert not at.exception
    assert "data:image/png;base64," in screen_html(at)  # the QR code, in the page itself
    assert w.code in " ".join(h.proto.body for h in at.get("html"))
    from tests.test_store import reaction

    store.record(**reaction(me.id, stage="before", comment="pending words"))
    store.set_stage(w.code, "use_cases")
    store.set_preset(w.code, "call_triage", None, None)
    assert "pending words" not in screen_html(screen(w.code, key))
    [rid] = store.comments(w.code, "pending")["reaction_id"]
    store.moderate(w.code, int(rid), "approved")
    assert "pending words" in screen_html(screen(w.code, key))
    assert not screen(w.code, key).get("download_button") and not screen(w.code, key).button
