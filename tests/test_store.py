"""The store: nothing a participant sends is lost, nobody reads what they should not."""

import csv
import io
import json
import threading
import uuid

import pytest

from workshop.store import (
    CODE_ALPHABET,
    Store,
    StoreUnavailable,
    WorkshopNotFound,
    neutralise,
)

PASS = "correct horse battery"


def reaction(pid, **over):
    args = dict(
        participant_id=pid,
        use_case="call_triage",
        stage="before",
        comfort=2,
        themes=["oversight", "accuracy_bias"],
        comment="Worried about accents",
        config={"label_bias": 0.4, "mitigation": "none", "seed": 3},
        metrics={"equalized_odds_difference": 0.31, "false_negative_rate[B]": 0.4},
        client_id=uuid.uuid4().hex,
    )
    args.update(over)
    return args


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'w.db'}")


@pytest.fixture
def workshop(store):
    return store.create_workshop("Library, Tuesday", PASS)


def test_workshop_code_is_short_unambiguous_and_passphrase_is_hashed(store, workshop):
    assert len(workshop.code) == 6 and set(workshop.code) <= set(CODE_ALPHABET)
    assert PASS not in workshop.passphrase_hash
    assert store.verify_facilitator(workshop.code, PASS)
    assert store.verify_facilitator(workshop.code.lower(), PASS)
    assert not store.verify_facilitator(workshop.code, PASS + "x")
    assert not store.verify_facilitator("ZZZZZZ", PASS)
    codes = {store.create_workshop(f"w{i}", PASS).code for i in range(20)}
    assert len(codes) == 20


@pytest.mark.parametrize("title, phrase", [("", PASS), ("ok", "short"), ("x" * 201, PASS)])
def test_bad_workshop_settings_are_refused(store, title, phrase):
    with pytest.raises(ValueError):
        store.create_workshop(title, phrase)


def test_join_gives_a_pseudonym_and_refuses_unknown_or_closed_codes(store, workshop):
    p = store.join(f" {workshop.code.lower()} ")
    assert p.pseudonym and p.pseudonym[0].isupper()
    with pytest.raises(WorkshopNotFound, match="no workshop with that code"):
        store.join("NOPE42")
    store.close_workshop(workshop.code)
    with pytest.raises(WorkshopNotFound, match="closed"):
        store.join(workshop.code)


@pytest.mark.parametrize(
    "bad",
    [
        dict(stage="during"),
        dict(comfort=0),
        dict(comfort=6),
        dict(comfort=True),
        dict(comfort="3"),
        dict(themes=["oversight", "vibes"]),
        dict(comment="x" * 1001),
        dict(config={"f": float("nan")}),
        dict(metrics={"f": object()}),
        dict(use_case="Robert'); DROP TABLE reactions;--"),
        dict(client_id="short"),
        dict(participant_id="not-a-participant"),
    ],
)
def test_invalid_reaction_raises_and_writes_nothing(store, workshop, bad):
    p = store.join(workshop.code)
    with pytest.raises(ValueError):
        store.record(**reaction(p.id, **bad))
    assert len(store.reactions(workshop.code)) == 0


def test_resubmitting_a_client_id_stores_one_row(store, workshop):
    p = store.join(workshop.code)
    args = reaction(p.id)
    first = store.record(**args)
    again = store.record(**{**args, "comment": "changed my mind"})
    assert first.id == again.id
    df = store.reactions(workshop.code)
    assert len(df) == 1 and df.loc[0, "comment"] == "Worried about accents"


def test_a_restart_loses_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    s1 = Store(url)
    w = s1.create_workshop("Restart", PASS)
    p = s1.join(w.code)
    s1.record(**reaction(p.id))
    s1.engine.dispose()
    s2 = Store(url)  # a new process would do exactly this
    df = s2.reactions(w.code)
    assert len(df) == 1
    assert df.loc[0, "config.label_bias"] == 0.4
    assert s2.verify_facilitator(w.code, PASS)


def test_reactions_table_has_a_column_per_setting_and_metric(store, workshop):
    p = store.join(workshop.code)
    store.record(**reaction(p.id))
    store.record(**reaction(p.id, stage="after", comfort=4, config={"label_bias": 0.0}))
    df = store.reactions(workshop.code)
    assert list(df["stage"]) == ["before", "after"]
    assert {"config.label_bias", "config.mitigation", "metric.equalized_odds_difference",
            "metric.false_negative_rate[B]"} <= set(df.columns)
    assert df.loc[0, "themes"] == "oversight; accuracy_bias"


def test_csv_export_neutralises_formulas_and_blanks_hidden_comments(store, workshop):
    p = store.join(workshop.code)
    evil = store.record(**reaction(p.id, comment='=HYPERLINK("http://x","click")'))
    store.record(**reaction(p.id, comment="+44 123", stage="after"))
    hidden = store.record(**reaction(p.id, comment="rude words", stage="final"))
    store.hide_reaction(workshop.code, hidden.id)
    rows = list(csv.DictReader(io.StringIO(store.export_csv(workshop.code))))
    assert [r["comment"] for r in rows] == ["'=HYPERLINK(\"http://x\",\"click\")", "'+44 123", ""]
    assert rows[0]["config.label_bias"] == "0.4"
    assert "participant_id" not in rows[0]
    data = json.loads(store.export_json(workshop.code))
    assert data["workshop"]["code"] == workshop.code
    assert data["reactions"][0]["config"]["seed"] == 3
    assert data["reactions"][2]["comment"] == "" and data["reactions"][2]["hidden"]
    assert evil.id == data["reactions"][0]["reaction_id"]


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("-1") == "'-1" and neutralise("@me") == "'@me"
    assert neutralise("fine") == "fine" and neutralise(-1.5) == -1.5


def test_hide_only_works_within_the_facilitators_own_workshop(store, workshop):
    other = store.create_workshop("Other", PASS)
    p = store.join(other.code)
    r = store.record(**reaction(p.id))
    with pytest.raises(ValueError):
        store.hide_reaction(workshop.code, r.id)


def test_closed_workshop_takes_no_more_answers_and_delete_removes_everything(store, workshop):
    p = store.join(workshop.code)
    store.record(**reaction(p.id))
    store.close_workshop(workshop.code)
    with pytest.raises(ValueError, match="closed"):
        store.record(**reaction(p.id))
    store.delete_workshop(workshop.code)
    with pytest.raises(WorkshopNotFound):
        store.reactions(workshop.code)
    assert store.participant(p.id) is None


def _sixty_at_once(store):
    w = store.create_workshop("Full room", PASS)
    people = [store.join(w.code) for _ in range(60)]
    barrier = threading.Barrier(60)
    errors = []
    args = [reaction(p.id) for p in people]

    def send(a):
        try:
            barrier.wait()
            store.record(**a)
            store.record(**a)  # a double tap on Send
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=send, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    df = store.reactions(w.code)
    return errors, df, args


def test_sixty_participants_recording_at_once_on_sqlite(store):
    errors, df, args = _sixty_at_once(store)
    assert errors == []
    assert len(df) == 60
    assert df["participant_id"].nunique() == 60


def test_sixty_participants_recording_at_once_on_postgresql(pg_url):
    store = Store(pg_url)
    errors, df, _ = _sixty_at_once(store)
    assert errors == []
    assert len(df) == 60 and df["participant_id"].nunique() == 60
    store.engine.dispose()


def test_unreachable_database_raises_store_unavailable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    store = Store(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none")
    with pytest.raises(StoreUnavailable):
        store.create_workshop("x", PASS)
    assert store.ping() is False


def test_database_url_environment_variable_selects_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert Store().url.endswith("env.db")
