"""The Screen's slides for transparency and oversight, in the Screen's large type:
the room's tally on a tool's public record, the ethics panel's verdicts and the
conditions chosen most, and what people's words are about. Approved text only; no
names; every number counted from the room's latest answers. Type is sized to the
window's width (between 13 and 28 pixels), so a block fits a 1280 or a 1920 pixel wide
projector alike."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from simulators import registry
from simulators.transparency import PANEL, SECTIONS
from ui.charts import draw
from ui.hotspot_charts import MARKS
from ui.i18n import _, ngettext, num
from ui.panel import monitor_reading, monitor_spec, reviewed
from ui.screen import BIG
from workshop import analysis
from workshop.themes import THEMES
from workshop.vocabulary import ENOUGH, PANEL_CONDITIONS, VERDICTS

CSS = """
<style>
  .ov-title { font-size: clamp(14px, 1.4vw, 28px); font-weight: 700;
              margin: 0.5em 0 0.2em 0; }
  .ov-row { display: grid; grid-template-columns: minmax(0, 1fr) 6em 4.6em; gap: 0.5em;
            align-items: center; font-size: clamp(13px, 1.3vw, 26px); line-height: 1.15;
            margin: 0.18em 0; }
  .ov-track { display: block; background: #EEF1F5; height: 0.75em; border-radius: 4px; }
  .ov-fill { display: block; height: 100%; border-radius: 4px; background: #0072B2; }
  .ov-n { text-align: right; font-weight: 700; font-variant-numeric: tabular-nums; }
  .ov-two { display: grid; grid-template-columns: 1.5fr 1fr; gap: 1.5em; }
  .ov-quote { border-left: 6px solid #005A9C; background: #F1F4F8;
              font-size: clamp(13px, 1.3vw, 26px); padding: 0.2em 0.6em; margin: 0.4em 0;
              white-space: pre-wrap; }
  .ov-reading { font-size: clamp(13px, 1.35vw, 27px); line-height: 1.3; }
</style>
"""
#: How tall the monitor's chart is on the Screen, in pixels, and its marks' labels.
CHART_HEIGHT, MARK_FONT = 300, 24


def _rows(counts: list[tuple[str, int]], total: int, said=None) -> str:
    """Bars, one a row: a label, a bar out of ``total``, and its number (``said``
    says the number, e.g. "3 of 8")."""
    out = []
    for label, n in counts:
        width = 0 if total == 0 else round(100 * n / total)
        number = said(n) if said else num(n)
        out.append(f'<div class="ov-row"><span>{html.escape(label)}</span>'
                   f'<span class="ov-track"><span class="ov-fill" style="width:{width}%">'
                   f'</span></span><span class="ov-n">{html.escape(number)}</span></div>')
    return "".join(out)


def _title(text: str) -> str:
    return f'<div class="ov-title">{html.escape(text)}</div>'


def _quote(text: str, lead: str | None = None) -> str:
    head = f"<b>{html.escape(lead)}:</b> " if lead else ""
    return f'<div class="ov-quote">{head}{html.escape(text)}</div>'


def record_tally(results: pd.DataFrame, use_case: str) -> None:
    """On the use-case slide: how many say the public must be told each part of the
    tool's record (of those who answered about that part), and whether the record
    would be enough to accept the tool."""
    mine = results[results["use_case"] == use_case] if not results.empty else results
    if mine.empty:
        return
    tally = analysis.record_tally(mine, list(SECTIONS))
    told = "".join(
        _rows([(_(SECTIONS[r.section][0]), int(r.yes))], int(r.answered),
              said=lambda n, m=int(r.answered): _("{k} of {n}").format(k=num(n), n=num(m)))
        for r in tally.itertuples())
    enough = analysis.counts_of(mine["enough"].dropna(), list(ENOUGH))
    st.html(CSS + '<div class="ov-two"><div>'
            + _title(_("📋 Its public record: must the public be told this part?")) + told
            + "</div><div>" + _title(_("Would the record be enough to accept its use?"))
            + _rows([(_(ENOUGH[k]), int(n)) for k, n in enough.items()], int(enough.sum()))
            + "</div></div>")


def _screen_chart(spec: dict[str, Any]) -> dict[str, Any]:
    """The monitor's chart in the Screen's type: larger axes and legend, a plot
    ``CHART_HEIGHT`` pixels tall whatever they take, and the marks' labels (checked,
    the estate, the flag) large enough for the back row."""
    layers = []
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text":
            layer = {**layer, "mark": {**mark, "fontSize": MARK_FONT}}
        y = layer.get("encoding", {}).get("y", {})
        if "title" in y:  # the long title would not fit beside the axis
            layer = {**layer, "encoding": {**layer["encoding"], "y": {**y, "title": _(
                "of 100")}}}
        layers.append(layer)
    datasets = dict(spec.get("datasets", {}))
    if MARKS in datasets:
        marks = datasets[MARKS]
        datasets[MARKS] = marks.assign(row=12 + (MARK_FONT + 6) * np.arange(len(marks)))
    return {**spec, "layer": layers, "datasets": datasets, "height": CHART_HEIGHT,
            "autosize": {"type": "fit-x", "contains": "padding"},
            "config": {**spec.get("config", {}), **BIG}}


def panel_slide(results: pd.DataFrame) -> None:
    """The ethics panel stage: the monitor the room reviews, the verdicts so far, the
    conditions chosen most, and a condition someone wrote that the facilitator
    approved."""
    use_case, _config, outcome = reviewed()
    mine = results[results["use_case"] == use_case.name] if not results.empty else results
    st.markdown("### " + _("⚖️ {tool}: {days} days in use").format(
        tool=_(registry.get(PANEL.use_case).title), days=num(PANEL.days)))
    left, right = st.columns([1.2, 1], gap="large")
    with left:
        draw(_screen_chart(monitor_spec(outcome)), alt_text=monitor_reading(outcome),
             theme=None)
        st.html(CSS + f'<div class="ov-reading">{html.escape(monitor_reading(outcome))}'
                "</div>")
    verdicts = analysis.counts_of(mine["verdict"] if not mine.empty else pd.Series(
        dtype=object), list(VERDICTS))
    total = int(verdicts.sum())
    parts = [_title(ngettext("The panel's advice ({n} person)",
                             "The panel's advice ({n} people)", total).format(n=num(total))),
             _rows([(_(VERDICTS[k]), int(n)) for k, n in verdicts.items()], total)]
    chosen = analysis.conditions_chosen(mine, list(PANEL_CONDITIONS)) if not mine.empty \
        else pd.Series(dtype=int)
    if not chosen.empty:
        parts += [_title(_("Conditions chosen most")),
                  _rows([(_(PANEL_CONDITIONS[k]), int(n)) for k, n in chosen.head(3).items()],
                        total)]
    written = mine[(mine["status"] == "approved") & (mine["own_condition"] != "")] \
        if not mine.empty else mine
    if not written.empty:
        parts += [_title(_("In people's own words")), _quote(written["own_condition"].iloc[-1])]
    if total == 0:
        parts.append(_quote(_("Advice appears here as people send it from their phones.")))
    right.html(CSS + "".join(parts))


def themes_view(texts: pd.DataFrame) -> None:
    """What people's words are about: how many comments, pieces of advice and written
    conditions touch each theme (hidden text left out), with one approved example of
    the most frequent theme that has one."""
    counts = analysis.theme_tally(texts, list(THEMES))
    if counts.empty:
        return
    shown = texts[texts["status"] != "hidden"]
    parts = [_title(ngettext("What people's words are about ({n} text)",
                             "What people's words are about ({n} texts)", len(shown)).format(
                                 n=num(len(shown)))),
             _rows([(_(THEMES[k]), int(n)) for k, n in counts.head(4).items()], len(shown))]
    approved = shown[shown["status"] == "approved"]
    for theme in counts.index:
        about = approved[approved["themes"].map(lambda ts, t=theme: t in ts)]
        if not about.empty:
            parts.append(_quote(about["text"].iloc[-1], _(THEMES[theme])))
            break
    st.html(CSS + "".join(parts))
