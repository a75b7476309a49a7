"""The use cases: each declared once, here. Everything else reads these declarations.

Navigation, the Welcome page, the facilitator's Console and Screen, the warm-up,
the exports and the report all take a use case's name, title, icon, page and
presets from its :class:`UseCase`. A new use case is one simulator module (with
its ``Config``, ``simulate`` and ``PRESETS``), one declaration below and one page.

Simulator modules are imported lazily, so a page loads only the simulator it shows.

>>> first = next(iter(USE_CASES.values()))
>>> first.title, first.config_class().__name__
('101 calls', 'TriageConfig')
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from simulators.config import Preset
from simulators.messages import N_


@dataclass(frozen=True)
class UseCase:
    """One use of AI in policing, as the workshop shows it.

    ``title``, ``blurb`` and ``dialogue_use`` are English message ids: pages show
    them through ``_()``.
    """

    name: str  # what reactions, presets and exports record
    title: str
    icon: str
    module_name: str  # the simulator module
    config_name: str  # its frozen Config dataclass
    page: str  # the Streamlit page script, from the repository root
    blurb: str  # one line for the Welcome page
    dialogue_use: str  # which of the dialogue's uses of AI this is a toy of
    #: Work over many made-up towns its page shows beside a result, besides what chance
    #: alone makes (``simulators.chance``): (name, module), each module with
    #: ``towns(config)`` and ``towns_key(config)`` (what it depends on).
    towns: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.icon} {self.title}"

    def module(self) -> ModuleType:
        return importlib.import_module(self.module_name)

    def config_class(self) -> type[Any]:
        return getattr(self.module(), self.config_name)

    def presets(self) -> list[Preset]:
        return list(getattr(self.module(), "PRESETS", []))


HANDLING_CALLS = N_("Handling 101 calls")
SUMMARISING = N_("Summarising data")
PREDICTIVE = N_("Predictive policing")

#: Every use case, in the order the workshop takes them.
USE_CASES: dict[str, UseCase] = {
    u.name: u
    for u in (
        UseCase(
            "call_triage", N_("101 calls"), "📞", "simulators.call_triage", "TriageConfig",
            "app_pages/call_triage.py",
            N_("whose urgent calls slip through when an AI answers the non-emergency line"),
            HANDLING_CALLS,
        ),
        UseCase(
            "evidence", N_("Summarising evidence"), "📄", "simulators.evidence",
            "EvidenceConfig", "app_pages/evidence.py",
            N_("whose facts, and which facts, an AI summary leaves out"),
            SUMMARISING,
        ),
        UseCase(
            "hotspots", N_("Crime hotspots"), "🗺️", "simulators.hotspots", "HotspotConfig",
            "app_pages/hotspots.py",
            N_("watch patrols follow the records, and the records follow the patrols"),
            PREDICTIVE, towns=(("monitor", "simulators.hotspot_monitor"),),
        ),
        UseCase(
            "reoffending", N_("Reoffending risk"), "🔮", "simulators.reoffending",
            "RiskConfig", "app_pages/reoffending.py",
            N_("who an AI labels high risk when arrest records are skewed"),
            PREDICTIVE,
        ),
    )
}


def get(name: str) -> UseCase:
    if name not in USE_CASES:
        raise ValueError(f"unknown use case {name!r}")
    return USE_CASES[name]


def module(use_case: str) -> ModuleType:
    return get(use_case).module()


def config_class(use_case: str) -> type[Any]:
    return get(use_case).config_class()


def presets(use_case: str) -> list[Preset]:
    return get(use_case).presets()


def preset(use_case: str, key: str | None) -> Preset | None:
    return next((p for p in presets(use_case) if p.key == key), None)
