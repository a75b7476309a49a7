"""Crime hotspots: the words and pictures of its page (app_pages/hotspots.py).

Every number in a sentence here is read off the run on screen (``simulators.
hotspot_views``, the outcome's fields), counted out of 100 with ``ui.figures.per_100``
so that a figure rounds the same way wherever it appears.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from simulators.chance import Bands
from simulators.hotspots import (
    AUDIT_DAYS,
    CHECK_DAY,
    DISCOVERY_RATE,
    MITIGATION_CHOICES,
    MONITOR_DAYS,
    REPORT_RATE,
    HotspotConfig,
    HotspotOutcome,
)
from simulators.messages import N_
from ui import hotspot_charts as charts
from ui import hotspots_claims as says
from ui.charts import draw, spec_for
from ui.claims import sentences
from ui.config_sliders import config_controls
from ui.figures import per_100
from ui.i18n import _, here, lang, num
from ui.use_case_page import Background

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


def strip_note(outcome: HotspotOutcome) -> str:
    """The line under the strip: group B's share of patrols against its share of crime."""
    return sentences(says.strip_note(outcome, here()))


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
    reading = says.day_claims(outcome, day, here())[0].text
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


def loop_panel(outcome: HotspotOutcome, bands: Bands | None) -> None:
    st.markdown(_(LOOP_STEPS))
    found, past, reading = says.loop_claims(outcome, bands, here())
    st.write(found.text)
    st.write(past.text)
    st.markdown("**" + _("Group B’s areas, day by day") + "**")
    st.caption(_("Each point is the average of the week up to that day."))
    draw(spec_for(outcome, ("shares", lang()), lambda: charts.share_chart(outcome)),
         alt_text=reading.text)
    st.caption(reading.text)


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
    claims = {c.slot: c for c in says.costs_claims(runs, here())}
    st.write(claims["costs.intro"].text)
    for fix, label in MITIGATION_CHOICES.items():
        head = (_("✅ **{fix}** (in use now).") if fix == config.mitigation
                else "**{fix}.**").format(fix=_(label))
        st.markdown(f"{head} {claims[f'costs.{fix}'].text}  \n{_(COSTS[fix])}")


# ----------------------------------------------------------------------------- the monitor


def monitor_panel(outcome: HotspotOutcome, towns: dict | None) -> None:
    """Each group's line over time, the flag, what a person reviewing it would see, and
    how often a monitor like this cries wolf or catches a change, over many cities."""
    config = outcome.config
    st.write(_(
        "People in the public dialogue advised that an AI's performance should be "
        "continually monitored. Here a monitor follows, for each group, how many of its real "
        "hotspots had no patrol over the last {window} days, every day. The AI was checked "
        "on day {check}; the monitor raises a flag for a person to look into when a group's "
        "line has grown by the limit you set.").format(window=num(MONITOR_DAYS),
                                                      check=num(CHECK_DAY)))
    monitor_settings(type(config))
    verdict = says.monitor_verdict(outcome, here())
    if outcome.check_day is None:
        st.info(verdict.text)
        return
    if config.new_estate and outcome.change_day is None:
        st.info(_("The new estate opens on day {day}, after this run ends.").format(
            day=num(config.change_day)))
    elif outcome.change_day is not None:
        st.write(_("On day {day} a new estate opened on quiet land in one of group B's "
                   "neighbourhoods (outlined in green dashes on the maps).").format(
                       day=num(outcome.change_day + 1)))
    draw(spec_for(outcome, ("monitor", lang()), lambda: charts.monitor_chart(outcome)),
         alt_text=verdict.text)
    if outcome.flag_day is not None:
        st.warning(verdict.text, icon="🚩")
        st.write(says.review_claim(outcome, here()).text)
    else:
        st.info(verdict.text)
    st.markdown("**" + _("Is this monitor worth trusting?") + "**")
    st.caption(_("One city can mislead. The same monitor, at your limit, over many made-up "
                 "cities of this size with no bias, for every way the AI can learn:"))
    st.markdown("\n".join(f"- {c.text}" for c in says.monitor_rates_claims(
        towns, config.monitor_limit, here())))
    st.caption(_(
        "Here the monitor knows the real crime, because we made the city up. A real force "
        "cannot: it would have to estimate it, for example from victims' reports or crime "
        "surveys, which have gaps of their own. A monitor also sees only change: a gap that "
        "was already there when the AI was checked raises no flag. That needs the check "
        "itself, and an audit of the records the AI learned from."))


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


def background() -> Background:
    return Background(
        _(WHY), _("What in this toy is our own assumption"),
        _(ASSUMPTIONS).format(report=n100(REPORT_RATE), find=n100(DISCOVERY_RATE),
                              audit=num(AUDIT_DAYS), window=num(MONITOR_DAYS)), _(SOURCES))
