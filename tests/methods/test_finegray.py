"""Tests for gvhdstats.methods.finegray (Fine-Gray regression).

Expected values come from tests/reference/gen_finegray.R (cmprsk::crr and
survival::finegray + coxph), fixture tests/reference/finegray_reference.json;
one test runs crr live on freshly simulated data.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from gvhdstats.errors import InvalidArgumentError, UnknownMethodError
from gvhdstats.methods.finegray import (
    SUMMARY_COLUMNS,
    FineGrayConvergenceWarning,
    FineGrayResult,
    fine_gray,
)
from tests.conftest import REFERENCE_DIR, run_r_code

FIXTURE = json.loads((REFERENCE_DIR / "finegray_reference.json").read_text())
DATASETS = FIXTURE["datasets"]
IDS = [d["name"] for d in DATASETS]

# crr is run with gtol = 1e-12 (1e-10 where 1e-12 is below round-off); our default tol is 1e-9
# with the same rule.  Observed agreement is 1e-9 relative or better; the brief asks 1e-6.
RTOL = 1e-7
ATOL = 1e-9


def _names(d: dict) -> list[str]:
    return list(np.atleast_1d(d["names"]))


def _mat(v, p: int) -> np.ndarray:
    """A p x p matrix from the fixture (jsonlite unboxes 1 x 1 matrices)."""
    return np.reshape(np.asarray(v, dtype=float), (p, p))


def _fit(d: dict, **kw) -> FineGrayResult:
    x = pd.DataFrame(np.array(d["x"], dtype=float).T, columns=_names(d))
    return fine_gray(
        d["time"], d["status"], x, cause=d["failcode"], censor_code=d["cencode"], **kw
    )


def _ties_between_censoring_and_events(d: dict) -> bool:
    t = np.asarray(d["time"])
    s = np.asarray(d["status"])
    cens = t[s == d["cencode"]]
    ev = t[s != d["cencode"]]
    return bool(np.intersect1d(cens, ev).size)


def test_fixture_versions_recorded():
    assert FIXTURE["r_version"].startswith("R version")
    assert set(FIXTURE["packages"]) >= {"cmprsk", "survival"}
    assert len(DATASETS) >= 10
    assert all(d["crr"]["converged"] for d in DATASETS)


@pytest.mark.parametrize("d", DATASETS, ids=IDS)
def test_matches_crr(d):
    res = _fit(d)
    crr = d["crr"]
    p = np.atleast_1d(crr["coef"]).size
    assert res.converged
    np.testing.assert_allclose(res.coef, crr["coef"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.var, _mat(crr["var"], p), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.var_model, _mat(crr["invinf"], p), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.information, _mat(crr["inf"], p), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.loglik, crr["loglik"], rtol=1e-12)
    np.testing.assert_allclose(res.loglik_null, crr["loglik_null"], rtol=1e-12)


@pytest.mark.parametrize("d", DATASETS, ids=IDS)
def test_matches_summary_crr(d):
    """se, z, P and 95 % CI as summary.crr (robust variance)."""
    res = _fit(d)
    summ = np.asarray(d["crr"]["summary_coef"], dtype=float).reshape(-1, 5)
    np.testing.assert_allclose(res.hazard_ratio, summ[:, 1], rtol=RTOL)
    np.testing.assert_allclose(res.se, summ[:, 2], rtol=RTOL)
    np.testing.assert_allclose(res.statistic, summ[:, 3], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(res.pvalue, d["crr"]["pvalue"], rtol=1e-6, atol=1e-300)
    ci = res.confidence_interval()
    ref_ci = np.asarray(d["crr"]["summary_conf_int"], dtype=float).reshape(-1, 2)
    np.testing.assert_allclose(ci.low, ref_ci[:, 0], rtol=RTOL)
    np.testing.assert_allclose(ci.high, ref_ci[:, 1], rtol=RTOL)
    frame = res.summary_frame()
    assert tuple(frame.columns) == SUMMARY_COLUMNS
    assert list(frame["covariate"]) == _names(d)
    np.testing.assert_allclose(frame["ci_low"], ref_ci[:, 0], rtol=RTOL)


@pytest.mark.parametrize("d", DATASETS, ids=IDS)
def test_matches_finegray_coxph_with_its_convention(d):
    """censoring_ties='finegray' reproduces survival::finegray + coxph(ties='breslow')."""
    res = _fit(d, censoring_ties="finegray")
    ref = d["finegray_coxph"]
    p = np.atleast_1d(ref["coef"]).size
    np.testing.assert_allclose(res.coef, ref["coef"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.var_model, _mat(ref["var_naive"], p), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.loglik, ref["loglik"], rtol=1e-12)


@pytest.mark.parametrize("d", DATASETS, ids=IDS)
def test_crr_and_finegray_conventions_differ_only_at_censoring_ties(d):
    """In R, crr and finegray + coxph agree exactly without censoring ties, else not."""
    crr = np.atleast_1d(d["crr"]["coef"])
    fg = np.atleast_1d(d["finegray_coxph"]["coef"])
    res = _fit(d)
    if _ties_between_censoring_and_events(d):
        # the R fits themselves differ (by 2e-6 to 1e-2 relative here, far above their
        # convergence error); our default follows crr, not finegray
        assert np.max(np.abs(crr - fg) / np.abs(fg)) > 1e-6
        assert np.max(np.abs(res.coef - fg) / np.abs(fg)) > 1e-6
    else:
        np.testing.assert_allclose(crr, fg, rtol=1e-7, atol=ATOL)
        alt = _fit(d, censoring_ties="finegray")
        np.testing.assert_allclose(alt.coef, res.coef, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(alt.var, res.var, rtol=1e-12)


def _by_name(name: str) -> dict:
    return next(d for d in DATASETS if d["name"] == name)


@pytest.mark.parametrize("name", ["heavy_ties_n300", "three_cov_n500", "small_ties_n30"])
def test_invariant_to_row_order(name):
    d = _by_name(name)
    res = _fit(d)
    rng = np.random.default_rng(7)
    perm = rng.permutation(len(d["time"]))
    x = np.array(d["x"], dtype=float).T[perm]
    shuffled = fine_gray(
        np.asarray(d["time"])[perm],
        np.asarray(d["status"])[perm],
        x,
        cause=d["failcode"],
        censor_code=d["cencode"],
    )
    np.testing.assert_allclose(shuffled.coef, res.coef, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(shuffled.var, res.var, rtol=1e-9)
    np.testing.assert_allclose(shuffled.var_model, res.var_model, rtol=1e-9)
    np.testing.assert_allclose(shuffled.loglik, res.loglik, rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-3, 3.7, 365.25])
def test_invariant_to_time_scale(scale):
    d = _by_name("heavy_censoring_ties_n400")
    res = _fit(d)
    x = np.array(d["x"], dtype=float).T
    scaled = fine_gray(np.asarray(d["time"]) * scale, d["status"], x)
    np.testing.assert_allclose(scaled.coef, res.coef, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(scaled.var, res.var, rtol=1e-9)


def test_covariate_shift_and_scale():
    """Shifting a covariate leaves everything unchanged; scaling by c divides coef and se by c."""
    d = _by_name("binary_cont_n300")
    res = _fit(d)
    x = np.array(d["x"], dtype=float).T
    moved = fine_gray(d["time"], d["status"], x * [1.0, 2.0] + [10.0, -50.0])
    np.testing.assert_allclose(moved.coef, res.coef / [1.0, 2.0], rtol=1e-8)
    np.testing.assert_allclose(moved.se, res.se / [1.0, 2.0], rtol=1e-8)
    np.testing.assert_allclose(moved.loglik, res.loglik, rtol=1e-12)


def test_without_competing_events_is_breslow_cox():
    """No competing events: the model is Cox's with Breslow ties (statsmodels PHReg)."""
    from statsmodels.duration.hazard_regression import PHReg

    d = _by_name("heavy_ties_n300")
    t = np.asarray(d["time"], dtype=float)
    s = np.asarray(d["status"])
    s = np.where(s == 2, 0, s)  # competing events become censorings
    x = np.array(d["x"], dtype=float).T
    res = fine_gray(t, s, x)
    ph = PHReg(t, x, status=(s == 1).astype(float), ties="breslow").fit()
    np.testing.assert_allclose(res.coef, ph.params, rtol=1e-7)
    np.testing.assert_allclose(res.var_model, ph.cov_params(), rtol=1e-6)
    np.testing.assert_allclose(res.loglik, ph.llf, rtol=1e-10)


def test_dataframe_and_series_names():
    d = _by_name("binary_cont_n300")
    frame = pd.DataFrame(np.array(d["x"]).T, columns=["arm", "age"])
    res = fine_gray(d["time"], d["status"], frame)
    assert res.names == ("arm", "age")
    assert list(res.summary["covariate"]) == ["arm", "age"]
    one = fine_gray(d["time"], d["status"], frame["arm"])
    assert one.names == ("arm",)
    plain = fine_gray(d["time"], d["status"], np.array(d["x"][0]))
    assert plain.names == ("x1",)
    np.testing.assert_allclose(one.coef, plain.coef, rtol=1e-14)


def test_string_status_codes_match_numeric():
    d = _by_name("codes_cause2_cens9_n250")
    labels = {2: "relapse", 1: "nrm", 9: "censored"}
    status = [labels[s] for s in d["status"]]
    x = np.array(d["x"], dtype=float).T
    res = fine_gray(d["time"], status, x, cause="relapse", censor_code="censored")
    np.testing.assert_allclose(res.coef, d["crr"]["coef"], rtol=RTOL, atol=ATOL)
    assert res.cause == "relapse"
    assert res.n_events == int(np.sum(np.asarray(d["status"]) == 2))


def test_model_variance_option():
    d = _by_name("three_cov_n500")
    res = _fit(d, variance="model", confidence_level=0.9)
    p = np.atleast_1d(d["crr"]["coef"]).size
    se_model = np.sqrt(np.diag(_mat(d["crr"]["invinf"], p)))
    coef = np.asarray(d["crr"]["coef"])
    np.testing.assert_allclose(res.statistic, coef / se_model, rtol=1e-6)
    q = norm.ppf(0.95)
    ci = res.confidence_interval()
    np.testing.assert_allclose(ci.low, np.exp(coef - q * se_model), rtol=1e-6)
    ci99 = res.confidence_interval(0.99)
    np.testing.assert_allclose(ci99.high, np.exp(coef + norm.ppf(0.995) * se_model), rtol=1e-6)
    # se stays the robust one whatever `variance` says
    summ = np.asarray(d["crr"]["summary_coef"], dtype=float).reshape(-1, 5)
    np.testing.assert_allclose(res.se, summ[:, 2], rtol=RTOL)


def test_repr_is_informative():
    res = _fit(_by_name("binary_n200"))
    text = repr(res)
    assert text.startswith("FineGrayResult(n=200")
    assert "group" in text  # the DataFrame column name
    assert "sHR=" in text


def test_frozen():
    res = _fit(_by_name("small_n30"))
    with pytest.raises(AttributeError):
        res.converged = False  # type: ignore[misc]


def test_monotone_likelihood_warns_and_flags():
    """A group with no events of the cause: the MLE is -inf, so no convergence."""
    rng = np.random.default_rng(11)
    n = 60
    group = np.repeat([0, 1], n // 2)
    time = rng.uniform(1, 10, n)
    status = rng.choice([0, 1, 2], size=n)
    status[group == 1] = rng.choice([0, 2], size=n // 2)
    with pytest.warns(FineGrayConvergenceWarning, match="did not converge"):
        res = fine_gray(time, status, group, max_iter=15)
    assert not res.converged
    assert res.coef[0] < -5


def test_converges_without_warning_on_ordinary_data():
    d = _by_name("large_n2000")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = _fit(d)
    assert res.converged
    assert 1 <= res.n_iter <= 10


# ----------------------------------------------------------------------------- validation

T = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
S = [1, 0, 2, 1, 1, 0]
X = [0, 1, 0, 1, 1, 0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"time": T[:-1]}, r"`status` must have the same length as `time` \(5\), but got len.* 6"),
        ({"covariates": X[:-1]}, r"`covariates` must have one row per subject \(6"),
        ({"time": [1.0, np.nan, 3, 4, 5, 6]}, r"`time` must be finite.*nan at position 1"),
        (
            {"time": [1.0, -2, 3, 4, 5, 6]},
            r"`time` must not be negative, but got -2.0 at position 1",
        ),
        ({"time": [1.0, np.inf, 3, 4, 5, 6]}, r"`time` must be finite"),
        ({"status": [1, np.nan, 2, 1, 1, 0]}, r"`status` must not be missing, but got nan"),
        ({"covariates": [0, 1, np.nan, 1, 1, 0]}, r"`covariates` must be finite.*'x1'"),
        ({"covariates": [3, 3, 3, 3, 3, 3]}, r"`covariates` column 'x1' is constant"),
        (
            {"covariates": np.column_stack([X, [2 * v for v in X]])},
            r"`covariates` columns .* are linearly dependent",
        ),
        ({"covariates": ["a", "b", "c", "d", "e", "f"]}, r"`covariates` must be numeric"),
        ({"status": [0, 0, 2, 2, 0, 0]}, r"`status` has no events of `cause` = 1"),
        ({"cause": 3}, r"`status` has no events of `cause` = 3"),
        ({"cause": 0}, r"`cause` and `censor_code` must differ, but both are 0"),
        ({"confidence_level": 1.5}, r"`confidence_level` must be a number in \(0, 1\)"),
        ({"tol": -1.0}, r"`tol` must be a positive number, but got -1.0"),
        ({"max_iter": 0}, r"`max_iter` must be an integer not less than 1, but got 0"),
        ({"time": []}, r"`time` must not be empty"),
    ],
)
def test_invalid_arguments(kwargs, match):
    args = {"time": T, "status": S, "covariates": X, **kwargs}
    time, status, cov = args.pop("time"), args.pop("status"), args.pop("covariates")
    with pytest.raises(InvalidArgumentError, match=match):
        fine_gray(time, status, cov, **args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"variance": "sandwich"}, r"`variance` must be one of 'robust', 'model'"),
        ({"censoring_ties": "efron"}, r"`censoring_ties` must be one of"),
    ],
)
def test_unknown_method_names(kwargs, match):
    with pytest.raises(UnknownMethodError, match=match):
        fine_gray(T, S, X, **kwargs)


# ----------------------------------------------------------------------------- live R

R_LIVE = r"""
suppressPackageStartupMessages({library(cmprsk); library(survival); library(jsonlite)})
d <- read.csv("{csv}")
x <- as.matrix(d[, c("arm", "score")])
fit <- crr(d$time, d$status, x, gtol = 1e-11, maxiter = 100)
df <- data.frame(time = d$time, ev = factor(d$status, 0:2, c("c", "a", "b")), x)
fg <- finegray(Surv(time, ev) ~ ., data = df, etype = "a")
cx <- coxph(Surv(fgstart, fgstop, fgstatus) ~ arm + score, data = fg, weight = fgwt,
            ties = "breslow", control = coxph.control(eps = 1e-12, iter.max = 100))
cat(toJSON(list(coef = unname(fit$coef), var = unname(fit$var), invinf = unname(fit$invinf),
                loglik = fit$loglik, converged = fit$converged, fg_coef = unname(coef(cx))),
           digits = NA, auto_unbox = TRUE))
"""


@pytest.mark.r
def test_live_against_crr(tmp_path):
    rng = np.random.default_rng(20250101)
    n = 400
    arm = rng.integers(0, 2, n)
    score = np.round(rng.normal(0, 1, n), 4)
    t1 = rng.exponential(1 / (0.2 * np.exp(0.6 * arm - 0.3 * score)))
    t2 = rng.exponential(1 / (0.25 * np.exp(0.2 * score)))
    cens = rng.uniform(0, 8, n)
    time = np.ceil(np.minimum(np.minimum(t1, t2), cens) * 4) / 4  # ties on a 0.25 grid
    status = np.where(cens <= np.minimum(t1, t2), 0, np.where(t1 <= t2, 1, 2))
    csv = tmp_path / "fg.csv"
    pd.DataFrame({"time": time, "status": status, "arm": arm, "score": score}).to_csv(
        csv, index=False
    )
    out = json.loads(run_r_code(R_LIVE.replace("{csv}", str(csv)), tmp_path))
    assert out["converged"]
    x = np.column_stack([arm, score])
    res = fine_gray(time, status, x)
    np.testing.assert_allclose(res.coef, out["coef"], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(res.var, np.reshape(out["var"], (2, 2)), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(
        res.var_model, np.reshape(out["invinf"], (2, 2)), rtol=1e-6, atol=1e-10
    )
    np.testing.assert_allclose(res.loglik, out["loglik"], rtol=1e-10)
    alt = fine_gray(time, status, x, censoring_ties="finegray")
    np.testing.assert_allclose(alt.coef, out["fg_coef"], rtol=1e-6, atol=1e-8)


# ------------------------------------------------------------- issue 9: time 0 and separation
# Fixture: tests/reference/gen_hardening.R (cmprsk::crr and coxph), hardening_reference.json.
HARD = json.loads((REFERENCE_DIR / "hardening_reference.json").read_text())
TIME0 = HARD["time0"]
SEPARATION = HARD["separation"]


def _fit_hard(d: dict, time_shift: float = 0.0, **kw) -> FineGrayResult:
    x = np.array(d["x"], dtype=float).T
    return fine_gray(
        np.asarray(d["time"], dtype=float) + time_shift,
        d["status"],
        x,
        cause=d.get("failcode", 1),
        censor_code=d.get("cencode", 0),
        **kw,
    )


def test_hardening_fixture_records_versions():
    assert HARD["r_version"].startswith("R version")
    assert set(HARD["packages"]) >= {"cmprsk", "survival"}
    assert all(d["crr"]["converged"] for d in TIME0)
    assert all(d["n_censored_at_0"] > 0 for d in TIME0)


@pytest.mark.parametrize("d", TIME0, ids=[d["name"] for d in TIME0])
def test_time_zero_censorings_match_crr_by_default(d):
    res = _fit_hard(d)
    crr = d["crr"]
    p = np.atleast_1d(crr["coef"]).size
    assert res.converged
    assert res.time_zero == "crr"
    np.testing.assert_allclose(res.coef, crr["coef"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.var, _mat(crr["var"], p), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.var_model, _mat(crr["invinf"], p), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.loglik, crr["loglik"], rtol=1e-12)


@pytest.mark.parametrize("d", TIME0, ids=[d["name"] for d in TIME0])
def test_time_zero_left_limit_is_crr_on_shifted_times(d):
    """The textbook G(0-) = 1: crr itself gives it once no time is 0 (times + 1)."""
    res = _fit_hard(d, time_zero="left-limit")
    ref = d["crr_shifted"]
    p = np.atleast_1d(ref["coef"]).size
    np.testing.assert_allclose(res.coef, ref["coef"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(res.var, _mat(ref["var"], p), rtol=RTOL, atol=ATOL)
    crr = np.atleast_1d(d["crr"]["coef"])
    differ = np.max(np.abs(crr - np.atleast_1d(ref["coef"])) / np.abs(crr)) > 1e-6
    # the conventions differ exactly when some event happens at time 0
    assert differ == (d["n_events_at_0"] > 0)
    assert bool(np.max(np.abs(res.coef - crr) / np.abs(crr)) > 1e-6) == differ


def test_time_zero_unknown_name():
    with pytest.raises(UnknownMethodError, match="`time_zero` must be one of 'crr', 'left-limit'"):
        fine_gray([0, 1, 2, 3], [0, 1, 2, 1], [0, 1, 0, 1], time_zero="textbook")


@pytest.mark.parametrize("d", SEPARATION, ids=[d["name"] for d in SEPARATION])
def test_monotone_likelihood_flagged_where_crr_fails(d):
    """crr reports converged = FALSE here, with |coef| > 9 and a summary P of 0."""
    crr = d["crr"]
    assert not crr["converged"]
    summ = np.asarray(crr["summary_coef"], dtype=float).reshape(-1, 5)
    assert abs(summ[0, 0]) > 9  # what a crr user would see
    assert summ[0, 4] == 0
    with pytest.warns(FineGrayConvergenceWarning, match="monotone likelihood: x1 is infinite"):
        res = _fit_hard(d)
    assert not res.converged
    assert res.diverging == ("x1",)
    assert np.sign(res.coef[0]) == np.sign(summ[0, 0])
    assert abs(res.coef[0]) > 9
    assert np.isnan(res.pvalue[0])
    assert np.isnan(res.statistic[0])
    ci = res.confidence_interval()
    assert np.isnan(np.atleast_1d(ci.low)[0])
    assert np.isnan(np.atleast_1d(ci.high)[0])
    assert "diverging=('x1',)" in repr(res)
    assert res.summary_frame()["pvalue"].isna().iloc[0]


def test_monotone_likelihood_keeps_the_finite_coefficient_valid():
    """With x1 separating, the ordinary covariate x2 keeps a finite estimate and a P value."""
    d = next(d for d in SEPARATION if d["name"] == "continuous_separation")
    with pytest.warns(FineGrayConvergenceWarning):
        res = _fit_hard(d)
    assert res.diverging == ("x1",)
    assert np.isfinite(res.pvalue[1])
    assert 0 < res.pvalue[1] < 1


def test_convergence_warning_is_the_package_class():
    from gvhdstats.errors import ConvergenceWarning

    assert issubclass(FineGrayConvergenceWarning, ConvergenceWarning)
    assert issubclass(ConvergenceWarning, UserWarning)
    with pytest.warns(ConvergenceWarning):
        fine_gray(range(1, 13), [1, 0] * 6, [1, 0] * 6)


@pytest.mark.parametrize("block", [1, 7])
def test_block_scans_match_crr_with_many_blocks(monkeypatch, block):
    """The risk-set and sandwich scans run over blocks of whole time groups (65,536
    subjects at a time) with sums carried across blocks; every R fixture is small, so
    tiny blocks make groups straddle the cut points and the carries do the work."""
    import gvhdstats.methods.finegray as fg_module

    monkeypatch.setattr(fg_module, "_CHUNK", block)
    for d in DATASETS:
        res = _fit(d)
        crr = d["crr"]
        p = np.atleast_1d(crr["coef"]).size
        np.testing.assert_allclose(res.coef, crr["coef"], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(res.var, _mat(crr["var"], p), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(res.information, _mat(crr["inf"], p), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(res.loglik, crr["loglik"], rtol=1e-12)
        alt = _fit(d, censoring_ties="finegray")
        ref = d["finegray_coxph"]
        np.testing.assert_allclose(alt.coef, ref["coef"], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(alt.var_model, _mat(ref["var_naive"], p), rtol=RTOL, atol=ATOL)
    for d in TIME0:
        res = _fit_hard(d)
        crr = d["crr"]
        p = np.atleast_1d(crr["coef"]).size
        np.testing.assert_allclose(res.coef, crr["coef"], rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(res.var, _mat(crr["var"], p), rtol=RTOL, atol=ATOL)
