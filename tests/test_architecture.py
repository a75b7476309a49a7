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


def _code_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [ROOT / p for p in out if not p.startswith("tests/") and (ROOT / p).exists()]


def test_modules_stay_small_and_pages_thin():
    for path in _code_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        limit = 200 if path.parent.name == "app_pages" else 600
        assert lines <= limit, f"{path.relative_to(ROOT)} has {lines} lines (at most {limit})"


def test_each_use_case_is_named_in_two_places_at_most():
    """The declaration and its ui module's KEY: everything else reads them. (The
    vocabulary's and the dialogue themes' "evidence", evidence that AI works, is another
    word.)"""
    from simulators import registry

    code = {p: p.read_text(encoding="utf-8") for p in _code_files()
            if p.name not in ("vocabulary.py", "themes.py")}
    for name in registry.USE_CASES:
        places = [str(p.relative_to(ROOT)) for p, text in code.items()
                  for _ in re.finditer(rf"[\"']{name}[\"']", text)]
        assert len(places) <= 2, (name, places)


def test_no_framework_internals():
    """Only the public APIs of Streamlit and Fairlearn: nothing that breaks on an upgrade."""
    private = re.compile(
        r"streamlit\.(runtime|web|elements|proto|dataframe_util)|"
        r"from streamlit\.\w+\.\w+ import _|\._pmf_predict|PagesManager|fairlearn\.\w+\._")
    for path in _code_files():
        assert not private.search(path.read_text(encoding="utf-8")), path.relative_to(ROOT)


#: The floors, from the ground: a module may import its own floor's and the ones below.
FLOORS = {"simulators": 1, "workshop": 2, "ui": 3, "deploy": 3, "asgi": 3, "app_pages": 4,
          "app": 4}


def _imports() -> dict[str, set[str]]:
    """Every project module and the project modules it imports, anywhere in it (inside
    functions and ``TYPE_CHECKING`` blocks too: a circle through them is still one)."""
    import ast

    files = {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in _code_files()}
    files = {(m[:-9] if m.endswith(".__init__") else m): p for m, p in files.items()}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                     if isinstance(node, ast.ImportFrom) and node.module and not node.level
                     else [])
            found |= {n for n in names if n in files and n != module}
        graph[module] = found
    return graph


def test_no_import_runs_up_a_floor():
    up = [(m, i) for m, imported in _imports().items() for i in imported
          if FLOORS.get(i.split(".")[0], 0) > FLOORS.get(m.split(".")[0], 0)]
    assert up == []


def test_no_modules_import_each_other_even_in_a_circle():
    graph = _imports()
    seen: dict[str, int] = {}  # 1: on the path, 2: done
    circles = []

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for n in sorted(graph.get(m, ())):
            if seen.get(n) == 1:
                circles.append(path[path.index(n):] + [n])
            elif n not in seen:
                visit(n, [*path, n])
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m, [m])
    assert circles == []
