"""No one on the Wi-Fi can take the room offline through the proxy (workshop.proxy):
slots shared fairly between addresses, a reserve for newcomers and /healthz, the
heaviest address's idle connections closed first, Streamlit's descriptors counted
as its sessions hold them, and /healthz saying when a process is near its limit.
The last test attacks the real server (``workshop.serve``, one process)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.load.ws_client import Session
from tests.test_proxy import Upstream, exchange, running
from workshop.proxy import Balancer, Proxy, listen
from workshop.proxy_slots import SESSION_FILES, ChildFiles, Limits, Slots, open_files

ROOT = Path(__file__).resolve().parents[1]
UPGRADE = (b"GET /_stcore/stream HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
           b"Connection: Upgrade\r\n\r\n")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


# -- the rules, without sockets ----------------------------------------------------------


def test_the_heaviest_address_gives_up_its_longest_idle_connection_first():
    clock = Clock()
    slots = Slots(Limits(total=16, per_address=64), clock=clock)
    assert (slots.reserve, slots.share) == (2, 8)
    held = {}
    for i, who in enumerate(["attacker"] * 8 + ["other"] * 6):  # 14 = all but the reserve
        conn, victim, _ = slots.take(who)
        conn.head, conn.last = True, clock.t + i
        held.setdefault(who, []).append(conn)
    clock.t += 10
    # Full: an address holding two fewer than the heaviest takes its longest-idle slot.
    conn, victim, _ = slots.take("other")
    assert victim is held["attacker"][0] and victim.gone
    conn.head = True
    assert (slots.holding("attacker"), slots.holding("other")) == (7, 7)
    assert slots.take("other")[2] == "busy"  # no ping-pong between equals
    # A newcomer takes the heaviest address's longest-idle slot.
    conn, victim, _ = slots.take("phone-1")
    assert conn is not None and victim.address in ("attacker", "other")
    assert slots.open == 14
    # ... until the room is evened out.
    for _ in range(10):
        slots.take("phone-1")
    assert (slots.holding("attacker"), slots.holding("other"), slots.holding("phone-1")) \
        in ((5, 5, 4), (5, 4, 5), (4, 5, 5))
    # One address never holds more than its share, even in an empty room.
    empty = Slots(Limits(total=16, per_address=64), clock=Clock())
    for _ in range(empty.share):
        assert empty.take("10.0.0.1")[0] is not None
    assert empty.take("10.0.0.1")[2] == "address"


def test_the_reserve_is_for_addresses_that_hold_nothing():
    slots = Slots(Limits(total=16, per_address=64), clock=Clock())
    for i in range(14):  # fourteen phones, one connection each: nobody to make room
        slots.take(f"10.0.0.{i}")[0].head = True
    assert slots.take("10.0.0.1")[2] == "busy"  # a second one for a phone inside: no
    for i in (100, 101):
        conn, victim, _ = slots.take(f"10.0.0.{i}")
        assert conn is not None and victim is None
    assert slots.open == slots.total
    assert slots.take("10.0.0.102")[2] == "busy"


def test_a_connection_that_sends_nothing_gives_way_before_anyone_else():
    clock = Clock()
    slots = Slots(Limits(total=8, per_address=64), clock=clock)
    talkers = []
    for i in range(7):
        conn, _, _ = slots.take(f"10.0.0.{i}")
        conn.head = True
        talkers.append(conn)
    silent, _, _ = slots.take("10.0.0.99")  # the reserve
    clock.t += 0.5
    assert slots.take("10.0.0.100")[2] == "busy"  # too soon to call it silent
    clock.t += 1
    conn, victim, _ = slots.take("10.0.0.100")
    assert conn is not None and victim is silent


def test_a_request_in_hand_beats_a_connection_that_has_sent_nothing_yet():
    # A flood of silent connections from many addresses, all just opened: a newcomer
    # with nothing to show waits its turn, one whose request has arrived goes first.
    clock = Clock()
    slots = Slots(Limits(total=8, per_address=64), clock=clock)
    silent = [slots.take(f"10.0.1.{i}")[0] for i in range(8)]
    clock.t += 0.1
    assert slots.take("10.0.0.1")[2] == "busy"
    conn, victim, _ = slots.take("10.0.0.1", ready=True)
    assert conn is not None and victim in silent
    conn.head = True
    for c in silent:
        if c is not victim:
            c.head = True  # now everyone has spoken: nobody gives way to a newcomer
    assert slots.take("10.0.0.2", ready=True)[2] == "busy"


def test_a_streamlit_process_is_counted_as_its_sessions_hold_descriptors():
    clock = Clock()
    files = ChildFiles(256, ttl=120, clock=clock)
    assert files.used() == 64  # the process itself
    for _ in range(35):  # websockets stop at eight tenths of the limit (204.8)
        assert files.room_for(websocket=True)
        files.opened(websocket=True)
    assert files.used() == 64 + 35 * (SESSION_FILES + 1) == 204
    assert not files.room_for(websocket=True) and files.room_for(websocket=False)
    for _ in range(10):  # phones that go: their sessions stay for the TTL
        files.closed(websocket=True)
    assert files.used() == 64 + 25 * (SESSION_FILES + 1) + 10 * SESSION_FILES
    clock.t += 121
    assert files.used() == 64 + 25 * (SESSION_FILES + 1)
    # Where the real count is known, it is what counts, with what was let in since.
    real = [100]
    seen = ChildFiles(256, clock=clock, measure=lambda: real[0])
    assert seen.used() == 100
    seen.opened(websocket=True)
    real[0] = 210
    assert seen.used() == 104  # read again only after half a second
    clock.t += 0.5
    assert seen.used() == 210 and not seen.room_for(websocket=True)
    assert ChildFiles(65536).base == 64


def test_the_total_leaves_spare_descriptors_for_healthz():
    for limit in (256, 1024, 65536):
        limits = Limits.from_env(limit)
        assert 2 * (limits.total + limits.spare) <= limit - 64
        assert limits.child_files == limit
    assert Limits.from_env(65536).share == 64


# -- through the proxy ------------------------------------------------------------------------


async def _websocket(port: int, source: str):
    r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    w.write(UPGRADE)
    head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 10)
    assert head.startswith(b"HTTP/1.1 101"), head
    return r, w


async def _closed(r: asyncio.StreamReader, timeout: float = 0.5) -> bool:
    try:
        return await asyncio.wait_for(r.read(100), timeout) == b""
    except (TimeoutError, ConnectionError):
        return False


def test_addresses_holding_websockets_cannot_take_the_room_offline():
    """The issue's attack, scaled down: ten addresses each hold their share of
    websockets, more than all the slots. /healthz answers at once, a new phone gets
    its page and its websocket, and the attackers lose connections, not the phone."""
    limits = Limits(header_timeout=5.0, idle_timeout=30.0, per_address=64, total=128)

    async def health() -> tuple[bool, str]:
        return True, "ok"

    async def scenario() -> None:
        async with running(limits, health=health) as (port, _up):
            attack = []
            for a in range(10):
                for _ in range(limits.share):
                    with contextlib.suppress(AssertionError, ConnectionError, TimeoutError):
                        attack.append(await _websocket(port, f"127.0.3.{a + 1}"))
            started = time.monotonic()
            healthz = await exchange(port, b"GET /healthz HTTP/1.1\r\n\r\n", timeout=5)
            assert healthz.startswith(b"HTTP/1.1 200") and healthz.endswith(b"ok\n")
            assert time.monotonic() - started < 2
            page = await exchange(port, b"GET / HTTP/1.1\r\n\r\n", source="127.0.4.1",
                                  timeout=5)
            assert page.startswith(b"HTTP/1.1 200")
            r, w = await _websocket(port, "127.0.4.1")
            w.write(b"still here")
            assert await asyncio.wait_for(r.readexactly(10), 5) == b"still here"
            lost = await asyncio.gather(*(_closed(ar) for ar, _ in attack))
            assert sum(lost) >= 2
            w.write(b"and here")
            assert await asyncio.wait_for(r.readexactly(8), 5) == b"and here"
            for _, aw in attack:
                aw.close()
            w.close()

    asyncio.run(scenario())


def test_past_a_process_budget_new_websockets_are_told_to_come_back():
    limits = Limits(header_timeout=5.0, idle_timeout=30.0, per_address=64, total=128,
                    child_files=80)  # 20 for the process: room for 11 websockets (64)

    async def scenario() -> None:
        async with running(limits) as (port, _up):
            held = [await _websocket(port, f"127.0.5.{i + 1}") for i in range(11)]
            refused = await exchange(port, UPGRADE, source="127.0.5.99", timeout=5)
            assert refused.startswith(b"HTTP/1.1 503") and b"Retry-After" in refused
            page = await exchange(port, b"GET / HTTP/1.1\r\n\r\n", source="127.0.5.99")
            assert page.startswith(b"HTTP/1.1 200")  # a page still fits
            busy = await exchange(port, b"GET /healthz HTTP/1.1\r\n\r\n")
            assert busy.startswith(b"HTTP/1.1 503")
            assert b"near its open-file limit" in busy
            for _, w in held:
                w.close()

    asyncio.run(scenario())


def test_healthz_reads_a_processes_real_descriptors_where_it_can():
    hog = subprocess.Popen(
        [sys.executable, "-c", "import resource, sys, time\n"
         "resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))\n"
         "files = [open('/dev/null') for _ in range(58)]\n"
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert hog.stdout.readline().strip() == "ready"
        seen = open_files(hog.pid)
        if seen is None:
            pytest.skip("no /proc here")
        assert seen[1] == 64 and seen[0] >= 58

        async def scenario() -> None:
            up = Upstream()
            server = await asyncio.start_server(up.handle, "127.0.0.1", 0)
            upstream = server.sockets[0].getsockname()[1]
            sock, stop = listen("127.0.0.1", 0), asyncio.Event()
            # The proxy's one process is, for this test, the process holding 59 files.
            proxy = Proxy(Balancer([upstream]), Limits(), pids=lambda: {upstream: hog.pid})
            task = asyncio.create_task(proxy.serve(sock, stop))
            try:
                answer = await exchange(sock.getsockname()[1],
                                        b"GET /healthz HTTP/1.1\r\n\r\n")
                assert answer.startswith(b"HTTP/1.1 503")
                assert re.search(rb"near its open-file limit \(\d+ of 64\)", answer)
            finally:
                stop.set()
                await task
                sock.close()
                server.close()

        asyncio.run(scenario())
    finally:
        hog.kill()
        hog.wait()


# -- the real server -------------------------------------------------------------------------


def _get(port: int, path: str, source: str | None = None) -> tuple[int, str]:
    if source is None:
        url = f"http://127.0.0.1:{port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    async def fetch() -> bytes:
        return await exchange(port, f"GET {path} HTTP/1.1\r\nHost: h\r\n\r\n".encode(),
                              source=source, timeout=10)

    raw = asyncio.run(fetch())
    return int(raw.split(b" ", 2)[1]), raw.split(b"\r\n\r\n", 1)[1].decode()


@pytest.mark.server
def test_the_real_server_with_one_process_holds_against_the_room(tmp_path):
    """``WORKSHOP_PROCESSES=1`` still puts the proxy in front; eight addresses holding
    websockets to Streamlit past its slots leave /healthz, a new phone and the room
    poll working; an address guessing join codes is answered 429, even for a code the
    room is asking about; others are not."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/w.db", WORKSHOP_PROCESSES="1",
               WORKSHOP_PROXY_MAX_CONNECTIONS="48", WORKSHOP_SPOOL_DIR=str(tmp_path / "out"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop.serve", "--port", "0", "--address", "127.0.0.1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        port = None
        for line in proc.stdout:
            if m := re.search(r"from 1 process on http://127\.0\.0\.1:(\d+)", line):
                port = int(m[1])
                break
        assert port, "workshop.serve did not say where it serves"
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        assert _get(port, "/healthz") == (200, "ok\n")
        from workshop.store import Store

        store = Store(env["DATABASE_URL"])
        code = store.create_workshop("Hall", "correct horse battery").code
        other = store.create_workshop("Annexe", "correct horse battery").code
        store.engine.dispose()

        async def attack_and_use() -> None:
            attack = []
            for a in range(8):
                for _ in range(8):
                    with contextlib.suppress(AssertionError, ConnectionError, TimeoutError):
                        attack.append(await _websocket(port, f"127.0.6.{a + 1}"))
            started = time.monotonic()
            ok = await exchange(port, b"GET /healthz HTTP/1.1\r\n\r\n", timeout=10)
            assert ok.startswith(b"HTTP/1.1 200"), ok
            assert time.monotonic() - started < 3
            async with Session(f"http://127.0.0.1:{port}", local_host="127.0.7.1") as s:
                run = await s.open()
                assert not run.errors and "have your say" in " ".join(run.texts)
            for _, w in attack:
                w.close()

        asyncio.run(attack_and_use())
        assert _get(port, f"/api/room?code={code}", "127.0.8.1")[0] == 200
        statuses = [_get(port, f"/api/room?code=GUESS{i:02d}", "127.0.8.1")[0]
                    for i in range(40)]
        assert statuses[:30] == [404] * 30 and set(statuses[30:]) == {429}
        # The room's polls are shared (workshop.proxy_shared), never with a guesser:
        # a code the room is asking about this moment is refused it all the same.
        assert _get(port, f"/api/room?code={other}", "127.0.8.2")[0] == 200
        assert _get(port, f"/api/room?code={other}", "127.0.8.1")[0] == 429
        assert _get(port, f"/api/room?code={code}", "127.0.8.2")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
