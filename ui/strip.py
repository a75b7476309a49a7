"""The result strip: the headline number, one sentence and the groups side by side,
kept in view at the top of the screen while the sliders below it move."""

from __future__ import annotations

import html
import threading

import streamlit as st

from ui.figures import Figures
from ui.i18n import _
from ui.style import STRIP_KEY

_OPEN = threading.local()  # the places being filled in this script run's thread


def _places() -> list[StripPlace]:
    if not hasattr(_OPEN, "places"):
        _OPEN.places = []
    return _OPEN.places


class StripPlace:
    """Where the strip goes: a part that stays in view (the number, the sentence, the
    bars) and, just under it, a part that scrolls away (any longer note), so the part
    that follows the thumb stays small on a phone."""

    def __init__(self) -> None:
        self.sticky = st.container(key=STRIP_KEY)
        self.below = st.container()

    def __enter__(self):
        _places().append(self)
        return self.sticky.__enter__()

    def __exit__(self, *exc):
        _places().pop()
        return self.sticky.__exit__(*exc)


def strip_container() -> StripPlace:
    """The strip's place: call first in the result fragment, fill it once the
    settings are read (``with place: result_strip(...)``)."""
    return StripPlace()


def strip_html(fig: Figures) -> str:
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
    gap_label = _("the gap between the groups ({what})").format(what=fig.harm_label.lower())
    parts = [
        '<div role="status" aria-live="polite">',
        f'<div class="strip-head"><span class="strip-number">{e(fig.gap_text)}</span>'
        f'<span class="strip-label">{e(gap_label)}</span></div>',
        f'<p class="strip-sentence">{e(fig.headline)}</p>',
        *rows,
    ]
    parts.append("</div>")
    return "".join(parts)


def result_strip(fig: Figures, extra: str = "") -> None:
    """Draw the strip (inside the place from :func:`strip_container`); ``extra``, a
    longer note, goes just under it and scrolls away."""
    st.html(strip_html(fig))
    if extra:
        places = _places()
        (places[-1].below if places else st).caption(extra)
