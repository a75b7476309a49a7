"""101 calls: an AI answers the police non-emergency number. Who gets missed, and what helps."""

import streamlit as st

from simulators.call_triage import numbers_shown
from ui import call_triage as ct
from ui import decide
from ui import listen_in as li
from ui.fairness_panel import fairness_panel, figures_of
from ui.i18n import _
from ui.record_panel import record_panel
from ui.strip import bands_for, chance_text, result_strip, strip_container
from ui.use_case_page import (
    after_step,
    folded,
    remember,
    simulate_shown,
    start,
    why_panel,
)

page = start(ct.KEY, ct.story)


@st.fragment
def try_it() -> None:
    strip = strip_container()
    config = ct.settings()
    outcome = simulate_shown(page, config)
    bands = bands_for(page.use_case, config)
    with strip:
        result_strip(figures_of(outcome), extra=ct.strip_note(config, outcome),
                     chance=chance_text(bands))
    if panel := folded(_("🎧 Listen in"), f"{ct.KEY}.panel.listen", expanded=True):
        with panel:
            li.listen(config, outcome)
    if panel := folded(_("🕵️ Can the AI tell the groups apart?"), f"{ct.KEY}.panel.proxies"):
        with panel:
            li.proxies(outcome, bands)
    if panel := folded(_("🛠️ Try a fix"), f"{ct.KEY}.panel.fix"):
        with panel:
            ct.fix(page, config, outcome, bands)
    if panel := folded(_("👤 A person in the loop"), f"{ct.KEY}.panel.review"):
        with panel:
            ct.review(config, outcome, bands)
    if panel := folded(_("📞 People without AI"), f"{ct.KEY}.panel.people"):
        with panel:
            ct.people(config, outcome, bands)
    if panel := folded(_("⏱️ What the AI saves"), f"{ct.KEY}.panel.saves"):
        with panel:
            ct.saves(config, outcome, bands)
    if panel := folded(_("⚖️ What this does to each group"), f"{ct.KEY}.panel.groups"):
        with panel:
            fairness_panel(outcome, title=_("Every kind of mistake, group by group"),
                           metrics=["false_negative_rate", "false_positive_rate",
                                    "selection_rate"])
            ct.heard_and_graded(outcome)
    record_panel(page, config, outcome)
    why_panel(page.name, ct.background)
    if page.decides and (panel := folded(_("🧑‍⚖️ You and the room against the AI"),
                                         f"{ct.KEY}.panel.room")):
        with panel:
            decide.room_panel(page.name)
    remember(page, config, numbers_shown(outcome))


if page.trying:
    try_it()
after_step(page, extra_fields=ct.saved_hours_question, extra=ct.saved_hours_answer)
