"""The proxy on the public port, in front of the Streamlit processes (``workshop.serve``).

It sends each device, known by its network address, to the same process every time
(``Balancer``: new devices go to the process with the fewest devices so far), and
it cannot be knocked over by a phone, or by anyone on the Wi-Fi:

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
- its open-file limit is raised to the hard limit (at most 65536;
  ``raise_open_files``, which the launcher calls before starting the Streamlit
  processes, so they inherit it) and it keeps two descriptors per connection plus
  room for its own files; if it runs out all the same, it stops accepting for a
  moment and carries on (``accept`` errors such as EMFILE are logged at most every
  10 s);
- the client's address reaches the app safely: any ``X-Forwarded-*``, ``Forwarded``
  or ``X-Real-IP`` a client sent is removed and ``X-Forwarded-For: <its address>``
  added (``workshop.network.client_address`` reads it). A request that is not a
  websocket goes upstream with ``Connection: close`` and its body (by its
  ``Content-Length``), and nothing after it: one request per connection. A
  websocket upgrade is piped both ways after its head. (Reading the head:
  ``workshop.http_head``.)

``GET /healthz`` is answered by the proxy itself (``HealthCheck``, which runs
``workshop.health``): 200 ``ok`` when every Streamlit process answers and the store
can write, else 503 with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import socket
import time
import tomllib
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from workshop.http_head import BadRequest, Request, parse_head, plain_response

log = logging.getLogger("workshop.serve")

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 16
STREAMLIT_PING = 30.0  # Streamlit's default server.websocketPingInterval (seconds)
NOFILE_TARGET = 65536
PROXY_FILES = 64  # descriptors kept for the proxy's own use (listening socket, logs, checks)
CHILD_FILES = 160  # and what one Streamlit process needs besides its connections
_OUT_OF_FILES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


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


def _peer(addr: object) -> str:
    host = addr[0] if isinstance(addr, tuple) and addr else "?"
    if isinstance(host, str) and host.startswith("::ffff:") and "." in host:
        host = host[7:]  # an IPv4 client on a dual-stack socket
    return str(host)


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
                    conn.send(plain_response(503, "Too many connections from your address.",
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
        writer.write(plain_response(status, text, extra))
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



# -- the public socket -------------------------------------------------------------------


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
