"""AppTest of the hotspots page: it renders, follows its sliders, steps through the days,
and meets odd input with a message rather than a traceback."""

from streamlit.testing.v1 import AppTest

from simulators.hotspots import PRESETS
from tests.pages import captions, page_runner

_page = page_runner("app_pages/hotspots.py")


def _shown(at: AppTest) -> dict:
    return at.session_state["hotspots.shown"]


def test_page_shows_maps_loop_chart_panel_and_account():
    at = _page()
    assert not at.exception
    assert "hotspots" in at.title[0].value.lower()
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 4  # two maps, the loop chart, the fairness panel
    shown_text = captions(at)
    assert "On day 120," in shown_text
    assert "Over 120 days group B's areas got on average" in shown_text
    assert "Fairlearn counts each of the 400 map squares as one case" in shown_text
    assert "How the loop works" in [h.value for h in at.header]
    assert any("Every fix has a cost" in s.value for s in at.subheader)
    assert at.progress[0].value == 100  # the last day is shown first
    shown = _shown(at)
    assert shown["config"]["days"] == 120
    assert "equalized_odds_difference" in shown["metrics"]
    assert "group_b_patrol_share" in shown["metrics"]


def test_bias_slider_changes_the_numbers_on_screen():
    at = _page()
    before = _shown(at)["metrics"]["group_b_patrol_share"]
    assert "about the share their crime explains" in captions(at)
    at.slider(key="hotspots.historic_patrol_bias").set_value(0.8).run()
    assert not at.exception
    after = _shown(at)["metrics"]["group_b_patrol_share"]
    assert after > before + 0.1
    assert "more patrols than their crime explains" in captions(at)
    assert _shown(at)["config"]["historic_patrol_bias"] == 0.8


def test_a_preset_puts_its_settings_and_script_on_screen():
    at = _page()
    for preset in (PRESETS[1], PRESETS[3]):  # a biased past; the fix that backfires
        at.button_group(key="hotspots.preset").set_value(preset.key).run()
        assert not at.exception
        assert _shown(at)["config"] == preset.config.to_dict()
        assert preset.script in [i.value for i in at.info]
        cost_now = [i.value for i in at.info if i.value.startswith("**The fix in use now.**")]
        assert len(cost_now) == 1
    assert "fewer patrols than their crime needs" in captions(at)


def test_the_day_slider_steps_through_the_run():
    at = _page()
    at.slider(key="hotspots.day").set_value(1).run()
    assert not at.exception
    assert "On day 1," in captions(at)
    assert at.progress[0].value < 5


def test_play_steps_day_by_day_and_stops_at_the_end():
    at = _page()
    at.slider(key="hotspots.days").set_value(4).run()
    assert at.slider(key="hotspots.day").value == 4  # the day follows a shorter run
    at.button(key="hotspots.play").click().run()
    assert at.session_state["hotspots.playing"]
    seen = [at.slider(key="hotspots.day").value]
    assert seen == [1]  # a play from the end starts again at day 1
    assert "Pause" in at.button(key="hotspots.play").label
    for _ in range(6):  # AppTest has no timer: each run stands for one tick
        if not at.session_state["hotspots.playing"]:
            break
        at.run()
        seen.append(at.slider(key="hotspots.day").value)
    assert not at.exception
    assert seen == [1, 2, 3, 4]
    assert not at.session_state["hotspots.playing"]
    assert "Play" in at.button(key="hotspots.play").label


def test_pause_stops_the_days():
    at = _page()
    at.slider(key="hotspots.day").set_value(10).run()
    at.button(key="hotspots.play").click().run()
    day = at.slider(key="hotspots.day").value
    at.button(key="hotspots.play").click().run()  # pause
    assert not at.session_state["hotspots.playing"]
    at.run()
    assert at.slider(key="hotspots.day").value == day


def test_typed_world_number_out_of_range_is_kept_in_range():
    at = _page()
    at.number_input(key="hotspots.seed").set_value(-5).run()
    assert not at.exception
    assert 0 <= _shown(at)["config"]["seed"] <= 9999


def test_impossible_stored_settings_give_a_message_not_a_traceback():
    at = _page(**{"hotspots.days": 0, "hotspots.mitigation": "magic",
                  "hotspots.exploration": "lots", "hotspots.day": "abc"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "could not be used" in warning
    for label in ("Days the computer runs", "How the computer is fixed",
                  "Share of patrols sent to random areas"):
        assert label in warning
    assert "On day 120," in captions(at)  # defaults, on the last day
    assert at.slider(key="hotspots.day").value == 120
