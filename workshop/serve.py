"""Serve the workshop from several Streamlit processes behind one address.

    python -m workshop.serve [--port 8501] [--processes N]

One Streamlit process runs every session's script in one Python interpreter, so
it uses about one core however many the laptop has; a room of sixty phones asks
for more. This starts ``N`` Streamlit processes (default: one per core) on
loopback ports, and a small proxy on the public port (``workshop.proxy``) that
sends each device, known by its network address, to the same process every time:
a phone's session and the files that session made (the QR code, the downloads)
live in that process. Everything the room shares (workshops, reactions, the stage
and the scenario) is in the database, so every process shows the same room.

New devices go to the process with the fewest devices so far. A process that
exits is started again; its phones reconnect and find their participant again
through the ``?p=`` in their address. Each process runs ``streamlit run asgi.py``
(the app, ``app.py``, with its small ``/api/room`` route). The proxy is in front
whatever the number of processes, one included (a one-core laptop, or
``WORKSHOP_PROCESSES=1``): its timeouts, limits and ``/healthz`` always hold.
``--port 0`` takes any free port (the line it prints says which).

Each process runs the app once before anyone connects (its first run loads the
libraries), and the simulations every scenario needs are worked out once for all
by one low-priority process (``start_warm_up``). The proxy's limits, timeouts and
``GET /healthz`` are described in ``workshop.proxy``; its names are importable from
here too.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workshop.environment import env_int
from workshop.http_head import BadRequest, Request, parse_head
from workshop.proxy import CHUNK, Balancer, HealthCheck, Proxy, listen
from workshop.proxy_slots import (
    CHILD_FILES,
    NOFILE_TARGET,
    PROXY_FILES,
    STREAMLIT_PING,
    Limits,
    raise_open_files,
    streamlit_ping_interval,
)

__all__ = [
    "CHILD_FILES", "CHUNK", "NOFILE_TARGET", "PROXY_FILES", "STREAMLIT_PING", "BadRequest",
    "Balancer", "Cluster", "HealthCheck", "Limits", "Proxy", "Request", "default_processes",
    "entry_point", "free_port", "listen", "main", "parse_head", "port_free",
    "raise_open_files", "start_warm_up", "streamlit_command", "streamlit_ping_interval",
]

log = logging.getLogger("workshop.serve")

ROOT = Path(__file__).resolve().parents[1]
HEALTH_TIMEOUT = 60.0


def default_processes() -> int:
    """``WORKSHOP_PROCESSES`` if set, else one per core (at least one)."""
    return env_int("WORKSHOP_PROCESSES", max(1, os.cpu_count() or 1), minimum=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(address: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def entry_point(root: Path = ROOT) -> Path:
    """What Streamlit runs: ``asgi.py`` (the app and its own ``/api/room`` route)
    where there is one, else ``app.py``."""
    return root / "asgi.py" if (root / "asgi.py").exists() else root / "app.py"


def streamlit_command(port: int, address: str, extra: Sequence[str] = (),
                      app: Path | None = None) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app or entry_point()),
            "--server.port", str(port), "--server.address", address, *extra]


# -- the Streamlit processes ---------------------------------------------------------------


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
            return r.read() == b"ok"
    except OSError:
        return False


def _first_run(port: int) -> bool:
    url = f"http://127.0.0.1:{port}/_stcore/script-health-check"
    try:
        with urllib.request.urlopen(url, timeout=HEALTH_TIMEOUT) as r:
            return r.status == 200
    except OSError:
        return False


#: The settings of numpy's and scikit-learn's thread pools (OpenMP, OpenBLAS, MKL).
THREAD_POOLS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread_each(env: MutableMapping[str, str]) -> None:
    """Set each of ``THREAD_POOLS`` in ``env`` to one thread unless it is set: a process
    a core already fills the machine, and a pool a core in each process only makes
    them wait on each other."""
    for var in THREAD_POOLS:
        env.setdefault(var, "1")


class Cluster:
    """The Streamlit processes, started, watched and stopped together."""

    START_ATTEMPTS = 5  # a port taken between choosing it and Streamlit binding it

    def __init__(self, n: int, public_port: int, extra: Sequence[str] = (),
                 warm_up_elsewhere: bool = False, app: Path | None = None) -> None:
        self.ports = [free_port() for _ in range(n)]
        self.extra = list(extra)
        self.app = app
        # One cookie secret for all, so a cookie one process set is good in another.
        self.env = dict(os.environ, WORKSHOP_PORT=str(public_port),
                        FORWARDED_ALLOW_IPS="127.0.0.1,::1")
        one_thread_each(self.env)
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        if warm_up_elsewhere:
            self.env["WORKSHOP_WARM_UP_STARTED"] = "1"  # ui/cache.py: don't start another
        self.procs: dict[int, subprocess.Popen] = {}
        self.stopping = False
        self.on_move: Callable[[int, int], None] | None = None

    def start(self, port: int) -> None:
        # Their own "you can now view your app" banners name internal ports: hidden.
        self.procs[port] = subprocess.Popen(
            streamlit_command(port, "127.0.0.1",
                              ["--server.scriptHealthCheckEnabled", "true", *self.extra],
                              self.app),
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)

    def _move(self, old: int) -> int:
        """Start the process of port ``old`` on a new port (``old`` was taken)."""
        new = free_port()
        self.start(new)  # first: if it cannot start, ``old`` stays to be tried again
        self.procs.pop(old, None)
        self.ports = [new if p == old else p for p in self.ports]
        if self.on_move is not None:
            self.on_move(old, new)
        return new

    def start_all(self) -> None:
        for port in self.ports:
            self.start(port)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        waiting = set(self.ports)
        attempts = Counter[int]()
        while waiting:
            for port in list(waiting):
                if self.procs[port].poll() is not None:
                    attempts[port] += 1
                    if port_free("127.0.0.1", port) or attempts[port] >= self.START_ATTEMPTS:
                        self.stop()
                        raise SystemExit(f"a Streamlit process (port {port}) stopped at start")
                    waiting.discard(port)
                    new = self._move(port)
                    attempts[new] = attempts.pop(port)
                    waiting.add(new)
                elif _healthy(port):
                    waiting.discard(port)
            if waiting and time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"Streamlit did not start within {HEALTH_TIMEOUT:.0f} s")
            time.sleep(0.2)
        # Run the app once in each process before anyone connects: its first run loads
        # the libraries, seconds a room of phones would otherwise wait for.
        with ThreadPoolExecutor(len(self.ports)) as pool:
            for port, ok in zip(self.ports, pool.map(_first_run, self.ports), strict=True):
                if not ok:
                    log.warning("the app's first run on port %s failed; its pages will "
                                "say why", port)

    async def watch(self) -> None:
        """Start again any process that exits, while we are not stopping."""
        while not self.stopping:
            for port, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping:
                    log.warning("Streamlit on port %s exited (%s); starting it again",
                                port, proc.returncode)
                    try:
                        if port_free("127.0.0.1", port):
                            self.start(port)
                        else:
                            self._move(port)
                    except OSError:  # e.g. no memory to start it now: again in a second
                        log.exception("could not start Streamlit on port %s yet", port)
            await asyncio.sleep(1.0)

    def stop(self) -> None:
        self.stopping = True
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def start_warm_up() -> subprocess.Popen[bytes]:
    """``python -m workshop.warm_up --background``: the simulations every scenario
    needs, worked out at the lowest priority into the disk cache every process reads
    (it lowers its own priority, and exits at once if there is nothing to do or
    another one is running). Started as a command, so this process never loads the
    simulators (200 MB)."""
    env = dict(os.environ)
    one_thread_each(env)
    return subprocess.Popen([sys.executable, "-m", "workshop.warm_up", "--background"],
                            cwd=ROOT, env=env)


async def _serve(cluster: Cluster, sock: socket.socket, limits: Limits) -> None:
    balancer = Balancer(cluster.ports)
    cluster.on_move = balancer.moved
    health = HealthCheck(lambda: cluster.ports)
    proxy = Proxy(balancer, limits, health,
                  pids=lambda: {port: p.pid for port, p in cluster.procs.items()})
    stop = asyncio.Event()

    def halt() -> None:
        cluster.stopping = True  # before the watcher sees the processes go
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, halt)
    address, port = sock.getsockname()[:2]
    n = len(cluster.ports)
    print(f"  Serving the workshop from {n} process{'es' if n > 1 else ''} on "
          f"http://{address}:{port}", flush=True)
    watcher = asyncio.create_task(cluster.watch())
    try:
        await proxy.serve(sock, stop)
    finally:
        watcher.cancel()
        health.close()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8501, help="0: any free port")
    ap.add_argument("--address", default="0.0.0.0")
    ap.add_argument("--processes", type=int, default=None,
                    help="Streamlit processes (default: WORKSHOP_PROCESSES, else one per core)")
    args, extra = ap.parse_known_args(argv)
    n = args.processes if args.processes is not None else default_processes()
    if n < 1:
        ap.error("--processes must be at least 1")
    in_use = (f"Port {args.port} is in use: is the workshop already running? Stop it, or "
              f"start on another port (make run PORT={args.port + 1}).")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    open_files = raise_open_files()
    try:
        limits = Limits.from_env(open_files)
    except ValueError as err:  # a WORKSHOP_PROXY_ setting out of its range
        print(err, file=sys.stderr)
        return 2
    try:
        sock = listen(args.address, args.port)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            print(in_use, file=sys.stderr)
            return 2
        raise
    # The simulations are worked out by one low-priority process for all (started
    # once the app is up, so it doesn't slow the start), not inside each process.
    warming = os.environ.get("WORKSHOP_WARM_UP", "1").strip() != "0"
    cluster = Cluster(n, sock.getsockname()[1], extra, warm_up_elsewhere=warming)
    warm_up: subprocess.Popen[bytes] | None = None
    try:
        cluster.start_all()
        warm_up = start_warm_up() if warming else None
        asyncio.run(_serve(cluster, sock, limits))
    finally:
        cluster.stop()
        sock.close()
        if warm_up is not None and warm_up.poll() is None:
            warm_up.terminate()
            try:
                warm_up.wait(timeout=5)
            except subprocess.TimeoutExpired:  # at the lowest priority on a busy machine
                warm_up.kill()
                warm_up.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
