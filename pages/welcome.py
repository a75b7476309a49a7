"""Welcome: what the workshop is, the three uses of AI, what happens to what you say."""

import streamlit as st

from ui import participant
from ui.navigation import through_app, use_cases
from workshop.store import StoreUnavailable, WorkshopNotFound

through_app()

TITLE = "AI in policing: try it, question it, have your say"

INTRO = """
Police forces in England and Wales are trying out computer systems that learn
from past police records: so-called AI. In this workshop you get your hands on
small, made-up versions of three of them. You can move sliders that put the kinds
of unfairness found in real records into what the AI learns from, and see for
yourself who it then lets down, and what helps.

Nothing here uses real people's data. Every call, statement and street is invented.
"""

USES = [
    (
        "📞 Answering 101 calls",
        "An AI answers the police non-emergency number, gives advice, points callers to "
        "another organisation, or passes urgent calls to a person straight away. If it "
        "mishears some accents more than others, or learns from past decisions that "
        "were unfair, some callers' urgent calls can slip through.",
    ),
    (
        "📄 Summarising evidence",
        "An AI reads piles of witness statements and CCTV logs and picks out the key "
        "points for an investigator. If it favours some ways of speaking, or whatever "
        "comes first in the file, facts that matter, even ones that clear a suspect, "
        "can be left out.",
    ),
    (
        "🗺️ Predictive policing",
        "An AI studies past crime records to suggest where to send patrols and who might "
        "reoffend. Because police record more crime where they already patrol, it can "
        "keep sending officers back to the same streets, whatever the real crime rate.",
    ),
]

WHAT_HAPPENS = """
- At a few points you will be asked **how comfortable you would be** if police used
  the AI you are looking at, with an optional comment.
- We save your answer **with the settings and numbers you were looking at**, so the
  report can say what people thought *and why*.
- You get a made-up nickname. We never ask for your name, email or anything that
  identifies you, so please don't type such details into a comment.
- The facilitator sees answers from the whole room as they come in and shares them,
  without nicknames, in the report of this workshop.
"""

CONSENT = """
**Before you join.** We record only your answers, the settings on your screen when you
gave them, and a made-up nickname. No name, email or phone number. Taking part is
voluntary: you can leave at any time from the menu, and skip any question.
"""


def join_box() -> None:
    me = participant.current()
    with st.container(border=True):
        if me is not None:
            st.markdown("**You have joined the workshop.** Your nickname is")
            st.text(f"{me.pseudonym}  (workshop: {me.title})")
            return
        st.markdown("**Join the workshop**")
        st.markdown(CONSENT)
        with st.form("join"):
            code = st.text_input(
                "Workshop code (on the projector)",
                value=st.query_params.get("code", ""),
                max_chars=20,
                placeholder="e.g. K7MX3Q",
            )
            if st.form_submit_button("Join", type="primary"):
                if not code.strip():
                    st.error("Type the code shown on the projector first.")
                    return
                try:
                    participant.join(code)
                except WorkshopNotFound as err:
                    st.error(str(err))
                    return
                except StoreUnavailable:
                    st.error("The workshop can't be reached just now. Please try again "
                             "in a moment, or tell the facilitator.")
                    return
                st.rerun()
        st.caption("No code? You can still try everything on your own, without joining.")


st.title(TITLE)
join_box()
st.markdown(INTRO)

st.header("The three uses of AI you will try")
for heading, text in USES:
    with st.container(border=True):
        st.markdown(f"**{heading}**")
        st.write(text)

st.header("What happens to what you say")
st.markdown(WHAT_HAPPENS)

st.header("How to continue")
pages = use_cases()
if pages:
    st.write("Start with the first one, or follow the facilitator's lead:")
    for page in pages:
        st.page_link(page.path, label=f"{page.title}: {page.blurb}", icon=page.icon)
else:
    st.write("Open a page from the menu when your facilitator asks you to.")
st.caption(
    "On a phone, open the menu with the » button at the top left. "
    "You can come back to this page at any time."
)
