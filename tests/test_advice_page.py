"""AppTest of the advice round and the facilitator's view of it."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.participant import Me
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[1]
PASS = "correct horse battery"


def advice_page(store, w, p):
    at = AppTest.from_file(str(ROOT / "app_pages/advice.py"), default_timeout=30)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title)
    at.query_params["p"] = p.id
    return at.run()


def test_visitors_are_asked_to_join():
    at = AppTest.from_file(str(ROOT / "app_pages/advice.py"), default_timeout=30).run()
    assert any("Join the workshop" in i.value for i in at.info)
    assert not at.text_area


def test_the_final_view_and_a_return_code_for_a_series():
    store = Store()
    w = store.create_workshop("Hall", PASS, series="Wales 2026")
    p = store.join(w.code)
    at = AppTest.from_file(str(ROOT / "app_pages/advice.py"), default_timeout=30)
    at.session_state["participant"] = Me(p.id, p.pseudonym, w.code, w.title, p.return_code)
    at.run()
    assert any(p.return_code == c.value for c in at.code)
    at.radio(key="reaction.overall.final.comfort").set_value(4)
    [send] = [b for b in at.button if b.label == "Send my answer"]
    send.click().run()
    df = store.reactions(w.code)
    assert (df.loc[0, "use_case"], df.loc[0, "stage"], df.loc[0, "comfort"]) == (
        "overall", "final", 4)


def test_write_advice_then_others_vote_on_it_as_plain_text():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    alice, bob = store.join(w.code), store.join(w.code)
    at = advice_page(store, w, alice)
    at.radio(key="advice.theme").set_value("transparency")
    at.text_area(key="advice.text").set_value(
        "Publish **every** error <img src=x onerror=alert(1)>")
    at.button[0].click().run()
    assert not at.exception
    assert any("advice is added" in s.value for s in at.success)
    df = store.advice(w.code)
    assert list(df["theme"]) == ["transparency"] and len(df) == 1

    bob_at = advice_page(store, w, bob)  # nothing shows before the facilitator reads it
    assert not any(t.value.startswith("Publish") for t in bob_at.text)
    store.moderate_advice(w.code, int(df.loc[0, "advice_id"]), "approved")
    bob_at = advice_page(store, w, bob)
    assert any(t.value.startswith("Publish **every** error <img") for t in bob_at.text)
    assert not any("onerror" in m.value for m in bob_at.markdown)
    bob_at.segmented_control(key=f"advice.vote.{df.loc[0, 'advice_id']}").set_value(
        "agree").run()
    assert store.advice(w.code).loc[0, "agree"] == 1
    bob_at.segmented_control(key=f"advice.vote.{df.loc[0, 'advice_id']}").set_value(
        "disagree").run()
    row = store.advice(w.code).iloc[0]
    assert (row["agree"], row["disagree"]) == (0, 1)  # one vote per person


def test_empty_advice_gets_a_message_and_stores_nothing():
    store = Store()
    w = store.create_workshop("Hall", PASS)
    at = advice_page(store, w, store.join(w.code))
    at.button[0].click().run()
    assert "Write something first" in at.error[0].value
    assert store.advice(w.code).empty
