"""A use-case page, one step at a time for a participant who has joined the workshop.

1. **Your first view**: the story and the before question, and no result of the
   model, so the answer is given before seeing what the AI does;
   then, where the use case has cases to decide and the room has not switched it
   off, **You decide** (``ui/decide.py``): the person decides a few of the AI's
   cases first, and sees the room against the AI on them;
2. **Try it**: the settings with the result strip kept in view above them, and
   deeper panels below, folded. The page draws this part in an ``st.fragment`` so a
   slider reruns only it;
3. **Your view now**: the after question, with the last result as a reminder.

Someone exploring on their own (not joined), and the projector in presenter mode,
see the story and step 2 straight away. A page script is then::

    page = start(ev.KEY, ev.story)   # stops at the before question on step 1
    try_it()            # the page's fragment: settings, strip, panels, remember()
    after_step(page)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from simulators import registry
from simulators.config import settings_of
from simulators.messages import N_
from ui import decide, participant
from ui.cache import outcome
from ui.config_sliders import config_values, set_config
from ui.fairness_panel import figures_of
from ui.i18n import _
from ui.navigation import next_use_case, page_link
from ui.presenter import presenting
from ui.reaction_box import answered, flash, question_box, shown_key
from ui.room import room_state
from ui.strip import result_strip
from ui.style import STORY_KEY
from workshop.store import StoreUnavailable, WorkshopNotFound

BEFORE, DECIDE, TRY, AFTER, DONE, EXPLORE = "before", "decide", "try", "after", "done", "explore"


@dataclass(frozen=True)
class PageStep:
    """Where this person is on a use case's page: which use case, and which step."""

    use_case: registry.UseCase
    step: str  # BEFORE, DECIDE, TRY, AFTER, DONE, or EXPLORE (not joined, or presenting)
    decides: bool = False  # this person decides cases first (between BEFORE and TRY)

    @property
    def name(self) -> str:
        return self.use_case.name

    @property
    def asking_before(self) -> bool:
        return self.step == BEFORE

    @property
    def deciding(self) -> bool:
        return self.step == DECIDE

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


def _after_before(name: str, decides: bool) -> str:
    """The step after the before question: deciding first, unless done or switched off."""
    return DECIDE if decides and not decide.has_decided(name) else TRY


def _step(name: str, decides: bool) -> str:
    if presenting() or participant.current() is None:
        return EXPLORE
    ss = st.session_state
    if _step_key(name) not in ss:
        done = answered()
        ss[_step_key(name)] = (DONE if (name, "after") in done else _after_before(
            name, decides) if (name, "before") in done else BEFORE)
    elif ss[_step_key(name)] == DECIDE and not decides:  # the facilitator switched it off
        ss[_step_key(name)] = TRY
    return ss[_step_key(name)]


STEP_TITLES = {
    BEFORE: N_("Your first view"),
    DECIDE: N_("You decide"),
    TRY: N_("Try it"),
    AFTER: N_("Your view now"),
    DONE: N_("Your view now"),
}


def _steps(page: PageStep) -> list[str]:
    return [BEFORE, *([DECIDE] if page.decides else []), TRY, AFTER]


def begin(name: str) -> PageStep:
    """The page's title, the step it is on, and what happened to the last answer."""
    use_case = registry.get(name)
    st.title(f"{use_case.icon} {_(use_case.title)}")
    decides = decide.deciding_first(name)
    page = PageStep(use_case, _step(name, decides), decides)
    if st.session_state.pop(_TO_TOP_KEY, False):  # a new step: start at its top
        _TO_TOP(key=f"{name}.to_top.{page.step}")
    if page.step in STEP_TITLES:
        steps = _steps(page)
        n = steps.index(AFTER if page.step == DONE else page.step) + 1
        st.caption(_("Step {n} of {total}: {title}").format(
            n=n, total=len(steps), title=_(STEP_TITLES[page.step])))
    flash()
    return page


def start(name: str, story: Callable[[], None]) -> PageStep:
    """A use-case page's opening, for every step: its title, its story (in full, or
    folded once trying), the before question (step 1 stops the page there), and the
    facilitator's scenario, if any. Returns the page for the rest of the page."""
    page = begin(name)
    with about(page):
        if page.step == BEFORE:
            _SCROLL_BOX(key="story-scroll", data={"key": f"st-key-{STORY_KEY}",
                                               "label": _("What this is about")})
        story()
    if page.asking_before:
        before_question(page)
        st.stop()
    if page.deciding:
        decide.step(page.name, then=lambda: go(page.name, TRY))
        st.stop()
    follow(page)
    return page


def about(page: PageStep):
    """Where the page tells its story: in a box above the first question, at most
    ``STORY_KEY``'s height (``ui/style.py``; it scrolls, so the question starts on a
    phone's first screen); in full for visitors; folded once the participant is
    trying it, so the result comes first."""
    if page.step == BEFORE:
        return st.container(border=True, key=STORY_KEY)
    if page.step == EXPLORE:
        return st.container()
    return st.expander(_("What is this about?"))


def before_question(page: PageStep) -> None:
    """Step 1's question; answering or skipping it opens step 2."""
    st.session_state[shown_key(page.name)] = {
        "config": config_values(page.use_case.config_class(), key=page.name).to_dict(),
        "metrics": {},  # nothing of the model has been shown yet
    }
    question_box(page.name, "before",
                 then=lambda: go(page.name, _after_before(page.name, page.decides)))


def remember(page: PageStep, config: Any, metrics: dict[str, Any]) -> None:
    """What is on the participant's screen now: saved with their next answer."""
    st.session_state[shown_key(page.name)] = {"config": config.to_dict(), "metrics": metrics}


def follow(page: PageStep) -> None:
    """If the facilitator has put the room on a scenario of this use case, offer it:
    while trying it, a jump to the facilitator's settings; after answering, a way
    back to trying it on them."""
    me = participant.current()
    if me is None or page.step not in (TRY, AFTER, DONE):
        return
    try:
        room = room_state(me.code)
    except (StoreUnavailable, WorkshopNotFound):
        return
    if room["use_case"] != page.name or not room["config"]:
        return
    cls = page.use_case.config_class()
    try:
        target = cls.from_dict(room["config"])
    except (TypeError, ValueError):
        return
    preset = registry.preset(page.name, room["preset_key"])
    title = _(preset.title) if preset else _("the facilitator's settings")
    mine = f"{page.name}.mine"
    if not page.trying:
        st.info(_("📺 The facilitator is showing **{title}**.").format(title=title))
        st.button(_("Try it with the facilitator's view"), type="primary",
                  on_click=_jump_and_try, args=(page.name, cls, target),
                  key=f"{page.name}.jump_and_try")
    elif config_values(cls, key=page.name) == target:
        st.info(_("📺 You are on the facilitator's view: **{title}**.").format(title=title))
        if mine in st.session_state:
            st.button(_("Back to my own settings"), on_click=_back, args=(page.name,),
                      key=f"{page.name}.back")
    else:
        st.info(_("📺 The facilitator is showing **{title}**.").format(title=title))
        st.button(_("Jump to the facilitator's view"), type="primary", on_click=_jump,
                  args=(page.name, cls, target), key=f"{page.name}.jump")


def _jump(name: str, cls: type, target: Any) -> None:
    st.session_state[f"{name}.mine"] = config_values(cls, key=name)
    set_config(target, key=name)


def _jump_and_try(name: str, cls: type, target: Any) -> None:
    _jump(name, cls, target)
    go(name, TRY)


def _back(name: str) -> None:
    set_config(st.session_state.pop(f"{name}.mine"), key=name)


def recap(page: PageStep) -> None:
    """The result last on the participant's screen, as a reminder beside the question."""
    shown = st.session_state.get(shown_key(page.name)) or {}
    if not shown.get("metrics"):
        return
    cls = page.use_case.config_class()
    try:
        config = cls.from_dict(shown["config"])
    except (TypeError, ValueError):
        return
    st.caption(_("What you saw last:"))
    result_strip(figures_of(outcome(page.use_case, config)))


def after_step(page: PageStep, *, extra_fields: Callable[[], None] | None = None,
               extra: Callable[[], dict[str, Any]] | None = None) -> None:
    """Below step 2: the way on to step 3; or step 3 itself, or the end."""
    name = page.name
    if page.step == EXPLORE:
        if participant.current() is None and not presenting():
            st.divider()
            st.info(_("Join the workshop on the Welcome page to share your view. You can "
                      "still try everything here without joining."))
            page_link("app_pages/welcome.py", label=_("Join the workshop"), icon="👋")
        return
    if page.step == TRY:
        st.divider()
        st.button(_("I have tried it: my view now →"), type="primary", width="stretch",
                  on_click=go, args=(name, AFTER), key=f"{name}.to_after")
        return
    if page.step == AFTER:
        recap(page)
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


def simulate_shown(page: PageStep, config: Any) -> Any:
    """The outcome for ``config``, shared by the whole room, with a spinner when new."""
    with st.spinner(_("The AI is working…"), show_time=False):
        return outcome(page.use_case, config)


@dataclass(frozen=True)
class Background:
    """What a use-case page says last, folded: why it matters (with the studies it
    stands on), how the toy works or what in it is our own assumption, and the sources,
    each already in the reader's language."""

    why: str
    how_title: str
    how: str
    sources: str


def why_panel(name: str, background: Callable[[], Background]) -> None:
    """Every use-case page's last panel, folded: ``background()`` is worked out only
    when someone opens it."""
    if panel := folded(_("📚 Why this matters"), f"{name}.panel.why"):
        with panel:
            told = background()
            st.markdown(told.why)
            st.markdown(f"**{told.how_title}**")
            st.markdown(told.how)
            st.markdown("**" + _("Sources") + "**")
            st.markdown(told.sources)
