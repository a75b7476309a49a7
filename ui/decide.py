"""Decide first, on the phone: "You be the call handler" (or the custody officer).

Between the before question and the AI's results, a joined participant decides 8
cases of the town the AI answers (``simulators.decide.cases``), one at a time with
two big buttons; then sees, for those 8, what each truly needed, what they decided
and what the AI decided, and the whole room against the AI on the same cases
(``workshop.analysis.people_vs_ai``, in the words of ``workshop.room_vs_ai``). Their
decisions go through the outbox like any answer, with the draw they were dealt and
the seconds each took. The facilitator can switch it off per use case on the Console.
"""

from __future__ import annotations

import functools
import html
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from simulators import decide, registry
from simulators.messages import N_
from ui import outbox, participant
from ui.cache import outcome
from ui.i18n import _, lang, num
from ui.room import room_state
from ui.store import get_store
from workshop import room_vs_ai
from workshop.i18n import translator
from workshop.live import RoomAgainstAI
from workshop.store import StoreUnavailable, WorkshopNotFound

N_CASES = 8
DECIDED = "decide.decided"  # use cases this participant has decided (this session)

#: What each role says, as message ids.
WORDS: dict[str, dict[str, str]] = {
    "call_handler": {
        "title": N_("📞 You be the call handler"),
        "intro": N_("Before you see the AI, answer 8 calls to 101 yourself: calls from the "
                    "same town the AI answers. Read what each caller says, in their own "
                    "words, and decide: does a person need to pick it up now (fast-track), "
                    "or can it wait? About 15 seconds each."),
        "item": N_("Call {i} of {n}"),
        "read": N_("The caller says:"),
        "yes": N_("🚨 Fast-track"),
        "no": N_("⏳ Can wait"),
        "yours": N_("Your 8 calls, and what the AI did"),
        "needed": N_("Truly needed"),
    },
    "custody_officer": {
        "title": N_("🔮 You be the custody officer"),
        "intro": N_("Before you see the AI, judge 8 people yourself: people from the same "
                    "town the AI scores. Each card shows what the police records hold, "
                    "which is all the AI reads. Decide: high risk of reoffending in the "
                    "next two years, or low? About 15 seconds each."),
        "item": N_("Person {i} of {n}"),
        "read": N_("The records say:"),
        "yes": N_("⚠️ High risk"),
        "no": N_("🟢 Low risk"),
        "yours": N_("Your 8 people, and what the AI did"),
        "needed": N_("Two years on"),
    },
}
CSS = """
<style>
  .decide-read { border-left: 6px solid #005A9C; background: #F1F4F8; padding: 0.6rem 0.8rem;
                 font-size: 1.05rem; line-height: 1.45; margin: 0.2rem 0 0.6rem 0; }
  .decide-card { display: grid; grid-template-columns: auto 1fr; gap: 0.2rem 0.8rem; }
  .decide-card dt { font-weight: 700; }
  .decide-card dd { margin: 0; }
  .decide-table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
  .decide-table th, .decide-table td { border-bottom: 1px solid #D5DBE3; padding: 0.3rem;
                                       text-align: left; vertical-align: top; }
  .st-key-decide-buttons button { min-height: 56px; font-size: 1.1rem; }
  /* The two answers stay side by side on a phone, under the thumb. */
  .st-key-decide-buttons [data-testid="stHorizontalBlock"] { flex-wrap: nowrap; gap: 0.6rem; }
  .st-key-decide-buttons [data-testid="stColumn"] { min-width: 0; width: 50%; flex: 1 1 0; }
</style>
"""


def _key(use_case: str, what: str) -> str:
    return f"decide.{use_case}.{what}"


# -- whether this person decides first --------------------------------------------------


def deciding_first(use_case: str) -> bool:
    """A joined participant decides cases first on this page (unless switched off)."""
    me = participant.current()
    if me is None or not decide.supports(use_case):
        return False
    try:
        return get_store().decide_first(me.code).get(use_case, True)
    except (StoreUnavailable, WorkshopNotFound):
        return False


def has_decided(use_case: str) -> bool:
    """This participant has sent their decisions on this use case (or has them waiting)."""
    ss = st.session_state
    if DECIDED not in ss:
        me = participant.current()
        try:
            ss[DECIDED] = get_store().decided(me.id) if me else set()
        except StoreUnavailable:
            ss[DECIDED] = set()
    return use_case in ss[DECIDED]


def config_for(use_case: str) -> Any:
    """The settings the AI decides the cases under: the facilitator's scenario when the
    room is on this use case, else the use case's starting settings."""
    cls = registry.config_class(use_case)
    me = participant.current()
    try:
        room = room_state(me.code) if me else None
    except (StoreUnavailable, WorkshopNotFound):
        room = None
    if room and room.get("use_case") == use_case and room.get("config"):
        try:
            return cls.from_dict(room["config"])
        except (TypeError, ValueError):
            pass
    return cls()


def _dealt(use_case: str) -> tuple[Any, pd.DataFrame, int]:
    """This person's config, cases and draw (fixed for the session once dealt)."""
    ss = st.session_state
    if _key(use_case, "config") not in ss:
        me = participant.current()
        try:
            order = get_store().join_order(me.id) if me else 0
        except StoreUnavailable:
            order = 0
        ss[_key(use_case, "config")] = config_for(use_case).to_dict()
        ss[_key(use_case, "draw")] = order % decide.ROOM_DRAWS
    config = decide.config_of(use_case, ss[_key(use_case, "config")])
    draw = ss[_key(use_case, "draw")]
    result = outcome(registry.get(use_case), config)
    return config, decide.cases_of(use_case, result, config, N_CASES, draw), draw


# -- deciding, one case at a time ---------------------------------------------------------


def _choose(use_case: str, case_id: str, value: int) -> None:
    ss = st.session_state
    shown_at = ss.get(_key(use_case, "shown_at"), {})
    ss.setdefault(_key(use_case, "answers"), {})[case_id] = value
    started = shown_at.get(case_id)
    if started is not None:
        ss.setdefault(_key(use_case, "seconds"), {})[case_id] = round(
            min(time.time() - started, 3600.0), 2)


def _skip(use_case: str, then: Callable[[], None]) -> None:
    st.session_state[_key(use_case, "skipped")] = True
    then()


def _record(me: Any, use_case: str, decisions: dict[str, int], **kw: Any) -> str | None:
    """Send decisions (through the outbox: nothing is lost); the room's table shows
    them on this person's next look."""
    problem = outbox.send("record_decisions", participant_id=me.id, use_case=use_case,
                          decisions=decisions, **kw)
    _room_against_ai().changed(get_store(), me.code, use_case)
    return problem


def _send(use_case: str, config: Any, draw: int) -> str | None:
    """Send the decisions (through the outbox: nothing is lost)."""
    ss = st.session_state
    me = participant.current()
    answers = dict(ss[_key(use_case, "answers")])
    problem = _record(me, use_case, answers,
                      client_id=ss.setdefault(_key(use_case, "client"), outbox.new_client_id()),
                      config=config.to_dict(), draw=draw,
                      seconds=dict(ss.get(_key(use_case, "seconds"), {})))
    ss.setdefault(DECIDED, set()).add(use_case)
    ss[_key(use_case, "sent")] = True
    return problem


def _card(role: str, row: Any) -> None:
    """What the person reads: the caller's own words, or the records on a card."""
    words = WORDS[role]
    st.caption(_(words["read"]))
    if role == "call_handler":
        st.html(f'<div class="decide-read">{html.escape(str(row.shown))}</div>')
        return
    items = [
        (_("Group"), _("group {g}").format(g=row.group)),
        (_("Age"), num(row.age)),
        (_("Arrests on record"), num(row.arrests)),
        (_("Convictions"), num(row.convictions)),
        (_("Job"), _("has a job") if row.employed else _("no job")),
    ]
    body = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items)
    st.html(f'<dl class="decide-read decide-card">{body}</dl>')


@st.fragment
def _deciding(use_case: str, role: str, then: Callable[[], None]) -> None:
    if st.session_state.pop(_key(use_case, "skipped"), False):
        st.rerun()  # a button in this fragment moved the page on: draw all of it
    config, cases, draw = _dealt(use_case)
    answers = st.session_state.get(_key(use_case, "answers"), {})
    left = [r for r in cases.itertuples() if r.case_id not in answers]
    if not left:
        problem = _send(use_case, config, draw)
        if problem:
            st.session_state[_key(use_case, "problem")] = problem
        st.rerun()
    row = left[0]
    words = WORDS[role]
    done = len(cases) - len(left)
    if not done:
        st.write(_(words["intro"]))
    st.progress(done / len(cases), text=_(words["item"]).format(i=done + 1, n=len(cases)))
    st.session_state.setdefault(_key(use_case, "shown_at"), {}).setdefault(
        row.case_id, time.time())
    _card(role, row)
    with st.container(key="decide-buttons"):
        yes, no = st.columns(2)
        yes.button(_(words["yes"]), key=_key(use_case, f"yes.{row.case_id}"), width="stretch",
                   on_click=_choose, args=(use_case, row.case_id, 1))
        no.button(_(words["no"]), key=_key(use_case, f"no.{row.case_id}"), width="stretch",
                  on_click=_choose, args=(use_case, row.case_id, 0))
    st.space("medium")
    st.button(_("Skip this and see the AI"), key=_key(use_case, "skip"), type="tertiary",
              on_click=_skip, args=(use_case, then))


def step(use_case: str, then: Callable[[], None]) -> None:
    """The whole "decide first" step: deciding, then the results; ``then`` moves on."""
    st.html(CSS)
    role = decide.role(use_case).key
    st.subheader(_(WORDS[role]["title"]))
    ss = st.session_state
    if not ss.get(_key(use_case, "sent")) and not has_decided(use_case):
        _deciding(use_case, role, then)
        return
    problem = ss.pop(_key(use_case, "problem"), None)
    if problem:
        st.warning(problem)
    results(use_case, role)
    st.button(_("Now see what the AI does, and try it →"), type="primary", width="stretch",
              on_click=then, key=_key(use_case, "to_try"))


# -- what they decided, and the room against the AI -------------------------------------


def _yours(use_case: str) -> pd.DataFrame:
    """This person's cases and decisions: from this session, else from the store."""
    ss = st.session_state
    answers = ss.get(_key(use_case, "answers"))
    if answers and _key(use_case, "config") in ss:
        _config, cases, _draw = _dealt(use_case)
        return cases.assign(person=cases["case_id"].map(answers)).dropna(subset=["person"])
    me = participant.current()
    try:
        df = get_store().decisions(me.code, use_case) if me else pd.DataFrame()
    except (StoreUnavailable, WorkshopNotFound):
        return pd.DataFrame()
    return df[df["participant_id"] == me.id] if not df.empty else df


def _opening(text: str, words: int = 6) -> str:
    """The first few words of what a caller said, to tell the calls apart."""
    said = text.split()
    return " ".join(said[:words]) + ("…" if len(said) > words else "")


def _mark(decided: int, truth: int, role: decide.Role) -> str:
    return ("✓ " if decided == truth else "✗ ") + _(role.decided(int(decided)))


def your_cases(use_case: str, role: str) -> None:
    """The person's cases: what each truly needed, what they decided, what the AI did."""
    words = decide.role(use_case)
    mine = _yours(use_case)
    if mine.empty:
        return
    st.markdown("**" + _(WORDS[role]["yours"]) + "**")
    head = ["", _("Group"), _(WORDS[role]["needed"]), _("You"), _("The AI")]
    rows = []
    for n, r in enumerate(mine.itertuples(), start=1):
        what = f"{n}. " + (_opening(r.shown) if isinstance(getattr(r, "shown", None), str)
                          and role == "call_handler" else "")
        rows.append([what, r.group, _(words.truth(int(r.truth))),
                     _mark(int(r.person), int(r.truth), words),
                     _mark(int(r.ai), int(r.truth), words)])
    st.html(html_table(head, rows))
    you, ai = int((mine["person"] == mine["truth"]).sum()), int((mine["ai"] == mine["truth"]).sum())
    st.markdown(_("You decided **{you} of {n}** right; the AI, **{ai} of the same {n}**.").format(
        you=num(you), ai=num(ai), n=num(len(mine))))


def html_table(head: list[str], rows: list[list[str]], css: str = "decide-table") -> str:
    """A plain table of class ``css``, every cell escaped."""
    cells = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f'<table class="{css}"><thead><tr>{cells}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


@functools.cache
def _room_against_ai() -> RoomAgainstAI:
    return RoomAgainstAI()


def room(use_case: str, role: str) -> None:
    """The whole room's decisions against the AI's, on the same cases, with counts and
    what chance could make."""
    me = participant.current()
    if me is None:
        return
    try:
        result = _room_against_ai().get(get_store(), me.code, use_case)
    except (StoreUnavailable, WorkshopNotFound):
        st.info(_("The room's decisions can't be read just now."))
        return
    if result is None:
        st.info(_("Nobody's decisions have reached the room yet."))
        return
    t = translator(lang())
    st.caption(room_vs_ai.counts_line(t, result, role))
    st.html(html_table(*room_vs_ai.table(t, result, role)))
    for line in room_vs_ai.chance_lines(t, result, role):
        st.caption(line)
    st.button(_("🔄 See the room's latest"), key=_key(use_case, "refresh"))


def results(use_case: str, role: str) -> None:
    your_cases(use_case, role)
    st.markdown("**" + _("The room against the AI, on the same cases") + "**")
    room(use_case, role)
    st.caption(_(room_vs_ai.STUDY))


def room_panel(use_case: str) -> None:
    """For a folded panel beside the sliders: the room against the AI, and your cases."""
    r = decide.role(use_case)
    if r is None:
        return
    st.html(CSS)
    results(use_case, r.key)


# -- summarising evidence: the officer's check, in the same form --------------------------


def officer_room(use_case: str, config: Any, result: Any, ticked: list[int]) -> None:
    """After "Be the officer" is revealed: keep the officer's check as decisions on
    every witness sentence (kept if the summary has it or they ticked it), once per
    set of ticks, and show the room's checks against the summary alone."""
    me = participant.current()
    if me is None:
        return
    sentences = decide.table(use_case, result, config)
    kept = {r.case_id: int(bool(r.ai) or int(row) in ticked)
            for row, r in zip(sentences.index, sentences.itertuples(), strict=True)}
    sent = st.session_state.setdefault(_key(use_case, "checks"), set())
    mark = (repr(sorted(config.to_dict().items())), tuple(sorted(ticked)))
    if kept and mark not in sent:
        problem = _record(me, use_case, kept, client_id=outbox.new_client_id(),
                          config=config.to_dict())
        sent.add(mark)
        if problem:
            st.warning(problem)
    st.markdown("**" + _("The room's checks against the AI's summary") + "**")
    st.html(CSS)
    room(use_case, "officer_check")
