"""Crime hotspots: watch patrols follow records and records follow patrols, day by day."""

import streamlit as st

from simulators.hotspot_views import numbers_shown
from simulators.hotspots import MITIGATION_CHOICES, PRESETS, HotspotConfig, harm_of
from ui import hotspots as hs
from ui.fairness_panel import fairness_panel, figures_of
from ui.i18n import _, ngettext, num
from ui.presets import preset_pills, preset_script
from ui.record_panel import record_panel
from ui.strip import bands_for, chance_text, result_strip, strip_container, towns_for
from ui.use_case_page import (
    after_step,
    folded,
    remember,
    simulate_shown,
    start,
    why_panel,
)

page = start(hs.KEY, hs.story)


@st.fragment
def try_it() -> None:
    strip = strip_container()
    preset_pills(PRESETS, key=hs.KEY, then=hs.after_preset)
    config = hs.settings(HotspotConfig)
    preset_script(PRESETS, config, key=hs.KEY)
    outcome = simulate_shown(page, config)
    bands = bands_for(page.use_case, config)
    with strip:
        result_strip(figures_of(outcome), extra=hs.strip_note(outcome),
                     chance=chance_text(bands, f"gap:{harm_of(config)}"))
    hs.days_view(outcome)

    if panel := folded(_("How the loop works"), f"{hs.KEY}.panel.loop"):
        with panel:
            hs.loop_panel(outcome, bands)
    if panel := folded(_("Every fix has a cost"), f"{hs.KEY}.panel.costs"):
        with panel:
            hs.costs_panel(config, {fix: simulate_shown(page, config.replace(mitigation=fix))
                                    for fix in MITIGATION_CHOICES})
    if panel := folded(_("Watching it over time"), f"{hs.KEY}.panel.monitor"):
        with panel:
            hs.monitor_panel(outcome, towns_for(page.use_case, "monitor", config))
    if panel := folded(_("What this does to each group"), f"{hs.KEY}.panel.groups"):
        with panel:
            fairness_panel(outcome, title=ngettext(
                "On the one day the AI ran", "Over the last {n} days",
                outcome.audit_days).format(n=num(outcome.audit_days)),
                metrics=["false_negative_rate", "false_positive_rate", "selection_rate"])
            hs.fairness_note(outcome)
    record_panel(page, config, outcome)
    why_panel(page.name, hs.background)

    remember(page, config, numbers_shown(outcome))


if page.trying:
    try_it()
after_step(page)
