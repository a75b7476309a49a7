"""Answers that could not be stored wait on disk: they survive a restart, are sent in
order, and threads or processes sharing the folder never lose one."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from workshop.spool import STRIPES, Spool
from workshop.store import AnswersLocked, Store, StoreUnavailable

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"
PID = "3f1c0a52-9d7e-4b1e-8a47-2f4c6b0e9d11"


def vote(n):
    return {"participant_id": PID, "advice_id": n, "vote": "agree"}


def test_writes_are_kept_oldest_first_and_survive_a_new_spool(tmp_path):
    spool = Spool(tmp_path / "outbox")
    ids = [spool.add(PID, "vote", vote(n)) for n in range(3)]
    again = Spool(tmp_path / "outbox")  # as after a restart of the app
    assert [e["id"] for e in again.pending(PID)] == ids
    assert [e["kwargs"]["advice_id"] for e in again.pending(PID)] == [0, 1, 2]
    assert again.remove(PID, ids[1]) and not again.remove(PID, ids[1])
    assert [e["id"] for e in spool.pending(PID)] == [ids[0], ids[2]]
    assert spool.participants() == [PID]
    spool.remove(PID, ids[0])
    spool.remove(PID, ids[2])
    assert spool.pending(PID) == [] and spool.participants() == []


def test_the_folder_and_files_are_private(tmp_path):
    spool = Spool(tmp_path / "outbox")
    spool.add(PID, "vote", vote(1))
    spool.add(PID, "vote", vote(2))
    spool.remove(PID, spool.pending(PID)[0]["id"])  # the rewritten file too
    assert os.stat(tmp_path / "outbox").st_mode & 0o777 == 0o700
    for f in (tmp_path / "outbox").iterdir():
        assert f.stat().st_mode & 0o777 == 0o600, f


def test_the_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_SPOOL_DIR", str(tmp_path / "elsewhere"))
    assert Spool().folder == tmp_path / "elsewhere"


@pytest.mark.parametrize("pid, method", [("../../etc/passwd", "vote"), ("short", "vote"),
                                         (PID, "delete_workshop")])
def test_only_answers_of_well_formed_participants_are_kept(tmp_path, pid, method):
    spool = Spool(tmp_path)
    with pytest.raises(ValueError):
        spool.add(pid, method, vote(1))
    assert spool.participants() == []


def test_threads_adding_and_removing_at_once_lose_nothing(tmp_path):
    spool = Spool(tmp_path)
    doomed = [spool.add(PID, "vote", vote(-1)) for _ in range(20)]
    added = []

    def add(n):
        added.append(spool.add(PID, "vote", vote(n)))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(40)]
    threads += [threading.Thread(target=spool.remove, args=(PID, d)) for d in doomed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(e["id"] for e in spool.pending(PID)) == sorted(added)


def test_one_participants_write_does_not_wait_on_anothers(tmp_path):
    spool = Spool(tmp_path)
    mine = "a" * 36
    others = ["b" * 35 + str(n) for n in range(STRIPES * 4)]
    done: dict[str, threading.Event] = {}

    def add(pid):
        spool.add(pid, "vote", {"participant_id": pid, "advice_id": 1, "vote": "agree"})
        done[pid].set()

    with spool.locked(mine):  # as while a slow disk holds one write
        started = []
        for pid in [mine, *others]:
            done[pid] = threading.Event()
            started.append(threading.Thread(target=add, args=(pid,), daemon=True))
            started[-1].start()
        enough, deadline, settled = len(others) - len(others) // 4, time.monotonic() + 10, 0
        while time.monotonic() < deadline and settled < 10:  # until the others have written
            before = sum(done[p].is_set() for p in others)
            time.sleep(0.05)
            after = sum(done[p].is_set() for p in others)
            settled = settled + 1 if after >= enough and after == before else 0
        assert after >= enough  # all but the few that share its lock
        assert not done[mine].is_set()  # its own waits, and loses nothing
    assert all(done[pid].wait(10) for pid in [mine, *others])  # the lock freed, all go
    for pid in [mine, *others]:
        assert len(spool.pending(pid)) == 1
    assert sorted(spool.participants()) == sorted([mine, *others])


def test_two_processes_adding_while_one_removes_lose_nothing(tmp_path):
    spool = Spool(tmp_path)
    doomed = [spool.add(PID, "vote", vote(-1)) for _ in range(100)]
    code = (
        "import sys\n"
        "from workshop.spool import Spool\n"
        f"s = Spool({str(tmp_path)!r})\n"
        f"for n in range(100): s.add({PID!r}, 'vote', {{'advice_id': n, 'who': sys.argv[1]}})\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, who], cwd=ROOT)
             for who in ("a", "b")]
    for _ in range(3000):  # wait (boundedly) until the others are writing
        if any("who" in e["kwargs"] for e in spool.pending(PID)):
            break
        time.sleep(0.01)
    for d in doomed:
        spool.remove(PID, d)
    assert [p.wait(60) for p in procs] == [0, 0]
    left = spool.pending(PID)
    assert {(e["kwargs"]["who"], e["kwargs"]["advice_id"]) for e in left} == {
        (who, n) for who in "ab" for n in range(100)}
    assert len(left) == 200


def test_deliver_sends_in_order_and_keeps_what_must_wait(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    w = store.create_workshop("Hall", PASS)
    author, voter = store.join(w.code), store.join(w.code)
    advice = store.add_advice(author.id, "oversight", "Keep a human", uuid.uuid4().hex)
    spool = Spool(tmp_path / "outbox")
    store.lock(w.code)
    with pytest.raises(AnswersLocked):
        store.vote(voter.id, advice.id, "agree")
    spool.add(voter.id, "vote", {"participant_id": voter.id, "advice_id": advice.id,
                                 "vote": "agree"})
    spool.add(voter.id, "add_advice", {"participant_id": voter.id, "theme": "oversight",
                                       "text": "Publish error rates", "client_id": "c" * 16})
    sent, problem = spool.deliver(store, voter.id)
    assert sent == 0 and isinstance(problem, AnswersLocked)
    assert len(spool.pending(voter.id)) == 2
    store.lock(w.code, False)
    assert spool.deliver(store, voter.id) == (2, None)
    assert spool.pending(voter.id) == []
    items = store.advice(w.code).set_index("text")
    assert items.loc["Keep a human", "agree"] == 1 and "Publish error rates" in items.index
    store.engine.dispose()


def test_deliver_stops_while_the_database_is_down_and_drops_a_refused_write(tmp_path):
    class Down:
        def vote(self, **_):
            raise StoreUnavailable("down")

    class Closed:
        def vote(self, **_):
            raise ValueError("This workshop has closed")

    spool = Spool(tmp_path)
    spool.add(PID, "vote", vote(1))
    spool.add(PID, "vote", vote(2))
    sent, problem = spool.deliver(Down(), PID)
    assert sent == 0 and isinstance(problem, StoreUnavailable) and len(spool.pending(PID)) == 2
    sent, problem = spool.deliver(Closed(), PID)
    assert sent == 0 and "closed" in str(problem)
    assert [e["kwargs"]["advice_id"] for e in spool.pending(PID)] == [2]
