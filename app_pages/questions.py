"""Outstanding questions: the dialogue's five open questions, a short answer to each."""

import streamlit as st

from ui import outbox, participant
from ui.i18n import _
from ui.navigation import page_is_fresh
from ui.reaction_box import is_open, notice, tell, too_long
from ui.room import closed_text
from ui.store import get_store
from workshop.store import StoreUnavailable, WorkshopNotFound
from workshop.vocabulary import NOTE_MAX, OPEN_QUESTIONS

SENT = "questions.sent"
MINE = "questions.mine"  # {question: this person's latest choice}


def send(question: str, me_id: str) -> None:
    ss = st.session_state
    place = f"question.{question}"
    choice = ss.get(f"{place}.choice")
    note = ss.get(f"{place}.note") or ""
    if choice is None:
        tell(place, "error", _("Pick an answer first, or leave this one."))
        return
    if (problem := too_long(note, NOTE_MAX)) is not None:
        tell(place, "error", problem)
        return
    sent = outbox.send(
        "answer", participant_id=me_id, question=question, choice=choice, note=note,
        client_id=ss.pop(f"{place}.client", None) or outbox.new_client_id())
    if sent is not None and not sent.kept:  # refused: the answer stays in the form
        tell(place, "error", sent)
        return
    ss.setdefault(SENT, set()).add(question)
    ss.setdefault(MINE, {})[question] = choice
    tell(place, *(("warning", sent) if sent else (
        "success", _("Thank you, your answer is saved."))))


def earlier(me_id: str, code: str) -> None:
    """Show each answer this person gave before back in its form (after a reload, or
    coming back to the page)."""
    ss = st.session_state
    if MINE not in ss:
        try:
            answers = get_store().answers(code)
        except (StoreUnavailable, WorkshopNotFound):
            return
        mine = answers[answers["participant_id"] == me_id] if not answers.empty else answers
        ss[MINE] = dict(zip(mine["question"], mine["choice"], strict=True))
        ss.setdefault(SENT, set()).update(ss[MINE])
    for question, choice in ss[MINE].items():
        key = f"question.{question}.choice"
        if page_is_fresh() or ss.get(key) is None:  # a form drawn anew shows what is set
            ss[key] = choice


st.title(_("❓ Outstanding questions"))
st.write(_("The people in the 2025 dialogue were left with five big questions they felt "
           "must be answered before AI is used in policing. What is your short answer to "
           "each? Pick one, and add a few words if you like. You can change an answer: the "
           "latest counts."))
me = participant.joined(_("Join the workshop on the Welcome page to give your answers."))
if not is_open(me.code):
    st.info(closed_text(), icon="🔒")
    st.stop()
earlier(me.id, me.code)
for n, (key, (question, choices)) in enumerate(OPEN_QUESTIONS.items(), start=1):
    st.session_state.setdefault(f"question.{key}.client", outbox.new_client_id())
    with st.form(f"question.{key}"):
        st.markdown(f"**{n}. {_(question)}**")
        st.radio(_("Your answer"), list(choices), index=None, key=f"question.{key}.choice",
                 format_func=lambda c, choices=choices: _(choices[c]),
                 label_visibility="collapsed")
        st.text_input(_("A few words (optional, please no names)"),
                      key=f"question.{key}.note")
        notice(f"question.{key}")
        done = key in st.session_state.get(SENT, set())
        st.form_submit_button(_("Send again") if done else _("Send"), on_click=send,
                              args=(key, me.id), type="secondary" if done else "primary")
