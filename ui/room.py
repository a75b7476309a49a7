"""The room: its stage, timer and lock at the top of every participant page.

A small component asks ``/api/room`` (``asgi.py``) about once a second whether the
facilitator has changed anything (stage, scenario, lock, timer). Only when the
answer's fingerprint changes does it ask Streamlit for a rerun, so a phone follows
the room within a couple of seconds on any page and a quiet room costs no script
runs. The timer counts down in the browser. (A ``run_every`` fragment would rerun
every phone every second, and Streamlit 1.67 can drop the end of a run that such a
tick races.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from simulators import registry
from simulators.messages import N_
from ui import participant
from ui.i18n import _
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
STAGE_PAGES = {
    "first_views": "app_pages/first_views.py",
    "panel": "app_pages/panel.py",
    "questions": "app_pages/questions.py",
    "advice": "app_pages/advice.py",
}

_HTML = """
<div class="banner" role="region" aria-label="room">
  <div class="stage"><span class="pin" aria-hidden="true">📍</span>
    <span class="title"></span><span class="prompt"></span></div>
  <div class="extras"><span class="timer" role="timer"></span>
    <span class="lock"></span></div>
</div>
"""
_CSS = """
.banner.big { font-size: 44px; padding: 0.3em 0.5em; border-left-width: 14px; }
.banner { background: #EAF2FA; border-left: 6px solid #005A9C; border-radius: 6px;
          padding: 0.55rem 0.8rem; font-size: 1rem; line-height: 1.35; color: #1A1A1A; }
.title { font-weight: 700; margin-right: 0.35rem; }
.extras { display: flex; gap: 1rem; flex-wrap: wrap; margin-top: 0.15rem; }
.extras:empty { display: none; }
.timer { font-weight: 700; font-variant-numeric: tabular-nums; }
.lock { font-weight: 700; color: #8A1C1C; }
"""
_JS = """
export default function ({ parentElement, data, setTriggerValue }) {
  const q = (s) => parentElement.querySelector(s);
  q(".banner").classList.toggle("big", !!data.big);
  q(".title").textContent = data.title;
  q(".prompt").textContent = data.prompt;
  q(".lock").textContent = data.locked ? data.locked_text : "";
  let seen = data.fp;
  let endsAt = data.remaining === null ? null : performance.now() + data.remaining * 1000;
  const timer = q(".timer");
  function tick() {
    if (endsAt === null) { timer.textContent = ""; return; }
    const left = Math.max(0, Math.round((endsAt - performance.now()) / 1000));
    const m = Math.floor(left / 60), s = String(left % 60).padStart(2, "0");
    timer.textContent = left > 0 ? data.timer_text.replace("{time}", m + ":" + s)
                                 : data.time_up_text;
  }
  async function poll() {
    try {
      const r = await fetch(data.url, { cache: "no-store" });
      if (!r.ok) return;
      const room = await r.json();
      endsAt = room.remaining === null ? null : performance.now() + room.remaining * 1000;
      if (room.fp !== seen) { seen = room.fp; setTriggerValue("changed", room.fp); }
    } catch (e) { /* offline for a moment: ask again next time */ }
  }
  tick();
  const clock = setInterval(tick, 1000);
  const asking = setInterval(poll, data.every);
  return () => { clearInterval(clock); clearInterval(asking); };
}
"""
_WATCH = st.components.v2.component("room_banner", html=_HTML, css=_CSS, js=_JS)


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


def watch(code: str, room: dict[str, Any], *, live: bool = False, big: bool = False) -> None:
    """The room's stage, timer and lock, kept up to date by the browser: the page
    reruns when the facilitator changes any of them (with ``live``, also when an
    answer arrives: the Screen's results)."""
    view = room_view(room, live=live)
    title, prompt = STAGES.get(room["stage"], STAGES["first_views"])
    _WATCH(
        key="room.watch",
        data={
            "url": f"/api/room?code={code}" + ("&live=1" if live else ""),
            "every": POLL_MS, "fp": view["fp"], "big": big,
            "title": _(title), "prompt": _(prompt), "remaining": view["remaining"],
            "locked": view["locked"],
            "locked_text": _("Answers are paused for a moment: what you write is kept."),
            "timer_text": _("⏱ {time} left"), "time_up_text": _("⏱ Time is up"),
        },
        on_changed_change=lambda: None,
    )


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
    with st.container(key=BANNER_KEY):
        watch(me.code, room)
        target = stage_page(room)
        on_use_case = url_path in {Path(u.page).stem for u in registry.USE_CASES.values()}
        if room["stage"] == "use_cases" and room.get("use_case") and on_use_case:
            if Path(target).stem != url_path:  # the facilitator is showing another one
                use_case = registry.get(room["use_case"])
                st.page_link(target, icon="📺", label=_(
                    "The facilitator is showing: {title}").format(title=_(use_case.title)))
        elif url_path is not None and Path(target).stem != url_path and not (
                room["stage"] == "use_cases" and on_use_case):
            title = STAGES.get(room["stage"], STAGES["first_views"])[0]
            st.page_link(target, label=_("Start here: {where}").format(where=_(title)),
                         icon="👉")
    return room
