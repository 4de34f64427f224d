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
    "as_code",
    "as_column",
    "as_event",
    "as_numeric_matrix",
    "as_real_array",
    "as_status",
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


#: Largest magnitude up to which every integer is exactly a float64 (2**53).
_EXACT_INT = 2**53


def _real_values(arr, name: str, what: str = "numbers", *, allow_bool: bool = False):
    """``arr`` (a numpy array) as float64, refusing every lossy or silent conversion.

    Refused, each with a message saying what to pass instead: booleans,
    complex numbers (numpy would drop the imaginary part with only a
    ``ComplexWarning``), datetimes and durations (numpy would read them as
    integer nanoseconds), strings, objects that are not real numbers, and
    integers beyond 2**53 in magnitude (float64 cannot hold them exactly, so
    distinct values would merge into ties).
    """
    import numpy as np

    kind = arr.dtype.kind
    if kind == "b":
        if allow_bool:
            return arr.astype(float)
        raise InvalidArgumentError(f"`{name}` must hold {what}, but got booleans")
    if kind == "c":
        raise InvalidArgumentError(
            f"`{name}` must hold real {what}, but got complex values (dtype {arr.dtype}); "
            "pass the real part (e.g. `np.real(x)`) if every imaginary part is zero"
        )
    if kind == "M":
        raise InvalidArgumentError(
            f"`{name}` must hold {what}, but got dates (dtype {arr.dtype}); pass durations "
            "as numbers in one unit, e.g. `(end - start) / np.timedelta64(1, 'D')` for days"
        )
    if kind == "m":
        raise InvalidArgumentError(
            f"`{name}` must hold {what}, but got durations (dtype {arr.dtype}), which would be "
            "read as nanoseconds; pass numbers in one unit, e.g. "
            "`x / np.timedelta64(1, 'D')` for days"
        )
    if kind in "USV":
        raise InvalidArgumentError(
            f"`{name}` must hold {what}, but got strings (dtype {arr.dtype}); "
            "convert them first, e.g. with `pandas.to_numeric`"
        )
    if kind == "O":
        import datetime
        import decimal
        import fractions
        from numbers import Complex

        for i, v in enumerate(arr.tolist()):
            if v is None:
                continue  # missing values are reported by the caller's check
            if isinstance(v, bool | np.bool_):
                if allow_bool:
                    continue
                bad = "a boolean"
            elif isinstance(v, datetime.date | datetime.timedelta | np.datetime64):
                bad = "a date or duration; pass durations as numbers in one unit"
            elif isinstance(v, str | bytes):
                bad = "a string; convert it first, e.g. with `pandas.to_numeric`"
            elif isinstance(v, int) and abs(v) > _EXACT_INT:
                bad = "an integer beyond 2**53, which float64 cannot hold exactly; rescale it"
            elif isinstance(v, Real | decimal.Decimal | fractions.Fraction):
                continue
            elif isinstance(v, Complex):
                bad = "a complex number; pass the real part"
            else:
                bad = f"a {type(v).__name__}"
            raise InvalidArgumentError(
                f"`{name}` must hold real {what}, but got {show_value(v)} at position {i}, {bad}"
            )
    try:
        t = arr.astype(float, copy=False)  # no copy of a float64 input (never mutated)
    except (TypeError, ValueError):
        raise InvalidArgumentError(
            f"`{name}` must hold {what}, but got values of type {arr.dtype}"
        ) from None
    if kind in "iu" and arr.size and arr.dtype.itemsize > 6:
        big = np.abs(arr) > _EXACT_INT if kind == "i" else arr > _EXACT_INT
        if big.any():
            i = int(np.flatnonzero(big)[0])
            raise InvalidArgumentError(
                f"`{name}` must hold integers of magnitude at most 2**53 (float64 holds them "
                f"exactly), but got {show_value(arr[i])} at position {i}; distinct values would "
                "merge into ties: rescale (e.g. nanoseconds to days) before passing"
            )
    return t


def as_real_array(values: object, name: str):
    """A one-dimensional, non-empty float array of finite real numbers (numpy lazily).

    Every lossy conversion is refused (see :func:`_real_values`); the message
    names ``name`` and, for a bad element, its position.
    """
    import numpy as np

    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"`{name}` must be one-dimensional, but got shape {arr.shape}")
    if arr.size == 0:
        raise InvalidArgumentError(f"`{name}` must not be empty, but got 0 values")
    t = _real_values(arr, name)
    bad = ~np.isfinite(t)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(
            f"`{name}` must be finite (no NaN or inf), but got {float(t[i])!r} at position {i}"
        )
    return t


def as_time_array(values: object, name: str = "time"):
    """A one-dimensional float array of finite, non-negative times (numpy imported lazily).

    Booleans, complex numbers, datetimes, durations, strings and integers
    beyond 2**53 are refused (see :func:`_real_values`); the message names
    ``name`` and, for a bad element, its position.
    """
    import numpy as np

    t = as_real_array(values, name)
    neg = t < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise InvalidArgumentError(
            f"`{name}` must not be negative, but got {float(t[i])!r} at position {i}"
        )
    return t


def as_status(values: object, n: int, name: str = "status", *, labels: bool = False):
    """Status codes: one validator for event indicators and competing-risk codes.

    Numbers must be integers (``1.0`` is 1; ``1.5``, ``inf`` and NaN are
    refused), booleans count as 0/1.  With ``labels=True`` an array of strings
    is also accepted and returned unchanged (object dtype); otherwise strings
    are refused.  Complex numbers, dates and durations are always refused.
    Returns an ``int64`` array for numeric codes.  numpy is imported lazily.
    """
    import numpy as np

    arr = as_column(values, n, name)
    check_no_missing(arr, name)
    kind = arr.dtype.kind
    if kind == "b":
        return arr.astype(np.int64)
    if kind in "iu":
        if kind == "u" and arr.dtype.itemsize == 8 and arr.size and arr.max() > 2**63 - 1:
            raise InvalidArgumentError(
                f"`{name}` must hold integer codes below 2**63, but got {show_value(arr.max())}"
            )
        return arr.astype(np.int64, copy=False)  # integers are codes as they are
    items = arr.tolist() if kind == "O" else []  # the elements, listed once
    if labels and (kind in "US" or (kind == "O" and all(isinstance(v, str) for v in items))):
        return arr.astype(object)
    if kind == "O" and all(isinstance(v, bool | np.bool_) for v in items):
        return arr.astype(np.int64)
    what = "integer codes" + (" or string labels" if labels else "")
    if kind == "O" and labels and any(isinstance(v, str) for v in items):
        raise InvalidArgumentError(
            f"`{name}` must hold {what} of one kind, but got a mix of strings and numbers"
        )
    return _check_int_codes(_real_values(arr, name, what), arr, name, what)


def _check_int_codes(t, arr, name: str, what: str = "integer codes"):
    import numpy as np

    bad = ~np.isfinite(t) | (t != np.round(t))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(
            f"`{name}` must hold {what}, but got {show_value(arr[i])} at position {i}"
        )
    return t.astype(np.int64)


def as_code(value: object, name: str, *, labels: bool = False):
    """One status code (``cause``, ``censor_code``): an integer, or with ``labels`` a string.

    An integral float (``1.0``) is returned as an ``int``; ``1.5``, NaN, inf,
    booleans and other types are refused, naming ``name``.
    """
    if labels and isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise InvalidArgumentError(f"`{name}` must be an integer code, but got {value!r}")
    if isinstance(value, Real):
        v = float(value)
        if math.isfinite(v) and v == round(v) and abs(v) <= _EXACT_INT:
            return int(v)
    raise InvalidArgumentError(
        f"`{name}` must be an integer code{' or a string label' if labels else ''}, "
        f"but got {show_value(value)}"
    )


def as_event(values: object, n: int, name: str = "event"):
    """Event indicators: 0 (censored) or 1 (event), or booleans; ``int64`` array."""
    import numpy as np

    codes = as_status(values, n, name)
    bad = (codes != 0) & (codes != 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(
            f"`{name}` must hold 0 (censored) or 1 (event), "
            f"but got {show_value(np.asarray(values, dtype=object)[i])} at position {i}"
        )
    return codes


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

    def generic() -> InvalidArgumentError:
        return InvalidArgumentError(
            f"`{name}` must be numeric (a 1-D or 2-D array or a DataFrame of numbers){hint}, "
            f"but got {values!r:.80}"
        )

    try:
        raw = np.asarray(data)
    except (TypeError, ValueError):  # ragged nested sequences
        raise generic() from None
    flat = raw.ravel()
    if raw.dtype.kind in "USV" or (
        raw.dtype.kind == "O" and any(isinstance(v, str | bytes) for v in flat.tolist())
    ):
        raise generic()
    x = _real_values(flat, name, "numbers", allow_bool=True).reshape(raw.shape)
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
