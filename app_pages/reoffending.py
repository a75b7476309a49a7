"""Reoffending risk: who does an AI label high risk from police records, and why this
person? Beside it, offender managers deciding by hand, and what a fix costs."""

import streamlit as st

from simulators.fairness import summary
from ui import decide
from ui import reoffending as risk
from ui.fairness_panel import fairness_panel, figures_of
from ui.i18n import _
from ui.record_panel import record_panel
from ui.reoffending_card import person_card
from ui.reoffending_claims import is_propublica
from ui.strip import bands_for, chance_text, result_strip, strip_container
from ui.use_case_page import (
    after_step,
    folded,
    remember,
    simulate_shown,
    start,
    why_panel,
)

KEY = risk.KEY

page = start(risk.KEY, risk.story)


@st.fragment
def try_it() -> None:
    strip = strip_container()
    config = risk.settings()
    try:
        outcome = simulate_shown(page, config)
    except ValueError:  # a fix whose audit is too small for this town
        st.warning(_("That fix can't be used here: the audit sample is too small for it. "
                     "Use more people or a bigger group B. Showing the AI without a fix "
                     "instead."))
        config = config.replace(mitigation="none")
        outcome = simulate_shown(page, config)
    bands = bands_for(page.use_case, config)
    with strip:
        result_strip(figures_of(outcome), extra=risk.strip_note(outcome),
                     chance=chance_text(bands))
    if is_propublica(config):
        with st.container(border=True):
            risk.propublica_panel(outcome)
    person = None
    if panel := folded(_("Risk scores in each group"), f"{KEY}.panel.scores"):
        with panel:
            risk.scores_panel(outcome)
    if panel := folded(_("What the AI learned from"), f"{KEY}.panel.records"):
        with panel:
            risk.records_panel(outcome, config.n_people)
    if panel := folded(_("One person's card: why this score?"), f"{KEY}.panel.card"):
        with panel:
            person = person_card(outcome)
    if panel := folded(_("People without AI"), f"{KEY}.panel.people"):
        with panel:
            risk.people_panel(outcome, bands)
    if panel := folded(_("Try a fix"), f"{KEY}.panel.fix"):
        with panel:
            risk.fix_panel(outcome, config, bands)
    if panel := folded(_("What this does to each group"), f"{KEY}.panel.groups"):
        with panel:
            fairness_panel(outcome, title=_("Group A beside group B"),
                           metrics=["selection_rate", "false_positive_rate",
                                    "false_negative_rate"])
    record_panel(page, config, outcome)
    why_panel(page.name, risk.background)
    if page.decides and (panel := folded(_("🧑‍⚖️ You and the room against the AI"),
                                         f"{KEY}.panel.room")):
        with panel:
            decide.room_panel(page.name)
    metrics = summary(outcome)
    metrics["coin_toss_share"] = round(outcome.coin_toss_share, 4)
    metrics["chance_decided_share"] = round(outcome.chance_decided_share, 4)
    if person is not None:
        metrics["person_shown"] = person
    remember(page, config, metrics)


if page.trying:
    try_it()
after_step(page)
