"""Survival and cumulative incidence at a time point, printed with a CI: which CI construction.

Two questions are answered from the printed numbers alone:

* **Which CI construction was used?**  Software builds the CI of a survival
  probability or cumulative incidence ``p`` symmetrically on a transformed
  scale ``h(p) +/- z sigma``.  For each transformation the printed estimate
  must be the ``h``-midpoint of the printed bounds; :func:`check_incidence`
  finds the transformations for which that holds anywhere in the rounding box
  of the three printed numbers, and reports the implied standard error and the
  effective sample size ``p (1 - p) / SE^2``.
* **Can the number arise from n patients at all?**  Answered by
  :func:`gvhdstats.checks.attainability.km_attainable`; :func:`check_claim`
  adds its row to an incidence claim with a known ``n``.

The transformations (names as in ``TRANSFORMS``; all written with an
increasing ``h`` so that ``L = h^{-1}(h(p) - z sigma)``):

============  ===========================  ===================================
name          h(x)                         R
============  ===========================  ===================================
``plain``     ``x``                        ``survfit(conf.type = "plain")``
``log``       ``log(x)``                   ``survfit(conf.type = "log")``
``log-log``   ``-log(-log(x))``            ``survfit(conf.type = "log-log")``;
                                           for a cumulative incidence ``F`` the
                                           usual ``F^exp(+/- z SE / (F log F))``
``cloglog``   ``log(-log(1 - x))``         ``log-log`` applied to ``1 - x``
                                           (e.g. survfit's log-log CI of
                                           ``1 - F``)
``logit``     ``log(x / (1 - x))``         ``survfit(conf.type = "logit")``
``arcsine``   ``asin(sqrt(x))``            ``survfit(conf.type = "arcsin")``
``log-        ``-log(1 - x)``              ``log`` applied to ``1 - x``: a
complement``                               cumulative incidence printed as
                                           1 - KM with survfit's default
                                           (``conf.type = "log"``) CI of S,
                                           as ``fun = "event"`` plots it
============  ===========================  ===================================

(``-log(-log x)`` is survfit's ``log(-log x)`` with the sign flipped so that
it increases; the CI is the same.)  The transformations are applied to the
printed quantity itself, survival or cumulative incidence alike.  A CI built
for ``S`` and printed for ``F = 1 - S`` (bounds ``1 - U_S``, ``1 - L_S``) is the
CI of ``F`` on the complement scale ``x -> h(1 - x)``: ``plain``, ``logit``
and ``arcsine`` are their own complements, survfit's ``log-log`` on ``S`` is
``cloglog`` on ``F`` (and the reverse), and survfit's default ``log`` on
``S`` is ``log-complement``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from gvhdstats.checks.attainability import _is_percent, km_attainable
from gvhdstats.checks.ratio import _confidence_level, _fmt, _fmt_range, _z_crit
from gvhdstats.checks.verdicts import (
    CheckResult,
    CheckRow,
    Verdict,
    closest_method,
    fit_note,
)
from gvhdstats.errors import InvalidArgumentError, InvalidIntervalError, UnknownMethodError
from gvhdstats.numbers import DEFAULT_MODE, Reported, RoundingMode
from gvhdstats.numbers.recover import _check_int

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.records import Claim, Record

__all__ = [
    "MEASURES",
    "TRANSFORMS",
    "IncidenceCheck",
    "check_claim",
    "check_incidence",
    "check_record",
    "common_transforms",
    "km_attainable",
]

Range = tuple[float, float]

#: CI transformations, in the order they are reported.
TRANSFORMS = ("plain", "log", "log-log", "cloglog", "logit", "arcsine", "log-complement")
#: Names of the corresponding ``survival::survfit`` ``conf.type`` (None: no survfit type;
#: ``cloglog`` and ``log-complement`` are survfit's ``log-log`` and ``log`` CIs of ``1 - x``).
R_CONF_TYPE = {
    "plain": "plain",
    "log": "log",
    "log-log": "log-log",
    "cloglog": None,
    "logit": "logit",
    "arcsine": "arcsin",
    "log-complement": None,
}
MEASURES = ("survival", "cumulative-incidence")

# p0 solves p = exp(-2 (1 - p)) in (0, 1): the minimum of (1 - p) / (p log(p)^2),
# the effective-n factor of the log-log transformation.
# (p0 = -W0(-2 exp(-2)) / 2; fixed-point iteration, converges fast from 0.2)


def _solve_p0() -> float:
    p = 0.2
    for _ in range(200):
        new = math.exp(-2.0 * (1.0 - p))
        if new == p:
            break
        p = new
    return p


_P0 = _solve_p0()


# --------------------------------------------------------------------------
# transformations
# --------------------------------------------------------------------------


def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


@dataclass(frozen=True)
class _Transform:
    """An increasing transformation ``h`` on (0, 1) and what the checks need of it.

    ``scale(p) = 1 / h'(p)`` turns ``sigma`` into the SE of ``p``;
    ``q(p) = p (1 - p) h'(p)^2`` gives the effective sample size ``q / sigma^2``.
    ``*_crit`` are the interior critical points of ``scale`` and ``q``.
    ``clip_low`` / ``clip_high``: whether software clips the CI at 0 / 1.
    """

    name: str
    h: Callable[[float], float]
    hinv: Callable[[float], float]
    scale: Callable[[float], float]
    q: Callable[[float], float]
    scale_crit: tuple[float, ...]
    q_crit: tuple[float, ...]
    clip_low: bool
    clip_high: bool


def _h_plain(x: float) -> float:
    return x


def _h_log(x: float) -> float:
    return -math.inf if x <= 0 else math.log(x)


def _h_loglog(x: float) -> float:
    if x <= 0:
        return -math.inf
    if x >= 1:
        return math.inf
    return -math.log(-math.log(x))


def _hinv_loglog(y: float) -> float:
    return math.exp(-math.exp(-y)) if y > -700 else 0.0


def _h_cloglog(x: float) -> float:
    if x <= 0:
        return -math.inf
    if x >= 1:
        return math.inf
    return math.log(-math.log1p(-x))


def _hinv_cloglog(y: float) -> float:
    return -math.expm1(-math.exp(y)) if y < 700 else 1.0


def _h_logc(x: float) -> float:
    return math.inf if x >= 1 else -math.log1p(-x)


def _hinv_logc(y: float) -> float:
    return -math.expm1(-y) if y > -700 else -math.inf


def _h_logit(x: float) -> float:
    if x <= 0:
        return -math.inf
    if x >= 1:
        return math.inf
    return math.log(x / (1 - x))


def _hinv_logit(y: float) -> float:
    if y >= 0:
        return 1.0 / (1.0 + math.exp(-y))
    e = math.exp(y)
    return e / (1.0 + e)


def _h_arcsine(x: float) -> float:
    return math.asin(math.sqrt(min(max(x, 0.0), 1.0)))


def _hinv_arcsine(y: float) -> float:
    return math.sin(min(max(y, 0.0), math.pi / 2)) ** 2


def _safe_div(a: float, b: float) -> float:
    return a / b if b != 0 else math.inf


_TRANSFORMS: dict[str, _Transform] = {
    "plain": _Transform(
        "plain",
        _h_plain,
        _h_plain,
        lambda p: 1.0,
        lambda p: p * (1 - p),
        (0.5,),
        (0.5,),
        True,
        True,
    ),
    "log": _Transform(
        "log",
        _h_log,
        lambda y: math.exp(y) if y < 700 else math.inf,
        lambda p: p,
        lambda p: _safe_div(1 - p, p),
        (),
        (),
        False,
        True,
    ),
    "log-log": _Transform(
        "log-log",
        _h_loglog,
        _hinv_loglog,
        lambda p: -_xlogx(p),
        lambda p: _safe_div(1 - p, p * math.log(p) ** 2) if 0 < p < 1 else math.inf,
        (1 / math.e,),
        (_P0,),
        False,
        False,
    ),
    "cloglog": _Transform(
        "cloglog",
        _h_cloglog,
        _hinv_cloglog,
        lambda p: -_xlogx(1 - p),
        lambda p: _safe_div(p, (1 - p) * math.log1p(-p) ** 2) if 0 < p < 1 else math.inf,
        (1 - 1 / math.e,),
        (1 - _P0,),
        False,
        False,
    ),
    "logit": _Transform(
        "logit",
        _h_logit,
        _hinv_logit,
        lambda p: p * (1 - p),
        lambda p: _safe_div(1.0, p * (1 - p)),
        (0.5,),
        (0.5,),
        False,
        False,
    ),
    "arcsine": _Transform(
        "arcsine",
        _h_arcsine,
        _hinv_arcsine,
        lambda p: 2 * math.sqrt(max(p * (1 - p), 0.0)),
        lambda p: 0.25,
        (0.5,),
        (),
        True,
        True,
    ),
    # survfit's default log CI of S = 1 - x carried over to x (fun = "event"): h = -log(1 - x),
    # SE of x = (1 - x) sigma, clipped where S's upper bound is clipped at 1 (x at 0)
    "log-complement": _Transform(
        "log-complement",
        _h_logc,
        _hinv_logc,
        lambda p: 1 - p,
        lambda p: _safe_div(p, 1 - p),
        (),
        (),
        True,
        False,
    ),
}


def _func_range(f, lo: float, hi: float, crit: Sequence[float]) -> Range:
    """Range of a smooth ``f`` on ``[lo, hi]`` whose only interior critical points are ``crit``."""
    xs = [lo, hi, *[c for c in crit if lo < c < hi]]
    vals = [f(x) for x in xs]
    return min(vals), max(vals)


def _coerce_transforms(value: str | Iterable[object] | None) -> tuple[str, ...]:
    if value is None:
        return TRANSFORMS
    vals = [value] if isinstance(value, str) else list(value)
    out = []
    for v in vals:
        if not isinstance(v, str) or v.lower() not in _TRANSFORMS:
            allowed = ", ".join(repr(t) for t in TRANSFORMS)
            raise UnknownMethodError(f"`transforms` must be among {allowed}, but got {v!r}")
        out.append(v.lower())
    return tuple(out)


def _prob_box(rep: Reported, mode: RoundingMode, scale: float, name: str) -> Range:
    iv = rep.interval(mode)
    lo, hi = max(iv.low / scale, 0.0), min(iv.high / scale, 1.0)
    if lo > 1 or hi < 0 or rep.value / scale > 1 or rep.value < 0:
        unit = "a percentage in [0, 100]" if scale == 100 else "a probability in [0, 1]"
        raise InvalidArgumentError(f"`{name}` must be {unit}, but got {rep.text!r}")
    return lo, hi


# --------------------------------------------------------------------------
# check_incidence
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TransformFit:
    """What one CI transformation implies for a printed estimate and CI.

    Attributes
    ----------
    name : str
        The transformation.
    consistent : bool
        Whether the estimate is the ``h``-midpoint of the CI somewhere in the
        rounding box.
    sigma : (float, float)
        Range of the SE on the transformed scale, ``(h(U) - h(L)) / (2 z)``.
    se : (float, float)
        Range of the implied SE of the probability, ``sigma / h'(p)``.
    effective_n : (float, float)
        Range of ``p (1 - p) / SE^2``.
    midpoint : float
        ``h^{-1}((h(L) + h(U)) / 2)`` at the nominal printed bounds (a probability).
    """

    name: str
    consistent: bool
    sigma: Range
    se: Range
    effective_n: Range
    midpoint: float
    sigma_nominal: float
    se_nominal: float
    effective_n_nominal: float


@dataclass(frozen=True, repr=False)
class IncidenceCheck(CheckResult):
    """Result of :func:`check_incidence`.

    Attributes
    ----------
    rows : tuple of CheckRow
        ``estimate``, ``ci_low``, ``ci_high`` (methods: the consistent
        transformations), ``effective_n`` (informational, when ``n`` is given).
    transforms : tuple of str
        The CI transformations consistent with the printed numbers.
    implied_se : dict
        ``{transform: (low, high)}``: range of the SE of the probability
        implied by the CI, for each consistent transformation.
    effective_n : dict
        ``{transform: (low, high)}``: range of ``p (1 - p) / SE^2``.
    fits : dict
        ``{transform: TransformFit}`` for every transformation tried.
    n : int or None
        The arm size the effective sample size is compared with.
    """

    estimate: float = math.nan
    percent: bool = True
    confidence_level: float = 0.95
    n: int | None = None
    transforms: tuple[str, ...] = ()
    implied_se: Mapping[str, Range] = field(default_factory=dict)
    effective_n: Mapping[str, Range] = field(default_factory=dict)
    fits: Mapping[str, TransformFit] = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = [f"transforms={self.transforms!r}"]
        for t in self.transforms:
            parts.append(
                f"{t}: se={_fmt_range(self.implied_se[t])}, "
                f"effective_n={_fmt_range(self.effective_n[t])}"
            )
        return f"IncidenceCheck({'; '.join(parts)},\n{self._repr_rows()}\n)"


def _fit_transform(
    t: _Transform,
    p_box: Range,
    l_box: Range,
    u_box: Range,
    nominal: tuple[float, float, float],
    z: float,
) -> TransformFit:
    h = t.h
    hl = [h(l_box[0]), h(l_box[1])]
    hu = [h(u_box[0]), h(u_box[1])]
    # software clips the CI at the edge of [0, 1]: a bound printed at the edge stands for
    # any unclipped value beyond it
    if t.clip_low and l_box[0] <= 0:
        hl[0] = -math.inf
    if t.clip_high and u_box[1] >= 1:
        hu[1] = math.inf
    m_lo = -math.inf if -math.inf in (hl[0], hu[0]) else (hl[0] + hu[0]) / 2
    m_hi = math.inf if math.inf in (hl[1], hu[1]) else (hl[1] + hu[1]) / 2
    hp = (h(p_box[0]), h(p_box[1]))
    consistent = hp[0] <= m_hi and hp[1] >= m_lo
    # slack for floating-point ties
    if not consistent:
        tol = 1e-12 * max(1.0, *(abs(x) for x in (*hp, m_lo, m_hi) if math.isfinite(x)))
        consistent = hp[0] <= m_hi + tol and hp[1] >= m_lo - tol
    s_lo = (hu[0] - hl[1]) / (2 * z)
    s_hi = (hu[1] - hl[0]) / (2 * z)
    if math.isnan(s_lo):
        s_lo = 0.0
    if math.isnan(s_hi):
        s_hi = math.inf
    sigma = (max(s_lo, 0.0), s_hi)
    # p over the estimate box meet the range of h-scale midpoints (the whole box if they do not)
    p_lo, p_hi = p_box
    if consistent:
        p_lo = max(p_lo, t.hinv(m_lo) if math.isfinite(m_lo) else 0.0)
        p_hi = min(p_hi, t.hinv(m_hi) if math.isfinite(m_hi) else 1.0)
        if p_lo > p_hi:
            p_lo, p_hi = p_box
    sc = _func_range(t.scale, p_lo, p_hi, t.scale_crit)
    se = (sigma[0] * sc[0], sigma[1] * sc[1] if sc[1] > 0 else 0.0)
    if math.isinf(sigma[1]) and sc[1] == 0:
        se = (se[0], math.inf)
    q = _func_range(t.q, p_lo, p_hi, t.q_crit)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_lo = q[0] / sigma[1] ** 2 if sigma[1] > 0 else math.inf
        n_hi = q[1] / sigma[0] ** 2 if sigma[0] > 0 else math.inf
    if math.isinf(sigma[1]):
        n_lo = 0.0
    pn, ln, un = nominal
    s_nom = (h(un) - h(ln)) / (2 * z)
    if math.isnan(s_nom):
        s_nom = math.inf
    hm = (h(ln) + h(un)) / 2
    mid = t.hinv(hm) if not math.isnan(hm) else math.nan
    se_nom = s_nom * t.scale(pn) if math.isfinite(s_nom) else math.inf
    qn = t.q(pn)
    n_nom = qn / s_nom**2 if (math.isfinite(s_nom) and s_nom > 0) else math.nan
    return TransformFit(t.name, consistent, sigma, se, (n_lo, n_hi), mid, s_nom, se_nom, n_nom)


def check_incidence(
    estimate: str | Reported,
    ci: tuple[str | Reported, str | Reported],
    *,
    confidence_level: float | str = 0.95,
    percent: bool | None = None,
    n: int | None = None,
    transforms: Sequence[str] | str | None = None,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> IncidenceCheck:
    """Infer the CI transformation behind a printed survival or cumulative incidence.

    Parameters
    ----------
    estimate : str
        The printed probability, e.g. ``"39.5"`` (percent) or ``"0.395"``.
    ci : (str, str)
        The printed CI bounds.
    confidence_level : float or str
        Level of the CI (0.95 or a printed ``"95"``).
    percent : bool, optional
        Whether the numbers are percentages; by default, when a ``%`` is
        printed or a number exceeds 1.
    n : int, optional
        Arm size, to compare with the effective sample size.
    transforms : sequence of str, optional
        Transformations to try (default: all of ``TRANSFORMS``).
    mode : str
        Rounding mode of the printed numbers.

    Returns
    -------
    IncidenceCheck
        ``.transforms`` names the consistent transformations; ``.implied_se``
        and ``.effective_n`` give, per consistent transformation, ranges over
        the rounding box; rows ``estimate``, ``ci_low``, ``ci_high`` (and
        ``effective_n`` when ``n`` is given).

    Raises
    ------
    ReportedNumberError
        When a printed number cannot be parsed.
    InvalidIntervalError
        When the bounds are not ordered or do not contain the estimate.
    InvalidArgumentError
        For numbers outside [0, 1] (or [0, 100] for percentages), a bad
        ``confidence_level`` or ``n``.
    UnknownMethodError
        For an unknown transformation name.

    Notes
    -----
    A CI built on the scale ``h`` is ``h^{-1}(h(p) -/+ z sigma)``, so
    ``h(L) + h(U) = 2 h(p)``: the estimate is the ``h``-midpoint of the CI,
    and ``sigma = (h(U) - h(L)) / (2 z)``.  With every ``h`` increasing, the
    midpoint ``h^{-1}((h(L) + h(U))/2)`` is increasing in both bounds, so over
    the rounding box of ``(L, U)`` it ranges exactly over
    ``[mid(L_lo, U_lo), mid(L_hi, U_hi)]``; a transformation is consistent when
    that range meets the rounding interval of ``p``.  (This is the exact form
    of "the SEs implied by the lower and the upper bound agree within
    rounding": both SEs share the same ``p``.)  ``sigma`` is increasing in ``U``
    and decreasing in ``L``.  The SE of ``p`` is ``sigma / h'(p)`` (delta
    method: for ``log`` ``p sigma``, ``log-log`` ``p |log p| sigma``, ``cloglog``
    ``(1 - p)|log(1 - p)| sigma``, ``logit`` ``p(1 - p) sigma``, ``arcsine``
    ``2 sqrt(p(1 - p)) sigma``) and the effective sample size is
    ``p(1 - p) / SE^2``; their ranges use the extremes of ``1/h'`` and
    ``p(1 - p) h'(p)^2`` over the ``p`` interval (end points and known
    critical points).  Without censoring a Greenwood or binomial SE gives an
    effective size equal to ``n``; censoring makes it smaller.  A bound
    printed at 0 or 100% may have been clipped (plain, arcsine at both ends,
    log at 1) and then constrains only one side.

    R: ``summary(survfit(Surv(time, status) ~ 1, conf.type = "log-log"), times = t)``
    gives ``surv``, ``lower``, ``upper`` and ``std.err`` (the SE of
    ``-log S``, i.e. ``SE / S``).

    References
    ----------
    Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data,
    2nd ed. Wiley 2002, section 1.4.
    Choudhury JB. Non-parametric confidence interval estimation for competing
    risks analysis: application to contraceptive data. Stat Med 2002;21:1129-44.
    Borgan O, Liestol K. A note on confidence intervals and bands for the
    survival function based on transformations. Scand J Stat 1990;17:35-41.

    Examples
    --------
    Two-year cumulative incidence of chronic GVHD in the MSC arm of the phase 3
    trial (Zhao et al. 2022), 39.5% (95% CI, 29.3-49.4%):

    >>> from gvhdstats import check_incidence
    >>> res = check_incidence(estimate="39.5", ci=("29.3", "49.4"), percent=True, n=99)
    >>> res.transforms
    ('log-log',)
    >>> [round(x, 1) for x in res.effective_n["log-log"]]
    [87.8, 89.7]

    A cumulative incidence printed as 1 - Kaplan-Meier with survfit's default
    (log) CI of the survival, 27.8% (21.7-33.4%):

    >>> check_incidence(estimate="27.8", ci=("21.7", "33.4")).transforms
    ('log-complement',)
    """
    mode = RoundingMode.coerce(mode)
    cl = _confidence_level(confidence_level)
    names = _coerce_transforms(transforms)
    e_rep = Reported.parse(estimate, name="estimate")
    if not isinstance(ci, tuple | list) or len(ci) != 2:
        raise InvalidIntervalError(f"`ci` must be a pair (low, high), but got {ci!r}")
    l_rep = Reported.parse(ci[0], name="ci[0]")
    u_rep = Reported.parse(ci[1], name="ci[1]")
    if not l_rep.value <= e_rep.value <= u_rep.value:
        raise InvalidIntervalError(
            f"`ci` must be (low, high) around the estimate {e_rep.text!r}, "
            f"but got {(l_rep.text, u_rep.text)!r}"
        )
    nn = None if n is None else _check_int(n, "n", minimum=1)
    pct = _is_percent(percent, e_rep, l_rep, u_rep)
    scale = 100.0 if pct else 1.0
    p_box = _prob_box(e_rep, mode, scale, "estimate")
    l_box = _prob_box(l_rep, mode, scale, "ci[0]")
    u_box = _prob_box(u_rep, mode, scale, "ci[1]")
    z = _z_crit(cl)
    nominal = (e_rep.value / scale, l_rep.value / scale, u_rep.value / scale)
    fits = {nm: _fit_transform(_TRANSFORMS[nm], p_box, l_box, u_box, nominal, z) for nm in names}
    good = tuple(nm for nm in names if fits[nm].consistent)
    rows = _incidence_rows(e_rep, l_rep, u_rep, fits, good, scale, nn, boxes=(p_box, l_box, u_box))
    return IncidenceCheck(
        rows=tuple(rows),
        estimate=nominal[0],
        percent=pct,
        confidence_level=cl,
        n=nn,
        transforms=good,
        implied_se={t: fits[t].se for t in good},
        effective_n={t: fits[t].effective_n for t in good},
        fits=fits,
    )


def _h_box(t: _Transform, box: Range, *, low_end: bool) -> Range:
    """``h`` of a probability box; a clipped edge bound opens the box to infinity."""
    with np.errstate(all="ignore"):
        lo, hi = t.h(box[0]), t.h(box[1])
    if low_end and t.clip_low and box[0] <= 0:
        lo = -math.inf
    if not low_end and t.clip_high and box[1] >= 1:
        hi = math.inf
    return lo, hi


def _back(t: _Transform, y: float, fallback: float) -> float:
    """``h^{-1}(y)`` kept in [0, 1] (``fallback`` for an undefined ``y``)."""
    if math.isnan(y):
        return fallback
    if math.isinf(y):
        return 0.0 if y < 0 else 1.0
    with np.errstate(all="ignore"):
        v = t.hinv(y)
    return fallback if math.isnan(v) else min(max(v, 0.0), 1.0)


def _recomputed_range(
    t: _Transform, quantity: str, p_box: Range, l_box: Range, u_box: Range
) -> Range:
    """Range over the rounding box of the estimate (the ``h``-midpoint of the CI) or of a
    CI bound (``h^{-1}(2 h(p) - h(other bound))``), as probabilities in [0, 1]."""
    hp = _h_box(t, p_box, low_end=True)
    hl = _h_box(t, l_box, low_end=True)
    hu = _h_box(t, u_box, low_end=False)
    with np.errstate(all="ignore"):
        if quantity == "estimate":
            a, b = (hl[0] + hu[0]) / 2, (hl[1] + hu[1]) / 2
        elif quantity == "ci_low":
            a, b = 2 * hp[0] - hu[1], 2 * hp[1] - hu[0]
        else:
            a, b = 2 * hp[0] - hl[1], 2 * hp[1] - hl[0]
    return _back(t, a, 0.0), _back(t, b, 1.0)


def _edge_note(
    e_rep: Reported, l_rep: Reported, u_rep: Reported, boxes: tuple[Range, Range, Range] | None
) -> str:
    """Explain printed numbers at 0 or 100% (an interval touching an edge of [0, 1])."""
    if boxes is None:
        return ""
    (p0, p1), (l0, _), (_, u1) = boxes
    parts = []
    if l0 <= 0:
        parts.append(
            f"the lower bound {l_rep.text} stands for values down to 0, where the log, "
            "log-log, cloglog and logit scales are infinite and plain or arcsine CIs are "
            "clipped: it constrains the transformation from one side only"
        )
    if u1 >= 1:
        parts.append(
            f"the upper bound {u_rep.text} stands for values up to 100%, where the log-log, "
            "cloglog and logit scales are infinite and plain, log or arcsine CIs are "
            "clipped: it constrains the transformation from one side only"
        )
    if p0 <= 0 or p1 >= 1:
        parts.append(
            f"an estimate of {e_rep.text} at the edge has a Greenwood (binomial) SE of 0, "
            "so no transformation's CI around it is wider than a point; a wider printed CI "
            "comes from another method (exact, Wilson) or a value just inside the edge"
        )
    return "; ".join(parts)


def _incidence_rows(
    e_rep: Reported,
    l_rep: Reported,
    u_rep: Reported,
    fits: Mapping[str, TransformFit],
    good: tuple[str, ...],
    scale: float,
    n: int | None,
    boxes: tuple[Range, Range, Range] | None = None,
) -> list[CheckRow]:
    rows = []
    pn, ln, un = e_rep.value / scale, l_rep.value / scale, u_rep.value / scale
    edge = _edge_note(e_rep, l_rep, u_rep, boxes)

    def in_range(quantity: str, name: str, rep: Reported) -> float | None:
        """The value of the recomputed range (over the rounding box) nearest the printed one.

        The range is computed on the ``h`` scale, with a bound printed at the edge of
        [0, 1] taken as clipped where the software clips, mapped back and kept in [0, 1]:
        for a consistent transformation it meets the printed interval, so the value
        returned prints as the printed number.
        """
        if boxes is None:
            return None
        lo, hi = _recomputed_range(_TRANSFORMS[name], quantity, *boxes)
        return min(max(rep.value / scale, lo), hi) * scale

    for quantity, rep in (("estimate", e_rep), ("ci_low", l_rep), ("ci_high", u_rep)):
        recomputed = {}
        for name, f in fits.items():
            t = _TRANSFORMS[name]
            if quantity == "estimate":
                v = f.midpoint
            elif quantity == "ci_low":
                v = t.hinv(2 * t.h(pn) - t.h(un))
            else:
                v = t.hinv(2 * t.h(pn) - t.h(ln))
            recomputed[name] = v * scale
        # each transformation's value nearest the printed one over the rounding box
        nearest: dict[str, float] = {}
        for name in fits:
            x = in_range(quantity, name, rep)
            v = recomputed[name] if x is None else x
            if not math.isnan(v):
                nearest[name] = v
        matching = {m: nearest[m] for m in good if m in nearest}
        nonmatching = {m: v for m, v in nearest.items() if m not in good}
        fit_text = fit_note(rep, matching, nonmatching, what="transformations")
        if good:
            scales = ", ".join(good)
            note = (
                f"the CI is symmetric about the estimate on the {scales} "
                f"scale{'s' if len(good) > 1 else ''} (within rounding)"
            )
            if edge:
                note += f"; {edge}"
            pick = closest_method(matching, rep.value) if matching else good[0]
            rows.append(
                CheckRow(
                    quantity,
                    rep.text,
                    Verdict.REPRODUCED,
                    good,
                    matching.get(pick, recomputed[good[0]]),
                    None,
                    "; ".join(x for x in (note, fit_text) if x),
                    recomputed_method=pick,
                    discriminates=(len(good) == 1) if len(fits) > 1 else None,
                    matching=matching,
                    nonmatching=nonmatching,
                )
            )
        else:
            pool = nonmatching or recomputed
            near_m = closest_method(pool, rep.value)
            note = "the CI is symmetric about the estimate on no transformed scale"
            rows.append(
                CheckRow(
                    quantity,
                    rep.text,
                    Verdict.INCONSISTENT,
                    (),
                    pool[near_m],
                    None,
                    "; ".join(x for x in (note, fit_text) if x),
                    recomputed_method=near_m,
                    matching=matching,
                    nonmatching=nonmatching,
                )
            )
    if n is not None and good:
        parts = []
        for tname in good:
            en = fits[tname].effective_n
            parts.append(f"{tname}: {_fmt_range(en)} ({_fmt(en[0] / n)}-{_fmt(en[1] / n)} x n)")
        first = fits[good[0]]
        verdict_note = f"effective sample size p(1-p)/SE^2 against n = {n}: " + "; ".join(parts)
        if all(fits[tname].effective_n[0] > n for tname in good):
            verdict_note += (
                "; larger than the arm under every consistent transformation: "
                "the CI is narrower than a binomial CI with every patient followed"
            )
        else:
            verdict_note += "; informational (censoring lowers the effective size)"
        rows.append(
            CheckRow(
                "effective_n",
                str(n),
                Verdict.NOT_CHECKABLE,
                (),
                first.effective_n_nominal,
                None,
                verdict_note,
                recomputed_method=good[0],
            )
        )
    return rows


def common_transforms(results: Sequence[IncidenceCheck]) -> tuple[str, ...]:
    """The transformations consistent with every result (in ``TRANSFORMS`` order).

    Examples
    --------
    The four cumulative incidences of the phase 3 trial (Zhao et al. 2022):

    >>> from gvhdstats.checks.incidence import check_incidence, common_transforms
    >>> res = [check_incidence(e, (lo, hi)) for e, lo, hi in [
    ...     ("39.5", "29.3", "49.4"), ("62.7", "51.4", "72.1"),
    ...     ("10.1", "5.2", "17.1"), ("13.5", "7.5", "21.2")]]
    >>> common_transforms(res)
    ('log-log',)
    """
    sets = [set(r.transforms) for r in results]
    if not sets:
        return ()
    common = set.intersection(*sets)
    return tuple(t for t in TRANSFORMS if t in common)


# --------------------------------------------------------------------------
# Record claims
# --------------------------------------------------------------------------


def _claim_n(claim: Claim, record: Record) -> tuple[int | None, str]:
    # printed or assumed, else the size of the claim's design arm (the note says which)
    n, note = claim.denominator("n", record)
    return (n, note) if n is not None and n >= 1 else (None, "")


def _claim_percent(*reps: Reported | None) -> bool:
    return _is_percent(None, *reps)


def _attain_row(claim: Claim, record: Record, est: Reported, n: int, n_note: str) -> CheckRow:
    measure = str(claim.get("measure", "survival"))
    if measure not in MEASURES:
        raise claim.error(f"must be one of {MEASURES}, got {measure!r}", "measure")
    res = km_attainable(
        est,
        n,
        percent=_claim_percent(est),
        measure=measure,
        competing_risks=bool(claim.get("competing_risks", False)),
    )
    row = res.row()
    if n_note:
        row = replace(row, note=f"{row.note}; {n_note}")
    return row


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``incidence``.

    Keys (``docs/records.md``): printed ``estimate``, ``ci_low``, ``ci_high``,
    ``ci_level``; ``n`` printed or assumed (else the size of the claim's single
    arm); top-level ``measure``, ``time``, ``competing_risks``.  Rows: with a
    CI, those of :func:`check_incidence`; with ``n``, an ``attainable`` row
    from :func:`km_attainable`.
    """
    from gvhdstats.checks.ratio import _claim_level

    est = claim.printed_number("estimate")
    if est is None:
        raise claim.error("is required for an incidence claim", "printed.estimate")
    lo = claim.printed_number("ci_low")
    hi = claim.printed_number("ci_high")
    if (lo is None) != (hi is None):
        missing = "ci_high" if hi is None else "ci_low"
        raise claim.error("both CI bounds are needed", f"printed.{missing}")
    n, n_note = _claim_n(claim, record)
    rows: list[CheckRow] = []
    if lo is not None and hi is not None:
        res = check_incidence(
            est,
            (lo, hi),
            confidence_level=_claim_level(claim),
            percent=_claim_percent(est, lo, hi),
            n=n,
        )
        for r in res.rows:
            if r.quantity == "effective_n" and n_note:
                r = dataclasses.replace(r, note=f"{r.note}; {n_note}")
            rows.append(r)
    else:
        rows.append(
            CheckRow(
                "estimate",
                est.text,
                Verdict.NOT_CHECKABLE,
                note="no CI printed: the CI transformation cannot be inferred",
            )
        )
    if n is not None:
        rows.append(_attain_row(claim, record, est, n, n_note))
    return rows


def check_record(record: Record) -> list[tuple[str, CheckRow]]:
    """One row for the CI transformation common to all ``incidence`` claims with a CI.

    The row is attached to the **first** such claim (claim ids in the verify
    table stay real claim ids) with quantity ``transform[common]`` and lists
    every claim in the note.  It is ``reproduced`` (methods: the common
    transformations) when one transformation fits every claim, else
    ``not-checkable`` with each claim's transformations (different endpoints
    may legitimately use different software).  Records with fewer than two
    incidence claims with a CI get no row.
    """
    from gvhdstats.checks.ratio import _claim_level

    results = []
    for claim in record.claims:
        if claim.type != "incidence":
            continue
        est = claim.printed_number("estimate")
        lo = claim.printed_number("ci_low")
        hi = claim.printed_number("ci_high")
        if est is None or lo is None or hi is None:
            continue
        try:
            res = check_incidence(
                est,
                (lo, hi),
                confidence_level=_claim_level(claim),
                percent=_claim_percent(est, lo, hi),
            )
        except InvalidArgumentError:
            continue
        results.append((claim, res))
    if len(results) < 2:
        return []
    common = common_transforms([r for _, r in results])
    per = "; ".join(f"{c.id}: {', '.join(r.transforms) or 'none'}" for c, r in results)
    text = ", ".join(
        f"{c.printed['estimate']} ({c.printed['ci_low']}-{c.printed['ci_high']})"
        for c, _ in results
    )
    if common:
        row = CheckRow(
            "transform[common]",
            text,
            Verdict.REPRODUCED,
            common,
            None,
            None,
            f"one CI transformation fits all {len(results)} incidence CIs ({per})",
        )
    else:
        row = CheckRow(
            "transform[common]",
            text,
            Verdict.NOT_CHECKABLE,
            (),
            None,
            None,
            f"no single CI transformation fits every incidence CI ({per})",
        )
    return [(results[0][0].id, row)]
