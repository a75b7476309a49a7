"""AppTest of the evidence page: the case file beside its summary, "Be the officer",
the fairness panel, presets, and odd input met with a message rather than a traceback."""

import pytest
from streamlit.testing.v1 import AppTest

from simulators.evidence import PRESETS, EvidenceConfig, simulate
from tests.pages import captions, page_runner, texts

_page = page_runner("app_pages/evidence.py")


def _shown(at: AppTest) -> dict:
    return at.session_state["evidence.shown"]


def test_page_shows_the_case_file_beside_its_summary_and_the_panel():
    at = _page()
    assert not at.exception
    assert "Summarising evidence" in at.title[0].value
    subheaders = [s.value for s in at.subheader]
    for heading in ("The AI's summary", "The whole case file", "🕵️ Be the officer",
                    "Key facts kept, by witness group (all 30 case files)"):
        assert heading in subheaders
    case = simulate(EvidenceConfig()).case_file
    text = texts(at)
    kept = case[case["included"]]
    assert f"The AI kept {len(kept)} of the file's {len(case)} sentences." in captions(at)
    for sentence in case["text"].head(3):
        assert sentence.replace("'", "&#x27;") in text  # shown, escaped
    # Every sentence carries its source as text and as a colour-blind-safe colour.
    assert "🔵 A · Witness" in text and "#0072B2" in text
    assert "🔶 B · Witness" in text and "#E69F00" in text
    assert "📹 CCTV" in text and "📝 Officer&#x27;s notes" in text
    assert "✅ in the summary" in text and "✖️ left out" in text
    # Exculpatory facts are counted in words, and every chart has a reading.
    assert "sentences from witnesses point away from the person arrested" in text
    assert "The summaries left out" in text
    assert "Of the facts that point away from the arrested person, the summaries kept" in (
        captions(at)
    )
    assert len(at.get("vega_lite_chart")) == 2
    assert "Keswani and Celis, 2021" in text and "Olabisi and Agrawal, 2024" in text
    shown = _shown(at)
    assert shown["config"] == EvidenceConfig().to_dict()
    assert "false_negative_rate[B]" in shown["metrics"]
    assert shown["metrics"]["exculpatory_total[A]"] > 0


def test_dialect_slider_changes_the_numbers_on_screen():
    at = _page()
    before = _shown(at)["metrics"]["false_negative_rate[B]"]
    at.slider(key="evidence.dialect_strength").set_value(1.0).run()
    assert not at.exception
    after = _shown(at)["metrics"]
    assert after["false_negative_rate[B]"] > before + 0.03
    assert _shown(at)["config"]["dialect_strength"] == 1.0


def test_toggle_shows_only_what_was_left_out():
    at = _page()
    assert "✅ in the summary" in texts(at)
    at.toggle(key="evidence.only_left_out").set_value(True).run()
    assert not at.exception
    file_text = texts(at)
    assert "✖️ left out" in file_text
    assert "✅ in the summary" not in file_text


def test_be_the_officer_hides_the_answer_then_scores_the_ticks():
    case = simulate(EvidenceConfig()).case_file
    left_out = case[~case["included"]]
    missed = left_out[left_out["key"]]
    at = _page()
    assert "🛡️" not in texts(at)  # no fact marks before the reveal
    assert len(at.checkbox) == len(left_out)  # one box per sentence left out
    for position in missed["position"][:2]:
        at.checkbox(key=next(c.key for c in at.checkbox
                             if c.key.endswith(f".{position}"))).check()
    not_key = left_out[~left_out["key"]]["position"].iloc[0]
    at.checkbox(key=next(c.key for c in at.checkbox if c.key.endswith(f".{not_key}"))).check()
    at.run()
    at.button(key="evidence.reveal").click().run()
    assert not at.exception
    result = at.success[0].value
    assert f"You spotted **2 of the {len(missed)}** key facts" in result
    assert "1 of the sentences you ticked were not key facts" in result
    assert "points away from the arrested person" in texts(at)  # marks now shown
    assert _shown(at)["metrics"]["officer_caught"] == 2
    # Moving a slider keeps the marks on and offers to play again.
    at.slider(key="evidence.summary_ratio").set_value(0.5).run()
    assert not at.exception
    assert any("You have seen the answer" in i.value for i in at.info)
    assert "points away from the arrested person" in texts(at)
    at.button(key="evidence.play_again").click().run()
    assert "🛡️" not in texts(at)
    assert at.button(key="evidence.reveal")


@pytest.mark.parametrize("preset", PRESETS[1:4], ids=lambda p: p.key)
def test_a_preset_puts_its_settings_and_script_on_screen(preset):
    at = _page()
    at.button_group(key="evidence.preset").set_value(preset.key).run()
    assert not at.exception
    assert _shown(at)["config"] == preset.config.to_dict()
    assert preset.script in [i.value for i in at.info]


def test_the_threshold_fix_says_what_it_costs():
    at = _page()
    at.radio(key="evidence.mitigation").set_value("threshold_optimizer").run()
    assert not at.exception
    notes = [i.value for i in at.info if "With this fix the summaries keep" in i.value]
    assert notes and "though you asked for 35" in notes[0]


def test_typed_world_number_out_of_range_is_kept_in_range():
    at = _page()
    at.number_input(key="evidence.seed").set_value(-5).run()
    assert not at.exception
    assert 0 <= _shown(at)["config"]["seed"] <= 9999


@pytest.mark.parametrize(
    "key, value",
    [("evidence.n_cases", 5000), ("evidence.method", "magic"),
     ("evidence.dialect_strength", "lots")],
)
def test_impossible_stored_settings_give_a_message_not_a_traceback(key, value):
    at = _page(**{key: value})
    assert not at.exception
    assert any("put back to normal" in w.value for w in at.warning)
    assert _shown(at)["config"] == EvidenceConfig().to_dict()
