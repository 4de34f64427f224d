"""Tests for gvhdstats.checks.verdicts value types."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gvhdstats.errors import InvalidIntervalError
from gvhdstats.methods._results import ConfidenceInterval


def test_confidence_interval_rejects_reversed_bounds():
    with pytest.raises(InvalidIntervalError, match="`low` must not exceed `high`"):
        ConfidenceInterval(2.0, 1.0)
    with pytest.raises(InvalidIntervalError, match="`low` must not exceed `high`"):
        ConfidenceInterval(np.array([0.5, 3.0]), np.array([1.0, 2.0]))
    # NaN (not computable) and infinite bounds are allowed
    assert math.isnan(ConfidenceInterval(0.0, math.nan).high)
    assert ConfidenceInterval(0.0, math.inf).high == math.inf
