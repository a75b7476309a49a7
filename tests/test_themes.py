"""What people's words are about: the word lists tag known sentences in English and
Welsh, a facilitator's correction wins (and stays with its own text), and counts leave
hidden text out."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import uuid

import pytest
from sqlalchemy import text

from tests.test_store import PASS, db_url, store  # noqa: F401 - fixtures
from workshop import analysis
from workshop.i18n import LANGUAGES, Translator
from workshop.themes import THEMES, WORDS, patterns, tags, themes_of

ENGLISH = [
    ("Who is accountable when the AI gets it wrong?", {"oversight", "accuracy_bias"}),
    ("A human should always check the AI's decisions", {"oversight"}),
    ("The police must publish how every tool works and tell the public", {"transparency"}),
    ("People are biased too; the AI might be fairer than people", {"people_bias",
                                                                   "accuracy_bias"}),
    ("Is there any evidence it works? Trial it first.", {"evidence"}),
    ("It must not cost call handlers their jobs", {"jobs"}),
    ("Who owns my personal data, and can a private company see it?", {"data_privacy"}),
    ("This is all happening too fast, slow down", {"pace"}),
    ("Group B's hotspots were missed more often: that's unfair", {"accuracy_bias"}),
]
WELSH = [
    ("Pwy sy'n atebol pan fydd yr AI yn anghywir?", {"oversight", "accuracy_bias"}),
    ("Dylai'r heddlu fod yn dryloyw a chyhoeddi'r cofnod", {"transparency"}),
    ("Mae rhagfarn pobl yn waeth na thuedd yr AI", {"people_bias", "accuracy_bias"}),
    ("Does dim tystiolaeth ei fod yn gweithio", {"evidence"}),
    ("Ni ddylai neb golli eu swyddi", {"jobs"}),
    ("Pwy sy'n cadw ein data personol? Dim cwmni preifat", {"data_privacy"}),
    ("Mae hyn yn digwydd yn rhy gyflym", {"pace"}),
]


@pytest.mark.parametrize(("sentence", "expected"), ENGLISH)
def test_english_sentences_get_their_themes(sentence, expected):
    assert set(themes_of(sentence)) == expected


@pytest.mark.parametrize(("sentence", "expected"), WELSH)
def test_welsh_sentences_get_their_themes(sentence, expected):
    assert set(themes_of(sentence, lang="cy")) == expected
    assert expected <= set(tags(sentence))  # a room's text is read in both languages


def test_words_match_whole_words_or_marked_beginnings_ignoring_case_and_accents():
    assert themes_of("ACCOUNTABILITY") == ["oversight"]
    assert themes_of("The openings were grand") == []  # "open" is a whole word
    assert themes_of("Heb ganiatad", lang="cy") == ["data_privacy"]  # caniatâd, no accent
    assert themes_of("") == [] and themes_of("   ") == []
    assert themes_of("Lovely weather in Leeds") == []


def test_every_theme_has_words_in_each_language_and_the_welsh_are_welsh():
    assert set(WORDS) == set(THEMES) >= {"transparency", "oversight", "accuracy_bias"}
    for lang in LANGUAGES:
        assert all(patterns(lang)[theme] for theme in THEMES), lang
    welsh = Translator("cy")
    for words in WORDS.values():
        assert welsh.gettext(words) != words  # a translation, not a copy


def test_a_facilitators_correction_wins_and_stays_with_its_text(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    a = store.add_advice(p.id, "transparency", "Publish every audit", uuid.uuid4().hex)
    rows = store.tagged_texts(w.code)
    assert rows["themes"].tolist() == [["transparency"]]
    assert not rows["corrected"].any()
    revision = store.revision(w.code)
    store.set_themes(w.code, "advice", a.id, ["oversight", "transparency"])
    assert store.revision(w.code) > revision  # the Screen redraws
    rows = store.tagged_texts(w.code)
    assert rows["themes"].tolist() == [["oversight", "transparency"]] and rows["corrected"].all()
    store.set_themes(w.code, "advice", a.id, [])  # about none of them
    assert store.tagged_texts(w.code)["themes"].tolist() == [[]]
    with store.engine.begin() as c:  # the same id now holds other words
        c.execute(text("UPDATE advice SET text = 'Slow down' WHERE id = :id"), {"id": a.id})
    assert store.tagged_texts(w.code)["themes"].tolist() == [["pace"]]
    store.set_themes(w.code, "advice", a.id, None)  # back to the word lists
    assert not store.tagged_texts(w.code)["corrected"].any()


def test_corrections_are_checked(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    a = store.add_advice(p.id, "oversight", "Keep a person in charge", uuid.uuid4().hex)
    with pytest.raises(ValueError, match="themes must come from"):
        store.set_themes(w.code, "advice", a.id, ["astrology"])
    with pytest.raises(ValueError, match="kind"):
        store.set_themes(w.code, "vote", a.id, [])
    with pytest.raises(ValueError, match="No such text"):
        store.set_themes(w.code, "comment", a.id, [])  # an advice id is not a comment's
    other = store.create_workshop("Elsewhere", PASS)
    with pytest.raises(ValueError, match="No such text"):
        store.set_themes(other.code, "advice", a.id, [])


def test_counts_leave_hidden_text_out_and_cover_comments_advice_and_conditions(store):
    w = store.create_workshop("Hall", PASS)
    p = store.join(w.code)
    store.record(p.id, "overall", "before", 2, [], "Too fast, and who is accountable?", {},
                 {}, uuid.uuid4().hex)
    kept = store.add_advice(p.id, "oversight", "A human must check it", uuid.uuid4().hex)
    hidden = store.add_advice(p.id, "oversight", "Hide the jobs figures", uuid.uuid4().hex)
    store.panel_verdict(p.id, "hotspots", "conditions", ["Publish the monitor's data"],
                        uuid.uuid4().hex)
    store.moderate_advice(w.code, hidden.id, "hidden")
    texts = store.tagged_texts(w.code)
    assert sorted(texts["kind"]) == ["advice", "advice", "comment", "condition"]
    counts = analysis.theme_tally(texts, list(THEMES))
    assert counts.to_dict() == {"oversight": 3, "transparency": 1, "data_privacy": 1,
                                "pace": 1}
    assert "jobs" not in counts  # only the hidden advice spoke of jobs
    assert kept.id in set(texts.loc[texts["kind"] == "advice", "item_id"])
