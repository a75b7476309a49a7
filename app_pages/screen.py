"""The Screen, for the projector: opened from the Console, nothing private, no controls."""

import hmac

import streamlit as st

from simulators import registry
from ui import screen, screen_decide, screen_oversight
from ui.i18n import _
from ui.navigation import signed_in
from ui.room import watch
from ui.store import get_store
from workshop.live import screen_key
from workshop.network import public_base_url, public_port, with_code
from workshop.store import StoreUnavailable, WorkshopNotFound, normalise_code

st.html(screen.CSS)
store = get_store()
code = normalise_code(st.query_params.get("code", "")) or signed_in()
try:
    workshop = store.workshop(code) if code else None
except (StoreUnavailable, WorkshopNotFound):
    workshop = None
key = st.query_params.get("key", "")
allowed = workshop is not None and (
    signed_in() == workshop.code
    or hmac.compare_digest(key, screen_key(workshop.code, workshop.passphrase_hash)))
if not allowed:
    st.markdown(_("This is the projector's screen. Open it from the facilitator's Console."))
    st.stop()

room = store.room(code)
link = with_code(public_base_url(st.context.url, public_port(st.get_option("server.port"))),
                 code)
watch(code, room, live=True, big=True)  # reruns this page when anything changes

reactions = store.reactions(code)
shift = store.shift(code)
stage = room["stage"]
if not room["open"]:
    screen.results_slide(reactions, shift, store.advice(code), store.answers(code))
elif stage == "first_views":
    screen.join_slide(code, link, store.counts(code)["participants"], then=lambda: (
        screen.comfort_view(reactions, shift, "overall", ["before"], height=220)))
else:
    main, corner = st.columns([4, 1])
    with corner:
        screen.join_corner(code, link)
    with main:
        if stage == "use_cases":
            chosen = room["use_case"] or next(iter(registry.USE_CASES))
            use_case = registry.get(chosen)
            st.markdown(f"## {use_case.icon} {_(use_case.title)}")
            st.markdown(_("**How comfortable would you be if police used this?** Before "
                          "trying it, and after."))
            approved = store.comments(code, "approved")
            approved = approved[approved["use_case"] == use_case.name]
            if screen_decide.has_slide(code, use_case.name):  # the room against the AI
                vs, comfort = st.columns(2, gap="large")
                with vs:
                    screen_decide.slide(code, use_case.name)
                with comfort:
                    screen.comfort_view(reactions, shift, use_case.name, ["before", "after"],
                                        height=260)
                    screen_oversight.record_tally(store.record_results(code), use_case.name)
                    screen.comments(approved, limit=2)
            else:
                screen.comfort_view(reactions, shift, use_case.name, ["before", "after"])
                screen_oversight.record_tally(store.record_results(code), use_case.name)
                screen.comments(approved)
        elif stage == "panel":
            screen_oversight.panel_slide(store.panel_results(code))
        elif stage == "questions":
            screen.questions_view(store.answers(code), then=lambda: (
                screen_oversight.themes_view(store.tagged_texts(code))))
        else:
            screen.advice_view(store.advice(code))
            screen.comfort_view(reactions, shift, "overall", ["before", "final"])
