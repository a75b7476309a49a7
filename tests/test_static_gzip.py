"""Streamlit's own files go to phones compressed, each compressed once; everything else
passes through as the app sends it (workshop/static_gzip.py)."""

from __future__ import annotations

import asyncio
import gzip
import urllib.request

import pytest

from workshop import static_gzip
from workshop.static_gzip import GzipStatic

SCRIPT = b"function f(){return 'the room against the AI';}\n" * 400


class FakeApp:
    """An ASGI app answering like Streamlit's static files: counted, in two chunks."""

    def __init__(self, body: bytes = SCRIPT, kind: bytes = b"application/javascript",
                 status: int = 200) -> None:
        self.body, self.kind, self.status, self.calls = body, kind, status, 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status, "headers": [
            (b"content-type", self.kind), (b"content-length", str(len(self.body)).encode()),
            (b"etag", b'"abc"'), (b"cache-control", b"public, immutable")]})
        half = len(self.body) // 2
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:]})


def get(app, path="/static/js/index.1a2b.js", **headers):
    scope = {"type": "http", "method": "GET", "path": path, "extensions": {},
             "headers": [(k.replace("_", "-").encode(), v.encode())
                         for k, v in {"accept_encoding": "gzip, deflate, br",
                                      **headers}.items()]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    head = dict(sent[0]["headers"])
    return sent[0]["status"], head, b"".join(m.get("body", b"") for m in sent[1:])


def test_a_script_is_sent_compressed_and_compressed_once():
    inner = FakeApp()
    app = GzipStatic(inner)
    answers = [get(app) for _ in range(3)]
    assert inner.calls == 1 and len(app) == 1  # later phones: from what was kept
    for status, head, body in answers:
        assert status == 200 and head[b"content-encoding"] == b"gzip"
        assert gzip.decompress(body) == SCRIPT
        assert int(head[b"content-length"]) == len(body) < len(SCRIPT) / 10
        assert head[b"vary"] == b"Accept-Encoding" and head[b"etag"] == b'"abc-gzip"'
        assert head[b"cache-control"] == b"public, immutable"


@pytest.mark.parametrize("case", ["no gzip", "a range", "a font", "tiny", "not found",
                                  "not static", "a page"])
def test_everything_else_passes_through_as_the_app_sent_it(case):
    inner = FakeApp(
        kind={"a font": b"font/woff2", "a page": b"text/html; charset=utf-8"}.get(
            case, b"application/javascript"),
        body=b"x" * 100 if case == "tiny" else SCRIPT,
        status=404 if case == "not found" else 200)
    headers = {"no gzip": {"accept_encoding": "identity"},
               "a range": {"range": "bytes=0-99"}}.get(case, {})
    path = "/api/room" if case == "not static" else "/static/js/index.1a2b.js"
    app = GzipStatic(inner)
    for _ in range(2):
        status, head, body = get(app, path, **headers)
        assert b"content-encoding" not in head and body == inner.body
        assert status == inner.status and head[b"etag"] == b'"abc"'
    assert inner.calls == 2


def test_asking_for_ever_new_addresses_keeps_at_most_a_bounded_number_of_files():
    # Streamlit answers an unknown /static/ address with its page (200, HTML): nothing
    # kept; and made-up names of scripts fill at most MOST places
    page, script = GzipStatic(FakeApp(kind=b"text/html")), GzipStatic(FakeApp())
    for n in range(static_gzip.MOST + 50):
        assert b"content-encoding" not in get(page, f"/static/js/made-up-{n}.js")[1]
        get(script, f"/static/js/made-up-{n}.js")
    assert len(page) == 0 and len(script) == static_gzip.MOST
    status, head, body = get(script, "/static/js/one-more.js")
    assert status == 200 and b"content-encoding" not in head and body == SCRIPT


def test_a_websocket_is_not_touched():
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    async def nothing():
        return {}

    asyncio.run(GzipStatic(inner)({"type": "websocket", "path": "/_stcore/stream"},
                                  nothing, nothing))
    assert seen == ["websocket"]


@pytest.mark.server
def test_the_real_server_sends_streamlits_scripts_compressed(tmp_path):
    from tests.test_server import _health, _serve

    proc, port = _serve(1, tmp_path)
    try:
        assert _health(port, 60) == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            page = r.read().decode()
        script = page.split('src="./static/js/', 1)[1].split('"', 1)[0]
        url = f"http://127.0.0.1:{port}/static/js/{script}"
        with urllib.request.urlopen(url, timeout=10) as r:
            plain = r.read()
            assert r.headers.get("Content-Encoding") is None  # asked without gzip
        ask = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(ask, timeout=10) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            packed = r.read()
        assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2
    finally:
        proc.terminate()
        proc.wait(timeout=20)
