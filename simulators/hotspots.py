"""Crime hotspots: a toy city where patrols follow records and records follow patrols.

The world (``simulators/hotspot_city.py``)
-----------------------------------------
A square city of ``grid_size x grid_size`` map squares ("areas"), split into 16
neighbourhoods (a 4 x 4 patchwork); 6 of them, picked at random, are group B's, the
rest group A's. Every area has a true daily crime rate from one skewed distribution
(a few busy areas, many quiet ones), sampled so that every neighbourhood gets the same
mix of busy and quiet streets; group B's rates are then multiplied by
``crime_rate_ratio`` (1 by default: the same crime in both groups' areas).

Each day crime happens (Poisson counts per area). It enters police records in two
ways:

- a victim reports it, with probability ``REPORT_RATE`` in group A's areas and
  ``REPORT_RATE * (1 - reporting_gap)`` in group B's (after Akpinar et al. 2021);
- a patrol in that area finds it, with probability ``DISCOVERY_RATE`` for each crime
  nobody reported. As for drug offences, most of what gets recorded is what patrols
  find, so the records say as much about where patrols went as about where crime is.

With ``new_estate``, a new housing estate opens on day ``change_day`` on the quietest
patch of land in one of group B's neighbourhoods, and its squares get
``ESTATE_EXTRA`` more crimes a day each. The extra crime is drawn apart from the rest,
so the same world number gives the same days with or without the estate.

The past
--------
For ``HISTORY_DAYS`` days before day 1 patrols were placed by people: a share
``historic_patrol_bias`` of each day's patrols was kept for group B's areas whatever
their crime, the rest went anywhere, busier squares more often. Those records are
what the AI starts from.

The AI (a documented count model, in the spirit of PredPol-style tools)
----------------------------------------------------------------------
It keeps an exponentially weighted count of recorded crime per area::

    memory[t] = DECAY * memory[t-1] + counted[t]

and scores each area by its memory blended with its neighbours'. Each morning the
``n_patrols`` areas with the highest score get a patrol, and that day's records feed
tomorrow's score: the feedback loop of Ensign et al. (2018).

What it counts (``mitigation``, after Ensign et al. 2018):

- ``"none"``: every recorded crime, reported or found.
- ``"reported_only"``: only crimes victims reported; patrols' finds are ignored.
- ``"discount_discoveries"``: a crime a patrol found counts
  ``min(1, average patrol rate / this area's patrol rate)``, as if every area had
  been patrolled equally often.
- ``"exploration"``: everything counts, but a share ``exploration`` of the patrols
  goes to areas picked at random among the rest.

The audit and the monitor
-------------------------
Fairlearn audits the last ``AUDIT_DAYS`` days (fewer if the run is shorter): one row
per area per day, ``y_true`` = a real hotspot that day (one of the ``n_patrols`` areas
with the highest true rate), ``y_pred`` = patrolled, ``sensitive`` = the area's group.
One day alone can mislead: the page names the window.

The monitor (``simulators/monitoring.py``) follows each group's share of real
hotspots missed, over the last ``MONITOR_DAYS`` days, every day; the AI is checked on
day ``CHECK_DAY`` and a flag is raised the first day a group's line is
``monitor_limit`` worse than at the check.

>>> out = simulate(HotspotConfig(days=30, seed=1))
>>> sorted(out.history.columns)
['day', 'group', 'patrol_share', 'recorded_share', 'true_crime_share']
>>> int(out.y_pred @ out.weight), int(out.y_true @ out.weight), out.patrols.shape
(1200, 1200, (30, 20, 20))
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from simulators import hotspot_city as world
from simulators.config import Preset, SimConfig, setting, settings_of, validate
from simulators.fairness import Outcome, b_minus_a
from simulators.messages import N_
from simulators.monitoring import first_flag, group_lines, monitor_table
from simulators.terms import Terms

#: Share of crimes a victim reports, in group A's areas.
REPORT_RATE = 0.15
#: Chance that a patrol finds a given unreported crime in the area it is in that day.
DISCOVERY_RATE = 0.8
#: Days of patrols placed by people before the AI takes over.
HISTORY_DAYS = 60
#: How much of yesterday's memory the AI keeps each day.
DECAY = 0.95
#: The made-up city the presets (and the defaults) use: it tells each story plainly.
CITY = 10
#: Fairlearn audits this many last days of a run.
AUDIT_DAYS = 30
#: The monitor's lines each cover this many days.
MONITOR_DAYS = 14
#: The AI is checked on this day (1-based): the monitor compares later days with it.
CHECK_DAY = 30

MITIGATION_CHOICES = {
    "none": N_("No fix: count every recorded crime"),
    "reported_only": N_("Learn only from crimes victims report"),
    "discount_discoveries": N_("Count patrols' finds less where patrols already go"),
    "exploration": N_("Send some patrols to random areas"),
}

TERMS = Terms(
    harm="false_positive_rate",
    headline=N_(
        "On an average day, patrols went to {first} in every 100 of {first_group} that "
        "were not hotspots, and {second} in every 100 of {second_group}."),
    labels={
        "selection_rate": N_("Patrolled, of all areas"),
        "true_positive_rate": N_("Real hotspots patrolled"),
        "false_negative_rate": N_("Real hotspots with no patrol"),
        "false_positive_rate": N_("Quiet areas patrolled"),
    },
    meanings={
        "selection_rate": N_("Out of every 100 areas, how many got a patrol on an average "
                             "day."),
        "true_positive_rate": N_(
            "Out of every 100 real hotspots, how many got a patrol on an average day. "
            "Higher is better."),
        "false_negative_rate": N_(
            "Out of every 100 real hotspots, how many got no patrol on an average day. "
            "Lower is better: crime there goes on unseen."),
        "false_positive_rate": N_(
            "Out of every 100 quiet areas (not real hotspots), how many got a patrol on "
            "an average day. Lower is better: people there are watched more for no "
            "reason."),
        "accuracy": N_("Out of every 100 areas, how many the AI judged right on an "
                       "average day."),
    },
    flagged=N_("patrolled"),
    group_names={"A": N_("group A's areas"), "B": N_("group B's areas")},
)
#: The headline when real hotspots going without a patrol is the bigger gap.
MISSED_HEADLINE = N_(
    "On an average day, {first} in every 100 real hotspots in {first_group} had no "
    "patrol, and {second} in every 100 in {second_group}.")


@dataclass(frozen=True)
class HotspotConfig(SimConfig):
    """Settings of the hotspots city. Every field: default, range, plain label."""

    historic_patrol_bias: float = setting(
        0.0,
        label=N_("Past patrols kept for group B's areas, whatever their crime"),
        help=N_("Before the AI, people placed the patrols. Of every 100 patrols each day, "
                "this many were kept for group B's areas whatever their crime; the rest "
                "went where crime was, anywhere in the city."),
        min=0.0, max=0.5, step=0.05, bias=True, unit=N_("{n} in 100 patrols"),
    )
    reporting_gap: float = setting(
        0.0,
        label=N_("How much less often victims in group B's areas report crime"),
        help=N_("For every 100 crimes victims in group A's areas would report, victims in "
                "group B's report this many fewer, for example because they trust the "
                "police less."),
        min=0.0, max=0.5, step=0.05, bias=True, unit=N_("{n} in 100 fewer reports"),
    )
    crime_rate_ratio: float = setting(
        1.0,
        label=N_("Real crime in group B's areas"),
        help=N_("How much real crime group B's areas have for every 100 crimes in the "
                "same number of group A's areas. 100 means the same."),
        min=0.5, max=2.0, step=0.1, scale=100, unit=N_("{n} for every 100 in group A's"),
    )
    mitigation: str = setting(
        "none",
        label=N_("How the AI is fixed"),
        help=N_("Ways researchers have suggested to break the loop. Each one helps in some "
                "worlds and fails in others."),
        choices=MITIGATION_CHOICES,
    )
    exploration: float = setting(
        0.2,
        label=N_("Patrols sent to random areas"),
        help=N_("Only used with 'Send some patrols to random areas': of every 100 patrols, "
                "this many go to areas picked at random, so fewer go where the AI "
                "expects crime."),
        min=0.0, max=0.5, step=0.05, unit=N_("{n} in 100 patrols"),
    )
    new_estate: bool = setting(
        False,
        label=N_("A new estate opens in one of group B's neighbourhoods part-way through"),
        help=N_("On the day set under 'More settings', new homes open on quiet land in one "
                "of group B's neighbourhoods, and crime there rises. Does the AI notice? "
                "Does the monitor?"),
    )
    monitor_limit: float = setting(
        0.25,
        label=N_("Raise a flag when a group's hotspots are missed more often by"),
        help=N_("The monitor compares each group with the day the AI was checked. When "
                "the share of a group's real hotspots with no patrol has grown by this "
                "much, it raises a flag for a person to look into."),
        min=0.05, max=0.8, step=0.05, unit=N_("{n} in 100 more"),
    )
    change_day: int = setting(
        60,
        label=N_("Day the new estate opens"),
        help=N_("Only used with the new estate."),
        min=40, max=360, step=10, advanced=True, unit=N_("day {n}"),
    )
    n_patrols: int = setting(
        40,
        label=N_("Patrols each day"),
        help=N_("How many map squares get a patrol each day."),
        min=5, max=50, step=1, advanced=True, unit=N_("{n} patrols"),
    )
    days: int = setting(
        120,
        label=N_("Days the AI runs"),
        help=N_("How many days the AI decides where patrols go."),
        min=1, max=365, step=1, advanced=True, unit=N_("{n} days"),
    )
    grid_size: int = setting(
        20,
        label=N_("City size (squares on each side)"),
        help=N_("The city map is this many squares wide and this many tall."),
        min=10, max=40, step=1, advanced=True,
    )
    seed: int = setting(
        CITY,
        label=N_("World number"),
        help=N_("Each number makes a different made-up city. The same number always gives "
                "the same city."),
        min=0, max=9999, advanced=True,
    )

    def __post_init__(self) -> None:
        if not isinstance(self.new_estate, bool):
            label = dict((n, m.label) for n, m, _ in settings_of(self))["new_estate"]
            raise ValueError(f"new_estate ({label}) must be true or false, got "
                             f"{self.new_estate!r}")
        super().__post_init__()


@dataclass(kw_only=True)
class HotspotOutcome(Outcome):
    """What a run of the city produced. Grids are row-major squares, ``(days, n, n)``
    for the maps; the Fairlearn rows are every square on each audited day.

    - ``history``: one row per day and group: ``day``, ``group``, ``patrol_share``
      (share of that day's patrols in the group's areas), ``recorded_share`` (of that
      day's recorded crime), ``true_crime_share`` (of that day's real crime).
    - ``loop``: over the run, ``found_share`` (of recorded crime, the share patrols
      found rather than victims reported), ``recorded_with_patrol`` and
      ``recorded_without_patrol`` (of real crime in squares with a patrol that day, and
      without one, the share recorded).
    - ``past``: per group, its share of the patrols people placed before the AI and of
      the real crime in those days.
    - ``true_rate``, ``hotspots``: ``(2, n, n)``, before and after the estate opens
      (the same twice without it): real crimes a day on average, and the
      ``n_patrols`` busiest squares.
    - ``change_day``: the 0-based day the estate opens, ``None`` if not in this run;
      ``estate``: its squares, ``(n, n)`` (none without it).
    - ``risk`` (float32), ``recorded`` and ``reported`` (uint8: crimes written down,
      and those victims reported), ``patrols`` (bool): ``(days, n, n)``.
    - ``audit_days``: how many last days the Fairlearn rows cover.
    - ``monitor``: one row per day and group (see ``monitoring.monitor_table``);
      ``check_day``: the 0-based day the AI was checked (``None`` if the run is too
      short); ``flag_day``, ``flag_group``: when and for whom the monitor raised a
      flag (``None`` if it did not).
    """

    config: HotspotConfig
    history: pd.DataFrame
    loop: dict[str, float]
    past: dict[str, dict[str, float]]
    true_rate: np.ndarray
    hotspots: np.ndarray
    change_day: int | None
    estate: np.ndarray
    risk: np.ndarray
    recorded: np.ndarray
    reported: np.ndarray
    patrols: np.ndarray
    group_grid: np.ndarray
    neighbourhood: np.ndarray
    audit_days: int
    monitor: pd.DataFrame
    check_day: int | None
    flag_day: int | None
    flag_group: str | None

    def hotspots_on(self, day: int) -> np.ndarray:
        """The real hotspots on a 0-based day, ``(n, n)``."""
        return self.hotspots[int(self.change_day is not None and day >= self.change_day)]

    def rate_on(self, day: int) -> np.ndarray:
        """Real crimes a day on average, on a 0-based day, ``(n, n)``."""
        return self.true_rate[int(self.change_day is not None and day >= self.change_day)]


def _draws(rng: np.random.Generator, rate: np.ndarray, report_p: np.ndarray,
           days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Crimes, the ones victims report, and the ones a patrol would find: ``(days, cells)``."""
    crimes = rng.poisson(rate, size=(days, rate.size))
    reported = rng.binomial(crimes, report_p)
    findable = rng.binomial(crimes - reported, DISCOVERY_RATE)
    return crimes, reported, findable


def simulate(config: HotspotConfig, *, lean: bool = False) -> HotspotOutcome:
    """Run the city for ``config.days`` days; audit the last days; watch every day.
    (``lean`` is accepted for ``simulators/chance.py``; nothing here is worth skipping.)"""
    validate(config)
    rng = np.random.default_rng(config.seed)
    n, days, k = config.grid_size, config.days, config.n_patrols
    cells = n * n
    hood, is_b_grid = world.city(n, rng)
    rate_grid = world.true_rates(hood, is_b_grid, config.crime_rate_ratio, rng)
    site = world.estate_site(hood, is_b_grid, rate_grid, rng)
    is_b, rate = is_b_grid.ravel(), rate_grid.ravel()

    # All the chance in the world, drawn up front: crime, reports, what a patrol would find.
    total = HISTORY_DAYS + days
    report_p = np.where(is_b, REPORT_RATE * (1 - config.reporting_gap), REPORT_RATE)
    crimes, reported, findable = _draws(rng, rate, report_p, total)
    change = config.change_day - 1 if config.new_estate and config.change_day <= days else None
    estate = site if change is not None else np.zeros_like(site)
    extra = np.where(estate.ravel(), world.ESTATE_EXTRA, 0.0)
    if change is not None:  # the estate's crime, from its own stream of chance
        more = _draws(np.random.default_rng([config.seed, 1]), extra, report_p,
                      days - change)
        for whole, part in zip((crimes, reported, findable), more, strict=True):
            whole[HISTORY_DAYS + change:] += part

    past = world.past_patrols(rate, is_b, HISTORY_DAYS, k, config.historic_patrol_bias, rng)
    tie_break = rng.random((days, cells)) * 1e-6
    n_explore = round(config.exploration * k) if config.mitigation == "exploration" else 0
    explore_keys = rng.random((days, cells)) if n_explore else None
    mixer = world.neighbour_mixer(n)
    fair_rate = k / cells  # each area's patrol rate if patrols were spread evenly

    memory = np.zeros(cells)
    patrol_rate = np.zeros(cells)
    risk_log = np.empty((days, cells), dtype=np.float32)
    patrol_log = np.zeros((days, cells), dtype=bool)
    for t in range(total):
        if t < HISTORY_DAYS:
            patrol = past[t]
        else:
            d = t - HISTORY_DAYS
            risk = mixer @ memory + tie_break[d]
            risk_log[d] = risk
            patrol = patrol_log[d]
            top = np.argpartition(-risk, k - n_explore - 1)[: k - n_explore]
            patrol[top] = True
            if n_explore:
                keys = explore_keys[d].copy()
                keys[top] = 2.0
                patrol[np.argpartition(keys, n_explore - 1)[:n_explore]] = True
        found = findable[t] * patrol
        patrol_rate = DECAY * patrol_rate + (1 - DECAY) * patrol
        if config.mitigation == "reported_only":
            counted = reported[t]
        elif config.mitigation == "discount_discoveries":
            discount = np.minimum(1.0, fair_rate / np.maximum(patrol_rate, 1e-9))
            counted = reported[t] + found * discount
        else:
            counted = reported[t] + found
        memory = DECAY * memory + counted

    live = slice(HISTORY_DAYS, None)
    found = findable[live] * patrol_log
    recorded = reported[live] + found
    rates = np.stack([rate, rate + extra])
    hot = np.zeros((2, cells), dtype=bool)
    for i in range(2):
        hot[i, np.argsort(-rates[i], kind="stable")[:k]] = True
    opened = np.arange(days) >= (days if change is None else change)
    hot_daily = hot[opened.astype(int)]  # each day's real hotspots
    groups = np.where(is_b, "B", "A")

    audit = min(AUDIT_DAYS, days)
    lines = group_lines(hot_daily, patrol_log, groups, MONITOR_DAYS)
    check = CHECK_DAY - 1 if days >= CHECK_DAY else None
    flag = first_flag(lines, check, config.monitor_limit) if check is not None else None
    y_true, y_pred, sensitive, weight = _audit_rows(
        hot_daily[-audit:], patrol_log[-audit:], is_b)
    outcome = HotspotOutcome(
        y_true=y_true,
        y_pred=y_pred,
        sensitive=sensitive,
        weight=weight,
        terms=TERMS,
        config=config,
        history=_history(patrol_log, recorded, crimes[live], is_b),
        loop=_loop(crimes[live], recorded, found, patrol_log),
        past=_past(past, crimes[:HISTORY_DAYS], is_b),
        true_rate=rates.reshape(2, n, n).astype(np.float32),
        hotspots=hot.reshape(2, n, n),
        change_day=change,
        estate=estate,
        risk=risk_log.reshape(days, n, n),
        recorded=_counts(recorded).reshape(days, n, n),
        reported=_counts(reported[live]).reshape(days, n, n),
        patrols=patrol_log.reshape(days, n, n),
        group_grid=groups.reshape(n, n),
        neighbourhood=hood,
        audit_days=audit,
        monitor=monitor_table(lines),
        check_day=check,
        flag_day=flag[0] if flag else None,
        flag_group=flag[1] if flag else None,
    )
    if harm_of(config) == "false_negative_rate":
        outcome.terms = replace(TERMS, harm="false_negative_rate", headline=MISSED_HEADLINE)
    return outcome


def chance_measures(outcome: HotspotOutcome) -> dict[str, float]:
    """What the page compares, for ``simulators/chance.py`` to spread over fair cities:
    B minus A in every rate (``gap:``), and how far group B's share of the patrols ran
    above its share of the real crime over the audited days (``b_excess``)."""
    h = outcome.history[outcome.history["group"] == "B"].iloc[-outcome.audit_days:]
    excess = float(h["patrol_share"].mean() - h["true_crime_share"].mean())
    return {**b_minus_a(outcome), "b_excess": excess}


def harm_of(config: HotspotConfig) -> str:
    """The headline rate, from what the settings do to group B: real hotspots left
    without a patrol where victims there report less, or where a new estate brings
    crime the records have not seen; quiet areas over-patrolled otherwise. Chosen from
    the settings, not from the run, so chance never picks the headline."""
    if config.reporting_gap > 0 or config.new_estate:
        return "false_negative_rate"
    return "false_positive_rate"


def _counts(x: np.ndarray) -> np.ndarray:
    """Daily counts of one square as uint8 (a square's crimes in a day are a handful;
    255 is far beyond the busiest), kept small for the cache."""
    return np.minimum(x, 255).astype(np.uint8)


def _audit_rows(hot: np.ndarray, patrolled: np.ndarray, is_b: np.ndarray) -> tuple:
    """Fairlearn's rows for every area on every audited day, as one weighted row per
    kind of case (group, real hotspot or not, patrolled or not): the same audit as
    one row per area and day, from at most 8 rows."""
    kind = 4 * is_b[None, :].astype(int) + 2 * hot.astype(int) + patrolled.astype(int)
    count = np.bincount(kind.ravel(), minlength=8)
    kinds = np.flatnonzero(count)
    sensitive = pd.Series(np.where(kinds >= 4, "B", "A"), name="area group")
    return (kinds // 2) % 2, kinds % 2, sensitive, count[kinds]


def _group_shares(x: np.ndarray, is_b: np.ndarray) -> np.ndarray:
    """Each group's share (A, B) of a ``(days, cells)`` count, day by day; nan for none."""
    per_group = x @ np.c_[~is_b, is_b].astype(float)
    tot = per_group.sum(axis=1, keepdims=True)
    return np.divide(per_group, tot, out=np.full_like(per_group, np.nan), where=tot > 0)


def _history(
    patrols: np.ndarray, recorded: np.ndarray, crimes: np.ndarray, is_b: np.ndarray
) -> pd.DataFrame:
    """One row per day and group with each group's share of patrols, records and crime."""
    days = patrols.shape[0]
    return pd.DataFrame(
        {
            "day": np.repeat(np.arange(days), 2),
            "group": np.tile(["A", "B"], days),
            "patrol_share": _group_shares(patrols.astype(float), is_b).ravel(),
            "recorded_share": _group_shares(recorded.astype(float), is_b).ravel(),
            "true_crime_share": _group_shares(crimes.astype(float), is_b).ravel(),
        }
    )


def _loop(crimes: np.ndarray, recorded: np.ndarray, found: np.ndarray,
          patrolled: np.ndarray) -> dict[str, float]:
    """How records follow patrols, over the run (see ``HotspotOutcome.loop``)."""
    def share(part: np.ndarray, whole: np.ndarray) -> float:
        total = whole.sum()
        return float(part.sum() / total) if total else float("nan")

    return {
        "found_share": share(found, recorded),
        "recorded_with_patrol": share(recorded[patrolled], crimes[patrolled]),
        "recorded_without_patrol": share(recorded[~patrolled], crimes[~patrolled]),
    }


def _past(patrols: np.ndarray, crimes: np.ndarray, is_b: np.ndarray) -> dict:
    """Each group's share of the past patrols and of the real crime in those days."""
    p = _group_shares(patrols.sum(axis=0, keepdims=True).astype(float), is_b)[0]
    c = _group_shares(crimes.sum(axis=0, keepdims=True).astype(float), is_b)[0]
    return {g: {"patrol_share": float(p[i]), "true_crime_share": float(c[i])}
            for i, g in enumerate("AB")}


# --------------------------------------------------------------------------- presets

_BIASED = dict(historic_patrol_bias=0.5)

PRESETS: list[Preset] = [
    Preset(
        "fair_start",
        N_("A fair start"),
        N_("In this city the patrols of the past followed real crime, and both groups' "
           "areas have the same crime. Group B's share of the patrols stays close to its "
           "share of real crime."),
        HotspotConfig(),
    ),
    Preset(
        "biased_history",
        N_("A biased past"),
        N_("Before the AI took over, police sent far more patrols to group B's areas than "
           "their crime called for, so that is where most crime was found and written "
           "down. The AI learns from those records and keeps sending patrols back, day "
           "after day: the loop feeds itself."),
        HotspotConfig(**_BIASED),
    ),
    Preset(
        "reports_only",
        N_("A fix: learn only from reports"),
        N_("Now the AI learns only from crimes that victims report, not from what patrols "
           "happen to find. Patrols drift back to where crime really is."),
        HotspotConfig(**_BIASED, mitigation="reported_only"),
    ),
    Preset(
        "reporting_gap",
        N_("The fix backfires"),
        N_("But people in group B's areas report crime less often, for example because "
           "they trust the police less. Learning only from reports now leaves group B's "
           "real hotspots without patrols: no fix is free."),
        HotspotConfig(**_BIASED, reporting_gap=0.4, mitigation="reported_only"),
    ),
    Preset(
        "random_patrols",
        N_("Random patrols"),
        N_("Here some patrols go to areas picked at random, so the AI sees more of the "
           "city. It costs patrols at real hotspots, and the loop only loosens, because "
           "finds still pile up where patrols already go."),
        HotspotConfig(**_BIASED, mitigation="exploration", exploration=0.3),
    ),
    Preset(
        "new_estate",
        N_("The city changes"),
        N_("A fair start, but part-way through a new estate opens on quiet land in one of "
           "group B's neighbourhoods. Open 'Watching it over time' to see whether the AI "
           "notices, and whether the monitor does."),
        HotspotConfig(new_estate=True),
    ),
]
