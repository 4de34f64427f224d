"""Contracts of the method results that the mutation run (docs/testing.md) found untested.

Each expectation is a closed-form identity or an R value, never our own earlier output:
the Fine-Gray summary columns and their relations (HR = exp(coef), z = coef / se,
two-sided normal P, Wald CI on the log scale), Gray's test with its documented defaults
against cmprsk's ``cuminc`` (cause 1, rho = 0), argument validation of the fitters, and
the IEEE zero-cell intervals (R gives ``NaN``, not ``NA``/``None``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from gvhdstats.errors import InvalidArgumentError
from gvhdstats.methods.competing import cuminc, gray_test
from gvhdstats.methods.finegray import fine_gray
from gvhdstats.methods.twobytwo import odds_ratio

REF = Path(__file__).resolve().parents[1] / "reference"


@pytest.fixture(scope="module")
def fit():
    rng = np.random.default_rng(11)
    n = 120
    time = np.round(rng.exponential(2.0, n), 2) + 0.01
    status = rng.choice([0, 1, 2], size=n, p=[0.3, 0.45, 0.25])
    x = np.column_stack([rng.integers(0, 2, n), rng.normal(size=n)])
    return fine_gray(time, status, x)


class TestFineGraySummaryFrame:
    COLUMNS = (
        "covariate",
        "coef",
        "hazard_ratio",
        "se",
        "se_model",
        "z",
        "pvalue",
        "ci_low",
        "ci_high",
    )

    def test_columns_are_fixed_whatever_the_level(self, fit):
        assert tuple(fit.summary_frame().columns) == self.COLUMNS
        assert tuple(fit.summary_frame(0.9).columns) == self.COLUMNS

    @pytest.mark.parametrize("level", [0.95, 0.9])
    def test_columns_obey_their_formulas(self, fit, level):
        frame = fit.summary_frame(level)
        coef, se = frame["coef"].to_numpy(), frame["se"].to_numpy()
        z = coef / se
        zq = stats.norm.ppf(0.5 + level / 2)
        np.testing.assert_allclose(frame["hazard_ratio"], np.exp(coef), rtol=1e-14)
        np.testing.assert_allclose(frame["z"], z, rtol=1e-14)
        np.testing.assert_allclose(frame["pvalue"], 2 * stats.norm.sf(np.abs(z)), rtol=1e-12)
        np.testing.assert_allclose(frame["ci_low"], np.exp(coef - zq * se), rtol=1e-12)
        np.testing.assert_allclose(frame["ci_high"], np.exp(coef + zq * se), rtol=1e-12)
        assert np.all(frame["se_model"].to_numpy() > 0)

    def test_repr_shows_level_and_covariates(self, fit):
        text = repr(fit)
        assert "95%" in text
        lines = text.splitlines()
        assert len(lines) >= 3  # a header and one line per covariate, at least
        hr = fit.summary_frame()["hazard_ratio"].to_numpy()
        assert f"{hr[0]:.3g}"[:3] in text


@pytest.mark.parametrize("bad", [0, 0.0, -1e-9, math.nan, math.inf, True, "1e-9"])
def test_fine_gray_tolerance_must_be_positive(bad):
    with pytest.raises(InvalidArgumentError, match="`tol`"):
        fine_gray([1, 2, 3, 4], [1, 0, 2, 1], [0, 1, 0, 1], tol=bad)


def _gray_datasets():
    data = json.loads((REF / "competing_cmprsk.json").read_text())["datasets"]
    for d in data:
        for t in d["tests"] or []:
            if str(t["cause"]) == "1" and t["rho"] == 0 and not t["strata"]:
                yield pytest.param(d, t, id=d["name"])


@pytest.mark.parametrize(("d", "t"), list(_gray_datasets()))
def test_gray_defaults_are_cause_1_and_rho_0_as_in_cmprsk(d, t):
    """cmprsk::cuminc(ftime, fstatus, group) tests every cause with rho = 0 by default;
    ``gray_test`` without ``cause``/``rho`` must give cause 1's row of that table."""
    res = gray_test(d["time"], d["status"], d["group"], censor_code=d["censor_code"])
    assert res.statistic == pytest.approx(t["stat"], rel=1e-8, abs=1e-13)


def test_zero_cell_wald_intervals_are_ieee_nan():
    """R: with a zero cell the Woolf SE is Inf, so exp(log(0) +- Inf) gives (0, NaN)
    and a 0/0 estimate gives (NaN, NaN); both bounds are floats, never None."""
    ci = odds_ratio((0, 10), (5, 10)).confidence_interval(method="wald")
    assert ci.low == 0.0
    assert isinstance(ci.high, float)
    assert math.isnan(ci.high)
    ci = odds_ratio((0, 10), (0, 10)).confidence_interval(method="wald")
    assert isinstance(ci.low, float)
    assert isinstance(ci.high, float)
    assert math.isnan(ci.low)
    assert math.isnan(ci.high)


class TestCumincContracts:
    """cuminc behaviour that the mutation run found unconstrained (closed forms only)."""

    time = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    status = np.array([1, 1, 2, 0, 1, 2, 1, 0])

    def test_before_the_first_time_everything_is_zero(self):
        # timepoints() convention: 0 before the first observed time, interval included
        at = cuminc(self.time, self.status).at([0.0, 0.5])
        for col in ("estimate", "variance", "ci_low", "ci_high"):
            np.testing.assert_array_equal(at[col].to_numpy(dtype=float), [0.0, 0.0])

    def test_plain_interval_is_the_clipped_wald_interval(self):
        res = cuminc(self.time, self.status, transform="plain")
        tab = res.table
        f, v = tab["estimate"].to_numpy(), tab["variance"].to_numpy()
        z = stats.norm.ppf(0.975)
        np.testing.assert_allclose(tab["ci_low"], np.clip(f - z * np.sqrt(v), 0, 1), rtol=1e-12)
        np.testing.assert_allclose(tab["ci_high"], np.clip(f + z * np.sqrt(v), 0, 1), rtol=1e-12)
        assert tab["ci_low"].min() == 0.0  # the clip is reached at the first event (F - z se < 0)

    @pytest.mark.parametrize("transform", ["log-log", "logit"])
    def test_an_incidence_of_one_has_no_transformed_interval(self, transform):
        # every patient has the event: F = 1 and log(-log(1 - F)) / logit(F) are undefined
        res = cuminc([1.0, 2.0, 3.0], [1, 1, 1], transform=transform)
        last = res.table.iloc[-1]
        assert last["estimate"] == 1.0
        assert math.isnan(last["ci_low"])
        assert math.isnan(last["ci_high"])

    def test_default_test_is_gray_rho_0_cause_1(self):
        group = np.array([0, 1, 0, 1, 0, 1, 0, 1])
        res = cuminc(self.time, self.status, group)
        by_hand = gray_test(self.time, self.status, group, cause=1, rho=0.0)
        row = res.tests[res.tests["cause"] == 1].iloc[0]
        assert row["statistic"] == by_hand.statistic
        assert row["statistic"] != gray_test(self.time, self.status, group, rho=1.0).statistic


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"cause": 1.5}, "`cause`"),
        ({"censor_code": 0.5}, "`censor_code`"),
        ({"variance": "greenwood-ish"}, "`variance`"),
        ({"transform": "arcsine"}, "`transform`"),
        ({"strata": [1, 2]}, "`strata`"),
    ],
)
def test_cuminc_messages_name_the_argument(kwargs, name):
    with pytest.raises(InvalidArgumentError, match=name):
        cuminc([1.0, 2.0, 3.0], [1, 0, 2], **kwargs)
