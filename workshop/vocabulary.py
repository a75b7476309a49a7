"""The fixed choices a reaction is made of, drawn from the 2025 dialogue.

Labels are English message ids: pages show them through ``_()``.
"""

import secrets

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

#: Asked with the after question of a use case and saved with its settings:
#: {use case: {field: (short name, question, {choice: label})}}.
EXTRA_QUESTIONS = {
    "call_triage": {
        "saved_hours_to": (
            N_("Where saved time should go"),
            N_("If the AI saves call handlers' time, where should that time go? (optional)"),
            {
                "frontline": N_("More officers on the front line"),
                "community": N_("More community engagement"),
                "callers": N_("More time for callers who need a person"),
                "savings": N_("Savings: a smaller policing budget"),
            },
        ),
    },
}

# -- made-up nicknames ------------------------------------------------------------------

EN_ADJECTIVES = (
    "Amber Brave Bright Calm Clever Cosy Crisp Daring Eager Fair Gentle Golden Happy "
    "Honest Jolly Keen Kind Lively Lucky Merry Mighty Nimble Patient Proud Quick Quiet "
    "Rapid Ready Silver Steady Sunny Swift Tidy Warm Wise Witty Zesty"
).split()
EN_ANIMALS = (
    "Badger Bee Robin Deer Dolphin Eagle Falcon Fox Hare Hedgehog Heron Kestrel Koala "
    "Lynx Magpie Marten Mole Newt Otter Owl Panda Puffin Rabbit Raven Seal Sparrow "
    "Squirrel Stoat Swan Tiger Toad Vole Whale Wren"
).split()
#: Welsh: the animal comes first; a feminine animal softens its adjective ("Tylluan Dawel").
CY_ADJECTIVES = (
    "Amyneddgar Awyddus Balch Brwd Bywiog Cadarn Caredig Chwim Clyd Clyfar Cyflym Cynnes "
    "Cyson Dewr Direidus Disglair Distaw Doeth Eofn Euraid Ffraeth Gonest Gwych Hael Hapus "
    "Heulog Llawen Llon Lwcus Mwyn Parod Sionc Siriol Taclus Tawel Teg Tyner"
).split()
CY_ANIMALS = {  # animal: feminine?
    "Alarch": False, "Bele": False, "Broch": False, "Carlwm": False, "Carw": False,
    "Cigfran": True, "Crëyr": False, "Cudyll": False, "Cwningen": True, "Dolffin": False,
    "Draenog": False, "Dyfrgi": False, "Eryr": False, "Gwenynen": True, "Gwiwer": True,
    "Hebog": False, "Llwynog": False, "Llyffant": False, "Llygoden": True, "Lyncs": False,
    "Madfall": True, "Morfil": False, "Morlo": False, "Pâl": False, "Panda": False,
    "Pioden": True, "Teigr": False, "Tylluan": True, "Ysgyfarnog": True,
}
#: Welsh soft mutation of a word's first letters (longest first: "ll" before "l").
_SOFT = (("Ll", "L"), ("Rh", "R"), ("C", "G"), ("P", "B"), ("T", "D"), ("G", ""),
         ("B", "F"), ("D", "Dd"), ("M", "F"))


def soft_mutation(word: str) -> str:
    """A Welsh word as it follows a feminine noun: "Dewr" -> "Ddewr", "Gwych" -> "Wych".

    >>> [soft_mutation(w) for w in ("Tawel", "Llon", "Gwych", "Hapus", "Chwim")]
    ['Dawel', 'Lon', 'Wych', 'Hapus', 'Chwim']
    """
    if word.startswith("Ch"):  # ch does not soften
        return word
    for radical, soft in _SOFT:
        if word.startswith(radical):
            rest = word[len(radical):]
            return (soft + rest) if soft else rest[:1].upper() + rest[1:]
    return word


def nickname(language: str, pick=None, number: int | None = None) -> str:
    """A made-up nickname in ``language`` ("en" or "cy"): "Brave Otter 42",
    "Dyfrgi Dewr 42", "Tylluan Dawel 17". ``pick`` chooses from a sequence
    (``secrets.choice`` unless given); ``number``: 10 to 99, drawn unless given.

    >>> nickname("cy", pick=lambda xs: "Tylluan" if "Tylluan" in xs else "Tawel", number=17)
    'Tylluan Dawel 17'
    """
    pick = pick or secrets.choice
    number = secrets.randbelow(90) + 10 if number is None else number
    if language == "cy":
        animal = pick(list(CY_ANIMALS))
        adjective = pick(CY_ADJECTIVES)
        if CY_ANIMALS[animal]:
            adjective = soft_mutation(adjective)
        return f"{animal} {adjective} {number}"
    return f"{pick(EN_ADJECTIVES)} {pick(EN_ANIMALS)} {number}"
