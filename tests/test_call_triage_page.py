"""AppTest of the 101-call page: it renders, follows its sliders, and never shows a traceback."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from simulators.call_triage import PRESETS, TriageConfig

DECISIONS = {"🚨 Fast-track to a person now", "💬 Give advice or take a report",
             "➡️ Send to another organisation"}

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages/call_triage.py")
KEY = "call_triage"


@pytest.fixture
def at():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def shown(at) -> dict:
    return at.session_state[f"{KEY}.shown"]


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [str(e.value) for e in at.info] + [str(e.value) for e in at.warning]
    return "\n".join(parts)


def test_page_renders_its_story_and_records_what_it_showed(at):
    headers = [h.value for h in at.header]
    for part in ("Listen in", "Who gets missed", "Try a fix", "A person in the loop"):
        assert any(part in h for h in headers), part
    text = texts(at)
    assert "fast-track" in text and "another organisation" in text
    assert "Of every 100 calls that were urgent, the AI missed" in text
    assert "Koenecke" in text and "35 words in 100" in text and "19 in 100" in text
    assert "THRIVE" in text
    record = shown(at)
    assert record["config"] == TriageConfig().to_dict()
    assert "false_negative_rate[B]" in record["metrics"]
    assert record["metrics"]["review_hours"] == 0


def test_bias_slider_changes_the_numbers_on_screen(at):
    before = shown(at)["metrics"]
    gap_before = [m.value for m in at.metric if m.label == "Gap in mistakes"]
    at.slider(key=f"{KEY}.label_bias").set_value(0.6).run()
    assert not at.exception
    after = shown(at)["metrics"]
    assert shown(at)["config"]["label_bias"] == 0.6
    assert after["false_negative_rate[B]"] > before["false_negative_rate[B]"] + 0.1
    assert [m.value for m in at.metric if m.label == "Gap in mistakes"] != gap_before
    at.slider(key=f"{KEY}.asr_error_gap").set_value(0.16).run()
    assert not at.exception
    assert "got 19 words in 100 wrong for group A and 35 in 100 for group B" in texts(at)


def test_a_fix_shows_what_it_changed_and_what_it_cost(at):
    at.slider(key=f"{KEY}.label_bias").set_value(0.6).run()
    assert any("No fix is switched on" in c.value for c in at.caption)
    at.radio(key=f"{KEY}.mitigation").set_value("threshold_optimizer").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["", "Without the fix", "With the fix"]
    assert "Urgent calls missed, group B" in set(table[""])
    text = texts(at)
    assert "The fix changed the gap in mistakes from" in text
    assert "has to know each caller's group" in text
    at.radio(key=f"{KEY}.mitigation_data").set_value("history").run()
    assert not at.exception
    assert any("learns the unfairness back" in w.value for w in at.warning)


def test_reviewer_slider_shows_errors_caught_against_hours(at):
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hours of checking"] == "0"
    at.slider(key=f"{KEY}.human_review_share").set_value(0.3).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hours of checking"] == "30" and metrics["Calls checked"] == "300"
    assert int(metrics["AI mistakes caught"]) > 0
    assert any("Checking 30 in 100 calls takes 30 hours" in c.value for c in at.caption)
    assert shown(at)["metrics"]["review_hours"] == 30


def test_listen_in_a_picked_call(at):
    assert at.selectbox(key=f"{KEY}.listen_call").value is not None
    assert any(h.value in DECISIONS for h in at.subheader)
    assert "How sure it is of that" in [m.label for m in at.metric]
    assert at.code and any("What this call truly needed" in str(e.value)
                           for e in [*at.success, *at.error])
    options = at.selectbox(key=f"{KEY}.listen_call").options
    at.selectbox(key=f"{KEY}.listen_call").select_index(len(options) - 1).run()
    assert not at.exception


LONG_CALL = ("There's blood everywhere and she's not breathing. " * 40)[:1990]
TYPED = [
    ("", "There are no words to listen to yet"),
    ("🚓🚓🚓", "There are no words to listen to yet"),
    ("Bonjour, je voudrais signaler un vol de vélo", "knows none of these words"),
    ("警察を呼んでください", "knows none of these words"),
    ("<script>alert('x')</script> **bold** [link](http://x)", "knows none of these words"),
    ("<b>Help</b> **he's got a knife** and she's *bleeding*", None),
    (LONG_CALL, None),
]


def test_typed_calls_get_an_answer_or_a_message_never_a_traceback(at):
    at.segmented_control(key=f"{KEY}.listen_mode").set_value("type").run()
    for text, message in TYPED:
        at.text_area(key=f"{KEY}.listen_text").input(text).run()
        assert not at.exception, text
        if message:
            assert any(message in i.value for i in at.info), text
        else:
            assert any(h.value in DECISIONS for h in at.subheader), text
        # What a participant typed is shown as plain text, never as Markdown or HTML.
        rendered = " ".join(m.value for m in [*at.markdown, *at.caption, *at.info])
        for fragment in ("<script>", "alert(", "<b>", "[link]", "*bleeding*", "vélo", "警察"):
            assert fragment not in rendered, (text, fragment)
        if text.strip() and "🚓" not in text:
            assert at.text[0].value.startswith(text.split()[0]), text


def test_typed_call_from_group_b_is_heard_worse(at):
    at.slider(key=f"{KEY}.asr_error_gap").set_value(0.3).run()
    at.segmented_control(key=f"{KEY}.listen_mode").set_value("type").run()
    long_call = "My neighbour is shouting and he has a knife and she is bleeding " * 6
    at.text_area(key=f"{KEY}.listen_text").input(long_call).run()
    heard_a = at.code[0].value
    at.radio(key=f"{KEY}.listen_group").set_value("B").run()
    assert not at.exception
    heard_b = at.code[0].value
    assert heard_b.count("[") > heard_a.count("[")


def test_a_preset_puts_the_room_on_its_settings_and_shows_its_script(at):
    preset = next(p for p in PRESETS if p.key == "biased_history")
    at.button_group(key=f"{KEY}.preset").set_value(preset.key).run()
    assert not at.exception
    assert shown(at)["config"] == preset.config.to_dict()
    assert at.slider(key=f"{KEY}.label_bias").value == preset.config.label_bias
    assert any(preset.script in i.value for i in at.info)


def test_an_impossible_stored_setting_is_put_back_with_a_message():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state[f"{KEY}.label_bias"] = 5.0
    at.run()
    assert not at.exception
    assert any("put back to normal" in w.value for w in at.warning)
    assert shown(at)["config"]["label_bias"] == 0.0
