"""Every sentence a use-case page builds, for every scenario, true of 9 towns in 10;
and every fair start's headline gap steady from town to town (at most 3 points).

A room sees one made-up town. For each scenario of each use case, this makes the page's
sentences (``ui/<use case>_claims.py``: every panel open) and what its script claims,
in the scenario's own town and in 30 others, and fails when a sentence's claim (which
of its variants the page picked: "narrows", "widens", "about the same"...) holds in
fewer than 27 of the 30. Simulations are shared: one per config, lean (the numbers
without the texts; ``test_lean_outcomes_hold_the_same_numbers`` checks they are the
same), and one spread of fair towns per config family (``ui.cache.over_towns``).
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import numpy as np
import pytest

from simulators import chance, registry
from ui import cache
from workshop.i18n import translator

TOWNS = tuple(range(30))
HOLDS_IN = 27  # of the 30 towns: 9 in 10
CLAIMS = {name: f"ui.{name}_claims" for name in registry.USE_CASES}


@functools.cache
def _outcome(use_case: str, config: Any) -> Any:
    return registry.module(use_case).simulate(config, lean=True)


def _bands(use_case: str, config: Any) -> Any:
    return cache.over_towns(registry.get(use_case), "bands", config, wait=True)


def claims_in(use_case: str, key: str, seed: int, numbers: bool = False) -> dict[str, str]:
    """slot -> variant of every claim the page and the script make in town ``seed``
    (``numbers``: also the sentences that only read other runs' numbers)."""
    words = importlib.import_module(CLAIMS[use_case])
    config = registry.preset(use_case, key).config.replace(seed=seed)
    outcome_of = functools.partial(_outcome, use_case)
    bands_of = functools.partial(_bands, use_case)
    t = translator("en")
    claims = [*words.page_claims(config, outcome_of, bands_of, t, numbers=numbers),
              *words.script_claims(key, config, outcome_of, bands_of)]
    slots = [c.slot for c in claims]
    assert len(slots) == len(set(slots)), f"two sentences in one place: {slots}"
    assert all(c.text for c in claims)
    return {c.slot: c.variant for c in claims}


SCENARIOS = [(u, p.key) for u in registry.USE_CASES for p in registry.presets(u)]


@pytest.mark.parametrize(("use_case", "key"), SCENARIOS)
def test_every_claim_of_a_scenario_holds_in_9_towns_of_10(use_case, key):
    room = claims_in(use_case, key, registry.preset(use_case, key).config.seed, numbers=True)
    towns = [claims_in(use_case, key, seed) for seed in TOWNS]
    weak = {}
    for slot, variant in room.items():
        if not variant:  # a sentence that only reads numbers off the run
            continue
        held = sum(town.get(slot) == variant for town in towns)
        if held < HOLDS_IN:
            weak[slot] = (variant, held, sorted({town.get(slot) for town in towns}, key=str))
    if key == "fair_start":  # a fair world that reads fair: the headline gap steady
        config = registry.preset(use_case, key).config
        harm = chance.harm_of(use_case, config)
        gaps = [_outcome(use_case, config.replace(seed=s)).rates for s in TOWNS]
        spread = np.std([r["B"][harm] - r["A"][harm] for r in gaps])
        assert spread <= 0.03, f"{use_case}: the fair start's gap varies by {spread:.3f}"
    failed = [slot for slot, variant in room.items() if variant == "fails"]
    assert not failed, f"{use_case}/{key}: the script's claim fails in the room's town"
    assert not weak, f"{use_case}/{key}: claims holding in fewer than 27 of 30 towns: {weak}"
