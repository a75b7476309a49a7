"""Facilitator: open a workshop, show the join code, watch reactions live, export."""

from __future__ import annotations

import io

import altair as alt
import segno
import streamlit as st

from simulators import registry
from ui.charts import draw
from ui.navigation import through_app, use_cases
from ui.store import get_store
from ui.wording import GROUP_COLOURS
from workshop import analysis
from workshop.network import public_base_url, public_port, with_code
from workshop.store import StoreUnavailable, WorkshopNotFound, normalise_code
from workshop.vocabulary import ADVICE_THEMES, COMFORT, DIALOGUE_STAGES, STAGES, THEMES

through_app()

KEY = "facilitator.code"
TEXT = {
    "title": "Facilitator",
    "intro": "Start a workshop, put the join code on the projector, and watch the room's "
    "answers arrive. Only someone with the workshop's passphrase can see this page's data.",
    "open_tab": "Open my workshop",
    "new_tab": "Start a new workshop",
    "bad_login": "That code and passphrase don't match a workshop.",
    "down": "The workshop database can't be reached. Check the laptop, then try again.",
    "live": "Answers so far (refreshes every few seconds)",
    "no_answers": "No answers yet. They appear here as participants send them.",
    "comments": "Comments, newest first",
    "comments_note": "Shown exactly as typed, as plain text. Hide anything that should not "
    "be on the projector: it stays out of the export too.",
}
USE_CASE_NAMES = {
    "call_triage": "101 calls",
    "evidence": "Evidence summaries",
    "hotspots": "Crime hotspots",
    "reoffending": "Reoffending risk",
}

store = get_store()
st.title(TEXT["title"])


def sign_in() -> None:
    st.write(TEXT["intro"])
    open_tab, new_tab = st.tabs([TEXT["open_tab"], TEXT["new_tab"]])
    with open_tab, st.form("facilitator.login"):
        code = st.text_input("Workshop code")
        phrase = st.text_input("Passphrase", type="password")
        if st.form_submit_button("Open", type="primary"):
            try:
                ok = store.verify_facilitator(code, phrase)
            except StoreUnavailable:
                st.error(TEXT["down"])
                return
            if ok:
                st.session_state[KEY] = normalise_code(code)
                st.rerun()
            st.error(TEXT["bad_login"])
    with new_tab, st.form("facilitator.create"):
        title = st.text_input("Workshop title", placeholder="e.g. Leeds library, 3 March")
        phrase = st.text_input("Choose a passphrase (at least 8 characters)", type="password")
        again = st.text_input("Type it again", type="password")
        st.caption("Write the passphrase down: it can't be recovered, and you need it to "
                   "see and export this workshop's answers.")
        if st.form_submit_button("Start the workshop", type="primary"):
            if phrase != again:
                st.error("The two passphrases are different.")
                return
            try:
                w = store.create_workshop(title, phrase)
            except ValueError as err:
                st.error(str(err))
                return
            except StoreUnavailable:
                st.error(TEXT["down"])
                return
            st.session_state[KEY] = w.code
            st.rerun()


def join_panel(code: str) -> None:
    base = public_base_url(st.context.url, public_port(st.get_option("server.port")))
    link = with_code(base, code)
    qr = io.BytesIO()
    segno.make(link, error="m").save(qr, kind="png", scale=8, border=2)
    left, right = st.columns([1, 2])
    left.image(qr.getvalue(), caption="Scan to join", width=220)
    with right:
        st.markdown("**Join code**")
        st.markdown(f"# `{code}`")
        st.markdown("**or open**")
        st.code(link, language=None)
        st.caption("Phones must be on the same network as this laptop.")


def downloads(code: str) -> None:
    """The exports, remade with the live view, so they hold every answer shown."""
    try:
        files = store.export_csv(code), store.export_advice_csv(code), store.export_json(code)
    except StoreUnavailable:
        return
    c1, c2, c3 = st.columns(3)
    c1.download_button("Download answers (CSV)", files[0],
                       file_name=f"workshop-{code}.csv", mime="text/csv")
    c2.download_button("Download advice (CSV)", files[1],
                       file_name=f"workshop-{code}-advice.csv", mime="text/csv")
    c3.download_button("Download everything (JSON)", files[2],
                       file_name=f"workshop-{code}.json", mime="application/json")
    st.caption("Each row is one answer with the settings and numbers the person was "
               "looking at. Nicknames are made up; hidden comments are left out.")


@st.fragment(run_every="3s")
def live_view(code: str) -> None:
    try:
        df = store.reactions(code)
        counts = store.counts(code)
    except StoreUnavailable:
        st.warning(TEXT["down"])
        return
    st.subheader(TEXT["live"])
    a, b = st.columns(2)
    a.metric("People joined", counts["participants"])
    b.metric("Answers", counts["reactions"])
    downloads(code)
    if df.empty:
        st.info(TEXT["no_answers"])
        return
    table = analysis.comfort_counts(df)
    table["use case"] = table["use_case"].map(lambda u: USE_CASE_NAMES.get(u, u))
    table["when"] = table["stage"].map(STAGES)
    chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("comfort:O", scale=alt.Scale(domain=list(COMFORT)),
                    title="1 = very uncomfortable … 5 = very comfortable",
                    axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("when:N", sort=list(STAGES.values())),
            y=alt.Y("reactions:Q", title="answers", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "when:N",
                title=None,
                scale=alt.Scale(domain=list(STAGES.values()),
                                range=[GROUP_COLOURS["A"], GROUP_COLOURS["B"], "#009E73"]),
                legend=alt.Legend(orient="top", labelLimit=0),
            ),
            column=alt.Column("use case:N", title=None),
            tooltip=["use case", "when", "label", "reactions"],
        )
        .properties(width=260, height=200)
    )
    draw(chart, width="content",
         alt_text="How comfortable people are with each use of AI, before and after trying it")
    summary = analysis.shift_summary(df)
    if summary.empty:
        st.caption("How comfortable people are, before and after trying each use. "
                   "Shifts appear once people have answered both times.")
    else:
        summary["use_case"] = summary["use_case"].map(lambda u: USE_CASE_NAMES.get(u, u))
        moved = int(summary["more comfortable"].sum() + summary["less comfortable"].sum())
        st.caption(
            f"How comfortable people are, before and after. {moved} of "
            f"{int(summary[['more comfortable', 'no change', 'less comfortable']].sum().sum())} "
            "people who answered both times changed their view."
        )
        st.dataframe(summary.rename(columns={"use_case": "use case"}), hide_index=True)
    themes = analysis.theme_counts(df)
    if not themes.empty:
        st.caption("Most picked: " + ", ".join(
            f"{THEMES.get(t, t)} ({n})" for t, n in themes.head(4).items()))
    comment_stream(code, df)


def comment_stream(code: str, df) -> None:
    st.subheader(TEXT["comments"])
    st.caption(TEXT["comments_note"])
    rows = df[df["comment"].fillna("") != ""].sort_values("reaction_id", ascending=False)
    if rows.empty:
        st.write("No comments yet.")
    for row in rows.head(50).itertuples():
        with st.container(border=True):
            where = USE_CASE_NAMES.get(row.use_case, row.use_case)
            st.caption(f"{row.participant} · {where} · {STAGES.get(row.stage, row.stage)} · "
                       f"comfort {row.comfort}")
            if row.hidden:
                st.caption("(hidden)")
            else:
                st.text(row.comment)
            label = "Show again" if row.hidden else "Hide"
            if st.button(label, key=f"hide.{row.reaction_id}"):
                store.hide_reaction(code, row.reaction_id, hidden=not row.hidden)
                st.rerun(scope="fragment")


def lead(code: str) -> None:
    """Move the room through the dialogue's stages and put everyone on one picture."""
    st.subheader("Lead the room")
    room = store.room(code)
    stages = list(DIALOGUE_STAGES)
    stage = st.segmented_control(
        "Where the room is now (shown on every participant's screen)",
        stages, format_func=DIALOGUE_STAGES.get, default=room["stage"],
        key="facilitator.stage",
    )
    if stage and stage != room["stage"]:
        store.set_stage(code, stage)
        st.rerun()
    pages = [p for p in use_cases() if p.use_case and registry.presets(p.use_case)]
    if not pages:
        return
    st.markdown("**Scenarios.** Pick one and put every screen on it. Participants get a "
                "button to jump to your view, and can go back to their own settings.")
    tabs = st.tabs([f"{p.icon} {p.title}" for p in pages])
    for tab, page in zip(tabs, pages, strict=True):
        with tab:
            presets = registry.presets(page.use_case)
            keys = [p.key for p in presets]
            current = room["preset_key"] if room["use_case"] == page.use_case else None
            chosen = st.radio(
                "Scenario", keys, key=f"facilitator.preset.{page.use_case}",
                index=keys.index(current) if current in keys else 0,
                format_func=lambda k, ps=presets: next(p.title for p in ps if p.key == k),
            )
            preset = next(p for p in presets if p.key == chosen)
            with st.container(border=True):
                st.markdown("**What to say**")
                st.write(preset.script)
            live = current == preset.key
            c1, c2 = st.columns(2)
            if c1.button("Put everyone on this" if not live else "Everyone is on this ✓",
                         key=f"facilitator.apply.{page.use_case}", type="primary",
                         disabled=live):
                store.set_preset(code, page.use_case, preset.key, preset.config.to_dict())
                st.rerun()
            c2.page_link(page.path, label=f"Open {page.title} to present it", icon="📺")
    if room["use_case"]:
        if st.button("Stop leading: let everyone explore freely"):
            store.set_preset(code, None, None, None)
            st.rerun()


@st.fragment(run_every="5s")
def advice_view(code: str) -> None:
    try:
        items = store.advice(code)
    except StoreUnavailable:
        return
    if items.empty:
        return
    st.subheader("The room's advice, most agreed first")
    ranked = analysis.rank_advice(items)
    divided = ranked[ranked["divided"]]
    st.caption(f"{len(ranked)} pieces of advice. Agreement = share of votes that agree. "
               + (f"{len(divided)} split the room (marked ⚖️)." if len(divided) else
                  "None splits the room so far."))
    table = ranked.assign(
        theme=ranked["theme"].map(ADVICE_THEMES),
        split=ranked["divided"].map({True: "⚖️", False: ""}),
    )[["text", "theme", "agree", "disagree", "pass", "agreement", "split", "advice_id"]]
    st.dataframe(table.drop(columns=["advice_id"]), hide_index=True,
                 column_config={"agreement": st.column_config.ProgressColumn(
                     "agreement", min_value=0.0, max_value=1.0, format="percent")})
    with st.expander("Hide a piece of advice"):
        for row in ranked.itertuples():
            text_col, button_col = st.columns([5, 1])
            text_col.text(row.text)
            if button_col.button("Hide", key=f"advice.hide.{row.advice_id}"):
                store.hide_advice(code, row.advice_id)
                st.rerun(scope="fragment")


def manage(code: str) -> None:
    st.subheader("Close or delete")
    w = store.workshop(code)
    if w.is_open:
        if st.button("Close the workshop to new answers"):
            store.close_workshop(code)
            st.rerun()
    else:
        st.info("This workshop is closed: nobody can join or answer.")
        if st.button("Open it again"):
            store.reopen_workshop(code)
            st.rerun()
    with st.expander("Delete this workshop's data"):
        st.write("This removes every answer and participant of this workshop for good.")
        confirm = st.text_input(f"Type {code} to confirm", key="facilitator.confirm_delete")
        if st.button("Delete everything", disabled=normalise_code(confirm) != code):
            store.delete_workshop(code)
            st.session_state.pop(KEY, None)
            st.rerun()
    if st.button("Sign out"):
        st.session_state.pop(KEY, None)
        st.rerun()


code = st.session_state.get(KEY)
if not code:
    sign_in()
else:
    try:
        workshop = store.workshop(code)
    except WorkshopNotFound:
        st.session_state.pop(KEY, None)
        st.rerun()
    except StoreUnavailable:
        st.error(TEXT["down"])
        st.stop()
    st.text(f"Workshop: {workshop.title}")
    join_panel(code)
    lead(code)
    live_view(code)
    advice_view(code)
    manage(code)
