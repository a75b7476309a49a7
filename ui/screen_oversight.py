"""The Screen's panels for transparency and oversight, in the Screen's own type (HTML
for ``ui.screen.turns``, the monitor's chart in ``ui.screen.BIG``): the room's tally
on a tool's public record, the ethics panel's monitor, verdicts, the conditions chosen
most and those written in people's own words, and what people's words are about.
Approved text only; no names; every number counted from the room's latest answers."""

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
from ui.screen import BIG, bar, cut, turns
from workshop import analysis
from workshop.themes import THEMES
from workshop.vocabulary import ENOUGH, PANEL_CONDITIONS, VERDICTS

#: The monitor's marks' labels (checked, the estate, the flag), in px: the Screen's
#: smallest type.
MARK_FONT = 28
#: At most this many conditions chosen, most chosen first (the rest are in the report).
TOP_CONDITIONS = 4


def _quote(text: str, lead: str | None = None) -> str:
    head = f"<b>{html.escape(lead)}:</b> " if lead else ""
    return f'<div class="quote">{head}{html.escape(cut(text))}</div>'


def record_panels(results: pd.DataFrame, use_case: str) -> list[tuple[str, str]]:
    """How many say the public must be told each part of the tool's record (of those
    who answered about that part), and whether the record would be enough to accept
    the tool: ``(heading, html)`` for the use-case slide, none before anyone answered."""
    mine = results[results["use_case"] == use_case] if not results.empty else results
    if mine.empty:
        return []
    told = "".join(
        bar(_(SECTIONS[r.section][0]), int(r.yes), int(r.answered),
            _("{k} of {n}").format(k=num(int(r.yes)), n=num(int(r.answered))))
        for r in analysis.record_tally(mine, list(SECTIONS)).itertuples())
    enough = analysis.counts_of(mine["enough"].dropna(), list(ENOUGH))
    return [(html.escape(_("📋 Its public record: must the public be told this part?")),
             told),
            (html.escape(_("Would the record be enough to accept its use?")),
             "".join(bar(_(ENOUGH[k]), int(n), int(enough.sum())) for k, n in enough.items()))]


def _screen_chart(spec: dict[str, Any], height: int) -> dict[str, Any]:
    """The monitor's chart in the Screen's type: ``BIG`` axes and legend, its y axis's
    title over the plot (beside it, it would not fit), ``height`` px tall in all, and
    the marks' labels (checked, the estate, the flag) large enough for the back row."""
    layers, title = [], None
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text":
            layer = {**layer, "mark": {**mark, "fontSize": MARK_FONT}}
        y = layer.get("encoding", {}).get("y", {})
        if "title" in y:
            title = title or y["title"][:1].upper() + y["title"][1:]
            layer = {**layer, "encoding": {**layer["encoding"], "y": {**y, "title": None}}}
        layers.append(layer)
    datasets = dict(spec.get("datasets", {}))
    if MARKS in datasets:
        marks = datasets[MARKS]
        datasets[MARKS] = marks.assign(row=14 + (MARK_FONT + 6) * np.arange(len(marks)))
    plot = height - 6 * BIG["axis"]["labelFontSize"]  # the title, legend and x axis
    return {**spec, "layer": layers, "datasets": datasets, "height": max(120, plot),
            "title": {"text": title, "anchor": "start", "fontSize": BIG["axis"]["titleFontSize"],
                      "color": BIG["axis"]["titleColor"], "fontWeight": "bold"},
            "autosize": {"type": "fit-x", "contains": "padding"},
            "config": {**spec.get("config", {}), **BIG}}


def panel_heading() -> str:
    """The tool the panel reviews, and how long it has been in use."""
    return _("⚖️ {tool}: {days} days in use").format(
        tool=_(registry.get(PANEL.use_case).title), days=num(PANEL.days))


def panel_slide(results: pd.DataFrame, height: int) -> None:
    """The ethics panel stage: the monitor the room reviews (a chart ``height`` px
    tall) beside what it shows, the verdicts so far, the conditions chosen most and
    those people wrote that the facilitator approved, taking turns."""
    use_case, _config, outcome = reviewed()
    mine = results[results["use_case"] == use_case.name] if not results.empty else results
    left, right = st.columns([1.15, 1], gap="large")
    reading = monitor_reading(outcome)
    with left:
        draw(_screen_chart(monitor_spec(outcome), height), alt_text=reading, theme=None)
    flag = ' flag">🚩 ' if outcome.flag_day is not None else '">'
    items: list[str | tuple[str, str]] = [f'<div class="quote{flag}{html.escape(reading)}</div>']
    verdicts = analysis.counts_of(mine["verdict"] if not mine.empty else pd.Series(
        dtype=object), list(VERDICTS))
    total = int(verdicts.sum())
    if total == 0:
        waiting = _("Advice appears here as people send it from their phones.")
        items.append(f'<div class="said">{html.escape(waiting)}</div>')
    else:
        items.append((html.escape(ngettext(
            "The panel's advice ({n} person)", "The panel's advice ({n} people)",
            total).format(n=num(total))),
            "".join(bar(_(VERDICTS[k]), int(n), total) for k, n in verdicts.items())))
    chosen = analysis.conditions_chosen(mine, list(PANEL_CONDITIONS))
    if not chosen.empty:
        items.append((html.escape(_("Conditions chosen most")), "".join(
            bar(_(PANEL_CONDITIONS[k]), int(n), total)
            for k, n in chosen.head(TOP_CONDITIONS).items())))
    written = mine[(mine["status"] == "approved") & (mine["own_condition"] != "")] \
        if not mine.empty else mine
    words = html.escape(_("In people's own words"))
    items += [(words, _quote(text)) for text in reversed(written["own_condition"].tolist())]
    with right:
        turns("panel", items)


def themes_panel(texts: pd.DataFrame) -> tuple[str, str] | None:
    """What people's words are about: how many comments, pieces of advice and written
    conditions touch each theme (hidden text left out), with one approved example of
    the most frequent theme that has one; ``(heading, html)``, or None before any."""
    counts = analysis.theme_tally(texts, list(THEMES))
    if counts.empty:
        return None
    shown = texts[texts["status"] != "hidden"]
    rows = "".join(bar(_(THEMES[k]), int(n), len(shown)) for k, n in counts.head(4).items())
    approved = shown[shown["status"] == "approved"]
    for theme in counts.index:
        about = approved[approved["themes"].map(lambda ts, t=theme: t in ts)]
        if not about.empty:
            rows += _quote(about["text"].iloc[-1], _(THEMES[theme]))
            break
    return (html.escape(ngettext("What people's words are about ({n} text)",
                                 "What people's words are about ({n} texts)",
                                 len(shown)).format(n=num(len(shown)))), rows)


def panel_result(results: pd.DataFrame) -> list[str]:
    """For the closing slide: the ethics panel's advice given most (HTML), if any."""
    mine = results[results["use_case"] == PANEL.use_case] if not results.empty else results
    if mine.empty:
        return []
    verdicts = analysis.counts_of(mine["verdict"], list(VERDICTS))
    panel = _("The ethics panel")
    return [f"<b>{html.escape(panel)}.</b> {html.escape(panel_heading())}. "
            + html.escape(_("The answer given most: “{answer}” ({n} of {total}).").format(
                answer=_(VERDICTS[verdicts.idxmax()]), n=num(int(verdicts.max())),
                total=num(int(verdicts.sum()))))]
