"""Simulation results: a bounded memory cache in each process, the warm-up set on disk.

A simulation takes a tenth to a fifth of a second; a result in memory is there at
once, and one loaded from disk takes a few milliseconds. :func:`outcome` is the one
way to a use case's result for a config. Where a result comes from:

- **Memory, per process** (:class:`OutcomeCache`): every result a page asked for, the
  most recently used kept, at most ``WORKSHOP_MEMORY_CACHE_ENTRIES`` results (default
  256) and ``WORKSHOP_MEMORY_CACHE_MB`` megabytes (default 256) per process, as
  estimated by ``size_of`` (numpy and pandas buffers, the arrays a view keeps alive,
  Python objects; what pages derive from a result and keep while it lives is measured
  again as they add to it). Concurrent misses on one key compute once.
- **Disk, shared by every process and kept across restarts**: only the warm-up set
  (``warm_up_configs``: every use case's starting settings and scenarios, then each
  with one bias slider moved to each of its values; about 730 results, 340 MB, a
  minute to work out on two cores), under ``var/cache`` (or ``WORKSHOP_CACHE_DIR``;
  set it empty to keep nothing on disk), in a folder named by a fingerprint of the
  simulators' code and data, so a change to either starts afresh rather than showing
  old numbers. At most ``WORKSHOP_CACHE_MB`` megabytes (default 1024): ``prune`` drops
  other fingerprints' folders, then the oldest results; a save that would go above it
  is skipped. A World number (seed) a participant types, or any other setting outside
  the warm-up set, is never written: typing seeds costs memory up to the cap above,
  and no disk.

``workshop/warm_up.py`` works the warm-up set out ahead of the room, in a process of
its own at the lowest priority.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import logging
import os
import pickle
import shutil
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

from simulators import registry
from simulators.config import settings_of
from simulators.stages import Flights
from workshop.environment import env_int

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
MB = 1 << 20
DISK_MB = 1024  # WORKSHOP_CACHE_MB: the most the disk cache holds
MEMORY_MB = 256  # WORKSHOP_MEMORY_CACHE_MB: the most one process keeps in memory
MEMORY_ENTRIES = 256  # WORKSHOP_MEMORY_CACHE_ENTRIES: likewise, in results
_LEGACY = ("joblib",)  # the folder of an earlier layout (joblib.Memory), dropped by prune


def disk_limit() -> int:
    """Bytes the disk cache may hold (``WORKSHOP_CACHE_MB``, default 1024)."""
    return env_int("WORKSHOP_CACHE_MB", DISK_MB) * MB


def location() -> Path | None:
    configured = os.environ.get("WORKSHOP_CACHE_DIR")
    if configured is None:
        return ROOT / "var" / "cache"
    return Path(configured) if configured.strip() else None


@functools.cache
def fingerprint(root: Path = ROOT) -> str:
    """A hash of every file the simulations depend on: simulators/ and data/."""
    h = hashlib.sha256()
    for folder in ("simulators", "data"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


# -- how big a result is ---------------------------------------------------------------

_SAMPLE = 48  # items measured in a long container; the rest are taken to be alike
_SKIP = (type, ModuleType, FunctionType, BuiltinFunctionType, MethodType)


def size_of(obj: Any) -> int:
    """An estimate of the bytes ``obj`` keeps alive: numpy buffers (a view counts the
    array it is a view of), pandas objects (deep), containers and objects' attributes,
    each object once. Long containers are measured from a sample of their items."""
    return _size(obj, set(), 0)


def _size(obj: Any, seen: set[int], depth: int) -> int:
    import numpy as np  # here: the server's proxy imports this module without them
    import pandas as pd

    if id(obj) in seen or isinstance(obj, _SKIP):
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        base = obj
        while isinstance(base.base, np.ndarray):
            base = base.base
        n = 112
        if base is obj or id(base) not in seen:
            seen.add(id(base))
            n += base.nbytes
        if obj.dtype == object and obj.size and depth < 12:
            n += _sampled(list(obj.ravel()), seen, depth)
        return n
    if isinstance(obj, pd.DataFrame | pd.Series | pd.Index):
        try:
            usage = obj.memory_usage(deep=True)
            return int(usage.sum() if isinstance(usage, pd.Series) else usage) + 500
        except Exception:  # noqa: BLE001 - an estimate: fall back to the shallow size
            return sys.getsizeof(obj)
    n = sys.getsizeof(obj, 64)
    if isinstance(obj, str | bytes | bytearray | int | float | complex | bool) or obj is None:
        return n
    if depth >= 12:
        return n
    if isinstance(obj, dict):
        items = list(obj.items())  # one step under the GIL: safe while another thread adds
        return n + _sampled([x for kv in items for x in kv], seen, depth)
    if isinstance(obj, list | tuple | set | frozenset):
        return n + _sampled(list(obj), seen, depth)
    attrs = getattr(obj, "__dict__", None)
    if isinstance(attrs, dict):
        n += _size(attrs, seen, depth + 1)
    for slot in getattr(type(obj), "__slots__", ()):
        if isinstance(slot, str) and slot != "__dict__":
            n += _size(getattr(obj, slot, None), seen, depth + 1)
    return n


def _sampled(items: list[Any], seen: set[int], depth: int) -> int:
    if len(items) <= _SAMPLE:
        return sum(_size(x, seen, depth + 1) for x in items)
    step = len(items) / _SAMPLE
    sample = [items[int(i * step)] for i in range(_SAMPLE)]
    return int(sum(_size(x, seen, depth + 1) for x in sample) * len(items) / _SAMPLE)


def _memo_of(value: Any) -> int:
    """What has been attached to a result since it was made (an ``_memo`` dict)."""
    memo = getattr(value, "_memo", None)
    return size_of(memo) if isinstance(memo, dict) and memo else 0


# -- memory: one bounded cache per process ----------------------------------------------


class OutcomeCache:
    """Results kept in memory, least recently used dropped first, bounded by entries
    and by estimated bytes. Thread-safe; concurrent misses on one key compute once.
    A result bigger than the whole budget is returned and not kept.

    ``attached(value)`` measures what is kept for a result outside it and lives as
    long as it (pages' derived views: ``ui/cache.py`` passes one for
    ``ui/derived.py``); by default, a result's own ``_memo``. It is measured again
    for the most recently used entries whenever a result is added, since pages add
    to it as they show a result."""

    REMEASURE = 16  # the most recently used entries whose attachments are measured again

    def __init__(self, max_entries: int = MEMORY_ENTRIES, max_bytes: int = MEMORY_MB * MB,
                 attached: Callable[[Any], int] = _memo_of) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("a memory cache needs room for at least one result")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.attached = attached
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, list[Any]] = OrderedDict()  # [value, base, memo]
        self._flights = Flights(self._lock)
        self._bytes = 0
        self.hits = self.misses = self.evicted = 0
        self.measured = 0  # bytes of every result computed so far, kept or not

    @classmethod
    def from_env(cls, attached: Callable[[Any], int] = _memo_of) -> OutcomeCache:
        return cls(env_int("WORKSHOP_MEMORY_CACHE_ENTRIES", MEMORY_ENTRIES, minimum=1),
                   env_int("WORKSHOP_MEMORY_CACHE_MB", MEMORY_MB, minimum=1) * MB, attached)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    @property
    def nbytes(self) -> int:
        """The estimated bytes kept (as last measured)."""
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def peek(self, key: Hashable) -> Any | None:
        """The value kept for ``key``, or None (never computes, never waits)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for ``key`` (worked out elsewhere, e.g. in the background)."""
        self.get(key, lambda: value)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for ``key``, computed by ``compute()`` if it isn't kept."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[0]
            waiting = self._flights.join(key)
            if waiting is None:
                self.misses += 1
        if waiting is not None:
            return waiting.result()
        sized: list[int] = []

        def work() -> Any:  # measured before the lock is taken to keep it
            value = compute()
            sized.append(size_of(value))
            return value

        return self._flights.run(key, work, lambda value: self._keep(key, value, sized[0]))

    def _keep(self, key: Hashable, value: Any, base: int) -> None:
        self.measured += base
        self._remeasure()
        if base <= self.max_bytes:
            self._entries[key] = [value, base, 0]
            self._bytes += base
            self._evict()

    def _remeasure(self) -> None:
        for key in list(reversed(self._entries))[: self.REMEASURE]:
            entry = self._entries[key]
            try:
                memo = self.attached(entry[0])
            except RuntimeError:  # changed while measured: keep the last estimate
                continue
            self._bytes += memo - entry[2]
            entry[2] = memo

    def _evict(self) -> None:
        while self._entries and (len(self._entries) > self.max_entries
                                 or self._bytes > self.max_bytes):
            _, (_, base, memo) = self._entries.popitem(last=False)
            self._bytes -= base + memo
            self.evicted += 1


@functools.cache
def default_cache() -> OutcomeCache:
    """This process's memory cache, for callers that don't bring their own."""
    return OutcomeCache.from_env()


# -- disk: the warm-up set only ----------------------------------------------------------


def _folder(where: Path | None = None) -> Path | None:
    where = location() if where is None else where
    return None if where is None else where / fingerprint()


def _path(use_case: str, key: str) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    return folder / use_case / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pkl")


def is_saved(use_case: str, config: Any) -> bool:
    where = _path(use_case, repr(config))
    return where is not None and where.is_file()


def save(use_case: str, config: Any, value: Any) -> bool:
    """Keep ``value`` on disk as ``use_case``'s result for ``config`` (False if nothing
    is kept on disk, or it is full)."""
    where = _path(use_case, repr(config))
    return where is not None and _save(where, repr(config), value)


def _load(where: Path, key: str) -> Any | None:
    try:
        with open(where, "rb") as f:
            saved_key, value = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - unreadable (another library version): work it out
        log.warning("dropping an unreadable cached result: %s", where)
        with contextlib.suppress(OSError):
            where.unlink()
        return None
    if saved_key != key:  # two configs with one file name: not ours
        return None
    with contextlib.suppress(OSError):
        os.utime(where)  # recently used: pruned last
    return value


class _Budget:
    """The disk cache's size, counted again at most every ``every`` seconds."""

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self._lock = threading.Lock()
        self._used: int | None = None
        self._when = 0.0
        self.warned = False

    def take(self, nbytes: int) -> bool:
        with self._lock:
            now = time.monotonic()
            if self._used is None or now - self._when > self.every:
                self._used, self._when = disk_usage(), now
            if self._used + nbytes > disk_limit():
                return False
            self._used += nbytes
            return True


_budget = _Budget()


def _save(where: Path, key: str, value: Any) -> bool:
    """Write atomically (another process may read it at any moment); False if the
    disk cache is full or the write failed."""
    try:
        data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a result that can't be kept is still a result
        log.exception("a result could not be saved")
        return False
    if not _budget.take(len(data)):
        if not _budget.warned:
            _budget.warned = True
            log.warning("the simulation cache is full (WORKSHOP_CACHE_MB=%d): results "
                        "are no longer saved until it is pruned", disk_limit() // MB)
        return False
    tmp = where.with_name(f".{where.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, where)
    except OSError as err:
        log.warning("a result could not be saved in %s: %s", where.parent, err)
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _files(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            yield Path(dirpath) / name


def disk_usage(where: Path | None = None) -> int:
    """Bytes in the disk cache's folder (0 if there is none)."""
    where = location() if where is None else where
    if where is None or not where.exists():
        return 0
    total = 0
    for path in _files(where):
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def prune(bytes_limit: int | None = None) -> None:
    """Drop results of other code versions, then the least recently used while the
    cache is above ``bytes_limit`` (default ``WORKSHOP_CACHE_MB``)."""
    where = location()
    if where is None or not where.exists():
        return
    limit = disk_limit() if bytes_limit is None else bytes_limit
    current = fingerprint()
    for child in where.iterdir():
        stale = (child.is_dir() and child.name != current
                 and (child.name in _LEGACY or _looks_like_fingerprint(child.name)))
        if stale:
            shutil.rmtree(child, ignore_errors=True)
    day_ago = time.time() - 86400
    results = []
    for path in _files(where / current):
        with contextlib.suppress(OSError):
            st = path.stat()
            if path.name.endswith(".tmp") and st.st_mtime < day_ago:
                path.unlink()  # left by a process that stopped mid-write
            elif path.suffix == ".pkl":
                results.append((st.st_mtime, st.st_size, path))
    total = disk_usage(where)
    for _mtime, size, path in sorted(results):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size


def _looks_like_fingerprint(name: str) -> bool:
    return len(name) == 16 and all(c in "0123456789abcdef" for c in name)


# -- what a page calls -------------------------------------------------------------------


def outcome(use_case: registry.UseCase, config: Any,
            memory: OutcomeCache | None = None) -> Any:
    """``use_case``'s simulation of ``config``: from memory, else (warm-up set) from
    disk, else worked out (and, for the warm-up set, saved for every process)."""
    key = repr(config)
    memory = default_cache() if memory is None else memory
    return memory.get((use_case.name, key),
                      lambda: _load_or_simulate(use_case, key, config))


def _load_or_simulate(use_case: registry.UseCase, key: str, config: Any) -> Any:
    where = _path(use_case.name, key) if is_warm(use_case.name, config) else None
    if where is not None:
        value = _load(where, key)
        if value is not None:
            return value
    value = use_case.module().simulate(config)
    if where is not None:
        _save(where, key, value)
    return value


# -- what a page shows beside a result: numbers over many made-up towns ---------------

def kinds_of_work(use_case: str) -> tuple[str, ...]:
    """The work over many made-up towns ``use_case``'s page shows beside a result:
    ``"bands"``, the spread of its numbers in fair towns (``simulators.chance``), and
    whatever its declaration adds (``UseCase.towns``, e.g. the hotspots' monitor)."""
    return ("bands", *(name for name, _module in registry.get(use_case).towns))


def _work(use_case: str, kind: str) -> Any:
    modules = dict(registry.get(use_case).towns)
    if kind not in modules:
        raise ValueError(f"no work over towns called {kind!r} for {use_case!r}")
    return importlib.import_module(modules[kind])


def towns_key(use_case: str, kind: str, config: Any) -> str:
    """What ``kind``'s work for ``config`` depends on: a bias slider or a typed World
    number asks for nothing new."""
    from simulators import chance

    if kind == "bands":
        return f"bands:{chance.fair_key(use_case, config)}"
    return f"{kind}:{_work(use_case, kind).towns_key(config)}"


def work_over_towns(use_case: str, kind: str, config: Any) -> Any:
    """Do ``kind``'s work for ``config`` (seconds: a page never waits for it)."""
    if kind == "bands":
        from simulators.chance import chance_bands

        return chance_bands(use_case, config)
    return _work(use_case, kind).towns(config)


def saved_towns(use_case: str, kind: str, config: Any) -> Any | None:
    """``kind``'s work for ``config`` from disk, if the warm-up saved it."""
    key = towns_key(use_case, kind, config)
    if key not in _warm_town_keys(use_case):
        return None  # only the warm-up set is ever saved: no need to look
    where = _path(use_case, key)
    return None if where is None else _load(where, key)


def save_towns(use_case: str, kind: str, config: Any, value: Any) -> bool:
    """Keep ``kind``'s work on disk when it belongs to the warm-up set (False otherwise)."""
    key = towns_key(use_case, kind, config)
    if key not in _warm_town_keys(use_case):
        return False
    where = _path(use_case, key)
    return where is not None and _save(where, key, value)


@functools.cache
def _warm_town_keys(use_case: str) -> frozenset[str]:
    return frozenset(towns_key(use_case, kind, c) for c in warm_up_configs(use_case)
                     for kind in kinds_of_work(use_case))


def warm_town_configs(use_case: str, kind: str) -> list[Any]:
    """One config for each distinct piece of ``kind``'s work the warm-up set needs, in
    the warm-up's order."""
    seen: dict[str, Any] = {}
    for config in warm_up_configs(use_case):
        seen.setdefault(towns_key(use_case, kind, config), config)
    return list(seen.values())


# -- the warm-up set -------------------------------------------------------------------


def _grid(lo: float, hi: float, step: float) -> list[float]:
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 10) for i in range(n + 1)]


def starting_configs(use_case: str) -> list[Any]:
    """What a page shows first: the default settings, then every scenario's."""
    cls = registry.config_class(use_case)
    return list(dict.fromkeys([cls(), *(p.config for p in registry.presets(use_case))]))


def warm_up_configs(use_case: str) -> list[Any]:
    """The starting configs, then each with one bias slider moved to each of its
    values: what a room moving sliders from a scenario asks for. Nearest moves
    first (one step from every start, then two, ...), so a warm-up cut short has
    done the likeliest ones. No config twice."""
    cls = registry.config_class(use_case)
    bases = starting_configs(use_case)
    sliders = [(name, _grid(m.min, m.max, m.step)) for name, m, _ in settings_of(cls)
               if m.bias and m.step]
    moves: list[tuple[int, int, Any]] = []
    for b, base in enumerate(bases):
        for name, values in sliders:
            here = min(range(len(values)), key=lambda i: abs(values[i] - getattr(base, name)))
            moves += [(abs(i - here), b, base.replace(**{name: v}))
                      for i, v in enumerate(values)]
    moves.sort(key=lambda m: (m[0], m[1]))
    return list(dict.fromkeys([*bases, *(c for _, _, c in moves)]))


@functools.cache
def _warm_keys(use_case: str) -> frozenset[str]:
    return frozenset(repr(c) for c in warm_up_configs(use_case))


def is_warm(use_case: str, config: Any) -> bool:
    """In the warm-up set (and so kept on disk)."""
    return repr(config) in _warm_keys(use_case)
