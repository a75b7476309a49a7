"""Can the workshop serve people: every app process answers and the store can write.

    python -m workshop.health [URL ...]

asks each URL's ``/_stcore/health`` (default ``http://127.0.0.1:8501``, several for
several instances) and the workshop store (``DATABASE_URL``) with
``Store().writable()``, a real write in a transaction. It prints ``ok``, or one line
saying what is wrong, and exits 0 or 1: a check for a process supervisor, a load
balancer or a cron job in the hosted set-up (``deploy/``). ``workshop.serve`` answers
``GET /healthz`` on its public port with the same check over its own processes
(200 ``ok``, or 503 and the reason).
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

TIMEOUT = 3.0


def app_answers(url: str, timeout: float = TIMEOUT) -> bool:
    """Streamlit's own health endpoint says ``ok``."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_stcore/health", timeout=timeout) as r:
            return r.status == 200 and r.read(16).strip() == b"ok"
    except (OSError, ValueError):
        return False


def store_problem(store: Any) -> str | None:
    """None if the store can write, else one line saying why not."""
    try:
        if store.writable():
            return None
        return "the workshop database cannot be written"
    except Exception as err:  # noqa: BLE001 - any failure is the answer
        return f"the workshop database cannot be written ({type(err).__name__})"


def check(urls: Sequence[str], store: Any | None = None,
          answers: Callable[[str], bool] = app_answers) -> tuple[bool, str]:
    """``(True, "ok")``, or ``(False, reason)`` naming the first thing wrong."""
    if urls:
        with ThreadPoolExecutor(len(urls)) as pool:
            up = list(pool.map(answers, urls))
        down = [u for u, ok in zip(urls, up, strict=True) if not ok]
        if down:
            return False, f"{len(down)} of {len(urls)} app processes do not answer ({down[0]})"
    if store is None:
        from workshop.store import Store

        store = Store()
    problem = store_problem(store)
    if problem:
        return False, problem
    return True, "ok"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("urls", nargs="*", default=["http://127.0.0.1:8501"],
                    help="app processes (default http://127.0.0.1:8501)")
    args = ap.parse_args(argv)
    ok, reason = check(args.urls)
    print(reason)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
