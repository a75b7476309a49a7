"""The Screen: what the room reads together on the projector, in large type.

Nothing private and no controls: the join slide, the stage and its question, the
timer, live results (comfort before and after, paired per person; the open
questions; the advice ranking) and only comments the facilitator approved. The
Screen picks its slide from the room: the join slide while people arrive (first
views), results for the stage the room is at, and a results slide in plain
sentences once the workshop is closed.
"""

from __future__ import annotations

import html
import io

import pandas as pd
import segno
import streamlit as st

from simulators import registry
from simulators.messages import N_
from ui.charts import draw
from ui.figures import GROUP_COLOURS
from ui.i18n import _, ngettext
from workshop import analysis
from workshop.vocabulary import ADVICE_THEMES, COMFORT, OPEN_QUESTIONS, STAGES

CSS = """
<style>
  html { font-size: 30px; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important;
    padding: 1rem 2rem !important; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
    font-size: 1rem; line-height: 1.35; }
  [data-testid="stCaptionContainer"] { font-size: 0.95rem !important; color: #1A1A1A; }
  .screen-code { font-size: 140px; font-weight: 800; letter-spacing: 0.12em;
                 line-height: 1.05; font-family: monospace; }
  .screen-small-code { font-size: 64px; font-weight: 800; letter-spacing: 0.1em;
                       font-family: monospace; }
  .screen-address { font-size: 40px; word-break: break-all; }
  .screen-quote { border-left: 8px solid #005A9C; padding: 0.2rem 0.6rem; margin: 0.4rem 0;
                  background: #F1F4F8; font-size: 0.95rem; white-space: pre-wrap; }
  .screen-advice { display: grid; grid-template-columns: 1fr 9rem; gap: 0.6rem;
                   align-items: center; margin: 0.35rem 0; font-size: 0.95rem; }
  .screen-track { background: #EEF1F5; height: 0.8rem; border-radius: 4px; }
  .screen-question { font-size: 0.8rem; margin-bottom: 0.6rem; line-height: 1.3; }
  .screen-answer { display: grid; grid-template-columns: 1fr 6rem 1.6rem; gap: 0.4rem;
                   align-items: center; margin: 0.15rem 0; }
  .screen-n { text-align: right; font-weight: 700; }
  .screen-fill { height: 100%; border-radius: 4px; background: #0072B2; }
</style>
"""

#: Vega-Lite settings that make a chart readable from the back of a room.
BIG = {"axis": {"labelFontSize": 28, "titleFontSize": 28, "labelLimit": 400,
                "labelColor": "#1A1A1A", "titleColor": "#1A1A1A", "grid": False},
       "legend": {"labelFontSize": 30, "titleFontSize": 30, "symbolSize": 500,
                  "labelLimit": 600, "labelColor": "#1A1A1A"},
       "view": {"stroke": None}, "font": "sans-serif"}
#: What the overall question's two answers are called on the Screen.
OVERALL_STAGES = {"before": N_("At the start"), "final": N_("At the end")}
STAGE_COLOURS = {"before": GROUP_COLOURS["A"], "after": GROUP_COLOURS["B"], "final": "#007A5A"}


def qr_png(link: str, scale: int = 16) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def join_slide(code: str, link: str, people: int, then=None) -> None:
    """The QR code, the address and the code, as big as a room needs; ``then`` draws
    what goes under them (the first views as they arrive)."""
    left, right = st.columns([1, 1.3], vertical_alignment="top")
    left.image(qr_png(link), width=560)  # 560 of 1080 pixels: over half the height
    with right:
        st.markdown("## " + _("Join the workshop"))
        st.markdown(_("Scan the code with your phone's camera, or open this address and "
                      "type the code:"))
        st.html(f'<div class="screen-address">{html.escape(link.split("?")[0])}</div>'
                f'<div class="screen-code" aria-label="code">{html.escape(code)}</div>')
        st.markdown(ngettext("{n} person has joined.", "{n} people have joined.",
                             people).format(n=people))
        if then is not None:
            then()


def join_corner(code: str, link: str) -> None:
    """A small way in for latecomers, beside any other slide."""
    st.image(qr_png(link, scale=6), width=220)
    st.html(f'<div class="screen-small-code">{html.escape(code)}</div>')


def _comfort_chart(table: pd.DataFrame, stages: list[str], overall: bool,
                   height: int) -> tuple[pd.DataFrame, dict]:
    names = {s: _(OVERALL_STAGES.get(s, STAGES[s]) if overall else STAGES[s]) for s in stages}
    data = table[table["stage"].isin(stages)].assign(
        when=lambda d: d["stage"].astype(str).map(names),
        level=lambda d: d["comfort"].astype(int).astype(str))
    levels = [str(c) for c in COMFORT]
    scale = _("1 = very uncomfortable … 5 = very comfortable")
    spec = {
        "mark": {"type": "bar"},
        "height": height,
        "encoding": {
            "x": {"field": "level", "type": "nominal", "sort": levels, "title": scale,
                  "scale": {"domain": levels}, "axis": {"labelAngle": 0}},
            "xOffset": {"field": "when", "sort": [names[s] for s in stages]},
            "y": {"field": "people", "type": "quantitative", "title": _("people"),
                  "axis": {"tickMinStep": 1}},
            "color": {"field": "when", "type": "nominal", "title": None,
                      "scale": {"domain": [names[s] for s in stages],
                                "range": [STAGE_COLOURS[s] for s in stages]},
                      "legend": {"orient": "top"}},
        },
        "config": BIG,
    }
    return data.rename(columns={"reactions": "people"})[["level", "when", "people"]], spec


def comfort_view(reactions: pd.DataFrame, shift: pd.DataFrame, use_case: str,
                 stages: list[str], height: int = 380) -> None:
    """One use case's (or the overall) comfort, before and after, with how people moved."""
    table = analysis.comfort_counts(reactions)
    table = table[table["use_case"] == use_case]
    if table.empty:
        st.markdown(_("No answers yet."))
        return
    draw(_comfort_chart(table, stages, use_case == "overall", height),
         alt_text=_("How comfortable people are"), theme=None)
    moved = shift[shift["use_case"] == use_case] if not shift.empty else shift
    if use_case == "overall":
        return
    if moved.empty:
        st.caption(_("Once people have answered before and after trying it, this says how "
                      "their views moved."))
        return
    change = moved["after"] - moved["before"]
    st.markdown(ngettext(
        "Of the {n} person who answered before and after: {up} more comfortable, {down} "
        "less comfortable, {same} no change.",
        "Of the {n} people who answered before and after: {up} more comfortable, {down} "
        "less comfortable, {same} no change.", len(moved)).format(
            n=len(moved), up=int((change > 0).sum()), down=int((change < 0).sum()),
            same=int((change == 0).sum())))


def comments(approved: pd.DataFrame, limit: int = 5) -> None:
    if approved.empty:
        return
    st.markdown("**" + _("What people said") + "**")
    for text in approved["comment"].head(limit):
        st.html(f'<div class="screen-quote">{html.escape(str(text))}</div>')


def questions_view(answers: pd.DataFrame, then=None) -> None:
    """Each open question with how the room answered it, all five on one slide;
    ``then`` draws what goes under the last two (what people's words are about)."""
    columns = st.columns(2, gap="large")
    for n, (key, (question, choices)) in enumerate(OPEN_QUESTIONS.items(), start=1):
        mine = answers[answers["question"] == key] if not answers.empty else answers
        counts = mine["choice"].value_counts() if not mine.empty else pd.Series(dtype=int)
        total = int(counts.sum())
        rows = "".join(_bar(_(label), int(counts.get(c, 0)), total)
                       for c, label in choices.items())
        columns[0 if n <= 3 else 1].html(
            f'<div class="screen-question"><b>{n}. {html.escape(_(question))}</b>'
            f"{rows}</div>")
    if then is not None:
        with columns[1]:
            then()


def _bar(label: str, n: int, total: int) -> str:
    width = 0 if total == 0 else round(100 * n / total)
    return (f'<div class="screen-answer"><span>{html.escape(label)}</span>'
            f'<span class="screen-track"><span class="screen-fill" style="display:block;'
            f'width:{width}%"></span></span><span class="screen-n">{n}</span></div>')


def advice_view(advice: pd.DataFrame, per_theme: int = 4) -> None:
    """Approved advice, most agreed first, per theme; split advice marked."""
    shown = advice[advice["status"] == "approved"] if "status" in advice else advice
    if shown.empty:
        st.markdown(_("Advice appears here once the facilitator has read it."))
        return
    ranked = analysis.rank_advice(shown)
    for theme, name in ADVICE_THEMES.items():
        mine = ranked[ranked["theme"] == theme].head(per_theme)
        if mine.empty:
            continue
        st.markdown(f"### {_(name)}")
        for row in mine.itertuples():
            share = "–" if pd.isna(row.agreement) else f"{round(100 * row.agreement)}"
            split = " ⚖️" if row.divided else ""
            agree = html.escape(_("{n} in 100 agree").format(n=share))
            st.html(f'<div class="screen-advice"><span>{html.escape(row.text)}</span>'
                    f"<span>{agree}{split}</span></div>")
    if ranked["divided"].any():
        st.caption(_("⚖️ splits the room: real support on both sides."))


def results_slide(reactions: pd.DataFrame, shift: pd.DataFrame, advice: pd.DataFrame,
                  answers: pd.DataFrame) -> None:
    """The end of the workshop, in plain sentences."""
    st.markdown("# " + _("What this room thought"))
    overall = analysis.shifts(reactions, "before", "final") if not reactions.empty else shift
    if not overall.empty:
        change = overall["after"] - overall["before"]
        st.markdown("**" + _("AI in policing, at the start and at the end.") + "** " + ngettext(
            "{n} person answered both times: {up} grew more comfortable, {down} less "
            "comfortable, and {same} did not change their view.",
            "{n} people answered both times: {up} grew more comfortable, {down} less "
            "comfortable, and {same} did not change their view.",
            len(overall)).format(n=len(overall), up=int((change > 0).sum()),
                                 down=int((change < 0).sum()), same=int((change == 0).sum())))
    for u in registry.USE_CASES.values():
        moved = shift[shift["use_case"] == u.name] if not shift.empty else shift
        if moved.empty:
            continue
        change = moved["after"] - moved["before"]
        st.markdown(f"**{u.icon} {_(u.title)}.** " + ngettext(
            "{n} person answered before and after trying it: {up} grew more comfortable, "
            "{down} less comfortable, and {same} did not change their view.",
            "{n} people answered before and after trying it: {up} grew more comfortable, "
            "{down} less comfortable, and {same} did not change their view.",
            len(moved)).format(n=len(moved), up=int((change > 0).sum()),
                               down=int((change < 0).sum()), same=int((change == 0).sum())))
    for key, (question, choices) in OPEN_QUESTIONS.items():
        mine = answers[answers["question"] == key] if not answers.empty else answers
        if mine.empty:
            continue
        top = mine["choice"].value_counts()
        st.markdown(_("**{question}** The answer given most: “{answer}” ({n} of {total})."
                      ).format(question=_(question), answer=_(choices[top.index[0]]),
                               n=int(top.iloc[0]), total=int(top.sum())))
    approved = advice[advice["status"] == "approved"] if "status" in advice else advice
    if not approved.empty:
        top = analysis.rank_advice(approved).iloc[0]
        share = "–" if pd.isna(top.agreement) else round(100 * top.agreement)
        st.markdown(_("The advice the most people agreed with ({n} in 100 agree):").format(
            n=share))
        st.html(f'<div class="screen-quote">{html.escape(top.text)}</div>')
    st.markdown(_("Thank you for taking part."))
