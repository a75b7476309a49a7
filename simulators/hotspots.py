"""Crime hotspots: a toy city where patrols follow records and records follow patrols.

The world
---------
A square city of ``grid_size x grid_size`` map squares ("areas"), split into 16
neighbourhoods (a 4 x 4 patchwork); 6 of them, picked at random, are group B's, the
rest group A's. Every area has a true daily crime rate from one skewed distribution
(a few busy areas, many quiet ones), sampled so that every neighbourhood gets the same
mix of busy and quiet streets; group B's rates are then multiplied by
``crime_rate_ratio`` (1 by default: the same crime in both groups' areas).

Each day crime happens (Poisson counts per area). It enters police records in two
ways:

- a victim reports it, with probability ``REPORT_RATE`` in group A's areas and
  ``REPORT_RATE * (1 - reporting_gap)`` in group B's (Akpinar et al. 2021);
- a patrol in that area finds it, with probability ``DISCOVERY_RATE`` for each crime
  nobody reported. As for drug offences, most of what gets recorded is what patrols
  find (about 6 in 10 recorded crimes at the defaults), so the records say as much
  about where patrols went as about where crime is.

The past
--------
For ``HISTORY_DAYS`` days before day 0 patrols were placed by people: at random,
in proportion to each area's real crime, but with group B's areas weighted
``1 + HISTORIC_BIAS_STRENGTH * historic_patrol_bias`` times more for the same crime.
Those records are what the model starts from.

The model (a documented count model, in the spirit of PredPol-style tools)
----------------------------------------------------------------------------
The model keeps an exponentially weighted count of recorded crime per area::

    memory[t] = DECAY * memory[t-1] + counted[t]

so a crime recorded a week ago counts ``DECAY**7`` (about 0.7) of one recorded
today. Its risk score for an area blends the area's memory with the mean of its
up-to-8 neighbours' (crime spills over to the next street)::

    risk = (1 - SPILLOVER) * memory + SPILLOVER * neighbour_mean(memory)

Each morning the ``n_patrols`` areas with the highest risk get a patrol, and that
day's records feed tomorrow's risk: the feedback loop of Ensign et al. (2018).

What the model counts (``mitigation``, after Ensign et al. 2018):

- ``"none"``: every recorded crime, reported or found.
- ``"reported_only"``: only crimes victims reported; patrols' finds are ignored.
- ``"discount_discoveries"``: a crime a patrol found counts
  ``min(1, average patrol rate / this area's patrol rate)``, where an area's patrol
  rate is its exponentially weighted share of days with a patrol: as if every area
  had been patrolled equally often, so areas patrolled every day stop piling up finds.
- ``"exploration"``: everything counts, but a share ``exploration`` of the patrols
  goes to areas picked at random among the rest, so the model sees beyond its habits.

The audit (one row per area): ``y_true`` = a real hotspot (one of the ``n_patrols``
areas with the highest true rate), ``y_pred`` = patrolled on the last day,
``sensitive`` = the area's group.

>>> out = simulate(HotspotConfig(days=30, seed=1))
>>> sorted(out.history.columns)
['day', 'group', 'patrol_share', 'recorded_share', 'true_crime_share']
>>> int(out.y_pred.sum()), int(out.y_true.sum()), out.patrols.shape
(40, 40, (30, 20, 20))
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse, special

from simulators.config import Preset, SimConfig, setting, validate
from simulators.fairness import Outcome, Terms
from workshop.i18n import N_

#: Share of crimes a victim reports, in group A's areas.
REPORT_RATE = 0.15
#: Chance that a patrol finds a given unreported crime in the area it is in that day.
DISCOVERY_RATE = 0.8
#: Days of human-placed patrols before the model takes over.
HISTORY_DAYS = 60
#: How much more group B's areas were patrolled for the same crime at full historic bias.
HISTORIC_BIAS_STRENGTH = 4.0
#: How much of yesterday's memory the model keeps each day.
DECAY = 0.95
#: Weight of the neighbours' records in an area's risk score.
SPILLOVER = 0.3
#: Mean true crimes per area per day.
MEAN_RATE = 0.5
#: Spread of true rates (standard deviation of their logarithm).
RATE_SPREAD = 0.9
#: The made-up city the presets (and the defaults) use: it tells each story plainly.
CITY = 10
#: The city is a 4 x 4 patchwork of neighbourhoods; this many belong to group B.
NEIGHBOURHOODS_PER_SIDE = 4
B_NEIGHBOURHOODS = 6

MITIGATION_CHOICES = {
    "none": N_("No fix: count every recorded crime"),
    "reported_only": N_("Learn only from crimes victims report"),
    "discount_discoveries": N_("Count patrols' finds less where patrols already go"),
    "exploration": N_("Send some patrols to random areas"),
}

TERMS = Terms(
    harm="false_positive_rate",
    headline=N_(
        "Of every 100 areas that were not hotspots, patrols were sent to {first} of "
        "{first_group} and {second} of {second_group}."),
    labels={
        "selection_rate": N_("Patrolled, of all areas"),
        "true_positive_rate": N_("True hotspots patrolled"),
        "false_negative_rate": N_("True hotspots missed"),
        "false_positive_rate": N_("Patrolled, though not a hotspot"),
    },
    meanings={
        "selection_rate": N_("Out of every 100 areas, how many got a patrol."),
        "true_positive_rate": N_(
            "Out of every 100 areas that were true hotspots, how many got a patrol. Higher "
            "is better."),
        "false_negative_rate": N_(
            "Out of every 100 areas that were true hotspots, how many got no patrol."),
        "false_positive_rate": N_(
            "Out of every 100 areas that were not hotspots, how many got a patrol anyway. "
            "Lower is better: people there are watched more for no reason."),
        "accuracy": N_("Out of every 100 areas, how many the computer judged right."),
    },
    flagged=N_("patrolled"),
    group_names={"A": N_("group A areas"), "B": N_("group B areas")},
)


@dataclass(frozen=True)
class HotspotConfig(SimConfig):
    """Settings of the hotspots city. Every field: default, range, plain label."""

    historic_patrol_bias: float = setting(
        0.0,
        label=N_("Extra patrols in group B's areas in the past"),
        help=(
            N_("Before the computer took over, did police patrol group B's areas more than "
            "their crime explained? 0 means no: patrols followed crime. 1 means group B's "
            "areas got five times the patrols for the same crime.")
        ),
        min=0.0,
        max=1.0,
        step=0.05,
        bias=True,
    )
    reporting_gap: float = setting(
        0.0,
        label=N_("How much less often victims in group B's areas report crime"),
        help=(
            N_("0 means victims everywhere call the police equally often. 0.5 means victims in "
            "group B's areas report only half as often, for example because they trust "
            "the police less.")
        ),
        min=0.0,
        max=0.5,
        step=0.05,
        bias=True,
    )
    crime_rate_ratio: float = setting(
        1.0,
        label=N_("Real crime in group B's areas compared with group A's"),
        help=(
            N_("1 means the same amount of real crime in both groups' areas. 2 means twice "
            "as much in group B's; 0.5 means half as much.")
        ),
        min=0.5,
        max=2.0,
        step=0.1,
    )
    mitigation: str = setting(
        "none",
        label=N_("How the computer is fixed"),
        help=(
            N_("Ways researchers have suggested to break the loop. Each one helps in some "
            "worlds and fails in others.")
        ),
        choices=MITIGATION_CHOICES,
    )
    exploration: float = setting(
        0.2,
        label=N_("Share of patrols sent to random areas"),
        help=(
            N_("Only used with 'Send some patrols to random areas'. 0.2 means 2 in every 10 "
            "patrols go to areas picked at random, so fewer go where the computer "
            "expects crime.")
        ),
        min=0.0,
        max=0.5,
        step=0.05,
    )
    n_patrols: int = setting(
        40,
        label=N_("Patrols each day"),
        help=N_("How many map squares get a patrol each day."),
        min=5,
        max=50,
        advanced=True,
    )
    days: int = setting(
        120,
        label=N_("Days the computer runs"),
        help=N_("How many days the computer decides where patrols go."),
        min=1,
        max=365,
        advanced=True,
    )
    grid_size: int = setting(
        20,
        label=N_("City size (squares on each side)"),
        help=N_("The city map is this many squares wide and this many tall."),
        min=10,
        max=40,
        advanced=True,
    )
    seed: int = setting(
        CITY,
        label=N_("World number"),
        help=N_("Each number makes a different made-up city. The same number always gives "
        "the same city."),
        min=0,
        max=9999,
        advanced=True,
    )


@dataclass(kw_only=True)
class HotspotOutcome(Outcome):
    """One row per map square (row-major). Grids are ``(days, n, n)`` for the maps.

    - ``history``: one row per day and group: ``day``, ``group``, ``patrol_share``
      (share of that day's patrols in the group's areas), ``recorded_share`` (share of
      that day's recorded crime), ``true_crime_share`` (share of that day's real crime).
    - ``true_rate``: real crimes per day on average, ``(n, n)`` float32.
    - ``risk``: the model's risk score each morning, ``(days, n, n)`` float32.
    - ``recorded``: crimes recorded each day, ``(days, n, n)`` int16.
    - ``patrols``: where patrols went each day, ``(days, n, n)`` bool.
    - ``group_grid``: ``"A"``/``"B"`` per square; ``neighbourhood``: 0-15 per square.
    """

    config: HotspotConfig
    history: pd.DataFrame
    true_rate: np.ndarray
    risk: np.ndarray
    recorded: np.ndarray
    patrols: np.ndarray
    group_grid: np.ndarray
    neighbourhood: np.ndarray


def _city(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Neighbourhood id (0-15) per square and whether it is group B's."""
    k = NEIGHBOURHOODS_PER_SIDE
    band = np.arange(n) * k // n
    hood = band[:, None] * k + band[None, :]
    b_hoods = rng.choice(k * k, size=B_NEIGHBOURHOODS, replace=False)
    return hood, np.isin(hood, b_hoods)


def _true_rates(
    hood: np.ndarray, is_b: np.ndarray, ratio: float, rng: np.random.Generator
) -> np.ndarray:
    """Skewed rates, clustered into hot streets; the same mix in every neighbourhood.

    Each neighbourhood gets one rate from each slice of the same log-normal
    distribution (stratified sampling), placed along a smooth random field so that
    busy squares sit next to each other. So, before ``ratio``, group A and group B
    have the same crime, and the same share of the hotspots, by construction.
    """
    n = hood.shape[0]
    z = rng.normal(size=(n + 2, n + 2))
    field = z[1:-1, 1:-1] * 2 + z[:-2, 1:-1] + z[2:, 1:-1] + z[1:-1, :-2] + z[1:-1, 2:]
    h, f = hood.ravel(), field.ravel()
    order = np.lexsort((f, h))
    size = np.bincount(h)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    rank = np.empty(h.size)
    rank[order] = np.arange(h.size) - start[h[order]]
    u = (rank + rng.random(h.size)) / size[h]
    rate = MEAN_RATE * np.exp(RATE_SPREAD * special.ndtri(u) - RATE_SPREAD**2 / 2)
    rate = rate.reshape(n, n)
    return np.where(is_b, rate * ratio, rate)


def _neighbour_mixer(n: int) -> sparse.csr_matrix:
    """Matrix K with risk = memory @ K: own memory blended with the neighbours' mean."""
    idx = np.arange(n * n).reshape(n, n)
    rows, cols = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == 0 and dc == 0:
                continue
            a = idx[max(dr, 0): n + min(dr, 0), max(dc, 0): n + min(dc, 0)]
            b = idx[max(-dr, 0): n + min(-dr, 0), max(-dc, 0): n + min(-dc, 0)]
            rows.append(a.ravel())
            cols.append(b.ravel())
    r, c = np.concatenate(rows), np.concatenate(cols)
    deg = np.bincount(r, minlength=n * n).astype(float)
    neigh = sparse.csr_matrix((SPILLOVER / deg[r], (r, c)), shape=(n * n, n * n))
    return (neigh + sparse.identity(n * n, format="csr") * (1 - SPILLOVER)).tocsr()


def _top_k_rows(keys: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k largest keys in each row."""
    top = np.argpartition(-keys, k - 1, axis=1)[:, :k]
    mask = np.zeros(keys.shape, dtype=bool)
    np.put_along_axis(mask, top, True, axis=1)
    return mask


def simulate(config: HotspotConfig) -> HotspotOutcome:
    """Run the city for ``config.days`` days and audit the last day's patrols."""
    validate(config)
    rng = np.random.default_rng(config.seed)
    n, days, k = config.grid_size, config.days, config.n_patrols
    cells = n * n
    hood, is_b_grid = _city(n, rng)
    rate_grid = _true_rates(hood, is_b_grid, config.crime_rate_ratio, rng)
    is_b, rate = is_b_grid.ravel(), rate_grid.ravel()

    # All the chance in the world, drawn up front: crime, reports, what a patrol would find.
    total = HISTORY_DAYS + days
    report_p = np.where(is_b, REPORT_RATE * (1 - config.reporting_gap), REPORT_RATE)
    crimes = rng.poisson(rate, size=(total, cells))
    reported = rng.binomial(crimes, report_p)
    findable = rng.binomial(crimes - reported, DISCOVERY_RATE)

    # The past: people placed patrols, at random in proportion to crime, B weighted up.
    weight = rate * np.where(is_b, 1 + HISTORIC_BIAS_STRENGTH * config.historic_patrol_bias, 1)
    gumbel = -np.log(-np.log(rng.random((HISTORY_DAYS, cells))))
    past_patrols = _top_k_rows(np.log(weight) + gumbel, k)

    n_explore = round(config.exploration * k) if config.mitigation == "exploration" else 0
    explore_keys = rng.random((days, cells)) if n_explore else None
    tie_break = rng.random((days, cells)) * 1e-6
    mixer = _neighbour_mixer(n)
    fair_rate = k / cells  # each area's patrol rate if patrols were spread evenly

    memory = np.zeros(cells)
    patrol_rate = np.zeros(cells)
    risk_log = np.empty((days, cells), dtype=np.float32)
    patrol_log = np.zeros((days, cells), dtype=bool)
    for t in range(total):
        if t < HISTORY_DAYS:
            patrol = past_patrols[t]
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
    recorded = (reported[live] + findable[live] * patrol_log).astype(np.int16)
    history = _history(patrol_log, recorded, crimes[live], is_b)

    hotspot = np.zeros(cells, dtype=bool)
    hotspot[np.argsort(-rate, kind="stable")[:k]] = True
    groups = np.where(is_b, "B", "A")
    outcome = HotspotOutcome(
        y_true=hotspot,
        y_pred=patrol_log[-1],
        sensitive=pd.Series(groups, name="area group"),
        score=risk_log[-1],
        terms=TERMS,
        config=config,
        history=history,
        true_rate=rate_grid.astype(np.float32),
        risk=risk_log.reshape(days, n, n),
        recorded=recorded.reshape(days, n, n),
        patrols=patrol_log.reshape(days, n, n),
        group_grid=groups.reshape(n, n),
        neighbourhood=hood,
    )
    # The headline speaks of the bigger harm: quiet areas over-patrolled, or real
    # hotspots left without a patrol, whichever differs more between the groups.
    gaps = outcome.fairness.difference()
    if gaps["false_negative_rate"] > gaps["false_positive_rate"]:
        outcome.terms = replace(TERMS, harm="false_negative_rate")
    return outcome


def _history(
    patrols: np.ndarray, recorded: np.ndarray, crimes: np.ndarray, is_b: np.ndarray
) -> pd.DataFrame:
    """One row per day and group with each group's share of patrols, records and crime."""
    member = np.c_[~is_b, is_b].astype(float)  # cells x groups

    def shares(x: np.ndarray) -> np.ndarray:
        per_group = x @ member
        tot = per_group.sum(axis=1, keepdims=True)
        return np.divide(per_group, tot, out=np.full_like(per_group, np.nan), where=tot > 0)

    days = patrols.shape[0]
    return pd.DataFrame(
        {
            "day": np.repeat(np.arange(days), 2),
            "group": np.tile(["A", "B"], days),
            "patrol_share": shares(patrols.astype(float)).ravel(),
            "recorded_share": shares(recorded.astype(float)).ravel(),
            "true_crime_share": shares(crimes.astype(float)).ravel(),
        }
    )


# --------------------------------------------------------------------------- helpers
# Pure functions the page uses to draw and read the maps and the loop chart.


def shares_on(outcome: HotspotOutcome, day: int, group: str = "B") -> dict[str, float]:
    """A group's share of patrols, recorded crime and real crime on one day (0-based)."""
    h = outcome.history
    row = h[(h["day"] == day) & (h["group"] == group)].iloc[0]
    return {k: float(row[k]) for k in ("patrol_share", "recorded_share", "true_crime_share")}


def run_shares(outcome: HotspotOutcome, group: str = "B") -> dict[str, float]:
    """A group's shares averaged over the whole run, and over its first and last tenth.

    ``excess`` is how far the group's patrol share ran above its real crime share on
    average (negative: below); ``days_above`` is the share of days it was above.
    """
    h = outcome.history[outcome.history["group"] == group]
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


def hotspots_found(outcome: HotspotOutcome) -> dict[str, float]:
    """How many of the real hotspots had a patrol on the last day, and patrols wasted."""
    hot = outcome.y_true.astype(bool)
    pat = outcome.y_pred.astype(bool)
    return {
        "hotspots": int(hot.sum()),
        "found": int((hot & pat).sum()),
        "patrols_elsewhere": int((pat & ~hot).sum()),
    }


def map_frame(outcome: HotspotOutcome, day: int) -> pd.DataFrame:
    """One row per square for the maps on ``day``: position, group, real and recorded crime.

    ``x``/``y`` are the square's column and row; ``real`` is real crimes per day on
    average; ``on_record`` is the model's risk score that morning (its weighted count
    of recorded crime); ``patrolled`` says whether a patrol went there that day.
    """
    n = outcome.true_rate.shape[0]
    day = int(np.clip(day, 0, outcome.patrols.shape[0] - 1))
    rows, cols = np.divmod(np.arange(n * n), n)
    return pd.DataFrame(
        {
            "x": cols,
            "y": rows,
            "group": outcome.group_grid.ravel(),
            "real": np.round(outcome.true_rate.ravel().astype(float), 2),
            "on_record": np.round(outcome.risk[day].ravel().astype(float), 1),
            "patrolled": outcome.patrols[day].ravel(),
            "hotspot": outcome.y_true.astype(bool),
        }
    )


def group_outlines(outcome: HotspotOutcome, group: str = "B") -> pd.DataFrame:
    """Rectangles (x, x2, y, y2 in squares) around each of a group's neighbourhoods."""
    hood = outcome.neighbourhood
    rows = []
    for h in np.unique(hood[outcome.group_grid == group]):
        r, c = np.nonzero(hood == h)
        rows.append({"x": c.min(), "x2": c.max() + 1, "y": r.min(), "y2": r.max() + 1})
    return pd.DataFrame(rows, columns=["x", "x2", "y", "y2"])


# --------------------------------------------------------------------------- presets

_BIASED = dict(historic_patrol_bias=0.8)

PRESETS: list[Preset] = [
    Preset(
        "fair_start",
        N_("A fair start"),
        N_("In this city the police's past patrols followed real crime, and both groups' "
        "areas have the same crime. Watch the orange line: the share of patrols sent "
        "to group B's areas stays close to their share of real crime."),
        HotspotConfig(),
    ),
    Preset(
        "biased_history",
        N_("A biased past"),
        N_("Before the computer took over, police patrolled group B's areas far more than "
        "their crime explained, so that is where most crime was found and written down. "
        "The computer learns from those records and keeps sending patrols back, day "
        "after day: the loop feeds itself."),
        HotspotConfig(**_BIASED),
    ),
    Preset(
        "reports_only",
        N_("A fix: learn only from reports"),
        N_("Now the computer learns only from crimes that victims report, not from what "
        "patrols happen to find. Patrols drift back to where crime really is."),
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
        N_("Here 3 in every 10 patrols go to areas picked at random, so the computer sees "
        "more of the city. It costs patrols at real hotspots, and the loop barely "
        "loosens, because the finds still pile up where patrols already go."),
        HotspotConfig(**_BIASED, mitigation="exploration", exploration=0.3),
    ),
]
