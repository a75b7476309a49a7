"""Crime hotspots: the maps and line charts of its page, drawn in the browser.

Each chart is an Altair template built once per language and size (``ui.charts``)
and paired with one outcome's data, so a day of the Play animation costs a table,
not a chart. Every table here is read off the outcome by ``simulators.hotspot_views``.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from simulators.hotspot_views import (
    estate_outline,
    group_outlines,
    map_frame,
    monitor_lines,
    weekly_shares,
)
from simulators.hotspots import HotspotOutcome
from ui.charts import TABLE, template
from ui.figures import EXTRA_COLOURS, GROUP_COLOURS
from ui.i18n import _

MAP_SIZE = 300  # pixels; square, and fits a 390-pixel phone
MAP_SCHEME = "purples"  # sequential, by lightness: readable with any colour vision
ESTATE_COLOUR = EXTRA_COLOURS[0]  # green, 4.5:1 on white
FLAG_COLOUR = "#C0392B"
MARK_COLOUR = "#555555"
OUTLINES, ESTATE, MARKS = "outlines", "estate", "marks"


# ----------------------------------------------------------------------------- maps


def _map(n: int, field: str, legend: str, patrols: bool, estate: bool,
         tooltips: tuple[tuple[str, str, str], ...]) -> alt.LayerChart:
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, n], nice=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, n], nice=False, reverse=True), axis=None)
    base = alt.Chart(TABLE).transform_calculate(
        x_end="datum.x + 1", y_end="datum.y + 1", cx="datum.x + 0.5", cy="datum.y + 0.5")
    heat = base.mark_rect().encode(
        x=x, x2="x_end:Q", y=y, y2="y_end:Q",
        color=alt.Color(f"{field}:Q", scale=alt.Scale(scheme=MAP_SCHEME, type="sqrt"),
                        legend=alt.Legend(title=legend, orient="bottom", gradientLength=160)),
        tooltip=[alt.Tooltip(f"{name}:{kind}", title=title) for name, kind, title in tooltips],
    )
    layers: list[alt.Chart] = [heat]
    if patrols:
        size = max(16, int((MAP_SIZE / n) ** 2 * 0.45))
        layers.append(
            base.transform_filter("datum.patrolled")
            .mark_point(shape="circle", filled=True, fill="white", stroke="black",
                        strokeWidth=1, size=size, opacity=1)
            .encode(x=alt.X("cx:Q", scale=alt.Scale(domain=[0, n], nice=False), axis=None),
                    y=alt.Y("cy:Q", scale=alt.Scale(domain=[0, n], nice=False, reverse=True),
                            axis=None)))
    layers.append(alt.Chart(alt.Data(name=OUTLINES))
                  .mark_rect(filled=False, stroke=GROUP_COLOURS["B"], strokeWidth=3)
                  .encode(x=x, x2="x2:Q", y=y, y2="y2:Q"))
    if estate:
        layers.append(alt.Chart(alt.Data(name=ESTATE))
                      .mark_rect(filled=False, stroke=ESTATE_COLOUR, strokeWidth=3,
                                 strokeDash=[5, 3])
                      .encode(x=x, x2="x2:Q", y=y, y2="y2:Q"))
    return alt.layer(*layers).properties(
        height=MAP_SIZE, width=MAP_SIZE, autosize=alt.AutoSizeParams(type="pad"))


def day_maps(outcome: HotspotOutcome, day: int) -> tuple[tuple, tuple]:
    """The real-crime map and the on-record map with patrols, for a 0-based day."""
    frame = map_frame(outcome, day)
    yes, no = _("yes"), _("no")
    frame["patrol_text"] = np.where(frame["patrolled"], yes, no)
    frame["hotspot_text"] = np.where(frame["hotspot"], yes, no)
    frame["group_text"] = np.where(frame["group"] == "B", _("group B"), _("group A"))
    tables = {"table": frame, OUTLINES: group_outlines(outcome)}
    estate = estate_outline(outcome, day)
    if not estate.empty:
        tables[ESTATE] = estate
    tooltips = (("group_text", "N", _("Area of")), ("real", "Q", _("Real crimes a day")),
                ("on_record", "Q", _("On record")), ("patrol_text", "N", _("Patrol that day")),
                ("hotspot_text", "N", _("Real hotspot")))
    n, has_estate = outcome.config.grid_size, ESTATE in tables
    real = template(_map, n, "real", _("Real crimes a day"), False, has_estate, tooltips)
    record = template(_map, n, "on_record", _("On record"), True, has_estate, tooltips)
    return (tables, real), (tables, record)


# ----------------------------------------------------------------------------- the loop


def _share_lines(names: tuple[str, ...], colours: tuple[str, ...], day_title: str,
                 axis: str) -> alt.LayerChart:
    colour = alt.Color("line:N", title=None,
                       scale=alt.Scale(domain=list(names), range=list(colours)),
                       legend=alt.Legend(orient="top", direction="vertical", labelLimit=300))
    return alt.Chart(TABLE).mark_line(strokeWidth=2.5).encode(
        x=alt.X("day:Q", title=day_title, axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("percent:Q", title=axis, scale=alt.Scale(domain=[0, 100])),
        color=colour,
        strokeDash=alt.StrokeDash("line:N", legend=None, scale=alt.Scale(
            domain=list(names), range=[[1, 0], [6, 3], [2, 2]])),
        tooltip=[alt.Tooltip("day:Q", title=day_title), alt.Tooltip("line:N", title=" "),
                 alt.Tooltip("percent:Q", title=axis, format=".0f")],
    ).properties(height=380)


def share_chart(outcome: HotspotOutcome) -> tuple[pd.DataFrame, dict]:
    """Group B's share of patrols, of crime written down and of real crime, each day
    averaged over the week up to it."""
    series = {"patrol_share": _("Patrols sent to group B's areas"),
              "recorded_share": _("Crime written down there"),
              "true_crime_share": _("Real crime there")}
    colours = (GROUP_COLOURS["B"], EXTRA_COLOURS[1], "#000000")
    b = weekly_shares(outcome)
    data = b.melt(id_vars=["day"], value_vars=list(series), var_name="series",
                  value_name="share")
    data["day"] = data["day"] + 1
    data["percent"] = (100 * data["share"]).round(1)
    data["line"] = data["series"].map(series)
    return data[["day", "percent", "line"]], template(
        _share_lines, tuple(series.values()), colours, _("Day"), _("out of every 100"))


# ----------------------------------------------------------------------------- the monitor


def _monitor_lines(names: tuple[str, ...], day_title: str, axis: str) -> alt.LayerChart:
    lines = alt.Chart(TABLE).mark_line(strokeWidth=2.5).encode(
        x=alt.X("day:Q", title=day_title, axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("percent:Q", title=axis, scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("group:N", title=None,
                        scale=alt.Scale(domain=list(names),
                                        range=[GROUP_COLOURS["A"], GROUP_COLOURS["B"]]),
                        legend=alt.Legend(orient="top", direction="horizontal",
                                          labelLimit=300)),
        strokeDash=alt.StrokeDash("group:N", legend=None, scale=alt.Scale(
            domain=list(names), range=[[1, 0], [6, 3]])),
        tooltip=[alt.Tooltip("day:Q", title=day_title), alt.Tooltip("group:N", title=" "),
                 alt.Tooltip("percent:Q", title=axis, format=".0f")],
    )
    marks = alt.Chart(alt.Data(name=MARKS))
    rules = marks.mark_rule(strokeWidth=2).encode(
        x="day:Q", color=alt.Color("colour:N", scale=None), strokeDash=alt.StrokeDash(
            "dash:N", scale=alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [4, 3]]),
            legend=None))
    text = marks.mark_text(align="left", dx=4, fontSize=13, fontWeight="bold").encode(
        x="day:Q", y=alt.Y("row:Q", scale=None), text="label:N",
        color=alt.Color("colour:N", scale=None))
    return (lines + rules + text).properties(height=340)


def monitor_chart(outcome: HotspotOutcome) -> tuple[dict[str, pd.DataFrame], dict]:
    """Each group's share of real hotspots missed over the last 14 days, by day, with the
    check, the estate and the flag marked."""
    names = {"A": _("group A's areas"), "B": _("group B's areas")}
    lines = monitor_lines(outcome).rename(columns=names)
    data = lines.rename_axis(columns="group").stack().rename("share").reset_index()
    data["day"] = data["day"] + 1
    data["percent"] = (100 * data["share"]).round(1)
    marks = [{"day": outcome.check_day + 1, "label": _("checked"), "colour": MARK_COLOUR,
              "dash": "dashed"}]
    if outcome.change_day is not None:
        marks.append({"day": outcome.change_day + 1, "label": _("estate opens"),
                      "colour": ESTATE_COLOUR, "dash": "dashed"})
    if outcome.flag_day is not None:
        marks.append({"day": outcome.flag_day + 1, "label": _("🚩 flag"),
                      "colour": FLAG_COLOUR, "dash": "solid"})
    for i, mark in enumerate(marks):  # labels one under another, never on top
        mark["row"] = 10 + 18 * i
    tables = {"table": data[["day", "group", "percent"]], MARKS: pd.DataFrame(marks)}
    return tables, template(_monitor_lines, tuple(names.values()), _("Day"),
                            _("hotspots with no patrol, of 100"))
