"""What the researcher takes away: a workshop's reactions and advice as CSV and JSON.

Machine names (``reactions_csv``, ``advice_csv``, ``workshop_json``): columns and values
as stored (``use_case``, ``config.label_bias``, comfort 2). For people
(``people_csv``): the same answers in the words people saw ("101 calls: Unfair past
grading of group B", "2 · Uncomfortable"), with ``dictionary_csv`` saying what each
column means and its machine name; ``series_csv`` joins every workshop of a series.

Each function takes a ``Store`` and a workshop code. The exports say who answered
only by ``person_id`` (the same person across a series) and the made-up nickname,
never by the participant id, which is the key to a participant's ``?p=`` link.
Hidden comments are blanked and hidden advice is left out; pending text is kept
(it was said) and marked with its status. Times carry their zone (UTC). Every text
cell of a CSV is neutralised, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from workshop.i18n import Translator

if TYPE_CHECKING:
    from workshop.store import Store


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet (no formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _when(t: datetime | None) -> str | None:
    return None if t is None or pd.isna(t) else pd.Timestamp(t).isoformat()


def _csv(df: pd.DataFrame) -> str:
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            # As objects: a column of whole numbers with gaps stays 30, not 30.0.
            df[col] = pd.Series([neutralise(v) for v in df[col]], index=df.index,
                                dtype=object)
    return df.to_csv(index=False)


def _reported(row: dict[str, Any]) -> dict[str, Any]:
    """One reaction as exported: no participant id; a hidden comment blanked; a status
    only where there was a comment to moderate."""
    out = {k: v for k, v in row.items() if k != "participant_id"}
    out["created_at"] = _when(row["created_at"])
    out["status"] = row["status"] if row["comment"] else ""
    out["comment"] = "" if row["hidden"] else row["comment"]
    return out


def reactions_csv(store: Store, code: str) -> str:
    """One row per reaction, its settings and metrics in columns; the whole history,
    with ``latest`` marking the answers that count."""
    df = store.reactions(code)
    out = pd.DataFrame([_reported(r) for r in df.to_dict("records")],
                       columns=[c for c in df.columns if c != "participant_id"])
    out["comfort"] = out["comfort"].astype("Int64")  # a skip is empty, not NaN
    return _csv(out)


def _advice(store: Store, code: str) -> list[dict[str, Any]]:
    df = store.advice(code)
    df = df[~df["hidden"].astype(bool)].drop(columns=["author_id", "my_vote", "hidden"])
    records = df.to_dict("records")
    for a in records:
        a["created_at"] = _when(a["created_at"])
        for v in ("advice_id", "agree", "disagree", "pass"):
            a[v] = int(a[v])
    return records


def advice_csv(store: Store, code: str) -> str:
    """The advice with its votes; hidden advice left out."""
    columns = ["advice_id", "created_at", "author", "person_id", "theme", "text", "status",
               "agree", "disagree", "pass"]
    return _csv(pd.DataFrame(_advice(store, code), columns=columns))


def workshop_json(store: Store, code: str) -> str:
    """The workshop, its reactions (settings and metrics nested), its advice and the
    answers to the outstanding questions (every one sent; hidden ones left out)."""
    w = store.workshop(code)
    series = store.series(code)
    payload = {
        "workshop": {
            "code": w.code,
            "title": w.title,
            "mode": w.mode,
            "series": series["name"] if series else None,
            "created_at": _when(w.created_at),
            "closed_at": _when(w.closed_at),
        },
        "reactions": [_reported(r) for r in store.reaction_rows(code)],
        "advice": _advice(store, code),
        "answers": [
            {**{k: v for k, v in a.items() if k != "participant_id"},
             "created_at": _when(a["created_at"])}
            for a in store.answers(code, history=True).to_dict("records")
            if a["status"] != "hidden"
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


# -- for people: the labels people saw (workshop.export_labels) ----------------------


def people_csv(store: Store, code: str, *, lang: str = "en") -> str:
    """One row per answer (the whole history), in the words people saw: use-case titles,
    comfort as "2 · Uncomfortable", themes by their labels, and each setting as
    "101 calls: Unfair past grading of group B" with its value as the slider said it.
    :func:`reactions_csv` is the same answers with machine names; :func:`dictionary_csv`
    says what each column means."""
    from workshop.export_labels import readable

    return _csv(readable(store, code, Translator(lang))[0])


def dictionary_csv(store: Store, code: str, *, lang: str = "en", series: bool = False) -> str:
    """One row per column of :func:`people_csv` (or, with ``series``, of
    :func:`series_csv`): the column, what it means, its values or units, and the
    machine name it has in :func:`reactions_csv` and the JSON."""
    from workshop.export_labels import merge_docs, readable, series_docs, workshops

    t = Translator(lang)
    if series:
        docs = series_docs(t) + merge_docs(
            readable(store, w["code"], t)[1] for w in workshops(store, code))
    else:
        docs = readable(store, code, t)[1]
    return _csv(pd.DataFrame(docs, columns=[t.gettext("Column"), t.gettext("Meaning"),
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
            t.gettext("Workshop date"): _when(w["created_at"]),
            t.gettext("Where"): mode_name(t, w["mode"])}, index=df.index)
        frames.append(pd.concat([head, df], axis=1))
    return _csv(pd.concat(frames, ignore_index=True, sort=False))
