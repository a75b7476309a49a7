"""AppTest of the reoffending-risk page: group view beside one person's card."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages/reoffending.py")
KEY = "reoffending"


def shown(at) -> dict:
    return at.session_state[f"{KEY}.shown"]


def text_of(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.info, *at.warning, *at.success, *at.error)]
    return "\n".join(parts)


@pytest.fixture
def page():
    """The page with a smaller town, so each rerun stays quick."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[f"{KEY}.n_people"] = 800
    return at.run()


def test_page_renders_the_group_view_and_a_person(page):
    at = page
    assert not at.exception
    assert "Reoffending risk" in at.title[0].value
    text = text_of(at)
    assert "Of every 100 people that did not reoffend, the AI labelled high risk" in text
    assert "Half of group B score" in text  # the histogram's reading
    assert "arrested again" in text  # the records chart's reading
    assert "Person " in text and " of 800" in text
    assert "What the AI could not see" in text
    assert [m.label for m in at.metric][-1] == "Risk score"
    assert len(at.get("vega_lite_chart")) == 3  # panel, histogram, records
    rec = shown(at)
    assert rec["config"]["n_people"] == 800 and rec["config"]["mitigation"] == "none"
    assert "equalized_odds_difference" in rec["metrics"]
    assert 1 <= rec["metrics"]["person_shown"] <= 800


def test_patrol_bias_slider_changes_the_numbers_shown(page):
    at = page
    before = shown(at)["metrics"]
    at.slider(key=f"{KEY}.historic_patrol_bias").set_value(0.8).run()
    at.slider(key=f"{KEY}.label_bias").set_value(0.6).run()
    assert not at.exception
    after = shown(at)["metrics"]
    assert after["false_positive_rate[B]"] > before["false_positive_rate[B]"] + 0.1
    assert after["equalized_odds_difference"] > before["equalized_odds_difference"] + 0.1
    assert shown(at)["config"]["historic_patrol_bias"] == 0.8


def test_the_fix_lowers_the_gap_and_says_what_it_costs(page):
    at = page
    at.slider(key=f"{KEY}.historic_patrol_bias").set_value(0.8).run()
    at.slider(key=f"{KEY}.label_bias").set_value(0.6).run()
    biased = shown(at)["metrics"]["equalized_odds_difference"]
    at.radio(key=f"{KEY}.mitigation").set_value("threshold_optimizer").run()
    assert not at.exception
    fixed = shown(at)["metrics"]
    assert fixed["equalized_odds_difference"] < biased
    assert fixed["selection_rate"] > 0.15
    text = text_of(at)
    assert "How this fix works" in text and "each person's group" in text
    assert "cut-off for each group" in text  # the card speaks of group cut-offs


def test_a_preset_puts_the_page_on_its_settings():
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.pills(key=f"{KEY}.preset").set_value("arrest_not_crime").run()
    assert not at.exception
    cfg = shown(at)["config"]
    assert cfg["historic_patrol_bias"] == 0.7 and cfg["label_bias"] == 0.6
    assert any("feed each other" in i.value for i in at.info)


def test_picking_a_kind_of_person_shows_one(page):
    at = page
    at.slider(key=f"{KEY}.historic_patrol_bias").set_value(0.8).run()
    at.selectbox(key=f"{KEY}.pick_kind").set_value("false_alarm").run()
    at.radio(key=f"{KEY}.pick_group").set_value("B").run()
    assert not at.exception
    assert "group B" in text_of(at)
    assert any("false alarm" in w.value for w in at.warning)
    first = shown(at)["metrics"]["person_shown"]
    at.button(key=f"{KEY}.next").click().run()
    second = shown(at)["metrics"]["person_shown"]
    assert second != first
    assert any("false alarm" in w.value for w in at.warning)
    at.selectbox(key=f"{KEY}.pick_kind").set_value("missed").run()
    assert any(w.value.startswith("Missed") for w in at.warning)


def test_typed_person_numbers_that_cannot_be_used_get_a_message(page):
    at = page
    for typed in ["abc", "-5", "0", "99999", "3.5", "<b>7", "**7**", "1e3"]:
        at.text_input(key=f"{KEY}.person_number").input(typed).run()
        assert not at.exception, typed
        assert any("Type a whole number from 1 to 800" in w.value for w in at.warning), typed
        assert "<b>" not in text_of(at) and "**7" not in text_of(at)  # never echoed


def test_a_typed_number_shows_that_person(page):
    at = page
    at.text_input(key=f"{KEY}.person_number").input(" 7 ").run()
    assert not at.exception
    assert "Person 7 of 800" in text_of(at)
    assert shown(at)["metrics"]["person_shown"] == 7
    at.text_input(key=f"{KEY}.person_number").input("").run()
    assert not at.warning or all("whole number" not in w.value for w in at.warning)


def test_a_tiny_town_with_a_fix_gives_a_message_not_a_traceback():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[f"{KEY}.n_people"] = 200
    at.session_state[f"{KEY}.group_b_share"] = 0.1
    at.session_state[f"{KEY}.mitigation"] = "threshold_optimizer"
    at.run()
    assert not at.exception
    assert shown(at)["config"]["n_people"] == 200


def test_the_retrain_fix_renders_and_says_it_decides_by_chance(page):
    at = page
    at.slider(key=f"{KEY}.historic_patrol_bias").set_value(0.8).run()
    at.radio(key=f"{KEY}.mitigation").set_value("exponentiated_gradient").run()
    assert not at.exception
    text = text_of(at)
    assert "mix of AIs" in text and "does not use this score" in text
    assert shown(at)["config"]["mitigation"] == "exponentiated_gradient"
