"""101 calls: an AI answers the police non-emergency number. Who gets missed, and what helps."""

import pandas as pd
import streamlit as st

from simulators.call_triage import (
    MAX_TYPED_CHARS,
    N_TEST,
    PRESETS,
    REVIEW_MINUTES,
    REVIEWER_ACCURACY,
    TriageConfig,
    example_calls,
    fix_cost,
    kinds_of_call,
    listen_in,
    proxy_push,
    simulate,
)
from simulators.fairness import summary
from ui.cache import simulate_cached
from ui.charts import draw, spec_for
from ui.config_sliders import RESET, config_controls, config_values, sanitise
from ui.derived import derived
from ui.fairness_panel import fairness_panel
from ui.presets import preset_pills, preset_script
from ui.use_case_page import after_step, before_question, begin, follow, remember

KEY = "call_triage"
MODE_KEY = f"{KEY}.listen_mode"
CALL_KEY = f"{KEY}.listen_call"
TEXT_KEY = f"{KEY}.listen_text"
GROUP_KEY = f"{KEY}.listen_group"
ASR_KEY = f"{KEY}.listen_asr"

# ----------------------------------------------------------------------------- wording
# Every sentence the page shows lives here, so a translation is one block of text.

TITLE = "📞 101 calls: an AI answers the phone"
INTRO = (
    "When you ring 101, the police number for things that are not emergencies, you "
    "often wait a long time. Some police forces in England and Wales are trying out "
    "AI helpers on that line. Speech-to-text turns what you say into words, and the "
    "AI reads them and decides what to do:"
)
CHOICES_TEXT = """
- 🚨 **fast-track** the call to a person straight away, because someone may be in danger;
- 💬 **give advice**, or take a report, for things that can wait;
- ➡️ **send you to another organisation**, such as the council, the fraud reporting
  centre or an NHS mental health line.
"""
INTRO_2 = (
    "Here you can try a made-up version. It learned from past calls and from what call "
    "handlers decided about them. Every call, caller and place is invented. Callers are "
    "in two groups: **group A**, and **group B**, who live on the Northgate side of town "
    "and whose accent the speech-to-text knows less well."
)
SPINNER = "The AI is learning from past calls…"

LISTEN_TITLE = "🎧 Listen in"
LISTEN_INTRO = (
    "Pick a call, or type one yourself, and see the words as the AI heard them and "
    "what it decided."
)
MODE_LABEL = "What do you want to hear?"
MODES = {"pick": "A call from the town", "type": "A call I type"}
CALL_LABEL = "Pick a call"
CALL_OPTION = "Call {n}: {kind} (group {group})"
TEXT_LABEL = "Type what a caller might say"
TEXT_PLACEHOLDER = "For example: My neighbour's shouting and I think he's got a knife."
TEXT_DEFAULT = "Hello, there's a man outside shouting and I think he's got a knife."
GROUP_LABEL = "Who is calling?"
GROUPS = {"A": "Someone from group A", "B": "Someone from group B"}
GROUP_HELP = "Group B's words go through speech-to-text that may get more of them wrong."
ASR_LABEL = "Send it through speech-to-text"
ASR_HELP = "Off: the AI reads exactly what you typed, as if nothing was misheard."
SAID_TITLE = "What the caller said"
HEARD_TITLE = "What the AI heard"
HEARD_KEY = "Words in [brackets] were misheard; […] marks a word that was lost."
HEARD_COUNT = "Here: {wrong} misheard and {lost} lost, out of {total} words."
DECISIONS = {
    "fast_track": "🚨 Fast-track to a person now",
    "advise": "💬 Give advice or take a report",
    "signpost": "➡️ Send to another organisation",
    "": "❔ No answer",
}
DECISION_LABEL = "The AI's decision"
SURE_LABEL = "How sure it is of that"
SURE_VALUE = "{n} in 100"
SURE_HELP = (
    "The AI gives every call an urgency score. If it fast-tracks, this is the score; if "
    "not, it is 100 minus the score."
)
URGENCY_TEXT = "Its urgency score: {n} in 100. It fast-tracks from {t} in 100 up."
TRUTH_URGENT = "✅ What this call truly needed: {need}. The AI got it right."
TRUTH_WRONG = "❌ What this call truly needed: {need}. The AI got it wrong."
TRUTH_ROUTE = "It should go to: {where}."
CHECKED_CHANGED = "👤 A person double-checked this call and changed the decision to: {final}."
CHECKED_SAME = "👤 A person double-checked this call and kept the decision."
WOULD_CHECK = "👤 With the settings below, a person would double-check a call like this."
TYPED_NO_TRUTH = (
    "Nobody knows what your call truly needed: it is made up by you. Do you agree with "
    "the AI?"
)
DRIVERS_TITLE = "The words that drove the decision"
DRIVER_TOWARDS = "towards fast-track"
DRIVER_AWAY = "towards 'can wait'"
DRIVERS_X = "push"
DRIVERS_READING = (
    "Pushed hardest towards fast-track: {up}. Pulled hardest towards 'can wait': {down}."
)
DRIVERS_NONE = "No word it heard pushed the AI either way."
DRIVERS_NOTE = (
    "Some of these words have nothing to do with danger: the AI learned which words "
    "went with which decisions in the past, not what they mean."
)
NOTHING = "nothing"
TEXT_ALT = "Bars for each word the AI heard, showing how hard it pushed the decision."

WORLD_TITLE = "⚖️ Who gets missed?"
WORLD_INTRO = (
    "Move the sliders to put into the AI's world the two problems researchers have "
    "found: speech-to-text that mishears some voices more, and past decisions that "
    "were unfair to some callers."
)
WORD_ERROR_TEXT = (
    "Speech-to-text got {a} words in 100 wrong for group A and {b} in 100 for group B. "
    "In the past, call handlers marked {ha} in 100 of group A's urgent calls as 'can "
    "wait', and {hb} in 100 of group B's."
)
PROXY_TITLE = "The AI is never told anyone's group. Can it still tell?"
PROXY_TEXT = (
    "Group B's callers often name their area (Northgate, Riverside…) and use words "
    "like 'pet', 'summat' or 'ey up'. The AI learns what those words go with. If past "
    "handlers marked group B's urgent calls 'can wait', it learns that group B's words "
    "mean 'can wait': the unfairness follows the group through its words."
)
PROXY_KINDS = {
    "area A": "Group A's area names",
    "area B": "Group B's area names",
    "dialect": "Group B's dialect words",
}
PROXY_X = "push (below 0: towards 'can wait')"
PROXY_READING = (
    "On average, group B's area names push {b} and its dialect words push {d}; group A's "
    "area names push {a}. {verdict}"
)
PROXY_DOWN = "Group B's words pull the AI towards 'can wait' more than group A's."
PROXY_LEVEL = "Neither group's words pull much harder than the other's."
PROXY_PUSH = {"down": "towards 'can wait'", "up": "towards fast-track", "none": "hardly at all"}
PROXY_NOISE = 0.3  # pushes smaller than this come and go from one made-up town to the next
PROXY_DOMAIN = [-1.5, 1.5]

FIX_TITLE = "🛠️ Try a fix"
FIX_INTRO = (
    "Fairlearn, a free toolkit, offers fixes. Each learns from a small sample of past "
    "calls. The advice from the public dialogue was to check the data that goes in: "
    "here, people can listen again to those calls and write down what each truly "
    "needed. Or the fix can learn from the past marks as they are."
)
FIX_NONE = "No fix is switched on. Pick one to see what it changes, and what it costs."
FIX_COST_TITLE = "What the fix changed, out of every 100 calls"
FIX_ROWS = {
    "gap": "Gap in mistakes between the groups",
    "missed[A]": "Urgent calls missed, group A",
    "missed[B]": "Urgent calls missed, group B",
    "false_alarm[A]": "Fast-tracked without need, group A",
    "false_alarm[B]": "Fast-tracked without need, group B",
    "fast_tracked": "All calls fast-tracked",
    "right": "Right decisions",
}
FIX_BEFORE, FIX_AFTER = "Without the fix", "With the fix"
FIX_SENTENCE = (
    "The fix changed the gap in mistakes from {before} to {after} points. It costs "
    "something: out of every {n:,} calls, {extra} {more_fewer} were fast-tracked, and "
    "{wrong} {wrong_dir} decisions were wrong."
)
FIX_GROUP_NOTE = (
    "'Different cut-offs per group' has to know each caller's group to decide. Would "
    "that be acceptable to you?"
)
FIX_HISTORY_NOTE = (
    "⚠️ This fix learned from the past marks, unfair ones included, so it treats "
    "group B's missed urgent calls as if they could wait: it learns the unfairness back. "
    "Switch to 'Calls checked by hand' to compare."
)

REVIEW_TITLE = "👤 A person in the loop"
REVIEW_INTRO = (
    "Real 101 helpers hand a call to a person when they are unsure. Here a person listens "
    "again to the calls the AI is least sure about, and decides them. People are not "
    "perfect either: they get {acc} in 100 right. Each check takes about {mins} minutes."
)
REVIEW_CHECKED = "Calls checked"
REVIEW_HOURS = "Hours of checking"
REVIEW_CAUGHT = "AI mistakes caught"
REVIEW_LEFT = "Mistakes left"
PER_1000 = "for every {n:,} calls"
REVIEW_CHART_X = "hours of checking for every 1,000 calls"
REVIEW_CHART_Y = "mistakes, for every 1,000 calls"
REVIEW_SERIES = {"errors_caught": "AI mistakes caught", "errors_left": "Mistakes left"}
REVIEW_COLOURS = ["#009E73", "#D55E00"]
REVIEW_READING = (
    "Checking {share} in 100 calls takes {hours} hours for every 1,000 calls and catches "
    "{caught} of the AI's {errors} mistakes; the person also gets {made} right calls "
    "wrong."
)
REVIEW_URGENT = (
    "But of the {missed} urgent calls the AI missed, the person caught only {caught}: the "
    "AI misses most of them while feeling sure, so nobody looks again."
)
REVIEW_NONE = (
    "Nobody checks any call yet: all of the AI's {errors} mistakes in every 1,000 calls "
    "stand. Each line shows what checking more calls would catch, and what it would cost."
)
REVIEW_ALT = "Line chart: mistakes caught and mistakes left against hours of checking."

WHY_TITLE = "📚 Why this matters"
WHY_TEXT = """
- **Speech-to-text does not hear everyone equally.** Koenecke and others (PNAS, 2020)
  tested five big companies' systems: on average they got **35 words in 100 wrong for
  Black speakers and 19 in 100 for white speakers**. An AI answering 101 calls reads
  what the speech-to-text wrote, so missing words fall unevenly. The slider's 0.16
  matches that gap.
- **Police grade calls with THRIVE**: Threat, Harm, Risk, Investigation, Vulnerability
  and Engagement, sorted into bands from 'immediate' to 'dealt with without sending
  anyone'. In this town the true need comes from threat, harm and vulnerability.
- **AI learns from past decisions.** If those were unfair to some callers, the AI copies
  it, even without being told anyone's group, because the words people use give it away.
- **Checks help, but not everywhere.** AI helpers on 101 lines hand over to a person when
  they spot vulnerability or are asked to. A person only checks the calls the AI flags
  as unsure; the AI's confident mistakes pass unchecked.
"""
TOY_NOTE = (
    "A toy, not the real thing: {n:,} new calls in a made-up town, with an AI trained on "
    "{hist:,} past calls."
)


WHERE_TO = {k["label"]: k["where_to"] for k in kinds_of_call()}


def pct(x: float) -> str:
    return "–" if x != x else f"{round(100 * x):d}"


def pts(x: float) -> str:
    return f"{round(100 * abs(x)):d}"


# ----------------------------------------------------------------------------- charts
# Vega-Lite specs as plain dicts, drawn in the browser by st.vega_lite_chart: the same
# charts Altair would write, without its schema check on every rerun (~40 ms a chart).

TOWARDS_COLOUR, AWAY_COLOUR = "#CC79A7", "#009E73"


def drivers_chart(drivers: list[tuple[str, float]]) -> tuple[pd.DataFrame, dict]:
    data = pd.DataFrame(drivers, columns=["word", "push"])
    data["direction"] = [DRIVER_TOWARDS if p > 0 else DRIVER_AWAY for p in data["push"]]
    spec = {
        "mark": {"type": "bar"},
        "height": {"step": 24},
        "encoding": {
            "y": {"field": "word", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 160}},
            "x": {"field": "push", "type": "quantitative", "title": DRIVERS_X},
            "color": {"field": "direction", "type": "nominal", "title": None,
                      "scale": {"domain": [DRIVER_TOWARDS, DRIVER_AWAY],
                                "range": [TOWARDS_COLOUR, AWAY_COLOUR]},
                      "legend": {"orient": "top"}},
            "tooltip": [{"field": "word", "type": "nominal"},
                        {"field": "push", "type": "quantitative", "format": ".2f"}],
        },
    }
    return data, spec


def proxy_chart(push: dict[str, float]) -> tuple[pd.DataFrame, dict]:
    data = pd.DataFrame(
        [{"words": PROXY_KINDS[k], "push": round(v, 2), "group": "A" if k == "area A" else "B"}
         for k, v in push.items() if k in PROXY_KINDS]
    )
    spec = {
        "mark": {"type": "bar"},
        "height": {"step": 28},
        "encoding": {
            "y": {"field": "words", "type": "nominal", "title": None,
                  "sort": list(PROXY_KINDS.values()), "axis": {"labelLimit": 220}},
            "x": {"field": "push", "type": "quantitative", "title": PROXY_X,
                  "scale": {"domain": PROXY_DOMAIN, "clamp": True}},
            "color": {"field": "group", "type": "nominal", "legend": None,
                      "scale": {"domain": ["A", "B"], "range": ["#0072B2", "#E69F00"]}},
            "tooltip": [{"field": "words", "type": "nominal"},
                        {"field": "push", "type": "quantitative", "format": ".2f"}],
        },
    }
    return data, spec


def review_chart(curve: pd.DataFrame, hours: float) -> tuple[pd.DataFrame, dict]:
    data = curve.melt(id_vars=["hours"], value_vars=list(REVIEW_SERIES),
                      var_name="series", value_name="mistakes")
    data["line"] = data["series"].map(REVIEW_SERIES)
    names = list(REVIEW_SERIES.values())
    spec = {
        "height": 280,
        "layer": [
            {
                "mark": {"type": "line", "point": True, "strokeWidth": 2.5},
                "encoding": {
                    "x": {"field": "hours", "type": "quantitative", "title": REVIEW_CHART_X},
                    "y": {"field": "mistakes", "type": "quantitative",
                          "title": REVIEW_CHART_Y},
                    "color": {"field": "line", "type": "nominal", "title": None,
                              "scale": {"domain": names, "range": REVIEW_COLOURS},
                              "legend": {"orient": "top"}},
                    "strokeDash": {"field": "line", "type": "nominal", "legend": None,
                                   "scale": {"domain": names, "range": [[1, 0], [6, 3]]}},
                    "tooltip": [
                        {"field": "hours", "type": "quantitative", "format": ".0f"},
                        {"field": "line", "type": "nominal"},
                        {"field": "mistakes", "type": "quantitative", "format": ".0f"},
                    ],
                },
            },
            {
                "data": {"values": [{"hours": hours}]},
                "mark": {"type": "rule", "color": "#666666"},
                "encoding": {"x": {"field": "hours", "type": "quantitative"}},
            },
        ],
    }
    return data, spec


# ----------------------------------------------------------------------------- page


def call_labels(outcome) -> dict[int, str]:
    """The calls to pick from, by row, with the words the picker shows."""
    calls = outcome.calls
    return {i: CALL_OPTION.format(n=i + 1, kind=calls.iloc[i]["kind"],
                                  group=calls.iloc[i]["group"])
            for i in example_calls(outcome)}


def show_listen(outcome, config) -> None:
    st.header(LISTEN_TITLE)
    st.write(LISTEN_INTRO)
    mode = st.segmented_control(
        MODE_LABEL, list(MODES), format_func=MODES.get, key=MODE_KEY, default="pick",
    ) or "pick"
    if mode == "pick":
        labels = derived(outcome, "call labels", lambda: call_labels(outcome))
        rows = list(labels)
        if st.session_state.get(CALL_KEY) not in labels:
            st.session_state[CALL_KEY] = rows[0]
        call = int(st.selectbox(CALL_LABEL, rows, key=CALL_KEY, format_func=labels.__getitem__))
        heard = derived(outcome, ("heard", call), lambda: listen_in(outcome, call=call))
        where = derived(outcome, ("where", call),
                            lambda: WHERE_TO.get(outcome.calls.iloc[call]["kind"], ""))
        drivers_key = ("drivers", call)
    else:
        where, drivers_key = "", None  # a typed call: its chart is drawn afresh
        text = st.text_area(
            TEXT_LABEL, value=TEXT_DEFAULT, key=TEXT_KEY, placeholder=TEXT_PLACEHOLDER,
            max_chars=MAX_TYPED_CHARS, height=100,
        )
        c1, c2 = st.columns(2)
        group = c1.radio(GROUP_LABEL, list(GROUPS), format_func=GROUPS.get, key=GROUP_KEY,
                         horizontal=True, help=GROUP_HELP)
        asr = c2.toggle(ASR_LABEL, value=True, key=ASR_KEY, help=ASR_HELP)
        heard = listen_in(outcome, text=text, group=group or "A", through_speech_to_text=asr)

    if heard.message:
        st.info(heard.message, icon="ℹ️")
    if not heard.words:
        return
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{SAID_TITLE}**")
        st.text(heard.said)  # participant text: never Markdown
    with right:
        st.markdown(f"**{HEARD_TITLE}**")
        st.code(heard.heard, language=None, wrap_lines=True)
        lost = sum(1 for *_, s in heard.words if s == "lost")
        wrong = sum(1 for *_, s in heard.words if s == "misheard")
        st.caption(HEARD_KEY + " " + HEARD_COUNT.format(lost=lost, wrong=wrong,
                                                         total=len(heard.words)))
    if not heard.decision:
        return
    c1, c2 = st.columns([3, 2])
    with c1:  # a long decision would be cut short in a metric on a phone
        st.caption(DECISION_LABEL)
        st.subheader(DECISIONS[heard.decision])
    c2.metric(SURE_LABEL, SURE_VALUE.format(n=pct(heard.confidence)), help=SURE_HELP)
    st.caption(URGENCY_TEXT.format(n=pct(heard.urgency), t=pct(config.fast_track_threshold)))
    if heard.true_need is not None:
        need = DECISIONS[heard.true_need]
        right_call = (heard.true_need == "fast_track") == (heard.decision == "fast_track")
        (st.success if right_call else st.error)(
            (TRUTH_URGENT if right_call else TRUTH_WRONG).format(need=need)
        )
        if heard.true_need == "signpost" and where:
            st.caption(TRUTH_ROUTE.format(where=where))
        if heard.reviewed:
            if heard.final_decision != heard.decision:
                st.info(CHECKED_CHANGED.format(final=DECISIONS[heard.final_decision]))
            else:
                st.info(CHECKED_SAME)
    else:
        st.caption(TYPED_NO_TRUTH)
        if heard.reviewed:
            st.info(WOULD_CHECK)
    st.markdown(f"**{DRIVERS_TITLE}**")
    if heard.drivers:
        draw(drivers_chart(heard.drivers) if drivers_key is None
             else spec_for(outcome, drivers_key, lambda: drivers_chart(heard.drivers)),
             alt_text=TEXT_ALT)
        up = [f"'{w}'" for w, p in heard.drivers if p > 0][:2]
        down = [f"'{w}'" for w, p in heard.drivers if p < 0][:2]
        st.caption(DRIVERS_READING.format(up=" and ".join(up) or NOTHING,
                                          down=" and ".join(down) or NOTHING)
                   + " " + DRIVERS_NOTE)
    else:
        st.caption(DRIVERS_NONE)


def push_word(x: float) -> str:
    if x < -PROXY_NOISE:
        return PROXY_PUSH["down"]
    if x > PROXY_NOISE:
        return PROXY_PUSH["up"]
    return PROXY_PUSH["none"]


frame = begin("call_triage")
st.write(INTRO)
if frame.asking_before:
    before_question(frame)
    st.stop()
follow(frame)
st.markdown(CHOICES_TEXT)
st.markdown(INTRO_2)

preset_pills(PRESETS, key=KEY)
reset = sanitise(TriageConfig, key=KEY)
if reset:
    st.warning(RESET.format(names=", ".join(reset)))

# The outcome for the settings in force; the widgets further down draw the same ones.
config = config_values(TriageConfig, key=KEY)
preset_script(PRESETS, config, key=KEY)
with st.spinner(SPINNER):
    outcome = simulate_cached(simulate, config)

show_listen(outcome, config)

st.header(WORLD_TITLE)
st.write(WORLD_INTRO)
controls, panel = st.columns([1, 2])
with controls, st.container(border=True):
    config = config_controls(
        TriageConfig, key=KEY,
        only=["group_b_share", "label_bias", "asr_error_gap", "fast_track_threshold",
              "n_calls", "audit_size", "seed"],
    )
with st.spinner(SPINNER):
    outcome = simulate_cached(simulate, config)
with panel:
    fairness_panel(
        outcome, metrics=["false_negative_rate", "false_positive_rate", "selection_rate"]
    )
    st.caption(WORD_ERROR_TEXT.format(
        a=pct(outcome.word_error["A"]), b=pct(outcome.word_error["B"]),
        ha=pct(outcome.history_missed["A"]), hb=pct(outcome.history_missed["B"]),
    ))

with st.container(border=True):
    st.subheader(PROXY_TITLE)
    st.write(PROXY_TEXT)
    push = derived(outcome, "proxy push", lambda: proxy_push(outcome))
    draw(spec_for(outcome, "proxy", lambda: proxy_chart(push)), alt_text=PROXY_TITLE)
    b_push = min(push.get("area B", 0.0), push.get("dialect", 0.0))
    st.caption(PROXY_READING.format(
        b=push_word(push.get("area B", 0.0)), d=push_word(push.get("dialect", 0.0)),
        a=push_word(push.get("area A", 0.0)),
        verdict=PROXY_DOWN if b_push < push.get("area A", 0.0) - 2 * PROXY_NOISE
        else PROXY_LEVEL,
    ))

st.header(FIX_TITLE)
st.write(FIX_INTRO)
with st.container(border=True):
    config = config_controls(TriageConfig, key=KEY, only=["mitigation", "mitigation_data"])
outcome = simulate_cached(simulate, config)
if config.mitigation == "none":
    st.caption(FIX_NONE)
else:
    with st.spinner(SPINNER):
        plain = simulate_cached(simulate, config.replace(mitigation="none"))
    cost = fix_cost(outcome, plain)
    rows = [
        {"": label, FIX_BEFORE: pct(cost["before"][k]), FIX_AFTER: pct(cost["after"][k])}
        for k, label in FIX_ROWS.items()
    ]
    st.markdown(f"**{FIX_COST_TITLE}**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    extra = cost["extra_fast_tracked_per_1000"]
    wrong = cost["extra_wrong_per_1000"]
    st.write(FIX_SENTENCE.format(
        before=pts(cost["before"]["gap"]), after=pts(cost["after"]["gap"]), n=1000,
        extra=f"{abs(round(extra)):,}", more_fewer="more" if extra >= 0 else "fewer",
        wrong=f"{abs(round(wrong)):,}", wrong_dir="more" if wrong >= 0 else "fewer",
    ))
    if config.mitigation_data == "history":
        st.warning(FIX_HISTORY_NOTE)
    if config.mitigation == "threshold_optimizer":
        st.caption(FIX_GROUP_NOTE)

st.header(REVIEW_TITLE)
st.write(REVIEW_INTRO.format(acc=pct(REVIEWER_ACCURACY), mins=REVIEW_MINUTES))
with st.container(border=True):
    config = config_controls(TriageConfig, key=KEY, only=["human_review_share"])
outcome = simulate_cached(simulate, config)
work = outcome.workload
per = PER_1000.format(n=1000)
c1, c2, c3, c4 = st.columns(4)
c1.metric(REVIEW_CHECKED, f"{round(work['calls_checked']):,}", help=per)
c2.metric(REVIEW_HOURS, f"{round(work['hours']):,}", help=per)
c3.metric(REVIEW_CAUGHT, f"{round(work['errors_caught']):,}", help=per)
c4.metric(REVIEW_LEFT, f"{round(work['errors_left']):,}", help=per)
draw(spec_for(outcome, "review", lambda: review_chart(outcome.review_curve, work["hours"])),
     alt_text=REVIEW_ALT)
if config.human_review_share > 0:
    st.caption(REVIEW_READING.format(
        share=pct(config.human_review_share), hours=round(work["hours"]),
        caught=round(work["errors_caught"]), errors=round(work["ai_errors"]),
        made=round(work["errors_made"]),
    ))
else:
    st.caption(REVIEW_NONE.format(errors=round(work["ai_errors"])))
if config.human_review_share > 0 and work["urgent_missed_by_ai"] > 0:
    st.caption(REVIEW_URGENT.format(missed=round(work["urgent_missed_by_ai"]),
                                    caught=round(work["urgent_caught"])))

st.header(WHY_TITLE)
st.markdown(WHY_TEXT)
st.caption(TOY_NOTE.format(n=N_TEST, hist=config.n_calls))

metrics = dict(summary(outcome))
metrics.update({f"review_{k}": round(float(v), 2) for k, v in work.items()})
remember(frame, config, metrics)
after_step(frame)
