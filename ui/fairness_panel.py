"""One panel that shows what any ``Outcome`` does to each group.

Bars are drawn in the browser (Vega-Lite, see ``ui/charts.py``) in a
colour-blind-safe palette; every chart has a one-line reading under it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators.fairness import Outcome, disparities
from ui import wording
from ui.charts import TABLE, draw, spec_for, template

DEFAULT_METRICS = ["selection_rate", "false_negative_rate", "false_positive_rate"]


def rates_frame(outcome: Outcome, metrics: list[str]) -> pd.DataFrame:
    """Long table of group x metric, rates in percent, for the chart."""
    rows = []
    for group, rates in outcome.rates.items():
        for m in metrics:
            rows.append(
                {
                    "group": outcome.terms.group(group),
                    "code": group,
                    "measure": wording.metric_label(m, outcome.terms),
                    "percent": round(100 * rates[m], 1),
                }
            )
    return pd.DataFrame(rows)


def _rates_bars(names: tuple[str, ...], colours: tuple[str, ...]) -> alt.LayerChart:
    colour = alt.Color(
        "group:N",
        title=None,
        scale=alt.Scale(domain=list(names), range=list(colours)),
        legend=alt.Legend(orient="top", direction="vertical", labelLimit=0),
    )
    base = alt.Chart(TABLE).encode(
        y=alt.Y("measure:N", title=None, sort=None, axis=alt.Axis(
            # "Missed (of those that ...)" on two lines, so a phone shows it whole
            labelExpr="split(replace(datum.label, ' (', '|('), '|')", labelLimit=180)),
        yOffset=alt.YOffset("group:N", sort=list(names)),
        x=alt.X("percent:Q", title="out of every 100", scale=alt.Scale(domain=[0, 100])),
        tooltip=["group:N", "measure:N", alt.Tooltip("percent:Q", format=".0f")],
    )
    bars = base.mark_bar().encode(color=colour)
    labels = base.mark_text(align="left", dx=3, fontSize=13).encode(
        text=alt.Text("percent:Q", format=".0f")
    )
    return (bars + labels).properties(height=alt.Step(22))


def rates_chart(outcome: Outcome, metrics: list[str]) -> tuple[pd.DataFrame, dict]:
    """The group rates as bars: this outcome's numbers in a chart built once."""
    names = tuple(outcome.terms.group(g) for g in outcome.groups)
    colours = tuple(wording.group_colours(outcome.groups))
    return rates_frame(outcome, metrics), template(_rates_bars, names, colours)


def fairness_panel(
    outcome: Outcome,
    *,
    metrics: list[str] | None = None,
    title: str = "What this does to each group",
) -> dict[str, float]:
    """Draw the panel; return the headline disparities it showed."""
    metrics = metrics or DEFAULT_METRICS
    gaps = disparities(outcome)
    terms = outcome.terms
    with st.container(border=True):
        st.subheader(title)
        st.markdown(f"**{wording.headline(outcome)}**")
        chart = spec_for(outcome, ("rates", *metrics), lambda: rates_chart(outcome, metrics))
        draw(chart, alt_text=wording.chart_reading(outcome, metrics))
        st.caption(wording.chart_reading(outcome, metrics))
        c1, c2, c3 = st.columns(3)
        c1.metric(
            "Gap in mistakes",
            wording.short_points(gaps["equalized_odds_difference"]),
            help=wording.gap_meaning("equalized_odds_difference"),
        )
        c2.metric(
            f"Gap in {terms.flagged}",
            wording.short_points(gaps["demographic_parity_difference"]),
            help=wording.gap_meaning("demographic_parity_difference"),
        )
        c3.metric(
            f"{terms.flagged.capitalize()} overall",
            f"{wording.per_100(gaps['selection_rate'])} in 100",
            help=wording.metric_meaning("selection_rate", terms),
        )
        with st.expander("What do these words mean?"):
            for m in [*metrics, "accuracy"]:
                st.markdown(f"**{wording.metric_label(m, terms)}**: "
                            f"{wording.metric_meaning(m, terms)}")
            st.markdown(
                "**Gap in mistakes**: "
                + wording.gap_meaning("equalized_odds_difference")
            )
            st.markdown(
                f"**Gap in {terms.flagged}**: "
                + wording.gap_meaning("demographic_parity_difference")
            )
    return gaps
