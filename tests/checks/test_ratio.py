"""Tests for gvhdstats.checks.ratio: ratio estimates with CI and P, checked over the rounding box.

Expected values come from R (tests/reference/gen_incidence.R -> incidence_reference.json:
survival::coxph, cmprsk::crr), from closed-form computations written out here with the
formula's reference (Altman & Bland 2011; Tierney et al. 2007), or from random points of
the rounding box (for the claims that the ranges are exact bounds).
"""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvhdstats.checks.ratio import check_ratio, implied_events
from gvhdstats.checks.verdicts import ROW_COLUMNS, Verdict
from gvhdstats.errors import (
    InvalidArgumentError,
    InvalidIntervalError,
    InvalidPValueError,
    ReportedNumberError,
    UnknownMethodError,
)
from gvhdstats.numbers import Reported
from gvhdstats.records.loader import load_record
from tests.conftest import REFERENCE_DIR

REF = json.loads((REFERENCE_DIR / "incidence_reference.json").read_text())
Z95 = NormalDist().inv_cdf(0.975)


def wald_p(z: float) -> float:
    """Two-sided normal P, written independently of the module (statistics.NormalDist)."""
    return 2 * (1 - NormalDist().cdf(abs(z)))


def hand_box_p_range(est, lo, hi, half):
    """Wald P range over the rounding box, by brute force on a fine grid (hand check)."""
    es = np.linspace(est - half, est + half, 41)
    ls = np.linspace(lo - half, lo + half, 41)
    us = np.linspace(hi - half, hi + half, 41)
    e, ll, u = np.meshgrid(es, ls, us, indexing="ij")
    se = (np.log(u) - np.log(ll)) / (2 * Z95)
    z = np.abs(np.log(e)) / se
    p = np.array([wald_p(x) for x in z.ravel()[::97]])  # a thinned sample of the grid
    return z.min(), z.max(), p


# --------------------------------------------------------------------------- R: coxph


@pytest.mark.parametrize("row", REF["cox"], ids=[r["name"] for r in REF["cox"]])
def test_coxph_printed_two_decimals_reproduced(row):
    est, lo, hi, p = (f"{row[k]:.2f}" for k in ("estimate", "lower", "upper", "p_wald"))
    p = f"{row['p_wald']:.3f}" if row["p_wald"] >= 0.001 else "<0.001"
    res = check_ratio(est, (lo, hi), p)
    assert [r.verdict for r in res.rows] == [Verdict.REPRODUCED] * 4
    # coxph's se(coef) lies in the SE range of the printed box
    assert res.se_log[0] <= row["se_log"] <= res.se_log[1]
    assert res.p_wald[0] <= row["p_wald"] <= res.p_wald[1]


@pytest.mark.parametrize("row", REF["cox"], ids=[r["name"] for r in REF["cox"]])
def test_coxph_unrounded_se_and_p(row):
    # printed with 12 significant digits the box is tiny: nominal values match R closely
    est, lo, hi = (f"{row[k]:.12g}" for k in ("estimate", "lower", "upper"))
    res = check_ratio(est, (lo, hi), f"{row['p_wald']:.10f}")
    assert res.se_log_nominal == pytest.approx(row["se_log"], rel=1e-9)
    assert res.pvalue == pytest.approx(row["p_wald"], rel=1e-7)
    assert res.rows[-1].verdict is Verdict.REPRODUCED


def test_coxph_implied_events_tierney():
    # Tierney 2007: D ~ (1 + r)^2 / (r SE^2), exact under the null; away from HR = 1 the
    # Cox variance is larger, so the formula undercounts (lung, HR 0.59: 136-152 vs 165)
    row = REF["cox"][0]
    r = row["n_treatment"] / row["n_control"]
    res = check_ratio(
        f"{row['estimate']:.2f}",
        (f"{row['lower']:.2f}", f"{row['upper']:.2f}"),
        allocation_ratio=r,
    )
    lo, hi = res.implied_events
    assert lo <= (1 + r) ** 2 / (r * row["se_log"] ** 2) <= hi
    assert hi < row["events"] < 1.25 * lo


def test_crr_subdistribution_wald_and_gray():
    shr = REF["shr"]
    est, lo, hi = (f"{shr[k]:.2f}" for k in ("estimate", "lower", "upper"))
    wald = check_ratio(
        est, (lo, hi), f"{shr['p_wald']:.3f}", measure="subdistribution-hazard-ratio"
    )
    assert wald.rows[0].quantity == "subdistribution_hazard_ratio"
    assert wald.rows[-1].verdict is Verdict.REPRODUCED
    # Gray's test P (0.092) is not the Wald P of the crr CI (0.112): the note names Gray's test
    gray = check_ratio(
        est, (lo, hi), f"{shr['p_gray']:.3f}", measure="subdistribution-hazard-ratio"
    )
    prow = gray.rows[-1]
    assert prow.verdict is Verdict.INCONSISTENT
    assert "Gray's test" in prow.note
    assert prow.decision_error is False


# --------------------------------------------------------------------------- hand values


def test_phase3_ffs_hand_computation():
    """Zhao 2022 failure-free survival: HR 0.68 (0.48-0.95), P = 0.024.

    Box: L in [0.475, 0.485), U in [0.945, 0.955), est in [0.675, 0.685).
    SE range [(ln .945 - ln .485)/(2z), (ln .955 - ln .475)/(2z)] (Altman & Bland 2011).
    """
    se_lo = (math.log(0.945) - math.log(0.485)) / (2 * Z95)
    se_hi = (math.log(0.955) - math.log(0.475)) / (2 * Z95)
    res = check_ratio(estimate="0.68", ci=("0.48", "0.95"), p="0.024")
    assert res.se_log == pytest.approx((se_lo, se_hi), rel=1e-12)
    mid = (math.sqrt(0.475 * 0.945), math.sqrt(0.485 * 0.955))
    assert res.midpoint == pytest.approx(mid, rel=1e-12)
    # P range: |ln e| over est box meet midpoint range = [0.675, 0.6806...]
    e_hi = min(0.685, mid[1])
    p_lo = wald_p(abs(math.log(0.675)) / se_lo)
    p_hi = wald_p(abs(math.log(e_hi)) / se_hi)
    assert res.p_wald == pytest.approx((p_lo, p_hi), rel=1e-9)
    assert p_lo < 0.0235
    assert p_hi > 0.0245
    assert res.rows[-1].verdict is Verdict.REPRODUCED
    assert res.implied_events == pytest.approx((4 / se_hi**2, 4 / se_lo**2), rel=1e-12)
    frame = res.to_frame()
    assert list(frame.columns) == list(ROW_COLUMNS)
    assert list(frame["quantity"]) == ["hazard_ratio", "ci_low", "ci_high", "p"]


def test_phase3_relapse_p_is_not_wald():
    """HR 0.75 (0.34-1.67), P = 0.610: the Wald P of the CI is about 0.48."""
    (math.log(1.665) - math.log(0.345)) / (2 * Z95)
    se_hi = (math.log(1.675) - math.log(0.335)) / (2 * Z95)
    p_max = wald_p(math.log(1 / 0.755) / se_hi)  # largest P: smallest |ln e|, largest SE
    assert p_max < 0.6095
    res = check_ratio("0.75", ("0.34", "1.67"), "0.610")
    prow = res.rows[-1]
    assert prow.verdict is Verdict.INCONSISTENT
    assert res.p_wald[1] <= p_max + 1e-12
    assert "log-rank" in prow.note
    assert "Gray's test" in prow.note
    assert prow.decision_error is False  # both sides non-significant


def test_decision_error_p_side():
    # CI 1.10-2.00 around 1.48: Wald P ~ 0.009, printed P = 0.08 -> decision error
    res = check_ratio("1.48", ("1.10", "2.00"), "0.08")
    prow = res.rows[-1]
    assert prow.verdict is Verdict.INCONSISTENT
    assert prow.decision_error is True
    assert "excludes 1" in prow.note


def test_decision_error_ci_includes_one():
    res = check_ratio(ci=("0.90", "1.50"), p="0.01")
    prow = res.rows[-1]
    assert prow.decision_error is True
    assert "includes 1" in prow.note


def test_less_than_p_value():
    # lung sex: HR 0.59 (0.42-0.82), Wald P 0.0015: "<0.01" reproduced, "<0.001" not
    ok = check_ratio("0.59", ("0.42", "0.82"), "<0.01")
    assert ok.rows[-1].verdict is Verdict.REPRODUCED
    bad = check_ratio("0.59", ("0.42", "0.82"), "<0.001")
    assert bad.rows[-1].verdict is Verdict.INCONSISTENT
    assert bad.rows[-1].decision_error is False
    gt = check_ratio("1.02", ("0.71", "1.45"), ">0.05")
    assert gt.rows[-1].verdict is Verdict.REPRODUCED


def test_estimate_not_midpoint():
    # 0.80 is far from sqrt(0.48 * 0.95) = 0.675
    res = check_ratio("0.80", ("0.48", "0.95"))
    assert res.rows[0].verdict is Verdict.INCONSISTENT
    assert res.rows[0].recomputed == pytest.approx(math.sqrt(0.48 * 0.95))


def test_se_from_estimate_and_p_without_ci():
    # Tierney 2007 (method from P): SE = |ln HR| / z_P
    res = check_ratio("0.68", p="0.024")
    zp = NormalDist().inv_cdf(1 - 0.024 / 2)
    assert res.se_log[0] <= abs(math.log(0.68)) / zp <= res.se_log[1]
    assert res.rows[0].verdict is Verdict.NOT_CHECKABLE
    assert res.rows[-1].verdict is Verdict.NOT_CHECKABLE


def test_implied_events_formula():
    # Tierney 2007: D = 4 / SE^2 at 1:1, (1 + r)^2 / (r SE^2) otherwise
    assert implied_events(0.2) == pytest.approx(100.0)
    assert implied_events(0.2, allocation_ratio=2.0) == pytest.approx(9 / (2 * 0.04))


def test_confidence_interval_at_another_level():
    res = check_ratio("0.68", ("0.48", "0.95"))
    ci = res.confidence_interval(0.95)
    assert ci.low == pytest.approx(0.68 * 0.48 / math.sqrt(0.48 * 0.95))
    assert ci.high == pytest.approx(0.68 * 0.95 / math.sqrt(0.48 * 0.95))
    ci99 = res.confidence_interval(0.99)
    assert ci99.low < ci.low
    assert ci99.high > ci.high


# --------------------------------------------------------------------------- exactness


@pytest.mark.parametrize(
    ("est", "lo", "hi", "p"),
    [
        ("0.68", "0.48", "0.95", "0.024"),
        ("0.75", "0.34", "1.67", "0.610"),
        ("2.00", "1.01", "3.94", "0.043"),
        ("1.0", "0.7", "1.4", "0.9"),
    ],
)
def test_ranges_bound_every_point_of_the_box(est, lo, hi, p):
    """Random points of the box stay inside the ranges; corners reach their ends."""
    res = check_ratio(est, (lo, hi), p)
    rng = np.random.default_rng(7)
    h_e = 0.5 * 10 ** -len(est.split(".")[1])
    h_l = 0.5 * 10 ** -len(lo.split(".")[1])
    h_u = 0.5 * 10 ** -len(hi.split(".")[1])
    ll = float(lo) + rng.uniform(-h_l, h_l, 5000)
    uu = float(hi) + rng.uniform(-h_u, h_u, 5000)
    se = (np.log(uu) - np.log(ll)) / (2 * Z95)
    mid = np.sqrt(ll * uu)
    assert np.all(se >= res.se_log[0] - 1e-15)
    assert np.all(se <= res.se_log[1] + 1e-15)
    assert np.all(mid >= res.midpoint[0] - 1e-15)
    assert np.all(mid <= res.midpoint[1] + 1e-15)
    # the P range covers the Wald P of every admissible (e, L, U): e in est box and midpoint range
    ee = float(est) + rng.uniform(-h_e, h_e, 5000)
    keep = (ee >= res.midpoint[0]) & (ee <= res.midpoint[1])
    if keep.any():
        z = np.abs(np.log(ee[keep])) / se[keep]
        pw = np.array([wald_p(x) for x in z])
        assert np.all(pw >= res.p_wald[0] - 1e-12)
        assert np.all(pw <= res.p_wald[1] + 1e-12)
    # sharpness of the SE range: its ends are the corners
    lo_b, hi_b = float(lo) - h_l, float(lo) + h_l
    u_lo, u_hi = float(hi) - h_u, float(hi) + h_u
    assert res.se_log[1] == pytest.approx((math.log(u_hi) - math.log(lo_b)) / (2 * Z95))
    assert res.se_log[0] == pytest.approx((math.log(u_lo) - math.log(hi_b)) / (2 * Z95))


# --------------------------------------------------------------------------- errors


def test_errors():
    with pytest.raises(ReportedNumberError, match="estimate"):
        check_ratio(0.68, ("0.48", "0.95"))
    with pytest.raises(InvalidIntervalError, match="low <= high"):
        check_ratio("0.68", ("0.95", "0.48"))
    with pytest.raises(InvalidPValueError, match="`p`"):
        check_ratio("0.68", ("0.48", "0.95"), "1.5")
    with pytest.raises(UnknownMethodError, match="`measure`"):
        check_ratio("0.68", ("0.48", "0.95"), measure="hazard")
    with pytest.raises(InvalidArgumentError, match="`allocation_ratio`"):
        check_ratio("0.68", ("0.48", "0.95"), allocation_ratio=0)
    with pytest.raises(InvalidArgumentError, match="`confidence_level`"):
        check_ratio("0.68", ("0.48", "0.95"), confidence_level=95)
    with pytest.raises(InvalidArgumentError, match="`se_log`"):
        implied_events(-1.0)


# --------------------------------------------------------------------------- engine


def _rows(record_id: str, claim_id: str):
    from gvhdstats.engine import verify_rows

    rec = load_record(record_id)
    return {row.quantity: row for cid, row in verify_rows(rec) if cid == claim_id}


def test_engine_phase3_hazard_ratios():
    """Verdicts derived by hand for the three hazard ratios of Zhao 2022.

    FFS P 0.024 and cGVHD P 0.005 lie in their Wald ranges (hand check below); the relapse P
    0.610 does not (Wald P at most 0.494).
    """
    for est, lo, hi, p, expect in [
        (0.68, 0.48, 0.95, 0.024, True),
        (0.55, 0.36, 0.84, 0.005, True),
        (0.75, 0.34, 1.67, 0.610, False),
    ]:
        se_min = (math.log(hi - 0.005) - math.log(lo + 0.005)) / (2 * Z95)
        se_max = (math.log(hi + 0.005) - math.log(lo - 0.005)) / (2 * Z95)
        a_min = abs(math.log(est + 0.005 * (1 if est < 1 else -1)))
        a_max = abs(math.log(est - 0.005 * (1 if est < 1 else -1)))
        p_range = (wald_p(a_max / se_min), wald_p(a_min / se_max))
        inside = p_range[0] < p + 0.0005 and p_range[1] > p - 0.0005
        assert inside is expect
    ffs = _rows("zhao2022", "ffs-hr")
    assert ffs["p"].verdict is Verdict.REPRODUCED
    assert ffs["hazard_ratio"].verdict is Verdict.REPRODUCED
    assert _rows("zhao2022", "cgvhd-hr")["p"].verdict is Verdict.REPRODUCED
    rel = _rows("zhao2022", "relapse-hr")
    assert rel["p"].verdict is Verdict.INCONSISTENT
    assert rel["p"].decision_error is False


def test_engine_implied_events_rows():
    # cGVHD: 4/SE^2 with SE in [(ln .835 - ln .365)/2z, (ln .845 - ln .355)/2z] -> about 82-90
    se_lo = (math.log(0.835) - math.log(0.365)) / (2 * Z95)
    se_hi = (math.log(0.845) - math.log(0.355)) / (2 * Z95)
    rows = _rows("zhao2022", "cgvhd-hr")
    ev = rows["implied_events"]
    assert ev.verdict is Verdict.REPRODUCED  # 82-90 events fit in 99 + 99 patients
    assert 4 / se_hi**2 < ev.recomputed < 4 / se_lo**2
    assert rows["implied_events[incidence]"].verdict is Verdict.NOT_CHECKABLE


def test_engine_median_note_is_informational():
    rows = _rows("zhao2022", "ffs-median")
    row = rows["median_ratio[exponential-ph]"]
    assert row.verdict is Verdict.NOT_CHECKABLE
    assert row.recomputed == pytest.approx(6.0 / 11.3)
    assert "inside the CI" in row.note


def test_engine_more_events_than_patients_is_inconsistent():
    from gvhdstats.checks.ratio import check_record
    from gvhdstats.records.loader import parse_record

    doc = {
        "id": "tiny",
        "kind": "publication",
        "design": {"arms": [{"id": "a", "randomised": "10"}, {"id": "b", "randomised": "10"}]},
        "claims": [
            {
                "id": "hr",
                "type": "ratio",
                "measure": "hazard-ratio",
                "arms": ["a", "b"],
                "quote": "HR 0.70 (0.60-0.82)",
                "printed": {"estimate": "0.70", "ci_low": "0.60", "ci_high": "0.82"},
            }
        ],
    }
    rows = check_record(parse_record(doc, "tiny.toml"))
    ((cid, row),) = rows
    # SE ~ 0.08 -> about 625 events from 20 patients
    assert cid == "hr"
    assert row.verdict is Verdict.INCONSISTENT


@pytest.mark.r
def test_live_r_wald_p_from_ci(tmp_path):
    from tests.conftest import run_r_code

    out = run_r_code(
        "se <- (log(0.95) - log(0.48)) / (2 * qnorm(0.975)); "
        "cat(sprintf('%.15g %.15g', se, 2 * pnorm(-abs(log(sqrt(0.48 * 0.95))) / se)))",
        tmp_path,
    )
    se, p = map(float, out.split())
    res = check_ratio(ci=("0.48", "0.95"), p="0.027")
    assert res.se_log_nominal == pytest.approx(se, rel=1e-12)
    assert res.pvalue == pytest.approx(p, rel=1e-10)


# --------------------------------------------------------------------------
# one-sided P, non-inferiority P against a margin, CI level
# --------------------------------------------------------------------------

Z975 = NormalDist().inv_cdf(0.975)


def _wald_p_two_sided(est: float, lo: float, hi: float, level: float = 0.95) -> float:
    """Altman & Bland (2011): SE from the CI, two-sided Wald P (hand formula)."""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    se = (math.log(hi) - math.log(lo)) / (2 * z)
    return 2 * NormalDist().cdf(-abs(math.log(est)) / se)


def test_rocket_af_non_inferiority_p_against_the_margin():
    # Patel et al., NEJM 2011;365:883-91 (ROCKET-AF), intention to treat: HR 0.88
    # (0.75-1.03), P < 0.001 for non-inferiority (margin 1.46), P = 0.12 for superiority
    se = (math.log(1.03) - math.log(0.75)) / (2 * Z975)
    p_ni = NormalDist().cdf((math.log(0.88) - math.log(1.46)) / se)  # hand: ~2e-10
    assert p_ni < 1e-9
    ni = check_ratio(
        "0.88", ("0.75", "1.03"), "<0.001", hypothesis="non-inferiority", margin="1.46"
    )
    row = ni.rows[-1]
    assert row.verdict is Verdict.REPRODUCED
    assert row.methods == ("wald-non-inferiority",)
    assert row.recomputed == pytest.approx(p_ni, rel=1e-9)
    assert row.decision_error is False
    # without the margin: not checkable, and no decision error from "CI includes 1"
    bare = check_ratio("0.88", ("0.75", "1.03"), "<0.001", hypothesis="non-inferiority")
    assert bare.rows[-1].verdict is Verdict.NOT_CHECKABLE
    assert bare.rows[-1].decision_error is None
    # read as a superiority P it is a decision error (what the issue reported)
    assert check_ratio("0.88", ("0.75", "1.03"), "<0.001").rows[-1].decision_error is True
    sup = check_ratio("0.88", ("0.75", "1.03"), "0.12")
    assert sup.rows[-1].verdict is Verdict.REPRODUCED
    assert f"{_wald_p_two_sided(0.88, 0.75, 1.03):.2f}" == "0.11"  # 0.12 within the CI rounding
    # a margin below 1 (higher is better): P = 1 - Phi((ln e - ln M)/SE), by hand
    se2 = (math.log(1.3) - math.log(0.9)) / (2 * Z975)
    p2 = 1 - NormalDist().cdf((math.log(1.08) - math.log(0.8)) / se2)
    res = check_ratio(
        "1.08", ("0.90", "1.30"), f"{p2:.3f}", hypothesis="non-inferiority", margin=0.8
    )
    assert res.rows[-1].verdict is Verdict.REPRODUCED
    with pytest.raises(InvalidArgumentError, match="margin"):
        check_ratio("1.08", ("0.90", "1.30"), "0.01", hypothesis="non-inferiority", margin=1)
    with pytest.raises(InvalidArgumentError, match="hypothesis"):
        check_ratio("1.08", ("0.90", "1.30"), "0.01", hypothesis="equivalence")


NI_TOML = """
schema = 1
id = "rocket"
kind = "publication"
title = "t"

[[claims]]
id = "hr"
type = "ratio"
measure = "hazard-ratio"
quote = "HR 0.88 (95% CI, 0.75 to 1.03), P<0.001 for non-inferiority."
{extra}

[claims.printed]
estimate = "0.88"
ci_low = "0.75"
ci_high = "1.03"
p = "<0.001"
"""


def test_non_inferiority_claim_reads_the_quote_and_the_margin(tmp_path):
    from gvhdstats.checks.ratio import check_claim

    f = tmp_path / "r.toml"
    f.write_text(NI_TOML.format(extra=""), encoding="utf-8")
    rec = load_record(f)
    row = check_claim(rec.claim("hr"), rec)[-1]
    assert row.verdict is Verdict.NOT_CHECKABLE
    assert "margin" in row.note
    assumed = '[claims.assumed]\nmargin = { value = 1.46, why = "protocol margin" }'
    # TOML: the assumed table must come after printed; append it at the end
    f.write_text(NI_TOML.format(extra="") + assumed + "\n", encoding="utf-8")
    rec = load_record(f)
    row = check_claim(rec.claim("hr"), rec)[-1]
    assert row.verdict is Verdict.REPRODUCED
    assert "margin = 1.46 assumed" in row.note


def test_one_sided_p_is_half_the_wald_p():
    # hand: HR 0.68 (0.48-0.95), two-sided Wald P from the CI; a printed one-sided P
    half = _wald_p_two_sided(0.68, 0.48, 0.95) / 2
    printed = f"{half:.3f}"
    two = check_ratio("0.68", ("0.48", "0.95"), printed)
    assert two.rows[-1].verdict is Verdict.INCONSISTENT
    assert "one-sided" in two.rows[-1].note
    one = check_ratio("0.68", ("0.48", "0.95"), printed, p_sided=1)
    assert one.rows[-1].verdict is Verdict.REPRODUCED
    assert one.rows[-1].methods == ("wald-from-ci-one-sided",)
    # the two-sided P is not accepted as one-sided
    full = f"{2 * half:.3f}"
    assert check_ratio("0.68", ("0.48", "0.95"), full, p_sided=1).rows[-1].verdict is (
        Verdict.INCONSISTENT
    )


def test_ci_level_hint_when_the_ci_is_a_90_percent_interval():
    # hand: estimate 0.68, SE 0.175 -> 90% CI and two-sided Wald P
    se, z90 = 0.175, NormalDist().inv_cdf(0.95)
    lo, hi = math.exp(math.log(0.68) - z90 * se), math.exp(math.log(0.68) + z90 * se)
    p = 2 * NormalDist().cdf(-abs(math.log(0.68)) / se)
    ci = (f"{lo:.2f}", f"{hi:.2f}")
    res = check_ratio("0.68", ci, f"{p:.3f}")
    assert res.rows[-1].verdict is Verdict.INCONSISTENT
    assert "90%" in res.rows[-1].note
    assert check_ratio("0.68", ci, f"{p:.3f}", confidence_level=0.90).rows[-1].verdict is (
        Verdict.REPRODUCED
    )


# ---------------------------------------------------------------------------
# ratios and CI bounds printed as 0 (issue "Printed numbers")
# ---------------------------------------------------------------------------


def test_estimate_printed_as_zero_is_handled_with_a_note():
    # "0.00" stands for [0, 0.005]; the CI 0.50-2.00 has geometric midpoint
    # sqrt(0.495 * 1.995) .. sqrt(0.505 * 2.005) = [0.9938, 1.0063], far from it
    res = check_ratio(estimate="0.00", ci=("0.50", "2.00"), p="0.5")
    est = res.rows[0]
    assert est.verdict is Verdict.INCONSISTENT
    assert "stands for ratios down to 0" in est.note
    # no nominal Wald P exists at an estimate of 0; the note gives the range only
    p_row = res.rows[-1]
    assert "Wald P from the CI: range" in p_row.note
    # without a CI nothing is checkable, and nothing raises
    res = check_ratio(estimate="0.00", p="0.5")
    assert [r.verdict for r in res.rows] == [Verdict.NOT_CHECKABLE] * 2


def test_ci_bound_printed_as_zero_bounds_the_p_from_below_only():
    # estimate 0.05, CI 0.00-2.00: SE >= (ln 1.995 - ln 0.005) / (2 * 1.96) = 1.527;
    # |ln e| <= |ln 0.045| = 3.101 (e in [0.045, 0.055]), so z <= 2.030 and the Wald P is
    # at least 2 * (1 - Phi(2.030)) = 0.0424; the SE is unbounded above (P up to 1)
    res = check_ratio(estimate="0.05", ci=("0.00", "2.00"), p="0.5")
    se_min = (math.log(1.995) - math.log(0.005)) / (2 * Z95)
    p_min = 2 * (1 - NormalDist().cdf(abs(math.log(0.045)) / se_min))
    assert res.p_wald[0] == pytest.approx(p_min, rel=1e-9)
    assert res.p_wald[1] == 1.0
    p_row = res.rows[-1]
    assert p_row.verdict is Verdict.REPRODUCED
    assert "bounds the Wald P from below only" in p_row.note
    # a printed P below that lower bound is inconsistent with the CI
    res = check_ratio(estimate="0.05", ci=("0.00", "2.00"), p="0.03")
    assert res.rows[-1].verdict is Verdict.INCONSISTENT


def test_reproduced_rows_show_values_that_print_as_the_printed_number():
    # estimate 0.05 with CI 0.00-2.00: the nominal midpoint sqrt(0 * 2) = 0 is far from 0.05
    # on the log scale, but the midpoint range [0, 0.1] meets [0.045, 0.055]
    res = check_ratio(estimate="0.05", ci=("0.00", "2.00"), p="0.5")
    est = res.rows[0]
    assert est.verdict is Verdict.REPRODUCED
    assert 0.045 <= est.recomputed <= 0.055
    assert "geometric midpoint of the CI: 0 " in est.note  # the nominal stays in the note
    # the nominal SE (ln 2 - ln 0) / (2z) is infinite, so there is no nominal Wald P; the P
    # row shows the value of the Wald-P range [0.0424, 1] nearest the printed 0.5: 0.5
    p_row = res.rows[-1]
    assert p_row.verdict is Verdict.REPRODUCED
    assert p_row.recomputed == 0.5
    # an estimate printed as 0: the nominal midpoint and Wald P are degenerate (0, NaN);
    # the rows show the value of the recomputed range nearest the print instead
    res = check_ratio(estimate="0.00", ci=("0.00", "2.00"), p="0.5")
    assert res.rows[0].recomputed == 0.0  # midpoint range [0, 0.1001] meets [0, 0.005]
    assert res.rows[-1].recomputed == 0.5  # Wald P range [0, 1] contains the printed 0.5


_PRINTED_RATIO = st.decimals(min_value=0, max_value=5, places=2).map(lambda d: f"{d:.2f}")
_PRINTED_P = st.sampled_from(["0.001", "<0.001", "0.01", "0.024", "0.05", "0.2", "0.61", "0.99"])


@settings(max_examples=250, deadline=None, database=None)
@given(_PRINTED_RATIO, _PRINTED_RATIO, _PRINTED_RATIO, _PRINTED_P)
def test_any_reproduced_row_shows_a_value_the_method_gives_in_the_box(e, lo, hi, p):
    # "never far from the printed number": a reproduced row shows a finite value that the
    # method gives somewhere in the rounding box (the range that meets the printed interval),
    # and never 0 for a printed number whose interval excludes 0
    lo, hi = sorted((lo, hi), key=float)
    if float(hi) == 0:
        return  # a CI of (0, 0) is refused (tested above)
    res = check_ratio(estimate=e, ci=(lo, hi), p=p)
    ranges = {"hazard_ratio": res.midpoint, "p": res.p_wald}
    for row in res.rows:
        if row.verdict is not Verdict.REPRODUCED or row.recomputed is None:
            continue
        assert math.isfinite(row.recomputed), row
        if Reported(row.reported).interval().low > 0:
            assert row.recomputed > 0, row
        rng = ranges.get(row.quantity)
        if rng is not None:
            slack = 1e-12 * max(1.0, abs(row.recomputed))
            assert rng[0] - slack <= row.recomputed <= rng[1] + slack, row


def test_p_near_one_does_not_overflow():
    # found by the property test: P = 0.99 gives z_P = Phi^-1(0.505) = 0.0125, so the bound
    # rebuilt from the estimate and the P is exp(ln 0.01 +/- 1.96 * 4.6 / 0.0125) = exp(+/-722):
    # beyond a double; it is clipped to 0 / a huge finite value instead of raising
    res = check_ratio(estimate="0.01", ci=("0.00", "0.01"), p="0.99")
    assert [r.quantity for r in res.rows] == ["hazard_ratio", "ci_low", "ci_high", "p"]
    assert res.rows[-1].verdict is Verdict.REPRODUCED
