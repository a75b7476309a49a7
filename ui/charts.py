"""Drawing charts cheaply on every rerun: specs built once per outcome.

A chart is an Altair chart or a ``(data, Vega-Lite spec dict)`` pair, where data
is one table (named "table" and used by every layer that names no other) or a
dict of named tables. ``template`` turns an Altair chart without data into a spec
dict once, so a chart drawn for many outcomes is built by Altair once, not once
per outcome (tens of milliseconds); ``spec`` pairs it with an outcome's data.

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

from ui.derived import derived
from ui.presenter import large, presenting

Data = pd.DataFrame | Mapping[str, pd.DataFrame]
#: What a template's layers draw from: the table ``spec`` pairs with it.
TABLE = alt.Data(name="table")
Chart = alt.TopLevelMixin | tuple[Data, dict[str, Any]]


def _checking() -> bool:
    return os.environ.get("WORKSHOP_CHECK_CHARTS") == "1"


def wrap_expr(chars: int) -> str:
    """A Vega expression that writes an axis label on lines of at most about ``chars``
    characters, broken between words."""
    return (f"split(trim(replace(datum.label, regexp('(.{{1,{chars}}})(\\\\s+|$)', 'g'), "
            f"'$1\\n')), '\\n')")


def wrapped_labels(spec: Any) -> Any:
    """``spec`` with every axis that cuts its labels short (``labelLimit``) writing
    them on several lines instead, so "Fast-tracked, though it could wait" is read
    whole on a phone. Changes ``spec`` in place and returns it."""
    if isinstance(spec, dict):
        axis = spec.get("axis")
        if isinstance(axis, dict) and axis.get("labelLimit") and "labelExpr" not in axis:
            axis["labelExpr"] = wrap_expr(max(8, int(axis["labelLimit"]) // 7))
        for value in spec.values():
            wrapped_labels(value)
    elif isinstance(spec, list):
        for value in spec:
            wrapped_labels(value)
    return spec


@functools.cache
def template(build: Callable[..., alt.TopLevelMixin], *args: Hashable) -> dict[str, Any]:
    """``build(*args)``, an Altair chart drawing from ``TABLE``, as a spec dict made
    once per ``args``; pair it with data for ``spec``. Read-only: it is shared."""
    return wrapped_labels(build(*args).to_dict(validate=_checking()))


def spec(chart: Chart) -> dict[str, Any]:
    """The chart's Vega-Lite spec with its data."""
    if isinstance(chart, tuple):
        data, vl = chart
        tables = dict(data) if isinstance(data, Mapping) else {"table": data}
        return {**vl, "data": {"name": "table"}, "datasets": tables}
    return wrapped_labels(chart.to_dict(validate=_checking()))


def draw(chart: Chart | dict[str, Any], *, alt_text: str, where: Any = None,
         width: str | int = "stretch", theme: str | None = "streamlit") -> None:
    """Draw a chart (or its spec) in the browser; ``alt_text`` reads it aloud.
    ``theme=None`` keeps the spec's own fonts (the Screen's large type)."""
    vl = chart if isinstance(chart, dict) else spec(chart)
    if theme is not None and presenting():  # on the projector: type the room can read
        vl = large(vl)
    (where or st).vega_lite_chart(vl, width=width, alt=alt_text, theme=theme)


def spec_for(outcome: Any, key: Hashable, build: Callable[[], Chart]) -> dict:
    """A chart's spec built once per outcome (see ``ui.derived``). Streamlit copies
    the spec before changing it, so sharing it is safe."""
    return derived(outcome, ("chart", key), lambda: spec(build()))
