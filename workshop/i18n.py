"""Translation helpers that the core can use without a UI.

``N_`` marks an English message template for extraction (Babel's keyword ``N_``)
without translating it: the core raises errors whose ``msgid`` is such a template,
and the UI translates it with ``_(err.msgid).format(**err.params)``.
"""


def N_(s: str) -> str:
    """Mark ``s`` for translation; returns it unchanged."""
    return s
