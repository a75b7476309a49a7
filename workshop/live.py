"""What every screen in the room may know about it, cheap enough to ask every second.

Phones ask ``/api/room?code=...`` (``asgi.py``) about once a second; the answer is
public (anyone holding the join code may know the stage) and small. ``fp`` is a
fingerprint of everything the facilitator sets: a phone reruns its page only when
it changes, so a room that is sitting still costs no script runs at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

from workshop.store import Store, StoreUnavailable, WorkshopNotFound


def screen_key(code: str, passphrase_hash: str) -> str:
    """The key in the Screen's address: only the Console that knows the workshop can
    make it, and it cannot be turned back into the passphrase.

    >>> len(screen_key("ABC234", "scrypt$00$11"))
    16
    """
    return hmac.new(passphrase_hash.encode(), f"screen:{code}".encode(),
                    hashlib.sha256).hexdigest()[:16]


def room_view(room: dict[str, Any], now: datetime | None = None,
              live: bool = False) -> dict[str, Any]:
    """The public part of ``Store.room(code)``, with its fingerprint (which, when
    ``live``, also changes with every answer: the Screen redraws its results).

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
    seen = {**view, "revision": room.get("revision", 0) if live else None}
    view["fp"] = hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()[:12]
    view["remaining"] = max(0.0, (ends - now).total_seconds()) if ends else None
    return view


class RoomCache:
    """One database read per workshop every ``ttl`` seconds, however many phones ask."""

    def __init__(self, store: Store, ttl: float = 0.5) -> None:
        self.store, self.ttl = store, ttl
        self._rooms: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._lock = threading.Lock()

    def get(self, code: str, live: bool = False) -> dict[str, Any] | None:
        """The room's public view, or None for an unknown code (or a database that
        cannot be reached: phones keep what they show and ask again)."""
        now = time.monotonic()
        hit = self._rooms.get(code)
        if hit is None or now - hit[0] > self.ttl:
            with self._lock:
                hit = self._rooms.get(code)
                if hit is None or now - hit[0] > self.ttl:
                    try:
                        room = self.store.room(code)
                    except (StoreUnavailable, WorkshopNotFound):
                        room = None
                    if len(self._rooms) > 1000:
                        self._rooms.clear()
                    hit = self._rooms[code] = (now, room)
        return None if hit[1] is None else room_view(hit[1], live=live)
