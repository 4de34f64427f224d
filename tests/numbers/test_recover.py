"""recover_counts / recover_totals: rounding ties, closed forms, no silent limits, bounded work.

Every expected value is worked out by hand in the comment next to it: a count k out of n
prints as a percentage P (d decimals) when 100 k / n lies in [P - h, P + h] with
h = 0.5 * 10^-d (both ends under the default either-way tie rule).
"""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from gvhdstats.errors import InvalidArgumentError
from gvhdstats.numbers import CountRange, Reported, recover_counts, recover_totals

#: Generous bound for "answers within a second" on a loaded 2-core CI machine.
WITHIN = 5.0


def _timed(f, *args, **kwargs):
    start = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - start


@pytest.mark.parametrize(
    ("percent", "total", "count"),
    [
        # 13/16 = 81.25 exactly: R prints "81.2" (binary half-even), Stata/SAS/Excel "81.3"
        ("81.2", 16, 13),
        ("81.3", 16, 13),
        # 1/8 = 12.5: "12" or "13"
        ("12", 8, 1),
        # 1/16 = 6.25: "6.2" or "6.3"
        ("6.2", 16, 1),
        # 5/16 = 31.25: "31.2" or "31.3"
        ("31.2", 16, 5),
        # 1/40 = 2.5: "2" or "3"
        ("2", 40, 1),
    ],
)
def test_exact_ties_count_either_way_by_default(percent, total, count):
    assert recover_counts(percent, total) == [count]
    assert Reported(percent).at_tie(Fraction(100 * count, total))


@pytest.mark.parametrize(
    ("percent", "total", "half_up", "half_even"),
    [
        # 81.25 -> half-up "81.3", half-even "81.2"
        ("81.2", 16, [], [13]),
        ("81.3", 16, [13], []),
        # 12.5 -> half-up "13", half-even "12"
        ("12", 8, [], [1]),
        # 6.25 -> half-up "6.3", half-even "6.2"
        ("6.2", 16, [], [1]),
        # 2.5 -> half-up "3", half-even "2"
        ("2", 40, [], [1]),
        ("3", 40, [1], []),
    ],
)
def test_strict_modes_decide_the_tie(percent, total, half_up, half_even):
    assert recover_counts(percent, total, mode="half-up") == half_up
    assert recover_counts(percent, total, mode="half-even") == half_even


def test_half_up_ties_of_negative_numbers_go_away_from_zero():
    # -0.125 is the tie between -0.12 and -0.13: half-up rounds away from zero -> "-0.13"
    tie = Fraction(-1, 8)
    assert Reported("-0.13").contains_exact(tie, "half-up")
    assert not Reported("-0.12").contains_exact(tie, "half-up")
    # half-down rounds toward zero -> "-0.12"
    assert Reported("-0.12").contains_exact(tie, "half-down")
    assert not Reported("-0.13").contains_exact(tie, "half-down")
    # half-even: 2 is even -> "-0.12"
    assert Reported("-0.12").contains_exact(tie, "half-even")
    assert not Reported("-0.13").contains_exact(tie, "half-even")
    # the other end of "-0.13" under half-up: -0.135 rounds away to -0.14, so it is out
    assert not Reported("-0.13").contains_exact(Fraction(-135, 1000), "half-up")
    assert Reported("-0.14").contains_exact(Fraction(-135, 1000), "half-up")
    # the default takes either rule
    assert Reported("-0.12").contains_exact(tie)
    assert Reported("-0.13").contains_exact(tie)
    # the same on floats (a recomputed value)
    assert Reported("-0.13").contains(-0.125, "half-up")
    assert not Reported("-0.12").contains(-0.125, "half-up")


def test_at_tie():
    assert Reported("81.2").at_tie(Fraction(1300, 16))  # 81.25
    assert Reported("81.2").at_tie(81.15)  # float, within BOUNDARY_RTOL
    assert not Reported("81.2").at_tie(81.2)
    assert not Reported("<0.05").at_tie(0.05)  # inequalities have no tie


def test_count_range_behaves_like_its_list():
    r = CountRange(3, 6)
    assert r == [3, 4, 5, 6]
    assert r == (3, 4, 5, 6)
    assert r == range(3, 7)
    assert r != [3, 4, 5]
    assert len(r) == 4
    assert r[0] == 3
    assert r[-1] == 6
    assert 5 in r
    assert 7 not in r
    assert list(r[1:3]) == [4, 5]
    assert repr(r) == "[3, 4, 5, 6]"
    assert CountRange(5, 4) == []
    assert not CountRange(5, 4)
    big = CountRange(1, 10**18)
    assert len(big) == 10**18
    assert repr(big) == "[1, 2, ..., 1000000000000000000] (1000000000000000000 values)"


def test_recover_counts_closed_form_at_huge_totals():
    # "82.8" of 10^18: 100 k / n in [82.75, 82.85] <=> k in [0.8275e18, 0.8285e18]
    out, secs = _timed(recover_counts, "82.8", 10**18)
    assert secs < WITHIN
    assert (out.low, out.high) == (8275 * 10**14, 8285 * 10**14)
    assert len(out) == 10**15 + 1
    # ">0.05" of 10^7: 100 k / n > 0.05 <=> k > 5000, so 5001 .. 10^7
    out, secs = _timed(recover_counts, ">0.05", 10**7)
    assert secs < WITHIN
    assert (out.low, out.high) == (5001, 10**7)
    # "<0.05" of 10^7: k < 5000 (open bound), so 0 .. 4999
    assert recover_counts("<0.05", 10**7) == range(0, 5000)


def test_recover_totals_has_no_silent_limit():
    # 139 / n prints as 1.26 for n in [13900/1.265, 13900/1.255] = [10988.1, 11075.7]:
    # n = 10989 .. 11075, which contains 11,037 (139 / 11037 = 1.2594%)
    out = recover_totals(139, "1.26")
    assert (out.low, out.high) == (10989, 11075)
    assert 11037 in out
    assert not out.truncated


def test_recover_totals_empty_means_impossible():
    # 1 / n prints as "40.0" needs n in [100/40.05, 100/39.95] = [2.4969, 2.5031]: no integer
    out = recover_totals(1, "40.0")
    assert out == []
    assert not out.truncated
    # an impossible answer stays empty for any max_total
    assert recover_totals(1, "40.0", max_total=10**9) == []


def test_recover_totals_cut_at_max_total_says_so():
    out = recover_totals(139, "1.26", max_total=11000)
    assert (out.low, out.high) == (10989, 11000)
    assert out.truncated
    assert "truncated" in repr(out)
    # below every fitting total: empty, but truncated (totals beyond max_total fit)
    out = recover_totals(139, "1.26", max_total=10000)
    assert out == []
    assert out.truncated


def test_recover_totals_infinitely_many_needs_max_total():
    # 0 events print as 0.0% for every total; 5 events print as "<1%" for every n > 500
    with pytest.raises(InvalidArgumentError, match=r"every total from 1 up .* `max_total`"):
        recover_totals(0, "0.0")
    with pytest.raises(InvalidArgumentError, match="every total from 501 up"):
        recover_totals(5, "<1")
    out = recover_totals(5, "<1", max_total=600)
    assert (out.low, out.high, out.truncated) == (501, 600, True)


def test_recover_totals_bounded_work():
    # 1 event printed as "0.0000001%": n in [1e9 / 1.5, 1e9 / 0.5] = [666666667, 2e9]
    out, secs = _timed(recover_totals, 1, "0.0000001")
    assert secs < WITHIN
    assert (out.low, out.high) == (666_666_667, 2_000_000_000)


@pytest.mark.parametrize("count", [0, 1, 7, 65, 139])
@pytest.mark.parametrize("percent", ["65.7", "1.26", "0.0", "50", "12.5", "<10", ">=99.5"])
@pytest.mark.parametrize("mode", ["up-or-down", "half-up", "half-even", "truncate"])
def test_closed_forms_agree_with_enumeration(count, percent, mode):
    rep = Reported(percent)
    for n in (1, 2, 8, 16, 40, 99, 203):
        want = [k for k in range(n + 1) if rep.contains_exact(Fraction(100 * k, n), mode)]
        assert recover_counts(percent, n, mode=mode) == want
    want_n = [
        n for n in range(max(count, 1), 1001) if rep.contains_exact(Fraction(100 * count, n), mode)
    ]
    got = recover_totals(count, percent, max_total=1000, mode=mode)
    assert got == want_n
