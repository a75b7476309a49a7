"""The app's own files (Streamlit's scripts, styles and fonts) sent compressed, each
compressed once.

A phone opening the workshop for the first time downloads Streamlit's scripts: 3 MB
for the welcome page and 5.6 MB for a use-case page (its charts' and code's scripts),
sent as they are. On a venue's Wi-Fi with a room joining at once that is the wait
before anyone sees a page. Compressed (gzip) they are about a third of that (the
largest, 841 KB, becomes 97 KB). Their names carry a hash of their content and they
never change while the server runs, so each is compressed the first time it is asked
for and kept: later phones cost no compressing at all. Everything else (the pages'
websockets, ``/api/room``, a fetch of part of a file, a browser that does not accept
gzip, a file already compressed such as a font, and the page Streamlit answers any
unknown ``/static/`` address with) passes through unchanged, and nothing is kept for
it: what is kept is at most ``MOST`` files, whatever addresses are asked for.

An ASGI middleware: ``asgi.py`` hands it to ``st.App(middleware=...)``.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIX = "/static/"
#: What is worth compressing: scripts, styles, JSON, SVG and TrueType fonts. Not HTML:
#: the one page Streamlit sends for every unknown address, a few KB.
COMPRESSIBLE = (b"application/javascript", b"text/javascript", b"text/css",
                b"application/json", b"image/svg", b"font/ttf", b"application/wasm")
MOST = 1024  # files kept at most (Streamlit ships about 330)
MINIMUM = 1024  # bytes: smaller files gain nothing
LARGEST = 16 * 1024 * 1024  # bytes: anything larger is sent as it is
LEVEL = 6


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _accepts_gzip(scope: Scope) -> bool:
    accept = _header(list(scope.get("headers", ())), b"accept-encoding") or b""
    return any(part.split(b";")[0].strip() == b"gzip" for part in accept.lower().split(b","))


class GzipStatic:
    """Compresses ``PREFIX`` files for browsers that accept gzip, once per file."""

    def __init__(self, app: ASGIApp, level: int = LEVEL) -> None:
        self.app, self.level = app, level
        self._kept: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}  # path ->
        # (headers, compressed body)

    def __len__(self) -> int:
        """How many files are kept compressed."""
        return len(self._kept)

    def wants(self, scope: Scope) -> bool:
        return (scope["type"] == "http" and scope.get("method") == "GET"
                and str(scope.get("path", "")).startswith(PREFIX)
                and _header(list(scope.get("headers", ())), b"range") is None
                and _accepts_gzip(scope))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.wants(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        kept = self._kept.get(path)
        if kept is not None:
            await _send(send, *kept)
            return
        start, body = await _collect(self.app, scope, receive)
        headers = list(start.get("headers", ()))
        if not self._worth_it(start, headers, body) or len(self._kept) >= MOST:
            await send(start)  # as the app sent it
            await send({"type": "http.response.body", "body": body})
            return
        packed = await asyncio.to_thread(gzip.compress, body, self.level)
        out = [(k, v) for k, v in headers
               if k.lower() not in (b"content-length", b"etag", b"accept-ranges", b"vary")]
        etag = _header(headers, b"etag")
        if etag:  # another body, so another tag
            out.append((b"etag", etag.rstrip(b'"') + b'-gzip"'))
        out += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        self._kept[path] = (out, packed)
        await _send(send, out, packed)

    @staticmethod
    def _worth_it(start: Message, headers: list[tuple[bytes, bytes]], body: bytes) -> bool:
        kind = (_header(headers, b"content-type") or b"").lower()
        return (start.get("status") == 200 and _header(headers, b"content-encoding") is None
                and MINIMUM <= len(body) <= LARGEST and kind.startswith(COMPRESSIBLE))


async def _collect(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """The app's answer to ``scope``, whole: its start message and its body."""
    start: Message = {"status": 500, "headers": []}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    # Without the extensions that would send the file past this middleware
    extensions = {k: v for k, v in (scope.get("extensions") or {}).items()
                  if k not in ("http.response.pathsend", "http.response.zerocopysend")}
    await app({**scope, "extensions": extensions}, receive, keep)
    return start, b"".join(chunks)


async def _send(send: Send, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """A compressed file: ``headers`` (without its length, added here) and ``body``."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
