"""A simulation in stages, each kept on exactly the settings it depends on. Pure Python.

A slider recomputes only what depends on it: a use case splits its ``simulate`` into
stages (the town, what the AI hears, the trained model, its decisions, ...), each a
function of the few settings it reads, and keeps each stage's recent results in a
:class:`StageCache`. Moving the fast-track cut-off then rescores a model already
trained; moving a reviewer's bias touches only the review. The result is the same as
working everything out afresh (``tests/test_stages.py`` checks it for many configs):
a stage is a pure function of its key.

Each cache is bounded (``max_entries`` results, the least recently used dropped
first), counted (hits, misses, evicted) and thread-safe: the server's sessions call
``simulate`` from several threads at once, and concurrent misses on one key compute
once. Stage results are shared by every outcome made from them: treat them as
read-only.

>>> @staged(max_entries=2)
... def square(x: int) -> int:
...     return x * x
>>> square(3), square(3), square.cache.hits, square.cache.misses
(9, 9, 1, 1)
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: Every stage cache, by name (``module.function`` for those made with :func:`staged`).
CACHES: dict[str, StageCache] = {}


class Flights:
    """Work being done for a cache, by key, so that threads asking for the same key at
    once wait for the first one's answer instead of working it out again. The cache's
    own lock guards both: call :meth:`join` holding it, :meth:`run` without."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._pending: dict[Hashable, Future[Any]] = {}

    def join(self, key: Hashable) -> Future[Any] | None:
        """The work already under way for ``key`` (wait for its ``result()``), or None:
        the caller is now the one to :meth:`run` it."""
        waiting = self._pending.get(key)
        if waiting is None:
            self._pending[key] = Future()
        return waiting

    def run(self, key: Hashable, compute: Callable[[], Any], keep: Callable[[Any], None]) -> Any:
        """Work out ``key`` with ``compute()``, ``keep`` the value (called holding the
        lock, as the key stops being pending) and hand it to whoever waits; a failure
        is kept by nobody and raised to all."""
        try:
            value = compute()
        except BaseException as err:
            with self._lock:
                mine = self._pending.pop(key)
            mine.set_exception(err)
            raise
        with self._lock:
            mine = self._pending.pop(key)
            keep(value)
        mine.set_result(value)
        return value


class StageCache:
    """The most recent ``max_entries`` results of one stage, by key."""

    def __init__(self, name: str, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("a stage cache needs room for at least one result")
        self.name = name
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._flights = Flights(self._lock)
        self.hits = self.misses = self.evicted = 0
        CACHES[name] = self

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The result for ``key``, computed by ``compute()`` if it isn't kept (once, if
        several threads ask at the same time)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            waiting = self._flights.join(key)
            if waiting is None:
                self.misses += 1
            else:  # another thread is working it out: wait for that
                self.hits += 1
        if waiting is not None:
            return waiting.result()
        return self._flights.run(key, compute, lambda value: self._keep(key, value))

    def _keep(self, key: Hashable, value: Any) -> None:
        self._entries[key] = value
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
            self.evicted += 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def stats(self) -> dict[str, int]:
        return {"entries": len(self), "max_entries": self.max_entries, "hits": self.hits,
                "misses": self.misses, "evicted": self.evicted}


def staged(max_entries: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep a stage function's last ``max_entries`` results, keyed on its (hashable)
    arguments, however they are passed. The wrapper has ``.cache`` (its
    :class:`StageCache`) and ``.cache_clear()``, as ``functools.lru_cache`` has."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        cache = StageCache(f"{fn.__module__}.{fn.__qualname__}", max_entries)
        signature = inspect.signature(fn)
        arity = len(signature.parameters)

        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            if kwargs or len(args) < arity:  # one key, named or not, defaults or not
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                args = bound.args
            return cache.get(args, lambda: fn(*args))

        call.cache = cache  # type: ignore[attr-defined]
        call.cache_clear = cache.clear  # type: ignore[attr-defined]
        return call

    return wrap


def clear_all() -> None:
    """Empty every stage cache: the next simulation works everything out afresh."""
    for cache in list(CACHES.values()):
        cache.clear()


def stats() -> dict[str, dict[str, int]]:
    """Each stage cache's entries, cap, hits, misses and evictions."""
    return {name: cache.stats() for name, cache in sorted(CACHES.items())}

