"""Tests of gvhdstats.methods.twobytwo.

References (tests/reference/gen_twobytwo.R -> twobytwo_reference.csv):
* R: fisher.test, chisq.test (correct TRUE/FALSE), prop.test (two samples),
  glm (Wald z P, anova LR P, profile-likelihood CI by offset refits),
  epitools::oddsratio (wald, small, fisher, midp) and its p.value table,
  epitools::riskratio (wald).
* Hand formulas in R (independent code paths, cited in the script): tight
  conditional MLE / median-unbiased / exact and mid-p CIs (fisher.test and
  epitools stop at uniroot's default tolerance, so those columns are compared
  at 1e-3), Cornfield and Miettinen-Nurminen score CIs for the OR (fitted
  cell by uniroot), Haldane Wald CI, G^2, Newcombe and Agresti-Caffo.
* Blaker's exact test and interval (exact2x2 is not installed): a hand
  implementation in the R generator (grid + bisection for the interval), and
  here an exact-rational brute force of the P value at any odds ratio, the
  defining property at the interval's bounds and containment in the
  exact-conditional (Fisher) interval (Fay 2010).
* Barnard and Boschloo: scipy.stats (tables without floating-point ties) and
  an exact-rational brute force written here (all tables up to n = 25).
* Score CIs of the risk ratio and difference: invariant "the
  Miettinen-Nurminen statistic equals z^2 at each bound", with the restricted
  MLE found by direct numerical maximisation here (not the closed forms).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.optimize import minimize_scalar

from gvhdstats import odds_ratio, risk_difference, risk_ratio, two_by_two_pvalue
from gvhdstats.errors import (
    UnknownMethodError,
)
from gvhdstats.methods.twobytwo import PVALUE_METHODS
from tests.conftest import REFERENCE_DIR, run_r

REF = pd.read_csv(REFERENCE_DIR / "twobytwo_reference.csv")

ROWS = [r for _, r in REF.iterrows()]

IDS = [f"{int(r.a)}/{int(r.n1)}-{int(r.c)}/{int(r.n2)}" for r in ROWS]

Z = stats.norm.ppf(0.975)


def arms(r):
    return (int(r.a), int(r.n1)), (int(r.c), int(r.n2))


def close(ours: float, ref: float, rtol: float) -> None:
    if pd.isna(ref):
        assert math.isnan(ours)
    elif math.isinf(ref):
        assert ours == ref
    else:
        assert ours == pytest.approx(ref, rel=rtol, abs=1e-300)


def close_uniroot(ours: float, ref: float, inverse: bool) -> None:
    """Agreement up to R's default uniroot tolerance (eps^0.25 ~ 1.2e-4, absolute).

    fisher.test and epitools root-find on psi (or on 1/psi when ``inverse``)
    with the default tolerance, so their values are accurate to ~1.2e-4 on
    that scale; the tight references (uniroot tol 1e-13) are tested at 1e-6.
    """
    if pd.isna(ref) or math.isinf(ref):
        close(ours, ref, 0)
        return
    tol = 3e-4
    if inverse:
        assert 1 / ours == pytest.approx(1 / ref, abs=tol)
    else:
        assert ours == pytest.approx(ref, abs=tol)


def _mn_numeric(a, n1, c, n2, theta, kind):
    """Miettinen-Nurminen statistic with the restricted MLE by direct maximisation."""
    if kind == "diff":
        lo, hi = max(0.0, -theta), min(1.0, 1.0 - theta)

        def p1_of(p2):
            return p2 + theta
    else:
        lo, hi = 0.0, min(1.0, 1.0 / theta)

        def p1_of(p2):
            return p2 * theta

    def nll(p2):
        p1 = p1_of(p2)
        return -(
            stats.binom.logpmf(a, n1, min(max(p1, 0), 1))
            + stats.binom.logpmf(c, n2, min(max(p2, 0), 1))
        )

    res = minimize_scalar(
        nll, bounds=(lo + 1e-12, hi - 1e-12), method="bounded", options={"xatol": 1e-13}
    )
    p2 = res.x
    p1 = p1_of(p2)
    n = n1 + n2
    if kind == "diff":
        v = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * n / (n - 1)
        num = a / n1 - c / n2 - theta
    else:
        v = (p1 * (1 - p1) / n1 + theta**2 * p2 * (1 - p2) / n2) * n / (n - 1)
        num = a / n1 - theta * c / n2
    return num * num / v


def _brute_unconditional(a, n1, c, n2, kind):
    """Exact-rational region + dense nuisance grid (independent of the module)."""

    def z2(i, j):
        p1, p2 = Fraction(i, n1), Fraction(j, n2)
        if p1 == p2:
            return Fraction(0)
        p = Fraction(i + j, n1 + n2)
        return (p1 - p2) ** 2 / (p * (1 - p) * (Fraction(1, n1) + Fraction(1, n2)))

    def region_barnard():
        obs = z2(a, c)
        return [(i, j) for i in range(n1 + 1) for j in range(n2 + 1) if z2(i, j) >= obs]

    def p_of(pi, region):
        i = np.array([x for x, _ in region])
        j = np.array([y for _, y in region])
        return float(np.sum(stats.binom.pmf(i, n1, pi) * stats.binom.pmf(j, n2, pi)))

    def maximise(region):
        grid = np.linspace(0, 1, 2001)
        vals = [p_of(p, region) for p in grid]
        k = int(np.argmax(vals))
        r = minimize_scalar(
            lambda x: -p_of(x, region),
            bounds=(grid[max(k - 1, 0)], grid[min(k + 1, 2000)]),
            method="bounded",
            options={"xatol": 1e-12},
        )
        return max(vals[k], -r.fun)

    assert kind == "barnard"
    return min(1.0, maximise(region_barnard()))


SMALL = [(int(r.a), int(r.n1), int(r.c), int(r.n2)) for r in ROWS if r.n1 <= 25 and r.n2 <= 25]


def _blaker_brute(a, n1, c, n2, psi=1) -> float:
    """Blaker's P at odds ratio ``psi`` in exact rational arithmetic (Blaker 2000).

    Enumerates every table with the observed margins; the acceptability of y is
    min(P(X <= y), P(X >= y)) and P sums the probabilities of the y whose
    acceptability is at most the observed one times 1 + 1e-7 (R's tie rule).
    """
    m = a + c
    ys = range(max(0, m - n2), min(n1, m) + 1)
    q = Fraction(psi)
    w = {y: math.comb(n1, y) * math.comb(n2, m - y) * q**y for y in ys}
    total = sum(w.values())
    f = {y: v / total for y, v in w.items()}
    acc = {y: min(sum(f[z] for z in ys if z <= y), sum(f[z] for z in ys if z >= y)) for y in ys}
    tie = 1 + Fraction(1, 10**7)
    return float(min(1, sum(f[y] for y in ys if acc[y] <= acc[a] * tie)))


BLAKER_TABLES = [
    (82, 99, 70, 99),  # phase 3 day 28
    (78, 99, 64, 99),  # phase 3 day 56
    (0, 3, 2, 7),  # zero cell; Blaker 0.533, Fisher 1
    (1, 10, 1, 4),  # Blaker 1, Fisher 0.505
    (1, 10, 3, 6),
    (4, 10, 7, 7),  # all responders in control
    (6, 10, 0, 7),  # zero cell in control
    (0, 10, 5, 10),
    (10, 10, 5, 10),
    (3, 7, 1, 8),
    (12, 15, 6, 14),
    (20, 40, 20, 40),
    (0, 10, 0, 12),  # no events at all: P = 1
]


@pytest.mark.parametrize("r", ROWS, ids=IDS)
def test_pvalues_against_r(r) -> None:
    t, c = arms(r)
    pv = {m: two_by_two_pvalue(t, c, method=m).pvalue for m in PVALUE_METHODS}
    close(pv["fisher-exact"], r.fisher_p, 1e-8)
    close(pv["fisher-exact"], r.epi_p_fisher, 1e-8)
    close(pv["pearson-chi2"], r.chisq_p, 1e-8)
    close(pv["pearson-chi2"], r.epi_p_chisq, 1e-8)
    close(pv["yates-chi2"], r.chisq_yates_p, 1e-8)
    close(pv["mid-p"], r.epi_p_midp, 1e-8)
    close(pv["fisher-central"], r.p_central, 1e-8)
    close(pv["blaker"], r.blaker_p, 1e-8)
    close(pv["likelihood-ratio"], r.lr_p, 1e-8)
    # N-1 chi-square: Pearson's statistic times (N-1)/N (E. Pearson 1947)
    x2 = stats.chi2.isf(r.chisq_p, 1)
    n = r.n1 + r.n2
    close(pv["n-1-chi2"], stats.chi2.sf(x2 * (n - 1) / n, 1), 1e-7)
    if not pd.isna(r.glm_wald_p):
        close(pv["wald"], r.glm_wald_p, 1e-7)
        close(pv["likelihood-ratio"], r.glm_lr_p, 1e-7)


@pytest.mark.parametrize("r", ROWS, ids=IDS)
def test_odds_ratio_against_r(r) -> None:
    t, c = arms(r)
    close(odds_ratio(t, c).statistic, r.epi_wald_est, 1e-12)
    close(odds_ratio(t, c, estimator="haldane").statistic, r.haldane_est, 1e-12)
    close(odds_ratio(t, c, estimator="small-sample").statistic, r.epi_small_est, 1e-12)
    cm = odds_ratio(t, c, estimator="conditional-mle").statistic
    mu = odds_ratio(t, c, estimator="median-unbiased").statistic
    close(cm, r.cmle, 1e-6)
    close_uniroot(cm, r.fisher_est, inverse=r.fisher_est > 1)
    close(mu, r.mue, 1e-6)
    if not pd.isna(r.epi_midp_est) and 0 < r.mue < math.inf:
        close_uniroot(mu, r.epi_midp_est, inverse=False)
    res = odds_ratio(t, c)
    cases = {
        "wald": (r.epi_wald_lo, r.epi_wald_hi, 1e-10),
        "wald-haldane": (r.haldane_lo, r.haldane_hi, 1e-10),
        "exact-conditional": (r.exact_lo, r.exact_hi, 1e-6),
        "mid-p": (r.midp_lo, r.midp_hi, 1e-6),
        "score": (r.mn_or_lo, r.mn_or_hi, 1e-8),
        "cornfield": (r.cornfield_lo, r.cornfield_hi, 1e-8),
        "cornfield-cc": (r.cornfield_cc_lo, r.cornfield_cc_hi, 1e-8),
        "profile-likelihood": (r.prof_lo, r.prof_hi, 1e-6),
        "blaker": (r.blaker_lo, r.blaker_hi, 1e-8),
    }
    for m, (lo, hi, tol) in cases.items():
        ci = res.confidence_interval(m)
        # zero-cell tables included: R gives the bound on the finite side by its own root
        # search (gen_twobytwo.R, zero_side_ci) and 0 or Inf on the other
        close(ci.low, lo, tol)
        close(ci.high, hi, tol)
    # fisher.test / epitools CIs themselves, at their own uniroot tolerance
    ci = res.confidence_interval("exact-conditional")
    close_uniroot(ci.low, r.fisher_lo, inverse=r.fisher_lo > 1)
    close_uniroot(ci.high, r.fisher_hi, inverse=r.fisher_hi > 1)
    close_uniroot(ci.low, r.epi_fisher_lo, inverse=r.epi_fisher_lo > 1)
    if not pd.isna(r.epi_midp_lo) and r.midp_lo > 0 and r.midp_hi < math.inf:
        ci = res.confidence_interval("mid-p")
        close_uniroot(ci.low, r.epi_midp_lo, inverse=False)
        close_uniroot(ci.high, r.epi_midp_hi, inverse=True)
    ci = odds_ratio(t, c, estimator="small-sample").confidence_interval()
    close(ci.low, r.epi_small_lo, 1e-10)
    close(ci.high, r.epi_small_hi, 1e-10)


@pytest.mark.parametrize("r", ROWS, ids=IDS)
def test_risk_ratio_and_difference_against_r(r) -> None:
    t, c = arms(r)
    rr = risk_ratio(t, c)
    close(rr.statistic, r.epi_rr_est, 1e-12)
    ci = rr.confidence_interval("katz-log")
    close(ci.low, r.epi_rr_lo, 1e-10)
    close(ci.high, r.epi_rr_hi, 1e-10)
    rd = risk_difference(t, c)
    for m, lo, hi in [
        ("wald", r.rd_wald_lo, r.rd_wald_hi),
        ("wald-cc", r.rd_waldcc_lo, r.rd_waldcc_hi),
        ("newcombe", r.rd_newcombe_lo, r.rd_newcombe_hi),
        ("agresti-caffo", r.rd_ac_lo, r.rd_ac_hi),
    ]:
        ci = rd.confidence_interval(m)
        assert ci.low == pytest.approx(lo, rel=1e-9, abs=1e-13)
        assert ci.high == pytest.approx(hi, rel=1e-9, abs=1e-13)


@pytest.mark.parametrize(
    "tab", [(82, 99, 70, 99), (15, 30, 5, 30), (1, 100, 8, 100), (20, 40, 20, 40), (3, 7, 1, 8)]
)
def test_score_intervals_invert_the_mn_statistic(tab) -> None:
    a, n1, c, n2 = tab
    rd = risk_difference((a, n1), (c, n2)).confidence_interval("score")
    rr = risk_ratio((a, n1), (c, n2)).confidence_interval("score")
    for bound in rd:
        assert _mn_numeric(a, n1, c, n2, bound, "diff") == pytest.approx(Z**2, rel=1e-6)
    for bound in rr:
        assert _mn_numeric(a, n1, c, n2, bound, "ratio") == pytest.approx(Z**2, rel=1e-6)


def test_rr_score_matches_statsmodels() -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    for a, n1, c, n2 in [(82, 99, 70, 99), (78, 99, 64, 99), (12, 15, 6, 14)]:
        sm = confint_proportions_2indep(a, n1, c, n2, method="score", compare="ratio")
        ours = risk_ratio((a, n1), (c, n2)).confidence_interval("score")
        assert tuple(ours) == pytest.approx(tuple(sm), rel=1e-6)


@pytest.mark.parametrize("tab", SMALL)
def test_barnard_exact_rational_brute_force(tab) -> None:
    a, n1, c, n2 = tab
    ours = two_by_two_pvalue((a, n1), (c, n2), method="barnard").pvalue
    assert ours == pytest.approx(_brute_unconditional(a, n1, c, n2, "barnard"), rel=1e-6)


@pytest.mark.parametrize(
    "tab",
    [
        (82, 99, 70, 99),
        (78, 99, 64, 99),
        (3, 7, 1, 8),
        (0, 10, 5, 10),
        (1, 100, 8, 100),
        (15, 30, 5, 30),
        (45, 60, 30, 60),
    ],
)
def test_barnard_boschloo_match_scipy(tab) -> None:
    # tables checked to have no floating-point ties of the Wald statistic
    a, n1, c, n2 = tab
    table = [[a, c], [n1 - a, n2 - c]]
    ours_b = two_by_two_pvalue((a, n1), (c, n2), method="barnard").pvalue
    ours_s = two_by_two_pvalue((a, n1), (c, n2), method="boschloo").pvalue
    assert ours_b == pytest.approx(stats.barnard_exact(table).pvalue, rel=1e-6)
    assert ours_s == pytest.approx(stats.boschloo_exact(table).pvalue, rel=1e-6)


def test_barnard_skipped_above_size() -> None:
    r = two_by_two_pvalue((500, 2000), (450, 2000), method="barnard")
    assert math.isnan(r.pvalue)
    assert "BARNARD_MAX_CELLS" in r.note


@pytest.mark.parametrize(
    "tab", [(82, 99, 70, 99), (3, 7, 1, 8), (1, 20, 0, 20), (400, 1000, 350, 1000)]
)
def test_exact_bounds_have_tail_alpha_over_2(tab) -> None:
    a, n1, c, n2 = tab
    m, n = a + c, n1 + n2
    res = odds_ratio((a, n1), (c, n2), estimator="conditional-mle")
    lo, hi = res.confidence_interval("exact-conditional", confidence_level=0.9)

    def dist(psi):
        return stats.nchypergeom_fisher(n, n1, m, psi)

    if lo > 0:
        assert dist(lo).sf(a - 1) == pytest.approx(0.05, rel=1e-7)
    if hi < math.inf:
        assert dist(hi).cdf(a) == pytest.approx(0.05, rel=1e-7)
    else:
        assert a == min(n1, m)  # the largest value the margins allow
    # conditional MLE: E[X] = a
    if 0 < res.statistic < math.inf:
        assert dist(res.statistic).mean() == pytest.approx(a, rel=1e-9)


@pytest.mark.parametrize("tab", BLAKER_TABLES)
def test_blaker_pvalue_exact_rational(tab) -> None:
    a, n1, c, n2 = tab
    ours = two_by_two_pvalue((a, n1), (c, n2), method="blaker").pvalue
    assert ours == pytest.approx(_blaker_brute(a, n1, c, n2), rel=1e-10)


def test_blaker_differs_from_fisher() -> None:
    # 0/3 vs 2/7 by hand: m = 2, P(X = 0, 1, 2) = (21, 21, 3)/45.  Fisher sums
    # every probability <= P(X = 0) = 21/45: P = 1.  Blaker: acceptability of
    # x = 0 is min(21/45, 1) = 21/45; of 1, min(42/45, 24/45) = 24/45 (left
    # out); of 2, 3/45: P = (21 + 3)/45.
    assert two_by_two_pvalue((0, 3), (2, 7), method="blaker").pvalue == pytest.approx(
        24 / 45, rel=1e-12
    )
    assert two_by_two_pvalue((0, 3), (2, 7), method="fisher-exact").pvalue == pytest.approx(1.0)


@pytest.mark.parametrize(
    "tab",
    [
        (82, 99, 70, 99),
        (78, 99, 64, 99),
        (0, 3, 2, 7),
        (1, 10, 3, 6),
        (6, 10, 0, 7),
        (3, 7, 1, 8),
        (12, 15, 6, 14),
        (9, 18, 3, 18),
    ],
)
@pytest.mark.parametrize("level", [0.95, 0.9])
def test_blaker_interval_defining_property(tab, level) -> None:
    a, n1, c, n2 = tab
    alpha = 1 - level
    res = odds_ratio((a, n1), (c, n2))
    lo, hi = res.confidence_interval("blaker", confidence_level=level)
    ex_lo, ex_hi = res.confidence_interval("exact-conditional", confidence_level=level)
    # contained in the exact-conditional interval (Fay 2010)
    assert ex_lo <= lo * (1 + 1e-9)
    assert hi <= ex_hi * (1 + 1e-9)
    for bound, outward in ((lo, -1), (hi, 1)):
        if bound in (0.0, math.inf):
            # open side: the observed value is the extreme the margins allow
            m = a + c
            assert a == (max(0, m - n2) if bound == 0 else min(n1, m))
            continue
        # at the bound P = alpha where P is continuous; where P jumps there the
        # bound is the jump (root to 1e-14), so look 1e-9 inside as well ...
        at = max(_blaker_brute(a, n1, c, n2, bound * (1 - outward * e)) for e in (0, 1e-9))
        assert at >= alpha * (1 - 1e-6)
        # ... just inside P >= alpha; just outside and beyond, up to the Fisher bound, < alpha
        assert _blaker_brute(a, n1, c, n2, bound * (1 - outward * 1e-6)) >= alpha * (1 - 1e-6)
        far = ex_hi if outward > 0 else ex_lo
        steps = [bound * (1 + outward * 1e-6)]
        if 0 < far < math.inf:
            steps += list(np.geomspace(bound * (1 + outward * 1e-4), far, 12))
        for psi in steps:
            assert _blaker_brute(a, n1, c, n2, psi) < alpha
    # the interval matches the test: it excludes 1 exactly when P <= alpha
    p = two_by_two_pvalue((a, n1), (c, n2), method="blaker").pvalue
    assert (lo <= 1 <= hi) is (p >= alpha)


@pytest.mark.parametrize("tab", [(3, 7, 1, 8), (1, 10, 3, 6)])
def test_blaker_continuous_bounds_have_p_alpha(tab) -> None:
    # in these tables P(psi) is continuous at both bounds: they are roots of P = 0.05
    # (in the phase 3 tables the bounds sit at jumps of P, checked above)
    a, n1, c, n2 = tab
    lo, hi = odds_ratio((a, n1), (c, n2)).confidence_interval("blaker")
    assert _blaker_brute(a, n1, c, n2, lo) == pytest.approx(0.05, rel=1e-8)
    assert _blaker_brute(a, n1, c, n2, hi) == pytest.approx(0.05, rel=1e-8)


def test_blaker_jump_at_one_for_equal_arms() -> None:
    # 82/99 vs 70/99 at psi = 1: X = 70 and X = 82 tie (equal arms), P = Fisher's
    # 0.0635; just below 1 the tie breaks, X = 70 leaves the region and P drops
    # below 0.05, so the lower bound is 1 (up to R's 1e-7 tie tolerance).
    lo, _ = odds_ratio((82, 99), (70, 99)).confidence_interval("blaker")
    assert lo == pytest.approx(1.0, abs=1e-7)
    assert _blaker_brute(82, 99, 70, 99, 1 - 1e-6) < 0.05 < _blaker_brute(82, 99, 70, 99, 1)


def test_zero_cells_and_all_responders() -> None:
    # a = 0: sample OR 0, Woolf CI (0, nan) as R's epitools, exact lower 0
    res = odds_ratio((0, 10), (5, 10))
    assert res.statistic == 0.0
    lo, hi = res.confidence_interval("wald")
    assert lo == 0.0
    assert math.isnan(hi)
    assert odds_ratio((0, 10), (5, 10), estimator="conditional-mle").statistic == 0.0
    assert odds_ratio((0, 10), (5, 10)).confidence_interval("exact-conditional").low == 0.0
    # all responders in treatment: OR infinite, exact upper bound infinite
    res = odds_ratio((10, 10), (5, 10))
    assert res.statistic == math.inf
    assert res.confidence_interval("exact-conditional").high == math.inf
    assert res.confidence_interval("mid-p").high == math.inf
    # both arms without events: nothing to estimate, exact tests give 1
    assert math.isnan(odds_ratio((0, 10), (0, 12)).statistic)
    assert two_by_two_pvalue((0, 10), (0, 12), method="fisher-exact").pvalue == 1.0
    assert math.isnan(two_by_two_pvalue((0, 10), (0, 12), method="pearson-chi2").pvalue)
    ci = odds_ratio((10, 10), (12, 12)).confidence_interval("exact-conditional")
    assert (ci.low, ci.high) == (0.0, math.inf)


def test_unknown_methods() -> None:
    with pytest.raises(UnknownMethodError, match="`estimator` must be one of"):
        odds_ratio((1, 2), (1, 2), estimator="mle")
    with pytest.raises(UnknownMethodError, match="`method` must be one of"):
        two_by_two_pvalue((1, 2), (1, 2), method="chi2")
    with pytest.raises(UnknownMethodError, match="`method`"):
        odds_ratio((1, 2), (1, 2)).confidence_interval("woolf")


@pytest.mark.r
def test_live_r_generator(tmp_path) -> None:
    script = REFERENCE_DIR / "gen_twobytwo.R"
    run_r(script, str(tmp_path))
    live = pd.read_csv(tmp_path / "twobytwo_reference.csv")
    for _, r in live.iloc[:6].iterrows():
        t, c = arms(r)
        close(two_by_two_pvalue(t, c, method="fisher-exact").pvalue, r.fisher_p, 1e-8)
        close(
            odds_ratio(t, c, estimator="median-unbiased").confidence_interval().low,
            r.midp_lo,
            1e-6,
        )
    assert (tmp_path / "twobytwo_versions.txt").read_text().startswith("R version")
