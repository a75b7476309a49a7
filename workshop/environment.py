"""Numbers a facilitator or a host sets through the environment, read one way.

Every ``WORKSHOP_...`` number the app reads goes through :func:`env_number`: blank or
unset gives the default; anything else must be a number within its range, or the
error names the variable, what it must be and what it got.

>>> import os
>>> os.environ["WORKSHOP_DEMO"] = " 12 "
>>> env_number("WORKSHOP_DEMO", 5, minimum=1), env_int("WORKSHOP_DEMO", 5)
(12.0, 12)
>>> os.environ["WORKSHOP_DEMO"] = "lots"
>>> env_int("WORKSHOP_DEMO", 5)
Traceback (most recent call last):
...
ValueError: WORKSHOP_DEMO must be a whole number, got 'lots'
"""

from __future__ import annotations

import os


def env_number(name: str, default: float, *, minimum: float | None = None,
               maximum: float | None = None) -> float:
    """``name``'s value as a number within ``[minimum, maximum]``, or ``default``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None
    return _within(name, value, raw, minimum, maximum)


def env_int(name: str, default: int, *, minimum: int | None = 0,
            maximum: int | None = None) -> int:
    """``name``'s value as a whole number within ``[minimum, maximum]``, or ``default``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    return int(_within(name, value, raw, minimum, maximum))


def _within(name: str, value: float, raw: str, minimum: float | None,
            maximum: float | None) -> float:
    if value != value:  # NaN
        raise ValueError(f"{name} must be a number, got {raw!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum:g}, got {raw}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:g}, got {raw}")
    return value
