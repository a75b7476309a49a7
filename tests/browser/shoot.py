"""Screenshots of pages as a person sees them, at phone and projector size.

    python -m tests.browser.shoot --out /tmp/shots evidence welcome
    python -m tests.browser.shoot --out /tmp/shots --joined --step try evidence

Starts the app (``asgi.py``) on a free port with a fresh database, optionally joins
a workshop as a participant (and answers the before question so the page opens on
"Try it"), and writes ``<page>-<phone|projector>.png`` for each page named. Nothing
in the repository is written unless ``--out`` points there (``make screenshots``
refreshes ``docs/screenshots/`` on purpose).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, PHONE, PROJECTOR, wait_for_app
from workshop.serve import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long workshop passphrase"


def start(tmp: str) -> tuple[subprocess.Popen, str, dict[str, str]]:
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/workshop.db", WORKSHOP_WARM_UP="0",
               WORKSHOP_CACHE_DIR="")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "asgi.py", "--server.port", str(port),
         "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the app did not start") from None
            time.sleep(0.3)
    return proc, url, env


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="+", help="url paths: welcome is '', or e.g. evidence")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--joined", action="store_true", help="as a participant of a workshop")
    ap.add_argument("--step", choices=["before", "decide", "try"], default="before",
                    help="with --joined: 'decide' answers each page's before question "
                    "first (the page opens on its cases to decide, where it has them); "
                    "'try' also switches deciding first off")
    ap.add_argument("--query", default="", help="extra query string, e.g. lang=cy")
    ap.add_argument("--height", type=int, help="phone screenshot height (default 844)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        proc, url, env = start(tmp)
        try:
            query = args.query
            if args.joined:
                os.environ["DATABASE_URL"] = env["DATABASE_URL"]
                from simulators import decide
                from workshop.store import Store

                store = Store()
                w = store.create_workshop("Leeds library, 3 March", PASSPHRASE)
                p = store.join(w.code)
                store.set_stage(w.code, "use_cases")
                for page in args.pages:
                    if args.step in ("decide", "try") and page:
                        store.record(p.id, page, "before", 3, [], "", {}, {}, f"shot-{page}")
                    if args.step == "try" and decide.supports(page):
                        store.set_decide_first(w.code, page, False)
                query = "&".join(q for q in (f"p={p.id}", query) if q)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for page_path in args.pages:
                    for size_name, size in (("phone", PHONE), ("projector", PROJECTOR)):
                        if size_name == "phone" and args.height:
                            size = {**size, "height": args.height}
                        ctx = browser.new_context(viewport=size)
                        page = ctx.new_page()
                        page.goto(f"{url}/{page_path}" + (f"?{query}" if query else ""))
                        wait_for_app(page)
                        page.wait_for_timeout(800)
                        name = page_path or "welcome"
                        page.screenshot(path=str(args.out / f"{name}-{size_name}.png"))
                        ctx.close()
                        print(args.out / f"{name}-{size_name}.png")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
