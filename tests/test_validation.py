"""Tests for the shared private argument checks in gvhdstats._validation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gvhdstats import cox_hr, cuminc, fine_gray, kaplan_meier, logrank_test, proportion_ci
from gvhdstats._validation import check_confidence_level, normal_quantile, z_two_sided
from gvhdstats.errors import InvalidArgumentError


@pytest.mark.parametrize("value", [0.95, 0.9, np.float32(0.8), np.float64(0.99)])
def test_confidence_level_accepts_numbers(value):
    assert check_confidence_level(value) == float(value)


@pytest.mark.parametrize("value", [0, 1, 95, -0.5, math.nan, math.inf, True, "0.95", None])
def test_confidence_level_rejects(value):
    with pytest.raises(
        InvalidArgumentError, match=r"`confidence_level` must be a number in \(0, 1\)"
    ):
        check_confidence_level(value)


def test_normal_quantiles():
    # R: qnorm(0.975) = 1.959963984540054, qnorm(0.95) = 1.644853626951472,
    # qnorm(0.995) = 2.575829303548900 (printed with digits = 16)
    assert z_two_sided(0.95) == pytest.approx(1.959963984540054, rel=1e-15)
    assert z_two_sided(0.90) == pytest.approx(1.644853626951472, rel=1e-15)
    assert z_two_sided(0.99) == pytest.approx(2.5758293035489, rel=1e-15)
    assert normal_quantile(0.5) == 0.0
    assert normal_quantile(0.0) == -math.inf
    assert normal_quantile(1.0) == math.inf


T = [1.0, 2, 3, 4, 5, 6]
E = [1, 0, 1, 1, 0, 1]
G = [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(
    "call",
    [
        lambda cl: proportion_ci(3, 10, confidence_level=cl),
        lambda cl: kaplan_meier(T, E, confidence_level=cl),
        lambda cl: cox_hr(T, E, G, confidence_level=cl),
        lambda cl: cuminc(T, E, confidence_level=cl),
        lambda cl: fine_gray(T, E, [0, 1, 0, 1, 1, 0], confidence_level=cl),
    ],
    ids=["proportion_ci", "kaplan_meier", "cox_hr", "cuminc", "fine_gray"],
)
@pytest.mark.parametrize("bad", [math.nan, 95, "0.95"])
def test_public_functions_share_the_level_check(call, bad):
    with pytest.raises(InvalidArgumentError, match="`confidence_level`"):
        call(bad)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda v: kaplan_meier(T, E, v), "group"),
        (lambda v: cox_hr(T, E, G, strata=v), "strata"),
        (lambda v: cuminc(T, E, v), "group"),
        (lambda v: fine_gray(T, v, [0, 1, 0, 1, 1, 0]), "status"),
    ],
    ids=["kaplan_meier", "cox_hr", "cuminc", "fine_gray"],
)
@pytest.mark.parametrize(
    ("missing", "shown"), [(None, "None"), (math.nan, "nan"), (pd.NA, "<NA>")]
)
def test_public_functions_share_the_missing_value_check(call, name, missing, shown):
    values = np.array([1, 0, 1, missing, 0, 1], dtype=object)
    with pytest.raises(
        InvalidArgumentError, match=rf"`{name}` must not be missing, but got {shown} at position 3"
    ):
        call(values)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda v: kaplan_meier(T, v), "event"),
        (lambda v: logrank_test(T, E, v), "group"),
        (lambda v: cuminc(T, v), "status"),
        (lambda v: fine_gray(T, v, [0, 1, 0, 1, 1, 0]), "status"),
    ],
    ids=["kaplan_meier", "logrank_test", "cuminc", "fine_gray"],
)
def test_public_functions_share_the_length_check(call, name):
    with pytest.raises(
        InvalidArgumentError,
        match=rf"`{name}` must have the same length as `time` \(6\), but got length 5",
    ):
        call([1, 0, 1, 0, 1])
