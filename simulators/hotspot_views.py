"""What the hotspots page reads off a run: numbers for its sentences, tables for its maps.

Pure functions of a :class:`simulators.hotspots.HotspotOutcome`. Every number the page
writes in words comes from one of these, so a sentence always says what this run did.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from simulators.fairness import Terms, summary
from simulators.hotspots import MISSED_HEADLINE, MONITOR_DAYS, TERMS, HotspotOutcome
from simulators.monitoring import worsening


def nothing_unfair(outcome: HotspotOutcome) -> bool:
    """True when the run has no bias, no difference in real crime and no change in the
    city: any gap between the groups then comes from chance, from where the loop
    happened to settle (another world number gives another gap, often the other way:
    see tests/test_hotspots.py)."""
    c = outcome.config
    return (c.historic_patrol_bias == 0 and c.reporting_gap == 0
            and c.crime_rate_ratio == 1 and outcome.change_day is None)


def shares_on(outcome: HotspotOutcome, day: int, group: str = "B") -> dict[str, float]:
    """A group's share of patrols, recorded crime and real crime on one day (0-based)."""
    h = outcome.history
    row = h[(h["day"] == day) & (h["group"] == group)].iloc[0]
    return {k: float(row[k]) for k in ("patrol_share", "recorded_share", "true_crime_share")}


def run_shares(outcome: HotspotOutcome, group: str = "B", last: int | None = None
               ) -> dict[str, float]:
    """A group's shares averaged over the run (or its ``last`` days), and over its first
    and last tenth.

    ``excess`` is how far the group's patrol share ran above its real crime share on
    average (negative: below); ``days_above`` is the share of days it was above.
    """
    h = outcome.history[outcome.history["group"] == group]
    if last is not None:
        h = h.iloc[-last:]
    patrol = h["patrol_share"].to_numpy()
    true = h["true_crime_share"].to_numpy()
    tenth = max(1, len(h) // 10)
    return {
        "patrol_share": float(patrol.mean()),
        "recorded_share": float(np.nanmean(h["recorded_share"].to_numpy())),
        "true_crime_share": float(true.mean()),
        "patrol_share_start": float(patrol[:tenth].mean()),
        "patrol_share_end": float(patrol[-tenth:].mean()),
        "excess": float((patrol - true).mean()),
        "days_above": float((patrol > true).mean()),
    }


def weekly_shares(outcome: HotspotOutcome, group: str = "B", days: int = 7) -> pd.DataFrame:
    """A group's daily shares (``history``) averaged over the ``days`` up to each day
    (fewer at the start): one day's crime is a handful of events, a week's reads."""
    h = outcome.history[outcome.history["group"] == group].set_index("day")
    cols = ["patrol_share", "recorded_share", "true_crime_share"]
    return h[cols].rolling(days, min_periods=1).mean().reset_index()


def audit_shares(outcome: HotspotOutcome, group: str = "B") -> dict[str, float]:
    """A group's shares over the audited days (the window the fairness panel covers)."""
    return run_shares(outcome, group, last=outcome.audit_days)


def story_terms(outcome: HotspotOutcome) -> Terms:
    """The harm the result strip leads with: the one the group the bias is against
    suffers in this run. Every bias here is against group B: if its areas got more of
    the patrols than of the real crime over the audited days, it is watched for no
    reason (quiet areas patrolled); if less, its crime goes unseen (real hotspots with
    no patrol). With nothing unfair set, the bigger gap (``outcome.terms``)."""
    if nothing_unfair(outcome):
        return outcome.terms
    b = audit_shares(outcome)
    excess = b["patrol_share"] - b["true_crime_share"]
    if excess > 0:
        return TERMS
    if excess < 0:
        return replace(TERMS, harm="false_negative_rate", headline=MISSED_HEADLINE)
    return outcome.terms


def hotspots_found(outcome: HotspotOutcome) -> dict[str, float]:
    """Over the audited days: the real hotspots, and how many had a patrol on an average
    day; patrols that went elsewhere, on an average day."""
    days = outcome.audit_days
    hot = np.stack([outcome.hotspots_on(d) for d in range(outcome.config.days - days,
                                                          outcome.config.days)])
    pat = outcome.patrols[-days:]
    return {
        "real_hotspots": int(outcome.config.n_patrols),
        "found": float((hot & pat).sum() / days),
        "patrols_elsewhere": float((pat & ~hot).sum() / days),
    }


def map_frame(outcome: HotspotOutcome, day: int) -> pd.DataFrame:
    """One row per square for the maps on ``day``: position, group, real and recorded crime.

    ``x``/``y`` are the square's column and row; ``real`` is real crimes per day on
    average that day; ``on_record`` is the AI's risk score that morning (its weighted
    count of recorded crime); ``patrolled`` says whether a patrol went there that day;
    ``hotspot`` whether it was a real hotspot that day.
    """
    n = outcome.config.grid_size
    day = int(np.clip(day, 0, outcome.patrols.shape[0] - 1))
    rows, cols = np.divmod(np.arange(n * n), n)
    return pd.DataFrame(
        {
            "x": cols,
            "y": rows,
            "group": outcome.group_grid.ravel(),
            "real": np.round(outcome.rate_on(day).ravel().astype(float), 2),
            "on_record": np.round(outcome.risk[day].ravel().astype(float), 1),
            "patrolled": outcome.patrols[day].ravel(),
            "hotspot": outcome.hotspots_on(day).ravel(),
        }
    )


def _box(mask: np.ndarray) -> dict[str, int]:
    r, c = np.nonzero(mask)
    return {"x": int(c.min()), "x2": int(c.max()) + 1, "y": int(r.min()), "y2": int(r.max()) + 1}


def group_outlines(outcome: HotspotOutcome, group: str = "B") -> pd.DataFrame:
    """Rectangles (x, x2, y, y2 in squares) around each of a group's neighbourhoods."""
    hood = outcome.neighbourhood
    rows = [_box(hood == h) for h in np.unique(hood[outcome.group_grid == group])]
    return pd.DataFrame(rows, columns=["x", "x2", "y", "y2"])


def estate_outline(outcome: HotspotOutcome, day: int) -> pd.DataFrame:
    """The new estate's rectangle, from the day it opens (empty before, or without it)."""
    if outcome.change_day is None or day < outcome.change_day:
        return pd.DataFrame(columns=["x", "x2", "y", "y2"])
    return pd.DataFrame([_box(outcome.estate)])


# ----------------------------------------------------------------------------- the monitor


def monitor_lines(outcome: HotspotOutcome) -> pd.DataFrame:
    """The monitor as a day x group table of miss rates (0-based days as the index)."""
    return outcome.monitor.pivot(index="day", columns="group", values="missed")


def worst_change(outcome: HotspotOutcome) -> dict | None:
    """The most any group's line got worse than at the check (in whole counts out of
    100, as the flag compares them), when, and for whom: a limit above this raises no
    flag in this run. ``None`` before the check."""
    check = outcome.check_day
    if check is None:
        return None
    lines = monitor_lines(outcome)
    worse = pd.DataFrame(worsening({g: lines[g].to_numpy() for g in lines.columns},
                                   lines.index.get_loc(check)), index=lines.index)
    worse = worse.loc[check + 1:]
    if worse.empty:
        return None
    stacked = worse.stack()
    (day, group), amount = stacked.idxmax(), float(stacked.max())
    return {"day": int(day), "group": str(group), "worse_by": amount}


def flag_review(outcome: HotspotOutcome, day: int | None = None,
                group: str | None = None) -> dict | None:
    """What a person reviewing the flag (or, without one, the worst day) would find.

    Over the monitor's window up to ``day``: each group's line then and at the check;
    the real hotspots of ``group`` that got no patrol at all in those days, how many
    are on the new estate, and how many crimes victims reported from them (what a
    real force could see); and the patrols that went to the estate.
    """
    if day is None:
        day, group = outcome.flag_day, outcome.flag_group
    if day is None:
        worst = worst_change(outcome)
        if worst is None:
            return None
        day, group = worst["day"], worst["group"]
    lines = monitor_lines(outcome)
    start = max(0, day - MONITOR_DAYS + 1)
    hot = outcome.hotspots_on(day) & (outcome.group_grid == group)
    never = hot & ~outcome.patrols[start: day + 1].any(axis=0)
    reports = outcome.reported[start: day + 1].sum(axis=0)
    return {
        "day": int(day),
        "group": group,
        "window_start": int(start),
        "now": {g: float(lines.loc[day, g]) for g in lines.columns},
        "at_check": {g: float(lines.loc[outcome.check_day, g]) for g in lines.columns},
        "real_hotspots": int(hot.sum()),
        "unpatrolled": int(never.sum()),
        "unpatrolled_on_estate": int((never & outcome.estate).sum()),
        "reports_there": int(reports[never].sum()),
        "estate_patrols": int(outcome.patrols[start: day + 1][:, outcome.estate].sum()),
    }


def record(outcome: HotspotOutcome) -> dict:
    """What a participant's answer is saved with: the audit's gaps and rates, group B's
    shares over the audited days, the hotspots reached, and the monitor (days 1-based)."""
    out = summary(outcome)
    out.update({f"group_b_{k}": round(v, 4) for k, v in audit_shares(outcome).items()})
    out.update({f"hotspots_{k}": round(v, 2) for k, v in hotspots_found(outcome).items()})
    worst = worst_change(outcome)
    out["flag_day"] = None if outcome.flag_day is None else outcome.flag_day + 1
    out["monitor_worst_change"] = None if worst is None else round(worst["worse_by"], 4)
    return out
