"""Where I sit: after voting on the room's advice, which opinion group a participant is
in (found from the votes as Pol.is finds them, ``workshop.analysis``), how many share
it, and the approved advice that most sets their group apart. Folded, so the groups
are worked out only for someone who opens it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import participant
from ui.figures import per_100
from ui.i18n import _, ngettext, num
from ui.store import get_store
from ui.use_case_page import folded
from workshop import analysis


def where_i_sit(me: participant.Me, approved: pd.DataFrame) -> None:
    """``approved``: the workshop's approved advice (``advice_id``, ``text``)."""
    panel = folded(_("🧭 Where you sit in the room"), "advice.where_i_sit")
    if panel is None:
        return
    with panel:
        votes = get_store().votes(me.code)
        votes = votes[votes["advice_id"].isin(set(approved["advice_id"]))]
        st.caption(_("The computer places everyone by their votes on the approved advice "
                     "and looks for groups who vote alike, as Pol.is does. A group says "
                     "nothing about who people are, only how they voted."))
        if me.id not in set(votes["participant_id"]):
            st.write(_("Vote on some of the room's advice first, then look again."))
            return
        found = analysis.where_i_sit(votes, me.id)
        if found is None:
            st.write(ngettext(
                "The votes of the {n} person who voted do not split into groups of at least "
                "{m} people yet (or you are in a group too small to show). Look again once "
                "more people have voted.",
                "The votes of the {n} people who voted do not split into groups of at least "
                "{m} people yet (or you are in a group too small to show). Look again once "
                "more people have voted.", votes["participant_id"].nunique()).format(
                    n=num(votes["participant_id"].nunique()), m=num(analysis.MIN_GROUP)))
            return
        st.markdown(ngettext(
            "**You are in group {g}**, one of {k} opinion groups. {size} of the {n} person "
            "who voted is in it.",
            "**You are in group {g}**, one of {k} opinion groups. {size} of the {n} people "
            "who voted are in it.", found["voters"]).format(
                g=found["group"], k=num(found["groups"]), size=num(found["size"]),
                n=num(found["voters"])))
        apart = found["apart"]
        if apart.empty:
            st.write(_("No piece of advice sets your group apart yet: it votes much like "
                       "everyone else."))
            return
        st.markdown("**" + _("The advice that most sets your group apart") + "**")
        texts = approved.set_index("advice_id")["text"]
        for row in apart.itertuples():
            with st.container(border=True):
                st.text(texts.get(row.advice_id, ""))  # participant text: plain
                st.caption(_("Your group: {mine} in 100 of its votes agree. Everyone else: "
                             "{others} in 100.").format(mine=per_100(row.mine),
                                                         others=per_100(row.others)))
