"""How comfortable would you be if police used this? The question, asked one at a time.

A participant answers before trying a use of AI (with its story, before any result
of the model) and again after. Each answer is saved with the settings and numbers
that were on their screen when they pressed Send (read at that moment from
``st.session_state[f"{use_case}.shown"]``, which the page keeps up to date); a skip
is saved as a skip, so the report can leave that person out of the shift. If the
database can't be reached or answers are paused, the answer waits in the outbox:
nothing typed is lost. A refusal (too long, the workshop closed) keeps everything
in the form and says why beside its buttons, moved into view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from simulators.messages import N_
from ui import outbox, participant
from ui.i18n import _, num
from ui.navigation import page_is_fresh
from ui.room import closed_text, room_state
from ui.store import get_store
from workshop.store import StoreUnavailable, WorkshopNotFound, clean_text
from workshop.vocabulary import COMFORT, COMMENT_MAX, THEMES

DONE = "reactions.done"  # (use_case, stage) pairs answered (or skipped) this session
FLASH = "reactions.flash"  # a message for the top of the next run (a new step opens there)
NOTICE = "reactions.notice"  # {place: (kind, text)}: messages shown beside their form

QUESTIONS = {
    "before": N_("Before you try it: how comfortable would you be if police used this?"),
    "after": N_("Now that you have tried it: how comfortable would you be if police used "
                "this?"),
}

_IN_VIEW = st.components.v2.component(
    "in_view", html="<span></span>",
    js="""
export default function ({ parentElement }) {
  const host = parentElement.host || parentElement;
  const box = host.closest('[data-testid="stElementContainer"]') || host;
  const message = box.previousElementSibling || box;
  requestAnimationFrame(() => message.scrollIntoView({ block: "center" }));
}
""")


def shown_key(use_case: str) -> str:
    """Where a page keeps what is on the participant's screen: config and numbers."""
    return f"{use_case}.shown"


def answered() -> set[tuple[str, str]]:
    """The (use case, stage) pairs this participant has answered or skipped."""
    ss = st.session_state
    if DONE not in ss:
        me = participant.current()
        try:  # after a reload, pick up where this person was
            ss[DONE] = get_store().answered(me.id) if me else set()
        except StoreUnavailable:
            ss[DONE] = set()
    return ss[DONE]


def flash() -> None:
    """Show what happened to the last answer, once, at the top of the page (for a
    message that comes with a new step: the new step opens at its top)."""
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        getattr(st, kind)(text)


def tell(place: str, kind: str, text: str) -> None:
    """Say something beside the form ``place`` on the next run (see :func:`notice`)."""
    st.session_state.setdefault(NOTICE, {})[place] = (kind, str(text))


def notice(place: str) -> None:
    """The message for ``place``, once, drawn here (beside the button just pressed)
    and scrolled into the middle of the screen, so nobody misses it."""
    kind, text = st.session_state.get(NOTICE, {}).pop(place, (None, None))
    if kind is not None:
        say_here(kind, text)


def say_here(kind: str, text: str) -> None:
    """``st.error``/``warning``/``success``/``info`` here, scrolled into view."""
    getattr(st, kind)(text)
    n = st.session_state["notice.count"] = st.session_state.get("notice.count", 0) + 1
    _IN_VIEW(key=f"notice.in_view.{n}", data={"n": n})


def too_long(text: str, most: int) -> str | None:
    """A clear refusal if ``text`` (as it would be stored) is over ``most`` characters."""
    n = len(clean_text(text))
    if n <= most:
        return None
    return _("This is {n} characters long, and the most is {most}. Please shorten it: "
             "your text is still in the box.").format(n=num(n), most=num(most))


def is_open(code: str) -> bool:
    """Does the workshop still take answers? (A database that can't be reached: yes,
    answers are kept and sent later.)"""
    try:
        return bool(room_state(code).get("open", True))
    except (StoreUnavailable, WorkshopNotFound):
        return True


def _keys(use_case: str, stage: str) -> dict[str, str]:
    prefix = f"reaction.{use_case}.{stage}"
    keys = {k: f"{prefix}.{k}" for k in ("comfort", "themes", "comment")}
    return {**keys, "form": prefix, "last": f"{prefix}.last", "afresh": f"{prefix}.afresh"}


def _send(use_case: str, stage: str, me_id: str, client_key: str, skipped: bool,
          then: Callable[[], None] | None, extra: Callable[[], dict[str, Any]] | None) -> None:
    """The button's callback: it runs before the page is drawn again, so the page can
    show the next step in that same run. Nothing typed is cleared unless it was
    saved, or kept to be sent later."""
    ss = st.session_state
    keys = _keys(use_case, stage)
    comfort = None if skipped else ss.get(keys["comfort"])
    comment = "" if skipped else ss.get(keys["comment"]) or ""
    if comfort is None and not skipped:
        tell(keys["form"], "error", _("Please pick how comfortable you would be (1 to 5) "
                                      "first, or press Skip."))
        return
    if (problem := too_long(comment, COMMENT_MAX)) is not None:
        tell(keys["form"], "error", problem)
        return
    shown = ss.get(shown_key(use_case)) or {}
    config = dict(shown.get("config") or {})
    if extra is not None and not skipped:
        config.update(extra())
    themes = [] if skipped else list(ss.get(keys["themes"]) or [])
    sent = outbox.send(
        "record",
        participant_id=me_id,
        use_case=use_case,
        stage=stage,
        comfort=None if skipped else int(comfort),
        themes=themes,
        comment=comment,
        config=config,
        metrics=dict(shown.get("metrics") or {}),
        client_id=ss.pop(client_key),
    )
    if sent is not None and not sent.kept:  # refused (the workshop closed): keep it all
        tell(keys["form"], "error", sent)
        return
    answered().add((use_case, stage))
    ss[keys["last"]] = {"comfort": None if skipped else int(comfort), "themes": themes,
                        "comment": comment, "config": config}
    # The form shows what was sent; the comment as "your comment last time".
    ss[keys["comfort"]], ss[keys["themes"]] = ss[keys["last"]]["comfort"], themes
    ss[keys["comment"]], ss[keys["afresh"]] = "", True
    message = ("warning", str(sent)) if sent is not None else ("success", _(
        "Skipped. You can come back to it.") if skipped else _(
        "Thank you, your answer is saved."))
    if then is not None:
        ss[FLASH] = message
        then()
    else:
        tell(keys["form"], *message)


def earlier_answer(me_id: str, use_case: str, stage: str) -> dict[str, Any] | None:
    """This person's latest answer to the question (sent from this session, or read
    back after a reload), or None."""
    keys = _keys(use_case, stage)
    ss = st.session_state
    if (use_case, stage) not in answered():
        return None
    if keys["last"] not in ss:
        try:
            ss[keys["last"]] = get_store().my_answer(me_id, use_case, stage)
        except StoreUnavailable:
            return None
    return ss[keys["last"]]


def _show_earlier(me_id: str, use_case: str, stage: str) -> str:
    """Put the person's earlier answer back in the form when it is drawn afresh (after
    a reload, coming back to the page, "Change my answer"); returns the comment they
    wrote with it (shown, not put back: sent again, it would be read twice). The
    choices are set again, not only where unset: a form drawn anew in the browser
    shows what this run sets, not what its widgets held before."""
    keys = _keys(use_case, stage)
    earlier = earlier_answer(me_id, use_case, stage)
    ss = st.session_state
    afresh = ss.pop(keys["afresh"], False) or page_is_fresh()
    if not earlier:
        return ""
    if (afresh or ss.get(keys["comfort"]) is None) and earlier.get("comfort") is not None:
        ss[keys["comfort"]] = int(earlier["comfort"])
        ss[keys["themes"]] = [t for t in earlier.get("themes") or [] if t in THEMES]
    return earlier.get("comment") or ""


def question_box(
    use_case: str,
    stage: str,
    *,
    question: str | None = None,
    then: Callable[[], None] | None = None,
    extra_fields: Callable[[], None] | None = None,
    extra: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """Ask how comfortable the participant would be, with themes and a comment.

    ``then`` runs once the answer is sent or skipped (to move to the next step);
    ``extra_fields`` draws more questions inside the form, and ``extra`` returns
    their answers, saved with the settings. An earlier answer is shown again; what
    happened to this one is said beside the buttons (or, with ``then``, at the top
    of the next step). A closed workshop asks nothing.
    """
    me = participant.current()
    if me is None:
        return
    keys = _keys(use_case, stage)
    if not is_open(me.code):  # in place of the form, and of any refusal it had
        st.session_state.get(NOTICE, {}).pop(keys["form"], None)
        st.info(closed_text(), icon="🔒")
        return
    client_key = f"reactions.client.{use_case}.{stage}"
    st.session_state.setdefault(client_key, outbox.new_client_id())
    wrote = _show_earlier(me.id, use_case, stage)
    with st.form(keys["form"], border=True):
        st.markdown(f"**{_(question or QUESTIONS[stage])}**")
        st.radio(
            _("How comfortable would you be?"), list(COMFORT), index=None,
            format_func=lambda c: f"{c} · {_(COMFORT[c])}",
            key=keys["comfort"], label_visibility="collapsed",
        )
        st.pills(_("What matters most to you here? (optional)"), list(THEMES),
                 selection_mode="multi", format_func=lambda t: _(THEMES[t]),
                 key=keys["themes"])
        if wrote:
            st.caption(_("Your comment last time (kept; write here only to add to it):"))
            st.text(wrote)  # participant text: never Markdown
        st.text_area(_("Anything else you want to say? (optional, please no names)"),
                     key=keys["comment"])
        if extra_fields is not None:
            extra_fields()
        notice(keys["form"])
        send, skip = st.columns(2)
        args = (use_case, stage, me.id, client_key)
        send.form_submit_button(_("Send my answer"), type="primary", on_click=_send,
                                args=(*args, False, then, extra), width="stretch")
        skip.form_submit_button(_("Skip this question"), on_click=_send,
                                args=(*args, True, then, extra), width="stretch")
