"""Crime hotspots: every sentence its page builds, as claims (``ui/claims.py``).
No Streamlit.

Each function takes the run on screen, the same settings' spread over fair cities
(``Bands``, None while it is worked out) and a translator; ``page_claims`` returns every
sentence for a config, as the page shows them with every panel open. What the monitor
did in this one run is said as what happened; how often a monitor like it raises a
false alarm, or catches the new estate, is said from many cities
(``simulators.hotspot_monitor.towns``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simulators.chance import Bands
from simulators.hotspot_monitor import monitor_rates
from simulators.hotspot_views import (
    audit_shares,
    flag_review,
    hotspots_found,
    shares_on,
    worst_change,
)
from simulators.hotspots import (
    CHECK_DAY,
    MITIGATION_CHOICES,
    MONITOR_DAYS,
    HotspotConfig,
    HotspotOutcome,
    harm_of,
)
from ui.claims import Claim, band_of, chance_line, spread_words, versus_chance
from ui.figures import per_100
from workshop.i18n import Translator

Outcomes = Callable[[HotspotConfig], HotspotOutcome]
BandsOf = Callable[[HotspotConfig], "Bands | None"]
#: The monitor over many cities (``hotspot_monitor.towns``), or None while it is worked out.
TownsOf = Callable[[HotspotConfig], "dict[str, Any] | None"]


def n100(rate: float, t: Translator) -> str:
    """A rate as a count out of 100: 0.384 -> "38"."""
    count = per_100(rate)
    return "–" if count is None else t.number(count)


# ----------------------------------------------------------------------------- the strip


def strip_note(outcome: HotspotOutcome, t: Translator) -> list[Claim]:
    """Under the strip: group B's share of patrols against its share of crime."""
    b = audit_shares(outcome)
    return [Claim("strip.shares", "", t.ngettext(
        "These are averages over the one day the AI ran. Group B's areas had {crime} in "
        "100 of the real crime, and got {patrols} in 100 of the patrols.",
        "These are averages over the last {n} days. Group B's areas had {crime} in 100 of "
        "the real crime, and got {patrols} in 100 of the patrols.",
        outcome.audit_days).format(n=t.number(outcome.audit_days),
                                   crime=n100(b["true_crime_share"], t),
                                   patrols=n100(b["patrol_share"], t)))]


def day_claims(outcome: HotspotOutcome, day: int, t: Translator) -> list[Claim]:
    """What the maps show on one day (1-based)."""
    share = shares_on(outcome, day - 1)
    return [Claim("day.reading", "", t.gettext(
        "On day {day}, group B's areas got {patrols} in 100 of the patrols, for {crime} in "
        "100 of the real crime that day and {recorded} in 100 of the crime written "
        "down.").format(day=t.number(day), patrols=n100(share["patrol_share"], t),
                        crime=n100(share["true_crime_share"], t),
                        recorded=n100(share["recorded_share"], t)))]


# ----------------------------------------------------------------------------- the loop


def loop_claims(outcome: HotspotOutcome, bands: Bands | None, t: Translator) -> list[Claim]:
    loop, past = outcome.loop, outcome.past["B"]
    out = [Claim("loop.found", "", t.gettext(
        "In this run, patrols found {found} in every 100 crimes written down; victims "
        "reported the rest. Of the crimes in a square with a patrol that day, {with_} in 100 "
        "were written down; in a square without one, {without} in 100.").format(
            found=n100(loop["found_share"], t), with_=n100(loop["recorded_with_patrol"], t),
            without=n100(loop["recorded_without_patrol"], t)))]
    out.append(Claim("loop.past", "", t.gettext(
        "Before the AI took over, people placed the patrols for {days} days: group B's areas "
        "got {patrols} in 100 of them, for {crime} in 100 of the real crime. Those records "
        "are where the AI starts.").format(days=t.number(60),
                                           patrols=n100(past["patrol_share"], t),
                                           crime=n100(past["true_crime_share"], t))))
    b = audit_shares(outcome)
    start = shares_on(outcome, 0)["patrol_share"]
    text = t.gettext(
        "On day 1 group B's areas got {start} in 100 of the patrols. Over the last {n} days "
        "they got {patrols} in 100, for {crime} in 100 of the real crime.").format(
            start=n100(start, t), n=t.number(outcome.audit_days),
            patrols=n100(b["patrol_share"], t), crime=n100(b["true_crime_share"], t))
    band = band_of(bands, "b_excess")
    if band is not None:
        text += " " + t.gettext(
            "In made-up cities with no bias at all, the loop alone puts group B's share of "
            "the patrols {spread} than its share of the crime, out of every 100 (9 cities in "
            "10).").format(
                spread=spread_words(band, t))
    out.append(Claim("loop.reading", "", text))
    return out


# ----------------------------------------------------------------------------- the fixes


def costs_claims(runs: Mapping[str, HotspotOutcome], t: Translator) -> list[Claim]:
    """Every fix on the same city and settings (``runs``: one outcome per fix)."""
    crime = per_100(audit_shares(runs["none"])["true_crime_share"])
    out = [Claim("costs.intro", "", t.ngettext(
        "Each fix below runs on this same city with your settings; only the fix changes. "
        "On the one day, group B's areas had {crime} in 100 of the real crime.",
        "Each fix below runs on this same city with your settings; only the fix changes. "
        "Over the last {n} days, group B's areas had {crime} in 100 of the real crime.",
        runs["none"].audit_days).format(n=t.number(runs["none"].audit_days),
                                        crime=t.number(crime)))]
    for fix in MITIGATION_CHOICES:
        run = runs[fix]
        found = hotspots_found(run)
        out.append(Claim(f"costs.{fix}", "", t.gettext(
            "On an average day {found} of the {k} real hotspots had a patrol, and group B's "
            "areas got {patrols} in 100 of the patrols.").format(
                found=t.number(round(found["found"])), k=t.number(found["real_hotspots"]),
                patrols=n100(audit_shares(run)["patrol_share"], t))))
    return out


# ----------------------------------------------------------------------------- the monitor


def monitor_verdict(outcome: HotspotOutcome, t: Translator) -> Claim:
    """What the monitor did in this run: the flag, or why there was none."""
    names = {"A": t.gettext("group A's areas"), "B": t.gettext("group B's areas")}
    limit = n100(outcome.config.monitor_limit, t)
    if outcome.check_day is None:
        return Claim("monitor.run", "", t.gettext(
            "The monitor starts after the check on day {check}: let the AI run for longer "
            "(under 'More settings').").format(check=t.number(CHECK_DAY)))
    if outcome.flag_day is not None:
        review = flag_review(outcome)
        g = review["group"]
        return Claim("monitor.run", "", t.gettext(
            "On day {day} the monitor raised a flag for {group}: over the last {window} days "
            "{now} in 100 of their real hotspots had no patrol, against {then} in 100 when "
            "the AI was checked. Your limit was {limit} in 100 more.").format(
                day=t.number(review["day"] + 1), group=names[g],
                window=t.number(MONITOR_DAYS), now=n100(review["now"][g], t),
                then=n100(review["at_check"][g], t), limit=limit))
    worst = worst_change(outcome)
    if worst is None or per_100(worst["worse_by"]) <= 0:
        return Claim("monitor.run", "", t.gettext(
            "No flag: neither group's line got worse than when the AI was checked."))
    text = t.gettext(
        "No flag: the worst was {group}, {worse} in 100 more of their real hotspots with no "
        "patrol on day {day} than at the check, under your limit of {limit} in 100.").format(
            group=names[worst["group"]], worse=n100(worst["worse_by"], t),
            day=t.number(worst["day"] + 1), limit=limit)
    if outcome.change_day is not None:
        text += " " + t.gettext("The change in the city was missed: a tighter limit would "
                                "have caught it.")
    return Claim("monitor.run", "", text)


def review_claim(outcome: HotspotOutcome, t: Translator) -> Claim | None:
    review = flag_review(outcome) if outcome.flag_day is not None else None
    if review is None:
        return None
    names = {"A": t.gettext("group A's"), "B": t.gettext("group B's")}
    values = dict(group=names[review["group"]], window=t.number(MONITOR_DAYS),
                  unpatrolled=t.number(review["unpatrolled"]),
                  hotspots=t.number(review["real_hotspots"]),
                  estate=t.number(review["unpatrolled_on_estate"]),
                  reports=t.number(review["reports_there"]))
    if outcome.change_day is not None and review["day"] >= outcome.change_day:
        return Claim("monitor.review", "", t.gettext(
            "A person reviewing the flag would find that {unpatrolled} of {group} {hotspots} "
            "real hotspots had no patrol at all in those {window} days, {estate} of them on "
            "the new estate, where victims had reported {reports} crimes. They could send "
            "patrols there, and ask why the AI had not.").format(**values))
    return Claim("monitor.review", "", t.gettext(
        "A person reviewing the flag would find that {unpatrolled} of {group} {hotspots} real "
        "hotspots had no patrol at all in those {window} days, though victims had reported "
        "{reports} crimes there.").format(**values))


def monitor_rates_claims(towns: dict[str, Any] | None, limit: float,
                         t: Translator) -> list[Claim]:
    """How often a monitor at ``limit`` cries wolf, and how often it catches the new
    estate, over many cities with these settings, for every way the AI learns."""
    if towns is None:
        return [Claim("monitor.rates", "", t.gettext(
            "Working out how often a monitor like this raises a false alarm…"))]
    rates = monitor_rates(towns, limit)
    out = []
    for fix, label in MITIGATION_CHOICES.items():
        r = rates[fix]
        out.append(Claim(f"monitor.rates.{fix}", "", t.gettext(
            "{fix}: in {cities} made-up cities with no bias and no change, a flag at your "
            "limit would have been a false alarm in {false} of them; with the new estate, it "
            "caught the estate in {caught}.").format(
                fix=t.gettext(label), cities=t.number(r["cities"]),
                false=t.number(round(r["false_alarm"] * r["cities"])),
                caught=t.number(round(r["caught"] * r["cities"])))))
    return out


# ----------------------------------------------------------------------------- every sentence


def page_claims(config: HotspotConfig, outcome_of: Outcomes, bands_of: BandsOf,
                t: Translator, towns_of: TownsOf | None = None, *,
                numbers: bool = True) -> list[Claim]:
    """Every sentence the page builds for ``config`` with every panel open (the maps on
    the last day, where the page starts them). ``numbers=False`` leaves out the
    sentences that only read numbers off other runs (every fix on the same city)."""
    outcome, bands = outcome_of(config), bands_of(config)
    out = [chance_line(bands, t, f"gap:{harm_of(config)}"), *strip_note(outcome, t),
           *day_claims(outcome, config.days, t), *loop_claims(outcome, bands, t)]
    if numbers:
        out += costs_claims({fix: outcome_of(config.replace(mitigation=fix))
                             for fix in MITIGATION_CHOICES}, t)
    out.append(monitor_verdict(outcome, t))
    if (review := review_claim(outcome, t)) is not None:
        out.append(review)
    if towns_of is not None:
        out += monitor_rates_claims(towns_of(config), config.monitor_limit, t)
    return out


def script_claims(key: str, config: HotspotConfig, outcome_of: Outcomes,
                  bands_of: BandsOf) -> list[Claim]:
    """What each scenario's script claims, checked on ``config``: "holds" or "fails"."""
    o, bands = outcome_of(config), bands_of(config)

    def excess(x: HotspotOutcome) -> float:
        b = audit_shares(x)
        return b["patrol_share"] - b["true_crime_share"]

    def verdict(value: float, measure: str) -> str:
        return versus_chance(value, band_of(bands, measure))

    def missed_gap(x: HotspotOutcome) -> float:
        return x.rates["B"]["false_negative_rate"] - x.rates["A"]["false_negative_rate"]

    def plain() -> HotspotOutcome:
        return outcome_of(config.replace(mitigation="none"))

    checks = {
        "fair_start": lambda: verdict(excess(o), "b_excess") == "within",
        # "far more patrols", "keeps sending patrols back": beyond 19 fair cities in 20
        "biased_history": lambda: excess(o) > band_of(bands, "b_excess")[1],
        "reports_only": lambda: excess(o) < excess(plain()) / 2,
        "reporting_gap": lambda: missed_gap(o) > band_of(bands, "gap:false_negative_rate")[1],
        "random_patrols": lambda: (
            hotspots_found(o)["found"] < hotspots_found(plain())["found"]
            and excess(o) > band_of(bands, "b_excess")[1]),
    }
    check = checks.get(key)
    if check is None:
        return []
    return [Claim(f"script.{key}", "holds" if check() else "fails", key)]
