"""Answers the proxy shares between phones for a moment: the room's state.

Every phone asks ``GET /api/room?code=...`` about once a second (``ui/room.py``), and
the answer is the same for everyone asking with the same address: the room's public
state, a few hundred bytes. Through Streamlit's server each request costs a process
more than a millisecond of CPU and a turn of the event loop that carries its
phones' websockets; 200 phones asking once a second is a quarter of a core. The
proxy (``workshop.proxy``) keeps each such answer for ``TTL`` seconds and hands it
to everyone who asks meanwhile, so a room costs its Streamlit processes about four
requests a second per workshop, however many phones it holds.

Only what is the same for everyone is shared: a ``200`` with no ``Set-Cookie``, to a
``GET`` with no body, at a shared path. The advice page's poll for vote totals
(``advice=1``) is shared too: each answer says when its totals were read
(``tallies_at``), and a phone writes only totals newer than those it shows, so an
answer a moment old never puts back the totals from before its own vote. Anything else
(a ``404`` for an unknown code, which the app counts against the asker's address; a
``429``; an error) goes to the one who asked, and the next asker asks the app again.
And it is shared only with an address the app itself has answered ``200`` for that
same request: a newcomer's first poll goes to the app, so someone guessing join codes
meets the app's limit on guesses (``workshop.security``) whatever the room is asking.
Phones asking at once while an answer is on its way wait for that one answer instead
of each asking.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from workshop.http_head import Request

#: Seconds an answer is shared. With the app's own half second (``RoomCache``) and a
#: poll a second, a change reaches a phone within about two seconds.
TTL = 0.25
PATHS = frozenset({"/api/room"})
MOST = 1024  # answers kept at most (one per workshop and kind of poll)


def cacheable(answer: bytes) -> bool:
    """A ``200`` that sets no cookie: the same for whoever asks."""
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    return head.startswith((b"http/1.1 200 ", b"http/1.0 200 ")) and b"\r\nset-cookie:" not in head


class SharedAnswers:
    """Answers to ``PATHS`` kept for ``ttl`` seconds, by request target, for the
    addresses the app has answered that target."""

    def __init__(self, ttl: float = TTL, most: int = MOST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.most, self.clock = ttl, most, clock
        self._kept: dict[str, tuple[float, bytes]] = {}
        self._known: dict[str, set[str]] = {}  # target -> addresses the app answered 200
        self._flights: dict[str, asyncio.Future[bytes]] = {}

    def wants(self, request: Request) -> bool:
        return (request.method == "GET" and request.path in PATHS
                and request.body_length == 0)

    async def answer(self, target: str, who: str,
                     ask: Callable[[], Awaitable[bytes]]) -> bytes:
        """The answer for ``target`` to address ``who``: kept, on its way, or
        ``ask()``-ed of the app now."""
        if who in self._known.get(target, ()):
            kept = self._kept.get(target)
            if kept is not None and self.clock() - kept[0] < self.ttl:
                return kept[1]
            flight = self._flights.get(target)
            if flight is not None:
                answer = await asyncio.shield(flight)
                if cacheable(answer):
                    return answer
        return await self._ask(target, who, ask)  # someone else's refusal is not ours

    async def _ask(self, target: str, who: str, ask: Callable[[], Awaitable[bytes]]) -> bytes:
        mine = target not in self._flights  # else another's answer is on its way already
        if mine:
            flight = self._flights[target] = asyncio.get_running_loop().create_future()
        try:
            answer = await ask()
        except BaseException:
            if mine:
                flight.set_result(b"")  # nothing to share: those waiting ask themselves
            raise
        finally:
            if mine:
                del self._flights[target]
        if cacheable(answer):
            if len(self._kept) >= self.most:
                self._kept.clear()
                self._known.clear()
            self._kept[target] = (self.clock(), answer)
            known = self._known.setdefault(target, set())
            if len(known) >= self.most * 4:
                known.clear()
            known.add(who)
        if mine:
            flight.set_result(answer)
        return answer
