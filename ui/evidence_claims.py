"""Summarising evidence: every sentence its page builds, as claims (``ui/claims.py``).
No Streamlit.

Each function takes the outcome on screen, the same settings' spread over fair case
files (``Bands``, None while it is worked out) and a translator; ``page_claims``
returns every sentence for a config, as the page shows them with every panel open.
("Be the officer" speaks of what one person ticked, and the case file of one case.)
"""

from __future__ import annotations

from collections.abc import Callable

from simulators.chance import Bands
from simulators.evidence import (
    FAIR_HISTORY,
    NOT_LEARNING,
    OWN_WORDS,
    SAME_WORDS,
    EvidenceConfig,
    EvidenceOutcome,
)
from simulators.messages import N_
from ui.claims import Claim, band_of, chance_line, count_of_100, versus_chance
from ui.figures import figures, per_100, points_text
from workshop.i18n import Translator

HARM = "false_negative_rate"
Outcomes = Callable[[EvidenceConfig], EvidenceOutcome]
BandsOf = Callable[[EvidenceConfig], "Bands | None"]


def _counts(left_out: dict[str, float]) -> dict[str, int | None]:
    return {g: per_100(v) for g, v in left_out.items()}


def _gap(counts: dict[str, int | None]) -> int | None:
    if counts["A"] is None or counts["B"] is None:
        return None
    return abs(counts["A"] - counts["B"])


def _n(count: int | None, t: Translator) -> str:
    return "–" if count is None else t.number(count)


def _b_minus_a(left_out: dict[str, float]) -> float:
    return left_out["B"] - left_out["A"]


# ----------------------------------------------------------------------------- the strip


def strip_note(config: EvidenceConfig, outcome: EvidenceOutcome,
               t: Translator) -> list[Claim]:
    """Under the strip: the same case files with the fix off, or with fair old summaries;
    or why 'Bias in the old summaries' changes nothing here."""
    out = []
    if outcome.without_fix is not None:
        out.append(Claim("strip.without_fix", "", t.gettext(
            "Without the fix, on the same case files: {gap}.").format(
                gap=points_text(_gap(_counts(outcome.without_fix.left_out)), t))))
    if outcome.fair_history is not None:
        out.append(Claim("strip.fair_history", "", t.gettext(
            "With fair old summaries, on the same case files: {gap}.").format(
                gap=points_text(_gap(_counts(outcome.fair_history.left_out)), t))))
    elif outcome.history_route == NOT_LEARNING and config.label_bias > 0:
        out.append(Claim("strip.not_learning", "", t.gettext(
            "'Bias in the old summaries' changes nothing here: this AI does not learn from "
            "them.")))
    return out


# ----------------------------------------------------------------------------- old summaries

QUESTION = N_("Can the old summaries' bias reach these summaries?")


def history_claims(outcome: EvidenceOutcome, bands: Bands | None,
                   t: Translator) -> list[Claim]:
    """Can the bias in old summaries reach these summaries? Said from the settings (the
    method, how differently group B words things), then shown on the same case files
    summarised after fair old summaries, against what chance alone makes."""
    route = outcome.history_route
    if route == NOT_LEARNING:
        return [Claim("history.route", route, t.gettext(
            "No: this AI picks what the rest of the file repeats and never reads old "
            "summaries, so 'Bias in the old summaries' changes nothing. Choose 'Learns from "
            "old summaries' to see what it does."))]
    words = _n(per_100(outcome.own_words_share), t)
    history = _counts(outcome.history_left_out)
    hist_a, hist_b = _n(history["A"], t), _n(history["B"], t)
    if route == FAIR_HISTORY:
        return [Claim("history.route", route, t.gettext(
            "This AI learns from old summaries, and here they were fair: the analysts left "
            "out {hist_a} in 100 of group A's key facts and {hist_b} in 100 of group B's. "
            "Move 'Bias in the old summaries' up: the AI can only copy that bias onto "
            "sentences it can tell apart by their words, and here {words} in 100 of group "
            "B's sentences are in their own words.").format(
                hist_a=hist_a, hist_b=hist_b, words=words))]
    if route == SAME_WORDS:
        out = [Claim("history.route", route, t.gettext(
            "The analysts left out {hist_b} in 100 of group B's key facts, against {hist_a} "
            "in 100 of group A's. But here group B use the same words as group A, so the AI "
            "can hardly tell whose sentence is whose.").format(hist_a=hist_a, hist_b=hist_b))]
    else:
        assert route == OWN_WORDS
        out = [Claim("history.route", route, t.gettext(
            "The analysts left out {hist_b} in 100 of group B's key facts, against {hist_a} "
            "in 100 of group A's, most of all those in group B's own words, and here {words} "
            "in 100 of group B's sentences are in their own words: the AI can learn that "
            "sentences worded like theirs were left out, and leave them out again.").format(
                hist_a=hist_a, hist_b=hist_b, words=words))]
    now = figures(outcome, t).counts[HARM]
    fair = _counts(outcome.fair_history.left_out)
    out.append(Claim("history.same_files", "", t.gettext(
        "On the same case files, this summary leaves out {a} in 100 of group A's key facts "
        "and {b} in 100 of group B's; after fair old summaries it would leave out {fair_a} "
        "and {fair_b}.").format(a=_n(now.get("A"), t), b=_n(now.get("B"), t),
                                fair_a=_n(fair["A"], t), fair_b=_n(fair["B"], t))))
    added = (outcome.rates["B"][HARM] - outcome.rates["A"][HARM]) - _b_minus_a(
        outcome.fair_history.left_out)
    says = versus_chance(added, band_of(bands, f"gap:{HARM}"))
    if says == "above":
        text = t.gettext("So the old bias does reach group B here: it widens the gap by "
                         "{points}, more than chance alone explains.").format(
            points=points_text(round(100 * added), t))
    elif says == "unknown":
        text = t.gettext("Working out what chance alone makes…")
    else:
        text = (t.gettext("So the old bias cannot single out group B here: what it adds to the "
                          "gap is within what chance alone makes.") if route == SAME_WORDS
                else t.gettext("So the old bias barely reaches group B here: what it adds "
                               "to the gap is within what chance alone makes."))
        text += " " + (t.gettext("Move 'How differently group B words things' up to see the "
                                 "old bias find group B.")
                       if route == SAME_WORDS or outcome.own_words_share < 0.5 else
                       t.gettext("Move 'Bias in the old summaries' up to see it find group B."))
    out.append(Claim("history.verdict", "" if says == "unknown" else says, text))
    return out


# ----------------------------------------------------------------------------- a fix


def fix_claims(outcome: EvidenceOutcome, bands: Bands | None, t: Translator) -> list[Claim]:
    """What the fix changed, on the same case files without it: each group's key facts
    left out, the length of the summaries, and what the fix left to chance."""
    before = outcome.without_fix
    if before is None:
        return []
    now = figures(outcome, t).counts[HARM]
    was = _counts(before.left_out)
    out = [Claim("fix.left_out", "", t.gettext(
        "Without the fix, on the same case files, the summary left out {a0} in 100 of group "
        "A's key facts and {b0} in 100 of group B's; with it, {a} and {b}.").format(
            a0=_n(was["A"], t), b0=_n(was["B"], t), a=_n(now.get("A"), t),
            b=_n(now.get("B"), t)))]
    says = versus_chance(
        (outcome.rates["B"][HARM] - outcome.rates["A"][HARM]) - _b_minus_a(before.left_out),
        band_of(bands, f"gap:{HARM}"))
    text = {"below": N_("The fix narrows the gap between the groups by more than chance "
                        "alone makes."),
            "above": N_("The fix widens the gap between the groups by more than chance "
                        "alone makes."),
            "within": N_("What the fix does to the gap is within what chance alone makes."),
            "unknown": N_("Working out what chance alone makes…")}[says]
    out.append(Claim("fix.verdict", "" if says == "unknown" else says, t.gettext(text)))
    share, share0 = per_100(outcome.summary_share), per_100(before.summary_share)
    out.append(Claim("fix.length", "", t.gettext(
        "The summaries keep {share} in 100 sentences with the fix, against {before} without "
        "it.").format(share=t.number(share), before=t.number(share0))))
    if outcome.same_length is not None and share != share0:
        same = _counts(outcome.same_length.left_out)
        out.append(Claim("fix.same_length", "", t.gettext(
            "Without the fix, summaries as long as the fix made them would leave out {a} in "
            "100 of group A's key facts and {b} in 100 of group B's: that much of the change "
            "comes from the length alone.").format(a=_n(same["A"], t), b=_n(same["B"], t))))
    if outcome.coin_toss_share > 0 or outcome.chance_decided_share > 0:
        out.append(Claim("fix.chance", "", t.gettext(
            "For {n} in 100 witness sentences the fix's choice was a real toss-up (a chance "
            "between 20 and 80 in 100 of being kept), and the draw is expected to have "
            "settled about {d} in 100 differently from what the sentence itself pointed "
            "to.").format(n=count_of_100(outcome.coin_toss_share, t),
                          d=count_of_100(outcome.chance_decided_share, t))))
    return out


# ----------------------------------------------------------------------------- all files


def exculpatory_claims(outcome: EvidenceOutcome, t: Translator) -> list[Claim]:
    total = outcome.exculpatory_total
    left = _counts(outcome.left_out_by_fact.loc["exculpatory"].to_dict())
    out = []
    if sum(total.values()) == 0:
        out.append(Claim("excul.total", "", t.gettext(
            "In these case files no witness gave a fact that points away from the arrested "
            "person.")))
    else:
        out.append(Claim("excul.total", "", t.gettext(
            "Across the {n} case files, witnesses gave **{total}** sentences that point away "
            "from the person arrested: {total_a} from group A and {total_b} from group "
            "B.").format(n=t.number(outcome.n_cases), total=t.number(sum(total.values())),
                         total_a=t.number(total["A"]), total_b=t.number(total["B"]))))
    if left["A"] is None or left["B"] is None:
        out.append(Claim("excul.reading", "", t.gettext(
            "Too few of these facts came from one of the groups to compare them.")))
    else:
        out.append(Claim("excul.reading", "", t.gettext(
            "Of the facts that point away from the arrested person, the summaries left out "
            "{a} in 100 from group A and {b} in 100 from group B.").format(
                a=t.number(left["A"]), b=t.number(left["B"]))))
    return out


# ----------------------------------------------------------------------------- every sentence


def page_claims(config: EvidenceConfig, outcome_of: Outcomes, bands_of: BandsOf,
                t: Translator, *, numbers: bool = True) -> list[Claim]:
    """Every sentence the page builds for ``config`` with every panel open (``numbers``:
    kept for the same signature as the other use cases; every sentence here is cheap)."""
    outcome, bands = outcome_of(config), bands_of(config)
    return [chance_line(bands, t), *strip_note(config, outcome, t),
            *history_claims(outcome, bands, t), *fix_claims(outcome, bands, t),
            *exculpatory_claims(outcome, t)]


def script_claims(key: str, config: EvidenceConfig, outcome_of: Outcomes,
                  bands_of: BandsOf) -> list[Claim]:
    """What each scenario's script claims, checked on ``config``: "holds" or "fails"."""
    o, bands = outcome_of(config), bands_of(config)

    def gap(x: EvidenceOutcome) -> float:
        return x.rates["B"][HARM] - x.rates["A"][HARM]

    def verdict(value: float) -> str:
        return versus_chance(value, band_of(bands, f"gap:{HARM}"))

    def high() -> float:
        return band_of(bands, f"gap:{HARM}")[1]

    checks = {
        "fair_start": lambda: verdict(gap(o)) == "within",
        # "left out more often": beyond what 19 fair towns in 20 make
        "own_words": lambda: gap(o) > high(),
        "biased_past_same_words": lambda: verdict(
            gap(o) - _b_minus_a(o.fair_history.left_out)) == "within",
        "biased_past_own_words": lambda: verdict(
            gap(o) - _b_minus_a(o.fair_history.left_out)) == "above",
        "last_in_pile": lambda: gap(o) > gap(outcome_of(config.replace(order="shuffled"))),
        "a_share_each": lambda: gap(o) < _b_minus_a(o.without_fix.left_out),
    }
    check = checks.get(key)
    if check is None:
        return []
    return [Claim(f"script.{key}", "holds" if check() else "fails", key)]
