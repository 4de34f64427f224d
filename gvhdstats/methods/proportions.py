"""Single proportions: confidence intervals.

:func:`proportion_ci` computes the seven standard intervals for a binomial
proportion.  Printed percentages and their CIs are checked against them by
:mod:`gvhdstats.checks.proportion`.

Method names and their R equivalents
------------------------------------
=================  =====================================================
``method``         R
=================  =====================================================
clopper-pearson    ``binom.test(x, n)$conf.int``
wilson             ``prop.test(x, n, correct = FALSE)$conf.int``
wilson-cc          ``prop.test(x, n, correct = TRUE)$conf.int`` (see Notes
                   of :func:`proportion_ci` for R's reduced correction at
                   ``x = n/2``)
jeffreys           ``qbeta(c(a/2, 1 - a/2), x + 0.5, n - x + 0.5)``
agresti-coull      ``binom::binom.agresti.coull`` (hand formula)
wald               ``p + c(-1, 1) * qnorm(1 - a/2) * sqrt(p * (1 - p) / n)``
mid-p              ``exactci::binom.exact(x, n, midp = TRUE)`` (hand root)
=================  =====================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gvhdstats._validation import check_confidence_level as _confidence_level
from gvhdstats._validation import z_two_sided
from gvhdstats.errors import (
    InvalidCountError,
    UnknownMethodError,
)
from gvhdstats.methods._results import ConfidenceInterval

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "PROPORTION_CI_METHODS",
    "proportion_ci",
]

#: The interval methods of :func:`proportion_ci`, in the order checks list them.
PROPORTION_CI_METHODS = (
    "clopper-pearson",
    "wilson",
    "wilson-cc",
    "jeffreys",
    "agresti-coull",
    "wald",
    "mid-p",
)

#: Map of our method names to the R call giving the same interval.
R_NAMES = {
    "clopper-pearson": "binom.test",
    "wilson": "prop.test(correct = FALSE)",
    "wilson-cc": "prop.test(correct = TRUE)",
    "jeffreys": "qbeta(x + 0.5, n - x + 0.5)",
    "agresti-coull": "binom::binom.agresti.coull",
    "wald": "binom::binom.asymp",
    "mid-p": "exactci::binom.exact(midp = TRUE)",
}


# --------------------------------------------------------------------------
# validation helpers (shared with twobytwo)
# --------------------------------------------------------------------------


def _count(value: object, name: str, minimum: int = 0) -> int:
    """An integer count ``>= minimum``; numpy integers and integral floats accepted."""
    if isinstance(value, bool):
        raise InvalidCountError(
            f"`{name}` must be an integer not less than {minimum}, but got {value!r}"
        )
    v: int | None = None
    if isinstance(value, int):
        v = int(value)
    else:
        try:
            import numpy as np

            if isinstance(value, np.integer) or (
                isinstance(value, float | np.floating) and float(value).is_integer()
            ):
                v = int(value)
        except ImportError:  # pragma: no cover
            pass
    if v is None or v < minimum:
        raise InvalidCountError(
            f"`{name}` must be an integer not less than {minimum}, but got {value!r}"
        )
    return v


def _events_total(events: object, total: object, prefix: str = "") -> tuple[int, int]:
    n = _count(total, f"{prefix}total", minimum=1)
    x = _count(events, f"{prefix}events", minimum=0)
    if x > n:
        raise InvalidCountError(
            f"`{prefix}events` must not exceed `{prefix}total` ({n}), but got {x}"
        )
    return x, n


def _method(value: object, allowed: Sequence[str], name: str = "method") -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        opts = ", ".join(repr(a) for a in allowed)
        raise UnknownMethodError(f"`{name}` must be one of {opts}, but got {value!r}")
    return value.lower()


# --------------------------------------------------------------------------
# intervals
# --------------------------------------------------------------------------


def _midp_bounds(x: int, n: int, alpha: float) -> tuple[float, float]:
    from scipy.stats import binom

    from gvhdstats.methods._roots import brentq

    def upper_tail(p: float) -> float:  # P(X > x) + P(X = x)/2, increasing in p
        return binom.sf(x, n, p) + 0.5 * binom.pmf(x, n, p)

    lo = 0.0
    hi = 1.0
    if x > 0:
        lo = brentq(lambda p: upper_tail(p) - alpha / 2, 0.0, 1.0, xtol=1e-15, rtol=1e-15)
    if x < n:
        hi = brentq(lambda p: upper_tail(p) - (1 - alpha / 2), 0.0, 1.0, xtol=1e-15, rtol=1e-15)
    return lo, hi


def _wilson(p: float, n: int, z: float) -> tuple[float, float]:
    z2n = z * z / n
    centre = p + z2n / 2
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    return (centre - half) / (1 + z2n), (centre + half) / (1 + z2n)


def proportion_ci(
    events: int,
    total: int,
    *,
    method: str = "wilson",
    confidence_level: float = 0.95,
) -> ConfidenceInterval:
    r"""Confidence interval for a binomial proportion ``events / total``.

    Parameters
    ----------
    events : int
        Number of patients with the event (``0 <= events <= total``).
    total : int
        Number of patients (``>= 1``).
    method : str
        One of ``"clopper-pearson"``, ``"wilson"``, ``"wilson-cc"``,
        ``"jeffreys"``, ``"agresti-coull"``, ``"wald"``, ``"mid-p"``.
    confidence_level : float
        Confidence level in (0, 1).

    Returns
    -------
    ConfidenceInterval
        ``(low, high)`` on the proportion scale (not rounded).

    Raises
    ------
    InvalidCountError
        If a count is negative, not an integer, ``total < 1`` or
        ``events > total``.
    UnknownMethodError
        If ``method`` is not one of the names above.
    InvalidArgumentError
        If ``confidence_level`` is not in (0, 1).

    Notes
    -----
    With :math:`\hat p = x/n`, :math:`z = \Phi^{-1}(1 - \alpha/2)`:

    * ``clopper-pearson``: :math:`[B_{\alpha/2}(x, n - x + 1),
      B_{1-\alpha/2}(x + 1, n - x)]` (beta quantiles; 0 at ``x = 0``, 1 at
      ``x = n``).  R ``binom.test``.
    * ``wilson``: :math:`\{\hat p + z^2/2n \pm z\sqrt{\hat p\hat q/n +
      z^2/4n^2}\}/(1 + z^2/n)`.  R ``prop.test(correct = FALSE)``.
    * ``wilson-cc``: the Wilson formula applied to :math:`\hat p \mp 1/2n`
      (lower bound 0 when :math:`\hat p - 1/2n \le 0`, upper 1 when
      :math:`\hat p + 1/2n \ge 1`), Newcombe (1998) method 4.  R
      ``prop.test(correct = TRUE)`` equals it except when ``x = n/2``
      exactly, where R shrinks the correction to ``|x - n/2| = 0`` and
      returns the Wilson interval.
    * ``jeffreys``: :math:`[B_{\alpha/2}(x + 1/2, n - x + 1/2),
      B_{1-\alpha/2}(x + 1/2, n - x + 1/2)]`, with 0 at ``x = 0`` and 1 at
      ``x = n`` (Brown, Cai & DasGupta 2001).
    * ``agresti-coull``: :math:`\tilde n = n + z^2`, :math:`\tilde p = (x +
      z^2/2)/\tilde n`, :math:`\tilde p \pm z\sqrt{\tilde p(1-\tilde
      p)/\tilde n}`, truncated to [0, 1].
    * ``wald``: :math:`\hat p \pm z\sqrt{\hat p\hat q/n}`, truncated to [0, 1].
    * ``mid-p``: the bounds solve :math:`P(X > x) + P(X = x)/2 = \alpha/2`
      (lower) and :math:`P(X < x) + P(X = x)/2 = \alpha/2` (upper) for the
      binomial success probability (Lancaster 1961; Berry & Armitage 1995).

    References
    ----------
    Newcombe RG (1998). Two-sided confidence intervals for the single
    proportion: comparison of seven methods. Stat Med 17:857-872.
    Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial
    proportion. Stat Sci 16:101-133.
    Agresti A, Coull BA (1998). Am Stat 52:119-126.
    Berry G, Armitage P (1995). Mid-P confidence intervals: a brief review.
    J R Stat Soc D 44:417-423.

    Examples
    --------
    Day-28 overall response in the MSC arm of the phase 3 trial (82 of 99):

    >>> from gvhdstats import proportion_ci
    >>> ci = proportion_ci(82, 99, method="clopper-pearson")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    0.7394 0.8967
    >>> ci = proportion_ci(82, 99, method="wilson")
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    0.7421 0.8899
    """
    x, n = _events_total(events, total)
    m = _method(method, PROPORTION_CI_METHODS)
    cl = _confidence_level(confidence_level)
    alpha = 1 - cl
    from scipy.special import betaincinv

    z = z_two_sided(cl)
    p = x / n
    if m == "clopper-pearson":
        lo = 0.0 if x == 0 else float(betaincinv(x, n - x + 1, alpha / 2))
        hi = 1.0 if x == n else float(betaincinv(x + 1, n - x, 1 - alpha / 2))
    elif m == "jeffreys":
        lo = 0.0 if x == 0 else float(betaincinv(x + 0.5, n - x + 0.5, alpha / 2))
        hi = 1.0 if x == n else float(betaincinv(x + 0.5, n - x + 0.5, 1 - alpha / 2))
    elif m == "wilson":
        lo, hi = _wilson(p, n, z)
        lo = 0.0 if x == 0 else max(lo, 0.0)
        hi = 1.0 if x == n else min(hi, 1.0)
    elif m == "wilson-cc":
        pl = p - 0.5 / n
        pu = p + 0.5 / n
        lo = 0.0 if pl <= 0 else _wilson(pl, n, z)[0]
        hi = 1.0 if pu >= 1 else _wilson(pu, n, z)[1]
    elif m == "agresti-coull":
        nt = n + z * z
        pt = (x + z * z / 2) / nt
        half = z * math.sqrt(pt * (1 - pt) / nt)
        lo, hi = max(pt - half, 0.0), min(pt + half, 1.0)
    elif m == "wald":
        half = z * math.sqrt(p * (1 - p) / n)
        lo, hi = max(p - half, 0.0), min(p + half, 1.0)
    else:  # mid-p
        lo, hi = _midp_bounds(x, n, alpha)
    return ConfidenceInterval(float(lo), float(hi))


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------
