"""Rounding ties and stated work limits across the checks (binary, proportion, incidence).

Expected values are hand computations written next to each assertion: a true value
exactly halfway between two printable numbers (a tie) prints as either under the
default rule and as one of them under a strict mode (half-up: away from zero).
"""

from __future__ import annotations

import math
import time

import pytest

from gvhdstats import check_2x2
from gvhdstats.checks.binary import EXACT_MAX_TOTAL
from gvhdstats.checks.incidence import check_incidence
from gvhdstats.checks.proportion import percent_row
from gvhdstats.checks.verdicts import Verdict, match_reported, tie_note
from gvhdstats.numbers import Reported

WITHIN = 5.0  # generous bound for "within a second" on a loaded 2-core CI machine


# ---------------------------------------------------------------------------
# negative ties, half-up (mutation testing found these untested)
# ---------------------------------------------------------------------------


def test_negative_risk_difference_tie_half_up():
    # 1/8 - 2/8 = -0.125 exactly (also exact in binary): half-up (away from zero) prints
    # "-0.13", never "-0.12"
    up = check_2x2((1, 8), (2, 8), risk_difference="-0.13", mode="half-up")
    assert up.rows[0].verdict is Verdict.REPRODUCED
    assert up.rows[0].recomputed == -0.125
    down = check_2x2((1, 8), (2, 8), risk_difference="-0.12", mode="half-up")
    assert down.rows[0].verdict is Verdict.INCONSISTENT
    # half-down and half-even (2 is even) print "-0.12"
    for mode in ("half-down", "half-even"):
        assert check_2x2((1, 8), (2, 8), risk_difference="-0.12", mode=mode).rows[0].methods
        assert not check_2x2((1, 8), (2, 8), risk_difference="-0.13", mode=mode).rows[0].methods
    # the default takes either, and says the match needed the tie
    for text, way in (("-0.12", "toward"), ("-0.13", "away from")):
        row = check_2x2((1, 8), (2, 8), risk_difference=text).rows[0]
        assert row.verdict is Verdict.REPRODUCED
        assert f"went {way} zero" in row.note


def test_negative_risk_difference_in_percentage_points_tie_half_up():
    # -12.5 percentage points: half-up "-13", half-down "-12"
    assert check_2x2((1, 8), (2, 8), risk_difference="-13%", mode="half-up").rows[0].methods
    assert not check_2x2((1, 8), (2, 8), risk_difference="-12%", mode="half-up").rows[0].methods


@pytest.mark.parametrize("quantity", ["ci_low", "ci_high"])
@pytest.mark.parametrize("scale", [1.0, 100.0])
def test_negative_ci_bound_ties_half_up(quantity, scale):
    # a CI bound of a risk difference at -0.125 (or -12.5 points), compared the way check_2x2
    # compares it: half-up puts the tie on the side away from zero
    digits = ("-0.13", "-0.12") if scale == 1.0 else ("-13", "-12")
    away, toward = digits
    cand = {"wald": -0.125}
    assert match_reported(quantity, away, cand, scale=scale, mode="half-up").methods == ("wald",)
    assert match_reported(quantity, toward, cand, scale=scale, mode="half-up").methods == ()
    assert match_reported(quantity, toward, cand, scale=scale, mode="half-down").methods
    # just inside the other end: -0.135 + tiny is in "-0.13" half-up, -0.135 itself is not
    edge = {"wald": -0.135}
    assert not match_reported(quantity, "-0.13", edge, mode="half-up").methods
    assert match_reported(quantity, "-0.14", edge, mode="half-up").methods


# ---------------------------------------------------------------------------
# tie notes
# ---------------------------------------------------------------------------


def test_tie_note_only_under_the_default_and_only_at_a_tie():
    rep = Reported("81.2")
    assert "81.25, halfway between 81.2 and 81.3" in tie_note(rep, {"13/16": 81.25})
    assert tie_note(rep, {"x": 81.2}) == ""
    assert tie_note(rep, {"13/16": 81.25}, mode="half-even") == ""


def test_percent_row_names_the_tie():
    # 13/16 = 81.25: reproduced as "81.2" by default, with the note; not under half-up
    row = percent_row("percent", "81.2", 13, 16)
    assert row.verdict is Verdict.REPRODUCED
    assert "only if the tie went toward zero" in row.note
    assert percent_row("percent", "81.2", 13, 16, mode="half-up").verdict is Verdict.INCONSISTENT
    row = percent_row("percent", "81.2", None, 16)
    assert row.verdict is Verdict.REPRODUCED
    assert "13/16 = 81.25" in row.note


def test_percent_row_totals_without_a_silent_limit():
    # 139 events at "1.26": totals 10989 .. 11075 (hand: 13900/1.265 = 10988.1,
    # 13900/1.255 = 11075.7); before, the search stopped at 10,000 and called it inconsistent
    row = percent_row("percent", "1.26", 139, None)
    assert row.verdict is Verdict.REPRODUCED
    assert "10989, 10990, ..., 11075 (87 values)" in row.note
    # 0 events at "0.0": every total fits
    row = percent_row("percent", "0.0", 0, None)
    assert row.verdict is Verdict.REPRODUCED
    assert "every total from 1 up" in row.note
    # 1 event at "40.0": n would have to lie in [2.497, 2.503]: impossible
    assert percent_row("percent", "40.0", 1, None).verdict is Verdict.INCONSISTENT


# ---------------------------------------------------------------------------
# bounded work in check_2x2
# ---------------------------------------------------------------------------


def test_check_2x2_with_arms_of_ten_million_answers_quickly():
    check_2x2((5, 10), (4, 10), odds_ratio="1.50", ci=("1.49", "1.51"), p="<0.001")  # imports
    n = 10**7
    start = time.perf_counter()
    res = check_2x2(
        (n // 2, n),
        (2 * n // 5, n),
        odds_ratio="1.50",
        ci=("1.49", "1.51"),
        p="<0.001",
        percents=("50.0", "40.0"),
    )
    assert time.perf_counter() - start < WITHIN
    rows = {r.quantity: r for r in res.rows}
    # sample OR = (5e6 * 6e6) / (5e6 * 4e6) = 1.5 exactly
    assert rows["odds_ratio"].methods[0] == "sample"
    assert "conditional-mle" not in rows["odds_ratio"].methods
    for q in ("odds_ratio", "ci_low", "ci_high", "p"):
        assert f"EXACT_MAX_TOTAL = {EXACT_MAX_TOTAL}" in rows[q].note, q
    assert math.isnan(res.recomputed["p"]["fisher-exact"])
    # the asymptotic P is still computed: chi-square of this table is astronomically large
    assert rows["p"].verdict is Verdict.REPRODUCED


def test_exact_methods_still_run_below_the_limit():
    res = check_2x2((82, 99), (70, 99), odds_ratio="2.00", p="0.043")
    assert not math.isnan(res.recomputed["p"]["fisher-exact"])
    assert "EXACT_MAX_TOTAL" not in res.rows[0].note


# ---------------------------------------------------------------------------
# incidence bounds at 0 and 100%
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("estimate", "ci", "edge"),
    [
        ("0.0", ("0.0", "10.2"), "lower bound 0.0"),
        ("5.0", ("0.0", "12.0"), "lower bound 0.0"),
        ("100.0", ("90.0", "100.0"), "upper bound 100.0"),
        ("97.0", ("88.0", "100.0"), "upper bound 100.0"),
    ],
)
def test_incidence_edges_are_explained_and_rows_stay_near_the_print(estimate, ci, edge):
    res = check_incidence(estimate=estimate, ci=ci, percent=True, n=30)
    for row in res.rows:
        if row.quantity == "effective_n":
            continue
        assert edge in row.note
        if row.verdict is Verdict.REPRODUCED:
            # a reproduced row shows a value that prints as the printed number
            iv = Reported(row.reported).interval()
            assert iv.low - 1e-9 <= row.recomputed <= iv.high + 1e-9, row
            assert 0.0 <= row.recomputed <= 100.0
