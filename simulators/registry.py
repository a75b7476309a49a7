"""The use cases, by the name reactions and presets record them under.

Imported lazily, so a page loads only the simulator it shows.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from simulators.config import Preset

#: use-case name -> (simulator module, Config class name)
USE_CASES: dict[str, tuple[str, str]] = {
    "call_triage": ("simulators.call_triage", "TriageConfig"),
    "evidence": ("simulators.evidence", "EvidenceConfig"),
    "hotspots": ("simulators.hotspots", "HotspotConfig"),
    "reoffending": ("simulators.reoffending", "RiskConfig"),
}


def use_case_of(module_name: str) -> str:
    """The use case a simulator module serves: ``"simulators.hotspots"`` -> ``"hotspots"``."""
    for use_case, (name, _cls) in USE_CASES.items():
        if name == module_name:
            return use_case
    raise ValueError(f"no use case is simulated by {module_name!r}")


def module(use_case: str) -> ModuleType:
    if use_case not in USE_CASES:
        raise ValueError(f"unknown use case {use_case!r}")
    return importlib.import_module(USE_CASES[use_case][0])


def config_class(use_case: str) -> type[Any]:
    return getattr(module(use_case), USE_CASES[use_case][1])


def presets(use_case: str) -> list[Preset]:
    return list(getattr(module(use_case), "PRESETS", []))


def preset(use_case: str, key: str | None) -> Preset | None:
    return next((p for p in presets(use_case) if p.key == key), None)
