"""The facilitator's access, part of ``workshop.store.Store``: passphrases (scrypt) and
recovery codes checked, every guess counted (``workshop.tries``).

A guess at a passphrase or a recovery code is counted against the address and the
device it came from, never against the workshop: the code is on the projector, and
someone else's wrong guesses never refuse the right passphrase to a device that has
signed in before. The limits are ``workshop.security``'s.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, exists, select

from simulators.messages import N_
from workshop.database import Database
from workshop.environment import env_int
from workshop.errors import Refused
from workshop.models import Attempt, Series, Workshop, new_code
from workshop.security import (
    LOGIN,
    WAIT_LOGIN,
    digest,
    normalise_code,
    require_strong_passphrase,
)
from workshop.tries import KNOWN, Check, Tries

RECOVERY_LENGTH = 16



# -- passphrases ------------------------------------------------------------------


#: scrypt's cost as a power of two (n = 2**14, about 50 ms). ``WORKSHOP_SCRYPT_COST``
#: lowers it for the tests only; each hash names its own cost, so a passphrase set at one
#: cost is still checked at that cost.
SCRYPT_COST = 14


def _cost() -> int:
    return env_int("WORKSHOP_SCRYPT_COST", SCRYPT_COST, minimum=10, maximum=20)


def _derive(passphrase: str, salt: bytes, cost: int = SCRYPT_COST) -> str:
    """The one slow step (scrypt) of hashing or checking a passphrase."""
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=2**cost, r=8, p=1,
                          maxmem=256 * 2**cost * 8 * 2).hex()


def hash_passphrase(passphrase: str) -> str:
    salt, cost = secrets.token_bytes(16), _cost()
    scheme = "scrypt" if cost == SCRYPT_COST else f"scrypt:{cost}"
    return f"{scheme}${salt.hex()}${_derive(passphrase, salt, cost)}"


def check_passphrase(passphrase: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
        cost = int(scheme.partition(":")[2] or SCRYPT_COST)
    except ValueError:
        return False
    if not 10 <= cost <= 20:
        return False
    return hmac.compare_digest(_derive(passphrase, salt, cost), digest_hex)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when a code is unknown, so that costs what a real check costs."""
    return hash_passphrase(secrets.token_hex(16))


class Access(Database):
    """Passphrases, recovery codes and counted tries."""

    def __init__(self, url: str | None = None, *,
                 now: Callable[[], datetime] | None = None) -> None:
        super().__init__(url, now=now)
        self.tries = Tries(self)  # every guess, join and new workshop counted

    @staticmethod
    def _guesser(address: str | None, device: str | None) -> list[Check]:
        """The counters of a guess at a passphrase or recovery code: the address and
        the device it came from (an address nobody knows counts as one address)."""
        checks = [("login_device", device, LOGIN)] if device else []
        if address or not device:
            checks.append(("login_from", str(address or "unknown"), LOGIN))
        return checks

    def _guess(self, code: str, address: str | None, device: str | None,
               right: Callable[[Workshop | None], bool]) -> Workshop | None:
        """One guess at a workshop's secret: counted as wrong before it is checked (so
        guesses at the same moment cannot slip past the limit), forgotten if
        ``right``. A device that has signed in to this workshop before is not held
        up by others' wrong guesses from its address, only by its own."""
        checks = self._guesser(address, device)
        known = (KNOWN, f"{code}:{device}")
        with self._session() as s:
            self.tries.hold(s, [(k, v) for k, v, _ in checks])
            if device and s.scalar(select(exists().where(
                    Attempt.kind == KNOWN, Attempt.key == digest(*known)))):
                checks = [c for c in checks if c[0] != "login_from"]
            self.tries.refuse_if_blocked(s, checks, WAIT_LOGIN)
            tries = self.tries.note(s, [(k, v) for k, v, _ in checks])
            w = s.scalar(select(Workshop).where(Workshop.code == code))
        if not right(w) or w is None:
            return None
        self.tries.forget(tries)
        with self._session() as s:
            if device:
                s.execute(delete(Attempt).where(Attempt.kind == KNOWN,
                                                Attempt.key == digest(*known)))
                self.tries.note(s, [known])
        return w

    # -- the facilitator's passphrase -----------------------------------------------

    def verify_facilitator(self, code: str, passphrase: str, address: str | None = None,
                           device: str | None = None) -> bool:
        """Is this the workshop's passphrase? After ``LOGIN`` wrong guesses from one
        ``address`` or one ``device`` (the browser's own token), raises
        ``TooManyAttempts``; others' wrong guesses never refuse a device that has
        signed in to this workshop before, and never the workshop as such."""
        code = normalise_code(code)
        # An unknown code costs the same one check, so timing tells nothing.
        return self._guess(code, address, device, lambda w: check_passphrase(
            str(passphrase or ""), w.passphrase_hash if w else _dummy_hash())) is not None

    def reset_passphrase(self, code: str, recovery_code: str, passphrase: str,
                         address: str | None = None, device: str | None = None) -> str:
        """Give the workshop a new passphrase with its recovery code, counted as a
        guess like a passphrase. Returns the workshop's new recovery code (the old one
        is used up). In a series, the series and its workshops that shared the old
        passphrase take the new one. The Screen's link changes with it."""
        require_strong_passphrase(passphrase)
        code, typed = normalise_code(code), digest("recovery", normalise_code(recovery_code))
        wrong = N_("That recovery code does not belong to this workshop. Check both "
                   "codes and try again.")
        if self._guess(code, address, device, lambda w: w is not None and bool(
                w.recovery_hash) and hmac.compare_digest(w.recovery_hash, typed)) is None:
            raise Refused(wrong)
        fresh, hashed = new_code(RECOVERY_LENGTH), hash_passphrase(passphrase)
        with self._change(code) as (s, w):  # the workshop held: used up once only
            s.refresh(w)
            if w.recovery_hash != typed:
                raise Refused(wrong)
            old = w.passphrase_hash
            w.passphrase_hash, w.recovery_hash = hashed, digest("recovery", fresh)
            series = s.get(Series, w.series_id) if w.series_id is not None else None
            if series is not None and series.passphrase_hash == old:
                series.passphrase_hash = hashed
                for other in s.scalars(select(Workshop).where(
                        Workshop.series_id == series.id, Workshop.passphrase_hash == old)):
                    other.passphrase_hash = hashed
        return fresh
