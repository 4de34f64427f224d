"""Counts and totals that a printed percentage allows (GRIM for trial tables).

The GRIM idea (Brown & Heathers 2017) carried to trial tables gives
:func:`recover_counts` (which integer counts out of a known total print as this
percentage) and :func:`recover_totals` (which denominators make this count
print as this percentage), in exact rational arithmetic and in closed form:
the percentage ``100 k / n`` is monotone in ``k`` (and in ``n``), so the
answer is always a run of consecutive integers, found from the bounds of the
rounding interval without trying candidates (constant time for any total).
Both return a :class:`CountRange`, a compact sequence of those integers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any, overload

from gvhdstats.errors import InvalidArgumentError, InvalidCountError
from gvhdstats.numbers.rounding import DEFAULT_MODE, Reported, RoundingMode

__all__ = [
    "CountRange",
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


class CountRange(Sequence[int]):
    """The consecutive integers ``low, low + 1, ..., high`` (empty when ``high < low``).

    The answer of :func:`recover_counts` and :func:`recover_totals`: a sequence
    that compares equal to the list of its elements (``recover_counts("82.8",
    99) == [82]``) without holding them, so a total of ``10**18`` costs nothing.

    Attributes
    ----------
    low, high : int
        First and last element (``high = low - 1`` when empty).
    truncated : bool
        True when the answer was cut at a caller's ``max_total``: more values
        beyond ``high`` also fit.  An untruncated empty range means impossible.
    """

    __slots__ = ("high", "low", "truncated")

    low: int
    high: int
    truncated: bool

    def __init__(self, low: int, high: int, *, truncated: bool = False) -> None:
        if high < low:
            low, high = 0, -1
        object.__setattr__(self, "low", int(low))
        object.__setattr__(self, "high", int(high))
        object.__setattr__(self, "truncated", bool(truncated))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __len__(self) -> int:
        return self.high - self.low + 1

    def _range(self) -> range:
        return range(self.low, self.high + 1)

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> range: ...
    def __getitem__(self, i: int | slice) -> int | range:
        return self._range()[i]

    def __iter__(self) -> Iterator[int]:
        return iter(self._range())

    def __contains__(self, x: object) -> bool:
        return isinstance(x, int) and not isinstance(x, bool) and self.low <= x <= self.high

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CountRange):
            return (self.low, self.high, self.truncated) == (
                other.low,
                other.high,
                other.truncated,
            )
        if isinstance(other, range):
            return self._range() == other
        if isinstance(other, list | tuple):
            return len(other) == len(self) and all(
                a == b for a, b in zip(other, self._range(), strict=True)
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.low, self.high, self.truncated))

    def __repr__(self) -> str:
        n = len(self)
        more = " (truncated at max_total)" if self.truncated else ""
        if n <= 6:
            return f"[{', '.join(map(str, self._range()))}]{more}"
        return f"[{self.low}, {self.low + 1}, ..., {self.high}] ({n} values){more}"


def _count_bounds(
    lo: Fraction | None, hi: Fraction | None, lc: bool, hc: bool, n: int
) -> tuple[int, int]:
    """Integer ``k`` range with ``100 k / n`` between ``lo`` and ``hi`` (closedness per flags)."""
    if lo is None:
        k_lo = 0
    else:
        x = lo * n / 100
        k_lo = math.ceil(x) if lc else math.floor(x) + 1
    if hi is None:
        k_hi = n
    else:
        x = hi * n / 100
        k_hi = math.floor(x) if hc else math.ceil(x) - 1
    return max(k_lo, 0), min(k_hi, n)


def recover_counts(
    percent: str | Reported,
    total: int,
    *,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> CountRange:
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
    CountRange
        The counts ``k`` in ``0..total`` with ``100 k / total`` in the rounding
        interval of ``percent`` (consecutive integers, compares equal to their
        list); empty when the percentage is impossible for this total (a GRIM
        inconsistency).

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
    With ``[L, U]`` the rounding interval of the printed percentage, the
    counts are ``ceil(L n / 100) .. floor(U n / 100)`` (``floor + 1`` and
    ``ceil - 1`` at open ends), clipped to ``0..n``: exact rational
    arithmetic, constant time in ``n``.  No R function lists the counts;
    ``scrutiny::grim(x = "82.8", n = 99, percent = TRUE)`` answers whether at
    least one exists (GRIM), which is ``len(recover_counts(...)) > 0``.

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
    >>> len(recover_counts(">0.05", 10**7))
    9995000
    """
    rep = _as_reported(percent, "percent")
    n = _check_int(total, "total", minimum=1)
    lo, hi, lc, hc = rep.exact_bounds(mode)
    k_lo, k_hi = _count_bounds(lo, hi, lc, hc, n)
    return CountRange(k_lo, k_hi)


def _total_bounds(
    k: int, rep: Reported, mode: RoundingMode | str
) -> tuple[int, int | None] | None:
    """Denominators ``n >= 1`` with ``100 k / n`` in the interval: ``(n_min, n_max)``.

    ``n_max`` is ``None`` when every larger ``n`` fits too; ``None`` overall
    when no ``n`` fits.  ``100 k / n`` decreases in ``n`` for ``k > 0``.
    """
    lo, hi, lc, hc = rep.exact_bounds(mode)
    if k == 0:
        return (1, None) if rep.contains_exact(0, mode) else None
    big = 100 * k
    # 100 k / n <= hi (or <)  <=>  n >= 100 k / hi (or >)
    if hi is None:
        n_min = 1
    elif hi <= 0:
        return None
    else:
        x = Fraction(big) / hi
        n_min = math.ceil(x) if hc else math.floor(x) + 1
    # 100 k / n >= lo (or >)  <=>  n <= 100 k / lo (or <); always true when lo <= 0
    n_max: int | None
    if lo is None or lo <= 0:
        n_max = None
    else:
        x = Fraction(big) / lo
        n_max = math.floor(x) if lc else math.ceil(x) - 1
    n_min = max(n_min, 1)
    if n_max is not None and n_max < n_min:
        return None
    return n_min, n_max


def recover_totals(
    count: int,
    percent: str | Reported,
    *,
    min_total: int | None = None,
    max_total: int | None = None,
    mode: RoundingMode | str = DEFAULT_MODE,
) -> CountRange:
    """Every denominator ``n`` for which ``count / n`` prints as ``percent``.

    Parameters
    ----------
    count : int
        The printed count.
    percent : str
        The printed percentage.
    min_total : int, optional
        Smallest denominator considered (default ``max(count, 1)``).
    max_total : int, optional
        Largest denominator considered.  Not needed unless infinitely many
        totals fit (a count of 0 printed as ``"0.0"``, or a percentage printed
        as ``"<1"``); when the answer is cut here, ``.truncated`` is True.
    mode : str
        Rounding mode.

    Returns
    -------
    CountRange
        The denominators ``n`` with ``100 count / n`` in the rounding interval
        of ``percent`` (consecutive integers; exact rational arithmetic).  An
        empty answer that is not ``.truncated`` means that no denominator at
        all (within ``min_total..max_total`` when given) fits.

    Raises
    ------
    ReportedNumberError
        ``percent`` is not a printed number.
    InvalidCountError
        ``count`` is negative or not an integer, a bound is not an integer of
        at least 1, or ``min_total`` is below ``count``.
    InvalidArgumentError
        ``max_total`` is less than ``min_total``; infinitely many totals fit
        and no ``max_total`` was given; or ``mode`` is unknown.

    Notes
    -----
    GRIM (Brown & Heathers 2017) run over denominators, in closed form: for
    ``k > 0`` and rounding interval ``[L, U)``, ``100 k / n`` lies in it for
    ``n`` in ``(100 k / U, 100 k / L]``, so the answer is
    ``floor(100 k / U) + 1 .. floor(100 k / L)`` (ends adjusted for closed or
    open bounds), with no upper end when ``L <= 0``.  R equivalent: map
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

    >>> recover_totals(65, "65.7")
    [99]
    >>> recover_totals(139, "1.26")
    [10989, 10990, ..., 11075] (87 values)
    """
    k = _check_int(count, "count", minimum=0)
    rep = _as_reported(percent, "percent")
    lo_n = max(k, 1) if min_total is None else _check_int(min_total, "min_total", minimum=1)
    hi_n = None if max_total is None else _check_int(max_total, "max_total", minimum=1)
    if hi_n is not None and hi_n < lo_n:
        raise InvalidArgumentError(
            f"`max_total` ({hi_n}) must not be less than `min_total` ({lo_n})"
        )
    if lo_n < k:
        raise InvalidCountError(f"`min_total` ({lo_n}) must not be less than `count` ({k})")
    bounds = _total_bounds(k, rep, mode)
    if bounds is None:
        return CountRange(0, -1)
    n_min, n_max = max(bounds[0], lo_n), bounds[1]
    if n_max is None:
        if hi_n is None:
            raise InvalidArgumentError(
                f"every total from {n_min} up makes {k} print as {rep.text!r}: pass "
                "`max_total` to bound the answer"
            )
        return CountRange(n_min, hi_n, truncated=True)
    if hi_n is not None and n_max > hi_n:
        return CountRange(n_min, hi_n, truncated=True)
    return CountRange(n_min, n_max)
