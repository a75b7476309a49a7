"""Refusals a person reads: an English template marked for translation, and its values.

>>> err = Refused("Choose a passphrase of at least {n} characters.", n=12)
>>> str(err)
'Choose a passphrase of at least 12 characters.'
>>> err.msgid, err.params
('Choose a passphrase of at least {n} characters.', {'n': 12})

The UI shows ``_(err.msgid).format(**err.params)``; ``str(err)`` is the English.
"""

from __future__ import annotations

from typing import Any


class StoreUnavailable(RuntimeError):
    """The database could not be reached; nothing was written."""


class Refused(ValueError):
    """Bad input or a refused action, with a message meant for a person."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(msgid.format(**params))


class WorkshopNotFound(Refused):
    """No open workshop has this code."""


class AnswersLocked(Refused):
    """The facilitator has paused answers in this workshop; nothing was written."""


class TooManyAttempts(Refused):
    """Too many tries from one place or for one workshop; ``retry_after`` in seconds."""

    def __init__(self, msgid: str, *, retry_after: int, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(msgid, **params)
