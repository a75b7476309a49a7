"""AppTest of the hotspots page: a joined participant answers before seeing any result;
the strip follows the bias sliders and the scenarios; Play steps through the days; the
panels say what the run did, over the window they name; the monitor flags the new
estate or says it missed it; odd input gets a message, not a traceback."""

import pytest
from streamlit.testing.v1 import AppTest

from simulators import registry
from simulators.hotspots import PRESETS, HotspotConfig, simulate
from tests.pages import ROOT, captions, page_runner, strip, texts
from ui import cache
from ui.participant import Me
from workshop.store import Store

_page = page_runner("app_pages/hotspots.py", timeout=120)
PASSPHRASE = "a long enough workshop passphrase"  # 12+ characters, as the store asks


@pytest.fixture
def open_panels(monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")  # every folded panel drawn


def _shown(at: AppTest) -> dict:
    return at.session_state["hotspots.shown"]


def _strip(at: AppTest) -> str:
    return strip(at)


def _joined_page() -> AppTest:
    store = Store()  # DATABASE_URL points at this test's own database
    w = store.create_workshop("Leeds library", PASSPHRASE)
    p = store.join(w.code)
    at = AppTest.from_file(str(ROOT / "app_pages/hotspots.py"), default_timeout=120)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.query_params["p"] = p.id
    return at.run()


# ------------------------------------------------------------------ steps


def test_a_visitor_sees_the_strip_the_settings_and_the_maps():
    at = _page()
    assert not at.exception
    assert "Crime hotspots" in at.title[0].value
    strip = _strip(at)
    assert "the gap between the groups" in strip
    assert "These are averages over the last 30 days." in strip
    assert len(at.get("vega_lite_chart")) == 2  # the two maps; the panels are folded
    assert "On day 120, group B's areas got" in captions(at)
    shown = _shown(at)
    assert shown["config"] == HotspotConfig().to_dict()
    assert "group_b_patrol_share" in shown["metrics"] and "flag_day" in shown["metrics"]


@pytest.mark.parametrize("answer", ["Send my answer", "Skip this question"])
def test_a_joined_participant_answers_first_and_sees_no_result_until_then(answer):
    at = _joined_page()
    assert not at.exception
    assert "Step 1 of 3" in captions(at)
    assert not at.get("vega_lite_chart") and not _strip(at) and not at.metric
    assert not _shown(at)["metrics"]  # nothing of the model was on screen
    if answer == "Send my answer":
        at.radio[0].set_value(2)
    [b for b in at.button if b.label == answer][0].click().run()
    assert not at.exception
    assert "Step 2 of 3" in captions(at)
    assert "the gap between the groups" in _strip(at)
    assert at.get("vega_lite_chart")


# ------------------------------------------------------------------ the strip follows


def test_the_bias_slider_changes_the_strip_and_chance_is_said_beside_it():
    cache.over_towns(registry.get("hotspots"), "bands", HotspotConfig(), wait=True)
    at = _page()
    before = _strip(at)
    assert "In made-up towns with no bias at all, chance alone puts group B" in before
    at.select_slider(key="hotspots.historic_patrol_bias").set_value(0.4).run()
    assert not at.exception
    after = _strip(at)
    assert after != before
    assert "chance alone" in after  # the same fair cities: a bias slider asks for none
    shown = _shown(at)
    assert shown["config"]["historic_patrol_bias"] == 0.4
    assert shown["metrics"]["group_b_patrol_share"] > shown["metrics"][
        "group_b_true_crime_share"] + 0.1


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_a_preset_puts_its_settings_and_script_on_screen(preset):
    at = _page()
    at.button_group(key="hotspots.preset").set_value(preset.key).run()
    assert not at.exception
    assert _shown(at)["config"] == preset.config.to_dict()
    assert preset.script in [i.value for i in at.info]
    assert at.slider(key="hotspots.day").value == preset.config.days


# ------------------------------------------------------------------ day by day


def test_the_day_slider_steps_through_the_run():
    at = _page()
    at.slider(key="hotspots.day").set_value(1).run()
    assert not at.exception
    assert "On day 1," in captions(at)


def test_play_steps_day_by_day_and_stops_at_the_end():
    at = _page(**{"hotspots.days": 4})
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


# ------------------------------------------------------------------ the panels


def test_every_panel_says_what_this_run_did(open_panels):
    at = _page(**{"hotspots.historic_patrol_bias": 0.4})
    assert not at.exception
    outcome = simulate(HotspotConfig(historic_patrol_bias=0.4))
    past = outcome.past["B"]
    text = texts(at)
    assert (f"got {round(100 * past['patrol_share'])} in 100 of them, for "
            f"{round(100 * past['true_crime_share'])} in 100 of the real crime") in text
    assert "patrols found" in text and "in every 100 crimes written down" in text
    # every fix, on the same city, the one in use marked
    assert text.count("real hotspots had a patrol") == 4
    assert "✅ **No fix: count every recorded crime** (in use now)." in text
    # the fairness panel names its window, and so does its note
    assert "Over the last 30 days" in [s.value for s in at.subheader]
    assert "on each of the last 30 days as one case" in captions(at)
    # sources, each for what it measured, and what is ours
    for source in ("Ensign", "Lum and Isaac", "Akpinar", "our own assumption"):
        assert source in text
    assert len(at.get("vega_lite_chart")) == 5  # maps, the loop, the monitor, the panel


def test_the_strip_and_the_panels_agree(open_panels):
    at = _page(**{"hotspots.historic_patrol_bias": 0.4})
    metrics = _shown(at)["metrics"]
    patrols = round(100 * metrics["group_b_patrol_share"])
    crime = round(100 * metrics["group_b_true_crime_share"])
    assert f"had {crime} in 100 of the real crime, and got {patrols} in 100" in _strip(at)
    assert f"Over the last 30 days they got {patrols} in 100, for {crime} in 100" in (
        captions(at))


def test_the_monitor_flags_the_new_estate_and_says_what_a_reviewer_would_find(open_panels):
    at = _page()
    assert "No flag: neither group's line got worse" in " ".join(i.value for i in at.info)
    at.toggle(key="hotspots.new_estate").set_value(True).run()
    assert not at.exception
    outcome = simulate(HotspotConfig(new_estate=True))
    flag = " ".join(e.value for e in at.warning)
    assert f"On day {outcome.flag_day + 1} the monitor raised a flag for group B's" in flag
    assert "A person reviewing the flag would find that" in texts(at)
    assert "on the new estate, where victims had reported" in texts(at)
    assert _shown(at)["metrics"]["flag_day"] == outcome.flag_day + 1
    # too loose a limit, and the change is missed
    at.select_slider(key="hotspots.monitor_limit").set_value(0.6).run()
    assert not at.exception and "raised a flag" not in " ".join(e.value for e in at.warning)
    missed = " ".join(i.value for i in at.info)
    assert "No flag: the worst was group B's areas" in missed
    assert "The change in the city was missed" in missed
    assert _shown(at)["metrics"]["flag_day"] is None


def test_the_flag_shows_on_the_maps_from_its_day():
    at = _page(**{"hotspots.new_estate": True})
    outcome = simulate(HotspotConfig(new_estate=True))
    assert any("The monitor raised a flag on day" in w.value for w in at.warning)
    assert "The new estate is outlined in green dashes." in captions(at)
    at.slider(key="hotspots.day").set_value(outcome.flag_day).run()  # the day before
    assert not any("The monitor raised a flag" in w.value for w in at.warning)


# ------------------------------------------------------------------ odd input


def test_typed_world_number_out_of_range_is_kept_in_range():
    at = _page()
    at.number_input(key="hotspots.seed").set_value(-5).run()
    assert not at.exception
    assert 0 <= _shown(at)["config"]["seed"] <= 9999


def test_impossible_stored_settings_give_a_message_not_a_traceback(open_panels):
    at = _page(**{"hotspots.days": 0, "hotspots.mitigation": "magic",
                  "hotspots.exploration": "lots", "hotspots.new_estate": "yes",
                  "hotspots.day": "abc"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "could not be used" in warning
    for label in ("Days the AI runs", "How the AI is fixed", "Patrols sent to random areas",
                  "A new estate opens"):
        assert label in warning
    assert "On day 120," in captions(at)  # defaults, on the last day
    assert at.slider(key="hotspots.day").value == 120
