"""What any ``Outcome`` does to each group: its figures, the strip, and the panel.

Bars are drawn in the browser (Vega-Lite, see ``ui/charts.py``) in a
colour-blind-safe palette; every chart has a one-line reading under it. All numbers
and sentences come from one :class:`ui.figures.Figures` per outcome and language.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators.fairness import Outcome, disparities
from ui.charts import TABLE, draw, spec_for, template
from ui.derived import derived
from ui.figures import GAP_MEANINGS, GROUP_COLOURS, Figures, figures, points_text
from ui.i18n import _, lang
from workshop.i18n import translator

DEFAULT_METRICS = ["selection_rate", "false_negative_rate", "false_positive_rate"]


def figures_of(outcome: Outcome) -> Figures:
    """The outcome's figures in this session's language, worked out once for the room."""
    code = lang()
    return derived(outcome, ("figures", code), lambda: figures(outcome, translator(code)))


def rates_frame(fig: Figures, metrics: list[str]) -> pd.DataFrame:
    """Long table of group x metric, counts out of 100, for the chart."""
    rows = [
        {"group": bar.name, "measure": fig.labels[m], "count": fig.counts[m][bar.group]}
        for bar in fig.bars for m in metrics
    ]
    return pd.DataFrame(rows)


def _rates_bars(names: tuple[str, ...], colours: tuple[str, ...], axis: str) -> alt.LayerChart:
    colour = alt.Color(
        "group:N", title=None,
        scale=alt.Scale(domain=list(names), range=list(colours)),
        legend=alt.Legend(orient="top", direction="vertical", labelLimit=0),
    )
    base = alt.Chart(TABLE).encode(
        y=alt.Y("measure:N", title=None, sort=None, axis=alt.Axis(labelLimit=170)),
        yOffset=alt.YOffset("group:N", sort=list(names)),
        x=alt.X("count:Q", title=axis, scale=alt.Scale(domain=[0, 100])),
        tooltip=["group:N", "measure:N", alt.Tooltip("count:Q", format=".0f")],
    )
    bars = base.mark_bar().encode(color=colour)
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(
        text=alt.Text("count:Q", format=".0f"))
    return (bars + labels).properties(height=alt.Step(22))


def rates_chart(fig: Figures, metrics: list[str]) -> tuple[pd.DataFrame, dict]:
    names = tuple(b.name for b in fig.bars)
    colours = tuple(b.colour for b in fig.bars)
    return rates_frame(fig, metrics), template(_rates_bars, names, colours,
                                               _("out of every 100"))


def fairness_panel(
    outcome: Outcome,
    *,
    metrics: list[str] | None = None,
    title: str | None = None,
) -> dict[str, float]:
    """Draw the panel; return the headline disparities it showed."""
    metrics = metrics or DEFAULT_METRICS
    fig = figures_of(outcome)
    with st.container(border=True):
        st.subheader(title or _("What this does to each group"))
        st.markdown(f"**{fig.headline}**")
        chart = spec_for(outcome, ("rates", lang(), *metrics),
                         lambda: rates_chart(fig, metrics))
        reading = fig.reading(metrics, translator(lang()))
        draw(chart, alt_text=reading)
        st.caption(reading)
        t = translator(lang())
        c1, c2, c3 = st.columns(3)
        c1.metric(_("Gap in mistakes"), points_text(fig.gaps["equalized_odds_difference"], t),
                  help=_(GAP_MEANINGS["equalized_odds_difference"]))
        c2.metric(_("Gap in: {what}").format(what=fig.flagged),
                  points_text(fig.gaps["demographic_parity_difference"], t),
                  help=_(GAP_MEANINGS["demographic_parity_difference"]))
        c3.metric(_("All groups: {what}").format(what=fig.flagged),
                  _("{n} in 100").format(n=fig.flagged_overall),
                  help=fig.meanings["selection_rate"])
        with st.expander(_("What do these words mean?")):
            lines = [f"**{fig.labels[m]}**: {fig.meanings[m]}" for m in [*metrics, "accuracy"]]
            lines.append("**" + _("Gap in mistakes") + "**: "
                         f"{_(GAP_MEANINGS['equalized_odds_difference'])}")
            st.markdown("\n\n".join(lines))
    return disparities(outcome)


TICKS = [0, 20, 40, 60, 80, 100]  # out of 100, on every axis that counts so

def _side_by_side_bars(rows: tuple[str, ...], names: tuple[str, ...]) -> alt.LayerChart:
    base = alt.Chart(TABLE).encode(
        y=alt.Y("row:N", title=None, sort=list(rows), axis=alt.Axis(labelLimit=150)),
        yOffset=alt.YOffset("group:N", sort=list(names)),
        x=alt.X("count:Q", title=None, scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=TICKS)),
        tooltip=["row:N", "group:N", "count:Q"])
    bars = base.mark_bar().encode(color=alt.Color(
        "group:N", title=None, legend=alt.Legend(orient="top"),
        scale=alt.Scale(domain=list(names), range=list(GROUP_COLOURS.values()))))
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(text="count:Q")
    return (bars + labels).properties(height=alt.Step(22))


def side_by_side(rows: tuple[str, ...], figs: tuple[Figures, ...],
                 metric: str) -> tuple[pd.DataFrame, dict]:
    """One metric, per group, for several ways of deciding the same calls (one row
    each), counts out of 100 from each way's figures."""
    data = pd.DataFrame([{"row": row, "group": bar.name, "count": fig.counts[metric][bar.group]}
                         for row, fig in zip(rows, figs, strict=True) for bar in fig.bars])
    names = tuple(bar.name for bar in figs[0].bars)
    return data, template(_side_by_side_bars, rows, names)
