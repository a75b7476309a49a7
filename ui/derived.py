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

from workshop.outcome_cache import size_of

_DERIVED: dict[int, dict[Hashable, Any]] = {}
_SIZES: dict[int, int] = {}  # estimated bytes of each outcome's memo, added as it grows
_LOCK = threading.Lock()


def _forget(key: int) -> None:
    _DERIVED.pop(key, None)
    _SIZES.pop(key, None)


def derived(outcome: Any, key: Hashable, build: Callable[[], Any]) -> Any:
    """``build()``, once per (outcome, key)."""
    memo = _DERIVED.get(id(outcome))
    if memo is None:
        with _LOCK:
            memo = _DERIVED.get(id(outcome))
            if memo is None:
                memo = _DERIVED[id(outcome)] = {}
                _SIZES[id(outcome)] = 0
                weakref.finalize(outcome, _forget, id(outcome))
    if key not in memo:
        value = build()
        size = size_of(value)  # once, as it is made: the cache asks often
        with _LOCK:
            if key not in memo:  # another session may have built it meanwhile
                memo[key] = value
                _SIZES[id(outcome)] = _SIZES.get(id(outcome), 0) + size
    return memo[key]


def kept_size(outcome: Any) -> int:
    """The estimated bytes of everything derived from ``outcome`` so far (measured as
    each piece was made)."""
    return _SIZES.get(id(outcome), 0)
