"""Crime hotspots: watch patrols follow records and records follow patrols, day by day."""

import altair as alt
import streamlit as st

from simulators.fairness import summary
from simulators.hotspots import (
    PRESETS,
    HotspotConfig,
    group_outlines,
    hotspots_found,
    map_frame,
    run_shares,
    shares_on,
    simulate,
)
from ui.cache import simulate_cached
from ui.charts import draw, spec
from ui.derived import derived
from ui.fairness_panel import fairness_panel
from ui.presets import settings_box
from ui.use_case_page import after_step, before_question, begin, follow, remember

KEY = "hotspots"
DAY_KEY = f"{KEY}.day"
PLAY_KEY = f"{KEY}.playing"
DAYS_KEY = f"{KEY}.days_in_run"
HOLD_KEY = f"{KEY}.hold"  # show the first day of a play before stepping on
TICK_SECONDS = 0.8  # time between steps while playing
TICKS_PER_RUN = 40  # a run of any length plays in about this many steps

# ----------------------------------------------------------------------------- wording
# Every sentence the page shows lives here, so a translation is one block of text.

TITLE = "🗺️ Crime hotspots: where do the patrols go?"
INTRO = (
    "A computer studies the police's crime records and picks, every morning, the "
    "squares of a made-up city that get a patrol. But police mostly record crime "
    "where they are. Step through the days and watch what the computer learns."
)
SETTINGS_TITLE = "Change the city"
SPINNER = "Running the city for {days} days…"

DAY_LABEL = "Day"
DAY_HELP = "Move to see where patrols went on any day."
PLAY = "▶️ Play the days"
PAUSE = "⏸️ Pause"
PROGRESS = "Day {day} of {days}"

MAP_REAL_TITLE = "Real crime"
MAP_REAL_LEGEND = "Crimes a day"
MAP_RECORD_TITLE = "What the computer has on record, and today's patrols"
MAP_RECORD_LEGEND = "On record"
TOOLTIP = {
    "group": "Group",
    "real": "Real crimes a day",
    "on_record": "On record",
    "patrolled": "Patrol that day",
    "hotspot": "True hotspot",
}
MAP_KEY = (
    "Darker squares have more crime. Group B's neighbourhoods are outlined in orange. "
    "A white dot is a square with a patrol that day."
)
MAP_READING = (
    "On day {day}, {patrol} of every 100 patrols went to group B's areas, which had "
    "{true} of every 100 real crimes that day and {recorded} of every 100 crimes "
    "written down."
)
MAP_ALT = "Two maps of the city on day {day}: real crime, and crime on record with patrols."

LINE_TITLE = "Group B's areas: patrols against real crime, day by day"
SERIES = {
    "patrol_share": "Patrols sent there",
    "recorded_share": "Crime written down there",
    "true_crime_share": "Real crime there",
}
SERIES_COLOURS = {"patrol_share": "#E69F00", "recorded_share": "#CC79A7",
                  "true_crime_share": "#000000"}
LINE_Y = "out of every 100"
LINE_READING = (
    "Over {days} days group B's areas got on average {patrol} of every 100 patrols, "
    "for {true} of every 100 real crimes: {verdict}"
)
VERDICT_ABOVE = "more patrols than their crime explains, on {above} of every 100 days."
VERDICT_BELOW = "fewer patrols than their crime needs, on {below} of every 100 days."
VERDICT_FAIR = "about the share their crime explains."

LOOP_TITLE = "How the loop works"
LOOP_STEPS = """
1. **The computer reads the records** and sends patrols to the squares with the
   most crime written down.
2. **Patrols find crime where they are.** Many crimes, such as drug dealing, are only
   written down when police see them. Crime where no patrol goes is mostly missed.
3. **What patrols find goes back into the records**, so tomorrow the computer sends
   patrols to the same squares again, whatever the real crime there.

If the police patrolled some areas more in the past, their records show more crime,
and the loop can keep that going for ever. Researchers proved this can happen
(Ensign and others, 2018), and showed that a tool trained on Oakland's drug arrests
would have sent police to Black neighbourhoods about twice as often as white ones,
though drug use there was about the same (Lum and Isaac, 2016).
"""
COSTS_TITLE = "Every fix has a cost"
COSTS = {
    "none": (
        "No fix: the computer counts every crime written down. If the past was biased, "
        "the loop carries that bias on."
    ),
    "reported_only": (
        "Learning only from victims' reports breaks the loop, because reports don't "
        "depend on where patrols are. But it ignores most of what police record, and "
        "where people report less, their real hotspots look quiet. Move the 'report "
        "crime' slider up: group B's areas then get too few patrols instead of too "
        "many (Akpinar and others, 2021)."
    ),
    "discount_discoveries": (
        "Counting patrols' finds less where patrols go every day weakens the loop and "
        "keeps some of what patrols find. But squares patrols never visit still only "
        "show up through reports, so where people report less, hotspots are still missed."
    ),
    "exploration": (
        "Sending some patrols to random squares lets the computer see more of the city. "
        "But those patrols are not at hotspots, and while patrols' finds count in full "
        "the loop only loosens slowly."
    ),
}
COSTS_NOW = "**The fix in use now.** {text}"
METRIC_FOUND = "Real hotspots with a patrol"
METRIC_FOUND_VALUE = "{found} of {hotspots}"
METRIC_FOUND_HELP = (
    "On the last day: how many of the squares with the most real crime had a patrol."
)
METRIC_PATROL = "Group B's share of patrols"
METRIC_TRUE = "Group B's share of real crime"
METRIC_SHARE_VALUE = "{n} in 100"
METRIC_SHARE_HELP = "Averaged over all the days the computer ran."
FAIRLEARN_NOTE = (
    "Here Fairlearn counts each of the {cells} map squares as one case. 'Patrolled' "
    "means the square had a patrol on the last day; a 'true hotspot' is one of the "
    "{k} squares with the most real crime."
)


def pct(x: float) -> str:
    return f"{round(100 * x):d}"


# ----------------------------------------------------------------------------- charts

MAP_SIZE = 300  # pixels; square, and fits a 390-pixel phone
MAP_SCHEME = "purples"  # sequential, by lightness: readable with any colour vision


def city_map(frame, outlines, field: str, legend: str, n: int, patrols: bool) -> alt.Chart:
    axis_x = alt.X("x:Q", scale=alt.Scale(domain=[0, n], nice=False), axis=None)
    axis_y = alt.Y("y:Q", scale=alt.Scale(domain=[0, n], nice=False, reverse=True), axis=None)
    base = alt.Chart(frame).transform_calculate(
        x_end="datum.x + 1", y_end="datum.y + 1", cx="datum.x + 0.5", cy="datum.y + 0.5"
    )
    heat = base.mark_rect().encode(
        x=axis_x,
        x2="x_end:Q",
        y=axis_y,
        y2="y_end:Q",
        color=alt.Color(
            f"{field}:Q",
            scale=alt.Scale(scheme=MAP_SCHEME, type="sqrt"),
            legend=alt.Legend(title=legend, orient="bottom", gradientLength=160),
        ),
        tooltip=[
            alt.Tooltip(f"{name}:{'Q' if name in ('real', 'on_record') else 'N'}", title=title)
            for name, title in TOOLTIP.items()
        ],
    )
    layers = [heat]
    if patrols:
        size = max(16, int((MAP_SIZE / n) ** 2 * 0.45))
        layers.append(
            base.transform_filter("datum.patrolled")
            .mark_point(shape="circle", filled=True, fill="white", stroke="black",
                        strokeWidth=1, size=size, opacity=1)
            .encode(x=alt.X("cx:Q", scale=alt.Scale(domain=[0, n], nice=False), axis=None),
                    y=alt.Y("cy:Q", scale=alt.Scale(domain=[0, n], nice=False, reverse=True),
                            axis=None))
        )
    layers.append(
        alt.Chart(outlines)
        .mark_rect(filled=False, stroke="#E69F00", strokeWidth=3)
        .encode(x=axis_x, x2="x2:Q", y=axis_y, y2="y2:Q")
    )
    return alt.layer(*layers).properties(
        height=MAP_SIZE, width=MAP_SIZE, autosize=alt.AutoSizeParams(type="pad")
    )


def share_chart(history, day: int) -> alt.Chart:
    b = history[history["group"] == "B"]
    data = b.melt(id_vars=["day"], value_vars=list(SERIES), var_name="series",
                  value_name="share")
    data["day"] = data["day"] + 1
    data["percent"] = (100 * data["share"]).round(1)
    data["line"] = data["series"].map(SERIES)
    colour = alt.Color(
        "line:N",
        title=None,
        scale=alt.Scale(domain=list(SERIES.values()), range=list(SERIES_COLOURS.values())),
        legend=alt.Legend(orient="top", direction="vertical", labelLimit=260),
    )
    lines = alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=alt.X("day:Q", title=DAY_LABEL),
        y=alt.Y("percent:Q", title=LINE_Y, scale=alt.Scale(domain=[0, 100])),
        color=colour,
        strokeDash=alt.StrokeDash(
            "line:N", legend=None,
            scale=alt.Scale(domain=list(SERIES.values()), range=[[1, 0], [6, 3], [2, 2]]),
        ),
        tooltip=[alt.Tooltip("day:Q", title=DAY_LABEL), "line:N",
                 alt.Tooltip("percent:Q", format=".0f")],
    )
    rule = alt.Chart({"values": [{"day": day}]}).mark_rule(color="#666666").encode(x="day:Q")
    return (lines + rule).properties(height=320)


# ----------------------------------------------------------------------------- page


def toggle_play() -> None:
    playing = not st.session_state.get(PLAY_KEY, False)
    st.session_state[PLAY_KEY] = playing
    if playing and st.session_state.get(DAY_KEY, 1) >= st.session_state.get(DAYS_KEY, 1):
        st.session_state[DAY_KEY] = 1
        st.session_state[HOLD_KEY] = True


def after_preset(preset) -> None:
    st.session_state[DAY_KEY] = preset.config.days
    st.session_state[PLAY_KEY] = False


frame = begin("hotspots")
st.write(INTRO)
if frame.asking_before:
    before_question(frame)
    st.stop()
follow(frame)

config = settings_box(HotspotConfig, PRESETS, key=KEY, title=SETTINGS_TITLE, then=after_preset,
                      first=["historic_patrol_bias", "reporting_gap", "crime_rate_ratio"])

with st.spinner(SPINNER.format(days=config.days)):
    outcome = simulate_cached(simulate, config)

days = config.days
st.session_state[DAYS_KEY] = days
shown_day = st.session_state.get(DAY_KEY)
if type(shown_day) is not int or not 1 <= shown_day <= days:
    st.session_state[DAY_KEY] = days
playing = bool(st.session_state.get(PLAY_KEY, False)) and days > 1
st.button(PAUSE if playing else PLAY, key=f"{KEY}.play", on_click=toggle_play,
          disabled=days == 1)


@st.cache_data(max_entries=4000, show_spinner=False)
def day_charts(key: str, day: int, _config: HotspotConfig) -> tuple[dict, dict, dict]:
    """The two maps and the line chart for one day, built once for the whole room
    (keyed by the config's repr, cheap to hash, as ``ui/cache.py`` does)."""
    config = _config
    outcome = simulate_cached(simulate, config)
    frame = map_frame(outcome, day - 1)
    outlines = group_outlines(outcome)
    n = config.grid_size
    return (
        spec(city_map(frame, outlines, "real", MAP_REAL_LEGEND, n, False)),
        spec(city_map(frame, outlines, "on_record", MAP_RECORD_LEGEND, n, True)),
        spec(share_chart(outcome.history, day)),
    )


@st.fragment(run_every=TICK_SECONDS if playing else None)
def day_view() -> None:
    if st.session_state.get(PLAY_KEY, False) and not st.session_state.pop(HOLD_KEY, False):
        step = max(1, days // TICKS_PER_RUN)
        day_now = min(days, st.session_state[DAY_KEY] + step)
        st.session_state[DAY_KEY] = day_now
        if day_now >= days:
            st.session_state[PLAY_KEY] = False
            st.rerun()  # the whole page, so the timer stops and the button says Play
    if days > 1:
        day = st.slider(DAY_LABEL, 1, days, key=DAY_KEY, help=DAY_HELP)
    else:
        day = 1
    st.progress(day / days, text=PROGRESS.format(day=day, days=days))

    real_map, record_map, line = day_charts(repr(config), day, config)
    share = derived(outcome, ("shares", day), lambda: shares_on(outcome, day - 1))
    reading = MAP_READING.format(
        day=day,
        patrol=pct(share["patrol_share"]),
        true=pct(share["true_crime_share"]),
        recorded=pct(share["recorded_share"]),
    )
    real_col, record_col = st.columns(2)
    with real_col:
        st.markdown(f"**{MAP_REAL_TITLE}**")
        draw(real_map, width="content", alt_text=MAP_ALT.format(day=day))
    with record_col:
        st.markdown(f"**{MAP_RECORD_TITLE}**")
        draw(record_map, width="content", alt_text=MAP_ALT.format(day=day))
    st.caption(MAP_KEY)
    st.caption(reading)

    st.markdown(f"**{LINE_TITLE}**")
    draw(line, alt_text=LINE_TITLE)
    st.caption(line_reading)


run = derived(outcome, "run shares", lambda: run_shares(outcome))
if run["excess"] > 0.03:
    verdict = VERDICT_ABOVE.format(above=pct(run["days_above"]))
elif run["excess"] < -0.03:
    verdict = VERDICT_BELOW.format(below=pct(1 - run["days_above"]))
else:
    verdict = VERDICT_FAIR
line_reading = LINE_READING.format(
    days=days, patrol=pct(run["patrol_share"]), true=pct(run["true_crime_share"]),
    verdict=verdict,
)

day_view()

found = hotspots_found(outcome)
c1, c2, c3 = st.columns(3)
c1.metric(METRIC_FOUND, METRIC_FOUND_VALUE.format(**found), help=METRIC_FOUND_HELP)
c2.metric(METRIC_PATROL, METRIC_SHARE_VALUE.format(n=pct(run["patrol_share"])),
          help=METRIC_SHARE_HELP)
c3.metric(METRIC_TRUE, METRIC_SHARE_VALUE.format(n=pct(run["true_crime_share"])),
          help=METRIC_SHARE_HELP)

st.header(LOOP_TITLE)
st.markdown(LOOP_STEPS)
st.subheader(COSTS_TITLE)
st.info(COSTS_NOW.format(text=COSTS[config.mitigation]))
for name, text in COSTS.items():
    if name != config.mitigation:
        st.markdown(f"- {text}")

fairness_panel(
    outcome, metrics=["selection_rate", "false_positive_rate", "false_negative_rate"]
)
st.caption(FAIRLEARN_NOTE.format(cells=config.grid_size**2, k=config.n_patrols))

metrics = summary(outcome)
metrics.update({f"group_b_{k}": round(v, 4) for k, v in run.items()})
metrics.update({f"hotspots_{k}": v for k, v in found.items()})
remember(frame, config, metrics)
after_step(frame)
