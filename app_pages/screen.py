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
stage = room["stage"]
if not room["open"]:
    screen.results_slide(reactions, store.shift(code), store.advice(code), store.answers(code),
                         [*screen_decide.results(code),
                          *screen_oversight.panel_result(store.panel_results(code))])
elif stage == "first_views":
    screen.join_slide(code, link, store.counts(code)["participants"], height, then=lambda h: (
        screen.comfort_view(reactions, ["before"], height=h)))
elif stage == "use_cases":
    use_case = registry.get(room["use_case"] or next(iter(registry.USE_CASES)))
    with screen.head(f"## {use_case.icon} {_(use_case.title)}", code, link, height):
        screen.scenario_line(room)
        st.markdown(_("**How comfortable would you be if police used this?** Before "
                      "trying it, and after."))
    results, said = st.columns([1.4, 1], gap="large")
    with results:  # comfort, the room against the AI, the record: in turns
        screen.turns("results", [
            screen.comfort_panel(reactions, store.shift(code), use_case.name),
            *screen_decide.panels(code, use_case.name),
            *screen_oversight.record_panels(store.record_results(code), use_case.name)])
    with said:
        approved = store.comments(code, "approved")
        screen.comments(approved[approved["use_case"] == use_case.name])
elif stage == "panel":
    with screen.head("## " + _("The ethics panel"), code, link, height):
        screen.subtitle(screen_oversight.panel_heading())
    screen_oversight.panel_slide(store.panel_results(code), screen.body_height(height))
elif stage == "questions":
    screen.head("## " + _("How the room answers the open questions"), code, link, height)
    themes = screen_oversight.themes_panel(store.tagged_texts(code))
    screen.questions_view(store.answers(code), [themes] if themes else [])
else:
    ranking, views = st.columns([1.6, 1], gap="large")
    with ranking:
        screen.advice_view(store.advice(code))
    with views:
        screen.join_corner(code, link, height)
        st.markdown("**" + _("How comfortable would you be if the police used AI?") + "**")
        screen.comfort_view(reactions, ["before", "final"], height=max(180, int(height * 0.45)))
