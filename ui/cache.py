"""Simulation results shared by every session in the room.

Sixty participants looking at the same preset should cost one simulation, not
sixty. Outcomes are cached per (simulator, config) with ``st.cache_resource``:
one shared object, no copy per hit, and concurrent misses on one key compute
once. Pages treat outcomes as read-only.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from simulators import registry

log = logging.getLogger(__name__)


@st.cache_resource(max_entries=512, show_spinner=False)
def _simulate(module: str, key: str, _config: Any) -> Any:
    # Keyed by the config's repr (a frozen dataclass of plain values: equal configs,
    # equal reprs); Streamlit hashes a short string in microseconds, where hashing
    # the dataclass itself cost milliseconds on every rerun. ``_config`` is unhashed.
    return importlib.import_module(module).simulate(_config)


def simulate_cached(simulate: Callable[[Any], Any], config: Any) -> Any:
    """``simulate(config)``, computed once per distinct config for the whole server."""
    return _simulate(simulate.__module__, repr(config), config)


@st.cache_resource(show_spinner=False)
def warm_up_presets() -> threading.Thread:
    """Simulate every scenario once, in the background, when the server starts.

    The facilitator's first "Put everyone on this" then finds its result waiting,
    instead of sixty phones asking for the same new world at the same moment.
    ``WORKSHOP_WARM_UP=0`` skips it (the tests do, to keep their cores).
    """

    def work() -> None:
        for use_case, (module, _cls) in registry.USE_CASES.items():
            for preset in registry.presets(use_case):
                try:
                    _simulate(module, repr(preset.config), preset.config)
                except Exception:  # noqa: BLE001 - a page will show the error itself
                    log.exception("warming up %s/%s failed", use_case, preset.key)

    thread = threading.Thread(target=work, name="warm-up-presets", daemon=True)
    if os.environ.get("WORKSHOP_WARM_UP", "1") != "0":
        thread.start()
    return thread
