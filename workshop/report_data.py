"""What the report reads from the store, once, and the few words every part of it uses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from simulators import registry
from simulators.messages import N_
from workshop import analysis
from workshop.i18n import Translator
from workshop.vocabulary import COMFORT, STAGES

if TYPE_CHECKING:
    from workshop.store import Store

OVERALL = "overall"  # the use case first views and final views are recorded under
OVERALL_TITLE = N_("First views and final views")
OVERALL_STAGES = {"before": N_("First view"), "final": N_("Final view")}
#: Short names of the questions, for a chart's axis or a table's columns.
SHORT_STAGES = {"before": N_("before"), "after": N_("after")}
SHORT_OVERALL_STAGES = {"before": N_("first view"), "final": N_("final view")}


class Data:
    """Everything the report draws, read from the store once."""

    def __init__(self, store: Store, code: str) -> None:
        self.workshop = store.workshop(code)
        self.code = self.workshop.code
        self.series = store.series(code)
        self.counts = store.counts(code)
        self.reactions = store.reactions(code)
        self.answers = store.answers(code)
        self.advice = store.advice(code)
        self.votes = store.votes(code)
        self.comments = store.comments(code)
        self.decisions = store.decisions(code)  # people's own, beside the AI's
        self.records = store.record_results(code)
        self.panel = store.panel_results(code)
        self.texts = store.tagged_texts(code)
        self.series_reactions = store.series_reactions(code) if self.series else None
        self.series_counts = ({w["code"]: store.counts(w["code"])["participants"]
                               for w in self.series["workshops"]} if self.series else {})

    def answered(self, use_case: str) -> pd.DataFrame:
        """Latest answers about ``use_case`` that are not skips."""
        df = self.reactions
        if df.empty:
            return df
        latest = analysis.latest_answers(df[df["use_case"] == use_case])
        return latest[~latest["skipped"].astype(bool)]

    def last_activity(self) -> datetime | None:
        times = [t for df, col in ((self.reactions, "created_at"),
                                   (self.answers, "created_at"),
                                   (self.advice, "created_at"))
                 if not df.empty for t in df[col]]
        return max(times) if times else None


def comfort_label(t: Translator, level: Any) -> str:
    """``2 · Uncomfortable``; empty for a skip."""
    if level is None or pd.isna(level):
        return ""
    return t.gettext("{n} · {label}").format(n=int(level), label=t.gettext(COMFORT[int(level)]))


def use_case_title(t: Translator, use_case: str) -> str:
    if use_case == OVERALL:
        return t.gettext(OVERALL_TITLE)
    if use_case in registry.USE_CASES:
        return t.gettext(registry.get(use_case).title)
    return use_case


def stage_name(t: Translator, use_case: str, stage: str) -> str:
    """The question an answer was to: "Before trying it", or "First view"."""
    if use_case == OVERALL and stage in OVERALL_STAGES:
        return t.gettext(OVERALL_STAGES[stage])
    return t.gettext(STAGES.get(stage, stage))


def short_stage(t: Translator, use_case: str, stage: str) -> str:
    names = SHORT_OVERALL_STAGES if use_case == OVERALL else SHORT_STAGES
    return t.gettext(names[stage]) if stage in names else stage


def nickname(t: Translator, name: str) -> str:
    return t.gettext("— {nickname}").format(nickname=name)


def mode_name(t: Translator, mode: str) -> str:
    return t.gettext("Online") if mode == "online" else t.gettext("In person")
