"""The warm-up: every scenario's simulations worked out before the room asks for them.

The warm-up set (``workshop.outcome_cache.warm_up_configs``) is worked out once (then
it is on disk, until the simulators change) in its own process at the lowest priority
(``nice`` 19, and ``SCHED_IDLE`` on Linux), so it only ever uses a core nobody in the
room is using: ``workshop.serve`` starts it (``ui/cache.py`` does when the app runs
without it); ``WORKSHOP_WARM_UP=0`` skips it. One runs at a time (a lock file in the
cache folder), and each of its pieces waits for the one turn at background work it
shares with the server processes' work over towns (:func:`background_turn`).
``python -m workshop.warm_up`` (``make prepare``) does it ahead of a workshop, in the
foreground.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from simulators import registry
from workshop.outcome_cache import (
    ROOT,
    is_saved,
    kinds_of_work,
    location,
    prune,
    save,
    save_towns,
    saved_towns,
    starting_configs,
    warm_town_configs,
    warm_up_configs,
    work_over_towns,
)

LOCK_NAME = "warm-up.lock"
#: The one turn at background work that every process using a cache folder shares.
TURN_NAME = "background.lock"


def warm_up_enabled() -> bool:
    return os.environ.get("WORKSHOP_WARM_UP", "1").strip() != "0"


def lower_priority() -> None:
    """This process at the lowest priority: nice 19, and on Linux SCHED_IDLE (it runs
    only on a core that would otherwise be idle)."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(19)
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def background_worker(server: int, check_seconds: float = 1.0) -> None:
    """Start a worker process for the background work of the server whose process id
    is ``server``: at the lowest priority, and gone within ``check_seconds`` of that
    server (a job in hand is not worth finishing for nobody)."""
    lower_priority()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(check_seconds)
        os._exit(0)

    threading.Thread(target=watch, name="server-watch", daemon=True).start()


@contextlib.contextmanager
def background_turn() -> Iterator[None]:
    """Wait for, then hold, the one turn at background work on this cache folder: a
    piece of work over towns for any server process, or the warm-up's next piece. Each
    Streamlit process has its own worker, and the warm-up its process; even at the
    lowest priority, two or three of them busy at once slowed the room's own runs
    (README, Speed), so however many ask, one piece runs at a time and background work
    takes at most one core. Without a cache folder (or off POSIX) every process takes
    its own turns."""
    where = location()
    if where is None:
        yield
        return
    with _lock_file(where / TURN_NAME, wait=True):
        yield


def towns_in_turn(use_case: str, kind: str, config: Any) -> Any:
    """``kind``'s work over towns for ``config``, done in :func:`background_turn`, or
    taken from the disk if another process saved it while this one waited."""
    with background_turn():
        saved = saved_towns(use_case, kind, config)
        return saved if saved is not None else work_over_towns(use_case, kind, config)


@contextlib.contextmanager
def _lock_file(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the lock on ``path`` (its folder made if need be) while in the block: True,
    or False at once if another process holds it and not ``wait``. Released when this
    process exits, too. Off POSIX there is no lock: always True."""
    try:
        import fcntl
    except ImportError:
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _in_order(use_cases: list[str], limit: int | None) -> Iterator[tuple[str, str | None, Any]]:
    """The warm-up's work, what a room sees first first: every page's starting
    settings (``kind`` None: a simulation), then what the pages show beside them (the
    spread in fair towns, the hotspots' monitor over many cities; only without
    ``limit``), then each bias slider moved. ``limit``: configs per use case."""
    configs = {u: warm_up_configs(u)[:limit] for u in use_cases}
    starts = {u: len(starting_configs(u)) for u in use_cases}
    for u in use_cases:
        yield from ((u, None, c) for c in configs[u][:starts[u]])
    for u in use_cases if limit is None else ():
        yield from ((u, kind, c) for kind in kinds_of_work(u)
                    for c in warm_town_configs(u, kind))
    for u in use_cases:
        yield from ((u, None, c) for c in configs[u][starts[u]:])


def prepare(use_cases: list[str] | None = None, limit: int | None = None, *,
            background: bool = False) -> int:
    """Work out every warm-up config now (e.g. the day before a workshop).

    ``background``: as the server's warm-up does: lowest priority, only if no other
    warm-up is running, stopping if the process that started it has gone, and
    quiet but for one line at the end."""
    where = location()
    if where is None:
        if background:
            return 0  # nothing is kept on disk: nothing to prepare
        print("WORKSHOP_CACHE_DIR is empty: nothing would be kept.")
        return 1
    if background and not warm_up_enabled():
        return 0
    parent = os.getppid()
    if background:
        lower_priority()
    with _lock_file(where / LOCK_NAME, wait=False) as mine:
        if background and not mine:
            return 0  # another process is on it
        prune()
        start, done, saved = time.monotonic(), 0, 0
        names = use_cases or list(registry.USE_CASES)
        for use_case, kind, config in _in_order(names, limit):
            if background and os.getppid() != parent:
                return 0  # the server stopped
            if (is_saved(use_case, config) if kind is None
                    else saved_towns(use_case, kind, config) is not None):
                saved += 1
                continue
            # Only working something out waits for a turn (skipping what is saved
            # does not). A piece a server's worker saves meanwhile is done again: rare.
            with background_turn() if background else contextlib.nullcontext():
                if kind is None:
                    save(use_case, config, registry.module(use_case).simulate(config))
                else:
                    save_towns(use_case, kind, config,
                               work_over_towns(use_case, kind, config))
            done += 1
        if not background:
            print(f"{', '.join(names)}: ready", flush=True)
        print(f"{'Warm-up: ' if background else ''}{done} simulations worked out, "
              f"{saved} already saved, in {time.monotonic() - start:.0f} s "
              f"(kept in {where})", flush=True)
    return 0


def start_warm_up(quiet: bool = False) -> subprocess.Popen[bytes] | None:
    """Start the background warm-up (``python -m workshop.warm_up --background``) as
    a separate process, unless ``WORKSHOP_WARM_UP=0`` or nothing is kept on disk. It
    lowers its own priority and exits when done, or when this process has gone."""
    if not warm_up_enabled() or location() is None:
        return None
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")  # one core at most, and only an idle one
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen([sys.executable, "-m", "workshop.warm_up", "--background"],
                            cwd=ROOT, env=env, stdout=out, stderr=out)


if __name__ == "__main__":
    # Through the module's own name, so the functions' caches and locks are the ones
    # the rest of the code (which imports workshop.warm_up) sees.
    import argparse

    from workshop import warm_up as by_name

    ap = argparse.ArgumentParser(description=by_name.prepare.__doc__.split("\n\n")[0])
    ap.add_argument("--use-case", action="append", choices=list(registry.USE_CASES),
                    help="only this use case (again for more; default: all)")
    ap.add_argument("--limit", type=int, help="at most this many configs per use case "
                    "(and none of the work over many towns)")
    ap.add_argument("--background", action="store_true",
                    help="as the server starts it: lowest priority, one at a time")
    args = ap.parse_args()
    sys.exit(by_name.prepare(args.use_case, args.limit, background=args.background))
