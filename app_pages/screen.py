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

_width, height = screen.viewport()
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
    screen.join_slide(code, link, store.counts(code)["participants"], height, then=lambda h: (
        screen.comfort_view(reactions, shift, "overall", ["before"], height=h)))
elif stage == "use_cases":
    use_case = registry.get(room["use_case"] or next(iter(registry.USE_CASES)))
    head, corner = st.columns([5, 1], vertical_alignment="center")
    with head:
        st.markdown(f"## {use_case.icon} {_(use_case.title)}")
        screen.scenario_line(room)
        st.markdown(_("**How comfortable would you be if police used this?** Before "
                      "trying it, and after."))
    with corner:
        screen.join_corner(code, link, height)
    approved = store.comments(code, "approved")
    approved = approved[approved["use_case"] == use_case.name]
    records = store.record_results(code)
    if screen_decide.has_slide(code, use_case.name):  # the room against the AI
        vs, said = st.columns([1.25, 1], gap="large")
        with vs:
            screen_decide.slide(code, use_case.name)
        with said:
            screen.comfort_view(reactions, shift, use_case.name, ["before", "after"],
                                height=max(160, int(height * 0.3)))
            screen_oversight.record_tally(records, use_case.name)
            screen.comments(approved)
    else:
        results, said = st.columns([1.25, 1], gap="large")
        with results:
            screen.comfort_view(reactions, shift, use_case.name, ["before", "after"],
                                height=max(180, int(height * 0.42)))
            screen_oversight.record_tally(records, use_case.name)
        with said:
            screen.comments(approved)
elif stage == "panel":
    head, corner = st.columns([5, 1], vertical_alignment="center")
    with corner:
        screen.join_corner(code, link, height)
    with head:
        st.markdown("## " + _("The ethics panel"))
    screen_oversight.panel_slide(store.panel_results(code))
elif stage == "questions":
    head, corner = st.columns([5, 1], vertical_alignment="center")
    head.markdown("## " + _("How the room answers the open questions"))
    with corner:
        screen.join_corner(code, link, height)
    screen.questions_view(store.answers(code), then=lambda: (
        screen_oversight.themes_view(store.tagged_texts(code))), reserve=int(0.45 * height))
else:
    ranking, views = st.columns([1.6, 1], gap="large")
    with ranking:
        screen.advice_view(store.advice(code))
    with views:
        screen.join_corner(code, link, height)
        st.markdown("**" + _("How comfortable would you be if the police used AI?") + "**")
        screen.comfort_view(reactions, shift, "overall", ["before", "final"],
                            height=max(180, int(height * 0.45)))
