"""What chance alone makes: a use case's numbers over made-up towns with no bias at all.

A room sees one made-up town. Beside every headline gap the page says how big a gap
chance alone makes in towns of the same size with every bias setting (each field
declared with ``bias=True``) at zero and every other setting as the room has it: the
5th to 95th percentile over ``TOWNS`` towns (:func:`chance_band`). The same towns give
the spread of every other number a page compares (:func:`chance_bands`): each use
case's simulator module says which with ``chance_measures(outcome)``, a flat dict of
numbers, and which rate its headline is with ``harm_of(config)``.

The towns depend only on the settings with the bias fields at zero and the World
number dropped (:func:`fair_key`), so a bias slider or a typed World number never asks
for new towns. Pages get bands through ``ui.cache.over_towns(use_case, "bands", config)``,
worked out once for the room, in the background, and warmed with the scenarios.

>>> from simulators.call_triage import TriageConfig
>>> fair_config(TriageConfig(label_bias=0.5, seed=7)) == fair_config(TriageConfig())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulators import registry
from simulators.config import settings_of

#: Made-up towns each band is measured over.
TOWNS = 20
#: Their World numbers: ``FIRST_TOWN`` onwards, apart from the ones pages start on.
FIRST_TOWN = 5000
#: The band: from this percentile of the fair towns to that one.
PERCENTILES = (5, 95)


def fair_config(config: Any, seed: int = 0) -> Any:
    """``config`` with every bias setting (``bias=True``) at zero and the World number
    ``seed``."""
    zero = {name: type(default)(0) for name, meta, default in settings_of(config)
            if meta.bias}
    return config.replace(**zero, seed=seed)


def fair_key(use_case: str, config: Any) -> str:
    """What a band depends on: the use case and the settings, bias at zero, no seed."""
    return f"{use_case}:{fair_config(config)!r}"


def harm_of(use_case: str, config: Any) -> str:
    """The rate whose gap between the groups is the headline for ``config``."""
    return registry.module(use_case).harm_of(config)


@dataclass(frozen=True)
class Bands:
    """Each measure's values over the fair towns (``samples``), and its band."""

    use_case: str
    towns: int
    samples: Mapping[str, tuple[float, ...]]
    harm: str  # the headline rate of the settings asked about

    def band(self, measure: str) -> tuple[float, float] | None:
        """The 5th to 95th percentile of ``measure`` over the fair towns where it was
        measured (None if it never was)."""
        values = [v for v in self.samples.get(measure, ()) if v == v]
        if not values:
            return None
        low, high = np.percentile(values, PERCENTILES)
        return float(low), float(high)

    @property
    def headline(self) -> tuple[float, float] | None:
        """The band of the headline gap: B minus A in ``harm``."""
        return self.band(f"gap:{self.harm}")


def chance_bands(use_case: str, config: Any) -> Bands:
    """Every measure of ``use_case`` (its module's ``chance_measures``) over ``TOWNS``
    fair towns of ``config``'s size and settings."""
    module = registry.module(use_case)
    fair = fair_config(config)
    values: dict[str, list[float]] = {}
    for i in range(TOWNS):
        town = fair.replace(seed=FIRST_TOWN + i)
        outcome = module.simulate(town, lean=True)
        for name, value in module.chance_measures(outcome).items():
            values.setdefault(name, [float("nan")] * i).append(float(value))
        for seen in values.values():  # a measure missing in this town
            if len(seen) < i + 1:
                seen.append(float("nan"))
    return Bands(use_case, TOWNS, {k: tuple(v) for k, v in values.items()},
                 harm_of(use_case, config))


def chance_band(use_case: str, config: Any) -> tuple[float, float]:
    """The 5th to 95th percentile of the headline gap (B minus A in the use case's
    ``Terms.harm`` rate, as a fraction) over ``TOWNS`` towns with every bias setting at
    zero and every other setting as in ``config``."""
    band = chance_bands(use_case, config).headline
    if band is None:
        raise ValueError(f"{use_case}: the headline gap was never measured in fair towns")
    return band
