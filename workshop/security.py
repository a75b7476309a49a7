"""The store's rules for what people send it, without the database.

- passphrases: ``require_strong_passphrase`` refuses short, blank, one-character and
  common ones (``data/common-passphrases.txt``); hashing them is the store's
  (``workshop.store``, scrypt);
- guesses and joins: how many tries count (``WINDOW``, ``MIN_BLOCK``, ``LOGIN_LIMIT``)
  and how long someone past the limit waits (``blocked_for``); the tries are counted
  under ``digest`` of what they name, never the address or code itself;
- text: ``clean_text`` (no control characters or marks that reorder text),
  ``normalise_code`` (a workshop or return code as typed) and ``USE_CASE`` (the
  names of use cases the store takes).

>>> normalise_code(" ab-c 12 ")
'ABC12'
>>> clean_text("  two\\r\\nlines\\u202e ")
'two\\nlines'
>>> clean_text("one\\tline\\n", lines=False)
'one line'
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from simulators.messages import N_
from workshop.errors import Refused

ROOT = Path(__file__).resolve().parents[1]
COMMON_PASSPHRASES = ROOT / "data" / "common-passphrases.txt"

PASSPHRASE_MIN = 12
#: Wrong passphrases (per workshop code, per address) and joins (per address) are
#: counted over this window; past the limit, the next try waits at least MIN_BLOCK.
WINDOW = timedelta(minutes=10)
MIN_BLOCK = timedelta(minutes=1)
LOGIN_LIMIT = 10

WAIT_LOGIN = N_("Too many wrong tries. Please wait {minutes} min and try again.")
WAIT_JOIN = N_("Too many people have joined from this network just now. Please wait "
               "{minutes} min and try again.")

USE_CASE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Control characters (newline and tab stay in comments). The marks that reorder text on
# screen (bidi embedding, override and isolate marks) are format characters: below.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A subdivision flag (Wales: U+1F3F4 and the tags g b w l s, then CANCEL TAG) is the one
# place invisible tag characters belong; elsewhere they smuggle unseen text.
_FLAG = re.compile("(\U0001F3F4[\U000E0020-\U000E007E]{1,8}\U000E007F)")
# Joiners that shape scripts and emoji (ZWNJ, ZWJ) stay; other invisible format
# characters (bidi marks, zero-width space, word joiner, BOM, soft hyphen, tags) go.
_JOINERS = {"\u200c", "\u200d"}


# -- passphrases ------------------------------------------------------------------


@functools.cache
def _common_passphrases() -> frozenset[str]:
    lines = COMMON_PASSPHRASES.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


def require_strong_passphrase(passphrase: Any) -> None:
    """Refuse a passphrase that is short, blank, one repeated character or common."""
    phrase = passphrase.strip().lower() if isinstance(passphrase, str) else ""
    if not phrase:
        raise Refused(N_("Choose a passphrase: it can't be empty or only spaces."))
    if len(phrase) < PASSPHRASE_MIN:
        raise Refused(N_("Choose a passphrase of at least {n} characters."), n=PASSPHRASE_MIN)
    if len(set(phrase)) == 1:
        raise Refused(N_("A passphrase of one character repeated is easy to guess. "
                         "Choose another."))
    common = _common_passphrases()
    if phrase in common or re.sub(r"\s+", "", phrase) in common:
        raise Refused(N_("That passphrase is on a list of common passwords, so it is easy "
                         "to guess. Choose another."))


# -- counting tries -----------------------------------------------------------------


def digest(kind: str, value: str) -> str:
    """What a try (or a device) is kept under: a hash of its kind and value."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def blocked_for(times: Sequence[datetime], limit: int, now: datetime) -> timedelta:
    """How much longer one (kind, value) is blocked, given its latest ``limit`` tries
    (newest first): from its ``limit``-th try within one WINDOW until that window has
    passed, and at least MIN_BLOCK after its last try; zero or less when it is not."""
    if limit and len(times) >= limit and times[0] - times[-1] < WINDOW:
        return max(times[-1] + WINDOW, times[0] + MIN_BLOCK) - now
    return timedelta(0)


# -- text -------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(code or "")).upper()


def clean_text(value: Any, *, lines: bool = True) -> str:
    """Participant text as stored: in NFC, no control characters (newlines and tabs
    kept if ``lines``, else made spaces), no marks that reorder text, no invisible
    characters (so no lookalike copies of someone's advice and no blank cards), no
    outer spaces; "" when nothing visible is left."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n"))
    text = "".join(part if i % 2 else _drop_invisible(part)
                   for i, part in enumerate(_FLAG.split(text)))
    if not lines:
        text = re.sub(r"\s+", " ", text)
    text = text.strip()
    # Nothing a person can see (only spaces and joiners): nothing was written.
    return text if any(c not in _JOINERS and not c.isspace() for c in text) else ""


def _drop_invisible(text: str) -> str:
    return "".join(c for c in text if c in _JOINERS or unicodedata.category(c) != "Cf")


def check_client_id(client_id: Any) -> None:
    """A participant's write names itself with a ``client_id`` (8 to 64 characters), so
    sending it twice stores it once."""
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
        raise ValueError("client_id must be a string of 8 to 64 characters")
