"""AppTest of transparency and oversight in the room: the record panel on a use-case
page, the ethics panel stage on a phone, theme tags and written conditions in the
Console's moderation queue, the Screen's tallies, and Where I sit after the advice
round; in English and Welsh."""

import html as html_module
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from simulators import registry
from simulators.transparency import PANEL
from tests.pages import screen_html, texts
from ui.figures import per_100
from ui.participant import Me
from workshop.live import screen_key
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"
CALLS = next(iter(registry.USE_CASES.values()))


def cid() -> str:
    return uuid.uuid4().hex


def page(path: str, me: Me | None = None, lang: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    if me is not None:
        at.session_state["participant"] = me
        at.query_params["p"] = me.id
    if lang:
        at.query_params["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def console(code: str) -> AppTest:
    """The Console, signed in, inside the app (its links need the app's pages)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["facilitator.code"] = code
    at.run()
    return at.switch_page("app_pages/console.py").run()


def html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


@pytest.fixture
def store():
    return Store()


@pytest.fixture
def room(store):
    w = store.create_workshop("Hall", PASS)
    people = [store.join(w.code) for _ in range(8)]
    return w, [Me(p.id, p.pseudonym, w.code, w.title) for p in people]


# -- the record on a use-case page ------------------------------------------------------


def test_the_record_on_a_page_shows_the_runs_rates_and_saves_what_people_think(
        store, room, monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")
    w, (me, *_) = room
    store.set_decide_first(w.code, CALLS.name, False)  # straight on to "Try it"
    store.record(me.id, CALLS.name, "before", 3, [], "", {}, {}, cid())
    at = page(CALLS.page, me, **{f"{CALLS.name}.label_bias": 0.5})
    assert not at.exception
    from ui.cache import outcome

    config = CALLS.config_class()(label_bias=0.5)
    rates = outcome(CALLS, config).rates
    said = texts(at)
    assert "Algorithmic Transparency Recording Standard (ATRS), version 3.0" in " ".join(
        c.value for c in at.caption)
    harm = (f"group A: {per_100(rates['A']['false_negative_rate'])} in 100 · "
            f"group B: {per_100(rates['B']['false_negative_rate'])} in 100")
    assert harm in said  # the same numbers as the run on screen
    assert ("Past call handlers played down group B's warnings: 50 in 100 of group B's "
            "warnings.") in said
    prefix = f"{CALLS.name}.record"
    at.segmented_control(key=f"{prefix}.told.performance").set_value("yes")
    at.segmented_control(key=f"{prefix}.told.owner").set_value("no")
    at.radio(key=f"{prefix}.enough").set_value("no")
    [send] = [b for b in at.button if b.label == "Send what I think of the record"]
    send.click().run()
    assert not at.exception
    assert any("record is saved" in s.value for s in at.success)
    row = store.record_results(w.code).iloc[0]
    assert (row["told_performance"], row["told_owner"], row["enough"]) == ("yes", "no", "no")
    assert row["config"]["label_bias"] == 0.5


def test_a_visitor_reads_the_record_without_questions(monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")
    at = page(CALLS.page)
    assert not at.exception
    assert "How well it works, group by group" in texts(at)
    assert not [b for b in at.button if b.label == "Send what I think of the record"]


# -- the ethics panel on a phone --------------------------------------------------------


def test_the_panel_stage_takes_a_verdict_and_the_latest_counts(store, room):
    w, (me, *_) = room
    at = page("app_pages/panel.py", me)
    assert not at.exception
    said = texts(at)
    assert "90 days" in said and "Advisory" in said and "Explainable" in said
    outcome = registry.get(PANEL.use_case).module().simulate(PANEL.config())
    if outcome.flag_day is not None:  # the alarm, when this run raises it
        assert f"On day {outcome.flag_day + 1} the monitor raised a flag" in at.error[0].value
    at.radio(key="panel.verdict").set_value("conditions")
    at.checkbox(key="panel.condition.audit_by_group").check()
    at.checkbox(key="panel.condition.stop_at_gap").check()
    at.text_input(key="panel.own").set_value("Ask the estate's residents first")
    [send] = [b for b in at.button if b.label == "Send my advice"]
    send.click().run()
    assert not at.exception
    assert any("only your latest advice counts" in s.value for s in at.success)
    assert any("Approve, with conditions" in i.value for i in at.info)
    at.radio(key="panel.verdict").set_value("pause")
    [send] = [b for b in at.button if b.label == "Send my advice"]
    send.click().run()
    results = store.panel_results(w.code)
    assert results["verdict"].tolist() == ["pause"] and len(results) == 1
    history = store.panel_results(w.code, history=True)
    assert history["conditions"].iloc[0] == ["audit_by_group", "stop_at_gap"]
    assert history["own_condition"].iloc[0] == "Ask the estate's residents first"


def test_a_verdict_needs_a_choice_and_a_visitor_is_asked_to_join(store, room):
    _w, (me, *_) = room
    at = page("app_pages/panel.py", me)
    [send] = [b for b in at.button if b.label == "Send my advice"]
    send.click().run()
    assert "Pick your advice first" in at.error[-1].value
    visitor = page("app_pages/panel.py")
    assert any("Join the workshop" in i.value for i in visitor.info)
    assert not visitor.radio


def test_the_panel_page_speaks_welsh(room):
    _w, (me, *_) = room
    at = page("app_pages/panel.py", me, lang="cy")
    assert not at.exception
    assert "Y panel moeseg" in at.title[0].value
    assert "Cynghorol" in texts(at) and "Eich cyngor i'r heddlu" == at.radio[0].label


def test_the_console_places_the_panel_in_the_running_order(store, room):
    w, (me, *_) = room
    at = console(w.code)
    assert not at.exception
    control = at.segmented_control(key="facilitator.stage")
    assert control.options[:3] == ["Stage 1: welcome and first views",
                                   "Stage 2: try the uses of AI", "Stage 3: the ethics panel"]
    control.set_value("panel").run()
    assert store.room(w.code)["stage"] == "panel"


# -- the Console's moderation queue -----------------------------------------------------


def test_written_conditions_and_themes_wait_in_the_queue_and_can_be_corrected(store, room):
    w, (me, other, *_) = room
    store.panel_verdict(me.id, PANEL.use_case, "conditions", ["Publish the monitor's data"],
                        cid())
    advice = store.add_advice(other.id, "oversight", "A person must check every call",
                              cid())
    at = console(w.code)
    assert not at.exception
    assert any(t.value == "Publish the monitor's data" for t in at.text)
    tags = at.pills(key=f"themes.advice.{advice.id}")
    assert tags.value == ["oversight"]  # found by the word lists
    tags.set_value(["oversight", "jobs"]).run()
    corrected = store.tagged_texts(w.code).set_index(["kind", "item_id"])
    assert corrected.loc[("advice", advice.id), "themes"] == ["oversight", "jobs"]
    verdict = int(store.panel_results(w.code)["verdict_id"].iloc[0])
    at.button(key=f"ok.condition.{verdict}").click().run()
    assert store.panel_results(w.code)["status"].tolist() == ["approved"]


# -- the Screen -------------------------------------------------------------------------


def screen(store, code: str, lang: str | None = None) -> AppTest:
    key = screen_key(code, store.workshop(code).passphrase_hash)
    at = AppTest.from_file(str(ROOT / "app_pages/screen.py"), default_timeout=120)
    at.query_params["code"] = code
    at.query_params["key"] = key
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_the_screen_shows_the_panels_verdicts_and_approved_conditions_only(store, room):
    w, people = room
    store.set_stage(w.code, "panel")
    for me, verdict in zip(people[:5], ["conditions", "conditions", "pause", "approve",
                                        "conditions"], strict=True):
        store.panel_verdict(me.id, PANEL.use_case, verdict, ["audit_by_group"], cid())
    store.panel_verdict(people[5].id, PANEL.use_case, "conditions",
                        ["tell_public", "Not yet read words"], cid())
    at = screen(store, w.code)
    assert not at.exception
    shown = screen_html(at)
    assert "The panel&#x27;s advice (6 people)" in shown
    assert "An independent audit, group by group, every three months" in shown
    assert "Not yet read words" not in shown
    verdict = int(store.panel_results(w.code).iloc[-1]["verdict_id"])
    store.moderate_condition(w.code, verdict, "approved")
    assert "Not yet read words" in screen_html(screen(store, w.code))
    welsh = screen_html(screen(store, w.code, lang="cy"))
    assert "Cyngor y panel (6 o bobl)" in welsh and "Archwiliad annibynnol" in welsh


def test_the_closing_slide_says_the_panels_advice_given_most(store, room):
    w, people = room
    for me, verdict in zip(people[:5], ["conditions", "pause", "conditions", "approve",
                                        "conditions"], strict=True):
        store.panel_verdict(me.id, PANEL.use_case, verdict, [], cid())
    store.close_workshop(w.code)
    shown = html_module.unescape(screen_html(screen(store, w.code)))
    assert "The answer given most: “Approve, with conditions” (3 of 5)." in shown


def test_the_screen_shows_the_rooms_tally_on_the_record(store, room):
    w, people = room
    store.set_stage(w.code, "use_cases")
    store.set_preset(w.code, CALLS.name, None, None)
    for me in people[:3]:
        store.record_answer(me.id, CALLS.name, {"performance": "yes"}, "no", cid())
    store.record_answer(people[3].id, CALLS.name, {"performance": "no"}, "yes", cid())
    shown = screen_html(screen(store, w.code))
    assert "must the public be told this part?" in shown
    assert "How well it works, group by group" in shown
    assert '<span class="n">3 of 4</span>' in shown  # 3 of the 4 who answered say yes


def test_the_screen_counts_themes_with_approved_examples_only(store, room):
    w, (me, other, *_) = room
    store.set_stage(w.code, "questions")
    shown_advice = store.add_advice(me.id, "transparency", "Publish the record", cid())
    store.add_advice(other.id, "transparency", "Tell the public everything", cid())
    store.moderate_advice(w.code, shown_advice.id, "approved")
    shown = screen_html(screen(store, w.code))
    assert "What people&#x27;s words are about (2 texts)" in shown
    assert "Publish the record" in shown and "Tell the public everything" not in shown


# -- where I sit --------------------------------------------------------------------------


def test_where_i_sit_names_my_group_and_the_advice_that_sets_it_apart(store, room,
                                                                      monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")
    w, people = room
    items = [store.add_advice(people[0].id, "oversight", text, cid()) for text in (
        "Keep a person in charge", "Pause it now", "Publish the audits", "Train officers")]
    for a in items:
        store.moderate_advice(w.code, a.id, "approved")
    for n, me in enumerate(people):  # two camps of four
        side = n < 4
        for k, a in enumerate(items):
            vote = "agree" if (k < 2) == side or k == 3 else "disagree"
            store.vote(me.id, a.id, vote)
    at = page("app_pages/advice.py", people[0])
    assert not at.exception
    said = texts(at)
    assert "You are in group" in said and "4 of the 8 people who voted are in it" in said
    assert any(t.value in {"Keep a person in charge", "Pause it now", "Publish the audits"}
               for t in at.text)
    assert "Your group: 100 in 100 of its votes agree. Everyone else: 0 in 100." in " ".join(
        c.value for c in at.caption)
