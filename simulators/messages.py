"""Message ids: how every layer marks an English sentence for translation.

A sentence a person will read is written in English where it is declared (a
setting's label, a scenario's script, a store's error) and marked with :func:`N_`;
it is translated only where it is shown (``ui.i18n._``, ``workshop.i18n.Translator``),
in the language of whoever reads it. ``make translations`` finds every ``N_(...)``.
This is the ground floor, so the simulators can mark their words without importing
anything above them.

>>> N_("Join")
'Join'
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it here."""
    return message
