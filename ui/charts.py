"""Drawing charts cheaply on every rerun: specs built once, data serialised once.

A chart is an Altair chart or a ``(data, Vega-Lite spec dict)`` pair, where data
is one table (named "table" and used by every layer that names no other) or a
dict of named tables. ``spec`` turns either into one plain dict whose datasets are
already Arrow bytes, the form Streamlit sends them in, so a rerun that draws a
cached chart neither rebuilds it nor re-serialises its data. ``template`` turns an
Altair chart without data into such a spec dict once, so a chart drawn for many
outcomes is built by Altair once, not once per outcome (tens of milliseconds).

``st.altair_chart`` would also check each chart against the Vega-Lite JSON schema
on every rerun (tens of milliseconds a chart); our charts are built by our own
code, so that check runs in the tests (which set ``WORKSHOP_CHECK_CHARTS=1``: every
Altair chart and template an AppTest draws is validated), and the server sends the
spec as it is.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

Data = pd.DataFrame | Mapping[str, pd.DataFrame]
#: What a template's layers draw from: the table ``spec`` pairs with it.
TABLE = alt.Data(name="table")
Chart = alt.TopLevelMixin | tuple[Data, dict[str, Any]]


def _checking() -> bool:
    return os.environ.get("WORKSHOP_CHECK_CHARTS") == "1"


@functools.cache
def template(build: Callable[..., alt.TopLevelMixin], *args: Hashable) -> dict[str, Any]:
    """``build(*args)``, an Altair chart drawing from ``TABLE``, as a spec dict made
    once per ``args``; pair it with data for ``spec``. Read-only: it is shared."""
    return build(*args).to_dict(validate=_checking())


def spec(chart: Chart) -> dict[str, Any]:
    """The chart's Vega-Lite spec, its datasets serialised as Streamlit sends them."""
    if isinstance(chart, tuple):
        data, vl = chart
        tables = dict(data) if isinstance(data, Mapping) else {"table": data}
        vl = {**vl, "data": {"name": "table"}, "datasets": tables}
    else:
        vl = chart.to_dict(validate=_checking())
    # Streamlit passes datasets that are already bytes straight through.
    vl["datasets"] = {
        name: rows if isinstance(rows, bytes) else convert_anything_to_arrow_bytes(rows)
        for name, rows in vl.get("datasets", {}).items()
    }
    return vl


def draw(chart: Chart | dict[str, Any], *, alt_text: str, where: Any = None,
         width: str | int = "stretch") -> None:
    """Draw a chart (or its spec) in the browser; ``alt_text`` reads it aloud."""
    vl = chart if isinstance(chart, dict) else spec(chart)
    (where or st).vega_lite_chart(vl, width=width, alt=alt_text)


def per_outcome(outcome: Any, key: Hashable, build: Callable[[], Any]) -> Any:
    """``build()``, worked out once per (shared, cached) outcome for every session.

    Outcomes are shared by the whole room (``ui/cache.py``), so what depends only
    on the outcome (a chart, a list of labels) is computed once however many
    phones show it. What it returns is shared: treat it as read-only.
    """
    memo = outcome._memo
    if key not in memo:
        memo[key] = build()
    return memo[key]


def spec_for(outcome: Any, key: Hashable, build: Callable[[], Chart]) -> dict:
    """A chart's spec built once per outcome (see ``per_outcome``). Streamlit copies
    the spec before changing its top level, so sharing it is safe."""
    return per_outcome(outcome, ("chart", key), lambda: spec(build()))
