"""The fixed choices a reaction is made of, drawn from the 2025 dialogue.

Labels are English message ids: pages show them through ``_()``.
"""

from simulators.messages import N_

STAGES = {
    "before": N_("Before trying it"),
    "after": N_("After trying it"),
    "final": N_("At the end of the workshop"),
}

#: "How comfortable would you be if police used this?"
COMFORT = {
    1: N_("Very uncomfortable"),
    2: N_("Uncomfortable"),
    3: N_("Not sure"),
    4: N_("Comfortable"),
    5: N_("Very comfortable"),
}

#: What a reaction is about: the concerns and conditions participants raised.
THEMES = {
    "oversight": N_("Human oversight"),
    "accuracy_bias": N_("Accuracy and bias"),
    "transparency": N_("Being open about it"),
    "jobs": N_("Jobs"),
    "data_privacy": N_("Data and privacy"),
    "pace": N_("Too much, too fast"),
    "evidence": N_("Evidence that it works"),
}

COMMENT_MAX = 1000

#: The stages of the dialogue the facilitator moves the room through.
DIALOGUE_STAGES = {
    "first_views": N_("First views"),
    "use_cases": N_("Trying the uses of AI"),
    "panel": N_("The ethics panel"),
    "questions": N_("Outstanding questions"),
    "advice": N_("Our advice"),
}

#: The three themes the dialogue's advice fell under.
ADVICE_THEMES = {
    "oversight": N_("Oversight and accountability"),
    "accuracy_bias": N_("Accuracy and bias"),
    "transparency": N_("Transparency in how it is brought in"),
}

VOTES = {"agree": N_("Agree"), "disagree": N_("Disagree"), "pass": N_("Pass / unsure")}

ADVICE_MAX = 280

#: The dialogue's outstanding questions, each with the short answers a phone offers.
OPEN_QUESTIONS = {
    "ethical": (
        N_("What does ethical look like? Would AI counter the bias in police data and "
           "decisions, or make it worse?"),
        {"counter": N_("Counter it"), "worse": N_("Make it worse"),
         "depends": N_("It depends how it is built and checked"), "unsure": N_("Not sure")},
    ),
    "evidence": (
        N_("What's the evidence? Do we know enough about whether AI works to use it in "
           "policing?"),
        {"enough": N_("We know enough already"), "trial": N_("Not yet: trial it first"),
         "no": N_("Not yet: don't use it"), "unsure": N_("Not sure")},
    ),
    "jobs": (
        N_("What about jobs? Should AI in policing ever cost police staff their jobs?"),
        {"never": N_("No, never"),
         "frontline": N_("Only if the time saved goes to frontline and community policing"),
         "savings": N_("Yes, if it saves public money"), "unsure": N_("Not sure")},
    ),
    "data": (
        N_("Who controls personal data? Who should hold the data an AI uses?"),
        {"police": N_("The police only"),
         "companies": N_("The police, with private companies under strict rules"),
         "independent": N_("An independent body"), "unsure": N_("Not sure")},
    ),
    "pace": (
        N_("Is this too much, too fast?"),
        {"too_fast": N_("Too fast"), "right": N_("About right"), "too_slow": N_("Too slow"),
         "unsure": N_("Not sure")},
    ),
}
NOTE_MAX = 200

#: Must the public be told this section of a tool's record?
TOLD = {"yes": N_("Yes, the public must be told"), "no": N_("No need")}
#: Would the record be enough for you to accept the tool's use?
ENOUGH = {"yes": N_("Yes, enough"), "no": N_("No, not enough"), "unsure": N_("Not sure")}

#: What a member of the ethics panel advises the force (as West Midlands Police's
#: independent data ethics panel does: approve, approve with conditions, or not
#: proceed, here "pause").
VERDICTS = {
    "approve": N_("Approve: carry on using it"),
    "conditions": N_("Approve, with conditions"),
    "pause": N_("Pause it: stop using it for now"),
}
#: Conditions a panel member can pick (or they write their own, moderated).
PANEL_CONDITIONS = {
    "audit_by_group": N_("An independent audit, group by group, every three months"),
    "check_near_cutoff": N_("A person checks every decision close to the cut-off"),
    "tell_public": N_("Tell the public: publish the record and each audit"),
    "stop_at_gap": N_("Stop it at once if the gap between groups passes a set limit"),
    "audit_data": N_("Check the data it learns from, before and during use"),
    "challenge": N_("A clear way for people to challenge a decision"),
    "back_to_panel": N_("Come back to this panel in six months"),
}
CONDITION_MAX = 200
