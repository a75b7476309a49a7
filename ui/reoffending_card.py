"""Reoffending risk: one person's card, "why this score?", in words.

``simulators.reoffending_views.explain`` gives the card as data (which thing the AI read,
its value, its points, the rule that labelled them); every sentence is made here.
"""

from __future__ import annotations

import streamlit as st

from simulators.reoffending import RiskOutcome
from simulators.reoffending_views import KINDS, PersonCard, Reason, explain, find_people
from ui.i18n import _, ngettext, num
from ui.reoffending import KEY, group_name

KIND_KEY = f"{KEY}.pick_kind"
GROUP_KEY = f"{KEY}.pick_group"
NTH_KEY = f"{KEY}.nth"
NUMBER_KEY = f"{KEY}.person_number"
PICK_GROUPS = ("any", "A", "B")


def _next_person() -> None:
    st.session_state[NTH_KEY] = st.session_state.get(NTH_KEY, 0) + 1
    st.session_state[NUMBER_KEY] = ""


def _new_choice() -> None:
    st.session_state[NTH_KEY] = 0
    st.session_state[NUMBER_KEY] = ""


def typed_person(text: str, n: int) -> tuple[int | None, bool]:
    """(row, ok) from what was typed: None and ok when empty, None and not ok if unusable."""
    text = (text or "").strip()
    if not text:
        return None, True
    if not text.isdigit() or not 1 <= int(text) <= n:
        return None, False
    return int(text) - 1, True


def _group_choice(code: str) -> str:
    return _("either group") if code == "any" else group_name(code)


def pick_person(outcome: RiskOutcome) -> int:
    """The person-picking controls; returns the row of the person to show."""
    n = len(outcome.y_true)
    kind = st.selectbox(_("Show me someone who was"), list(KINDS),
                        format_func=lambda k: _(KINDS[k]), key=KIND_KEY,
                        on_change=_new_choice)
    group = st.radio(_("From"), list(PICK_GROUPS), format_func=_group_choice,
                     horizontal=True, key=GROUP_KEY, on_change=_new_choice)
    st.button(_("🔀 Show someone else"), key=f"{KEY}.next", on_click=_next_person)
    typed = st.text_input(_("Or type a person's number"), key=NUMBER_KEY, max_chars=6,
                          placeholder=_("1 to {n}").format(n=num(n)))
    index, ok = typed_person(typed, n)
    if not ok:
        st.warning(_("Type a whole number from 1 to {n} to see that person.").format(n=num(n)))
    if index is None:
        chosen = None if group == "any" else group
        rows = find_people(outcome, kind, chosen)
        if len(rows) == 0:
            st.info(_("Nobody like that in this run, so here is someone from {group} "
                      "instead.").format(group=_group_choice(group)))
            rows = find_people(outcome, "any", chosen)
        index = int(rows[st.session_state.get(NTH_KEY, 0) % len(rows)])
    return index


# ----------------------------------------------------------------------------- sentences


def _what(r: Reason, value: int) -> str:
    if r.feature == "age":
        return _("Age {n}").format(n=num(value))
    if r.feature == "employed":
        return _("Has a job") if value else _("Has no job")
    if r.feature == "arrests":
        return ngettext("{n} past arrest", "{n} past arrests", value).format(n=num(value))
    return ngettext("{n} past conviction", "{n} past convictions", value).format(n=num(value))


def _typical(r: Reason) -> str:
    if r.feature == "age":
        return _("a typical person here is {n}").format(n=num(r.typical))
    if r.feature == "employed":
        return _("most people here have a job") if r.typical else _(
            "most people here have no job")
    return _("a typical person here has {n}").format(n=num(r.typical))


def reason_text(r: Reason) -> str:
    n = abs(r.points)
    if r.points > 0:
        effect = ngettext("pushes their score up {n} point", "pushes their score up {n} points",
                          n).format(n=num(n))
    elif r.points < 0:
        effect = ngettext("brings their score down {n} point",
                          "brings their score down {n} points", n).format(n=num(n))
    else:
        effect = _("makes almost no difference to their score")
    return _("{what} ({typical}): {effect}.").format(what=_what(r, r.value),
                                                    typical=_typical(r), effect=effect)


def rule_text(card: PersonCard) -> str:
    """How people like this one were labelled."""
    group = group_name(card.group)
    if card.rule == "people":
        text = _("Offender managers decided, without the AI: they labelled as many people high "
                 "risk as the AI would have.")
        if card.judged_harshly:
            text += " " + _("This person is in group B with an arrest on record: the "
                            "offender managers' stereotype made them read this record as "
                            "riskier.")
        return text
    if card.rule == "cutoff":
        return _("People scoring {cut} or more are labelled high risk.").format(
            cut=num(card.cutoff))
    if card.rule == "mix":
        text = _("The retrained AI does not use this score: for each person it picks one of "
                 "several AIs at random.")
    elif card.cutoff is None:
        text = _("The fix labels nobody in {group} high risk for sure.").format(group=group)
    else:
        text = _("The fix uses a cut-off for each group: about {cut} for {group}.").format(
            cut=num(card.cutoff), group=group)
    if card.coin_toss:
        chance = {0: _("fewer than 1"), 100: _("more than 99")}.get(card.chance,
                                                                      num(card.chance))
        text += " " + (_(
            "This person's label was a weighted coin toss: the fix labels {chance} in 100 "
            "people like them high risk. This time it came up high risk.") if card.flagged
            else _("This person's label was a weighted coin toss: the fix labels {chance} in "
                   "100 people like them high risk. This time it came up not high risk.")
        ).format(chance=chance)
    return text


def happened_lines(card: PersonCard) -> list[str]:
    if card.rule == "people":
        decision = (_("The offender managers labelled them high risk.") if card.flagged
                    else _("The offender managers did not label them high risk."))
        other = (_("The AI would have labelled them high risk.") if card.ai_flagged
                 else _("The AI would not have labelled them high risk."))
    else:
        decision = (_("The AI labelled them high risk.") if card.flagged
                    else _("The AI did not label them high risk."))
        other = (_("Offender managers, without the AI, would have labelled them high risk.")
                 if card.people_flagged
                 else _("Offender managers, without the AI, would not have labelled them high "
                        "risk."))
    truth = (_("What really happened: they went on to reoffend.") if card.reoffended
             else _("What really happened: they did not reoffend."))
    if card.rearrested and not card.reoffended:
        record = _("What the police records show: they were arrested again, though they had "
                   "not reoffended.")
    elif card.reoffended and not card.rearrested:
        record = _("What the police records show: no new arrest, though they did reoffend.")
    elif card.rearrested:
        record = _("What the police records show: they were arrested again.")
    else:
        record = _("What the police records show: they were not arrested again.")
    return [decision, truth, record, other]


def hidden_text(card: PersonCard) -> str:
    """What the record hides: real offences, arrests with no offence, where they lived."""
    lines = [ngettext("What the AI could not see: they really committed {n} offence in the "
                      "past.", "What the AI could not see: they really committed {n} offences "
                      "in the past.", card.offences).format(n=num(card.offences))]
    if card.arrests == 0:
        lines.append(_("They had never been arrested."))
    elif card.stop_arrests == 0:
        lines.append(_("Every one of their arrests was for a real offence."))
    else:
        lines.append(ngettext(
            "{n} of their arrests came from being stopped when they had done nothing.",
            "{n} of their arrests came from being stopped when they had done nothing.",
            card.stop_arrests).format(n=num(card.stop_arrests)))
    if card.patrolled:
        lines.append(_("They lived in a heavily patrolled street."))
    if card.watched:
        lines.append(_("After release they were watched more closely."))
    return " ".join(lines)


def verdict_text(kind: str) -> str:
    return {
        "false_alarm": _("A false alarm: labelled high risk, but did not reoffend."),
        "missed": _("Missed: went on to reoffend, but was not labelled high risk."),
        "caught": _("Labelled high risk, and did go on to reoffend."),
        "cleared": _("Not labelled high risk, and did not reoffend."),
    }[kind]


def person_card(outcome: RiskOutcome) -> int:
    """Pick a person and show why they got their score; returns their number."""
    st.caption(_("Pick a person to see what the AI saw, and what really happened."))
    card = explain(outcome, pick_person(outcome))
    st.markdown("#### " + _("Person {number} of {n}, {group}").format(
        number=num(card.number), n=num(len(outcome.y_true)), group=group_name(card.group)))
    st.metric(_("Risk score"), _("{score} out of 100").format(score=num(card.score)))
    st.write(rule_text(card))
    st.markdown("**" + _("What the AI saw, and what each thing did to the score") + "**")
    st.markdown("\n".join(f"- {reason_text(r)}" for r in card.reasons))
    st.caption(_("Each line compares this person with a typical person here: how much higher "
                 "or lower their score would be if only that one thing were typical."))
    st.markdown("**" + _("What happened next") + "**")
    st.markdown("\n".join(f"- {line}" for line in happened_lines(card)))
    st.info(hidden_text(card), icon="🙈")
    if card.kind in ("false_alarm", "missed"):
        st.warning(verdict_text(card.kind), icon="⚠️")
    else:
        st.success(verdict_text(card.kind), icon="✅")
    return card.number
