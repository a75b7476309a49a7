"""AppTest of joining, the reaction box and the facilitator page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop.store import Store, StoreUnavailable

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"


def app():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.fixture
def store():
    return Store()  # DATABASE_URL points at this test's own database


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
    # Every page (a fresh load of the app, as after a reload) shows who you are.
    again = app()
    again.query_params["p"] = me.id
    again.run()
    assert any(me.pseudonym in t.value for t in again.sidebar.text)
    assert again.sidebar.button(key="leave_workshop")


def test_unknown_code_gets_a_clear_message():
    at = app().run()
    at.text_input[0].set_value("nope12")
    at.button[0].click().run()
    assert not at.exception
    assert "no workshop with that code" in at.error[0].value
    assert "participant" not in at.session_state


def test_reload_with_participant_id_restores_the_same_person(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    at = app()
    at.query_params["p"] = p.id
    at.run()
    assert at.session_state["participant"].pseudonym == p.pseudonym


def _box_app():
    import streamlit as st

    from ui.reaction_box import reaction_box

    st.session_state.setdefault("shown_bias", 0.4)
    reaction_box(
        "call_triage",
        {"label_bias": st.session_state["shown_bias"], "seed": 1},
        {"equalized_odds_difference": 0.3},
    )


def _joined_box(store):
    from ui.participant import Me

    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    at = AppTest.from_function(_box_app, default_timeout=30)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.query_params["p"] = p.id
    return w, at.run()


def test_box_asks_visitors_to_join_first():
    at = AppTest.from_function(_box_app, default_timeout=30).run()
    assert any("Join the workshop" in i.value for i in at.info)
    assert not at.radio


def test_before_then_after_each_saved_with_the_settings_on_screen(store):
    w, at = _joined_box(store)
    assert any("Before you try it" in m.value for m in at.markdown)
    at.radio[0].set_value(2)
    at.text_area[0].set_value("**bold** <script>alert(1)</script>")
    at.button[0].click().run()
    assert not at.exception
    assert any("Now that you have tried it" in m.value for m in at.markdown)
    assert any("saved" in s.value for s in at.success)
    at.session_state["shown_bias"] = 0.0
    at.run()  # the settings change, and the page shows them
    at.radio[0].set_value(4)
    at.button[0].click().run()
    df = store.reactions(w.code)
    assert list(df["stage"]) == ["before", "after"]
    assert list(df["comfort"]) == [2, 4]
    assert list(df["config.label_bias"]) == [0.4, 0.0]
    assert df.loc[0, "comment"] == "**bold** <script>alert(1)</script>"
    assert df.loc[0, "metric.equalized_odds_difference"] == 0.3


def test_sending_without_a_comfort_level_says_so_and_saves_nothing(store):
    w, at = _joined_box(store)
    at.text_area[0].set_value("My long thought")
    at.button[0].click().run()
    assert "pick how comfortable" in at.error[0].value
    assert store.reactions(w.code).empty
    assert at.text_area[0].value == "My long thought"  # nothing typed is lost
    at.radio[0].set_value(3)
    at.button[0].click().run()
    assert list(store.reactions(w.code)["comment"]) == ["My long thought"]
    assert at.text_area[0].value == "" and at.radio[0].value is None  # ready for the next


def test_database_down_keeps_the_answer_and_sends_it_later(store, monkeypatch):
    w, at = _joined_box(store)
    real_record = Store.record

    def down(self, *a, **k):
        raise StoreUnavailable("down")

    monkeypatch.setattr(Store, "record", down)
    at.radio[0].set_value(1)
    at.text_area[0].set_value("keep this")
    at.button[0].click().run()
    assert not at.exception
    assert "couldn't save" in at.warning[0].value
    assert len(at.session_state["outbox.pending"]) == 1
    assert store.reactions(w.code).empty

    monkeypatch.setattr(Store, "record", real_record)
    at.run()  # any next interaction sends it
    df = store.reactions(w.code)
    assert len(df) == 1 and df.loc[0, "comment"] == "keep this"
    assert at.session_state["outbox.pending"] == []


def _facilitator(store=None):
    at = app().run()
    at.switch_page("app_pages/console.py").run()
    return at


def test_facilitator_page_shows_nothing_without_the_passphrase(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    from tests.test_store import reaction

    store.record(**reaction(p.id, comment="secret view"))
    at = _facilitator()
    assert not at.exception
    login_code, login_pass = at.text_input[0], at.text_input[1]
    login_code.set_value(w.code)
    login_pass.set_value("wrong passphrase")
    at.button[0].click().run()
    assert "don't match" in at.error[0].value
    everything = " ".join(str(e.value) for e in [*at.text, *at.markdown, *at.caption])
    assert "secret view" not in everything
    assert not at.get("download_button")


def test_facilitator_creates_a_workshop_and_sees_answers_as_plain_text(store):
    at = _facilitator()
    at.text_input[2].set_value("Community hall")
    at.text_input[3].set_value(PASS)
    at.text_input[4].set_value(PASS)
    at.button[1].click().run()
    assert not at.exception
    code = at.session_state["facilitator.code"]
    assert any(code in m.value for m in at.markdown)
    assert any(f"?code={code}" in c.value for c in at.code)
    p = store.join(code)
    from tests.test_store import reaction

    store.record(**reaction(p.id, comment="<b>hi</b> [link](http://x)"))
    at.run()
    assert any(t.value == "<b>hi</b> [link](http://x)" for t in at.text)
    assert not any("[link](http://x)" in m.value for m in at.markdown)
    hide = [b for b in at.button if b.label == "Hide"][0]
    hide.click().run()
    assert store.reactions(code).loc[0, "hidden"]


def test_facilitator_moves_the_room_and_puts_everyone_on_a_scenario(store):
    at = _facilitator()
    at.text_input[2].set_value("Community hall")
    at.text_input[3].set_value(PASS)
    at.text_input[4].set_value(PASS)
    at.button[1].click().run()
    code = at.session_state["facilitator.code"]
    at.segmented_control(key="facilitator.stage").set_value("advice").run()
    assert store.room(code)["stage"] == "advice"
    from simulators import registry

    preset = registry.presets("reoffending")[1]
    at.radio(key="facilitator.preset.reoffending").set_value(preset.key).run()
    assert any(preset.script in m.value for m in at.markdown)
    at.button(key="facilitator.apply.reoffending").click().run()
    room = store.room(code)
    assert (room["use_case"], room["preset_key"]) == ("reoffending", preset.key)
    assert room["config"] == preset.config.to_dict()
    assert at.button(key="facilitator.apply.reoffending").disabled
