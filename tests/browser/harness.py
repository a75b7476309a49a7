"""Start the real app and drive it in Debian's headless Chromium with Playwright."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Debian's headless shell (Chromium without the desktop browser around it, what Playwright
# itself runs headless): its browser process took about 35 s of CPU in a browser-test
# run against 60 s for the full browser (drawing the pages costs the same). The full
# browser is used where the shell is missing.
CHROMIUM = os.environ.get("CHROMIUM") or next(
    (c for c in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(c).exists()),
    "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
PROJECTOR_720 = {"width": 1280, "height": 720}  # a smaller projector, or a laptop


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


_SERVING = re.compile(r"http://[^\s/]+:(\d+)")  # the line workshop.serve prints


@contextmanager
def app_server(database_url: str | None = None, processes: int = 1,
               env: Mapping[str, str] | None = None, timeout: float = 60.0) -> Iterator[str]:
    """Run the app as ``make run`` does (``workshop.serve``: ``processes`` Streamlit
    processes behind its proxy) with a fresh database and answer spool; yield its URL.

    The server takes any free port itself (``--port 0``) and says which on its
    first line with an address, so no other program can take the port between
    our choosing it and the server binding it. ``env``: more environment variables.
    """
    tmp = tempfile.mkdtemp(prefix="app-")
    env = {"WORKSHOP_SPOOL_DIR": os.path.join(tmp, "outbox"), **os.environ, **(env or {}),
           "DATABASE_URL": database_url or f"sqlite:///{tmp}/workshop.db"}
    log_path = Path(tmp, "server.log")
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "workshop.serve", "--port", "0",
         "--address", "127.0.0.1", "--processes", str(processes)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    port: queue.Queue[int] = queue.Queue()

    def copy_output() -> None:  # to the log, noting the port; until the server exits
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            log.flush()
            if port.empty() and (m := _SERVING.search(line)):
                port.put(int(m[1]))
        port.put(0)  # the server stopped

    reader = threading.Thread(target=copy_output, daemon=True)
    reader.start()
    try:
        try:
            chosen = port.get(timeout=timeout)
        except queue.Empty:
            chosen = 0
        if not chosen:
            raise RuntimeError(f"the server did not say its port within {timeout:.0f} s:\n"
                               + log_path.read_text())
        url = f"http://127.0.0.1:{chosen}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(log_path.read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


_APP = "[data-testid='stApp']"
_RUNNING = f"{_APP}:not([data-test-script-state='notRunning'])"
_DONE = f"{_APP}[data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']"


def wait_for_app(page, timeout: float = 30_000, start: float | None = 250) -> None:
    """Wait until the script has finished running: the run the last action asked for,
    if one starts within ``start`` ms (most start at once; None: one already running),
    then until it is done."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if start:
        try:
            page.wait_for_selector(_RUNNING, timeout=start)
        except PlaywrightTimeout:
            pass  # no run was asked for, or it was over before we looked
    page.wait_for_selector(_DONE, timeout=timeout)


@contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
