"""The hosted set-up: N app instances behind nginx, sharing one PostgreSQL database.

    DATABASE_URL=postgresql://user:password@dbhost/workshops deploy/run --instances 4 --port 8080

starts ``--instances`` plain Streamlit processes (``streamlit run asgi.py``) on loopback
ports, renders ``deploy/nginx.conf.template`` for them into ``--workdir`` (default
``var/deploy``) and runs nginx from there in front of them on ``--address:--port``:
sticky sessions by a cookie, websocket upgrades, timeouts, ``X-Forwarded-For`` set to
the client's address (the instances trust it from loopback only:
``WORKSHOP_TRUSTED_PROXIES``). It also starts the simulations' warm-up, once for all
instances, at the lowest priority. An instance that exits is started again (nginx is
told if its port changes); Ctrl-C or SIGTERM stops everything. PostgreSQL is the
host's: ``DATABASE_URL`` must point at it. See deploy/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from workshop.serve import (
    Cluster,
    entry_point,
    free_port,
    port_free,
    raise_open_files,
    start_warm_up,
)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
LOOPBACK = "127.0.0.1,::1"  # nginx runs on this host


def find_nginx(explicit: str | None = None) -> str | None:
    """``--nginx``, else ``nginx`` on the PATH, else Debian's ``/usr/sbin/nginx``."""
    if explicit:
        return explicit
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def render(ports: Sequence[int], address: str, port: int, workdir: Path,
           template: Path = TEMPLATE) -> str:
    """The nginx configuration for instances on ``ports`` (loopback)."""
    listen = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;"
                        for p in ports)
    text = template.read_text(encoding="utf-8")
    for name, value in (("workdir", str(workdir)), ("servers", servers),
                        ("listen", listen)):
        text = text.replace("{{" + name + "}}", value)
    left = re.findall(r"\{\{\w+\}\}", text)
    if left:
        raise ValueError(f"the template names what this script does not fill: {left}")
    return text


def _postgres(url: str | None) -> str:
    if not url:
        raise SystemExit("DATABASE_URL is not set: the hosted set-up needs the host's "
                         "PostgreSQL (DATABASE_URL=postgresql://user:password@host/db)")
    if not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL: several instances share "
                         "one database")
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    return url


class Hosted:
    """The instances and nginx, started, watched and stopped together."""

    def __init__(self, args: argparse.Namespace, extra: Sequence[str]) -> None:
        self.args = args
        self.workdir = Path(args.workdir).resolve()
        self.nginx_bin = find_nginx(args.nginx)
        if self.nginx_bin is None:
            raise SystemExit("nginx is not installed (Debian: apt-get install nginx)")
        self.port = args.port
        self.cluster = Cluster(args.instances, args.port, extra, warm_up_elsewhere=True,
                               app=Path(args.app).resolve())
        env = self.cluster.env
        env.pop("WORKSHOP_PORT", None)  # not behind workshop.serve: nginx's address
        env.update(DATABASE_URL=_postgres(os.environ.get("DATABASE_URL")),
                   WORKSHOP_TRUSTED_PROXIES=os.environ.get("WORKSHOP_TRUSTED_PROXIES",
                                                           LOOPBACK),
                   FORWARDED_ALLOW_IPS=LOOPBACK)
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.cluster.on_move = lambda _old, _new: self.reload()
        self.nginx: subprocess.Popen[bytes] | None = None
        self.warm_up: subprocess.Popen[bytes] | None = None

    @property
    def conf(self) -> Path:
        return self.workdir / "nginx.conf"

    def write_conf(self) -> None:
        for sub in ("temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        self.conf.write_text(render(self.cluster.ports, self.args.address, self.port,
                                    self.workdir), encoding="utf-8")
        subprocess.run([self.nginx_bin, "-t", "-q", "-p", str(self.workdir), "-c",
                        str(self.conf), "-e", str(self.workdir / "error.log")],
                       check=True)

    def start_nginx(self) -> None:
        """Start nginx; if its port was taken meanwhile (``--port 0``), another."""
        for _attempt in range(5):
            if self.args.port == 0:
                self.port = free_port()
            self.write_conf()
            self.nginx = subprocess.Popen(
                [self.nginx_bin, "-p", str(self.workdir), "-c", str(self.conf),
                 "-e", str(self.workdir / "error.log")], cwd=self.workdir)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.nginx.poll() is None:
                if not port_free("127.0.0.1" if self.args.address in ("0.0.0.0", "::")
                                 else self.args.address, self.port):
                    return
                time.sleep(0.1)
            if self.nginx.poll() is None:
                return
            if self.args.port != 0:
                break
        raise SystemExit(f"nginx did not start; see {self.workdir / 'error.log'}")

    def reload(self) -> None:
        """An instance moved to another port: nginx reads its configuration again."""
        self.write_conf()
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGHUP)

    async def watch(self, stop: asyncio.Event) -> None:
        watcher = asyncio.create_task(self.cluster.watch())
        try:
            while not stop.is_set():
                if self.nginx is not None and self.nginx.poll() is not None:
                    print(f"nginx exited ({self.nginx.returncode}); see "
                          f"{self.workdir / 'error.log'}", file=sys.stderr)
                    stop.set()
                    break
                try:
                    await asyncio.wait_for(stop.wait(), 1.0)
                except TimeoutError:
                    pass
        finally:
            watcher.cancel()

    def stop(self) -> None:
        self.cluster.stopping = True
        for proc in (self.nginx, self.warm_up):
            if proc is not None and proc.poll() is None:
                proc.terminate()
        self.cluster.stop()
        for proc in (self.nginx, self.warm_up):
            if proc is not None:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


async def _run(hosted: Hosted) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await hosted.watch(stop)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", type=int, default=max(1, os.cpu_count() or 1),
                    help="app instances (default: one per core)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (0: any free one)")
    ap.add_argument("--address", default="0.0.0.0", help="nginx's address")
    ap.add_argument("--app", default=str(entry_point()),
                    help="what Streamlit runs (default: asgi.py, the app and its routes)")
    ap.add_argument("--workdir", default=str(ROOT / "var" / "deploy"),
                    help="nginx's configuration, logs and temporary files")
    ap.add_argument("--nginx", help="the nginx program (default: from the PATH)")
    args, extra = ap.parse_known_args(argv)
    if args.instances < 1:
        ap.error("--instances must be at least 1")
    raise_open_files()
    hosted = Hosted(args, extra)
    hosted.workdir.mkdir(parents=True, exist_ok=True)
    try:
        hosted.cluster.start_all()
        hosted.start_nginx()
        hosted.warm_up = start_warm_up()
        urls = " ".join(f"http://127.0.0.1:{p}" for p in hosted.cluster.ports)
        print(f"  Serving the workshop from {args.instances} instances behind nginx on "
              f"http://{args.address}:{hosted.port}\n"
              f"  Health check: python -m workshop.health {urls}\n"
              f"  nginx logs: {hosted.workdir}", flush=True)
        asyncio.run(_run(hosted))
    finally:
        hosted.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
