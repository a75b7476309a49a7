"""AppTest: the app starts, the Welcome page renders, the shared components work."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_app_opens_on_the_welcome_page_with_every_use_case_from_its_declaration():
    from simulators import registry

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert "AI in policing" in at.title[0].value
    headers = [h.value for h in at.header]
    assert "What you can try" in headers and "What happens to what you say" in headers
    text = " ".join(m.value for m in at.markdown)
    uses = {u.dialogue_use for u in registry.USE_CASES.values()}
    assert f"what they thought of {len(uses)} such uses" in text
    for use in uses:
        assert use in text
    links = [link.label for link in at.get("page_link")]
    for u in registry.USE_CASES.values():
        assert any(link.startswith(u.title) for link in links), u.title


def test_participants_see_no_facilitator_page_in_the_menu():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    menu = " ".join(str(n.proto) for n in at.get("navigation"))
    assert "Console" not in menu or "hidden" in menu
    assert not any("Presenter" in t.label for t in at.sidebar.toggle)


def test_every_page_renders_without_error():
    from simulators import registry
    from ui.navigation import ADVICE, CONSOLE, FIRST_VIEWS, QUESTIONS, SCREEN, WELCOME

    for page in [WELCOME, FIRST_VIEWS, *[u.page for u in registry.USE_CASES.values()],
                 QUESTIONS, ADVICE, CONSOLE, SCREEN]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)


def _panel_app():
    from dataclasses import dataclass

    import numpy as np
    import pandas as pd
    import streamlit as st

    from simulators.config import SimConfig, setting
    from simulators.fairness import Outcome, Terms
    from ui.config_sliders import config_controls
    from ui.fairness_panel import fairness_panel

    @dataclass(frozen=True)
    class Cfg(SimConfig):
        miss_b: float = setting(0.25, label="Missed in B", help="h", min=0, max=1, step=0.05)
        mode: str = setting("x", label="Mode", help="h", choices={"x": "Ex", "y": "Why"})
        seed: int = setting(0, label="World", help="h", min=0, max=99, advanced=True)

    cfg = config_controls(Cfg, key="demo")
    n = 40
    y_true = np.array([1, 0] * n)
    y_pred = y_true.copy()
    b = np.arange(2 * n) >= n
    misses = np.flatnonzero(b & (y_true == 1))[: round(cfg.miss_b * n / 2)]
    y_pred[misses] = 0
    out = Outcome(y_true, y_pred, pd.Series(np.where(b, "B", "A"), name="group"), terms=Terms())
    gaps = fairness_panel(out)
    st.session_state["shown_gap"] = gaps["equalized_odds_difference"]
    st.session_state["shown_cfg"] = cfg


def test_panel_speaks_plainly_and_follows_the_slider():
    at = AppTest.from_function(_panel_app, default_timeout=30).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Of every 100 cases that needed action, the AI missed 25 from group B" in text
    assert at.session_state["shown_gap"] == 0.25
    assert any("largest difference" in c.value for c in at.caption)
    at.select_slider(key="demo.miss_b").set_value(0.5).run()
    assert at.session_state["shown_gap"] == 0.5
    at.radio(key="demo.mode").set_value("y").run()
    assert at.session_state["shown_cfg"].mode == "y"
    assert at.session_state["shown_cfg"].miss_b == 0.5
