"""A tool's public record, filled from the run a person is looking at; and what an
ethics panel reviews. Pure data and message ids: pages say it in words.

The record follows the shape of the UK's Algorithmic Transparency Recording Standard
(ATRS, version 3.0): Tier 1 is a short overview for the public; Tier 2 gives the
detail, here in five sections: who owns the tool and answers for it (``owner``), how
people check its decisions and how to challenge one (``human_review``), what it learned
from (``data``), how well it does for each group (``performance``: each group's rates,
the same numbers as ``outcome.rates``), and the risks and the fix (``risks``: the
settings that put bias into the data, and the fix in use). The words are ours; only
the shape is the standard's.

The panel (:data:`PANEL`) is a force's data ethics panel reviewing one tool after 90
days of use, with questions under the eight headings of ALGO-CARE (Oswald, Grace,
Urwin and Barnes, 2018), written in our own plain words.

>>> from simulators.hotspots import HotspotConfig, simulate
>>> config = HotspotConfig(days=40)
>>> outcome = simulate(config)
>>> r = record(PANEL.use_case, config, outcome)
>>> sorted(r["tier2"]), r["tier2"]["performance"] == outcome.rates
(['data', 'human_review', 'owner', 'performance', 'risks'], True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulators import registry
from simulators.config import Setting, settings_of
from simulators.fairness import Outcome
from simulators.messages import N_

#: The standard the record follows, and its version.
STANDARD = {
    "name": N_("Algorithmic Transparency Recording Standard"),
    "short": "ATRS",
    "version": "3.0",
    "by": N_("the UK government, for public bodies that use algorithmic tools"),
}

#: Tier 2's sections as this workshop shows them: a title and what each tells.
SECTIONS: dict[str, tuple[str, str]] = {
    "owner": (N_("Who owns it and answers for it"),
              N_("The organisation, the senior person accountable, and who built it.")),
    "human_review": (N_("How people check it"),
                     N_("Whether a person checks its decisions, and how someone can "
                        "challenge one.")),
    "data": (N_("What it learned from"),
             N_("The data the AI was trained on, and where it came from.")),
    "performance": (N_("How well it works, group by group"),
                    N_("Each group's rates from the run on your screen.")),
    "risks": (N_("Risks, and what is done about them"),
              N_("The kinds of bias in play in this run, and the fix in use.")),
}

_OWNER = {
    "organisation": N_("A made-up police force, for this workshop."),
    "accountable": N_("Its chief constable answers for the tool; a senior officer owns it "
                      "day to day and signs off every change."),
    "built_by": N_("A toy built for this workshop from open-source parts (scikit-learn "
                   "and Fairlearn), so anyone can read how it works."),
}
_MORE = N_("This workshop's page for the tool, under “Why this matters”.")
_CHALLENGE = N_("Anyone affected can ask the force to look at a decision again; a "
                "person, not the AI, answers.")


@dataclass(frozen=True)
class ToolFacts:
    """What the run cannot say about a tool: how it is used, what it learned from
    (with ``{n}`` filled from the setting ``size``, if any), and what a person does
    with what it produces. Message ids."""

    use: str
    learned_from: str
    size: str | None
    review: str


#: Each tool's facts, by its Config's class name (as its UseCase declares it).
FACTS: dict[str, ToolFacts] = {
    "TriageConfig": ToolFacts(
        N_("It answers calls to the police non-emergency number and decides which to pass "
           "to a call handler straight away and which can wait."),
        N_("{n} past calls, with the grades call handlers gave them at the time."),
        "n_calls",
        N_("Calls it leaves to wait go into a queue that call handlers work through."),
    ),
    "EvidenceConfig": ToolFacts(
        N_("It copies the key sentences out of case files (witness statements, a CCTV "
           "log, officers' notes) so that an officer can read a short summary."),
        N_("{n} case files; when it learns, it learns from summaries analysts wrote in "
           "the past."),
        "n_cases",
        N_("The officer reads the summary, not the whole file: nobody checks what it left "
           "out."),
    ),
    "HotspotConfig": ToolFacts(
        N_("It picks the map squares that get a patrol each day, from the crimes "
           "recorded there."),
        N_("Crimes recorded over the past {n} days: those victims reported, and those "
           "patrols found where patrols were sent."),
        "days",
        N_("Patrols go where it says; a monitor watches each group's areas and raises a "
           "flag for a person to look into."),
    ),
    "RiskConfig": ToolFacts(
        N_("It gives each person leaving custody a risk score, and labels some high "
           "risk for offender managers."),
        N_("Police records of {n} people from the past, and which of them were arrested "
           "again."),
        "n_people",
        N_("Offender managers see the label and plan their work around it."),
    ),
}

#: Settings that say how people take part in the decisions, if a tool has them.
_DECIDED_BY, _REVIEWED, _CHECKER_BIAS, _MONITOR = (
    "decided_by", "human_review_share", "reviewer_bias", "monitor_limit")
#: Settings that say what a tool learns from, if it has them: the model's data, and
#: the data a fix learns from (only when a fix is on).
_LEARNS_FROM, _FIX_LEARNS_FROM = "learns_from", "mitigation_data"
_FIX = "mitigation"


def _setting(config: Any, name: str, meta: Setting, default: Any) -> dict[str, Any]:
    """One setting as the record keeps it: its value, and how to say it."""
    value = getattr(config, name)
    return {"field": name, "label": meta.label, "value": value,
            "value_label": meta.choice_labels.get(value) if meta.choices else None,
            "unit": meta.unit, "scale": meta.scale, "in_play": value != default}


def _use_case(use_case: str | registry.UseCase) -> registry.UseCase:
    return use_case if isinstance(use_case, registry.UseCase) else registry.get(use_case)


def record(use_case: str | registry.UseCase, config: Any, outcome: Outcome) -> dict[str, Any]:
    """The tool's record for the run of ``config`` that gave ``outcome``.

    ``tier1``: ``name``, ``description``, ``use``, ``dialogue_use``, ``more``;
    ``tier2``: ``owner``, ``human_review`` (``kind``: "checked", "people", "monitor" or
    "none", with the share checked, the checker's bias, the monitor's limit and flag),
    ``data`` (``learned_from`` with ``size``, the choices of what it learns from),
    ``performance`` (each group's rates, a copy of ``outcome.rates``) and ``risks``
    (``harm``, the metric the use case counts as harm; ``bias``, every setting that
    puts bias into the data, ``in_play`` if moved; ``fix``). Message ids and data only.
    """
    case = _use_case(use_case)
    facts = FACTS[case.config_name]
    declared = {name: (meta, default) for name, meta, default in settings_of(config)}

    def setting(name: str) -> dict[str, Any] | None:
        return _setting(config, name, *declared[name]) if name in declared else None

    size = getattr(config, facts.size) if facts.size else None
    return {
        "standard": dict(STANDARD),
        "use_case": case.name,
        "tier1": {"name": case.title, "description": case.blurb, "use": facts.use,
                  "dialogue_use": case.dialogue_use, "more": _MORE},
        "tier2": {
            "owner": dict(_OWNER),
            "human_review": _human_review(config, outcome, facts, setting),
            "data": {"learned_from": facts.learned_from, "size": size,
                     "choices": _data_choices(config, setting), "made_up": True},
            "performance": {group: dict(rates) for group, rates in outcome.rates.items()},
            "risks": {"harm": outcome.terms.harm,
                      "bias": [setting(name) for name, (meta, _d) in declared.items()
                               if meta.bias],
                      "fix": setting(_FIX)},
        },
    }


def _data_choices(config: Any, setting: Any) -> list[dict[str, Any]]:
    fix_on = getattr(config, _FIX, "none") != "none"
    names = [_LEARNS_FROM, *([_FIX_LEARNS_FROM] if fix_on else [])]
    return [s for s in map(setting, names) if s]


def _human_review(config: Any, outcome: Outcome, facts: ToolFacts, setting: Any
                  ) -> dict[str, Any]:
    decided_by = getattr(config, _DECIDED_BY, "ai")
    share = float(getattr(config, _REVIEWED, 0.0) or 0.0)
    limit = getattr(config, _MONITOR, None)
    if decided_by != "ai":
        kind = "people"
    elif share > 0:
        kind = "checked"
    elif limit is not None:
        kind = "monitor"
    else:
        kind = "none"
    return {
        "kind": kind,
        "decided_by": setting(_DECIDED_BY),
        "share": share if kind == "checked" else None,
        "checker_bias": float(getattr(config, _CHECKER_BIAS, 0.0)) if kind == "checked"
        else None,
        "monitor_limit": limit,
        "flag_day": getattr(outcome, "flag_day", None),
        "flag_group": getattr(outcome, "flag_group", None),
        "what_happens": facts.review,
        "challenge": _CHALLENGE,
    }


# -- the ethics panel ------------------------------------------------------------------


@dataclass(frozen=True)
class PanelCase:
    """The tool a room reviews as an ethics panel: the use case, how many days it has
    been in use, and the settings of the run it reviews."""

    use_case: str
    days: int
    settings: tuple[tuple[str, Any], ...]

    def config(self) -> Any:
        return registry.config_class(self.use_case)(**dict(self.settings))


def _by_config(name: str) -> str:
    return next(u.name for u in registry.USE_CASES.values() if u.config_name == name)


PANEL_DAYS = 90
#: A force's data ethics panel reviews the hotspots tool after 90 days of use, in a
#: city that changed part-way (a new estate opens), for its monitor to notice or miss.
PANEL = PanelCase(_by_config("HotspotConfig"), PANEL_DAYS,
                  (("days", PANEL_DAYS), ("new_estate", True)))

#: ALGO-CARE's eight headings (Oswald, Grace, Urwin and Barnes, 2018), each with our
#: own plain question for the panel.
ALGO_CARE: dict[str, tuple[str, str]] = {
    "advisory": (N_("Advisory"), N_(
        "Does it only advise? Does a person make the decision, and do they ever "
        "overrule it?")),
    "lawful": (N_("Lawful"), N_(
        "Is there a clear legal power and a policing purpose for it? Is it needed, and "
        "worth what it costs people's privacy?")),
    "granularity": (N_("Granularity"), N_(
        "Are the data detailed enough to be useful but not so detailed that they single "
        "people out? What do the data miss?")),
    "ownership": (N_("Ownership"), N_(
        "Who owns the tool, its data and its code? Can the force look inside it and "
        "change it, or does a company hold the keys?")),
    "challengeable": (N_("Challengeable"), N_(
        "Can people affected find out about a decision and challenge it? Does anyone "
        "outside the force check the tool?")),
    "accuracy": (N_("Accuracy"), N_(
        "How often is it wrong, and for whom? Was that measured on this area's data, and "
        "what happens when the area changes?")),
    "responsible": (N_("Responsible"), N_(
        "Is it fair to every group? Was it tested for bias before and during use, and "
        "were the public asked?")),
    "explainable": (N_("Explainable"), N_(
        "Can the force say, in plain words, why it sent a patrol here and not there?")),
}
ALGO_CARE_SOURCE = N_(
    "ALGO-CARE: Oswald, Grace, Urwin and Barnes (2018), “Algorithmic risk assessment "
    "policing models”, Information & Communications Technology Law 27(2). Used by UK "
    "police forces before they deploy an algorithm. The questions here are our own.")
