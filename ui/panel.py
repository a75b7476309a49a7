"""The ethics panel, on a participant's phone: the room sits as a police force's data
ethics panel reviewing one tool after 90 days of use (``simulators.transparency.PANEL``).

Each person sees what the tool's monitor showed (with its flag, if it raised one), the
tool's public record, questions under ALGO-CARE's eight headings, and gives their
advice: approve, approve with conditions, or pause, with conditions picked or written
(a written one waits for the facilitator before the room sees it). Only their latest
advice counts.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from simulators import registry
from simulators.hotspot_views import flag_review
from simulators.hotspots import CHECK_DAY, MONITOR_DAYS
from simulators.transparency import ALGO_CARE, ALGO_CARE_SOURCE, PANEL, record
from ui import hotspot_charts, outbox, participant
from ui.cache import outcome as outcome_of
from ui.charts import draw, spec_for
from ui.figures import per_100
from ui.i18n import _, lang, num
from ui.navigation import WELCOME, page_link
from ui.record_panel import show_record
from ui.store import get_store
from workshop.store import StoreUnavailable, WorkshopNotFound
from workshop.vocabulary import CONDITION_MAX, PANEL_CONDITIONS, VERDICTS

KEY = "panel"
_SAID = f"{KEY}.said"


def reviewed() -> tuple[registry.UseCase, Any, Any]:
    """The tool the panel reviews, the settings of its run, and the run."""
    use_case = registry.get(PANEL.use_case)
    config = PANEL.config()
    return use_case, config, outcome_of(use_case, config)


def monitor_reading(outcome: Any) -> str:
    """The monitor's flag, or that it raised none, in a sentence from the run."""
    limit = per_100(outcome.config.monitor_limit)
    if outcome.flag_day is None:
        return _("The monitor raised no flag in these {days} days: neither group's areas "
                 "had {limit} in 100 more of their real hotspots missed than when the tool "
                 "was checked.").format(days=num(PANEL.days), limit=limit)
    review = flag_review(outcome)
    group = review["group"]
    return _("On day {day} the monitor raised a flag for {group}: over the last {window} "
             "days, {now} in 100 of their real hotspots had no patrol, against {then} in "
             "100 when the tool was checked. The force had set the flag at {limit} in 100 "
             "more.").format(day=num(review["day"] + 1), group=_(outcome.terms.group(group)),
                             window=num(MONITOR_DAYS), now=per_100(review["now"][group]),
                             then=per_100(review["at_check"][group]), limit=limit)


def monitor_spec(outcome: Any) -> dict:
    """The tool's monitor over its days in use, with its flag (a shared spec: copy it
    before changing it)."""
    return spec_for(outcome, ("monitor", lang()), lambda: hotspot_charts.monitor_chart(outcome))


def intro(use_case: registry.UseCase) -> None:
    st.write(_(
        "You now sit on a police force's independent data ethics panel. The force has used "
        "its {tool} tool for {days} days. Look at what its monitor showed, read its public "
        "record, think the questions through, and give the force your advice: carry on, "
        "carry on with conditions, or pause it.").format(tool=_(use_case.title),
                                                         days=num(PANEL.days)))
    st.caption(_(
        "Panels like this advise real forces: West Midlands Police's independent data "
        "ethics committee advises the force to approve a tool, approve it with conditions, "
        "or not go on. The College of Policing asks forces to watch a tool in use against "
        "limits that send it back for review."))


def algo_care() -> None:
    st.markdown("\n".join(f"- **{_(heading)}.** {_(question)}"
                          for heading, question in ALGO_CARE.values()))
    st.caption(_(ALGO_CARE_SOURCE))


def _send(me_id: str, use_case: str) -> None:
    ss = st.session_state
    verdict = ss.get(f"{KEY}.verdict")
    if verdict is None:
        ss[_SAID] = ("error", _("Pick your advice first: approve, approve with conditions, "
                                "or pause."))
        return
    own = (ss.get(f"{KEY}.own") or "").strip()
    conditions = [*(c for c in PANEL_CONDITIONS if ss.get(f"{KEY}.condition.{c}")),
                  *([own] if own else [])]
    problem = outbox.send("panel_verdict", participant_id=me_id, use_case=use_case,
                          verdict=verdict, conditions=conditions,
                          client_id=outbox.new_client_id())
    ss[_SAID] = ("warning", problem) if problem else (
        "success", _("Thank you: your advice is saved. You can change it: only your latest "
                     "advice counts."))


def advice_form(me: participant.Me, use_case: registry.UseCase) -> None:
    """The person's verdict and conditions; their latest, if any, above the form."""
    try:
        mine = get_store().panel_results(me.code)
    except (StoreUnavailable, WorkshopNotFound):
        mine = None
    if mine is not None:
        mine = mine[(mine["participant_id"] == me.id) & (mine["use_case"] == use_case.name)]
        if not mine.empty:
            latest = mine.iloc[-1]
            st.info(_("Your advice now: {verdict}.").format(
                verdict=_(VERDICTS[latest["verdict"]])), icon="⚖️")
    with st.form(f"{KEY}.form", border=True):
        st.radio(_("Your advice to the force"), list(VERDICTS), index=None,
                 format_func=lambda v: _(VERDICTS[v]), key=f"{KEY}.verdict")
        st.markdown(_("Conditions you would set (pick any)"))
        for condition, label in PANEL_CONDITIONS.items():
            st.checkbox(_(label), key=f"{KEY}.condition.{condition}")
        st.text_input(_("Or write a condition of your own (optional, please no names)"),
                      max_chars=CONDITION_MAX, key=f"{KEY}.own")
        st.form_submit_button(_("Send my advice"), type="primary", width="stretch",
                              on_click=_send, args=(me.id, use_case.name))
    said = st.session_state.pop(_SAID, None)
    if said:
        getattr(st, said[0])(said[1])


def panel_page() -> None:
    """The whole stage on a phone, one part after another."""
    use_case, config, outcome = reviewed()
    intro(use_case)
    st.subheader(_("1. Its monitor"))
    st.write(_("Each line is one group's areas: of their real hotspots over the last "
               "{window} days, how many had no patrol. The tool was checked on day "
               "{check}.").format(window=num(MONITOR_DAYS), check=num(CHECK_DAY)))
    reading = monitor_reading(outcome)
    draw(monitor_spec(outcome), alt_text=reading)
    (st.error if outcome.flag_day is not None else st.info)(
        reading, icon="🚩" if outcome.flag_day is not None else None)
    st.subheader(_("2. Its record"))
    with st.expander(_("📋 Read the record"), key=f"{KEY}.record"):
        show_record(record(use_case, config, outcome), outcome)
    st.subheader(_("3. Questions"))
    with st.expander(_("The eight questions of ALGO-CARE"), key=f"{KEY}.questions"):
        algo_care()
    st.subheader(_("4. Your advice"))
    me = participant.current()
    if me is None:
        st.info(_("Join the workshop on the Welcome page to give your advice."))
        page_link(WELCOME, label=_("Join the workshop"), icon="👋")
        return
    advice_form(me, use_case)
