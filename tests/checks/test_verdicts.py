"""Tests for gvhdstats.checks.verdicts: value types, and what a row says it knows."""

from __future__ import annotations

import csv
import json
import math
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pytest

from gvhdstats import check_2x2, check_incidence, check_ratio
from gvhdstats.checks.verdicts import (
    ROW_COLUMNS,
    CheckRow,
    Verdict,
    fmt_number,
    match_reported,
    percent_text,
)
from gvhdstats.errors import InvalidIntervalError
from gvhdstats.methods._results import ConfidenceInterval
from tests.conftest import REFERENCE_DIR


def test_confidence_interval_rejects_reversed_bounds():
    with pytest.raises(InvalidIntervalError, match="`low` must not exceed `high`"):
        ConfidenceInterval(2.0, 1.0)
    with pytest.raises(InvalidIntervalError, match="`low` must not exceed `high`"):
        ConfidenceInterval(np.array([0.5, 3.0]), np.array([1.0, 2.0]))
    # NaN (not computable) and infinite bounds are allowed
    assert math.isnan(ConfidenceInterval(0.0, math.nan).high)
    assert ConfidenceInterval(0.0, math.inf).high == math.inf


# --------------------------------------------------------------------------- how much a row knows
#
# Expected values are closed forms computed here (chi-square and Wald formulas, Fisher's exact
# P by exact integer arithmetic) or R's output in tests/reference/twobytwo_reference.csv and
# incidence_reference.json; never our own output.

Z95 = NormalDist().inv_cdf(0.975)


def _chi2_p(x: float) -> float:
    """Upper tail of chi-square with 1 df: P(|Z| > sqrt x) = erfc(sqrt(x / 2))."""
    return math.erfc(math.sqrt(x / 2))


def _fisher_two_sided(a: int, n1: int, c: int, n2: int) -> float:
    """Fisher's exact two-sided P (sum of tables no more probable), exact rationals."""
    m1 = a + c
    total = math.comb(n1 + n2, m1)

    def prob(x: int) -> Fraction:
        return Fraction(math.comb(n1, x) * math.comb(n2, m1 - x), total)

    p_obs = prob(a)
    support = range(max(0, m1 - n2), min(n1, m1) + 1)
    # R's relative tolerance 1e-7 on "no more probable" is immaterial here (no near-ties)
    return float(sum(prob(x) for x in support if prob(x) <= p_obs))


# 54/65 vs 36/65: a = 54, b = 11, c = 36, d = 29, N = 130, margins 65, 65, 90, 40.
HAND_54_36 = {
    # Pearson: N (ad - bc)^2 / (n1 n2 m1 m2) = 130 * 1170^2 / (65 * 65 * 90 * 40) = 11.7
    "pearson-chi2": _chi2_p(130 * 1170**2 / (65 * 65 * 90 * 40)),
    # N - 1 chi-square (Egon Pearson): (N - 1)/N times Pearson's
    "n-1-chi2": _chi2_p(129 * 1170**2 / (65 * 65 * 90 * 40)),
    # Yates: N (|ad - bc| - N/2)^2 / (n1 n2 m1 m2)
    "yates-chi2": _chi2_p(130 * (1170 - 65) ** 2 / (65 * 65 * 90 * 40)),
    # Wald z of the log odds ratio, Woolf SE
    "wald": math.erfc(
        abs(math.log(54 * 29 / (11 * 36)))
        / math.sqrt(1 / 54 + 1 / 11 + 1 / 36 + 1 / 29)
        / math.sqrt(2)
    ),
    "fisher-exact": _fisher_two_sided(54, 65, 36, 65),
}


def test_hand_values_of_54_36_all_print_as_0_001():
    # the premise of the tests below, from the closed forms alone
    assert all(0.0005 <= v < 0.0015 for v in HAND_54_36.values())


def test_p_that_cannot_discriminate_says_so():
    res = check_2x2((54, 65), (36, 65), p="0.001")
    row = res.rows[-1]
    assert row.quantity == "p"
    assert row.verdict is Verdict.REPRODUCED
    assert set(HAND_54_36) <= set(row.methods)
    for m, v in HAND_54_36.items():
        assert row.matching[m] == pytest.approx(v, rel=1e-9)
    assert row.discriminates is False
    assert row.nonmatching == {}
    assert f"all {len(row.methods)} methods reproduce 0.001" in row.note
    assert "the printed precision cannot tell them apart" in row.note
    # recomputed: the fitting method closest to 0.001; Fisher's 0.001092 is nearer than
    # Wald's 0.000906 (hand values), and fisher-exact is listed before its equal twins
    assert abs(HAND_54_36["fisher-exact"] - 0.001) < abs(HAND_54_36["wald"] - 0.001)
    assert row.recomputed_method == "fisher-exact"
    assert row.recomputed == pytest.approx(HAND_54_36["fisher-exact"], rel=1e-9)
    assert all(
        abs(row.recomputed - 0.001) <= abs(v - 0.001) * (1 + 1e-12) for v in row.matching.values()
    )


def test_joint_row_does_not_read_as_identified():
    # sample OR 1566/396 = 3.9545; Woolf CI exp(ln OR -/+ z SE) = 1.7555, 8.9083 (hand)
    log_or = math.log(1566 / 396)
    se = math.sqrt(1 / 54 + 1 / 11 + 1 / 36 + 1 / 29)
    lo, hi = math.exp(log_or - Z95 * se), math.exp(log_or + Z95 * se)
    assert (f"{1566 / 396:.2f}", f"{lo:.2f}", f"{hi:.2f}") == ("3.95", "1.76", "8.91")
    res = check_2x2((54, 65), (36, 65), odds_ratio="3.95", ci=("1.76", "8.91"), p="0.001")
    joint = res.rows[-1]
    assert joint.quantity == "joint[odds_ratio]"
    assert joint.verdict is Verdict.REPRODUCED
    # the Woolf CI with every P whose hand value prints as 0.001: four named families
    expected = {
        "sample+wald+pearson-chi2",
        "sample+wald+yates-chi2",
        "sample+wald+fisher-exact",
        "sample+wald+wald",
    }
    assert expected <= set(joint.methods)
    assert joint.discriminates is False
    assert joint.note.startswith("the printed numbers do not identify the method: ")
    assert f"p (0.001) fits {len(res.rows[-2].methods)} methods" in joint.note


def _r_row(a: int, n1: int, c: int, n2: int) -> dict[str, float]:
    with (REFERENCE_DIR / "twobytwo_reference.csv").open() as fh:
        for r in csv.DictReader(fh):
            if (int(r["a"]), int(r["n1"]), int(r["c"]), int(r["n2"])) == (a, n1, c, n2):
                return {k: float(v) for k, v in r.items() if v not in ("", "NA")}
    raise LookupError((a, n1, c, n2))


def test_p_that_discriminates_names_the_method_and_the_others_against_r():
    r = _r_row(82, 99, 70, 99)
    res = check_2x2((82, 99), (70, 99), odds_ratio="2.00", ci=("1.01", "3.94"), p="0.043")
    p_row = next(x for x in res.rows if x.quantity == "p")
    assert p_row.methods == ("pearson-chi2",)
    assert p_row.discriminates is True
    assert p_row.recomputed_method == "pearson-chi2"
    assert p_row.recomputed == pytest.approx(r["chisq_p"], rel=1e-9)
    for ours, theirs in (
        ("fisher-exact", "fisher_p"),
        ("yates-chi2", "chisq_yates_p"),
        ("wald", "glm_wald_p"),
        ("likelihood-ratio", "lr_p"),
        ("mid-p", "epi_p_midp"),
    ):
        assert p_row.nonmatching[ours] == pytest.approx(r[theirs], rel=1e-8)
    # R's LR P 0.0424970 prints as 0.0425 at four digits, which would read as fitting
    # [0.0425, 0.0435): the note shows it with the digits that tell it apart
    assert r["lr_p"] < 0.0425
    assert "not reproducing 0.043: likelihood-ratio 0.042497," in p_row.note
    # the odds ratio: the sample OR (epitools' wald estimate) alone prints as 2.00
    or_row = res.rows[0]
    assert or_row.recomputed == pytest.approx(r["epi_wald_est"], rel=1e-12)
    # "cmle": the R generator's tight conditional MLE (fisher.test stops at uniroot's tolerance)
    assert or_row.nonmatching["conditional-mle"] == pytest.approx(r["cmle"], rel=1e-8)
    joint = res.rows[-1]
    assert joint.methods == ("sample+wald+pearson-chi2",)
    assert joint.discriminates is True
    assert "do not identify" not in joint.note


def test_single_candidate_and_inconsistent_rows_are_undecided_not_false():
    # ratio P: one method only (Wald P of the CI), so there is nothing to tell apart
    res = check_ratio(estimate="0.68", ci=("0.48", "0.95"), p="0.024")
    p_row = res.rows[-1]
    se = (math.log(0.95) - math.log(0.48)) / (2 * Z95)
    hand = math.erfc(abs(math.log(0.68)) / se / math.sqrt(2))
    assert p_row.verdict is Verdict.REPRODUCED
    assert p_row.discriminates is None
    assert p_row.recomputed_method == "wald-from-ci"
    assert p_row.recomputed == pytest.approx(hand, rel=1e-12)
    # an inconsistent row names its nearest method and stays undecided on discrimination
    row = match_reported("p", "0.010", {"pearson-chi2": 0.0434501143028949, "fisher-exact": 0.06})
    assert row.verdict is Verdict.INCONSISTENT
    assert row.discriminates is None
    assert row.recomputed_method == "pearson-chi2"
    assert row.note.startswith("nearest: pearson-chi2 = 0.04345")


def test_recomputed_method_defaults_to_the_single_method():
    assert CheckRow("x", "1", Verdict.REPRODUCED, ("grim",), 1.0).recomputed_method == "grim"
    assert CheckRow("x", "1", Verdict.REPRODUCED, ("a", "b"), 1.0).recomputed_method is None
    assert CheckRow("x", "1", Verdict.NOT_CHECKABLE).recomputed_method is None
    assert list(CheckRow("x", "1", Verdict.REPRODUCED).as_dict()) == list(ROW_COLUMNS)


INC = json.loads((REFERENCE_DIR / "incidence_reference.json").read_text())
R_TRANSFORM = {"plain": "plain", "log": "log", "log-log": "log-log", "logit": "logit"}
R_TRANSFORM["arcsin"] = "arcsine"


@pytest.mark.parametrize(
    "row", [r for r in INC["km"] if 0 < r["lower"] < r["surv"] < r["upper"] < 1]
)
def test_incidence_rows_say_whether_the_transformation_is_identified(row):
    ours = R_TRANSFORM[row["conf_type"]]
    # at full precision survfit's conf.type is the only transformation that fits
    full = check_incidence(
        f"{row['surv']:.12f}", (f"{row['lower']:.12f}", f"{row['upper']:.12f}"), percent=False
    )
    assert all(r.discriminates is True and r.methods == (ours,) for r in full.rows)
    # printed at one decimal, R's conf.type fits; several may, and then the rows say so
    est, lo, hi = (f"{100 * row[k]:.1f}" for k in ("surv", "lower", "upper"))
    printed = check_incidence(est, (lo, hi))
    for r in printed.rows:
        assert ours in r.matching
        assert r.discriminates is (len(r.methods) == 1)
        assert ("cannot tell them apart" in r.note) is (len(r.methods) > 1)
        assert "h-midpoint" not in r.note


def test_decision_error_is_said_once():
    # 0.50 (0.30-0.83), printed P 0.20: SE = (ln .83 - ln .30) / (2 z) = 0.2596, Wald P =
    # 0.0076 (hand), so the P is on the other side of 0.05 from every Wald P, and the CI
    # excludes 1: two reasons, one "decision error"
    se = (math.log(0.83) - math.log(0.30)) / (2 * Z95)
    assert math.erfc(abs(math.log(0.5)) / se / math.sqrt(2)) < 0.01
    row = check_ratio(estimate="0.50", ci=("0.30", "0.83"), p="0.20").rows[-1]
    assert row.decision_error is True
    assert row.note.count("decision error") == 1
    assert "other side of 0.05; and the 95% CI excludes 1 but P >= 0.05" in row.note


def test_note_number_helpers():
    assert fmt_number(0.3987434763408506) == "0.3987"
    assert fmt_number(2.2612e-07) == "2.26e-07"
    assert percent_text("35%") == "35%"
    assert percent_text("35") == "35%"


def test_repr_says_when_methods_are_not_told_apart():
    text = repr(check_2x2((54, 65), (36, 65), p="0.001"))
    assert "(printed precision cannot tell these apart)" in text
    text = repr(check_2x2((82, 99), (70, 99), p="0.043"))
    assert "pearson-chi2" in text
    assert "cannot tell" not in text
