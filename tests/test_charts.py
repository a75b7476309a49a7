"""Every chart a page draws carries the data it names (none is drawn empty)."""

from __future__ import annotations

import json

import pytest

from simulators import registry
from tests.pages import page_runner


def _names(node) -> set[str]:
    """Every dataset a Vega-Lite spec draws from, at any depth."""
    found = set()
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            found.add(data["name"])
        for value in node.values():
            found |= _names(value)
    elif isinstance(node, list):
        for value in node:
            found |= _names(value)
    return found


@pytest.mark.parametrize("page", [u.page for u in registry.USE_CASES.values()])
def test_each_chart_names_only_data_it_carries(page, monkeypatch):
    monkeypatch.setenv("WORKSHOP_OPEN_PANELS", "1")  # every folded panel drawn
    at = page_runner(page, timeout=120)()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert charts, f"{page} draws no chart"
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        carried = {d.name: d.data.data for d in chart.proto.datasets}
        assert _names(spec) <= set(carried) | set(spec.get("datasets", {})), spec
        assert all(len(data) > 0 for data in carried.values())
