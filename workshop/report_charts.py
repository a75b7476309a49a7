"""The report's paper: A4 pages that text and charts flow onto, and its charts.

Drawn with matplotlib's object API (no pyplot, no display) into one PDF. Made to be
printed in black and white: dark text, bars told apart by hatching and by labels
written on them, lines by their dash. Every string drawn is plain text: ``$`` and
TeX are never interpreted (participants' words go through here).

Nothing here knows about workshops: :mod:`workshop.report` says what to draw.
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

PAGE_W, PAGE_H = 8.27, 11.69  # A4, inches
LEFT, RIGHT, TOP, BOTTOM = 0.85, 0.85, 0.8, 0.85
WIDTH = PAGE_W - LEFT - RIGHT
INK = "#000000"
GREY = "#555555"
#: Fills and hatches that stay apart on a black-and-white printer, in order.
STYLES = [
    {"facecolor": "#303030", "hatch": None},
    {"facecolor": "white", "hatch": "////"},
    {"facecolor": "#b0b0b0", "hatch": None},
    {"facecolor": "white", "hatch": "...."},
    {"facecolor": "#707070", "hatch": "xx"},
]
PLAIN = {"parse_math": False, "usetex": False}
RC = {
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.color": INK,
    "hatch.linewidth": 0.7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 3,
}


@functools.cache
def _drawable() -> frozenset[int]:
    """The characters the report's font can draw."""
    path = font_manager.findfont(font_manager.FontProperties(family=RC["font.family"]),
                                 fallback_to_default=False)
    return frozenset(FT2Font(path).get_charmap())


def printable(text: str) -> str:
    """``text`` with what the report's font cannot draw left out (emoji, and the
    joiners and skin tones that go with them), instead of printed as empty boxes.

    >>> printable("Good idea 👍🏽 ✓")
    'Good idea ✓'
    """
    text, drawable = str(text), _drawable()
    kept = "".join(c for c in text if c in "\n\t " or ord(c) in drawable)
    if len(kept) == len(text):
        return kept
    return "\n".join(re.sub(" {2,}", " ", line).strip() for line in kept.split("\n"))


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, its own line breaks kept
    (and only what the font can draw: :func:`printable`)."""
    lines: list[str] = []
    for part in printable(text).split("\n"):
        lines.extend(textwrap.wrap(part, width, break_long_words=True,
                                   break_on_hyphens=False) or [""])
    return lines


def chars(width_in: float, size: float) -> int:
    """How many characters of DejaVu Sans at ``size`` points fit ``width_in`` inches."""
    return max(10, int(width_in * 72 / (size * 0.56)))


@contextmanager
def paper() -> Iterator[None]:
    """The report's matplotlib settings, and quiet about glyphs a font lacks (text
    goes through :func:`printable`, which leaves them out)."""
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph.*missing.*")
        yield


class Document:
    """Pages that headings, paragraphs and charts flow onto, top to bottom."""

    def __init__(self, title: str, footer: Callable[[int], str]) -> None:
        self._buffer = io.BytesIO()
        self._pdf = PdfPages(self._buffer, metadata={"Title": title,
                                                     "Creator": "workshop.report"})
        self.footer = footer  # page number -> the line at the foot of the page
        self.fig: Figure | None = None
        self.y = TOP
        self.pages = 0

    # -- pages ------------------------------------------------------------------

    def new_page(self) -> None:
        self._finish_page()
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        self.pages += 1
        self.y = TOP
        self.fig.text(LEFT / PAGE_W, 0.45 / PAGE_H, printable(self.footer(self.pages)),
                      fontsize=7.5, color=GREY, va="bottom", **PLAIN)

    def _finish_page(self) -> None:
        if self.fig is not None:
            self._pdf.savefig(self.fig)
            self.fig = None

    def room(self, height: float) -> Figure:
        """The page to draw on, a new one unless ``height`` inches are left."""
        if self.fig is None or self.y + height > PAGE_H - BOTTOM:
            self.new_page()
        assert self.fig is not None
        return self.fig

    def space(self, height: float) -> None:
        if self.fig is not None and self.y > TOP:
            self.y += height

    def close(self) -> bytes:
        self._finish_page()
        self._pdf.close()
        return self._buffer.getvalue()

    # -- text -------------------------------------------------------------------

    def _line(self, text: str, size: float, indent: float = 0.0, **style: Any) -> None:
        height = size * 1.4 / 72
        fig = self.room(height)
        fig.text((LEFT + indent) / PAGE_W, 1 - self.y / PAGE_H, text, fontsize=size,
                 va="top", ha="left", color=style.pop("color", INK), **style, **PLAIN)
        self.y += height

    def heading(self, text: str, level: int = 1, keep: float = 0.6) -> None:
        """A heading, on the same page as the ``keep`` inches that follow it."""
        size = {0: 22, 1: 16, 2: 12.5, 3: 10.5}[level]
        self.space({0: 0, 1: 0.2, 2: 0.16, 3: 0.08}[level])
        lines = wrap(text, chars(WIDTH, size * 1.1))
        self.room(len(lines) * size * 1.4 / 72 + keep)
        for line in lines:
            self._line(line, size, fontweight="bold")
        self.y += 0.04

    def paragraph(self, text: str, size: float = 10, indent: float = 0.0, *,
                  italic: bool = False, color: str = INK, after: float = 0.07) -> None:
        for line in wrap(text, chars(WIDTH - indent, size)):
            self._line(line, size, indent, fontstyle="italic" if italic else "normal",
                       color=color)
        self.y += after

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` inches fit on this one (if they fit on a
        page at all): keeps a list and its chart together."""
        if height < PAGE_H - TOP - BOTTOM:
            self.room(height)

    @staticmethod
    def bullets_height(items: Sequence[str], size: float = 10) -> float:
        lines = sum(len(wrap(item, chars(WIDTH - 0.25, size))) for item in items)
        return lines * size * 1.4 / 72 + 0.05 * len(items)

    def bullets(self, items: Sequence[str], size: float = 10, mark: str = "•") -> None:
        for item in items:
            lines = wrap(item, chars(WIDTH - 0.25, size))
            self.room(size * 1.4 / 72)
            self._line(mark, size, 0.05)
            self.y -= size * 1.4 / 72
            for line in lines:
                self._line(line, size, 0.25)
            self.y += 0.05

    # -- charts -----------------------------------------------------------------

    def chart(self, height: float, draw: Callable[[Figure, tuple[float, float, float,
                                                                 float]], None],
              caption: str = "") -> None:
        """A chart ``height`` inches tall across the page, its sentence under it (kept
        on the same page). ``draw(fig, box)`` gets the box in inches from the page's
        top left: (left, top, width, height)."""
        caption_h = len(wrap(caption, chars(WIDTH, 9.5))) * 9.5 * 1.4 / 72 if caption else 0
        fig = self.room(height + caption_h + 0.1)
        draw(fig, (LEFT, self.y, WIDTH, height))
        self.y += height + 0.08
        if caption:
            self.paragraph(caption, 9.5, italic=True, after=0.12)


def axes(fig: Figure, box: tuple[float, float, float, float], *, left: float = 0.0,
         right: float = 0.0, top: float = 0.0, bottom: float = 0.0) -> Axes:
    """Axes in ``box`` (inches from the page's top left), less the margins given."""
    x, y, w, h = box
    return fig.add_axes(((x + left) / PAGE_W, 1 - (y + h - bottom) / PAGE_H,
                         (w - left - right) / PAGE_W, (h - top - bottom) / PAGE_H))


def _tidy(ax: Axes) -> None:
    ax.tick_params(labelsize=8.5, length=2)
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_parse_math(False)


def _label_bar(ax: Axes, x: float, y: float, text: str, inside: bool = False) -> None:
    ax.text(x, y, f" {text}", va="center", ha="left", fontsize=8, color=INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5} if inside else None,
            **PLAIN)


def comfort_pair(fig: Figure, box: tuple, levels: Sequence[str], first: Sequence[int],
                 then: Sequence[int], pairs: dict[tuple[int, int], int],
                 names: tuple[str, str], moves: tuple[str, str, str], axis: str) -> None:
    """Left: how many people at each comfort level, at the first and the second
    answer (hatched and solid bars). Right: how many gave each pair of answers
    (:func:`_transitions`)."""
    x, y, w, h = box
    left = axes(fig, (x, y, w * 0.6, h), left=1.45, bottom=0.45, top=0.6)
    ys = np.arange(len(levels))
    styles = (STYLES[1], STYLES[0])
    for offset, counts, style, name in ((0.2, first, styles[0], names[0]),
                                        (-0.2, then, styles[1], names[1])):
        left.barh(ys + offset, counts, height=0.38, edgecolor=INK, linewidth=0.6,
                  label=name, **style)
        for yy, n in zip(ys + offset, counts, strict=True):
            _label_bar(left, n, yy, str(int(n)))
    left.set_yticks(ys, labels=list(levels))
    left.set_xlim(0, max(1, *first, *then) * 1.2)
    left.xaxis.get_major_locator().set_params(integer=True)
    left.set_xlabel(axis, fontsize=8.5)
    left.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False,
                fontsize=8)
    _tidy(left)
    right = axes(fig, (x + w * 0.64, y, w * 0.36, h), left=0.45, bottom=0.45, top=0.6)
    _transitions(right, len(levels), pairs, names, moves)


def _transitions(ax: Axes, n: int, pairs: dict[tuple[int, int], int],
                 names: tuple[str, str], moves: tuple[str, str, str]) -> None:
    """A grid of (first answer, second answer): each cell says how many people gave
    that pair. Cells right of the diagonal (grey) moved up, left of it down; the
    diagonal (dotted) did not move."""
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            ax.add_patch(Rectangle((b - 0.5, a - 0.5), 1, 1, linewidth=0.4,
                                   edgecolor=GREY, facecolor="#d9d9d9" if b > a else "white",
                                   linestyle=":" if a == b else "-", zorder=0))
            k = pairs.get((a, b), 0)
            if k:
                ax.text(b, a, str(k), ha="center", va="center", fontsize=9,
                        fontweight="bold", **PLAIN)
    for a in range(1, n + 1):
        ax.add_patch(Rectangle((a - 0.5, a - 0.5), 1, 1, fill=False, linewidth=1.2,
                               linestyle=":", edgecolor=INK, zorder=1))
    ax.set_xlim(0.5, n + 0.5)
    ax.set_ylim(0.5, n + 0.5)
    ax.set_aspect("equal")
    ticks = list(range(1, n + 1))
    ax.set_xticks(ticks, labels=[str(v) for v in ticks])
    ax.set_yticks(ticks, labels=[str(v) for v in ticks])
    ax.set_xlabel(names[1], fontsize=8.5)
    ax.set_ylabel(names[0], fontsize=8.5)
    ax.spines[["top", "right"]].set_visible(True)
    ax.legend(handles=[Patch(facecolor="#d9d9d9", edgecolor=GREY, label=moves[0]),
                       Patch(facecolor="white", edgecolor=GREY, label=moves[1]),
                       Patch(facecolor="white", edgecolor=INK, linestyle=":", label=moves[2])],
              loc="lower left", bbox_to_anchor=(-0.15, 1.0), ncols=1, frameon=False,
              fontsize=7, handlelength=1.2, borderaxespad=0.2)
    _tidy(ax)


def bars(fig: Figure, box: tuple, labels: Sequence[str], counts: Sequence[int], *,
         label_width: float = 2.6, values: Sequence[str] | None = None) -> None:
    """Horizontal bars, largest first as given, each with its number written on it."""
    ax = axes(fig, box, left=label_width, bottom=0.05, top=0.05, right=0.3)
    ys = np.arange(len(labels))[::-1]
    ax.barh(ys, counts, height=0.6, edgecolor=INK, linewidth=0.6, **STYLES[2])
    for yy, n, v in zip(ys, counts, values or [str(int(c)) for c in counts], strict=True):
        _label_bar(ax, n, yy, v)
    width = chars(label_width - 0.1, 8.5)
    ax.set_yticks(ys, labels=["\n".join(wrap(s, width)) for s in labels])
    ax.set_xlim(0, max(1, *counts) * 1.18)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    _tidy(ax)


def stacked(fig: Figure, box: tuple, labels: Sequence[str], parts: Sequence[Sequence[int]],
            names: Sequence[str]) -> None:
    """One horizontal bar per row, made of parts (agree, disagree, pass) told apart by
    fill and hatching, with each part's number written in it."""
    ax = axes(fig, box, left=0.45, bottom=0.3, top=0.35, right=0.2)
    ys = np.arange(len(labels))[::-1]
    start = np.zeros(len(labels))
    for k, (values, name) in enumerate(zip(parts, names, strict=True)):
        values = np.asarray(values, dtype=float)
        style = STYLES[[0, 1, 3][k % 3]]
        ax.barh(ys, values, left=start, height=0.6, edgecolor=INK, linewidth=0.6,
                label=name, **style)
        for yy, s, v in zip(ys, start, values, strict=True):
            if v:
                ax.text(s + v / 2, yy, str(int(v)), ha="center", va="center", fontsize=7.5,
                        color="white" if k == 0 else INK,
                        bbox=None if k == 0 else {"facecolor": "white", "edgecolor": "none",
                                                  "pad": 0.3}, **PLAIN)
        start += values
    ax.set_yticks(ys, labels=list(labels))
    ax.set_xlim(0, max(1.0, float(start.max())) * 1.02)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(names), frameon=False,
              fontsize=8)
    _tidy(ax)


def grouped(fig: Figure, box: tuple, labels: Sequence[str], shares: Sequence[Sequence[float]],
            names: Sequence[str], axis_label: str) -> None:
    """For each row (a piece of advice), one bar per group: its share out of 100."""
    ax = axes(fig, box, left=0.45, bottom=0.4, top=0.35, right=0.3)
    rows, groups = len(labels), len(names)
    ys = np.arange(rows)[::-1].astype(float)
    height = 0.8 / max(groups, 1)
    for g, name in enumerate(names):
        values = [np.nan if v is None else 100 * v for v in (s[g] for s in shares)]
        yy = ys + 0.4 - height * (g + 0.5)
        ax.barh(yy, np.nan_to_num(values), height=height * 0.92, edgecolor=INK,
                linewidth=0.6, label=name, **STYLES[g % len(STYLES)])
        for y1, v in zip(yy, values, strict=True):
            _label_bar(ax, 0 if np.isnan(v) else v, y1,
                       "–" if np.isnan(v) else str(int(round(v))))
    ax.set_yticks(ys, labels=list(labels))
    ax.set_xlim(0, 112)
    ax.set_xlabel(axis_label, fontsize=8.5)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(groups, 5), frameon=False,
              fontsize=8)
    _tidy(ax)


def journey(fig: Figure, box: tuple, labels: Sequence[str], values: Sequence[Sequence[int]],
            paths: Sequence[tuple[Sequence[float], Sequence[float]]],
            legend: tuple[str, str, str]) -> None:
    """Comfort at each point of a series (a box per point: the middle half of people,
    the line their median, the diamond their average) with a thin grey line for each
    person who answered at more than one point."""
    ax = axes(fig, box, left=0.55, bottom=0.55, top=0.35, right=0.2)
    xs = np.arange(len(labels))
    for px, py in paths:
        ax.plot(px, py, color="#9a9a9a", linewidth=0.6, zorder=1)
    shown = [(x, v) for x, v in zip(xs, values, strict=True) if len(v)]
    ax.boxplot([v for _x, v in shown], positions=[x for x, _v in shown], widths=0.35,
               patch_artist=True, showfliers=True, zorder=2,
               boxprops={"facecolor": "white", "edgecolor": INK},
               medianprops={"color": INK, "linewidth": 1.6},
               whiskerprops={"color": INK}, capprops={"color": INK},
               flierprops={"marker": "o", "markersize": 3, "markeredgecolor": INK})
    for x, v in shown:
        mean = float(np.mean(v))
        ax.plot([x], [mean], marker="D", markersize=6, markerfacecolor="white",
                markeredgecolor=INK, zorder=3)
        ax.text(x + 0.22, mean, f"{mean:.1f}", va="center", fontsize=7.5, **PLAIN)
    ax.set_xticks(xs, labels=list(labels))
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.set_ylim(0.6, 5.4)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.legend(handles=[Patch(facecolor="white", edgecolor=INK, label=legend[0]),
                       Line2D([], [], marker="D", color="none", markerfacecolor="white",
                              markeredgecolor=INK, label=legend[1]),
                       Line2D([], [], color="#9a9a9a", linewidth=0.8, label=legend[2])],
              loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, frameon=False, fontsize=7.5)
    _tidy(ax)


TABLE_LINE = 9 * 1.4 / 72


def _cells(header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float]) -> list[list[list[str]]]:
    return [[wrap(cell, chars(width - 0.12, 9)) for cell, width in zip(row, widths,
                                                                        strict=True)]
            for row in [list(header), *rows]]


def table_height(header: Sequence[str], rows: Sequence[Sequence[str]],
                 widths: Sequence[float]) -> float:
    return sum(max(map(len, r)) * TABLE_LINE + 0.05 for r in _cells(header, rows, widths))


def table(fig: Figure, box: tuple, header: Sequence[str], rows: Sequence[Sequence[str]],
          widths: Sequence[float]) -> None:
    """Rows of plain text under a bold header, columns ``widths`` inches wide, each
    cell wrapped to its column."""
    x, y, _w, _h = box
    for r, row in enumerate(_cells(header, rows, widths)):
        left = x
        for lines, width in zip(row, widths, strict=True):
            for k, line in enumerate(lines):
                fig.text(left / PAGE_W, 1 - (y + 9 / 72 + k * TABLE_LINE) / PAGE_H, line,
                         fontsize=9, va="baseline",
                         fontweight="bold" if r == 0 else "normal", **PLAIN)
            left += width
        y += max(map(len, row)) * TABLE_LINE + 0.05
        if r == 0:
            fig.add_artist(Line2D([x / PAGE_W, (x + sum(widths)) / PAGE_W],
                                  [1 - (y - 0.03) / PAGE_H] * 2, color=INK, linewidth=0.6))
