"""What the report reads from the store, once, and the few words every part of it uses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from workshop import analysis
from workshop.i18n import Translator
from workshop.vocabulary import COMFORT

if TYPE_CHECKING:
    from workshop.store import Store

OVERALL = "overall"  # the use case first views and final views are recorded under


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


def comfort_label(t: Translator, level: int) -> str:
    return t.gettext("{n} · {label}").format(n=level, label=t.gettext(COMFORT[level]))


def nickname(t: Translator, name: str) -> str:
    return t.gettext("— {nickname}").format(nickname=name)


def mode_name(t: Translator, mode: str) -> str:
    return t.gettext("Online") if mode == "online" else t.gettext("In person")
