"""Tests of gvhdstats.methods.proportions against R (tests/reference/gen_twobytwo.R).

Reference: ``twobytwo_proportions.csv``: binom.test (clopper-pearson),
prop.test(correct = FALSE / TRUE) (wilson / wilson-cc), and hand formulas in
R for jeffreys (qbeta), agresti-coull, wald and mid-p (uniroot on the
binomial mid-p tails).
"""

from __future__ import annotations

import csv
import math

import pytest
from scipy.stats import binom

from gvhdstats import proportion_ci
from gvhdstats.errors import (
    InvalidArgumentError,
    InvalidCountError,
    UnknownMethodError,
)
from gvhdstats.methods.proportions import PROPORTION_CI_METHODS
from tests.conftest import REFERENCE_DIR, run_r

with (REFERENCE_DIR / "twobytwo_proportions.csv").open() as _fh:
    PROPS = list(csv.DictReader(_fh))

for _r in PROPS:
    _r["events"] = str(int(float(_r["events"])))
    _r["total"] = str(int(float(_r["total"])))


def _ids(row: dict) -> str:
    return f"{row['method']}-{row['events']}/{row['total']}"


@pytest.mark.parametrize("row", PROPS, ids=_ids)
def test_against_r(row: dict) -> None:
    x, n, m = int(row["events"]), int(row["total"]), row["method"]
    ci = proportion_ci(x, n, method=m)
    lo, hi = float(row["low"]), float(row["high"])
    if m == "wilson-cc" and 2 * x == n:
        # R's prop.test shrinks the continuity correction to |x - n/2| = 0
        # here and returns the plain Wilson interval; we keep Newcombe's 1/2n.
        wil = proportion_ci(x, n, method="wilson")
        assert wil.low == pytest.approx(lo, rel=1e-8)
        assert ci.low < wil.low
        return
    assert ci.low == pytest.approx(lo, rel=1e-8, abs=1e-14)
    assert ci.high == pytest.approx(hi, rel=1e-8, abs=1e-14)


def test_every_method_has_a_reference() -> None:
    assert {r["method"] for r in PROPS} == set(PROPORTION_CI_METHODS)


@pytest.mark.parametrize(("x", "n"), [(82, 99), (1, 10), (0, 5), (7, 7), (123, 1000)])
def test_midp_bounds_have_tail_alpha_over_2(x: int, n: int) -> None:
    # Invariant (Lancaster 1961): P(X > x) + P(X = x)/2 = 0.025 at the lower
    # bound, P(X < x) + P(X = x)/2 = 0.025 at the upper bound.
    ci = proportion_ci(x, n, method="mid-p")
    if x > 0:
        up = binom.sf(x, n, ci.low) + 0.5 * binom.pmf(x, n, ci.low)
        assert up == pytest.approx(0.025, rel=1e-9)
    else:
        assert ci.low == 0.0
    if x < n:
        dn = binom.cdf(x - 1, n, ci.high) + 0.5 * binom.pmf(x, n, ci.high)
        assert dn == pytest.approx(0.025, rel=1e-9)
    else:
        assert ci.high == 1.0


def test_clopper_pearson_tails() -> None:
    ci = proportion_ci(82, 99, method="clopper-pearson", confidence_level=0.9)
    assert binom.sf(81, 99, ci.low) == pytest.approx(0.05, rel=1e-9)
    assert binom.cdf(82, 99, ci.high) == pytest.approx(0.05, rel=1e-9)


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "msg"),
    [
        ((-1, 10), {}, InvalidCountError, "`events` must be an integer not less than 0"),
        ((3, 0), {}, InvalidCountError, "`total` must be an integer not less than 1, but got 0"),
        ((2.5, 10), {}, InvalidCountError, "but got 2.5"),
        ((11, 10), {}, InvalidCountError, "`events` must not exceed `total` (10), but got 11"),
        ((True, 10), {}, InvalidCountError, "`events`"),
        ((1, 10), {"method": "exact"}, UnknownMethodError, "`method` must be one of"),
        ((1, 10), {"confidence_level": 95}, InvalidArgumentError, "`confidence_level`"),
    ],
)
def test_validation(args, kwargs, exc, msg) -> None:
    with pytest.raises(exc) as info:
        proportion_ci(*args, **kwargs)
    assert msg in str(info.value)


@pytest.mark.r
def test_live_r_binom(tmp_path) -> None:
    code = (
        "cat(sprintf('%.17g', c(binom.test(7, 23)$conf.int, "
        "prop.test(7, 23, correct=TRUE)$conf.int)), sep='\\n')"
    )
    f = tmp_path / "b.R"
    f.write_text(code)
    vals = [float(v) for v in run_r(f).stdout.split()]
    cp = proportion_ci(7, 23, method="clopper-pearson")
    wc = proportion_ci(7, 23, method="wilson-cc")
    assert [cp.low, cp.high, wc.low, wc.high] == pytest.approx(vals, rel=1e-10)
    assert not math.isnan(cp.low)
