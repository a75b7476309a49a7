"""The address participants type to reach this laptop on the room's network, and the
address a participant's device connects from.

Client addresses (for per-address limits on logins and joins): a page calls

    client_address(st.context.ip_address, st.context.headers)

which trusts ``X-Forwarded-For`` only when the connection came from a trusted proxy:
loopback when ``workshop.serve`` runs the app (it sets ``WORKSHOP_PORT``, removes any
forwarding header a client sent and adds its own), else the addresses and networks
in ``WORKSHOP_TRUSTED_PROXIES`` (comma-separated, e.g. ``127.0.0.1,::1`` for nginx on
the same host, ``10.0.0.0/8`` for a load balancer on a private network). Without
either, the connection's own address is the client's.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK: tuple[Network, ...] = (ipaddress.ip_network("127.0.0.0/8"),
                                 ipaddress.ip_network("::1/128"))

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


def parse_address(value: str | None) -> str | None:
    """One address as a proxy or server writes it, or None if it is not one.

    Accepts ``1.2.3.4``, ``1.2.3.4:5678``, ``::1``, ``[::1]:80`` and IPv4-mapped
    IPv6 (``::ffff:1.2.3.4`` is ``1.2.3.4``).

    >>> parse_address("[2001:db8::1]:443"), parse_address("10.0.0.7:51234")
    ('2001:db8::1', '10.0.0.7')
    >>> parse_address("unknown") is None
    True
    """
    if value is None:
        return None
    text = value.strip().strip('"')
    if text.startswith("["):  # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return str(addr)


@functools.lru_cache(maxsize=16)
def _networks(spec: str) -> tuple[Network, ...]:
    out = []
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"WORKSHOP_TRUSTED_PROXIES: {item!r} is not an address or a "
                             "network (e.g. 127.0.0.1, ::1 or 10.0.0.0/8)") from None
    return tuple(out)


def trusted_proxies() -> tuple[Network, ...]:
    """The proxies whose ``X-Forwarded-For`` is believed: ``WORKSHOP_TRUSTED_PROXIES``
    if set (an empty value trusts none), else loopback behind ``workshop.serve``
    (``WORKSHOP_PORT`` set), else none. Raises ValueError for a malformed setting."""
    configured = os.environ.get("WORKSHOP_TRUSTED_PROXIES")
    if configured is not None:
        return _networks(configured)
    return LOOPBACK if os.environ.get("WORKSHOP_PORT") else ()


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip.version == n.version and ip in n for n in networks)


def _forwarded_for(headers: Mapping[str, str]) -> list[str]:
    """Every ``X-Forwarded-For`` hop, left to right, whatever the header's case, from
    every line of it (``st.context.headers[name]`` alone gives only the first)."""
    get_all = getattr(headers, "get_all", None)  # st.context.headers: every line
    hops: list[str] = []
    for name in headers:
        if name.lower() != "x-forwarded-for":
            continue
        value = get_all(name) if callable(get_all) else headers[name]
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            hops += [h.strip() for h in str(v).split(",") if h.strip()]
    return hops


def client_address(peer: str | None, headers: Mapping[str, str],
                   trusted: Iterable[str] | None = None) -> str | None:
    """The address of the device behind a request, for per-address limits.

    ``peer`` is the address the app's server saw: ``st.context.ip_address``. Streamlit
    gives None for a loopback peer (a browser on this machine), and its server
    (uvicorn) has already replaced a loopback proxy's address by the right-most hop
    of ``X-Forwarded-For`` (its ``FORWARDED_ALLOW_IPS``, loopback by default), so
    behind ``workshop.serve`` or nginx on this host ``peer`` is usually the client
    already; this reads the header the same way. ``X-Forwarded-For`` in ``headers``
    is used only while the hop that added it is a trusted proxy (``trusted``: addresses or
    networks; default ``trusted_proxies()``), and the right-most hop that is not
    trusted is the client: a client can put anything at the left of that header,
    never at its right. A hop that is not an address stops the walk at the proxy
    that wrote it. Returns None only when nothing is known (no peer and no trusted
    header).

    >>> client_address("10.1.2.3", {"X-Forwarded-For": "6.6.6.6"})  # not a proxy
    '10.1.2.3'
    >>> client_address("127.0.0.1", {"x-forwarded-for": "6.6.6.6, 192.168.1.20"},
    ...                trusted=["127.0.0.1"])
    '192.168.1.20'
    """
    networks = trusted_proxies() if trusted is None else _networks(",".join(trusted))
    current = parse_address(peer)
    if peer is not None and current is None:
        return None  # not an address at all: nothing to go on
    # Streamlit's None is a loopback peer: trusted if loopback is.
    if current is None and not _trusted("127.0.0.1", networks):
        return None
    hops = _forwarded_for(headers)
    while current is None or _trusted(current, networks):
        if not hops:
            return current
        hop = parse_address(hops.pop())
        if hop is None:
            return current  # the trusted proxy wrote something that is not an address
        current = hop
    return current


if __name__ == "__main__":
    import sys

    print(join_url(int(sys.argv[1]) if len(sys.argv) > 1 else 8501))
