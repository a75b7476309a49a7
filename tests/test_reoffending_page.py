"""AppTest of the reoffending-risk page: the strip first, then the settings, then the
folded panels (a person's card, people without AI, a fix and its cost); a joined
participant answers the before question before seeing any result."""

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from simulators import registry
from simulators.reoffending import PRESETS, RiskConfig, simulate
from tests.pages import ROOT, captions, page_runner, strip, texts
from ui import cache
from ui import reoffending_claims as says
from ui.participant import Me
from workshop.i18n import translator
from workshop.store import Store

PAGE = "app_pages/reoffending.py"
KEY = "reoffending"
PASS = "a long workshop passphrase"
_page = page_runner(PAGE, timeout=90)
PANELS = ["Risk scores in each group", "What the AI learned from",
          "One person's card: why this score?", "People without AI", "Try a fix",
          "What this does to each group", "📚 Why this matters"]


def small(**state) -> AppTest:
    """The page with a smaller town, so each rerun stays quick."""
    return _page(**{f"{KEY}.n_people": 800, **state})


def shown(at: AppTest) -> dict:
    return at.session_state[f"{KEY}.shown"]


def boxes(at: AppTest) -> str:
    return " ".join(e.value for e in (*at.info, *at.warning, *at.success, *at.error))


def everything(at: AppTest) -> str:
    return " ".join((texts(at), captions(at), boxes(at)))


def headline(at: AppTest) -> str:
    return re.search(r'<p class="strip-sentence">(.*?)</p>', strip(at)).group(1)


@pytest.fixture
def open_panels(monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")


# --- A visitor, and a participant who has joined ---------------------------------------


def test_a_visitor_sees_the_strip_then_settings_then_folded_panels():
    at = small()
    assert not at.exception
    assert "Reoffending risk" in at.title[0].value
    assert "HART" in texts(at)  # the story
    assert "Of every 100 people who did not reoffend, the AI labelled" in headline(at)
    assert [e.label for e in at.expander if e.label in PANELS] == PANELS
    assert not at.get("vega_lite_chart")  # folded panels are drawn only when opened
    assert at.select_slider(key=f"{KEY}.historic_patrol_bias").value == 0.0
    rec = shown(at)
    assert rec["config"] == RiskConfig(n_people=800).to_dict()
    assert "equalized_odds_difference" in rec["metrics"] and rec["metrics"]["coin_toss_share"] == 0


def test_sliders_speak_in_people(open_panels):
    at = small()
    patrol = at.select_slider(key=f"{KEY}.historic_patrol_bias")
    assert "0 in 100 of group B" in patrol.options and "100 in 100 of group B" in patrol.options
    assert "a score of 25 or more" in at.select_slider(key=f"{KEY}.threshold").options


def _joined() -> AppTest:
    store = Store()
    w = store.create_workshop("Library", PASS)
    p = store.join(w.code)
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=90)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.session_state[f"{KEY}.n_people"] = 800
    at.query_params["p"] = p.id
    return at.run()


def _no_result(at: AppTest) -> bool:
    return not strip(at) and not at.get("vega_lite_chart") and not at.metric


def test_a_joined_participant_answers_first_and_sees_no_result_until_then():
    at = _joined()
    assert not at.exception
    assert "Step 1 of 4" in captions(at)
    assert "Before you try it" in texts(at)
    assert "HART" in texts(at)  # the story is there
    assert _no_result(at)
    at.radio(key=f"reaction.{KEY}.before.comfort").set_value(3)
    [send] = [b for b in at.button if b.label == "Send my answer"]
    send.click().run()
    assert not at.exception
    # Step 2: they judge cases themselves first (tests/test_decide_page.py), no result yet.
    assert "Step 2 of 4" in captions(at)
    assert any("You be the custody officer" in h.value for h in at.subheader)
    assert _no_result(at)
    at.button(key=f"decide.{KEY}.skip").click().run()
    assert not at.exception
    assert "Step 3 of 4" in captions(at)
    assert "the AI labelled" in headline(at)


def test_skipping_the_before_question_opens_step_two_too():
    # Only the step is checked: how a skip is stored belongs to the store's own tests.
    at = _joined()
    assert _no_result(at)
    [skip] = [b for b in at.button if b.label == "Skip this question"]
    skip.click().run()
    assert not at.exception
    assert _no_result(at) and "Step 2 of 4" in captions(at)
    at.button(key=f"decide.{KEY}.skip").click().run()
    assert strip(at)


# --- Settings and scenarios --------------------------------------------------------------


def test_moving_a_bias_slider_changes_the_strip():
    at = small()
    before, text = shown(at)["metrics"], strip(at)
    at.select_slider(key=f"{KEY}.historic_patrol_bias").set_value(0.8).run()
    at.select_slider(key=f"{KEY}.label_bias").set_value(0.6).run()
    assert not at.exception
    after = shown(at)["metrics"]
    assert after["false_positive_rate[B]"] > before["false_positive_rate[B]"] + 0.1
    assert after["equalized_odds_difference"] > before["equalized_odds_difference"] + 0.1
    assert strip(at) != text
    assert shown(at)["config"]["historic_patrol_bias"] == 0.8


@pytest.mark.parametrize("preset", PRESETS[1:], ids=lambda p: p.key)
def test_a_preset_puts_its_settings_and_script_on_screen(preset):
    at = _page()
    at.button_group(key=f"{KEY}.preset").set_value(preset.key).run()
    assert not at.exception
    assert shown(at)["config"] == preset.config.to_dict()
    assert preset.script in [i.value for i in at.info]


@pytest.mark.parametrize("key, value", [
    (f"{KEY}.n_people", 50000), (f"{KEY}.decided_by", "robot"),
    (f"{KEY}.people_bias", "lots"), (f"{KEY}.mitigation", "magic"),
])
def test_impossible_stored_settings_give_a_message_not_a_traceback(key, value):
    at = small(**{key: value})
    assert not at.exception
    assert any("put back to normal" in w.value for w in at.warning)
    assert strip(at)


def test_a_tiny_town_with_a_fix_gives_a_message_not_a_traceback():
    at = _page(**{f"{KEY}.n_people": 200, f"{KEY}.group_b_share": 0.1,
                  f"{KEY}.mitigation": "threshold_optimizer"})
    assert not at.exception
    assert shown(at)["config"]["n_people"] == 200
    assert strip(at)


# --- The panels --------------------------------------------------------------------------


def test_every_panel_draws_its_chart_and_cites_its_sources(open_panels):
    at = small()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4  # scores, records, people, groups
    text = everything(at)
    assert "Half of group B score" in text and "dashed line" in text
    assert "were arrested again, though" in text
    assert "Judged by what really happened" in text
    assert "Person " in text and " of 800" in text and "What the AI could not see" in text
    assert "No fix is on" in text
    assert "the offender managers wrongly labelled" in text
    for source in ("HART", "Checkpoint", "postcode", "ProPublica", "Broward County",
                   "Chouldechova (2017)", "Dressel and Farid (2018)", "our analogy"):
        assert source in text, source
    assert [m.label for m in at.metric][-4] == "Risk score"
    assert 1 <= shown(at)["metrics"]["person_shown"] <= 800


def test_the_fix_says_what_it_leaves_to_chance_and_what_it_costs_each_group(open_panels):
    config = RiskConfig(n_people=800, historic_patrol_bias=0.7, label_bias=0.6,
                        mitigation="threshold_optimizer")
    spread = cache.over_towns(registry.get(KEY), "bands", config, wait=True)
    at = small()
    at.select_slider(key=f"{KEY}.historic_patrol_bias").set_value(0.7).run()
    at.select_slider(key=f"{KEY}.label_bias").set_value(0.6).run()
    biased = shown(at)["metrics"]["equalized_odds_difference"]
    at.radio(key=f"{KEY}.mitigation").set_value("threshold_optimizer").run()
    assert not at.exception
    fixed = shown(at)["metrics"]
    assert fixed["equalized_odds_difference"] < biased and fixed["chance_decided_share"] > 0
    assert "real toss-up" in strip(at)
    assert "The fix replaces this cut-off" in captions(at)  # beside the cut-off setting
    text = everything(at)
    assert "How this fix works" in text and "each person's group" in text
    # Three ways on the same people: no fix, the same audited data without the rule, the fix.
    claims = says.fix_claims(cache.outcome(registry.get(KEY), config), spread,
                             translator("en"))
    for claim in claims:
        assert claim.text in text, claim.slot
    assert "on the same data without the rule" in text and "For everyone together:" in text
    assert len(at.get("vega_lite_chart")) >= 2


def test_the_card_says_when_a_label_was_a_coin_toss(open_panels):
    config = RiskConfig(n_people=800, historic_patrol_bias=0.7, label_bias=0.6,
                        mitigation="threshold_optimizer")
    tossed = np.flatnonzero(simulate(config).people["coin_toss"].to_numpy())
    at = small(**{f"{KEY}.historic_patrol_bias": 0.7, f"{KEY}.label_bias": 0.6,
                  f"{KEY}.mitigation": "threshold_optimizer"})
    at.text_input(key=f"{KEY}.person_number").input(str(tossed[0] + 1)).run()
    assert not at.exception
    assert "This person's label was a weighted coin toss" in texts(at)


def test_offender_managers_can_decide_instead_and_are_compared(open_panels):
    preset = next(p for p in PRESETS if p.key == "fairer_than_people")
    cache.over_towns(registry.get(KEY), "bands", preset.config.replace(decided_by="people"),
                     wait=True)
    at = _page(**{f"{KEY}.{k}": v for k, v in preset.config.to_dict().items()})
    assert "The AI decides here" in captions(at)  # beside the people's slider
    at.radio(key=f"{KEY}.decided_by").set_value("people").run()
    assert not at.exception
    assert "the offender managers labelled" in headline(at)
    assert "Offender managers decided here, without the AI." in strip(at)
    assert "as many people high risk as the AI would" in captions(at)
    assert "Here the AI is fairer than the offender managers" in texts(at)
    assert shown(at)["config"]["decided_by"] == "people"


def test_accuracy_by_the_records_is_explained_where_it_rises_with_bias(open_panels):
    at = _page()
    at.button_group(key=f"{KEY}.preset").set_value("arrest_not_crime").run()
    assert not at.exception
    text = texts(at)
    assert "Judged by the police records" in text and "Judged by what really happened" in text
    assert "the same records it learned from" in text and "without the extra patrols" in text


def test_the_retrain_fix_renders_and_says_it_decides_by_chance(open_panels):
    at = small(**{f"{KEY}.historic_patrol_bias": 0.8})
    at.radio(key=f"{KEY}.mitigation").set_value("exponentiated_gradient").run()
    assert not at.exception
    assert "several AIs at random" in everything(at)
    assert "does not use a cut-off" in captions(at)


# --- One person's card --------------------------------------------------------------------


def test_picking_a_kind_of_person_shows_one(open_panels):
    at = small(**{f"{KEY}.historic_patrol_bias": 0.8})
    at.selectbox(key=f"{KEY}.pick_kind").set_value("false_alarm").run()
    at.radio(key=f"{KEY}.pick_group").set_value("B").run()
    assert not at.exception
    assert ", group B" in texts(at)
    assert any("false alarm" in w.value for w in at.warning)
    first = shown(at)["metrics"]["person_shown"]
    at.button(key=f"{KEY}.next").click().run()
    assert shown(at)["metrics"]["person_shown"] != first
    assert any("false alarm" in w.value for w in at.warning)
    at.selectbox(key=f"{KEY}.pick_kind").set_value("missed").run()
    assert any(w.value.startswith("Missed") for w in at.warning)


def test_typed_person_numbers_that_cannot_be_used_get_a_message(open_panels):
    at = small()
    for typed in ["abc", "-5", "0", "99999", "3.5", "<b>7", "**7**", "1e3"]:
        at.text_input(key=f"{KEY}.person_number").input(typed).run()
        assert not at.exception, typed
        assert any("Type a whole number from 1 to 800" in w.value for w in at.warning), typed
        assert "<b>" not in everything(at) and "**7" not in everything(at)  # never echoed


def test_a_typed_number_shows_that_person(open_panels):
    at = small()
    at.text_input(key=f"{KEY}.person_number").input(" 7 ").run()
    assert not at.exception
    assert "Person 7 of 800" in texts(at)
    assert shown(at)["metrics"]["person_shown"] == 7
    at.text_input(key=f"{KEY}.person_number").input("").run()
    assert all("whole number" not in w.value for w in at.warning)
