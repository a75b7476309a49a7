"""Simulator settings: each field carries its default, range, label and help once.

A use case declares its ``Config`` as a frozen dataclass whose fields are made with
:func:`setting`. Sliders (``ui/config_sliders.py``), validation, presets and the
record kept with each reaction all read the same metadata, so a range or a label
lives in exactly one place.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(SimConfig):
...     bias: float = setting(0.0, label="Bias", help="How skewed.", min=0, max=1)
>>> Demo(bias=2)
Traceback (most recent call last):
...
ValueError: bias (Bias) must be between 0 and 1, got 2
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Setting:
    """What a person needs to know about one simulator setting."""

    label: str
    help: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple[str, ...] | None = None
    choice_labels: Mapping[str, str] = field(default_factory=dict)
    advanced: bool = False  # shown under "More settings" rather than up front
    bias: bool = False  # puts bias into the data: what the workshop asks people to move
    #: How a slider says its value in people's units, a message id with ``{n}``:
    #: ``"{n} in 100 calls"`` shows 0.3 as "30 in 100 calls" (``n`` = value x scale).
    unit: str | None = None
    scale: float = 1.0

    def describe(self, value: Any) -> str:
        """The plain-language name of a value (a choice's label, or the value)."""
        if self.choices is not None:
            return self.choice_labels.get(value, str(value))
        return str(value)


def setting(
    default: Any,
    *,
    label: str,
    help: str,
    min: float | None = None,
    max: float | None = None,
    step: float | None = None,
    choices: Mapping[str, str] | tuple[str, ...] | None = None,
    advanced: bool = False,
    bias: bool = False,
    unit: str | None = None,
    scale: float | None = None,
) -> Any:
    """A dataclass field with its metadata. ``choices`` may map value -> label;
    ``bias`` marks a slider that puts bias into the data; ``unit`` says a value in
    people's units (``scale`` defaults to 100 for a share between 0 and 1)."""
    labels: dict[str, str] = {}
    values = None
    if choices is not None:
        if isinstance(choices, Mapping):
            labels = dict(choices)
            values = tuple(choices)
        else:
            values = tuple(choices)
    if scale is None:
        scale = 100.0 if isinstance(default, float) and max is not None and max <= 1 else 1.0
    meta = Setting(label, help, min, max, step, values, labels, advanced, bias, unit, scale)
    return field(default=default, metadata={"setting": meta})


def settings_of(cls_or_config: Any) -> list[tuple[str, Setting, Any]]:
    """(name, Setting, default) for every field declared with :func:`setting`."""
    out = []
    for f in dataclasses.fields(cls_or_config):
        meta = f.metadata.get("setting")
        if meta is not None:
            out.append((f.name, meta, f.default))
    return out


def _fmt(x: float) -> str:
    return f"{x:g}"


def validate(config: Any) -> None:
    """Raise ``ValueError`` naming the field and its range if a value is out of bounds."""
    for name, meta, default in settings_of(config):
        value = getattr(config, name)
        where = f"{name} ({meta.label})"
        if meta.choices is not None:
            if value not in meta.choices:
                allowed = ", ".join(repr(c) for c in meta.choices)
                raise ValueError(f"{where} must be one of {allowed}, got {value!r}")
            continue
        is_bool = isinstance(value, bool)
        if isinstance(default, int) and not isinstance(default, bool):
            if is_bool or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    object.__setattr__(config, name, int(value))
                    value = int(value)
                else:
                    raise ValueError(f"{where} must be a whole number, got {value!r}")
        elif isinstance(default, float):
            if is_bool or not isinstance(value, (int, float)):
                raise ValueError(f"{where} must be a number, got {value!r}")
            if value != value:  # NaN
                raise ValueError(f"{where} must be a number, got {value!r}")
        lo, hi = meta.min, meta.max
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if lo is not None and hi is not None:
                rng = f"between {_fmt(lo)} and {_fmt(hi)}"
            elif lo is not None:
                rng = f"at least {_fmt(lo)}"
            else:
                rng = f"at most {_fmt(hi)}"
            raise ValueError(f"{where} must be {rng}, got {value!r}")
        if isinstance(default, float) and (
            not isinstance(value, float) or value != round(value, 10)
        ):
            # One value, one config: a slider's 0.15000000000000002 is 0.15, so equal
            # settings share one cached simulation.
            object.__setattr__(config, name, round(float(value), 10))


class SimConfig:
    """Mixin for a use case's frozen ``Config``: validates on creation."""

    def __post_init__(self) -> None:
        validate(self)

    def to_dict(self) -> dict[str, Any]:
        """The settings as a JSON-able dict (what a reaction records)."""
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Any:
        """Build a config from a dict, ignoring keys this config does not have."""
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in values.items() if k in names})

    def replace(self, **changes: Any) -> Any:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class Preset:
    """A named scenario the facilitator can put the whole room on.

    ``script`` is two sentences the facilitator can say while it is on screen.
    """

    key: str
    title: str
    script: str
    config: Any
