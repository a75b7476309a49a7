"""AppTest of the Console's new parts: the recovery code shown once at creation and
used to get back in, deleting a comment or advice for good, merging people who joined
more than once; and a participant letting their return code move to another device."""

import uuid

from tests.test_workshop_pages import PASS, app, console, create, store  # noqa: F401
from ui.participant import Me, grouped
from workshop.store import Store

NEW = "a brand new long phrase"


def _recovery_code(at) -> str:
    [shown] = [c.value for c in at.code if len(c.value) == 19 and c.value.count("-") == 3]
    return shown


def test_the_recovery_code_is_shown_once_and_sets_a_new_passphrase(store):  # noqa: F811
    at = console()
    at.text_input[2].set_value("Community hall")
    at.text_input[3].set_value(PASS)
    at.text_input[4].set_value(PASS)
    at.button[1].click().run()
    assert not at.exception
    recovery = _recovery_code(at)
    assert any("Write this recovery code down now" in w.value for w in at.warning)
    assert "facilitator.code" not in at.session_state  # not in until it is written down
    [written] = [b for b in at.button if b.label.startswith("I have written it down")]
    written.click().run()
    code = at.session_state["facilitator.code"]
    assert not any(c.value == recovery for c in at.code)  # never shown again
    # Another day, another device: forgotten passphrase, the recovery code.
    again = console()
    form = {t.label: t for t in again.text_input}
    again.text_input(key="recover.code").set_value(code)
    again.text_input(key="recover.recovery").set_value(recovery.lower())
    again.text_input(key="recover.phrase").set_value(NEW)
    again.text_input(key="recover.again").set_value(NEW)
    [submit] = [b for b in again.button if b.label == "Set the new passphrase"]
    submit.click().run()
    assert not again.exception and not again.error, [e.value for e in again.error]
    assert _recovery_code(again) != recovery  # a new one, shown once too
    assert form and Store().verify_facilitator(code, NEW)
    assert not Store().verify_facilitator(code, PASS)


def test_a_comment_and_a_piece_of_advice_are_deleted_for_good(store):  # noqa: F811
    from tests.test_store import reaction

    at = console()
    code = create(at)
    p = store.join(code)
    store.record(**reaction(p.id, comment="delete me please"))
    store.add_advice(p.id, "oversight", "and this advice too", uuid.uuid4().hex)
    at.run()
    for _ in range(2):
        [first] = [b for b in at.button if b.label == "Delete for good"][:1]
        first.click().run()
        assert not at.exception
    assert store.comments(code).empty and store.advice(code).empty
    assert not any("delete me please" in t.value for t in at.text)


def test_people_joining_from_one_address_can_be_merged_on_the_console(store):  # noqa: F811
    at = console()
    code = create(at)
    people = [store.join(code, device=uuid.uuid4().hex, address="10.0.0.66")
              for _ in range(3)]
    at.run()
    assert any(all(p.pseudonym in t.value for p in people) for t in at.text)
    [merge] = [b for b in at.button if b.label == "Merge into one voice"]
    merge.click().run()
    assert not at.exception
    assert store.counts(code)["participants"] == 1
    assert not [b for b in at.button if b.label == "Merge into one voice"]


def test_a_participant_lets_another_device_continue_them(store):  # noqa: F811
    w = store.create_workshop("Week 1", PASS, series="Cardiff")
    p = store.join(w.code, device=uuid.uuid4().hex)
    me = Me(p.id, p.pseudonym, w.code, w.title, grouped(p.return_code))
    at = app()
    at.session_state["participant"] = me
    at.query_params["p"] = me.id
    at.run()
    assert any(c.value == grouped(p.return_code) for c in at.code)
    at.button(key="handover").click().run()
    assert not at.exception
    assert any("works once on another device" in s.value for s in at.success)
    assert store.join(w.code, returning=me.return_code, device=uuid.uuid4().hex).id == p.id
