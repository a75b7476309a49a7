"""Sentences a page builds, as claims a test can check over many towns. No Streamlit.

Every sentence a use-case page builds that quotes a number or makes a claim is a
:class:`Claim`: where it goes on the page (``slot``), which of that place's sentences
it is (``variant``: "narrows", "widens", ...; empty for a sentence that only reads
numbers off the run) and its text in one language. Each use case's
``ui/<use case>_claims.py`` builds them from an outcome, the same settings' spread in
fair towns (``simulators.chance.Bands``) and a translator; its page shows them, and
``tests/test_claims.py`` makes every preset's claims in 30 towns and fails when a
variant holds in fewer than 9 in 10 of them.

A comparison is called only when it is clear of what chance alone makes
(:func:`versus_chance`): beyond the fair towns' band by its own width again. Closer
than that the page says chance could have made it, which is true of any town.

>>> versus_chance(0.15, (-0.04, 0.05)), versus_chance(0.12, (-0.04, 0.05))
('above', 'within')
"""

from __future__ import annotations

from dataclasses import dataclass

from simulators.chance import Bands
from ui.figures import per_100
from workshop.i18n import Translator

#: How far beyond the fair towns' band (as a share of its width) a difference must be
#: before a page calls it: the band holds 9 fair towns in 10, so a town just outside it
#: is not yet a finding, and a call must hold in 9 towns in 10 of its scenario.
MARGIN = 1.0


@dataclass(frozen=True)
class Claim:
    """One sentence of a page: where it goes, which sentence it is, and its words."""

    slot: str
    variant: str
    text: str


def sentences(claims: list[Claim]) -> str:
    """The claims' sentences, one after another."""
    return " ".join(c.text for c in claims)


def versus_chance(value: float | None, band: tuple[float, float] | None) -> str:
    """Where ``value`` stands against what chance alone makes (``band``, from fair
    towns): "above" or "below" when clearly beyond it, "within" otherwise, "unknown"
    without a band or a value."""
    if band is None or value is None or value != value:
        return "unknown"
    low, high = band
    margin = MARGIN * (high - low)
    if value > high + margin:
        return "above"
    if value < low - margin:
        return "below"
    return "within"


def band_of(bands: Bands | None, measure: str) -> tuple[float, float] | None:
    return None if bands is None else bands.band(measure)


def count_of_100(share: float, t: Translator) -> str:
    """A share as a count out of 100, never "0" for something that happened."""
    n = per_100(share)
    if n == 0 and share > 0:
        return t.gettext("fewer than 1")
    return t.number(n)


def spread_words(band: tuple[float, float], t: Translator) -> str:
    """A spread of differences, out of 100, in words: "anything from 3 lower to 4
    higher" (rounded once, as counts out of 100 are); the sentence says than what."""
    low, high = (int(round(100 * x)) for x in band)
    if low < 0 < high:
        return t.gettext("anything from {low} lower to {high} higher").format(
            low=-low, high=high)
    if low >= 0:
        return t.gettext("anything from {low} to {high} higher").format(low=low, high=high)
    return t.gettext("anything from {low} to {high} lower").format(low=-high, high=-low)


def chance_line(bands: Bands | None, t: Translator, measure: str | None = None) -> Claim:
    """The strip's word on chance: what towns with no bias make of the headline gap."""
    band = None if bands is None else (bands.headline if measure is None
                                       else bands.band(measure))
    if band is None:
        return Claim("strip.chance", "", t.gettext(
            "Working out what chance alone makes in towns with no bias…"))
    return Claim("strip.chance", "", t.gettext(
        "In made-up towns with no bias at all, chance alone puts group B's number {spread} "
        "than group A's, out of every 100 (9 towns in 10).").format(
            spread=spread_words(band, t)))
