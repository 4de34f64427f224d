"""Result types shared by the methods.

:class:`ConfidenceInterval` is what every method returns for an interval
(as ``scipy.stats`` result objects do); the checks compare printed intervals
with it, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gvhdstats.errors import InvalidIntervalError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["ConfidenceInterval"]


def _any_greater(low: Any, high: Any) -> bool:
    if isinstance(low, int | float) and isinstance(high, int | float):
        return low > high
    import numpy as np

    with np.errstate(invalid="ignore"):
        return bool(np.any(np.asarray(low, dtype=float) > np.asarray(high, dtype=float)))


@dataclass(frozen=True)
class ConfidenceInterval:
    """A confidence interval ``(low, high)``, as in ``scipy.stats``.

    A bound may be NaN (not computable, e.g. a ratio with a zero cell) or
    infinite; bounds that are not NaN must satisfy ``low <= high``.  The
    bounds may also be arrays (one interval per coefficient).

    Raises
    ------
    InvalidIntervalError
        ``low`` is greater than ``high``.

    Examples
    --------
    >>> ConfidenceInterval(0.35, 1.2)
    ConfidenceInterval(low=0.35, high=1.2)
    """

    low: float | np.ndarray
    high: float | np.ndarray

    def __post_init__(self) -> None:
        # bounds may be arrays (one interval per coefficient); NaN compares False
        if _any_greater(self.low, self.high):
            raise InvalidIntervalError(
                f"`low` must not exceed `high`, but got low={self.low!r}, high={self.high!r}"
            )

    def __iter__(self):
        return iter((self.low, self.high))
