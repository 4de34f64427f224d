r"""Meta-analysis: pooling 2x2 tables or effect estimates across studies.

:func:`meta_analysis` pools per-study 2x2 tables (odds ratio, risk ratio,
risk difference) or per-study effects with standard errors (hazard ratios,
generic effects) by inverse variance (fixed or random effects with one of
eight tau^2 estimators, optionally with the Hartung-Knapp-Sidik-Jonkman
adjustment), by Mantel-Haenszel or by Peto's method, and returns a
:class:`MetaResult`.  Every number is the one R's metafor gives
(``escalc``, ``rma``, ``rma.mh``, ``rma.peto``, ``confint``, ``predict``);
the iterative tau^2 estimators are solved to the exact root (see Notes of
:func:`meta_analysis`).  ``docs/meta-analysis.md`` has the formulas and the
map to metafor, meta, RevMan 5 and Stata metan.

The module is pure statistics: it knows nothing of printed numbers or records
(:mod:`gvhdstats.checks.meta` compares printed pooled results with it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from gvhdstats._validation import check_confidence_level, check_option, show_value
from gvhdstats.errors import InvalidArgumentError, InvalidCountError, InvalidIntervalError
from gvhdstats.methods._results import ConfidenceInterval

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CONTINUITY_RULES",
    "MEASURES",
    "METHODS",
    "R_CALLS",
    "TAU2_ESTIMATORS",
    "MetaResult",
    "meta_analysis",
    "study_effects",
]

#: Effect measures: from 2x2 tables ("OR", "RR", "RD") or from per-study
#: effects ("HR" and ratio-scale "OR"/"RR" from estimate and CI, "generic").
MEASURES = ("OR", "RR", "RD", "HR", "generic")
_RATIO = frozenset({"OR", "RR", "HR"})
#: Random-effects tau^2 estimators, with metafor's names.
TAU2_ESTIMATORS = ("DL", "REML", "ML", "PM", "SJ", "HS", "HE", "EB")
#: Every pooling method.
METHODS = ("fixed", "mantel-haenszel", "peto", *TAU2_ESTIMATORS)
#: Zero-cell continuity rules (metafor ``escalc(to = ...)``).
CONTINUITY_RULES = ("only0", "all", "if0all", "none")
#: The R call giving the same numbers, per method.
R_CALLS = {
    "fixed": 'metafor::rma(yi, vi, method = "FE")',
    "mantel-haenszel": "metafor::rma.mh(ai, n1i, ci, n2i, measure)",
    "peto": "metafor::rma.peto(ai, n1i, ci, n2i)",
    **{m: f'metafor::rma(yi, vi, method = "{m}")' for m in TAU2_ESTIMATORS},
}

_ROOT_XTOL = 1e-15


def _norm_sf2(z: float) -> float:
    """Two-sided normal P value ``2 (1 - Phi(|z|))``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def _t_sf2(t: float, df: float) -> float:
    from scipy.special import stdtr

    return float(2.0 * stdtr(df, -abs(t)))


def _z_crit(level: float) -> float:
    from scipy.special import ndtri

    return float(ndtri(0.5 + level / 2.0))


def _t_crit(level: float, df: float) -> float:
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.5 + level / 2.0))


# ------------------------------------------------------------------ inputs


def _as_tables(tables: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate ``[((events, total), (events, total)), ...]`` into int arrays a, n1, c, n2."""
    if isinstance(tables, np.ndarray) and tables.ndim == 2 and tables.shape[1] == 4:
        rows = [((r[0], r[1]), (r[2], r[3])) for r in tables.tolist()]
    elif isinstance(tables, str) or not isinstance(tables, Sequence | np.ndarray):
        raise InvalidArgumentError(
            "`tables` must be a sequence of ((events, total), (events, total)) per study, "
            f"but got {show_value(tables)}"
        )
    else:
        rows = list(tables)
    if not rows:
        raise InvalidArgumentError("`tables` must hold at least one study, but got none")
    out = np.empty((len(rows), 4), dtype=np.int64)
    for i, row in enumerate(rows):
        try:
            (x1, t1), (x2, t2) = row
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"`tables[{i}]` must be ((events, total), (events, total)), but got {row!r}"
            ) from None
        for j, (name, val) in enumerate(
            (("events", x1), ("total", t1), ("events", x2), ("total", t2))
        ):
            arm = "treatment" if j < 2 else "control"
            if isinstance(val, bool) or not isinstance(val, int | np.integer):
                if isinstance(val, float) and val.is_integer():
                    val = int(val)
                else:
                    raise InvalidCountError(
                        f"`tables[{i}]` {arm} {name} must be an integer count, but got {val!r}"
                    )
            out[i, j] = int(val)
        if out[i, 1] < 1 or out[i, 3] < 1:
            raise InvalidCountError(
                f"`tables[{i}]` arm totals must be at least 1, but got {row!r}"
            )
        if not (0 <= out[i, 0] <= out[i, 1]) or not (0 <= out[i, 2] <= out[i, 3]):
            raise InvalidCountError(
                f"`tables[{i}]` events must lie between 0 and the arm total, but got {row!r}"
            )
    return out[:, 0], out[:, 1], out[:, 2], out[:, 3]


def _as_effects(effects: object, measure: str, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-study ``(y, se)`` or ``(ratio, low, high)`` into analysis-scale y and variance v."""
    if isinstance(effects, str) or not isinstance(effects, Sequence | np.ndarray):
        raise InvalidArgumentError(
            "`effects` must be a sequence of (estimate, se) or (ratio, ci_low, ci_high) per "
            f"study, but got {show_value(effects)}"
        )
    rows = list(effects)
    if not rows:
        raise InvalidArgumentError("`effects` must hold at least one study, but got none")
    z = _z_crit(level)
    y = np.empty(len(rows))
    v = np.empty(len(rows))
    for i, row in enumerate(rows):
        try:
            vals = [float(x) for x in row]
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"`effects[{i}]` must be (estimate, se) or (ratio, ci_low, ci_high), got {row!r}"
            ) from None
        if len(vals) == 2:
            est, se = vals
            if not (math.isfinite(est) and math.isfinite(se)) or se <= 0:
                raise InvalidArgumentError(
                    f"`effects[{i}]` must have a finite estimate and a positive SE, got {row!r}"
                )
            y[i], v[i] = est, se * se
        elif len(vals) == 3:
            est, lo, hi = vals
            if measure not in _RATIO:
                raise InvalidArgumentError(
                    f"`effects[{i}]` as (estimate, ci_low, ci_high) needs a ratio measure "
                    f"(OR, RR, HR), but measure is {measure!r}; give (estimate, se) instead"
                )
            if not (0 < lo <= est <= hi < math.inf):
                raise InvalidIntervalError(
                    f"`effects[{i}]` must be a ratio with its CI, 0 < ci_low <= estimate <= "
                    f"ci_high, but got {row!r}"
                )
            if lo == hi:
                raise InvalidIntervalError(f"`effects[{i}]` has a CI of width zero: {row!r}")
            y[i] = math.log(est)
            se = (math.log(hi) - math.log(lo)) / (2.0 * z)
            v[i] = se * se
        else:
            raise InvalidArgumentError(
                f"`effects[{i}]` must be (estimate, se) or (ratio, ci_low, ci_high), got {row!r}"
            )
    return y, v


def study_effects(
    tables: object,
    *,
    measure: str,
    correction: float = 0.5,
    add_to: str = "only0",
    drop_double_zero: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Per-study effects ``y`` and sampling variances ``v`` from 2x2 tables.

    Parameters
    ----------
    tables : sequence of ((int, int), (int, int))
        Per study ``((events, total) treatment, (events, total) control)``.
    measure : {"OR", "RR", "RD"}
        Log odds ratio, log risk ratio or risk difference.
    correction : float
        Continuity correction added to the four cells (metafor ``add``).
    add_to : {"only0", "all", "if0all", "none"}
        Which studies get the correction (metafor ``to``): those with a zero
        cell, all, all if any study has a zero cell, none.
    drop_double_zero : bool
        Drop studies with no events (or only events) in both arms
        (metafor ``drop00``).

    Returns
    -------
    y, v : numpy.ndarray
        NaN for a dropped study or one whose effect is not computable
        (a zero cell without correction).

    Notes
    -----
    With cells :math:`a, b, c, d` after the correction and
    :math:`n_1 = a + b`, :math:`n_2 = c + d`:
    :math:`\log OR = \log(ad/bc)`, :math:`v = 1/a + 1/b + 1/c + 1/d`;
    :math:`\log RR = \log(a/n_1) - \log(c/n_2)`,
    :math:`v = 1/a - 1/n_1 + 1/c - 1/n_2`;
    :math:`RD = a/n_1 - c/n_2`, :math:`v = ab/n_1^3 + cd/n_2^3`.
    R: ``metafor::escalc(measure, ai, n1i = n1i, ci = ci, n2i = n2i,
    add = correction, to = add_to, drop00 = drop_double_zero)``.

    Examples
    --------
    >>> y, v = study_effects([((0, 20), (0, 21)), ((5, 30), (2, 29))], measure="OR")
    >>> round(float(y[1]), 6), round(float(v[1]), 6)
    (0.993252, 0.777037)
    """
    measure = check_option(measure, "measure", ("OR", "RR", "RD"))
    add_to = check_option(add_to, "add_to", CONTINUITY_RULES)
    corr = _check_correction(correction)
    a, n1, c, n2 = _as_tables(tables)
    return _escalc(a, n1, c, n2, measure, corr, add_to, bool(drop_double_zero))


def _check_correction(correction: object) -> float:
    if isinstance(correction, bool) or not isinstance(correction, int | float):
        raise InvalidArgumentError(f"`correction` must be a number >= 0, got {correction!r}")
    corr = float(correction)
    if not math.isfinite(corr) or corr < 0:
        raise InvalidArgumentError(f"`correction` must be a number >= 0, got {correction!r}")
    return corr


def _escalc(
    a: np.ndarray,
    n1: np.ndarray,
    c: np.ndarray,
    n2: np.ndarray,
    measure: str,
    corr: float,
    add_to: str,
    drop00: bool,
) -> tuple[np.ndarray, np.ndarray]:
    a = a.astype(float)
    c = c.astype(float)
    b = n1 - a
    d = n2 - c
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    if add_to == "only0":
        add = np.where(zero, corr, 0.0)
    elif add_to == "all":
        add = np.full(a.shape, corr)
    elif add_to == "if0all":
        add = np.full(a.shape, corr if zero.any() else 0.0)
    else:
        add = np.zeros(a.shape)
    a, b, c, d = a + add, b + add, c + add, d + add
    m1, m2 = a + b, c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            y = np.log(a) + np.log(d) - np.log(b) - np.log(c)
            v = 1 / a + 1 / b + 1 / c + 1 / d
        elif measure == "RR":
            y = np.log(a) - np.log(m1) - np.log(c) + np.log(m2)
            v = 1 / a - 1 / m1 + 1 / c - 1 / m2
        else:
            y = a / m1 - c / m2
            v = a * b / m1**3 + c * d / m2**3
    bad = ~(np.isfinite(y) & np.isfinite(v))
    if drop00:
        bad |= ((a - add) == 0) & ((c - add) == 0) | ((b - add) == 0) & ((d - add) == 0)
    y = np.where(bad, np.nan, y)
    v = np.where(bad, np.nan, v)
    return y, v


# ------------------------------------------------------------- estimators


def _fe(y: np.ndarray, v: np.ndarray) -> tuple[float, float, np.ndarray]:
    w = 1.0 / v
    sw = w.sum()
    mu = float((w * y).sum() / sw)
    q = float((w * (y - mu) ** 2).sum())
    return mu, q, w


def _q_gen(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    w = 1.0 / (v + tau2)
    mu = (w * y).sum() / w.sum()
    return float((w * (y - mu) ** 2).sum())


def _decreasing_root(f, f0: float, scale: float) -> float:
    """Root in (0, inf) of a function positive at 0 that becomes negative."""
    from scipy.optimize import brentq

    hi = max(scale, 1e-4)
    fhi = f(hi)
    while fhi > 0:
        hi *= 4.0
        fhi = f(hi)
        if hi > 1e12:  # pragma: no cover - every estimating equation turns negative
            raise InvalidArgumentError("tau^2 estimating equation has no root below 1e12")
    return float(brentq(f, 0.0, hi, xtol=_ROOT_XTOL, rtol=4 * np.finfo(float).eps, maxiter=500))


def _tau2(y: np.ndarray, v: np.ndarray, method: str, q_fixed: float, w_fe: np.ndarray) -> float:
    k = y.size
    if k < 2:
        return 0.0
    if method == "DL":
        sw = w_fe.sum()
        return max(0.0, (q_fixed - (k - 1)) / (sw - (w_fe**2).sum() / sw))
    if method == "HS":
        return max(0.0, (q_fixed - k) / w_fe.sum())
    if method == "HE":
        return max(0.0, float(((y - y.mean()) ** 2).sum() / (k - 1) - v.sum() / k))
    if method == "SJ":
        tau0 = float(((y - y.mean()) ** 2).sum() / k)
        if tau0 <= 0:
            return 0.0
        u = tau0 / (v + tau0)
        mu = (u * y).sum() / u.sum()
        return float((u * (y - mu) ** 2).sum() / (k - 1))
    scale = float(np.var(y)) + float(np.mean(v))
    if method in ("PM", "EB"):

        def f(t: float) -> float:
            return _q_gen(y, v, t) - (k - 1)

        f0 = q_fixed - (k - 1)
        return 0.0 if f0 <= 0 else _decreasing_root(f, f0, scale)
    reml = method == "REML"

    def score(t: float) -> float:
        w = 1.0 / (v + t)
        sw = w.sum()
        mu = (w * y).sum() / sw
        s = float((w * w * (y - mu) ** 2).sum() - sw)
        if reml:
            s += float((w * w).sum() / sw)
        return s

    s0 = score(0.0)
    return 0.0 if s0 <= 0 else _decreasing_root(score, s0, scale)


def _qprofile(y: np.ndarray, v: np.ndarray, q: float, level: float) -> tuple[float, float]:
    """Q-profile CI of tau^2 (Viechtbauer 2007), as metafor's ``confint``."""
    from scipy.special import chdtri

    k = y.size
    if k < 2:
        return (math.nan, math.nan)
    df = k - 1
    alpha = 1.0 - level
    upper_q = float(chdtri(df, alpha / 2))  # chi2 quantile 1 - alpha/2
    lower_q = float(chdtri(df, 1 - alpha / 2))
    scale = float(np.var(y)) + float(np.mean(v))

    def bound(target: float) -> float:
        if q <= target:
            return 0.0
        return _decreasing_root(lambda t: _q_gen(y, v, t) - target, q - target, scale)

    return bound(upper_q), bound(lower_q)


# ------------------------------------------------------------------ result


@dataclass(frozen=True, repr=False)
class MetaResult:
    """Result of :func:`meta_analysis` (scipy-style).

    Attributes
    ----------
    measure, method : str
        As passed (``method`` in :data:`METHODS`).
    knha : bool
        Whether the Hartung-Knapp-Sidik-Jonkman adjustment was used.
    estimate : float
        Pooled effect, on the ratio scale for OR/RR/HR (``exp`` of
        :attr:`coefficient`), else on the raw scale.
    coefficient, se : float
        Pooled effect and its standard error on the analysis scale (log for
        ratios), metafor's ``b`` and ``se``.
    confidence_interval : ConfidenceInterval
        CI of :attr:`estimate` (ratio scale for ratios).
    statistic : float
        z (or t with ``knha``); :attr:`df` is ``k - 1`` for t, else None.
    pvalue : float
        Two-sided P of the pooled effect.
    tau2 : float
        Between-study variance (0 for fixed, MH and Peto).
    tau2_ci, i2_ci, h2_ci : ConfidenceInterval
        Q-profile CIs of tau^2, I^2 and H^2 (metafor ``confint``).
    i2 : float
        I^2 in percent; h2 : H^2.
    q, q_df, q_pvalue : float, int, float
        Cochran's Q (about the fixed-effect, MH or Peto estimate), its
        degrees of freedom and P.
    prediction_interval : ConfidenceInterval
        Prediction interval of a new study's effect (equals the CI for the
        fixed-effect methods), on the scale of :attr:`estimate`.
    k : int
        Studies in the analysis (after dropped ones).
    yi, vi : numpy.ndarray
        Per-study effects (analysis scale) and variances, NaN where dropped.
    weights : numpy.ndarray
        Per-study weights in percent (0 where dropped).
    confidence_level : float
    dropped : tuple of int
        Indices of studies not in the analysis.
    """

    measure: str
    method: str
    knha: bool
    estimate: float
    coefficient: float
    se: float
    confidence_interval: ConfidenceInterval
    statistic: float
    pvalue: float
    df: int | None
    tau2: float
    tau2_ci: ConfidenceInterval
    i2: float
    i2_ci: ConfidenceInterval
    h2: float
    h2_ci: ConfidenceInterval
    q: float
    q_df: int
    q_pvalue: float
    prediction_interval: ConfidenceInterval
    k: int
    yi: np.ndarray = field(repr=False)
    vi: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    confidence_level: float = 0.95
    dropped: tuple[int, ...] = ()
    correction: float = 0.5
    add_to: str = "only0"

    @property
    def is_ratio(self) -> bool:
        """Whether :attr:`estimate` is a ratio (OR, RR, HR)."""
        return self.measure in _RATIO

    def study_intervals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-study effect and CI bounds on the scale of :attr:`estimate`."""
        z = _z_crit(self.confidence_level)
        with np.errstate(invalid="ignore"):
            se = np.sqrt(self.vi)
        lo, hi = self.yi - z * se, self.yi + z * se
        if self.is_ratio:
            return np.exp(self.yi), np.exp(lo), np.exp(hi)
        return self.yi.copy(), lo, hi

    def to_frame(self, labels: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-study rows and a ``pooled`` row.

        Columns ``study``, ``estimate``, ``ci_low``, ``ci_high``, ``yi``,
        ``vi``, ``weight`` (percent); the pooled row has the pooled
        estimate, its CI and weight 100.
        """
        import pandas as pd

        n = self.yi.size
        if labels is None:
            labels = [f"study {i + 1}" for i in range(n)]
        elif len(labels) != n:
            raise InvalidArgumentError(f"`labels` must have {n} entries, got {len(labels)}")
        est, lo, hi = self.study_intervals()
        rows = [
            {
                "study": str(labels[i]),
                "estimate": float(est[i]),
                "ci_low": float(lo[i]),
                "ci_high": float(hi[i]),
                "yi": float(self.yi[i]),
                "vi": float(self.vi[i]),
                "weight": float(self.weights[i]),
            }
            for i in range(n)
        ]
        rows.append(
            {
                "study": "pooled",
                "estimate": self.estimate,
                "ci_low": float(self.confidence_interval.low),
                "ci_high": float(self.confidence_interval.high),
                "yi": self.coefficient,
                "vi": self.se**2,
                "weight": 100.0,
            }
        )
        cols = ["study", "estimate", "ci_low", "ci_high", "yi", "vi", "weight"]
        return pd.DataFrame(rows, columns=cols)

    def __repr__(self) -> str:
        ci = self.confidence_interval
        stat = "t" if self.knha else "z"
        return (
            f"MetaResult(measure={self.measure!r}, method={self.method!r}, knha={self.knha}, "
            f"k={self.k}, estimate={self.estimate:.6g}, "
            f"ci=({float(ci.low):.6g}, {float(ci.high):.6g}), {stat}={self.statistic:.6g}, "
            f"pvalue={self.pvalue:.6g}, tau2={self.tau2:.6g}, i2={self.i2:.6g}, "
            f"q={self.q:.6g})"
        )


# ----------------------------------------------------------------- pooling


def _mh(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray, measure: str
) -> tuple[float, float, np.ndarray]:
    """Mantel-Haenszel estimate (analysis scale), its SE and the MH weights.

    The formulas of :func:`gvhdstats.methods.stratified.mantel_haenszel`, on
    float arrays: RevMan's variant pools cells corrected by 0.5, which that
    function (integer counts) does not take.
    """
    a = a.astype(float)
    c = c.astype(float)
    n1 = n1.astype(float)
    n2 = n2.astype(float)
    b, d = n1 - a, n2 - c
    n = n1 + n2
    if measure == "OR":
        r = a * d / n
        s = b * c / n
        rs, ss = r.sum(), s.sum()
        p = (a + d) / n
        qq = (b + c) / n
        var = (p * r).sum() / (2 * rs**2) + (p * s + qq * r).sum() / (2 * rs * ss)
        var += (qq * s).sum() / (2 * ss**2)
        with np.errstate(divide="ignore"):
            return float(np.log(rs / ss)), math.sqrt(var), s
    if measure == "RR":
        r = a * n2 / n
        s = c * n1 / n
        rs, ss = r.sum(), s.sum()
        var = ((n1 * n2 * (a + c) - a * c * n) / n**2).sum() / (rs * ss)
        with np.errstate(divide="ignore"):
            return float(np.log(rs / ss)), math.sqrt(var), s
    # risk difference: Greenland & Robins (1985) estimate, Sato (1989) variance
    w = n1 * n2 / n
    sw = w.sum()
    rd = float(((a * n2 - c * n1) / n).sum() / sw)
    pp = ((n1**2 * c - n2**2 * a + n1 * n2 * (n2 - n1) / 2) / n**2).sum()
    qq = ((a * (n2 - c) + c * (n1 - a)) / (2 * n)).sum()
    var = (rd * pp + qq) / sw**2
    return rd, math.sqrt(var), w


def _peto(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray
) -> tuple[float, float, np.ndarray, np.ndarray, float, np.ndarray, np.ndarray]:
    a = a.astype(float)
    n1 = n1.astype(float)
    n2 = n2.astype(float)
    n = n1 + n2
    m1 = a + c
    m2 = n - m1
    oe = a - n1 * m1 / n
    with np.errstate(invalid="ignore", divide="ignore"):
        var = n1 * n2 * m1 * m2 / (n**2 * (n - 1))
    var = np.where(n > 1, var, 0.0)
    keep = var > 0
    sv = var[keep].sum()
    est = float(oe[keep].sum() / sv)
    q = float((oe[keep] ** 2 / var[keep]).sum() - oe[keep].sum() ** 2 / sv)
    with np.errstate(invalid="ignore", divide="ignore"):
        yi = np.where(keep, oe / var, np.nan)
        vi = np.where(keep, 1.0 / var, np.nan)
    return est, 1.0 / math.sqrt(sv), var, keep, q, yi, vi


def _heterogeneity_fixed(q: float, k: int) -> tuple[float, float]:
    """I^2 (percent) and H^2 from Q for the fixed-effect methods (metafor's convention)."""
    if k < 2:
        return 0.0, 1.0
    i2 = max(0.0, 100.0 * (q - (k - 1)) / q) if q > 0 else 0.0
    return i2, q / (k - 1)


def _pool(
    y: np.ndarray,
    v: np.ndarray,
    method: str,
    knha: bool,
    level: float,
    *,
    mh: tuple[float, float, np.ndarray] | None = None,
    peto: tuple | None = None,
    q_center: float | None = None,
    qprofile: bool = True,
) -> dict[str, Any]:
    """Pool effects; ``y``/``v`` may hold NaN (dropped studies)."""
    ok = np.isfinite(y) & np.isfinite(v)
    yk, vk = y[ok], v[ok]
    k = int(yk.size)
    out: dict[str, Any] = {}
    if method == "peto":
        est, se, var, keep, q, yi, vi = cast(tuple, peto)
        kq = int(keep.sum())
        w = np.where(keep, var, 0.0)
        weights = 100 * w / w.sum()
        i2, h2 = _heterogeneity_fixed(q, kq)
        out.update(b=est, se=se, tau2=0.0, q=q, q_df=max(kq - 1, 0), i2=i2, h2=h2)
        out.update(weights=weights, k=int(y.size), yi=yi, vi=vi, tau2_ci=(math.nan, math.nan))
        ok = keep
    elif method == "mantel-haenszel":
        est, se, w = cast(tuple, mh)
        q = float(((yk - est) ** 2 / vk).sum()) if k else 0.0
        i2, h2 = _heterogeneity_fixed(q, k)
        out.update(b=est, se=se, tau2=0.0, q=q, q_df=max(k - 1, 0), i2=i2, h2=h2)
        out.update(weights=100 * w / w.sum(), k=int(y.size), yi=y, vi=v)
        out["tau2_ci"] = (math.nan, math.nan)
    else:
        if k < 1:
            raise InvalidArgumentError(
                "no study has a computable effect (zero cells without correction?)"
            )
        if (vk <= 0).any():
            bad = [int(i) for i in np.flatnonzero(ok)[vk <= 0]]
            raise InvalidArgumentError(
                f"studies {bad} have a sampling variance of zero (all or no events in both "
                "arms of a risk difference without continuity correction); use `add_to`"
            )
        _mu_fe, q, w_fe = _fe(yk, vk)
        if q_center is not None:  # Q about another pooled estimate (RevMan/meta Q.Cochrane)
            q = float((w_fe * (yk - q_center) ** 2).sum())
        if method == "fixed":
            tau2 = 0.0
            i2, h2 = _heterogeneity_fixed(q, k)
        else:
            tau2 = _tau2(yk, vk, method, q, w_fe)
            sw = w_fe.sum()
            s2 = (k - 1) * sw / (sw**2 - (w_fe**2).sum()) if k > 1 else math.nan
            if k > 1:
                i2 = 100.0 * tau2 / (tau2 + s2)
                h2 = (tau2 + s2) / s2
            else:
                i2, h2 = 0.0, 1.0
        w = 1.0 / (vk + tau2)
        sw = w.sum()
        mu = float((w * yk).sum() / sw)
        se = math.sqrt(1.0 / sw)
        if knha and k > 1:
            s2w = float((w * (yk - mu) ** 2).sum() / (k - 1))
            se = math.sqrt(s2w / sw)
        weights = np.zeros(y.size)
        weights[ok] = 100 * w / sw
        out.update(b=mu, se=se, tau2=tau2, q=q, q_df=max(k - 1, 0), i2=i2, h2=h2)
        out.update(weights=weights, k=k, yi=y, vi=v)
        if qprofile and method != "fixed":
            out["tau2_ci"] = _qprofile(yk, vk, _fe(yk, vk)[1], level)
        elif qprofile:
            out["tau2_ci"] = _qprofile(yk, vk, q, level)
        else:
            out["tau2_ci"] = (math.nan, math.nan)
        if k > 1:
            sw_fe = w_fe.sum()
            out["s2"] = (k - 1) * sw_fe / (sw_fe**2 - (w_fe**2).sum())
    b, se = out["b"], out["se"]
    use_t = knha and method in (*TAU2_ESTIMATORS, "fixed") and out["k"] > 1
    df = out["k"] - 1 if use_t else None
    stat = b / se
    if df is not None:
        crit = _t_crit(level, df)
        p = _t_sf2(stat, df)
    else:
        crit = _z_crit(level)
        p = _norm_sf2(stat)
    out.update(statistic=stat, pvalue=p, df=df, crit=crit)
    out["ci"] = (b - crit * se, b + crit * se)
    if method in TAU2_ESTIMATORS:
        half = crit * math.sqrt(se * se + out["tau2"])
        out["pi"] = (b - half, b + half)
    else:
        out["pi"] = out["ci"]
    from scipy.special import chdtrc

    out["q_pvalue"] = float(chdtrc(out["q_df"], out["q"])) if out["q_df"] > 0 else 1.0
    out["dropped"] = tuple(int(i) for i in np.flatnonzero(~ok))
    return out


def meta_analysis(
    tables: object = None,
    *,
    effects: object = None,
    measure: str,
    method: str,
    knha: bool = False,
    correction: float = 0.5,
    add_to: str = "only0",
    drop_double_zero: bool = False,
    mh_correction: bool = False,
    cochrane_q: bool = False,
    confidence_level: float = 0.95,
) -> MetaResult:
    r"""Pool per-study 2x2 tables or effects into one estimate.

    Parameters
    ----------
    tables : sequence of ((int, int), (int, int)), optional
        Per study ``((events, total) treatment, (events, total) control)``;
        measures "OR", "RR", "RD".
    effects : sequence, optional
        Per study ``(estimate, se)`` on the analysis scale (log for ratios)
        or, for ratio measures, ``(ratio, ci_low, ci_high)`` with the SE of
        the log ratio taken from the CI,
        :math:`(\log U - \log L) / (2 z_{1-\alpha/2})`; measures "HR",
        "OR", "RR" (ratios) and "generic".
    measure : {"OR", "RR", "RD", "HR", "generic"}
    method : str
        "fixed" (inverse variance), "mantel-haenszel", "peto", or a
        random-effects tau^2 estimator: "DL", "REML", "ML", "PM", "SJ",
        "HS", "HE", "EB" (metafor's names).
    knha : bool
        Hartung-Knapp-Sidik-Jonkman adjustment: SE
        :math:`\sqrt{\sum w_i (y_i - \hat\mu)^2 / ((k-1) \sum w_i)}` and
        t(k - 1) quantiles (metafor ``test = "knha"``, unmodified).
    correction, add_to, drop_double_zero : float, str, bool
        Zero-cell rule for the per-study effects (see :func:`study_effects`;
        metafor ``add``, ``to``, ``drop00``).  Mantel-Haenszel and Peto pool
        the raw counts; their Q uses effects with ``drop_double_zero=True``
        as ``rma.mh`` and ``rma.peto`` do.
    mh_correction : bool
        For "mantel-haenszel": drop double-zero studies and add
        ``correction`` to every cell of studies with a zero cell before the
        MH sums (R meta ``MH.exact = FALSE``, RevMan 5, Stata metan);
        False is metafor's exact ``rma.mh``.
    cochrane_q : bool
        For "DL" with tables: compute Cochran's Q about the Mantel-Haenszel
        estimate (with ``mh_correction``) instead of the inverse-variance
        one, as RevMan 5 does for dichotomous random-effects analyses
        (R meta ``Q.Cochrane = TRUE``).
    confidence_level : float

    Returns
    -------
    MetaResult

    Raises
    ------
    InvalidArgumentError
        Neither or both of ``tables`` and ``effects``, a measure that does
        not fit the input, or no study with a computable effect.
    InvalidCountError
        Bad counts.
    UnknownMethodError
        ``method``, ``measure`` or ``add_to`` not among the documented names.

    Notes
    -----
    Inverse variance: :math:`w_i = 1/(v_i + \hat\tau^2)`,
    :math:`\hat\mu = \sum w_i y_i / \sum w_i`,
    :math:`SE = (\sum w_i)^{-1/2}`.  With fixed-effect weights
    :math:`w_i = 1/v_i`, :math:`Q = \sum w_i (y_i - \hat\mu_{FE})^2` on
    :math:`k - 1` df.  tau^2 estimators (Viechtbauer et al. 2015):
    DL :math:`\max(0, (Q - (k-1))/(\sum w - \sum w^2/\sum w))`;
    HS :math:`\max(0, (Q - k)/\sum w)`; HE
    :math:`\max(0, \sum (y_i - \bar y)^2/(k-1) - \sum v_i / k)`;
    SJ :math:`\tau_0^2 \sum u_i (y_i - \hat\mu_u)^2/(k-1)` with
    :math:`\tau_0^2 = \sum (y_i - \bar y)^2 / k`, :math:`u_i = \tau_0^2/(v_i +
    \tau_0^2)`; PM and EB: the root of :math:`Q(\tau^2) = k - 1` (the two are
    identical); ML and REML: the root of the (restricted) likelihood score
    :math:`\sum w_i^2 (y_i - \hat\mu)^2 - \sum w_i\,(+ \sum w_i^2/\sum w_i)`,
    0 when the score is negative at 0.  Roots are bracketed and solved by
    Brent's method to 1e-15 (metafor's defaults stop earlier; the R
    fixtures use ``control = list(threshold = 1e-12, tol = 1e-12)``).
    :math:`I^2 = 100\,\tau^2/(\tau^2 + s^2)`, :math:`H^2 = (\tau^2 + s^2)/s^2`,
    :math:`s^2 = (k-1)\sum w/((\sum w)^2 - \sum w^2)`; for "fixed", MH and
    Peto :math:`I^2 = 100 \max(0, (Q - (k - 1))/Q)`, :math:`H^2 = Q/(k-1)`.
    Prediction interval :math:`\hat\mu \pm c \sqrt{SE^2 + \hat\tau^2}` with
    c the normal (or, with ``knha``, t(k - 1)) quantile.  The Q-profile CI of
    tau^2 solves :math:`Q(\tau^2) = \chi^2_{k-1}` quantiles (Viechtbauer 2007).
    Mantel-Haenszel: odds ratio with the Robins-Breslow-Greenland variance,
    risk ratio with the Greenland-Robins variance, risk difference with the
    Sato variance.  Peto: :math:`\sum (O - E) / \sum V`, SE
    :math:`(\sum V)^{-1/2}`.

    Equivalent R: see :data:`R_CALLS`, e.g. ``metafor::rma(yi, vi,
    method = "REML", test = "knha")`` after ``escalc``.

    References
    ----------
    DerSimonian R, Laird N. Control Clin Trials 1986;7:177-188.
    Viechtbauer W. Stat Med 2007;26:37-52 (Q-profile).
    Viechtbauer W, et al. Res Synth Methods 2015;6:195-205.
    Knapp G, Hartung J. Stat Med 2003;22:2693-2710.
    Robins J, Breslow N, Greenland S. Biometrics 1986;42:311-323.
    Greenland S, Robins JM. Biometrics 1985;41:55-68.
    Sato T. Biometrics 1989;45:1323-1324.
    Yusuf S, et al. Prog Cardiovasc Dis 1985;27:335-371 (Peto).

    Examples
    --------
    The day-28 response of the phase 3 MSC trial (Zhao et al. 2022, 82/99
    vs 70/99) pooled with itself twice is still a risk ratio of 82/70:

    >>> from gvhdstats import meta_analysis
    >>> res = meta_analysis([((82, 99), (70, 99))] * 2, measure="RR", method="DL")
    >>> round(res.estimate, 6), res.tau2, res.k
    (1.171429, 0.0, 2)
    """
    measure = check_option(measure, "measure", MEASURES)
    method = check_option(method, "method", METHODS)
    add_to = check_option(add_to, "add_to", CONTINUITY_RULES)
    level = check_confidence_level(confidence_level)
    corr = _check_correction(correction)
    if (tables is None) == (effects is None):
        raise InvalidArgumentError("give exactly one of `tables` and `effects`")
    if cochrane_q and (method != "DL" or tables is None):
        raise InvalidArgumentError(
            "`cochrane_q` (RevMan's Q about the MH estimate) applies to method='DL' with tables"
        )
    mh = peto = None
    q_center = None
    if tables is not None:
        if measure not in ("OR", "RR", "RD"):
            raise InvalidArgumentError(
                f"`measure` must be 'OR', 'RR' or 'RD' for tables, but got {measure!r}"
            )
        a, n1, c, n2 = _as_tables(tables)
        if method == "peto" and measure != "OR":
            raise InvalidArgumentError(f"Peto's method pools odds ratios, not {measure!r}")
        drop = method in ("mantel-haenszel", "peto") or bool(cochrane_q) or bool(drop_double_zero)
        y, v = _escalc(a, n1, c, n2, measure, corr, add_to, drop)
        if method == "mantel-haenszel" or cochrane_q:
            mh = _mh_counts(a, n1, c, n2, measure, corr if mh_correction else None)
            if cochrane_q:
                q_center = mh[0]
        elif method == "peto":
            peto = _peto(a, n1, c, n2)
    else:
        if method in ("mantel-haenszel", "peto"):
            raise InvalidArgumentError(f"method {method!r} needs `tables` (counts), not `effects`")
        y, v = _as_effects(effects, measure, level)
    fit = _pool(y, v, method, bool(knha), level, mh=mh, peto=peto, q_center=q_center)
    return _result(fit, measure, method, bool(knha), level, corr, add_to)


def _mh_counts(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray, measure: str, corr: float | None
) -> tuple[float, float, np.ndarray]:
    """MH on raw counts (metafor), or with RevMan/meta's correction of zero-cell studies."""
    if corr is None:
        return _mh(a, n1, c, n2, measure)
    b, d = n1 - a, n2 - c
    double = (a == 0) & (c == 0) | (b == 0) & (d == 0)
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    add = np.where(zero & ~double, corr, 0.0)
    keep = ~double
    af, cf = a + add, c + add
    n1f, n2f = n1 + 2 * add, n2 + 2 * add
    est, se, w = _mh(af[keep], n1f[keep], cf[keep], n2f[keep], measure)
    full = np.zeros(a.size)
    full[keep] = w
    return est, se, full


def _result(
    fit: dict[str, Any],
    measure: str,
    method: str,
    knha: bool,
    level: float,
    corr: float,
    add_to: str,
) -> MetaResult:
    ratio = measure in _RATIO
    tr = math.exp if ratio else (lambda x: x)
    lo, hi = fit["ci"]
    plo, phi = fit["pi"]
    t_lo, t_hi = fit["tau2_ci"]
    s2 = fit.get("s2")
    if s2 is not None and not math.isnan(t_lo):
        i2_ci = ConfidenceInterval(100 * t_lo / (t_lo + s2), 100 * t_hi / (t_hi + s2))
        h2_ci = ConfidenceInterval((t_lo + s2) / s2, (t_hi + s2) / s2)
    else:
        i2_ci = h2_ci = ConfidenceInterval(math.nan, math.nan)
    return MetaResult(
        measure=measure,
        method=method,
        knha=knha,
        estimate=tr(fit["b"]),
        coefficient=fit["b"],
        se=fit["se"],
        confidence_interval=ConfidenceInterval(tr(lo), tr(hi)),
        statistic=fit["statistic"],
        pvalue=fit["pvalue"],
        df=fit["df"],
        tau2=fit["tau2"],
        tau2_ci=ConfidenceInterval(t_lo, t_hi),
        i2=fit["i2"],
        i2_ci=i2_ci,
        h2=fit["h2"],
        h2_ci=h2_ci,
        q=fit["q"],
        q_df=fit["q_df"],
        q_pvalue=fit["q_pvalue"],
        prediction_interval=ConfidenceInterval(tr(plo), tr(phi)),
        k=fit["k"],
        yi=fit["yi"],
        vi=fit["vi"],
        weights=fit["weights"],
        confidence_level=level,
        dropped=fit["dropped"],
        correction=corr,
        add_to=add_to,
    )
