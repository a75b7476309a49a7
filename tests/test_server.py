"""The real server: `make run` (``workshop.serve``) starts it, proxies it, keeps it up."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.load.load_test import children_of
from tests.load.ws_client import Session
from workshop.serve import Balancer, default_processes, free_port

ROOT = Path(__file__).resolve().parents[1]


def _health(port: int, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=1) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.25)
    return None


def _children(pid: int) -> list[int]:
    return [c for c in children_of().get(pid, []) if _alive(c)]


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


def _serve(port: int, processes: int, tmp_path: Path, **env: str) -> subprocess.Popen:
    """``python -m workshop.serve`` (what ``make run`` runs) on a loopback port."""
    return subprocess.Popen(
        [sys.executable, "-m", "workshop.serve", "--port", str(port), "--address",
         "127.0.0.1", "--processes", str(processes)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/w.db", **env),
    )


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
def test_one_process_is_plain_streamlit_and_answers_within_20_seconds(tmp_path):
    port = free_port()
    proc = _serve(port, 1, tmp_path)
    try:
        assert _health(port, 20) == "ok"
        assert _children(proc.pid) == []  # no proxy: the process is Streamlit itself
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _open_welcome(port: int, device: str) -> str:
    async with Session(f"http://127.0.0.1:{port}", local_host=device) as s:
        run = await s.open()
        assert not run.errors, run.errors
        return " ".join(run.texts)


@pytest.mark.server
def test_two_processes_behind_one_port_serve_devices_and_restart_and_stop(tmp_path):
    port = free_port()
    proc = _serve(port, 2, tmp_path, WORKSHOP_WARM_UP="0")
    try:
        assert _health(port, 60) == "ok"
        children = _children(proc.pid)
        assert len(children) == 2
        # Two devices (two loopback addresses) each run a page over the proxied websocket.
        for device in ("127.0.0.2", "127.0.0.3"):
            assert "try it, question it, have your say" in asyncio.run(
                _open_welcome(port, device))
        # A process that dies is started again, and the address answers again.
        os.kill(children[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
                len(_children(proc.pid)) < 2 or children[0] in _children(proc.pid)):
            time.sleep(0.5)
        assert len(_children(proc.pid)) == 2
        for device in ("127.0.0.2", "127.0.0.3"):
            assert _health(port, 60) == "ok"
            assert "have your say" in asyncio.run(_open_welcome(port, device))
        now = _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert proc.returncode == 0
    assert not any(_alive(pid) for pid in now)  # no process left behind
