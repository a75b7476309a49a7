"""The laptop's proxy (workshop.serve) cannot be knocked over, and tells the app who
each client is without letting a client say it for itself.

The proxy runs here in front of a stand-in for a Streamlit process that records what
reaches it; the tests that run out of open files run it in a child process with a
low limit. Settings are shortened (a head timeout of a second) so the tests are
quick; they assert what happens, not how fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from workshop.serve import (
    BadRequest,
    Balancer,
    Limits,
    Proxy,
    listen,
    parse_head,
    raise_open_files,
)

ROOT = Path(__file__).resolve().parents[1]
QUICK = Limits(header_timeout=5.0, idle_timeout=30.0, per_address=64, total=256)


class Upstream:
    """A stand-in for a Streamlit process: records each request's head, body and
    anything sent after the body; answers ``ok`` (or the head it got); a websocket
    upgrade is echoed byte for byte (or ignored, ``silent``)."""

    def __init__(self) -> None:
        self.heads: list[bytes] = []
        self.bodies: list[bytes] = []
        self.after_body: list[bytes] = []
        self.silent = False

    async def handle(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            head = await r.readuntil(b"\r\n\r\n")
            self.heads.append(head)
            if b"upgrade: websocket" in head.lower():
                w.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        b"Connection: Upgrade\r\n\r\n")
                while data := await r.read(1024):
                    if not self.silent:
                        w.write(data)
                        await w.drain()
                return
            n = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            self.bodies.append(await r.readexactly(int(n[1])) if n else b"")
            payload = b"ok" if b" /_stcore/health " in head.split(b"\r\n")[0] else head
            w.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                    % len(payload) + payload)
            await w.drain()
            w.write_eof()
            self.after_body.append(await asyncio.wait_for(r.read(), 5))
        except (asyncio.IncompleteReadError, ConnectionError, TimeoutError):
            pass
        finally:
            w.close()


@contextlib.asynccontextmanager
async def running(limits: Limits = QUICK, health=None) -> AsyncIterator[tuple[int, Upstream]]:
    up = Upstream()
    server = await asyncio.start_server(up.handle, "127.0.0.1", 0)
    sock = listen("127.0.0.1", 0)
    stop = asyncio.Event()
    proxy = Proxy(Balancer([server.sockets[0].getsockname()[1]]), limits, health)
    task = asyncio.create_task(proxy.serve(sock, stop))
    try:
        yield sock.getsockname()[1], up
    finally:
        stop.set()
        await task
        sock.close()
        server.close()


async def exchange(port: int, data: bytes, source: str = "127.0.0.1",
                   timeout: float = 20) -> bytes:
    """Send ``data`` from ``source``; everything the proxy answers until it closes."""
    r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    w.write(data)
    await w.drain()
    try:
        return await asyncio.wait_for(r.read(), timeout)
    finally:
        w.close()


def headers_of(head: bytes) -> list[tuple[str, str]]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return [(n.strip().lower(), v.strip()) for n, _, v in (x.partition(":") for x in lines if x)]


# -- the head ------------------------------------------------------------------------------


def test_a_head_is_read_strictly_and_smuggling_shapes_are_refused():
    req = parse_head(b"POST /x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n")
    assert (req.method, req.path, req.body_length, req.websocket) == ("POST", "/x", 5, False)
    bad = {
        b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n": 411,
        b"GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n": 400,
        b"GET / HTTP/1.1\r\nContent-Length: -3\r\n\r\n": 400,
        b"GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n": 400,
        b"GET / HTTP/1.1\r\nX-Forwarded-For : 1.2.3.4\r\n\r\n": 400,
        b"GET / HTTP/2.0\r\n\r\n": 400,
        b"GET  / HTTP/1.1\r\n\r\n": 400,
        b"GET / HTTP/1.1\r\nX-A: a\nX-Forwarded-For: 6.6.6.6\r\n\r\n": 400,
    }
    for head, status in bad.items():
        with pytest.raises(BadRequest) as err:
            parse_head(head)
        assert err.value.status == status, head


def test_the_forwarded_head_names_the_peer_and_nothing_the_client_said_about_itself():
    req = parse_head(b"GET / HTTP/1.1\r\nHost: h\r\nx-FORWARDED-for: 6.6.6.6\r\n"
                     b"Forwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\n"
                     b"X-Forwarded-Proto: https\r\nConnection: keep-alive\r\n"
                     b"Keep-Alive: timeout=99\r\nCookie: a=b\r\n\r\n")
    sent = headers_of(req.forwarded("192.168.1.20"))
    assert ("x-forwarded-for", "192.168.1.20") in sent
    assert [n for n, _ in sent if "forward" in n or n == "x-real-ip"] == ["x-forwarded-for"]
    assert ("connection", "close") in sent and ("keep-alive", "timeout=99") not in sent
    assert ("cookie", "a=b") in sent and ("host", "h") in sent
    ws = parse_head(b"GET /_stcore/stream HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                    b"Connection: keep-alive, Upgrade\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n")
    sent = headers_of(ws.forwarded("10.0.0.9"))
    assert ws.websocket and ("connection", "keep-alive, Upgrade") in sent
    assert [v for n, v in sent if n == "x-forwarded-for"] == ["10.0.0.9"]


# -- through the proxy ------------------------------------------------------------------------


def test_the_app_gets_the_clients_address_and_one_request_per_connection():
    async def scenario() -> None:
        async with running() as (port, up):
            smuggled = (b"POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                        b"X-Forwarded-For: 6.6.6.6\r\nConnection: keep-alive\r\n\r\nhello"
                        b"GET /second HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 7.7.7.7\r\n\r\n")
            answer = await exchange(port, smuggled, source="127.0.0.5")
            assert answer.startswith(b"HTTP/1.1 200 OK")
            assert len(up.heads) == 1 and up.bodies == [b"hello"]
            assert up.after_body == [b""]  # the second request never went upstream
            sent = headers_of(up.heads[0])
            assert [v for n, v in sent if n == "x-forwarded-for"] == ["127.0.0.5"]
            assert ("connection", "close") in sent

    asyncio.run(scenario())


def test_a_websocket_is_piped_both_ways_after_its_head():
    async def scenario() -> None:
        async with running() as (port, up):
            r, w = await asyncio.open_connection("127.0.0.1", port,
                                                 local_addr=("127.0.0.6", 0))
            w.write(b"GET /_stcore/stream HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                    b"Connection: Upgrade\r\nX-Real-IP: 6.6.6.6\r\n\r\n")
            assert (await r.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 101")
            for message in (b"one", b"two"):
                w.write(message)
                assert await asyncio.wait_for(r.readexactly(len(message)), 10) == message
            w.close()
            sent = headers_of(up.heads[0])
            assert ("x-forwarded-for", "127.0.0.6") in sent
            assert "x-real-ip" not in dict(sent)

    asyncio.run(scenario())


def test_bad_requests_are_answered_by_the_proxy_and_go_no_further():
    async def scenario() -> None:
        async with running() as (port, up):
            chunked = await exchange(port, b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked"
                                           b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            assert chunked.startswith(b"HTTP/1.1 411")
            folded = await exchange(port, b"GET / HTTP/1.1\r\nX-A: 1\r\n b\r\n\r\n")
            assert folded.startswith(b"HTTP/1.1 400")
            huge = await exchange(port, b"GET / HTTP/1.1\r\nX-A: " + b"a" * 100_000)
            assert huge.startswith(b"HTTP/1.1 431")
            assert up.heads == []

    asyncio.run(scenario())


def test_a_slow_head_and_an_idle_connection_are_cut_a_live_one_is_not():
    async def scenario() -> None:
        limits = Limits(header_timeout=1.0, idle_timeout=1.5, per_address=64, total=64)
        async with running(limits) as (port, up):
            # Slowloris: a head that never ends, one byte at a time.
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(b"GET / HTTP/1.1\r\nHost: h\r\n")
            answer = b""
            for _ in range(40):
                with contextlib.suppress(ConnectionError):
                    w.write(b"X")
                    await w.drain()
                try:
                    answer += await asyncio.wait_for(r.read(100), 0.25)
                except TimeoutError:
                    continue
                if answer.startswith(b"HTTP/1.1 408"):
                    break
            assert answer.startswith(b"HTTP/1.1 408")
            w.close()

            async def websocket() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
                r, w = await asyncio.open_connection("127.0.0.1", port)
                w.write(b"GET /_stcore/stream HTTP/1.1\r\nUpgrade: websocket\r\n"
                        b"Connection: Upgrade\r\n\r\n")
                await r.readuntil(b"\r\n\r\n")
                return r, w

            quiet_r, quiet_w = await websocket()
            live_r, live_w = await websocket()
            # The live one pings (as Streamlit does every 30 s) for longer than the idle
            # timeout and keeps its connection; the quiet one is closed.
            for _ in range(12):
                live_w.write(b".")
                assert await asyncio.wait_for(live_r.readexactly(1), 10) == b"."
                await asyncio.sleep(0.3)
            assert await asyncio.wait_for(quiet_r.read(), 20) == b""  # closed by the proxy
            live_w.close()
            quiet_w.close()

    asyncio.run(scenario())


def test_one_address_cannot_take_every_connection():
    async def scenario() -> None:
        limits = Limits(header_timeout=30.0, idle_timeout=30.0, per_address=3, total=64)
        async with running(limits) as (port, _up):
            held = [await asyncio.open_connection("127.0.0.1", port,
                                                  local_addr=("127.0.0.7", 0))
                    for _ in range(3)]
            await asyncio.sleep(0.2)  # accepted
            refused = await exchange(port, b"GET /_stcore/health HTTP/1.1\r\n\r\n",
                                     source="127.0.0.7")
            assert refused.startswith(b"HTTP/1.1 503")
            other = await exchange(port, b"GET /_stcore/health HTTP/1.1\r\n\r\n",
                                   source="127.0.0.8")
            assert other.startswith(b"HTTP/1.1 200") and other.endswith(b"ok")
            for _r, w in held:
                w.close()

    asyncio.run(scenario())


def test_healthz_is_answered_by_the_proxy_itself():
    state = {"ok": (True, "ok")}

    async def health() -> tuple[bool, str]:
        return state["ok"]

    async def scenario() -> None:
        async with running(health=health) as (port, up):
            good = await exchange(port, b"GET /healthz HTTP/1.1\r\n\r\n")
            assert good.startswith(b"HTTP/1.1 200") and good.endswith(b"ok\n")
            state["ok"] = (False, "the workshop database cannot be written")
            bad = await exchange(port, b"GET /healthz?x=1 HTTP/1.1\r\n\r\n")
            assert bad.startswith(b"HTTP/1.1 503")
            assert bad.endswith(b"the workshop database cannot be written\n")
            post = await exchange(port, b"POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
            assert post.startswith(b"HTTP/1.1 405")
            assert up.heads == []

    asyncio.run(scenario())


def test_the_total_fits_the_open_file_limit_and_settings_override(monkeypatch):
    for name in ("WORKSHOP_PROXY_MAX_CONNECTIONS", "WORKSHOP_PROXY_PER_ADDRESS",
                 "WORKSHOP_PROXY_IDLE_TIMEOUT", "WORKSHOP_PROXY_HEADER_TIMEOUT",
                 "STREAMLIT_SERVER_WEBSOCKET_PING_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    roomy = Limits.from_env(65536)
    assert (roomy.total, roomy.per_address) == (1024, 64)
    assert roomy.idle_timeout >= 3 * 30  # Streamlit pings every 30 s
    assert Limits.from_env(256).total * 2 <= 256 - 64  # a laptop that keeps macOS's 256
    monkeypatch.setenv("STREAMLIT_SERVER_WEBSOCKET_PING_INTERVAL", "50")
    assert Limits.from_env(65536).idle_timeout >= 150
    monkeypatch.setenv("WORKSHOP_PROXY_MAX_CONNECTIONS", "5000")
    monkeypatch.setenv("WORKSHOP_PROXY_PER_ADDRESS", "200")
    assert (Limits.from_env(256).total, Limits.from_env(256).per_address) == (5000, 200)


def test_a_setting_out_of_range_stops_the_launcher_with_its_name(monkeypatch, capsys):
    from workshop import serve

    monkeypatch.setenv("WORKSHOP_PROXY_PER_ADDRESS", "lots")
    with pytest.raises(ValueError, match="WORKSHOP_PROXY_PER_ADDRESS must be a whole number"):
        Limits.from_env(65536)
    monkeypatch.setenv("WORKSHOP_PROXY_PER_ADDRESS", "0")
    assert serve.main(["--port", "0", "--address", "127.0.0.1"]) == 2  # nothing started
    assert "WORKSHOP_PROXY_PER_ADDRESS must be at least 1, got 0" in capsys.readouterr().err


# -- out of open files (a child process with a low limit) ------------------------------------


_CHILD = """
import asyncio, logging, resource, sys
from workshop.serve import Balancer, Limits, Proxy, listen
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
logging.basicConfig(level=logging.INFO, format="%(message)s")
limits = Limits.from_env(limit)

async def main():
    sock = listen("127.0.0.1", 0)
    print(sock.getsockname()[1], limits.total, flush=True)
    await Proxy(Balancer([int(sys.argv[1])]), limits).serve(sock, asyncio.Event())

asyncio.run(main())
"""


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def proxy_child(open_files: int, **env: str) -> Iterator[tuple[int, int, subprocess.Popen]]:
    """A proxy in a child whose open-file limit (soft and hard) is ``open_files``, in
    front of an upstream in this process that answers ``ok``."""
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(upstream.server_address[1]), str(open_files)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), WORKSHOP_PROXY_HEADER_TIMEOUT="1",
                 **env))
    try:
        port, total = map(int, child.stdout.readline().split())
        yield port, total, child
    finally:
        child.kill()
        child.wait(timeout=10)
        upstream.shutdown()


def _idle_connections(port: int, n: int) -> list[socket.socket]:
    """``n`` connections that never send a byte (the kernel completes them even
    when the proxy can't accept them yet)."""
    out = []
    for i in range(n):
        s = socket.socket()
        s.bind((f"127.0.{1 + i // 200}.{10 + i % 200}", 0))
        s.connect(("127.0.0.1", port))
        out.append(s)
    return out


def _health_through(port: int) -> str | None:
    """``ok``, else the status the proxy answered (None: no answer at all)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                    timeout=30) as r:
            return r.read().decode()
    except urllib.error.HTTPError as err:
        return str(err.code)
    except OSError:
        return None


def test_out_of_open_files_it_waits_and_then_serves_again():
    # The connection cap set far above what 64 open files allow: the proxy runs out
    # of descriptors, waits, and serves once the idle connections time out.
    with proxy_child(64, WORKSHOP_PROXY_MAX_CONNECTIONS="1000") as (port, total, child):
        assert total == 1000
        idle = _idle_connections(port, 150)
        try:
            answers = [_health_through(port) for _ in range(10)]
        finally:
            for s in idle:
                s.close()
        child.kill()
        log = child.stderr.read()
    assert answers == ["ok"] * 10
    assert "out of file descriptors" in log
    assert log.count("out of file descriptors") < 20  # said now and then, not in a loop


def test_with_a_laptops_low_limit_the_cap_keeps_it_serving():
    with proxy_child(256) as (port, total, child):
        assert total * 2 < 256  # what it keeps within its limit
        idle = _idle_connections(port, 300)
        try:
            answers = [_health_through(port) for _ in range(10)]
        finally:
            for s in idle:
                s.close()
        child.kill()
        log = child.stderr.read()
    assert answers == ["ok"] * 10
    assert "out of file descriptors" not in log


def test_the_open_file_limit_is_raised_to_the_hard_limit():
    code = ("import resource; from workshop.serve import raise_open_files;"
            "resource.setrlimit(resource.RLIMIT_NOFILE, (100, 2000));"
            "print(raise_open_files(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.stdout.split() == ["2000", "2000"]
    assert raise_open_files() >= 256  # this process: at least what a laptop allows


def test_idle_connections_time_out_rather_than_pile_up():
    with proxy_child(256) as (port, _total, child):
        idle = _idle_connections(port, 20)
        try:
            closed = 0
            deadline = time.monotonic() + 30
            for s in idle:
                s.settimeout(max(0.1, deadline - time.monotonic()))
                with contextlib.suppress(OSError):
                    data = s.recv(100)  # the 408 the proxy sends, then its close
                    if data.startswith(b"HTTP/1.1 408"):
                        closed += 1
        finally:
            for s in idle:
                s.close()
        assert child.poll() is None
    assert closed == 20
