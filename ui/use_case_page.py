"""A use-case page, one step at a time for a participant who has joined the workshop.

1. **Your first view**: the story and the before question, and no result of the
   model, so the answer is given before seeing what the AI does;
2. **Try it**: the settings with the result strip kept in view above them, and
   deeper panels below, folded. The page draws this part in an ``st.fragment`` so a
   slider reruns only it;
3. **Your view now**: the after question, with the last result as a reminder.

Someone exploring on their own (not joined), and the projector in presenter mode,
see the story and step 2 straight away. A page script is then::

    frame = start(ev.KEY, ev.story)   # stops at the before question on step 1
    try_it()            # the page's fragment: settings, strip, panels, remember()
    after_step(frame)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from simulators import registry
from simulators.config import settings_of
from ui import participant
from ui.cache import simulate_cached
from ui.config_sliders import config_values, set_config
from ui.fairness_panel import figures_of
from ui.i18n import _
from ui.navigation import next_use_case, page_link
from ui.presenter import presenting
from ui.reaction_box import answered, flash, question_box, shown_key
from ui.room import room_state
from ui.strip import result_strip
from ui.style import STORY_KEY
from workshop.i18n import N_
from workshop.store import StoreUnavailable, WorkshopNotFound

BEFORE, TRY, AFTER, DONE, EXPLORE = "before", "try", "after", "done", "explore"


@dataclass(frozen=True)
class Frame:
    use_case: registry.UseCase
    step: str  # BEFORE, TRY, AFTER, DONE, or EXPLORE (not joined, or presenting)

    @property
    def name(self) -> str:
        return self.use_case.name

    @property
    def asking_before(self) -> bool:
        return self.step == BEFORE

    @property
    def trying(self) -> bool:
        return self.step in (TRY, EXPLORE)


def _step_key(name: str) -> str:
    return f"step.{name}"


_TO_TOP_KEY = "step.to_top"
_TO_TOP = st.components.v2.component(
    "to_top", html="<span></span>",
    js="""
export default function () {
  window.scrollTo(0, 0);
  for (const el of document.querySelectorAll(
      '[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main')) {
    el.scrollTo(0, 0);
  }
}
""")


_SCROLL_BOX = st.components.v2.component(
    "scroll_box", html="<span></span>",
    js="""
export default function ({ parentElement, data }) {
  // The story's box scrolls: let a keyboard reach it, and a screen reader name it.
  const host = parentElement.host || parentElement;
  const box = host.closest("." + data.key);
  if (!box) return;
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", data.label);
}
""")


def go(name: str, step: str) -> None:
    """Move this participant to another step; the next page opens at its top."""
    st.session_state[_step_key(name)] = step
    st.session_state[_TO_TOP_KEY] = True


def _step(name: str) -> str:
    if presenting() or participant.current() is None:
        return EXPLORE
    ss = st.session_state
    if _step_key(name) not in ss:
        done = answered()
        ss[_step_key(name)] = (DONE if (name, "after") in done
                               else TRY if (name, "before") in done else BEFORE)
    return ss[_step_key(name)]


STEP_TITLES = {
    BEFORE: ("1", N_("Your first view")),
    TRY: ("2", N_("Try it")),
    AFTER: ("3", N_("Your view now")),
    DONE: ("3", N_("Your view now")),
}


def begin(name: str) -> Frame:
    """The page's title, the step it is on, and what happened to the last answer."""
    use_case = registry.get(name)
    st.title(f"{use_case.icon} {_(use_case.title)}")
    frame = Frame(use_case, _step(name))
    if st.session_state.pop(_TO_TOP_KEY, False):  # a new step: start at its top
        _TO_TOP(key=f"{name}.to_top.{frame.step}")
    if frame.step in STEP_TITLES:
        n, title = STEP_TITLES[frame.step]
        st.caption(_("Step {n} of 3: {title}").format(n=n, title=_(title)))
    flash()
    return frame


def start(name: str, story: Callable[[], None]) -> Frame:
    """A use-case page's opening, for every step: its title, its story (in full, or
    folded once trying), the before question (step 1 stops the page there), and the
    facilitator's scenario, if any. Returns the frame for the rest of the page."""
    frame = begin(name)
    with about(frame):
        if frame.step == BEFORE:
            _SCROLL_BOX(key="story-scroll", data={"key": f"st-key-{STORY_KEY}",
                                               "label": _("What this is about")})
        story()
    if frame.asking_before:
        before_question(frame)
        st.stop()
    follow(frame)
    return frame




def about(frame: Frame):
    """Where the page tells its story: in a box above the first question, at most
    ``STORY_KEY``'s height (``ui/style.py``; it scrolls, so the question starts on a
    phone's first screen); in full for visitors; folded once the participant is
    trying it, so the result comes first."""
    if frame.step == BEFORE:
        return st.container(border=True, key=STORY_KEY)
    if frame.step == EXPLORE:
        return st.container()
    return st.expander(_("What is this about?"))


def before_question(frame: Frame) -> None:
    """Step 1's question; answering or skipping it opens step 2."""
    st.session_state[shown_key(frame.name)] = {
        "config": config_values(frame.use_case.config_class(), key=frame.name).to_dict(),
        "metrics": {},  # nothing of the model has been shown yet
    }
    question_box(frame.name, "before", then=lambda: go(frame.name, TRY))


def remember(frame: Frame, config: Any, metrics: dict[str, Any]) -> None:
    """What is on the participant's screen now: saved with their next answer."""
    st.session_state[shown_key(frame.name)] = {"config": config.to_dict(), "metrics": metrics}


def follow(frame: Frame) -> None:
    """If the facilitator has put the room on a scenario of this use case, offer it:
    while trying it, a jump to the facilitator's settings; after answering, a way
    back to trying it on them."""
    me = participant.current()
    if me is None or frame.step not in (TRY, AFTER, DONE):
        return
    try:
        room = room_state(me.code)
    except (StoreUnavailable, WorkshopNotFound):
        return
    if room["use_case"] != frame.name or not room["config"]:
        return
    cls = frame.use_case.config_class()
    try:
        target = cls.from_dict(room["config"])
    except (TypeError, ValueError):
        return
    preset = registry.preset(frame.name, room["preset_key"])
    title = _(preset.title) if preset else _("the facilitator's settings")
    mine = f"{frame.name}.mine"
    if not frame.trying:
        st.info(_("📺 The facilitator is showing **{title}**.").format(title=title))
        st.button(_("Try it with the facilitator's view"), type="primary",
                  on_click=_jump_and_try, args=(frame.name, cls, target),
                  key=f"{frame.name}.jump_and_try")
    elif config_values(cls, key=frame.name) == target:
        st.info(_("📺 You are on the facilitator's view: **{title}**.").format(title=title))
        if mine in st.session_state:
            st.button(_("Back to my own settings"), on_click=_back, args=(frame.name,),
                      key=f"{frame.name}.back")
    else:
        st.info(_("📺 The facilitator is showing **{title}**.").format(title=title))
        st.button(_("Jump to the facilitator's view"), type="primary", on_click=_jump,
                  args=(frame.name, cls, target), key=f"{frame.name}.jump")


def _jump(name: str, cls: type, target: Any) -> None:
    st.session_state[f"{name}.mine"] = config_values(cls, key=name)
    set_config(target, key=name)


def _jump_and_try(name: str, cls: type, target: Any) -> None:
    _jump(name, cls, target)
    go(name, TRY)


def _back(name: str) -> None:
    set_config(st.session_state.pop(f"{name}.mine"), key=name)


def recap(frame: Frame) -> None:
    """The result last on the participant's screen, as a reminder beside the question."""
    shown = st.session_state.get(shown_key(frame.name)) or {}
    if not shown.get("metrics"):
        return
    cls = frame.use_case.config_class()
    try:
        config = cls.from_dict(shown["config"])
    except (TypeError, ValueError):
        return
    outcome = simulate_cached(frame.use_case.module().simulate, config)
    st.caption(_("What you saw last:"))
    result_strip(figures_of(outcome))


def after_step(frame: Frame, *, extra_fields: Callable[[], None] | None = None,
               extra: Callable[[], dict[str, Any]] | None = None) -> None:
    """Below step 2: the way on to step 3; or step 3 itself, or the end."""
    name = frame.name
    if frame.step == EXPLORE:
        if participant.current() is None and not presenting():
            st.divider()
            st.info(_("Join the workshop on the Welcome page to share your view. You can "
                      "still try everything here without joining."))
            page_link("app_pages/welcome.py", label=_("Join the workshop"), icon="👋")
        return
    if frame.step == TRY:
        st.divider()
        st.button(_("I have tried it: my view now →"), type="primary", width="stretch",
                  on_click=go, args=(name, AFTER), key=f"{name}.to_after")
        return
    if frame.step == AFTER:
        recap(frame)
        question_box(name, "after", extra_fields=extra_fields, extra=extra,
                     then=lambda: go(name, DONE))
        st.button(_("← Back to trying it"), on_click=go, args=(name, TRY),
                  key=f"{name}.back_to_try")
        return
    st.success(_("Thank you: your view of this use of AI is saved."))
    after = next_use_case(name)
    if after is not None:
        page_link(after.page, label=_("Next: {title}").format(title=_(after.title)),
                  icon=after.icon)
    c1, c2 = st.columns(2)
    c1.button(_("Try it again"), on_click=go, args=(name, TRY), key=f"{name}.again",
              width="stretch")
    c2.button(_("Change my answer"), on_click=go, args=(name, AFTER), key=f"{name}.change",
              width="stretch")


def bias_fields(config_cls: type) -> list[str]:
    """The settings that put bias into the data, first on a page's settings box."""
    return [name for name, meta, _default in settings_of(config_cls) if meta.bias]


def folded(label: str, key: str, expanded: bool = False):
    """A deeper panel, folded: its container when open, else None, so what is inside
    is worked out only when someone opens it. (``WORKSHOP_OPEN_PANELS=1`` opens them
    all, for tests that check every chart.)"""
    expanded = expanded or os.environ.get("WORKSHOP_OPEN_PANELS") == "1"
    panel = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    return panel if panel.open else None


def simulate_shown(frame: Frame, config: Any) -> Any:
    """The outcome for ``config``, shared by the whole room, with a spinner when new."""
    with st.spinner(_("The AI is working…"), show_time=False):
        return simulate_cached(frame.use_case.module().simulate, config)
