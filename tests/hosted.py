"""The hosted set-up as the tests and the load test start it: ``deploy/run`` (nginx in
front of N app instances) on a free loopback port, on a database they are given."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ROUTE = "workshop_route"  # nginx's sticky cookie (deploy/nginx.conf.template)


@dataclass
class Deployment:
    url: str
    workdir: Path
    pid: int  # deploy/run's: nginx and the instances are its children

    def access_log(self) -> str:
        return (self.workdir / "access.log").read_text()

    def instance_of(self, route: str) -> str:
        """The instance (``127.0.0.1:port``) nginx sends this sticky cookie to."""
        token = secrets.token_hex(8)
        request = urllib.request.Request(f"{self.url}/_stcore/health?t={token}",
                                         headers={"Cookie": f"{ROUTE}={route}"})
        with NO_PROXY.open(request, timeout=30) as r:
            assert r.read() == b"ok"
        for _ in range(100):  # nginx logs a request just after answering it
            line = next((x for x in self.access_log().splitlines() if token in x), None)
            if line is not None:
                return re.search(r"upstream=(\S+)", line)[1]
            time.sleep(0.1)
        raise AssertionError(f"no access log line for {token}")


@contextlib.contextmanager
def deployment(app: Path, database_url: str, nginx: str, instances: int = 2,
               env: dict[str, str] | None = None) -> Iterator[Deployment]:
    """``deploy/run --instances N`` on a free loopback port, as documented (without its
    warm-up unless ``env`` asks for it)."""
    # nginx's workers may run as another user: a folder they can enter.
    workdir = Path(tempfile.mkdtemp(prefix="deploy-", dir="/tmp"))
    workdir.chmod(0o755)
    proc = subprocess.Popen(
        [str(ROOT / "deploy" / "run"), "--instances", str(instances), "--port", "0", "--address",
         "127.0.0.1", "--workdir", str(workdir), "--app", str(app), "--nginx", nginx],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "DATABASE_URL": database_url, "PYTHON": sys.executable,
             "WORKSHOP_WARM_UP": "0", **(env or {})})
    try:
        for line in proc.stdout:
            if m := re.search(r"behind nginx on (http://127\.0\.0\.1:\d+)", line):
                break
        else:
            log = workdir / "error.log"
            raise AssertionError(f"deploy/run stopped ({proc.wait()}): "
                                 f"{log.read_text() if log.exists() else ''}")
        yield Deployment(m[1], workdir, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    assert proc.returncode == 0
