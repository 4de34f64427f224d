"""The pure-Python Brent root finder against ``scipy.optimize.brentq`` (same algorithm)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from gvhdstats.methods._roots import brentq, fminbound


@pytest.mark.parametrize("kw", [{}, {"xtol": 1e-14, "rtol": 1e-15}, {"xtol": 1e-15}])
def test_same_root_as_scipy(kw: dict) -> None:
    rng = np.random.default_rng(20261202)
    for _ in range(300):
        c = float(rng.uniform(-3, 3))
        k = float(rng.choice([1.0, 3.0, 5.0]))

        def f(x: float, c: float = c, k: float = k) -> float:
            return math.tanh(k * (x - c)) + 0.1 * (x - c) ** 3

        assert brentq(f, -10, 10, **kw) == optimize.brentq(f, -10, 10, **kw)


def test_closed_form_root_and_args() -> None:
    # x^2 = 2 has the root sqrt(2) in [0, 2]
    root = brentq(lambda x, q: x * x - q, 0.0, 2.0, args=(2.0,), xtol=1e-15)
    assert abs(root - math.sqrt(2.0)) <= 4e-15


def test_endpoint_root_is_returned() -> None:
    assert brentq(lambda x: x - 1.0, 1.0, 3.0) == 1.0


@pytest.mark.parametrize(
    ("f", "match"),
    [
        (lambda x: x * x + 1.0, "different signs"),
        (lambda x: math.nan, "NaN"),
    ],
)
def test_bad_brackets_raise(f, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        brentq(f, -1.0, 1.0)


def test_rtol_floor_as_scipy() -> None:
    with pytest.raises(ValueError, match="rtol too small"):
        brentq(lambda x: x, -1.0, 1.0, rtol=1e-17)


def test_fminbound_same_as_scipy_bounded() -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        c, w = float(rng.uniform(-1, 2)), float(rng.uniform(0.1, 3))
        lo, hi = sorted(float(v) for v in rng.uniform(-2, 3, 2))

        def f(x: float, c: float = c, w: float = w) -> float:
            return -math.exp(-(((x - c) / w) ** 2)) + 0.05 * math.sin(5 * x)

        ref = optimize.minimize_scalar(
            f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
        )
        assert fminbound(f, lo, hi, xatol=1e-12) == (ref.x, ref.fun)


def test_fminbound_closed_form() -> None:
    # (x - 0.3)^2 has its minimum 0 at 0.3
    x, fx = fminbound(lambda x: (x - 0.3) ** 2, 0.0, 1.0, xatol=1e-12)
    assert abs(x - 0.3) < 1e-9
    assert fx < 1e-17
