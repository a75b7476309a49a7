"""The join address shown on the projector points where phones can reach."""

import pytest

from workshop.network import (
    client_address,
    parse_address,
    public_base_url,
    public_port,
    trusted_proxies,
    with_code,
)


def test_behind_the_proxy_the_public_port_is_the_proxys(monkeypatch):
    monkeypatch.delenv("WORKSHOP_PORT", raising=False)
    assert public_port(43111) == 43111  # plain streamlit run: its own port
    monkeypatch.setenv("WORKSHOP_PORT", "8501")  # set by workshop.serve for its processes
    assert public_port(43111) == 8501


def test_the_address_comes_from_the_setting_then_the_browser_then_the_lan(monkeypatch):
    monkeypatch.delenv("WORKSHOP_URL", raising=False)
    assert public_base_url("http://192.168.1.20:8501/facilitator", 9) == "http://192.168.1.20:8501"
    # The facilitator's own loopback is no use to a phone: the LAN address instead.
    lan = public_base_url("http://localhost:43111/", public_port(8501))
    assert lan.endswith(":8501") and "127.0.0.1" not in lan
    monkeypatch.setenv("WORKSHOP_URL", "https://workshop.example.org/")
    assert public_base_url("http://localhost:8501/", 8501) == "https://workshop.example.org"
    assert with_code("https://w.example/", "ABC234") == "https://w.example/?code=ABC234"


# -- who is this client? (for per-address limits on logins and joins) ---------------------

class Headers(dict):
    """Like ``st.context.headers``: one value per name by ``[]``, every line by ``get_all``."""

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        super().__init__()
        self.lines = lines
        for name, value in lines:
            self.setdefault(name.lower(), value)

    def get_all(self, name: str) -> list[str]:
        return [v for n, v in self.lines if n.lower() == name.lower()]


def test_behind_workshop_serve_the_proxys_header_names_the_client(monkeypatch):
    monkeypatch.delenv("WORKSHOP_TRUSTED_PROXIES", raising=False)
    monkeypatch.setenv("WORKSHOP_PORT", "8501")
    # Streamlit's ip_address is None for a loopback peer: the proxy on this laptop.
    assert client_address(None, {"X-Forwarded-For": "192.168.1.20"}) == "192.168.1.20"
    assert client_address("127.0.0.1", {"x-forwarded-for": "192.168.1.20"}) == "192.168.1.20"
    # What a client wrote at the left is never believed, only the proxy's right-most hop.
    assert client_address(None, {"X-Forwarded-For": "6.6.6.6, 192.168.1.21"}) == "192.168.1.21"
    # Every line of the header counts, the last one last (a client's line comes first).
    lines = Headers([("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "192.168.1.22")])
    assert client_address(None, lines) == "192.168.1.22"
    # A phone (not a proxy) cannot name someone else.
    assert client_address("192.168.1.30", {"X-Forwarded-For": "192.168.1.99"}) == "192.168.1.30"
    # The laptop's own browser, through the proxy.
    assert client_address(None, {"X-Forwarded-For": "127.0.0.1"}) == "127.0.0.1"


def test_without_a_trusted_proxy_the_header_is_ignored(monkeypatch):
    monkeypatch.delenv("WORKSHOP_TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("WORKSHOP_PORT", raising=False)  # plain streamlit run
    assert trusted_proxies() == ()
    assert client_address("192.168.1.30", {"X-Forwarded-For": "6.6.6.6"}) == "192.168.1.30"
    assert client_address(None, {"X-Forwarded-For": "6.6.6.6"}) is None  # nothing known
    assert client_address(None, {}) is None


def test_trusted_proxies_are_configurable_for_nginx_and_load_balancers(monkeypatch):
    monkeypatch.setenv("WORKSHOP_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    monkeypatch.setenv("WORKSHOP_PORT", "8501")  # the setting wins over the default
    # nginx at 10.0.0.5 added the client; a load balancer at 10.1.1.1 before it.
    hops = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.1.1.1"}
    assert client_address("10.0.0.5", hops) == "203.0.113.7"
    assert client_address("203.0.113.9", hops) == "203.0.113.9"  # not a proxy
    assert client_address(None, hops) is None  # loopback (v4) is not trusted here
    assert client_address("::1", {"X-Forwarded-For": "[2001:db8::7]:443"}) == "2001:db8::7"
    # A hop that is not an address stops at the proxy that wrote it.
    assert client_address("10.0.0.5", {"X-Forwarded-For": "unknown"}) == "10.0.0.5"
    # All hops trusted: the first one is the client.
    assert client_address("10.0.0.5", {"X-Forwarded-For": "10.2.2.2, 10.1.1.1"}) == "10.2.2.2"
    # An explicit list for the call.
    assert client_address("172.16.0.2", hops, trusted=["172.16.0.0/12"]) == "10.1.1.1"
    monkeypatch.setenv("WORKSHOP_TRUSTED_PROXIES", "")
    assert client_address("10.0.0.5", hops) == "10.0.0.5"  # empty: trust none
    monkeypatch.setenv("WORKSHOP_TRUSTED_PROXIES", "nginx.local")
    with pytest.raises(ValueError, match="WORKSHOP_TRUSTED_PROXIES"):
        client_address("10.0.0.5", hops)


def test_addresses_are_read_as_proxies_and_servers_write_them():
    assert parse_address("::ffff:192.168.1.20") == "192.168.1.20"
    assert parse_address(" 192.168.1.20 ") == "192.168.1.20"
    assert parse_address("2001:db8::1") == "2001:db8::1"
    assert parse_address("") is None and parse_address("1.2.3") is None
