"""Presenter mode ("Open it large"): a use-case page's charts in type a room can read."""

import copy

import pandas as pd

from ui.panel import monitor_spec, reviewed
from ui.presenter import CHART_TYPE, large


def _sizes(value, key: str) -> list:
    if isinstance(value, dict):
        own = [value[key]] if isinstance(value.get(key), int | float) else []
        return own + [s for k, v in value.items() if k != "datasets" for s in _sizes(v, key)]
    if isinstance(value, list):
        return [s for v in value for s in _sizes(v, key)]
    return []


def test_large_raises_every_font_and_grows_the_plot_leaving_the_data_alone():
    chart = monitor_spec(reviewed()[2])  # the ethics panel's monitor: lines, marks, labels
    kept = copy.deepcopy(chart)
    big = large(chart)
    def bare(s):
        return {k: v for k, v in s.items() if k != "datasets"}

    assert bare(chart) == bare(kept)  # a shared spec is never changed
    assert _sizes(chart, "fontSize") and min(_sizes(chart, "fontSize")) < CHART_TYPE
    for key in ("fontSize", "labelFontSize", "titleFontSize"):
        assert all(size >= CHART_TYPE for size in _sizes(big, key)), key
    for part in ("axis", "legend"):
        assert big["config"][part]["labelFontSize"] >= CHART_TYPE
    assert big["config"]["text"]["fontSize"] >= CHART_TYPE  # text marks without a size
    assert big["height"] > chart["height"]  # room for the larger type
    for name, table in chart["datasets"].items():
        pd.testing.assert_frame_equal(big["datasets"][name], table)
