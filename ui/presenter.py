"""Presenter mode: large type and no sidebar, for the projector (``?present=1``).

Opened from the Console ("Open it large") with the workshop's code and the Screen's
key, a use-case page shows the scenario the room is on, and follows the room when
the facilitator changes it.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

import streamlit as st

from simulators import registry
from ui.config_sliders import set_config
from ui.i18n import _
from ui.navigation import signed_in
from ui.room import scenario_title, watch
from ui.store import get_store
from workshop.live import screen_key
from workshop.store import StoreUnavailable, WorkshopNotFound, normalise_code

_CSS = """
<style>
  html { font-size: 28px; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
  .block-container, [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; padding: 1.5rem 3rem !important;
  }
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 1rem !important; color: #1A1A1A !important; opacity: 1 !important; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
  [data-testid="stWidgetLabel"] p, .strip-sentence, .strip-label, .strip-row,
  .strip-chance { font-size: 1rem !important; }
  [data-testid="stMetricValue"] { font-size: 2.6rem !important; }
</style>
"""


#: The smallest type of a chart in presenter mode, in px (the page's own is 28), and how
#: much taller and wider its plots and labels get to make room for it.
CHART_TYPE, CHART_GROWS = 24, 1.6


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def large(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart's spec (a copy) with its axes, legends, titles and text in type a room
    can read from the back: ``CHART_TYPE`` px at least."""
    out = _larger(spec)
    config = dict(out.get("config", {}))
    for part in ("axis", "legend", "header"):
        config[part] = {"labelFontSize": CHART_TYPE, "titleFontSize": CHART_TYPE,
                        **config.get(part, {})}
    config["axis"] = {"labelLimit": 400, **config["axis"]}
    config["legend"] = {"symbolSize": 300, "labelLimit": 600, **config["legend"]}
    for part in ("title", "text"):
        config[part] = {"fontSize": CHART_TYPE, **config.get(part, {})}
    return {**out, "config": config}


def _larger(value: Any) -> Any:
    if isinstance(value, list):
        return [_larger(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: v if k in ("data", "datasets") else _larger(v) for k, v in value.items()}
    for k in ("labelFontSize", "titleFontSize", "fontSize"):
        if isinstance(out.get(k), int | float):
            out[k] = max(out[k], CHART_TYPE)
    for k in ("height", "labelLimit"):
        if isinstance(out.get(k), int | float) and not isinstance(out.get(k), bool):
            out[k] = round(out[k] * CHART_GROWS)
    if isinstance(out.get("height"), dict) and isinstance(out["height"].get("step"), int):
        out["height"] = {"step": round(out["height"]["step"] * CHART_GROWS)}
    return out


def follow_room(url_path: str) -> None:
    """On a presenter-mode page opened for a room (``?code=`` with the Screen's key,
    or on the facilitator's own device): the room's stage and timer in large type,
    and this use case's scenario, once each time the facilitator puts the room on
    one. Call before the page draws its settings."""
    code = normalise_code(st.query_params.get("code", "")) or signed_in()
    if not code:
        return
    try:
        store = get_store()
        w = store.workshop(code)
        room = store.room(w.code)
    except (StoreUnavailable, WorkshopNotFound):
        return
    key = st.query_params.get("key", "")
    if not (signed_in() == w.code or hmac.compare_digest(
            key, screen_key(w.code, w.passphrase_hash))):
        return
    watch(w.code, room, big=True)  # reruns this page when the room changes
    use_case = next((u for u in registry.USE_CASES.values()
                     if Path(u.page).stem == url_path), None)
    if use_case is None or room["use_case"] != use_case.name or not room["config"]:
        return
    if (shown := scenario_title(room)) is not None:
        st.markdown("### " + _("📺 The room is on: {title}").format(title=shown))
    applied = f"presenter.version.{use_case.name}"
    if st.session_state.get(applied) == room["version"]:
        return  # the presenter may move the sliders on from the scenario
    try:
        target = use_case.config_class().from_dict(room["config"])
    except (TypeError, ValueError):
        return
    st.session_state[applied] = room["version"]
    set_config(target, key=use_case.name)
    if registry.preset(use_case.name, room["preset_key"]) is not None:
        st.session_state[f"{use_case.name}.preset"] = room["preset_key"]


def _set(on: bool) -> None:
    if on:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def presenter_switch() -> None:
    """The styles when it is on, and the switch in the sidebar of a facilitator's
    device (participants never see it). Called by app.py."""
    if presenting():
        st.html(_CSS)
        return
    if not signed_in():
        return
    st.sidebar.toggle(
        _("Presenter mode (large type, for the projector)"),
        value=False,
        key="presenter.on",
        on_change=lambda: _set(st.session_state["presenter.on"]),
    )


def exit_button() -> None:
    """A quiet way out of presenter mode, at the foot of the page."""
    if presenting() and st.button(_("Leave presenter mode"), key="presenter.off"):
        _set(False)
        st.rerun()
