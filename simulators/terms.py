"""How a use case speaks of its rows: the words pages put on an outcome's numbers.

Each use case declares one :class:`Terms` (or one per way of deciding): which rate is
its headline harm, the headline sentence, and each metric's label and meaning in its
own words, falling back on the generic ones here. Message ids only: pages translate.

>>> Terms(labels={"accuracy": "Right calls"}).label("accuracy")
'Right calls'
>>> Terms().label("selection_rate")
'Flagged, of all'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simulators.messages import N_

#: Chart labels and glossary sentences for any use case, by metric (message ids).
GENERIC_LABELS: Mapping[str, str] = {
    "selection_rate": N_("Flagged, of all"),
    "true_positive_rate": N_("Caught, of those that needed action"),
    "false_negative_rate": N_("Missed, of those that needed action"),
    "false_positive_rate": N_("Flagged without need, of those that did not need action"),
    "accuracy": N_("Right decisions"),
}
GENERIC_MEANINGS: Mapping[str, str] = {
    "selection_rate": N_("Out of every 100 cases, how many the AI flagged."),
    "true_positive_rate": N_(
        "Out of every 100 cases that really needed action, how many the AI flagged. "
        "Higher is better."),
    "false_negative_rate": N_(
        "Out of every 100 cases that really needed action, how many the AI missed. "
        "Lower is better: these are the ones that slip through."),
    "false_positive_rate": N_(
        "Out of every 100 cases that did not need action, how many the AI flagged anyway. "
        "Lower is better."),
    "accuracy": N_("Out of every 100 cases, how many the AI got right."),
}


@dataclass(frozen=True)
class Terms:
    """How one use case speaks of its rows, as message ids the pages translate.

    ``harm`` is the metric whose gap between groups is the headline; ``headline``
    says it in one sentence with ``{first}``/``{first_group}`` (the worse-off group)
    and ``{second}``/``{second_group}``, each count out of 100. ``labels`` and
    ``meanings`` name each metric in this use case's words (falling back to the
    generic ones).
    """

    harm: str = "false_negative_rate"
    headline: str = N_(
        "Of every 100 cases that needed action, the AI missed {first} from {first_group} "
        "and {second} from {second_group}.")
    labels: Mapping[str, str] = field(default_factory=dict)
    meanings: Mapping[str, str] = field(default_factory=dict)
    #: The short name of what the AI does to a row, for "Gap in ..." (a message id).
    flagged: str = N_("flagged")
    group_names: Mapping[str, str] = field(
        default_factory=lambda: {"A": N_("group A"), "B": N_("group B")}
    )

    def group(self, label: Any) -> str:
        """The message id naming a group."""
        return self.group_names.get(str(label), str(label))

    def label(self, metric: str) -> str:
        return self.labels.get(metric) or GENERIC_LABELS.get(metric, metric)

    def meaning(self, metric: str) -> str:
        return self.meanings.get(metric) or GENERIC_MEANINGS.get(metric, metric)
