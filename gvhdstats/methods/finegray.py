"""Fine-Gray proportional subdistribution hazards regression in linear time.

:func:`fine_gray` fits the model of Fine and Gray (1999) exactly as
``cmprsk::crr`` does (inverse-probability-of-censoring weights from the
Kaplan-Meier estimate of the censoring distribution taken just before each
time, Breslow handling of tied failure times, sandwich variance including the
term for the estimated censoring distribution), but every Newton iteration and
the sandwich variance cost O(n p^2) after a single sort, using the
forward-backward scan of Kawaguchi et al. (2020).  See ``docs/fine-gray.md``
for the derivation and the measured speed.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import ArrayLike

from gvhdstats._validation import (
    as_code,
    as_numeric_matrix,
    as_status,
    as_time_array,
    check_confidence_level,
    check_option,
)
from gvhdstats.errors import ConvergenceWarning, InvalidArgumentError
from gvhdstats.methods._results import ConfidenceInterval

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CENSORING_TIES",
    "SUMMARY_COLUMNS",
    "TIME_ZERO",
    "VARIANCE_METHODS",
    "FineGrayConvergenceWarning",
    "FineGrayResult",
    "fine_gray",
]

#: Columns of :meth:`FineGrayResult.summary_frame` (fixed, whatever the level).
SUMMARY_COLUMNS = (
    "covariate",
    "coef",
    "hazard_ratio",
    "se",
    "se_model",
    "z",
    "pvalue",
    "ci_low",
    "ci_high",
)

#: Allowed ``censoring_ties`` names and the R function whose convention each one follows.
CENSORING_TIES: dict[str, str] = {
    "crr": "cmprsk::crr (events at a censoring time stay in the censoring risk set)",
    "finegray": "survival::finegray (events at a censoring time leave it first)",
}

#: Allowed ``time_zero`` names: the censoring survival used for subjects whose time is 0.
TIME_ZERO: dict[str, str] = {
    "crr": "cmprsk::crr: G(0), after the censorings at time 0 (crr evaluates G at t(1 - 100 eps))",
    "left-limit": "the textbook left limit G(0-) = 1 (crr on times shifted away from 0)",
}

#: Allowed ``variance`` names and the R quantity each one corresponds to.
VARIANCE_METHODS: dict[str, str] = {
    "robust": "crr(...)$var (sandwich; what summary.crr uses)",
    "model": "crr(...)$invinf (inverse information)",
}


class FineGrayConvergenceWarning(ConvergenceWarning):
    """:func:`fine_gray` did not converge, or a coefficient is infinite.

    A subclass of the package's :class:`~gvhdstats.errors.ConvergenceWarning`.
    The result is still returned, with ``converged=False`` and NaN z
    statistics, P values and confidence limits for the coefficients concerned
    (``diverging``); its coefficients are those of the last iterate.
    """


@dataclass(frozen=True, repr=False)
class FineGrayResult:
    """Result of :func:`fine_gray`.

    Attributes
    ----------
    coef : numpy.ndarray
        Log subdistribution hazard ratios, one per covariate.
    se : numpy.ndarray
        Robust (sandwich) standard errors, ``sqrt(diag(var))`` (what
        ``summary.crr`` prints).
    se_model : numpy.ndarray
        Model-based standard errors, ``sqrt(diag(var_model))``.
    hazard_ratio : numpy.ndarray
        ``exp(coef)``, the subdistribution hazard ratios.
    statistic : numpy.ndarray
        Wald z statistics ``coef / se_used`` where ``se_used`` is ``se`` for
        ``variance="robust"`` and ``se_model`` for ``variance="model"``.
    pvalue : numpy.ndarray
        Two-sided Wald P values from ``statistic``.
    var : numpy.ndarray
        Robust covariance matrix (``crr(...)$var``).
    var_model : numpy.ndarray
        Model-based covariance matrix, the inverse information
        (``crr(...)$invinf``).
    information : numpy.ndarray
        Observed information matrix (``crr(...)$inf``).
    loglik : float
        Log pseudo-partial-likelihood at ``coef`` (``crr(...)$loglik``).
    loglik_null : float
        The same at ``coef = 0`` (``crr(...)$loglik.null``).
    n_iter : int
        Number of Newton-Raphson steps taken.
    converged : bool
        Whether the convergence criterion was met within ``max_iter`` steps
        and no coefficient is diverging (monotone likelihood).  When False,
        ``statistic``, ``pvalue`` and the confidence limits are NaN for the
        coefficients in ``diverging`` (for all of them when the iterations
        stopped for another reason): they would not be valid.
    diverging : tuple of str
        Names of the coefficients whose estimate is infinite (monotone
        likelihood, e.g. a group without events of the cause): the Newton step
        still grows them when the likelihood has stopped changing.
    names : tuple of str
        Covariate names.
    variance : str
        ``"robust"`` or ``"model"``: which covariance the z statistics, P
        values and confidence intervals use.
    confidence_level : float
        Default level of :meth:`confidence_interval` and of the summary.
    n, n_events, n_competing, n_censored : int
        Number of subjects, of events of the cause of interest, of competing
        events and of censored subjects.
    """

    coef: np.ndarray
    se: np.ndarray
    se_model: np.ndarray
    hazard_ratio: np.ndarray
    statistic: np.ndarray
    pvalue: np.ndarray
    var: np.ndarray
    var_model: np.ndarray
    information: np.ndarray
    loglik: float
    loglik_null: float
    n_iter: int
    converged: bool
    names: tuple[str, ...]
    variance: str = "robust"
    confidence_level: float = 0.95
    n: int = 0
    n_events: int = 0
    n_competing: int = 0
    n_censored: int = 0
    cause: Any = field(default=1)
    diverging: tuple[str, ...] = ()
    time_zero: str = "crr"

    @property
    def z(self) -> np.ndarray:
        """Alias of :attr:`statistic` (Wald z statistics)."""
        return self.statistic

    def _se_used(self) -> np.ndarray:
        return self.se if self.variance == "robust" else self.se_model

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """Wald confidence intervals for the subdistribution hazard ratios.

        ``exp(coef -/+ z_{(1+level)/2} * se_used)``, with ``se_used`` chosen by
        ``variance`` (robust by default, as ``summary.crr``).

        Parameters
        ----------
        confidence_level : float, optional
            In (0, 1); defaults to the level given to :func:`fine_gray`
            (0.95 unless changed).

        Returns
        -------
        ConfidenceInterval
            ``low`` and ``high`` are arrays, one entry per covariate.
        """
        level = self.confidence_level if confidence_level is None else confidence_level
        level = check_confidence_level(level)
        from scipy.special import ndtri

        q = float(ndtri(0.5 + level / 2.0))
        half = np.where(np.isnan(self.pvalue), np.nan, q * self._se_used())
        return ConfidenceInterval(low=np.exp(self.coef - half), high=np.exp(self.coef + half))

    def summary_frame(self, confidence_level: float | None = None) -> pd.DataFrame:
        """One row per covariate with the columns :data:`SUMMARY_COLUMNS`."""
        import pandas as pd

        ci = self.confidence_interval(confidence_level)
        return pd.DataFrame(
            {
                "covariate": list(self.names),
                "coef": self.coef,
                "hazard_ratio": self.hazard_ratio,
                "se": self.se,
                "se_model": self.se_model,
                "z": self.statistic,
                "pvalue": self.pvalue,
                "ci_low": ci.low,
                "ci_high": ci.high,
            },
            columns=list(SUMMARY_COLUMNS),
        )

    @property
    def summary(self) -> pd.DataFrame:
        """:meth:`summary_frame` at the default confidence level."""
        return self.summary_frame()

    def __repr__(self) -> str:
        ci = self.confidence_interval()
        # one interval per covariate: the bounds are arrays
        ci_low, ci_high = cast(np.ndarray, ci.low), cast(np.ndarray, ci.high)
        pct = f"{100 * self.confidence_level:g}%"
        lines = [
            f"FineGrayResult(n={self.n}, events={self.n_events}, "
            f"competing={self.n_competing}, censored={self.n_censored}, "
            f"cause={self.cause!r}, variance={self.variance!r}, "
            f"converged={self.converged}, n_iter={self.n_iter}, "
            f"loglik={self.loglik:.6g}"
            + (f", diverging={self.diverging!r}" if self.diverging else "")
            + ")"
        ]
        width = max(len(s) for s in self.names)
        for j, name in enumerate(self.names):
            lines.append(
                f"  {name:<{width}}  coef={self.coef[j]:.6g}  sHR={self.hazard_ratio[j]:.6g}"
                f"  se={self.se[j]:.6g}  se_model={self.se_model[j]:.6g}"
                f"  p={self.pvalue[j]:.4g}  {pct} CI=({ci_low[j]:.6g}, {ci_high[j]:.6g})"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------- validation


def _as_status(status: object, n: int) -> np.ndarray:
    return as_status(status, n, "status", labels=True)


def _as_covariates(covariates: object, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    x, names = as_numeric_matrix(covariates, n, "covariates")
    if len(set(names)) != len(names):
        raise InvalidArgumentError(f"`covariates` column names must be unique, but got {names}")
    for j in range(x.shape[1]):
        if n == 1 or np.all(x[:, j] == x[0, j]):
            raise InvalidArgumentError(
                f"`covariates` column {names[j]!r} is constant (every value is "
                f"{float(x[0, j])!r}); its coefficient is not identifiable"
            )
    return x, names


def _check_positive_number(value: object, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.floating | np.integer)
        or not (float(value) > 0.0)
        or not math.isfinite(float(value))
    ):
        raise InvalidArgumentError(f"`{name}` must be a positive number, but got {value!r}")
    return float(value)


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InvalidArgumentError(
            f"`{name}` must be an integer not less than {minimum}, but got {value!r}"
        )
    return int(value)


# --------------------------------------------------------------------------- core

#: Subjects per block in the scans over the sorted data (bounded temporaries).
_CHUNK = 1 << 16


@dataclass
class _Prepared:
    """Sorted data and the index maps that stay fixed across iterations.

    The per-subject arrays are the sorted covariates and three small integer
    arrays; everything else lives on the distinct-time (``G``) or failure-time
    (``nf``) scale, and the scans run over blocks of whole time groups, so
    their temporaries are bounded by the block size.
    """

    x: np.ndarray  # (n, p) centred covariates, sorted by time
    code: np.ndarray  # (n,) int8: 0 censored, 1 event of the cause, 2 competing
    gid: np.ndarray  # (n,) int32 group (distinct time) index of each sorted subject
    sbin: np.ndarray  # (n,) int32 number of distinct failure times <= T_i
    g_minus: np.ndarray  # G(u-) at each distinct time (G,)
    d: np.ndarray  # events of the cause at each failure time (nf,)
    xsum_events: np.ndarray  # (nf, p) sum of covariates over events at each failure time
    g_minus_fail: np.ndarray  # G(t_k-) at each failure time (nf,)
    blocks: list[tuple[int, int, int]]  # (g0, lo, hi): whole time groups per block
    finegray_ties: bool
    has_psi: bool  # censored and competing subjects both present
    xmax: np.ndarray  # (p,) column maxima of x
    xmin: np.ndarray  # (p,) column minima of x
    iu: np.ndarray  # upper-triangle row indices (q,)
    ju: np.ndarray  # upper-triangle column indices (q,)


def _prepare(
    t: np.ndarray,
    code: np.ndarray,
    x: np.ndarray,
    censoring_ties: str = "crr",
    time_zero: str = "crr",
) -> _Prepared:
    n, p = x.shape
    # introsort: the order within tied times only changes the rounding of the sums
    order = np.argsort(t, kind="quicksort")
    ts = t[order]
    cs = code[order]
    xs = x[order]
    del order
    xs -= x.mean(axis=0)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(ts[1:], ts[:-1], out=new[1:])
    starts_at_zero = bool(ts[0] == 0.0)
    del ts
    starts = np.flatnonzero(new)
    itype = np.int32 if n < 2**31 else np.int64
    gid: np.ndarray = np.cumsum(new, dtype=itype)
    np.subtract(gid, 1, out=gid)
    del new
    n_groups = starts.size
    # events per distinct failure time, from their positions (no n-length floats)
    ev_pos = np.flatnonzero(cs == 1)
    ev_gid = gid[ev_pos]
    ev_first = np.flatnonzero(np.diff(ev_gid, prepend=-1))
    fail_groups = ev_gid[ev_first].astype(np.intp)
    del ev_gid
    d = np.diff(ev_first, append=ev_pos.size).astype(float)
    xsum_events = np.add.reduceat(xs[ev_pos], ev_first, axis=0)
    del ev_pos, ev_first
    # Kaplan-Meier of the censoring distribution; G(u-) is the product over times < u.
    # "crr": subjects with an event at u are still at risk of censoring at u;
    # "finegray": they leave first (events before censorings at a tied time).
    n_cens = np.bincount(gid[cs == 0], minlength=n_groups)
    factor = _at_risk(n, starts, n, n_cens, censoring_ties == "finegray")
    del starts
    np.divide(n_cens, factor, out=factor)
    del n_cens
    np.subtract(1.0, factor, out=factor)
    g_minus = np.empty(n_groups)
    g_minus[0] = 1.0
    np.cumprod(factor[:-1], out=g_minus[1:])
    if time_zero == "crr" and starts_at_zero:
        # crr evaluates G at t (1 - 100 eps): the left limit for t > 0, but at t = 0
        # the value at 0 itself, after the censorings at time 0
        g_minus[0] = factor[0]
    del factor
    is_fail_group = np.zeros(n_groups, dtype=bool)
    is_fail_group[fail_groups] = True
    nfail_le = np.cumsum(is_fail_group, dtype=itype)
    del is_fail_group
    sbin = nfail_le[gid]
    del nfail_le
    # blocks of whole time groups, about _CHUNK subjects each
    cuts = [*np.unique(np.searchsorted(gid, gid[::_CHUNK], side="left")).tolist(), n]
    blocks = [(int(gid[lo]), lo, hi) for lo, hi in itertools.pairwise(cuts)]
    iu, ju = np.triu_indices(p)
    return _Prepared(
        x=xs,
        code=cs,
        gid=gid,
        sbin=sbin,
        g_minus=g_minus,
        d=d,
        xsum_events=xsum_events,
        g_minus_fail=g_minus[fail_groups],
        blocks=blocks,
        finegray_ties=censoring_ties == "finegray",
        has_psi=bool(np.any(cs == 0)) and bool(np.any(cs == 2)),
        xmax=xs.max(axis=0),
        xmin=xs.min(axis=0),
        iu=iu,
        ju=ju,
    )


def _at_risk(
    n: int, starts: np.ndarray, end: int, n_cens: np.ndarray, finegray: bool
) -> np.ndarray:
    """Risk set of the censoring Kaplan-Meier at consecutive distinct times (1 where empty).

    ``starts`` are the first sorted positions of the times; the last one's
    subjects end at position ``end``.
    """
    at_risk = (n - starts).astype(float)
    if finegray:  # the non-censored subjects at the time leave first
        at_risk -= np.diff(starts, append=end)
        at_risk += n_cens
    at_risk[at_risk <= 0] = 1.0  # only where no censoring happens
    return at_risk


def _suffix(a: np.ndarray) -> np.ndarray:
    """Inclusive suffix sums along axis 0."""
    return np.cumsum(a[::-1], axis=0)[::-1]


def _shift(prep: _Prepared, beta: np.ndarray) -> float:
    """``max_i x_i' beta`` (exactly: one covariate needs only its extremes)."""
    if beta.size == 1:
        b = float(beta[0])
        return max(float(prep.xmax[0]) * b, float(prep.xmin[0]) * b)
    return max(float((prep.x[lo:hi] @ beta).max()) for _, lo, hi in prep.blocks)


def _block_weights(
    prep: _Prepared, beta: np.ndarray, shift: float, g0: int, lo: int, hi: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``exp(x_i'beta - shift)``, that over ``G(T_i-)`` for competing (else 0), local gid."""
    e = prep.x[lo:hi] @ beta
    e -= shift
    np.exp(e, out=e)
    gl = prep.gid[lo:hi] - g0
    ec = prep.g_minus[g0:][gl]
    np.divide(e, ec, out=ec)
    ec[prep.code[lo:hi] != 2] = 0.0
    return e, ec, gl


@dataclass
class _Sums:
    shift: float
    s0: np.ndarray  # (nf,)
    xbar: np.ndarray  # (nf, p)
    loglik: float
    score: np.ndarray
    info: np.ndarray | None


def _risk_sums(prep: _Prepared, beta: np.ndarray, *, second: bool) -> _Sums:
    """Weighted risk-set sums at every failure time by the forward-backward scan.

    ``S_r(t) = sum_{T_j >= t} e_j x_j^r + G(t-) sum_{T_j < t, competing} e_j x_j^r / G(T_j-)``:
    each subject's terms are binned by the number of failure times ``<= T_j``
    (one pass over blocks of the sorted data), then a backward cumulative sum
    over the bins plus ``G(t-)`` times a forward cumulative sum of the
    competing subjects' bins.
    """
    x = prep.x
    p = x.shape[1]
    nf = prep.d.size
    iu, ju = prep.iu, prep.ju
    shift = _shift(prep, beta)
    ncol = 1 + p + (iu.size if second else 0)
    back = np.zeros((nf + 1, ncol))  # bin b: subjects with b failure times <= T_j
    fwd = np.zeros((nf + 1, ncol))
    buf = np.empty(min(_CHUNK, x.shape[0]))
    for g0, lo, hi in prep.blocks:
        e, ec, _ = _block_weights(prep, beta, shift, g0, lo, hi)
        sb = prep.sbin[lo:hi]
        b0 = int(sb[0])
        nb = int(sb[-1]) - b0 + 1
        loc = (sb - b0).astype(np.intp)
        m = hi - lo
        w = buf[:m] if m <= buf.size else np.empty(m)
        xc = x[lo:hi]
        back[b0 : b0 + nb, 0] += np.bincount(loc, e, nb)
        fwd[b0 : b0 + nb, 0] += np.bincount(loc, ec, nb)
        for c in range(1, ncol):
            if c <= p:
                np.copyto(w, xc[:, c - 1])
            else:
                np.multiply(xc[:, iu[c - 1 - p]], xc[:, ju[c - 1 - p]], out=w)
            back[b0 : b0 + nb, c] += np.bincount(loc, w * e, nb)
            w *= ec
            fwd[b0 : b0 + nb, c] += np.bincount(loc, w, nb)
    # S at failure time k: bins > k backwards, bins <= k forwards
    np.cumsum(back[::-1], axis=0, out=back[::-1])
    np.cumsum(fwd, axis=0, out=fwd)
    sums = back[1:]
    fwd = fwd[:nf]
    fwd *= prep.g_minus_fail[:, None]
    sums += fwd
    del fwd
    s0 = sums[:, 0].copy()
    xbar = sums[:, 1 : 1 + p] / s0[:, None]
    d = prep.d
    with np.errstate(divide="ignore"):
        log_s0 = np.log(s0)
    loglik = float(np.sum(prep.xsum_events @ beta) - np.sum(d * (log_s0 + shift)))
    del log_s0
    # centring x multiplies S_0 by exp(-c'beta) and shifts the event terms by the same
    # amount, so the loglik equals crr's on the original scale
    score = prep.xsum_events.sum(axis=0) - d @ xbar
    info = None
    if second:
        tri = np.empty(iu.size)
        for c in range(iu.size):
            v = sums[:, 1 + p + c] / s0
            v -= xbar[:, iu[c]] * xbar[:, ju[c]]
            tri[c] = d @ v
        info = np.empty((p, p))
        info[iu, ju] = tri
        info[ju, iu] = tri
    return _Sums(shift=shift, s0=s0, xbar=xbar, loglik=loglik, score=score, info=info)


def _robust_meat(prep: _Prepared, beta: np.ndarray, sums: _Sums) -> np.ndarray:
    """Sum over subjects of (eta_i + psi_i)(eta_i + psi_i)^T, as crr's crrvv, in O(n p^2).

    One pass over blocks of whole time groups; running sums carry the
    cumulative quantities across blocks.
    """
    x = prep.x
    n, p = x.shape
    nf = prep.d.size
    xbar = sums.xbar
    a = prep.d / sums.s0  # (nf,)
    # cumulative over failure times t_k <= T_i (row k: the first k failure times)
    cum_a = np.zeros(nf + 1)
    np.cumsum(a, out=cum_a[1:])
    cum_ax = np.zeros((nf + 1, p))
    np.multiply(a[:, None], xbar, out=cum_ax[1:])
    np.cumsum(cum_ax[1:], axis=0, out=cum_ax[1:])
    # suffix over failure times t_k > T_i (or >= u): row j means the sum over k >= j
    a *= prep.g_minus_fail
    suf_ag = np.zeros(nf + 1)
    suf_ag[:nf] = a
    np.cumsum(suf_ag[nf - 1 :: -1], out=suf_ag[nf - 1 :: -1])
    suf_agx = np.zeros((nf + 1, p))
    np.multiply(a[:, None], xbar, out=suf_agx[:nf])
    np.cumsum(suf_agx[nf - 1 :: -1], axis=0, out=suf_agx[nf - 1 :: -1])
    del a
    f0_carry = 0.0
    f1_carry = np.zeros(p)
    jump_carry = np.zeros(p)
    meat = np.zeros((p, p))
    for g0, lo, hi in prep.blocks:
        e, ec, gl = _block_weights(prep, beta, sums.shift, g0, lo, hi)
        xc = x[lo:hi]
        kc = prep.sbin[lo:hi]
        cc = prep.code[lo:hi]
        # score residual eta_i: an event's own failure time is number kc - 1
        ev = cc == 1
        resid = np.zeros_like(xc)
        resid[ev] = xc[ev] - xbar[kc[ev] - 1]
        resid -= e[:, None] * (xc * cum_a[kc][:, None] - cum_ax[kc])
        resid -= ec[:, None] * (xc * suf_ag[kc][:, None] - suf_agx[kc])
        if prep.has_psi:
            # censoring-distribution term psi_i, per time group of this block
            loc = np.flatnonzero(np.diff(gl, prepend=-1))
            f0 = np.add.reduceat(ec, loc)
            f1 = np.add.reduceat(xc * ec[:, None], loc, axis=0)
            # competing subjects with T_j < u: exclusive prefix, carried over blocks
            f0x = np.empty_like(f0)
            f0x[0] = f0_carry
            np.cumsum(f0[:-1], out=f0x[1:])
            f0x[1:] += f0_carry
            f1x = np.empty_like(f1)
            f1x[0] = f1_carry
            np.cumsum(f1[:-1], axis=0, out=f1x[1:])
            f1x[1:] += f1_carry
            f0_carry = float(f0x[-1] + f0[-1])
            f1_carry = f1x[-1] + f1[-1]
            # failure times < u: the count <= the previous subject's time
            k_lt = np.empty(loc.size, dtype=np.intp)
            k_lt[0] = prep.sbin[lo - 1] if lo > 0 else 0
            k_lt[1:] = kc[loc[1:] - 1]
            q = f1x * suf_ag[k_lt][:, None] - f0x[:, None] * suf_agx[k_lt]
            nc = np.add.reduceat(cc == 0, loc, dtype=np.intp)
            y = _at_risk(n, loc + lo, hi, nc, prep.finegray_ties)
            cum_jump = np.cumsum(q * (nc / y**2)[:, None], axis=0)
            cum_jump += jump_carry
            jump_carry = cum_jump[-1].copy()
            resid -= cum_jump[gl]
            cens = cc == 0
            resid[cens] += (q / y[:, None])[gl[cens]]
        meat += resid.T @ resid
    return meat


def _solve(info: np.ndarray, score: np.ndarray) -> np.ndarray | None:
    try:
        step = np.linalg.solve(info, score)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(step)):
        return None
    return step


def _inverse(m: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(m)
    except np.linalg.LinAlgError:
        return np.full_like(m, np.nan)


def _diverging_stop(
    sums: _Sums, beta: np.ndarray, sd: np.ndarray, loglik_before: float, tol: float
) -> bool:
    """Stop Newton-Raphson early under monotone likelihood.

    Either the log-likelihood has stopped changing (absolute change below
    ``1e-9 max(|loglik|, 1)``, coxph's rule) while the next step still moves a
    coefficient by more than 1 % (on the covariate's scale), or a coefficient
    is beyond 30 standard deviations of its covariate (a hazard ratio of
    ``e^30`` per SD), still pushed outwards, and every other coefficient has
    stopped moving (``sqrt(tol)``).  Iterating on would only push the
    diverging coefficient into round-off.
    """
    with np.errstate(all="ignore"):
        nxt = _solve(cast(np.ndarray, sums.info), sums.score)
    if nxt is None:
        return True
    scaled_step = np.abs(nxt) * sd
    scaled_beta = np.abs(beta) * sd
    if abs(sums.loglik - loglik_before) <= 1e-9 * max(abs(sums.loglik), 1.0):
        return bool(np.any(scaled_step > 1e-2 * np.maximum(scaled_beta, 1.0)))
    out = (scaled_beta > 30) & (nxt * beta > 0) & (scaled_step > 1e-2)
    settled = scaled_step <= math.sqrt(tol) * np.maximum(scaled_beta, 1.0)
    return bool(out.any() and np.all(out | settled))


def fine_gray(
    time: ArrayLike,
    status: ArrayLike | Sequence[Any],
    covariates: Any,
    *,
    cause: Any = 1,
    censor_code: Any = 0,
    confidence_level: float = 0.95,
    tol: float = 1e-9,
    max_iter: int = 50,
    variance: str = "robust",
    censoring_ties: str = "crr",
    time_zero: str = "crr",
) -> FineGrayResult:
    r"""Fine-Gray proportional subdistribution hazards regression.

    Fits :math:`\lambda_1(t \mid x) = \lambda_{10}(t) \exp(x^\top\beta)` for
    the subdistribution hazard of ``cause``, with the inverse-probability-of-
    censoring weighted pseudo-likelihood of Fine and Gray (1999), exactly as
    ``cmprsk::crr``; every Newton iteration costs O(n p^2) after one sort.

    Parameters
    ----------
    time : array_like, shape (n,)
        Follow-up times, finite and non-negative.
    status : array_like, shape (n,)
        Status codes: ``cause`` for the event of interest, ``censor_code`` for
        censored subjects, any other value for a competing event.
    covariates : array_like or pandas.DataFrame, shape (n,) or (n, p)
        Covariates (numeric, finite, no constant column).  Names are taken
        from DataFrame columns (or a named Series), else ``x1, x2, ...``.
    cause : scalar, default 1
        Code of the event of interest (crr's ``failcode``).
    censor_code : scalar, default 0
        Code of censoring (crr's ``cencode``).
    confidence_level : float, default 0.95
        Level of the intervals in the summary and the default of
        :meth:`FineGrayResult.confidence_interval`.
    tol : float, default 1e-9
        Convergence tolerance, with crr's rule (``gtol``): stop when
        ``max_j |U_j| max(|beta_j|, 1) < tol * max(|loglik|, 1)``.
    max_iter : int, default 50
        Maximum number of Newton-Raphson steps.
    variance : {"robust", "model"}, default "robust"
        Covariance used for the z statistics, P values and intervals:
        ``"robust"`` is crr's sandwich ``$var`` (what ``summary.crr`` uses),
        ``"model"`` the inverse information ``$invinf``.  Both are always
        returned (``se``, ``se_model``).
    censoring_ties : {"crr", "finegray"}, default "crr"
        Convention for the censoring Kaplan-Meier when a censoring time ties
        with an event time.  ``"crr"`` (as ``cmprsk::crr``): subjects with an
        event at that time are still in the censoring risk set.
        ``"finegray"`` (as ``survival::finegray``): they leave it first.  The
        two give identical results when no censoring time equals an event
        time.  With ``"finegray"`` the sandwich uses the same formula with
        that risk set (it has no R counterpart: ``coxph`` on the expanded
        data ignores the estimation of G).
    time_zero : {"crr", "left-limit"}, default "crr"
        Censoring survival used for subjects whose time is 0 when some
        subjects are censored at time 0.  ``"crr"`` (as ``cmprsk::crr``, which
        evaluates :math:`G` at :math:`t(1 - 100\epsilon)`, i.e. at 0 itself
        for :math:`t = 0`): :math:`G(0)`, after the time-0 censorings.
        ``"left-limit"``: the textbook :math:`G(0-) = 1`; it equals ``crr`` on
        the same data with every time shifted by a positive constant.  The two
        agree when no subject is censored at time 0 or no event happens at
        time 0.

    Returns
    -------
    FineGrayResult
        ``coef``, ``se`` (robust), ``se_model``, ``hazard_ratio``,
        ``statistic`` (z), ``pvalue``, ``var``, ``var_model``, ``loglik``,
        ``n_iter``, ``converged``, ``names``, ``summary``, and
        ``confidence_interval(confidence_level)``.

    Raises
    ------
    InvalidArgumentError
        Length mismatch, NaN or infinite values, negative times, a constant
        or collinear covariate column, no events of ``cause``, ``cause``
        equal to ``censor_code``, or bad tuning values.
    UnknownMethodError
        ``variance``, ``censoring_ties`` or ``time_zero`` is not one of the
        documented names.

    Warns
    -----
    FineGrayConvergenceWarning
        (a :class:`~gvhdstats.errors.ConvergenceWarning`) The iterations did
        not converge, or a coefficient is infinite (monotone likelihood: e.g.
        a group with no events of the cause, or a covariate that orders the
        events perfectly).  The result has ``converged=False``, the names in
        ``diverging``, and NaN z, P and confidence limits for those
        coefficients.

    Notes
    -----
    Let :math:`G` be the Kaplan-Meier estimate of the censoring
    distribution and :math:`G(t-)` its left limit.  A subject with a
    competing event at :math:`T_j < t` stays in the risk set at :math:`t`
    with weight :math:`w_j(t) = G(t-)/G(T_j-)`; other subjects have weight
    :math:`I(T_j \ge t)`.  With :math:`d_k` events at distinct times
    :math:`t_k` (Breslow ties) and :math:`S_r(t) = \sum_j w_j(t)
    e^{x_j^\top\beta} x_j^{\otimes r}`, the log pseudo-likelihood, score and
    information are

    .. math::

        \ell(\beta) = \sum_k \Big[\sum_{i \in D_k} x_i^\top\beta
            - d_k \log S_0(t_k)\Big], \quad
        U = \sum_k \Big[\sum_{i \in D_k} x_i - d_k \bar x(t_k)\Big], \quad
        I = \sum_k d_k \Big[\frac{S_2}{S_0} - \bar x \bar x^\top\Big](t_k).

    ``var_model`` is :math:`I^{-1}`; ``var`` is the sandwich
    :math:`I^{-1} \big[\sum_i (\eta_i + \psi_i)^{\otimes 2}\big] I^{-1}` of
    Fine and Gray, where :math:`\psi_i` accounts for the estimation of
    :math:`G`.  The risk-set sums split into a backward cumulative sum over
    :math:`T_j \ge t` and :math:`G(t-)` times a forward cumulative sum over
    competing events before :math:`t` (Kawaguchi et al. 2020), so all sums
    are cumulative sums over the sorted data; see ``docs/fine-gray.md``.

    Monotone likelihood is detected as ``coxph`` does: once the convergence
    rule is met, the next Newton step :math:`I^{-1}U` is computed; a
    coefficient whose step is not negligible (``|step_j| > sqrt(tol) *
    max(|beta_j|, 1)``; at a finite maximum it is of the order of ``tol``) is
    still being driven towards infinity by a likelihood that has stopped
    changing.  ``crr`` reports such fits as converged (or not) with a finite
    coefficient and a small robust standard error, hence a P value of 0; here
    the coefficient is flagged and its Wald P is NaN, since the Wald test is
    not valid for an infinite estimate.

    Equivalent R calls::

        cmprsk::crr(time, status, covariates, failcode = cause,
                    cencode = censor_code)
        # coef and var_model with censoring_ties = "finegray":
        fg <- survival::finegray(Surv(time, factor(status)) ~ ., data, etype = cause)
        coxph(Surv(fgstart, fgstop, fgstatus) ~ ., fg, weights = fgwt, ties = "breslow")

    References
    ----------
    .. [1] Fine JP, Gray RJ. A proportional hazards model for the
       subdistribution of a competing risk. J Am Stat Assoc 1999;94:496-509.
    .. [2] Kawaguchi ES, Shen JI, Suchard MA, Li G. A fast and scalable
       implementation method for competing risks data with the R package
       fastcmprsk. The R Journal 2020;12(2). doi:10.32614/RJ-2021-010.
    .. [3] Geskus RB. Cause-specific cumulative incidence estimation and the
       Fine and Gray model under both left truncation and right censoring.
       Biometrics 2011;67:39-49.

    Examples
    --------
    Twelve patients, a binary arm (1 = MSC), relapse (1) with non-relapse
    death (2) competing:

    >>> from gvhdstats import fine_gray
    >>> time = [2, 3, 3, 5, 6, 7, 8, 9, 11, 12, 14, 15]
    >>> status = [1, 2, 1, 0, 1, 2, 0, 1, 1, 0, 2, 1]
    >>> msc = [0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0]
    >>> res = fine_gray(time, status, msc)
    >>> res.coef, res.se
    (array([-0.331]), array([0.776]))
    >>> res.hazard_ratio, res.pvalue
    (array([0.718]), array([0.670]))

    ``crr(time, status, msc)`` prints the same coefficient (-0.331), standard
    error (0.7763) and P value (0.67).
    >>> res.summary_frame().columns.tolist()
    ['covariate', 'coef', 'hazard_ratio', 'se', 'se_model', 'z', 'pvalue', 'ci_low', 'ci_high']
    """
    variance = check_option(variance, "variance", tuple(VARIANCE_METHODS))
    censoring_ties = check_option(censoring_ties, "censoring_ties", tuple(CENSORING_TIES))
    time_zero = check_option(time_zero, "time_zero", tuple(TIME_ZERO))
    level = check_confidence_level(confidence_level)
    tol_f = _check_positive_number(tol, "tol")
    max_iter_i = _check_int(max_iter, "max_iter", 1)
    t = as_time_array(time)
    n = t.shape[0]
    s = _as_status(status, n)
    x, names = _as_covariates(covariates, n)
    labels = s.dtype == object
    cause = as_code(cause, "cause", labels=labels)
    censor_code = as_code(censor_code, "censor_code", labels=labels)
    if cause == censor_code:
        raise InvalidArgumentError(
            f"`cause` and `censor_code` must differ, but both are {cause!r}"
        )
    is_event = s == cause
    is_cens = s == censor_code
    if not np.any(is_event):
        raise InvalidArgumentError(
            f"`status` has no events of `cause` = {cause!r} (codes present: "
            f"{sorted(set(np.unique(s).tolist()), key=str)!r})"
        )
    code = np.full(n, 2, dtype=np.int8)
    code[is_event] = 1
    code[is_cens] = 0
    n_events = int(np.count_nonzero(is_event))
    n_censored = int(np.count_nonzero(is_cens))
    del s, is_event, is_cens
    p = x.shape[1]
    if p > 1 and np.linalg.matrix_rank(x - x.mean(axis=0)) < p:
        raise InvalidArgumentError(
            f"`covariates` columns {names!r} are linearly dependent (collinear); "
            "the coefficients are not identifiable"
        )

    prep = _prepare(t, code, x, censoring_ties, time_zero)
    sd = prep.x.std(axis=0)
    beta = np.zeros(p)
    sums = _risk_sums(prep, beta, second=True)
    loglik_null = sums.loglik
    converged = False
    n_iter = 0
    failure_note = ""
    while True:
        crit = np.max(np.abs(sums.score) * np.maximum(np.abs(beta), 1.0))
        if crit < tol_f * max(abs(sums.loglik), 1.0):
            converged = True
            break
        if n_iter >= max_iter_i:
            failure_note = f"no convergence after max_iter = {max_iter_i} steps"
            break
        step = _solve(cast(np.ndarray, sums.info), sums.score)
        if step is None:
            failure_note = "the information matrix became singular"
            break
        slope = float(step @ sums.score)
        # Armijo rule as crr, with an allowance for round-off in the loglik itself
        roundoff = 64.0 * np.finfo(float).eps * max(abs(sums.loglik), 1.0)
        accepted = None
        for _ in range(21):
            new_beta = beta + step
            trial = _risk_sums(prep, new_beta, second=False)
            ok = np.isfinite(trial.loglik) and (
                trial.loglik >= sums.loglik + 1e-4 * slope - roundoff
            )
            del trial  # only its loglik was needed
            if ok:
                accepted = new_beta
                break
            step = step * 0.5
            slope *= 0.5
        if accepted is None:
            failure_note = "the step-halving line search failed"
            break
        beta = accepted
        n_iter += 1
        loglik_before = sums.loglik
        del sums  # before the next one is built (peak memory)
        sums = _risk_sums(prep, beta, second=True)
        if _diverging_stop(sums, beta, sd, loglik_before, tol_f):
            failure_note = "monotone likelihood"
            break

    # monotone likelihood: the rule above is met (or the line search stalls) because the
    # score vanishes, but the Newton step still pushes a coefficient outwards (as coxph's
    # "coefficient may be infinite" check); steps are judged on the covariates' scale
    diverging: tuple[str, ...] = ()
    valid = np.full(p, converged)
    with np.errstate(all="ignore"):
        step = _solve(cast(np.ndarray, sums.info), sums.score)
        if step is None:
            grows = np.ones(p, dtype=bool)
        else:
            grows = np.abs(step) * sd > math.sqrt(tol_f) * np.maximum(np.abs(beta) * sd, 1.0)
    if grows.any():
        converged = False
        valid = ~grows
        diverging = tuple(nm for nm, g in zip(names, grows, strict=True) if g)
        failure_note = (
            f"monotone likelihood: {', '.join(diverging)} "
            f"{'is' if len(diverging) == 1 else 'are'} infinite"
        )
    if not converged:
        warnings.warn(
            f"fine_gray did not converge ({failure_note}); coefficients may be infinite "
            "(e.g. a group without events of the cause); the result has converged=False "
            "and NaN P values where they would not be valid",
            FineGrayConvergenceWarning,
            stacklevel=2,
        )
    info = sums.info if sums.info is not None else np.full((p, p), np.nan)
    var_model = _inverse(info)
    # the last iterate of a diverging fit sits where exp() over- and underflows
    quiet = np.errstate(all="ignore") if diverging else contextlib.nullcontext()
    with quiet:
        meat = _robust_meat(prep, beta, sums)
        var_robust = var_model @ meat @ var_model
    var_robust = (var_robust + var_robust.T) / 2.0
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(var_robust))
        se_model = np.sqrt(np.diag(var_model))
    se_used = se if variance == "robust" else se_model
    from scipy.special import ndtr

    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(valid, beta / se_used, np.nan)
    pvalue = 2.0 * ndtr(-np.abs(z))
    return FineGrayResult(
        coef=beta,
        se=se,
        se_model=se_model,
        hazard_ratio=np.exp(beta),
        statistic=z,
        pvalue=pvalue,
        var=var_robust,
        var_model=var_model,
        information=info,
        loglik=sums.loglik,
        loglik_null=loglik_null,
        n_iter=n_iter,
        converged=converged,
        names=names,
        variance=variance,
        confidence_level=level,
        n=n,
        n_events=n_events,
        n_competing=n - n_events - n_censored,
        n_censored=n_censored,
        cause=cause,
        diverging=diverging,
        time_zero=time_zero,
    )
