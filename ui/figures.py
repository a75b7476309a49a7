"""An outcome's numbers and the sentences that say them, worked out once. No Streamlit.

Every number a page shows about groups comes from one :class:`Figures`, built from
an ``Outcome`` in one language: the per-group counts out of 100 (rounded once),
the gaps between them computed from those rounded counts (so "a gap of 14 points"
always sits beside 44 and 30, never beside 44 and 31), and the sentences that
read them. The result strip, the fairness panel and the reaction record all draw
from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulators.fairness import Outcome
from simulators.messages import N_
from workshop.i18n import Translator

# Okabe & Ito's palette, told apart with any common colour vision, darkened where
# needed so every colour is at least 4.5:1 on white: readable as a word, not only
# as a bar (their orange, #E69F00, is 2.25:1).
GROUP_COLOURS = {"A": "#0072B2", "B": "#A86400"}
EXTRA_COLOURS = ["#007A5A", "#B04F8A", "#B84A00", "#000000"]


def group_colours(groups: list[str]) -> list[str]:
    extra = iter(EXTRA_COLOURS)
    return [GROUP_COLOURS.get(g) or next(extra) for g in groups]


def per_100(rate: float) -> int | None:
    """A rate as a whole count out of 100, or None when it cannot be measured."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return None
    return int(round(100 * rate))


GAP_MEANINGS = {
    "equalized_odds_difference": N_(
        "The bigger of two gaps between the groups: in how often real cases are missed, "
        "and in how often they are flagged without need. 0 means the AI makes both kinds "
        "of mistake equally often for every group."),
    "demographic_parity_difference": N_(
        "The gap between the groups in how often the AI flags anyone at all, whatever the "
        "truth. 0 means every group is flagged equally often."),
}


@dataclass(frozen=True)
class Bar:
    group: str  # "A", "B", ...
    name: str  # "group B", in the page's language
    count: int | None  # out of 100
    colour: str


@dataclass(frozen=True)
class Figures:
    """What one outcome shows, in one language."""

    harm_label: str  # what the headline bars count: "Urgent calls missed"
    headline: str  # the sentence, worse-off group first
    gap: int | None  # the headline gap in points, from the rounded counts
    gap_text: str  # "19 points", "no gap"
    bars: list[Bar]
    #: {metric: {group: count out of 100}} for every audited metric
    counts: dict[str, dict[str, int | None]] = field(default_factory=dict)
    gaps: dict[str, int | None] = field(default_factory=dict)  # points, from the counts
    labels: dict[str, str] = field(default_factory=dict)  # metric -> label
    meanings: dict[str, str] = field(default_factory=dict)  # metric -> glossary sentence
    flagged_overall: int | None = None  # out of 100, all groups together
    flagged: str = ""  # "fast-tracked"

    def reading(self, metrics: list[str], t: Translator) -> str:
        """One line that reads a chart of these metrics aloud."""
        best, spread = None, -1
        for m in metrics:
            values = [v for v in self.counts.get(m, {}).values() if v is not None]
            if len(values) >= 2 and max(values) - min(values) > spread:
                best, spread = m, max(values) - min(values)
        if best is None:
            return t.gettext("There are too few cases in one group to compare the groups.")
        shown = {g: v for g, v in self.counts[best].items() if v is not None}
        hi, lo = max(shown, key=shown.get), min(shown, key=shown.get)
        names = {b.group: b.name for b in self.bars}
        if spread == 0:
            return t.gettext(
                "The groups' bars are level: the largest difference, in '{label}', "
                "is {gap}.").format(label=self.labels[best], gap=points_text(spread, t))
        return t.gettext(
            "The largest difference is in '{label}': {hi} in 100 for {hi_group} against "
            "{lo} in 100 for {lo_group}.").format(
                label=self.labels[best], hi=shown[hi], hi_group=names.get(hi, hi),
                lo=shown[lo], lo_group=names.get(lo, lo))


def points_text(n: int | None, t: Translator) -> str:
    if n is None:
        return t.gettext("not measurable")
    if n == 0:
        return t.gettext("no gap")
    return t.ngettext("{n} point", "{n} points", n).format(n=n)


def _gap(counts: dict[str, int | None]) -> int | None:
    values = [v for v in counts.values() if v is not None]
    return max(values) - min(values) if len(values) >= 2 else None


def figures(outcome: Outcome, t: Translator) -> Figures:
    """Work out what ``outcome`` shows, once, in ``t``'s language."""
    terms = outcome.terms
    metrics = ["selection_rate", "true_positive_rate", "false_negative_rate",
               "false_positive_rate", "accuracy"]
    counts = {m: {g: per_100(r[m]) for g, r in outcome.rates.items()} for m in metrics}
    gaps = {m: _gap(c) for m, c in counts.items()}
    # Equalized odds, as Fairlearn defines it, from the counts the page shows.
    tpr, fpr = gaps["true_positive_rate"], gaps["false_positive_rate"]
    gaps["equalized_odds_difference"] = (
        None if tpr is None and fpr is None else max(v for v in (tpr, fpr) if v is not None))
    gaps["demographic_parity_difference"] = gaps["selection_rate"]
    harm = terms.harm
    names = {g: t.gettext(terms.group(g)) for g in outcome.groups}
    colours = dict(zip(outcome.groups, group_colours(outcome.groups), strict=True))
    bars = [Bar(g, names[g], counts[harm][g], colours[g]) for g in outcome.groups]
    ordered = sorted(bars, key=lambda b: -1 if b.count is None else b.count, reverse=True)
    if len(ordered) >= 2:
        first, second = ordered[0], ordered[1]
        headline = t.gettext(terms.headline).format(
            first=_count(first.count, t), first_group=first.name,
            second=_count(second.count, t), second_group=second.name)
    else:
        headline = t.gettext("Only one group is in this view, so there is nothing to compare.")
    return Figures(
        harm_label=t.gettext(terms.label(harm)),
        headline=headline,
        gap=gaps[harm],
        gap_text=points_text(gaps[harm], t),
        bars=bars,
        counts=counts,
        gaps=gaps,
        labels={m: t.gettext(terms.label(m)) for m in metrics},
        meanings={m: t.gettext(terms.meaning(m)) for m in metrics},
        flagged_overall=per_100(outcome.overall["selection_rate"]),
        flagged=t.gettext(terms.flagged),
    )


def _count(n: int | None, t: Translator) -> str:
    return t.gettext("none measurable") if n is None else str(n)
