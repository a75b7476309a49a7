"""Server CPU per slider move, one device over the websocket, on the real server.

Run: ``.venv/bin/python -m tests.benchmarks.bench_server [--moves 30]``

Starts the app as ``make run`` does (``workshop.serve``, one Streamlit process per
core behind the proxy; no background warm-up, so nothing else runs), after
preparing the simulations on disk (``python -m workshop.warm_up``) as a server
started early has. One session (``tests.load.ws_client``) joins as a participant
and, on each use-case page, answers the before question, then moves a bias slider
(a ``select_slider``):

- new value: the first visit of each of a few values (the process loads the
  outcome from the disk cache, or simulates it);
- fragment: ``--moves`` moves among those values, each rerunning only the page's
  ``st.fragment``, as a phone does;
- whole page: the same moves as full reruns (as if the page had no fragment);
- exploring: another setting (not bias: the cut-off, a share, a size) moved to
  values nobody has asked for, each a new outcome (or stage of one) and a new band
  of what chance alone makes, which the page's worker works out in the background.

For each it reads the server processes' CPU time from /proc before and after
(the Streamlit processes and the proxy; 10 ms ticks) and reports CPU ms per move
(the bands' worker, busy in the background meanwhile, apart) and the wall time of
each move (send to ``script_finished``). Then ``--polls``
requests to ``/api/room`` (what each phone asks every second), CPU ms per request.
Figures, not verdicts: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from tests.benchmarks.timing import stats
from tests.browser.harness import app_server
from tests.load.load_test import (
    Participant,
    ServerWatch,
    bias_settings,
    http_get,
    listening_pid,
    prepare_simulations,
    question,
    use_case_pages,
)
from tests.load.ws_client import Session, Widget
from workshop.serve import default_processes

VALUES = 4  # distinct slider values visited on each page


async def _measure(watch: ServerWatch, n: int,
                   action: Callable[[int], Awaitable[float]]) -> dict[str, float]:
    """Run ``action(i)`` for i < n (each returns its wall seconds): wall ms per action
    (median, p95) and the server's CPU ms per action over the lot."""
    before = watch.cpu()
    wall = [1000 * await action(i) for i in range(n)]
    after = watch.cpu()
    cpu = {r: after.get(r, 0.0) - before.get(r, 0.0) for r in after}
    towns = cpu.pop("towns", 0.0)  # the bands' worker, in the background meanwhile
    return {**stats(wall), "cpu_ms": round(1000 * sum(cpu.values()) / n, 1),
            "towns_ms": round(1000 * towns / n, 1)}


def _values(s: Session, w: Widget) -> list[str]:
    """A few of the slider's options next to where it stands, it first."""
    here = w.options.index(s.current(w)) if s.current(w) in w.options else 0
    start = max(0, min(here, len(w.options) - VALUES))
    return w.options[start:start + VALUES]


async def bench_page(s: Session, watch: ServerWatch, page: str, use_case: str,
                     bias: set[str], moves: int) -> dict[str, dict[str, float]]:
    run = await s.open(page)
    assert not run.errors, run.errors
    q = question(s.widgets, use_case, "before")
    if q is not None and q.skip is not None:
        run = await s.click(q.skip)  # on to step 2, "Try it" (or deciding cases first)
        assert not run.errors, run.errors
    while taps := Participant.cases_to_decide(s, use_case):
        run = await s.click(taps[0])
        assert not run.errors, run.errors
    if f"decide.{use_case}.to_try" in {w.key for w in s.widgets.values()}:
        run = await s.click(s.widget(f"decide.{use_case}.to_try"))
        assert not run.errors, run.errors
    slider = next(w for w in sorted(s.widgets.values(), key=lambda w: w.key or "")
                  if w.kind == "select_slider" and not w.form_id and w.field in bias)
    values = _values(s, slider)

    def move(whole_page: bool, values: list[str]) -> Callable[[int], Awaitable[float]]:
        async def one(i: int) -> float:
            # The value must change each time, or the browser would send nothing.
            value = values[i % len(values)]
            if value == s.current(slider):
                value = values[(i + 1) % len(values)]
            run = await s.set(slider, value, whole_page=whole_page)
            assert run is not None and not run.errors, run and run.errors
            assert run.fragment != whole_page, run.status
            return run.seconds
        return one

    moved = {
        f"{slider.field}, new value": await _measure(watch, len(values),
                                                     move(False, values[1:] + values[:1])),
        "fragment": await _measure(watch, moves, move(False, values)),
        "whole page": await _measure(watch, moves, move(True, values)),
    }
    # Exploring: another setting (the cut-off, the share of group B, ...) moved to
    # values nobody has asked for: a simulation, or a stage of one, and a new band.
    other = next((w for w in sorted(s.widgets.values(), key=lambda w: w.key or "")
                  if w.kind in ("select_slider", "slider") and not w.form_id
                  and w.field not in bias), None)
    explored = {}
    if other is not None:
        grid = other.options if other.kind == "select_slider" else other.grid()
        fresh = [v for v in grid if v != s.current(other)][-VALUES:]

        async def explore(i: int) -> float:
            run = await s.set(other, fresh[i])
            assert run is not None and not run.errors, run and run.errors
            return run.seconds

        explored = {f"{other.field}, new value (exploring)":
                    await _measure(watch, len(fresh), explore)}
    return {**moved, **explored}


async def bench(url: str, database_url: str, moves: int, polls: int) -> None:
    from workshop.store import Store

    store = Store(database_url)
    workshop = store.create_workshop("Server benchmark", secrets.token_urlsafe(12))
    pid = store.join(workshop.code).id
    store.engine.dispose()
    server = listening_pid(urlsplit(url).port)
    assert server is not None, "the server's process was not found"
    watch = ServerWatch(server)
    bias = bias_settings()
    print(f"one device on {url}, {watch.app_processes()} app processes; "
          f"{moves} moves each\n")
    print("| use case | what | wall median ms | wall p95 ms | moves | server CPU ms per move "
          "| bands' worker CPU ms per move (background) |")
    print("|---|---|---|---|---|---|---|")
    async with Session(url, query_string=f"p={pid}", timeout=120) as s:
        await s.open()
        for page, use_case in use_case_pages().items():
            for what, f in (await bench_page(s, watch, page, use_case, bias[use_case],
                                             moves)).items():
                print(f"| {use_case} | {what} | {f['median_ms']:.0f} | {f['p95_ms']:.0f} | "
                      f"{f['n']} | {f['cpu_ms']:.0f} | {f['towns_ms']:.0f} |", flush=True)

    async def poll(_i: int) -> float:
        started = time.perf_counter()
        assert await http_get(url, f"/api/room?code={workshop.code}") == 200
        return time.perf_counter() - started

    f = await _measure(watch, polls, poll)
    print(f"\n/api/room: {polls} requests, wall median {f['median_ms']:.1f} ms, "
          f"p95 {f['p95_ms']:.1f} ms, server CPU {f['cpu_ms']:.1f} ms per request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="per page and kind of rerun")
    parser.add_argument("--polls", type=int, default=200, help="requests to /api/room")
    parser.add_argument("--processes", type=int, default=default_processes())
    args = parser.parse_args()
    note = prepare_simulations()
    if note:
        print(note)
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/workshop.db"
        with app_server(db, processes=args.processes, env={"WORKSHOP_WARM_UP": "0"}) as url:
            asyncio.run(bench(url, db, args.moves, args.polls))


if __name__ == "__main__":
    main()
