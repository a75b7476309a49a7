"""Serve the workshop from several Streamlit processes behind one address.

    python -m workshop.serve [--port 8501] [--processes N]

One Streamlit process runs every session's script in one Python interpreter, so
it uses about one core however many the laptop has; a room of sixty phones asks
for more. This starts ``N`` Streamlit processes (default: one per core) on
loopback ports, and a small proxy on the public port that sends each device,
known by its network address, to the same process every time: a phone's session
and the files that session made (the QR code, the downloads) live in that
process. Everything the room shares (workshops, reactions, the stage and the
scenario) is in the database, so every process shows the same room.

New devices go to the process with the fewest devices so far. A process that
exits is started again; its phones reconnect and find their participant again
through the ``?p=`` in their address. With one process (or
``WORKSHOP_PROCESSES=1``) this simply runs ``streamlit run asgi.py`` (the app,
``app.py``, with its small ``/api/room`` route). ``--port 0``
takes any free port (the line it prints says which).

The proxy cannot be knocked over by a phone, or by anyone on the Wi-Fi:

- it reads each request's head (at most 64 KiB, within ``WORKSHOP_PROXY_HEADER_TIMEOUT``,
  default 10 s: a slow sender is answered 408 and dropped) and closes a connection
  with no bytes either way for ``WORKSHOP_PROXY_IDLE_TIMEOUT`` (default 120 s: four
  times Streamlit's websocket ping interval, 30 s, read from its settings, so a
  quiet but live phone keeps its connection);
- at most ``WORKSHOP_PROXY_PER_ADDRESS`` connections (default 64) from one address
  (more are answered 503) and ``WORKSHOP_PROXY_MAX_CONNECTIONS`` (default 1024) in
  all, fewer if the open-file limit requires (the rest wait, unaccepted, until one
  ends). A phone uses one websocket and at most six requests at once (a browser's
  limit per host), so 64 serves several phones behind one address; sixty phones
  loading the app at the same second need about 420;
- it raises its open-file limit to the hard limit (at most 65536; the Streamlit
  processes inherit it) and keeps two descriptors per connection plus room for
  its own files; if it runs out all the same, it stops accepting for a moment and
  carries on (``accept`` errors such as EMFILE are logged at most every 10 s);
- the client's address reaches the app safely: any ``X-Forwarded-*``, ``Forwarded``
  or ``X-Real-IP`` a client sent is removed and ``X-Forwarded-For: <its address>``
  added (``workshop.network.client_address`` reads it). A request that is not a
  websocket goes upstream with ``Connection: close`` and its body (by its
  ``Content-Length``), and nothing after it: one request per connection. A
  websocket upgrade is piped both ways after its head.

``GET /healthz`` is answered by the proxy itself (``workshop.health``): 200 ``ok``
when every Streamlit process answers and the store can write, else 503 with the
reason.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

log = logging.getLogger("workshop.serve")

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 16
HEALTH_TIMEOUT = 60.0
STREAMLIT_PING = 30.0  # Streamlit's default server.websocketPingInterval (seconds)
NOFILE_TARGET = 65536
PROXY_FILES = 64  # descriptors kept for the proxy's own use (listening socket, logs, checks)
CHILD_FILES = 160  # and what one Streamlit process needs besides its connections
_OUT_OF_FILES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


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


def entry_point(root: Path = ROOT) -> Path:
    """What Streamlit runs: ``asgi.py`` (the app and its own ``/api/room`` route)
    where there is one, else ``app.py``."""
    return root / "asgi.py" if (root / "asgi.py").exists() else root / "app.py"


def streamlit_command(port: int, address: str, extra: Sequence[str] = (),
                      app: Path | None = None) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app or entry_point()),
            "--server.port", str(port), "--server.address", address, *extra]


# -- limits ---------------------------------------------------------------------------


def streamlit_ping_interval(root: Path = ROOT) -> float:
    """Streamlit's websocket ping interval: its environment variable, else
    ``.streamlit/config.toml``, else its default (30 s)."""
    configured = os.environ.get("STREAMLIT_SERVER_WEBSOCKET_PING_INTERVAL", "").strip()
    if not configured:
        try:
            with open(root / ".streamlit" / "config.toml", "rb") as f:
                configured = str(tomllib.load(f).get("server", {})
                                 .get("websocketPingInterval", ""))
        except (OSError, tomllib.TOMLDecodeError):
            configured = ""
    try:
        return float(configured) if configured else STREAMLIT_PING
    except ValueError:
        return STREAMLIT_PING


def raise_open_files(target: int = NOFILE_TARGET) -> int:
    """Raise this process's open-file limit towards its hard limit (at most
    ``target``); children started afterwards inherit it. Returns the soft limit."""
    try:
        import resource
    except ImportError:  # not POSIX
        return target
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = target if hard == resource.RLIM_INFINITY else min(hard, target)
    for want in (ceiling, 10240, 4096):  # macOS refuses more than its OPEN_MAX
        if want <= soft:
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            return want
        except (ValueError, OSError):
            continue
    return soft


def _env_number(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum:g}, got {raw}")
    return value


@dataclass(frozen=True)
class Limits:
    """What one client may cost the proxy. See the module docstring for why."""

    header_timeout: float = 10.0
    idle_timeout: float = 4 * STREAMLIT_PING
    per_address: int = 64
    total: int = 1024
    max_head: int = 64 * 1024
    connect_timeout: float = 5.0

    @classmethod
    def from_env(cls, open_files: int | None = None) -> Limits:
        """The defaults, ``WORKSHOP_PROXY_*`` settings, and a total that fits in
        ``open_files`` (two descriptors a connection, with room for the proxy's
        own and, as every connection is also one in a Streamlit process, theirs)."""
        ping = streamlit_ping_interval()
        idle = _env_number("WORKSHOP_PROXY_IDLE_TIMEOUT", 4 * ping, 0.1)
        if idle < 3 * ping:
            log.warning("WORKSHOP_PROXY_IDLE_TIMEOUT=%g is under three of Streamlit's "
                        "websocket pings (%g s each): quiet phones may be cut off", idle, ping)
        limits = cls(
            header_timeout=_env_number("WORKSHOP_PROXY_HEADER_TIMEOUT", cls.header_timeout,
                                       0.1),
            idle_timeout=idle,
            per_address=int(_env_number("WORKSHOP_PROXY_PER_ADDRESS", cls.per_address, 1)),
            total=int(_env_number("WORKSHOP_PROXY_MAX_CONNECTIONS", cls.total, 1)),
        )
        if open_files is not None and "WORKSHOP_PROXY_MAX_CONNECTIONS" not in os.environ:
            fits = min((open_files - PROXY_FILES) // 2, open_files - CHILD_FILES)
            limits = replace(limits, total=max(8, min(limits.total, fits)))
        return limits


# -- which process serves whom ---------------------------------------------------------


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

    def moved(self, old: int, new: int) -> None:
        """A process now listens on ``new`` instead of ``old``: its devices follow."""
        self.ports = [new if p == old else p for p in self.ports]
        self.load[new] = self.load.pop(old, 0)
        for device, port in self.devices.items():
            if port == old:
                self.devices[device] = new


# -- one request's head ------------------------------------------------------------------


class BadRequest(ValueError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Headers a client must not set: who it is, as a proxy would say it.
_FORWARDING = ("forwarded", "x-real-ip")
_HOP = {"connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"}


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    def values(self, name: str) -> list[bytes]:
        key = name.encode()
        return [v for n, v in self.headers if n.lower() == key]

    def tokens(self, name: str) -> set[str]:
        return {t.strip().lower() for v in self.values(name)
                for t in v.decode("latin-1").split(",") if t.strip()}

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def websocket(self) -> bool:
        return (self.method == "GET" and "websocket" in self.tokens("upgrade")
                and "upgrade" in self.tokens("connection"))

    @property
    def body_length(self) -> int:
        lengths = self.values("content-length")
        if not lengths:
            return 0
        if len(set(lengths)) > 1 or not lengths[0].isdigit():
            raise BadRequest(400, "a bad Content-Length")
        return int(lengths[0])

    def forwarded(self, peer: str) -> bytes:
        """The head to send upstream: the client's forwarding headers removed, its
        address added; ``Connection: close`` unless it is a websocket."""
        ws = self.websocket
        out = [f"{self.method} {self.target} {self.version}".encode("latin-1")]
        for name, value in self.headers:
            low = name.lower().decode("latin-1")
            if low.startswith("x-forwarded-") or low in _FORWARDING:
                continue
            if not ws and low in _HOP:
                continue
            out.append(name + b": " + value)
        out.append(b"X-Forwarded-For: " + peer.encode())
        if not ws:
            out.append(b"Connection: close")
        return b"\r\n".join(out) + b"\r\n\r\n"


def parse_head(head: bytes) -> Request:
    """A request head (up to and with its blank line), strictly: anything a browser
    would not send is refused rather than guessed at."""
    lines = head[:-4].split(b"\r\n") if head.endswith(b"\r\n\r\n") else []
    if not lines:
        raise BadRequest(400, "an incomplete request")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.match(parts[0]) or not parts[1] \
            or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
        raise BadRequest(400, "a malformed request line")
    if any(c < 0x21 or c == 0x7F for c in parts[1]):
        raise BadRequest(400, "a malformed request target")
    req = Request(*(p.decode("latin-1") for p in parts))
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not _TOKEN.match(name):  # also folded lines and spaces before ':'
            raise BadRequest(400, "a malformed header")
        value = value.strip(b" \t")
        if any(c in value for c in (0, 10, 13)):
            raise BadRequest(400, "a malformed header value")
        req.headers.append((name, value))
    if req.values("transfer-encoding"):
        raise BadRequest(411, "a request body must come with a Content-Length")
    req.body_length  # noqa: B018 - validates Content-Length
    return req


def _response(status: int, text: str, extra: Sequence[str] = ()) -> bytes:
    reasons = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed",
               408: "Request Timeout", 411: "Length Required",
               431: "Request Header Fields Too Large", 502: "Bad Gateway",
               503: "Service Unavailable"}
    body = (text.rstrip("\n") + "\n").encode()
    head = [f"HTTP/1.1 {status} {reasons.get(status, '')}",
            "Content-Type: text/plain; charset=utf-8", f"Content-Length: {len(body)}",
            "Cache-Control: no-store", "Connection: close", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _peer(addr: object) -> str:
    host = addr[0] if isinstance(addr, tuple) and addr else "?"
    if isinstance(host, str) and host.startswith("::ffff:") and "." in host:
        host = host[7:]  # an IPv4 client on a dual-stack socket
    return str(host)


# -- the health check --------------------------------------------------------------------


class HealthCheck:
    """``workshop.health.check`` over the processes, at most once every ``every``
    seconds however often it is asked (it writes to the database)."""

    def __init__(self, ports: Callable[[], Sequence[int]], every: float = 2.0,
                 timeout: float = 10.0) -> None:
        self.ports = ports
        self.every = every
        self.timeout = timeout
        self._store: object | None = None
        self._last: tuple[float, bool, str] | None = None
        self._running: asyncio.Future[tuple[bool, str]] | None = None
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="healthz")

    def _check(self) -> tuple[bool, str]:
        from workshop import health

        if self._store is None:
            from workshop.store import Store

            self._store = Store()
        return health.check([f"http://127.0.0.1:{p}" for p in self.ports()], self._store)

    async def __call__(self) -> tuple[bool, str]:
        now = time.monotonic()
        if self._last is not None and now - self._last[0] < self.every:
            return self._last[1], self._last[2]
        if self._running is None:
            loop = asyncio.get_running_loop()
            self._running = asyncio.ensure_future(asyncio.wait_for(
                loop.run_in_executor(self._pool, self._check), self.timeout))
        running = self._running
        try:
            ok, reason = await asyncio.shield(running)
        except TimeoutError:
            ok, reason = False, "the health check did not finish in time"
        except Exception as err:  # noqa: BLE001 - any failure is the answer
            ok, reason = False, f"the health check failed ({type(err).__name__})"
        if self._running is running:
            self._running = None
            self._last = (time.monotonic(), ok, reason)
        return ok, reason

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


# -- the proxy ---------------------------------------------------------------------------


class _Activity:
    def __init__(self) -> None:
        self.last = time.monotonic()


class Proxy:
    """The public port: limits, the client's address, ``/healthz``, then bytes."""

    def __init__(self, balancer: Balancer, limits: Limits,
                 health: Callable[[], Awaitable[tuple[bool, str]]] | None = None,
                 upstream_host: str = "127.0.0.1") -> None:
        self.balancer = balancer
        self.limits = limits
        self.health = health
        self.upstream_host = upstream_host
        self.by_address: Counter[str] = Counter()
        self.open = 0
        self._slots = asyncio.Semaphore(limits.total)
        self._tasks: set[asyncio.Task[None]] = set()
        self._out_of_files = 0
        self._warned = 0.0

    # accepting

    async def serve(self, sock: socket.socket, stop: asyncio.Event) -> None:
        sock.setblocking(False)
        accepting = asyncio.create_task(self._accept(sock))
        await stop.wait()
        accepting.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(accepting, *self._tasks, return_exceptions=True)

    async def _accept(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        pause = 0.05
        while True:
            await self._slots.acquire()  # at the cap, new connections wait in the backlog
            try:
                conn, addr = await loop.sock_accept(sock)
            except OSError as err:
                self._slots.release()
                if err.errno in _OUT_OF_FILES:
                    self._note_out_of_files(err)
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, 1.0)
                    continue
                if err.errno in (errno.ECONNABORTED, errno.EPROTO, errno.EAGAIN,
                                 errno.EINTR):
                    continue
                raise
            pause = 0.05
            self.open += 1
            task = asyncio.create_task(self._connection(conn, _peer(addr)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _note_out_of_files(self, err: OSError) -> None:
        self._out_of_files += 1
        now = time.monotonic()
        if now - self._warned >= 10.0:
            log.warning("out of file descriptors (%s) with %d connections open: new "
                        "connections wait (%d times since the last message)",
                        err.strerror, self.open, self._out_of_files)
            self._warned, self._out_of_files = now, 0

    # one connection

    async def _connection(self, conn: socket.socket, peer: str) -> None:
        counted = False
        writer: asyncio.StreamWriter | None = None
        try:
            if self.by_address[peer] >= self.limits.per_address:
                with contextlib.suppress(OSError):
                    conn.send(_response(503, "Too many connections from your address.",
                                        ["Retry-After: 5"]))
                return
            self.by_address[peer] += 1
            counted = True
            reader, writer = await asyncio.open_connection(sock=conn,
                                                           limit=self.limits.max_head)
            await self._request(reader, writer, peer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer.wait_closed(), 1.0)
            else:
                conn.close()
            if counted:
                self.by_address[peer] -= 1
                if self.by_address[peer] <= 0:
                    del self.by_address[peer]
            self.open -= 1
            self._slots.release()

    async def _request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       peer: str) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"),
                                          self.limits.header_timeout)
            request = parse_head(head)
        except TimeoutError:
            return await self._say(writer, 408, "The request took too long to arrive.")
        except asyncio.LimitOverrunError:
            return await self._say(writer, 431, "The request's headers are too large.")
        except BadRequest as err:
            return await self._say(writer, err.status, f"Refused: {err}.")
        if request.path == "/healthz":
            return await self._healthz(writer, request)
        port = self.balancer.port_for(peer)
        try:
            up_r, up_w = await asyncio.wait_for(
                asyncio.open_connection(self.upstream_host, port), self.limits.connect_timeout)
        except (OSError, TimeoutError) as err:
            if isinstance(err, OSError) and err.errno in _OUT_OF_FILES:
                self._note_out_of_files(err)
            # That process is restarting (or we are out of files): the browser retries.
            return await self._say(writer, 503, "The workshop is starting again: "
                                   "try again in a moment.", ["Retry-After: 2"])
        try:
            up_w.write(request.forwarded(peer))
            activity = _Activity()
            if request.websocket:
                await self._both_ways(reader, writer, up_r, up_w, activity)
            else:
                await self._one_request(reader, up_r, up_w, writer, activity,
                                        request.body_length)
        finally:
            up_w.close()

    async def _say(self, writer: asyncio.StreamWriter, status: int, text: str,
                   extra: Sequence[str] = ()) -> None:
        writer.write(_response(status, text, extra))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.drain(), 5.0)

    async def _healthz(self, writer: asyncio.StreamWriter, request: Request) -> None:
        if request.method not in ("GET", "HEAD"):
            return await self._say(writer, 405, "GET or HEAD only.", ["Allow: GET, HEAD"])
        if self.health is None:
            ok, reason = True, "ok"
        else:
            ok, reason = await self.health()
        await self._say(writer, 200 if ok else 503, reason)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter,
                    activity: _Activity, limit: int | None = None) -> str:
        """Copy until EOF ("eof"), ``limit`` bytes ("done"), or until neither direction
        has moved a byte for the idle timeout ("idle")."""
        idle = self.limits.idle_timeout
        left = limit
        while left is None or left > 0:
            try:
                data = await asyncio.wait_for(
                    src.read(CHUNK if left is None else min(CHUNK, left)),
                    max(0.01, idle - (time.monotonic() - activity.last)))
            except TimeoutError:
                if time.monotonic() - activity.last >= idle:
                    return "idle"
                continue
            if not data:
                return "eof"
            activity.last = time.monotonic()
            if left is not None:
                left -= len(data)
            dst.write(data)
            await asyncio.wait_for(dst.drain(), idle)  # a reader that never reads
            activity.last = time.monotonic()
        return "done"

    async def _one_request(self, client_r: asyncio.StreamReader,
                           up_r: asyncio.StreamReader, up_w: asyncio.StreamWriter,
                           client_w: asyncio.StreamWriter, activity: _Activity,
                           body: int) -> None:
        """Send the body (nothing after it), relay the response until upstream closes."""
        sending = asyncio.create_task(self._pipe(client_r, up_w, activity, body)) \
            if body else None
        try:
            await self._pipe(up_r, client_w, activity)
        finally:
            if sending is not None:
                sending.cancel()
                await asyncio.gather(sending, return_exceptions=True)

    async def _both_ways(self, client_r: asyncio.StreamReader,
                         client_w: asyncio.StreamWriter, up_r: asyncio.StreamReader,
                         up_w: asyncio.StreamWriter, activity: _Activity) -> None:
        """A websocket: bytes both ways until one side ends (the other then gets a
        few seconds to finish its own close) or neither sends for the idle timeout."""
        pipes = {asyncio.create_task(self._pipe(client_r, up_w, activity)): up_w,
                 asyncio.create_task(self._pipe(up_r, client_w, activity)): client_w}
        try:
            done, pending = await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            first = next(iter(done))
            if pending and not first.cancelled() and first.exception() is None \
                    and first.result() == "eof":
                with contextlib.suppress(OSError, RuntimeError):
                    if pipes[first].can_write_eof():
                        pipes[first].write_eof()
                await asyncio.wait(pending, timeout=5.0)
        finally:
            for task in pipes:
                task.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)


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
        self.procs.pop(old, None)
        self.ports = [new if p == old else p for p in self.ports]
        if self.on_move is not None:
            self.on_move(old, new)
        self.start(new)
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
                    if port_free("127.0.0.1", port):
                        self.start(port)
                    else:
                        self._move(port)
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
    """``python -m simulators.cache --background``: the simulations every scenario
    needs, worked out at the lowest priority into the disk cache every process reads
    (it lowers its own priority, and exits at once if there is nothing to do or
    another one is running). Started as a command, so this process never loads the
    simulators (200 MB)."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return subprocess.Popen([sys.executable, "-m", "simulators.cache", "--background"],
                            cwd=ROOT, env=env)


def listen(address: str, port: int, backlog: int = 1024) -> socket.socket:
    """The public socket, bound and listening (``port`` 0: any free port)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name == "posix":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


async def _serve(cluster: Cluster, sock: socket.socket, limits: Limits) -> None:
    balancer = Balancer(cluster.ports)
    cluster.on_move = balancer.moved
    health = HealthCheck(lambda: cluster.ports)
    proxy = Proxy(balancer, limits, health)
    stop = asyncio.Event()

    def halt() -> None:
        cluster.stopping = True  # before the watcher sees the processes go
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, halt)
    address, port = sock.getsockname()[:2]
    print(f"  Serving the workshop from {len(cluster.ports)} processes on "
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
    if n == 1:
        if not port_free(args.address, args.port):
            print(in_use, file=sys.stderr)
            return 2
        cmd = streamlit_command(args.port, args.address, extra)
        os.chdir(ROOT)
        os.execv(cmd[0], cmd)
    open_files = raise_open_files()
    limits = Limits.from_env(open_files)
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
            with contextlib.suppress(subprocess.TimeoutExpired):
                warm_up.wait(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
