"""Tests for gvhdstats.numbers: printed numbers, rounding intervals, GRIM for trial tables.

Expected intervals are worked out by hand from the definition of each rounding
mode (scrutiny's ``unround``): half-up x +/- 0.5*10^-d with the upper bound
excluded, truncation [x, x + 10^-d), and so on.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from gvhdstats.errors import InvalidArgumentError, InvalidCountError, ReportedNumberError
from gvhdstats.numbers.recover import recover_counts, recover_totals
from gvhdstats.numbers.rounding import Reported, RoundingMode


@pytest.mark.parametrize(
    ("text", "value", "decimals", "relation", "percent"),
    [
        ("2.00", 2.0, 2, "=", False),
        ("82.8", 82.8, 1, "=", False),
        ("0.043", 0.043, 3, "=", False),
        ("<0.001", 0.001, 3, "<", False),
        ("P = .61", 0.61, 2, "=", False),
        ("p<=0.05", 0.05, 2, "<=", False),
        ("≥ 0.5", 0.5, 1, ">=", False),
        ("39.5%", 39.5, 1, "=", True),
        ("1.2e-5", 1.2e-5, 6, "=", False),
        ("−0.25", -0.25, 2, "=", False),
        ("203", 203.0, 0, "=", False),
    ],
)
def test_parse(text, value, decimals, relation, percent):
    r = Reported.parse(text)
    assert r.text == text
    assert r.value == pytest.approx(value, rel=1e-15)
    assert r.decimals == decimals
    assert r.relation == relation
    assert r.percent is percent


def test_integer_input_is_exact():
    assert Reported.parse(99).decimals == 0


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "P = ", "--1"])
def test_parse_rejects_non_numbers(bad):
    with pytest.raises(ReportedNumberError, match="`p` is not a printed number"):
        Reported.parse(bad, name="p")


def test_parse_rejects_floats_because_precision_is_lost():
    with pytest.raises(ReportedNumberError, match="must be the printed string"):
        Reported.parse(2.0, name="odds_ratio")


def test_default_interval_is_closed_at_both_ties():
    # default: a tie may have been rounded either way, so both 1.995 and 2.005 print as "2.00"
    iv = Reported("2.00").interval()
    assert (iv.low, iv.high, iv.low_closed, iv.high_closed) == (1.995, 2.005, True, True)
    assert iv.contains(2.005)
    assert not iv.contains(2.0051)


def test_half_up_interval():
    iv = Reported("2.00").interval("half-up")
    assert (iv.low, iv.high, iv.low_closed, iv.high_closed) == (1.995, 2.005, True, False)
    assert iv.contains(1.995)
    assert iv.contains(2.0049999)
    assert not iv.contains(2.005)
    assert not iv.contains(1.9949)


def test_half_up_agrees_with_decimal_rounding_on_a_grid():
    # every value on a fine grid: contains() must agree with Decimal's ROUND_HALF_UP
    rep = Reported("0.04")
    for k in range(300, 600):
        x = Decimal(k) / Decimal(10000)  # 0.0300 .. 0.0599, exact decimals
        printed = x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert rep.contains_exact(Fraction(x), "half-up") == (printed == Decimal("0.04")), x


def test_half_even_agrees_with_decimal_on_ties():
    for text in ("2.04", "2.05", "2.06"):
        rep = Reported(text)
        for k in range(2030, 2080):
            x = Decimal(k) / Decimal(1000)
            printed = x.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
            assert rep.contains_exact(Fraction(x), "half-even") == (printed == Decimal(text))


@pytest.mark.parametrize(
    ("mode", "low", "high", "lc", "hc"),
    [
        ("half-up", 0.605, 0.615, True, False),
        ("half-down", 0.605, 0.615, False, True),
        ("up-or-down", 0.605, 0.615, True, True),
        ("truncate", 0.61, 0.62, True, False),
        ("floor", 0.61, 0.62, True, False),
        ("ceiling", 0.60, 0.61, False, True),
    ],
)
def test_modes(mode, low, high, lc, hc):
    iv = Reported("P = .61").interval(mode)
    assert iv.low == pytest.approx(low, abs=1e-15)
    assert iv.high == pytest.approx(high, abs=1e-15)
    assert (iv.low_closed, iv.high_closed) == (lc, hc)


def test_truncation_of_negative_numbers_goes_toward_zero():
    iv = Reported("-1.2").interval("truncate")
    assert iv.low == pytest.approx(-1.3)
    assert iv.high == pytest.approx(-1.2)
    assert iv.contains(-1.25)
    assert not iv.contains(-1.15)


def test_inequalities_are_intervals():
    iv = Reported("<0.001").interval()
    assert iv.low == -math.inf
    assert iv.high == 0.001
    assert not iv.high_closed
    assert iv.contains(0.000999)
    assert not iv.contains(0.001)
    iv = Reported(">0.05").interval()
    assert iv.low == 0.05
    assert not iv.contains(0.05)
    assert iv.contains(0.051)
    assert Reported("<=0.05").interval().contains(0.05)


def test_unknown_mode_is_named():
    with pytest.raises(InvalidArgumentError, match="`mode` must be one of"):
        Reported("1.0").interval("bankers")
    assert RoundingMode.coerce("HALF-EVEN") is RoundingMode.HALF_EVEN


def test_recover_counts_phase3_day28():
    # 82/99 = 82.828..., 81/99 = 81.81..., 83/99 = 83.83...: only 82 prints as 82.8
    assert recover_counts("82.8", 99) == [82]
    assert recover_counts("70.7", 99) == [70]  # 70/99 = 70.707...
    # 82.8% of 100 would need 82.8 patients: GRIM-inconsistent
    assert recover_counts("82.8", 100) == []


def test_recover_counts_small_denominator_has_several():
    # with n = 3 and an integer percent "33": 1/3 = 33.33 -> 33; no other count
    assert recover_counts("33", 3) == [1]
    # coarse printing: "0%" of 1000 covers 0/1000 .. 4/1000 (0.4% < 0.5%); 5/1000 = 0.5%
    # exactly is the tie between "0" and "1": in only under the default either-way rule
    assert recover_counts("0", 1000, mode="half-up") == [0, 1, 2, 3, 4]
    assert recover_counts("0", 1000) == [0, 1, 2, 3, 4, 5]


def test_recover_counts_tie_depends_on_mode():
    # 1/8 = 12.5% exactly: half-up prints "13", half-even prints "12"; the default
    # (either rule) accepts both
    assert recover_counts("13", 8, mode="half-up") == [1]
    assert recover_counts("12", 8, mode="half-even") == [1]
    assert recover_counts("12", 8, mode="half-up") == []
    assert recover_counts("12", 8) == [1]
    assert recover_counts("13", 8) == [1]


def test_recover_totals_infections():
    # 65 / n prints as 65.7 for n in [65/0.6575, 65/0.6565) = [98.86, 99.01)
    assert recover_totals(65, "65.7", max_total=500) == [99]
    # hand: 198/n = 97.5% -> n in (198/0.9755, 198/0.9745] = (202.97, 203.18] -> 203
    assert recover_totals(198, "97.5", max_total=1000) == [203]


def test_recover_totals_validation():
    with pytest.raises(InvalidCountError, match="`count` must be an integer not less than 0"):
        recover_totals(-1, "50.0")
    with pytest.raises(InvalidCountError, match="`total` must be an integer not less than 1"):
        recover_counts("50.0", 0)
    with pytest.raises(InvalidCountError, match="`total`"):
        recover_counts("50.0", 2.5)
    with pytest.raises(InvalidArgumentError, match="`max_total`"):
        recover_totals(5, "50.0", min_total=20, max_total=10)
