"""Simulation results shared by every session in the room.

Sixty participants looking at the same setting should cost one simulation, not
sixty. Outcomes are cached per (use case, config) with ``st.cache_resource``: one
shared object, no copy per hit, and concurrent misses on one key compute once.
Behind it, ``simulators/cache.py`` keeps every result on disk, so the server's
other processes and its next start load it in milliseconds instead of simulating
again. Pages treat outcomes as read-only.
"""

from __future__ import annotations

import ast
import importlib
import logging
import os
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from simulators import cache as disk
from simulators import registry

log = logging.getLogger(__name__)
PAGES_DIR = Path(__file__).resolve().parents[1] / "app_pages"


@st.cache_resource(max_entries=512, show_spinner=False)
def _simulate(use_case: str, key: str, _config: Any) -> Any:
    # Keyed by the config's repr (a frozen dataclass of plain values: equal configs,
    # equal reprs); Streamlit hashes a short string in microseconds, where hashing
    # the dataclass itself cost milliseconds on every rerun. ``_config`` is unhashed.
    return disk.simulate(use_case, _config)


def simulate_cached(simulate: Callable[[Any], Any], config: Any) -> Any:
    """``simulate(config)``, computed once per distinct config for the whole server."""
    return _simulate(registry.use_case_of(simulate.__module__), repr(config), config)


def _import_what_pages_import() -> None:
    """Import every module the pages import, so no participant's first visit to a
    page waits for scikit-learn or Altair to load."""
    for page in sorted(PAGES_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     else [])
            for name in names:
                importlib.import_module(name)


def _warm_up() -> None:
    _import_what_pages_import()
    disk.prune()
    for use_case in registry.USE_CASES:  # what pages show first: kept in memory
        for config in disk.starting_configs(use_case):
            _simulate(use_case, repr(config), config)
    if disk.location() is None:
        return  # nowhere to keep the rest
    # Then one bias slider moved from each of those, saved to disk only. Each
    # process takes them in its own order, so two processes rarely do one twice.
    rest = [(u, c) for u in registry.USE_CASES for c in disk.warm_up_configs(u)]
    random.Random(os.getpid()).shuffle(rest)
    for use_case, config in rest:
        if not disk.is_saved(use_case, config):
            disk.simulate(use_case, config)


@st.cache_resource(show_spinner=False)
def warm_up_presets() -> threading.Thread:
    """Work out every scenario, and every one-slider move from it, in the background
    when the server starts.

    The facilitator's first "Put everyone on this" then finds its result waiting,
    instead of sixty phones asking for the same new world at the same moment; and a
    room moving bias sliders finds most settings already on disk. Once done, it is
    done for good (until the simulators change). ``WORKSHOP_WARM_UP=0`` skips it
    (the tests do, to keep their cores).
    """

    def work() -> None:
        try:
            _warm_up()
        except Exception:  # noqa: BLE001 - a page will show any error itself
            log.exception("warming up the simulations failed")

    thread = threading.Thread(target=work, name="warm-up-presets", daemon=True)
    if os.environ.get("WORKSHOP_WARM_UP", "1") != "0":
        thread.start()
    return thread
