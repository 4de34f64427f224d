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
    "as_column",
    "as_numeric_matrix",
    "as_time_array",
    "check_confidence_level",
    "check_no_missing",
    "check_option",
    "normal_quantile",
    "show_value",
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


def show_value(value: object) -> str:
    """repr of a value, numpy scalars shown as Python ones (``nan``, not ``np.float64(nan)``)."""
    item = getattr(value, "item", None)
    return repr(item() if callable(item) else value)


def as_column(values: object, n: int, name: str):
    """``values`` as a one-dimensional array of length ``n`` (the length of ``time``).

    The values are not converted; numpy is imported lazily.
    """
    import numpy as np

    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"`{name}` must be one-dimensional, but got shape {arr.shape}")
    if arr.shape[0] != n:
        raise InvalidArgumentError(
            f"`{name}` must have the same length as `time` ({n}), but got length {arr.shape[0]}"
        )
    return arr


def check_no_missing(arr, name: str) -> None:
    """Refuse a missing value (NaN, None, NaT, ``pd.NA``) in a one-dimensional array.

    The message names ``name`` and the position of the first missing value.
    Object arrays are checked with ``pandas.isna`` (imported only then).
    """
    import numpy as np

    kind = arr.dtype.kind
    if kind in "fc":
        missing = np.isnan(arr)
    elif kind in "mM":
        missing = np.isnat(arr)
    elif kind == "O":
        import pandas as pd

        missing = pd.isna(arr)
    else:
        return
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InvalidArgumentError(
            f"`{name}` must not be missing, but got {show_value(arr[i])} at position {i}"
        )


def as_numeric_matrix(values: object, n: int, name: str, *, hint: str = ""):
    """An ``(n, p)`` float matrix of finite numbers and its column names.

    A DataFrame gives its column names and a named Series its name; a 1-D
    array is one column; other columns are named ``x1, x2, ...``.  ``hint``
    is appended to the message for non-numeric values.  numpy is imported
    lazily.
    """
    import numpy as np

    names: tuple[str, ...] | None = None
    data: object = values
    columns = getattr(values, "columns", None)
    if columns is not None and hasattr(values, "to_numpy"):  # DataFrame
        names = tuple(str(c) for c in columns)
        data = values.to_numpy()
    elif hasattr(values, "to_numpy") and getattr(values, "name", None) is not None:  # Series
        names = (str(values.name),)  # type: ignore[attr-defined]
        data = values.to_numpy()
    try:
        x = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"`{name}` must be numeric (a 1-D or 2-D array or a DataFrame of numbers){hint}, "
            f"but got {values!r:.80}"
        ) from None
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise InvalidArgumentError(f"`{name}` must be 1-D or 2-D, but got shape {x.shape}")
    if x.shape[0] != n:
        raise InvalidArgumentError(
            f"`{name}` must have one row per subject ({n} = len(time)), but got {x.shape[0]} rows"
        )
    p = x.shape[1]
    if p == 0:
        raise InvalidArgumentError(f"`{name}` must have at least one column, but got 0")
    if names is None:
        names = tuple(f"x{j + 1}" for j in range(p))
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise InvalidArgumentError(
            f"`{name}` must be finite (no NaN or inf), but got {float(x[i, j])!r} "
            f"in row {i}, column {names[j]!r}"
        )
    return x, names
