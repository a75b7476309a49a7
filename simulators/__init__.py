"""Pure-Python simulators of AI in policing, on synthetic data. No Streamlit here."""

from simulators.config import Preset, Setting, SimConfig, setting, settings_of, validate
from simulators.fairness import METRICS, Outcome, disparities, summary
from simulators.mitigation import MITIGATIONS, FairModel, fit_mitigation
from simulators.terms import Terms

__all__ = [
    "METRICS",
    "MITIGATIONS",
    "FairModel",
    "Outcome",
    "Preset",
    "Setting",
    "SimConfig",
    "Terms",
    "disparities",
    "fit_mitigation",
    "setting",
    "settings_of",
    "summary",
    "validate",
]
