"""Drawing Altair charts without re-checking them on every rerun.

``st.altair_chart`` validates each chart against the Vega-Lite JSON schema, which
cost tens of milliseconds a chart on every rerun: most of a warm page rerun. Our
charts are built by our own code, so the check runs in the tests (which set
``WORKSHOP_CHECK_CHARTS=1``: every chart an AppTest draws is validated), and the
server sends the spec as it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import streamlit as st


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec (a plain dict: cheap to cache and to send)."""
    return chart.to_dict(validate=os.environ.get("WORKSHOP_CHECK_CHARTS") == "1")


def draw(chart: alt.TopLevelMixin | dict[str, Any], *, alt_text: str, where: Any = None,
         width: str | int = "stretch") -> None:
    """Draw a chart (or its spec) in the browser; ``alt_text`` reads it aloud."""
    vl = chart if isinstance(chart, dict) else spec(chart)
    (where or st).vega_lite_chart(vl, width=width, alt=alt_text)


def spec_for(outcome: Any, key: Hashable, build: Callable[[], alt.TopLevelMixin]) -> dict:
    """A chart's spec built once per (shared, cached) outcome, for every session.

    Outcomes are shared by the whole room (``ui/cache.py``), so a chart that depends
    only on the outcome is drawn from one spec however many phones show it.
    Streamlit copies the spec before changing its top level, so sharing it is safe.
    """
    memo = outcome._memo
    if ("chart", key) not in memo:
        memo[("chart", key)] = spec(build())
    return memo[("chart", key)]
