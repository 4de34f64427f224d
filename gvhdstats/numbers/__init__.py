"""Printed numbers: parsing, rounding modes and intervals, counts and totals they allow.

This layer knows nothing of statistical methods, claims or records; it imports
only :mod:`gvhdstats.errors` and :mod:`gvhdstats._validation`.
"""

from gvhdstats.numbers.recover import recover_counts, recover_totals
from gvhdstats.numbers.rounding import (
    BOUNDARY_RTOL,
    Reported,
    RoundingInterval,
    RoundingMode,
)

__all__ = [
    "BOUNDARY_RTOL",
    "Reported",
    "RoundingInterval",
    "RoundingMode",
    "recover_counts",
    "recover_totals",
]
