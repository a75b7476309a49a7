"""Summarising evidence: which witnesses' key facts does an AI summary leave out?"""

import streamlit as st

from simulators.evidence import PRESETS, EvidenceConfig, numbers_shown
from ui import evidence as ev
from ui.fairness_panel import fairness_panel, figures_of
from ui.i18n import _, num
from ui.presets import settings_box
from ui.record_panel import record_panel
from ui.strip import bands_for, chance_text, result_strip, strip_container
from ui.use_case_page import (
    after_step,
    bias_fields,
    folded,
    remember,
    simulate_shown,
    start,
    why_panel,
)

page = start(ev.KEY, ev.story)


@st.fragment
def try_it() -> None:
    strip = strip_container()
    config = settings_box(EvidenceConfig, PRESETS, key=ev.KEY,
                          title=_("Change the AI and the case files"),
                          first=[*bias_fields(EvidenceConfig), "group_b_share",
                                 "summary_ratio"])
    outcome = simulate_shown(page, config)
    bands = bands_for(page.use_case, config)
    with strip:
        result_strip(figures_of(outcome), extra=ev.strip_note(config, outcome),
                     chance=chance_text(bands))
    ev.history_note(outcome, bands)
    ev.fix_note(outcome, bands)
    check = None
    if panel := folded(_("One case file and its summary"), f"{ev.KEY}.panel.case",
                       expanded=True):
        with panel:
            ev.case_file(outcome, ev.revealed(config))
    if panel := folded(_("🕵️ Be the officer"), f"{ev.KEY}.panel.officer"):
        with panel:
            check = ev.be_the_officer(config, outcome)
    if panel := folded(_("Key facts left out, by witness group (all {n} case files)").format(
            n=num(outcome.n_cases)), f"{ev.KEY}.panel.groups"):
        with panel:
            fairness_panel(outcome, metrics=["false_negative_rate", "selection_rate"])
    if panel := folded(_("🛡️ Facts that point away from the arrested person"),
                       f"{ev.KEY}.panel.excul"):
        with panel:
            ev.exculpatory(outcome)
    record_panel(page, config, outcome)
    why_panel(page.name, ev.background)

    metrics = numbers_shown(outcome)
    if check is not None:
        metrics["officer_caught"] = check.caught
        metrics["officer_missed"] = check.missed
    remember(page, config, metrics)


if page.trying:
    try_it()
after_step(page)
