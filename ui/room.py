"""The room: its stage, timer and lock at the top of every participant page.

A small component asks ``/api/room`` (``asgi.py``) about once a second whether the
facilitator has changed anything (stage, scenario, lock, timer, closing; on the
advice page, the approved advice). Only when the answer's fingerprint changes does
it ask Streamlit for a rerun, so a phone follows the room within a couple of seconds
on any page and a quiet room costs no script runs; what changed is then said in a
toast, in view wherever the person has scrolled. The timer counts down in the
browser, and says when time is up in view too. Vote totals are written in place
from the same answer, without a rerun. (A ``run_every`` fragment would rerun
every phone every second, and Streamlit 1.67 can drop the end of a run that such a
tick races.)
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import streamlit as st

from simulators import registry
from simulators.messages import N_
from ui import participant
from ui.i18n import _, num
from ui.store import get_store
from ui.style import BANNER_KEY
from workshop.live import room_view
from workshop.store import StoreUnavailable, WorkshopNotFound

POLL_MS = 1000

#: The dialogue's stages: what the banner calls each, and what phones are asked to do.
STAGES: dict[str, tuple[str, str]] = {
    "first_views": (N_("First views"),
                    N_("Say how you feel about AI in policing, before we start.")),
    "use_cases": (N_("Trying the uses of AI"),
                  N_("Try each use of AI. Say how you feel before you try it, and after.")),
    "panel": (N_("The ethics panel"),
              N_("Sit as a police force's ethics panel: review a tool in use, and "
                 "advise the force.")),
    "questions": (N_("Outstanding questions"),
                  N_("Give a short answer to each of the dialogue's open questions.")),
    "advice": (N_("Our advice"),
               N_("Write advice for the police and the Home Office, and weigh the room's.")),
}
ADVICE_PAGE = "app_pages/advice.py"
STAGE_PAGES = {
    "first_views": "app_pages/first_views.py",
    "panel": "app_pages/panel.py",
    "questions": "app_pages/questions.py",
    "advice": ADVICE_PAGE,
}

_HTML = """
<div class="banner" role="region" aria-label="room">
  <div class="stage"><span class="pin" aria-hidden="true">📍</span>
    <span class="title"></span><span class="prompt"></span></div>
  <div class="extras"><span class="timer" role="timer"></span>
    <span class="lock"></span></div>
  <div class="up" role="alert" hidden></div>
</div>
"""
_CSS = """
.banner.big { font-size: max(28px, 3.4vh); padding: 0.2em 0.5em; border-left-width: 14px; }
.banner { background: #EAF2FA; border-left: 6px solid #005A9C; border-radius: 6px;
          padding: 0.55rem 0.8rem; font-size: 1rem; line-height: 1.35; color: #1A1A1A; }
.banner.closed { background: #F3F3F3; border-left-color: #555; }
.title { font-weight: 700; margin-right: 0.35rem; }
.extras { display: flex; gap: 1rem; flex-wrap: wrap; margin-top: 0.15rem; }
.extras:empty { display: none; }
.timer { font-weight: 700; font-variant-numeric: tabular-nums; }
.lock { font-weight: 700; color: #8A1C1C; }
.up { position: fixed; left: 50%; bottom: 1.2rem; transform: translateX(-50%);
      z-index: 1000; background: #1A1A1A; color: #FFF; font-weight: 700;
      padding: 0.7rem 1.2rem; border-radius: 8px; font-size: 1.1rem;
      box-shadow: 0 4px 14px rgba(0,0,0,0.3); }
.banner.big .up { font-size: max(40px, 5vh); }
"""
_JS = """
export default function ({ parentElement, data, setTriggerValue }) {
  // Streamlit runs this again when the data change, without the last run's cleanup:
  // stop it here, or every rerun would leave one more clock and poll behind.
  parentElement.__stop?.();
  const q = (s) => parentElement.querySelector(s);
  const banner = q(".banner");
  banner.classList.toggle("big", !!data.big);
  banner.classList.toggle("closed", !!data.closed);
  q(".title").textContent = data.title;
  q(".prompt").textContent = data.prompt;
  q(".lock").textContent = data.locked ? data.locked_text : "";
  let seen = data.fp;
  let endsAt = data.remaining === null ? null : performance.now() + data.remaining * 1000;
  let wasRunning = data.remaining !== null && data.remaining > 0;
  const timer = q(".timer"), up = q(".up");
  let hideUp = null;
  function tick() {
    if (endsAt === null) { timer.textContent = ""; up.hidden = true; return; }
    const left = Math.max(0, Math.round((endsAt - performance.now()) / 1000));
    const m = Math.floor(left / 60), s = String(left % 60).padStart(2, "0");
    timer.textContent = left > 0 ? data.timer_text.replace("{time}", m + ":" + s)
                                 : data.time_up_text;
    if (left > 0) { wasRunning = true; return; }
    if (wasRunning) {  // it ran out while this page was open: say so where people look
      wasRunning = false;
      up.textContent = data.time_up_text;
      up.hidden = false;
      clearTimeout(hideUp);
      hideUp = setTimeout(() => { up.hidden = true; }, 10000);
    }
  }
  function tallies(list, at) {  // the advice's vote totals, written in place
    for (const [id, agree, disagree, pass] of list) {
      for (const el of document.querySelectorAll('[data-tally="' + id + '"]')) {
        if (at < Number(el.dataset.at || 0)) continue;  // older than what the page shows
        el.dataset.at = at;
        el.textContent = data.tally_text.replace("{agree}", agree)
          .replace("{disagree}", disagree).replace("{passed}", pass);
      }
    }
  }
  async function poll() {
    try {
      const r = await fetch(data.url, { cache: "no-store" });
      if (!r.ok) return;
      const room = await r.json();
      endsAt = room.remaining === null ? null : performance.now() + room.remaining * 1000;
      if (room.tallies) tallies(room.tallies, room.tallies_at || 0);
      if (room.fp !== seen) { seen = room.fp; setTriggerValue("changed", room.fp); }
    } catch (e) { /* offline for a moment: ask again next time */ }
  }
  tick();
  const clock = setInterval(tick, 1000);
  const asking = setInterval(poll, data.every);
  return (parentElement.__stop = () => {
    clearInterval(clock); clearInterval(asking); clearTimeout(hideUp); });
}
"""
_WATCH = st.components.v2.component("room_banner", html=_HTML, css=_CSS, js=_JS)
SEEN_KEY = "room.seen"  # what this session last saw of the room, to tell it what changed


def tally_text(agree: int, disagree: int, passed: int) -> str:
    """A piece of advice's votes, as every screen says them: "5 agree, 2 disagree, 1 pass"."""
    return _("{agree} agree, {disagree} disagree, {passed} pass").format(
        agree=num(agree), disagree=num(disagree), passed=num(passed))


def tally_html(advice_id: int, agree: int, disagree: int, passed: int,
               read_at: float = 0.0) -> str:
    """The votes of one piece of advice, in a place the banner keeps up to date with
    totals read after ``read_at`` (seconds since the epoch), never older ones."""
    return (f'<span data-tally="{int(advice_id)}" data-at="{int(read_at * 1000)}">'
            f"{html.escape(tally_text(agree, disagree, passed))}</span>")


def room_state(code: str) -> dict[str, Any]:
    """The room as it is now. Read on a page's full runs only (a page open, a step, a
    change the banner saw), never on a slider's fragment run: one small query."""
    return get_store().room(code)


def stage_page(room: dict[str, Any]) -> str:
    """The page the room's stage asks phones to be on."""
    stage = room.get("stage") or "first_views"
    if stage == "use_cases":
        use_case = room.get("use_case") or next(iter(registry.USE_CASES))
        return registry.get(use_case).page
    return STAGE_PAGES.get(stage, STAGE_PAGES["first_views"])


def watch(code: str, room: dict[str, Any], *, live: bool = False, big: bool = False,
          tallies: list[tuple[int, int, int, int]] | None = None) -> None:
    """The room's stage, timer and lock, kept up to date by the browser: the page
    reruns when the facilitator changes any of them (with ``live``, also when an
    answer arrives: the Screen's results; with ``tallies``, from
    ``Store.approved_tallies``, when advice is approved or hidden, while its vote
    totals are written in place, see :func:`tally_html`)."""
    view = room_view(room, live=live, tallies=tallies)
    title, prompt = STAGES.get(room["stage"], STAGES["first_views"])
    query = "".join(("&live=1" if live else "", "&advice=1" if tallies is not None else ""))
    _WATCH(
        key="room.watch",
        data={
            "url": f"/api/room?code={code}{query}",
            "every": POLL_MS, "fp": view["fp"], "big": big, "closed": not view["open"],
            "title": _(title) if view["open"] else _("Closed"),
            "prompt": _(prompt) if view["open"] else closed_text(),
            "remaining": view["remaining"], "locked": view["locked"] and view["open"],
            "locked_text": _("Answers are paused for a moment: what you write is kept."),
            "timer_text": _("⏱ {time} left"), "time_up_text": _("⏱ Time is up"),
            "tally_text": _("{agree} agree, {disagree} disagree, {passed} pass"),
        },
        on_changed_change=lambda: None,
    )


def closed_text() -> str:
    return _("This workshop has closed: answers are no longer taken. Thank you for "
             "taking part.")


def scenario_title(room: dict[str, Any]) -> str | None:
    """"101 calls: Misheard voices": the use case and scenario the room is on, if any."""
    if not room.get("use_case") or room["use_case"] not in registry.USE_CASES:
        return None
    use_case = registry.get(room["use_case"])
    preset = registry.preset(use_case.name, room.get("preset_key"))
    if preset is None:
        return _(use_case.title)
    return _("{use_case}: {scenario}").format(use_case=_(use_case.title),
                                              scenario=_(preset.title))


def announce(room: dict[str, Any]) -> None:
    """Tell this person what the facilitator just changed, where they are looking (a
    toast, wherever they have scrolled to): the room closed, moved on, paused
    answers, or put everyone on a scenario. Nothing on a page's first run."""
    now = (room["stage"], room.get("use_case"), room.get("preset_key"),
           room.get("version", 0), bool(room.get("open", True)), bool(room.get("locked")))
    seen = st.session_state.get(SEEN_KEY)
    st.session_state[SEEN_KEY] = now
    if seen is None or seen == now:
        return
    if not now[4]:
        if seen[4]:
            st.toast(closed_text(), icon="🔒", duration="long")
        return
    if now[0] != seen[0]:
        title, prompt = STAGES.get(now[0], STAGES["first_views"])
        st.toast(_("The room has moved on: **{stage}**. {prompt}").format(
            stage=_(title), prompt=_(prompt)), icon="📍", duration="long")
    elif now[1:4] != seen[1:4] and (shown := scenario_title(room)):
        st.toast(_("The facilitator is showing **{title}**.").format(title=shown), icon="📺",
                 duration="long")
    if now[5] and not seen[5]:
        st.toast(_("Answers are paused for a moment: what you write is kept."), icon="⏸️")


def banner(url_path: str | None) -> dict[str, Any] | None:
    """The room's stage at the top of a participant's page, and a way to where the
    room is (``url_path``: the page shown). Returns the room (None for visitors, or
    if it can't be read)."""
    me = participant.current()
    if me is None:
        return None
    try:
        room = room_state(me.code)
    except (StoreUnavailable, WorkshopNotFound):
        return None
    try:
        tallies = (get_store().approved_tallies(me.code)
                   if url_path == Path(ADVICE_PAGE).stem else None)
    except (StoreUnavailable, WorkshopNotFound):
        tallies = None
    with st.container(key=BANNER_KEY):
        watch(me.code, room, tallies=tallies)
        target = stage_page(room)
        on_use_case = url_path in {Path(u.page).stem for u in registry.USE_CASES.values()}
        if not room.get("open", True):
            pass  # nowhere to go: the banner says the workshop has closed
        elif room["stage"] == "use_cases" and room.get("use_case") and on_use_case:
            if Path(target).stem != url_path:  # the facilitator is showing another one
                st.page_link(target, icon="📺", label=_(
                    "The facilitator is showing: {title}").format(title=scenario_title(room)))
        elif url_path is not None and Path(target).stem != url_path and not (
                room["stage"] == "use_cases" and on_use_case):
            title = STAGES.get(room["stage"], STAGES["first_views"])[0]
            st.page_link(target, label=_("Start here: {where}").format(where=_(title)),
                         icon="👉")
    announce(room)
    return room
