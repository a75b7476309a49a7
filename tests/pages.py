"""What the AppTests of the pages share: running a page with some session state, and
reading its text back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def page_runner(path: str, timeout: float = 60) -> Callable[..., AppTest]:
    """A function that runs ``path`` (from the repo root) once, with the session state
    it is given: ``run(**{"evidence.label_bias": 0.5})``."""

    def run(**state: Any) -> AppTest:
        at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
        for key, value in state.items():
            at.session_state[key] = value
        return at.run()

    return run


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def strip(at: AppTest) -> str:
    """The result strip's text (drawn as HTML) and the notes under it, or "" when the
    strip is not on screen."""
    html = [h.proto.body for h in at.get("html") if "strip-number" in h.proto.body]
    return " ".join([*html, *(c.value for c in at.caption)]) if html else ""


def screen_html(at: AppTest) -> str:
    """What a Screen's run put on the projector, as HTML: its own, and the items (with
    their headings) it hands its components to show in turns."""
    parts = [h.proto.body for h in at.get("html")]
    for c in at.get("bidi_component"):
        data = json.loads(c.proto.json) if c.proto.json else None
        if isinstance(data, dict):
            parts += [*data.get("heads", []), *data.get("items", [])]
    return " ".join(parts)
