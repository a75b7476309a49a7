"""AppTest of the evidence page: a visitor's strip and case file, a joined participant's
steps, the panels (opened with ``WORKSHOP_OPEN_PANELS=1``), the notes that compare like
with like, presets, and odd input met with a message rather than a traceback."""

import pytest
from streamlit.testing.v1 import AppTest

from simulators import registry
from simulators.evidence import PRESETS, EvidenceConfig, numbers_shown, simulate, toy_sizes
from tests.pages import ROOT, captions, page_runner, strip, texts
from ui import cache
from ui import evidence_claims as says
from ui.figures import per_100
from ui.participant import Me
from workshop.i18n import translator
from workshop.store import Store

PAGE = "app_pages/evidence.py"
_page = page_runner(PAGE)
PASSPHRASE = "a long workshop passphrase"  # 12+ characters, as the store asks


@pytest.fixture
def open_panels(monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")


def _shown(at: AppTest) -> dict:
    return at.session_state["evidence.shown"]


def notes(at: AppTest, icon_text: str) -> str:
    return " ".join(i.value for i in at.info if icon_text in i.value)


def n100(rate: float) -> str:
    return str(per_100(rate))


def points(n: int) -> str:
    return "no gap" if n == 0 else f"{n} point" + ("" if n == 1 else "s")


def _slide(at: AppTest, name: str, value) -> AppTest:
    return at.select_slider(key=f"evidence.{name}").set_value(value).run()


def _joined() -> AppTest:
    store = Store()
    w = store.create_workshop("Library, 3 March", PASSPHRASE)
    p = store.join(w.code)
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.query_params["p"] = p.id
    return at.run()


# --------------------------------------------------------------------------- who sees what


def test_a_visitor_sees_the_strip_then_the_case_file_and_folded_panels():
    at = _page()
    assert not at.exception
    assert "Summarising evidence" in at.title[0].value
    shown = strip(at)
    assert "key facts left out" in shown and "Of every 100 key facts" in shown
    record_now = _shown(at)["metrics"]
    for g in ("A", "B"):
        assert f">{n100(record_now[f'false_negative_rate[{g}]'])}</span>" in shown
    # The case file is open; deeper panels are folded and not worked out.
    case = simulate(EvidenceConfig()).case_file
    assert f"The AI kept {int(case['included'].sum())} of the file's {len(case)} sentences." \
        in captions(at)
    assert not at.get("vega_lite_chart") and not at.checkbox
    labels = [e.label for e in at.expander]
    assert "🕵️ Be the officer" in labels
    assert "Key facts left out, by witness group (all 100 case files)" in labels
    assert _shown(at)["config"] == EvidenceConfig().to_dict()


def test_a_joined_participant_answers_first_and_sees_no_result_until_then():
    at = _joined()
    assert not at.exception
    assert "Step 1 of 3" in captions(at)
    assert any("Before you try it" in m.value for m in at.markdown)
    assert not strip(at) and not at.get("vega_lite_chart") and not at.metric
    assert not at.get("select_slider")
    assert _shown(at)["metrics"] == {}
    at.radio(key="reaction.evidence.before.comfort").set_value(2)
    [send] = [b for b in at.button if b.label == "Send my answer"]
    send.click().run()
    assert not at.exception
    assert "Step 2 of 3" in captions(at)
    assert strip(at) and at.get("select_slider")
    assert "false_negative_rate[B]" in _shown(at)["metrics"]


def test_a_joined_participant_can_skip_the_first_question():
    at = _joined()
    [skip] = [b for b in at.button if b.label == "Skip this question"]
    skip.click().run()
    assert not at.exception
    assert strip(at)


# --------------------------------------------------------------------------- the panels


def test_every_panel_when_open(open_panels):
    at = _page()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    for heading in ("The AI's summary", "The whole case file"):
        assert heading in subheaders
    case = simulate(EvidenceConfig()).case_file
    text = " ".join(texts(at).split())  # Markdown's own line breaks as spaces
    for sentence in case["text"].head(3):
        assert sentence.replace("'", "&#x27;") in text  # shown, escaped
    # Every sentence carries its source as text and as a colour-blind-safe colour.
    assert "🔵 A · Witness" in text and "#0072B2" in text
    assert "🔶 B · Witness" in text and "#A86400" in text
    assert "📹 CCTV" in text and "📝 Officer&#x27;s notes" in text
    assert "✅ in the summary" in text and "✖️ left out" in text
    # Facts that point away from the arrested person: counted, then one way of counting.
    out = simulate(EvidenceConfig())
    total = out.exculpatory_total
    assert (f"witnesses gave **{sum(total.values())}** sentences that point away from the "
            f"person arrested: {total['A']} from group A and {total['B']} from group B") in text
    excul = out.left_out_by_fact.loc["exculpatory"]
    reading = ("Of the facts that point away from the arrested person, the summaries left "
               f"out {n100(excul['A'])} in 100 from group A and {n100(excul['B'])} in 100 "
               "from group B.")
    assert f"**{reading}**" in text
    assert len(at.get("vega_lite_chart")) == 2
    # Sources said for what they measured; the analogy said to be ours.
    assert "Keswani and Celis (2021)" in text and "Olabisi and Agrawal (2024)" in text
    assert "Measured: how often tweets in each dialect" in text
    assert "is our own analogy" in text and "neither study measured second-language" in text
    sizes = toy_sizes()
    assert (f"from {sizes['test_incidents']} incidents of {sizes['kinds']} kinds of crime: "
            f"{sizes['min_witnesses']} to {sizes['max_witnesses']} witness statements") in text
    assert f"studies {sizes['history_cases']} old case files" in text
    shown = _shown(at)
    assert shown["metrics"]["exculpatory_total[A]"] == total["A"]


def test_toggle_shows_only_what_was_left_out():
    at = _page()
    assert "✅ in the summary" in texts(at)
    at.toggle(key="evidence.only_left_out").set_value(True).run()
    assert not at.exception
    file_text = texts(at)
    assert "✖️ left out" in file_text
    assert "✅ in the summary" not in file_text


def test_be_the_officer_hides_the_answer_then_scores_the_ticks(open_panels):
    case = simulate(EvidenceConfig()).case_file
    left_out = case[~case["included"]]
    missed = left_out[left_out["key"]]
    at = _page()
    assert "🛡️ points away" not in texts(at)  # no fact marks before the reveal
    assert len(at.checkbox) == len(left_out)  # one box per sentence left out

    def tick(position):
        at.checkbox(key=next(c.key for c in at.checkbox
                             if c.key.endswith(f".{position}"))).check()

    for position in missed["position"][:2]:
        tick(position)
    tick(left_out[~left_out["key"]]["position"].iloc[0])
    at.run()
    at.button(key="evidence.reveal").click().run()
    assert not at.exception
    result = at.success[0].value
    assert f"You spotted **2 of the {len(missed)}** key facts" in result
    assert "1 of the sentences you ticked was not a key fact." in result
    assert "points away from the arrested person" in texts(at)  # marks now shown
    assert _shown(at)["metrics"]["officer_caught"] == 2
    # Moving a slider keeps the marks on and offers to play again.
    _slide(at, "summary_ratio", 0.5)
    assert not at.exception
    assert any("You have seen the answer" in i.value for i in at.info)
    assert "points away from the arrested person" in texts(at)
    at.button(key="evidence.play_again").click().run()
    assert "🛡️ points away" not in texts(at)
    assert at.button(key="evidence.reveal")


# --------------------------------------------------------------------------- the sliders


def test_a_bias_slider_changes_the_strip():
    at = _page()
    before_strip, before = strip(at), _shown(at)["metrics"]["false_negative_rate[B]"]
    _slide(at, "dialect_strength", 1.0)
    assert not at.exception
    assert _shown(at)["config"]["dialect_strength"] == 1.0
    assert _shown(at)["metrics"]["false_negative_rate[B]"] > before + 0.03
    assert strip(at) != before_strip


def test_old_bias_with_the_ai_that_does_not_learn_is_said_to_change_nothing():
    at = _page()
    assert "No: this AI picks what the rest of the file repeats" in notes(at, "old summaries")
    before = _shown(at)["metrics"]
    _slide(at, "label_bias", 0.6)
    assert not at.exception
    assert _shown(at)["metrics"] == before  # nothing moved ...
    assert "changes nothing here: this AI does not learn from them" in strip(at)  # ... and why


def _history_numbers(at: AppTest) -> dict[str, str]:
    m = _shown(at)["metrics"]
    return {"a": n100(m["false_negative_rate[A]"]), "b": n100(m["false_negative_rate[B]"]),
            "fair_a": n100(m["fair_history.false_negative_rate[A]"]),
            "fair_b": n100(m["fair_history.false_negative_rate[B]"])}


@pytest.mark.parametrize("key, verdict", [
    ("biased_past_same_words", "So the old bias cannot single out group B here"),
    ("biased_past_own_words", "So the old bias does reach group B here: it widens the gap by"),
])
def test_the_page_says_when_old_bias_reaches_group_b_with_the_runs_numbers(key, verdict):
    config = next(p.config for p in PRESETS if p.key == key)
    spread = cache.over_towns(registry.get("evidence"), "bands", config, wait=True)
    at = _page()
    at.button_group(key="evidence.preset").set_value(key).run()
    assert not at.exception
    note = notes(at, "Can the old summaries' bias reach these summaries?")
    n = _history_numbers(at)
    assert (f"this summary leaves out {n['a']} in 100 of group A's key facts and {n['b']} in "
            f"100 of group B's; after fair old summaries it would leave out {n['fair_a']} and "
            f"{n['fair_b']}.") in note
    assert verdict in note
    for claim in says.history_claims(cache.outcome(registry.get("evidence"), config), spread,
                                     translator("en")):
        assert claim.text in note, claim.slot
    m = _shown(at)["metrics"]
    assert (f"The analysts left out {n100(m['history_left_out[B]'])} in 100 of group B's key "
            f"facts, against {n100(m['history_left_out[A]'])} in 100 of group A's") in note
    if "own" in key:
        assert f"here {n100(m['own_words_share'])} in 100 of group B's sentences" in note
    fair_gap = abs(int(n["fair_b"]) - int(n["fair_a"]))
    assert f"With fair old summaries, on the same case files: {points(fair_gap)}." in strip(at)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_a_preset_puts_its_settings_and_script_on_screen(preset):
    at = _page()
    at.button_group(key="evidence.preset").set_value(preset.key).run()
    assert not at.exception
    assert _shown(at)["config"] == preset.config.to_dict()
    assert preset.script in [i.value for i in at.info]


def test_the_threshold_fix_is_compared_with_the_same_files_and_says_its_costs():
    at = _page()
    at.radio(key="evidence.mitigation").set_value("threshold_optimizer").run()
    assert not at.exception
    m = _shown(at)["metrics"]
    note = notes(at, "Without the fix, on the same case files")
    fixed = cache.outcome(registry.get("evidence"),
                          EvidenceConfig(mitigation="threshold_optimizer"))
    for claim in says.fix_claims(fixed, None, translator("en")):
        if claim.variant == "":
            assert claim.text in note, claim.slot
    # Its length, against the same files without it (not against the slider).
    assert (f"The summaries keep {n100(m['summary_share'])} in 100 sentences with the fix, "
            f"against {n100(m['without_fix.summary_share'])} without it") in note
    assert (f"summaries as long as the fix made them would leave out "
            f"{n100(m['same_length.false_negative_rate[A]'])} in 100") in note
    if m["coin_toss_share"] or m["chance_decided_share"]:
        assert "was a real toss-up" in note
    was = abs(per_100(m["without_fix.false_negative_rate[B]"])
              - per_100(m["without_fix.false_negative_rate[A]"]))
    assert f"Without the fix, on the same case files: {points(was)}." in strip(at)


def test_the_share_for_every_witness_fix_keeps_the_length():
    at = _page()
    at.radio(key="evidence.mitigation").set_value("per_witness_quota").run()
    assert not at.exception
    note = notes(at, "Without the fix, on the same case files")
    m = _shown(at)["metrics"]
    assert n100(m["summary_share"]) == n100(m["without_fix.summary_share"])
    assert "toss-up" not in note and "summaries as long as" not in note


# --------------------------------------------------------------------------- odd input


def test_typed_world_number_out_of_range_is_kept_in_range():
    at = _page()
    at.number_input(key="evidence.seed").set_value(-5).run()
    assert not at.exception
    assert 0 <= _shown(at)["config"]["seed"] <= 9999


@pytest.mark.parametrize(
    "key, value",
    [("evidence.n_cases", 5000), ("evidence.method", "magic"),
     ("evidence.dialect_strength", "lots"), ("evidence.label_bias", 0.85)],
)
def test_impossible_stored_settings_give_a_message_not_a_traceback(key, value):
    at = _page(**{key: value})
    assert not at.exception
    assert any("put back to normal" in w.value for w in at.warning)
    assert _shown(at)["config"] == EvidenceConfig().to_dict()


def test_the_record_is_what_the_simulator_records():
    at = _page()
    shown = _shown(at)
    assert shown["metrics"] == numbers_shown(simulate(EvidenceConfig.from_dict(shown["config"])))
