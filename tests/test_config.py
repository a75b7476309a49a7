"""Config metadata: one place for default, range, label, help; validation names the field."""

from dataclasses import FrozenInstanceError, dataclass

import pytest

from simulators.config import SimConfig, setting, settings_of


@dataclass(frozen=True)
class DemoConfig(SimConfig):
    n_rows: int = setting(1000, label="How many rows", help="Size.", min=100, max=5000)
    bias: float = setting(0.0, label="Bias", help="Skew.", min=0, max=0.8)
    method: str = setting("a", label="Method", help="Which.", choices={"a": "First", "b": "Second"})
    seed: int = setting(1, label="World number", help="Seed.", min=0, max=9999, advanced=True)


def test_defaults_and_metadata_live_on_the_field():
    names = [name for name, _meta, _default in settings_of(DemoConfig)]
    assert names == ["n_rows", "bias", "method", "seed"]
    meta = dict((n, m) for n, m, _ in settings_of(DemoConfig))
    assert meta["bias"].max == 0.8 and meta["bias"].label == "Bias"
    assert meta["method"].describe("b") == "Second"
    assert meta["seed"].advanced


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(bias=0.9), r"bias \(Bias\) must be between 0 and 0.8, got 0.9"),
        (dict(n_rows=50), r"n_rows .* between 100 and 5000"),
        (dict(n_rows="many"), r"n_rows .* whole number"),
        (dict(n_rows=150.5), r"n_rows .* whole number"),
        (dict(bias=float("nan")), r"bias .* number"),
        (dict(method="c"), r"method .* one of 'a', 'b', got 'c'"),
    ],
)
def test_out_of_range_values_name_the_field_and_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DemoConfig(**kwargs)


def test_whole_floats_become_ints_and_configs_are_frozen():
    c = DemoConfig(n_rows=200.0)
    assert c.n_rows == 200 and isinstance(c.n_rows, int)
    with pytest.raises(FrozenInstanceError):
        c.bias = 0.5


def test_round_trip_through_a_dict_ignores_unknown_keys():
    c = DemoConfig(bias=0.4, method="b")
    d = c.to_dict()
    assert d == {"n_rows": 1000, "bias": 0.4, "method": "b", "seed": 1}
    assert DemoConfig.from_dict({**d, "old_field": 3}) == c
    assert c.replace(bias=0.1).bias == 0.1
