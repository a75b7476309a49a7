"""What every screen in the room may know about it, cheap enough to ask every second.

Phones ask ``/api/room?code=...`` (``asgi.py``) about once a second; the answer is
public (anyone holding the join code may know the stage) and small. ``fp`` is a
fingerprint of everything the facilitator sets: a phone reruns its page only when
it changes, so a room that is sitting still costs no script runs at all. A phone
weighing the room's advice asks with ``advice=1``: the approved advice is then part
of ``fp`` (new advice to vote on reruns the page), and ``tallies`` carries its vote
totals, which the page writes in place without a rerun.

The Console's facilitator stays signed in on their device with a token
(:func:`console_token`) signed with the workshop's passphrase hash, which only the
database holds: it expires, and it dies with the workshop.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from workshop import analysis
from workshop.store import Store, StoreUnavailable, WorkshopNotFound


def screen_key(code: str, passphrase_hash: str) -> str:
    """The key in the Screen's address: only the Console that knows the workshop can
    make it, and it cannot be turned back into the passphrase.

    >>> len(screen_key("ABC234", "scrypt$00$11"))
    16
    """
    return hmac.new(passphrase_hash.encode(), f"screen:{code}".encode(),
                    hashlib.sha256).hexdigest()[:16]


#: How long the Console keeps its facilitator signed in on a device.
CONSOLE_HOURS = 12


def console_token(code: str, passphrase_hash: str, expires: int) -> str:
    """A token that signs the Console in to workshop ``code`` until ``expires`` (Unix
    seconds): ``CODE.EXPIRES.SIGNATURE``.

    >>> console_token("ABC234", "scrypt$00$11", 1900000000).split(".")[:2]
    ['ABC234', '1900000000']
    """
    mac = hmac.new(passphrase_hash.encode(), f"console:{code}:{expires}".encode(),
                   hashlib.sha256).hexdigest()[:32]
    return f"{code}.{expires}.{mac}"


def console_token_code(token: str) -> str | None:
    """The workshop code a token names (not yet checked: see :func:`console_token_ok`)."""
    parts = token.split(".") if isinstance(token, str) and len(token) < 100 else []
    return parts[0] if len(parts) == 3 and parts[0].isalnum() else None


def console_token_ok(token: str, passphrase_hash: str, now: float | None = None) -> bool:
    """Is ``token`` signed for its workshop with this passphrase hash, and unexpired?

    >>> hashed = "scrypt$00$11"
    >>> console_token_ok(console_token("ABC234", hashed, 1900000000), hashed, 1.8e9)
    True
    >>> console_token_ok(console_token("ABC234", hashed, 1900000000), hashed, 1.95e9)
    False
    >>> console_token_ok(console_token("ABC234", "scrypt$00$22", 1900000000), hashed, 1.8e9)
    False
    """
    code = console_token_code(token)
    try:
        expires = int(token.split(".")[1]) if code else 0
    except ValueError:
        return False
    if not code or expires < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(token, console_token(code, passphrase_hash, expires))


def room_view(room: dict[str, Any], now: datetime | None = None,
              live: bool = False,
              tallies: list[tuple[int, int, int, int]] | None = None) -> dict[str, Any]:
    """The public part of ``Store.room(code)``, with its fingerprint (which, when
    ``live``, also changes with every answer: the Screen redraws its results; with
    ``tallies``, from ``Store.approved_tallies``, also when advice is approved or
    hidden, and the tallies go with it).

    >>> v = room_view({"stage": "questions", "use_case": None, "preset_key": None,
    ...                "version": 3, "open": True})
    >>> v["stage"], v["locked"], v["remaining"], len(v["fp"])
    ('questions', False, None, 12)
    """
    ends = room.get("timer_ends_at")
    now = now or datetime.now(UTC)
    view = {
        "stage": room.get("stage"),
        "use_case": room.get("use_case"),
        "preset_key": room.get("preset_key"),
        "version": room.get("version", 0),
        "locked": bool(room.get("locked", False)),
        "open": bool(room.get("open", True)),
        "timer_ends_at": ends.isoformat() if ends else None,
    }
    seen = {**view, "revision": room.get("revision", 0) if live else None,
            "advice": None if tallies is None else [t[0] for t in tallies]}
    view["fp"] = hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()[:12]
    view["remaining"] = max(0.0, (ends - now).total_seconds()) if ends else None
    if tallies is not None:
        view["tallies"] = [list(t) for t in tallies]
    return view


class RoomCache:
    """One database read per workshop every ``ttl`` seconds, however many phones ask."""

    def __init__(self, store: Store, ttl: float = 0.5) -> None:
        self.store, self.ttl = store, ttl
        self._rooms: dict[str, tuple[float, Any]] = {}
        self._tallies: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def _read(self, cache: dict[str, tuple[float, Any]], code: str, read: Any) -> Any:
        now = time.monotonic()
        hit = cache.get(code)
        if hit is None or now - hit[0] > self.ttl:
            with self._lock:
                hit = cache.get(code)
                if hit is None or now - hit[0] > self.ttl:
                    try:
                        value = read(code)
                    except (StoreUnavailable, WorkshopNotFound):
                        value = None
                    if len(cache) > 1000:
                        cache.clear()
                    hit = cache[code] = (now, value)
        return hit[1]

    def get(self, code: str, live: bool = False, advice: bool = False
            ) -> dict[str, Any] | None:
        """The room's public view, or None for an unknown code (or a database that
        cannot be reached: phones keep what they show and ask again). With
        ``advice``, the approved advice and its vote totals too."""
        room = self._read(self._rooms, code, self.store.room)
        if room is None:
            return None
        tallies = self._read(self._tallies, code, self._stamped_tallies) if advice else None
        return self._view(room, live, tallies)

    def _stamped_tallies(self, code: str) -> tuple[float, Any]:
        at = time.time()  # before the read: the totals are at least this fresh
        return at, self.store.approved_tallies(code)

    @staticmethod
    def _view(room: dict[str, Any], live: bool, stamped: tuple[float, Any] | None
              ) -> dict[str, Any]:
        if stamped is None:
            return room_view(room, live=live)
        view = room_view(room, live=live, tallies=stamped[1])
        view["tallies_at"] = int(stamped[0] * 1000)  # a page never shows older totals
        return view

    def held(self, code: str, live: bool = False, advice: bool = False
             ) -> tuple[bool, dict[str, Any] | None]:
        """(True, what ``get`` would say) if it can be said from memory, without
        waiting on the database; else (False, None). For answering on an event loop."""
        now = time.monotonic()
        room = self._rooms.get(code)
        tallies = self._tallies.get(code) if advice else (now, None)
        if room is None or tallies is None or max(now - room[0], now - tallies[0]) > self.ttl:
            return False, None
        if room[1] is None:
            return True, None
        return True, self._view(room[1], live, tallies[1])


class RoomAgainstAI:
    """The room's decisions scored against the AI's (``analysis.people_vs_ai`` of
    ``Store.decisions``), worked out once per change in them for every phone that
    shows it: a room of 200 does not read 200 times what 200 people decided. Within
    ``fresh_for`` seconds of the last look it is answered from memory; after that it
    asks whether the decisions changed (``Store.decisions_version``, an index read)
    and reads them again only if so. So others' decisions reach it within about a
    second, and a person's own at once: whoever stores decisions calls ``changed``."""

    def __init__(self, fresh_for: float = 1.0, most: int = 256,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.fresh_for, self.most, self.clock = fresh_for, most, clock
        # (url, code, use case) -> [version, result, when last checked]
        self._kept: dict[tuple[str, str, str], list[Any]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, code: str, use_case: str) -> dict[str, Any] | None:
        """``people_vs_ai`` of the room's latest decisions of ``use_case``, or None
        while nobody has decided. Raises what the store raises (``StoreUnavailable``,
        ``WorkshopNotFound``). Shared: treat it as read-only."""
        key = (store.url, code, use_case)
        hit = self._kept.get(key)
        now = self.clock()
        if hit is not None and now - hit[2] < self.fresh_for:
            return hit[1]
        version = store.decisions_version(code, use_case)
        if hit is not None and hit[0] == version:
            hit[2] = now
            return hit[1]
        decisions = store.decisions(code, use_case)
        result = None if decisions.empty else analysis.people_vs_ai(decisions)
        with self._lock:
            if len(self._kept) >= self.most:
                self._kept.clear()
            self._kept[key] = [version, result, now]  # read after the version: never staler
        return result

    def changed(self, store: Store, code: str, use_case: str) -> None:
        """Decisions of ``use_case`` were just stored here: the next ``get`` reads them."""
        with self._lock:
            self._kept.pop((store.url, code, use_case), None)
