"""Outstanding questions: the dialogue's five open questions, a short answer to each."""

import streamlit as st

from ui import outbox, participant
from ui.i18n import _
from ui.navigation import page_link
from ui.reaction_box import flash
from workshop.vocabulary import NOTE_MAX, OPEN_QUESTIONS

SENT = "questions.sent"


def send(question: str, me_id: str) -> None:
    ss = st.session_state
    choice = ss.get(f"question.{question}.choice")
    if choice is None:
        ss["reactions.flash"] = ("error", _("Pick an answer first, or leave this one."))
        return
    problem = outbox.send(
        "answer", participant_id=me_id, question=question, choice=choice,
        note=ss.get(f"question.{question}.note") or "",
        client_id=ss.pop(f"question.{question}.client", None) or outbox.new_client_id())
    ss.setdefault(SENT, set()).add(question)
    ss["reactions.flash"] = ("warning", problem) if problem else (
        "success", _("Thank you, your answer is saved."))


st.title(_("❓ Outstanding questions"))
st.write(_("The people in the 2025 dialogue were left with five big questions they felt "
           "must be answered before AI is used in policing. What is your short answer to "
           "each? Pick one, and add a few words if you like. You can change an answer: the "
           "latest counts."))
me = participant.current()
if me is None:
    st.info(_("Join the workshop on the Welcome page to give your answers."))
    page_link("app_pages/welcome.py", label=_("Join the workshop"), icon="👋")
    st.stop()
flash()
for n, (key, (question, choices)) in enumerate(OPEN_QUESTIONS.items(), start=1):
    st.session_state.setdefault(f"question.{key}.client", outbox.new_client_id())
    with st.form(f"question.{key}"):
        st.markdown(f"**{n}. {_(question)}**")
        st.radio(_("Your answer"), list(choices), index=None, key=f"question.{key}.choice",
                 format_func=lambda c, choices=choices: _(choices[c]),
                 label_visibility="collapsed")
        st.text_input(_("A few words (optional, please no names)"), max_chars=NOTE_MAX,
                      key=f"question.{key}.note")
        done = key in st.session_state.get(SENT, set())
        st.form_submit_button(_("Send again") if done else _("Send"), on_click=send,
                              args=(key, me.id), type="secondary" if done else "primary")
