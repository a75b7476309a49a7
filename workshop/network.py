"""The address participants type to reach this laptop on the room's network."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlencode, urlsplit

# A documentation-only address (RFC 5737): connecting a UDP socket to it sends no
# packet; it only asks the operating system which local address would be used.
_PROBE = ("192.0.2.1", 9)


def lan_address() -> str | None:
    """This machine's address on the local network, or None if it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(_PROBE)
            addr = s.getsockname()[0]
    except OSError:
        addr = None
    if addr and not addr.startswith("127."):
        return addr
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidate = info[4][0]
            if not candidate.startswith("127."):
                return candidate
    except OSError:
        pass
    return None


def join_url(port: int = 8501, host: str | None = None) -> str:
    """The address to show on the projector, e.g. ``http://192.168.1.20:8501``."""
    return f"http://{host or lan_address() or 'localhost'}:{port}"


def public_port(server_port: int) -> int:
    """The port participants connect to: ``WORKSHOP_PORT`` when ``workshop.serve`` runs
    this process behind its proxy, else the port Streamlit itself listens on."""
    return int(os.environ.get("WORKSHOP_PORT") or server_port)


def public_base_url(browser_url: str | None, port: int) -> str:
    """The address participants should use, seen from the facilitator's browser.

    ``WORKSHOP_URL`` (for a hosted workshop) wins; then the address the facilitator's
    own browser used, unless that is this laptop's loopback; else the LAN address.

    >>> public_base_url("https://workshop.example.org/facilitator", 8501)
    'https://workshop.example.org'
    """
    configured = os.environ.get("WORKSHOP_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    if browser_url:
        parts = urlsplit(browser_url)
        host = parts.hostname or ""
        if host and host not in ("localhost", "0.0.0.0") and not host.startswith("127."):
            return f"{parts.scheme}://{parts.netloc}"
    return join_url(port)


def with_code(base_url: str, code: str) -> str:
    """The join link a QR code carries: ``base/?code=ABC123``."""
    return f"{base_url.rstrip('/')}/?{urlencode({'code': code})}"


if __name__ == "__main__":
    import sys

    print(join_url(int(sys.argv[1]) if len(sys.argv) > 1 else 8501))
