"""The result strip: the headline number, one sentence and the groups side by side,
kept in view at the top of the screen while the sliders below it move."""

from __future__ import annotations

import html

import streamlit as st

from ui.figures import Figures
from ui.i18n import _
from ui.style import STRIP_KEY


def strip_container():
    """The strip's place: call first in the result fragment, fill it once the
    settings are read (``with place: result_strip(...)``)."""
    return st.container(key=STRIP_KEY)


def strip_html(fig: Figures, extra: str = "") -> str:
    e = html.escape
    rows = []
    for bar in fig.bars:
        count = "–" if bar.count is None else str(bar.count)
        width = 0 if bar.count is None else max(0, min(100, bar.count))
        rows.append(
            f'<div class="strip-row"><span>{e(bar.name)}</span>'
            f'<span class="strip-track"><span class="strip-fill" style="display:block;'
            f'width:{width}%;background:{bar.colour}"></span></span>'
            f'<span class="strip-num">{e(count)}</span></div>')
    gap_label = _("gap between the groups in: {what}").format(what=fig.harm_label.lower())
    parts = [
        '<div role="status" aria-live="polite">',
        f'<div class="strip-head"><span class="strip-number">{e(fig.gap_text)}</span>'
        f'<span class="strip-label">{e(gap_label)}</span></div>',
        f'<p class="strip-sentence">{e(fig.headline)}</p>',
        *rows,
    ]
    if extra:
        parts.append(f'<div class="strip-extra">{e(extra)}</div>')
    parts.append("</div>")
    return "".join(parts)


def result_strip(fig: Figures, extra: str = "") -> None:
    """Draw the strip (inside the place from :func:`strip_container`)."""
    st.html(strip_html(fig, extra))
