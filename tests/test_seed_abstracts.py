"""Reproducible verification of the two result abstracts, one test per claim.

Every expectation here is derived independently of gvhdstats' own computations:
closed-form formulas written out in the test (with their references), exact
rational arithmetic for percentages, and scipy / R-documented values for the
exact methods.  The tests then compare the verdicts of ``gvhdstats.verify``.

Sources: Zhao K et al., J Hematol Oncol 2022;15:22 (record ``zhao2022``, seed 003)
and Zhao Y et al., Stem Cell Res Ther 2025;16:345 (record ``zhao2025``, seed 004).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from scipy import stats

from gvhdstats import verify
from gvhdstats.records.loader import load_record

Z975 = stats.norm.ppf(0.975)


def prints_as(value: float | Fraction, text: str) -> bool:
    """Half-up rounding of an exact or float value to the decimals of ``text``."""
    q = Decimal(1).scaleb(-len(text.split(".")[1])) if "." in text else Decimal(1)
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        d = Decimal(repr(float(value)))
    return d.quantize(q, rounding=ROUND_HALF_UP) == Decimal(text)


def half(text: str) -> float:
    return 0.5 * 10 ** -(len(text.split(".")[1]) if "." in text else 0)


def box(text: str, scale: float = 1.0) -> tuple[float, float]:
    v, h = float(text), half(text)
    return ((v - h) / scale, (v + h) / scale)


@pytest.fixture(scope="module")
def table():
    return verify(["zhao2022", "zhao2025"])


def rows(table, record, claim):
    sub = table[(table["record"] == record) & (table["claim"] == claim)]
    assert len(sub), f"no rows for {record}/{claim}"
    return {q: r for q, r in zip(sub["quantity"], sub.itertuples(), strict=True)}


def all_not_checkable(table, record, claim):
    r = rows(table, record, claim)
    return {v.verdict for v in r.values()} == {"not-checkable"}


# ----------------------------------------------------------------- hand formulas


def woolf(a, b, c, d):
    """Sample OR and Woolf 95% CI (Woolf 1955; Agresti 2013, sec. 3.1.1)."""
    orr = a * d / (b * c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return orr, orr * math.exp(-Z975 * se), orr * math.exp(Z975 * se)


def pearson_p(a, b, c, d):
    """Pearson chi-square without continuity correction (Agresti 2013, sec. 3.2.1)."""
    n = a + b + c + d
    chi2 = n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return stats.chi2.sf(chi2, 1)


def wald_p_range(est, lo, hi):
    """Range of two-sided Wald P from a ratio CI over the rounding box (Altman & Bland 2011).

    SE = (ln U - ln L) / (2 z); P = 2 (1 - Phi(|ln est| / SE)).  |z| is largest at the
    smallest SE and the largest |ln est|, and vice versa (monotone in each).
    """
    e_lo, e_hi = box(est)
    l_lo, l_hi = box(lo)
    u_lo, u_hi = box(hi)
    se_min = (math.log(u_lo) - math.log(l_hi)) / (2 * Z975)
    se_max = (math.log(u_hi) - math.log(l_lo)) / (2 * Z975)
    abs_log = sorted([abs(math.log(e_lo)), abs(math.log(e_hi))])
    if e_lo < 1 < e_hi:
        abs_log[0] = 0.0
    z_max, z_min = abs_log[1] / se_min, abs_log[0] / se_max
    return 2 * stats.norm.sf(z_max), 2 * stats.norm.sf(z_min)


def midpoint_range(lo, hi):
    """Geometric midpoint sqrt(L U) over the rounding box of the CI."""
    l_lo, l_hi = box(lo)
    u_lo, u_hi = box(hi)
    return math.sqrt(l_lo * u_lo), math.sqrt(l_hi * u_hi)


H = {
    "plain": lambda x: x,
    "log": math.log,
    "log-log": lambda x: -math.log(-math.log(x)),
    "cloglog": lambda x: math.log(-math.log(1 - x)),
    "logit": lambda x: math.log(x / (1 - x)),
    "arcsine": lambda x: math.asin(math.sqrt(x)),
}


def fitting_transforms(est, lo, hi):
    """Transforms h (Kalbfleisch & Prentice 2002; Choudhury 2002) under which the printed
    estimate can be the h-midpoint of the printed CI: the range of (h(L) + h(U)) / 2 over
    the rounding box (h increasing) must meet [h(p_lo), h(p_hi)]."""
    p = box(est, 100)
    lb = box(lo, 100)
    ub = box(hi, 100)
    out = set()
    for name, h in H.items():
        mid_lo = (h(lb[0]) + h(ub[0])) / 2
        mid_hi = (h(lb[1]) + h(ub[1])) / 2
        if mid_hi >= h(p[0]) and mid_lo <= h(p[1]):
            out.add(name)
    return out


# ----------------------------------------------------------------- zhao2022


def test_zhao2022_enrolled(table):
    assert all_not_checkable(table, "zhao2022", "enrolled")


def test_zhao2022_enrollment_period(table):
    assert all_not_checkable(table, "zhao2022", "enrollment-period")
    reg = rows(table, "zhao2022", "registration")
    # registered completion 2018-12-31, enrolment to 2019-03: three months later
    assert "3 month(s) later" in reg["registry[end]"].note
    assert "+3" in reg["registry[enrollment]"].note  # 203 vs 200 registered


def test_zhao2022_randomised_arms(table):
    row = rows(table, "zhao2022", "randomised-arms")["total"]
    # the abstract prints n = 101 and n = 102 and 203 in all; 101 + 102 = 203 by hand
    assert row.verdict == "reproduced"
    assert row.recomputed == 101 + 102
    assert row.reported == "203"


def test_zhao2022_allocation_ratio(table):
    assert all_not_checkable(table, "zhao2022", "allocation-ratio")


def test_zhao2022_primary_endpoint_day(table):
    assert all_not_checkable(table, "zhao2022", "primary-endpoint-day")


def test_zhao2022_durable_response_day(table):
    assert all_not_checkable(table, "zhao2022", "durable-response-day")


def test_zhao2022_completed(table):
    assert prints_as(Fraction(198 * 100, 203), "97.5")
    assert rows(table, "zhao2022", "completed")["percent"].verdict == "reproduced"


def test_zhao2022_mean_age(table):
    assert all_not_checkable(table, "zhao2022", "mean-age")


def test_zhao2022_women(table):
    counts = [k for k in range(199) if prints_as(Fraction(100 * k, 198), "40.4")]
    assert counts == [80]
    row = rows(table, "zhao2022", "women")["percent"]
    assert row.verdict == "reproduced"
    assert "80" in row.note


def test_zhao2022_or_day28(table):
    a, b, c, d = 82, 17, 70, 29
    assert prints_as(Fraction(100 * 82, 99), "82.8")
    assert prints_as(Fraction(100 * 70, 99), "70.7")
    orr, lo, hi = woolf(a, b, c, d)
    assert prints_as(orr, "2.00")
    assert prints_as(lo, "1.01")
    assert prints_as(hi, "3.94")
    p = pearson_p(a, b, c, d)
    assert prints_as(p, "0.043")
    p_fisher = stats.fisher_exact([[a, b], [c, d]]).pvalue  # R fisher.test: 0.06345
    assert not prints_as(p_fisher, "0.043")
    r = rows(table, "zhao2022", "or-day28")
    assert r["percent[treatment]"].verdict == r["percent[control]"].verdict == "reproduced"
    assert "sample" in r["odds_ratio"].methods
    assert "wald" in r["ci_low"].methods
    assert "wald" in r["ci_high"].methods
    assert "pearson-chi2" in r["p"].methods
    assert "fisher-exact" not in r["p"].methods
    assert r["p"].decision_error is False or r["p"].decision_error == 0
    assert r["joint[odds_ratio]"].verdict == "reproduced"
    assert "sample+wald+pearson-chi2" in r["joint[odds_ratio]"].methods


def test_zhao2022_dor_day56(table):
    a, b, c, d = 78, 21, 64, 35
    orr, lo, hi = woolf(a, b, c, d)
    assert orr == 2.03125  # 78*35 / (21*64) prints as 2.03, not 2.02
    assert not prints_as(orr, "2.02")
    assert prints_as(lo, "1.08")
    assert prints_as(hi, "3.83")
    assert prints_as(pearson_p(a, b, c, d), "0.027")
    cond = stats.contingency.odds_ratio([[a, b], [c, d]], kind="conditional").statistic
    assert prints_as(cond, "2.02")  # R fisher.test estimate 2.023951
    r = rows(table, "zhao2022", "dor-day56")
    assert "sample" not in r["odds_ratio"].methods
    assert "conditional-mle" in r["odds_ratio"].methods
    assert "wald" in r["ci_low"].methods
    assert "wald" in r["ci_high"].methods
    assert "pearson-chi2" in r["p"].methods
    # estimate from the conditional family, CI and P from the Wald/Pearson one: mixed
    assert r["joint[odds_ratio]"].verdict == "inconsistent"


def test_zhao2022_ffs_median(table):
    r = rows(table, "zhao2022", "ffs-median")
    assert {v.verdict for v in r.values()} == {"not-checkable"}
    # exponential PH: HR = median_control / median_treatment = 6.0 / 11.3 = 0.531, which lies
    # inside the printed HR's CI (0.48-0.95): an informational note, never a verdict
    row = r["median_ratio[exponential-ph]"]
    assert row.recomputed == pytest.approx(6.0 / 11.3, rel=1e-12)
    # 6.0/11.3 = 0.531 lies inside the printed CI 0.48-0.95, and the note must say so
    assert "lies inside the CI" in row.note


def test_zhao2022_ffs_hr(table):
    m_lo, m_hi = midpoint_range("0.48", "0.95")
    assert m_lo < 0.685
    assert m_hi >= 0.675
    p_lo, p_hi = wald_p_range("0.68", "0.48", "0.95")
    assert p_lo <= 0.0235
    assert p_hi >= 0.0245
    r = rows(table, "zhao2022", "ffs-hr")
    assert r["hazard_ratio"].verdict == "reproduced"
    assert r["p"].verdict == "reproduced"
    assert "wald-from-ci" in r["p"].methods


@pytest.mark.parametrize(
    ("claim", "est", "lo", "hi"),
    [
        ("cgvhd-2y-msc", "39.5", "29.3", "49.4"),
        ("cgvhd-2y-control", "62.7", "51.4", "72.1"),
        ("relapse-3y-msc", "10.1", "5.2", "17.1"),
        ("relapse-3y-control", "13.5", "7.5", "21.2"),
    ],
)
def test_zhao2022_incidence_ci_transformation(table, claim, est, lo, hi):
    expected = fitting_transforms(est, lo, hi)
    assert "plain" not in expected  # the CIs are visibly asymmetric
    r = rows(table, "zhao2022", claim)
    assert set(r["estimate"].methods) == expected
    assert r["estimate"].verdict == ("reproduced" if expected else "inconsistent")


def test_zhao2022_common_transformation(table):
    sets = [
        fitting_transforms(*x)
        for x in [
            ("39.5", "29.3", "49.4"),
            ("62.7", "51.4", "72.1"),
            ("10.1", "5.2", "17.1"),
            ("13.5", "7.5", "21.2"),
        ]
    ]
    common = set.intersection(*sets)
    table_rows = table[
        (table["record"] == "zhao2022") & (table["quantity"] == "transform[common]")
    ]
    [row] = list(table_rows.itertuples())
    assert set(row.methods) == common
    assert common == {"log-log"}


def test_zhao2022_cgvhd_hr(table):
    m_lo, m_hi = midpoint_range("0.36", "0.84")
    assert m_lo < 0.555
    assert m_hi >= 0.545
    p_lo, p_hi = wald_p_range("0.55", "0.36", "0.84")
    assert p_lo <= 0.0045
    assert p_hi >= 0.0055
    r = rows(table, "zhao2022", "cgvhd-hr")
    assert r["hazard_ratio"].verdict == "reproduced"
    assert r["p"].verdict == "reproduced"


def test_zhao2022_safety_window(table):
    assert all_not_checkable(table, "zhao2022", "safety-window")


@pytest.mark.parametrize(
    ("claim", "t", "c"),
    [
        ("infections", ("65", "65.7"), ("78", "78.8")),
        ("hematological-toxicity", ("37", "37.4"), ("53", "53.5")),
    ],
)
def test_zhao2022_adverse_event_percentages(table, claim, t, c):
    assert prints_as(Fraction(100 * int(t[0]), 99), t[1])
    assert prints_as(Fraction(100 * int(c[0]), 99), c[1])
    r = rows(table, "zhao2022", claim)
    assert r["percent[treatment]"].verdict == "reproduced"
    assert r["percent[control]"].verdict == "reproduced"


def test_zhao2022_relapse_hr(table):
    m_lo, m_hi = midpoint_range("0.34", "1.67")
    assert m_lo < 0.755
    assert m_hi >= 0.745
    _p_lo, p_hi = wald_p_range("0.75", "0.34", "1.67")
    # every Wald P the CI allows lies in [0.464, 0.494]; 0.610 needs [0.6095, 0.6105)
    assert p_hi < 0.6095
    r = rows(table, "zhao2022", "relapse-hr")
    assert r["hazard_ratio"].verdict == "reproduced"
    assert r["p"].verdict == "inconsistent"
    assert not r["p"].decision_error  # both sides are far from 0.05
    assert "Gray" in r["p"].note or "log-rank" in r["p"].note


def test_zhao2022_implied_events(table):
    # Tierney 2007: events ~ 4 / SE^2 at 1:1; SE from the FFS CI
    se = (math.log(0.95) - math.log(0.48)) / (2 * Z975)
    assert 4 / se**2 == pytest.approx(131.88, abs=0.01)
    r = rows(table, "zhao2022", "ffs-hr")
    assert r["implied_events"].recomputed == pytest.approx(4 / se**2, rel=1e-9)
    assert r["implied_events"].verdict == "reproduced"  # 132 <= 198 patients


# ----------------------------------------------------------------- zhao2025


def test_zhao2025_design_parts(table):
    assert all_not_checkable(table, "zhao2025", "design-parts")


def test_zhao2025_grades(table):
    assert all_not_checkable(table, "zhao2025", "grades")


@pytest.mark.parametrize(
    ("claim", "dose"), [("schedule-0.5", 0.5), ("schedule-1.0", 1.0), ("schedule-2.0", 2.0)]
)
def test_zhao2025_dose_schedules(table, claim, dose):
    n = 2 * 3  # twice weekly for 3 weeks
    r = rows(table, "zhao2025", claim)
    assert f"{n} administrations" in r["dose"].note
    assert repr(dose * n) in r["dose"].note


def test_zhao2025_key_secondary_day(table):
    assert all_not_checkable(table, "zhao2025", "key-secondary-day")


def test_zhao2025_enrolled(table):
    assert all_not_checkable(table, "zhao2025", "enrolled")


@pytest.mark.parametrize(
    ("claim", "percent", "count"),
    [("orr-day28", "80.0", 20), ("cr-day28", "40.0", 10), ("pr-day28", "40.0", 10)],
)
def test_zhao2025_response_rates(table, claim, percent, count):
    assert [k for k in range(26) if prints_as(Fraction(100 * k, 25), percent)] == [count]
    assert rows(table, "zhao2025", claim)["percent"].verdict == "reproduced"


def test_zhao2025_orr_equals_cr_plus_pr(table):
    # by hand: the only k of 25 printing as 40.0% is 10 (10/25 = 40%), so CR + PR = 20 of 25,
    # which prints as 80.0%; no other pair of counts prints as 40.0% + 40.0%
    cr = [k for k in range(26) if prints_as(Fraction(100 * k, 25), "40.0")]
    assert cr == [10]
    assert prints_as(Fraction(100 * (cr[0] + cr[0]), 25), "80.0")
    row = rows(table, "zhao2025", "orr-equals-cr-plus-pr")["total"]
    assert row.verdict == "reproduced"
    assert row.recomputed == pytest.approx(80.0, rel=1e-12)  # 40.0 + 40.0
    assert "counts 10 + 10 give totals [20]" in row.note
    assert "count-sum" in row.methods


def test_zhao2025_rp2d(table):
    assert all_not_checkable(table, "zhao2025", "rp2d")


def km_path_value(n, steps):
    """KM estimate of a path: each step (events d, then censored c) at risk r."""
    s, r = Fraction(1), n
    for d, c in steps:
        s *= Fraction(r - d, r)
        r -= d + c
    return s


def test_zhao2025_os_1y(table):
    # no k/25 prints as 74.3 (18/25 = 72%, 19/25 = 76%) ...
    assert not any(prints_as(Fraction(100 * k, 25), "74.3") for k in range(26))
    # ... but with censoring it is a KM value: one death of 25, censor 1; one of 23,
    # censor 1; four of 21 -> (24/25)(22/23)(17/21) = 74.34%
    v = km_path_value(25, [(1, 1), (1, 1), (4, 0)])
    assert v == Fraction(24 * 22 * 17, 25 * 23 * 21)
    assert prints_as(100 * v, "74.3")
    row = rows(table, "zhao2025", "os-1y")["attainable"]
    assert row.verdict == "reproduced"
    assert "with-censoring" in row.methods
    assert "without-censoring" not in row.methods


@pytest.mark.parametrize(("claim", "text"), [("nrm-1y", "17.0"), ("relapse-1y", "8.4")])
def test_zhao2025_incidences(table, claim, text):
    assert not any(prints_as(Fraction(100 * k, 25), text) for k in range(26))
    row = rows(table, "zhao2025", claim)["attainable"]
    assert row.verdict == "reproduced"
    assert row.methods == ("with-censoring",)
    # the value the check exhibits must itself print as the claim
    assert prints_as(row.recomputed, text)


def test_zhao2025_incidences_have_hand_paths():
    # 1 - KM (no competing event needed): 1 of 25 dies, 1 censored; 2 of 23, 2 censored;
    # 1 of 19: 1 - (24/25)(21/23)(18/19) = 16.96% -> "17.0"
    v = 1 - km_path_value(25, [(1, 1), (2, 2), (1, 0)])
    assert v == 1 - Fraction(24 * 21 * 18, 25 * 23 * 19)
    assert prints_as(100 * v, "17.0")
    # 1 of 25, 2 censored; 1 of 22: 1 - (24/25)(21/22) = 8.36% -> "8.4"
    v = 1 - km_path_value(25, [(1, 2), (1, 0)])
    assert v == 1 - Fraction(24 * 21, 25 * 22)
    assert prints_as(100 * v, "8.4")


def test_zhao2025_biomarker_time(table):
    assert all_not_checkable(table, "zhao2025", "biomarker-time")


def test_zhao2025_registration_date(table):
    assert all_not_checkable(table, "zhao2025", "registration-date")


def test_every_claim_of_both_abstracts_has_a_test():
    import inspect
    import sys

    src = inspect.getsource(sys.modules[__name__])
    for rid in ("zhao2022", "zhao2025"):
        for claim in load_record(rid).claims:
            assert f'"{claim.id}"' in src, claim.id
