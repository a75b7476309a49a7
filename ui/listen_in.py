"""101 calls: "Listen in", one call as the AI heard it, and the words that give a
caller's group away. Words and pictures only: the numbers come from
``simulators.listen_in``."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from simulators.call_triage import TriageConfig, TriageOutcome
from simulators.call_words import proxy_push
from simulators.chance import Bands
from simulators.listen_in import MAX_TYPED_CHARS, Heard, example_calls, listen_in
from simulators.messages import N_
from ui.call_triage import KEY
from ui.call_triage_claims import proxy_claims
from ui.charts import TABLE, draw, spec_for, template
from ui.derived import derived
from ui.figures import EXTRA_COLOURS, GROUP_COLOURS, per_100
from ui.i18n import _, lang, num
from workshop.i18n import translator

MODE_KEY, CALL_KEY = f"{KEY}.listen_mode", f"{KEY}.listen_call"
TEXT_KEY, GROUP_KEY, ASR_KEY = f"{KEY}.listen_text", f"{KEY}.listen_group", f"{KEY}.listen_asr"

#: The kinds of call (keys as in data/call_templates.json) and where one that can
#: wait is sent.
KINDS = {
    "noise_asb": (N_("Noise or antisocial behaviour"), N_("advice and a log for the local team")),
    "lost_property": (N_("Lost property"), N_("advice on lost property")),
    "fraud_scam": (N_("Fraud or scam"), N_("Report Fraud, the national fraud reporting centre")),
    "suspicious_person": (N_("Someone acting suspiciously"), N_("advice and a note for patrols")),
    "road_vehicle": (N_("Road or vehicle"), N_("advice and the online road report")),
    "neighbour_dispute": (N_("Neighbour dispute"), N_("the council's mediation service")),
    "welfare_concern": (N_("Worried about someone"), N_("advice and a welfare check booked")),
    "domestic_abuse": (N_("Domestic abuse"),
                       N_("a specialist domestic abuse service and a booked call-back")),
    "hate_incident": (N_("Hate incident"),
                      N_("advice, a recorded hate incident and victim support")),
    "mental_health": (N_("Mental health crisis"), N_("the NHS mental health line, 111 option 2")),
    "council_matter": (N_("A council matter"), N_("the local council")),
    "missing_person": (N_("Missing person"), N_("advice and a missing person report")),
    "theft_burglary": (N_("Theft or break-in"), N_("a crime number and advice")),
    "online_harassment": (N_("Online harassment"),
                          N_("advice on keeping evidence and a report")),
}
DECISIONS = {
    "fast_track": N_("🚨 Fast-track to a person now"),
    "advise": N_("💬 Give advice or take a report"),
    "signpost": N_("➡️ Send to another organisation"),
}
NOTES = {
    "empty": N_("There are no words to listen to yet. Type what a caller might say."),
    "cut_short": N_("That was long, so the AI read only the first {n} characters, as a real "
                    "call would be cut off."),
    "unknown": N_("The AI knows none of these words, so it cannot tell what the call is "
                  "about: it learned only from English calls about the kinds of trouble in "
                  "this town. A well-built system would pass such a call to a person."),
    "all_lost": N_("Every word the AI knows was lost on the line, so it has nothing to go "
                   "on. A well-built system would pass such a call to a person."),
    "few_known": N_("The AI knows only {known} of these {total} words; it ignores the "
                    "others."),
}
MODES = {"pick": N_("A call from the town"), "type": N_("A call I type")}
CALLERS = {"A": N_("Someone from group A"), "B": N_("Someone from group B")}
TYPED_DEFAULT = "Hello, there's a man outside shouting and I think he's got a knife."
TOWARDS, AWAY = EXTRA_COLOURS[1], EXTRA_COLOURS[0]
PUSH_AXIS = N_("← can wait · fast-track →")


def kind_name(key: str) -> str:
    return _(KINDS[key][0]) if key in KINDS else key


def call_label(outcome: TriageOutcome, row: int) -> str:
    call = outcome.calls.iloc[row]
    label = _("Call {n}: {kind}, group {group}").format(
        n=row + 1, kind=kind_name(call["kind"]), group=call["group"])
    marks = ("🎲" if call["coin_toss"] else "") + ("👤" if call["reviewed"] else "")
    return f"{label} {marks}".strip()


def _drivers_bars(names: tuple[str, str], axis: str) -> alt.Chart:
    return alt.Chart(TABLE).mark_bar().encode(
        y=alt.Y("word:N", sort=None, title=None, axis=alt.Axis(labelLimit=160)),
        x=alt.X("push:Q", title=axis),
        color=alt.Color("direction:N", title=None, legend=alt.Legend(
                            orient="top", direction="vertical", labelLimit=0),
                        scale=alt.Scale(domain=list(names), range=[TOWARDS, AWAY])),
        tooltip=["word:N", alt.Tooltip("push:Q", format=".2f")],
    ).properties(height=alt.Step(24))


def drivers_chart(drivers: list[tuple[str, float]]) -> tuple[pd.DataFrame, dict]:
    names = (_("towards fast-track"), _("towards 'can wait'"))
    data = pd.DataFrame(drivers, columns=["word", "push"])
    data["direction"] = [names[0] if p > 0 else names[1] for p in data["push"]]
    return data, template(_drivers_bars, names, _(PUSH_AXIS))


def _pick(outcome: TriageOutcome) -> tuple[Heard, tuple | None]:
    rows = derived(outcome, "example calls", lambda: example_calls(outcome))
    if st.session_state.get(CALL_KEY) not in rows:
        st.session_state[CALL_KEY] = rows[0]
    call = int(st.selectbox(_("Pick a call"), rows, key=CALL_KEY,
                            format_func=lambda r: call_label(outcome, r)))
    calls = outcome.calls.iloc[rows]
    if calls["coin_toss"].any() and calls["reviewed"].any():
        st.caption(_("🎲 the fix decided it by a coin toss · 👤 a person checked it"))
    elif calls["coin_toss"].any():
        st.caption(_("🎲 the fix decided it by a coin toss"))
    elif calls["reviewed"].any():
        st.caption(_("👤 a person checked it"))
    return derived(outcome, ("heard", call), lambda: listen_in(outcome, call=call)), (
        "drivers", call)


def _typed(outcome: TriageOutcome) -> Heard:
    text = st.text_area(_("Type what a caller might say"), value=TYPED_DEFAULT, key=TEXT_KEY,
                        max_chars=MAX_TYPED_CHARS, height=100, placeholder=_(
                            "For example: My neighbour's shouting and I think he's got a "
                            "knife."))
    c1, c2 = st.columns(2)
    group = c1.radio(_("Who is calling?"), list(CALLERS), format_func=lambda g: _(CALLERS[g]),
                     key=GROUP_KEY, horizontal=True, help=_(
                         "Group B's words go through speech-to-text that may get more of "
                         "them wrong."))
    asr = c2.toggle(_("Send it through speech-to-text"), value=True, key=ASR_KEY,
                    help=_("Off: the AI reads exactly what you typed, as if nothing was "
                           "misheard."))
    return listen_in(outcome, text=text, group=group or "A", through_speech_to_text=asr)


def _note(code: str, values: dict) -> str:
    values = {k: num(v) for k, v in values.items()}
    return _(NOTES[code]).format(**values)


def listen(config: TriageConfig, outcome: TriageOutcome) -> None:
    """Pick a call or type one; see it as the AI heard it, and what it decided."""
    st.write(_("Pick a call, or type one yourself, and see the words as the AI heard "
               "them and what it decided."))
    if config.decided_by == "people":
        st.info(_("Call handlers decide every call in this world, without AI: here you "
                  "can see what the AI would have done."))
    mode = st.segmented_control(_("What do you want to hear?"), list(MODES),
                                format_func=lambda m: _(MODES[m]), key=MODE_KEY,
                                default="pick") or "pick"
    heard, drivers_key = _pick(outcome) if mode == "pick" else (_typed(outcome), None)
    for code, values in heard.notes:
        st.info(_note(code, values), icon="ℹ️")
    if not heard.words:
        return
    left, right = st.columns(2)
    left.markdown("**" + _("What the caller said") + "**")
    left.text(heard.said)  # participant text: never Markdown
    right.markdown("**" + _("What the AI heard") + "**")
    right.code(heard.heard, language=None, wrap_lines=True)
    statuses = [s for *_w, s in heard.words]
    right.caption(_("Words in [brackets] were misheard; […] marks a word that was lost. "
                    "Here: {wrong} misheard and {lost} lost, out of {total} words.").format(
        wrong=statuses.count("misheard"), lost=statuses.count("lost"), total=len(statuses)))
    if not heard.decision:
        return
    st.caption(_("The AI's decision"))
    st.subheader(_(DECISIONS[heard.decision]))
    st.caption(_("Its urgency score: {n} in 100. For a caller from group {group} it "
                 "fast-tracks from {t} in 100 up.").format(
        n=per_100(heard.urgency), group=heard.group, t=per_100(heard.cutoff)))
    if heard.coin_toss:
        st.info(_coin_text(heard.chance))
    _verdict(config, heard)
    _drivers(outcome, heard, drivers_key)


def _coin_text(chance: float) -> str:
    n = per_100(chance)
    if n == 0:
        return _("🎲 The fix decided this call by a weighted coin: it had less than a 1 in 100 "
                 "chance of being fast-tracked.")
    if n == 100:
        return _("🎲 The fix decided this call by a weighted coin: it had more than a 99 in "
                 "100 chance of being fast-tracked.")
    return _("🎲 The fix decided this call by a weighted coin: it had a {n} in 100 chance "
             "of being fast-tracked.").format(n=n)


def _verdict(config: TriageConfig, heard: Heard) -> None:
    if heard.true_need is None:
        st.caption(_("Nobody knows what your call truly needed: it is made up by you. Do "
                     "you agree with the AI?"))
        if heard.reviewed and config.decided_by == "ai":
            st.info(_("👤 With these settings, a person would double-check a call like "
                      "this."))
        return
    need = _(DECISIONS[heard.true_need])
    if (heard.true_need == "fast_track") == (heard.decision == "fast_track"):
        st.success(_("✅ What this call truly needed: {need}. The AI got it right.").format(
            need=need))
    else:
        st.warning(_("❌ What this call truly needed: {need}. The AI got it wrong.").format(
            need=need))
    if heard.true_need == "signpost" and heard.kind in KINDS:
        st.caption(_("It should go to: {where}.").format(where=_(KINDS[heard.kind][1])))
    final = _(DECISIONS[heard.final_decision]) if heard.final_decision else ""
    if config.decided_by == "people":
        st.info(_("📞 The call handler decided: {final}.").format(final=final))
    elif heard.reviewed:
        st.info(_("👤 A person double-checked this call and decided: {final}.").format(
            final=final))


def _drivers(outcome: TriageOutcome, heard: Heard, key: tuple | None) -> None:
    st.markdown("**" + _("The words that drove the decision") + "**")
    if not heard.drivers:
        st.caption(_("No word it heard pushed the AI either way."))
        return
    up = [f"'{w}'" for w, p in heard.drivers if p > 0][:2]
    down = [f"'{w}'" for w, p in heard.drivers if p < 0][:2]
    nothing = _("nothing")
    reading = _("Pushed hardest towards fast-track: {up}. Pulled hardest towards 'can "
                "wait': {down}.").format(up=", ".join(up) or nothing,
                                         down=", ".join(down) or nothing)
    chart = (drivers_chart(heard.drivers) if key is None else
             spec_for(outcome, (*key, lang()), lambda: drivers_chart(heard.drivers)))
    draw(chart, alt_text=reading)
    st.caption(reading + " " + _("Some of these words have nothing to do with danger: the "
                                 "AI learned which words went with which decisions in the "
                                 "past, not what they mean."))


# ----------------------------------------------------------------------------- proxies

PROXY_KINDS = {
    "area A": N_("Group A's area names"),
    "area B": N_("Group B's area names"),
    "dialect": N_("Group B's dialect words"),
}


def _proxy_bars(names: tuple[str, ...], axis: str) -> alt.Chart:
    return alt.Chart(TABLE).mark_bar().encode(
        y=alt.Y("words:N", title=None, sort=list(names), axis=alt.Axis(labelLimit=220)),
        x=alt.X("push:Q", title=axis, scale=alt.Scale(domain=[-1.5, 1.5], clamp=True)),
        color=alt.Color("group:N", legend=None, scale=alt.Scale(
            domain=["A", "B"], range=[GROUP_COLOURS["A"], GROUP_COLOURS["B"]])),
        tooltip=["words:N", alt.Tooltip("push:Q", format=".2f")],
    ).properties(height=alt.Step(28))


def proxy_chart(push: dict[str, float]) -> tuple[pd.DataFrame, dict]:
    names = tuple(_(v) for v in PROXY_KINDS.values())
    data = pd.DataFrame([{"words": _(PROXY_KINDS[k]), "push": round(v, 2),
                          "group": "A" if k == "area A" else "B"}
                         for k, v in push.items() if k in PROXY_KINDS])
    return data, template(_proxy_bars, names, _(PUSH_AXIS))


def proxies(outcome: TriageOutcome, bands: Bands | None) -> None:
    st.write(_("Group B's callers often name their area (Northgate, Riverside…) and use "
               "words like 'pet', 'summat' or 'ey up'. The AI learns what those words go "
               "with. If past call handlers marked group B's urgent calls 'can wait', it "
               "learns that group B's words mean 'can wait': the unfairness follows the "
               "group through its words."))
    push = derived(outcome, "proxy push", lambda: proxy_push(outcome))
    reading = proxy_claims(outcome, bands, translator(lang()))[0].text
    draw(spec_for(outcome, ("proxy", lang()), lambda: proxy_chart(push)), alt_text=reading)
    st.caption(reading)
