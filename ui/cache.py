"""Simulation results shared by every session in the room.

Sixty participants looking at the same setting should cost one simulation, not
sixty. Outcomes are kept per (use case, config) in one bounded memory cache per
server process (``workshop.outcome_cache.OutcomeCache``: one shared object, no copy per hit,
concurrent misses on one key compute once; at most ``WORKSHOP_MEMORY_CACHE_MB``,
default 256 MB, and ``WORKSHOP_MEMORY_CACHE_ENTRIES``, default 256). Behind it,
``workshop/outcome_cache.py`` keeps the warm-up set (every scenario, and each bias slider
moved from it) on disk, so the server's other processes and its next start load
those in milliseconds instead of simulating again; any other setting (a typed World
number) lives in memory only. Pages treat outcomes as read-only.
"""

from __future__ import annotations

import ast
import functools
import importlib
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import types
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from simulators.registry import UseCase
from ui.derived import kept_size
from workshop import outcome_cache, warm_up
from workshop.environment import env_int

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
# Set by workshop.serve (and deploy/run) for the Streamlit processes it starts: it
# runs the warm-up process itself, once for all of them.
STARTED_ELSEWHERE = "WORKSHOP_WARM_UP_STARTED"


@functools.cache
def outcomes() -> outcome_cache.OutcomeCache:
    """This process's memory cache of outcomes, for every session and for as long as the
    process lives (``outcomes.cache_clear()`` starts a new one). Dropping an outcome
    drops what pages derived from it (``ui/derived.py``: charts, figures), so the cap
    counts both."""
    return outcome_cache.OutcomeCache.from_env(attached=kept_size)


def outcome(use_case: UseCase, config: Any) -> Any:
    """``use_case``'s result for ``config``, worked out once for the whole server."""
    return outcome_cache.outcome(use_case, config, outcomes())


# -- work over many made-up towns, beside a result --------------------------------------

#: Pieces of work over towns waiting for the worker, at most: past it, the one asked
#: about longest ago is dropped (a page still showing "Working out..." asks again).
TOWNS_WAITING = 16
#: A waiting piece nobody has asked about for this long is dropped unstarted: whoever
#: asked has moved on (a page waiting for it asks every ``ui.strip.WATCH_SECONDS``).
TOWNS_STALE_SECONDS = 10.0


@dataclass
class _Job:
    name: str
    kind: str
    config: Any
    memory: outcome_cache.OutcomeCache
    first_asked: float
    last_asked: float


class _TownsQueue:
    """The work over towns this process has asked its worker for: one piece in the
    worker at a time, and a bounded queue of the rest, longest-waiting first, so a
    room exploring under load never piles up work that nobody is waiting for."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.waiting: dict[str, _Job] = {}
        self.running: str | None = None
        self.done = self.dropped = self.failed = 0

    def ask(self, key: str, job: _Job) -> None:
        with self.lock:
            if key == self.running:
                return
            if key in self.waiting:
                self.waiting[key].last_asked = job.last_asked
                return
            self.waiting[key] = job
            while len(self.waiting) > TOWNS_WAITING:
                stalest = min(self.waiting, key=lambda k: self.waiting[k].last_asked)
                del self.waiting[stalest]
                self.dropped += 1
        self._next()

    def __contains__(self, key: str) -> bool:
        with self.lock:
            return key == self.running or key in self.waiting

    def place(self, key: str) -> int | None:
        """0 if ``key`` is being worked out, n if n-th in line, None if not in line."""
        with self.lock:
            if key == self.running:
                return 0
            job = self.waiting.get(key)
            if job is None:
                return None
            return 1 + sum(j.first_asked < job.first_asked for j in self.waiting.values())

    def _next(self) -> None:
        with self.lock:
            if self.running is not None:
                return
            now = time.monotonic()
            for key in [k for k, j in self.waiting.items()
                        if now - j.last_asked > TOWNS_STALE_SECONDS]:
                del self.waiting[key]
                self.dropped += 1
            if not self.waiting:
                return
            key = min(self.waiting, key=lambda k: self.waiting[k].first_asked)
            job = self.waiting.pop(key)
            try:
                future = _submit(warm_up.towns_in_turn, job.name, job.kind, job.config)
            except RuntimeError:  # the worker is shutting down with the server
                self.waiting.clear()
                return
            self.running = key
        future.add_done_callback(lambda f: self._finished(key, job, f))

    def _finished(self, key: str, job: _Job, f: Future[Any]) -> None:
        with self.lock:
            self.running = None
        if f.cancelled() or f.exception() is not None:
            if not f.cancelled():
                self.failed += 1
                log.error("work over towns failed for %s", key, exc_info=f.exception())
        else:
            self.done += 1
            job.memory.put(key, f.result())
            outcome_cache.save_towns(job.name, job.kind, job.config, f.result())
        self._next()


_towns = _TownsQueue()


@functools.cache
def _worker() -> ProcessPoolExecutor:
    """One process at the lowest priority (``workshop.warm_up.background_worker``) for
    this server process's work over towns: seconds of CPU that must never hold up a
    slider move in the room (a thread here would share the room's GIL). It takes turns
    with the other processes' workers and the warm-up (``warm_up.towns_in_turn``)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=warm_up.background_worker,
                               initargs=(os.getpid(),))


#: What ``__main__`` is while the worker's process starts: a module naming no file.
_NO_SCRIPT = types.ModuleType("__main__")
_starting = threading.Lock()


def _submit(fn: Any, *args: Any) -> Future[Any]:
    """``fn(*args)`` in the worker. A process started with "spawn" first runs the file
    of its parent's ``__main__``, and Streamlit makes that the script it is running:
    the app (drawn for nobody, in a process meant for numbers) or, under AppTest, a
    page that stops the process for want of a workshop. So the worker is started while
    ``__main__`` names no file, and runs ``fn`` alone. A worker whose process died
    (killed, out of memory) is replaced by a new one."""
    with _starting:
        running, sys.modules["__main__"] = sys.modules["__main__"], _NO_SCRIPT
        try:
            try:
                return _worker().submit(fn, *args)
            except BrokenExecutor:
                _worker.cache_clear()
                return _worker().submit(fn, *args)
        finally:
            if sys.modules["__main__"] is _NO_SCRIPT:
                sys.modules["__main__"] = running  # a script run meanwhile keeps its own


def in_background() -> bool:
    """Whether a page may start work over towns it lacks (``WORKSHOP_TOWNS_IN_BACKGROUND``,
    1 by default; the tests set 0 and work out what they need with ``wait=True``)."""
    return env_int("WORKSHOP_TOWNS_IN_BACKGROUND", 1, maximum=1) == 1


def over_towns(use_case: UseCase, kind: str, config: Any, *, wait: bool = False) -> Any:
    """``kind``'s work over many towns for ``config`` (``workshop.outcome_cache.TOWN_WORK``:
    ``"bands"``, the spread of every number in fair towns; ``"monitor"``, the hotspots'
    monitor over many cities), shared by the whole room: from memory, from the disk
    (the warm-up's), or None while it is worked out in the background, so a page shows
    its result at once and this beside it when ready. ``wait``: work it out here."""
    name = use_case.name
    key = outcome_cache.towns_key(name, kind, config)
    memory = outcomes()
    value = memory.peek(key)
    if value is None:
        value = outcome_cache.saved_towns(name, kind, config)
        if value is not None:
            memory.put(key, value)
    if value is not None:
        return value
    if wait:
        value = memory.get(key, lambda: outcome_cache.work_over_towns(name, kind, config))
        outcome_cache.save_towns(name, kind, config, value)
        return value
    if in_background():
        now = time.monotonic()
        _towns.ask(key, _Job(name, kind, config, memory, now, now))
    return None


def pending(use_case: UseCase, kind: str, config: Any) -> bool:
    """Whether ``kind``'s work for ``config`` is waiting for, or in, the background worker."""
    return outcome_cache.towns_key(use_case.name, kind, config) in _towns


def place_in_line(use_case: UseCase, kind: str, config: Any) -> int | None:
    """Where ``kind``'s work for ``config`` is in the background worker's line: 0 being
    worked out, 1 next, ...; None if it is not in the line."""
    return _towns.place(outcome_cache.towns_key(use_case.name, kind, config))


def towns_queue() -> dict[str, int]:
    """The background work over towns: waiting, running (0 or 1), done, dropped, failed."""
    q = _towns
    with q.lock:
        return {"waiting": len(q.waiting), "running": int(q.running is not None),
                "done": q.done, "dropped": q.dropped, "failed": q.failed}


def pages_dir() -> Path:
    """Where the page scripts are: ``app_pages/``, or ``pages/`` before the move."""
    for name in ("app_pages", "pages"):
        if (ROOT / name).is_dir():
            return ROOT / name
    return ROOT / "app_pages"


def _import_what_pages_import() -> None:
    """Import every module the pages import, so no participant's first visit to a
    page waits for scikit-learn or Altair to load."""
    for page in sorted(pages_dir().glob("*.py")):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     and not node.level else [])
            for name in names:
                importlib.import_module(name)


@dataclass
class WarmUp:
    """What ``warm_up_presets`` started: the imports (a thread in this process) and,
    when the app runs without ``workshop.serve``, the simulations (a process)."""

    imports: threading.Thread
    process: subprocess.Popen[bytes] | None = None

    def join(self, timeout: float | None = None) -> None:
        """Wait for both (the tests do; the app never waits)."""
        if self.imports.is_alive():
            self.imports.join(timeout)
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass


@st.cache_resource(show_spinner=False)
def warm_up_presets() -> WarmUp:
    """Get this server ready for the room without slowing the room down.

    In this process, a thread imports what the pages import. The simulations (every
    scenario, and every one-slider move from it) are worked out in a separate process
    at the lowest priority, writing to the disk cache every process reads
    (``workshop.warm_up.start_warm_up``): ``workshop.serve`` starts that process
    once for all its Streamlit processes, and this starts it only when the app runs
    without it (``streamlit run app.py``). Once done it is done for good (until the
    simulators change). ``WORKSHOP_WARM_UP=0`` skips both (the tests do, to keep
    their cores).
    """

    def work() -> None:
        try:
            _import_what_pages_import()
        except Exception:  # noqa: BLE001 - a page will show any error itself
            log.exception("importing what the pages import failed")

    warm = WarmUp(threading.Thread(target=work, name="warm-up-imports", daemon=True))
    if not warm_up.warm_up_enabled():
        return warm
    warm.imports.start()
    if os.environ.get(STARTED_ELSEWHERE) != "1":
        warm.process = warm_up.start_warm_up(quiet=True)
        if warm.process is not None:  # reaped when it ends, not left a zombie
            threading.Thread(target=warm.process.wait, name="warm-up-reaper",
                             daemon=True).start()
    return warm
