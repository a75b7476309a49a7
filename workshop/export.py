"""What the researcher takes away: a workshop's reactions and advice as CSV and JSON.

Machine names (``reactions_csv``, ``advice_csv``, ``decisions_csv``,
``workshop_json``): columns and values as stored (``use_case``,
``config.label_bias``, comfort 2). For people (``people_csv``,
``people_decisions_csv``): the same answers and decisions in the words people saw
("101 calls: Unfair past grading of group B", "2 · Uncomfortable", "fast-track"),
with ``dictionary_csv`` saying what each column means and its machine name;
``series_csv`` joins every workshop of a series. The decisions (people's own, on
the cases the AI decided: "decide first") are each person's latest per case, with
the case, what it truly needed, what the AI decided, the draw of cases and the
seconds it took.

Each function takes a ``Store`` and a workshop code. The exports say who answered
only by ``person_id`` (the same person across a series) and the made-up nickname,
never by the participant id, which is the key to a participant's ``?p=`` link.
Hidden comments are blanked and hidden advice is left out; pending text is kept
(it was said) and marked with its status. Times carry their zone (UTC). Every text
cell of a CSV is neutralised, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from workshop.export_rows import csv_text, reported, when
from workshop.i18n import Translator

if TYPE_CHECKING:
    from workshop.store import Store


def reactions_csv(store: Store, code: str) -> str:
    """One row per reaction, its settings and metrics in columns; the whole history,
    with ``latest`` marking the answers that count."""
    df = store.reactions(code)
    out = pd.DataFrame([reported(r) for r in df.to_dict("records")],
                       columns=[c for c in df.columns if c != "participant_id"])
    out["comfort"] = out["comfort"].astype("Int64")  # a skip is empty, not NaN
    return csv_text(out)


def _advice(store: Store, code: str) -> list[dict[str, Any]]:
    df = store.advice(code)
    df = df[~df["hidden"].astype(bool)].drop(columns=["author_id", "my_vote", "hidden"])
    records = df.to_dict("records")
    for a in records:
        a["created_at"] = when(a["created_at"])
        for v in ("advice_id", "agree", "disagree", "pass"):
            a[v] = int(a[v])
    return records


def advice_csv(store: Store, code: str) -> str:
    """The advice with its votes; hidden advice left out."""
    columns = ["advice_id", "created_at", "author", "person_id", "theme", "text", "status",
               "agree", "disagree", "pass"]
    return csv_text(pd.DataFrame(_advice(store, code), columns=columns))


def _decisions(store: Store, code: str) -> list[dict[str, Any]]:
    """Each person's latest decision per case, without the participant id."""
    rows = store.decisions(code).drop(columns=["participant_id"]).to_dict("records")
    for r in rows:
        r["created_at"] = when(r["created_at"])
        r["seconds"] = None if pd.isna(r["seconds"]) else float(r["seconds"])
    return rows


def decisions_csv(store: Store, code: str) -> str:
    """People's own decisions on the AI's cases (each person's latest per case), the
    settings the AI decided under in ``config.`` columns."""
    rows = _decisions(store, code)
    for r in rows:
        r.update({f"config.{k}": v for k, v in r.pop("config").items()})
    columns = None if rows else [c for c in _DECISION_COLUMNS if c != "config"]
    return csv_text(pd.DataFrame(rows, columns=columns))


_DECISION_COLUMNS = ["person_id", "participant", "use_case", "case_id", "group", "truth", "ai",
                     "person", "draw", "seconds", "created_at", "config"]


def workshop_json(store: Store, code: str) -> str:
    """The workshop, its reactions (settings and metrics nested), its advice, the
    answers to the outstanding questions (every one sent; hidden ones left out),
    people's own decisions on the AI's cases (each person's latest per case), what
    people said of the tools' records, the ethics panel's verdicts, and the themes of
    each text people wrote (hidden ones left out)."""
    w = store.workshop(code)
    series = store.series(code)
    payload = {
        "workshop": {
            "code": w.code,
            "title": w.title,
            "mode": w.mode,
            "series": series["name"] if series else None,
            "created_at": when(w.created_at),
            "closed_at": when(w.closed_at),
        },
        "reactions": [reported(r) for r in store.reaction_rows(code)],
        "advice": _advice(store, code),
        "answers": [
            {**{k: v for k, v in a.items() if k != "participant_id"},
             "created_at": when(a["created_at"])}
            for a in store.answers(code, history=True).to_dict("records")
            if a["status"] != "hidden"
        ],
        "decisions": _decisions(store, code),
        "record_answers": [
            {**{k: v for k, v in r.items() if k != "participant_id"},
             "created_at": when(r["created_at"])}
            for r in store.record_results(code, history=True).to_dict("records")
        ],
        "panel_verdicts": _panel(store, code),
        "themes": [
            {"kind": x["kind"], "item_id": int(x["item_id"]), "themes": x["themes"],
             "corrected": bool(x["corrected"])}
            for x in store.tagged_texts(code).to_dict("records") if x["status"] != "hidden"
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _panel(store: Store, code: str) -> list[dict[str, Any]]:
    """Every verdict of the ethics panel (``latest`` marks those that count); a written
    condition the facilitator hid is blanked, and its status kept only where there
    was one to moderate."""
    out = []
    for v in store.panel_results(code, history=True).to_dict("records"):
        row = {k: val for k, val in v.items() if k != "participant_id"}
        row["created_at"] = when(v["created_at"])
        row["status"] = v["status"] if v["own_condition"] else ""
        row["own_condition"] = "" if v["status"] == "hidden" else v["own_condition"]
        out.append(row)
    return out


def panel_csv(store: Store, code: str) -> str:
    """The ethics panel's verdicts, one row each (the whole history, ``latest`` marking
    the ones that count), the conditions picked joined by "; "."""
    columns = ["verdict_id", "created_at", "participant", "person_id", "use_case",
               "verdict", "conditions", "own_condition", "status", "latest"]
    rows = [{**v, "conditions": "; ".join(v["conditions"])} for v in _panel(store, code)]
    return csv_text(pd.DataFrame(rows, columns=columns))


# -- for people: the labels people saw (workshop.export_labels) ----------------------


def people_csv(store: Store, code: str, *, lang: str = "en") -> str:
    """One row per answer (the whole history), in the words people saw: use-case titles,
    comfort as "2 · Uncomfortable", themes by their labels, and each setting as
    "101 calls: Past call handlers played down group B's warnings" with its value as the
    slider said it.
    :func:`reactions_csv` is the same answers with machine names; :func:`dictionary_csv`
    says what each column means."""
    from workshop.export_labels import readable

    return csv_text(readable(store, code, Translator(lang))[0])


def people_decisions_csv(store: Store, code: str, *, lang: str = "en") -> str:
    """:func:`decisions_csv` in the words people saw: the use of AI by its title,
    decisions as "fast-track" or "high risk", truths as "urgent" or "reoffended"."""
    from workshop.export_labels import readable_decisions

    return csv_text(readable_decisions(store, code, Translator(lang))[0])


def dictionary_csv(store: Store, code: str, *, lang: str = "en", series: bool = False) -> str:
    """One row per column of :func:`people_csv` and :func:`people_decisions_csv` (or,
    with ``series``, of :func:`series_csv`): the column, what it means, its values or
    units, and the machine name it has in :func:`reactions_csv`,
    :func:`decisions_csv` and the JSON."""
    from workshop.export_labels import (
        merge_docs,
        readable,
        readable_decisions,
        series_docs,
        workshops,
    )

    t = Translator(lang)
    if series:
        docs = series_docs(t) + merge_docs(
            readable(store, w["code"], t)[1] for w in workshops(store, code))
    else:
        docs = merge_docs([readable(store, code, t)[1], readable_decisions(store, code, t)[1]])
    return csv_text(pd.DataFrame(docs, columns=[t.gettext("Column"), t.gettext("Meaning"),
                                            t.gettext("Values or units"),
                                            t.gettext("Machine name")]))


def series_csv(store: Store, code: str, *, lang: str = "en") -> str:
    """Every answer in every workshop of this workshop's series (or of this workshop
    alone), in the words of :func:`people_csv`, each row with its workshop's code,
    title, date and mode; "Person" follows one person across the workshops."""
    from workshop.export_labels import readable, workshops
    from workshop.report_data import mode_name

    t = Translator(lang)
    frames = []
    for w in workshops(store, code):
        df = readable(store, w["code"], t)[0]
        head = pd.DataFrame({
            t.gettext("Workshop code"): w["code"], t.gettext("Workshop"): w["title"],
            t.gettext("Workshop date"): when(w["created_at"]),
            t.gettext("Where"): mode_name(t, w["mode"])}, index=df.index)
        frames.append(pd.concat([head, df], axis=1))
    return csv_text(pd.concat(frames, ignore_index=True, sort=False))
