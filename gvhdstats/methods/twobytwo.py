"""Two-arm binary outcomes: odds ratio, risk ratio, risk difference and their P values.

The table is always given by arm, with named counts, so that orientation is
never ambiguous::

                 events   non-events   total
    treatment      a          b          n1
    control        c          d          n2

Every effect is treatment versus control (``OR = a d / (b c)``).  The
functions here compute each estimator, interval and test under an explicit
method name; they know nothing of printed numbers.
:func:`gvhdstats.checks.binary.check_2x2` runs all of them against the
numbers a paper printed.

The catalogue of methods, formulas, references and the map to R is in
``docs/methods-binary.md``; the short map:

=====================  ==================================================
ours                   R
=====================  ==================================================
OR ``sample``+``wald``  ``epitools::oddsratio(method = "wald")``
OR ``conditional-mle`` ``fisher.test()$estimate``
CI ``exact-conditional`` ``fisher.test()$conf.int``
OR ``median-unbiased``, CI ``mid-p``  ``epitools::oddsratio(method = "midp")``
OR ``small-sample``, CI ``wald-haldane``  ``epitools::oddsratio(method = "small")``
OR, CI ``peto``        ``metafor::rma.peto()`` with one study
P ``pearson-chi2``     ``chisq.test(correct = FALSE)``, ``prop.test(correct = FALSE)``
P ``yates-chi2``       ``chisq.test()``, ``prop.test()``
P ``fisher-exact``     ``fisher.test()`` (exact2x2 ``tsmethod = "minlike"``)
P ``fisher-central``   exact2x2 ``tsmethod = "central"``
P, CI ``blaker``       ``exact2x2(tsmethod = "blaker")``
P ``mid-p``            ``epitools::tab2by2.test()$p.value[, "midp.exact"]``
RR ``katz-log``        ``epitools::riskratio(method = "wald")``
RD ``wald``            ``prop.test(correct = FALSE)$conf.int``
=====================  ==================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from gvhdstats._validation import z_two_sided
from gvhdstats.errors import (
    InvalidCountError,
)
from gvhdstats.methods._results import ConfidenceInterval
from gvhdstats.methods.proportions import (
    _confidence_level,
    _count,
    _method,
    proportion_ci,
)

__all__ = [
    "BARNARD_MAX_CELLS",
    "EFFECT_PVALUE_METHODS",
    "OR_CI_METHODS",
    "OR_ESTIMATORS",
    "PVALUE_METHODS",
    "RD_CI_METHODS",
    "RR_CI_METHODS",
    "OddsRatioResult",
    "RiskDifferenceResult",
    "RiskRatioResult",
    "TwoByTwoTestResult",
    "odds_ratio",
    "risk_difference",
    "risk_ratio",
    "two_by_two_pvalue",
]

OR_ESTIMATORS = (
    "sample",
    "haldane",
    "small-sample",
    "conditional-mle",
    "median-unbiased",
    "peto",
)
OR_CI_METHODS = (
    "wald",
    "wald-haldane",
    "exact-conditional",
    "mid-p",
    "score",
    "cornfield",
    "cornfield-cc",
    "profile-likelihood",
    "blaker",
    "peto",
)
RR_CI_METHODS = ("katz-log", "score")
RD_CI_METHODS = ("wald", "wald-cc", "newcombe", "newcombe-cc", "agresti-caffo", "score")
PVALUE_METHODS = (
    "pearson-chi2",
    "n-1-chi2",
    "yates-chi2",
    "fisher-exact",
    "fisher-central",
    "blaker",
    "mid-p",
    "likelihood-ratio",
    "wald",
    "barnard",
    "boschloo",
)
#: Wald z tests of the risk ratio and difference (RevMan's "test for overall
#: effect" for one study; the Wald test of a log-binomial or identity-link
#: binomial GLM).  They test the effect the paper prints, so the checks use
#: them only when a risk ratio or risk difference is printed.
EFFECT_PVALUE_METHODS = ("wald-log-rr", "wald-rd")

#: Barnard's and Boschloo's tests are computed only when the table's sample
#: space, ``(n1 + 1) * (n2 + 1)``, has at most this many points (about two
#: arms of 1,000); above it they are skipped (NaN) with a note.
BARNARD_MAX_CELLS = 1_100_000

#: Natural CI method of each OR estimator (used when no CI method is named).
_OR_DEFAULT_CI = {
    "sample": "wald",
    "haldane": "wald-haldane",
    "small-sample": "wald-haldane",
    "conditional-mle": "exact-conditional",
    "median-unbiased": "mid-p",
    "peto": "peto",
}


#: Relative tolerance for ties in the exact tests (R fisher.test uses 1 + 1e-7).
_REL_TIE = 1e-7


# ==========================================================================
# input
# ==========================================================================


@dataclass(frozen=True)
class _Table:
    a: int
    n1: int
    c: int
    n2: int

    @property
    def b(self) -> int:
        return self.n1 - self.a

    @property
    def d(self) -> int:
        return self.n2 - self.c

    @property
    def m(self) -> int:
        return self.a + self.c

    @property
    def N(self) -> int:  # noqa: N802 - the usual symbol for the grand total
        return self.n1 + self.n2

    @property
    def degenerate(self) -> bool:
        """No events or no non-events at all: the margins fix the table."""
        return self.m == 0 or self.m == self.N


def _arm(value: object, name: str) -> tuple[int, int]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise InvalidCountError(
            f"`{name}` must be a pair (events, total) of integers, but got {value!r}"
        )
    if len(value) != 2:
        raise InvalidCountError(
            f"`{name}` must be a pair (events, total) of integers, but got {value!r}"
        )
    n = _count(value[1], f"{name} total", minimum=1)
    x = _count(value[0], f"{name} events", minimum=0)
    if x > n:
        raise InvalidCountError(
            f"`{name}` events must not exceed its total ({n}), but got {x} (in {value!r})"
        )
    return x, n


def _table(treatment: object, control: object) -> _Table:
    a, n1 = _arm(treatment, "treatment")
    c, n2 = _arm(control, "control")
    return _Table(a, n1, c, n2)


# ==========================================================================
# the conditional (noncentral hypergeometric) distribution
# ==========================================================================


class _Conditional:
    """Distribution of the treatment events X given both margins.

    ``P_psi(X = x) ∝ C(n1, x) C(n2, m - x) psi**x`` on ``lo..hi``.  The log
    central pmf is built from the exact ratio of successive terms (a cumulative
    sum of logs), accurate to ~1e-13 even for arms of 100,000.
    """

    def __init__(self, t: _Table) -> None:
        self.lo = max(0, t.m - t.n2)
        self.hi = min(t.n1, t.m)
        self.obs = t.a
        xs = np.arange(self.lo, self.hi + 1, dtype=float)
        self.x = xs
        ratio_num = (t.n1 - xs[:-1]) * (t.m - xs[:-1])
        ratio_den = (xs[:-1] + 1) * (t.n2 - t.m + xs[:-1] + 1)
        logd = np.zeros_like(xs)
        if xs.size > 1:
            logd[1:] = np.cumsum(np.log(ratio_num) - np.log(ratio_den))
        self.logd = logd - logd.max()
        self.k = t.a - self.lo  # index of the observed value

    @property
    def degenerate(self) -> bool:
        return self.lo == self.hi

    def pmf(self, t: np.ndarray) -> np.ndarray:
        """Normalised pmf for log odds ratios ``t`` (shape (K,)) -> (K, S)."""
        t = np.asarray(t, dtype=float).reshape(-1, 1)
        lp = self.logd[None, :] + t * (self.x[None, :] - self.obs)
        lp -= lp.max(axis=1, keepdims=True)
        p = np.exp(lp)
        p /= p.sum(axis=1, keepdims=True)
        return p

    def central(self) -> np.ndarray:
        return self.pmf(np.zeros(1))[0]

    def solve(self, weights: np.ndarray, targets: np.ndarray, t0: float) -> np.ndarray:
        """Solve ``sum_x w_k(x) P_t(x) = c_k`` for t, every k at once.

        Each ``w_k`` is non-decreasing in x, so the left side increases in t;
        a root beyond the range gives ``-inf`` / ``+inf``.  Vectorised,
        bracketed Newton iteration (derivative ``Cov_t(w_k, X)``), bisection
        when a Newton step leaves the bracket.
        """
        K = weights.shape[0]
        out = np.full(K, np.nan)
        w_lo, w_hi = weights[:, 0], weights[:, -1]
        at_minus = w_lo >= targets
        at_plus = (w_hi <= targets) & ~at_minus
        out[at_minus] = -np.inf
        out[at_plus] = np.inf
        act = np.flatnonzero(~(at_minus | at_plus))
        if act.size == 0:
            return out
        W = weights[act]
        c = targets[act]

        def f_and_df(tv: np.ndarray, Wv: np.ndarray, cv: np.ndarray):
            p = self.pmf(tv)
            mu = p @ self.x
            F = np.einsum("ks,ks->k", Wv, p)
            dF = np.einsum("ks,ks->k", Wv, p * (self.x[None, :] - mu[:, None]))
            return F - cv, dF

        lo = np.full(act.size, t0 - 1.0)
        hi = np.full(act.size, t0 + 1.0)
        step = 1.0
        for _ in range(12):
            flo, _ = f_and_df(lo, W, c)
            fhi, _ = f_and_df(hi, W, c)
            bad_lo = flo > 0
            bad_hi = fhi < 0
            if not (bad_lo.any() or bad_hi.any()):
                break
            step *= 2
            lo = np.where(bad_lo, lo - step, lo)
            hi = np.where(bad_hi, hi + step, hi)
        t = 0.5 * (lo + hi)
        done = np.zeros(act.size, dtype=bool)
        for _ in range(200):
            g, dg = f_and_df(t, W, c)
            lo = np.where(g < 0, t, lo)
            hi = np.where(g > 0, t, hi)
            with np.errstate(divide="ignore", invalid="ignore"):
                tn = t - g / dg
            bad = ~np.isfinite(tn) | (tn <= lo) | (tn >= hi)
            tn = np.where(bad, 0.5 * (lo + hi), tn)
            conv = (np.abs(tn - t) <= 1e-13 * (1.0 + np.abs(t))) | (g == 0)
            t = np.where(done, t, tn)
            done |= conv
            if done.all():
                break
        out[act] = t
        return out


@lru_cache(maxsize=512)
def _conditional_results(a: int, n1: int, c: int, n2: int, confidence_level: float) -> dict:
    """CMLE, median-unbiased estimate, exact and mid-p CIs and exact P values."""
    t = _Table(a, n1, c, n2)
    cd = _Conditional(t)
    res: dict[str, float] = {}
    if cd.degenerate:
        nan = math.nan
        res.update(
            cmle=nan,
            mue=nan,
            exact_lo=0.0,
            exact_hi=math.inf,
            midp_lo=0.0,
            midp_hi=math.inf,
            p_fisher=1.0,
            p_central=1.0,
            p_midp=1.0,
            p_blaker=1.0,
        )
        return res
    alpha = 1 - confidence_level
    x = cd.x
    ge = (x >= a).astype(float)
    gt = (x > a).astype(float)
    eq = (x == a).astype(float)
    mid = gt + 0.5 * eq
    W = np.vstack([x, gt - (x < a), ge, gt, mid, mid])
    cvec = np.array([a, 0.0, alpha / 2, 1 - alpha / 2, alpha / 2, 1 - alpha / 2])
    t0 = math.log((a + 0.5) * (t.d + 0.5) / ((t.b + 0.5) * (c + 0.5)))
    sol = np.exp(cd.solve(W, cvec, t0))
    res.update(
        cmle=float(sol[0]),
        mue=float(sol[1]),
        exact_lo=float(sol[2]),
        exact_hi=float(sol[3]),
        midp_lo=float(sol[4]),
        midp_hi=float(sol[5]),
    )
    res.update(_exact_pvalues(a, n1, c, n2))
    return res


def _central_window(t: _Table) -> tuple[np.ndarray, int]:
    """The central (psi = 1) hypergeometric pmf on the values that carry its mass.

    Returns the pmf, normalised on a window ``L..R`` of the support, and the
    index of the observed value in it.  The window holds the mode and the
    observed value and reaches, on each side, either the end of the support or
    a value whose log pmf is 50 below the smaller of the mode's and the
    observed one's.  The log pmf is concave, so the mass left out is below
    ``e^-50 * (distance to the mode) / 50`` times the observed probability:
    far below double precision of every P value.  Work is O(window), about
    twenty standard deviations, instead of O(support) (the full support of
    two arms of 10^6 has 10^6 values).  The log pmf is built, as in
    :class:`_Conditional`, from the exact ratio of successive terms.
    """
    lo = max(0, t.m - t.n2)
    hi = min(t.n1, t.m)
    n1, n2, m, N = t.n1, t.n2, t.m, t.N
    mode = min(hi, max(lo, (n1 + 1) * (m + 1) // (N + 2)))
    var = n1 * n2 * m * (N - m) / (N * N * max(N - 1, 1))
    half = math.ceil(10.0 * math.sqrt(var)) + 16
    while True:
        left = max(lo, min(t.a, mode) - half)
        right = min(hi, max(t.a, mode) + half)
        xs = np.arange(left, right + 1, dtype=float)
        logd = np.zeros_like(xs)
        if xs.size > 1:
            num = (n1 - xs[:-1]) * (m - xs[:-1])
            num /= (xs[:-1] + 1) * (n2 - m + xs[:-1] + 1)
            np.cumsum(np.log(num), out=logd[1:])
        logd -= logd.max()
        k = t.a - left
        floor = min(float(logd[k]), 0.0) - 50.0
        short_left = left > lo and logd[0] > floor
        short_right = right < hi and logd[-1] > floor
        if not (short_left or short_right):
            break
        half *= 2
    p = np.exp(logd)
    p /= p.sum()
    return p, k


@lru_cache(maxsize=512)
def _exact_pvalues(a: int, n1: int, c: int, n2: int) -> dict[str, float]:
    """The four exact conditional P values only (no estimate, no interval).

    Fisher's (minlike), the central, the mid-p and Blaker's P at psi = 1.
    This is all a P-value request needs, at O(window) cost (see
    :func:`_central_window`).
    """
    t = _Table(a, n1, c, n2)
    if max(0, t.m - t.n2) == min(t.n1, t.m):  # the margins fix the table
        return {"p_fisher": 1.0, "p_central": 1.0, "p_midp": 1.0, "p_blaker": 1.0}
    p, k = _central_window(t)
    le = float(p[: k + 1].sum())
    geq = float(p[k:].sum())
    pk = float(p[k])
    return {
        # minlike: every table no more probable than the observed one (R's tolerance)
        "p_fisher": min(1.0, float(p[p <= pk * (1 + _REL_TIE)].sum())),
        "p_central": min(1.0, 2 * min(le, geq)),
        "p_midp": min(1.0, 2 * min(le - 0.5 * pk, geq - 0.5 * pk)),
        "p_blaker": _blaker_p(p, k),
    }


# ==========================================================================
# Blaker's exact test and interval
# ==========================================================================


def _blaker_p(p: np.ndarray, k: int) -> float:
    """Blaker's P from a pmf ``p`` on the support and the observed index ``k``.

    Acceptability ``gamma(y) = min(P(X <= y), P(X >= y))``; P is the
    probability of every ``y`` with ``gamma(y) <= gamma(x) (1 + 1e-7)``.
    """
    lower = np.cumsum(p)
    upper = np.cumsum(p[::-1])[::-1]
    gamma = np.minimum(lower, upper)
    return min(1.0, float(p[gamma <= gamma[k] * (1 + _REL_TIE)].sum()))


class _Window:
    """The conditional pmf restricted to the values that carry mass for t in [t_lo, t_hi].

    The log pmf is concave in x and shifts monotonically with t, so the values
    more than 60 log units below the mode at both ends are below that at every
    t in between (mass left out < S e^-60).
    """

    def __init__(self, cd: _Conditional, t_lo: float, t_hi: float) -> None:
        keep = np.zeros(cd.x.size, dtype=bool)
        for tv in (t_lo, t_hi):
            lp = cd.logd + tv * (cd.x - cd.obs)
            keep |= lp >= lp.max() - 60.0
        keep[cd.k] = True
        idx = np.flatnonzero(keep)
        i0, i1 = int(idx[0]), int(idx[-1]) + 1
        self.logd = cd.logd[i0:i1]
        self.dx = cd.x[i0:i1] - cd.obs
        self.k = cd.k - i0

    def tails(self, tv: float) -> tuple[np.ndarray, np.ndarray]:
        """``P_t(X <= y)`` and ``P_t(X >= y)`` for every y of the window."""
        lp = self.logd + tv * self.dx
        p = np.exp(lp - lp.max())
        p /= p.sum()
        return np.cumsum(p), np.cumsum(p[::-1])[::-1]


def _blaker_upper(cd: _Conditional, alpha: float, t_mue: float, t_exact: float) -> float:
    """Largest log odds ratio whose Blaker P value is at least ``alpha``.

    Above the median-unbiased estimate the observed x lies in the lower tail,
    and ``P(t) = P_t(X <= x) + P_t(X >= y*(t))`` with ``y*(t)`` the smallest
    ``y > x`` with ``P_t(X >= y) <= (1 + 1e-7) P_t(X <= x)``; ``y*`` steps up
    with t at the intercepts where those two tails are equal.  Between
    intercepts ``P = 1 - P_t(x < X < y*)``, which is quasi-convex in t
    (variation diminishing property of the exponential family), so each piece
    holds at most one crossing of alpha below its right end.  Since
    ``P_t(X <= x) <= P(t) <= (2 + 1e-7) P_t(X <= x)``, the bound lies between
    the root of ``P_t(X <= x) = alpha`` and the exact-conditional bound
    (``= alpha / 2``); the pieces are walked from the top down.
    """
    from gvhdstats.methods._roots import brentq

    if cd.k == cd.x.size - 1:
        return math.inf
    t_hi = t_exact
    # a start where P >= alpha: the median-unbiased estimate (P = 1) or the
    # root of P_t(X <= x) = alpha above it
    t_lo = t_mue
    if not math.isfinite(t_lo):  # x is the smallest value: go down until F >= alpha
        step = 1.0
        t_lo = t_hi - step
        while _Window(cd, t_lo, t_lo).tails(t_lo)[0][cd.k] < alpha:
            step *= 2
            t_lo = t_hi - step
    win = _Window(cd, t_lo, t_hi)
    k, rel = win.k, 1 + _REL_TIE

    def lower_tail(tv: float) -> float:
        return float(win.tails(tv)[0][k])

    if lower_tail(t_lo) > alpha and lower_tail(t_hi) < alpha:
        t_lo = brentq(lambda tv: lower_tail(tv) - alpha, t_lo, t_hi, xtol=1e-14, rtol=1e-15)
    size = win.dx.size

    def g(tv: float, y: int) -> float:  # P on the piece where y* = y (y = size: no upper tail)
        low, up = win.tails(tv)
        return float(low[k] + (up[y] if y < size else 0.0))

    def h(tv: float, y: int) -> float:  # increasing in t; its root is the intercept of y
        low, up = win.tails(tv)
        return float(up[y] - rel * low[k])

    low, up = win.tails(t_hi)
    cand = np.flatnonzero(up[k + 1 :] <= rel * low[k])
    y = k + 1 + int(cand[0]) if cand.size else size
    r = t_hi
    while True:
        left = t_lo
        if y - 1 > k and h(t_lo, y - 1) < 0:
            left = brentq(h, t_lo, r, args=(y - 1,), xtol=1e-14, rtol=1e-15)
        if g(r, y) >= alpha:
            return r
        if g(left, y) >= alpha:
            return brentq(lambda tv, yy=y: g(tv, yy) - alpha, left, r, xtol=1e-14, rtol=1e-15)
        if left <= t_lo:  # pragma: no cover - P(t_lo) >= alpha by construction
            return t_lo
        y -= 1
        r = left


@lru_cache(maxsize=512)
def _blaker_ci(a: int, n1: int, c: int, n2: int, confidence_level: float) -> ConfidenceInterval:
    """Blaker's interval: the convex hull of {psi : Blaker P(psi) >= alpha}."""
    t = _Table(a, n1, c, n2)
    cd = _Conditional(t)
    if cd.degenerate:
        return ConfidenceInterval(0.0, math.inf)
    alpha = 1 - confidence_level
    cr = _conditional_results(a, n1, c, n2, confidence_level)
    with np.errstate(divide="ignore"):
        t_mue, t_lo_exact, t_hi_exact = np.log([cr["mue"], cr["exact_lo"], cr["exact_hi"]])
    hi = _blaker_upper(cd, alpha, float(t_mue), float(t_hi_exact))
    # the lower bound is the upper bound of the table with the arms swapped
    swapped = _Conditional(_Table(c, n2, a, n1))
    lo = -_blaker_upper(swapped, alpha, -float(t_mue), -float(t_lo_exact))
    return ConfidenceInterval(math.exp(lo), math.exp(hi))


# ==========================================================================
# unconditional fitted tables (score, Cornfield, profile likelihood)
# ==========================================================================


def _fitted_a(psi: float, t: _Table) -> float:
    """Cell a of the table with the observed margins and odds ratio ``psi``."""
    n1, n2, m = t.n1, t.n2, t.m
    if psi == 1.0:
        return n1 * m / t.N
    qa = 1.0 - psi
    qb = n2 - m + psi * (n1 + m)
    qc = -psi * n1 * m
    disc = math.sqrt(max(qb * qb - 4 * qa * qc, 0.0))
    if qb >= 0:
        return -2 * qc / (qb + disc) if qb + disc > 0 else max(0.0, m - n2)
    return (-qb + disc) / (2 * qa)


def _or_stat(log_psi: float, t: _Table, kind: str) -> float:
    psi = math.exp(log_psi)
    A = _fitted_a(psi, t)
    cells = np.array([A, t.n1 - A, t.m - A, t.n2 - t.m + A])
    if kind == "profile-likelihood":
        obs = np.array([t.a, t.b, t.c, t.d], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(obs > 0, obs * np.log(obs / cells), 0.0)
        return float(2 * terms.sum())
    with np.errstate(divide="ignore"):
        info = float(np.sum(1.0 / cells))
    diff = abs(t.a - A)
    if kind == "cornfield-cc":
        diff = max(diff - 0.5, 0.0)
    stat = diff * diff * info
    if kind == "score":
        stat *= (t.N - 1) / t.N
    return stat if math.isfinite(stat) else math.inf


def _invert(stat, centre: float, crit: float, span: float = 60.0) -> tuple[float, float]:
    """Bounds {theta : stat(theta) <= crit} around ``centre`` on a monotone-per-side scale."""
    from gvhdstats.methods._roots import brentq

    def g(th: float) -> float:
        return stat(th) - crit

    if g(centre) > 0:
        return math.nan, math.nan
    bounds = []
    for sign in (-1.0, 1.0):
        step = 0.5
        inner = centre
        found = None
        while step <= span:
            th = centre + sign * step
            if g(th) > 0:
                found = th
                break
            inner = th
            step *= 2
        if found is None:
            bounds.append(-math.inf if sign < 0 else math.inf)
            continue
        lo, hi = (found, inner) if sign < 0 else (inner, found)
        bounds.append(brentq(g, lo, hi, xtol=1e-14, rtol=1e-15))
    return bounds[0], bounds[1]


def _or_centre(t: _Table) -> float:
    if t.a * t.d > 0 and t.b * t.c > 0:
        return math.log(t.a * t.d / (t.b * t.c))
    return math.log((t.a + 0.5) * (t.d + 0.5) / ((t.b + 0.5) * (t.c + 0.5)))


# ==========================================================================
# odds ratio
# ==========================================================================


def _peto_parts(t: _Table) -> tuple[float, float]:
    """``(O - E, V)``: observed minus expected treatment events and the hypergeometric variance.

    ``E = n1 m / N`` and ``V = n1 n2 m (N - m) / (N^2 (N - 1))`` under the
    margins (Yusuf et al. 1985); ``V = 0`` when the table has no events or no
    non-events.
    """
    N = t.N
    o_e = t.a - t.n1 * t.m / N
    v = t.n1 * t.n2 * t.m * (N - t.m) / (N * N * (N - 1))
    return o_e, v


def _peto(t: _Table, cl: float) -> tuple[float, ConfidenceInterval]:
    """Peto's one-step odds ratio ``exp((O - E)/V)`` and its CI ``exp((O - E)/V +- z/sqrt(V))``."""
    o_e, v = _peto_parts(t)
    if v == 0:
        return math.nan, ConfidenceInterval(math.nan, math.nan)
    lor = o_e / v
    w = z_two_sided(cl) / math.sqrt(v)
    return math.exp(lor), ConfidenceInterval(math.exp(lor - w), math.exp(lor + w))


def _or_estimate(t: _Table, estimator: str) -> float:
    a, b, c, d = t.a, t.b, t.c, t.d
    if estimator == "peto":
        return _peto(t, 0.95)[0]
    if estimator == "sample":
        num, den = a * d, b * c
        if den == 0:
            return math.nan if num == 0 else math.inf
        return num / den
    if estimator == "haldane":
        return (a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))
    if estimator == "small-sample":
        return a * d / ((b + 1) * (c + 1))
    cr = _conditional_results(a, t.n1, c, t.n2, 0.95)
    return cr["cmle"] if estimator == "conditional-mle" else cr["mue"]


def _ieee_zero_cell(est: float) -> ConfidenceInterval:
    """Wald-type log interval with a zero cell, as IEEE arithmetic (and R) gives it.

    The standard error is infinite: an estimate of 0 gives ``(0, nan)``, an
    infinite estimate ``(nan, inf)``, an undefined one ``(nan, nan)``.
    """
    if est == 0:
        return ConfidenceInterval(0.0, math.nan)
    if est == math.inf:
        return ConfidenceInterval(math.nan, math.inf)
    return ConfidenceInterval(math.nan, math.nan)


def _ci_setup(
    res: OddsRatioResult | _TwoArmEffect,
    method: str,
    allowed: Sequence[str],
    confidence_level: float,
) -> tuple[str, float, _Table]:
    """Validated method and level, and the table, for a result's ``confidence_interval``."""
    m = _method(method, allowed)
    return m, _confidence_level(confidence_level), _Table(*res.treatment, *res.control)


def _or_ci(t: _Table, method: str, cl: float) -> ConfidenceInterval:
    z = z_two_sided(cl)
    a, b, c, d = t.a, t.b, t.c, t.d
    if method in ("wald", "wald-haldane"):
        h = 0.5 if method == "wald-haldane" else 0.0
        if h == 0 and a * b * c * d == 0:
            return _ieee_zero_cell(_or_estimate(t, "sample"))
        lor = math.log((a + h) * (d + h) / ((b + h) * (c + h)))
        se = math.sqrt(1 / (a + h) + 1 / (b + h) + 1 / (c + h) + 1 / (d + h))
        return ConfidenceInterval(math.exp(lor - z * se), math.exp(lor + z * se))
    if method == "blaker":
        return _blaker_ci(a, t.n1, c, t.n2, cl)
    if method == "peto":
        return _peto(t, cl)[1]
    if method in ("exact-conditional", "mid-p"):
        cr = _conditional_results(a, t.n1, c, t.n2, cl)
        key = "exact" if method == "exact-conditional" else "midp"
        return ConfidenceInterval(cr[f"{key}_lo"], cr[f"{key}_hi"])
    # score, cornfield, cornfield-cc, profile-likelihood
    if t.degenerate:
        return ConfidenceInterval(0.0, math.inf)
    lo, hi = _invert(lambda th: _or_stat(th, t, method), _or_centre(t), z * z)
    return ConfidenceInterval(math.exp(lo), math.exp(hi))


@dataclass(frozen=True)
class OddsRatioResult:
    """Result of :func:`odds_ratio`.

    Attributes
    ----------
    statistic : float
        The odds ratio (treatment vs control) under ``estimator``.
    estimator : str
        The estimator used.
    treatment, control : (int, int)
        The ``(events, total)`` of each arm.
    """

    statistic: float
    estimator: str
    treatment: tuple[int, int]
    control: tuple[int, int]

    def confidence_interval(
        self, method: str | None = None, confidence_level: float = 0.95
    ) -> ConfidenceInterval:
        """Confidence interval for the odds ratio.

        Parameters
        ----------
        method : str, optional
            One of :data:`OR_CI_METHODS`: ``"wald"`` (Woolf), ``"wald-haldane"``,
            ``"exact-conditional"`` (R ``fisher.test``), ``"mid-p"``
            (``epitools::oddsratio.midp``), ``"score"`` (Miettinen-Nurminen),
            ``"cornfield"``, ``"cornfield-cc"``, ``"profile-likelihood"``,
            ``"blaker"`` (Blaker 2000; R ``exact2x2(tsmethod = "blaker")``),
            ``"peto"`` (``exp((O - E)/V +- z/sqrt(V))``, R
            ``metafor::rma.peto``).
            Default: the estimator's own interval (sample: wald; haldane and
            small-sample: wald-haldane; conditional-mle: exact-conditional;
            median-unbiased: mid-p; peto: peto).
        confidence_level : float
            In (0, 1).

        Returns
        -------
        ConfidenceInterval
            With a zero cell ``wald`` has an infinite standard error and
            gives ``(0, nan)`` for an odds ratio of 0, ``(nan, inf)`` for an
            infinite one (as R's ``epitools`` does); the other methods give
            ``0`` / ``inf`` where the interval is open on that side.

        Notes
        -----
        ``blaker`` inverts Blaker's exact test (see :func:`two_by_two_pvalue`):
        the set of odds ratios psi whose Blaker P value (the test of OR = psi
        under the conditional distribution) is at least
        alpha = 1 - ``confidence_level``.  That set need not be an
        interval (the P value jumps where two tails tie); the convex hull is
        reported, as exact2x2 does (Fay 2010).  It lies inside the
        ``exact-conditional`` interval, and a bound often sits at a jump of
        the P value rather than at a root of ``P = alpha`` (with equal arms a
        bound may be 1 itself, up to R's tie tolerance 1e-7).
        """
        m = _OR_DEFAULT_CI[self.estimator] if method is None else method
        m, cl, t = _ci_setup(self, m, OR_CI_METHODS, confidence_level)
        return _or_ci(t, m, cl)


def odds_ratio(
    treatment: tuple[int, int],
    control: tuple[int, int],
    *,
    estimator: str = "sample",
) -> OddsRatioResult:
    r"""Odds ratio of the event, treatment versus control.

    Parameters
    ----------
    treatment, control : (int, int)
        ``(events, total)`` of each arm.
    estimator : str
        ``"sample"`` (:math:`ad/bc`, the unconditional MLE), ``"haldane"``
        (0.5 added to every cell), ``"small-sample"`` (Jewell:
        :math:`ad/\{(b+1)(c+1)\}`), ``"conditional-mle"`` (R
        ``fisher.test``), ``"median-unbiased"`` (``epitools`` mid-p),
        ``"peto"`` (Peto's one-step estimate :math:`\exp\{(O - E)/V\}`).

    Returns
    -------
    OddsRatioResult
        ``statistic`` and ``.confidence_interval(method, confidence_level)``.

    Raises
    ------
    InvalidCountError
        Negative or non-integer counts, events above the total, a total of 0.
    UnknownMethodError
        Unknown ``estimator``.

    Notes
    -----
    The sample OR is ``inf`` when :math:`bc = 0 < ad` and NaN when both are 0.
    The conditional MLE solves :math:`E_\psi[X] = a` and the median-unbiased
    estimate :math:`P_\psi(X < a) = P_\psi(X > a)` under the noncentral
    hypergeometric distribution of X given the margins (Agresti 2013, §3.5;
    Rothman, Greenland & Lash 2008).  Both are 0 when ``a`` is the smallest
    value the margins allow and ``inf`` when it is the largest.

    Peto's one-step odds ratio (Yusuf et al. 1985) is
    :math:`\exp\{(O - E)/V\}` with :math:`O = a`, :math:`E = n_1 m/N` and
    the hypergeometric variance :math:`V = n_1 n_2 m (N - m)/\{N^2 (N -
    1)\}`; its interval (method ``"peto"``) is :math:`\exp\{(O - E)/V \pm
    z/\sqrt{V}\}` and its test, :math:`(O - E)^2/V`, is the ``n-1-chi2``
    P value.  R: ``metafor::rma.peto(ai = a, n1i = n1, ci = c, n2i = n2)``
    with one study.  NaN when the table has no events or no non-events.

    R: ``fisher.test(matrix(c(a, b, c, d), 2, byrow = TRUE))$estimate``,
    ``epitools::oddsratio(matrix(c(d, c, b, a), 2, byrow = TRUE), method =
    "midp")``.

    References
    ----------
    Agresti A (2013). Categorical Data Analysis, 3rd ed. Wiley.
    Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade
    during and after myocardial infarction: an overview of the randomized
    trials. Prog Cardiovasc Dis 27:335-371.

    Examples
    --------
    Day-28 overall response, 82/99 (MSC) vs 70/99 (control), printed as
    "odds ratio, 2.00; 95% CI, 1.01-3.94":

    >>> from gvhdstats import odds_ratio
    >>> res = odds_ratio((82, 99), (70, 99))
    >>> res.statistic
    1.9983193277310925
    >>> ci = res.confidence_interval("wald")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    1.0141 3.9379
    >>> odds_ratio((82, 99), (70, 99), estimator="conditional-mle").statistic
    1.991329...
    >>> ci = res.confidence_interval("blaker")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    1.0000 4.1296
    """
    t = _table(treatment, control)
    est = _method(estimator, OR_ESTIMATORS, "estimator")
    return OddsRatioResult(_or_estimate(t, est), est, (t.a, t.n1), (t.c, t.n2))


# ==========================================================================
# risk ratio and risk difference
# ==========================================================================


def _rr_stat(log_rho: float, t: _Table) -> float:
    """Miettinen-Nurminen score statistic for the risk ratio ``exp(log_rho)``."""
    rho = math.exp(log_rho)
    n1, n2, N = t.n1, t.n2, t.N
    x1, x2 = t.a, t.c
    A = N * rho
    B = -(n1 * rho + x1 + n2 + x2 * rho)
    C = x1 + x2
    disc = math.sqrt(max(B * B - 4 * A * C, 0.0))
    p2 = (-B - disc) / (2 * A)
    p1 = rho * p2
    var = (p1 * (1 - p1) / n1 + rho * rho * p2 * (1 - p2) / n2) * N / (N - 1)
    num = x1 / n1 - rho * x2 / n2
    if var <= 0:
        return 0.0 if num == 0 else math.inf
    return num * num / var


def _rd_stat(delta: float, t: _Table) -> float:
    """Miettinen-Nurminen score statistic for the risk difference ``delta``."""
    n1, n2, N = t.n1, t.n2, t.N
    p1h, p2h = t.a / n1, t.c / n2
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1h + theta * p2h + delta * (theta + 2))
    c = delta * delta + delta * (2 * p1h + theta + 1) + p1h + theta * p2h
    d = -p1h * delta * (1 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a * a) + d / (2 * a)
    u = math.copysign(math.sqrt(max(b * b / (9 * a * a) - c / (3 * a), 0.0)), v)
    if u == 0:
        w = math.pi / 3  # cos argument irrelevant: the root is -b/3a
        p1 = -b / (3 * a)
    else:
        w = (math.pi + math.acos(max(-1.0, min(1.0, v / u**3)))) / 3
        p1 = 2 * u * math.cos(w) - b / (3 * a)
    p2 = p1 - delta
    p1 = min(max(p1, 0.0), 1.0)
    p2 = min(max(p2, 0.0), 1.0)
    var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * N / (N - 1)
    num = p1h - p2h - delta
    if var <= 0:
        return 0.0 if abs(num) < 1e-15 else math.inf
    return num * num / var


@dataclass(frozen=True)
class _TwoArmEffect:
    """Fields shared by the risk ratio and risk difference results."""

    statistic: float
    treatment: tuple[int, int]
    control: tuple[int, int]


@dataclass(frozen=True)
class RiskRatioResult(_TwoArmEffect):
    """Result of :func:`risk_ratio`: ``statistic`` = (a/n1)/(c/n2)."""

    def confidence_interval(
        self, method: str = "katz-log", confidence_level: float = 0.95
    ) -> ConfidenceInterval:
        """CI for the risk ratio: ``"katz-log"`` or ``"score"`` (Miettinen-Nurminen).

        ``katz-log``: :math:`\\exp\\{\\ln RR \\pm z\\sqrt{1/a - 1/n_1 + 1/c -
        1/n_2}\\}` (``(0, nan)`` when ``a = 0``, ``(nan, inf)`` when ``c = 0``, as R), R
        ``epitools::riskratio(method = "wald")``.
        """
        m, cl, t = _ci_setup(self, method, RR_CI_METHODS, confidence_level)
        z = z_two_sided(cl)
        if m == "katz-log":
            if t.a == 0 or t.c == 0:
                return _ieee_zero_cell(self.statistic)
            lr = math.log(self.statistic)
            se = math.sqrt(1 / t.a - 1 / t.n1 + 1 / t.c - 1 / t.n2)
            return ConfidenceInterval(math.exp(lr - z * se), math.exp(lr + z * se))
        if t.a == 0 and t.c == 0:
            return ConfidenceInterval(0.0, math.inf)
        p1, p2 = (t.a + 0.5) / (t.n1 + 1), (t.c + 0.5) / (t.n2 + 1)
        centre = math.log(self.statistic) if 0 < self.statistic < math.inf else math.log(p1 / p2)
        lo, hi = _invert(lambda th: _rr_stat(th, t), centre, z * z)
        return ConfidenceInterval(math.exp(lo), math.exp(hi))


def risk_ratio(treatment: tuple[int, int], control: tuple[int, int]) -> RiskRatioResult:
    r"""Risk ratio (relative risk) of the event, treatment versus control.

    Parameters
    ----------
    treatment, control : (int, int)
        ``(events, total)`` of each arm.

    Returns
    -------
    RiskRatioResult
        ``statistic`` :math:`= (a/n_1)/(c/n_2)` (``inf`` when only ``c`` is 0,
        NaN when both are) and ``.confidence_interval(method, confidence_level)``
        with methods ``"katz-log"`` (Katz et al. 1978) and ``"score"``
        (Miettinen & Nurminen 1985, variance factor N/(N-1)).

    Raises
    ------
    InvalidCountError
        Bad counts.

    Notes
    -----
    R: ``epitools::riskratio(matrix(c(n2 - c, c, n1 - a, a), 2, byrow = TRUE),
    method = "wald")``; the score interval matches
    ``statsmodels.stats.proportion.confint_proportions_2indep(..., compare =
    "ratio", method = "score")``.

    References
    ----------
    Katz D, Baptista J, Azen SP, Pike MC (1978). Biometrics 34:469-474.
    Miettinen O, Nurminen M (1985). Stat Med 4:213-226.

    Examples
    --------
    >>> from gvhdstats import risk_ratio
    >>> res = risk_ratio((82, 99), (70, 99))
    >>> res.statistic
    1.1714285714285715
    >>> ci = res.confidence_interval("katz-log")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    1.0029 1.3682
    """
    t = _table(treatment, control)
    p1, p2 = t.a / t.n1, t.c / t.n2
    est = (math.nan if p1 == 0 else math.inf) if p2 == 0 else p1 / p2
    return RiskRatioResult(est, (t.a, t.n1), (t.c, t.n2))


@dataclass(frozen=True)
class RiskDifferenceResult(_TwoArmEffect):
    """Result of :func:`risk_difference`: ``statistic`` = a/n1 - c/n2."""

    def confidence_interval(
        self, method: str = "wald", confidence_level: float = 0.95
    ) -> ConfidenceInterval:
        """CI for the risk difference: :data:`RD_CI_METHODS`, see :func:`risk_difference`."""
        m, cl, t = _ci_setup(self, method, RD_CI_METHODS, confidence_level)
        z = z_two_sided(cl)
        p1, p2 = t.a / t.n1, t.c / t.n2
        dlt = p1 - p2
        if m in ("wald", "wald-cc"):
            se = math.sqrt(p1 * (1 - p1) / t.n1 + p2 * (1 - p2) / t.n2)
            cc = 0.0
            if m == "wald-cc":
                sn = 1 / t.n1 + 1 / t.n2
                cc = min(0.5, abs(dlt) / sn) * sn
            w = z * se + cc
            return ConfidenceInterval(max(dlt - w, -1.0), min(dlt + w, 1.0))
        if m in ("newcombe", "newcombe-cc"):
            pm = "wilson" if m == "newcombe" else "wilson-cc"
            l1, u1 = proportion_ci(t.a, t.n1, method=pm, confidence_level=cl)
            l2, u2 = proportion_ci(t.c, t.n2, method=pm, confidence_level=cl)
            lo = dlt - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
            hi = dlt + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
            return ConfidenceInterval(lo, hi)
        if m == "agresti-caffo":
            q1, q2 = (t.a + 1) / (t.n1 + 2), (t.c + 1) / (t.n2 + 2)
            se = math.sqrt(q1 * (1 - q1) / (t.n1 + 2) + q2 * (1 - q2) / (t.n2 + 2))
            d = q1 - q2
            return ConfidenceInterval(max(d - z * se, -1.0), min(d + z * se, 1.0))
        # score (Miettinen-Nurminen)
        from gvhdstats.methods._roots import brentq

        crit = z * z

        def g(dd: float) -> float:
            return _rd_stat(dd, t) - crit

        eps = 1e-12
        lo = -1.0 if g(-1 + eps) <= 0 or dlt <= -1 + eps else brentq(g, -1 + eps, dlt, xtol=1e-15)
        hi = 1.0 if g(1 - eps) <= 0 or dlt >= 1 - eps else brentq(g, dlt, 1 - eps, xtol=1e-15)
        return ConfidenceInterval(lo, hi)


def risk_difference(treatment: tuple[int, int], control: tuple[int, int]) -> RiskDifferenceResult:
    r"""Risk difference ``a/n1 - c/n2`` (on the proportion scale).

    Parameters
    ----------
    treatment, control : (int, int)
        ``(events, total)`` of each arm.

    Returns
    -------
    RiskDifferenceResult
        ``statistic`` and ``.confidence_interval(method, confidence_level)``.

    Raises
    ------
    InvalidCountError
        Bad counts.

    Notes
    -----
    CI methods, with :math:`D = \hat p_1 - \hat p_2`:

    * ``wald``: :math:`D \pm z\sqrt{\hat p_1\hat q_1/n_1 + \hat p_2\hat
      q_2/n_2}`, truncated to [-1, 1]: R ``prop.test(c(a, c), c(n1, n2),
      correct = FALSE)$conf.int``.
    * ``wald-cc``: width plus :math:`\min\{1/2, |D|/(1/n_1 + 1/n_2)\}(1/n_1 +
      1/n_2)`, exactly as R ``prop.test()`` (default ``correct = TRUE``)
      shrinks the correction.
    * ``newcombe``: hybrid Wilson score (Newcombe 1998, method 10):
      :math:`D - \sqrt{(\hat p_1 - l_1)^2 + (u_2 - \hat p_2)^2}`,
      :math:`D + \sqrt{(u_1 - \hat p_1)^2 + (\hat p_2 - l_2)^2}`;
      ``newcombe-cc`` uses the continuity-corrected Wilson limits (method 11).
    * ``agresti-caffo``: Wald after adding one event and one non-event to
      each arm (Agresti & Caffo 2000).
    * ``score``: Miettinen & Nurminen (1985), restricted MLE by the closed
      form of Farrington & Manning (1990), variance factor N/(N-1).

    References
    ----------
    Newcombe RG (1998). Interval estimation for the difference between
    independent proportions. Stat Med 17:873-890.
    Agresti A, Caffo B (2000). Am Stat 54:280-288.

    Examples
    --------
    >>> from gvhdstats import risk_difference
    >>> res = risk_difference((82, 99), (70, 99))
    >>> round(res.statistic, 12)
    0.121212121212
    >>> ci = res.confidence_interval("newcombe")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    0.0032 0.2353
    """
    t = _table(treatment, control)
    return RiskDifferenceResult(t.a / t.n1 - t.c / t.n2, (t.a, t.n1), (t.c, t.n2))


# ==========================================================================
# P values
# ==========================================================================


@dataclass(frozen=True)
class TwoByTwoTestResult:
    """Result of :func:`two_by_two_pvalue`.

    Attributes
    ----------
    statistic : float
        The test statistic (chi-square, z, or the probability-type statistic
        of the exact tests; NaN where none applies).
    pvalue : float
        Two-sided P value (NaN when not computed; see ``note``).
    method : str
    note : str
    """

    statistic: float
    pvalue: float
    method: str
    note: str = ""


def _log_choose(n: int) -> np.ndarray:
    from scipy.special import gammaln

    k = np.arange(n + 1, dtype=float)
    return gammaln(n + 1.0) - gammaln(k + 1) - gammaln(n - k + 1)


def _max_over_nuisance(h: np.ndarray, N: int) -> float:
    """max over pi in [0, 1] of sum_s h[s] * Binomial(s; N, pi)."""
    from scipy.special import xlog1py, xlogy

    from gvhdstats.methods._roots import fminbound

    s_all = np.flatnonzero(h > 0)
    if s_all.size == 0:
        return 0.0
    hs = h[s_all]
    s = s_all.astype(float)
    lc = _log_choose(N)[s_all]

    def p_of(pi: np.ndarray) -> np.ndarray:
        pi = np.asarray(pi, dtype=float).reshape(-1, 1)
        lp = lc[None, :] + xlogy(s[None, :], pi) + xlog1py(N - s[None, :], -pi)
        return np.exp(lp) @ hs

    grid = np.linspace(0.0, 1.0, 201)
    vals = p_of(grid)
    best = float(vals.max())
    # refine around every grid local maximum within 10% of the best
    interior = np.flatnonzero(
        (vals[1:-1] >= vals[:-2]) & (vals[1:-1] >= vals[2:]) & (vals[1:-1] >= 0.9 * best)
    )
    for k in interior + 1:
        _, fmin = fminbound(
            lambda x: -float(p_of(np.array([x]))[0]), grid[k - 1], grid[k + 1], xatol=1e-12
        )
        best = max(best, -fmin)
    return min(best, 1.0)


def _sample_space(t: _Table):
    """(i, s) layout: log conditional pmf of X1 = i given S = s, valid mask."""
    n1, n2, N = t.n1, t.n2, t.N
    i = np.arange(n1 + 1)[:, None]
    s = np.arange(N + 1)[None, :]
    j = s - i
    valid = (j >= 0) & (j <= n2)
    l1, l2, lN = _log_choose(n1), _log_choose(n2), _log_choose(N)
    jj = np.clip(j, 0, n2)
    with np.errstate(invalid="ignore"):
        lp = l1[i] + l2[jj] - lN[s]
    pmf = np.where(valid, np.exp(lp), 0.0)
    return i, s, j, valid, pmf


def _barnard(t: _Table) -> tuple[float, float]:
    n1, n2, N = t.n1, t.n2, t.N
    i, s, j, valid, pmf = _sample_space(t)
    p1 = i / n1
    p2 = j / n2
    pp = s / N
    var = pp * (1 - pp) * (1 / n1 + 1 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(p1 == p2, 0.0, (p1 - p2) / np.sqrt(var))
    z_obs = (
        float(((t.a / n1) - (t.c / n2)) / math.sqrt((t.m / N) * (1 - t.m / N) * (1 / n1 + 1 / n2)))
        if 0 < t.m < N
        else 0.0
    )
    if t.a / n1 == t.c / n2:
        z_obs = 0.0
    region = valid & (np.abs(z) >= abs(z_obs) * (1 - _REL_TIE))
    h = (pmf * region).sum(axis=0)
    return z_obs, _max_over_nuisance(h, N)


def _boschloo(t: _Table) -> tuple[float, float]:
    N = t.N
    _, _, _, valid, pmf = _sample_space(t)
    cdf = np.cumsum(pmf, axis=0)
    sf = np.cumsum(pmf[::-1], axis=0)[::-1]
    less_obs = cdf[t.a, t.m]
    greater_obs = sf[t.a, t.m]
    h_less = (pmf * (valid & (cdf <= less_obs * (1 + _REL_TIE)))).sum(axis=0)
    h_greater = (pmf * (valid & (sf <= greater_obs * (1 + _REL_TIE)))).sum(axis=0)
    p_less = _max_over_nuisance(h_less, N)
    p_greater = _max_over_nuisance(h_greater, N)
    if p_less < p_greater:
        return float(less_obs), min(1.0, 2 * p_less)
    return float(greater_obs), min(1.0, 2 * p_greater)


def _pvalue(t: _Table, method: str) -> TwoByTwoTestResult:
    from scipy.special import chdtrc, ndtr

    a, b, c, d, N = t.a, t.b, t.c, t.d, t.N
    obs = np.array([a, b, c, d], dtype=float)
    exp_ = np.array([t.n1 * t.m, t.n1 * (N - t.m), t.n2 * t.m, t.n2 * (N - t.m)], dtype=float) / N
    degenerate = t.m == 0 or t.m == N
    if method in ("pearson-chi2", "n-1-chi2", "yates-chi2", "likelihood-ratio"):
        if degenerate:
            return TwoByTwoTestResult(
                math.nan, math.nan, method, "no events or no non-events: chi-square undefined"
            )
        dev = abs(a - exp_[0])
        if method == "likelihood-ratio":
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.where(obs > 0, obs * np.log(obs / exp_), 0.0)
            stat = float(2 * terms.sum())
        else:
            if method == "yates-chi2":
                dev = dev - min(0.5, dev)
            stat = float(dev * dev * np.sum(1 / exp_))
            if method == "n-1-chi2":
                stat *= (N - 1) / N
        return TwoByTwoTestResult(stat, float(chdtrc(1, stat)), method)
    if method == "wald":
        if a * b * c * d == 0:
            return TwoByTwoTestResult(
                math.nan, math.nan, method, "a zero cell: the log odds ratio is infinite"
            )
        zstat = math.log(a * d / (b * c)) / math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        return TwoByTwoTestResult(zstat, float(2 * ndtr(-abs(zstat))), method)
    if method == "wald-log-rr":
        if a == 0 or c == 0:
            return TwoByTwoTestResult(
                math.nan, math.nan, method, "no events in an arm: the log risk ratio is infinite"
            )
        zstat = math.log((a / t.n1) / (c / t.n2)) / math.sqrt(1 / a - 1 / t.n1 + 1 / c - 1 / t.n2)
        return TwoByTwoTestResult(zstat, float(2 * ndtr(-abs(zstat))), method)
    if method == "wald-rd":
        p1, p2 = a / t.n1, c / t.n2
        se = math.sqrt(p1 * (1 - p1) / t.n1 + p2 * (1 - p2) / t.n2)
        if se == 0:
            return TwoByTwoTestResult(
                math.nan, math.nan, method, "both risks are 0 or 1: the standard error is 0"
            )
        zstat = (p1 - p2) / se
        return TwoByTwoTestResult(zstat, float(2 * ndtr(-abs(zstat))), method)
    if method in ("fisher-exact", "fisher-central", "blaker", "mid-p"):
        cr = _exact_pvalues(a, t.n1, c, t.n2)
        key = {
            "fisher-exact": "p_fisher",
            "fisher-central": "p_central",
            "blaker": "p_blaker",
            "mid-p": "p_midp",
        }
        return TwoByTwoTestResult(math.nan, cr[key[method]], method)
    # barnard, boschloo
    cells = (t.n1 + 1) * (t.n2 + 1)
    if cells > BARNARD_MAX_CELLS:
        return TwoByTwoTestResult(
            math.nan,
            math.nan,
            method,
            f"{method} not computed: (n1 + 1)(n2 + 1) = {cells} exceeds "
            f"BARNARD_MAX_CELLS = {BARNARD_MAX_CELLS}",
        )
    stat, p = _barnard(t) if method == "barnard" else _boschloo(t)
    return TwoByTwoTestResult(stat, p, method)


def two_by_two_pvalue(
    treatment: tuple[int, int], control: tuple[int, int], *, method: str
) -> TwoByTwoTestResult:
    r"""Two-sided P value for "same event probability in both arms".

    Parameters
    ----------
    treatment, control : (int, int)
        ``(events, total)`` of each arm.
    method : str
        One of :data:`PVALUE_METHODS` or :data:`EFFECT_PVALUE_METHODS` (no
        default: papers differ).

    Returns
    -------
    TwoByTwoTestResult
        ``statistic``, ``pvalue``, ``method``, ``note``.

    Raises
    ------
    InvalidCountError
        Bad counts.
    UnknownMethodError
        Unknown ``method``.

    Notes
    -----
    With expected counts :math:`E` under independence:

    * ``pearson-chi2``: :math:`X^2 = \sum (O - E)^2/E`, R ``chisq.test(correct
      = FALSE)``; ``n-1-chi2``: :math:`X^2 (N-1)/N` (E. Pearson 1947;
      Campbell 2007), the score test behind the Miettinen-Nurminen CI;
      ``yates-chi2``: :math:`\sum (|O - E| - y)^2/E` with
      :math:`y = \min(1/2, |O - E|)` exactly as R ``chisq.test()``.
    * ``likelihood-ratio``: :math:`G^2 = 2\sum O \ln(O/E)` (Agresti 2013 §3.2).
    * ``wald``: :math:`z = \ln(ad/bc)/\sqrt{1/a+1/b+1/c+1/d}`, as the Wald
      z of a logistic regression (NaN with a zero cell).
    * ``wald-log-rr``: :math:`z = \ln RR/\sqrt{1/a - 1/n_1 + 1/c - 1/n_2}`
      (Katz's SE; RevMan's Z for one study, metafor ``rma.mh(measure =
      "RR")``; the Wald z of a log-binomial GLM); ``wald-rd``: :math:`z =
      (\hat p_1 - \hat p_2)/\sqrt{\hat p_1\hat q_1/n_1 + \hat p_2\hat
      q_2/n_2}` (RevMan, ``rma.mh(measure = "RD")`` for one study).
    * ``blaker``: Blaker's (2000) exact test: with the acceptability
      :math:`\gamma(y) = \min\{P(X \le y), P(X \ge y)\}` under the
      hypergeometric law (odds ratio 1), P is the probability of every
      :math:`y` with :math:`\gamma(y) \le \gamma(a)(1 + 10^{-7})` (R
      ``exact2x2(tsmethod = "blaker")``, whose tie tolerance this is).  Its
      inversion is the ``blaker`` odds-ratio interval.
    * ``fisher-exact``: sum of the hypergeometric probabilities not above the
      observed one times :math:`1 + 10^{-7}` (R ``fisher.test``; exact2x2
      "minlike"); ``fisher-central``: :math:`\min\{1, 2\min(P(X \le a), P(X
      \ge a))\}`; ``mid-p``: :math:`2\min(P(X<a), P(X>a)) + P(X = a)` in
      the form :math:`2\min\{P(X \le a) - P(a)/2, P(X \ge a) - P(a)/2\}`
      (Lancaster 1961; epitools ``midp.exact``).
    * ``barnard``: unconditional test with the pooled score statistic,
      maximised over the nuisance probability (scipy ``barnard_exact``
      default); ``boschloo``: Fisher's one-sided P as statistic, two-sided
      P = twice the smaller maximised one-sided P (scipy ``boschloo_exact``).
      The maximisation is exact in the sense that the P value as a function
      of the nuisance parameter is evaluated on a 201-point grid and every
      local maximum refined to 1e-12 (Mehrotra, Chan & Berger 2003).
      Ties of the statistic are judged with a relative tolerance of 1e-7 (as
      R's ``fisher.test``), so tables whose statistic equals the observed one
      up to floating-point rounding count as "as extreme"; scipy's
      ``barnard_exact`` compares exactly and can miss such ties (it then
      gives a slightly smaller P).
      Skipped (NaN, with a note) when :math:`(n_1+1)(n_2+1) >`
      :data:`BARNARD_MAX_CELLS`.

    Chi-square, G and Wald P are NaN when the table has no events or no
    non-events at all; the exact tests give 1 there.

    References
    ----------
    Agresti A (2013). Categorical Data Analysis, 3rd ed. Wiley.
    Lancaster HO (1961). Significance tests in discrete distributions.
    JASA 56:223-234.
    Campbell I (2007). Chi-squared and Fisher-Irwin tests of two-by-two
    tables with small sample recommendations. Stat Med 26:3661-3675.
    Blaker H (2000). Confidence curves and improved exact confidence
    intervals for discrete distributions. Can J Stat 28:783-798.
    Fay MP (2010). Confidence intervals that match Fisher's exact or
    Blaker's exact tests. Biostatistics 11:373-374.

    Examples
    --------
    Day-28 response, printed "P = 0.043":

    >>> from gvhdstats import two_by_two_pvalue
    >>> two_by_two_pvalue((82, 99), (70, 99), method="pearson-chi2").pvalue
    0.04345...
    >>> two_by_two_pvalue((82, 99), (70, 99), method="fisher-exact").pvalue
    0.06345...
    >>> two_by_two_pvalue((0, 3), (2, 7), method="blaker").pvalue  # Fisher: 1
    0.5333...
    """
    t = _table(treatment, control)
    m = _method(method, PVALUE_METHODS + EFFECT_PVALUE_METHODS)
    return _pvalue(t, m)


# ==========================================================================
# the check
# ==========================================================================
