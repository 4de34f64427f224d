"""Ratio estimates printed with a CI and a P: hazard, subdistribution hazard, odds and risk ratios.

A printed ratio ("HR 0.68; 95% CI, 0.48-0.95; P = 0.024") carries three
numbers that a Wald analysis on the log scale ties together:

* the estimate is the geometric midpoint of the CI, ``est = sqrt(L * U)``;
* the standard error of the log ratio is ``SE = (ln U - ln L) / (2 z)`` with
  ``z = Phi^{-1}(1 - (1 - level) / 2)`` (Altman & Bland 2011, Tierney 2007);
* the two-sided Wald P is ``2 * (1 - Phi(|ln est| / SE))``.

Every check here is done **over the whole rounding box** of the printed
numbers: each printed number stands for the interval of true values that print
as it (:meth:`gvhdstats.numbers.Reported.interval`), and the recomputed
quantities are carried as exact ranges over that box.  The ranges are exact
(not sampled) because each quantity is monotone in each input, or bilinear on
the log scale, so its extremes lie at corners of the box (see the Notes of
:func:`check_ratio`).

For hazard ratios the SE also gives the number of events the analysis must
have had (Tierney et al. 2007): ``D = (1 + r)^2 / (r SE^2)`` for allocation
ratio ``r`` (``4 / SE^2`` at 1:1).

The engine plug-ins are :func:`check_claim` (claim type ``ratio``),
:func:`check_median_claim` (type ``median``) and :func:`check_record`
(cross-claim rows: implied events against arm sizes and against printed
cumulative incidences).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from gvhdstats._validation import check_confidence_level
from gvhdstats._validation import normal_quantile as _ndtri
from gvhdstats._validation import z_two_sided as _z_crit
from gvhdstats.checks.verdicts import (
    CheckResult,
    CheckRow,
    Verdict,
    closest_method,
    fit_note,
    fmt_number,
    fmt_range,
    percent_text,
)
from gvhdstats.errors import InvalidArgumentError, InvalidIntervalError, InvalidPValueError
from gvhdstats.methods._results import ConfidenceInterval
from gvhdstats.numbers import BOUNDARY_RTOL, DEFAULT_MODE, Reported, RoundingInterval, RoundingMode

if TYPE_CHECKING:  # pragma: no cover
    from gvhdstats.records import Claim, Record

__all__ = [
    "HYPOTHESES",
    "OTHER_LEVELS",
    "RATIO_MEASURES",
    "RatioCheck",
    "RatioMeasure",
    "check_claim",
    "check_median_claim",
    "check_ratio",
    "check_record",
    "implied_events",
]

Range = tuple[float, float]

#: A claim's quote that speaks of non-inferiority (when no ``hypothesis`` is given).
_NI_TEXT = re.compile(r"non-?\s?inferior", re.IGNORECASE)

#: Significance level at which decision errors are judged.
SIGNIFICANCE_LEVEL = 0.05

#: What a printed P tests: equality (two-sided unless ``p_sided=1``) or
#: non-inferiority against a ``margin`` (one-sided).
HYPOTHESES = ("superiority", "non-inferiority")

#: Confidence levels tried when the P is not the Wald P of the CI at the printed level.
OTHER_LEVELS = (0.90, 0.95, 0.99)


class RatioMeasure(StrEnum):
    """The ratio a claim prints.

    R equivalents: ``hazard-ratio`` is ``exp(coef(survival::coxph(...)))``,
    ``subdistribution-hazard-ratio`` is ``exp(cmprsk::crr(...)$coef)`` (or
    ``coxph`` on ``survival::finegray`` data), ``odds-ratio`` is
    ``epitools::oddsratio(method = "wald")``, ``risk-ratio`` is
    ``epitools::riskratio(method = "wald")``, ``rate-ratio`` (an incidence rate
    ratio) is ``exp(coef(glm(events ~ arm + offset(log(time)), family = poisson)))``.
    """

    HAZARD_RATIO = "hazard-ratio"
    SUBDISTRIBUTION_HAZARD_RATIO = "subdistribution-hazard-ratio"
    ODDS_RATIO = "odds-ratio"
    RISK_RATIO = "risk-ratio"
    RATE_RATIO = "rate-ratio"

    @property
    def quantity(self) -> str:
        """Row name of the estimate, e.g. ``"hazard_ratio"``."""
        return self.value.replace("-", "_")

    @property
    def is_hazard(self) -> bool:
        return self in (RatioMeasure.HAZARD_RATIO, RatioMeasure.SUBDISTRIBUTION_HAZARD_RATIO)


RATIO_MEASURES = tuple(m.value for m in RatioMeasure)


# --------------------------------------------------------------------------
# small helpers shared with gvhdstats.checks.incidence
# --------------------------------------------------------------------------


def _coerce_measure(value: object) -> RatioMeasure:
    if isinstance(value, RatioMeasure):
        return value
    if isinstance(value, str):
        try:
            return RatioMeasure(value.lower())
        except ValueError:
            pass
    from gvhdstats.errors import UnknownMethodError

    allowed = ", ".join(repr(m) for m in RATIO_MEASURES)
    raise UnknownMethodError(f"`measure` must be one of {allowed}, but got {value!r}")


def _confidence_level(value: object, name: str = "confidence_level") -> float:
    """A confidence level from a float in (0, 1) or a printed string ("95", "0.95", "95%")."""
    if not isinstance(value, Reported | str):
        return check_confidence_level(value, name)
    rep = Reported.parse(value, name=name)
    v = rep.value / 100.0 if (rep.percent or rep.value > 1) else rep.value
    if not 0.0 < v < 1.0:
        raise InvalidArgumentError(f"`{name}` must be a number in (0, 1), but got {value!r}")
    return v


def _wald_p(z: float) -> float:
    """Two-sided normal P ``2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2)``, accurate in the tails."""
    if math.isnan(z):
        return math.nan
    return math.erfc(abs(z) / math.sqrt(2.0))


def _box(rep: Reported, mode: RoundingMode, scale: float = 1.0) -> tuple[float, float]:
    """Closed hull ``[low, high]`` of the rounding interval of ``rep`` (divided by ``scale``)."""
    iv = rep.interval(mode)
    return iv.low / scale, iv.high / scale


def _log(x: float) -> float:
    if x <= 0:
        return -math.inf
    if math.isinf(x):
        return math.inf
    return math.log(x)


def _positive_box(rep: Reported, mode: RoundingMode, name: str) -> tuple[float, float]:
    lo, hi = _box(rep, mode)
    if hi <= 0:
        raise InvalidArgumentError(f"`{name}` must be a positive ratio, but got {rep.text!r}")
    return max(lo, 0.0), hi


def _meets(lo: float, hi: float, iv: RoundingInterval) -> bool:
    """Whether the closed range ``[lo, hi]`` meets the rounding interval ``iv``.

    Ends are compared with the relative slack ``BOUNDARY_RTOL`` so that a range
    that touches the interval up to floating-point error counts as meeting it.
    """
    if math.isnan(lo) or math.isnan(hi):
        return False
    s_hi = BOUNDARY_RTOL * max(1.0, abs(iv.high)) if math.isfinite(iv.high) else 0.0
    s_lo = BOUNDARY_RTOL * max(1.0, abs(iv.low)) if math.isfinite(iv.low) else 0.0
    return lo <= iv.high + s_hi and hi >= iv.low - s_lo


def _zero_note(
    e_rep: Reported | None, e_box: Range | None, l_rep: Reported | None, l_box: Range | None
) -> str:
    """Explain a ratio or a CI bound printed as 0 (its rounding interval reaches 0)."""
    parts = []
    if e_rep is not None and e_box is not None and e_box[0] <= 0:
        parts.append(
            f"the estimate {e_rep.text} stands for ratios down to 0, whose logarithm is "
            "unbounded below: the P and the CI bounds it implies are bounded on one side only"
        )
    if l_rep is not None and l_box is not None and l_box[0] <= 0:
        parts.append(
            f"the lower bound {l_rep.text} stands for values down to 0: the SE of the log "
            "ratio is unbounded above, so the CI bounds the Wald P from below only"
        )
    return "; ".join(parts)


def _representative(nominal: float | None, rng: Range, rep: Reported) -> float:
    """The recomputed value shown on a reproduced row.

    The value at the nominal printed numbers, unless it is undefined or
    degenerate (NaN, 0 or infinite: a bound or estimate printed as 0 makes the
    geometric midpoint 0 and the nominal Wald P undefined); then the value of
    the recomputed range nearest the printed one, which prints as it (the range
    meets the rounding interval), so a reproduced row never shows a value far
    from the printed number.
    """
    if nominal is not None and math.isfinite(nominal) and nominal > 0:
        return nominal
    return _nearest(rng[0], rng[1], rep.value)


def _nearest(lo: float, hi: float, x: float) -> float:
    return min(max(x, lo), hi)


# notes print numbers with the shared helpers (kept under their old names for other modules)
_fmt = fmt_number
_fmt_range = fmt_range


def _side(iv: RoundingInterval, alpha: float = SIGNIFICANCE_LEVEL) -> bool | None:
    """True when every value of ``iv`` is below ``alpha``, False when none is, else None."""
    if iv.high < alpha or (iv.high == alpha and not iv.high_closed):
        return True
    if iv.low >= alpha:
        return False
    return None


def _range_side(r: Range, alpha: float = SIGNIFICANCE_LEVEL) -> bool | None:
    if r[1] < alpha:
        return True
    if r[0] >= alpha:
        return False
    return None


# --------------------------------------------------------------------------
# interval arithmetic on the log scale
# --------------------------------------------------------------------------


def _se_range(l_box: Range, u_box: Range, z: float) -> Range:
    """Range of ``(ln U - ln L) / (2 z)`` over the box: increasing in U, decreasing in L."""
    lo = (_log(u_box[0]) - _log(l_box[1])) / (2 * z)
    hi = (_log(u_box[1]) - _log(l_box[0])) / (2 * z)
    return max(lo, 0.0), hi


def _midpoint_range(l_box: Range, u_box: Range) -> Range:
    """Range of ``sqrt(L U)`` over the box: increasing in both bounds."""
    return math.sqrt(l_box[0] * u_box[0]), math.sqrt(l_box[1] * u_box[1])


def _abs_log_range(e_box: Range) -> Range:
    """Range of ``|ln e|`` over ``e`` in the box (0 when the box contains 1)."""
    a, b = _log(e_box[0]), _log(e_box[1])
    if a <= 0.0 <= b:
        return 0.0, max(-a, b)
    return min(abs(a), abs(b)), max(abs(a), abs(b))


def _ratio_range(num: Range, den: Range) -> Range:
    """Range of ``num / den`` for non-negative numerators and positive denominators."""
    lo = num[0] / den[1] if den[1] > 0 else 0.0
    hi = num[1] / den[0] if den[0] > 0 else math.inf
    return lo, hi


def _signed_z_range(a_box: Range, se: Range) -> Range:
    """Range of ``a / s`` for ``a`` in ``a_box`` and ``s`` in ``se`` (``s > 0``)."""

    def div(a: float, s: float) -> float:
        if s == 0:
            return 0.0 if a == 0 else math.copysign(math.inf, a)
        return a / s

    vals = [div(a, s) for a in a_box for s in se]
    return min(vals), max(vals)


def _p_range(abs_log: Range, se: Range) -> tuple[Range, Range]:
    """Ranges of ``|z| = |ln e| / SE`` and of the Wald P (decreasing in ``|z|``)."""
    zr = _ratio_range(abs_log, se)
    return zr, (_wald_p(zr[1]), _wald_p(zr[0]))


def _ci_from_p_range(a_box: Range, p_iv: RoundingInterval, z: float, upper: bool) -> Range | None:
    """Range of a CI bound rebuilt from the estimate and the P (Altman & Bland 2011).

    With ``a = ln est`` and ``b = 1 / z_p`` (``z_p = Phi^{-1}(1 - P/2)``), the
    bound is ``exp(a -/+ z |a| b)``: bilinear in ``(a, b)`` on each side of
    ``a = 0``, so its extremes lie at the corners ``{a_low, 0, a_high} x {b_low, b_high}``.
    """
    p_lo = max(p_iv.low, 0.0)
    p_hi = min(p_iv.high, 1.0)
    if p_hi <= 0:
        return None
    zp_max = math.inf if p_lo <= 0 else float(-_ndtri(p_lo / 2))
    zp_min = float(-_ndtri(p_hi / 2))
    if zp_min <= 0:
        b_vals = [0.0 if math.isinf(zp_max) else 1 / zp_max, math.inf]
    else:
        b_vals = [0.0 if math.isinf(zp_max) else 1 / zp_max, 1 / zp_min]
    a_vals = [a_box[0], a_box[1]]
    if a_box[0] < 0 < a_box[1]:
        a_vals.append(0.0)
    sign = 1.0 if upper else -1.0
    out = []
    for a in a_vals:
        for b in b_vals:
            if math.isinf(a):
                continue
            t = a + sign * z * abs(a) * b if not (math.isinf(b) and a == 0) else 0.0
            out.append(math.exp(t) if t < 700 else math.inf)
    if not out:
        return None
    return min(out), max(out)


# --------------------------------------------------------------------------
# result object
# --------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class RatioCheck(CheckResult):
    """Result of :func:`check_ratio`.

    Attributes
    ----------
    rows : tuple of CheckRow
        One row per printed number: the estimate (``hazard_ratio``,
        ``odds_ratio``, ...), ``ci_low``, ``ci_high`` and ``p``.
    measure : str
        The ratio measure.
    confidence_level : float
        Level of the printed CI.
    allocation_ratio : float
        Allocation ratio (treatment : control) used for the implied events.
    statistic : float
        Wald z statistic ``ln(est) / SE`` at the nominal printed values
        (NaN when not computable).
    pvalue : float
        Two-sided Wald P at the nominal printed values.
    se_log : (float, float) or None
        Range of the SE of the log ratio over the rounding box (from the CI,
        or, without a CI, from the estimate and the P).
    z : (float, float) or None
        Range of the Wald z statistic ``ln(est) / SE`` over the box.
    p_wald : (float, float) or None
        Range of the two-sided Wald P over the box.
    midpoint : (float, float) or None
        Range of the geometric midpoint ``sqrt(L U)`` of the CI over the box.
    implied_events : (float, float) or None
        Range of the number of events implied by the SE (hazard ratios only;
        Tierney et al. 2007): ``(1 + r)^2 / (r SE^2)``.
    """

    measure: str = "hazard-ratio"
    confidence_level: float = 0.95
    allocation_ratio: float = 1.0
    statistic: float = math.nan
    pvalue: float = math.nan
    estimate: float | None = None
    se_log_nominal: float | None = None
    se_log: Range | None = None
    z: Range | None = None
    p_wald: Range | None = None
    midpoint: Range | None = None
    implied_events: Range | None = None

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Wald CI ``est * exp(+/- z SE)`` at the nominal printed estimate and SE.

        Re-derives the interval at another level (e.g. 0.99) from the printed
        numbers; NaN bounds when the estimate or the SE is not available.
        """
        cl = _confidence_level(confidence_level)
        if self.estimate is None or self.se_log_nominal is None:
            return ConfidenceInterval(math.nan, math.nan)
        zc = _z_crit(cl)
        le = math.log(self.estimate)
        return ConfidenceInterval(
            math.exp(le - zc * self.se_log_nominal), math.exp(le + zc * self.se_log_nominal)
        )

    def __repr__(self) -> str:
        parts = [f"measure={self.measure!r}"]
        for name in ("se_log", "z", "p_wald", "implied_events"):
            r = getattr(self, name)
            if r is not None:
                parts.append(f"{name}={_fmt_range(r)}")
        return f"RatioCheck({', '.join(parts)},\n{self._repr_rows()}\n)"


# --------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------


def implied_events(se_log: float, allocation_ratio: float = 1.0) -> float:
    """Number of events implied by the SE of a log hazard ratio (Tierney et al. 2007).

    Parameters
    ----------
    se_log : float
        Standard error of the log hazard ratio.
    allocation_ratio : float
        Allocation ratio ``r`` = treatment : control (1 for 1:1).

    Returns
    -------
    float
        ``D = (1 + r)^2 / (r * se_log^2)``, i.e. ``4 / se_log^2`` at 1:1 (not rounded).

    Raises
    ------
    InvalidArgumentError
        When ``se_log`` or ``allocation_ratio`` is not a positive finite number.

    Notes
    -----
    Under the null and equal censoring, the log-rank variance is
    ``V = D r / (1 + r)^2`` and ``Var(ln HR) = 1 / V`` (Parmar et al. 1998;
    Tierney et al. 2007, Trials 8:16), hence ``D = (1 + r)^2 / (r SE^2)``.
    Away from HR = 1 the true number of events is usually somewhat larger.
    There is no R function for this; by hand in R: ``(1 + r)^2 / (r * se^2)``.

    References
    ----------
    Tierney JF, Stewart LA, Ghersi D, Burdett S, Sydes MR. Practical methods for
    incorporating summary time-to-event data into meta-analysis. Trials 2007;8:16.

    Examples
    --------
    >>> round(implied_events(0.5), 6)
    16.0
    >>> round(implied_events(0.5, allocation_ratio=2.0), 6)
    18.0
    """
    for name, v in (("se_log", se_log), ("allocation_ratio", allocation_ratio)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not (0 < v < math.inf):
            raise InvalidArgumentError(f"`{name}` must be a positive finite number, but got {v!r}")
    r = float(allocation_ratio)
    return (1.0 + r) ** 2 / (r * float(se_log) ** 2)


def _events_range(se: Range, r: float) -> Range:
    k = (1.0 + r) ** 2 / r
    lo = k / se[1] ** 2 if se[1] > 0 and math.isfinite(se[1]) else 0.0
    hi = k / se[0] ** 2 if se[0] > 0 else math.inf
    return lo, hi


def check_ratio(
    estimate: str | Reported | None = None,
    ci: tuple[str | Reported, str | Reported] | None = None,
    p: str | Reported | None = None,
    *,
    confidence_level: float | str = 0.95,
    measure: RatioMeasure | str = "hazard-ratio",
    allocation_ratio: float = 1.0,
    p_sided: int = 2,
    hypothesis: str = "superiority",
    margin: str | Reported | float | None = None,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> RatioCheck:
    """Check a printed ratio estimate, its CI and its P against each other.

    Parameters
    ----------
    estimate : str, optional
        The printed ratio, e.g. ``"0.68"``.
    ci : (str, str), optional
        The printed CI bounds, e.g. ``("0.48", "0.95")``.
    p : str, optional
        The printed P, e.g. ``"0.024"``, ``"<0.001"`` or ``">0.05"``.
    confidence_level : float or str
        Level of the printed CI (0.95, or a printed ``"95"``).
    measure : str
        ``"hazard-ratio"``, ``"subdistribution-hazard-ratio"``, ``"odds-ratio"``,
        ``"risk-ratio"`` or ``"rate-ratio"``: what the ratio is (names the
        estimate row; implied events are given for the two hazard ratios only).
    allocation_ratio : float
        Treatment : control allocation ratio ``r`` used for the implied events.
    p_sided : {2, 1}
        1 when the paper reports a one-sided P: it is compared with half the
        Wald P (the one-sided P in the observed direction).  With 2 (the
        default) a P that fits only as that half gets a note.
    hypothesis : {"superiority", "non-inferiority"}
        ``"non-inferiority"``: the P is the one-sided Wald P of "ratio =
        margin" against the side of the margin, ``Phi((ln e - ln M)/SE)``
        for a margin above 1 (ROCKET-AF: HR 0.88, 0.75-1.03, margin 1.46,
        P < 0.001), ``1 - Phi(...)`` for one below 1; without a ``margin``
        that P is not checkable (and no decision error is read from the CI
        against 1).
    margin : str, Reported or float, optional
        The non-inferiority margin on the ratio scale.
    mode : str
        Rounding mode of the printed numbers (see :class:`~gvhdstats.numbers.RoundingMode`).

    Returns
    -------
    RatioCheck
        Rows (``to_frame()`` has the columns of every check): the estimate
        (method ``geometric-midpoint``), ``ci_low`` and ``ci_high`` (methods
        ``geometric-midpoint``: the bound implied by the estimate and the other
        bound; ``wald-from-p``: the bound implied by the estimate and the P),
        and ``p`` (method ``wald-from-ci``).  Attributes ``se_log``, ``z``,
        ``p_wald``, ``midpoint`` and ``implied_events`` are ranges over the
        rounding box.

    Raises
    ------
    ReportedNumberError
        When a printed number cannot be parsed (floats are refused).
    InvalidIntervalError
        When the CI bounds are not ordered or not positive.
    InvalidPValueError
        When the P lies outside (0, 1].
    UnknownMethodError
        For an unknown ``measure``.

    Notes
    -----
    Each printed number stands for its rounding interval: ``"0.48"`` for
    ``[0.475, 0.485)`` (half-up).  Over the box ``E x L x U``, with
    ``z = Phi^{-1}(1 - (1 - level)/2)``:

    * ``SE = (ln U - ln L) / (2z)`` is increasing in ``U`` and decreasing in
      ``L``: its range is ``[(ln U_lo - ln L_hi)/(2z), (ln U_hi - ln L_lo)/(2z)]``;
    * the geometric midpoint ``sqrt(L U)`` is increasing in both; the estimate
      is reproduced when its interval meets the midpoint range;
    * the Wald P ``2 (1 - Phi(|ln e| / SE))`` is decreasing in ``|ln e|/SE``;
      ``e`` ranges over the estimate's interval intersected with the midpoint
      range (the midpoint range alone when the estimate is not printed), and
      the independent ranges of ``|ln e|`` and ``SE`` give a range of P that
      contains every P the printed numbers allow.  The printed P is reproduced
      when its interval (``"<0.001"`` is ``(0, 0.001)``) meets that range.
      This is Altman & Bland's (2011) P from a CI, with the exact normal
      distribution instead of their approximation;
    * a CI bound rebuilt from the estimate and the P is
      ``exp(ln e -/+ z |ln e| / z_P)``, bilinear on each side of ``e = 1``.

    Without a CI, ``SE = |ln e| / z_P`` (Tierney et al. 2007, method 2 without
    events).  A decision error is flagged on the P row when the printed P is
    on one side of 0.05 and every Wald P the box allows is on the other, or
    when a 95% CI excludes 1 over its whole box while the printed P is at
    least 0.05 (or includes 1 while P < 0.05).

    A hazard-ratio P that is not the Wald P of its CI is often a log-rank P
    (or Gray's test for a subdistribution hazard): those need patient-level
    data and cannot be checked from the summary, which the note says.  When
    it is not the Wald P of the CI at the printed level but is at 90%, 95% or
    99%, the note says so (the verdict stays that of the printed level); when
    it is half the Wald P, the note says it may be one-sided.

    R: ``exp(mean(log(c(L, U))))``, ``se <- diff(log(c(L, U))) / (2 * qnorm(0.975))``,
    ``2 * pnorm(-abs(log(est)) / se)``.

    References
    ----------
    Altman DG, Bland JM. How to obtain the P value from a confidence interval.
    BMJ 2011;343:d2304. How to obtain the confidence interval from a P value.
    BMJ 2011;343:d2090.
    Parmar MKB, Torri V, Stewart L. Extracting summary statistics to perform
    meta-analyses of the published literature for survival endpoints. Stat Med
    1998;17:2815-34.
    Tierney JF et al. Practical methods for incorporating summary time-to-event
    data into meta-analysis. Trials 2007;8:16.

    Examples
    --------
    Failure-free survival in the phase 3 MSC trial (Zhao et al. 2022):

    >>> from gvhdstats import check_ratio
    >>> res = check_ratio(estimate="0.68", ci=("0.48", "0.95"), p="0.024")
    >>> [(r.quantity, r.verdict.value) for r in res.rows]
    [('hazard_ratio', 'reproduced'), ('ci_low', 'reproduced'),
     ('ci_high', 'reproduced'), ('p', 'reproduced')]
    >>> [round(x, 3) for x in res.se_log]
    [0.17, 0.178]
    >>> [round(x) for x in res.implied_events]
    [126, 138]

    Relapse: the printed P is not the Wald P of the printed CI.

    >>> res = check_ratio(estimate="0.75", ci=("0.34", "1.67"), p="0.610")
    >>> res.rows[-1].verdict.value, [round(x, 2) for x in res.p_wald]
    ('inconsistent', [0.46, 0.49])

    ROCKET-AF (Patel et al. 2011): "hazard ratio 0.88 (95% CI, 0.75-1.03); P<0.001
    for non-inferiority", margin 1.46 (a superiority reading would call it a
    decision error):

    >>> res = check_ratio("0.88", ("0.75", "1.03"), "<0.001",
    ...                   hypothesis="non-inferiority", margin="1.46")
    >>> res.rows[-1].verdict.value, res.rows[-1].methods
    ('reproduced', ('wald-non-inferiority',))
    """
    mode = RoundingMode.coerce(mode)
    meas = _coerce_measure(measure)
    cl = _confidence_level(confidence_level)
    if (
        isinstance(allocation_ratio, bool)
        or not isinstance(allocation_ratio, int | float)
        or not 0 < allocation_ratio < math.inf
    ):
        raise InvalidArgumentError(
            f"`allocation_ratio` must be a positive finite number, but got {allocation_ratio!r}"
        )
    r_alloc = float(allocation_ratio)
    zc = _z_crit(cl)
    if p_sided not in (1, 2) or isinstance(p_sided, bool):
        raise InvalidArgumentError(f"`p_sided` must be 1 or 2, but got {p_sided!r}")
    if hypothesis not in HYPOTHESES:
        raise InvalidArgumentError(
            f"`hypothesis` must be one of {HYPOTHESES}, but got {hypothesis!r}"
        )
    log_m = _margin(margin)

    e_rep = None if estimate is None else Reported.parse(estimate, name="estimate")
    l_rep = u_rep = None
    if ci is not None:
        if not isinstance(ci, tuple | list) or len(ci) != 2:
            raise InvalidIntervalError(f"`ci` must be a pair (low, high), but got {ci!r}")
        l_rep = Reported.parse(ci[0], name="ci[0]")
        u_rep = Reported.parse(ci[1], name="ci[1]")
        if l_rep.value > u_rep.value:
            raise InvalidIntervalError(
                f"`ci` must be (low, high) with low <= high, but got {tuple(ci)!r}"
            )
        if u_rep.value <= 0 or l_rep.value < 0:
            raise InvalidIntervalError(
                f"`ci` of a ratio must have positive bounds, but got {tuple(ci)!r}"
            )
    p_rep = None if p is None else Reported.parse(p, name="p")
    if p_rep is not None and (
        p_rep.value < 0 or p_rep.value > 1 or (p_rep.value == 0 and p_rep.relation == "=")
    ):
        raise InvalidPValueError(f"`p` must lie in (0, 1], but got {p_rep.text!r}")

    e_box = None if e_rep is None else _positive_box(e_rep, mode, "estimate")
    l_box = None if l_rep is None else _positive_box(l_rep, mode, "ci[0]")
    u_box = None if u_rep is None else _positive_box(u_rep, mode, "ci[1]")
    p_iv = None if p_rep is None else p_rep.interval(mode)
    zero = _zero_note(e_rep, e_box, l_rep, l_box)

    rows: list[CheckRow] = []
    se_r: Range | None = None
    mid_r: Range | None = None
    z_r: Range | None = None
    p_r: Range | None = None
    se_nom: float | None = None
    mid_nom: float | None = None  # geometric midpoint of the printed CI
    e_nom = None if e_rep is None else e_rep.value
    # a box exists exactly when its printed number does
    has_ci = l_box is not None and u_box is not None

    # -- estimate against the geometric midpoint ----------------------------
    if l_rep is not None and u_rep is not None and l_box is not None and u_box is not None:
        se_r = _se_range(l_box, u_box, zc)
        mid_r = _midpoint_range(l_box, u_box)
        mid_nom = math.sqrt(l_rep.value * u_rep.value)
        if l_rep.value > 0:
            se_nom = (math.log(u_rep.value) - math.log(l_rep.value)) / (2 * zc)
    if e_rep is not None:
        if mid_r is None or mid_nom is None:
            rows.append(
                CheckRow(
                    meas.quantity,
                    e_rep.text,
                    Verdict.NOT_CHECKABLE,
                    note="no CI printed: the estimate alone cannot be checked",
                )
            )
        else:
            ok = _meets(mid_r[0], mid_r[1], e_rep.interval(mode))
            note = f"geometric midpoint of the CI: {_fmt(mid_nom)} (range {_fmt_range(mid_r)})"
            if zero:
                note += f"; {zero}"
            if ok and not e_rep.contains(mid_nom, mode):
                note += "; consistent only within the rounding of the CI bounds"
            if not ok:
                note += (
                    "; the estimate is not the midpoint of the CI on the log scale "
                    "(an asymmetric CI: profile likelihood, exact or bootstrap; or a typo)"
                )
            rows.append(
                CheckRow(
                    meas.quantity,
                    e_rep.text,
                    Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
                    ("geometric-midpoint",) if ok else (),
                    _representative(mid_nom, mid_r, e_rep) if ok else mid_nom,
                    None,
                    note,
                    recomputed_method="geometric-midpoint",
                )
            )

    # the range of true estimates used for the P: printed interval meet midpoint range
    a_box: Range | None = None
    if e_box is not None:
        eb = e_box
        if mid_r is not None:
            lo, hi = max(e_box[0], mid_r[0]), min(e_box[1], mid_r[1])
            if lo <= hi:
                eb = (lo, hi)
        a_box = (_log(eb[0]), _log(eb[1]))
        e_used = eb
    elif mid_r is not None and l_rep is not None and u_rep is not None:
        a_box = (_log(mid_r[0]), _log(mid_r[1]))
        e_used = mid_r
        e_nom = math.sqrt(l_rep.value * u_rep.value) if l_rep.value > 0 else None

    # -- CI bounds ---------------------------------------------------------
    if l_rep is not None and u_rep is not None and l_box is not None and u_box is not None:
        for name, rep, other_box, upper in (
            ("ci_low", l_rep, u_box, False),
            ("ci_high", u_rep, l_box, True),
        ):
            cands: dict[str, tuple[Range, float | None]] = {}
            if e_rep is not None and e_box is not None:
                # geometric midpoint: L = e^2 / U, U = e^2 / L (monotone in e and the other bound)
                e2 = (e_box[0] ** 2, e_box[1] ** 2)
                rng = _ratio_range(e2, other_box)
                other_nom = (u_rep if not upper else l_rep).value
                nom = e_rep.value**2 / other_nom if other_nom > 0 else math.inf
                cands["geometric-midpoint"] = (rng, nom)
            if e_rep is not None and e_box is not None and p_rep is not None and p_iv is not None:
                rng2 = _ci_from_p_range((_log(e_box[0]), _log(e_box[1])), p_iv, zc, upper)
                if rng2 is not None:
                    nom2 = None
                    if p_rep.relation == "=" and 0 < p_rep.value < 1 and e_rep.value > 0:
                        zp = float(-_ndtri(p_rep.value / 2))
                        le = math.log(e_rep.value)
                        sgn = 1.0 if upper else -1.0
                        # a P near 1 makes z_P tiny: the bound overflows to 0 or inf
                        t2 = le + sgn * zc * abs(le) / zp if zp > 0 else None
                        nom2 = None if t2 is None else math.exp(min(max(t2, -745.0), 709.0))
                    cands["wald-from-p"] = (rng2, nom2)
            row = _range_row(name, rep, cands, mode)
            if zero:
                row = replace(row, note=f"{row.note}; {zero}")
            rows.append(row)

    # -- SE when there is no CI: from the estimate and the P ----------------
    if se_r is None and a_box is not None and p_iv is not None:
        al = _abs_log_range(e_used)
        p_lo = max(p_iv.low, 0.0)
        p_hi = min(p_iv.high, 1.0)
        zp_max = math.inf if p_lo <= 0 else float(-_ndtri(p_lo / 2))
        zp_min = max(float(-_ndtri(p_hi / 2)), 0.0)
        se_r = _ratio_range(al, (zp_min, zp_max))
        if (
            e_rep is not None
            and e_rep.value > 0
            and p_rep is not None
            and p_rep.relation == "="
            and 0 < p_rep.value < 1
        ):
            se_nom = abs(math.log(e_rep.value)) / float(-_ndtri(p_rep.value / 2))

    # -- P against the Wald P of the CI --------------------------------------
    if has_ci and a_box is not None and se_r is not None:
        al = _abs_log_range(e_used)
        _, p_r = _p_range(al, se_r)
        z_r = _signed_z_range(a_box, se_r)
    elif se_r is not None and a_box is not None:
        z_r = _signed_z_range(a_box, se_r)

    stat = math.nan
    pval = math.nan
    if e_nom is not None and se_nom is not None and se_nom > 0 and e_nom > 0:
        stat = math.log(e_nom) / se_nom
        pval = _wald_p(stat)

    if p_rep is not None and p_iv is not None:
        if hypothesis == "non-inferiority":
            rows.append(_ni_p_row(p_rep, p_iv, a_box, se_r, log_m, e_nom, se_nom, has_ci))
        elif p_sided == 1:
            half = None if p_r is None else (p_r[0] / 2, p_r[1] / 2)
            rows.append(
                _p_row(p_rep, p_iv, half, pval / 2, meas, l_box, u_box, cl, has_ci, one_sided=True)
            )
        else:
            row = _p_row(p_rep, p_iv, p_r, pval, meas, l_box, u_box, cl, has_ci)
            if row.verdict is Verdict.INCONSISTENT and p_r is not None and a_box is not None:
                hints = []
                if _meets(p_r[0] / 2, p_r[1] / 2, p_iv):
                    hints.append(
                        f"half the Wald P ({_fmt(pval / 2)}) fits: a one-sided P? (if the paper "
                        'says so: p_sided=1; record: p_sided = "one-sided")'
                    )
                if l_box is not None and u_box is not None:
                    al = _abs_log_range(e_used)
                    levels = [
                        lev
                        for lev in OTHER_LEVELS
                        if abs(lev - cl) > 1e-12
                        and _meets(*_p_range(al, _se_range(l_box, u_box, _z_crit(lev)))[1], p_iv)
                    ]
                    if levels:
                        hints.append(
                            "the P is the Wald P of the CI read as a "
                            + " or ".join(f"{lev * 100:g}%" for lev in levels)
                            + f" interval, not {cl * 100:g}%: was the CI printed at another "
                            "level? (the verdict is for the printed level)"
                        )
                if hints:
                    row = dataclasses.replace(row, note="; ".join([row.note, *hints]))
            rows.append(row)
        if zero:
            rows[-1] = replace(rows[-1], note=f"{rows[-1].note}; {zero}")

    ev = _events_range(se_r, r_alloc) if (se_r is not None and meas.is_hazard) else None
    return RatioCheck(
        rows=tuple(rows),
        measure=meas.value,
        confidence_level=cl,
        allocation_ratio=r_alloc,
        statistic=stat,
        pvalue=pval,
        estimate=e_nom,
        se_log_nominal=se_nom,
        se_log=se_r,
        z=z_r,
        p_wald=p_r,
        midpoint=mid_r,
        implied_events=ev,
    )


def _margin(margin: object) -> float | None:
    """The log of a non-inferiority margin (a positive ratio), or None."""
    if margin is None:
        return None
    if isinstance(margin, bool) or not isinstance(margin, str | Reported | int | float):
        raise InvalidArgumentError(f"`margin` must be a positive ratio, but got {margin!r}")
    v = (
        Reported.parse(margin, name="margin").value
        if isinstance(margin, str | Reported)
        else margin
    )
    if not (0 < v < math.inf) or v == 1:
        raise InvalidArgumentError(
            f"`margin` must be a positive ratio other than 1, but got {margin!r}"
        )
    return math.log(v)


def _ni_p(a: float, se: float, log_m: float) -> float:
    """One-sided P of "ratio = margin" against the side of 1: Phi(+-(ln e - ln M)/SE)."""
    from scipy.special import ndtr

    d = a - log_m
    zv = (math.copysign(math.inf, d) if d != 0 else 0.0) if se <= 0 else d / se
    return float(ndtr(zv if log_m > 0 else -zv))


def _ni_p_row(
    p_rep: Reported,
    p_iv: RoundingInterval,
    a_box: Range | None,
    se_r: Range | None,
    log_m: float | None,
    e_nom: float | None,
    se_nom: float | None,
    has_ci: bool,
) -> CheckRow:
    """The printed P of a non-inferiority comparison against the margin."""
    if log_m is None:
        return CheckRow(
            "p",
            p_rep.text,
            Verdict.NOT_CHECKABLE,
            note="a non-inferiority P tests the ratio against a margin, not against 1: give "
            "the margin (margin=; record field margin, printed or assumed) to check it",
        )
    if a_box is None or se_r is None:
        why = "no CI printed" if not has_ci else "the estimate is needed"
        return CheckRow("p", p_rep.text, Verdict.NOT_CHECKABLE, note=f"{why} to check the P")
    # P is monotone in ln e and, for each sign of ln e - ln M, in the SE: corners suffice
    vals = [_ni_p(a, s, log_m) for a in a_box for s in se_r]
    rng = (min(vals), max(vals))
    ok = _meets(rng[0], rng[1], p_iv)
    nom = (
        _ni_p(math.log(e_nom), se_nom, log_m)
        if e_nom is not None and e_nom > 0 and se_nom is not None
        else math.nan
    )
    margin = math.exp(log_m)
    notes = [
        f"one-sided non-inferiority Wald P against the margin {_fmt(margin)}: {_fmt(nom)} "
        f"(range {_fmt_range(rng)})"
    ]
    rep_sig = _side(p_iv)
    if ok:
        dec: bool | None = False
    else:
        ni_sig = _range_side(rng)
        dec = None if rep_sig is None or ni_sig is None else rep_sig != ni_sig
        notes.append("not the Wald P of the CI against this margin")
        if dec:
            notes.append("decision error: every such P is on the other side of 0.05")
    return _ranged_p_row(p_rep, "wald-non-inferiority", ok, nom, rng, dec, notes)


def _range_row(
    quantity: str,
    rep: Reported,
    cands: Mapping[str, tuple[Range, float | None]],
    mode: RoundingMode,
) -> CheckRow:
    """A row for a printed number against ranges recomputed by several methods."""
    if not cands:
        return CheckRow(
            quantity,
            rep.text,
            Verdict.NOT_CHECKABLE,
            note="the estimate is needed to check a CI bound",
        )
    iv = rep.interval(mode)
    ok = [m for m, (rng, _) in cands.items() if _meets(rng[0], rng[1], iv)]
    parts = [f"{m}: {_fmt_range(rng)}" for m, (rng, _) in cands.items()]
    note = "recomputed ranges " + "; ".join(parts)
    # each method's value nearest the printed one over the rounding box
    near = {m: _nearest(rng[0], rng[1], rep.value) for m, (rng, _) in cands.items()}
    matching = {m: near[m] for m in ok}
    nonmatching = {m: v for m, v in near.items() if m not in matching}
    # the candidates are two derivations of the same Wald bound (from the other bound, from
    # the P), not alternative methods a paper chooses between: both fitting is agreement,
    # not ambiguity, so the row does not speak of telling them apart (discriminates None)
    fits = fit_note(rep, {}, nonmatching, mode=mode, log_distance=True)
    if ok:
        # the reproducing range whose nearest value is closest to the printed one
        pick = closest_method(matching, rep.value, log_distance=True)
        return CheckRow(
            quantity,
            rep.text,
            Verdict.REPRODUCED,
            tuple(ok),
            matching[pick],
            None,
            "; ".join(x for x in (note, fits) if x),
            recomputed_method=pick,
            matching=matching,
            nonmatching=nonmatching,
        )
    # nearest on the log scale, by each method's value at the printed numbers
    best = None
    for m, (rng, nom) in cands.items():
        x = nom if nom is not None else _nearest(rng[0], rng[1], rep.value)
        if x is None or not (x > 0) or rep.value <= 0:
            continue
        d = abs(math.log(x) - math.log(rep.value))
        if best is None or d < best[0]:
            best = (d, x, m)
    return CheckRow(
        quantity,
        rep.text,
        Verdict.INCONSISTENT,
        (),
        None if best is None else best[1],
        None,
        "; ".join(x for x in (note, fits) if x),
        recomputed_method=None if best is None else best[2],
        matching=matching,
        nonmatching=nonmatching,
    )


def _p_row(
    p_rep: Reported,
    p_iv: RoundingInterval,
    p_r: Range | None,
    pval: float,
    meas: RatioMeasure,
    l_box: Range | None,
    u_box: Range | None,
    cl: float,
    has_ci: bool,
    one_sided: bool = False,
) -> CheckRow:
    alt = (
        "Gray's test (or a Fine-Gray score test)"
        if meas is RatioMeasure.SUBDISTRIBUTION_HAZARD_RATIO
        else "a log-rank or Cox score test (Gray's test for a competing-risk endpoint)"
        if meas is RatioMeasure.HAZARD_RATIO
        else "a chi-square or exact test on the counts"
    )
    if p_r is None:
        why = (
            "no CI printed: the P cannot be checked from the estimate alone"
            if not has_ci
            else "the estimate is needed to check the P"
        )
        return CheckRow("p", p_rep.text, Verdict.NOT_CHECKABLE, note=why)
    ok = _meets(p_r[0], p_r[1], p_iv)
    rep_sig = _side(p_iv)
    what = "one-sided Wald P (half the two-sided)" if one_sided else "Wald P"
    notes = [
        f"{what} from the CI: range {_fmt_range(p_r)}"
        if math.isnan(pval)
        else f"{what} from the CI: {_fmt(pval)} (range {_fmt_range(p_r)})"
    ]
    reasons: list[str] = []  # of a decision error, said once
    if ok and not math.isnan(pval) and not p_iv.contains(pval):
        notes.append("consistent only within the rounding of the printed numbers")
    if ok:
        dec: bool | None = False
    else:
        notes.append(f"not the Wald P of this CI; it may come from {alt}, not checkable here")
        wald_sig = _range_side(p_r)
        if rep_sig is None:
            dec = None
        elif wald_sig is None:
            dec = False
        else:
            dec = rep_sig != wald_sig
            if dec:
                reasons.append("every Wald P the CI allows is on the other side of 0.05")
    # a 95% CI that excludes (or includes) 1 over its whole box, against the printed P
    if (
        not one_sided
        and abs(cl - 0.95) < 1e-12
        and l_box is not None
        and u_box is not None
        and rep_sig is not None
    ):
        excludes = u_box[1] < 1.0 or l_box[0] > 1.0
        includes = l_box[1] < 1.0 < u_box[0]
        if excludes and rep_sig is False:
            dec = True
            reasons.append("the 95% CI excludes 1 but P >= 0.05")
        elif includes and rep_sig is True:
            dec = True
            reasons.append("the 95% CI includes 1 but P < 0.05")
    if reasons:
        notes.append("decision error: " + "; and ".join(reasons))
    method = "wald-from-ci-one-sided" if one_sided else "wald-from-ci"
    return _ranged_p_row(p_rep, method, ok, pval, p_r, dec, notes)


def _ranged_p_row(
    p_rep: Reported,
    method: str,
    ok: bool,
    nominal: float,
    rng: Range,
    dec: bool | None,
    notes: list[str],
) -> CheckRow:
    """The P row of a range check: ``method`` reproduces it when ``ok``."""
    near = _nearest(rng[0], rng[1], p_rep.value)
    if ok:
        recomputed: float | None = _representative(nominal, rng, p_rep)
    else:
        recomputed = None if math.isnan(nominal) else nominal
    return CheckRow(
        "p",
        p_rep.text,
        Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
        (method,) if ok else (),
        recomputed,
        dec,
        "; ".join(notes),
        recomputed_method=None if recomputed is None else method,
        matching={method: near} if ok else {},
        nonmatching={} if ok else {method: near},
    )


# --------------------------------------------------------------------------
# engine plug-ins
# --------------------------------------------------------------------------


def _claim_level(claim: Claim) -> float:
    rep = claim.printed_number("ci_level")
    if rep is None:
        v = claim.value("ci_level")
        return 0.95 if v is None else _confidence_level(v if v < 1 else v / 100, "ci_level")
    try:
        return _confidence_level(rep, "ci_level")
    except InvalidArgumentError as exc:
        raise claim.error(str(exc), "printed.ci_level") from None


def _allocation_ratio(claim: Claim, record: Record) -> tuple[float, str]:
    if claim.has("allocation_ratio"):
        v = claim.value("allocation_ratio")
        if v is None or not v > 0:
            raise claim.error(f"must be a positive number, got {v!r}", "allocation_ratio")
        return v, claim.assumption_note("allocation_ratio")
    text = record.design.get("ratio")
    if isinstance(text, str) and ":" in text:
        a, _, b = text.partition(":")
        try:
            return float(a) / float(b), f"allocation ratio {text} from the design"
        except (ValueError, ZeroDivisionError):
            pass
    return 1.0, "allocation ratio 1:1 assumed (not printed)"


def check_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``ratio``.

    Keys (``docs/records.md``): printed ``estimate``, ``ci_low``, ``ci_high``,
    ``ci_level``, ``p``; top-level ``measure``; ``allocation_ratio`` printed or
    assumed (else the design's ``ratio``, else 1:1); ``margin`` printed or
    assumed and top-level ``hypothesis`` (``"non-inferiority"``; also read
    from a quote that says "non-inferiority") and ``p_sided``.
    """
    est = claim.printed_number("estimate")
    lo = claim.printed_number("ci_low")
    hi = claim.printed_number("ci_high")
    if (lo is None) != (hi is None):
        missing = "ci_high" if hi is None else "ci_low"
        raise claim.error("both CI bounds are needed", f"printed.{missing}")
    p = claim.printed_number("p")
    try:
        measure = _coerce_measure(claim.get("measure", "hazard-ratio"))
    except InvalidArgumentError as exc:
        raise claim.error(str(exc), "measure") from None
    r, _ = _allocation_ratio(claim, record)
    hyp = claim.get("hypothesis")
    if hyp is None:
        hyp = "non-inferiority" if _NI_TEXT.search(claim.quote) else "superiority"
    elif hyp not in HYPOTHESES:
        raise claim.error(f"must be one of {HYPOTHESES}, got {hyp!r}", "hypothesis")
    sided_text = claim.get("p_sided", "two-sided")
    if sided_text not in ("one-sided", "two-sided"):
        raise claim.error(f'must be "one-sided" or "two-sided", got {sided_text!r}', "p_sided")
    sided = 1 if sided_text == "one-sided" else 2
    margin = claim.printed_number("margin")
    m_val: Reported | float | None = margin
    if margin is None and claim.has("margin"):
        m_val = claim.value("margin")
    try:
        res = check_ratio(
            est,
            None if lo is None or hi is None else (lo, hi),
            p,
            confidence_level=_claim_level(claim),
            measure=measure,
            allocation_ratio=r,
            p_sided=sided,
            hypothesis=hyp,
            margin=m_val,
        )
    except InvalidArgumentError as exc:
        if "margin" in str(exc):
            raise claim.error(str(exc), "margin") from None
        raise
    rows = list(res.rows)
    if claim.is_assumed("margin") and hyp == "non-inferiority":
        note = claim.assumption_note("margin")
        rows = [
            dataclasses.replace(x, note="; ".join(y for y in (x.note, note) if y))
            if x.quantity == "p"
            else x
            for x in rows
        ]
    return rows


def _median_ph_row(median: Claim, ratio: Claim) -> CheckRow | None:
    t = median.printed_number("treatment")
    c = median.printed_number("control")
    est = ratio.printed_number("estimate")
    if t is None or c is None or est is None or t.value <= 0 or c.value <= 0:
        return None
    t_box = _positive_box(t, RoundingMode.HALF_UP, "treatment")
    c_box = _positive_box(c, RoundingMode.HALF_UP, "control")
    # exponential PH: HR(treatment vs control) = lambda_t / lambda_c = median_c / median_t
    rng = _ratio_range(c_box, t_box)
    nom = c.value / t.value
    e_box = _positive_box(est, RoundingMode.HALF_UP, "estimate")
    note = (
        f"under exponential proportional hazards the medians imply HR = "
        f"{c.text}/{t.text} = {_fmt(nom)} (range {_fmt_range(rng)}); printed HR {est.text}"
    )
    lo = ratio.printed_number("ci_low")
    hi = ratio.printed_number("ci_high")
    if _meets(rng[0], rng[1], est.interval()):
        note += ": the same"
    elif lo is not None and hi is not None:
        inside = (
            rng[1] >= _box(lo, RoundingMode.HALF_UP)[0]
            and rng[0] <= _box(hi, RoundingMode.HALF_UP)[1]
        )
        where = "inside" if inside else "outside"
        note += f", CI {lo.text}-{hi.text}: the median ratio lies {where} the CI"
    else:
        note += f" ({'above' if rng[0] > e_box[1] else 'below'})"
    note += (
        f" (claim {ratio.id}); informational: hazards need not be exponential, "
        "so this is never a verdict on its own"
    )
    return CheckRow(
        "median_ratio[exponential-ph]",
        f"{c.text}/{t.text}",
        Verdict.NOT_CHECKABLE,
        (),
        nom,
        None,
        note,
        recomputed_method="exponential-ph",
    )


def _related(claim: Claim, record: Record, ctype: str) -> list[Claim]:
    """Claims of type ``ctype`` related to ``claim`` in either direction."""
    ids = list(claim.get("related", []) or [])
    out = []
    for c in record.claims:
        if c.type != ctype or c.id == claim.id:
            continue
        if c.id in ids or claim.id in (c.get("related", []) or []):
            out.append(c)
    return out


def check_median_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Engine plug-in for claims of type ``median``.

    A printed median survival is not checkable from summaries on its own; each
    printed median gets a ``not-checkable`` row.  With a related ``ratio``
    claim (a hazard ratio), a ``median_ratio[exponential-ph]`` row notes the
    hazard ratio the medians imply under exponential proportional hazards
    (``HR = median_control / median_treatment``): informational only.
    """
    rows = []
    for key in ("treatment", "control", "value"):
        rep = claim.printed_number(key)
        if rep is not None:
            rows.append(
                CheckRow(
                    key,
                    rep.text,
                    Verdict.NOT_CHECKABLE,
                    note="a median is not checkable from the printed summaries on its own",
                )
            )
    for ratio in _related(claim, record, "ratio"):
        m = str(ratio.get("measure", "hazard-ratio"))
        if m not in ("hazard-ratio", "subdistribution-hazard-ratio"):
            continue
        row = _median_ph_row(claim, ratio)
        if row is not None:
            rows.append(row)
    return rows


def _arm_size(record: Record, arm_id: str) -> tuple[int, str] | None:
    size = record.arm_size(arm_id)
    return None if size is None else (size[0], size[1])


def _incidence_events(claim: Claim, record: Record) -> tuple[Range, int] | None:
    """Events by the claim's time point implied by a printed incidence and arm size."""
    est = claim.printed_number("estimate")
    if est is None:
        return None
    n, _ = claim.denominator("n", record)
    if n is None:
        return None
    lo, hi = _box(est, RoundingMode.HALF_UP)
    scale = 100.0 if (est.percent or est.value > 1) else 1.0
    lo, hi = max(lo / scale, 0.0), min(hi / scale, 1.0)
    if claim.get("measure") == "survival":
        lo, hi = 1 - hi, 1 - lo
    return (lo * n, hi * n), n


def check_record(record: Record) -> list[tuple[str, CheckRow]]:
    """Cross-claim rows for the hazard-ratio claims of a record.

    For each ``ratio`` claim with a hazard measure and a CI:

    * ``implied_events``: the events implied by the CI (Tierney 2007) against
      the arm sizes of its ``arms`` (analysed, else randomised): reproduced
      when the implied range fits in the arms, inconsistent when even its low
      end exceeds them;
    * ``implied_events[incidence]``: against the events implied by related
      ``incidence`` claims (estimate times arm size at the printed time point):
      informational (``not-checkable``), since events after the time point and
      censoring make the two differ legitimately.
    """
    out: list[tuple[str, CheckRow]] = []
    for claim in record.claims:
        if claim.type != "ratio":
            continue
        try:
            meas = _coerce_measure(claim.get("measure", "hazard-ratio"))
        except InvalidArgumentError:
            continue
        lo = claim.printed_number("ci_low")
        hi = claim.printed_number("ci_high")
        if not meas.is_hazard or lo is None or hi is None or lo.value <= 0:
            continue
        r, r_note = _allocation_ratio(claim, record)
        res = check_ratio(
            claim.printed_number("estimate"),
            (lo, hi),
            None,
            confidence_level=_claim_level(claim),
            measure=meas,
            allocation_ratio=r,
        )
        ev = res.implied_events
        if ev is None:
            continue
        nom = implied_events(res.se_log_nominal, r) if res.se_log_nominal else None
        sizes = [_arm_size(record, a) for a in claim.get("arms", []) or []]
        known_sizes = [s for s in sizes if s is not None]
        if sizes and len(known_sizes) == len(sizes):
            total = sum(s[0] for s in known_sizes)
            text = " + ".join(str(s[0]) for s in known_sizes)
            which = "/".join(sorted({s[1] for s in known_sizes}))
            base = (
                f"the CI implies {_fmt_range(ev)} events (Tierney 2007, "
                f"(1 + r)^2 / (r SE^2), r = {_fmt(r)}; {r_note}); the arms hold {total} "
                f"patients ({which})"
            )
            if ev[0] > total * (1 + BOUNDARY_RTOL):
                row = CheckRow(
                    "implied_events",
                    text,
                    Verdict.INCONSISTENT,
                    (),
                    nom,
                    None,
                    base + ": more events than patients",
                    recomputed_method="tierney-events",
                )
            else:
                row = CheckRow(
                    "implied_events",
                    text,
                    Verdict.REPRODUCED,
                    ("events-within-arms",),
                    nom,
                    None,
                    base,
                    recomputed_method="tierney-events",
                )
            out.append((claim.id, row))
        incs = [c for c in _related(claim, record, "incidence")]
        got = [
            (c, g) for c, g in ((c, _incidence_events(c, record)) for c in incs) if g is not None
        ]
        if got:
            e_lo = sum(g[0][0] for _, g in got)
            e_hi = sum(g[0][1] for _, g in got)
            times = sorted({str(c.get("time", "")) for c, _ in got})
            desc = ", ".join(
                f"{c.id}: {percent_text(str(c.printed['estimate']))} of {g[1]}" for c, g in got
            )
            note = (
                f"the CI implies {_fmt_range(ev)} events over follow-up; the printed "
                f"incidences at {', '.join(times)} imply about {_fmt_range((e_lo, e_hi))} "
                f"events by then ({desc}) if no one were censored before; informational: "
                "censoring lowers, and events after the time point raise, the count"
            )
            text = " + ".join(str(c.printed["estimate"]) for c, _ in got)
            out.append(
                (
                    claim.id,
                    CheckRow(
                        "implied_events[incidence]",
                        text,
                        Verdict.NOT_CHECKABLE,
                        (),
                        nom,
                        None,
                        note,
                        recomputed_method="tierney-events",
                    ),
                )
            )
    return out
