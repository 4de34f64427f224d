"""Tests for the shared private argument checks in gvhdstats._validation."""

from __future__ import annotations

import math
import warnings
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from gvhdstats import (
    cox_hr,
    cuminc,
    fine_gray,
    gray_test,
    kaplan_meier,
    logrank_test,
    proportion_ci,
    reconstruct_cif,
    reconstruct_km,
)
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


# --------------------------------------------------------------------------- silent coercions
# Every entry point that takes times (or curve coordinates) refuses values that numpy would
# convert with a loss: complex numbers (imaginary part dropped), integers beyond 2**53 (distinct
# values merged), dates and durations (read as nanoseconds).  One class per defect class, each
# covering every entry point.

ST = [1, 0, 2, 1, 2, 1]  # competing-risk status codes for T
X01 = [0, 1, 0, 1, 1, 0]


def _time_entry_points():
    """(id, call taking a time array of length 6) for every entry point taking times."""
    return [
        ("kaplan_meier", lambda t: kaplan_meier(t, E)),
        ("logrank_test", lambda t: logrank_test(t, E, G)),
        ("cox_hr", lambda t: cox_hr(t, E, G)),
        ("cuminc", lambda t: cuminc(t, ST, G)),
        ("gray_test", lambda t: gray_test(t, ST, G)),
        ("fine_gray", lambda t: fine_gray(t, ST, X01)),
        ("reconstruct_km", lambda t: reconstruct_km(t, [1, 1, 0.9, 0.8, 0.8, 0.7], [0], [10])),
        (
            "reconstruct_cif",
            lambda t: reconstruct_cif({1: (t, [0, 0, 0.1, 0.2, 0.2, 0.3])}, [0], [10]),
        ),
    ]


TIME_CALLS = _time_entry_points()
TIME_IDS = [name for name, _ in TIME_CALLS]
TIME_FUNCS = [call for _, call in TIME_CALLS]


class TestComplexValuesRejected:
    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_complex_times(self, call):
        t = np.array([0, 1, 2, 3, 4, 5], dtype=complex)
        with pytest.raises(InvalidArgumentError, match=r"complex values .*`np.real\(x\)`"):
            call(t)

    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_complex_python_objects(self, call):
        t = np.array([0, 1, 2, 3, 4, 5j], dtype=object)
        with pytest.raises(InvalidArgumentError, match=r"position 5, a complex number"):
            call(t)

    @pytest.mark.parametrize(
        ("call", "name"),
        [
            (lambda v: kaplan_meier(T, v), "event"),
            (lambda v: logrank_test(T, v, G), "event"),
            (lambda v: cox_hr(T, v, G), "event"),
            (lambda v: cuminc(T, v, G), "status"),
            (lambda v: gray_test(T, v, G), "status"),
            (lambda v: fine_gray(T, v, X01), "status"),
            (lambda v: cox_hr(T, E, pd.DataFrame({"x": v})), "covariates_or_group"),
            (lambda v: fine_gray(T, ST, v), "covariates"),
        ],
        ids=["km", "logrank", "cox", "cuminc", "gray", "fine_gray", "cox-cov", "fg-cov"],
    )
    def test_complex_codes_and_covariates(self, call, name):
        v = np.array([1, 0, 1, 1, 0, 1], dtype=complex)
        with pytest.raises(InvalidArgumentError, match=rf"`{name}` must hold real .*complex"):
            call(v)


class TestHugeIntegersRejected:
    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_int64_above_2_53(self, call):
        # 2**53 + 1 and 2**53 are distinct integers but the same float64: they would tie
        t = np.array([0, 1, 2, 3, 2**53, 2**53 + 1], dtype=np.int64)
        with pytest.raises(
            InvalidArgumentError, match=r"at most 2\*\*53 .* at position 5; distinct values"
        ):
            call(t)

    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_python_int_above_2_53(self, call):
        t = [0, 1, 2, 3, 4, 2**70]  # too big for int64: numpy keeps Python ints (object)
        with pytest.raises(InvalidArgumentError, match=r"position 5, an integer beyond 2\*\*53"):
            call(t)

    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_2_53_itself_is_exact_and_accepted(self, call):
        # every integer up to 2**53 is exactly a float64: nothing about 2**53 is raised
        # (other checks may still object to these toy data, e.g. Cox separation)
        t = np.array([0, 1, 2, 3, 4, 2**53], dtype=np.int64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            message = ""
            try:
                call(t)
            except InvalidArgumentError as exc:
                message = str(exc)
        assert "2**53" not in message


class TestDatesAndDurationsRejected:
    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_datetime64(self, call):
        t = np.array(["2020-01-01", "2020-01-02", "2020-01-03"] * 2, dtype="datetime64[D]")
        with pytest.raises(InvalidArgumentError, match=r"got dates .*np.timedelta64\(1, 'D'\)"):
            call(t)

    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_timedelta64(self, call):
        t = np.array([0, 1, 2, 3, 4, 5], dtype="timedelta64[D]")
        with pytest.raises(InvalidArgumentError, match=r"durations .* read as nanoseconds"):
            call(t)

    @pytest.mark.parametrize("call", TIME_FUNCS, ids=TIME_IDS)
    def test_pandas_timestamps(self, call):
        t = pd.Series(pd.date_range("2020-01-01", periods=6)).to_numpy(dtype=object)
        with pytest.raises(InvalidArgumentError, match=r"a date or duration"):
            call(t)


class TestStatusCodesShareOneValidator:
    """cuminc, gray_test and fine_gray (and the 0/1 event of the survival functions) refuse
    the same non-integer codes with the same message."""

    CR_CALLS: ClassVar = [
        ("cuminc", lambda s: cuminc(T, s, G)),
        ("gray_test", lambda s: gray_test(T, s, G)),
        ("fine_gray", lambda s: fine_gray(T, s, X01)),
    ]

    @pytest.mark.parametrize("call", [c for _, c in CR_CALLS], ids=[n for n, _ in CR_CALLS])
    @pytest.mark.parametrize(("bad", "shown"), [(1.5, "1.5"), (math.inf, "inf")])
    def test_non_integer_codes(self, call, bad, shown):
        s = np.array([1, 0, 2, bad, 2, 1], dtype=float)
        with pytest.raises(
            InvalidArgumentError,
            match=rf"`status` must hold integer codes.*, but got {shown} at position 3",
        ):
            call(s)

    @pytest.mark.parametrize(
        "call",
        [
            lambda s: kaplan_meier(T, s),
            lambda s: logrank_test(T, s, G),
            lambda s: cox_hr(T, s, G),
        ],
        ids=["kaplan_meier", "logrank_test", "cox_hr"],
    )
    @pytest.mark.parametrize(("bad", "shown"), [(0.5, "0.5"), (math.inf, "inf")])
    def test_non_integer_events(self, call, bad, shown):
        s = np.array([1, 0, 1, bad, 0, 1], dtype=float)
        with pytest.raises(
            InvalidArgumentError, match=rf"`event` must hold integer codes, but got {shown}"
        ):
            call(s)

    @pytest.mark.parametrize("call", [c for _, c in CR_CALLS], ids=[n for n, _ in CR_CALLS])
    def test_integral_floats_are_codes(self, call):
        as_int = call(np.array(ST))
        as_float = call(np.array(ST, dtype=float))
        assert repr(as_int) == repr(as_float)

    @pytest.mark.parametrize("call", [c for _, c in CR_CALLS], ids=[n for n, _ in CR_CALLS])
    def test_strings_refused_or_labels(self, call):
        s = np.array(["1", "0", "2", "1", "2", "1"])
        if call is self.CR_CALLS[2][1]:  # fine_gray takes labels, then needs a label cause
            with pytest.raises(InvalidArgumentError, match=r"`status` has no events of `cause`"):
                call(s)
        else:
            with pytest.raises(InvalidArgumentError, match=r"`status` must hold integer codes"):
                call(s)

    @pytest.mark.parametrize("name", ["cause", "censor_code"])
    @pytest.mark.parametrize("bad", [1.5, math.inf, True])
    def test_code_arguments(self, name, bad):
        for call in (
            lambda: cuminc(T, ST, G, **{name: bad}),
            lambda: gray_test(T, ST, G, **{name: bad}),
            lambda: fine_gray(T, ST, X01, **{name: bad}),
        ):
            with pytest.raises(InvalidArgumentError, match=rf"`{name}` must be an integer code"):
                call()
