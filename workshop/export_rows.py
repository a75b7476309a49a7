"""Cells and rows as every export writes them: text a spreadsheet never runs as a
formula, times with their zone, and a reaction as a researcher may see it.

>>> neutralise("=1+1"), neutralise("fine")
("'=1+1", 'fine')
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet (no formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def when(t: datetime | None) -> str | None:
    return None if t is None or pd.isna(t) else pd.Timestamp(t).isoformat()


def csv_text(df: pd.DataFrame) -> str:
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            # As objects: a column of whole numbers with gaps stays 30, not 30.0.
            df[col] = pd.Series([neutralise(v) for v in df[col]], index=df.index,
                                dtype=object)
    return df.to_csv(index=False)


def reported(row: dict[str, Any]) -> dict[str, Any]:
    """One reaction as exported: no participant id; a hidden comment blanked; a status
    only where there was a comment to moderate."""
    out = {k: v for k, v in row.items() if k != "participant_id"}
    out["created_at"] = when(row["created_at"])
    out["status"] = row["status"] if row["comment"] else ""
    out["comment"] = "" if row["hidden"] else row["comment"]
    return out
