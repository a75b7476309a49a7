"""Follow the facilitator: one preset, the same numbers on every screen."""

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from simulators import registry
from ui.participant import Me
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"


def screen(w, p):
    at = AppTest.from_file(str(ROOT / "app_pages/reoffending.py"), default_timeout=90)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.query_params["p"] = p.id
    return at.run()


def within_a_few_seconds():
    time.sleep(2.1)  # screens read the room at most every 2 s (ui/room.py)


def jump(at):
    [button] = [b for b in at.button if b.label == "Jump to the facilitator's view"]
    return button.click().run()


def test_everyone_who_jumps_sees_the_same_numbers_and_late_joiners_too():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    preset = registry.preset("reoffending", "patrolled_past") or registry.presets(
        "reoffending")[1]
    first, second = store.join(w.code), store.join(w.code)
    a, b = screen(w, first), screen(w, second)
    b.slider(key="reoffending.label_bias").set_value(0.5).run()  # b wanders off first

    store.set_preset(w.code, "reoffending", preset.key, preset.config.to_dict())
    within_a_few_seconds()
    a.run()
    b.run()
    assert any(preset.title in i.value for i in a.info)
    jump(a)
    jump(b)
    assert not a.exception and not b.exception
    shown_a = a.session_state["reoffending.shown"]
    shown_b = b.session_state["reoffending.shown"]
    assert shown_a["config"] == preset.config.to_dict() == shown_b["config"]
    drop = {"person_shown"}  # each person's card is their own
    assert {k: v for k, v in shown_a["metrics"].items() if k not in drop} == {
        k: v for k, v in shown_b["metrics"].items() if k not in drop}
    assert any("You are on the facilitator's view" in i.value for i in a.info)

    late = screen(w, store.join(w.code))  # joins after the preset was chosen
    jump(late)
    assert late.session_state["reoffending.shown"]["config"] == preset.config.to_dict()


def test_back_to_my_own_settings_after_jumping():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    preset = registry.presets("reoffending")[-1]
    me = screen(w, store.join(w.code))
    me.slider(key="reoffending.label_bias").set_value(0.3).run()
    mine = me.session_state["reoffending.shown"]["config"]
    store.set_preset(w.code, "reoffending", preset.key, preset.config.to_dict())
    within_a_few_seconds()
    me.run()
    jump(me)
    assert me.session_state["reoffending.shown"]["config"] == preset.config.to_dict()
    [back] = [b for b in me.button if b.label == "Back to my own settings"]
    back.click().run()
    assert me.session_state["reoffending.shown"]["config"] == mine


def test_nothing_to_follow_for_visitors_or_when_the_room_is_free():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    solo = AppTest.from_file(str(ROOT / "app_pages/reoffending.py"), default_timeout=90).run()
    assert not [b for b in solo.button if b.label == "Jump to the facilitator's view"]
    joined = screen(w, store.join(w.code))
    assert not [b for b in joined.button if b.label == "Jump to the facilitator's view"]
