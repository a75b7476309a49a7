"""The Console's parts: the facilitator's laptop, never the projector.

Sign in or start a workshop (its recovery code shown once, to set a new passphrase
if the old one is forgotten), lead the room (stage, timer, lock, scenarios), read
every comment and piece of advice before it can reach the Screen (and delete any for
good), merge people who joined more than once, watch answers arrive, take the
downloads, and close or delete the workshop.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from simulators import registry
from simulators.messages import N_
from ui import report_panel, theme_tags
from ui.downloads import File, forget_files, offer
from ui.i18n import _, lang, ngettext, say
from ui.navigation import CONSOLE_COOKIE, FACILITATOR_KEY, SCREEN
from ui.participant import device_token, grouped
from ui.reaction_box import say_here
from ui.store import get_store
from workshop import analysis, export
from workshop.live import CONSOLE_HOURS, console_token, screen_key
from workshop.network import client_address
from workshop.store import StoreUnavailable, normalise_code
from workshop.vocabulary import ADVICE_THEMES, THEMES
from workshop.vocabulary import STAGES as ANSWER_STAGES

DOWN = N_("The workshop database can't be reached. Check the laptop, then try again.")
STATUS_NAMES = {"pending": N_("waiting"), "approved": N_("approved"), "hidden": N_("hidden")}


def address() -> str | None:
    """This device's address, for limiting guesses (only a trusted proxy is believed)."""
    return client_address(st.context.ip_address, dict(st.context.headers))


RECOVERY_KEY = "facilitator.recovery"  # (code, recovery code) until written down
_COOKIE = st.components.v2.component(
    "console_cookie", html="<span></span>",
    js="""
export default function ({ data }) {
  if (data.age === null) return;  // nothing to keep or forget on this run
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = data.name + "=" + data.value + "; path=/; max-age=" + data.age +
    "; SameSite=Strict" + secure;
}
""")
TOKEN_KEY = "facilitator.token"  # a sign-in to keep in this browser's cookie, once
FORGET_KEY = "facilitator.forget"


def signed_in_here(code: str) -> None:
    """Sign this device's Console in to ``code`` and keep it signed in across a reload
    (a signed cookie that expires after ``CONSOLE_HOURS``; not in the address)."""
    w = get_store().workshop(code)
    expires = int(time.time()) + CONSOLE_HOURS * 3600
    st.session_state[FACILITATOR_KEY] = w.code
    st.session_state[TOKEN_KEY] = console_token(w.code, w.passphrase_hash, expires)


def sign_out() -> None:
    """Sign this device out: the session and its cookie."""
    st.session_state.pop(FACILITATOR_KEY, None)
    st.session_state[FORGET_KEY] = True
    forget_files()  # no copy of the workshop's words held for this device


def keep_cookie() -> None:
    """Write (or remove) the sign-in cookie this run asks for. Called by the Console on
    every run, in the same place: an element that came and went would move everything
    after it, and the Console's tabs would jump back to the first."""
    token = st.session_state.pop(TOKEN_KEY, None)
    data = {"name": CONSOLE_COOKIE, "value": "", "age": None}
    if st.session_state.pop(FORGET_KEY, False):
        data["age"] = 0
    elif token:
        data.update(value=token, age=CONSOLE_HOURS * 3600)
    with st.container(key="console-cookie"):
        _COOKIE(key="console.cookie", data=data)


def sign_in() -> None:
    store = get_store()
    if recovery_notice():
        return
    device = device_token()
    st.write(_("Start a workshop, put the join code on the projector, and lead the room "
               "from here. Only someone with the workshop's passphrase can open this page's "
               "data."))
    open_tab, new_tab, forgot_tab = st.tabs([_("Open my workshop"), _("Start a new workshop"),
                                             _("Forgot the passphrase?")])
    with open_tab, st.form("facilitator.login"):
        # What a password manager looks for: a user name and the current password.
        code = st.text_input(_("Workshop code"), autocomplete="username")
        phrase = st.text_input(_("Passphrase"), type="password",
                               autocomplete="current-password")
        if st.form_submit_button(_("Open"), type="primary"):
            try:
                ok = store.verify_facilitator(code, phrase, address=address(), device=device)
                if ok:
                    signed_in_here(normalise_code(code))
            except StoreUnavailable:
                say_here("error", _(DOWN))
                return
            except ValueError as err:  # too many tries
                say_here("error", say(err))
                return
            if ok:
                st.rerun()
            say_here("error", _("That code and passphrase don't match a workshop."))
    with new_tab, st.form("facilitator.create"):
        title = st.text_input(_("Workshop title"), placeholder=_("e.g. Leeds library, 3 March"))
        phrase = st.text_input(_("Choose a passphrase (at least 12 characters)"),
                               type="password")
        again = st.text_input(_("Type it again"), type="password")
        series = st.text_input(
            _("Part of a series? Its name (optional)"),
            help=_("Workshops with the same series name form one dialogue: people can come "
                   "back with their return code, and the report follows their views across "
                   "the workshops. Later workshops of a series need the same passphrase."))
        mode = st.radio(_("Where"), ["in_person", "online"], horizontal=True,
                        format_func=lambda m: _("In person") if m == "in_person"
                        else _("Online"))
        st.caption(_("Write the passphrase down: you need it to see and export this "
                     "workshop's answers. You also get a recovery code, once, to set a new "
                     "passphrase if you forget it."))
        if st.form_submit_button(_("Start the workshop"), type="primary"):
            if phrase != again:
                st.error(_("The two passphrases are different."))
                return
            try:
                w = store.create_workshop(title, phrase, series=series.strip() or None,
                                          mode=mode, address=address(), device=device)
            except StoreUnavailable:
                st.error(_(DOWN))
                return
            except ValueError as err:
                st.error(say(err))
                return
            st.session_state[RECOVERY_KEY] = (w.code, w.recovery_code)
            st.rerun()
    with forgot_tab, st.form("facilitator.recover"):
        code = st.text_input(_("Workshop code"), key="recover.code")
        recovery = st.text_input(_("Recovery code (shown once, when the workshop was "
                                   "started)"), key="recover.recovery")
        phrase = st.text_input(_("New passphrase (at least 12 characters)"), type="password",
                               key="recover.phrase")
        again = st.text_input(_("Type the new passphrase again"), type="password",
                              key="recover.again")
        if st.form_submit_button(_("Set the new passphrase"), type="primary"):
            if phrase != again:
                st.error(_("The two passphrases are different."))
                return
            try:
                fresh = store.reset_passphrase(code, recovery, phrase, address=address(),
                                               device=device)
            except StoreUnavailable:
                st.error(_(DOWN))
                return
            except ValueError as err:
                st.error(say(err))
                return
            st.session_state[RECOVERY_KEY] = (normalise_code(code), fresh)
            st.rerun()


def recovery_notice() -> bool:
    """The recovery code of a workshop just started (or just given a new passphrase),
    shown this once until the facilitator says it is written down; True while shown."""
    pending = st.session_state.get(RECOVERY_KEY)
    if not pending:
        return False
    code, recovery = pending
    st.success(_("Workshop {code} is ready.").format(code=code))
    st.warning(_("**Write this recovery code down now**, and keep it apart from the laptop. "
                 "It is shown only this once. If you forget the passphrase, it lets you set "
                 "a new one (“Forgot the passphrase?” on this page)."), icon="✍️")
    st.code(grouped(recovery), language=None)
    if st.button(_("I have written it down: open the workshop"), type="primary"):
        st.session_state.pop(RECOVERY_KEY, None)
        signed_in_here(code)
        st.rerun()
    return True


def screen_link(code: str, passphrase_hash: str) -> str:
    return _projector_link(SCREEN, code, passphrase_hash)


def _projector_link(page: str, code: str, passphrase_hash: str, **more: str) -> str:
    query = {**more, "code": code, "key": screen_key(code, passphrase_hash)}
    if lang() != "en":
        query["lang"] = lang()
    return f"/{page.split('/')[-1].removesuffix('.py')}?{urlencode(query)}"


def present_link(code: str, passphrase_hash: str, page: str) -> str:
    """A use-case page in presenter mode for the projector, following this room."""
    return _projector_link(page, code, passphrase_hash, present="1")


STAGE_KEY, LOCK_KEY = "facilitator.stage", "facilitator.locked"
#: The stages as the Console's buttons name them: never the names of the menu's pages,
#: so a facilitator moving the room does not leave the Console by mistake.
STAGE_BUTTONS = {
    "first_views": N_("Stage 1: welcome and first views"),
    "use_cases": N_("Stage 2: try the uses of AI"),
    "panel": N_("Stage 3: the ethics panel"),
    "questions": N_("Stage 4: the open questions"),
    "advice": N_("Stage 5: advice and final views"),
}


def lead(code: str) -> None:
    """Move the room through the dialogue's stages and put everyone on one picture."""
    store = get_store()
    room = store.room(code)
    st.subheader(_("Lead the room"))
    # The controls show the room as the database has it (another device may have moved
    # it), and write only when this facilitator changes them: a Console left open
    # elsewhere never puts the room back.
    state = st.session_state
    state[STAGE_KEY], state[LOCK_KEY] = room["stage"], bool(room.get("locked"))
    st.segmented_control(
        _("Where the room is now (shown on every phone and on the Screen)"),
        list(STAGE_BUTTONS), format_func=lambda s: _(STAGE_BUTTONS[s]), key=STAGE_KEY,
        on_change=lambda: state[STAGE_KEY] and store.set_stage(code, state[STAGE_KEY]))
    timer, lock = st.columns(2)
    with timer:
        minutes = st.number_input(_("Timer for this stage (minutes)"), 1, 120, 10,
                                  key="facilitator.minutes")
        a, b = st.columns(2)
        if a.button(_("Start the timer"), key="facilitator.timer"):
            store.set_timer(code, int(minutes) * 60)
            st.rerun()
        if b.button(_("Clear the timer"), key="facilitator.no_timer",
                    disabled=room.get("timer_ends_at") is None):
            store.set_timer(code, None)
            st.rerun()
    with lock:
        st.toggle(_("Pause answers"), key=LOCK_KEY,
                  on_change=lambda: store.lock(code, bool(state[LOCK_KEY])),
                  help=_("While paused, phones keep what people write and send it "
                         "once answers open again."))
    scenarios(code, room)


def scenarios(code: str, room: dict) -> None:
    store = get_store()
    st.markdown(_("**Scenarios.** Pick one and put every phone on it. Participants get a "
                  "button to jump to your view, and can go back to their own settings."))
    cases = [u for u in registry.USE_CASES.values() if u.presets()]
    hashed = store.workshop(code).passphrase_hash
    for tab, use_case in zip(st.tabs([f"{u.icon} {_(u.title)}" for u in cases]), cases,
                             strict=True):
        with tab:
            presets = {p.key: p for p in use_case.presets()}
            current = room["preset_key"] if room["use_case"] == use_case.name else None
            keys = list(presets)
            chosen = st.radio(_("Scenario"), keys, key=f"facilitator.preset.{use_case.name}",
                              index=keys.index(current) if current in keys else 0,
                              format_func=lambda k, ps=presets: _(ps[k].title))
            st.info(_(presets[chosen].script), icon="🗣️")
            live = current == chosen
            c1, c2 = st.columns(2)
            if c1.button(_("Everyone is on this ✓") if live else _("Put everyone on this"),
                         key=f"facilitator.apply.{use_case.name}", type="primary",
                         disabled=live):
                store.set_preset(code, use_case.name, chosen,
                                 presets[chosen].config.to_dict())
                st.rerun()
            c2.link_button(_("Open it large, to present it"), present_link(
                code, hashed, use_case.page), icon="📺", help=_(
                "Opens in a new tab, in large type, on the scenario the room is on; it "
                "follows the room when you change it."))
            decide_switch(code, use_case.name)
    if room["use_case"] and st.button(_("Stop leading: let everyone explore freely")):
        store.set_preset(code, None, None, None)
        st.rerun()


def decide_switch(code: str, use_case: str) -> None:
    """Whether people decide cases themselves before seeing this use of AI (skip it to
    save time in a short workshop)."""
    store = get_store()
    switches = store.decide_first(code)
    if use_case not in switches:
        return
    key = f"facilitator.decide.{use_case}"
    st.session_state[key] = switches[use_case]
    st.toggle(_("Decide first: each person decides 8 cases before seeing the AI"), key=key,
              on_change=lambda: store.set_decide_first(code, use_case,
                                                       bool(st.session_state[key])),
              help=_("About 2 minutes. The Screen and the report then show the room's "
                     "decisions against the AI's on the same cases. Switch it off for a "
                     "short workshop."))


def _moderate(kind: str, code: str, item_id: int, status: str) -> None:
    store = get_store()
    if kind == "comment":
        store.moderate(code, item_id, status)
    elif kind == "condition":
        store.moderate_condition(code, item_id, status)
    else:
        store.moderate_advice(code, item_id, status)


def _delete(kind: str, code: str, item_id: int) -> None:
    store = get_store()
    try:
        if kind == "comment":
            store.delete_comment(code, item_id)
        elif kind == "condition":
            store.delete_condition(code, item_id)
        else:
            store.delete_advice(code, item_id)
    except ValueError as err:  # deleted already, from another Console
        st.toast(say(err))


def _merge(code: str, keep: str, others: list[str]) -> None:
    try:
        get_store().merge_participants(code, keep, others)
    except ValueError as err:  # someone merged or deleted them already
        st.toast(say(err))


def delete_button(where: DeltaGenerator, kind: str, code: str, item_id: int) -> None:
    """Delete, after a second press: the words leave the database for good."""
    with where.popover(_("Delete"), width="stretch"):
        st.caption(_("This removes the words from the workshop for good (the answer they "
                     "came with stays). It can't be undone."))
        st.button(_("Delete for good"), key=f"delete.{kind}.{item_id}", type="primary",
                  on_click=_delete, args=(kind, code, item_id))


def duplicates(code: str) -> None:
    """People who joined from one network address, to merge if they are one person."""
    groups = get_store().suspected_duplicates(code)
    if not groups:
        return
    with st.expander(_("Possibly the same person, joining more than once ({n})").format(
            n=len(groups))):
        st.caption(_("Each line joined from one network address: one person joining again "
                     "and again, a shared phone, or a venue where every phone shares one "
                     "address. Merge only the people you believe are one: their answers and "
                     "votes become one voice (their latest answer counts)."))
        for group in groups:
            keep, others = group[0]["participant_id"], [p["participant_id"] for p in group[1:]]
            t, b = st.columns([4, 2])
            t.text(" · ".join(ngettext("{name} ({n} answer)", "{name} ({n} answers)",
                                       p["answers"]).format(name=p["participant"],
                                                            n=p["answers"])
                              for p in group))
            b.button(_("Merge into one voice"), key=f"merge.{keep}", on_click=_merge,
                     args=(code, keep, others))


def moderation(code: str) -> None:
    """New comments and advice wait here; only approved ones reach the Screen."""
    store = get_store()
    comments = store.comments(code)
    advice = store.advice(code)
    verdicts = store.panel_results(code)
    conditions = verdicts[verdicts["own_condition"] != ""]
    tags = theme_tags.tagged(code)
    waiting = comments[comments["status"] == "pending"]
    advice_waiting = advice[advice["status"] == "pending"]
    conditions_waiting = conditions[conditions["status"] == "pending"]
    n_waiting = len(waiting) + len(advice_waiting) + len(conditions_waiting)
    st.subheader(_("To read before the room sees it") + f" ({n_waiting})")
    st.caption(_("Shown exactly as typed, as plain text. Approve what may go on the Screen "
                 "(and, for advice, to the other phones); hide the rest. Hidden text stays "
                 "out of the export too."))
    if waiting.empty and advice_waiting.empty and conditions_waiting.empty:
        st.write(_("Nothing waiting."))
    for kind, rows, id_col, text_col in (("comment", waiting, "reaction_id", "comment"),
                                         ("advice", advice_waiting, "advice_id", "text"),
                                         ("condition", conditions_waiting, "verdict_id",
                                          "own_condition")):
        for row in rows.itertuples():
            item_id = int(getattr(row, id_col))
            with st.container(border=True):
                where = (_(registry.get(row.use_case).title) if kind != "advice"
                         and row.use_case in registry.USE_CASES else
                         _(ADVICE_THEMES.get(getattr(row, "theme", ""), "")) or _("First views"))
                label = {"comment": _("Comment"), "advice": _("Advice"),
                         "condition": _("A condition for the ethics panel")}[kind]
                st.caption(f"{label} · {where}")
                st.text(getattr(row, text_col))
                theme_tags.tag_editor(code, kind, item_id, tags)
                a, b, c = st.columns(3)
                a.button(_("Approve"), key=f"ok.{kind}.{item_id}", type="primary",
                         on_click=_moderate, args=(kind, code, item_id, "approved"))
                b.button(_("Hide"), key=f"hide.{kind}.{item_id}",
                         on_click=_moderate, args=(kind, code, item_id, "hidden"))
                delete_button(c, kind, code, item_id)
    with st.expander(_("Approved and hidden")):
        for kind, rows, id_col, text_col in (("comment", comments, "reaction_id", "comment"),
                                             ("advice", advice, "advice_id", "text"),
                                             ("condition", conditions, "verdict_id",
                                              "own_condition")):
            for row in rows[rows["status"] != "pending"].itertuples():
                item_id = int(getattr(row, id_col))
                flip = "hidden" if row.status == "approved" else "approved"
                t, b, c = st.columns([4, 1, 1])
                status = _(STATUS_NAMES.get(row.status, row.status))
                t.text(f"[{status}] {getattr(row, text_col)}")
                b.button(_("Hide") if flip == "hidden" else _("Approve"),
                         key=f"flip.{kind}.{item_id}", on_click=_moderate,
                         args=(kind, code, item_id, flip))
                delete_button(c, kind, code, item_id)
                if row.status == "approved":
                    theme_tags.tag_editor(code, kind, item_id, tags)
    theme_tags.how_themes_are_found()
    duplicates(code)


def live(code: str) -> None:
    """Answers as they arrive: how many, and how people's views moved."""
    store = get_store()
    counts = store.counts(code)
    a, b = st.columns(2)
    a.metric(_("People joined"), counts["participants"])
    b.metric(_("Answers"), counts["reactions"])
    reactions = store.reactions(code)
    if reactions.empty:
        st.info(_("No answers yet. They appear here as participants send them."))
        return
    summary = analysis.shift_summary(reactions)
    if not summary.empty:
        names = {u.name: _(u.title) for u in registry.USE_CASES.values()}
        table = pd.DataFrame({
            _("Use of AI"): summary["use_case"].map(lambda u: names.get(u, u)),
            _("More comfortable"): summary["more comfortable"],
            _("No change"): summary["no change"],
            _("Less comfortable"): summary["less comfortable"],
        })
        st.caption(_("People who answered both before and after trying each use of AI "
                     "(their latest answers):"))
        st.dataframe(table, hide_index=True)
    counts = analysis.comfort_counts(reactions)
    if not counts.empty:
        per_stage = counts.groupby("stage", observed=True)["reactions"].sum()
        st.caption(" · ".join(
            f"{_(ANSWER_STAGES[s])}: {int(n)}" for s, n in per_stage.items() if n))
    themes = analysis.theme_counts(reactions)
    if not themes.empty:
        st.caption(_("Most picked: ") + ", ".join(
            f"{_(THEMES.get(t, t))} ({n})" for t, n in themes.head(4).items()))


def downloads(code: str) -> None:
    """The workshop's files, made from the database as it is when the facilitator asks
    (deleted words are not in them), held by this Console's session (ui/downloads.py)."""
    store = get_store()
    offer("console", [
        File(_("Download answers (CSV)"), lambda: export.reactions_csv(store, code),
             f"workshop-{code}.csv", "text/csv", "download.answers"),
        File(_("Download advice (CSV)"), lambda: export.advice_csv(store, code),
             f"workshop-{code}-advice.csv", "text/csv", "download.advice"),
        File(_("Download everything (JSON)"), lambda: export.workshop_json(store, code),
             f"workshop-{code}.json", "application/json", "download.json"),
        File(_("Download the ethics panel's advice (CSV)"),
             lambda: export.panel_csv(store, code), f"workshop-{code}-panel.csv",
             "text/csv", "download.panel"),
        File(_("Download the decisions people made themselves (CSV)"),
             lambda: export.decisions_csv(store, code), f"workshop-{code}-decisions.csv",
             "text/csv", "download.decisions",
             help=_("Each person's latest decision on each case they decided "
                    "before seeing the AI, beside the truth and the AI's decision, "
                    "with the draw of cases and the seconds it took.")),
    ], _("Make the files to download"), revision=(code, store.revision(code)),
        settings=code)
    n = store.counts(code)["reactions"]
    st.caption(ngettext(
        "Each row is one answer with the settings and numbers the person was looking at "
        "({n} answer so far). Nicknames are made up; hidden comments are left out.",
        "Each row is one answer with the settings and numbers the person was looking at "
        "({n} answers so far). Nicknames are made up; hidden comments are left out.",
        n).format(n=n))


def manage(code: str) -> None:
    store = get_store()
    st.subheader(_("Close or delete"))
    w = store.workshop(code)
    if w.is_open:
        if st.button(_("Close the workshop to new answers")):
            store.close_workshop(code)
            st.rerun()
    else:
        st.info(_("This workshop is closed: nobody can join or answer. The Screen shows the "
                  "results."))
        if st.button(_("Open it again")):
            store.reopen_workshop(code)
            st.rerun()
    with st.expander(_("Delete this workshop's data")):
        st.write(_("This removes every answer and participant of this workshop for good."))
        confirm = st.text_input(_("Type {code} to confirm").format(code=code),
                                key="facilitator.confirm_delete")
        if st.button(_("Delete everything"), disabled=normalise_code(confirm) != code):
            store.delete_workshop(code)
            for made in (report_panel.report_pdf, report_panel.people_files,
                         report_panel.series_files):
                made.clear()  # no copy of its words kept in this process
            sign_out()
            st.rerun()
