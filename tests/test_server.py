"""The real server: `make run` (``workshop.serve``) starts it, proxies it, keeps it up."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.load.load_test import children_of
from tests.load.ws_client import Session
from workshop import health
from workshop.serve import THREAD_POOLS, Balancer, Cluster, default_processes, free_port

ROOT = Path(__file__).resolve().parents[1]


def _health(port: int, timeout: float, proc: subprocess.Popen | None = None) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (proc is None or proc.poll() is None):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=1) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.25)
    return None


def _healthz(port: int, timeout: float = 30.0) -> tuple[int, str]:
    """The proxy's /healthz, asked again as a monitor would while it answers 503 (on a
    busy machine a check can miss its time budget once)."""
    deadline = time.monotonic() + timeout
    while (answer := _get(port, "/healthz"))[0] == 503 and time.monotonic() < deadline:
        time.sleep(0.5)
    return answer


def _children(pid: int) -> list[int]:
    return [c for c in children_of().get(pid, []) if _alive(c)]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _environ(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _streamlits(pid: int) -> list[int]:
    return [c for c in _children(pid) if " streamlit run " in _cmdline(c)]


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_each_device_keeps_its_process_and_new_ones_go_to_the_least_busy():
    b = Balancer([9001, 9002])
    first = [b.port_for(f"10.0.0.{i}") for i in range(6)]
    assert sorted(first) == [9001, 9001, 9001, 9002, 9002, 9002]
    assert [b.port_for(f"10.0.0.{i}") for i in range(6)] == first  # sticky
    assert b.port_for("10.0.0.99") == 9001  # a tie goes to the first


def test_processes_default_to_one_per_core_and_reject_nonsense(monkeypatch):
    monkeypatch.delenv("WORKSHOP_PROCESSES", raising=False)
    assert default_processes() == max(1, os.cpu_count() or 1)
    monkeypatch.setenv("WORKSHOP_PROCESSES", "3")
    assert default_processes() == 3
    monkeypatch.setenv("WORKSHOP_PROCESSES", "0")
    with pytest.raises(ValueError, match="at least 1"):
        default_processes()


def _serve(processes: int, tmp_path: Path, **env: str) -> tuple[subprocess.Popen, int]:
    """``python -m workshop.serve`` (what ``make run`` runs) on a loopback port that
    no parallel test can take first: its proxy binds any free port itself
    (``--port 0``) and says which."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/w.db", **env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "workshop.serve", "--port", "0", "--address", "127.0.0.1",
         "--processes", str(processes)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )
    for line in proc.stdout:  # until the proxy says where it listens
        if m := re.search(r"http://127\.0\.0\.1:(\d+)", line):
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, int(m[1])
    raise AssertionError(f"workshop.serve stopped before serving ({proc.wait()})")


def test_a_port_in_use_is_said_plainly_before_anything_starts(capsys):
    import socket

    from workshop.serve import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port), "--address", "127.0.0.1", "--processes", "2"]) == 2
    assert f"Port {port} is in use" in capsys.readouterr().err


@pytest.mark.server
def test_one_process_still_has_the_proxy_in_front(tmp_path):
    """A one-core laptop (or WORKSHOP_PROCESSES=1) keeps the proxy's timeouts, limits
    and /healthz: the process listening on the public port is the proxy, with one
    Streamlit process behind it."""
    proc, port = _serve(1, tmp_path)
    try:
        assert _health(port, 60) == "ok"
        assert len(_streamlits(proc.pid)) == 1
        assert " streamlit run " not in _cmdline(proc.pid)
        assert _healthz(port) == (200, "ok\n")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert proc.returncode == 0


async def _open_welcome(port: int, device: str) -> str:
    async with Session(f"http://127.0.0.1:{port}", local_host=device) as s:
        run = await s.open()
        assert not run.errors, run.errors
        return " ".join(run.texts)


@pytest.mark.server
def test_two_processes_behind_one_port_serve_devices_and_restart_and_stop(tmp_path):
    proc, port = _serve(2, tmp_path, WORKSHOP_WARM_UP="1",
                        WORKSHOP_CACHE_DIR=str(tmp_path / "cache"))
    try:
        assert _health(port, 60) == "ok"
        children = _streamlits(proc.pid)
        assert len(children) == 2
        # The simulations are worked out by one more process, at the lowest priority.
        warm_up = [c for c in _children(proc.pid) if c not in children]
        assert len(warm_up) == 1 and "--background" in _cmdline(warm_up[0])
        assert all("WORKSHOP_WARM_UP_STARTED=1" in _environ(c) for c in children)
        # The proxy answers its own health check: processes up, store writable.
        assert _healthz(port) == (200, "ok\n")
        # Two devices (two loopback addresses) each run a page over the proxied websocket.
        for device in ("127.0.0.2", "127.0.0.3"):
            assert "try it, question it, have your say" in asyncio.run(
                _open_welcome(port, device))
        # A process that dies is started again, and the address answers again.
        os.kill(children[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
                len(_streamlits(proc.pid)) < 2 or children[0] in _streamlits(proc.pid)):
            time.sleep(0.5)
        assert len(_streamlits(proc.pid)) == 2
        for device in ("127.0.0.2", "127.0.0.3"):
            assert _health(port, 60) == "ok"
            assert "have your say" in asyncio.run(_open_welcome(port, device))
        now = _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert proc.returncode == 0
    # No process left behind (one still leaving may take a moment on a busy machine).
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in now) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [_cmdline(pid) or pid for pid in now if _alive(pid)] == []


# -- the health check the hosted set-up runs (python -m workshop.health) -------------------


class _FakeStore:
    def __init__(self, answer: object) -> None:
        self.answer = answer

    def writable(self) -> bool:
        if isinstance(self.answer, Exception):
            raise self.answer
        return bool(self.answer)


def test_health_says_what_is_wrong_first_the_processes_then_the_store():
    up = {"http://a": True, "http://b": True}
    assert health.check(list(up), _FakeStore(True), up.get) == (True, "ok")
    assert health.check(list(up), _FakeStore(False), up.get) == (
        False, "the workshop database cannot be written")
    ok, reason = health.check(list(up), _FakeStore(RuntimeError("disk full")), up.get)
    assert not ok and reason == "the workshop database cannot be written (RuntimeError)"
    up["http://b"] = False
    ok, reason = health.check(list(up), _FakeStore(True), up.get)
    assert not ok and reason == "1 of 2 app processes do not answer (http://b)"


def test_the_health_command_exits_non_zero_when_a_process_does_not_answer(capsys):
    assert health.main([f"http://127.0.0.1:{free_port()}"]) == 1
    assert "do not answer" in capsys.readouterr().out


def test_each_streamlit_process_keeps_numpys_pools_to_one_thread(monkeypatch):
    # A process a core fills the machine; pools a core in each made them wait on each
    # other (the opinion groups took five times as long with two test processes a core).
    assert set(THREAD_POOLS) == {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"}
    for var in THREAD_POOLS:
        monkeypatch.delenv(var, raising=False)
    env = Cluster(2, free_port()).env
    assert [env[v] for v in THREAD_POOLS] == ["1", "1", "1"]
    monkeypatch.setenv("OMP_NUM_THREADS", "4")  # what the host sets is kept
    assert Cluster(2, free_port()).env["OMP_NUM_THREADS"] == "4"


def test_a_process_that_cannot_be_started_again_yet_is_tried_again(monkeypatch):
    # A restart that fails (no memory for a moment) must not stop the watching: the
    # next second tries again, and the other processes are still watched.
    cluster = Cluster(1, free_port())
    port = cluster.ports[0]

    class Exited:
        returncode = -9

        def poll(self):
            return self.returncode

    cluster.procs[port] = Exited()
    tries = []

    def start(p):
        tries.append(p)
        if len(tries) == 1:
            raise OSError(12, "Cannot allocate memory")
        cluster.procs[p] = type("Running", (), {"poll": lambda self: None})()
        cluster.stopping = True

    monkeypatch.setattr(cluster, "start", start)
    asyncio.run(asyncio.wait_for(cluster.watch(), 10))
    assert tries == [port, port] and cluster.procs[port].poll() is None


@pytest.mark.server
def test_a_server_process_loads_the_core_and_sets_it_aside_before_the_first_request():
    # In its own process: constructing the app pins Streamlit's settings for a process.
    code = (
        "import asyncio, gc, sys\n"
        "import asgi\n"
        "assert 'simulators.call_triage' not in sys.modules and gc.get_freeze_count() == 0\n"
        "async def first_request():\n"
        "    async with asgi.settled(asgi.app):\n"
        "        return gc.get_freeze_count(), sorted(sys.modules)\n"
        "frozen, loaded = asyncio.run(first_request())\n"
        "print(frozen, ' '.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    frozen, loaded = done.stdout.split(" ", 1)
    assert int(frozen) > 50_000  # the libraries and the core, never walked by a collection
    for module in ("simulators.call_triage", "simulators.evidence", "workshop.report",
                   "altair", "segno"):
        assert module in loaded.split()
