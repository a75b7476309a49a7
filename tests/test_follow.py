"""Follow the facilitator: one scenario, the same numbers on every screen."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from simulators import registry
from ui.participant import Me
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"
USE_CASE = "evidence"


def screen(w, p):
    """A participant's page, past the first question (as after answering it)."""
    at = AppTest.from_file(str(ROOT / registry.get(USE_CASE).page), default_timeout=90)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.session_state[f"step.{USE_CASE}"] = "try"
    at.query_params["p"] = p.id
    return at.run()


def jump(at):
    [button] = [b for b in at.button if b.label == "Jump to the facilitator's view"]
    return button.click().run()


def shown(at):
    return at.session_state[f"{USE_CASE}.shown"]


def test_everyone_who_jumps_sees_the_same_numbers_and_late_joiners_too():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    preset = registry.presets(USE_CASE)[1]
    first, second = store.join(w.code), store.join(w.code)
    a, b = screen(w, first), screen(w, second)
    b.select_slider(key=f"{USE_CASE}.summary_ratio").set_value(0.5).run()  # b wanders off

    store.set_preset(w.code, USE_CASE, preset.key, preset.config.to_dict())
    a.run()  # the room's banner asks for this rerun when the room changes
    b.run()
    assert any(preset.title in i.value for i in a.info)
    jump(a)
    jump(b)
    assert not a.exception and not b.exception
    assert shown(a)["config"] == preset.config.to_dict() == shown(b)["config"]
    assert shown(a)["metrics"] == shown(b)["metrics"]
    assert any("You are on the facilitator's view" in i.value for i in a.info)

    late = screen(w, store.join(w.code))  # joins after the scenario was chosen
    jump(late)
    assert shown(late)["config"] == preset.config.to_dict()


def test_back_to_my_own_settings_after_jumping():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    preset = registry.presets(USE_CASE)[-1]
    me = screen(w, store.join(w.code))
    me.select_slider(key=f"{USE_CASE}.summary_ratio").set_value(0.2).run()
    mine = shown(me)["config"]
    store.set_preset(w.code, USE_CASE, preset.key, preset.config.to_dict())
    me.run()
    jump(me)
    assert shown(me)["config"] == preset.config.to_dict()
    [back] = [b for b in me.button if b.label == "Back to my own settings"]
    back.click().run()
    assert shown(me)["config"] == mine


def test_nothing_to_follow_for_visitors_or_when_the_room_is_free():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    solo = AppTest.from_file(str(ROOT / registry.get(USE_CASE).page), default_timeout=90).run()
    assert not [b for b in solo.button if b.label == "Jump to the facilitator's view"]
    joined = screen(w, store.join(w.code))
    assert not [b for b in joined.button if b.label == "Jump to the facilitator's view"]
