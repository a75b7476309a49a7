"""The store's rules for what people send it, without the database.

- passphrases: ``require_strong_passphrase`` refuses short, blank, one-character and
  common ones (``data/common-passphrases.txt``); hashing them is the store's
  (``workshop.store``, scrypt);
- guesses, joins and new workshops: how many tries count within how long (a
  ``Limit`` each: ``LOGIN``, ``JOIN``, ``CREATE``, ``UNKNOWN_ROOM``) and how long
  someone past it waits (``blocked_for``); the tries are counted under ``digest`` of
  what they name, never the address or code itself; ``Throttle`` counts in memory
  (the room's poll, ``asgi.py``);
- what one participant may add: ``ADVICE_PER_PERSON`` pieces of advice, at most
  ``ADVICE_PER_MINUTE`` a minute;
- text: ``clean_text`` (no control characters, no marks that reorder text, nothing
  that renders as nothing), ``copy_key`` (the same text to the eye: UTS #39
  skeletons), ``normalise_code`` (a workshop or return code as typed) and
  ``USE_CASE`` (the names of use cases the store takes).

>>> normalise_code(" ab-c 12 ")
'ABC12'
>>> clean_text("  two\\r\\nlines\\u202e ")
'two\\nlines'
>>> clean_text("one\\tline\\n", lines=False)
'one line'
>>> copy_key("Keep a HUMAN in charge") == copy_key("Kеep a human  in charge")  # Cyrillic е
True
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from simulators.messages import N_
from workshop.errors import Refused

ROOT = Path(__file__).resolve().parents[1]
COMMON_PASSPHRASES = ROOT / "data" / "common-passphrases.txt"
CONFUSABLES = ROOT / "data" / "confusables.txt"

PASSPHRASE_MIN = 12
WINDOW = timedelta(minutes=10)
MIN_BLOCK = timedelta(minutes=1)


@dataclass(frozen=True)
class Limit:
    """At most ``tries`` within ``window``; past that, the next try waits until the
    window has passed, and at least ``min_block`` after the last counted try."""

    tries: int
    window: timedelta = WINDOW
    min_block: timedelta = MIN_BLOCK


#: Wrong passphrases and recovery codes, per address and per device (never per
#: workshop: someone else's wrong guesses never refuse the right passphrase).
LOGIN = Limit(10)
LOGIN_LIMIT = LOGIN.tries
#: New participants per address (``WORKSHOP_JOINS_PER_ADDRESS`` sets the number).
JOIN = Limit(4, timedelta(hours=1))
#: New workshops per address (``WORKSHOP_CREATES_PER_ADDRESS``).
CREATE = Limit(5, timedelta(hours=1))
#: Unknown join codes asked of ``/api/room`` per address, in memory (``Throttle``).
UNKNOWN_ROOM = Limit(30, timedelta(minutes=1))
#: A facilitator's device that has signed in to a workshop is known to it this long.
KNOWN_DEVICE = timedelta(days=30)
#: How long a participant's "use my return code on another device" holds.
HANDOVER = timedelta(minutes=10)
#: Tries are kept as long as the longest of these needs them.
KEEP_TRIES = max(JOIN.window, CREATE.window, LOGIN.window, HANDOVER) + MIN_BLOCK

ADVICE_PER_PERSON = 20
ADVICE_PER_MINUTE = 5

WAIT_LOGIN = N_("Too many wrong tries. Please wait {minutes} min and try again.")
WAIT_JOIN = N_("Too many people have joined from this network just now. Please wait "
               "{minutes} min and try again.")
WAIT_CREATE = N_("Too many workshops have been started from this network just now. "
                 "Please wait {minutes} min and try again.")

USE_CASE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Control characters (newline and tab stay in comments). The marks that reorder text on
# screen (bidi embedding, override and isolate marks) are format characters: below.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A subdivision flag (Wales: U+1F3F4 and the tags g b w l s, then CANCEL TAG) is the one
# place invisible tag characters belong; elsewhere they smuggle unseen text.
_FLAG = re.compile("(\U0001F3F4[\U000E0020-\U000E007E]{1,8}\U000E007F)")
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15): what
# renders as nothing, including the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0).
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
# Of those, joiners that shape scripts and emoji (ZWNJ, ZWJ) stay, and variation
# selectors stay right after something visible (the emoji form of ❤️).
_JOINERS = {"\u200c", "\u200d"}
_SELECTOR = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Not ignorable by Unicode, but blank to the eye: the Braille blank is a space.
_BLANK = {"\u2800": " "}


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


def blocked_for(times: Sequence[datetime], limit: Limit, now: datetime) -> timedelta:
    """How much longer one (kind, value) is blocked, given its latest ``limit.tries``
    tries (newest first): from its last allowed try within one window until that
    window has passed, and at least ``min_block`` after its last try; zero or less
    when it is not."""
    n = limit.tries
    if n and len(times) >= n and times[0] - times[n - 1] < limit.window:
        return max(times[n - 1] + limit.window, times[0] + limit.min_block) - now
    return timedelta(0)


class Throttle:
    """``Limit`` counted in this process's memory, per key (an address): ``blocked``
    says how many seconds a key still waits, ``note`` counts a try. Keeps at most
    ``max_keys`` keys (the longest untried are forgotten first). Thread-safe."""

    def __init__(self, limit: Limit, max_keys: int = 10_000,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.limit, self.max_keys, self.clock = limit, max_keys, clock
        self._tries: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> float:
        with self._lock:
            tries = self._tries.get(key)
            if not tries:
                return 0.0
            wait = blocked_for(list(reversed(tries)), self.limit, self.clock())
        return max(0.0, wait.total_seconds())

    def note(self, key: str) -> None:
        with self._lock:
            tries = self._tries.pop(key, None) or deque(maxlen=self.limit.tries)
            tries.append(self.clock())
            self._tries[key] = tries  # the most recently tried last
            if len(self._tries) > self.max_keys:
                del self._tries[next(iter(self._tries))]


# -- text -------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(code or "")).upper()


def clean_text(value: Any, *, lines: bool = True) -> str:
    """Participant text as stored: in NFC, no control characters (newlines and tabs
    kept if ``lines``, else made spaces), no marks that reorder text, nothing that
    renders as nothing (Unicode's default-ignorable characters and other invisible
    format characters, the Hangul fillers; the Braille blank is a space), so no
    lookalike copies of someone's advice and no blank cards; no outer spaces; ""
    when nothing visible is left."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n"))
    text = "".join(part if i % 2 else _drop_invisible(part)
                   for i, part in enumerate(_FLAG.split(text)))
    if not lines:
        text = re.sub(r"\s+", " ", text)
    text = text.strip()
    # Nothing a person can see (only spaces, joiners and selectors): nothing was written.
    return text if any(_shows(c) for c in text) else ""


def _shows(c: str) -> bool:
    return not c.isspace() and c not in _JOINERS and not _SELECTOR.match(c)


def _drop_invisible(text: str) -> str:
    kept: list[str] = []
    for c in text:
        if c in _JOINERS:
            kept.append(c)
        elif _SELECTOR.match(c):
            if kept and _shows(kept[-1]):
                kept.append(c)
        elif c in _BLANK:
            kept.append(_BLANK[c])
        elif not _IGNORABLE.match(c) and unicodedata.category(c) != "Cf":
            kept.append(c)
    return "".join(kept)


@functools.cache
def _prototypes() -> dict[str, str]:
    """Unicode's confusables (``data/confusables.txt``): each character's prototype."""
    table = {}
    for line in CONFUSABLES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split(";")
            table[chr(int(source, 16))] = "".join(chr(int(x, 16)) for x in target.split())
    return table


def skeleton(text: str) -> str:
    """The UTS #39 skeleton: two texts with the same skeleton look alike (NFD, without
    default-ignorable characters, each character replaced by its prototype, NFD)."""
    table = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(
        table.get(c, c) for c in decomposed if not _IGNORABLE.match(c)))


@functools.lru_cache(maxsize=4096)
def copy_key(text: str) -> str:
    """What two texts share when one is a copy of the other to the eye: the same
    skeleton, whatever the case and the spacing."""
    return " ".join(skeleton(skeleton(text).casefold()).split())


def check_client_id(client_id: Any) -> None:
    """A participant's write names itself with a ``client_id`` (8 to 64 characters), so
    sending it twice stores it once."""
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
        raise ValueError("client_id must be a string of 8 to 64 characters")
