"""Crime hotspots: the words and pictures of its page (app_pages/hotspots.py).

Every number in a sentence here is read off the run on screen (``simulators.
hotspot_views``, the outcome's fields), counted out of 100 with ``ui.figures.per_100``
so that a figure rounds the same way wherever it appears.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import streamlit as st

from simulators.hotspot_views import (
    audit_shares,
    flag_review,
    hotspots_found,
    nothing_unfair,
    shares_on,
    story_terms,
    worst_change,
)
from simulators.hotspots import (
    AUDIT_DAYS,
    CHECK_DAY,
    DISCOVERY_RATE,
    HISTORY_DAYS,
    MITIGATION_CHOICES,
    MONITOR_DAYS,
    REPORT_RATE,
    HotspotConfig,
    HotspotOutcome,
)
from ui import hotspot_charts as charts
from ui.charts import draw, spec_for
from ui.config_sliders import config_controls
from ui.derived import derived
from ui.figures import Figures, figures, per_100
from ui.i18n import _, lang, ngettext, num
from workshop.i18n import N_, translator

KEY = "hotspots"
DAY_KEY = f"{KEY}.day"  # the day on the maps, 1-based
PLAY_KEY = f"{KEY}.playing"
DAYS_KEY = f"{KEY}.days_in_run"
HOLD_KEY = f"{KEY}.hold"  # show the first day of a play before stepping on
TICK_SECONDS = 0.8  # time between steps while playing
TICKS_PER_RUN = 40  # a run of any length plays in about this many steps
#: Settings drawn beside the monitor, in "Watching it over time", not in the box.
MONITOR_SETTINGS = ["new_estate", "monitor_limit", "change_day"]


def story() -> None:
    st.write(_(
        "Some police forces have tried software that studies past crime records and picks, "
        "each morning, the places where patrols should go. Here an AI does that for a "
        "made-up city. But police mostly write crime down where they already are. Step "
        "through the days and watch what the AI learns from its own patrols."))
    st.caption(_("The city and its crime are made up. Group A and group B live in different "
                 "neighbourhoods; in most settings they have the same amount of real crime."))


def n100(rate: float) -> str:
    """A rate as a count out of 100, in this language: 0.384 -> "38"."""
    count = per_100(rate)
    return "–" if count is None else num(count)


# ----------------------------------------------------------------------------- the strip


def strip_figures(outcome: HotspotOutcome) -> Figures:
    """The strip's figures, led by the harm to the group the bias is against
    (``story_terms``); the same numbers as the fairness panel's."""
    code = lang()

    def build() -> Figures:
        told = replace(outcome, terms=story_terms(outcome))
        return figures(told, translator(code))

    return derived(outcome, ("story figures", code), build)


def strip_note(outcome: HotspotOutcome) -> str:
    """The line under the strip: group B's share of patrols against its share of crime."""
    b = derived(outcome, "audit shares", lambda: audit_shares(outcome))
    chance = " " + _("Nothing unfair is set here, so this gap comes from chance: from "
                     "where the loop happened to settle in this city. Another world number "
                     "gives another gap, often the other way.") if nothing_unfair(outcome) else ""
    return ngettext(
        "These are averages over the one day the AI ran. Group B's areas had {crime} in "
        "100 of the real crime, and got {patrols} in 100 of the patrols.",
        "These are averages over the last {n} days. Group B's areas had {crime} in 100 of "
        "the real crime, and got {patrols} in 100 of the patrols.",
        outcome.audit_days).format(n=num(outcome.audit_days), crime=n100(b["true_crime_share"]),
                                   patrols=n100(b["patrol_share"])) + chance


# ----------------------------------------------------------------------------- settings


def settings(config_cls: type[HotspotConfig]) -> HotspotConfig:
    """The box of settings, bias first; the monitor's own settings are drawn beside it
    (:func:`monitor_settings`) and read here from the session."""
    with st.container(border=True):
        st.subheader(_("Change the city and the AI"))
        left, right = st.columns(2)
        bias = ["historic_patrol_bias", "reporting_gap", "crime_rate_ratio"]
        config_controls(config_cls, key=KEY, only=bias, where=left)
        return config_controls(config_cls, key=KEY, skip=[*bias, *MONITOR_SETTINGS],
                               where=right)


def monitor_settings(config_cls: type[HotspotConfig]) -> None:
    config_controls(config_cls, key=KEY, only=MONITOR_SETTINGS)


def after_preset(preset) -> None:
    st.session_state[DAY_KEY] = preset.config.days
    st.session_state[PLAY_KEY] = False


# ----------------------------------------------------------------------------- day by day


def _toggle_play() -> None:
    playing = not st.session_state.get(PLAY_KEY, False)
    st.session_state[PLAY_KEY] = playing
    if playing and st.session_state.get(DAY_KEY, 1) >= st.session_state.get(DAYS_KEY, 1):
        st.session_state[DAY_KEY] = 1
        st.session_state[HOLD_KEY] = True


def days_view(outcome: HotspotOutcome) -> None:
    """The two maps for one day, a day slider, and Play. While playing, only the maps
    rerun, on a timer; the timer exists only while playing."""
    days = outcome.config.days
    st.session_state[DAYS_KEY] = days
    shown = st.session_state.get(DAY_KEY)
    if type(shown) is not int or not 1 <= shown <= days:
        st.session_state[DAY_KEY] = days
    playing = bool(st.session_state.get(PLAY_KEY, False)) and days > 1
    st.button(_("⏸️ Pause") if playing else _("▶️ Play the days"), key=f"{KEY}.play",
              on_click=_toggle_play, disabled=days == 1)
    if playing:
        _playing_maps(outcome)
    else:
        _still_maps(outcome)


@st.fragment(run_every=TICK_SECONDS)
def _playing_maps(outcome: HotspotOutcome) -> None:
    if not st.session_state.pop(HOLD_KEY, False):
        days = outcome.config.days
        day = min(days, st.session_state[DAY_KEY] + max(1, days // TICKS_PER_RUN))
        st.session_state[DAY_KEY] = day
        if day >= days:
            st.session_state[PLAY_KEY] = False
            st.rerun()  # the whole page: a full run ends the timer, and Play is back
    _maps(outcome)


@st.fragment
def _still_maps(outcome: HotspotOutcome) -> None:
    _maps(outcome)


def _maps(outcome: HotspotOutcome) -> None:
    days = outcome.config.days
    day = st.slider(_("Day"), 1, days, key=DAY_KEY, help=_(
        "Move to see where patrols went on any day.")) if days > 1 else 1
    real, record = charts.day_maps(outcome, day - 1)  # cheap: a template and a table
    share = shares_on(outcome, day - 1)
    reading = _("On day {day}, group B's areas got {patrols} in 100 of the patrols, for {crime} "
                "in 100 of the real crime that day and {recorded} in 100 of the crime written "
                "down.").format(day=num(day), patrols=n100(share["patrol_share"]),
                                crime=n100(share["true_crime_share"]),
                                recorded=n100(share["recorded_share"]))
    real_col, record_col = st.columns(2)
    with real_col:
        st.markdown("**" + _("Real crime") + "**")
        draw(real, width="content", alt_text=reading)
    with record_col:
        st.markdown("**" + _("What the AI has on record, and that day’s patrols") + "**")
        draw(record, width="content", alt_text=reading)
    key = _("Darker squares have more crime. Group B's neighbourhoods are outlined in "
            "brown. A white dot is a square with a patrol that day.")
    if outcome.change_day is not None and day > outcome.change_day:
        key += " " + _("The new estate is outlined in green dashes.")
    st.caption(key)
    st.caption(reading)
    if outcome.flag_day is not None and day > outcome.flag_day:
        st.warning(_("🚩 The monitor raised a flag on day {day}: see 'Watching it over "
                     "time'.").format(day=num(outcome.flag_day + 1)))


# ----------------------------------------------------------------------------- the loop

LOOP_STEPS = N_("""
1. **The AI reads the records** and sends patrols to the squares with the most crime
   written down.
2. **Patrols find crime where they are.** Many crimes, such as drug dealing, are
   only written down when police see them. Crime where no patrol goes is mostly
   missed.
3. **What patrols find goes back into the records**, so the next morning the AI
   sends patrols to the same squares again, whatever the real crime there.
""")


def loop_panel(outcome: HotspotOutcome) -> None:
    st.markdown(_(LOOP_STEPS))
    loop, past = outcome.loop, outcome.past["B"]
    st.write(_(
        "In this run, patrols found {found} in every 100 crimes written down; victims "
        "reported the rest. Of the crimes in a square with a patrol that day, {with_} in 100 "
        "were written down; in a square without one, {without} in 100.").format(
            found=n100(loop["found_share"]), with_=n100(loop["recorded_with_patrol"]),
            without=n100(loop["recorded_without_patrol"])))
    st.write(_(
        "Before the AI took over, people placed the patrols for {days} days: group B's areas "
        "got {patrols} in 100 of them, for {crime} in 100 of the real crime. Those records "
        "are where the AI starts.").format(days=num(HISTORY_DAYS),
                                           patrols=n100(past["patrol_share"]),
                                           crime=n100(past["true_crime_share"])))
    st.markdown("**" + _("Group B’s areas, day by day") + "**")
    st.caption(_("Each point is the average of the week up to that day."))
    b = derived(outcome, "audit shares", lambda: audit_shares(outcome))
    start = shares_on(outcome, 0)["patrol_share"]
    patrols, crime = per_100(b["patrol_share"]), per_100(b["true_crime_share"])
    if patrols - crime >= 3:
        reading = _("On day 1 group B's areas got {start} in 100 of the patrols. Over the last "
                    "{n} days they got {patrols} in 100, for {crime} in 100 of the real "
                    "crime: more patrols than their crime explains.")
    elif crime - patrols >= 3:
        reading = _("On day 1 group B's areas got {start} in 100 of the patrols. Over the last "
                    "{n} days they got {patrols} in 100, for {crime} in 100 of the real "
                    "crime: fewer patrols than their crime calls for.")
    else:
        reading = _("On day 1 group B's areas got {start} in 100 of the patrols. Over the last "
                    "{n} days they got {patrols} in 100, for {crime} in 100 of the real "
                    "crime: about the share their crime explains.")
    reading = reading.format(start=n100(start), n=num(outcome.audit_days),
                             patrols=num(patrols), crime=num(crime))
    draw(spec_for(outcome, ("shares", lang()), lambda: charts.share_chart(outcome)),
         alt_text=reading)
    st.caption(reading)


# ----------------------------------------------------------------------------- the fixes

COSTS = {
    "none": N_("If the past was biased, the loop carries that bias on."),
    "reported_only": N_(
        "Learning only from victims' reports breaks the loop, because reports don't depend "
        "on where patrols are. But it throws away most of what police record, and where "
        "people report less their real hotspots look quiet: move 'How much less often "
        "victims in group B's areas report crime' up and group B's areas get too few "
        "patrols instead of too many."),
    "discount_discoveries": N_(
        "Counting patrols' finds less where patrols go every day weakens the loop and keeps "
        "some of what patrols find. But squares no patrol visits still show up only through "
        "reports, so where people report less, hotspots are still missed."),
    "exploration": N_(
        "Sending some patrols to random squares lets the AI see more of the city. But those "
        "patrols are not at hotspots, and while patrols' finds count in full the loop only "
        "loosens. Which squares get the random patrols is left to chance: another world "
        "number picks others."),
}


def costs_panel(config: HotspotConfig, runs: Mapping[str, HotspotOutcome]) -> None:
    """Every fix on the same city and settings: what each costs. ``runs`` holds one
    outcome per fix, all of ``config`` with only the fix changed."""
    crime = per_100(audit_shares(runs["none"])["true_crime_share"])
    st.write(ngettext(
        "Each fix below runs on this same city with your settings; only the fix changes. "
        "On the one day, group B's areas had {crime} in 100 of the real crime.",
        "Each fix below runs on this same city with your settings; only the fix changes. "
        "Over the last {n} days, group B's areas had {crime} in 100 of the real crime.",
        runs["none"].audit_days).format(n=num(runs["none"].audit_days), crime=num(crime)))
    for fix, label in MITIGATION_CHOICES.items():
        run = runs[fix]
        found = hotspots_found(run)
        numbers = _(
            "On an average day {found} of the {k} real hotspots had a patrol, and group B's "
            "areas got {patrols} in 100 of the patrols.").format(
                found=num(round(found["found"])), k=num(found["real_hotspots"]),
                patrols=n100(audit_shares(run)["patrol_share"]))
        head = (_("✅ **{fix}** (in use now).") if fix == config.mitigation
                else "**{fix}.**").format(fix=_(label))
        st.markdown(f"{head} {numbers}  \n{_(COSTS[fix])}")


# ----------------------------------------------------------------------------- the monitor


def monitor_panel(outcome: HotspotOutcome) -> None:
    """Each group's line over time, the flag, and what a person reviewing it would see."""
    config = outcome.config
    st.write(_(
        "People in the public dialogue advised that an AI's performance should be "
        "continually monitored. Here a monitor follows, for each group, how many of its real "
        "hotspots had no patrol over the last {window} days, every day. The AI was checked "
        "on day {check}; the monitor raises a flag for a person to look into when a group's "
        "line has grown by the limit you set.").format(window=num(MONITOR_DAYS),
                                                      check=num(CHECK_DAY)))
    monitor_settings(type(config))
    if outcome.check_day is None:
        st.info(_("The monitor starts after the check on day {check}: let the AI run for "
                  "longer (under 'More settings').").format(check=num(CHECK_DAY)))
        return
    if config.new_estate and outcome.change_day is None:
        st.info(_("The new estate opens on day {day}, after this run ends.").format(
            day=num(config.change_day)))
    elif outcome.change_day is not None:
        st.write(_("On day {day} a new estate opened on quiet land in one of group B's "
                   "neighbourhoods (outlined in green dashes on the maps).").format(
                       day=num(outcome.change_day + 1)))
    draw(spec_for(outcome, ("monitor", lang()), lambda: charts.monitor_chart(outcome)),
         alt_text=_monitor_verdict(outcome))
    if outcome.flag_day is not None:
        st.error(_monitor_verdict(outcome), icon="🚩")
        st.write(_review(outcome))
    else:
        st.info(_monitor_verdict(outcome))
    st.caption(_(
        "Here the monitor knows the real crime, because we made the city up. A real force "
        "cannot: it would have to estimate it, for example from victims' reports or crime "
        "surveys, which have gaps of their own. A monitor also sees only change: a gap that "
        "was already there when the AI was checked raises no flag. That needs the check "
        "itself, and an audit of the records the AI learned from."))


def _limit(outcome: HotspotOutcome) -> str:
    return n100(outcome.config.monitor_limit)


def _monitor_verdict(outcome: HotspotOutcome) -> str:
    """The flag, or why there was none, in one or two sentences."""
    names = {"A": _("group A's areas"), "B": _("group B's areas")}
    if outcome.flag_day is not None:
        review = flag_review(outcome)
        g = review["group"]
        return _(
            "On day {day} the monitor raised a flag for {group}: over the last {window} days "
            "{now} in 100 of their real hotspots had no patrol, against {then} in 100 when "
            "the AI was checked. Your limit was {limit} in 100 more.").format(
                day=num(review["day"] + 1), group=names[g], window=num(MONITOR_DAYS),
                now=n100(review["now"][g]), then=n100(review["at_check"][g]),
                limit=_limit(outcome))
    worst = worst_change(outcome)
    if worst is None or per_100(worst["worse_by"]) <= 0:
        return _("No flag: neither group's line got worse than when the AI was checked.")
    text = _("No flag: the worst was {group}, {worse} in 100 more of their real hotspots "
             "with no patrol on day {day} than at the check, under your limit of {limit} in "
             "100.").format(group=names[worst["group"]], worse=n100(worst["worse_by"]),
                            day=num(worst["day"] + 1), limit=_limit(outcome))
    if outcome.change_day is not None:
        text += " " + _("The change in the city was missed: a tighter limit would have "
                        "caught it.")
    return text


def _review(outcome: HotspotOutcome) -> str:
    review = flag_review(outcome)
    names = {"A": _("group A's"), "B": _("group B's")}
    values = dict(group=names[review["group"]], window=num(MONITOR_DAYS),
                  unpatrolled=num(review["unpatrolled"]), hotspots=num(review["real_hotspots"]),
                  estate=num(review["unpatrolled_on_estate"]),
                  reports=num(review["reports_there"]))
    if outcome.change_day is not None and review["day"] >= outcome.change_day:
        return _("A person reviewing the flag would find that {unpatrolled} of {group} "
                 "{hotspots} real hotspots had no patrol at all in those {window} days, "
                 "{estate} of them on the new estate, where victims had reported {reports} "
                 "crimes. They could send patrols there, and ask why the AI had not.").format(
                     **values)
    return _("A person reviewing the flag would find that {unpatrolled} of {group} "
             "{hotspots} real hotspots had no patrol at all in those {window} days, though "
             "victims had reported {reports} crimes there.").format(**values)


# ----------------------------------------------------------------------------- background

FAIRLEARN_NOTE = N_(
    "Here Fairlearn counts each of the {cells} map squares on each of the last {days} days as "
    "one case. A real hotspot is one of the {k} squares with the most real crime that day; "
    "patrolled means it had a patrol that day.")

WHY = N_("""
- **Feedback loops.** Ensign and colleagues (FAT\\* 2018) built a mathematical model of
  predictive policing and proved that when patrols go where past discovered crime was
  highest, and what patrols discover is fed back in, patrols can be sent back to the
  same neighbourhoods whatever the true crime rate. Mixing in crime that residents
  report softened the loop but did not end it; counting a discovery less where
  patrols were more likely to be sent did. Learning from reports alone, one of the
  fixes here, is our own step from the same reasoning: reports do not depend on where
  patrols are.
- **Measured places.** Lum and Isaac (Significance, 2016) applied a PredPol-style
  model to Oakland's records of drug arrests. It would have sent police to mostly
  Black neighbourhoods about twice as often as to mostly white ones, though
  estimates from a national survey put drug use about equal across the city.
- **Who reports.** Akpinar, De-Arteaga and Chouldechova (FAccT 2021) simulated a city
  from Bogotá's district surveys of crime and of how often victims report it. Where
  victims report less, predicted hotspots moved away from places with high crime
  towards places that report more: some areas got too many patrols, others too few.
""")
ASSUMPTIONS = N_("""
The city is ours, not any real place: its size, its two groups, how crime is spread,
how often victims report ({report} in 100 crimes in group A's areas), how often a
patrol finds a crime nobody reported ({find} in 100), how the past was biased, the new
estate and how much crime it brings, the AI's memory, the {audit} days the audit covers
and the {window} days each monitor line covers. We chose them to show the effects the
studies above describe, not to measure how large they are in any real force.
""")
SOURCES = N_("""
- Ensign, D., Friedler, S. A., Neville, S., Scheidegger, C. and Venkatasubramanian, S.
  (2018). *Runaway Feedback Loops in Predictive Policing.* Proceedings of the 1st
  Conference on Fairness, Accountability and Transparency (FAT\\*), PMLR 81.
- Lum, K. and Isaac, W. (2016). *To predict and serve?* Significance 13(5).
- Akpinar, N.-J., De-Arteaga, M. and Chouldechova, A. (2021). *The effect of
  differential victim crime reporting on predictive policing systems.* Proceedings of
  ACM FAccT 2021.
""")


def fairness_note(outcome: HotspotOutcome) -> None:
    st.caption(_(FAIRLEARN_NOTE).format(cells=num(outcome.config.grid_size ** 2),
                                        days=num(outcome.audit_days),
                                        k=num(outcome.config.n_patrols)))


def background() -> None:
    st.markdown(_(WHY))
    st.markdown("**" + _("What in this toy is our own assumption") + "**")
    st.markdown(_(ASSUMPTIONS).format(report=n100(REPORT_RATE), find=n100(DISCOVERY_RATE),
                                      audit=num(AUDIT_DAYS), window=num(MONITOR_DAYS)))
    st.markdown("**" + _("Sources") + "**")
    st.markdown(_(SOURCES))
