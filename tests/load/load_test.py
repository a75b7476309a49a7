"""A full room on one laptop: N participants trying the use cases on the real server.

    python -m tests.load.load_test --sessions 60 --duration 120 --interval 5

starts the app as ``make run`` does (``workshop.serve``) on a free loopback port
with a fresh SQLite database and answer spool (``tests.browser.harness.app_server``),
creates a workshop and N participants in that database, and runs N concurrent
sessions over Streamlit's websocket protocol (``tests.load.ws_client``), each from
its own loopback address, as a phone would:

- it opens the app as its participant (``?p=<id>``) and goes through the use-case
  pages (``simulators.registry.USE_CASES``), each from a different one;
- on a page: answers the *before* question (submits the form; one in ten skips
  it), decides the cases the page deals first where it does (one tap each, after a
  pause), moves a bias slider (a setting with ``bias=True``) every ``--interval``
  seconds (jittered by 20 %) ``--moves-per-page`` times, each move rerunning only
  the page's ``st.fragment``, presses "I have tried it", and answers the *after*
  question. Back on a page it has answered, it presses "Try it again" and answers
  the after question again;
- meanwhile it asks ``/api/room?code=...`` over HTTP about once a second, as each
  phone's room banner does (``--poll``; 0: not at all).

It reports p50/p95/max of a slider change to its fragment's ``script_finished``,
of a page open, of a reaction (form submitted to the finished rerun), of a decided
case, of a step button and of a room poll; errors; the server's peak memory and CPU; and checks
every reaction it sent is stored, once (``Store.reactions``). It stops by itself
(bounded sessions, time and per-rerun timeout), talks to loopback only, and exits
1 on any error or missing reaction. ``--url`` drives a server already running (its
``--database-url`` is then needed to create participants).

By default the simulations are prepared first (``python -m workshop.warm_up``, as
a server started early has done by itself); ``--cold`` starts the server on an
empty disk cache instead, so it works them out as the room joins.

``--think 3-8`` makes each pause before a tap of a case, a step button or an answer
3 to 8 s (default 0.5 to 1.5: brisk), for a room that reads each case and question.

``--explore`` moves any slider of the page (the AI's cut-off, the share of group B,
...), not only the bias sliders, as people exploring on their own do: most moves then
ask for a simulation nobody has asked for yet. ``--workshops K`` splits the sessions
between K workshops running at once (several rooms on one server) and checks that no
answer crosses from one to another. ``--hosted N`` runs the hosted set-up instead of
``make run``'s server: ``deploy/run`` with nginx in front of N instances, on the
PostgreSQL of ``--database-url`` (or a throwaway one started for the test).

Each session waits for its rerun before its next action (as a person watching
the screen does), so a slow server gets fewer requests, not a pile-up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from tests.load.ws_client import LostRun, ProtocolError, Run, Session, Widget
from workshop.serve import default_processes

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
LIMITS = {"sessions": 500, "duration": 1800.0, "think": 120.0}
SKIP_SHARE = 0.1  # of before questions skipped, as some people do
DEALT = 8  # cases a phone is dealt to decide before trying a use of AI


@dataclass
class Options:
    sessions: int = 60
    duration: float = 120.0  # seconds of slider moving; sessions then finish their page
    interval: float = 5.0  # seconds between one session's slider moves (jittered)
    moves_per_page: int = 3
    timeout: float = 60.0  # for one rerun
    ramp: float = 5.0  # sessions join over this many seconds
    seed: int = 0
    pages: list[str] | None = None  # url paths of use-case pages; default: all of them
    poll: float = 1.0  # seconds between one session's /api/room requests; 0: none
    auto_rerun: bool = True
    url: str | None = None
    database_url: str | None = None
    server_pid: int | None = None
    processes: int | None = None  # Streamlit processes behind workshop.serve; None: its default
    cold: bool = False  # start on an empty disk cache instead of preparing it first
    explore: bool = False  # move any slider of the page, not only the bias sliders
    workshops: int = 1  # rooms at once; the sessions are shared out between them
    hosted: int = 0  # app instances behind nginx (deploy/run) on PostgreSQL; 0: make run's
    # Seconds a person pauses (reading, deciding) before each tap of a case, step button
    # or answer, from the first to the second. The default is brisk: half the load
    # comes from these taps, so a room that reads each case for longer asks less.
    think: tuple[float, float] = (0.5, 1.5)


@dataclass
class Report:
    options: dict
    url: str
    server_pid: int | None
    pages: list[str]
    slider: list[float] = field(default_factory=list)  # seconds, widget change -> run done
    slider_by_page: dict[str, list[float]] = field(default_factory=dict)
    slider_when: list[float] = field(default_factory=list)  # seconds since the start, per move
    slider_whole_page: int = 0  # moves answered by a full run instead of their fragment's
    page_open: list[float] = field(default_factory=list)
    reaction: list[float] = field(default_factory=list)
    step: list[float] = field(default_factory=list)  # "I have tried it", "Try it again"
    decide: list[float] = field(default_factory=list)  # one case decided, before the AI
    room_poll: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fragment_runs: int = 0
    fragment_requests: int = 0
    lost_runs: int = 0  # full runs whose end the server never sent (see ws_client.LostRun)
    relabelled_runs: int = 0  # slider runs drawn, their end relabelled early (ws_client)
    # (participant, use case, stage, comment): a skip has no comment
    sent: list[tuple[str, str, str, str]] = field(default_factory=list)
    stored: int = 0
    missing: list[tuple[str, str, str, str]] = field(default_factory=list)
    duplicated: int = 0
    crossed: int = 0  # answers stored under a workshop their participant is not in
    peak_rss_mb: float | None = None  # sampled, server process and its children
    hwm_mb: float | None = None  # the kernel's peak resident size, summed over the processes
    server_processes: int = 1
    server_cpu_s: float | None = None
    server_cpu: dict[str, float] = field(default_factory=dict)  # by role: app, proxy, warm-up
    other_cpu_s: float | None = None  # everything else on the machine meanwhile
    cores_busy: list[float] = field(default_factory=list)  # server CPU s per s, per 30 s
    client_cpu_s: float = 0.0  # this process: the load generator shares the cores
    wall_s: float = 0.0
    loadavg: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing and not self.crossed

    def table(self) -> str:
        o = self.options
        pages = ", ".join(self.pages) or "-"
        lines = [
            f"Load test: {o['sessions']} sessions"
            + (f" in {o['workshops']} workshops" if o["workshops"] > 1 else "")
            + f", {o['duration']:.0f} s, a move of "
            + ("any slider" if o["explore"] else "a bias slider")
            + f" every {o['interval']:g} s (±20 %), {o['moves_per_page']} per page between "
            "the before and after questions"
            + ", {:g} to {:g} s before each tap or answer".format(*o["think"])
            + (f"; /api/room every {o['poll']:g} s" if o["poll"] else ""),
            f"server {self.url} (pid {self.server_pid}"
            + (f"; nginx in front of {o['hosted']} instances, PostgreSQL" if o["hosted"]
               else "") + f"); pages: {pages}"
            + ("; cold: empty disk cache" if o["cold"] else ""),
            "",
            f"{'':36}{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}",
        ]

        def row(name: str, xs: list[float]) -> str:
            if not xs:
                return f"{name:36}{0:>6}{'-':>9}{'-':>9}{'-':>9}"
            p50, p95 = np.percentile(xs, [50, 95])
            return f"{name:36}{len(xs):>6}{p50:>8.3f}s{p95:>8.3f}s{max(xs):>8.3f}s"

        lines.append(row("slider change -> fragment finished", self.slider))
        for page, xs in sorted(self.slider_by_page.items()):
            lines.append(row(f"  on {page}", xs))
        if self.slider_when:
            window = 30.0
            for k in range(int(max(self.slider_when) // window) + 1):
                xs = [x for x, t in zip(self.slider, self.slider_when, strict=True)
                      if k * window <= t < (k + 1) * window]
                lines.append(row(f"  moves {k * window:.0f}-{(k + 1) * window:.0f} s in", xs))
        lines.append(row("page open", self.page_open))
        lines.append(row("reaction sent -> rerun finished", self.reaction))
        lines.append(row("case decided -> rerun finished", self.decide))
        lines.append(row("step button -> rerun finished", self.step))
        lines.append(row("room poll (/api/room)", self.room_poll))
        planned = o["sessions"] * o["duration"] / o["interval"]
        stages = Counter(stage if comment else f"{stage} skipped"
                         for _p, _u, stage, comment in self.sent)
        lines += [
            "",
            f"slider moves:          {len(self.slider)} done "
            f"({len(self.slider) - self.slider_whole_page} reran only their fragment), "
            f"about {planned:.0f} planned (a session waits for each rerun and answers "
            "questions between pages, so it moves less)",
            f"errors:                {len(self.errors)}"
            + (f" ({self.lost_runs} of them runs whose end the server dropped: "
               "a run_every fragment raced them)" if self.lost_runs else ""),
            f"reactions:             sent {len(self.sent)} ("
            + ", ".join(f"{n} {k}" for k, n in sorted(stages.items()))
            + f"), stored {self.stored}, missing {len(self.missing)}, "
            f"stored twice {self.duplicated}"
            + (f", in another workshop {self.crossed}" if o["workshops"] > 1 else ""),
            "server peak memory:    "
            + (f"{self.hwm_mb:.0f} MB (VmHWM, summed over {self.server_processes} "
               f"process{'es' if self.server_processes > 1 else ''})"
               if self.hwm_mb is not None else "unknown")
            + (f", {self.peak_rss_mb:.0f} MB (sampled RSS, process tree)"
               if self.peak_rss_mb is not None else ""),
        ]
        if self.fragment_requests:
            lines.append(f"run_every ticks:       {self.fragment_requests} sent")
        if self.relabelled_runs:
            lines.append(f"relabelled ends:       {self.relabelled_runs} fragment runs drawn "
                         "whose end Streamlit relabelled 'early' as a tick's run started "
                         "(tests/load/ws_client.py)")
        if self.server_cpu_s is not None and self.wall_s:
            by_role = ", ".join(f"{r} {t:.0f} s" for r, t in sorted(self.server_cpu.items()))
            lines.append(f"server CPU:            {self.server_cpu_s:.0f} s in {self.wall_s:.0f} s "
                         f"({self.server_cpu_s / self.wall_s:.2f} cores busy on average; "
                         f"{by_role})")
        if self.cores_busy:
            lines.append("server cores busy:     " + ", ".join(
                f"{c:.2f}" for c in self.cores_busy) + " (each 30 s from the start)")
        lines.append(f"load client CPU:       {self.client_cpu_s:.0f} s (this process)")
        if self.other_cpu_s is not None and self.wall_s:
            lines.append(f"other CPU:             {self.other_cpu_s:.0f} s "
                         f"({self.other_cpu_s / self.wall_s:.2f} cores on average: the rest "
                         "of the machine, not this test)")
        lines.append(f"machine load average:  {self.loadavg} (at the end; {os.cpu_count()} cores)")
        for n in self.notes:
            lines.append(f"note: {n}")
        for e in self.errors[:20]:
            lines.append(f"ERROR {e}")
        if len(self.errors) > 20:
            lines.append(f"... and {len(self.errors) - 20} more errors")
        for m in self.missing[:10]:
            lines.append(f"MISSING reaction {m}")
        lines.append("RESULT: " + ("ok" if self.ok else "FAILED"))
        return "\n".join(lines)


# -- the server's process and memory, from /proc ------------------------------------


def listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port (one of ours), found through /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{cols[9]}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def _status_kb(pid: int, field_name: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def children_of() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children[ppid].append(int(proc.name))
    return children


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children = children_of()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_seconds(pid: int) -> float | None:
    try:
        cols = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(cols[11]) + int(cols[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def machine_busy_seconds() -> float:
    """CPU seconds every core of this machine has spent busy since it started."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # without guest time


def role(pid: int) -> str | None:
    """What a process of the server is: "app" (a Streamlit process), "warm-up" (the
    background ``workshop.warm_up``), "towns" (an app's worker for bands), "nginx" (the
    hosted set-up's), or "proxy" (the
    launcher: ``workshop.serve`` or ``deploy/run``); None once it has gone."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if not cmd or cmd == [b""]:
        return None  # exited (a zombie has no command line)
    if b"streamlit" in cmd and b"run" in cmd:
        return "app"
    if b"workshop.warm_up" in cmd:
        return "warm-up"
    if any(b"multiprocessing" in part for part in cmd):
        return "towns"  # a Streamlit process's worker for work over towns (ui/cache.py)
    return "nginx" if cmd[0].startswith(b"nginx") or b"nginx" in cmd[0] else "proxy"


class ServerWatch:
    """The server's processes, from /proc: peak memory, and CPU by role."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.roles: dict[int, str] = {}  # kept, so a process that exits is still known
        self.peak_mb = 0.0
        self.sample()
        self.cpu0 = self.cpu()
        self.started = time.monotonic()
        self.busy: list[tuple[float, float]] = []  # (seconds in, CPU seconds so far)

    def sample(self) -> None:
        tree = process_tree(self.pid)
        for p in tree:
            if p not in self.roles and (r := role(p)) is not None:
                self.roles[p] = r
        kb = sum(_status_kb(p, "VmRSS") or 0 for p in tree)
        self.peak_mb = max(self.peak_mb, kb / 1024)

    async def watch(self, every: float = 0.5) -> None:
        while True:
            self.busy.append((time.monotonic() - self.started, sum(self.cpu().values())))
            await asyncio.sleep(every)

    def cores_busy(self, window: float = 30.0) -> list[float]:
        """The server's CPU seconds per second in each ``window`` of seconds."""
        out = []
        for k in range(int(self.busy[-1][0] // window) + 1 if self.busy else 0):
            inside = [(t, c) for t, c in self.busy if k * window <= t <= (k + 1) * window]
            if len(inside) > 1 and inside[-1][0] > inside[0][0]:
                out.append((inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0]))
        return out

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far, by role (processes that have exited count until reaped)."""
        self.sample()
        out: dict[str, float] = defaultdict(float)
        for p, r in self.roles.items():
            out[r] += cpu_seconds(p) or 0.0
        return dict(out)

    def cpu_since_start(self) -> dict[str, float]:
        now = self.cpu()
        return {r: now[r] - self.cpu0.get(r, 0.0) for r in now}

    def app_processes(self) -> int:
        return sum(1 for p, r in self.roles.items() if r == "app" and role(p) == "app")

    def hwm_mb(self) -> float | None:
        hwms = [_status_kb(p, "VmHWM") for p in process_tree(self.pid)]
        return sum(h for h in hwms if h) / 1024 if any(hwms) else None


# -- one participant ---------------------------------------------------------------------


def device_address(n: int) -> str:
    """Session ``n``'s own loopback address (all of 127/8 is this machine), so the
    proxy of ``workshop.serve`` sees sixty devices, as it would in a room."""
    return f"127.0.{n // 250}.{2 + n % 250}"


def use_case_pages() -> dict[str, str]:
    """url path -> use case, for every use case (``simulators.registry``)."""
    from simulators import registry

    return {Path(u.page).stem: u.name for u in registry.USE_CASES.values()}


def bias_settings() -> dict[str, set[str]]:
    """use case -> the settings that put bias into the data (``bias=True``)."""
    from simulators import registry
    from simulators.config import settings_of

    return {u: {name for name, meta, _ in settings_of(registry.config_class(u)) if meta.bias}
            for u in registry.USE_CASES}


def next_value(w: Widget, current: object, rng: random.Random) -> object:
    """One to three steps along a slider from ``current``, either way (within it)."""
    values = w.options if w.kind == "select_slider" else w.grid()
    if len(values) < 2:
        return current
    if w.kind == "select_slider":
        i = values.index(current) if current in values else 0
    else:
        at = current[0] if isinstance(current, list) and current else current
        i = int(np.argmin([abs(g - float(at or 0.0)) for g in values]))
    step = rng.choice([-3, -2, -1, 1, 2, 3])
    j = i + step if 0 <= i + step < len(values) else i - step
    return values[max(0, min(len(values) - 1, j))]


@dataclass
class Question:
    """A before or after question's form, as the page drew it."""

    comfort: Widget
    others: list[Widget]  # themes, comment, any extra question
    send: Widget
    skip: Widget | None


def question(widgets: dict[str, Widget], use_case: str, stage: str) -> Question | None:
    """The form ``reaction.<use case>.<stage>`` if the page shows it."""
    comfort = next((w for w in widgets.values()
                    if w.key == f"reaction.{use_case}.{stage}.comfort" and w.form_id), None)
    if comfort is None:
        return None
    form = [w for w in widgets.values() if w.form_id == comfort.form_id and w is not comfort]
    submits = [w for w in form if w.kind == "button" and w.submit]
    send = next((w for w in submits if w.primary), None)
    if send is None:
        return None
    return Question(comfort, [w for w in form if w not in submits], send,
                    next((w for w in submits if not w.primary), None))


def confirmed(run: Run) -> bool:
    """The answer's flash ("Thank you, your answer is saved." or "Skipped. ..."): the
    first message the page draws, under its title. A warning there means it waits
    in the spool instead."""
    return bool(run.alerts) and run.alerts[0][0] == "SUCCESS"


class Participant:
    def __init__(self, n: int, pid: str, code: str, url: str, pages: dict[str, str],
                 bias: dict[str, set[str]], opts: Options, report: Report, deadline: float,
                 started: float) -> None:
        self.n, self.pid, self.code, self.url = n, pid, code, url
        self.opts, self.report, self.bias = opts, report, bias
        self.rng = random.Random(opts.seed * 100_003 + n)
        order = list(pages)
        order = order[n % len(order):] + order[: n % len(order)] if order else []
        self.pages = [(p, pages[p]) for p in order]
        self.deadline = deadline
        self.started = started
        self.sent = 0
        self.doing = "connecting"
        self.polling = True

    def _error(self, where: str, problem: str) -> None:
        self.report.errors.append(f"session {self.n} on {where}: {problem}")

    def _check(self, where: str, run: Run) -> bool:
        problems = run.errors + [f"error message shown: {body}"
                                 for kind, body in run.alerts if kind == "ERROR"]
        for p in problems:
            self._error(where, p)
        return not problems

    async def _pace(self, due: float) -> float:
        """Wait until ``due``; return when the next move is due. A late server
        is not owed the moves it missed: the next one comes an interval later."""
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        return max(due, time.monotonic()) + self.opts.interval * self.rng.uniform(0.8, 1.2)

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.opts.think))  # reading, deciding

    async def _act(self, where: str, what: str, action: Awaitable[Run | None]) -> Run | None:
        """Do one thing; a run the server cut short is an error, and the session goes on."""
        self.doing = what
        try:
            return await action
        except LostRun as err:
            self.report.lost_runs += 1
            self._error(where, f"{what}: {err}")
            return None
        finally:
            self.doing = f"after {what}"

    async def run(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.opts.ramp))
        s = Session(self.url, query_string=f"p={self.pid}", timeout=self.opts.timeout,
                    auto_rerun=self.opts.auto_rerun, local_host=device_address(self.n))
        poller = asyncio.create_task(self.poll_room()) if self.opts.poll > 0 else None
        where = "connect"
        try:
            await s.connect()
            where = "the first page"
            run = await self._act(where, "opening it", s.open())
            if run is not None:
                self._check(where, run)
            next_move = time.monotonic() + self.rng.uniform(0, self.opts.interval)
            k = 0
            while time.monotonic() < self.deadline and self.pages:
                where, use_case = self.pages[k % len(self.pages)]
                k += 1
                next_move = await self.visit(s, where, use_case, next_move)
        except ProtocolError as err:
            self._error(where, f"{self.doing}: {err}")
            s.problems.clear()  # the same trouble, already counted
        finally:
            if poller is not None:
                # Python 3.11's wait_for can swallow a cancel that lands as the request
                # ends: the loop then stops at its next turn instead of polling on.
                self.polling = False
                poller.cancel()
                await asyncio.gather(poller, return_exceptions=True)
            self.report.fragment_runs += s.fragment_runs
            self.report.relabelled_runs += s.relabelled_runs
            self.report.fragment_requests += s.fragment_requests
            for e in s.fragment_errors:
                self.report.errors.append(f"session {self.n}, a fragment run: {e}")
            for p in s.problems:
                self.report.errors.append(f"session {self.n}: {p}")
            await s.close()

    async def visit(self, s: Session, where: str, use_case: str, next_move: float) -> float:
        """One use-case page: its steps, as a participant takes them."""
        run = await self._act(where, "opening the page", s.open(where))
        if run is None:
            return next_move
        self.report.page_open.append(run.seconds)
        self._check(where, run)
        if question(s.widgets, use_case, "before") is not None:
            await self.answer(s, where, use_case, "before")
        elif question(s.widgets, use_case, "after") is not None:
            await self.answer(s, where, use_case, "after")  # left on step 3 last time
        elif any(w.key == f"{use_case}.again" for w in s.widgets.values()):
            await self.press(s, where, f"{use_case}.again")  # answered: "Try it again"
        if self.cases_to_decide(s, use_case):
            await self.decide(s, where, use_case)
        if not self.sliders(s, use_case):
            self._error(where, "no slider to move (step 2, 'Try it', not reached)")
            return next_move
        for _ in range(self.opts.moves_per_page):
            next_move = await self._pace(next_move)
            if time.monotonic() >= self.deadline:
                break
            w = self.rng.choice(self.sliders(s, use_case))
            run = await self._act(where, f"moving {w.key}",
                                  s.set(w, next_value(w, s.current(w), self.rng)))
            if run is not None:
                self.report.slider.append(run.seconds)
                self.report.slider_when.append(time.monotonic() - self.started)
                self.report.slider_by_page.setdefault(where, []).append(run.seconds)
                self.report.slider_whole_page += not run.fragment
                self._check(f"{where} ({w.key})", run)
        if await self.press(s, where, f"{use_case}.to_after"):
            await self.answer(s, where, use_case, "after")
        return next_move

    @staticmethod
    def cases_to_decide(s: Session, use_case: str) -> list[Widget]:
        """The two answers to the case on screen, where the page deals cases first."""
        answers = (f"decide.{use_case}.yes.", f"decide.{use_case}.no.")
        return [w for w in s.widgets.values() if w.kind == "button" and w.key
                and w.key.startswith(answers)]

    async def decide(self, s: Session, where: str, use_case: str) -> None:
        """Decide each case dealt, one tap after a pause, then go on to try the AI."""
        tapped = 0
        while taps := self.cases_to_decide(s, use_case):
            if tapped >= 2 * DEALT:
                self._error(where, f"deciding did not move on after {tapped} taps")
                return
            tapped += 1
            await self.think()
            run = await self._act(where, "deciding a case", s.click(self.rng.choice(taps)))
            if run is None:
                return
            self.report.decide.append(run.seconds)
            if not self._check(f"{where} (deciding)", run):
                return
        await self.press(s, where, f"decide.{use_case}.to_try")

    def sliders(self, s: Session, use_case: str) -> list[Widget]:
        """The sliders this session moves on the page: the bias ones, or, exploring,
        every slider on screen outside a form."""
        return [w for w in s.widgets.values() if w.kind in ("select_slider", "slider")
                and not w.form_id and (self.opts.explore or w.field in self.bias[use_case])]

    async def press(self, s: Session, where: str, key: str) -> bool:
        """Press a step button; True if the page then showed the next step."""
        try:
            button = s.widget(key)
        except KeyError:
            self._error(where, f"no button {key!r}")
            return False
        await self.think()
        run = await self._act(where, f"pressing {key}", s.click(button))
        if run is None:
            return False
        self.report.step.append(run.seconds)
        return self._check(f"{where} ({key})", run)

    async def answer(self, s: Session, where: str, use_case: str, stage: str) -> None:
        """Answer (or, sometimes before trying, skip) the question, as a person would."""
        q = question(s.widgets, use_case, stage)
        if q is None:
            self._error(where, f"no {stage} question")
            return
        await self.think()
        skip = q.skip is not None and stage == "before" and self.rng.random() < SKIP_SHARE
        comment = ""
        if not skip:
            self.sent += 1
            comment = f"load test {self.n}.{self.sent} {secrets.token_hex(3)}"
            await s.set(q.comfort, self.rng.randrange(len(q.comfort.options)))
            for w in q.others:
                if w.kind == "text_area":
                    await s.set(w, comment)
                elif w.kind == "button_group" and w.options and self.rng.random() < 0.5:
                    await s.set(w, [self.rng.choice(w.options)])
                elif w.kind == "radio" and w.options and self.rng.random() < 0.5:
                    await s.set(w, self.rng.randrange(len(w.options)))  # an extra question
        self.report.sent.append((self.pid, use_case, stage, comment))
        what = f"{'skipping' if skip else 'answering'} the {stage} question"
        run = await self._act(where, what, s.click(q.skip if skip else q.send))
        if run is None:
            return
        self.report.reaction.append(run.seconds)
        if self._check(f"{where} ({stage} question)", run) and not confirmed(run):
            alerts = "; ".join(f"{k}: {b}" for k, b in run.alerts) or "no message at all"
            self._error(where, f"{stage} answer not confirmed ({alerts})")

    async def poll_room(self) -> None:
        """Ask ``/api/room`` every ``poll`` seconds, as the phone's room banner does."""
        path = f"/api/room?code={self.code}"
        await asyncio.sleep(self.rng.uniform(0, self.opts.poll))
        due = time.monotonic()
        while self.polling:
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(
                    http_get(self.url, path, device_address(self.n)), self.opts.timeout)
            except (OSError, TimeoutError, ValueError) as err:
                status = f"{type(err).__name__}: {err}"
            if status == 200:
                self.report.room_poll.append(time.perf_counter() - started)
            else:
                self._error("/api/room", f"room poll answered {status}")
            due = max(due + self.opts.poll, time.monotonic())
            await asyncio.sleep(due - time.monotonic())


def awaiting(task: asyncio.Task) -> str:
    """Where a task waits: the chain of awaits from its coroutine down, innermost last."""
    where, obj = [], task.get_coro()
    while obj is not None:
        frame = getattr(obj, "cr_frame", None) or getattr(obj, "gi_frame", None)
        if frame is not None:
            where.append(f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno} "
                         f"{frame.f_code.co_name}")
        obj = getattr(obj, "cr_await", None) or getattr(obj, "gi_yieldfrom", None)
    return " > ".join(where) or "nothing (finished)"


async def http_get(url: str, path: str, local_host: str | None = None) -> int:
    """``GET path`` from ``local_host`` on a new connection, as a browser's ``fetch``
    reaches the app through ``workshop.serve`` (one request per connection); the status."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(
        parts.hostname or "127.0.0.1", parts.port or 80,
        **({"local_addr": (local_host, 0)} if local_host else {}))
    try:
        writer.write(f"GET {parts.path.rstrip('/')}{path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     "Accept: */*\r\nConnection: close\r\n\r\n".encode())
        response = await reader.read()  # to the end
    finally:
        writer.close()
    status = response.split(b" ", 2)[1:2]
    if not status or not status[0].isdigit():
        raise ValueError(f"not an HTTP response: {response[:40]!r}")
    return int(status[0])


# -- the whole room ---------------------------------------------------------------------------


async def run_room(opts: Options, url: str, database_url: str,
                   server_pid: int | None) -> Report:
    from workshop.store import Store

    report = Report(options=asdict(opts), url=url, server_pid=server_pid, pages=[])
    async with Session(url, timeout=opts.timeout) as probe:
        await probe.open()
        server_pages = dict(probe.pages)
    known = use_case_pages()
    wanted = opts.pages or list(known)
    pages = {p: known[p] for p in wanted if p in known and p in server_pages}
    if missing := [p for p in wanted if p not in pages]:
        report.errors.append(f"use-case pages not served: {', '.join(missing)} (the server "
                             f"has {sorted(server_pages)}; use cases: {sorted(known)})")
    report.pages = list(pages)
    bias = bias_settings()

    store = Store(database_url)
    codes = [store.create_workshop(f"Load test {k + 1}", secrets.token_urlsafe(12)).code
             for k in range(opts.workshops)]
    room_of = [codes[n % len(codes)] for n in range(opts.sessions)]
    ids = [store.join(code).id for code in room_of]

    watch = ServerWatch(server_pid) if server_pid else None
    watcher = asyncio.create_task(watch.watch()) if watch else None
    client0 = time.process_time()
    machine0 = machine_busy_seconds()
    started = time.monotonic()
    deadline = started + opts.ramp + opts.duration
    people = [Participant(n, pid, room_of[n], url, pages, bias, opts, report, deadline,
                          started) for n, pid in enumerate(ids)]
    # Every session ends its page after the deadline: a step and two answers at most.
    hard_stop = opts.ramp + opts.duration + (opts.moves_per_page + 6) * opts.timeout + 30
    tasks = [asyncio.create_task(p.run()) for p in people]
    done, pending = await asyncio.wait(tasks, timeout=hard_stop)
    if pending:
        report.errors.append(f"{len(pending)} sessions still running after {hard_stop:.0f} s")
        for p, t in zip(people, tasks, strict=True):
            if t in pending:
                report.errors.append(f"session {p.n} stuck {p.doing}, at {awaiting(t)}")
                t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    for t in done:
        if t.exception() is not None:
            report.errors.append(f"a session crashed: {t.exception()!r}")
    report.wall_s = time.monotonic() - started
    report.client_cpu_s = time.process_time() - client0
    machine = machine_busy_seconds() - machine0
    if watch is not None and watcher is not None:
        watcher.cancel()
        report.peak_rss_mb = watch.peak_mb
        report.hwm_mb = watch.hwm_mb()
        report.server_processes = watch.app_processes() or 1
        report.server_cpu = watch.cpu_since_start()
        report.server_cpu_s = sum(report.server_cpu.values())
        report.cores_busy = watch.cores_busy()
        report.other_cpu_s = max(0.0, machine - report.server_cpu_s - report.client_cpu_s)
    report.loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])

    # Every reaction sent must be in the database, once, in its participant's workshop.
    stored: Counter[tuple[str, str, str, str]] = Counter()
    for code in codes:
        df = store.reactions(code)
        if not len(df):
            continue
        own = {pid for pid, room in zip(ids, room_of, strict=True) if room == code}
        report.crossed += int((~df["participant_id"].isin(own)).sum())
        stored.update(zip(df["participant_id"], df["use_case"], df["stage"],
                          df["comment"].fillna(""), strict=True))
    sent = Counter(report.sent)
    report.stored = sum(min(n, stored[k]) for k, n in sent.items())
    report.missing = [k for k, n in sent.items() for _ in range(n - stored[k])]
    report.duplicated = sum(stored[k] - n for k, n in sent.items() if stored[k] > n)
    report.notes = [f"{n} (x{c})" if c > 1 else n for n, c in Counter(report.notes).items()]
    store.engine.dispose()
    return report


@contextmanager
def _server(opts: Options) -> Iterator[tuple[str, str, int | None]]:
    if opts.url:
        host = urlsplit(opts.url).hostname
        if host not in LOOPBACK:
            raise SystemExit(f"loopback only: {opts.url} is not on this machine")
        db = opts.database_url or os.environ.get("DATABASE_URL")
        if not db:
            raise SystemExit("--url needs --database-url (or DATABASE_URL): the server's database")
        port = urlsplit(opts.url).port or 80
        yield opts.url, db, opts.server_pid or listening_pid(port)
        return
    tmp = tempfile.mkdtemp(prefix="load-")
    env = {"WORKSHOP_CACHE_DIR": os.path.join(tmp, "cache")} if opts.cold else {}
    try:
        if opts.hosted:
            with _hosted(opts, env) as served:
                yield served
            return
        from tests.browser.harness import app_server

        db = opts.database_url or f"sqlite:///{tmp}/workshop.db"
        with app_server(db, processes=opts.processes or default_processes(), env=env) as url:
            yield url, db, listening_pid(urlsplit(url).port)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _hosted(opts: Options, env: dict[str, str]) -> Iterator[tuple[str, str, int | None]]:
    """``deploy/run --instances N``: nginx in front of N instances, on PostgreSQL."""
    from deploy.hosted import find_nginx
    from tests.hosted import deployment
    from tests.postgres import postgres_server
    from workshop.serve import entry_point

    nginx = find_nginx()
    if nginx is None:
        raise SystemExit("--hosted needs nginx (Debian: apt-get install nginx)")
    with contextlib.ExitStack() as stack:
        db = opts.database_url
        if db is None:
            db = stack.enter_context(postgres_server())
            if db is None:
                raise SystemExit("--hosted needs PostgreSQL: --database-url, or the "
                                 "postgresql package for a throwaway server")
        deployed = stack.enter_context(deployment(
            entry_point(), db, nginx, instances=opts.hosted,
            env={"WORKSHOP_WARM_UP": "1", **env}))
        yield deployed.url, db, deployed.pid


def check_options(opts: Options) -> None:
    if not 1 <= opts.sessions <= LIMITS["sessions"]:
        raise ValueError(f"sessions must be 1 to {LIMITS['sessions']}")
    if not 0 < opts.duration <= LIMITS["duration"]:
        raise ValueError(f"duration must be above 0 and at most {LIMITS['duration']:.0f} s")
    if not 1 <= opts.workshops <= opts.sessions:
        raise ValueError("workshops must be 1 to the number of sessions")
    if opts.hosted < 0:
        raise ValueError("hosted is a number of instances, 0 for none")
    if opts.interval <= 0 or opts.moves_per_page < 1 or opts.timeout <= 0 or opts.poll < 0:
        raise ValueError("interval and timeout must be positive, moves_per_page at least 1, "
                         "poll 0 or more")
    low, high = opts.think
    if not 0 <= low <= high <= LIMITS["think"]:
        raise ValueError(f"think is two numbers of seconds, from 0 to {LIMITS['think']:.0f}, "
                         "the first no larger than the second")


def load_test(opts: Options) -> Report:
    """Run the whole test (starting the server unless ``opts.url``) and return the report."""
    check_options(opts)
    prepared = None if opts.cold or opts.url else prepare_simulations()
    with _server(opts) as (url, db, pid):
        report = asyncio.run(run_room(opts, url, db, pid))
    if prepared is not None:
        report.notes.append(prepared)
    return report


def prepare_simulations() -> str | None:
    """Do what a facilitator's server does before the room joins: work out the
    scenarios and one-slider moves (``python -m workshop.warm_up``; once, then on disk)."""
    from workshop import outcome_cache

    if outcome_cache.location() is None:
        return None
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "workshop.warm_up"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return f"before the room joined: {last} ({time.monotonic() - start:.0f} s in all)"


def think_range(text: str) -> tuple[float, float]:
    """``"3-8"`` -> (3.0, 8.0); ``"2"`` -> (2.0, 2.0)."""
    low, _, high = text.partition("-")
    try:
        return float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not seconds, nor two joined by '-': {text!r}") \
            from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    d = Options()
    ap.add_argument("--sessions", type=int, default=d.sessions)
    ap.add_argument("--duration", type=float, default=d.duration, help="seconds")
    ap.add_argument("--interval", type=float, default=d.interval,
                    help="seconds between one session's slider moves")
    ap.add_argument("--moves-per-page", type=int, default=d.moves_per_page)
    ap.add_argument("--timeout", type=float, default=d.timeout, help="seconds for one rerun")
    ap.add_argument("--ramp", type=float, default=d.ramp, help="sessions join over this")
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--pages", help="comma-separated use-case url paths (default: all)")
    ap.add_argument("--poll", type=float, default=d.poll,
                    help="seconds between one session's /api/room requests (0: none)")
    ap.add_argument("--no-auto-rerun", action="store_true",
                    help="don't re-run run_every fragments as browsers do")
    ap.add_argument("--url", help="a running server on this machine (default: start one)")
    ap.add_argument("--database-url", help="its database (default: a fresh SQLite file; "
                                           "with --hosted, a throwaway PostgreSQL)")
    ap.add_argument("--server-pid", type=int, help="its process (default: found by port)")
    ap.add_argument("--cold", action="store_true",
                    help="start the server on an empty disk cache instead of preparing "
                         "the simulations first (python -m workshop.warm_up)")
    ap.add_argument("--processes", type=int,
                    help="Streamlit processes to start (default: as `make run`, one per core)")
    ap.add_argument("--explore", action="store_true",
                    help="move any slider of the page, not only the bias sliders")
    ap.add_argument("--workshops", type=int, default=d.workshops,
                    help="workshops at once, the sessions shared out between them")
    ap.add_argument("--hosted", type=int, default=d.hosted, metavar="N",
                    help="the hosted set-up: nginx in front of N instances (deploy/run), on "
                         "--database-url's PostgreSQL or a throwaway one")
    ap.add_argument("--think", type=think_range, default=d.think, metavar="LOW-HIGH",
                    help="seconds a person pauses before each tap of a case, step button "
                         "or answer (default: 0.5-1.5, brisk; e.g. 3-8 for a room "
                         "that reads each case)")
    ap.add_argument("--json", help="also write the report here")
    a = ap.parse_args(argv)
    opts = Options(
        sessions=a.sessions, duration=a.duration, interval=a.interval,
        moves_per_page=a.moves_per_page, timeout=a.timeout, ramp=a.ramp, seed=a.seed,
        pages=[p.strip() for p in a.pages.split(",")] if a.pages else None, poll=a.poll,
        auto_rerun=not a.no_auto_rerun, url=a.url, database_url=a.database_url,
        server_pid=a.server_pid, processes=a.processes, cold=a.cold, explore=a.explore,
        workshops=a.workshops, hosted=a.hosted, think=a.think,
    )
    report = load_test(opts)
    print(report.table())
    if a.json:
        Path(a.json).write_text(json.dumps(asdict(report), indent=1, default=str))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
