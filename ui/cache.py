"""Simulation results shared by every session in the room.

Sixty participants looking at the same preset should cost one simulation, not
sixty. Outcomes are cached per (simulator, config) with ``st.cache_resource``:
one shared object, no copy per hit, and concurrent misses on one key compute
once. Pages treat outcomes as read-only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import streamlit as st


@st.cache_resource(max_entries=512, show_spinner=False)
def _simulate(module: str, config: Any) -> Any:
    return importlib.import_module(module).simulate(config)


def simulate_cached(simulate: Callable[[Any], Any], config: Any) -> Any:
    """``simulate(config)``, computed once per distinct config for the whole server."""
    return _simulate(simulate.__module__, config)
