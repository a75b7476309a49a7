"""What the proxy (``workshop.proxy``) lets each client and each Streamlit process hold.

- ``Limits``: timeouts and connection caps, from ``WORKSHOP_PROXY_*`` settings and
  the open-file limit (``raise_open_files`` raises it first);
- ``Slots``: connection slots shared fairly between addresses: a share for each, a
  reserve for addresses holding none, and, when all are taken, the connection that
  has sent nothing within a second, or else the longest-idle one of the address
  holding the most, gives way to a newcomer;
- ``ChildFiles``: one Streamlit process's descriptors, counted as its sessions hold
  them (measured: about four for a connected session, three for each disconnected
  one Streamlit keeps for ``server.disconnectedSessionTTL``), or, better, its real
  count where ``/proc`` has it (``open_files``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import tomllib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workshop.environment import env_int, env_number

log = logging.getLogger("workshop.serve")

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_PING = 30.0  # Streamlit's default server.websocketPingInterval (seconds)
NOFILE_TARGET = 65536
PROXY_FILES = 64  # descriptors kept for the proxy's own use (listening socket, logs, checks)
CHILD_FILES = 64  # what one Streamlit process needs besides its sessions (7 measured idle,
#                   plus its database connections and the files it reads)
SESSION_FILES = 3  # one Streamlit session: an event loop and its socket pair (measured)
KEPT_SESSIONS = 128  # Streamlit keeps at most this many disconnected sessions ...
SESSION_TTL = 120.0  # ... for server.disconnectedSessionTTL seconds (its default)
STRAINED = 0.8  # past this share of its limit, a process takes no new websocket and
#                 /healthz says it is near its limit (requests go on up to 0.95)

# -- limits ---------------------------------------------------------------------------


def _streamlit_setting(env: str, section: str, name: str, default: float,
                       root: Path = ROOT) -> float:
    """One of Streamlit's numeric settings: its environment variable, else
    ``.streamlit/config.toml``, else its default."""
    configured = os.environ.get(env, "").strip()
    if not configured:
        try:
            with open(root / ".streamlit" / "config.toml", "rb") as f:
                configured = str(tomllib.load(f).get(section, {}).get(name, ""))
        except (OSError, tomllib.TOMLDecodeError):
            configured = ""
    try:
        return float(configured) if configured else default
    except ValueError:
        return default


def streamlit_ping_interval(root: Path = ROOT) -> float:
    """Streamlit's websocket ping interval (30 s unless set)."""
    return _streamlit_setting("STREAMLIT_SERVER_WEBSOCKET_PING_INTERVAL", "server",
                              "websocketPingInterval", STREAMLIT_PING, root)


def streamlit_session_ttl(root: Path = ROOT) -> float:
    """How long Streamlit keeps a disconnected session (120 s unless set)."""
    return _streamlit_setting("STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL", "server",
                              "disconnectedSessionTTL", SESSION_TTL, root)


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


@dataclass(frozen=True)
class Limits:
    """What one client may cost the proxy. See the module docstring for why.
    ``child_files``: each Streamlit process's open-file limit (None: not counted)."""

    header_timeout: float = 10.0
    idle_timeout: float = 4 * STREAMLIT_PING
    per_address: int = 64
    total: int = 1024
    max_head: int = 64 * 1024
    connect_timeout: float = 5.0
    child_files: int | None = None
    session_ttl: float = SESSION_TTL

    @property
    def reserve(self) -> int:
        """Slots only an address holding none may take."""
        return max(1, self.total // 8)

    @property
    def share(self) -> int:
        """The most one address may hold."""
        return max(1, min(self.per_address, max(8, (self.total - self.reserve) // 8)))

    @property
    def spare(self) -> int:
        """Descriptors beyond the slots, to answer /healthz and say "busy"."""
        return max(4, min(64, self.total // 16))

    @classmethod
    def from_env(cls, open_files: int | None = None) -> Limits:
        """The defaults, ``WORKSHOP_PROXY_*`` settings, and a total that fits in
        ``open_files`` (two descriptors a connection, with room for the proxy's own
        and its spare ones); each Streamlit process inherits ``open_files``."""
        ping = streamlit_ping_interval()
        idle = env_number("WORKSHOP_PROXY_IDLE_TIMEOUT", 4 * ping, minimum=0.1)
        if idle < 3 * ping:
            log.warning("WORKSHOP_PROXY_IDLE_TIMEOUT=%g is under three of Streamlit's "
                        "websocket pings (%g s each): quiet phones may be cut off", idle, ping)
        limits = cls(
            header_timeout=env_number("WORKSHOP_PROXY_HEADER_TIMEOUT", cls.header_timeout,
                                      minimum=0.1),
            idle_timeout=idle,
            per_address=env_int("WORKSHOP_PROXY_PER_ADDRESS", cls.per_address, minimum=1),
            total=env_int("WORKSHOP_PROXY_MAX_CONNECTIONS", cls.total, minimum=1),
            child_files=open_files,
            session_ttl=streamlit_session_ttl(),
        )
        if open_files is not None and "WORKSHOP_PROXY_MAX_CONNECTIONS" not in os.environ:
            fits = (open_files - PROXY_FILES) * 16 // 34  # 2 per slot and per spare
            limits = replace(limits, total=max(8, min(limits.total, fits)))
        return limits


# -- who holds the connections --------------------------------------------------------


@dataclass(eq=False)
class Conn:
    """One client connection: whose, since when, its last byte, and its task."""

    address: str
    opened: float
    last: float
    task: asyncio.Task[None] | None = None
    head: bool = False  # its request head has arrived
    gone: bool = False  # its slot was given to someone else


class Slots:
    """The proxy's connection slots, shared fairly between addresses (the module
    docstring says how). ``take`` gives a slot (and the connection that made room
    for it, to be closed), or None and why not; ``give_back`` returns one."""

    def __init__(self, limits: Limits, grace: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.share, self.reserve = limits.total, limits.share, limits.reserve
        self.grace, self.clock = grace, clock
        self.by_address: dict[str, set[Conn]] = {}
        self.open = 0

    def holding(self, address: str) -> int:
        return len(self.by_address.get(address, ()))

    def take(self, address: str, ready: bool = False) -> tuple[Conn | None, Conn | None, str]:
        """A slot for ``address``; ``ready``: its request head has already arrived,
        so any connection that has sent nothing yet gives way to it, however new."""
        mine = self.holding(address)
        if mine >= self.share:
            return None, None, "address"
        now = self.clock()
        victim = None
        if self.open >= self.total - self.reserve:
            victim = self._victim(mine, now, 0.0 if ready else self.grace)
            if victim is not None:
                self.give_back(victim)
                victim.gone = True
            elif mine or self.open >= self.total:
                return None, None, "busy"
        conn = Conn(address, now, now)
        self.by_address.setdefault(address, set()).add(conn)
        self.open += 1
        return conn, victim, ""

    def _victim(self, mine: int, now: float, grace: float) -> Conn | None:
        """Who makes room: a connection that has not sent its request within
        ``grace`` (the longest idle), else the longest-idle one of the address holding
        the most, if it holds at least two more than the newcomer."""
        silent = [c for held in self.by_address.values() for c in held
                  if not c.head and now - c.opened >= grace]
        if silent:
            return min(silent, key=lambda c: c.last)
        heaviest = max(self.by_address.values(), key=len, default=set())
        if len(heaviest) >= mine + 2:
            return min(heaviest, key=lambda c: c.last)
        return None

    def give_back(self, conn: Conn) -> None:
        if conn.gone:
            return
        held = self.by_address.get(conn.address)
        if held is None or conn not in held:
            return
        held.discard(conn)
        if not held:
            del self.by_address[conn.address]
        self.open -= 1


class ChildFiles:
    """One Streamlit process's descriptors. Where ``measure`` gives its real count
    (``/proc``, read at most every half second), that count plus what was let in
    since; elsewhere, counted as its sessions hold them: ``base`` for the process,
    ``SESSION_FILES`` + 1 for each connected websocket, ``SESSION_FILES`` for each
    disconnected session it keeps (at most ``KEPT_SESSIONS``, for ``ttl`` seconds), 1
    for each request. New websockets stop at ``STRAINED`` of the limit, requests at
    0.95 of it, so pages and the room's polls still fit, and Streamlit has room for its
    own files."""

    def __init__(self, limit: int | None, ttl: float = SESSION_TTL, base: int = CHILD_FILES,
                 measure: Callable[[], int | None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.ttl, self.clock, self.measure = limit, ttl, clock, measure
        self.base = base if limit is None else min(base, limit // 4)
        self.websockets = 0
        self.requests = 0
        self._closed: deque[float] = deque(maxlen=KEPT_SESSIONS)
        self._seen: tuple[float, int | None] = (-1.0, None)
        self._since = 0  # descriptors let in since the last reading

    def kept(self) -> int:
        cutoff = self.clock() - self.ttl
        while self._closed and self._closed[0] < cutoff:
            self._closed.popleft()
        return len(self._closed)

    def counted(self) -> int:
        return (self.base + (SESSION_FILES + 1) * self.websockets
                + SESSION_FILES * self.kept() + self.requests)

    def used(self) -> int:
        now = self.clock()
        if self.measure is not None and now - self._seen[0] >= 0.5:
            self._seen, self._since = (now, self.measure()), 0
        seen = self._seen[1]
        return self.counted() if seen is None else seen + self._since

    def room_for(self, websocket: bool) -> bool:
        if self.limit is None:
            return True
        if websocket:
            return self.used() + SESSION_FILES + 1 <= STRAINED * self.limit
        return self.used() + 1 <= 0.95 * self.limit

    def opened(self, websocket: bool) -> None:
        if websocket:
            self.websockets += 1
        else:
            self.requests += 1
        self._since += SESSION_FILES + 1 if websocket else 1

    def closed(self, websocket: bool) -> None:
        if websocket:
            self.websockets -= 1
            self._closed.append(self.clock())  # its session stays a while
        else:
            self.requests -= 1
            self._since = max(0, self._since - 1)  # a request's socket is gone at once


def open_files(pid: int) -> tuple[int, int] | None:
    """(descriptors open, soft limit) of a process, read from ``/proc`` (Linux);
    None where there is no ``/proc``."""
    try:
        used = len(os.listdir(f"/proc/{pid}/fd"))
        with open(f"/proc/{pid}/limits") as f:
            for line in f:
                if line.startswith("Max open files"):
                    soft = line.split()[3]
                    return used, (1 << 62) if soft == "unlimited" else int(soft)
    except (OSError, ValueError, IndexError):
        return None
    return None
