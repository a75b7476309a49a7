"""The report's transparency and oversight: the room's tally on each tool's record, the
ethics panel's verdicts and conditions (written ones only if approved), and the themes
of what people wrote, counted without hidden text and quoted from approved text only;
in English and Welsh."""

import uuid

import pytest

from simulators import registry
from simulators.transparency import PANEL
from tests.test_report import text_of
from workshop import report
from workshop.store import Store

PASS = "correct horse battery"
CALLS = next(iter(registry.USE_CASES.values()))


def cid() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def workshop(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'w.db'}")
    w = s.create_workshop("Hall", PASS)
    people = [s.join(w.code) for _ in range(5)]
    for p, told in zip(people, ["yes", "yes", "yes", "no", "yes"], strict=True):
        s.record_answer(p.id, CALLS.name, {"performance": told, "owner": "yes"},
                        "no" if told == "yes" else "unsure", cid())
    for p, verdict in zip(people, ["conditions", "conditions", "pause", "approve",
                                   "conditions"], strict=True):
        s.panel_verdict(p.id, PANEL.use_case, verdict, ["audit_by_group"], cid())
    s.panel_verdict(people[0].id, PANEL.use_case, "conditions",
                    ["tell_public", "Ask the estate's residents first"], cid())
    s.panel_verdict(people[1].id, PANEL.use_case, "conditions",
                    ["audit_by_group", "Secret words nobody approved"], cid())
    approved = int(s.panel_results(w.code).set_index("participant_id")
                   .loc[people[0].id, "verdict_id"])
    s.moderate_condition(w.code, approved, "approved")
    kept = s.add_advice(people[2].id, "transparency", "Publish every audit of the tool", cid())
    s.moderate_advice(w.code, kept.id, "approved")
    s.add_advice(people[3].id, "transparency", "Tell the public quietly", cid())  # pending
    hidden = s.add_advice(people[4].id, "oversight", "Jobs jobs jobs", cid())
    s.moderate_advice(w.code, hidden.id, "hidden")
    yield s, w
    s.engine.dispose()


def test_the_report_tells_the_record_tally_the_panel_and_the_themes(workshop, tmp_path):
    s, w = workshop
    text = text_of(report.build_report(s, w.code), tmp_path)
    assert "The tools' public records" in text and "ATRS, version 3.0" in text
    assert "5 people answered about this record." in text
    assert "4 of 5" in text  # must the public be told how well it works
    assert "Of the 5 who answered: 0 yes, 4 no, 1 not sure." in text
    assert "5 people gave advice; the advice given most:" in text
    assert "“Approve, with conditions" in text and "(3)." in text
    assert "Ask the estate's residents first" in text
    assert "Secret words nobody approved" not in text
    assert "1 condition someone wrote was not approved" in text
    assert "Oswald, Grace, Urwin and Barnes (2018)" in text
    outcome = registry.get(PANEL.use_case).module().simulate(PANEL.config())
    assert (f"the tool's monitor raised a flag on day {outcome.flag_day + 1}" in text
            if outcome.flag_day is not None else "monitor raised no flag" in text)
    assert "What people's words were about" in text
    assert "Publish every audit of the tool" in text
    assert "Tell the public quietly" not in text  # counted, never quoted: not approved
    assert "Jobs jobs jobs" not in text


def test_the_welsh_report_has_the_same_parts(workshop, tmp_path):
    s, w = workshop
    text = text_of(report.build_report(s, w.code, lang="cy"), tmp_path)
    assert "Cofnodion cyhoeddus yr offer" in text and "Y panel moeseg" in text
    assert "Rhoddodd 5 o bobl gyngor" in text


def test_an_empty_workshop_says_nobody_answered(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'e.db'}")
    w = s.create_workshop("Empty", PASS)
    text = text_of(report.build_report(s, w.code), tmp_path)
    assert "Nobody answered about a tool's record in this workshop." in text
    assert "Nobody gave the panel's advice in this workshop." in text
    s.engine.dispose()
