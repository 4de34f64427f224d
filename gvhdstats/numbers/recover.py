"""Counts and totals that a printed percentage allows (GRIM for trial tables).

The GRIM idea (Brown & Heathers 2017) carried to trial tables gives
:func:`recover_counts` (which integer counts out of a known total print as this
percentage) and :func:`recover_totals` (which denominators make this count
print as this percentage), in exact rational arithmetic.
"""

from __future__ import annotations

import math
from fractions import Fraction

from gvhdstats.errors import InvalidArgumentError, InvalidCountError
from gvhdstats.numbers.rounding import Reported, RoundingMode

__all__ = [
    "Reported",
    "RoundingMode",
    "recover_counts",
    "recover_totals",
]

#: Relative slack applied at interval bounds so that a recomputed value that
#: lies on a rounding boundary up to floating-point error is not misjudged.
BOUNDARY_RTOL = 1e-12


def _as_reported(value: str | Reported, name: str) -> Reported:
    return Reported.parse(value, name=name)


def _check_int(value: object, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        try:
            import numpy as np

            if isinstance(value, np.integer):
                value = int(value)
        except ImportError:  # pragma: no cover
            pass
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise InvalidCountError(
                f"`{name}` must be an integer not less than {minimum}, but got {value!r}"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidCountError(
            f"`{name}` must be an integer not less than {minimum}, but got {value!r}"
        )
    return value


def recover_counts(
    percent: str | Reported,
    total: int,
    *,
    mode: RoundingMode | str = RoundingMode.HALF_UP,
) -> list[int]:
    """Every integer count whose percentage of ``total`` prints as ``percent``.

    Parameters
    ----------
    percent : str
        The printed percentage, e.g. ``"82.8"`` or ``"82.8%"``.
    total : int
        The denominator (number of patients).
    mode : str
        Rounding mode (see :class:`RoundingMode`).

    Returns
    -------
    list of int
        The counts ``k`` in ``0..total`` with ``100 k / total`` in the rounding
        interval of ``percent``; empty when the percentage is impossible for
        this total (a GRIM inconsistency).

    Raises
    ------
    ReportedNumberError
        ``percent`` is not a printed number.
    InvalidCountError
        ``total`` is not an integer of at least 1.
    InvalidArgumentError
        ``mode`` is not one of the documented names.

    Notes
    -----
    The comparison is done in exact rational arithmetic.  No R function
    lists the counts; ``scrutiny::grim(x = "82.8", n = 99, percent = TRUE)``
    answers whether at least one exists (GRIM), which is
    ``recover_counts(...) != []``.

    References
    ----------
    Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous
    anomalies in the reporting of results in psychology. Soc Psychol Personal
    Sci 2017;8:363-369.

    Examples
    --------
    The day-28 response of the phase 3 MSC trial (Zhao et al. 2022):

    >>> recover_counts("82.8", 99)
    [82]
    >>> recover_counts("82.8", 100)
    []
    """
    rep = _as_reported(percent, "percent")
    n = _check_int(total, "total", minimum=1)
    out = []
    lo, hi, _, _ = rep.exact_bounds(mode)
    k_lo = 0 if lo is None else max(0, math.floor(lo * n / 100) - 1)
    k_hi = n if hi is None else min(n, math.ceil(hi * n / 100) + 1)
    for k in range(k_lo, k_hi + 1):
        if rep.contains_exact(Fraction(100 * k, n), mode):
            out.append(k)
    return out


def recover_totals(
    count: int,
    percent: str | Reported,
    *,
    min_total: int | None = None,
    max_total: int = 10_000,
    mode: RoundingMode | str = RoundingMode.HALF_UP,
) -> list[int]:
    """Every denominator ``n`` for which ``count / n`` prints as ``percent``.

    Parameters
    ----------
    count : int
        The printed count.
    percent : str
        The printed percentage.
    min_total, max_total : int
        The range of denominators searched (``min_total`` defaults to
        ``max(count, 1)``).
    mode : str
        Rounding mode.

    Returns
    -------
    list of int
        The denominators ``n`` in ``min_total..max_total`` with
        ``100 count / n`` in the rounding interval of ``percent`` (exact
        rational arithmetic).

    Raises
    ------
    ReportedNumberError
        ``percent`` is not a printed number.
    InvalidCountError
        ``count`` is negative or not an integer, a bound is not an integer of
        at least 1, or ``min_total`` is below ``count``.
    InvalidArgumentError
        ``max_total`` is less than ``min_total``, or ``mode`` is unknown.

    Notes
    -----
    GRIM (Brown & Heathers 2017) run over denominators.  R equivalent: map
    ``scrutiny::grim(x = "65.7", n = n, percent = TRUE)`` over the candidate
    ``n`` (GRIM asks whether any count fits; here the count is given).

    References
    ----------
    Brown NJL, Heathers JAJ. The GRIM test: a simple technique detects numerous
    anomalies in the reporting of results in psychology. Soc Psychol Personal
    Sci 2017;8:363-369.

    Examples
    --------
    Infections in the MSC arm of the phase 3 trial, "65 [65.7%]":

    >>> recover_totals(65, "65.7", max_total=500)
    [99]
    """
    k = _check_int(count, "count", minimum=0)
    rep = _as_reported(percent, "percent")
    lo_n = max(k, 1) if min_total is None else _check_int(min_total, "min_total", minimum=1)
    hi_n = _check_int(max_total, "max_total", minimum=1)
    if hi_n < lo_n:
        raise InvalidArgumentError(
            f"`max_total` ({hi_n}) must not be less than `min_total` ({lo_n})"
        )
    if lo_n < k:
        raise InvalidCountError(f"`min_total` ({lo_n}) must not be less than `count` ({k})")
    # 100 k / n lies in [lo, hi] only for n in [100 k / hi, 100 k / lo]: test just those
    # (exactly), not every n up to max_total
    lo, hi, _, _ = rep.exact_bounds(mode)
    first, last = lo_n, hi_n
    if k > 0 and hi is not None and hi > 0:
        first = max(first, math.floor(Fraction(100 * k) / hi) - 1)
    if k > 0 and lo is not None and lo > 0:
        last = min(last, math.ceil(Fraction(100 * k) / lo) + 1)
    return [n for n in range(first, last + 1) if rep.contains_exact(Fraction(100 * k, n), mode)]
