"""Rounding intervals at their bounds, for negative numbers and zero.

Written after the mutation run of docs/testing.md: mutants that swapped the
open/closed bounds of negative numbers, of the interval test itself, and of
``RoundingInterval.distance`` survived the suite.  The oracle here is
independent of gvhdstats: Python's :mod:`decimal` module, whose rounding
constants are the textbook rules (``ROUND_HALF_UP`` rounds ties away from zero,
``ROUND_DOWN`` truncates towards zero, ...).  A printed string ``q`` contains
an exact value ``x`` exactly when ``x`` quantized to ``q``'s places equals
``q``.
"""

from __future__ import annotations

import math
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
)
from fractions import Fraction

import numpy as np
import pytest

from gvhdstats.errors import InvalidArgumentError, InvalidCountError, ReportedNumberError
from gvhdstats.numbers import Reported, RoundingInterval, RoundingMode
from gvhdstats.numbers.recover import recover_counts, recover_totals

STDLIB = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.HALF_DOWN: ROUND_HALF_DOWN,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
    RoundingMode.TRUNCATE: ROUND_DOWN,
    RoundingMode.CEILING: ROUND_CEILING,
    RoundingMode.FLOOR: ROUND_FLOOR,
}

# exact values -0.300, -0.295, ..., 0.300 (every tie at one decimal place included)
GRID = [Decimal(k).scaleb(-3) for k in range(-300, 301, 5)]
PRINTED_1DP = [Decimal(k).scaleb(-1) for k in range(-4, 5)]  # -0.4 ... 0.4


@pytest.mark.parametrize("mode", list(STDLIB), ids=str)
def test_contains_exact_agrees_with_decimal_rounding(mode):
    """Every grid value, every printed one-decimal number, both signs and zero."""
    rule = STDLIB[mode]
    for printed in PRINTED_1DP:
        text = f"{printed:.1f}"
        rep = Reported(text)
        for x in GRID:
            expected = x.quantize(Decimal("0.1"), rounding=rule) == printed
            got = rep.contains_exact(Fraction(x), mode)
            assert got == expected, (text, str(x), mode)


@pytest.mark.parametrize(
    ("mode", "closed"),
    [
        # -0.45 rounds half-up (away from zero) to -0.5, -0.35 to -0.4: (-0.45, -0.35]
        (RoundingMode.HALF_UP, (False, True)),
        # half-down keeps ties towards zero: [-0.45, -0.35)
        (RoundingMode.HALF_DOWN, (True, False)),
    ],
)
def test_negative_risk_difference_and_its_ci_bounds(mode, closed):
    """A printed risk difference -0.4 (-0.7 to -0.1): every number is negative."""
    for text, lo, hi in (("-0.4", "-0.45", "-0.35"), ("-0.7", "-0.75", "-0.65")):
        interval = Reported(text).interval(mode)
        assert (interval.low, interval.high) == (float(lo), float(hi))
        assert (interval.low_closed, interval.high_closed) == closed
        assert Reported(text).contains(float(lo), mode) is closed[0]
        assert Reported(text).contains(float(hi), mode) is closed[1]


def test_half_up_zero_is_open_on_both_sides():
    """ "0.0" under half-up: -0.05 prints as -0.1 and 0.05 as 0.1 (ties away from zero)."""
    interval = Reported("0.0").interval("half-up")
    assert (interval.low, interval.high) == (-0.05, 0.05)
    assert (interval.low_closed, interval.high_closed) == (False, False)


def test_truncated_zero_takes_both_signs():
    """Truncation towards zero prints -0.09 and 0.09 alike as 0.0."""
    rep = Reported("0.0")
    assert rep.contains_exact(Fraction(-9, 100), "truncate")
    assert rep.contains_exact(Fraction(9, 100), "truncate")
    assert not rep.contains_exact(Fraction(-1, 10), "truncate")


class TestIntervalBounds:
    interval = RoundingInterval(1.995, 2.005, low_closed=True, high_closed=False)

    def test_closed_bound_is_in_and_open_bound_is_out(self):
        assert self.interval.contains(1.995)
        assert not self.interval.contains(2.005)
        flipped = RoundingInterval(1.995, 2.005, low_closed=False, high_closed=True)
        assert not flipped.contains(1.995)
        assert flipped.contains(2.005)

    def test_floating_point_error_is_forgiven_only_at_closed_bounds(self):
        # one ulp outside a closed bound: still in (BOUNDARY_RTOL slack)
        assert self.interval.contains(float(np.nextafter(1.995, 0)))
        # one ulp inside an open bound: treated as the bound itself, so out
        assert not self.interval.contains(float(np.nextafter(2.005, 0)))
        # well inside / well outside (1e-9 is far beyond the 1e-12 relative slack)
        assert self.interval.contains(2.005 - 1e-9)
        assert not self.interval.contains(1.995 - 1e-9)

    def test_missing_values_are_never_inside(self):
        assert not self.interval.contains(math.nan)
        assert not self.interval.contains(None)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("x", "expected"),
        [(1.0, 0.995), (2.0, 0.0), (3.5, 1.495), (1.995, 0.0), (math.nan, math.inf)],
    )
    def test_distance(self, x, expected):
        assert self.interval.distance(x) == pytest.approx(expected, rel=1e-12, abs=0.0)

    def test_distance_to_a_one_sided_interval(self):
        below = Reported("<0.001").interval()
        assert below.distance(0.0005) == 0.0
        assert below.distance(0.003) == pytest.approx(0.002, rel=1e-12)


class TestMessagesNameTheArgument:
    def test_percent(self):
        with pytest.raises(ReportedNumberError, match="`percent`"):
            recover_counts("eighty", 99)
        with pytest.raises(ReportedNumberError, match="`percent`"):
            recover_totals(82, "eighty")

    def test_float_percent_is_refused_because_its_precision_is_lost(self):
        with pytest.raises(ReportedNumberError, match=r"`percent`.*float 82\.8"):
            recover_counts(82.8, 99)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [True, 1.5, "x", -1])
    def test_count(self, bad):
        with pytest.raises(InvalidCountError, match="`count`"):
            recover_totals(bad, "50")

    def test_min_total_must_be_positive(self):
        with pytest.raises(InvalidCountError, match="`min_total`"):
            recover_totals(0, "0", min_total=0)
        assert recover_totals(0, "0", min_total=1, max_total=3) == [1, 2, 3]

    def test_mode(self):
        with pytest.raises(InvalidArgumentError, match=r"`mode` must be one of 'half-up', "):
            recover_counts("50", 10, mode="bankers")
