"""Plain-language wording of fairness numbers. Pure Python: no Streamlit here.

Every figure on screen gets a sentence a 12-year-old could read; this module
writes those sentences from an ``Outcome`` and its ``Terms`` so pages and the
panel say things the same way, and tests can check the words without a server.
"""

from __future__ import annotations

import math

from simulators.fairness import Outcome, Terms

# Okabe & Ito's palette: told apart by people with any common colour-vision type.
GROUP_COLOURS = {"A": "#0072B2", "B": "#E69F00"}
EXTRA_COLOURS = ["#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def group_colours(groups: list[str]) -> list[str]:
    extra = iter(EXTRA_COLOURS)
    return [GROUP_COLOURS.get(g) or next(extra) for g in groups]


def per_100(rate: float) -> str:
    """A rate as a count out of 100 people or things: 0.234 -> '23'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "none"
    return f"{round(100 * rate):d}"


def points(diff: float) -> str:
    """A difference of two rates in percentage points, in words."""
    if diff is None or math.isnan(diff):
        return "not measurable"
    n = round(100 * abs(diff))
    return "no difference" if n == 0 else f"{n} percentage point{'s' if n != 1 else ''}"


def short_points(diff: float) -> str:
    """The same, short enough for a headline figure on a phone: '23 points'."""
    if diff is None or math.isnan(diff):
        return "n/a"
    n = round(100 * abs(diff))
    return "no gap" if n == 0 else f"{n} point{'s' if n != 1 else ''}"


def metric_label(metric: str, terms: Terms) -> str:
    """A short chart label for a metric in this use case's words."""
    return {
        "selection_rate": f"{terms.flagged.capitalize()} (of all)",
        "true_positive_rate": f"Caught (of those that {terms.positive})",
        "false_negative_rate": f"{terms.missed.capitalize()} (of those that {terms.positive})",
        "false_positive_rate": f"{terms.false_alarm.capitalize()} (of those that {terms.negative})",
        "accuracy": "Right decision",
    }.get(metric, metric.replace("_", " "))


def metric_meaning(metric: str, terms: Terms) -> str:
    """One sentence saying what a metric counts, for the glossary."""
    u = terms.unit
    return {
        "selection_rate": f"Out of every 100 {u}, how many the AI {terms.flagged}.",
        "true_positive_rate": (
            f"Out of every 100 {u} that really {terms.positive}, how many the AI "
            f"{terms.flagged}. Higher is better."
        ),
        "false_negative_rate": (
            f"Out of every 100 {u} that really {terms.positive}, how many the AI "
            f"{terms.missed}. Lower is better: these are the ones that slip through."
        ),
        "false_positive_rate": (
            f"Out of every 100 {u} that really {terms.negative}, how many the AI "
            f"{terms.flagged} anyway. Lower is better."
        ),
        "accuracy": f"Out of every 100 {u}, how many the AI got right.",
    }.get(metric, metric.replace("_", " "))


def _rate(outcome: Outcome, group: str, metric: str) -> float:
    return outcome.rates[group][metric]


def _ordered_groups(outcome: Outcome) -> list[str]:
    """The groups with the most-harmed first."""
    harm = outcome.terms.harm
    groups = outcome.groups
    return sorted(groups, key=lambda g: -_nan_low(_rate(outcome, g, harm)))


def _nan_low(x: float) -> float:
    return -1.0 if math.isnan(x) else x


def headline(outcome: Outcome) -> str:
    """The headline harm in one sentence, worst-off group first."""
    t = outcome.terms
    groups = _ordered_groups(outcome)
    parts = []
    for g in groups:
        rate = _rate(outcome, g, t.harm)
        parts.append((t.group(g), per_100(rate)))
    if t.harm == "false_negative_rate":
        lead = f"Of every 100 {t.unit} that {t.positive}, the AI {t.missed}"
    elif t.harm == "false_positive_rate":
        lead = f"Of every 100 {t.unit} that {t.negative}, the AI {t.flagged}"
    else:
        lead = f"Of every 100 {t.unit}, the AI {t.flagged}"
    first, *rest = parts
    tail = "; ".join(f"from {name}, {n}" for name, n in rest)
    sentence = f"{lead} {first[1]} from {first[0]}"
    return f"{sentence}; {tail}." if tail else f"{sentence}."


def chart_reading(outcome: Outcome, metrics: list[str]) -> str:
    """One line that reads the group-rates chart aloud."""
    t = outcome.terms
    groups = outcome.groups
    if len(groups) < 2:
        return f"Only {t.group(groups[0]) if groups else 'no group'} is in this view."
    best, gap = None, -1.0
    for m in metrics:
        rates = [_rate(outcome, g, m) for g in groups]
        if any(math.isnan(r) for r in rates):
            continue
        spread = max(rates) - min(rates)
        if spread > gap:
            best, gap = m, spread
    if best is None:
        return "There are too few cases in one group to compare the groups."
    rates = {g: _rate(outcome, g, best) for g in groups}
    hi = max(rates, key=rates.get)
    lo = min(rates, key=rates.get)
    label = metric_label(best, t).lower()
    if round(100 * gap) <= 2:
        return (
            f"The groups' bars are nearly level: the largest difference, in "
            f"'{label}', is {points(gap)}."
        )
    return (
        f"The largest difference is in '{label}': {per_100(rates[hi])} in 100 for "
        f"{t.group(hi)} against {per_100(rates[lo])} in 100 for {t.group(lo)}."
    )


def gap_meaning(name: str) -> str:
    return {
        "equalized_odds_difference": (
            "The bigger of two gaps between the groups: in how often real cases are "
            "missed, and in how often people are flagged without need. 0 means the "
            "AI makes both kinds of mistake equally often for every group."
        ),
        "demographic_parity_difference": (
            "The gap between the groups in how often the AI flags anyone at all, "
            "whatever the truth. 0 means every group is flagged equally often."
        ),
    }[name]
