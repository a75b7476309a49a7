"""A full room on one laptop: N participants moving sliders on the real server.

    python -m tests.load.load_test --sessions 60 --duration 120 --interval 5

starts the app as ``make run`` does (``workshop.serve``) on a free loopback port with a fresh SQLite
database (``tests.browser.harness.app_server``), creates a workshop and N
participants in that database, and runs N concurrent sessions over Streamlit's
websocket protocol (``tests.load.ws_client``). Each session opens the app as its
participant (``?p=<id>``), then cycles through the use-case pages (the "Use
cases" section of ``ui.navigation.PAGES``; every page of the app if there are
none yet): on each page it moves a bias slider every ``--interval`` seconds
(jittered by 20 %) ``--moves-per-page`` times, then sends one reaction through
the page's reaction form. Phones' ``run_every`` fragments are re-run too.

It reports p50/p95/max of widget change to finished rerun, errors, the server's
peak memory, and checks every reaction it sent is in the database. It stops by
itself (bounded sessions, time and per-rerun timeout), talks to loopback only,
and exits 1 on any error or missing reaction. ``--url`` drives a server already
running (its ``--database-url`` is then needed to create participants).

Each session waits for its rerun before its next action (as a person watching
the screen does), so a slow server gets fewer requests, not a pile-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
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
_REACTION = re.compile(r"^reaction\.(?P<use_case>[a-z0-9_]+)\.comfort$")
LIMITS = {"sessions": 500, "duration": 1800.0}


@dataclass
class Options:
    sessions: int = 60
    duration: float = 120.0  # seconds of slider moving; sessions then finish their page
    interval: float = 5.0  # seconds between one session's slider moves (jittered)
    moves_per_page: int = 3
    timeout: float = 60.0  # for one rerun
    ramp: float = 5.0  # sessions join over this many seconds
    seed: int = 0
    pages: list[str] | None = None  # url paths; default: the use cases in PAGES
    auto_rerun: bool = True
    url: str | None = None
    database_url: str | None = None
    server_pid: int | None = None
    processes: int | None = None  # Streamlit processes behind workshop.serve; None: its default
    cold: bool = False  # skip preparing the simulations (python -m simulators.cache) first


@dataclass
class Report:
    options: dict
    url: str
    server_pid: int | None
    pages: list[str]
    slider: list[float] = field(default_factory=list)  # seconds, widget change -> rerun done
    slider_by_page: dict[str, list[float]] = field(default_factory=dict)
    slider_when: list[float] = field(default_factory=list)  # seconds since the start, per move
    page_open: list[float] = field(default_factory=list)
    reaction: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fragment_runs: int = 0
    fragment_requests: int = 0
    lost_runs: int = 0  # full runs whose end the server never sent (see ws_client.LostRun)
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (participant, use case, tag)
    stored: int = 0
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    duplicated: int = 0
    peak_rss_mb: float | None = None  # sampled, server process and its children
    hwm_mb: float | None = None  # the kernel's peak resident size, summed over the processes
    server_processes: int = 1
    server_cpu_s: float | None = None
    client_cpu_s: float = 0.0  # this process: the load generator shares the cores
    wall_s: float = 0.0
    loadavg: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing

    def table(self) -> str:
        o = self.options
        pages = ", ".join(p or "(default page)" for p in self.pages) or "-"
        lines = [
            f"Load test: {o['sessions']} sessions, {o['duration']:.0f} s, a slider move every "
            f"{o['interval']:g} s (±20 %), {o['moves_per_page']} per page, then a reaction",
            f"server {self.url} (pid {self.server_pid}); pages: {pages}",
            "",
            f"{'':34}{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}",
        ]

        def row(name: str, xs: list[float]) -> str:
            if not xs:
                return f"{name:34}{0:>6}{'-':>9}{'-':>9}{'-':>9}"
            p50, p95 = np.percentile(xs, [50, 95])
            return f"{name:34}{len(xs):>6}{p50:>8.3f}s{p95:>8.3f}s{max(xs):>8.3f}s"

        lines.append(row("slider change -> rerun finished", self.slider))
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
        planned = o["sessions"] * o["duration"] / o["interval"]
        lines += [
            "",
            f"slider moves:          {len(self.slider)} done, about {planned:.0f} planned "
            "(a session waits for each rerun, so a slow server gets fewer)"
            if self.slider else "slider moves:          none (no slider on these pages)",
            f"fragment auto-reruns:  {self.fragment_requests} sent, "
            f"{self.fragment_runs} finished (run_every fragments, as phones send them)",
            f"errors:                {len(self.errors)}"
            + (f" ({self.lost_runs} of them runs whose end the server dropped: "
               "a run_every fragment raced them)" if self.lost_runs else ""),
            f"reactions:             sent {len(self.sent)}, stored {self.stored}, "
            f"missing {len(self.missing)}, stored twice {self.duplicated}",
            "server peak memory:    "
            + (f"{self.hwm_mb:.0f} MB (VmHWM, summed over {self.server_processes} "
               f"process{'es' if self.server_processes > 1 else ''})"
               if self.hwm_mb is not None else "unknown")
            + (f", {self.peak_rss_mb:.0f} MB (sampled RSS, process tree)"
               if self.peak_rss_mb is not None else ""),
        ]
        if self.server_cpu_s is not None and self.wall_s:
            lines.append(f"server CPU:            {self.server_cpu_s:.0f} s in {self.wall_s:.0f} s "
                         f"({self.server_cpu_s / self.wall_s:.2f} cores busy on average)")
        lines.append(f"load client CPU:       {self.client_cpu_s:.0f} s (this process)")
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


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds used by ``pid`` and its descendants (the proxy and its Streamlits)."""
    times = [cpu_seconds(p) for p in process_tree(pid)]
    return sum(t for t in times if t is not None) if times[0] is not None else None


def cpu_seconds(pid: int) -> float | None:
    try:
        cols = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(cols[11]) + int(cols[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def sample_memory(pid: int, peak: list[float], every: float = 0.5) -> None:
    while True:
        kb = sum(_status_kb(p, "VmRSS") or 0 for p in process_tree(pid))
        peak[0] = max(peak[0], kb / 1024)
        await asyncio.sleep(every)


# -- one participant ---------------------------------------------------------------------


def device_address(n: int) -> str:
    """Session ``n``'s own loopback address (all of 127/8 is this machine), so the
    proxy of ``workshop.serve`` sees sixty devices, as it would in a room."""
    return f"127.0.{n // 250}.{2 + n % 250}"


def _bias_sliders(widgets: dict[str, Widget]) -> list[Widget]:
    sliders = [w for w in widgets.values() if w.kind == "slider" and not w.form_id]
    bias = [w for w in sliders if w.field and "bias" in w.field]
    return bias or sliders


def _next_value(w: Widget, current: float, rng: random.Random) -> float:
    grid = w.grid()
    if len(grid) < 2:
        return current
    i = int(np.argmin([abs(g - current) for g in grid]))
    step = rng.choice([-3, -2, -1, 1, 2, 3])
    j = i + step if 0 <= i + step < len(grid) else i - step
    return grid[max(0, min(len(grid) - 1, j))]


def _reaction_form(widgets: dict[str, Widget]) -> tuple[str, Widget, list[Widget]] | None:
    """(use case, its comfort radio, the form's other widgets) or None."""
    for w in widgets.values():
        m = _REACTION.match(w.key or "")
        if m and w.kind == "radio" and w.form_id:
            return m["use_case"], w, [x for x in widgets.values()
                                      if x.form_id == w.form_id and x is not w]
    return None


class Participant:
    def __init__(self, n: int, pid: str, url: str, pages: list[str], opts: Options,
                 report: Report, deadline: float, started: float) -> None:
        self.n, self.pid, self.url, self.opts, self.report = n, pid, url, opts, report
        self.rng = random.Random(opts.seed * 100_003 + n)
        self.pages = pages[n % len(pages):] + pages[: n % len(pages)] if pages else []
        self.deadline = deadline
        self.started = started
        self.sent = 0
        self.doing = "connecting"

    def _check(self, where: str, run: Run) -> bool:
        problems = run.errors + [f"error message shown: {body}"
                                 for kind, body in run.alerts if kind == "ERROR"]
        for p in problems:
            self.report.errors.append(f"session {self.n} on {where}: {p}")
        return not problems

    async def _pace(self, due: float) -> float:
        """Wait until ``due``; return when the next move is due. A late server
        is not owed the moves it missed: the next one comes an interval later."""
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        return max(due, time.monotonic()) + self.opts.interval * self.rng.uniform(0.8, 1.2)

    async def _act(self, where: str, what: str, action: Awaitable[Run | None]) -> Run | None:
        """Do one thing; a run the server cut short is an error, and the session goes on."""
        self.doing = what
        try:
            return await action
        except LostRun as err:
            self.report.lost_runs += 1
            self.report.errors.append(f"session {self.n} on {where}, {what}: {err}")
            return None

    async def run(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.opts.ramp))
        s = Session(self.url, query_string=f"p={self.pid}", timeout=self.opts.timeout,
                    auto_rerun=self.opts.auto_rerun, local_host=device_address(self.n))
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
                page = self.pages[k % len(self.pages)]
                k += 1
                where = page or "(default page)"
                run = await self._act(where, "opening the page", s.open(page))
                if run is not None:
                    self.report.page_open.append(run.seconds)
                    self._check(where, run)
                for _ in range(self.opts.moves_per_page):
                    sliders = _bias_sliders(s.widgets)
                    if not sliders:
                        break
                    next_move = await self._pace(next_move)
                    if time.monotonic() >= self.deadline:
                        break
                    w = self.rng.choice(sliders)
                    value = s.current(w)
                    current = value[0] if value else w.min or 0.0
                    run = await self._act(where, f"moving {w.key}",
                                          s.set(w, _next_value(w, current, self.rng)))
                    if run is not None:
                        self.report.slider.append(run.seconds)
                        self.report.slider_when.append(time.monotonic() - self.started)
                        self.report.slider_by_page.setdefault(where, []).append(run.seconds)
                        self._check(f"{where} ({w.key})", run)
                await self.react(s, where)
                if not _bias_sliders(s.widgets):
                    # Nothing to move here: pace the visit like a slider move.
                    next_move = await self._pace(next_move)
        except ProtocolError as err:
            self.report.errors.append(f"session {self.n} on {where}, {self.doing}: {err}")
            s.problems.clear()  # the same trouble, already counted
        finally:
            self.report.fragment_runs += s.fragment_runs
            self.report.fragment_requests += s.fragment_requests
            for e in s.fragment_errors:
                self.report.errors.append(f"session {self.n}, a fragment rerun: {e}")
            for p in s.problems:
                self.report.errors.append(f"session {self.n}: {p}")
            await s.close()

    async def react(self, s: Session, where: str) -> None:
        form = _reaction_form(s.widgets)
        if form is None:
            self.report.notes.append(f"no reaction form on {where}")
            return
        use_case, radio, others = form
        await asyncio.sleep(self.rng.uniform(0.5, 1.5))  # reading, thinking
        self.sent += 1
        tag = f"load test {self.n}.{self.sent} {secrets.token_hex(3)}"
        await s.set(radio, self.rng.randrange(len(radio.options)))
        submit = None
        for w in others:
            if w.kind == "text_area":
                await s.set(w, tag)
            elif w.kind == "button_group" and w.options and self.rng.random() < 0.5:
                await s.set(w, [self.rng.choice(w.options)])
            elif w.kind == "button" and w.submit:
                submit = w
        if submit is None:
            self.report.errors.append(f"session {self.n} on {where}: reaction form has no submit")
            return
        self.report.sent.append((self.pid, use_case, tag))
        run = await self._act(where, "sending a reaction", s.click(submit))
        if run is None:
            return
        self.report.reaction.append(run.seconds)
        if self._check(f"{where} (reaction)", run) and not any(
            kind == "SUCCESS" for kind, _ in run.alerts
        ):
            alerts = "; ".join(f"{k}: {b}" for k, b in run.alerts) or "no message at all"
            self.report.errors.append(
                f"session {self.n} on {where}: reaction not confirmed ({alerts})")


# -- the whole room ---------------------------------------------------------------------------


def default_pages(server_pages: dict[str, str]) -> tuple[list[str], str | None]:
    """The use-case pages the server offers; all its pages if PAGES has no use case yet."""
    from ui.navigation import use_cases

    wanted = [Path(p.path).stem for p in use_cases()]
    found = [w for w in wanted if w in server_pages]
    if found:
        gone = sorted(set(wanted) - set(found))
        return found, (f"use-case pages not served: {', '.join(gone)}" if gone else None)
    return sorted(server_pages), "no use-case pages in ui/navigation.PAGES yet: every page is used"


async def run_room(opts: Options, url: str, database_url: str,
                   server_pid: int | None) -> Report:
    from workshop.store import Store

    report = Report(options=asdict(opts), url=url, server_pid=server_pid, pages=[])
    async with Session(url, timeout=opts.timeout) as probe:
        await probe.open()
        server_pages = dict(probe.pages)
    if opts.pages:
        pages = [p for p in opts.pages if p in server_pages]
        unknown = sorted(set(opts.pages) - set(pages))
        if unknown:
            report.errors.append(f"pages not served: {', '.join(unknown)} "
                                 f"(the server has {sorted(server_pages)})")
    else:
        pages, note = default_pages(server_pages)
        if note:
            report.notes.append(note)
    report.pages = pages

    store = Store(database_url)
    workshop = store.create_workshop("Load test", secrets.token_urlsafe(12))
    ids = [store.join(workshop.code).id for _ in range(opts.sessions)]

    peak = [0.0]
    sampler = asyncio.create_task(sample_memory(server_pid, peak)) if server_pid else None
    cpu0 = tree_cpu_seconds(server_pid) if server_pid else None
    client0 = time.process_time()
    started = time.monotonic()
    deadline = started + opts.ramp + opts.duration
    people = [Participant(n, pid, url, pages, opts, report, deadline, started)
              for n, pid in enumerate(ids)]
    # Every session ends its page within moves_per_page reruns after the deadline.
    hard_stop = opts.ramp + opts.duration + (opts.moves_per_page + 3) * opts.timeout + 30
    tasks = [asyncio.create_task(p.run()) for p in people]
    done, pending = await asyncio.wait(tasks, timeout=hard_stop)
    for t in pending:
        t.cancel()
    if pending:
        report.errors.append(f"{len(pending)} sessions still running after {hard_stop:.0f} s")
        await asyncio.gather(*pending, return_exceptions=True)
    for t in done:
        if t.exception() is not None:
            report.errors.append(f"a session crashed: {t.exception()!r}")
    report.wall_s = time.monotonic() - started
    report.client_cpu_s = time.process_time() - client0
    if sampler is not None:
        sampler.cancel()
        report.peak_rss_mb = peak[0]
        tree = process_tree(server_pid)
        hwms = [_status_kb(p, "VmHWM") for p in tree]
        report.hwm_mb = sum(h for h in hwms if h) / 1024 if any(hwms) else None
        # The proxy (if any) moves bytes; the Streamlit processes are what count.
        report.server_processes = max(1, len(tree) - 1) if len(tree) > 1 else 1
        cpu1 = tree_cpu_seconds(server_pid)
        if cpu0 is not None and cpu1 is not None:
            report.server_cpu_s = cpu1 - cpu0
    report.loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])

    # Every reaction sent must be in the database, once.
    df = store.reactions(workshop.code)
    stored = Counter()
    if len(df):
        stored = Counter(zip(df["participant_id"], df["use_case"], df["comment"], strict=True))
    report.stored = sum(stored[s] for s in report.sent)
    report.missing = [s for s in report.sent if stored[s] == 0]
    report.duplicated = sum(1 for s in report.sent if stored[s] > 1)
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
    from tests.browser.harness import app_server

    tmp = tempfile.mkdtemp(prefix="load-")
    db = opts.database_url or f"sqlite:///{tmp}/workshop.db"
    try:
        with app_server(db, processes=opts.processes or default_processes()) as url:
            yield url, db, listening_pid(urlsplit(url).port)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_test(opts: Options) -> Report:
    """Run the whole test (starting the server unless ``opts.url``) and return the report."""
    if not 1 <= opts.sessions <= LIMITS["sessions"]:
        raise ValueError(f"sessions must be 1 to {LIMITS['sessions']}")
    if not 0 < opts.duration <= LIMITS["duration"]:
        raise ValueError(f"duration must be above 0 and at most {LIMITS['duration']:.0f} s")
    if opts.interval <= 0 or opts.moves_per_page < 1 or opts.timeout <= 0:
        raise ValueError("interval and timeout must be positive, moves_per_page at least 1")
    prepared = None if opts.cold or opts.url else prepare_simulations()
    with _server(opts) as (url, db, pid):
        report = asyncio.run(run_room(opts, url, db, pid))
    if prepared is not None:
        report.notes.append(prepared)
    return report


def prepare_simulations() -> str | None:
    """Do what a facilitator's server does before the room joins: work out the
    scenarios and one-slider moves (``python -m simulators.cache``; once, then on disk)."""
    from simulators import cache

    if cache.location() is None:
        return None
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "simulators.cache"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return f"before the room joined: {last} ({time.monotonic() - start:.0f} s in all)"


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
    ap.add_argument("--pages", help="comma-separated url paths (default: the use cases)")
    ap.add_argument("--no-auto-rerun", action="store_true",
                    help="don't re-run run_every fragments as browsers do")
    ap.add_argument("--url", help="a running server on this machine (default: start one)")
    ap.add_argument("--database-url", help="its database (default: a fresh SQLite file)")
    ap.add_argument("--server-pid", type=int, help="its process (default: found by port)")
    ap.add_argument("--cold", action="store_true",
                    help="don't prepare the simulations first (python -m simulators.cache)")
    ap.add_argument("--processes", type=int,
                    help="Streamlit processes to start (default: as `make run`, one per core)")
    ap.add_argument("--json", help="also write the report here")
    a = ap.parse_args(argv)
    opts = Options(
        sessions=a.sessions, duration=a.duration, interval=a.interval,
        moves_per_page=a.moves_per_page, timeout=a.timeout, ramp=a.ramp, seed=a.seed,
        pages=[p.strip() for p in a.pages.split(",")] if a.pages else None,
        auto_rerun=not a.no_auto_rerun, url=a.url, database_url=a.database_url,
        server_pid=a.server_pid, processes=a.processes, cold=a.cold,
    )
    report = load_test(opts)
    print(report.table())
    if a.json:
        Path(a.json).write_text(json.dumps(asdict(report), indent=1, default=str))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
