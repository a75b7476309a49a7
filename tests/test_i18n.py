"""Every sentence people see is in the Welsh catalogue, and Welsh pages speak Welsh."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from tests.pages import texts
from workshop.i18n import LANGUAGES, catalogue_path

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extracted() -> set[str]:
    """What `make translations` would extract from the code now (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalogue(lang: str):
    with catalogue_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def messages() -> set[str]:
    return extracted()


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_in_the_catalogue(messages, lang):
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
    missing = sorted(messages - known)
    assert not missing, (
        f"{len(missing)} messages are not in the {lang} catalogue: run `make translations` "
        f"and translate them. First: {missing[:5]}")


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_the_catalogue_is_nearly_all_translated_and_keeps_every_placeholder(messages, lang):
    entries = [m for m in catalogue(lang) if m.id and
               (m.id if isinstance(m.id, str) else m.id[0]) in messages]
    done = [m for m in entries if (m.string if isinstance(m.string, str)
                                   else all(m.string)) and not m.fuzzy]
    assert len(done) >= 0.95 * len(entries), f"{len(done)} of {len(entries)} translated"
    for m in done:
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = set().union(*(_fields(i) for i in ids))
        for s in strings:
            # A translation may drop {n} where the language's plural form says it, but
            # must never name a placeholder the code does not fill.
            assert _fields(s) <= wanted, (m.id, s)
            if len(ids) == 1:
                assert _fields(s) == wanted, (m.id, s)


def test_welsh_is_chosen_by_the_address_and_kept_in_it():
    english = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not english.exception
    welsh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    welsh.query_params["lang"] = "cy"
    welsh.run()
    assert not welsh.exception
    assert texts(welsh) != texts(english)
    assert re.search(r"gweithdy", texts(welsh), re.I)  # "workshop"
    assert welsh.query_params["lang"] == ["cy"] or welsh.query_params["lang"] == "cy"


def test_the_language_picker_switches_the_welcome_page_to_welsh():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    english = texts(at)
    at.button_group(key="lang.picker").set_value("cy").run()
    assert not at.exception
    assert texts(at) != english and at.session_state["lang"] == "cy"
