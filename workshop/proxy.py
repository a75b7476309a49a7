"""The proxy on the public port, in front of the Streamlit processes (``workshop.serve``).

It sends each device, known by its network address, to the same process every time
(``Balancer``: new devices go to the process with the fewest devices so far), and
nobody on the Wi-Fi can knock it over or take the room offline:

- it reads each request's head (at most 64 KiB, within ``WORKSHOP_PROXY_HEADER_TIMEOUT``,
  default 10 s: a slow sender is answered 408 and dropped) and closes a connection
  with no bytes either way for ``WORKSHOP_PROXY_IDLE_TIMEOUT`` (default 120 s: four
  times Streamlit's websocket ping interval, 30 s, read from its settings, so a
  quiet but live phone keeps its connection);
- connection slots are shared fairly (``Slots``, in ``workshop.proxy_slots``): at most
  ``WORKSHOP_PROXY_MAX_CONNECTIONS`` (default 1024, fewer if the open-file limit
  requires) in all, of which one address may hold its share
  (``WORKSHOP_PROXY_PER_ADDRESS``, default 64, at most an eighth of the rest; more are
  answered 503) and an eighth is kept for addresses that hold none. When the slots
  are all taken, a newcomer takes the slot of a connection that has not sent its
  request within a second (at once, if the newcomer's request is in hand), or else
  the longest-idle connection of the address holding the most (at least two more
  than the newcomer): someone holding hundreds of websockets loses theirs, a phone
  does not. A phone uses one websocket and at most six requests at once (a
  browser's limit per host);
- a few spare descriptors beyond the slots answer ``/healthz`` and say "busy" (503)
  when nothing can be freed, so the proxy and its health check answer whatever
  happens;
- each Streamlit process has a budget of descriptors (``ChildFiles``), counted as
  its sessions really hold them: about four for a connected session (its socket, an
  event loop and a socket pair), three for each disconnected one Streamlit keeps
  (up to 128, for ``server.disconnectedSessionTTL``, 120 s), one for each request,
  and room for the process itself. A connection that would go past it is answered
  503 (browsers try again) instead of failing inside the process;
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

``GET /api/room`` (each phone's poll, about once a second, vote totals included)
is answered from an answer the proxy shares for a quarter of a second between everyone
the app has already answered the same (``workshop.proxy_shared``): a room costs its
Streamlit processes about four such requests a second per workshop, not one per phone.

``GET /healthz`` is answered by the proxy itself (``HealthCheck``, which runs
``workshop.health``): 200 ``ok`` when every Streamlit process answers, the store can
write and no process is near its open-file limit (``Proxy.strain``: eight tenths of
its slots or descriptors, read from ``/proc`` on Linux, else counted), else 503 with
the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from workshop.http_head import BadRequest, Request, parse_head, plain_response
from workshop.proxy_shared import SharedAnswers
from workshop.proxy_slots import (
    STRAINED,
    ChildFiles,
    Conn,
    Limits,
    Slots,
    open_files,
)

log = logging.getLogger("workshop.serve")

CHUNK = 1 << 16
SHARED_MOST = 1 << 16  # bytes of an answer shared between phones, at most
#: The answer when a phone's process can take no more connections just now.
BUSY = plain_response(503, "The workshop is busy: try again in a moment.", ["Retry-After: 2"])
_OUT_OF_FILES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


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


class Proxy:
    """The public port: limits, the client's address, ``/healthz``, then bytes.
    ``pids``: each Streamlit process's pid by port (for ``strain`` to read ``/proc``)."""

    def __init__(self, balancer: Balancer, limits: Limits,
                 health: Callable[[], Awaitable[tuple[bool, str]]] | None = None,
                 upstream_host: str = "127.0.0.1",
                 pids: Callable[[], Mapping[int, int]] | None = None) -> None:
        self.balancer = balancer
        self.limits = limits
        self.health = health
        self.upstream_host = upstream_host
        self.pids = pids
        self.slots = Slots(limits)
        self.shared = SharedAnswers()
        self.children: dict[int, ChildFiles] = {}
        self._spare = limits.spare
        self._room = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._out_of_files = 0
        self._warned = 0.0

    @property
    def open(self) -> int:
        return len(self._tasks)

    def child(self, port: int) -> ChildFiles:
        if port not in self.children:
            def measure() -> int | None:
                pid = dict(self.pids()).get(port) if self.pids is not None else None
                seen = open_files(pid) if pid is not None else None
                return seen[0] if seen else None

            self.children[port] = ChildFiles(self.limits.child_files, self.limits.session_ttl,
                                             measure=measure)
        return self.children[port]

    def strain(self) -> str | None:
        """What is near its open-file limit (``STRAINED``, eight tenths), or None: each
        Streamlit process (read from ``/proc`` where there is one, else as counted
        here), the proxy itself. Slots all taken are no strain: a newcomer still gets
        one (``Slots``)."""
        for port in self.balancer.ports:
            files = self.child(port)
            used, limit = files.used(), files.limit
            if limit is None:  # not counted: what /proc says, if anything
                pid = dict(self.pids()).get(port) if self.pids is not None else None
                seen = open_files(pid) if pid is not None else None
                used, limit = seen or (0, 0)
            if limit and used >= STRAINED * limit:
                return (f"the app process on port {port} is near its open-file limit "
                        f"({used} of {limit})")
        own = open_files(os.getpid())
        if own and own[0] >= STRAINED * own[1]:
            return f"the proxy is near its open-file limit ({own[0]} of {own[1]})"
        return None

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
            while self.open >= self.slots.total + self._spare:
                self._room.clear()  # every descriptor we allow ourselves is in use
                await self._room.wait()
            try:
                conn, addr = await loop.sock_accept(sock)
            except OSError as err:
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
            peer = _peer(addr)
            slot, victim, _why = self.slots.take(peer)
            if victim is not None and victim.task is not None:
                victim.task.cancel()
            task = asyncio.create_task(self._connection(conn, peer, slot))
            if slot is not None:
                slot.task = task
            self._tasks.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._room.set()

    def _note_out_of_files(self, err: OSError) -> None:
        self._out_of_files += 1
        now = time.monotonic()
        if now - self._warned >= 10.0:
            log.warning("out of file descriptors (%s) with %d connections open: new "
                        "connections wait (%d times since the last message)",
                        err.strerror, self.open, self._out_of_files)
            self._warned, self._out_of_files = now, 0

    # one connection

    async def _connection(self, conn: socket.socket, peer: str, slot: Conn | None) -> None:
        writer: asyncio.StreamWriter | None = None
        try:
            reader, writer = await asyncio.open_connection(sock=conn,
                                                           limit=self.limits.max_head)
            await self._request(reader, writer, peer, slot)
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer.wait_closed(), 1.0)
            else:
                conn.close()
            if slot is not None:
                self.slots.give_back(slot)

    async def _request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       peer: str, slot: Conn | None) -> None:
        # Without a slot, this is a spare descriptor: a short wait for the head, for
        # /healthz or to say why not.
        wait = self.limits.header_timeout if slot else min(2.0, self.limits.header_timeout)
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), wait)
            request = parse_head(head)
        except TimeoutError:
            return await self._say(writer, 408, "The request took too long to arrive.")
        except asyncio.LimitOverrunError:
            return await self._say(writer, 431, "The request's headers are too large.")
        except BadRequest as err:
            return await self._say(writer, err.status, f"Refused: {err}.")
        if request.path == "/healthz":
            return await self._healthz(writer, request)
        if slot is None:
            # Room may have been made since, and a request in hand beats a silence.
            slot, victim, why = self.slots.take(peer, ready=True)
            if slot is None:
                if why == "address":
                    return await self._say(writer, 503, "Too many connections from your "
                                           "address.", ["Retry-After: 5"])
                return await self._say(writer, 503, "The workshop is busy: try again in a "
                                       "moment.", ["Retry-After: 5"])
            if victim is not None and victim.task is not None:
                victim.task.cancel()
            slot.task = asyncio.current_task()
            try:
                return await self._proxied(reader, writer, peer, request, slot)
            finally:
                self.slots.give_back(slot)
        slot.head, slot.last = True, time.monotonic()
        await self._proxied(reader, writer, peer, request, slot)

    async def _proxied(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       peer: str, request: Request, slot: Conn) -> None:
        slot.head = True
        if self.shared.wants(request):
            return await self._shared(writer, peer, request, slot)
        async with self._upstream(peer, request.websocket) as up:
            if isinstance(up, bytes):
                return await self._send(writer, up)
            up_r, up_w = up
            up_w.write(request.forwarded(peer))
            if request.websocket:
                await self._both_ways(reader, writer, up_r, up_w, slot)
            else:
                await self._one_request(reader, up_r, up_w, writer, slot,
                                        request.body_length)

    @contextlib.asynccontextmanager
    async def _upstream(self, peer: str, websocket: bool) -> AsyncIterator[
            tuple[asyncio.StreamReader, asyncio.StreamWriter] | bytes]:
        """A connection to ``peer``'s process, counted against its descriptors while
        it is open; or, when none can be had, the answer to give instead."""
        port = self.balancer.port_for(peer)
        files = self.child(port)
        if not files.room_for(websocket):
            yield BUSY
            return
        try:
            up_r, up_w = await asyncio.wait_for(
                asyncio.open_connection(self.upstream_host, port), self.limits.connect_timeout)
        except (OSError, TimeoutError) as err:
            if isinstance(err, OSError) and err.errno in _OUT_OF_FILES:
                self._note_out_of_files(err)
            # That process is restarting (or we are out of files): the browser retries.
            yield plain_response(503, "The workshop is starting again: try again in a "
                                 "moment.", ["Retry-After: 2"])
            return
        files.opened(websocket)
        try:
            yield up_r, up_w
        finally:
            up_w.close()
            files.closed(websocket)

    async def _shared(self, writer: asyncio.StreamWriter, peer: str, request: Request,
                      slot: Conn) -> None:
        """An answer the same for everyone (``workshop.proxy_shared``): from memory,
        or asked of the asker's process and read whole (it is small)."""

        async def ask() -> bytes:
            async with self._upstream(peer, False) as up:
                if isinstance(up, bytes):
                    return up
                up_r, up_w = up
                up_w.write(request.forwarded(peer))
                answer = b""
                try:
                    while len(answer) <= SHARED_MOST:
                        more = await asyncio.wait_for(
                            up_r.read(SHARED_MOST + 1 - len(answer)), self.limits.idle_timeout)
                        if not more:
                            break
                        answer += more
                except TimeoutError:
                    return BUSY
            if len(answer) > SHARED_MOST:
                return plain_response(502, "The answer was too large to pass on.")
            return answer

        slot.last = time.monotonic()
        writer.write(await self.shared.answer(request.target, peer, ask))
        await asyncio.wait_for(writer.drain(), self.limits.idle_timeout)

    async def _say(self, writer: asyncio.StreamWriter, status: int, text: str,
                   extra: Sequence[str] = ()) -> None:
        await self._send(writer, plain_response(status, text, extra))

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, answer: bytes) -> None:
        writer.write(answer)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.drain(), 5.0)

    async def _healthz(self, writer: asyncio.StreamWriter, request: Request) -> None:
        if request.method not in ("GET", "HEAD"):
            return await self._say(writer, 405, "GET or HEAD only.", ["Allow: GET, HEAD"])
        if self.health is None:
            ok, reason = True, "ok"
        else:
            ok, reason = await self.health()
        strain = self.strain() if ok else None
        if strain:
            ok, reason = False, strain
        await self._say(writer, 200 if ok else 503, reason)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter,
                    activity: Conn, limit: int | None = None) -> str:
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
                           client_w: asyncio.StreamWriter, activity: Conn,
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
                         up_w: asyncio.StreamWriter, activity: Conn) -> None:
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
