"""The fixed choices a reaction is made of, drawn from the 2025 dialogue."""

STAGES = {
    "before": "Before trying it",
    "after": "After trying it",
    "final": "At the end of the workshop",
}

#: "How comfortable would you be if police used this?"
COMFORT = {
    1: "Very uncomfortable",
    2: "Uncomfortable",
    3: "Not sure",
    4: "Comfortable",
    5: "Very comfortable",
}

#: What a reaction is about: the concerns and conditions participants raised.
THEMES = {
    "oversight": "Human oversight",
    "accuracy_bias": "Accuracy and bias",
    "transparency": "Being open about it",
    "jobs": "Jobs",
    "data_privacy": "Data and privacy",
    "pace": "Too much, too fast",
    "evidence": "Evidence that it works",
}

COMMENT_MAX = 1000

#: The stages of the dialogue the facilitator moves the room through.
DIALOGUE_STAGES = {
    "first_views": "First views",
    "use_cases": "Trying the uses of AI",
    "questions": "Outstanding questions",
    "advice": "Our advice",
}

#: The three themes the dialogue's advice fell under.
ADVICE_THEMES = {
    "oversight": "Oversight and accountability",
    "accuracy_bias": "Accuracy and bias",
    "transparency": "Transparency in how it is brought in",
}

VOTES = {"agree": "Agree", "disagree": "Disagree", "pass": "Pass / unsure"}

ADVICE_MAX = 280
