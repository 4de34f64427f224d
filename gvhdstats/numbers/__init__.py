"""Printed numbers: parsing, rounding modes and intervals, counts and totals they allow.

This layer knows nothing of statistical methods, claims or records; it imports
only :mod:`gvhdstats.errors` and :mod:`gvhdstats._validation`.
"""

from gvhdstats.numbers.recover import CountRange, recover_counts, recover_totals
from gvhdstats.numbers.rounding import (
    BOUNDARY_RTOL,
    DEFAULT_MODE,
    MAX_DIGITS,
    MAX_EXPONENT,
    Reported,
    RoundingInterval,
    RoundingMode,
    parse_interval,
)

__all__ = [
    "BOUNDARY_RTOL",
    "DEFAULT_MODE",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "CountRange",
    "Reported",
    "RoundingInterval",
    "RoundingMode",
    "parse_interval",
    "recover_counts",
    "recover_totals",
]
