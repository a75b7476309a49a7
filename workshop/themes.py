"""What people's words are about: the dialogue's themes, found by word lists a
facilitator can read and correct.

Each theme has a list of words and phrases, kept as a message in the language
catalogues (``locales/``), so the English list is written here and the Welsh one is
its translation: anyone can read, and change, why a comment was tagged. A word ending
in ``*`` also matches longer words that start with it (``accountab*``: accountable,
accountability); a phrase matches its words in a row. Matching ignores case and
accents (``caniatad`` finds ``caniatâd``). A facilitator corrects a tag in the
moderation queue (``Store.set_themes``); the correction wins over the lists.

>>> themes_of("Who is accountable when the AI gets it wrong?")
['oversight', 'accuracy_bias']
>>> themes_of("Dylai'r heddlu fod yn dryloyw", lang="cy")
['transparency']
"""

from __future__ import annotations

import functools
import re
import unicodedata

from simulators.messages import N_
from workshop.i18n import LANGUAGES, translator

#: The dialogue's themes: its three themes of advice, and what else people raised.
THEMES: dict[str, str] = {
    "oversight": N_("Oversight and accountability"),
    "accuracy_bias": N_("Accuracy and bias"),
    "transparency": N_("Transparency"),
    "people_bias": N_("People's bias and the AI's"),
    "evidence": N_("Evidence it works"),
    "jobs": N_("Jobs"),
    "data_privacy": N_("Personal data"),
    "pace": N_("Pace of change"),
}

#: Each theme's words and phrases, separated by commas (translated, not just copied:
#: the Welsh list holds Welsh words, with their mutated forms).
WORDS: dict[str, str] = {
    "oversight": N_(
        "oversee*, oversight, accountab*, answerable, responsib*, supervis*, regulat*, "
        "watchdog*, a human, a real person, human check*, person check*, people check*, "
        "check every*, checks every*, human in the loop, double-check*, checked by, "
        "sign off, monitor*, inspect*, ombudsman, consequences, in charge"),
    "accuracy_bias": N_(
        "accura*, inaccura*, bias*, unbias*, unfair*, fair, fairer, fairly, fairness, "
        "discriminat*, racis*, prejudic*, mistake*, error*, wrong*, false, mishear*, "
        "misheard, missed, skew*, unequal*, equally, stereotyp*, profiling"),
    "transparency": N_(
        "transparen*, open, openly, openness, publish*, tell the public, told, inform*, "
        "explain*, explanation*, honest*, communicat*, disclos*, aware*, secret*, hidden, "
        "hide"),
    "people_bias": N_(
        "human bias*, people's bias*, officers' bias*, biased people, biased officers, "
        "better than humans, better than people, worse than humans, worse than people, "
        "than a human, than a person, than people, than humans, human judgement, "
        "human judgment, gut feeling*, instinct*"),
    "evidence": N_(
        "evidence it works, evidence that it works, evidence base, no evidence, enough "
        "evidence, proof, prove*, proven, trial*, pilot*, tested, testing, research*, "
        "effective*, track record"),
    "jobs": N_(
        "job, jobs, staff*, employ*, unemploy*, redundan*, workers, workforce, "
        "call handler*, replace*, cuts, cut costs, savings, save money, frontline, "
        "front line, careers"),
    "data_privacy": N_(
        "data, privacy, private, surveil*, consent*, gdpr, stored, storage, secur*, "
        "breach*, hack*, leak*, cctv, facial recognition, company, companies, "
        "third part*"),
    "pace": N_(
        "too fast, too quick*, too soon, rush*, slow down, slowly, pace, hurry, "
        "inevitab*, already happening, without asking, phased, step by step, gradual*, "
        "too much, moratorium"),
}


def _plain(text: str) -> str:
    """Lower case, without accents: ``Caniatâd`` -> ``caniatad``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _plain(text))


@functools.cache
def patterns(lang: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each theme's phrases in ``lang``, as words (one ending in ``*`` is a prefix)."""
    t = translator(lang)
    out = {}
    for theme, words in WORDS.items():
        phrases = []
        for entry in t.gettext(words).split(","):
            phrase = tuple(re.findall(r"\w+\*?", _plain(entry)))
            if phrase:
                phrases.append(phrase)
        out[theme] = tuple(phrases)
    return out


def _regex(phrase: tuple[str, ...]) -> str:
    """A phrase as a pattern over words joined by single spaces."""
    words = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in phrase]
    return r"(?<!\w)" + " ".join(words) + r"(?!\w)"


@functools.cache
def _compiled(lang: str) -> dict[str, re.Pattern[str]]:
    """Each theme's phrases in ``lang`` as one pattern."""
    return {theme: re.compile("|".join(map(_regex, phrases)))
            for theme, phrases in patterns(lang).items() if phrases}


def themes_of(text: str, lang: str = "en") -> list[str]:
    """The themes whose words or phrases ``text`` uses, in the order of ``THEMES``."""
    words = " ".join(_words(text or ""))
    if not words:
        return []
    return [theme for theme, pattern in _compiled(lang).items() if pattern.search(words)]


def tags(text: str) -> list[str]:
    """The themes found in ``text`` by the word lists of every language the workshop
    runs in (a Welsh room writes in Welsh and English), in the order of ``THEMES``."""
    return list(_tags(text))


@functools.lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[str, ...]:
    """``tags``, worked out once per text (the Console and the Screen ask often)."""
    found = {theme for lang in LANGUAGES for theme in themes_of(text, lang)}
    return tuple(theme for theme in THEMES if theme in found)
