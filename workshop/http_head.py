r"""One HTTP request's head, read strictly, for the proxy (``workshop.proxy``).

``parse_head`` takes a request head as a browser sends it and refuses anything else
(``BadRequest``, with the status to answer): a malformed request line, target or
header, a folded header, a body without a ``Content-Length`` (or with two that
disagree). ``Request.forwarded`` is the head the proxy sends on: whatever the client
said about where it came from (``X-Forwarded-*``, ``Forwarded``, ``X-Real-IP``)
removed, ``X-Forwarded-For: <its address>`` added, and ``Connection: close`` unless
it is a websocket upgrade. ``plain_response`` is the proxy's own short answer.

>>> req = parse_head(b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Real-IP: 6.6.6.6\r\n\r\n")
>>> req.path, req.websocket, req.body_length
('/a', False, 0)
>>> req.forwarded("10.0.0.7").decode()
'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.7\r\nConnection: close\r\n\r\n'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field


class BadRequest(ValueError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Headers a client must not set: who it is, as a proxy would say it.
_FORWARDING = ("forwarded", "x-real-ip")
_HOP = {"connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"}


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    def values(self, name: str) -> list[bytes]:
        key = name.encode()
        return [v for n, v in self.headers if n.lower() == key]

    def tokens(self, name: str) -> set[str]:
        return {t.strip().lower() for v in self.values(name)
                for t in v.decode("latin-1").split(",") if t.strip()}

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def websocket(self) -> bool:
        return (self.method == "GET" and "websocket" in self.tokens("upgrade")
                and "upgrade" in self.tokens("connection"))

    @property
    def body_length(self) -> int:
        lengths = self.values("content-length")
        if not lengths:
            return 0
        if len(set(lengths)) > 1 or not lengths[0].isdigit():
            raise BadRequest(400, "a bad Content-Length")
        return int(lengths[0])

    def forwarded(self, peer: str) -> bytes:
        """The head to send upstream: the client's forwarding headers removed, its
        address added; ``Connection: close`` unless it is a websocket."""
        ws = self.websocket
        out = [f"{self.method} {self.target} {self.version}".encode("latin-1")]
        for name, value in self.headers:
            low = name.lower().decode("latin-1")
            if low.startswith("x-forwarded-") or low in _FORWARDING:
                continue
            if not ws and low in _HOP:
                continue
            out.append(name + b": " + value)
        out.append(b"X-Forwarded-For: " + peer.encode())
        if not ws:
            out.append(b"Connection: close")
        return b"\r\n".join(out) + b"\r\n\r\n"


def parse_head(head: bytes) -> Request:
    """A request head (up to and with its blank line), strictly: anything a browser
    would not send is refused rather than guessed at."""
    lines = head[:-4].split(b"\r\n") if head.endswith(b"\r\n\r\n") else []
    if not lines:
        raise BadRequest(400, "an incomplete request")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.match(parts[0]) or not parts[1] \
            or parts[2] not in (b"HTTP/1.1", b"HTTP/1.0"):
        raise BadRequest(400, "a malformed request line")
    if any(c < 0x21 or c == 0x7F for c in parts[1]):
        raise BadRequest(400, "a malformed request target")
    req = Request(*(p.decode("latin-1") for p in parts))
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not _TOKEN.match(name):  # also folded lines and spaces before ':'
            raise BadRequest(400, "a malformed header")
        value = value.strip(b" \t")
        if any(c in value for c in (0, 10, 13)):
            raise BadRequest(400, "a malformed header value")
        req.headers.append((name, value))
    if req.values("transfer-encoding"):
        raise BadRequest(411, "a request body must come with a Content-Length")
    req.body_length  # noqa: B018 - validates Content-Length
    return req


def plain_response(status: int, text: str, extra: Sequence[str] = ()) -> bytes:
    reasons = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed",
               408: "Request Timeout", 411: "Length Required",
               431: "Request Header Fields Too Large", 502: "Bad Gateway",
               503: "Service Unavailable"}
    body = (text.rstrip("\n") + "\n").encode()
    head = [f"HTTP/1.1 {status} {reasons.get(status, '')}",
            "Content-Type: text/plain; charset=utf-8", f"Content-Length: {len(body)}",
            "Cache-Control: no-store", "Connection: close", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body
