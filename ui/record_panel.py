"""A tool's public record, in words: on each use-case page (one folded panel, filled
from the run on the person's screen, with two questions) and on the ethics panel's
page. The record itself is ``simulators.transparency.record``; this module says it.

For each Tier 2 section a joined participant says whether the public must be told it,
and at the end whether the record would be enough for them to accept the tool's use.
Their answer is saved with the settings of the run they read (through the outbox, so
nothing is lost when the database is away or answers are paused).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from simulators.config import Setting
from simulators.fairness import Outcome
from simulators.transparency import SECTIONS, STANDARD, record
from ui import outbox, participant
from ui.config_sliders import in_units
from ui.figures import per_100
from ui.i18n import _, ngettext, num
from ui.use_case_page import EXPLORE, PageStep, folded
from workshop.vocabulary import ENOUGH, TOLD

#: The rates the performance section reads out, after the use case's harm.
RATES = ["false_negative_rate", "false_positive_rate", "selection_rate", "accuracy"]
_SAID = "record.said"


def standard_line() -> str:
    return _("Set out like the UK's {name} ({short}), version {version}: the record "
             "{by} publish. Filled in from the run on your screen; the words are this "
             "workshop's.").format(name=_(STANDARD["name"]), short=STANDARD["short"],
                                   version=STANDARD["version"], by=_(STANDARD["by"]))


def _value(item: dict[str, Any]) -> str:
    """A setting from the record as its slider says it."""
    if item["value_label"] is not None:
        return _(item["value_label"])
    return in_units(Setting(item["label"], "", unit=item["unit"], scale=item["scale"]),
                    item["value"])


def tier1(rec: dict[str, Any]) -> None:
    t1 = rec["tier1"]
    st.markdown("**" + _("For everyone (Tier 1)") + "**")
    st.markdown("\n".join([
        "- " + _("**Name:** {name}").format(name=_(t1["name"])),
        "- " + _("**What it does:** {what}").format(what=_(t1["use"])),
        "- " + _("**A toy version of:** {use}").format(use=_(t1["dialogue_use"])),
        "- " + _("**Where to find out more:** {more}").format(more=_(t1["more"])),
    ]))


def lines(section: str, rec: dict[str, Any], outcome: Outcome) -> list[str]:
    """What one Tier 2 section says, one sentence a line."""
    part = rec["tier2"][section]
    if section == "owner":
        return [_(part["organisation"]), _(part["accountable"]), _(part["built_by"])]
    if section == "human_review":
        return [*_review(part), _(part["what_happens"]), _(part["challenge"])]
    if section == "data":
        said = [_(part["learned_from"]).format(n=num(part["size"] or 0))]
        said += [_("{setting}: {value}.").format(setting=_(c["label"]), value=_value(c))
                 for c in part["choices"]]
        return [*said, _("All of it is made up for this workshop.")]
    if section == "performance":
        return _performance(part, rec["tier2"]["risks"]["harm"], outcome)
    return _risks(part)


def _review(part: dict[str, Any]) -> list[str]:
    kind = part["kind"]
    if kind == "people":
        return [_("{setting}: {value}.").format(setting=_(part["decided_by"]["label"]),
                                               value=_value(part["decided_by"]))]
    if kind == "checked":
        said = [_("A person double-checks {n} in 100 of its decisions, those closest to "
                  "its cut-off.").format(n=per_100(part["share"]))]
        if part["checker_bias"]:
            said.append(_("That person is biased too: they wrongly let {n} in 100 of group "
                          "B's cases they check wait.").format(n=per_100(part["checker_bias"])))
        return said
    if kind == "monitor":
        said = [_("No person checks each decision. A monitor raises a flag for a person "
                  "when one group's areas have {n} in 100 more real hotspots missed than "
                  "when it was checked.").format(n=per_100(part["monitor_limit"]))]
        if part["flag_day"] is not None:
            said.append(_("In this run it raised a flag on day {day}.").format(
                day=num(part["flag_day"] + 1)))
        else:
            said.append(_("In this run it raised no flag."))
        return said
    return [_("No person checks its decisions in this run.")]


def _performance(rates: dict[str, dict[str, float]], harm: str, outcome: Outcome
                 ) -> list[str]:
    terms = outcome.terms
    said = []
    for metric in [harm, *(m for m in RATES if m != harm)]:
        groups = " · ".join(
            _("{group}: {n} in 100").format(group=_(terms.group(g)), n=per_100(r[metric]))
            for g, r in rates.items())
        said.append(f"**{_(terms.label(metric))}**: {groups}")
    cases = int(sum(r["count"] for r in rates.values()))
    said.append(ngettext("Counted over {n} case in this run.", "Counted over {n} cases in "
                         "this run.", cases).format(n=num(cases)))
    return said


def _risks(part: dict[str, Any]) -> list[str]:
    moved = [b for b in part["bias"] if b["in_play"]]
    if moved:
        said = [_("Bias put into the data in this run:")]
        said += ["- " + _("{setting}: {value}.").format(setting=_(b["label"]), value=_value(b))
                 for b in moved]
    else:
        said = [_("In this run no setting puts bias into the data.")]
    fix = part["fix"]
    if fix is None or fix["value"] == "none":
        said.append(_("No fix is in use."))
    else:
        said.append(_("The fix in use: {fix}.").format(fix=_value(fix)))
    return said


def show_record(rec: dict[str, Any], outcome: Outcome, ask: str | None = None) -> None:
    """The record, Tier 1 then Tier 2; with ``ask`` (a widget key prefix), each section
    asks whether the public must be told it."""
    st.caption(standard_line())
    tier1(rec)
    st.markdown("**" + _("In detail (Tier 2)") + "**")
    columns = st.columns(2)  # one under the other on a phone, in reading order
    for n, (section, (title, _about)) in enumerate(SECTIONS.items()):
        with columns[0 if n < 3 else 1], st.container(border=True):
            st.markdown(f"**{_(title)}**")
            st.markdown("  \n".join(lines(section, rec, outcome)))
            if ask is not None:
                st.segmented_control(_("Must the public be told this?"), list(TOLD),
                                     format_func=lambda k: _(TOLD[k]),
                                     key=f"{ask}.told.{section}")


def _send(page: PageStep, config: Any, prefix: str) -> None:
    ss = st.session_state
    me = participant.current()
    if me is None:
        return
    told = {s: ss[f"{prefix}.told.{s}"] for s in SECTIONS if ss.get(f"{prefix}.told.{s}")}
    enough = ss.get(f"{prefix}.enough")
    if not told and enough is None:
        ss[_SAID] = ("error", _("Answer at least one of the questions first."))
        return
    problem = outbox.send("record_answer", participant_id=me.id, use_case=page.name,
                          told=told, enough=enough, client_id=outbox.new_client_id(),
                          config=config.to_dict())
    ss[_SAID] = ("warning", problem) if problem else (
        "success", _("Thank you: what you think of this record is saved. You can change "
                     "it and send it again."))


def record_panel(page: PageStep, config: Any, outcome: Outcome) -> None:
    """The folded panel on a use-case page: the tool's record for this run and, for a
    joined participant (not a visitor, not the projector presenting), the questions."""
    prefix = f"{page.name}.record"
    panel = folded(_("📋 The tool's public record"), f"{page.name}.panel.record")
    if panel is None:
        return
    with panel:
        rec = record(page.use_case, config, outcome)
        asking = page.step != EXPLORE  # joined, and not the projector presenting
        with st.form(prefix, border=False) if asking else st.container():
            show_record(rec, outcome, ask=prefix if asking else None)
            if not asking:
                return
            st.radio(_("Would this record be enough for you to accept the police using "
                       "this tool?"), list(ENOUGH), index=None, horizontal=True,
                     format_func=lambda k: _(ENOUGH[k]), key=f"{prefix}.enough")
            st.form_submit_button(_("Send what I think of the record"), type="primary",
                                  on_click=_send, args=(page, config, prefix),
                                  width="stretch")
        said = st.session_state.pop(_SAID, None)
        if said:
            getattr(st, said[0])(said[1])
