"""km_attainable: rounding ties, three-valued answers, rows and reprs, bounded work.

Expected values are hand computations written next to each assertion (S = j / n without
censoring; a printed percentage P with d decimals covers [P - h, P + h], h = 0.5 * 10^-d).
"""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from gvhdstats.checks.attainability import SEARCH_MAX_N, km_attainable
from gvhdstats.checks.verdicts import ROW_COLUMNS

WITHIN = 5.0  # generous bound for "within a second" on a loaded 2-core CI machine


@pytest.mark.parametrize(
    ("estimate", "n", "survivors"),
    [
        ("81.2", 16, 13),  # 13/16 = 81.25: R prints 81.2, Stata/SAS/Excel 81.3
        ("81.3", 16, 13),
        ("31.2", 16, 5),  # 5/16 = 31.25
        ("6.2", 16, 1),  # 1/16 = 6.25
    ],
)
def test_rounding_tie_is_attainable_and_said(estimate, n, survivors):
    res = km_attainable(estimate, n)
    assert res.attainable is True
    assert res.attainable_without_censoring
    assert res.counts == (survivors,)
    assert res.example_value == Fraction(survivors, n)
    assert "halfway between" in res.note
    assert "tie" in res.note


def test_strict_half_up_refuses_the_tie_without_censoring():
    # 81.25 rounds half up to 81.3, so no k/16 prints as 81.2 under half-up
    # (12/16 = 75, 14/16 = 87.5)
    res = km_attainable("81.2", 16, mode="half-up")
    assert not res.attainable_without_censoring
    assert "tie" not in res.note


def test_tie_note_only_when_the_tie_was_needed():
    # 74.3% of 10^7: j in [7425000, 7435000]; the example avoids the tie at 7435000 (74.35)
    res = km_attainable("74.3", 10**7)
    assert res.example_value == Fraction(7434999, 10**7)
    assert "tie" not in res.note


def test_attainable_is_three_valued():
    # decided yes / no
    assert km_attainable("74.3", 25).attainable is True
    # 97.0% of 25 lies above 24/25 = 96%: no Kaplan-Meier value lies in (24/25, 1)
    assert km_attainable("97.0", 25).attainable is False
    # competing risks: no path without competing events reaches 2.0% of 25 (1/25 = 4%
    # is the smallest incidence), but competing events could: undecided, never False
    res = km_attainable("2.0", 25, measure="cumulative-incidence", competing_risks=True)
    assert res.attainable is None
    assert "not decided" in res.note
    # above the search limit: a value no k/n gives is undecided, with the reason
    n = SEARCH_MAX_N + 1
    res = km_attainable("50.0123456789", n)
    assert res.attainable is None
    assert "SEARCH_MAX_N" in res.note


def test_to_frame_and_repr_show_the_verdict_and_note():
    res = km_attainable("74.3", 25)
    frame = res.to_frame()
    assert list(frame.columns) == list(ROW_COLUMNS)
    row = frame.iloc[0]
    assert (row["quantity"], row["reported"], row["verdict"]) == (
        "attainable",
        "74.3",
        "reproduced",
    )
    assert row["methods"] == ("with-censoring",)
    # the example path (24/25)(22/23)(17/21) = 8976/12075 = 74.335...%
    assert row["recomputed"] == pytest.approx(100 * 8976 / 12075, rel=1e-15)
    assert "at least 2 patient(s) censored" in row["note"]
    assert "note=" in repr(res)
    assert "at least 2 patient(s) censored" in repr(res)
    undecided = km_attainable("2.0", 25, measure="cumulative-incidence", competing_risks=True)
    assert undecided.to_frame().iloc[0]["verdict"] == "not-checkable"
    assert km_attainable("97.0", 25).to_frame().iloc[0]["verdict"] == "inconsistent"


def test_bounded_work_at_ten_million():
    # 74.3% of 10^7 patients: j / 10^7 in [0.7425, 0.7435] -> 10,001 survivor counts
    start = time.perf_counter()
    res = km_attainable("74.3", 10**7)
    assert time.perf_counter() - start < WITHIN
    assert res.attainable is True
    assert (res.counts[0], res.counts[-1], len(res.counts)) == (7_425_000, 7_435_000, 10_001)
    assert res.example == (res.example[0],)
    assert res.example[0].events == 10**7 - 7_434_999


def test_bounded_work_when_no_count_fits():
    # n = 10^9: j / 10^9 would need to lie within 0.500123456789 +/- 5e-13, i.e. j in
    # [500123456.7885, 500123456.7895]: no integer, so no k/n; n is above SEARCH_MAX_N,
    # so the censored search is not run and the answer is undecided (None)
    start = time.perf_counter()
    res = km_attainable("50.0123456789", 10**9)
    assert time.perf_counter() - start < WITHIN
    assert res.attainable is None
    assert not res.attainable_without_censoring
