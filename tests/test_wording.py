"""The sentences under the numbers."""

import numpy as np
import pandas as pd

from simulators.fairness import Outcome, Terms
from ui import wording


def test_headline_puts_the_worse_off_group_first():
    terms = Terms(unit="calls", positive="needed a fast response", missed="missed")
    y_true = np.array([1] * 100 + [1] * 100)
    y_pred = np.array([0] * 9 + [1] * 91 + [0] * 23 + [1] * 77)
    out = Outcome(y_true, y_pred, pd.Series(["A"] * 100 + ["B"] * 100), terms=terms)
    assert wording.headline(out) == (
        "Of every 100 calls that needed a fast response, the AI missed 23 from group B; "
        "from group A, 9."
    )


def test_points_and_per_100():
    assert wording.points(0.234) == "23 percentage points"
    assert wording.points(0.01) == "1 percentage point"
    assert wording.points(0.001) == "no difference"
    assert wording.per_100(float("nan")) == "none"
    assert wording.short_points(0.234) == "23 points" and wording.short_points(0) == "no gap"


def test_reading_says_when_groups_are_level():
    y = np.array([1, 0] * 50)
    out = Outcome(y, y, pd.Series(["A"] * 50 + ["B"] * 50))
    assert "nearly level" in wording.chart_reading(out, ["selection_rate", "false_negative_rate"])


def test_palette_is_colour_blind_safe_okabe_ito():
    assert wording.group_colours(["A", "B", "C"]) == ["#0072B2", "#E69F00", "#009E73"]
