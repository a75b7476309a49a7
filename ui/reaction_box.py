"""How comfortable would you be if police used this? The question, asked one at a time.

A participant answers before trying a use of AI (with its story, before any result
of the model) and again after. Each answer is saved with the settings and numbers
that were on their screen when they pressed Send (read at that moment from
``st.session_state[f"{use_case}.shown"]``, which the page keeps up to date); a skip
is saved as a skip, so the report can leave that person out of the shift. If the
database can't be reached or answers are paused, the answer waits in the outbox:
nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from simulators.messages import N_
from ui import outbox, participant
from ui.i18n import _
from ui.store import get_store
from workshop.store import StoreUnavailable
from workshop.vocabulary import COMFORT, COMMENT_MAX, THEMES

DONE = "reactions.done"  # (use_case, stage) pairs answered (or skipped) this session
FLASH = "reactions.flash"

QUESTIONS = {
    "before": N_("Before you try it: how comfortable would you be if police used this?"),
    "after": N_("Now that you have tried it: how comfortable would you be if police used "
                "this?"),
}


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
    """Show what happened to the last answer, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        getattr(st, kind)(text)


def _send(use_case: str, stage: str, me_id: str, client_key: str, skipped: bool,
          then: Callable[[], None] | None, extra: Callable[[], dict[str, Any]] | None) -> None:
    """The button's callback: it runs before the page is drawn again, so the page can
    show the next step in that same run."""
    ss = st.session_state
    keys = {k: f"reaction.{use_case}.{stage}.{k}" for k in ("comfort", "themes", "comment")}
    comfort = None if skipped else ss.get(keys["comfort"])
    if comfort is None and not skipped:  # nothing typed is cleared
        ss[FLASH] = ("error", _("Please pick how comfortable you would be (1 to 5) first, "
                                "or press Skip."))
        return
    shown = ss.get(shown_key(use_case)) or {}
    config = dict(shown.get("config") or {})
    if extra is not None and not skipped:
        config.update(extra())
    problem = outbox.send(
        "record",
        participant_id=me_id,
        use_case=use_case,
        stage=stage,
        comfort=None if skipped else int(comfort),
        themes=[] if skipped else list(ss.get(keys["themes"]) or []),
        comment="" if skipped else ss.get(keys["comment"]) or "",
        config=config,
        metrics=dict(shown.get("metrics") or {}),
        client_id=ss.pop(client_key),
    )
    answered().add((use_case, stage))
    ss[keys["comfort"]], ss[keys["themes"]], ss[keys["comment"]] = None, [], ""
    if problem:
        ss[FLASH] = ("warning", problem)
    else:
        ss[FLASH] = ("success", _("Skipped. You can come back to it.") if skipped
                     else _("Thank you, your answer is saved."))
    if then is not None:
        then()


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
    their answers, saved with the settings.
    """
    me = participant.current()
    if me is None:
        return
    client_key = f"reactions.client.{use_case}.{stage}"
    st.session_state.setdefault(client_key, outbox.new_client_id())
    prefix = f"reaction.{use_case}.{stage}"
    with st.form(prefix, border=True):
        st.markdown(f"**{_(question or QUESTIONS[stage])}**")
        st.radio(
            _("How comfortable would you be?"), list(COMFORT), index=None,
            format_func=lambda c: f"{c} · {_(COMFORT[c])}",
            key=f"{prefix}.comfort", label_visibility="collapsed",
        )
        st.pills(_("What matters most to you here? (optional)"), list(THEMES),
                 selection_mode="multi", format_func=lambda t: _(THEMES[t]),
                 key=f"{prefix}.themes")
        st.text_area(_("Anything else you want to say? (optional, please no names)"),
                     max_chars=COMMENT_MAX, key=f"{prefix}.comment")
        if extra_fields is not None:
            extra_fields()
        send, skip = st.columns(2)
        args = (use_case, stage, me.id, client_key)
        send.form_submit_button(_("Send my answer"), type="primary", on_click=_send,
                                args=(*args, False, then, extra), width="stretch")
        skip.form_submit_button(_("Skip this question"), on_click=_send,
                                args=(*args, True, then, extra), width="stretch")
