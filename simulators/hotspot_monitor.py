"""The hotspots' monitor tried on many made-up cities: how often it cries wolf, and how
often it catches a change. Pure Python, no Streamlit.

One city can mislead: a monitor whose flag is raised by chance is a monitor people learn
to ignore. :func:`towns` runs the monitor over ``simulators.chance.TOWNS`` cities with
the room's settings (no bias, so a false alarm is the monitor's own), for every way the
AI learns, with and without the new estate; :func:`monitor_rates` reads any limit off
those runs. Declared as work over towns of the hotspots use case
(``simulators/registry.py``), it is worked out once for the room, in the background.
"""

from __future__ import annotations

import numpy as np

from simulators.chance import FIRST_TOWN, TOWNS, fair_config
from simulators.hotspot_views import monitor_lines
from simulators.hotspots import MITIGATION_CHOICES, HotspotConfig, HotspotOutcome, simulate
from simulators.monitoring import per_100, worst_worsening


def monitor_key(config: HotspotConfig) -> HotspotConfig:
    """What :func:`towns` depends on: the settings that are not bias, without
    the World number, the fix, the estate and the limit (each is varied or read
    afterwards). The monitor is tried on cities with no bias: a false alarm there is
    the monitor's own, not the past's."""
    return fair_config(config).replace(
        mitigation="none", new_estate=False, monitor_limit=HotspotConfig().monitor_limit)


def towns(config: HotspotConfig) -> dict[str, dict[str, tuple[float, ...]]]:
    """The monitor over ``TOWNS`` made-up cities with ``config``'s settings and no bias,
    for every way the AI learns: per fix, in each city without a change, the most a line got
    worse after the check (``quiet``); with the new estate, the most before it opened
    (``before``) and from the day it opened (``after``). A limit at or under ``quiet``
    is a false alarm; one above ``before`` and at or under ``after`` catches the
    estate (:func:`monitor_rates`)."""
    base = monitor_key(config)
    out: dict[str, dict[str, tuple[float, ...]]] = {}
    for fix in MITIGATION_CHOICES:
        quiet, before, after = [], [], []
        for i in range(TOWNS):
            town = base.replace(seed=FIRST_TOWN + i, mitigation=fix)
            plain = simulate(town)
            if plain.check_day is None:
                continue
            lines = _lines(plain)
            quiet.append(worst_worsening(lines, plain.check_day, plain.check_day + 1))
            changed = simulate(town.replace(new_estate=True))
            if changed.change_day is None or changed.change_day <= changed.check_day:
                continue
            lines = _lines(changed)
            before.append(worst_worsening(lines, changed.check_day, changed.check_day + 1,
                                          changed.change_day))
            after.append(worst_worsening(lines, changed.check_day, changed.change_day))
        out[fix] = {"quiet": tuple(quiet), "before": tuple(before), "after": tuple(after)}
    return out


def _lines(outcome: HotspotOutcome) -> dict[str, np.ndarray]:
    wide = monitor_lines(outcome).reindex(range(outcome.config.days))
    return {g: wide[g].to_numpy() for g in wide.columns}


def monitor_rates(runs: dict[str, dict[str, tuple[float, ...]]], limit: float
                  ) -> dict[str, dict[str, float]]:
    """Per fix, at ``limit``: the share of cities with no change where the monitor
    raised a flag (``false_alarm``), and of cities with the new estate where its first
    flag came once the estate had opened (``caught``); ``runs`` is :func:`towns`.
    Limits are compared in whole counts out of 100, as the flag compares them."""
    bar = per_100(limit)

    def share(hit: np.ndarray) -> float:
        return float(hit.mean()) if hit.size else float("nan")

    out = {}
    for fix, t in runs.items():
        quiet, before, after = (per_100(np.array(t[k])) for k in ("quiet", "before", "after"))
        out[fix] = {"false_alarm": share(quiet >= bar),
                    "caught": share((before < bar) & (after >= bar)),
                    "cities": len(t["quiet"])}
    return out



def towns_key(config: HotspotConfig) -> str:
    """What :func:`towns` depends on, as a key for the cache."""
    return repr(monitor_key(config))
