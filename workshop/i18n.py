"""Languages: English and Welsh, through gettext catalogues read with Babel. No Streamlit.

Every sentence a person sees is an English message id, marked where it is written
with ``_()`` (translated at once, in ``ui/``) or ``N_()`` (from ``simulators.messages``;
only marked: a label kept in a declaration, translated where it is shown).
``make translations`` extracts them into ``locales/messages.pot`` and merges that into
each language's ``.po`` file; the app reads the ``.po`` files directly (compiled in
memory once per process), so there is no build step and no binary file in the repository.

>>> Translator("xx").lang, Translator("en").gettext("Join")
('en', 'Join')
>>> Translator("cy").number(1234.5, 1)
'1,234.5'
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
DOMAIN = "messages"
#: The languages a workshop can run in, named in their own language.
LANGUAGES: Mapping[str, str] = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"


def normalise(lang: Any) -> str:
    """A supported language code, or the default: ``"CY"`` -> ``"cy"``, ``"fr"`` -> ``"en"``."""
    code = str(lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT


def catalogue_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    path = catalogue_path(lang)
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Translator:
    """One language's messages, numbers and dates."""

    def __init__(self, lang: Any = DEFAULT) -> None:
        self.lang = normalise(lang)
        self._t = _translations(self.lang)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def number(self, x: float, decimals: int = 0) -> str:
        """A number as this language writes it: ``1,234``, ``0.5``."""
        from babel.numbers import format_decimal

        fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(x, format=fmt, locale=self.lang)

    def date(self, when: datetime, with_time: bool = True) -> str:
        """``3 March 2026, 14:05`` (in Welsh, ``3 Mawrth 2026, 14:05``)."""
        from babel.dates import format_datetime

        pattern = "d MMMM y, HH:mm" if with_time else "d MMMM y"
        return format_datetime(when, pattern, locale=self.lang)


@functools.cache
def translator(lang: str) -> Translator:
    return Translator(lang)
