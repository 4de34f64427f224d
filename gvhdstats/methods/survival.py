"""Kaplan-Meier curves, log-rank tests and Cox hazard ratios from patient-level data.

Three functions re-derive the time-to-event results of a trial from its
patient-level (or rebuilt) data, matching R's ``survival`` package:

* :func:`kaplan_meier` -- ``survfit(Surv(time, event) ~ group, conf.type=...)``:
  Kaplan-Meier estimate, Greenwood variance, pointwise confidence intervals on
  five scales, medians and quantiles with their confidence intervals;
* :func:`logrank_test` -- ``survdiff(Surv(time, event) ~ group + strata(s), rho=...)``:
  the log-rank test and the Harrington-Fleming G-rho family;
* :func:`cox_hr` -- ``coxph(Surv(time, event) ~ group + strata(s), ties=...)``:
  Cox proportional-hazards regression with exact Efron or Breslow handling of
  tied event times, Wald, score and likelihood-ratio tests.

Tied times are handled exactly (never jittered).  R's ``survival`` merges times
that differ only by floating-point noise (``timefix=TRUE``); gvhdstats treats
times as given, so round such data before comparing with R.

Option names and R's names
--------------------------
===============  =======================================
gvhdstats        R
===============  =======================================
``"plain"``      ``survfit(conf.type = "plain")``
``"log"``        ``survfit(conf.type = "log")`` (default)
``"log-log"``    ``survfit(conf.type = "log-log")``
``"logit"``      ``survfit(conf.type = "logit")``
``"arcsine"``    ``survfit(conf.type = "arcsin")``
``"none"``       ``survfit(conf.type = "none")``
``"efron"``      ``coxph(ties = "efron")`` (default)
``"breslow"``    ``coxph(ties = "breslow")``
===============  =======================================
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from gvhdstats._validation import (
    as_column,
    as_event,
    as_numeric_matrix,
    as_time_array,
    check_confidence_level,
    check_no_missing,
    check_option,
    z_two_sided,
)
from gvhdstats.errors import ConvergenceWarning, InvalidArgumentError
from gvhdstats.methods._results import ConfidenceInterval

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CONF_TYPES",
    "TIES_METHODS",
    "ConvergenceWarning",
    "CoxResult",
    "KaplanMeierResult",
    "LogRankResult",
    "cox_hr",
    "kaplan_meier",
    "logrank_test",
]

#: Confidence-interval transformations of :func:`kaplan_meier`.
CONF_TYPES = ("plain", "log", "log-log", "logit", "arcsine", "none")
#: Map from our names to ``survfit(conf.type = ...)``.
R_CONF_TYPE = {
    "plain": "plain",
    "log": "log",
    "log-log": "log-log",
    "logit": "logit",
    "arcsine": "arcsin",
    "none": "none",
}
#: Tie handling of :func:`cox_hr` (same names as ``coxph(ties = ...)``).
TIES_METHODS = ("efron", "breslow")

#: Columns of :attr:`KaplanMeierResult.table` and of :meth:`KaplanMeierResult.at`.
KM_COLUMNS = (
    "group",
    "time",
    "n_risk",
    "n_event",
    "n_censor",
    "survival",
    "std_err",
    "ci_low",
    "ci_high",
)

# survival's quantile and median code compare survival with 0.5 up to this tolerance
_TOL = math.sqrt(np.finfo(float).eps)
_ALL = "all"


# --------------------------------------------------------------------------- validation


def _as_event(event: ArrayLike, n: int) -> np.ndarray:
    return as_event(event, n, "event")


def _as_labels(values: ArrayLike, n: int, name: str) -> tuple[np.ndarray, tuple[Any, ...]]:
    """Integer codes 0..k-1 and the levels (a Categorical's order, else sorted)."""
    import pandas as pd

    if isinstance(values, pd.Categorical | pd.Series) and isinstance(
        getattr(values, "dtype", None), pd.CategoricalDtype
    ):
        cat = pd.Categorical(values)
        codes = np.asarray(cat.codes)
        if (codes < 0).any():
            i = int(np.flatnonzero(codes < 0)[0])
            raise InvalidArgumentError(
                f"`{name}` must not be missing, but got NaN at position {i}"
            )
        used = np.unique(codes)
        levels = tuple(cat.categories[used])
        remap = np.full(len(cat.categories), -1)
        remap[used] = np.arange(used.size)
        codes = remap[codes]
        if codes.shape[0] != n:
            raise InvalidArgumentError(
                f"`{name}` must have the same length as `time` ({n}), "
                f"but got length {codes.shape[0]}"
            )
        return codes, levels
    arr = as_column(values, n, name)
    check_no_missing(arr, name)
    try:
        codes, uniques = pd.factorize(arr, sort=True)
    except TypeError:
        raise InvalidArgumentError(
            f"`{name}` must hold labels of one comparable type, but got mixed types"
        ) from None
    levels = tuple(np.asarray(uniques).tolist())
    if len({isinstance(v, str) for v in levels}) > 1:
        raise InvalidArgumentError(
            f"`{name}` must hold labels of one comparable type, but got mixed types: {levels!r}"
        )
    return np.asarray(codes, dtype=np.int64), levels


def _strata_codes(strata: ArrayLike | None, n: int) -> np.ndarray:
    """Integer stratum codes; one stratum when ``strata`` is None."""
    if strata is None:
        return np.zeros(n, dtype=np.int64)
    return _as_labels(strata, n, "strata")[0]


def _label_array(levels: tuple[Any, ...]) -> np.ndarray:
    out = np.empty(len(levels), dtype=object)
    out[:] = list(levels)
    return out


# --------------------------------------------------------------------------- Kaplan-Meier


def _km_ci(
    surv: np.ndarray, se: np.ndarray, conf_type: str, z: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise CI as survfit: ``se`` is the standard error of the cumulative hazard."""
    nan = np.full_like(surv, np.nan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "none":
            return nan, nan.copy()
        if conf_type == "plain":
            half = se * surv * z
            low = np.where(np.isnan(half), np.nan, np.maximum(surv - half, 0.0))
            high = np.where(np.isnan(half), np.nan, np.minimum(surv + half, 1.0))
            return low, high
        if conf_type == "log":
            p = np.where(surv == 0, np.nan, surv)
            half = z * se
            return np.exp(np.log(p) - half), np.minimum(np.exp(np.log(p) + half), 1.0)
        if conf_type == "log-log":
            p = np.where((surv == 0) | (surv == 1), np.nan, surv)
            half = z * se / np.log(p)
            loglog = np.log(-np.log(p))
            return np.exp(-np.exp(loglog - half)), np.exp(-np.exp(loglog + half))
        if conf_type == "logit":
            p = np.where(surv == 0, np.nan, surv)
            half = z * se * (1 + p / (1 - p))
            lg = np.log(surv / (1 - surv))
            return 1 - 1 / (1 + np.exp(lg - half)), 1 - 1 / (1 + np.exp(lg + half))
        # arcsine
        p = np.where(surv == 0, np.nan, surv)
        half = 0.5 * z * se * np.sqrt(p / (1 - p))
        a = np.arcsin(np.sqrt(p))
        low = np.sin(np.where(np.isnan(a - half), np.nan, np.maximum(a - half, 0.0))) ** 2
        high = np.sin(np.where(np.isnan(a + half), np.nan, np.minimum(a + half, np.pi / 2))) ** 2
        return low, high


@dataclass(frozen=True)
class _Curve:
    label: Any
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    surv: np.ndarray
    se_cumhaz: np.ndarray  # sqrt of the Greenwood sum (survfit's ``std.err``)
    low: np.ndarray
    high: np.ndarray


def _minmin(y: np.ndarray, x: np.ndarray) -> float:
    """First time the curve is at or below 0.5 (print.survfit's rule for flat stretches)."""
    keep = ~np.isnan(y) & (y < 0.5 + _TOL)
    if not keep.any():
        return math.nan
    xk, yk = x[keep], y[keep]
    if abs(yk[0] - 0.5) < _TOL:
        lower = np.flatnonzero(yk < yk[0])
        if lower.size:
            return float((xk[0] + xk[lower[0]]) / 2)
    return float(xk[0])


def _findq(x: np.ndarray, y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Quantiles of a step distribution function as quantile.survfit (findq).

    ``x`` are the times (starting with the start time), ``y`` the distribution
    function 1 - S at those times (starting with 0), possibly with NaN.
    """
    out = np.full(probs.shape, np.nan)
    if np.all(np.isnan(y)) or np.nanmax(y) < probs.min():
        return out
    xmax = x[-1]
    # keep the first occurrence of each value (NaN counts as one value)
    first = np.ones(y.size, dtype=bool)
    seen: set[float | str] = set()
    for i, v in enumerate(y.tolist()):
        key = math.nan if math.isnan(v) else v
        k = "nan" if math.isnan(key) else key
        if k in seen:
            first[i] = False
        else:
            seen.add(k)
    x, y = x[first], y[first]
    n = y.size

    def locate(shift: float) -> np.ndarray:
        # approx(y + shift, 1:n, p, method = "constant", f = 1), NaN pairs dropped
        xs = y + shift
        ok = ~np.isnan(xs)
        pos = np.flatnonzero(ok)
        xs_ok = xs[ok]
        order = np.argsort(xs_ok, kind="stable")
        xs_sorted, idx_sorted = xs_ok[order], pos[order]
        res = np.full(probs.shape, -1)
        if xs_sorted.size == 0:
            return res
        j = np.searchsorted(xs_sorted, probs, side="left")
        inside = (probs >= xs_sorted[0]) & (probs <= xs_sorted[-1])
        res[inside] = idx_sorted[j[inside]]
        return res

    i1 = locate(_TOL)
    i2 = locate(-_TOL)
    valid = (i1 >= 0) & (i2 >= 0)
    out[valid] = (x[i1[valid]] + x[i2[valid]]) / 2
    out[probs == 0] = x[0]
    if not np.isnan(y[n - 1]):
        last = np.abs(probs - y[n - 1]) < _TOL
        ok = last & (i1 >= 0)
        out[ok] = (x[i1[ok]] + xmax) / 2
        out[last & (i1 < 0)] = np.nan
    return out


@dataclass(frozen=True, eq=False)
class KaplanMeierResult:
    """Kaplan-Meier estimates of :func:`kaplan_meier`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per group and distinct observed time (event or censoring), as
        ``survfit``: columns ``group``, ``time``, ``n_risk``, ``n_event``,
        ``n_censor``, ``survival``, ``std_err`` (standard error of the survival,
        as ``summary(survfit)``), ``ci_low``, ``ci_high``.
    groups : tuple
        The group labels, in the order of the table (``("all",)`` without groups).
    conf_type : str
        The confidence-interval transformation.
    confidence_level : float
        The confidence level of ``ci_low`` and ``ci_high``.
    """

    table: pd.DataFrame = field(repr=False)
    groups: tuple[Any, ...]
    conf_type: str
    confidence_level: float
    _curves: tuple[_Curve, ...] = field(repr=False)

    def __repr__(self) -> str:
        med = self.median()
        parts = ", ".join(
            f"{g!r}: n={int(c.n_risk[0])}, events={int(c.n_event.sum())}, median={m:g}"
            for g, c, m in zip(self.groups, self._curves, med["median"], strict=True)
        )
        return (
            f"KaplanMeierResult({parts}; conf_type={self.conf_type!r}, "
            f"confidence_level={self.confidence_level})"
        )

    def _curve(self, group: Any) -> list[_Curve]:
        if group is None:
            return list(self._curves)
        for c in self._curves:
            if c.label == group:
                return [c]
        raise InvalidArgumentError(f"`group` must be one of {self.groups!r}, but got {group!r}")

    def at(self, times: ArrayLike, group: Any = None) -> pd.DataFrame:
        """Survival at given times, as ``summary(fit, times = times, extend = TRUE)``.

        Parameters
        ----------
        times : array_like of float
            The times; they are sorted (and kept if repeated), as R does.
        group : optional
            One group label; default all groups.

        Returns
        -------
        pandas.DataFrame
            Columns as :attr:`table`.  The curve is right-continuous: the value at
            ``t`` includes the events at ``t``.  ``n_risk`` counts those still at
            risk at ``t`` (time ``>= t``), 0 after the last observed time;
            ``n_event`` and ``n_censor`` count those in ``(previous t, t]`` (the
            first from time 0).  Times after the last observed time return the
            last value of the curve (R's ``extend = TRUE``); before the first
            observed time the curve is 1 with standard error 0 and CI (1, 1).
        """
        import pandas as pd

        t = np.sort(np.asarray(times, dtype=float).reshape(-1))
        if np.isnan(t).any() or np.isinf(t).any():
            raise InvalidArgumentError(f"`times` must hold finite numbers, but got {times!r}")
        frames = []
        for c in self._curve(group):
            # survfit0: prepend the start (time 0) unless an observation is at time 0
            if c.time[0] != 0:
                time0 = np.concatenate([[0.0], c.time])
                surv0 = np.concatenate([[1.0], c.surv])
                se0 = np.concatenate([[0.0], c.se_cumhaz])
                nanci = self.conf_type == "none"
                low0 = np.concatenate([[np.nan if nanci else 1.0], c.low])
                high0 = np.concatenate([[np.nan if nanci else 1.0], c.high])
                risk0 = np.concatenate([[c.n_risk[0]], c.n_risk])
                ev0 = np.concatenate([[0.0], c.n_event])
                ce0 = np.concatenate([[0.0], c.n_censor])
            else:
                time0, surv0, se0, low0, high0 = c.time, c.surv, c.se_cumhaz, c.low, c.high
                risk0, ev0, ce0 = c.n_risk, c.n_event, c.n_censor
            i1 = np.searchsorted(time0, t, side="right")  # rows with time <= t
            row = np.maximum(i1, 1) - 1
            i2 = np.searchsorted(time0, t, side="left")  # first row with time >= t
            risk = np.concatenate([risk0, [0.0]])[i2]
            cev = np.concatenate([[0.0], np.cumsum(ev0)])[i1]
            cce = np.concatenate([[0.0], np.cumsum(ce0)])[i1]
            with np.errstate(invalid="ignore"):
                std = surv0[row] * se0[row]
            frames.append(
                pd.DataFrame(
                    {
                        "group": [c.label] * t.size,
                        "time": t,
                        "n_risk": risk,
                        "n_event": np.diff(np.concatenate([[0.0], cev])),
                        "n_censor": np.diff(np.concatenate([[0.0], cce])),
                        "survival": surv0[row],
                        "std_err": std,
                        "ci_low": low0[row],
                        "ci_high": high0[row],
                    },
                    columns=list(KM_COLUMNS),
                )
            )
        return pd.concat(frames, ignore_index=True)

    def median(self) -> pd.DataFrame:
        """Median survival with its confidence interval, as R prints a ``survfit``.

        Returns
        -------
        pandas.DataFrame
            Columns ``group``, ``median``, ``ci_low``, ``ci_high`` (NaN where the
            curve does not reach 0.5).

        Notes
        -----
        The median is the first time the curve is at or below 0.5; the limits
        are the first times the lower and upper pointwise confidence curves are
        at or below 0.5 (Brookmeyer and Crowley's inversion of the pointwise
        test, with the chosen ``conf_type``).  R's rule for a curve that sits
        exactly at 0.5 over a stretch: the median is the midpoint between the
        time it reaches 0.5 and the time it next drops; if it never drops again
        (the rest is censored), the median is the time it reached 0.5.  This is
        ``print(survfit(...))`` and ``summary(survfit(...))$table``;
        :meth:`quantile` follows ``quantile.survfit``, which differs in the last
        case.
        """
        import pandas as pd

        rows = []
        for c in self._curves:
            rows.append(
                {
                    "group": c.label,
                    "median": _minmin(c.surv, c.time),
                    "ci_low": _minmin(c.low, c.time),
                    "ci_high": _minmin(c.high, c.time),
                }
            )
        return pd.DataFrame(rows, columns=["group", "median", "ci_low", "ci_high"])

    def quantile(self, q: ArrayLike = (0.25, 0.5, 0.75)) -> pd.DataFrame:
        """Quantiles of the survival time with CIs, as ``quantile.survfit``.

        Parameters
        ----------
        q : float or array_like of float
            Probabilities in [0, 1] of the event-time distribution (``q = 0.5``
            gives the median; ``q = 0.25`` the time by which 25% had the event).

        Returns
        -------
        pandas.DataFrame
            Columns ``group``, ``q``, ``quantile``, ``ci_low``, ``ci_high``
            (group-major, then ``q`` in the order given).

        Notes
        -----
        The ``q`` quantile is the first time with ``1 - S(t) >= q``.  If the
        curve sits exactly at ``1 - q`` (to a tolerance of ``sqrt(eps)``) over a
        stretch, the result is the midpoint of that stretch; if it stays there
        to the end of follow-up, the midpoint between where it reached
        ``1 - q`` and the last observed time.  The limits apply the same rule
        to the pointwise confidence curves (Brookmeyer-Crowley).
        """
        import pandas as pd

        probs = np.atleast_1d(np.asarray(q, dtype=float))
        if probs.ndim != 1 or np.isnan(probs).any() or (probs < 0).any() or (probs > 1).any():
            raise InvalidArgumentError(f"`q` must hold probabilities in [0, 1], but got {q!r}")
        frames = []
        for c in self._curves:
            x = np.concatenate([[0.0], c.time])
            with np.errstate(invalid="ignore"):
                est = _findq(x, np.concatenate([[0.0], 1 - c.surv]), probs)
                low = _findq(x, np.concatenate([[0.0], 1 - c.low]), probs)
                high = _findq(x, np.concatenate([[0.0], 1 - c.high]), probs)
            frames.append(
                pd.DataFrame(
                    {
                        "group": [c.label] * probs.size,
                        "q": probs,
                        "quantile": est,
                        "ci_low": low,
                        "ci_high": high,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _km_cells(t: np.ndarray, ev: np.ndarray, codes: np.ndarray, k: int):
    """Distinct (group, time) cells: times, group codes, subjects and events per cell.

    Groups are separated by one stable radix sort of their small integer codes;
    within a group only values are sorted (``np.sort``, several times faster
    than an argsort, and far faster than ``np.lexsort`` on (group, time)): the
    subjects of a cell are counted from the sorted times, its events from the
    sorted event times.  Ties are exact (equal floats share a cell).
    """
    if k == 1:
        tt, ee, bounds = t, ev, np.array([0, t.size])
    else:
        small = codes.astype(np.int16) if k < 2**15 else codes
        go = np.argsort(small, kind="stable")
        tt, ee = t[go], ev[go]
        bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=k))])
    cts, cgs, cnts, ds = [], [], [], []
    for j in range(k):
        seg = tt[bounds[j] : bounds[j + 1]]
        if seg.size == 0:
            continue
        ts = np.sort(seg)
        new = np.empty(ts.size, dtype=bool)
        new[0] = True
        np.not_equal(ts[1:], ts[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        ut = ts[starts]
        es = np.sort(seg[ee[bounds[j] : bounds[j + 1]] == 1])
        cts.append(ut)
        cgs.append(np.full(ut.size, j, dtype=np.int64))
        cnts.append(np.diff(np.append(starts, ts.size)).astype(float))
        ds.append(np.bincount(np.searchsorted(ut, es), minlength=ut.size).astype(float))
    return np.concatenate(cts), np.concatenate(cgs), np.concatenate(cnts), np.concatenate(ds)


def kaplan_meier(
    time: ArrayLike,
    event: ArrayLike,
    group: ArrayLike | None = None,
    *,
    conf_type: str = "log",
    confidence_level: float = 0.95,
) -> KaplanMeierResult:
    r"""Kaplan-Meier survival curves with Greenwood standard errors.

    Parameters
    ----------
    time : array_like of float
        Follow-up times, finite and not negative.
    event : array_like of {0, 1} or bool
        1 (True) for an event, 0 (False) for a censored time.
    group : array_like, optional
        Group labels; one curve per group (levels sorted, or the category order
        of a pandas Categorical).  Default: one curve labelled ``"all"``.
    conf_type : {"log", "log-log", "plain", "logit", "arcsine", "none"}
        Transformation of the pointwise confidence interval, as
        ``survfit(conf.type=...)`` (``"arcsine"`` is R's ``"arcsin"``).
    confidence_level : float
        Confidence level of the intervals, default 0.95.

    Returns
    -------
    KaplanMeierResult
        ``.table`` (one row per group and observed time), ``.at(times)``,
        ``.median()`` and ``.quantile(q)``.

    Raises
    ------
    InvalidArgumentError
        For times that are negative or not finite, events other than 0/1,
        missing group labels, or lengths that differ.
    UnknownMethodError
        For an unknown ``conf_type``.

    Notes
    -----
    With :math:`d_j` events among :math:`n_j` at risk at the distinct times
    :math:`t_j`,

    .. math::

        \hat S(t) = \prod_{t_j \le t} (1 - d_j / n_j), \qquad
        \sigma^2(t) = \sum_{t_j \le t} \frac{d_j}{n_j (n_j - d_j)}

    (Greenwood), and ``std_err`` is :math:`\hat S(t)\,\sigma(t)`.  With
    :math:`z` the normal quantile, the intervals are: plain
    :math:`\hat S (1 \pm z\sigma)` clipped to [0, 1]; log
    :math:`\hat S e^{\pm z\sigma}` (upper clipped at 1); log-log
    :math:`\hat S^{\exp(\pm z\sigma/\log \hat S)}`; logit and arcsine on those
    scales with the delta-method standard error, exactly as
    ``survival:::survfit_confint``.  Where :math:`\hat S = 0` (and for
    log-log also where :math:`\hat S = 1`) the limits are NaN, as in R.

    R: ``survfit(Surv(time, event) ~ group, conf.type = "log", conf.int = 0.95)``.

    References
    ----------
    Kaplan EL, Meier P (1958). JASA 53:457-481.
    Greenwood M (1926). Reports on Public Health and Medical Subjects 33.
    Brookmeyer R, Crowley J (1982). Biometrics 38:29-41.
    Therneau T (2023). A package for survival analysis in R, ``survival`` 3.5.

    Examples
    --------
    The maintained group of the AML data (``survival::aml``):

    >>> from gvhdstats import kaplan_meier
    >>> t = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161]
    >>> e = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]
    >>> km = kaplan_meier(t, e)
    >>> km.table[["time", "n_risk", "survival", "std_err"]].head(3)
       time  n_risk  survival   std_err
    0   9.0    11.0  0.909091  0.086678
    1  13.0    10.0  0.818182  0.116291
    2  18.0     8.0  0.715909  0.139665
    >>> km.median()
      group  median  ci_low  ci_high
    0   all    31.0    18.0      NaN
    >>> float(km.at([24]).survival[0])
    0.61363...
    """
    import pandas as pd

    t = as_time_array(time)
    n = t.size
    ev = _as_event(event, n)
    conf_type = check_option(conf_type, "conf_type", CONF_TYPES)
    cl = check_confidence_level(confidence_level)
    z = z_two_sided(cl)
    if group is None:
        codes, levels = np.zeros(n, dtype=np.int64), (_ALL,)
    else:
        codes, levels = _as_labels(group, n, "group")

    ct, cg, cnt, d = _km_cells(t, ev, codes, len(levels))

    curves = []
    bounds = np.flatnonzero(np.r_[True, cg[1:] != cg[:-1], True])
    for a, b in itertools.pairwise(bounds):
        cn, dd = cnt[a:b], d[a:b]
        total = cn.sum()
        risk = total - np.concatenate([[0.0], np.cumsum(cn)[:-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            surv = np.cumprod(1 - dd / risk)
            term = np.where(dd > 0, dd / (risk * (risk - dd)), 0.0)
            se = np.sqrt(np.cumsum(term))
        low, high = _km_ci(surv, se, conf_type, z)
        curves.append(
            _Curve(
                label=levels[int(cg[a])],
                time=ct[a:b],
                n_risk=risk,
                n_event=dd,
                n_censor=cn - dd,
                surv=surv,
                se_cumhaz=se,
                low=low,
                high=high,
            )
        )
    with np.errstate(invalid="ignore"):
        table = pd.DataFrame(
            {
                "group": _label_array(levels)[cg],
                "time": ct,
                "n_risk": np.concatenate([c.n_risk for c in curves]),
                "n_event": d,
                "n_censor": cnt - d,
                "survival": np.concatenate([c.surv for c in curves]),
                "std_err": np.concatenate([c.surv * c.se_cumhaz for c in curves]),
                "ci_low": np.concatenate([c.low for c in curves]),
                "ci_high": np.concatenate([c.high for c in curves]),
            },
            columns=list(KM_COLUMNS),
        )
    return KaplanMeierResult(
        table=table,
        groups=tuple(c.label for c in curves),
        conf_type=conf_type,
        confidence_level=cl,
        _curves=tuple(curves),
    )


# --------------------------------------------------------------------------- log-rank


@dataclass(frozen=True, eq=False)
class LogRankResult:
    """Result of :func:`logrank_test` (the numbers ``survdiff`` prints).

    Attributes
    ----------
    statistic : float
        The chi-square statistic; NaN when the variance matrix is singular
        (the test is undefined, e.g. every subject at risk has the event at
        the same time; R's ``survdiff`` stops with "system is exactly
        singular").
    pvalue : float
        Its upper-tail P value on ``df`` degrees of freedom (NaN with a NaN
        statistic).
    df : int
        Number of groups with a positive expected count, minus 1.
    observed, expected : numpy.ndarray
        Per group (summed over strata), weighted by the G-rho weights when
        ``rho != 0`` (as ``survdiff``).
    variance : numpy.ndarray
        The k x k variance matrix of observed minus expected.
    groups : tuple
        The group labels (sorted, or the order of a pandas Categorical).
    rho : float
        The G-rho parameter.
    """

    statistic: float
    pvalue: float
    df: int
    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    groups: tuple[Any, ...]
    rho: float

    def __repr__(self) -> str:
        return (
            f"LogRankResult(statistic={self.statistic!r}, pvalue={self.pvalue!r}, "
            f"df={self.df}, groups={self.groups!r}, rho={self.rho!r})"
        )

    @property
    def table(self) -> pd.DataFrame:
        """Columns ``group``, ``observed``, ``expected``, ``o_minus_e``, ``variance``."""
        import pandas as pd

        return pd.DataFrame(
            {
                "group": list(self.groups),
                "observed": self.observed,
                "expected": self.expected,
                "o_minus_e": self.observed - self.expected,
                "variance": np.diag(self.variance),
            }
        )


def _risk_cells(t: np.ndarray, ev: np.ndarray, codes: np.ndarray, k: int):
    """Distinct times (ascending) with events per group and number at risk per group."""
    ut, inv = np.unique(t, return_inverse=True)
    T = ut.size
    flat = inv * k + codes
    cnt = np.bincount(flat, minlength=T * k).reshape(T, k).astype(float)
    dev = np.bincount(flat, weights=ev, minlength=T * k).reshape(T, k)
    risk = np.cumsum(cnt[::-1], axis=0)[::-1]
    return ut, dev, risk


def logrank_test(
    time: ArrayLike,
    event: ArrayLike,
    group: ArrayLike,
    *,
    strata: ArrayLike | None = None,
    rho: float = 0,
) -> LogRankResult:
    r"""Log-rank test (and the G-rho family) comparing survival between groups.

    Parameters
    ----------
    time : array_like of float
        Follow-up times, finite and not negative.
    event : array_like of {0, 1} or bool
        1 for an event, 0 for censored.
    group : array_like
        Group labels (at least two distinct).
    strata : array_like, optional
        Stratum labels: the observed, expected and variance are summed over
        strata (stratified log-rank test).
    rho : float
        G-rho parameter: 0 gives the log-rank test, 1 the Peto-Peto modification
        of the Gehan-Wilcoxon test, as ``survdiff(rho = ...)``.

    Returns
    -------
    LogRankResult
        ``statistic``, ``pvalue``, ``df``, ``observed``, ``expected``,
        ``variance`` (and ``.table``).

    Raises
    ------
    InvalidArgumentError
        For bad times, events, labels, fewer than two groups, or a negative or
        non-finite ``rho``.

    Notes
    -----
    At each distinct event time :math:`t` (within a stratum) with :math:`d`
    events among :math:`N` at risk, :math:`n_g` at risk and :math:`d_g` events
    in group :math:`g`, and weight :math:`w = \hat S(t-)^\rho` (pooled
    Kaplan-Meier just before :math:`t`, within the stratum):

    .. math::

        O_g = \sum w\, d_g, \qquad E_g = \sum w\, d\, \frac{n_g}{N}, \qquad
        V_{gh} = \sum w^2\, \frac{d (N - d)}{N (N - 1)}\,
                 n_g \Big(\delta_{gh} - \frac{n_h}{N}\Big)

    (times with :math:`N = 1` add nothing to :math:`V`).  The statistic is
    :math:`(O - E)^\top V^{-1} (O - E)` over the groups with :math:`E_g > 0`
    less the first, on ``df`` = (their number) - 1 degrees of freedom. When that
    matrix is singular the statistic and P are NaN: with no variation left
    (for instance every subject at risk has the event at one time) there is
    nothing to test.

    R: ``survdiff(Surv(time, event) ~ group + strata(strata), rho = rho)``.

    References
    ----------
    Mantel N (1966). Cancer Chemother Rep 50:163-170.
    Harrington DP, Fleming TR (1982). Biometrika 69:553-566.

    Examples
    --------
    The AML data (``survival::aml``), maintained versus not:

    >>> from gvhdstats import logrank_test
    >>> t = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...      5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
    >>> e = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> g = ["Maintained"] * 11 + ["Nonmaintained"] * 12
    >>> res = logrank_test(t, e, g)
    >>> round(res.statistic, 4), round(res.pvalue, 4)
    (3.3964, 0.0653)
    """
    t = as_time_array(time)
    n = t.size
    ev = _as_event(event, n)
    codes, levels = _as_labels(group, n, "group")
    k = len(levels)
    if k < 2:
        raise InvalidArgumentError(
            f"`group` must have at least two distinct values, but got only {levels!r}"
        )
    try:
        rho_f = float(rho)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"`rho` must be a finite number >= 0, but got {rho!r}"
        ) from None
    if not math.isfinite(rho_f) or rho_f < 0:
        raise InvalidArgumentError(f"`rho` must be a finite number >= 0, but got {rho!r}")
    scodes = _strata_codes(strata, n)

    obs = np.zeros(k)
    exp = np.zeros(k)
    var = np.zeros((k, k))
    for s in np.unique(scodes):
        m = scodes == s
        _, dev, risk = _risk_cells(t[m], ev[m], codes[m], k)
        dtot = dev.sum(axis=1)
        ntot = risk.sum(axis=1)
        if rho_f != 0:
            km = np.cumprod(1 - dtot / ntot)
            w = np.concatenate([[1.0], km[:-1]]) ** rho_f
        else:
            w = np.ones_like(dtot)
        keep = dtot > 0
        dev, risk, dtot, ntot, w = dev[keep], risk[keep], dtot[keep], ntot[keep], w[keep]
        obs += (w[:, None] * dev).sum(axis=0)
        exp += ((w * dtot / ntot)[:, None] * risk).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(ntot > 1, w**2 * dtot * (ntot - dtot) / (ntot * (ntot - 1)), 0.0)
        var += np.diag(c @ risk) - (risk * (c / ntot)[:, None]).T @ risk

    use = np.flatnonzero(exp > 0)
    df = int(use.size) - 1
    if use.size < 2:
        stat = 0.0
    else:
        idx = use[1:]
        diff = (obs - exp)[idx]
        v = var[np.ix_(idx, idx)]
        scale = float(np.abs(v).max())
        # a singular variance (e.g. every subject at risk has the event at one time, so
        # N = d and nothing varies): the test is undefined; survdiff stops with
        # "system is exactly singular"
        if scale > 0 and np.linalg.matrix_rank(v, tol=1e-10 * scale) == idx.size:
            stat = float(diff @ np.linalg.solve(v, diff))
        else:
            stat = math.nan
    from scipy.stats import chi2

    if df == 0:
        pvalue = 1.0
    elif math.isnan(stat):
        pvalue = math.nan
    else:
        pvalue = float(chi2.sf(stat, df))
    return LogRankResult(
        statistic=stat,
        pvalue=pvalue,
        df=df,
        observed=obs,
        expected=exp,
        variance=var,
        groups=levels,
        rho=rho_f,
    )


# --------------------------------------------------------------------------- Cox


@dataclass(frozen=True, eq=False)
class CoxResult:
    """Result of :func:`cox_hr` (the numbers ``summary(coxph(...))`` prints).

    Attributes
    ----------
    coef, se, hazard_ratio, z, pvalue : float or numpy.ndarray
        Log hazard ratios, their standard errors (inverse information), the
        hazard ratios ``exp(coef)``, Wald ``z = coef / se`` and two-sided Wald P
        values.  Floats when there is one coefficient (e.g. two groups), else
        arrays in the order of ``names``.
    names : tuple of str
        Coefficient names: covariate names, or the non-reference group levels.
    reference : object or None
        The reference group level (``None`` for covariates).
    loglik : tuple of float
        Log partial likelihood at zero and at the estimate (``coxph()$loglik``).
    score_test, wald_test, lr_test : float
        Score (log-rank), Wald and likelihood-ratio chi-square statistics on
        ``df`` degrees of freedom (``coxph()$score``, ``$wald.test``,
        ``2 * diff($loglik)``).
    df : int
        Number of coefficients.
    variance : numpy.ndarray
        Variance matrix of the coefficients (``vcov``).
    ties : str
        ``"efron"`` or ``"breslow"``.
    confidence_level : float
        Default level of :meth:`confidence_interval`.
    n, n_events : int
        Number of observations and of events.
    iterations : int
        Newton-Raphson iterations used.
    converged : bool
        Whether Newton-Raphson converged to a finite maximum.  When False, a
        :class:`~gvhdstats.errors.ConvergenceWarning` was issued and ``z``,
        ``pvalue`` and the confidence limits are NaN for the coefficients in
        ``diverging`` (for all when the iterations ran out), as is
        ``wald_test``.
    diverging : tuple of str
        Coefficients whose estimate is infinite (monotone likelihood, e.g. no
        events in one group).  ``coef`` and ``se`` are those of the last
        iterate: a large coefficient and a large (or, once the information
        underflows, NaN) standard error, as ``coxph`` prints; the Wald test
        built from them is meaningless, which is why it is NaN here.  The
        likelihood-ratio and score tests stay valid.
    """

    coef: Any
    se: Any
    hazard_ratio: Any
    z: Any
    pvalue: Any
    names: tuple[str, ...]
    reference: Any
    loglik: tuple[float, float]
    score_test: float
    wald_test: float
    lr_test: float
    df: int
    variance: np.ndarray = field(repr=False)
    ties: str
    confidence_level: float
    n: int
    n_events: int
    iterations: int
    converged: bool = True
    diverging: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"CoxResult(names={self.names!r}, hazard_ratio={self.hazard_ratio!r}, "
            f"se={self.se!r}, pvalue={self.pvalue!r}, ties={self.ties!r}, "
            f"n={self.n}, n_events={self.n_events})"
        )

    @property
    def score_pvalue(self) -> float:
        """Upper-tail chi-square P value of the score (log-rank) test."""
        from scipy.stats import chi2

        return float(chi2.sf(self.score_test, self.df))

    @property
    def wald_pvalue(self) -> float:
        """Upper-tail chi-square P value of the global Wald test."""
        from scipy.stats import chi2

        return float(chi2.sf(self.wald_test, self.df))

    @property
    def lr_pvalue(self) -> float:
        """Upper-tail chi-square P value of the likelihood-ratio test."""
        from scipy.stats import chi2

        return float(chi2.sf(self.lr_test, self.df))

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """Wald confidence interval of the hazard ratio(s): ``exp(coef -/+ z se)``.

        Parameters
        ----------
        confidence_level : float, optional
            Default: the level given to :func:`cox_hr`.

        Returns
        -------
        ConfidenceInterval
            ``low`` and ``high`` (floats, or arrays for several coefficients).
        """
        cl = (
            self.confidence_level
            if confidence_level is None
            else check_confidence_level(confidence_level)
        )
        zq = z_two_sided(cl)
        # NaN where the Wald statistic is not valid (an infinite coefficient)
        half = np.where(np.isnan(np.asarray(self.z)), np.nan, zq * np.asarray(self.se))
        with np.errstate(over="ignore"):
            low = np.exp(np.asarray(self.coef) - half)
            high = np.exp(np.asarray(self.coef) + half)
        if self.df == 1:
            return ConfidenceInterval(float(low), float(high))
        return ConfidenceInterval(low, high)

    @property
    def table(self) -> pd.DataFrame:
        """Columns ``term``, ``coef``, ``hazard_ratio``, ``se``, ``z``, ``pvalue``,
        ``ci_low``, ``ci_high`` (the CI at ``confidence_level``)."""
        import pandas as pd

        ci = self.confidence_interval()
        return pd.DataFrame(
            {
                "term": list(self.names),
                "coef": np.atleast_1d(self.coef),
                "hazard_ratio": np.atleast_1d(self.hazard_ratio),
                "se": np.atleast_1d(self.se),
                "z": np.atleast_1d(self.z),
                "pvalue": np.atleast_1d(self.pvalue),
                "ci_low": np.atleast_1d(ci.low),
                "ci_high": np.atleast_1d(ci.high),
            }
        )


def _sort_by_stratum_then_time(t: np.ndarray, scodes: np.ndarray) -> np.ndarray:
    """Permutation ordering by stratum, then time: what ``np.lexsort((t, s))`` gives
    up to the order inside tied times (which no sum depends on), several times faster:
    an argsort of the times, then a stable radix sort of the small stratum codes."""
    order = np.argsort(t)
    if scodes.size and int(scodes.max()) > 0:
        small = scodes.astype(np.int16) if int(scodes.max()) < 2**15 else scodes
        order = order[np.argsort(small[order], kind="stable")]
    return order


class _CoxData:
    """Sorted data of one fit, with tie structure precomputed per stratum."""

    def __init__(self, t: np.ndarray, ev: np.ndarray, X: np.ndarray, scodes: np.ndarray):
        order = _sort_by_stratum_then_time(t, scodes)
        self.X = X[order]
        self.ev = ev[order].astype(float)
        t_s, s_s = t[order], scodes[order]
        n = t_s.size
        new = np.ones(n, dtype=bool)
        new[1:] = (t_s[1:] != t_s[:-1]) | (s_s[1:] != s_s[:-1])
        self.cell = np.cumsum(new) - 1
        self.ncell = int(self.cell[-1]) + 1
        self.cell_start = np.flatnonzero(new)
        # end of each observation's stratum (exclusive) for reverse cumulative sums
        snew = np.r_[True, s_s[1:] != s_s[:-1]]
        sid = np.cumsum(snew) - 1
        sstart = np.flatnonzero(snew)
        send = np.r_[sstart[1:], n]
        self.cell_send = send[sid[self.cell_start]]
        self.d = np.bincount(self.cell, weights=self.ev, minlength=self.ncell)
        ecells = np.flatnonzero(self.d > 0)
        self.ecells = ecells
        dd = self.d[ecells].astype(np.int64)
        # one entry per event: its cell and its rank k = 0..d-1 within the tie
        self.rep_cell = np.repeat(np.arange(ecells.size), dd)
        offs = np.concatenate([[0], np.cumsum(dd)[:-1]])
        self.rep_k = np.arange(int(dd.sum())) - np.repeat(offs, dd)
        self.rep_d = np.repeat(dd, dd).astype(float)
        self.sum_x_events = (self.X * self.ev[:, None]).sum(axis=0)

    def _revsum(self, a: np.ndarray) -> np.ndarray:
        """Sum over the risk set (same stratum, time >= cell time) for each cell."""
        c = np.cumsum(a[::-1], axis=0)[::-1]
        c = np.concatenate([c, np.zeros((1, *a.shape[1:]))], axis=0)
        return c[self.cell_start] - c[self.cell_send]

    def evaluate(self, beta: np.ndarray, ties: str, need_info: bool = True):
        # huge coefficients (monotone likelihood) overflow exp(); the Newton loop
        # then halves the step, so the overflow is expected and silenced here
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._evaluate(beta, ties, need_info)

    def _evaluate(self, beta: np.ndarray, ties: str, need_info: bool):
        X, ev = self.X, self.ev
        p = X.shape[1]
        eta = X @ beta
        r = np.exp(eta)
        rx = r[:, None] * X
        S0 = self._revsum(r)[self.ecells]
        S1 = self._revsum(rx)[self.ecells]
        rev = r * ev
        D0 = np.bincount(self.cell, weights=rev, minlength=self.ncell)[self.ecells]
        D1 = np.stack(
            [
                np.bincount(self.cell, weights=rx[:, j] * ev, minlength=self.ncell)
                for j in range(p)
            ],
            axis=1,
        )[self.ecells]
        frac = self.rep_k / self.rep_d if ties == "efron" else np.zeros(self.rep_k.size)
        ci = self.rep_cell
        denom = S0[ci] - frac * D0[ci]
        loglik = float(eta @ ev - np.log(denom).sum())
        mean = (S1[ci] - frac[:, None] * D1[ci]) / denom[:, None]
        score = self.sum_x_events - mean.sum(axis=0)
        if not need_info:
            return loglik, score, None
        xx = (X[:, :, None] * X[:, None, :]).reshape(X.shape[0], p * p)
        rxx = r[:, None] * xx
        S2 = self._revsum(rxx)[self.ecells]
        D2 = np.stack(
            [
                np.bincount(self.cell, weights=rxx[:, j] * ev, minlength=self.ncell)
                for j in range(p * p)
            ],
            axis=1,
        )[self.ecells]
        w = 1.0 / denom
        if ties == "efron":
            a = np.bincount(ci, weights=w, minlength=S0.size)
            b = np.bincount(ci, weights=frac * w, minlength=S0.size)
            second = (S2 * a[:, None] - D2 * b[:, None]).sum(axis=0).reshape(p, p)
        else:
            a = np.bincount(ci, weights=w, minlength=S0.size)
            second = (S2 * a[:, None]).sum(axis=0).reshape(p, p)
        info = second - mean.T @ mean
        return loglik, score, info


def _design(
    covariates_or_group: Any, n: int, reference: Any
) -> tuple[np.ndarray, tuple[str, ...], Any]:
    import pandas as pd

    obj = covariates_or_group
    if isinstance(obj, pd.DataFrame) or (np.ndim(obj) == 2 and not isinstance(obj, pd.Series)):
        X, names = as_numeric_matrix(
            obj, n, "covariates_or_group", hint="; pass 1-D labels for a group comparison"
        )
        return X, names, None
    codes, levels = _as_labels(obj, n, "covariates_or_group")
    if len(levels) < 2:
        raise InvalidArgumentError(
            "`covariates_or_group` as group labels must have at least two distinct values, "
            f"but got only {levels!r}"
        )
    if reference is None:
        ref = 0
    else:
        matches = [i for i, lv in enumerate(levels) if lv == reference]
        if not matches:
            raise InvalidArgumentError(
                f"`reference` must be one of the group levels {levels!r}, but got {reference!r}"
            )
        ref = matches[0]
    others = [i for i in range(len(levels)) if i != ref]
    X = (codes[:, None] == np.asarray(others)[None, :]).astype(float)
    return X, tuple(str(levels[i]) for i in others), levels[ref]


def cox_hr(
    time: ArrayLike,
    event: ArrayLike,
    covariates_or_group: Any,
    *,
    ties: str = "efron",
    confidence_level: float = 0.95,
    strata: ArrayLike | None = None,
    reference: Any = None,
) -> CoxResult:
    r"""Hazard ratios from a Cox proportional-hazards model (as ``coxph``).

    Parameters
    ----------
    time : array_like of float
        Follow-up times, finite and not negative.
    event : array_like of {0, 1} or bool
        1 for an event, 0 for censored.
    covariates_or_group : array_like or pandas.DataFrame
        A 1-D array of group labels (coded as indicators against the reference
        level, as an R factor), or a 2-D numeric array / DataFrame of covariates
        (one column per coefficient; pass a one-column table for a single
        continuous covariate).
    ties : {"efron", "breslow"}
        Handling of tied event times, as ``coxph(ties=...)``.
    confidence_level : float
        Default level of :meth:`CoxResult.confidence_interval`.
    strata : array_like, optional
        Stratum labels: separate baseline hazards (``+ strata(s)`` in R).
    reference : optional
        The reference group level; default the first level (sorted, or the
        category order of a pandas Categorical), as R.

    Returns
    -------
    CoxResult
        ``coef``, ``hazard_ratio``, ``se``, ``z``, ``pvalue`` (Wald),
        ``.confidence_interval()``, ``loglik``, ``score_test``, ``wald_test``,
        ``lr_test``.

    Raises
    ------
    InvalidArgumentError
        For bad times, events, labels or covariates, or fewer than two groups.
    UnknownMethodError
        For an unknown ``ties``.

    Warns
    -----
    ConvergenceWarning
        When Newton-Raphson does not converge or a coefficient appears
        infinite (monotone likelihood, e.g. no events in one group).

    Notes
    -----
    With linear predictor :math:`\eta_i = x_i^\top\beta`, risk set
    :math:`R(t)` and, at a time with tied events :math:`D(t)` (:math:`d` of
    them), the log partial likelihood is

    .. math::

        \ell(\beta) = \sum_t \Big[\sum_{i\in D} \eta_i - \sum_{k=0}^{d-1}
        \log\Big(\sum_{j\in R} e^{\eta_j} - \tfrac{k}{d}\sum_{j\in D}
        e^{\eta_j}\Big)\Big]

    for Efron; Breslow drops the :math:`k/d` term.  It is maximised by
    Newton-Raphson from :math:`\beta = 0` (with step halving), as ``coxph``;
    the variance is the inverse observed information.  Wald test
    :math:`\hat\beta^\top I(\hat\beta)\hat\beta`, score test
    :math:`U(0)^\top I(0)^{-1} U(0)` (the log-rank test for one group factor
    and Breslow ties), likelihood-ratio test
    :math:`2(\ell(\hat\beta) - \ell(0))`.

    R: ``coxph(Surv(time, event) ~ group + strata(strata), ties = "efron")``.

    References
    ----------
    Cox DR (1972). JRSS B 34:187-220.
    Efron B (1977). JASA 72:557-565.
    Breslow N (1974). Biometrics 30:89-99.

    Examples
    --------
    The AML data (``survival::aml``), non-maintained versus maintained:

    >>> from gvhdstats import cox_hr
    >>> t = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...      5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
    >>> e = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> g = ["Maintained"] * 11 + ["Nonmaintained"] * 12
    >>> res = cox_hr(t, e, g)
    >>> round(res.hazard_ratio, 4), round(res.pvalue, 4)
    (2.4981, 0.0737)
    >>> ci = res.confidence_interval()
    >>> round(ci.low, 4), round(ci.high, 4)
    (0.9159, 6.813)
    """
    t = as_time_array(time)
    n = t.size
    ev = _as_event(event, n)
    ties = check_option(ties, "ties", TIES_METHODS)
    cl = check_confidence_level(confidence_level)
    X, names, ref = _design(covariates_or_group, n, reference)
    scodes = _strata_codes(strata, n)
    if ev.sum() == 0:
        raise InvalidArgumentError("`event` must contain at least one event, but all are 0")
    Xc = X - X.mean(axis=0)
    data = _CoxData(t, ev, Xc, scodes)
    p = X.shape[1]

    beta = np.zeros(p)
    ll0, u0, i0 = data.evaluate(beta, ties)
    try:
        score_test = float(u0 @ np.linalg.solve(i0, u0))
    except np.linalg.LinAlgError:
        score_test = math.nan
    ll, u, info = ll0, u0, i0
    # steps are judged on the covariates' own scale, so the rule does not depend on units
    sd = Xc.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)

    def growing(beta: np.ndarray, info: np.ndarray, u: np.ndarray, tol: float) -> np.ndarray:
        """Coefficients the next Newton step still moves by more than ``tol`` (relative)."""
        try:
            with np.errstate(all="ignore"):
                step = np.linalg.solve(info, u)
        except np.linalg.LinAlgError:
            return np.ones(p, dtype=bool)
        if not np.all(np.isfinite(step)):
            return np.ones(p, dtype=bool)
        return np.abs(step) * sd > tol * np.maximum(np.abs(beta) * sd, 1.0)

    converged = False
    monotone = False
    iterations = 0
    for iterations in range(1, 51):  # noqa: B007
        try:
            step = np.linalg.solve(info, u)
        except np.linalg.LinAlgError:
            break
        new = beta + step
        ll_new, u_new, info_new = data.evaluate(new, ties)
        halvings = 0
        while (not np.isfinite(ll_new) or ll_new < ll - 1e-12 * abs(ll)) and halvings < 30:
            new = (beta + new) / 2
            ll_new, u_new, info_new = data.evaluate(new, ties)
            halvings += 1
        flat = abs(ll_new - ll) <= 1e-9 * max(1.0, abs(ll_new))
        # the coefficients have settled to 1e-9; the log-likelihood test is coxph's (a
        # tighter one fails at n ~ 1e6, where the round-off of a sum of 1e6 logs exceeds it)
        done = flat and np.all(np.abs(new - beta) <= 1e-9 * (1 + np.abs(new)))
        beta, ll, u, info = new, ll_new, u_new, info_new
        if done:
            converged = True
            break
        # monotone likelihood: the log-likelihood has stopped changing (coxph's rule,
        # relative change below 1e-9) while Newton still pushes a coefficient outwards,
        # or a coefficient is beyond 30 SDs of its covariate, still pushed outwards, and
        # the others have settled
        if flat and growing(beta, info, u, 1e-2).any():
            monotone = True
            break
        far = (np.abs(beta) * sd > 30) & growing(beta, info, u, 1e-2)
        if far.any() and np.all(far | ~growing(beta, info, u, math.sqrt(1e-9))):
            monotone = True
            break
    diverging: tuple[str, ...] = ()
    valid = np.full(p, converged)
    if not converged:
        grows = growing(beta, info, u, math.sqrt(1e-9))
        if monotone or grows.any():
            diverging = tuple(nm for nm, g in zip(names, grows, strict=True) if g)
            valid = ~grows
    try:
        var = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        var = np.full((p, p), np.nan)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.diag(var))
    if diverging:
        warnings.warn(
            f"Cox coefficient(s) {list(diverging)} may be infinite (monotone likelihood: the "
            "log-likelihood stopped changing while the estimate still grows); the result has "
            "converged=False and NaN Wald z, P and confidence limits for them; the "
            "likelihood-ratio and score tests remain valid",
            ConvergenceWarning,
            stacklevel=2,
        )
    elif not converged:
        warnings.warn(
            f"Cox partial likelihood did not converge in {iterations} iterations; "
            "a coefficient may be infinite; the result has converged=False and NaN Wald "
            "z, P and confidence limits",
            ConvergenceWarning,
            stacklevel=2,
        )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        wald = float(beta @ info @ beta) if valid.all() else math.nan
        zstat = np.where(valid, beta / se, np.nan)
    from scipy.stats import norm

    pval = 2 * norm.sf(np.abs(zstat))

    def _out(a: np.ndarray) -> Any:
        return float(a[0]) if p == 1 else a

    return CoxResult(
        coef=_out(beta),
        se=_out(se),
        hazard_ratio=_out(np.exp(beta)),
        z=_out(zstat),
        pvalue=_out(pval),
        names=names,
        reference=ref,
        loglik=(float(ll0), float(ll)),
        score_test=score_test,
        wald_test=wald,
        lr_test=float(2 * (ll - ll0)),
        df=p,
        variance=var,
        ties=ties,
        confidence_level=cl,
        n=n,
        n_events=int(ev.sum()),
        iterations=iterations,
        converged=converged,
        diverging=diverging,
    )
