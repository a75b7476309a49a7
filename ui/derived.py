"""What pages derive from a shared outcome, worked out once for the whole room.

Outcomes are shared by every session (``ui/cache.py``), so a chart, a list of
labels or an outcome's :class:`ui.figures.Figures` that depends only on the outcome
(and the language) is built once however many phones show it. Kept here, outside
the outcome, and dropped when the outcome is: what is returned is shared, so treat
it as read-only.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any

_DERIVED: dict[int, dict[Hashable, Any]] = {}
_LOCK = threading.Lock()


def derived(outcome: Any, key: Hashable, build: Callable[[], Any]) -> Any:
    """``build()``, once per (outcome, key)."""
    memo = _DERIVED.get(id(outcome))
    if memo is None:
        with _LOCK:
            memo = _DERIVED.get(id(outcome))
            if memo is None:
                memo = _DERIVED[id(outcome)] = {}
                weakref.finalize(outcome, _DERIVED.pop, id(outcome), None)
    if key not in memo:
        memo[key] = build()
    return memo[key]


def kept_for(outcome: Any) -> dict[Hashable, Any]:
    """Everything derived from ``outcome`` so far (read-only; for measuring its size)."""
    return dict(_DERIVED.get(id(outcome), {}))
