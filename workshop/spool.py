"""Answers waiting to be stored, kept on disk so they survive a restart of the app.

When the database is down (``StoreUnavailable``) or answers are paused
(``AnswersLocked``), the UI adds the write here and sends it later:

>>> import tempfile
>>> spool = Spool(tempfile.mkdtemp())
>>> entry = spool.add("3f1c0a52-9d7e-4b1e-8a47-2f4c6b0e9d11", "vote",
...                   {"participant_id": "3f1c0a52-9d7e-4b1e-8a47-2f4c6b0e9d11",
...                    "advice_id": 7, "vote": "agree"})
>>> [e["method"] for e in spool.pending("3f1c0a52-9d7e-4b1e-8a47-2f4c6b0e9d11")]
['vote']
>>> spool.remove("3f1c0a52-9d7e-4b1e-8a47-2f4c6b0e9d11", entry)
True

One JSON-lines file per participant in a folder readable by this user only (0700,
files 0600): ``WORKSHOP_SPOOL_DIR``, else ``var/outbox``. Adding appends a line;
removing rewrites the file to a temporary one and renames it over the old. Both hold
an exclusive ``flock`` on one of the folder's lock files (one of ``STRIPES``, chosen by
the participant), so threads and processes sharing the folder never lose a line, and
a room's phones seldom wait on each other's writes. Asking whether anything waits
costs one ``stat`` when nothing does (as on nearly every page run). ``forget`` removes
the files of participants who are no more (their workshop was deleted, or they were
merged into another participant).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import uuid
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workshop.errors import AnswersLocked, StoreUnavailable

ROOT = Path(__file__).resolve().parents[1]
#: Only answers go through the spool; anything else in a file is refused on sending.
METHODS = ("record", "add_advice", "vote", "answer", "record_decisions", "record_answer",
           "panel_verdict")
_PARTICIPANT = re.compile(r"^[A-Za-z0-9-]{8,64}$")
#: Lock files in a folder: a participant's writes take the one their id falls on.
STRIPES = 16


def default_folder() -> Path:
    return Path(os.environ.get("WORKSHOP_SPOOL_DIR") or ROOT / "var" / "outbox")


def forget(participant_ids: Iterable[str], folder: str | Path | None = None) -> int:
    """Remove these participants' waiting writes (and nothing else); returns how many
    files went. A folder that does not exist has nothing to forget."""
    where = Path(folder) if folder else default_folder()
    if not where.is_dir():
        return 0
    gone = 0
    spool = Spool(where)
    for pid in participant_ids:
        try:
            path = spool._file(pid)
        except ValueError:
            continue
        with spool.locked(pid):
            try:
                path.unlink()
                gone += 1
            except FileNotFoundError:
                continue
    return gone


class Spool:
    """Pending writes per participant, oldest first."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_folder()
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)

    def _file(self, participant_id: str) -> Path:
        if not isinstance(participant_id, str) or not _PARTICIPANT.match(participant_id):
            raise ValueError("participant_id must be 8 to 64 letters, digits or dashes")
        return self.folder / f"{participant_id}.jsonl"

    @contextmanager
    def locked(self, participant_id: str) -> Iterator[None]:
        """Hold ``participant_id``'s lock (shared with the participants on its stripe)
        across threads and processes; every read and write of their file takes it."""
        stripe = zlib.crc32(participant_id.encode()) % STRIPES
        fd = os.open(self.folder / f".lock-{stripe:02d}", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def add(self, participant_id: str, method: str, kwargs: dict[str, Any]) -> str:
        """Keep one write (a ``Store`` method and its keyword arguments); returns its id."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
        entry = {"id": uuid.uuid4().hex, "at": datetime.now(UTC).isoformat(),
                 "method": method, "kwargs": kwargs}
        line = json.dumps(entry, allow_nan=False, ensure_ascii=False) + "\n"
        path = self._file(participant_id)
        with self.locked(participant_id):
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry["id"]

    def _read(self, path: Path) -> list[dict[str, Any]]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def pending(self, participant_id: str) -> list[dict[str, Any]]:
        """This participant's waiting writes, oldest first: dicts with ``id``, ``at``,
        ``method`` and ``kwargs``."""
        path = self._file(participant_id)
        if not path.exists():  # nothing waits: no lock needed to say so
            return []
        with self.locked(participant_id):
            return self._read(path)

    def remove(self, participant_id: str, entry_id: str) -> bool:
        """Forget one write once it is stored (or refused for good); False if not there."""
        path = self._file(participant_id)
        with self.locked(participant_id):
            entries = self._read(path)
            kept = [e for e in entries if e["id"] != entry_id]
            if len(kept) == len(entries):
                return False
            if not kept:
                path.unlink()
                return True
            tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            try:
                os.write(fd, "".join(json.dumps(e, ensure_ascii=False) + "\n"
                                     for e in kept).encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
            return True

    def deliver(self, store: Any, participant_id: str) -> tuple[int, Exception | None]:
        """Send this participant's waiting writes to ``store``, oldest first.

        Returns (how many were stored, the problem that stopped it or None). A write
        that must wait (database down, answers paused) stays; one refused for good
        (``ValueError``, e.g. the workshop closed) is dropped and its refusal returned.
        """
        sent = 0
        for entry in self.pending(participant_id):
            try:
                if entry["method"] not in METHODS:
                    raise ValueError(f"Not an answer: {entry['method']!r}")
                getattr(store, entry["method"])(**entry["kwargs"])
            except (StoreUnavailable, AnswersLocked) as err:
                return sent, err
            except ValueError as err:
                self.remove(participant_id, entry["id"])
                return sent, err
            self.remove(participant_id, entry["id"])
            sent += 1
        return sent, None

    def participants(self) -> list[str]:
        """Everyone with writes waiting (for a sender that works through them all)."""
        return sorted(p.stem for p in self.folder.glob("*.jsonl"))
