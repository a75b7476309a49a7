"""The core stays free of the UI; pages leave metrics to the core."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_packages_import_no_streamlit():
    modules = [
        f"{p.parent.name}.{p.stem}"
        for d in ("simulators", "workshop")
        for p in sorted((ROOT / d).glob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_pages_compute_no_fairness_metrics():
    pattern = re.compile(r"MetricFrame\(|_difference\(|_rate\(|accuracy_score\(")
    for page in (ROOT / "app_pages").glob("*.py"):
        assert not pattern.search(page.read_text()), page.name
