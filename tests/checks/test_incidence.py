"""Tests for gvhdstats.checks.incidence: CI transformations and Kaplan-Meier attainability.

References: R survival::survfit conf.type output and cmprsk::cuminc variances
(tests/reference/gen_incidence.R -> incidence_reference.json), hand computations with
their formula, and a brute-force enumeration of every Kaplan-Meier path for small n.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pytest

from gvhdstats.checks.attainability import km_attainable
from gvhdstats.checks.incidence import TRANSFORMS, check_incidence, common_transforms
from gvhdstats.checks.verdicts import ROW_COLUMNS, Verdict
from gvhdstats.errors import (
    InvalidArgumentError,
    InvalidCountError,
    InvalidIntervalError,
    UnknownMethodError,
)
from gvhdstats.numbers.rounding import Reported
from gvhdstats.records.loader import load_record
from tests.conftest import REFERENCE_DIR

REF = json.loads((REFERENCE_DIR / "incidence_reference.json").read_text())
Z95 = NormalDist().inv_cdf(0.975)
R_TO_OURS = {
    "plain": "plain",
    "log": "log",
    "log-log": "log-log",
    "logit": "logit",
    "arcsin": "arcsine",
}


# --------------------------------------------------------------------------- survfit


def _usable(row):
    return 0 < row["lower"] < row["surv"] < row["upper"] < 1


@pytest.mark.parametrize("row", [r for r in REF["km"] if _usable(r)])
def test_survfit_conf_type_identified_at_print_precision(row):
    """survfit's conf.type is among the consistent transformations at 1-decimal percents."""
    est, lo, hi = (f"{100 * row[k]:.1f}" for k in ("surv", "lower", "upper"))
    res = check_incidence(est, (lo, hi), n=row["n"])
    ours = R_TO_OURS[row["conf_type"]]
    assert ours in res.transforms
    se_lo, se_hi = res.implied_se[ours]
    assert se_lo <= row["std_err"] <= se_hi  # summary.survfit std.err is the SE of S


@pytest.mark.parametrize("row", [r for r in REF["km"] if _usable(r)])
def test_survfit_conf_type_unique_at_full_precision(row):
    est, lo, hi = (f"{row[k]:.12f}" for k in ("surv", "lower", "upper"))
    res = check_incidence(est, (lo, hi), percent=False)
    ours = R_TO_OURS[row["conf_type"]]
    assert res.transforms == (ours,)
    assert res.fits[ours].se_nominal == pytest.approx(row["std_err"], rel=1e-8)


def test_cloglog_is_loglog_of_the_complement():
    """cloglog of F = 1 - S is survfit's log-log CI of S, mirrored."""
    rows = [r for r in REF["km"] if r["conf_type"] == "log-log" and _usable(r)]
    for row in rows:
        f, lo, hi = 1 - row["surv"], 1 - row["upper"], 1 - row["lower"]
        res = check_incidence(f"{f:.12f}", (f"{lo:.12f}", f"{hi:.12f}"), percent=False)
        assert res.transforms == ("cloglog",)
        assert res.fits["cloglog"].se_nominal == pytest.approx(row["std_err"], rel=1e-8)


@pytest.mark.parametrize("row", REF["cif"])
def test_cuminc_loglog_ci(row):
    """cmprsk::cuminc variance with the F^exp(+/- z SE/(F log F)) CI: log-log, SE = sqrt(var)."""
    est, lo, hi = (f"{100 * row[k]:.1f}" for k in ("est", "lower", "upper"))
    res = check_incidence(est, (lo, hi), n=row["n"])
    assert "log-log" in res.transforms
    s_lo, s_hi = res.implied_se["log-log"]
    assert s_lo <= row["se"] <= s_hi
    full = check_incidence(
        f"{row['est']:.12f}", (f"{row['lower']:.12f}", f"{row['upper']:.12f}"), percent=False
    )
    assert full.fits["log-log"].se_nominal == pytest.approx(row["se"], rel=1e-8)


# --------------------------------------------------------------------------- hand values


def test_phase3_cgvhd_msc_hand_computation():
    """39.5% (29.3-49.4%): the log-log midpoint exp(-exp(-(h(L) + h(U))/2)), h = -log(-log x).

    Over the box L in [.2925, .2935), U in [.4935, .4945) it ranges over
    [mid(.2925, .4935), mid(.2935, .4945)], which meets [.3945, .3955).
    """

    def h(x):
        return -math.log(-math.log(x))

    def mid(a, b):
        return math.exp(-math.exp(-(h(a) + h(b)) / 2))

    lo, hi = mid(0.2925, 0.4935), mid(0.2935, 0.4945)
    assert lo < 0.3955
    assert hi >= 0.3945
    # plain: (L + U)/2 is at most 0.394 < 0.3945: not plain
    assert (0.2935 + 0.4945) / 2 < 0.3945
    res = check_incidence(estimate="39.5", ci=("29.3", "49.4"), percent=True, n=99)
    assert "log-log" in res.transforms
    assert "plain" not in res.transforms
    assert res.fits["log-log"].midpoint == pytest.approx(mid(0.293, 0.494))
    # effective n under log-log: p(1-p)/SE^2 with SE = sigma p |log p|
    sigma = (h(0.494) - h(0.293)) / (2 * Z95)
    se = sigma * 0.395 * -math.log(0.395)
    assert res.fits["log-log"].effective_n_nominal == pytest.approx(0.395 * 0.605 / se**2)
    assert list(res.to_frame().columns) == list(ROW_COLUMNS)


def test_plain_and_log_by_hand():
    # plain: 50 (40-60) is its own midpoint; log: sqrt(.25 * .64) = .40
    assert "plain" in check_incidence("50", ("40", "60")).transforms
    res = check_incidence("0.40", ("0.25", "0.64"))
    assert "log" in res.transforms
    assert "plain" not in res.transforms
    sigma = (math.log(0.64) - math.log(0.25)) / (2 * Z95)
    assert res.fits["log"].se_nominal == pytest.approx(0.40 * sigma)


def test_logit_and_arcsine_by_hand():
    p, sig = 0.3, 0.25
    lg = math.log(p / (1 - p))
    lo, hi = (1 / (1 + math.exp(-(lg + s * Z95 * sig))) for s in (-1, 1))
    res = check_incidence(f"{p:.9f}", (f"{lo:.9f}", f"{hi:.9f}"))
    assert res.transforms == ("logit",)
    assert res.fits["logit"].se_nominal == pytest.approx(p * (1 - p) * sig, rel=1e-6)
    a = math.asin(math.sqrt(p))
    lo, hi = (math.sin(a + s * Z95 * 0.05) ** 2 for s in (-1, 1))
    res = check_incidence(f"{p:.9f}", (f"{lo:.9f}", f"{hi:.9f}"))
    assert res.transforms == ("arcsine",)
    # arcsine: effective n = 1 / (4 sigma^2) whatever p
    assert res.fits["arcsine"].effective_n_nominal == pytest.approx(1 / (4 * 0.05**2), rel=1e-6)


def test_midpoint_ranges_bound_every_point_of_the_box():
    """The consistency decision is exact: random points never escape the midpoint range."""
    from gvhdstats.checks.incidence import _TRANSFORMS

    rng = np.random.default_rng(11)
    for name in TRANSFORMS:
        t = _TRANSFORMS[name]
        ll = 0.293 + rng.uniform(-0.0005, 0.0005, 2000)
        uu = 0.494 + rng.uniform(-0.0005, 0.0005, 2000)
        mids = [t.hinv((t.h(a) + t.h(b)) / 2) for a, b in zip(ll, uu, strict=True)]
        m_lo = t.hinv((t.h(0.2925) + t.h(0.4935)) / 2)
        m_hi = t.hinv((t.h(0.2935) + t.h(0.4945)) / 2)
        assert min(mids) >= m_lo - 1e-12
        assert max(mids) <= m_hi + 1e-12


def test_common_transform_of_the_phase3_trial():
    res = [
        check_incidence(e, (lo, hi))
        for e, lo, hi in [
            ("39.5", "29.3", "49.4"),
            ("62.7", "51.4", "72.1"),
            ("10.1", "5.2", "17.1"),
            ("13.5", "7.5", "21.2"),
        ]
    ]
    assert "log-log" in common_transforms(res)
    assert common_transforms([]) == ()


def test_inconsistent_when_no_transform_fits():
    res = check_incidence("45.0", ("20.0", "50.0"))
    assert res.transforms == ()
    assert res.rows[0].verdict is Verdict.INCONSISTENT


def test_clipped_bound():
    # plain CI clipped at 0: 5.0 (0.0-12.3): plain (clipped) fits, the lower side unbounded
    res = check_incidence("5.0", ("0.0", "12.3"))
    assert "plain" in res.transforms


def test_incidence_errors():
    with pytest.raises(InvalidIntervalError, match="around the estimate"):
        check_incidence("50", ("60", "70"))
    with pytest.raises(UnknownMethodError, match="transforms"):
        check_incidence("50", ("40", "60"), transforms=["probit"])
    with pytest.raises(InvalidCountError, match="`n`"):
        check_incidence("50", ("40", "60"), n=0)
    with pytest.raises(InvalidArgumentError, match="`estimate`"):
        check_incidence("1.5", ("0.4", "1.6"), percent=False)


# --------------------------------------------------------------------------- attainability


def brute_force_km_values(n: int) -> dict[Fraction, int]:
    """Every Kaplan-Meier value for n patients with its fewest censorings, by walking every
    event/censoring sequence (events and censorings one at a time; ties telescope)."""
    best: dict[Fraction, int] = {}
    for seq in itertools.product((0, 1), repeat=n):  # 1 = event, 0 = censoring
        s, r, c = Fraction(1), n, 0
        best[s] = min(best.get(s, 99), 0)
        for step in seq:
            if step:
                s *= Fraction(r - 1, r)
                best[s] = min(best.get(s, 99), c)
            else:
                c += 1
            r -= 1
    return best


@pytest.mark.parametrize("n", [3, 5, 8, 11])
def test_attainability_matches_brute_force(n):
    values = brute_force_km_values(n)
    for k in range(0, 1001, 3):
        text = f"{k / 10:.1f}"
        rep = Reported(text)
        hits = [c for v, c in values.items() if rep.contains_exact(100 * v)]
        res = km_attainable(text, n, percent=True)
        assert res.attainable is bool(hits), text
        if hits:
            assert res.min_censored == min(hits), text
            assert rep.contains_exact(100 * res.example_value)
            assert res.attainable_without_censoring is (min(hits) == 0)


def test_phase1b_os_hand_computation():
    """74.3% of 25: 18/25 = 72%, 19/25 = 76% (not k/n); with 2 censored:
    (24/25)(22/23)(17/21) = 8976/12075 = 0.74335 prints as 74.3."""
    val = Fraction(24, 25) * Fraction(22, 23) * Fraction(17, 21)
    assert val == Fraction(8976, 12075)
    assert Reported("74.3").contains_exact(100 * val)
    res = km_attainable(estimate="74.3", n=25)
    assert res.attainable
    assert not res.attainable_without_censoring
    assert res.min_censored == 2
    assert res.example_value == val
    # a path with one censored patient: S = (j/25)(g/(g-1)), g >= j + 2 -- none prints 74.3
    one = {Fraction(j, 25) * Fraction(g, g - 1) for j in range(1, 25) for g in range(j + 2, 26)}
    assert not any(Reported("74.3").contains_exact(100 * v) for v in one)


def test_unattainable_above_n_minus_one_over_n():
    # 97.0% with n = 25 lies in (24/25, 1): no Kaplan-Meier value
    res = km_attainable("97.0", 25)
    assert res.attainable is False
    assert res.attainable_with_censoring is False


def test_cumulative_incidence_attainability():
    # 17.0% NRM of 25: 4/25 = 16%, 5/25 = 20%; with censoring, 1 - KM works
    res = km_attainable("17.0", 25, measure="cumulative-incidence", competing_risks=True)
    assert res.attainable
    assert not res.attainable_without_censoring
    assert Reported("17.0").contains_exact(100 * (1 - res.example_value))
    # 97% incidence with competing risks is not decided by paths without competing events
    res = km_attainable("2.0", 25, measure="cumulative-incidence", competing_risks=True)
    assert res.attainable_with_censoring is None
    res = km_attainable("2.0", 25, measure="cumulative-incidence", competing_risks=False)
    assert res.attainable_with_censoring is False


@pytest.mark.parametrize("row", REF["km_small"], ids=lambda r: f"id{r['id']}")
def test_r_kaplan_meier_values_are_attainable(row):
    text = f"{100 * row['surv']:.1f}"
    res = km_attainable(text, row["n"], percent=True)
    assert res.attainable
    if res.min_censored is not None:
        assert res.min_censored <= row["censored_before"]


def test_attainability_speed():
    import time

    t = time.perf_counter()
    km_attainable("74.3", 200)
    km_attainable("50.5", 200)
    # guard against the exponential path enumeration, not a benchmark (benchmarks/)
    assert time.perf_counter() - t < 4.0


def test_attainability_errors():
    with pytest.raises(InvalidCountError, match="`n`"):
        km_attainable("74.3", 0)
    with pytest.raises(UnknownMethodError, match="`measure`"):
        km_attainable("74.3", 25, measure="hazard")
    with pytest.raises(InvalidArgumentError, match="`max_censored`"):
        km_attainable("74.3", 25, max_censored=-1)


@pytest.mark.r
def test_live_r_survfit_on_example_path(tmp_path):
    """survfit on the data of the example path gives the example value."""
    from tests.conftest import run_r_code

    res = km_attainable("74.3", 25)
    times, status = [], []
    t = 1
    for step in res.example:
        times += [t] * step.events
        status += [1] * step.events
        times += [t + 0.5] * step.censored
        status += [0] * step.censored
        t += 1
    remaining = 25 - len(times)
    times += [100] * remaining
    status += [0] * remaining
    code = (
        "suppressPackageStartupMessages(library(survival)); "
        f"d <- data.frame(t = c({', '.join(map(str, times))}), "
        f"s = c({', '.join(map(str, status))})); "
        "f <- survfit(Surv(t, s) ~ 1, data = d); "
        f"cat(sprintf('%.15f', summary(f, times = {t})$surv))"
    )
    out = run_r_code(code, tmp_path)
    assert float(out) == pytest.approx(float(res.example_value), rel=1e-12)


# --------------------------------------------------------------------------- engine


def _rows(record_id: str):
    from gvhdstats.engine import verify_rows

    return list(verify_rows(load_record(record_id)))


def test_engine_phase3_incidences():
    rows = _rows("zhao2022")
    by = {(c, r.quantity): r for c, r in rows}
    for cid in ("cgvhd-2y-msc", "cgvhd-2y-control", "relapse-3y-msc", "relapse-3y-control"):
        assert by[(cid, "estimate")].verdict is Verdict.REPRODUCED
        assert "log-log" in by[(cid, "estimate")].methods
        assert by[(cid, "effective_n")].verdict is Verdict.NOT_CHECKABLE
    common = by[("cgvhd-2y-msc", "transform[common]")]
    assert common.verdict is Verdict.REPRODUCED
    assert "log-log" in common.methods
    # 10.1% of 99 is 10/99 = 10.10%: attainable without censoring (hand: 1000/99 = 10.101)
    assert "without-censoring" in by[("relapse-3y-msc", "attainable")].methods
    # 39.5% of 99: 39/99 = 39.39%, 40/99 = 40.40%: censoring needed
    assert by[("cgvhd-2y-msc", "attainable")].methods == ("with-censoring",)


def test_engine_phase1b_time_to_event():
    by = {(c, r.quantity): r for c, r in _rows("zhao2025")}
    os_row = by[("os-1y", "attainable")]
    assert os_row.verdict is Verdict.REPRODUCED
    assert os_row.methods == ("with-censoring",)
    assert by[("os-1y", "estimate")].verdict is Verdict.NOT_CHECKABLE  # no CI printed
    # NRM 17.0% and relapse 8.4% of 25: 4/25 = 16%, 5/25 = 20%; 2/25 = 8%, 3/25 = 12%
    for cid in ("nrm-1y", "relapse-1y"):
        assert by[(cid, "attainable")].verdict is Verdict.REPRODUCED
        assert by[(cid, "attainable")].methods == ("with-censoring",)


def test_loglog_effective_n_critical_point():
    """p0 = -W0(-2 e^-2)/2 (scipy's Lambert W): the minimum of (1 - p)/(p log(p)^2)."""
    from scipy.special import lambertw

    from gvhdstats.checks.incidence import _P0

    assert pytest.approx(float(-lambertw(-2 * math.exp(-2)).real / 2), rel=1e-12) == _P0

    def q(p):
        return (1 - p) / (p * math.log(p) ** 2)

    assert q(_P0) < q(_P0 - 1e-4)
    assert q(_P0) < q(_P0 + 1e-4)


# --------------------------------------------------------------------------- 1 - KM

COMPLEMENT = json.loads((REFERENCE_DIR / "complement_reference.json").read_text())
#: survfit's conf.type on S, as a transformation of the printed F = 1 - S
S_TO_F = {"log": "log-complement", "log-log": "cloglog", "plain": "plain"}


@pytest.mark.parametrize(
    "row",
    [r for r in COMPLEMENT["rows"] if 0 < r["event_lower"] < r["event"] < r["event_upper"] < 1],
    ids=lambda r: f"{r['data']}-{r['conf_type']}-{r['time']}",
)
def test_one_minus_km_with_survfit_ci_is_identified(row):
    """1 - S with survfit's CI of S carried over (R survfit, gen_complement.R)."""
    est, lo, hi = (f"{100 * row[k]:.1f}" for k in ("event", "event_lower", "event_upper"))
    res = check_incidence(est, (lo, hi), n=row["n"])
    ours = S_TO_F[row["conf_type"]]
    assert ours in res.transforms
    if row["conf_type"] == "log":
        # survfit's default log CI of S: SE of F = SE of S = S * sigma
        sigma = (math.log(row["surv_upper"]) - math.log(row["surv_lower"])) / (2 * Z95)
        se_lo, se_hi = res.implied_se[ours]
        assert se_lo <= row["surv"] * sigma <= se_hi


def test_issue_example_fits_only_the_log_complement():
    # 27.8 (21.7-33.4): log(1 - F) midpoint by hand, -log(0.722) against the bounds
    mid = -(math.log(1 - 0.217) + math.log(1 - 0.334)) / 2
    assert f"{100 * -math.expm1(-mid):.1f}" == "27.8"
    res = check_incidence("27.8", ("21.7", "33.4"), percent=True)
    assert res.transforms == ("log-complement",)
    assert res.rows[0].methods == ("log-complement",)
