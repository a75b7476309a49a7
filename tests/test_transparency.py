"""A tool's public record is filled from the run it describes: the same group rates as
the outcome, the bias settings that were moved, the fix, and how people check the
decisions. The ethics panel's run is the one its page and Screen show."""

import pytest

from simulators import registry
from simulators.transparency import ALGO_CARE, FACTS, PANEL, SECTIONS, STANDARD, record

#: Small, quick runs of every use case with bias put in and a setting of each kind.
RUNS = {
    "TriageConfig": dict(n_calls=600, audit_size=100, seed=3, label_bias=0.4,
                         human_review_share=0.3, reviewer_bias=0.2),
    "EvidenceConfig": dict(n_cases=10, seed=2, label_bias=0.5, method="learned",
                           mitigation="per_witness_quota"),
    "HotspotConfig": dict(days=40, grid_size=12, n_patrols=10, historic_patrol_bias=0.3),
    "RiskConfig": dict(n_people=400, seed=1, historic_patrol_bias=0.5,
                       learns_from="audited"),
}


def run(use_case: registry.UseCase, **changes):
    config = use_case.config_class()(**{**RUNS[use_case.config_name], **changes})
    return config, use_case.module().simulate(config)


@pytest.mark.parametrize("name", list(registry.USE_CASES))
def test_the_record_holds_the_runs_own_numbers_and_settings(name):
    use_case = registry.get(name)
    config, outcome = run(use_case)
    rec = record(name, config, outcome)
    assert set(rec) >= {"tier1", "tier2"}
    assert set(rec["tier2"]) == set(SECTIONS)
    performance = rec["tier2"]["performance"]
    assert performance == outcome.rates  # each group's rates, the same numbers
    performance["A"]["selection_rate"] = -1.0  # a copy: the outcome is not touched
    assert outcome.rates["A"]["selection_rate"] != -1.0
    moved = {b["field"] for b in rec["tier2"]["risks"]["bias"] if b["in_play"]}
    assert moved == {k for k in RUNS[use_case.config_name] if k in {
        b["field"] for b in rec["tier2"]["risks"]["bias"]}}
    assert rec["tier2"]["risks"]["harm"] == outcome.terms.harm
    assert rec["tier2"]["data"]["size"] == getattr(config, FACTS[use_case.config_name].size)
    assert rec["tier1"]["name"] == use_case.title
    assert rec["standard"]["version"] == STANDARD["version"] == "3.0"


def test_unmoved_bias_settings_are_not_in_play_and_no_fix_says_none():
    use_case = registry.get(PANEL.use_case)
    config = use_case.config_class()(days=40, grid_size=12, n_patrols=10)
    rec = record(use_case, config, use_case.module().simulate(config))
    assert not any(b["in_play"] for b in rec["tier2"]["risks"]["bias"])
    assert rec["tier2"]["risks"]["fix"]["value"] == "none"


def test_human_review_says_whether_and_how_decisions_are_checked():
    calls = next(u for u in registry.USE_CASES.values() if u.config_name == "TriageConfig")
    config, outcome = run(calls)
    review = record(calls, config, outcome)["tier2"]["human_review"]
    assert (review["kind"], review["share"], review["checker_bias"]) == ("checked", 0.3, 0.2)
    config, outcome = run(calls, human_review_share=0.0)
    assert record(calls, config, outcome)["tier2"]["human_review"]["kind"] == "none"
    config, outcome = run(calls, decided_by="people")
    review = record(calls, config, outcome)["tier2"]["human_review"]
    assert review["kind"] == "people" and review["decided_by"]["value"] == "people"
    hotspots = registry.get(PANEL.use_case)
    config, outcome = run(hotspots)
    review = record(hotspots, config, outcome)["tier2"]["human_review"]
    assert review["kind"] == "monitor" and review["monitor_limit"] == config.monitor_limit
    assert review["flag_day"] == outcome.flag_day


def test_the_fix_and_what_it_learns_from_are_named():
    calls = next(u for u in registry.USE_CASES.values() if u.config_name == "TriageConfig")
    config, outcome = run(calls)
    assert record(calls, config, outcome)["tier2"]["data"]["choices"] == []  # no fix on
    config, outcome = run(calls, mitigation="threshold_optimizer", mitigation_data="history")
    data = record(calls, config, outcome)["tier2"]["data"]
    assert [(c["field"], c["value"]) for c in data["choices"]] == [
        ("mitigation_data", "history")]
    risk = next(u for u in registry.USE_CASES.values() if u.config_name == "RiskConfig")
    config, outcome = run(risk)
    data = record(risk, config, outcome)["tier2"]["data"]
    assert [(c["field"], c["value"]) for c in data["choices"]] == [("learns_from", "audited")]
    evidence = next(u for u in registry.USE_CASES.values() if u.config_name == "EvidenceConfig")
    config, outcome = run(evidence)
    fix = record(evidence, config, outcome)["tier2"]["risks"]["fix"]
    assert fix["value"] == "per_witness_quota" and fix["value_label"]


def test_every_tool_has_its_facts_and_the_panel_reviews_a_monitored_tool():
    assert {u.config_name for u in registry.USE_CASES.values()} == set(FACTS)
    assert len(ALGO_CARE) == 8
    config = PANEL.config()
    assert config.days == PANEL.days == 90
    outcome = registry.get(PANEL.use_case).module().simulate(config)
    assert outcome.check_day is not None  # the monitor runs in the panel's run
