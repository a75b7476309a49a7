"""The result strip: the headline number, what chance alone makes of it, one sentence
and the groups side by side, kept in view at the top of the screen while the sliders
below it move.

What chance alone makes (``simulators.chance``) is worked out once for the room, in the
background the first time: the strip shows the result at once and the chance line
when it is ready (:func:`bands_for` reruns the page then while its work is near the front
of the line; in a busy room, its next move shows it), never a claim before it."""

from __future__ import annotations

import html
import threading
from typing import Any

import streamlit as st

from simulators.chance import Bands
from simulators.registry import UseCase
from ui.cache import in_background, over_towns, place_in_line
from ui.claims import chance_line
from ui.figures import Figures
from ui.i18n import _, lang
from ui.style import STRIP_KEY
from workshop.i18n import translator

#: How often a page waiting for work over towns looks again, in seconds.
WATCH_SECONDS = 2.0
#: A page looks again by itself only while its work is this near the front of the
#: worker's line; further back (a busy room exploring many settings), the timers would
#: cost the room more than they give, and the page's next move looks again instead.
WATCH_PLACES = 2

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


def towns_for(use_case: UseCase, kind: str, config: Any) -> Any:
    """``kind``'s work over many towns for ``config`` (``ui.cache.over_towns``) if it is
    known; else None, with a small timer that reruns the page once it is ready, if it
is near the front of the worker's line (``WATCH_PLACES``)."""
    value = over_towns(use_case, kind, config)
    if value is None and in_background():
        place = place_in_line(use_case, kind, config)
        if place is not None and place <= WATCH_PLACES:
            _watch(use_case, kind, config)
    return value


def bands_for(use_case: UseCase, config: Any) -> Bands | None:
    """What chance alone makes in towns with no bias, for ``config`` (None until known)."""
    return towns_for(use_case, "bands", config)


@st.fragment(run_every=WATCH_SECONDS)
def _watch(use_case: UseCase, kind: str, config: Any) -> None:
    if over_towns(use_case, kind, config) is not None:
        st.rerun()


def strip_html(fig: Figures, chance: str = "") -> str:
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
    if chance:
        parts.append(f'<p class="strip-chance">{e(chance)}</p>')
    parts.append("</div>")
    return "".join(parts)


def chance_text(bands: Bands | None, measure: str | None = None) -> str:
    """The strip's line on what chance alone makes (``measure``: which number the
    headline gap is, by default the headline): "" when it is not being worked out."""
    if bands is None and not in_background():
        return ""
    return chance_line(bands, translator(lang()), measure).text


def result_strip(fig: Figures, extra: str = "", chance: str = "") -> None:
    """Draw the strip (inside the place from :func:`strip_container`); ``extra``, a
    longer note, goes just under it and scrolls away; ``chance``, what chance alone
    makes of the gap (:func:`chance_text`), stays with the number."""
    st.html(strip_html(fig, chance))
    if extra:
        places = _places()
        (places[-1].below if places else st).caption(extra)
