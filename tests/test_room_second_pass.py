"""The room, second pass (issue #25), below the browser: the room's state scoped to its
stage, what phones follow, vote counts, Welsh nicknames, the report's words, the
readable CSV and the hotspots strip. (tests/browser/test_room_live.py drives the same
in a real browser.)"""

import csv
import io
import re
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from simulators import registry
from tests.test_report import text_of
from ui.participant import Me
from ui.room import tally_html
from workshop import analysis, export, report
from workshop.live import RoomCache
from workshop.store import Store
from workshop.vocabulary import COMMENT_MAX, CY_ADJECTIVES, CY_ANIMALS, soft_mutation

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"


def cid() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def store():
    return Store()  # DATABASE_URL points at this test's own database (tests/conftest.py)


@pytest.fixture
def room(store):
    w = store.create_workshop("Hall", PASS)
    return w, [store.join(w.code) for _ in range(4)]


# -- the room's state, scoped to its stage -----------------------------------------------


def test_a_stage_takes_its_timer_pause_and_scenario_with_it(store, room):
    w, _ = room
    preset = registry.presets("evidence")[1]
    store.set_preset(w.code, "evidence", preset.key, preset.config.to_dict())
    store.set_timer(w.code, 120)
    store.lock(w.code, True)
    store.set_stage(w.code, "use_cases")  # the stage it is on: nothing changes
    kept = store.room(w.code)
    assert kept["timer_ends_at"] is not None and kept["locked"] and kept["use_case"]
    store.set_stage(w.code, "questions")
    moved = store.room(w.code)
    assert moved["stage"] == "questions"
    assert moved["timer_ends_at"] is None and moved["timer_seconds"] is None
    assert not moved["locked"]
    assert moved["use_case"] is None and moved["config"] is None
    assert moved["version"] > kept["version"]  # phones following the scenario hear it


def test_putting_the_room_on_a_scenario_moves_it_to_trying_the_uses(store, room):
    w, _ = room
    store.set_timer(w.code, 60)
    preset = registry.presets("call_triage")[2]
    store.set_preset(w.code, "call_triage", preset.key, preset.config.to_dict())
    r = store.room(w.code)
    assert (r["stage"], r["use_case"], r["preset_key"]) == ("use_cases", "call_triage",
                                                            preset.key)
    assert r["timer_ends_at"] is None  # first views' timer went with first views


def test_closing_ends_the_timer_and_the_pause_and_every_phone_hears(store, room):
    w, _ = room
    cache = RoomCache(store, ttl=0)
    store.set_timer(w.code, 60)
    store.lock(w.code, True)
    before = cache.get(w.code)["fp"]
    store.close_workshop(w.code)
    view = cache.get(w.code)
    assert view["fp"] != before and view["open"] is False
    assert view["remaining"] is None and view["locked"] is False


def test_a_poll_is_answered_from_memory_while_the_room_is_fresh_and_never_after(store, room):
    w, (a, *_) = room
    cache = RoomCache(store, ttl=0.5)
    reads = []
    real = store.room
    store.room = lambda code: reads.append(code) or real(code)
    assert cache.held(w.code) == (False, None)  # nothing read yet: the caller reads
    first = cache.get(w.code)
    assert cache.held(w.code) == (True, first) and len(reads) == 1
    assert cache.held(w.code, advice=True) == (False, None)  # advice not read yet
    cache.get(w.code, advice=True)
    assert cache.held(w.code, advice=True)[0]
    assert cache.held("NOSUCH") == (False, None)
    cache.get("NOSUCH")
    assert cache.held("NOSUCH") == (True, None)  # an unknown code, remembered as such
    store.set_timer(w.code, 60)
    time.sleep(0.6)  # past its freshness: a changed room is never answered stale
    assert cache.held(w.code) == (False, None)
    assert cache.get(w.code)["fp"] != first["fp"] and reads.count(w.code) == 2


def test_phones_weighing_advice_follow_approvals_and_totals_not_every_answer(store, room):
    w, (a, b, c, d) = room
    cache = RoomCache(store, ttl=0)
    advice = store.add_advice(a.id, "oversight", "Keep a person in charge", cid())
    quiet = cache.get(w.code, advice=True)
    assert quiet["tallies"] == []  # waiting advice is nobody's to see
    store.moderate_advice(w.code, advice.id, "approved")
    approved = cache.get(w.code, advice=True)
    assert approved["fp"] != quiet["fp"]  # a new piece to vote on: the page reruns
    assert approved["tallies"] == [[advice.id, 0, 0, 0]]
    store.vote(b.id, advice.id, "agree")
    store.vote(c.id, advice.id, "disagree")
    store.record(d.id, "overall", "before", 3, [], "", {}, {}, cid())
    before = time.time()
    voted = RoomCache(store, ttl=0).get(w.code, advice=True)
    # When the totals were read, so a phone never writes older ones over its page's
    assert before * 1000 - 1 <= voted["tallies_at"] <= time.time() * 1000
    assert 'data-at="1500000000000"' in tally_html(advice.id, 1, 1, 0, 1.5e9)
    assert voted["fp"] == approved["fp"]  # totals are written in place: no rerun
    assert voted["tallies"] == [[advice.id, 1, 1, 0]]
    assert "tallies" not in cache.get(w.code)  # other pages are not sent them


# -- votes counted, a split marked, a minimum before ranking -----------------------------


def test_a_one_one_split_is_divided_and_two_votes_rank_nothing():
    df = pd.DataFrame({"advice_id": [1, 2, 3], "hidden": False, "agree": [1, 2, 4],
                       "disagree": [1, 0, 1], "pass": [0, 0, 1]})
    ranked = analysis.rank_advice(df).set_index("advice_id")
    assert ranked.loc[1, "divided"] and not ranked.loc[2, "divided"]
    assert not ranked.loc[1, "ranked"] and not ranked.loc[2, "ranked"]
    assert ranked.loc[3, "ranked"]
    # 2 of 2 agreeing is not ranked above 4 of 6: it has too few votes, and follows
    # with the other unranked advice, most voted first, then oldest first.
    assert list(analysis.rank_advice(df)["advice_id"]) == [3, 1, 2]


# -- Welsh nicknames ------------------------------------------------------------------------


def test_joining_in_welsh_gives_a_welsh_nickname(store, room):
    w, _ = room
    for _ in range(20):
        animal, adjective, number = store.join(w.code, language="cy").pseudonym.split()
        assert animal in CY_ANIMALS and 10 <= int(number) <= 99
        radical = adjective if not CY_ANIMALS[animal] else next(
            a for a in CY_ADJECTIVES if soft_mutation(a) == adjective)
        assert radical in CY_ADJECTIVES
    english = store.join(w.code).pseudonym.split()
    assert english[1] not in CY_ANIMALS


# -- the report: no empty boxes, one is one, every question the room answered ------------


def test_the_report_says_one_in_the_singular_drops_emoji_and_has_every_answer(
        store, tmp_path):
    w = store.create_workshop("Hall 👋 in Cardiff", PASS)
    one = store.join(w.code)
    store.record(one.id, "overall", "before", 4, ["oversight"], "", {}, {}, cid())
    store.record(one.id, "overall", "final", 4, ["pace"], "", {}, {}, cid())
    store.record(one.id, "call_triage", "before", 2, [], "", {}, {}, cid())
    store.record(one.id, "call_triage", "after", 4, [], "Good idea 👍🏽 really",
                 {"mitigation": "threshold_optimizer", "saved_hours_to": "community"}, {},
                 cid())
    two = store.join(w.code)
    store.record(two.id, "call_triage", "before", 2, [], "", {}, {}, cid())
    store.record(two.id, "call_triage", "after", 2, [], "", {"mitigation": "none"}, {},
                 cid())
    store.record(two.id, "overall", "before", None, [], "", {}, {}, cid())  # a skip
    for rid in store.comments(w.code, "pending")["reaction_id"]:
        store.moderate(w.code, int(rid), "approved")
    advice = store.add_advice(one.id, "oversight", "Keep a person in charge", cid())
    store.moderate_advice(w.code, advice.id, "approved")
    store.vote(two.id, advice.id, "disagree")
    text = text_of(report.build_report(store, w.code), tmp_path)
    for wrong in ("1 were", "1 people", "1 votes", "1 pieces", "(1 of them skips)",
                  "0 of its", "has the most agreement"):
        assert wrong not in text, wrong
    assert "1 of them was a skip." in text and "1 vote on advice." in text
    assert "1 of them was comfortable or very comfortable at first" in text
    assert "(1 person)" in text  # with a fix on, and without one
    assert "👍" not in text and "👋" not in text and "\ufffd" not in text
    assert "Good idea really" in text and "Hall in Cardiff" in text
    assert "What mattered to people at first" in text and "Human oversight" in text
    assert "What mattered to people at the end" in text and "Too much, too fast" in text
    assert "where should that time go" in text and "More community engagement" in text
    assert "Too few votes to rank." in text


# -- the readable CSV -----------------------------------------------------------------------


def test_the_readable_csv_has_no_machine_names_or_numbers(store, room):
    w, (a, *_rest) = room
    for use_case in registry.USE_CASES.values():
        module = use_case.module()
        outcome = module.simulate(use_case.presets()[1].config)
        if use_case.name == "hotspots":
            from simulators.hotspot_views import numbers_shown
        else:
            numbers_shown = getattr(module, "numbers_shown", None)
        if numbers_shown is None:
            from simulators.fairness import summary as numbers_shown
        metrics = numbers_shown(outcome)
        metrics.update({  # what the pages add to a record (app_pages/)
            "evidence": {"officer_caught": 2, "officer_missed": 1},
            "reoffending": {"coin_toss_share": 0.25, "person_shown": 7},
        }.get(use_case.name, {}))
        config = use_case.presets()[1].config.to_dict()
        if use_case.name == "call_triage":
            config["saved_hours_to"] = "frontline"
        store.record(a.id, use_case.name, "after", 3, [], "", config, metrics, cid())
    rows = list(csv.reader(io.StringIO(export.people_csv(store, w.code))))
    header, values = rows[0], [v for r in rows[1:] for v in r]
    assert not [h for h in header if "_" in h or "[" in h or "." in h.split(": ")[-1][:1]]
    assert not [v for v in values if re.fullmatch(r"-?\d+\.0", v)]
    assert "More officers on the front line" in values
    docs = list(csv.DictReader(io.StringIO(export.dictionary_csv(store, w.code))))
    assert all("shares from 0 to 1" not in d["Values or units"] for d in docs)


# -- the hotspots strip ------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["biased_history", "reporting_gap"])
def test_the_hotspots_strip_leads_with_the_group_the_bias_is_against(scenario):
    from simulators import hotspots
    from ui.figures import figures
    from workshop.i18n import translator

    preset = next(p for p in hotspots.PRESETS if p.key == scenario)
    led_by_b = 0
    for seed in range(10):
        outcome = hotspots.simulate(preset.config.replace(seed=seed))
        fig = figures(outcome, translator("en"))
        led_by_b += fig.headline.index("group B") < fig.headline.index("group A")
    assert led_by_b >= 9, f"group B led the strip in {led_by_b} of 10 towns"


# -- phones: too long, closed ----------------------------------------------------------------


def first_views(me: Me) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/first_views.py"), default_timeout=90)
    at.session_state["participant"] = me
    at.query_params["p"] = me.id
    return at.run()


def test_a_comment_too_long_is_refused_with_the_reason_and_kept(store, room):
    w, (a, *_rest) = room
    at = first_views(Me(a.id, a.pseudonym, w.code, w.title))
    long = "x" * (COMMENT_MAX * 5)
    at.radio(key="reaction.overall.before.comfort").set_value(3)
    at.text_area(key="reaction.overall.before.comment").set_value(long)
    at.button[0].click().run()
    assert any("characters long" in e.value for e in at.error)
    assert at.text_area(key="reaction.overall.before.comment").value == long
    assert store.reactions(w.code).empty
    assert not at.success


def test_a_closed_workshop_asks_nothing_and_thanks_nobody_for_a_refused_answer(store, room):
    w, (a, *_rest) = room
    at = first_views(Me(a.id, a.pseudonym, w.code, w.title))
    at.radio(key="reaction.overall.before.comfort").set_value(3)
    store.close_workshop(w.code)
    at.button[0].click().run()  # sent just as the workshop closed
    assert any("has closed" in i.value for i in at.info)  # in place of the form
    assert not at.success and not at.button
    assert store.reactions(w.code).empty
