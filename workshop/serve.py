"""Serve the workshop from several Streamlit processes behind one address.

    python -m workshop.serve [--port 8501] [--processes N]

One Streamlit process runs every session's script in one Python interpreter, so
it uses about one core however many the laptop has; a room of sixty phones asks
for more. This starts ``N`` Streamlit processes (default: one per core) on
loopback ports, and a small TCP proxy on the public port that sends each device,
known by its network address, to the same process every time: a phone's session
and the files that session made (the QR code, the downloads) live in that
process. Everything the room shares (workshops, reactions, the stage and the
scenario) is in the database, so every process shows the same room.

New devices go to the process with the fewest devices so far. A process that
exits is started again on its port; its phones reconnect and find their
participant again through the ``?p=`` in their address. With one process (or
``WORKSHOP_PROCESSES=1``) this simply runs ``streamlit run app.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger("workshop.serve")

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 16
HEALTH_TIMEOUT = 60.0


def default_processes() -> int:
    """``WORKSHOP_PROCESSES`` if set, else one per core (at least one)."""
    configured = os.environ.get("WORKSHOP_PROCESSES", "").strip()
    if configured:
        n = int(configured)
        if n < 1:
            raise ValueError("WORKSHOP_PROCESSES must be at least 1")
        return n
    return max(1, os.cpu_count() or 1)


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


def streamlit_command(port: int, address: str, extra: Sequence[str] = ()) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.port", str(port), "--server.address", address, *extra]


class Balancer:
    """Which process serves which device: sticky, new devices to the least busy."""

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self.devices: dict[str, int] = {}
        self.load: Counter[int] = Counter({p: 0 for p in self.ports})

    def port_for(self, device: str) -> int:
        if device not in self.devices:
            port = min(self.ports, key=lambda p: (self.load[p], self.ports.index(p)))
            self.devices[device] = port
            self.load[port] += 1
        return self.devices[device]


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _relay(balancer: Balancer, client_r: asyncio.StreamReader,
                 client_w: asyncio.StreamWriter) -> None:
    device = (client_w.get_extra_info("peername") or ("?",))[0]
    port = balancer.port_for(device)
    try:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", port)
    except OSError:  # that process is restarting: the browser will retry
        client_w.close()
        return
    await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))


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


class Cluster:
    """The Streamlit processes, started, watched and stopped together."""

    def __init__(self, n: int, public_port: int, extra: Sequence[str] = ()) -> None:
        self.ports = [free_port() for _ in range(n)]
        self.extra = list(extra)
        # One cookie secret for all, so a cookie one process set is good in another.
        self.env = dict(os.environ, WORKSHOP_PORT=str(public_port))
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.procs: dict[int, subprocess.Popen] = {}
        self.stopping = False

    def start(self, port: int) -> None:
        # Their own "you can now view your app" banners name internal ports: hidden.
        self.procs[port] = subprocess.Popen(
            streamlit_command(port, "127.0.0.1",
                              ["--server.scriptHealthCheckEnabled", "true", *self.extra]),
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)

    def start_all(self) -> None:
        for port in self.ports:
            self.start(port)
        deadline = time.monotonic() + HEALTH_TIMEOUT
        waiting = set(self.ports)
        while waiting:
            for port in list(waiting):
                if self.procs[port].poll() is not None:
                    self.stop()
                    raise SystemExit(f"a Streamlit process (port {port}) stopped at start")
                if _healthy(port):
                    waiting.discard(port)
            if waiting and time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"Streamlit did not start within {HEALTH_TIMEOUT:.0f} s")
            time.sleep(0.2)
        # Run the app once in each process before anyone connects: its first run loads
        # the libraries and starts the warm-up, seconds a room of phones would wait for.
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
                    self.start(port)
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


async def _serve(cluster: Cluster, address: str, port: int) -> None:
    balancer = Balancer(cluster.ports)
    server = await asyncio.start_server(lambda r, w: _relay(balancer, r, w), address, port,
                                        reuse_address=True)
    stop = asyncio.Event()

    def halt() -> None:
        cluster.stopping = True  # before the watcher sees the processes go
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, halt)
    print(f"  Serving the workshop from {len(cluster.ports)} processes on "
          f"http://{address}:{port}", flush=True)
    watcher = asyncio.create_task(cluster.watch())
    async with server:
        await stop.wait()
    watcher.cancel()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8501)
    ap.add_argument("--address", default="0.0.0.0")
    ap.add_argument("--processes", type=int, default=None,
                    help="Streamlit processes (default: WORKSHOP_PROCESSES, else one per core)")
    args, extra = ap.parse_known_args(argv)
    n = args.processes if args.processes is not None else default_processes()
    if n < 1:
        ap.error("--processes must be at least 1")
    if not port_free(args.address, args.port):
        print(f"Port {args.port} is in use: is the workshop already running? Stop it, or "
              f"start on another port (make run PORT={args.port + 1}).", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if n == 1:
        cmd = streamlit_command(args.port, args.address, extra)
        os.chdir(ROOT)
        os.execv(cmd[0], cmd)
    cluster = Cluster(n, args.port, extra)
    cluster.start_all()
    try:
        asyncio.run(_serve(cluster, args.address, args.port))
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
