"""Widgets drawn from a simulator ``Config``'s field metadata.

Ranges, labels and help live on the dataclass (``simulators.config.setting``);
this module only turns them into sliders and choices. Widget keys are
``f"{key}.{field}"``, so a preset can set ``st.session_state`` before the widgets
are drawn and AppTest can drive them by key.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, TypeVar

import streamlit as st

from simulators.config import Setting, settings_of
from ui.i18n import _, lang, num
from workshop.i18n import translator

C = TypeVar("C")
_KEEP = "_keep."
RESET = "Some settings could not be used, so they were put back to normal: {names}."


def grid(meta: Setting) -> list[float]:
    """Every value a slider can take, rounded as a Config stores it."""
    n = int(round((meta.max - meta.min) / meta.step))
    return [round(meta.min + i * meta.step, 10) for i in range(n + 1)]


def in_units(meta: Setting, value: float) -> str:
    """A value as people read it: 0.3 -> "30 in 100 calls"."""
    if meta.unit is None:
        return num(value, 2 if isinstance(value, float) and value != int(value) else 0)
    return _(meta.unit).format(n=num(round(value * meta.scale, 6)))


@functools.lru_cache(maxsize=1024)
def _unit_labels(unit: str, scale: float, values: tuple[float, ...],
                 language: str) -> dict[float, str]:
    """``in_units`` of every value of a slider, worked out once per language: a
    select_slider formats all its options on every run, and babel's number
    formatting made that a tenth of the server's time under a full room."""
    t = translator(language)
    return {v: t.gettext(unit).format(n=t.number(round(v * scale, 6), 0)) for v in values}


def widget_key(key: str, name: str) -> str:
    return f"{key}.{name}"


def _draw(where: Any, wkey: str, name: str, meta: Setting, default: Any) -> Any:
    label, help_ = _(meta.label), _(meta.help)
    if meta.choices is not None:
        opts = list(meta.choices)
        kwargs = dict(format_func=lambda v: _(meta.describe(v)), key=wkey, help=help_)
        if len(opts) <= 3:
            return where.radio(label, opts, **kwargs)
        return where.selectbox(label, opts, **kwargs)
    if isinstance(default, bool):
        return where.toggle(label, key=wkey, help=help_)
    if isinstance(default, int):
        lo = int(meta.min if meta.min is not None else 0)
        hi = int(meta.max if meta.max is not None else max(1, default * 2))
        step = int(meta.step or 1)
        if name == "seed" or hi - lo > 1000:
            return where.number_input(
                label, min_value=lo, max_value=hi, step=step, key=wkey, help=help_
            )
    if meta.min is not None and meta.max is not None and meta.step:
        # Every value named in people's units ("30 in 100 calls"), not 0.3.
        values = grid(meta)
        labels = (_unit_labels(meta.unit, meta.scale, tuple(values), lang())
                  if meta.unit is not None else {})
        return where.select_slider(label, values, key=wkey, help=help_,
                                   format_func=lambda v: labels.get(v) or in_units(meta, v))
    lo = float(meta.min if meta.min is not None else 0.0)
    hi = float(meta.max if meta.max is not None else 1.0)
    step = float(meta.step or round((hi - lo) / 20, 4) or 0.01)
    return where.slider(label, lo, hi, step=step, key=wkey, help=help_)


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
        if meta.choices is None and meta.step and name != "seed" and good not in grid(meta):
            # A slider offers only its steps: take the nearest.
            good = type(good)(min(grid(meta), key=lambda g: abs(g - good)))
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
        where.warning(_(RESET).format(names=", ".join(_(n) for n in reset)))
    for name, meta, default, wkey in basic:
        values[name] = _draw(where, wkey, name, meta, default)
    if advanced:
        with where.expander(_("More settings")):
            for name, meta, default, wkey in advanced:
                values[name] = _draw(st, wkey, name, meta, default)
    for name, _meta, _default, wkey in basic + advanced:
        st.session_state[_KEEP + wkey] = values[name]
    try:
        return config_cls(**values)
    except ValueError as err:
        st.error(_("That setting can't be used, so the page shows the usual settings "
                   "instead.") + f" ({err})")
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
