"""The join address shown on the projector points where phones can reach."""

from workshop.network import public_base_url, public_port, with_code


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
