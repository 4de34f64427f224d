"""Private helpers shared by the modules: argument checks and normal quantiles.

Only the standard library is imported here, so every module (including those
``gvhdstats verify`` loads) can use these helpers without slowing start-up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from statistics import NormalDist

from gvhdstats.errors import InvalidArgumentError, UnknownMethodError

__all__ = [
    "as_time_array",
    "check_confidence_level",
    "check_option",
    "normal_quantile",
    "z_two_sided",
]

_STD_NORMAL = NormalDist()


def check_confidence_level(value: object, name: str = "confidence_level") -> float:
    """A confidence level: a real number strictly between 0 and 1 (NaN rejected).

    Python and numpy numbers are accepted; ``bool`` and strings are not.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidArgumentError(f"`{name}` must be a number in (0, 1), but got {value!r}")
    cl = float(value)
    if not 0.0 < cl < 1.0:
        raise InvalidArgumentError(f"`{name}` must be a number in (0, 1), but got {value!r}")
    return cl


def check_option(value: object, name: str, allowed: Sequence[str]) -> str:
    """``value`` if it is exactly one of the ``allowed`` option names."""
    if not isinstance(value, str) or value not in allowed:
        raise UnknownMethodError(
            f"`{name}` must be one of {', '.join(map(repr, allowed))}, but got {value!r}"
        )
    return value


def normal_quantile(q: float) -> float:
    """Standard normal quantile (R's ``qnorm(q)``); -inf and inf at 0 and 1."""
    if q <= 0:
        return -math.inf
    if q >= 1:
        return math.inf
    return _STD_NORMAL.inv_cdf(q)


def z_two_sided(level: float) -> float:
    """Two-sided normal critical value ``qnorm(1 - (1 - level) / 2)``.

    Computed from the lower tail, ``-qnorm((1 - level) / 2)``, which keeps full
    precision for levels close to 1.
    """
    return -normal_quantile((1.0 - level) / 2.0)


def as_time_array(values: object, name: str = "time"):
    """A one-dimensional float array of finite, non-negative times (numpy imported lazily).

    Booleans and non-numeric values are refused; the message names ``name``
    and, for a bad element, its position.
    """
    import numpy as np

    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"`{name}` must be one-dimensional, but got shape {arr.shape}")
    if arr.size == 0:
        raise InvalidArgumentError(f"`{name}` must not be empty, but got 0 values")
    if arr.dtype == bool:
        raise InvalidArgumentError(f"`{name}` must hold numbers, but got booleans")
    try:
        t = arr.astype(float)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"`{name}` must hold numbers, but got values of type {arr.dtype}"
        ) from None
    bad = ~np.isfinite(t)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(
            f"`{name}` must be finite (no NaN or inf), but got {float(t[i])!r} at position {i}"
        )
    neg = t < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise InvalidArgumentError(
            f"`{name}` must not be negative, but got {float(t[i])!r} at position {i}"
        )
    return t
