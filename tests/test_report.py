"""The report a facilitator takes home: it tells how views moved (within a workshop and
across a series), shows only approved words, names nobody unless asked, and is a real
multi-page PDF. Its text is read back with pdftotext (poppler-utils) when installed,
else with a small reader of matplotlib's PDF text."""
# ruff: noqa: F811 - the store fixtures come from tests/test_store.py and are parameters

import re
import shutil
import subprocess
import sys
import uuid
import zlib
from pathlib import Path

import pytest

from tests.test_store import PASS, db_url, sqlite_store, store  # noqa: F401 - fixtures
from workshop import report
from workshop.i18n import Translator

ROOT = Path(__file__).resolve().parents[1]
SERIES = "Cardiff dialogue"


def cid() -> str:
    return uuid.uuid4().hex


# -- reading a PDF back ------------------------------------------------------------------


def _string(block: bytes, i: int) -> tuple[bytes, int]:
    """The PDF (string) that starts at ``block[i]`` (an opening bracket), unescaped, and
    where it ends."""
    out, i, depth = bytearray(), i + 1, 1
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while depth:
        c = block[i]
        if c == ord("\\"):
            digits = re.match(rb"[0-7]{1,3}", block[i + 1:i + 4])
            if digits:
                out.append(int(digits.group(), 8))
                i += 1 + len(digits.group())
            else:
                out.append(escapes.get(block[i + 1], block[i + 1]))
                i += 2
            continue
        depth += (c == ord("(")) - (c == ord(")"))
        if depth:
            out.append(c)
        i += 1
    return bytes(out), i


def _unicode_maps(pdf: bytes) -> dict[bytes, dict[int, str]]:
    """Each font resource (/F1, ...) -> its ToUnicode map, code -> text."""
    objects = {m.group(1): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf,
                                                             re.S)}

    def stream(n: bytes) -> bytes:
        raw = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objects[n], re.S).group(1)
        return zlib.decompress(raw)

    maps = {}
    for name, n in re.findall(rb"/(F\d+) (\d+) 0 R", pdf):
        ref = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(n, b""))
        if not ref:
            continue
        cmap, text = {}, stream(ref.group(1))
        for lo, hi, dst in re.findall(rb"<([0-9a-f]+)> <([0-9a-f]+)> (\[[^\]]*\]|<[0-9a-f]+>)",
                                      text, re.I):
            targets = re.findall(rb"<([0-9a-f]+)>", dst, re.I)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                u = targets[k] if len(targets) > 1 else b"%0*x" % (len(targets[0]),
                                                                    int(targets[0], 16) + k)
                cmap[code] = bytes.fromhex(u.decode()).decode("utf-16-be")
        for code, u in re.findall(rb"<([0-9a-f]+)> <([0-9a-f]+)>\s*(?=<|endbfchar)", text,
                                  re.I):
            cmap.setdefault(int(code, 16), bytes.fromhex(u.decode()).decode("utf-16-be"))
        maps[name] = cmap
    return maps


def pure_text(pdf: bytes) -> str:
    """The text matplotlib wrote, read through each font's ToUnicode map."""
    maps, lines = _unicode_maps(pdf), []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(raw)
        except zlib.error:
            continue
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", data, re.S):
            cmap, out, i = {}, [], 0
            while i < len(block):
                font = re.match(rb"/(F\d+)\s+[\d.]+\s+Tf", block[i:])
                if font:
                    cmap = maps.get(font.group(1), {})
                    i += font.end()
                elif block[i] == ord("("):
                    text, i = _string(block, i)
                    out.extend(cmap.get(b, chr(b)) for b in text)
                else:
                    i += 1
            lines.append("".join(out))
    return "\n".join(lines)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text, its white space made single spaces (wrapped lines joined)."""
    if shutil.which("pdftotext"):
        path = tmp_path / f"{uuid.uuid4().hex}.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    else:
        text = pure_text(pdf)
    return re.sub(r"\s+", " ", text)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_pure_reader_reads_what_matplotlib_writes(sqlite_store, tmp_path):
    w = sqlite_store.create_workshop("Reader (check) \\ $x$", PASS)
    pdf = report.build_report(sqlite_store, w.code)
    assert "Reader (check) \\ $x$" in pure_text(pdf)
    assert "Nobody has answered both questions yet" in re.sub(r"\s+", " ", pure_text(pdf))


# -- a two-workshop series whose views move --------------------------------------------


def record(s, pid, use_case, stage, comfort, comment="", config=None, themes=()):
    return s.record(pid, use_case, stage, comfort, list(themes), comment, config or {}, {},
                    cid())


FIX = {"label_bias": 0.4, "mitigation": "threshold_optimizer", "seed": 1}
NO_FIX = {"label_bias": 0.4, "mitigation": "none", "seed": 1}


@pytest.fixture
def series(store):
    """Week 1 in person: 9 people, uncomfortable at first (2); 101 calls 1 before; after
    trying it 6 of them with a fix on say 4, 2 without say 2, one skips. Final view 3.
    Week 2 online: 6 of them come back with their return codes (101 calls 3 -> 5, final
    view 5), 2 newcomers (101 calls 2 -> 2)."""
    s = store
    week1 = s.create_workshop("Cardiff library, week 1", PASS, series=SERIES)
    week2 = s.create_workshop("Cardiff online, week 2", PASS, series=SERIES, mode="online")
    people, words = [], {}
    for i in range(9):
        p = s.join(week1.code)
        people.append(p)
        record(s, p.id, "overall", "before", 2)
        record(s, p.id, "call_triage", "before", 1, themes=["accuracy_bias"])
        if i < 6:
            record(s, p.id, "call_triage", "after", 4, config=FIX,
                   themes=["accuracy_bias", "oversight"])
        elif i < 8:
            record(s, p.id, "call_triage", "after", 2, config=NO_FIX, themes=["jobs"])
        else:
            record(s, p.id, "call_triage", "after", None)  # a skip
        record(s, p.id, "overall", "final", 3)
    words["approved"] = record(s, people[0].id, "call_triage", "after", 4, config=FIX,
                               comment="A person must check it, even if it costs $5 a call")
    words["pending"] = record(s, people[1].id, "call_triage", "after", 4, config=FIX,
                              comment="PENDINGSECRET words")
    words["hidden"] = record(s, people[2].id, "call_triage", "after", 4, config=FIX,
                             comment="HIDDENSECRET words")
    s.moderate(week1.code, words["approved"].id, "approved")
    s.moderate(week1.code, words["hidden"].id, "hidden")
    kept = s.add_advice(people[0].id, "oversight", "Keep a human in charge of urgent calls",
                        cid())
    waiting = s.add_advice(people[1].id, "oversight", "PENDINGADVICE text", cid())
    gone = s.add_advice(people[2].id, "transparency", "HIDDENADVICE text", cid())
    s.moderate_advice(week1.code, kept.id, "approved")
    s.moderate_advice(week1.code, gone.id, "hidden")
    for p in people[:7]:
        s.vote(p.id, kept.id, "agree")
    s.vote(people[7].id, kept.id, "disagree")
    s.vote(people[8].id, waiting.id, "agree")
    note = s.answer(people[0].id, "pace", "too_fast", "NOTEAPPROVED slow it down", cid())
    s.answer(people[1].id, "pace", "too_fast", "NOTEPENDING words", cid())
    s.answer(people[2].id, "pace", "right", "", cid())
    s.moderate_answer(week1.code, note.id, "approved")
    back = []
    for p in people[:6]:
        q = s.join(week2.code, returning=p.return_code)
        back.append(q)
        record(s, q.id, "call_triage", "before", 3)
        record(s, q.id, "call_triage", "after", 5, config=FIX)
        record(s, q.id, "overall", "final", 5)
    new = [s.join(week2.code) for _ in range(2)]
    for q in new:
        record(s, q.id, "call_triage", "before", 2)
        record(s, q.id, "call_triage", "after", 2, config=NO_FIX)
    return {"week1": week1, "week2": week2, "people": people, "back": back, "new": new,
            "words": words}


def test_the_report_tells_how_views_moved_in_the_workshop_and_across_the_series(
        store, series, tmp_path):
    week1, people = series["week1"], series["people"]
    pdf = report.build_report(store, week1.code)
    assert pdf.startswith(b"%PDF") and pages(pdf) >= 2
    text = text_of(pdf, tmp_path)
    # The cover.
    assert "Cardiff library, week 1" in text and "held in person" in text
    assert "It is workshop 1 of 2 in the series" in text
    assert "9 people joined." in text
    # First views -> final views: all 9 moved from 2 to 3.
    assert ("Of the 9 people who answered both times, 9 became more comfortable, 0 less "
            "comfortable and 0 did not change.") in text
    assert "Their average comfort went from 2.0 to 3.0" in text
    # 101 calls: 1 before; after, 6 with a fix at 4 (person 0's latest is the commented
    # one, still 4), 2 without a fix at 2, and one skip left out.
    assert ("Of the 8 people who answered both times, 8 became more comfortable, 0 less "
            "comfortable and 0 did not change.") in text
    assert "Their average comfort went from 1.0 to 3.5" in text
    assert "1 person who skipped one of the two questions is left out." in text
    assert "6 of 8 answered with a fix on" in text
    assert "Average comfort with a fix on: 4.0 (6 people). Without one: 2.0 (2 people)." in text
    assert "Past call handlers played down group B's warnings" in text.replace("’", "'")
    assert "40 in 100 of group B's warnings for everyone" in text.replace("’", "'")
    assert "the theme picked most" in text
    # The series: 6 came back, all more comfortable in the end; both modes shown.
    assert "6 of the 11 people who answered came to more than one workshop." in text
    assert "In person" in text and "Online" in text
    assert ("Of the 6 people who answered in more than one workshop, 6 ended more "
            "comfortable than they began, 0 less comfortable and 0 the same.") in text
    assert ("Average comfort at Workshop 1, before: 1.0, from 9 people. Average comfort at "
            "Workshop 2, after: 4.2, from 8 people.") in text
    # The advice, questions and comments: approved words only, exactly as written.
    assert "Keep a human in charge of urgent calls" in text
    assert "7 agree, 1 disagree, 0 pass (8 votes)." in text
    assert "1 piece of advice still waiting for the facilitator is not shown." in text
    assert "1 piece of advice the facilitator hid is not shown." in text
    assert "costs $5 a call" in text and "NOTEAPPROVED slow it down" in text
    assert "2 comments that were not approved (waiting or hidden) are not included." in text
    assert "1 note not approved by the facilitator is not shown." in text
    for secret in ("PENDINGSECRET", "HIDDENSECRET", "PENDINGADVICE", "HIDDENADVICE",
                   "NOTEPENDING"):
        assert secret not in text
    # Nobody is named, and no key to anyone's answers is printed.
    everyone = people + series["back"] + series["new"]
    for p in everyone:
        for private in (p.id, p.return_code, p.person_id, p.pseudonym):
            assert private not in text and private.encode() not in pdf


def test_the_second_workshop_tells_the_same_series_story(store, series, tmp_path):
    text = text_of(report.build_report(store, series["week2"].code), tmp_path)
    assert "held online" in text and "It is workshop 2 of 2 in the series" in text
    assert "6 of the 11 people who answered came to more than one workshop." in text
    # In week 2 alone, the 6 who came back moved 3 -> 5 and the newcomers 2 -> 2.
    assert ("Of the 8 people who answered both times, 6 became more comfortable, 0 less "
            "comfortable and 2 did not change.") in text


def test_nicknames_only_when_the_facilitator_asks(sqlite_store, tmp_path):
    s = sqlite_store
    w = s.create_workshop("Hall", PASS)
    a, b = s.join(w.code), s.join(w.code)
    said = record(s, a.id, "evidence", "before", 2, comment="Summaries leave people out")
    record(s, b.id, "evidence", "before", 3, comment="not approved")
    s.moderate(w.code, said.id, "approved")
    advice = s.add_advice(b.id, "oversight", "Audit every summary", cid())
    s.moderate_advice(w.code, advice.id, "approved")
    plain = text_of(report.build_report(s, w.code), tmp_path)
    named = text_of(report.build_report(s, w.code, names=True), tmp_path)
    assert "Summaries leave people out" in plain and "Audit every summary" in plain
    assert a.pseudonym not in plain and b.pseudonym not in plain
    assert a.pseudonym in named and b.pseudonym in named  # the authors of approved words
    assert "Nobody is named" in plain and "nicknames" in named
    for p in (a, b):
        assert p.id not in named and p.return_code not in named


def test_opinion_groups_in_the_report(sqlite_store, tmp_path):
    s = sqlite_store
    w = s.create_workshop("Hall", PASS)
    voters = [s.join(w.code) for _ in range(18)]
    advice = []
    for i in range(6):
        a = s.add_advice(voters[i].id, ["oversight", "accuracy_bias", "transparency"][i % 3],
                         f"Advice {i}", cid())
        s.moderate_advice(w.code, a.id, "approved")
        advice.append(a)
    shared = s.add_advice(voters[0].id, "oversight", "Everyone agrees with this", cid())
    s.moderate_advice(w.code, shared.id, "approved")
    for k, p in enumerate(voters):
        bloc = k % 3
        for j, a in enumerate(advice):
            s.vote(p.id, a.id, "agree" if j // 2 == bloc else
                   "disagree" if j // 2 == (bloc + 1) % 3 else "pass")
        s.vote(p.id, shared.id, "agree")
    groups = report.analysis.opinion_groups(s.votes(w.code))
    assert sorted(groups["group"].value_counts()) == [6, 6, 6]
    text = text_of(report.build_report(s, w.code), tmp_path)
    assert "The 18 people who voted fall into 3 opinion groups:" in text
    assert "Group 1: 6 people." in text and "Group 3: 6 people." in text
    assert "1 piece of advice has a majority agreeing in every group." in text
    assert "Advice every group agrees with" in text and "Everyone agrees with this" in text
    assert "100 in 100 of group" in text


def test_an_empty_workshop_and_welsh_still_make_a_report(sqlite_store, tmp_path):
    w = sqlite_store.create_workshop("Empty hall", PASS)
    pdf = report.build_report(sqlite_store, w.code, lang="cy")
    assert pages(pdf) >= 2
    text = text_of(pdf, tmp_path)
    month = Translator("cy").date(sqlite_store.workshop(w.code).created_at, with_time=False)
    assert month in text
    english = text_of(report.build_report(sqlite_store, w.code), tmp_path)
    assert "Nobody answered this question." in english
    assert "No advice was approved in this workshop." in english


def test_every_comfort_shift_sentence_matches_the_store(store, series, tmp_path):
    """The numbers the report quotes are the store's paired shifts."""
    shift = store.shift(series["week1"].code)
    calls = shift[shift["use_case"] == "call_triage"]
    up = int((calls["after"] > calls["before"]).sum())
    text = text_of(report.build_report(store, series["week1"].code), tmp_path)
    assert f"Of the {len(calls)} people who answered both times, {up} became more" in text


def test_the_command_line_writes_the_pdf(tmp_path, monkeypatch):
    from workshop.store import Store

    s = Store()  # DATABASE_URL: this test's own SQLite database (tests/conftest.py)
    w = s.create_workshop("Command line hall", PASS)
    out = tmp_path / "r.pdf"
    assert report.main([w.code.lower(), "-o", str(out), "--names"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert report.main(["NOPE42", "-o", str(tmp_path / "x.pdf")]) == 2
    done = subprocess.run([sys.executable, "-m", "workshop.report", w.code, "-o",
                           str(tmp_path / "m.pdf"), "--lang", "cy"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    s.engine.dispose()
