"""The words of the exports for people: use-case titles, comfort levels, themes and
settings by the labels people saw, and what each column means. :mod:`workshop.export`
calls this; it is apart so the store does not load the simulators to start."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from simulators import registry
from simulators.config import Setting, settings_of
from simulators.messages import N_
from simulators.terms import GENERIC_LABELS, GENERIC_MEANINGS
from workshop.export_rows import reported, when
from workshop.i18n import Translator
from workshop.report_data import (
    OVERALL,
    OVERALL_STAGES,
    comfort_label,
    mode_name,
    stage_name,
    use_case_title,
)
from workshop.vocabulary import COMFORT, EXTRA_QUESTIONS, STAGES, THEMES

if TYPE_CHECKING:
    from workshop.store import Store

#: The columns every answer has: machine name, then (column, meaning, values) as message
#: ids; ``None`` values are filled in from the vocabulary.
_COLUMNS: list[tuple[str, str, str, str | None]] = [
    ("reaction_id", N_("Answer number"),
     N_("A number for each answer sent, in the order they were stored."),
     N_("a whole number")),
    ("created_at", N_("Sent at"), N_("When the answer was stored."),
     N_("date and time, with the time zone (+00:00 is UTC)")),
    ("participant", N_("Nickname"),
     N_("The made-up nickname the app gave the person. It says nothing about who they are."),
     N_("text")),
    ("person_id", N_("Person"),
     N_("The same person in every workshop of a series (they came back with their return "
        "code). Not a name, and not the key to their answers."), N_("a random identifier")),
    ("use_case", N_("Use of AI"),
     N_("What the answer is about: a use of AI people tried, or their first and final "
        "views of AI in policing."), None),
    ("stage", N_("Question"),
     N_("When the person was asked: before or after trying the use of AI, or their first "
        "or final view."), None),
    ("comfort", N_("Comfort"),
     N_("How comfortable the person would be if the police used this. Empty if they "
        "skipped the question."), None),
    ("skipped", N_("Skipped"), N_("Whether the person skipped the question."), None),
    ("latest", N_("Latest answer"),
     N_("Whether this is the answer that counts: the person's latest to this question. "
        "Earlier answers are kept to show how views changed."), None),
    ("themes", N_("Themes"),
     N_("What mattered most to the person here; they could pick several or none."), None),
    ("comment", N_("Comment"),
     N_("What the person wrote, exactly as typed. Empty if the facilitator hid it."),
     N_("text")),
    ("status", N_("Comment status"),
     N_("Whether the facilitator approved the comment, hid it, or had not read it yet. "
        "Empty where there was no comment."), None),
]
_STATUS = {"pending": N_("waiting"), "approved": N_("approved"), "hidden": N_("hidden")}
_YES, _NO = N_("yes"), N_("no")
#: The results a use case records that are not one group's rate: label, and kind of
#: number ("share": 0 to 1, written out of 100; "gap": points out of 100; "count";
#: "number": as recorded).
_RESULTS: dict[str, tuple[str, str]] = {
    "demographic_parity_difference": (
        N_("Gap between the groups in how often the AI flags"), "gap"),
    "equalized_odds_difference": (
        N_("Largest gap between the groups in the AI's mistakes"), "gap"),
    "false_negative_rate_difference": (N_("Gap between the groups in cases missed"), "gap"),
    "false_positive_rate_difference": (
        N_("Gap between the groups in cases flagged without need"), "gap"),
    "selection_rate": (N_("Flagged, of all, both groups"), "share"),
    "accuracy": (N_("Right decisions, both groups"), "share"),
    "count": (N_("Cases"), "count"),
    "coin_toss_share": (
        N_("Decisions the fix left to a real toss-up (a chance between 20 and 80 in 100)"),
        "share"),
    "chance_decided_share": (N_("Decisions the fix's random draw settled"), "share"),
    "hours_saved": (N_("Call handlers' hours saved for every 1,000 calls, after the time "
                       "missed urgent calls cost later"), "number"),
    "hours_saved_unit": (N_("What the hours saved count"), "number"),
    "missed_urgent_minutes": (
        N_("Minutes a missed urgent call costs later (our assumption)"), "number"),
    "review_caught": (N_("Urgent calls the AI missed that the person checking put right"),
                      "share"),
    "review_false_alarms_removed": (
        N_("Needless fast-tracks the person checking sent back to wait"), "share"),
    "summary_share": (N_("Sentences put in the summaries"), "share"),
    "chance_share": (N_("Witness sentences the fix left to a random draw"), "share"),
    "own_words_share": (N_("Group B's witness sentences in their own words"), "share"),
    "officer_caught": (N_("Left-out facts the participant found as the officer"), "count"),
    "officer_missed": (N_("Left-out facts the participant did not find as the officer"),
                       "count"),
    "person_shown": (N_("The person whose card was shown"), "number"),
    "flag_day": (N_("Day the monitor raised a flag"), "number"),
    "monitor_worst_change": (
        N_("Most a group's share of missed hotspots grew since the check"), "gap"),
    "group_b_patrol_share": (N_("Group B's share of the patrols"), "share"),
    "group_b_recorded_share": (N_("Group B's share of the recorded crime"), "share"),
    "group_b_true_crime_share": (N_("Group B's share of the real crime"), "share"),
    "group_b_patrol_share_start": (
        N_("Group B's share of the patrols, first tenth of the days"), "share"),
    "group_b_patrol_share_end": (
        N_("Group B's share of the patrols, last tenth of the days"), "share"),
    "group_b_excess": (
        N_("How far group B's share of the patrols ran above its share of real crime"),
        "gap"),
    "group_b_days_above": (
        N_("Days group B's share of the patrols was above its share of real crime"),
        "share"),
    "hotspots_real_hotspots": (N_("Real hotspots on an average day"), "number"),
    "hotspots_found": (N_("Real hotspots with a patrol on an average day"), "number"),
    "hotspots_patrols_elsewhere": (N_("Patrols that went elsewhere on an average day"),
                                   "number"),
}
#: Results recorded for each group: ``name[A]``.
_GROUP_RESULTS: dict[str, tuple[str, str]] = {
    "count": (N_("Cases"), "count"),
    "history_left_out": (N_("Key facts the old summaries left out"), "share"),
    "exculpatory_total": (N_("Facts pointing away from the arrested person"), "count"),
    "exculpatory_lost": (N_("Facts pointing away from the arrested person, left out"),
                         "count"),
}
#: Results recorded for a comparison run: ``without_fix.name``.
_COMPARED = {
    "without_fix": N_("Without the fix: {result}"),
    "same_length": N_("No fix, summaries as long: {result}"),
    "fair_history": N_("Learning from fair old summaries: {result}"),
}
#: What each kind of number is, in the data dictionary.
_KINDS = {
    "share": N_("out of 100"),
    "gap": N_("points out of 100"),
    "count": N_("a whole number"),
    "number": N_("as recorded"),
}


def plain(value: Any) -> Any:
    """A number as a person writes it: 30, not 30.0; at most 4 decimals.

    >>> [plain(30.0), plain(2000), plain(0.036100000001), plain(-3.6), plain(True)]
    [30, 2000, 0.0361, -3.6, True]
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if value != value:  # nan: no number
        return None
    value = round(float(value), 4)
    return int(value) if value.is_integer() else value


def _setting_value(meta: Setting, value: Any, t: Translator) -> Any:
    """A setting as people saw it: a choice by its label, a share by its number out of
    100 (as the slider said it), yes or no for a switch."""
    if value is None:
        return None
    if meta.choices is not None:
        return t.gettext(meta.describe(value))
    if isinstance(value, bool):
        return t.gettext(_YES if value else _NO)
    if isinstance(value, (int, float)) and meta.scale != 1:
        return plain(value * meta.scale)
    return plain(value)


def _result_value(kind: str, value: Any) -> Any:
    """A recorded result as the app said it: shares and gaps out of 100 (to a tenth;
    the machine export has every digit)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return plain(value)
    return plain(round(100 * value, 1) if kind in ("share", "gap") else value)


def _settings(use_case: str) -> dict[str, Setting]:
    if use_case not in registry.USE_CASES:
        return {}
    return {name: meta for name, meta, _d in settings_of(registry.config_class(use_case))}


def _result_name(t: Translator, use_case: str, metric: str) -> tuple[str, str, str]:
    """A recorded result's label, meaning and kind of number, in the use case's own
    words; one the app does not know keeps its name."""
    compared, dot, rest = metric.partition(".")
    if dot and compared in _COMPARED:
        label, meaning, kind = _result_name(t, use_case, rest)
        return t.gettext(_COMPARED[compared]).format(result=label), meaning, kind
    terms = getattr(registry.module(use_case), "TERMS", None) \
        if use_case in registry.USE_CASES else None
    if isinstance(terms, Mapping):  # one set of words per decider: the AI's come first
        terms = next(iter(terms.values()), None)
    stem, _, group = metric.partition("[")
    group = group.rstrip("]")
    if group:
        name = t.gettext(terms.group(group)) if terms is not None else group
        if terms is not None and stem in GENERIC_LABELS:
            label = t.gettext("{result}, {group}").format(
                result=t.gettext(terms.label(stem)), group=name)
            meaning = terms.meanings.get(stem) or GENERIC_MEANINGS.get(stem, "")
            return label, t.gettext(meaning), "share"
        if stem in _GROUP_RESULTS:
            label, kind = _GROUP_RESULTS[stem]
            return t.gettext("{result}, {group}").format(result=t.gettext(label),
                                                         group=name), "", kind
    if metric in _RESULTS:
        label, kind = _RESULTS[metric]
        return t.gettext(label), "", kind
    return metric, "", "number"


def readable(store: Store, code: str, t: Translator
              ) -> tuple[pd.DataFrame, list[tuple[str, str, str, str]]]:
    """The answers with the labels people saw, and one (column, meaning, values, machine
    name) per column."""
    rows = store.reaction_rows(code)
    base = [(t.gettext(col), machine) for machine, col, _m, _v in _COLUMNS]
    records, extra = [], {}  # extra: column -> (meaning, values, machine name)
    for r in rows:
        row = reported(r)
        u = r["use_case"]
        values = {
            "reaction_id": row["reaction_id"], "created_at": row["created_at"],
            "participant": row["participant"], "person_id": row["person_id"],
            "use_case": use_case_title(t, u), "stage": stage_name(t, u, r["stage"]),
            "comfort": comfort_label(t, r["comfort"]),
            "skipped": t.gettext(_YES if r["skipped"] else _NO),
            "latest": t.gettext(_YES if r["latest"] else _NO),
            "themes": "; ".join(t.gettext(THEMES.get(k, k)) for k in r["themes"]),
            "comment": row["comment"],
            "status": t.gettext(_STATUS[row["status"]]) if row["status"] else "",
        }
        out = {column: values[machine] for column, machine in base}
        settings = _settings(u)
        asked = EXTRA_QUESTIONS.get(u, {})
        for name, value in r["config"].items():
            meta = settings.get(name)
            if name in asked:  # a question asked with the after question
                short, question, choices = asked[name]
                label = t.gettext(short)
                value = t.gettext(choices[value]) if value in choices else value
                doc = (t.gettext(question), "; ".join(t.gettext(c) for c in choices.values()),
                       f"config.{name}")
            else:
                label = t.gettext(meta.label) if meta else name
                value = _setting_value(meta, value, t) if meta else plain(value)
                doc = _setting_doc(t, meta, f"config.{name}")
            column = t.gettext("{use_case}: {setting}").format(use_case=use_case_title(t, u),
                                                               setting=label)
            out[column] = value
            extra.setdefault(column, doc)
        for name, value in r["metrics"].items():
            label, meaning, kind = _result_name(t, u, name)
            column = t.gettext("{use_case}, result: {result}").format(use_case=use_case_title(t, u),
                                                                      result=label)
            out[column] = _result_value(kind, value)
            extra.setdefault(column, (meaning or t.gettext(
                "A number the toy AI produced for the settings on the person's screen."),
                t.gettext(_KINDS[kind]), f"metric.{name}"))
        records.append(out)
    columns = [c for c, _m in base] + list(extra)
    df = pd.DataFrame(records, columns=columns, dtype=object)  # 1 stays 1, not 1.0
    docs = [(t.gettext(col), t.gettext(meaning), _values(t, machine, values), machine)
            for machine, col, meaning, values in _COLUMNS]
    docs += [(column, *doc) for column, doc in extra.items()]
    return df, docs


def _values(t: Translator, machine: str, values: str | None) -> str:
    if values is not None:
        return t.gettext(values)
    options = {
        "use_case": [use_case_title(t, u) for u in (OVERALL, *registry.USE_CASES)],
        "stage": [t.gettext(s) for s in (*OVERALL_STAGES.values(), *STAGES.values())],
        "comfort": [comfort_label(t, c) for c in COMFORT],
        "skipped": [t.gettext(_YES), t.gettext(_NO)],
        "latest": [t.gettext(_YES), t.gettext(_NO)],
        "themes": [t.gettext(v) for v in THEMES.values()],
        "status": [t.gettext(v) for v in _STATUS.values()],
    }[machine]
    return "; ".join(options)


def _setting_doc(t: Translator, meta: Setting | None, machine: str) -> tuple[str, str, str]:
    """(meaning, values, machine name) of a settings column."""
    if meta is None:
        return t.gettext("A setting recorded with the answer."), t.gettext("as recorded"), \
            machine
    if meta.choices is not None:
        values = "; ".join(t.gettext(meta.describe(c)) for c in meta.choices)
    elif meta.min is not None and meta.max is not None:
        low, high = (round(v * meta.scale, 6) for v in (meta.min, meta.max))
        values = t.gettext("{low} to {high}").format(low=t.number(low, 2).rstrip("0").rstrip(
            ".,") if low % 1 else t.number(low), high=t.number(high, 2).rstrip("0").rstrip(
            ".,") if high % 1 else t.number(high))
        if meta.scale != 1:
            values = t.gettext("{values}, out of 100 as the slider showed it (the machine "
                               "value times {scale})").format(values=values,
                                                              scale=t.number(meta.scale))
    else:
        values = t.gettext("as recorded")
    return t.gettext(meta.help), values, machine


def merge_docs(parts: Any) -> list[tuple[str, str, str, str]]:
    seen: dict[str, tuple[str, str, str, str]] = {}
    for docs in parts:
        for doc in docs:
            seen.setdefault(doc[0], doc)
    return list(seen.values())


def workshops(store: Store, code: str) -> list[dict[str, Any]]:
    info = store.series(code)
    if info is None:
        w = store.workshop(code)
        return [{"code": w.code, "title": w.title, "mode": w.mode, "created_at": w.created_at}]
    return info["workshops"]


_SERIES_COLUMNS = [
    (N_("Workshop code"), N_("The workshop's join code."), N_("text"), "workshop.code"),
    (N_("Workshop"), N_("The workshop's title."), N_("text"), "workshop.title"),
    (N_("Workshop date"), N_("When the workshop was opened."),
     N_("date and time, with the time zone (+00:00 is UTC)"), "workshop.created_at"),
    (N_("Where"), N_("Whether the workshop was held in person or online."), None,
     "workshop.mode"),
]


def series_docs(t: Translator) -> list[tuple[str, str, str, str]]:
    return [(t.gettext(c), t.gettext(m), t.gettext(v) if v else "; ".join(
        mode_name(t, x) for x in ("in_person", "online")), machine)
        for c, m, v, machine in _SERIES_COLUMNS]




#: The columns of people's own decisions on the AI's cases: machine name, column,
#: meaning, values (``None``: from the roles' words).
_DECISION_COLUMNS: list[tuple[str, str, str, str | None]] = [
    ("person_id", N_("Person"),
     N_("The same person in every workshop of a series (they came back with their return "
        "code). Not a name, and not the key to their answers."), N_("a random identifier")),
    ("participant", N_("Nickname"),
     N_("The made-up nickname the app gave the person. It says nothing about who they are."),
     N_("text")),
    ("use_case", N_("Use of AI"), N_("The use of AI whose cases the person decided."), None),
    ("case_id", N_("Case"),
     N_("Which made-up case (a call, a person, a sentence of a case file) and which town: "
        "the same case has the same name for everyone."), N_("text")),
    ("group", N_("Group"), N_("The group of the caller, the person or the witness."),
     N_("A or B")),
    ("truth", N_("Truly needed"),
     N_("What the case truly needed: an urgent call, someone who went on to reoffend, a "
        "key fact."), None),
    ("person", N_("Their decision"),
     N_("What the person decided, before seeing the AI's results (for a case file: what "
        "the summary kept plus what they ticked)."), None),
    ("ai", N_("The AI's decision"),
     N_("What the AI decided on the same case, with the settings the person decided "
        "under."), None),
    ("draw", N_("Draw"),
     N_("Which set of cases the person was dealt: people take turns, so the room covers "
        "more cases."), N_("a whole number")),
    ("seconds", N_("Seconds taken"),
     N_("How long the person took to decide the case. Empty where not measured."),
     N_("seconds")),
    ("created_at", N_("Decided at"), N_("When the decision was stored."),
     N_("date and time, with the time zone (+00:00 is UTC)")),
]


def readable_decisions(store: Store, code: str, t: Translator
                       ) -> tuple[pd.DataFrame, list[tuple[str, str, str, str]]]:
    """People's own decisions (each person's latest per case) in the words people saw,
    and one (column, meaning, values, machine name) per column."""
    from simulators.decide import ROLES, role

    records = []
    for r in store.decisions(code).to_dict("records"):
        words = role(r["use_case"])
        values = {**r, "use_case": use_case_title(t, r["use_case"]),
                  "created_at": when(r["created_at"]),
                  "seconds": None if pd.isna(r["seconds"]) else r["seconds"]}
        if words is not None:
            values.update(truth=t.gettext(words.truth(r["truth"])),
                          person=t.gettext(words.decided(r["person"])),
                          ai=t.gettext(words.decided(r["ai"])))
        records.append({t.gettext(col): values[m] for m, col, _m, _v in _DECISION_COLUMNS})
    df = pd.DataFrame(records, columns=[t.gettext(c) for _m, c, _x, _v in _DECISION_COLUMNS],
                      dtype=object)
    options = {
        "use_case": "; ".join(use_case_title(t, u) for u in registry.USE_CASES
                              if role(u) is not None),
        "truth": "; ".join(t.gettext(w) for r in ROLES.values()
                           for w in (r.truth_yes, r.truth_no)),
        "person": "; ".join(t.gettext(w) for r in ROLES.values() for w in (r.yes, r.no)),
    }
    options["ai"] = options["person"]
    docs = [(t.gettext(col), t.gettext(meaning),
             t.gettext(values) if values else options[machine], f"decisions.{machine}")
            for machine, col, meaning, values in _DECISION_COLUMNS]
    return df, docs
