"""Cumulative incidence with competing risks from patient-level data.

:func:`cuminc` gives the Aalen-Johansen cumulative incidence function (CIF) of a
cause of interest per group, with the Aalen-type variance exactly as R
``cmprsk::cuminc`` computes it (or the delta-method variance), pointwise
confidence intervals on four scales, and Gray's K-sample test.
:func:`gray_test` gives Gray's test alone, equal to a row of
``cmprsk::cuminc(...)$Tests``.

Everything is vectorised with numpy: the data are sorted once (``np.unique``)
and every quantity is a cumulative sum or product over the distinct times, so
the cost is O(n log n) plus O(T G^3) for Gray's test with T distinct event
times and G groups.  Tied times are handled exactly (no jitter): events and
censorings at the same time are grouped, and subjects censored at ``t`` are at
risk at ``t``, as in cmprsk.

See ``docs/competing-risks.md`` for the formulas, references and benchmarks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from gvhdstats._validation import (
    as_code,
    as_column,
    as_status,
    as_time_array,
    check_confidence_level,
    check_no_missing,
    check_option,
    z_two_sided,
)
from gvhdstats.errors import InvalidArgumentError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "AT_COLUMNS",
    "CI_TRANSFORMS",
    "TABLE_COLUMNS",
    "VARIANCE_METHODS",
    "CumincResult",
    "GrayTestResult",
    "cuminc",
    "gray_test",
]

#: Variance estimators of the CIF accepted by :func:`cuminc`.
#: ``"aalen"`` is the one ``cmprsk::cuminc`` returns; ``"delta"`` is the
#: delta-method (Dinse-Larson / Marubini-Valsecchi, Greenwood-type) variance.
VARIANCE_METHODS = ("aalen", "delta")

#: Scales of the pointwise confidence interval (cmprsk gives none).
CI_TRANSFORMS = ("plain", "log", "log-log", "logit")

#: Fixed columns of :attr:`CumincResult.table`.
TABLE_COLUMNS = (
    "group",
    "cause",
    "time",
    "estimate",
    "variance",
    "ci_low",
    "ci_high",
    "n_risk",
    "n_event",
    "n_competing",
    "n_censor",
)

#: Columns of :meth:`CumincResult.at`.
AT_COLUMNS = ("group", "cause", "time", "estimate", "variance", "ci_low", "ci_high")


# --------------------------------------------------------------------------- #
# Result objects
# --------------------------------------------------------------------------- #
@dataclass(frozen=True, eq=False)
class GrayTestResult:
    """Gray's K-sample test that the cumulative incidence of a cause is equal across groups.

    Attributes
    ----------
    statistic : float
        ``s' V^{-1} s``; NaN when ``V`` is singular (cmprsk then reports -1).
    pvalue : float
        Upper tail of the chi-square distribution with ``df`` degrees of freedom.
    df : int
        Number of groups minus one.
    cause : object
        The cause tested.
    rho : float
        Power of the weight ``(1 - F(t-))^rho``.
    groups : tuple
        Group labels, sorted; the score belongs to all groups but the last.
    score : numpy.ndarray
        Score vector ``s`` (length ``df``), summed over strata.
    covariance : numpy.ndarray
        Estimated covariance matrix ``V`` of the score (``df`` x ``df``).
    n_strata : int
        Number of strata.
    """

    statistic: float
    pvalue: float
    df: int
    cause: Any
    rho: float
    groups: tuple
    score: np.ndarray = field(repr=False)
    covariance: np.ndarray = field(repr=False)
    n_strata: int = 1

    def __repr__(self) -> str:
        return (
            f"GrayTestResult(statistic={self.statistic!r}, pvalue={self.pvalue!r}, "
            f"df={self.df}, cause={self.cause!r}, rho={self.rho!r}, "
            f"groups={self.groups!r}, n_strata={self.n_strata})"
        )


@dataclass(frozen=True, eq=False)
class CumincResult:
    """Aalen-Johansen cumulative incidence per group, from :func:`cuminc`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group, cause and distinct observed time of that group
        (censoring times included), with columns :data:`TABLE_COLUMNS`:
        ``group``, ``cause``, ``time``, ``estimate`` (CIF at ``time``,
        right-continuous), ``variance``, ``ci_low``, ``ci_high``, ``n_risk``
        (at risk just before ``time``, censored at ``time`` included),
        ``n_event`` (events of ``cause``), ``n_competing`` (events of other
        causes) and ``n_censor``.  Sorted by cause, group, time.
    groups : tuple
        Group labels in output order (sorted unique labels).
    cause : object
        The cause of interest.
    causes : tuple
        Causes in the table (just ``cause``, or every event code with
        ``all_causes=True``, sorted).
    censor_code : object
        The status code of censored observations.
    variance_method : str
        ``"aalen"`` or ``"delta"``.
    transform : str
        Scale of the confidence interval.
    confidence_level : float
        Confidence level of ``ci_low``/``ci_high``.
    test : GrayTestResult or None
        Gray's test for ``cause`` when there are at least two groups.
    tests : pandas.DataFrame or None
        Gray's test for every cause in ``causes`` (columns ``cause``,
        ``statistic``, ``pvalue``, ``df``), like ``cuminc(...)$Tests``.
    """

    table: pd.DataFrame = field(repr=False)
    groups: tuple
    cause: Any
    causes: tuple
    censor_code: Any
    variance_method: str
    transform: str
    confidence_level: float
    test: GrayTestResult | None = None
    tests: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"CumincResult(groups={self.groups!r}, cause={self.cause!r}, "
            f"causes={self.causes!r}, n_rows={len(self.table)}, "
            f"variance_method={self.variance_method!r}, transform={self.transform!r}, "
            f"confidence_level={self.confidence_level!r}, test={self.test!r})"
        )

    def at(self, times: Any, *, cause: Any = None) -> pd.DataFrame:
        """Evaluate the CIF (and its variance and CI) at given times.

        The CIF is a right-continuous step function: at ``t`` it takes the
        value at the largest observed time ``<= t`` (0 before the first
        observed time), as ``cmprsk::timepoints`` does.  Beyond the last
        observed time (event or censoring) of a group the value is NaN
        (``timepoints`` gives NA).

        Parameters
        ----------
        times : array_like of float
            Times, finite and ``>= 0``; order and duplicates are kept.
        cause : optional
            Restrict to one cause of :attr:`causes`; default all of them.

        Returns
        -------
        pandas.DataFrame
            Columns ``group``, ``cause``, ``time``, ``estimate``,
            ``variance``, ``ci_low``, ``ci_high``; one row per cause, group
            and time (in that nesting order).

        Raises
        ------
        InvalidArgumentError
            If a time is negative or not finite, or ``cause`` is not in
            :attr:`causes`.
        """
        import pandas as pd

        tp = np.atleast_1d(np.asarray(times, dtype=float))
        if tp.ndim != 1:
            raise InvalidArgumentError(
                f"`times` must be one-dimensional, but got shape {tp.shape}"
            )
        bad = ~np.isfinite(tp) | (tp < 0)
        if bad.any():
            raise InvalidArgumentError(
                f"`times` must be finite and not less than 0, but got {tp[bad][0]!r}"
            )
        if cause is None:
            causes = self.causes
        else:
            if not any(_same(cause, c) for c in self.causes):
                raise InvalidArgumentError(
                    f"`cause` must be one of {list(self.causes)!r}, but got {cause!r}"
                )
            causes = (cause,)
        tab = self.table
        cols: dict[str, list] = {c: [] for c in AT_COLUMNS}
        tcol = tab["time"].to_numpy()
        gcol = tab["group"].to_numpy()
        ccol = tab["cause"].to_numpy()
        est = tab["estimate"].to_numpy()
        var = tab["variance"].to_numpy()
        lo = tab["ci_low"].to_numpy()
        hi = tab["ci_high"].to_numpy()
        for c in causes:
            for g in self.groups:
                sel = np.flatnonzero((ccol == c) & (gcol == g))
                t = tcol[sel]
                k = np.searchsorted(t, tp, side="right") - 1
                before = k < 0
                beyond = tp > t[-1]
                kk = np.where(before, 0, k)
                out = {}
                for name, arr, zero in (
                    ("estimate", est, 0.0),
                    ("variance", var, 0.0),
                    ("ci_low", lo, 0.0),
                    ("ci_high", hi, 0.0),
                ):
                    v = np.where(before, zero, arr[sel][kk])
                    out[name] = np.where(beyond, np.nan, v)
                cols["group"].append(np.full(tp.size, g, dtype=object))
                cols["cause"].append(np.full(tp.size, c, dtype=object))
                cols["time"].append(tp)
                for name in ("estimate", "variance", "ci_low", "ci_high"):
                    cols[name].append(out[name])
        data = {k: np.concatenate(v) if v else np.array([]) for k, v in cols.items()}
        return pd.DataFrame({k: data[k] for k in AT_COLUMNS})


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #
def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # pragma: no cover - exotic labels
        return False


def _as_status(status: Any, n: int) -> np.ndarray:
    return as_status(status, n, "status")


def _as_code(value: Any, name: str) -> int:
    return cast(int, as_code(value, name))


def _as_labels(values: Any, n: int, name: str) -> tuple[tuple, np.ndarray]:
    """Sorted unique labels and integer codes 0..k-1."""
    if values is None:
        return (1,), np.zeros(n, dtype=np.int64)
    v = as_column(values, n, name)
    check_no_missing(v, name)
    try:
        labels, codes = np.unique(v, return_inverse=True)
    except TypeError:
        raise InvalidArgumentError(
            f"`{name}` labels must be mutually comparable (all strings or all numbers), "
            f"but got {sorted({type(x).__name__ for x in v})}"
        ) from None
    return tuple(x.item() if isinstance(x, np.generic) else x for x in labels), codes.astype(
        np.int64
    ).ravel()


def _check_rho(rho: Any) -> float:
    try:
        r = float(rho)
    except (TypeError, ValueError):
        r = math.nan
    if not math.isfinite(r) or isinstance(rho, bool):
        raise InvalidArgumentError(f"`rho` must be a finite number, but got {rho!r}")
    return r


# --------------------------------------------------------------------------- #
# Core computations
# --------------------------------------------------------------------------- #
def _aalen_variance(rs, d1, d2, S, Sm, F) -> np.ndarray:
    """Aalen-type variance of the CIF at every row (cmprsk ``cinc``).

    V(t_j) = sum_{k<=j} (a_k - F(t_j) b_k)^2 w_k, summed in the expanded form
    v1 + F^2 v3 - 2 F v2 with one cumulative sum per coefficient, competing
    events before events of the cause at the same time (the order cmprsk
    uses).  The value changes only at event times of the cause.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = S > 0
        inv = np.divide(1.0, S, out=np.zeros_like(S), where=pos)
        rs2 = rs * rs
        sm2 = Sm * Sm
        # competing events: a = F/S, b = 1/S, weight with tie correction
        w2 = sm2 * np.where(d2 > 1, 1.0 - (d2 - 1.0) / (rs - 1.0), 1.0) * d2 / rs2
        c3 = inv * inv * w2
        c2 = F * c3
        c1 = F * c2
        # events of the cause: a = 1 + F/S, b = 1/S (b = 0 when S = 0)
        w1 = sm2 * np.where(d1 > 1, 1.0 - (d1 - 1.0) / (rs - 1.0), 1.0) * d1 / rs2
        a1 = 1.0 + inv * F
        e2 = inv * a1 * w1
        e1 = a1 * a1 * w1
        e3 = inv * inv * w1
    ok1 = d1 > 0
    v1 = np.cumsum(np.column_stack([c1, e1]).ravel())[1::2]
    v2 = np.cumsum(np.column_stack([c2, e2]).ravel())[1::2]
    v3 = np.cumsum(np.column_stack([c3, e3]).ravel())[1::2]
    var = v1 + F * F * v3 - 2.0 * F * v2
    # carry the value at the last event of the cause forward (0 before the first)
    idx = np.where(ok1, np.arange(F.size), -1)
    idx = np.maximum.accumulate(idx)
    return np.where(idx >= 0, var[np.maximum(idx, 0)], 0.0)


def _delta_variance(rs, d1, d2, Sm, F) -> np.ndarray:
    """Delta-method variance (Marubini & Valsecchi 1995; Pintilie 2006).

    Var F(t) = sum_{t_j<=t} { [F(t)-F(t_j)]^2 d_j/(n_j(n_j-d_j))
               + S(t_j-)^2 d1_j (n_j-d1_j)/n_j^3
               - 2 [F(t)-F(t_j)] S(t_j-) d1_j/n_j^2 },
    expanded in powers of F(t) and summed cumulatively.
    """
    d = d1 + d2
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where((d > 0) & (d < rs), d / (rs * (rs - d)), 0.0)
        second = Sm * Sm * d1 * (rs - d1) / (rs * rs * rs)
        u = Sm * d1 / (rs * rs)
    A = np.cumsum(w)
    B = np.cumsum(w * F)
    C = np.cumsum(w * F * F)
    D = np.cumsum(second)
    U = np.cumsum(u)
    UF = np.cumsum(u * F)
    return F * F * A - 2.0 * F * B + C + D - 2.0 * (F * U - UF)


def _ci(F: np.ndarray, var: np.ndarray, transform: str, level: float):
    z = z_two_sided(level)
    se = np.sqrt(np.maximum(var, 0.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if transform == "plain":
            lo = np.clip(F - z * se, 0.0, 1.0)
            hi = np.clip(F + z * se, 0.0, 1.0)
        elif transform == "log":
            q = np.exp(z * se / F)
            lo = F / q
            hi = np.minimum(F * q, 1.0)
        elif transform == "log-log":
            logf = np.log(F)
            q = np.exp(z * se / np.abs(F * logf))
            lo = F**q
            hi = F ** (1.0 / q)
        else:  # logit
            lg = np.log(F / (1.0 - F))
            h = z * se / (F * (1.0 - F))
            lo = 1.0 / (1.0 + np.exp(-(lg - h)))
            hi = 1.0 / (1.0 + np.exp(-(lg + h)))
    zero = F == 0
    lo = np.where(zero, 0.0, lo)
    hi = np.where(zero, 0.0, hi)
    flat = (se == 0) & ~zero
    lo = np.where(flat, F, lo)
    hi = np.where(flat, F, hi)
    if transform in ("log-log", "logit"):
        one = (F >= 1.0) & ~flat
        lo = np.where(one, np.nan, lo)
        hi = np.where(one, np.nan, hi)
    return lo, hi


@dataclass
class _Prepared:
    time: np.ndarray
    status: np.ndarray
    groups: tuple
    gcode: np.ndarray
    codes: np.ndarray  # sorted unique status codes
    scode: np.ndarray  # index into codes
    censor_code: int
    tu: np.ndarray  # sorted distinct times
    tinv: np.ndarray  # index of each time in tu


def _prepare(time, status, group, censor_code) -> _Prepared:
    t = as_time_array(time)
    s = _as_status(status, t.size)
    cc = _as_code(censor_code, "censor_code")
    groups, gcode = _as_labels(group, t.size, "group")
    codes, scode = np.unique(s, return_inverse=True)
    tu, tinv = np.unique(t, return_inverse=True)
    return _Prepared(t, s, groups, gcode, codes, scode.ravel(), cc, tu, tinv.ravel())


def _counts(key: np.ndarray, scode: np.ndarray, nk: int, n_keys: int):
    """Present keys (sorted) and a (rows, nk) matrix of status-code counts.

    ``key`` takes values in ``0..n_keys-1``; counting is dense (one bincount)
    when that range is small compared with the data, else goes through a sort.
    """
    if n_keys * nk <= 2 * key.size + 4096:
        dense = np.bincount(key * nk + scode, minlength=n_keys * nk).reshape(n_keys, nk)
        ukey = np.flatnonzero(_rowsum(dense))
        return ukey, dense[ukey]
    ukey, inv = np.unique(key, return_inverse=True)
    cnt = np.bincount(inv.ravel() * nk + scode, minlength=ukey.size * nk).reshape(ukey.size, nk)
    return ukey, cnt


def _cuminc_tables(
    p: _Prepared, causes: Sequence[int], variance: str, transform: str, level: float
) -> pd.DataFrame:
    import pandas as pd

    tu = p.tu
    T = tu.size
    nk = p.codes.size
    key = p.gcode * T + p.tinv
    ukey, cnt = _counts(key, p.scode, nk, len(p.groups) * T)
    grow = ukey // T
    trow = tu[ukey % T]
    nobs = _rowsum(cnt)
    cens_col = np.flatnonzero(p.codes == p.censor_code)
    ncens = cnt[:, cens_col[0]] if cens_col.size else np.zeros(ukey.size, dtype=np.int64)
    nall = nobs - ncens
    bounds = np.searchsorted(grow, np.arange(len(p.groups) + 1))

    # per group: risk sets and overall Kaplan-Meier (shared by all causes)
    per_group = []
    for gi in range(len(p.groups)):
        lo, hi = bounds[gi], bounds[gi + 1]
        nob = nobs[lo:hi]
        rs = np.cumsum(nob[::-1])[::-1].astype(float)
        d = nall[lo:hi].astype(float)
        S = np.cumprod((rs - d) / rs)
        Sm = np.concatenate(([1.0], S[:-1]))
        per_group.append((lo, hi, rs, d, S, Sm))

    parts: dict[str, list] = {c: [] for c in TABLE_COLUMNS}
    for cause in causes:
        ccol = np.flatnonzero(p.codes == cause)
        d1all = cnt[:, ccol[0]] if ccol.size else np.zeros(ukey.size, dtype=np.int64)
        for gi, g in enumerate(p.groups):
            lo, hi, rs, d, S, Sm = per_group[gi]
            d1 = d1all[lo:hi].astype(float)
            d2 = d - d1
            F = np.cumsum(Sm * d1 / rs)
            if variance == "aalen":
                var = _aalen_variance(rs, d1, d2, S, Sm, F)
            else:
                var = _delta_variance(rs, d1, d2, Sm, F)
            cl, ch = _ci(F, var, transform, level)
            m = hi - lo
            parts["group"].append(np.full(m, g))
            parts["cause"].append(np.full(m, cause, dtype=np.int64))
            parts["time"].append(trow[lo:hi])
            parts["estimate"].append(F)
            parts["variance"].append(var)
            parts["ci_low"].append(cl)
            parts["ci_high"].append(ch)
            parts["n_risk"].append(rs.astype(np.int64))
            parts["n_event"].append(d1all[lo:hi].astype(np.int64))
            parts["n_competing"].append((nall[lo:hi] - d1all[lo:hi]).astype(np.int64))
            parts["n_censor"].append(ncens[lo:hi].astype(np.int64))
    # the concatenated arrays are fresh: no need for pandas to copy them again
    return pd.DataFrame({c: np.concatenate(parts[c]) for c in TABLE_COLUMNS}, copy=False)


def _rowsum(x: np.ndarray) -> np.ndarray:
    """Sum over the (short) group axis, column by column (fast for few groups)."""
    out = x[:, 0].copy()
    for k in range(1, x.shape[1]):
        out += x[:, k]
    return out


def _tsum_outer(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """sum over t and k of X[i, t, k] * Y[j, t, k] (einsum: no BLAS threads)."""
    return np.einsum("itk,jtk->ij", X, Y)


@dataclass
class _GrayBase:
    """Cause-independent quantities of one stratum, at times with any event."""

    ev: np.ndarray  # rows (distinct times) of the stratum with an event of any cause
    rs: np.ndarray  # (T, G) at risk
    pos: np.ndarray  # rs > 0
    safe_rs: np.ndarray
    skm: np.ndarray  # group Kaplan-Meier (all causes), right-continuous
    skmm: np.ndarray  # its left limit
    safe_skmm: np.ndarray
    td: np.ndarray  # events of any cause
    h: np.ndarray  # rs / skmm
    tr: np.ndarray  # sum of h over groups


def _gray_base(nobs: np.ndarray, nev: np.ndarray) -> _GrayBase:
    rs_all = np.cumsum(nobs[::-1], axis=0)[::-1]
    ev = _rowsum(nev) > 0
    rs = rs_all[ev].astype(float)
    td = nev[ev].astype(float)
    pos = rs > 0
    safe_rs = np.where(pos, rs, 1.0)
    skm = np.cumprod(np.where(pos, (rs - td) / safe_rs, 1.0), axis=0)
    skmm = np.ones_like(skm)  # no event in the stratum: empty, and the test adds nothing
    skmm[1:] = skm[:-1]
    safe_skmm = np.where(pos, skmm, 1.0)
    h = np.where(pos, rs / safe_skmm, 0.0)
    tr = _rowsum(h)
    return _GrayBase(ev, rs, pos, safe_rs, skm, skmm, safe_skmm, td, h, tr)


def _gray_stratum(b: _GrayBase, d1_rows: np.ndarray, rho: float):
    """Score and covariance of Gray's test in one stratum.

    ``d1_rows`` are the (T_all, G) counts of events of the cause over the
    distinct times of the stratum.  Follows the quantities of Gray (1988) as
    computed by cmprsk's ``crst``: group KM ``skm`` (left limit ``skmm``),
    group CIF (left limit ``f1m``), ``h_k = n_k / S_k(t-)``, ``tr = sum h``,
    pooled CIF ``f`` with increments ``d1 / tr``, weight ``(1 - f(t-))^rho``.
    Arrays indexed by score row come first: ``a[i, t, k]``.
    """
    G = b.rs.shape[1]
    g1 = G - 1
    if b.rs.shape[0] == 0:
        return np.zeros(g1), np.zeros((g1, g1))
    pos, rs, skm, skmm, h, tr = b.pos, b.rs, b.skm, b.skmm, b.h, b.tr
    safe_rs, safe_skmm = b.safe_rs, b.safe_skmm
    d1 = d1_rows[b.ev].astype(float)
    d2 = b.td - d1
    nd1 = _rowsum(d1)

    with np.errstate(divide="ignore", invalid="ignore"):
        inc = np.where(pos, skmm * d1 / safe_rs, 0.0)
        f1 = np.cumsum(inc, axis=0)
        f1m = np.empty_like(f1)
        f1m[0] = 0.0
        f1m[1:] = f1[:-1]
        tq = _rowsum(np.where(pos, rs * (1.0 - f1m) / safe_skmm, 0.0))
        f = np.cumsum(nd1 / tr)
        fm = np.empty_like(f)
        fm[0] = 0.0
        fm[1:] = f[:-1]
        fb = (1.0 - fm) ** rho

        # a_t = fb (diag(h) - h h' / tr) for the first G-1 rows, laid out (i, t, k)
        hT = h[:, :g1].T  # (g1, T)
        a = -(fb / tr)[None, :, None] * (hT[:, :, None] * h[None, :, :])
        for i in range(g1):
            a[i, :, i] += fb * h[:, i]
        step = np.where(nd1 > 0, nd1 / (tr * (1.0 - fm)), 0.0)
        c = np.cumsum(a * step[None, :, None], axis=1)

        # score
        sc = d1[:, :g1] - nd1[:, None] * rs[:, :g1] * (1.0 - f1m[:, :g1]) / (
            safe_skmm[:, :g1] * tq[:, None]
        )
        score = (fb[:, None] * np.where(pos[:, :g1], sc, 0.0)).sum(axis=0)

        # variance: events of the cause
        skm_pos = skm > 0
        safe_skm = np.where(skm_pos, skm, 1.0)
        t4 = np.where(skm_pos, 1.0 - (1.0 - f)[:, None] / safe_skm, 1.0)
        t5 = np.where(
            nd1[:, None] > 1, 1.0 - (nd1[:, None] - 1.0) / (tr[:, None] * skmm - 1.0), 1.0
        )
        t3 = np.where(pos, t5 * skmm * nd1[:, None] / (tr[:, None] * safe_rs), 0.0)
        Bm = a - t4[None] * c
        v3 = np.einsum("tk,tk->k", t4 * t4, t3)
        v2 = np.einsum("itk,tk->ik", Bm, t4 * t3)
        V = _tsum_outer(Bm * t3[None], Bm)

        # variance: competing events
        m2 = skm_pos & (d2 > 0)
        u4 = np.where(m2, (1.0 - f)[:, None] / safe_skm, 0.0)
        u5 = np.where(d2 > 1, 1.0 - (d2 - 1.0) / (safe_rs - 1.0), 1.0)
        u3 = np.where(m2, u5 * (skmm * skmm) * d2 / (safe_rs * safe_rs), 0.0)
        w = u4 * u4 * u3
        v3 = v3 + w.sum(axis=0)
        cw = c * w[None]
        v2 = v2 - np.einsum("itk->ik", cw)
        V = V + _tsum_outer(cw, c)

    cT = c[:, -1, :]  # (g1, G)
    V = V + (cT * v3) @ cT.T + cT @ v2.T + v2 @ cT.T
    return score, V


def _full_rank(V: np.ndarray) -> bool:
    """Rank check in the spirit of R's ``qr`` (LINPACK, tolerance 1e-7)."""
    if not np.all(np.isfinite(V)):
        return False
    norms = np.sqrt((V * V).sum(axis=0))
    if np.any(norms == 0):
        return False
    r = np.linalg.qr(V, mode="r")
    return bool(np.all(np.abs(np.diag(r)) >= 1e-7 * norms))


def _gray_layout(p: _Prepared, strata_codes: np.ndarray, n_strata: int):
    """Counts per (stratum, distinct time) row, group and status code, and stratum bounds."""
    G = len(p.groups)
    nk = p.codes.size
    T = p.tu.size
    key = strata_codes * T + p.tinv
    ukey, inv = np.unique(key, return_inverse=True)
    R = ukey.size
    cnt = np.bincount((inv.ravel() * G + p.gcode) * nk + p.scode, minlength=R * G * nk)
    cnt = cnt.reshape(R, G, nk)
    bounds = np.searchsorted(ukey // T, np.arange(n_strata + 1))
    cens = np.flatnonzero(p.codes == p.censor_code)
    nobs = cnt.sum(axis=2)
    nev = nobs - cnt[:, :, cens[0]] if cens.size else nobs
    bases = [
        _gray_base(nobs[bounds[j] : bounds[j + 1]], nev[bounds[j] : bounds[j + 1]])
        for j in range(n_strata)
    ]
    return cnt, nobs, bases, bounds


def _gray(p: _Prepared, cause: int, rho: float, layout, n_strata: int) -> GrayTestResult:
    from scipy.special import chdtrc

    G = len(p.groups)
    cnt, nobs, bases, bounds = layout
    k = np.flatnonzero(p.codes == cause)
    d1all = cnt[:, :, k[0]] if k.size else np.zeros_like(nobs)
    score = np.zeros(G - 1)
    cov = np.zeros((G - 1, G - 1))
    for j in range(n_strata):
        lo, hi = bounds[j], bounds[j + 1]
        s, v = _gray_stratum(bases[j], d1all[lo:hi], rho)
        score = score + s
        cov = cov + v
    df = G - 1
    if _full_rank(cov):
        stat = float(score @ np.linalg.solve(cov, score))
        pval = float(chdtrc(df, stat))
    else:
        stat = math.nan
        pval = math.nan
    return GrayTestResult(
        statistic=stat,
        pvalue=pval,
        df=df,
        cause=cause,
        rho=rho,
        groups=p.groups,
        score=score,
        covariance=cov,
        n_strata=n_strata,
    )


# --------------------------------------------------------------------------- #
# Public functions
# --------------------------------------------------------------------------- #
def cuminc(
    time: Any,
    status: Any,
    group: Any = None,
    *,
    cause: int = 1,
    censor_code: int = 0,
    variance: str = "aalen",
    transform: str = "log-log",
    confidence_level: float = 0.95,
    strata: Any = None,
    rho: float = 0.0,
    all_causes: bool = False,
) -> CumincResult:
    r"""Aalen-Johansen cumulative incidence of a cause, per group, with Gray's test.

    Parameters
    ----------
    time : array_like of float
        Follow-up times, finite and ``>= 0``.
    status : array_like of int
        Status codes: ``censor_code`` for censored, ``cause`` for the cause of
        interest, any other integer for a competing cause.
    group : array_like, optional
        Group labels (strings or numbers, not mixed).  Output order is the
        sorted unique labels (R's factor-level order for numbers and for
        ASCII strings in the C locale).  Default: one group labelled ``1``.
    cause : int, default 1
        The cause of interest.  It need not occur in ``status`` (the CIF is
        then 0 everywhere and Gray's statistic NaN).
    censor_code : int, default 0
        Code of censored observations (R's ``cencode``).
    variance : {"aalen", "delta"}, default "aalen"
        ``"aalen"``: the Aalen-type variance of ``cmprsk::cuminc``;
        ``"delta"``: the delta-method (Greenwood-type) variance.
    transform : {"plain", "log", "log-log", "logit"}, default "log-log"
        Scale of the pointwise confidence interval (see Notes).
    confidence_level : float, default 0.95
        Confidence level of ``ci_low``/``ci_high``.
    strata : array_like, optional
        Strata for Gray's test (R's ``strata``); the CIFs ignore them.
    rho : float, default 0
        Power of the weight of Gray's test (R's ``rho``).
    all_causes : bool, default False
        Also estimate the CIF of every other event code (and test them).

    Returns
    -------
    CumincResult
        ``.table`` (columns ``group``, ``cause``, ``time``, ``estimate``,
        ``variance``, ``ci_low``, ``ci_high``, ``n_risk``, ``n_event``,
        ``n_competing``, ``n_censor``), ``.at(times)``, ``.groups``,
        ``.test`` (:class:`GrayTestResult` for ``cause`` when there are two
        or more groups, else None) and ``.tests``.

    Raises
    ------
    InvalidArgumentError
        If lengths differ, a time is negative, NaN or infinite, a status code
        is not an integer, a label is missing, ``cause == censor_code``, or
        ``confidence_level`` / ``rho`` is out of range.
    UnknownMethodError
        If ``variance`` or ``transform`` is not one of the documented names.

    Notes
    -----
    With distinct times :math:`t_j`, at risk :math:`n_j`, events of the cause
    :math:`d_{1j}`, all events :math:`d_j` and overall Kaplan-Meier
    :math:`S`, the Aalen-Johansen estimator is

    .. math:: F(t) = \sum_{t_j \le t} S(t_{j-1})\, d_{1j} / n_j .

    The Aalen variance (cmprsk) is
    :math:`V(t)=\sum_{t_j\le t}(a_j - F(t) b_j)^2 w_j` where, for events of
    the cause, :math:`a_j = 1 + F(t_j)/S(t_j)`, :math:`b_j = 1/S(t_j)`,
    :math:`w_j = S(t_{j-1})^2 (1-\frac{d_{1j}-1}{n_j-1}) d_{1j}/n_j^2`,
    and for competing events :math:`a_j = F(t_j)/S(t_j)`, :math:`b_j =
    1/S(t_j)` with the same weight in :math:`d_{2j}`.  The delta-method
    variance is given in ``docs/competing-risks.md``.  Confidence intervals
    with :math:`z = \Phi^{-1}((1+\text{level})/2)`, :math:`\sigma=\sqrt V`:

    * plain: :math:`F \pm z\sigma`, clipped to [0, 1];
    * log: :math:`F e^{\pm z\sigma/F}`, upper bound capped at 1;
    * log-log: :math:`F^{\exp(\pm z\sigma/(F\log F))}` (the interval for
      :math:`\log(-\log F)`, as SAS ``PROC LIFETEST`` and lifelines);
    * logit: :math:`\operatorname{expit}(\operatorname{logit}F \pm
      z\sigma/(F(1-F)))`.

    Where :math:`F = 0` the interval is [0, 0]; where :math:`\sigma = 0` it
    is [F, F]; at :math:`F = 1` the log-log and logit intervals are NaN.

    Equivalent R call (estimates and variances; cmprsk gives no interval)::

        library(cmprsk)
        fit <- cuminc(ftime = time, fstatus = status, group = group,
                      strata = strata, rho = 0, cencode = 0)
        timepoints(fit, times)  # $est, $var
        fit$Tests

    References
    ----------
    .. [1] Aalen, O. O. and Johansen, S. (1978). An empirical transition
       matrix for non-homogeneous Markov chains based on censored
       observations. Scand. J. Statist. 5, 141-150.
    .. [2] Gray, R. J. (1988). A class of K-sample tests for comparing the
       cumulative incidence of a competing risk. Ann. Statist. 16, 1141-1154.
    .. [3] Marubini, E. and Valsecchi, M. G. (1995). Analysing Survival Data
       from Clinical Trials and Observational Studies. Wiley.
    .. [4] Pintilie, M. (2006). Competing Risks: A Practical Perspective.
       Wiley.

    Examples
    --------
    Ten patients, cause 1 = chronic GVHD, cause 2 = death without cGVHD:

    >>> from gvhdstats import cuminc
    >>> time = [2, 3, 3, 5, 6, 7, 8, 8, 9, 12]
    >>> status = [1, 2, 1, 0, 1, 2, 1, 0, 0, 1]
    >>> res = cuminc(time, status)
    >>> res.table[["time", "estimate", "n_risk", "n_event", "n_competing"]].head(4)
       time  estimate  n_risk  n_event  n_competing
    0   2.0  0.100000      10        1            0
    1   3.0  0.200000       9        1            1
    2   5.0  0.200000       7        0            0
    3   6.0  0.316667       6        1            0
    >>> res.at([4, 12, 13])[["time", "estimate", "variance"]]
       time  estimate  variance
    0   4.0  0.200000  0.017901
    1  12.0  0.783333  0.144457
    2  13.0       NaN       NaN

    The same numbers from R: ``timepoints(cuminc(time, status), c(4, 12, 13))``
    gives est 0.2000000, 0.7833333, NA and var 0.01790123, 0.14445734, NA.
    """
    p = _prepare(time, status, group, censor_code)
    ca = _as_code(cause, "cause")
    if ca == p.censor_code:
        raise InvalidArgumentError(
            f"`cause` must differ from `censor_code` ({p.censor_code}), but got {cause!r}"
        )
    variance = check_option(variance, "variance", VARIANCE_METHODS)
    transform = check_option(transform, "transform", CI_TRANSFORMS)
    level = check_confidence_level(confidence_level)
    r = _check_rho(rho)
    if all_causes:
        others = [int(c) for c in p.codes if c != p.censor_code and c != ca]
        causes = tuple(sorted({ca, *others}))
    else:
        causes = (ca,)
    table = _cuminc_tables(p, causes, variance, transform, level)

    test = None
    tests = None
    if len(p.groups) >= 2:
        import pandas as pd

        _, scodes = _as_labels(strata, p.time.size, "strata")
        n_strata = int(scodes.max()) + 1 if scodes.size else 1
        layout = _gray_layout(p, scodes, n_strata)
        results = {c: _gray(p, c, r, layout, n_strata) for c in causes}
        test = results[ca]
        tests = pd.DataFrame(
            {
                "cause": list(results),
                "statistic": [v.statistic for v in results.values()],
                "pvalue": [v.pvalue for v in results.values()],
                "df": [v.df for v in results.values()],
            }
        )
    elif strata is not None:
        _as_labels(strata, p.time.size, "strata")
    return CumincResult(
        table=table,
        groups=p.groups,
        cause=ca,
        causes=causes,
        censor_code=p.censor_code,
        variance_method=variance,
        transform=transform,
        confidence_level=level,
        test=test,
        tests=tests,
    )


def gray_test(
    time: Any,
    status: Any,
    group: Any,
    *,
    cause: int = 1,
    rho: float = 0.0,
    strata: Any = None,
    censor_code: int = 0,
) -> GrayTestResult:
    r"""Gray's K-sample test for equal cumulative incidence of a cause across groups.

    Parameters
    ----------
    time : array_like of float
        Follow-up times, finite and ``>= 0``.
    status : array_like of int
        Status codes (``censor_code`` censored, ``cause`` the cause tested,
        other codes competing).
    group : array_like
        Group labels (at least two distinct); the score is reported for all
        groups but the last in sorted label order, as in cmprsk.
    cause : int, default 1
        The cause whose cumulative incidence is compared.
    rho : float, default 0
        Power of the weight :math:`(1-\hat F_0(t-))^\rho` (R's ``rho``).
    strata : array_like, optional
        Strata: scores and variances are summed over strata.
    censor_code : int, default 0
        Code of censored observations (R's ``cencode``).

    Returns
    -------
    GrayTestResult
        ``statistic``, ``pvalue``, ``df`` and the ``score`` vector and
        ``covariance`` matrix.

    Raises
    ------
    InvalidArgumentError
        For invalid data (see :func:`cuminc`), fewer than two groups, or
        ``cause == censor_code``.

    Notes
    -----
    For group :math:`k` at an event time, let :math:`n_k` be the number at
    risk, :math:`S_k(t-)` the group's overall Kaplan-Meier, :math:`F_k(t-)`
    its CIF, :math:`R_k = n_k (1-F_k(t-))/S_k(t-)` and :math:`d_{1k}` its
    events of the cause.  The score is

    .. math:: s_k = \sum_t (1-\hat F_0(t-))^\rho
              \Big(d_{1k} - d_1 \frac{R_k}{\sum_l R_l}\Big),

    with :math:`\hat F_0` the pooled CIF whose increments are
    :math:`d_1/\sum_l n_l/S_l(t-)`.  The covariance is Gray's (1988)
    estimator (as coded in cmprsk's ``crstm``); the statistic
    :math:`s^\top V^{-1} s` (first :math:`K-1` groups) is chi-square with
    :math:`K-1` df.  The P value is the exact upper tail (``chdtrc``), not
    ``1 - pchisq``, so P below ~1e-16 differs from cmprsk's 0.  When
    :math:`V` is singular the statistic and P are NaN (cmprsk: -1 and 1).

    Equivalent R call::

        cmprsk::cuminc(time, status, group, strata, rho = rho,
                       cencode = censor_code)$Tests[as.character(cause), ]

    References
    ----------
    .. [1] Gray, R. J. (1988). A class of K-sample tests for comparing the
       cumulative incidence of a competing risk. Ann. Statist. 16, 1141-1154.
    .. [2] Pintilie, M. (2006). Competing Risks: A Practical Perspective.
       Wiley, section 5.2.

    Examples
    --------
    >>> from gvhdstats import gray_test
    >>> time = [1, 2, 3, 4, 5, 6, 1, 2, 2, 3, 4, 5]
    >>> status = [1, 0, 1, 2, 0, 0, 1, 1, 1, 2, 1, 0]
    >>> arm = ["MSC"] * 6 + ["control"] * 6
    >>> res = gray_test(time, status, arm)
    >>> res.df, res.groups
    (1, ('MSC', 'control'))
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f}")  # R: 0.8354 0.3607
    0.8354 0.3607
    """
    p = _prepare(time, status, group, censor_code)
    ca = _as_code(cause, "cause")
    if ca == p.censor_code:
        raise InvalidArgumentError(
            f"`cause` must differ from `censor_code` ({p.censor_code}), but got {cause!r}"
        )
    if group is None or len(p.groups) < 2:
        raise InvalidArgumentError(
            f"`group` must have at least two distinct labels, but got {list(p.groups)!r}"
        )
    r = _check_rho(rho)
    _, scodes = _as_labels(strata, p.time.size, "strata")
    n_strata = int(scodes.max()) + 1
    return _gray(p, ca, r, _gray_layout(p, scodes, n_strata), n_strata)
