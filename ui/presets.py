"""Scenario pills on a use-case page: one tap puts every setting on a named story."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from simulators.config import Preset
from ui.config_sliders import config_controls, set_config
from ui.i18n import _


def _apply(presets: Sequence[Preset], key: str, then: Callable[[Preset], None] | None) -> None:
    chosen = st.session_state.get(f"{key}.preset")
    for preset in presets:
        if preset.key == chosen:
            set_config(preset.config, key=key)
            if then is not None:
                then(preset)


def preset_pills(
    presets: Sequence[Preset], *, key: str, then: Callable[[Preset], None] | None = None
) -> None:
    """Draw the pills (widget key ``f"{key}.preset"``); call before the sliders.

    ``then(preset)`` runs after a scenario is applied, for page state the sliders
    don't hold (a day counter, say).
    """
    titles = {p.key: p.title for p in presets}
    st.pills(_("Scenarios"), list(titles), format_func=lambda k: _(titles[k]),
             key=f"{key}.preset", on_change=_apply, args=(presets, key, then),
             help=_("Each scenario sets all the sliders to tell one part of the story."))


def preset_script(presets: Sequence[Preset], config: object, *, key: str) -> None:
    """The chosen scenario's two sentences, while the settings are still on it."""
    chosen = st.session_state.get(f"{key}.preset")
    for preset in presets:
        if preset.key == chosen and preset.config == config:
            st.info(_(preset.script), icon="🗣️")


def settings_box(
    config_cls: type,
    presets: Sequence[Preset],
    *,
    key: str,
    title: str,
    first: Sequence[str],
    then: Callable[[Preset], None] | None = None,
) -> Any:
    """Scenario pills, then the settings in a box (``first`` on the left, the rest on
    the right; one column on a phone), then the chosen scenario's script.
    Returns the config the widgets describe."""
    preset_pills(presets, key=key, then=then)
    with st.container(border=True):
        st.subheader(title)
        left, right = st.columns(2)
        config_controls(config_cls, key=key, only=first, where=left)
        config = config_controls(config_cls, key=key, skip=first, where=right)
    preset_script(presets, config, key=key)
    return config
