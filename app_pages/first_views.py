"""First views: how a participant feels about AI in policing before trying anything."""

import streamlit as st

from ui import participant
from ui.i18n import _
from ui.reaction_box import answered, flash, question_box

OVERALL = "overall"  # the use case name first views and final views are recorded under

st.title(_("💭 First views"))
st.write(_("Before we look at any AI: people come to this with their own experience of "
           "technology and of the police, and all of it counts. There are no right "
           "answers."))
me = participant.joined(_("Join the workshop on the Welcome page to share your first view."))
flash()
if (OVERALL, "before") in answered():
    st.success(_("Thank you: your first view is saved. When the facilitator moves on, the "
                 "box at the top of the page shows you where to go."))
    st.caption(_("You can answer again if you change your mind: the latest answer counts."))
question_box(OVERALL, "before", question=_(
    "How comfortable would you be if the police used AI in their work?"))
