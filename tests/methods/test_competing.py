"""Tests for gvhdstats.methods.competing: Aalen-Johansen CIF, variances, CIs, Gray's test.

Reference values come from R cmprsk via tests/reference/gen_competing.R
(fixture tests/reference/competing_cmprsk.json); invariants and hand
computations are cited where they are used.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from gvhdstats.errors import InvalidArgumentError, UnknownMethodError
from gvhdstats.methods.competing import (
    AT_COLUMNS,
    TABLE_COLUMNS,
    CumincResult,
    GrayTestResult,
    cuminc,
    gray_test,
)
from tests.conftest import REFERENCE_DIR, run_r_code

FIXTURE = REFERENCE_DIR / "competing_cmprsk.json"


def _load():
    with open(FIXTURE) as fh:
        data = json.load(fh)
    out = []
    for d in data["datasets"]:
        d = dict(d)
        for k in ("time", "status", "causes", "groups"):
            d[k] = list(np.atleast_1d(d[k]))
        if d["group"] is not None:
            d["group"] = list(np.atleast_1d(d["group"]))
        if d["strata"] is not None:
            d["strata"] = list(np.atleast_1d(d["strata"]))
        out.append(d)
    return data["versions"], out


VERSIONS, DATASETS = _load()
IDS = [d["name"] for d in DATASETS]


def _r_label(x) -> str:
    """R's as.character() of a group label read from JSON."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _arr(x) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in np.atleast_1d(x)], dtype=float)


def _fit(d, **kw):
    return cuminc(
        d["time"],
        d["status"],
        d["group"],
        cause=d["causes"][0],
        censor_code=d["censor_code"],
        all_causes=True,
        **kw,
    )


# --------------------------------------------------------------------------- #
# Against cmprsk (fixture)
# --------------------------------------------------------------------------- #
def test_fixture_has_versions_and_enough_sets():
    assert VERSIONS["cmprsk"]
    assert VERSIONS["R"].startswith("R version")
    assert len(DATASETS) >= 20


@pytest.mark.parametrize("d", DATASETS, ids=IDS)
def test_curves_match_cmprsk(d):
    res = _fit(d)
    tab = res.table
    assert [_r_label(g) for g in res.groups] == [str(g) for g in d["groups"]]
    ncurves = 0
    for cur in d["curves"]:
        cause = int(cur["cause"])
        gi = [str(g) for g in d["groups"]].index(str(cur["group"]))
        g = res.groups[gi]
        x, f, v = _arr(cur["time"]), _arr(cur["est"]), _arr(cur["var"])
        # cmprsk's corners: (0, t1, t1, ..., tm, tm, last follow-up); jumps at even positions
        jt, jf, jv = x[2:-1:2], f[2:-1:2], v[2:-1:2]
        sel = tab[(tab["group"] == g) & (tab["cause"] == cause) & (tab["n_event"] > 0)]
        np.testing.assert_array_equal(sel["time"].to_numpy(), jt)
        np.testing.assert_allclose(sel["estimate"].to_numpy(), jf, rtol=1e-10, atol=0)
        np.testing.assert_allclose(sel["variance"].to_numpy(), jv, rtol=1e-10, atol=1e-300)
        # last follow-up time of the group is the last corner
        allg = tab[(tab["group"] == g) & (tab["cause"] == cause)]
        assert allg["time"].iloc[-1] == x[-1]
        ncurves += 1
    assert ncurves == len(d["causes"]) * len(d["groups"])


@pytest.mark.parametrize("d", DATASETS, ids=IDS)
def test_timepoints_match_cmprsk(d):
    res = _fit(d)
    times = _arr(d["timepoints"]["times"])
    at = res.at(times)
    assert tuple(at.columns) == AT_COLUMNS
    for row in d["timepoints"]["rows"]:
        cause = int(row["cause"])
        gi = [str(g) for g in d["groups"]].index(str(row["group"]))
        sel = at[(at["group"] == res.groups[gi]) & (at["cause"] == cause)]
        np.testing.assert_array_equal(sel["time"].to_numpy(), times)
        est, var = _arr(row["est"]), _arr(row["var"])
        np.testing.assert_array_equal(np.isnan(sel["estimate"].to_numpy()), np.isnan(est))
        np.testing.assert_allclose(sel["estimate"].to_numpy(), est, rtol=1e-10, equal_nan=True)
        np.testing.assert_allclose(sel["variance"].to_numpy(), var, rtol=1e-10, equal_nan=True)


TEST_ROWS = [(d, t) for d in DATASETS for t in (d["tests"] or [])]
TEST_IDS = [
    f"{d['name']}-cause{t['cause']}-rho{t['rho']}-strata{t['strata']}" for d, t in TEST_ROWS
]


@pytest.mark.parametrize(("d", "t"), TEST_ROWS, ids=TEST_IDS)
def test_gray_matches_cmprsk(d, t):
    res = gray_test(
        d["time"],
        d["status"],
        d["group"],
        cause=int(t["cause"]),
        rho=t["rho"],
        strata=d["strata"] if t["strata"] else None,
        censor_code=d["censor_code"],
    )
    assert res.df == t["df"] == len(d["groups"]) - 1
    assert res.statistic == pytest.approx(t["stat"], rel=1e-8, abs=1e-13)
    # cmprsk's P is 1 - pchisq(); ours is the exact upper tail: compare where 1 - p is accurate
    if t["pv"] > 1e-6:
        assert res.pvalue == pytest.approx(t["pv"], rel=1e-8)
    assert res.pvalue == pytest.approx(stats.chi2.sf(res.statistic, res.df), rel=1e-12)


def test_cuminc_tests_frame_matches_gray_test():
    d = next(x for x in DATASETS if x["name"] == "n200_three_causes_three_groups")
    res = _fit(d, rho=1)
    assert list(res.tests["cause"]) == [1, 2, 3]
    for c in (1, 2, 3):
        g = gray_test(d["time"], d["status"], d["group"], cause=c, rho=1)
        row = res.tests[res.tests["cause"] == c].iloc[0]
        assert row["statistic"] == g.statistic
        assert row["pvalue"] == g.pvalue
    r_row = next(t for t in d["tests"] if t["cause"] == "2" and t["rho"] == 1)
    assert res.tests.loc[1, "statistic"] == pytest.approx(r_row["stat"], rel=1e-8)


def test_cause_without_events_gives_zero_cif_and_nan_test():
    d = next(x for x in DATASETS if x["name"] == "n80_no_cause1")
    res = cuminc(d["time"], d["status"], d["group"], cause=1)
    assert (res.table["estimate"] == 0).all()
    assert (res.table["variance"] == 0).all()
    assert (res.table["ci_low"] == 0).all()
    assert (res.table["ci_high"] == 0).all()
    assert math.isnan(res.test.statistic)
    assert math.isnan(res.test.pvalue)
    np.testing.assert_array_equal(res.test.score, 0.0)


# --------------------------------------------------------------------------- #
# Hand computations and invariants
# --------------------------------------------------------------------------- #
def _km(time, event):
    """Kaplan-Meier by hand: value at each distinct time (Kaplan & Meier 1958)."""
    time = np.asarray(time, float)
    event = np.asarray(event, bool)
    ut = np.unique(time)
    s = 1.0
    out = []
    gw = 0.0
    gws = []
    for t in ut:
        n = np.sum(time >= t)
        d = np.sum((time == t) & event)
        s *= 1 - d / n
        if d and n > d:
            gw += d / (n * (n - d))
        out.append(s)
        gws.append(gw)
    return ut, np.array(out), np.array(gws)


def test_hand_computed_small_example():
    # time 2: n=10, 1 event   -> F = 1/10
    # time 3: n=9, 1 event + 1 competing -> F = 0.1 + 0.9 * 1/9 = 0.2
    # time 6: n=6 (5 censored at 5), S(6-) = 0.9 * 7/9 = 0.7 -> F = 0.2 + 0.7/6
    time = [2, 3, 3, 5, 6, 7, 8, 8, 9, 12]
    status = [1, 2, 1, 0, 1, 2, 1, 0, 0, 1]
    res = cuminc(time, status)
    f = res.at([2, 3, 6]).estimate.to_numpy()
    np.testing.assert_allclose(f, [0.1, 0.2, 0.2 + 0.7 / 6], rtol=1e-14)
    # Aalen variance at the first event: S(0)^2 * 1 / 10^2 * (1 + F/S)^2 ... with
    # F(2) = 0.1, S(2) = 0.9: (a - F b)^2 w = (1 + 0.1/0.9 - 0.1/0.9)^2 * 1/100
    assert res.at([2]).variance.iloc[0] == pytest.approx(0.01, rel=1e-14)
    # counts: at risk includes those censored at the time (5 is censored, at risk 7 there)
    tab = res.table
    np.testing.assert_array_equal(tab.time, [2, 3, 5, 6, 7, 8, 9, 12])
    np.testing.assert_array_equal(tab.n_risk, [10, 9, 7, 6, 5, 4, 2, 1])
    np.testing.assert_array_equal(tab.n_event, [1, 1, 0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(tab.n_competing, [0, 1, 0, 0, 1, 0, 0, 0])
    np.testing.assert_array_equal(tab.n_censor, [0, 0, 1, 0, 0, 1, 1, 0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_competing_equals_one_minus_km(seed):
    rng = np.random.default_rng(seed)
    n = 300
    time = np.round(rng.exponential(2.0, n), 1)
    status = (rng.uniform(size=n) < 0.7).astype(int)
    res = cuminc(time, status, variance="delta")
    ut, s, gw = _km(time, status == 1)
    tab = res.table
    np.testing.assert_array_equal(tab["time"].to_numpy(), ut)
    np.testing.assert_allclose(tab["estimate"].to_numpy(), 1 - s, rtol=1e-12, atol=1e-15)
    # the delta-method variance reduces to Greenwood's formula S^2 sum d/(n(n-d))
    np.testing.assert_allclose(tab["variance"].to_numpy(), s**2 * gw, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("seed", [4, 5])
def test_cifs_sum_to_one_minus_overall_km(seed):
    rng = np.random.default_rng(seed)
    n = 500
    time = np.round(rng.exponential(1.0, n), 1)
    status = rng.choice([0, 1, 2, 3], size=n, p=[0.2, 0.4, 0.3, 0.1])
    group = rng.choice(["a", "b"], size=n)
    res = cuminc(time, status, group, all_causes=True)
    assert res.causes == (1, 2, 3)
    for g in res.groups:
        total = sum(
            res.table[(res.table.group == g) & (res.table.cause == c)].estimate.to_numpy()
            for c in res.causes
        )
        m = group == g
        _, s, _ = _km(time[m], status[m] != 0)
        np.testing.assert_allclose(total, 1 - s, rtol=1e-12, atol=1e-14)


def _sim(seed, n=400, groups=3):
    rng = np.random.default_rng(seed)
    time = np.round(rng.exponential(1.0, n), 1)
    status = rng.choice([0, 1, 2], size=n, p=[0.3, 0.4, 0.3])
    group = rng.integers(0, groups, n)
    strata = rng.integers(0, 2, n)
    return time, status, group, strata


def test_scale_and_shuffle_invariance_and_determinism():
    time, status, group, strata = _sim(11)
    base = cuminc(time, status, group, strata=strata, rho=1)
    scaled = cuminc(time * 2.5, status, group, strata=strata, rho=1)
    perm = np.random.default_rng(0).permutation(time.size)
    shuffled = cuminc(time[perm], status[perm], group[perm], strata=strata[perm], rho=1)
    again = cuminc(time, status, group, strata=strata, rho=1)
    cols = ["estimate", "variance", "ci_low", "ci_high", "n_risk", "n_event"]
    pd.testing.assert_frame_equal(base.table[cols], scaled.table[cols])
    np.testing.assert_array_equal(scaled.table["time"], base.table["time"] * 2.5)
    pd.testing.assert_frame_equal(base.table, again.table)
    pd.testing.assert_frame_equal(base.table[cols], shuffled.table[cols], rtol=1e-13)
    assert scaled.test.statistic == pytest.approx(base.test.statistic, rel=1e-12)
    assert shuffled.test.statistic == pytest.approx(base.test.statistic, rel=1e-12)
    assert again.test.statistic == base.test.statistic


def test_group_label_order_is_sorted():
    time, status, group, _ = _sim(3, groups=3)
    labels = np.array(["zeta", "alpha", "mu"])[group]
    res = cuminc(time, status, labels)
    assert res.groups == ("alpha", "mu", "zeta")
    # group "alpha" equals the analysis of its subset alone
    m = labels == "alpha"
    alone = cuminc(time[m], status[m])
    np.testing.assert_array_equal(
        res.table[res.table.group == "alpha"].estimate.to_numpy(),
        alone.table.estimate.to_numpy(),
    )


def test_gray_two_groups_symmetry():
    # swapping the two labels flips the sign of the score, not the statistic
    time, status, group, _ = _sim(8, groups=2)
    a = gray_test(time, status, group)
    b = gray_test(time, status, 1 - group)
    assert b.statistic == pytest.approx(a.statistic, rel=1e-10)
    assert b.score[0] == pytest.approx(-a.score[0], rel=1e-10)


# --------------------------------------------------------------------------- #
# Confidence intervals: formulas written out here
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("transform", ["plain", "log", "log-log", "logit"])
def test_ci_transforms(transform):
    time, status, _, _ = _sim(21, groups=1)
    res = cuminc(time, status, transform=transform, confidence_level=0.9)
    tab = res.table
    f = tab.estimate.to_numpy()
    se = np.sqrt(tab.variance.to_numpy())
    z = stats.norm.ppf(0.95)
    m = (f > 0) & (f < 1) & (se > 0)
    f, se = f[m], se[m]
    if transform == "plain":
        lo, hi = np.clip(f - z * se, 0, 1), np.clip(f + z * se, 0, 1)
    elif transform == "log":
        lo, hi = np.exp(np.log(f) - z * se / f), np.minimum(np.exp(np.log(f) + z * se / f), 1)
    elif transform == "log-log":
        g, sg = np.log(-np.log(f)), z * se / np.abs(f * np.log(f))
        lo, hi = np.exp(-np.exp(g + sg)), np.exp(-np.exp(g - sg))
    else:
        g, sg = np.log(f / (1 - f)), z * se / (f * (1 - f))
        lo, hi = stats.logistic.cdf(g - sg), stats.logistic.cdf(g + sg)
    np.testing.assert_allclose(tab.ci_low.to_numpy()[m], lo, rtol=1e-12)
    np.testing.assert_allclose(tab.ci_high.to_numpy()[m], hi, rtol=1e-12)
    assert np.all(tab.ci_low <= tab.estimate)
    assert np.all(tab.ci_high >= tab.estimate)


def test_lifelines_side_check_untied():
    """lifelines' AalenJohansenFitter (delta-method variance) on untied data."""
    lifelines = pytest.importorskip("lifelines")
    rng = np.random.default_rng(7)
    n = 200
    time = rng.exponential(1.0, n)
    status = rng.choice([0, 1, 2], size=n, p=[0.3, 0.4, 0.3])
    ajf = lifelines.AalenJohansenFitter(calculate_variance=True)
    with np.errstate(**np.geterr()):  # lifelines calls np.seterr and never restores it
        ajf.fit(time, status, event_of_interest=1)
    ll_f = ajf.cumulative_density_.iloc[:, 0]
    ll_v = ajf.variance_
    ours = cuminc(time, status, variance="delta").at(ll_f.index.to_numpy())
    np.testing.assert_allclose(ours.estimate, ll_f.to_numpy(), rtol=1e-10, atol=1e-15)
    # lifelines divides by n - d = 0 at a last time with an event and gives NaN there
    ok = ~np.isnan(ll_v.to_numpy())
    assert ok.sum() >= ok.size - 1
    np.testing.assert_allclose(ours.variance[ok], ll_v.to_numpy()[ok], rtol=1e-8, atol=1e-15)


# --------------------------------------------------------------------------- #
# Result objects and validation
# --------------------------------------------------------------------------- #
def test_result_shapes_and_repr():
    time, status, group, _ = _sim(5, groups=2)
    res = cuminc(time, status, group)
    assert isinstance(res, CumincResult)
    assert tuple(res.table.columns) == TABLE_COLUMNS
    assert isinstance(res.test, GrayTestResult)
    assert "CumincResult(groups=(0, 1)" in repr(res)
    assert "GrayTestResult(statistic=" in repr(res.test)
    assert res.test.covariance.shape == (1, 1)
    one = cuminc(time, status)
    assert one.test is None
    assert one.tests is None
    # beyond the last follow-up: NaN, as cmprsk::timepoints gives NA
    late = res.at([time.max() + 10])
    assert late.estimate.isna().all()
    with pytest.raises(InvalidArgumentError, match="`times` must be finite"):
        res.at([-1.0])
    with pytest.raises(InvalidArgumentError, match="`cause` must be one of"):
        res.at([1.0], cause=2)


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"time": [1, 2], "status": [1]}, InvalidArgumentError, "`status` must have the same"),
        ({"time": [1, np.nan], "status": [1, 0]}, InvalidArgumentError, "`time` must be finite"),
        ({"time": [1, np.inf], "status": [1, 0]}, InvalidArgumentError, "`time` must be finite"),
        ({"time": [1, -2], "status": [1, 0]}, InvalidArgumentError, "`time` must not be negative"),
        ({"time": [], "status": []}, InvalidArgumentError, "`time` must not be empty"),
        ({"time": ["a", "b"], "status": [1, 0]}, InvalidArgumentError, "`time` must hold numbers"),
        ({"time": [1, 2], "status": [1.5, 0]}, InvalidArgumentError, "`status` must hold"),
        (
            {"time": [1, 2], "status": [1, np.nan]},
            InvalidArgumentError,
            "`status` must not be missing",
        ),
        ({"time": [1, 2], "status": ["x", "y"]}, InvalidArgumentError, "`status` must hold"),
        (
            {"time": [1, 2], "status": [1, 0], "group": [1, 2, 3]},
            InvalidArgumentError,
            "`group` must have the same",
        ),
        (
            {"time": [1, 2], "status": [1, 0], "group": [1.0, np.nan]},
            InvalidArgumentError,
            "`group` must not be missing, but got nan",
        ),
        (
            {"time": [1, 2], "status": [1, 0], "group": ["a", None]},
            InvalidArgumentError,
            "`group` must not be missing, but got None",
        ),
        (
            {"time": [1, 2], "status": [1, 0], "group": np.array(["a", 1], dtype=object)},
            InvalidArgumentError,
            "`group` labels must be mutually comparable",
        ),
        ({"time": [1, 2], "status": [1, 0], "cause": 0}, InvalidArgumentError, "`cause` must"),
        ({"time": [1, 2], "status": [1, 0], "cause": "1"}, InvalidArgumentError, "`cause` must"),
        ({"time": [1, 2], "status": [1, 0], "variance": "Aalen"}, UnknownMethodError, "variance"),
        ({"time": [1, 2], "status": [1, 0], "transform": "cloglog"}, UnknownMethodError, "trans"),
        (
            {"time": [1, 2], "status": [1, 0], "confidence_level": 95},
            InvalidArgumentError,
            "`confidence_level` must be",
        ),
        ({"time": [1, 2], "status": [1, 0], "rho": np.nan}, InvalidArgumentError, "`rho` must"),
        (
            {"time": [1, 2], "status": [1, 0], "group": [1, 2], "strata": [1]},
            InvalidArgumentError,
            "`strata` must have the same",
        ),
    ],
)
def test_cuminc_validation(kwargs, err, match):
    with pytest.raises(err, match=match):
        cuminc(**kwargs)


def test_gray_test_needs_two_groups():
    with pytest.raises(InvalidArgumentError, match="`group` must have at least two"):
        gray_test([1, 2, 3], [1, 0, 2], [1, 1, 1])


def test_custom_censor_code():
    time = [1, 2, 3, 4, 5, 6]
    a = cuminc(time, [1, 0, 2, 1, 0, 1]).table
    b = cuminc(time, [1, 9, 2, 1, 9, 1], censor_code=9).table
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- #
# Live R
# --------------------------------------------------------------------------- #
@pytest.mark.r
def test_live_r_fresh_data(tmp_path, rscript):
    rng = np.random.default_rng(20240602)
    n = 700
    time = np.round(rng.weibull(1.3, n) * 3, 1)
    status = rng.choice([0, 1, 2, 3], size=n, p=[0.25, 0.35, 0.3, 0.1])
    group = rng.choice(["ctrl", "msc", "x"], size=n)
    strata = rng.integers(1, 3, n)
    csv = tmp_path / "d.csv"
    pd.DataFrame({"time": time, "status": status, "group": group, "strata": strata}).to_csv(
        csv, index=False
    )
    grid = np.unique(np.concatenate([[0.0], time, time + 0.05]))
    np.savetxt(tmp_path / "grid.txt", grid, fmt="%.17g")
    code = f"""
suppressPackageStartupMessages({{library(cmprsk); library(jsonlite)}})
d <- read.csv("{csv}")
grid <- scan("{tmp_path / "grid.txt"}", quiet = TRUE)
f <- cuminc(d$time, d$status, d$group, d$strata, rho = 1)
tp <- timepoints(f, grid)
cat(toJSON(list(est = tp$est, var = tp$var, rows = rownames(tp$est),
                stat = unname(f$Tests[, "stat"])), digits = NA, na = "null"))
"""
    out = json.loads(run_r_code(code, tmp_path))
    res = cuminc(time, status, group, strata=strata, rho=1, all_causes=True)
    at = res.at(grid)
    for i, name in enumerate(out["rows"]):
        g, c = name.split(" ")
        sel = at[(at.group == g) & (at.cause == int(c))]
        np.testing.assert_allclose(sel.estimate, _arr(out["est"][i]), rtol=1e-10, equal_nan=True)
        np.testing.assert_allclose(sel.variance, _arr(out["var"][i]), rtol=1e-10, equal_nan=True)
    np.testing.assert_allclose(res.tests.statistic, out["stat"], rtol=1e-8)


# ------------------------------------------------------------- issue 9: no events
# Fixture: tests/reference/gen_hardening.R (cmprsk::cuminc), hardening_reference.json.
HARD = json.loads((REFERENCE_DIR / "hardening_reference.json").read_text())
HARD_CUMINC = {d["name"]: d for d in HARD["cuminc"]}


def test_no_events_at_all_gives_zero_cif_and_nan_test():
    """cmprsk stops with "NAs in foreign function call"; we give the defined part: every
    incidence is 0, and Gray's test (no events, zero variance) is NaN, not an IndexError."""
    d = HARD_CUMINC["no_events_at_all"]
    assert "NAs in foreign function call" in d["error"]
    res = cuminc(d["time"], d["status"], d["group"])
    assert (res.table["estimate"] == 0).all()
    assert math.isnan(res.test.statistic)
    assert math.isnan(res.test.pvalue)
    for strata in (None, [1, 2, 1, 2, 1, 2]):
        g = gray_test(d["time"], d["status"], d["group"], strata=strata)
        assert math.isnan(g.statistic)
        assert math.isnan(g.pvalue)
        np.testing.assert_array_equal(g.score, 0.0)


def test_two_groups_without_events_of_the_cause():
    """cmprsk gives no test row for a cause without events (only cause 2 here); ours gives
    NaN for cause 1 and cmprsk's statistic for cause 2."""
    d = HARD_CUMINC["no_events_of_cause_1"]
    assert d["tests_for_causes"] == "2"
    g1 = gray_test(d["time"], d["status"], d["group"], cause=1)
    assert math.isnan(g1.statistic)
    res = cuminc(d["time"], d["status"], d["group"], cause=1)
    assert (res.table["estimate"] == 0).all()
    assert math.isnan(res.test.pvalue)
