"""The Screen: what the room reads together on the projector, in large type.

Nothing private and no controls: the join slide, the stage and its question, the
timer, live results (comfort before and after, paired per person; the open
questions; the advice ranking) and only comments the facilitator approved. The
Screen picks its slide from the room: the join slide while people arrive (first
views), results for the stage the room is at, and a results slide in plain
sentences once the workshop is closed.

Every slide fits the projector, 1920 x 1080 or 1280 x 720, without scrolling
(nobody scrolls a projector), in type of at least 28 px: the type grows with the
screen's height, charts are sized from it (:func:`viewport`), and a list longer
than its place (comments, advice, answers) takes turns by itself (:func:`turns`):
every item is on screen at least once a minute, or, if there are too many for
that, the first ones (most agreed, or newest) with a line saying how many more are
in the report.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
import segno
import streamlit as st

from simulators import registry
from simulators.messages import N_
from ui.charts import draw
from ui.figures import GROUP_COLOURS
from ui.i18n import _, ngettext, num
from ui.room import tally_text
from workshop import analysis
from workshop.vocabulary import ADVICE_THEMES, COMFORT, OPEN_QUESTIONS, STAGES

CSS = """
<style>
  html { font-size: max(28px, 3.3vh); }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important;
    padding: 0.5rem 1.2rem 0 1.2rem !important; }
  [data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.35rem; }
  [data-testid="stMain"] [data-testid="stHorizontalBlock"] { gap: 1.2rem; }
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
    font-size: 1rem; line-height: 1.3; }
  [data-testid="stMarkdownContainer"] h1 { font-size: 1.5rem; }
  [data-testid="stMarkdownContainer"] h2 { font-size: 1.35rem; }
  [data-testid="stCaptionContainer"] { font-size: 1rem !important; color: #1A1A1A;
    opacity: 1 !important; }
  .st-key-screen-viewport { display: none; }
  .screen-code { font-size: max(64px, 11vh); font-weight: 800; letter-spacing: 0.12em;
                 line-height: 1.05; font-family: monospace; }
  .screen-small-code { font-size: 1.3rem; font-weight: 800; letter-spacing: 0.1em;
                       font-family: monospace; text-align: center; }
  .screen-address { font-size: 1rem; word-break: break-all; }
  .screen-scenario { font-size: 1rem; color: #1A1A1A; }
  .screen-scenario b { color: #005A9C; }
</style>
"""

#: Vega-Lite settings that make a chart readable from the back of a room.
BIG = {"axis": {"labelFontSize": 28, "titleFontSize": 28, "labelLimit": 400,
                "labelColor": "#1A1A1A", "titleColor": "#1A1A1A", "grid": False},
       "legend": {"labelFontSize": 28, "titleFontSize": 28, "symbolSize": 500,
                  "labelLimit": 600, "labelColor": "#1A1A1A"},
       "view": {"stroke": None}, "font": "sans-serif"}
#: What the overall question's two answers are called on the Screen.
OVERALL_STAGES = {"before": N_("At the start"), "final": N_("At the end")}
STAGE_COLOURS = {"before": GROUP_COLOURS["A"], "after": GROUP_COLOURS["B"], "final": "#007A5A"}
#: A list takes at most this many turns (a turn stays up at least 6 s): every item is
#: then on screen at least once a minute.
MAX_TURNS = 10
TURN_SECONDS = 10
#: Participants' words on the Screen are cut to this many characters (the report and
#: the exports have them in full): one comment must fit a turn at 1280 x 720.
SCREEN_TEXT_MAX = 280

_VIEWPORT = st.components.v2.component(
    "screen_viewport", html="<span></span>",
    js="""
export default function ({ parentElement, data, setStateValue }) {
  parentElement.__stop?.();  // new data runs this again without the last one's cleanup
  function say() {
    if (innerWidth !== data.w || innerHeight !== data.h) {
      setStateValue("size", { w: innerWidth, h: innerHeight });
    }
  }
  say();
  let wait = null;
  const resized = () => { clearTimeout(wait); wait = setTimeout(say, 300); };
  addEventListener("resize", resized);
  return (parentElement.__stop = () => {
    removeEventListener("resize", resized); clearTimeout(wait); });
}
""")

_TURNS = st.components.v2.component(
    "screen_turns",
    html='<div class="turns"><div class="page" aria-live="polite"></div>'
         '<div class="foot"><span class="more"></span><span class="where"></span></div></div>',
    css="""
.turns { display: flex; flex-direction: column; overflow: hidden; color: #1A1A1A; }
.page { flex: 1 1 auto; overflow: hidden; }
.item { margin: 0 0 0.45em 0; }
.head, .title { font-weight: 700; line-height: 1.25; margin: 0 0 0.2em 0; }
.foot { display: flex; justify-content: space-between; gap: 1em; font-size: max(28px, 0.8em);
        color: #333; line-height: 1.3; min-height: 1.3em; }
.where { font-variant-numeric: tabular-nums; white-space: nowrap; }
.quote { border-left: 0.25em solid #005A9C; padding: 0.1em 0.5em; background: #F1F4F8;
         white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.3; }
.quote.flag { border-left-color: #B8282E; background: #FBEFEF; white-space: normal; }
.advice { border-left: 0.25em solid #005A9C; padding: 0.15em 0.5em; background: #F1F4F8; }
.advice.divided { border-left-color: #A86400; }
.advice-head { font-size: max(28px, 0.8em); color: #333; }
.advice-text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.3; }
.advice-tally { font-weight: 700; }
.question b { display: block; line-height: 1.25; margin-bottom: 0.15em; }
.answer { display: grid; grid-template-columns: minmax(0, 1fr) 4.5em minmax(1.6em, auto);
          gap: 0.35em; align-items: center; line-height: 1.2; margin: 0.1em 0; }
.track { background: #EEF1F5; height: 0.7em; border-radius: 4px; }
.fill { display: block; height: 100%; border-radius: 4px; background: #0072B2; }
.n { text-align: right; font-weight: 700; font-variant-numeric: tabular-nums;
     white-space: nowrap; }
.said, .note { line-height: 1.3; }
.note { margin: 0.2em 0 0 0; }
.vs { border-collapse: collapse; width: 100%; line-height: 1.2; }
.vs th, .vs td { padding: 0.05em 0.3em; text-align: right; vertical-align: middle;
                 line-height: 1.15; }
.vs thead th { vertical-align: bottom; }
.vs tbody th, .vs tbody td { border-top: 2px solid #D5DBE3; }
.vs tbody th { font-weight: 400; text-align: left; padding-left: 0; }
.vs thead th { min-width: 5em; }
.vs td { font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap;
         width: 1%; }
.vs .ai { background: #F1F4F8; }
.keys { line-height: 1.3; }
.key { display: inline-block; width: 0.8em; height: 0.8em; margin: 0 0.25em 0 0; }
.keys span + .key { margin-left: 0.8em; }
.levels, .bars { display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.5em; }
.bars { height: max(3.5em, 20vh); align-items: end; border-bottom: 2px solid #1A1A1A; }
.pair { display: flex; justify-content: center; align-items: flex-end; gap: 0.15em;
        height: 100%; }
.bar { display: flex; flex-direction: column; justify-content: flex-end; align-items: center;
       width: 1.4em; height: 100%; font-weight: 700; line-height: 1.1; }
.bar i { display: block; width: 100%; }
.levels { text-align: center; line-height: 1.3; }
.scale { text-align: center; line-height: 1.3; }
""",
    js="""
const kept = (window.__screenTurns = window.__screenTurns || {});
export default function ({ parentElement, data }) {
  parentElement.__stop?.();  // new data runs this again without the last one's cleanup
  const root = parentElement.querySelector(".turns");
  const page = root.querySelector(".page");
  const more = root.querySelector(".more"), where = root.querySelector(".where");
  const mine = (kept[data.id] = kept[data.id] || { turn: 0, since: performance.now() });
  let turns = [], every = data.every * 1000, timers = [];

  function build(items) {
    page.replaceChildren(...items.map((h, i) => {
      const d = document.createElement("div");
      d.className = "item";
      // made on the server, participants' words escaped there
      d.innerHTML = (data.heads[i] ? '<div class="head">' + data.heads[i] + "</div>" : "") + h;
      return d;
    }));
  }
  function show() {
    const kids = [...page.children];
    const turn = turns[mine.turn % turns.length] || [];
    kids.forEach((k, i) => { k.hidden = !turn.includes(i); });
    turn.forEach((i, j) => {  // a heading once a turn, over the items it heads
      const head = kids[i].querySelector(":scope > .head");
      if (head) head.hidden = j > 0 && data.heads[turn[j - 1]] === data.heads[i];
    });
    where.textContent = turns.length > 1 ? (mine.turn % turns.length + 1) + " / " +
      turns.length : "";
  }
  function layout() {
    const top = root.getBoundingClientRect().top;
    const room = Math.max(100, innerHeight - top - data.reserve - 6);
    root.style.height = room + "px";
    build(data.items);
    more.textContent = "";
    where.textContent = "1 / 2";  // the foot as tall as it will be
    const foot = root.querySelector(".foot").getBoundingClientRect().height;
    const space = room - foot;
    const heights = [...page.children].map((k) => {
      const style = getComputedStyle(k);
      return k.getBoundingClientRect().height + parseFloat(style.marginBottom);
    });
    let keep = heights.length;
    for (;;) {
      turns = [];
      let turn = [], used = 0;
      heights.slice(0, keep).forEach((h, i) => {
        if (turn.length && used + h > space) { turns.push(turn); turn = []; used = 0; }
        turn.push(i); used += h;
      });
      if (turn.length) turns.push(turn);
      if (turns.length <= data.max_turns || keep <= 1) break;
      keep -= 1;
    }
    const left = heights.length - keep;
    more.textContent = left ? (data.more[String(left)] || "") : "";
    every = Math.min(data.every, 60 / Math.max(1, turns.length)) * 1000;
    show();
  }
  function tick() {
    const shown = turns[mine.turn % turns.length] || [];
    if (shown.length > 1 && page.scrollHeight > page.clientHeight + 4) {
      layout();  // laid out before its styles or fonts had arrived: again
    }
    if (turns.length > 1 && performance.now() - mine.since >= every) {
      mine.turn = (mine.turn + 1) % turns.length;
      mine.since = performance.now();
      show();
    }
  }
  layout();
  timers.push(setTimeout(layout, 400), setTimeout(layout, 1500));
  const clock = setInterval(tick, 500);
  let wait = null;
  const resized = () => { clearTimeout(wait); wait = setTimeout(layout, 200); };
  addEventListener("resize", resized);
  return (parentElement.__stop = () => {
    timers.forEach(clearTimeout); clearInterval(clock); clearTimeout(wait);
    removeEventListener("resize", resized);
  });
}
""")


def viewport() -> tuple[int, int]:
    """The projector's size in CSS pixels, as its browser says (1920 x 1080 until it
    has said): slides size their charts from it."""
    size = st.session_state.get("screen.size") or {"w": 1920, "h": 1080}
    result = _VIEWPORT(key="screen-viewport", data=size,
                       on_size_change=lambda: None)
    said = (result or {}).get("size") if result is not None else None
    if isinstance(said, dict) and said.get("w") and said.get("h"):
        size = {"w": int(said["w"]), "h": int(said["h"])}
        st.session_state["screen.size"] = size
    return size["w"], size["h"]


def turns(key: str, items: Sequence[str | tuple[str, str]], *, reserve: int = 0) -> None:
    """``items`` (HTML made here, participants' words escaped) down the rest of the
    screen from here, ``reserve`` px kept free below; as many as fit at once, in
    turns if they don't (every item at least once a minute), the first ones kept
    if even that is too many. An item ``(heading, html)`` has a heading (HTML), shown
    once at the top of each turn over the items that share it."""
    if not items:
        return
    pairs = [item if isinstance(item, tuple) else ("", item) for item in items]
    more = {str(n): ngettext("{n} more is in the report.", "{n} more are in the report.",
                             n).format(n=num(n)) for n in range(1, len(items) + 1)}
    _TURNS(key=f"screen-turns-{key}", data={
        "id": key, "items": [html for _, html in pairs], "heads": [h for h, _ in pairs],
        "reserve": reserve, "every": TURN_SECONDS, "max_turns": MAX_TURNS, "more": more})


def cut(text: str, most: int = SCREEN_TEXT_MAX) -> str:
    """Participant text for the Screen: at most ``most`` characters, cut at a word."""
    text = str(text)
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:") + " …"


@functools.lru_cache(maxsize=64)
def qr_png(link: str, scale: int = 16) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def qr_image(link: str, width: int, scale: int = 16) -> None:
    """The join link's QR code, ``width`` px wide, inside the page itself: a projector
    that reruns at every answer never shows a picture that could not be fetched."""
    data = base64.b64encode(qr_png(link, scale)).decode()
    st.html(f'<img src="data:image/png;base64,{data}" width="{int(width)}" '
            f'height="{int(width)}" alt="{html.escape(_("QR code to join the workshop"))}" '
            'style="image-rendering: pixelated; display: block; margin: 0 auto;">')


def join_slide(code: str, link: str, people: int, height: int, then=None) -> None:
    """The QR code, the address and the code, as big as a room needs; ``then(h)``
    draws what goes under them in ``h`` px (the first views as they arrive)."""
    left, right = st.columns([1, 1.35], vertical_alignment="top")
    qr = max(260, min(620, int(height * 0.62)))
    with left:
        qr_image(link, qr)
    with right:
        st.markdown("## " + _("Join the workshop"))
        st.markdown(_("Scan the code with your phone's camera, or open this address and "
                      "type the code:"))
        st.html(f'<div class="screen-address">{html.escape(link.split("?")[0])}</div>'
                f'<div class="screen-code" aria-label="code">{html.escape(code)}</div>')
        st.markdown(ngettext("{n} person has joined.", "{n} people have joined.",
                             people).format(n=num(people)))
        if then is not None:
            then(max(150, int(height * 0.36)))


def join_corner(code: str, link: str, height: int) -> None:
    """A small way in for latecomers, beside any other slide."""
    with st.container(key="screen-corner", horizontal_alignment="center"):
        qr_image(link, _corner(height), scale=6)
        st.html(f'<div class="screen-small-code">{html.escape(code)}</div>')


def _corner(height: int) -> int:
    """How wide the latecomers' QR code is on a screen ``height`` px tall."""
    return max(120, int(height * 0.16))


def head(title: str, code: str, link: str, height: int) -> Any:
    """A slide's heading row: ``title`` (Markdown) with the way in for latecomers
    beside it; returns the place under the title for a line or two more."""
    left, corner = st.columns([5, 1], vertical_alignment="center")
    with corner:
        join_corner(code, link, height)
    left.markdown(title)
    return left


def subtitle(text: str) -> None:
    """A line under a slide's title."""
    st.html(f'<div class="screen-scenario">{html.escape(text)}</div>')


def body_height(height: int) -> int:
    """About how many px are left under a slide's heading row (:func:`head`) on a
    screen ``height`` px tall: for a chart beside lists taking turns."""
    rem = max(28.0, 0.033 * height)
    return int(height - _corner(height) - 6.6 * rem)


def _comfort_chart(table: pd.DataFrame, stages: list[str], height: int
                   ) -> tuple[pd.DataFrame, dict]:
    names = {s: _(OVERALL_STAGES[s]) for s in stages}
    data = table[table["stage"].isin(stages)].assign(
        when=lambda d: d["stage"].astype(str).map(names),
        level=lambda d: d["comfort"].astype(int).astype(str))
    levels = [str(c) for c in COMFORT]
    scale = [_("1 = very uncomfortable"), _("5 = very comfortable")]  # two lines
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


def comfort_view(reactions: pd.DataFrame, stages: list[str], height: int = 380) -> None:
    """How comfortable people are with AI in policing at the start (and at the end), as
    a chart ``height`` px tall."""
    table = analysis.comfort_counts(reactions)
    table = table[table["use_case"] == "overall"]
    if table.empty:
        st.markdown(_("No answers yet."))
        return
    draw(_comfort_chart(table, stages, height),
         alt_text=_("How comfortable people are"), theme=None)


def _moved(shift: pd.DataFrame, use_case: str) -> str:
    """How the people who answered before and after trying ``use_case`` moved."""
    moved = shift[shift["use_case"] == use_case] if not shift.empty else shift
    if moved.empty:
        return _("Once people have answered before and after trying it, this says how "
                 "their views moved.")
    change = moved["after"] - moved["before"]
    return ngettext(
        "Of the {n} person who answered before and after: {up} more comfortable, {down} "
        "less comfortable, {same} no change.",
        "Of the {n} people who answered before and after: {up} more comfortable, {down} "
        "less comfortable, {same} no change.", len(moved)).format(
            n=len(moved), up=int((change > 0).sum()), down=int((change < 0).sum()),
            same=int((change == 0).sum()))


def comfort_panel(reactions: pd.DataFrame, shift: pd.DataFrame, use_case: str) -> str:
    """One use case's comfort before and after trying it, as the Screen's own bars
    (a number over each), with how people moved: HTML for :func:`turns`."""
    table = analysis.comfort_counts(reactions)
    table = table[table["use_case"] == use_case]
    if table.empty:
        none = _("No answers yet.")
        return f'<div class="said">{html.escape(none)}</div>'
    stages = ["before", "after"]
    counts = {(str(s), int(c)): int(n)
              for s, c, n in zip(table["stage"], table["comfort"], table["reactions"],
                                 strict=True)}
    top = max(counts.values())

    def bar(n: int, colour: str) -> str:
        return (f'<span class="bar">{num(n)}<i style="background:{colour};'
                f'height:calc((100% - 1.2em) * {n / top:.3f})"></i></span>')

    keys = "".join(f'<span class="key" style="background:{STAGE_COLOURS[s]}"></span>'
                   f"<span>{html.escape(_(STAGES[s]))}</span>" for s in stages)
    bars = "".join('<div class="pair">' + "".join(
        bar(counts.get((s, c), 0), STAGE_COLOURS[s]) for s in stages) + "</div>"
        for c in COMFORT)
    levels = "".join(f"<span>{num(c)}</span>" for c in COMFORT)
    scale = " · ".join(html.escape(t) for t in (_("1 = very uncomfortable"),
                                                 _("5 = very comfortable")))
    what = _("How comfortable people are")
    return (f'<div class="keys">{keys}</div><div class="bars" role="img" aria-label="'
            f'{html.escape(what)}">{bars}</div>'
            f'<div class="levels">{levels}</div><div class="scale">{scale}</div>'
            f'<div class="note">{html.escape(_moved(shift, use_case))}</div>')


def scenario_line(room: dict) -> None:
    """The scenario the facilitator has put the room on, named."""
    preset = registry.preset(room["use_case"], room.get("preset_key")) \
        if room.get("use_case") in registry.USE_CASES else None
    if preset is not None:
        st.html('<div class="screen-scenario">' + html.escape(_("Scenario: {title}")).format(
            title=f"<b>{html.escape(_(preset.title))}</b>") + "</div>")


def comments(approved: pd.DataFrame) -> None:
    """Approved comments, newest first, taking turns down the rest of the screen."""
    if approved.empty:
        st.caption(_("Comments appear here once the facilitator has read them."))
        return
    st.markdown("**" + _("What people said") + "**")
    turns("comments", [f'<div class="quote">{html.escape(cut(text))}</div>'
                       for text in approved["comment"]])


def questions_view(answers: pd.DataFrame, more: Sequence[str | tuple[str, str]] = ()
                   ) -> None:
    """Each open question with how the room answered it: the first three on the left,
    the others on the right, then ``more`` (what people's words are about), each
    column taking turns if it does not fit."""
    blocks = []
    for n, (key, (question, choices)) in enumerate(OPEN_QUESTIONS.items(), start=1):
        mine = answers[answers["question"] == key] if not answers.empty else answers
        counts = mine["choice"].value_counts() if not mine.empty else pd.Series(dtype=int)
        total = int(counts.sum())
        rows = "".join(bar(_(label), int(counts.get(c, 0)), total)
                       for c, label in choices.items())
        blocks.append(f'<div class="question"><b>{n}. {html.escape(_(question))}</b>'
                      f"{rows}</div>")
    left, right = st.columns(2, gap="large")
    with left:
        turns("questions-1", blocks[:3])
    with right:
        turns("questions-2", [*blocks[3:], *more])


def bar(label: str, n: int, total: int, said: str | None = None) -> str:
    """A row of bars for :func:`turns`: ``label``, a bar of ``n`` out of ``total``, and
    the number (or ``said``, e.g. "3 of 8")."""
    width = 0 if total == 0 else round(100 * n / total)
    return (f'<div class="answer"><span>{html.escape(label)}</span>'
            f'<span class="track"><span class="fill" style="width:{width}%"></span></span>'
            f'<span class="n">{html.escape(said or num(n))}</span></div>')


def advice_items(advice: pd.DataFrame) -> list[str]:
    """Approved advice as the Screen shows it: most agreed first (once it has enough
    votes to rank), each with its theme, its votes counted and a split marked."""
    shown = advice[advice["status"] == "approved"] if "status" in advice else advice
    if shown.empty:
        return []
    items, rank = [], 0
    for row in analysis.rank_advice(shown).to_dict("records"):
        theme = _(ADVICE_THEMES.get(row["theme"], row["theme"]))
        if row["ranked"]:
            rank += 1
            head = _("No. {n} · {theme}").format(n=rank, theme=theme)
        else:
            head = _("{theme} · too few votes to rank yet").format(theme=theme)
        tally = tally_text(int(row["agree"]), int(row["disagree"]), int(row["pass"]))
        if row["divided"]:
            tally = _("{tally} · ⚖️ divided").format(tally=tally)
        items.append(
            f'<div class="advice{" divided" if row["divided"] else ""}">'
            f'<div class="advice-head">{html.escape(head)}</div>'
            f'<div class="advice-text">{html.escape(cut(row["text"]))}</div>'
            f'<div class="advice-tally">{html.escape(tally)}</div></div>')
    return items


def advice_view(advice: pd.DataFrame) -> None:
    """Approved advice, most agreed first, with its votes, taking turns."""
    items = advice_items(advice)
    if not items:
        st.markdown(_("Advice appears here once the facilitator has read it."))
        return
    st.markdown("**" + ngettext(
        "The room's advice, most agreed first (ranked once it has {n} vote).",
        "The room's advice, most agreed first (ranked once it has {n} votes).",
        analysis.MIN_VOTES).format(n=analysis.MIN_VOTES) + "**")
    turns("advice", items)


def results_slide(reactions: pd.DataFrame, shift: pd.DataFrame, advice: pd.DataFrame,
                  answers: pd.DataFrame, more: Sequence[str] = ()) -> None:
    """The end of the workshop, in plain sentences, taking turns if they don't fit;
    ``more`` (HTML) after the uses of AI (the room against the AI, the panel)."""
    st.markdown("# " + _("What this room thought"))
    said = []
    overall = analysis.shifts(reactions, "before", "final") if not reactions.empty else shift
    if not overall.empty:
        change = overall["after"] - overall["before"]
        said.append("<b>" + html.escape(_("AI in policing, at the start and at the end.")) +
                    "</b> " + html.escape(ngettext(
                        "{n} person answered both times: {up} grew more comfortable, {down} "
                        "less comfortable, and {same} did not change their view.",
                        "{n} people answered both times: {up} grew more comfortable, {down} "
                        "less comfortable, and {same} did not change their view.",
                        len(overall)).format(n=len(overall), up=int((change > 0).sum()),
                                             down=int((change < 0).sum()),
                                             same=int((change == 0).sum()))))
    for u in registry.USE_CASES.values():
        moved = shift[shift["use_case"] == u.name] if not shift.empty else shift
        if moved.empty:
            continue
        change = moved["after"] - moved["before"]
        said.append(f"<b>{html.escape(u.icon + ' ' + _(u.title))}.</b> " + html.escape(
            ngettext(
                "{n} person answered before and after trying it: {up} grew more "
                "comfortable, {down} less comfortable, and {same} did not change their "
                "view.",
                "{n} people answered before and after trying it: {up} grew more "
                "comfortable, {down} less comfortable, and {same} did not change their "
                "view.",
                len(moved)).format(n=len(moved), up=int((change > 0).sum()),
                                   down=int((change < 0).sum()),
                                   same=int((change == 0).sum()))))
    said += more
    for key, (question, choices) in OPEN_QUESTIONS.items():
        mine = answers[answers["question"] == key] if not answers.empty else answers
        if mine.empty:
            continue
        top = mine["choice"].value_counts()
        said.append(f"<b>{html.escape(_(question))}</b> " + html.escape(
            _("The answer given most: “{answer}” ({n} of {total}).").format(
                answer=_(choices[top.index[0]]), n=int(top.iloc[0]), total=int(top.sum()))))
    approved = advice[advice["status"] == "approved"] if "status" in advice else advice
    ranked = analysis.rank_advice(approved) if not approved.empty else approved
    ranked = ranked[ranked["ranked"]] if not ranked.empty else ranked
    if not ranked.empty:
        top = ranked.iloc[0]
        said.append(html.escape(_("The advice the most people agreed with ({tally}):").format(
            tally=tally_text(int(top["agree"]), int(top["disagree"]), int(top["pass"])))) +
            f'<div class="quote">{html.escape(cut(top["text"]))}</div>')
    said.append(html.escape(_("Thank you for taking part.")))
    turns("results", [f'<div class="said">{s}</div>' for s in said])
