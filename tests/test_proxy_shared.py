"""The room's poll answered once for everyone asking it in the same moment, and
never for an address the app has not answered it for (workshop.proxy_shared)."""

from __future__ import annotations

import asyncio

from tests.test_proxy import exchange, running
from workshop.proxy_shared import SharedAnswers, cacheable

ROOM = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: 2\r\n\r\n{}'
UNKNOWN = b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class App:
    """A stand-in for the app: counts what it is asked, answers ``answer``."""

    def __init__(self, answer: bytes = ROOM, delay: float = 0.0) -> None:
        self.answer, self.delay, self.asked = answer, delay, 0

    async def __call__(self) -> bytes:
        self.asked += 1
        await asyncio.sleep(self.delay)
        return self.answer


def test_only_the_same_answer_for_everyone_is_shared():
    assert cacheable(ROOM)
    assert not cacheable(UNKNOWN)
    assert not cacheable(b"HTTP/1.1 429 Too Many Requests\r\n\r\n")
    assert not cacheable(b"HTTP/1.1 200 OK\r\nSet-Cookie: s=1\r\n\r\n{}")
    assert not cacheable(b"")


def test_a_room_polling_together_costs_the_app_one_request_a_moment():
    async def scenario() -> None:
        clock, app = Clock(), App(delay=0.05)
        shared = SharedAnswers(ttl=0.25, clock=clock)
        phones = [f"10.0.0.{n}" for n in range(200)]
        for phone in phones:  # each phone's first poll is the app's to answer
            assert await shared.answer("/api/room?code=HALL", phone, App()) == ROOM
        clock.now += 1  # a second later: everyone asks again, all at once
        got = await asyncio.gather(*(shared.answer("/api/room?code=HALL", p, app)
                                     for p in phones))
        assert got == [ROOM] * 200 and app.asked == 1
        assert await shared.answer("/api/room?code=HALL", phones[0], app) == ROOM
        assert app.asked == 1  # within the quarter second
        clock.now += 0.3
        await shared.answer("/api/room?code=HALL", phones[0], app)
        assert app.asked == 2  # and not after it
        await shared.answer("/api/room?code=ANNEX", phones[0], app)
        assert app.asked == 3  # each request its own

    asyncio.run(scenario())


def test_a_guesser_and_a_refusal_are_never_handed_someone_elses_answer():
    async def scenario() -> None:
        clock = Clock()
        shared = SharedAnswers(clock=clock)
        await shared.answer("/api/room?code=HALL", "10.0.0.1", App())  # the room's phone
        guesser = App(b"HTTP/1.1 429 Too Many Requests\r\n\r\n")
        assert (await shared.answer("/api/room?code=HALL", "10.6.6.6", guesser)).startswith(
            b"HTTP/1.1 429")  # the app's answer to it, not the room's
        assert guesser.asked == 1
        unknown = App(UNKNOWN, delay=0.05)
        clock.now += 1
        asked = [shared.answer("/api/room?code=GONE", f"10.0.0.{n}", unknown)
                 for n in range(3)]
        assert await asyncio.gather(*asked) == [UNKNOWN] * 3
        assert unknown.asked == 3  # a 404 counts against each asker: each asks
        failing = App()

        async def down() -> bytes:
            failing.asked += 1
            raise ConnectionError("the process is restarting")

        try:
            await shared.answer("/api/room?code=HALL", "10.0.0.1", down)
        except ConnectionError:
            pass
        assert await shared.answer("/api/room?code=HALL", "10.0.0.1", App()) == ROOM

    asyncio.run(scenario())


def test_the_proxy_answers_a_rooms_polls_from_one_request_to_the_app():
    async def scenario() -> None:
        async with running() as (port, up):
            poll = b"GET /api/room?code=HALL HTTP/1.1\r\nHost: h\r\n\r\n"
            first = [await exchange(port, poll, source=f"127.0.3.{n}") for n in range(5)]
            assert len(up.heads) == 5  # each phone's first poll reaches the app
            again = await asyncio.gather(*(exchange(port, poll, source=f"127.0.3.{n}")
                                           for n in range(5)))
            assert all(a.startswith(b"HTTP/1.1 200 OK") for a in first + list(again))
            assert len(up.heads) <= 6  # then one request for all of them, at most two
            assert len(set(again)) == 1  # the same answer, shared
            n = len(up.heads)
            totals = b"GET /api/room?code=HALL&advice=1 HTTP/1.1\r\nHost: h\r\n\r\n"
            for _ in range(2):  # vote totals too: each says when it was read (tallies_at)
                await exchange(port, totals, source="127.0.3.1")
            assert len(up.heads) == n + 1
            n = len(up.heads)
            post = b"POST /api/room?code=HALL HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
            await exchange(port, post, source="127.0.3.1")
            await exchange(port, b"GET /other HTTP/1.1\r\nHost: h\r\n\r\n", source="127.0.3.1")
            assert len(up.heads) == n + 2  # nothing else is shared

    asyncio.run(scenario())
