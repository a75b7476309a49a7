"""Watching an AI over time: each group's line over a rolling window, and a flag.

The dialogue's advice was that "AI's performance should be continually monitored".
This module is that monitor, for any use case that makes one decision per place (or
person) per day: pure numpy on 0/1 arrays, no knowledge of the city.

- :func:`group_lines` is each group's miss rate, day by day, over the last
  ``window`` days: of the group's real cases in those days, the share the AI
  missed (Fairlearn's false negative rate, over a sliding window of rows);
- :func:`first_flag` is the first day a group's line has got worse, since the AI was
  checked, by at least a limit: a flag a person must look at. Lines are compared
  as whole counts out of 100, as people read them (:func:`worsening`).

>>> import numpy as np
>>> real = np.ones((6, 2), dtype=bool)             # 6 days, 2 places, both real cases
>>> acted = np.array([[1, 1]] * 3 + [[1, 0]] * 3, dtype=bool)  # place 2 missed from day 4
>>> lines = group_lines(real, acted, np.array(["A", "B"]), window=2)
>>> lines["B"].round(2).tolist()
[nan, 0.0, 0.0, 0.5, 1.0, 1.0]
>>> first_flag(lines, checked_on=2, limit=0.5)
(3, 'B')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def rolling_sum(x: np.ndarray, window: int) -> np.ndarray:
    """Sum over the last ``window`` rows (axis 0), row by row; fewer at the start."""
    total = np.cumsum(x, axis=0, dtype=float)
    total[window:] = total[window:] - total[:-window]
    return total


def group_lines(real: np.ndarray, acted: np.ndarray, groups: np.ndarray,
                window: int) -> dict[str, np.ndarray]:
    """Each group's miss rate over the last ``window`` days, for every day.

    ``real`` and ``acted`` are ``(days, places)`` booleans: a real case (a real
    hotspot), and whether the AI acted on it (sent a patrol). A day's value is
    the share of the group's real cases in the window the AI did not act on;
    ``nan`` until the window is full, or when the group had no real case.
    """
    out = {}
    for g in np.unique(groups):
        member = groups == g
        cases = rolling_sum(real[:, member].sum(axis=1), window)
        missed = rolling_sum((real & ~acted)[:, member].sum(axis=1), window)
        line = np.divide(missed, cases, out=np.full(len(cases), np.nan), where=cases > 0)
        line[: window - 1] = np.nan
        out[str(g)] = line
    return out


def per_100(x: np.ndarray | float) -> np.ndarray:
    """Rates as whole counts out of 100, rounded as the pages round them."""
    return np.round(100 * np.asarray(x, dtype=float))


def worsening(lines: Mapping[str, np.ndarray], checked_on: int) -> dict[str, np.ndarray]:
    """How much worse each group's line is than on ``checked_on``, day by day, as a
    share (0.2 = 20 in 100 more missed), worked out from whole counts out of 100: a
    flag never sits beside figures that say it should not have been raised."""
    return {g: (per_100(line) - per_100(line[checked_on])) / 100 for g, line in lines.items()}


def first_flag(lines: Mapping[str, np.ndarray], checked_on: int,
               limit: float) -> tuple[int, str] | None:
    """The first day after ``checked_on`` on which a group's line is worse than it
    was that day by at least ``limit`` (see :func:`worsening`), and that group (the
    worse-hit one if both cross together); ``None`` if it never happens."""
    worse = worsening(lines, checked_on)
    bar = per_100(limit) / 100
    for day in range(checked_on + 1, min((len(v) for v in worse.values()), default=0)):
        over = {g: v[day] for g, v in worse.items() if v[day] >= bar}
        if over:
            return day, max(over, key=over.get)
    return None


def worst_worsening(lines: Mapping[str, np.ndarray], checked_on: int, start: int,
                    stop: int | None = None) -> float:
    """The most any group's line got worse than on ``checked_on`` (see
    :func:`worsening`) on days ``start`` to ``stop`` (exclusive; to the end if None);
    0 if there are no such days. A limit at or under it raises a flag in that span."""
    worse = [v[start:stop] for v in worsening(lines, checked_on).values()]
    values = np.concatenate(worse) if worse else np.array([])
    values = values[~np.isnan(values)]
    return float(values.max()) if values.size else 0.0


def monitor_table(lines: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per day and group with a full window: ``day`` (0-based), ``group``,
    ``missed`` (the share of the group's real cases the AI missed over the window)."""
    frames = [pd.DataFrame({"day": np.arange(len(line)), "group": g, "missed": line})
              for g, line in lines.items()]
    table = pd.concat(frames, ignore_index=True).dropna(subset=["missed"])
    return table.sort_values(["day", "group"], ignore_index=True)
