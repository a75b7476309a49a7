"""The address participants type to reach this laptop on the room's network."""

from __future__ import annotations

import socket

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


if __name__ == "__main__":
    import sys

    print(join_url(int(sys.argv[1]) if len(sys.argv) > 1 else 8501))
