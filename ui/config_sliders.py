"""Widgets drawn from a simulator ``Config``'s field metadata.

Ranges, labels and help live on the dataclass (``simulators.config.setting``);
this module only turns them into sliders and choices. Widget keys are
``f"{key}.{field}"``, so a preset can set ``st.session_state`` before the widgets
are drawn and AppTest can drive them by key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import streamlit as st

from simulators.config import Setting, settings_of

C = TypeVar("C")
_KEEP = "_keep."
RESET = "Some settings could not be used, so they were put back to normal: {names}."


def widget_key(key: str, name: str) -> str:
    return f"{key}.{name}"


def _draw(where: Any, wkey: str, name: str, meta: Setting, default: Any) -> Any:
    if meta.choices is not None:
        opts = list(meta.choices)
        kwargs = dict(format_func=meta.describe, key=wkey, help=meta.help)
        if len(opts) <= 3:
            return where.radio(meta.label, opts, horizontal=True, **kwargs)
        return where.selectbox(meta.label, opts, **kwargs)
    if isinstance(default, bool):
        return where.toggle(meta.label, key=wkey, help=meta.help)
    if isinstance(default, int):
        lo = int(meta.min if meta.min is not None else 0)
        hi = int(meta.max if meta.max is not None else max(1, default * 2))
        step = int(meta.step or 1)
        if name == "seed" or hi - lo > 1000:
            return where.number_input(
                meta.label, min_value=lo, max_value=hi, step=step, key=wkey, help=meta.help
            )
        return where.slider(meta.label, lo, hi, step=step, key=wkey, help=meta.help)
    lo = float(meta.min if meta.min is not None else 0.0)
    hi = float(meta.max if meta.max is not None else 1.0)
    step = float(meta.step or round((hi - lo) / 20, 4) or 0.01)
    return where.slider(meta.label, lo, hi, step=step, key=wkey, help=meta.help)


def sanitise(config_cls: type, *, key: str) -> list[str]:
    """Bring each setting's stored value into session state, usable.

    Streamlit forgets a widget's value when its page is left; the ``_keep.`` copy
    brings a participant's own settings back. A stored value the widget would
    refuse (an old saved value, a script) goes back to its default; the labels of
    those settings are returned so the page can say so.
    """
    reset = []
    for name, meta, default in settings_of(config_cls):
        wkey = widget_key(key, name)
        if wkey not in st.session_state:
            st.session_state[wkey] = st.session_state.get(_KEEP + wkey, default)
        value = st.session_state[wkey]
        try:
            good = getattr(config_cls(**{name: value}), name)
        except (TypeError, ValueError):
            good = default
            reset.append(meta.label)
        if type(good) is not type(value) or good != value:
            st.session_state[wkey] = good
    return reset


def config_controls(
    config_cls: type[C],
    *,
    key: str,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    where: Any = None,
) -> C:
    """Draw one widget per setting and return the config they describe.

    Settings marked ``advanced`` go under "More settings". ``only``/``skip``
    choose fields, for pages that draw some controls elsewhere; fields not drawn
    keep their current session value, or their default.
    """
    where = where or st
    only_set = set(only) if only is not None else None
    skip_set = set(skip)
    values: dict[str, Any] = {}
    basic, advanced = [], []
    reset = sanitise(config_cls, key=key)
    for name, meta, default in settings_of(config_cls):
        wkey = widget_key(key, name)
        if (only_set is not None and name not in only_set) or name in skip_set:
            values[name] = st.session_state[wkey]
            continue
        (advanced if meta.advanced else basic).append((name, meta, default, wkey))
    if reset:
        where.warning(RESET.format(names=", ".join(reset)))
    for name, meta, default, wkey in basic:
        values[name] = _draw(where, wkey, name, meta, default)
    if advanced:
        with where.expander("More settings"):
            for name, meta, default, wkey in advanced:
                values[name] = _draw(st, wkey, name, meta, default)
    for name, _meta, _default, wkey in basic + advanced:
        st.session_state[_KEEP + wkey] = values[name]
    try:
        return config_cls(**values)
    except ValueError as err:
        st.error(f"That setting can't be used: {err}. Showing the defaults instead.")
        return config_cls()


def config_values(config_cls: type[C], *, key: str) -> C:
    """The config currently held in session state, without drawing widgets."""
    values = {}
    for name, _meta, default in settings_of(config_cls):
        wkey = widget_key(key, name)
        values[name] = st.session_state.get(wkey, st.session_state.get(_KEEP + wkey, default))
    try:
        return config_cls(**values)
    except ValueError:
        return config_cls()


def set_config(config: Any, *, key: str) -> None:
    """Put a config's values into the widgets (for presets); call before drawing."""
    for name, _meta, _default in settings_of(config):
        wkey = widget_key(key, name)
        st.session_state[wkey] = st.session_state[_KEEP + wkey] = getattr(config, name)
