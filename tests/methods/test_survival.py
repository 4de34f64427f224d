"""Tests of gvhdstats.methods.survival against R ``survival`` (survfit, survdiff, coxph).

Expected values come from ``tests/reference/gen_survival.R`` (fixture
``survival_reference.json``, versions in ``survival_versions.txt``), from a
live R run on freshly simulated data (marked ``r``), or from hand computation.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from gvhdstats.errors import InvalidArgumentError, UnknownMethodError
from gvhdstats.methods.survival import (
    KM_COLUMNS,
    ConvergenceWarning,
    cox_hr,
    kaplan_meier,
    logrank_test,
)
from tests.conftest import REFERENCE_DIR, run_r_code

REF = json.loads((REFERENCE_DIR / "survival_reference.json").read_text())
DATASETS = REF["datasets"]
R_TO_OURS = {
    "log": "log",
    "log-log": "log-log",
    "plain": "plain",
    "logit": "logit",
    "arcsin": "arcsine",
}
TABLE_COLS = [c for c in KM_COLUMNS if c != "group"]


def _num(x) -> np.ndarray:
    """A fixture vector (jsonlite unboxes length-1 vectors; NA/NaN as strings)."""
    vals = x if isinstance(x, list) else [x]
    return np.array([np.nan if v in ("NA", "NaN", None) else v for v in vals], dtype=float)


def _labels(x) -> list:
    return x if isinstance(x, list) else [x]


def _group(d):
    return _labels(d["group"]) if "group" in d else None


def _close(actual, expected, rtol: float, atol: float = 0.0) -> None:
    a = np.atleast_1d(np.asarray(actual, dtype=float))
    e = _num(expected) if not isinstance(expected, np.ndarray) else expected
    np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True)


# ----------------------------------------------------------------------------- KM


@pytest.mark.parametrize("conf_type", list(R_TO_OURS))
@pytest.mark.parametrize("name", list(DATASETS))
def test_km_table_matches_survfit(name, conf_type):
    d = DATASETS[name]
    km = kaplan_meier(d["time"], d["event"], _group(d), conf_type=R_TO_OURS[conf_type])
    ref = d["km"][conf_type]
    assert list(km.table.columns) == list(KM_COLUMNS)
    assert [str(g) for g in km.table["group"]] == _labels(ref["group"])
    for col in TABLE_COLS:
        _close(km.table[col], ref[col], rtol=1e-10)


@pytest.mark.parametrize("name", list(DATASETS))
def test_km_loglog_90_table_and_median(name):
    d = DATASETS[name]
    km = kaplan_meier(d["time"], d["event"], _group(d), conf_type="log-log", confidence_level=0.9)
    for col in ("ci_low", "ci_high"):
        _close(km.table[col], d["km_loglog_90"][col], rtol=1e-10)
    med = km.median()
    for col in ("median", "ci_low", "ci_high"):
        _close(med[col], d["median_loglog_90"][col], rtol=1e-10)


@pytest.mark.parametrize("conf_type", list(R_TO_OURS))
@pytest.mark.parametrize("name", list(DATASETS))
def test_median_matches_print_survfit(name, conf_type):
    d = DATASETS[name]
    km = kaplan_meier(d["time"], d["event"], _group(d), conf_type=R_TO_OURS[conf_type])
    med = km.median()
    ref = d["median"][conf_type]
    assert [str(g) for g in med["group"]] == _labels(ref["group"])
    for col in ("median", "ci_low", "ci_high"):
        _close(med[col], ref[col], rtol=1e-10)


@pytest.mark.parametrize("conf_type", list(R_TO_OURS))
@pytest.mark.parametrize("name", list(DATASETS))
def test_quantile_matches_quantile_survfit(name, conf_type):
    d = DATASETS[name]
    km = kaplan_meier(d["time"], d["event"], _group(d), conf_type=R_TO_OURS[conf_type])
    ref = d["quantile"][conf_type]
    probs = sorted(set(_num(ref["q"]).tolist()))
    q = km.quantile(probs)
    # R's matrices are flattened column-major: probability-major, group-minor
    q = q.assign(_g=q["group"].map({g: i for i, g in enumerate(km.groups)}))
    q = q.sort_values(["q", "_g"], kind="stable")
    _close(q["q"], ref["q"], rtol=0)
    for col in ("quantile", "ci_low", "ci_high"):
        _close(q[col], ref[col], rtol=1e-10)


@pytest.mark.parametrize("name", list(DATASETS))
def test_at_matches_summary_times_extend(name):
    d = DATASETS[name]
    km = kaplan_meier(d["time"], d["event"], _group(d))
    at = km.at(_num(d["at_times"]))
    ref = d["at"]
    assert [str(g) for g in at["group"]] == _labels(ref["group"])
    for col in TABLE_COLS:
        _close(at[col], ref[col], rtol=1e-10)


def test_flat_half_rules_differ_between_print_and_quantile():
    # Curve ends at exactly 0.5 (times 3, 4 censored): print.survfit gives the time it
    # reached 0.5 (2); quantile.survfit the midpoint with the last time, (2 + 4) / 2.
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])
    assert km.median()["median"][0] == 2.0
    assert km.quantile(0.5)["quantile"][0] == 3.0
    # Flat at 0.5 from t=3 until the next death at t=5: both give (3 + 5) / 2.
    km = kaplan_meier([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1])
    assert km.median()["median"][0] == 4.0
    assert km.quantile(0.5)["quantile"][0] == 4.0


def test_km_hand_computation():
    # S(1) = 1 - 2/5 = 0.6; S(3) = 0.6 * (1 - 1/3) = 0.4;
    # Greenwood at 3: 2/(5*3) + 1/(3*2) = 0.3; std_err = 0.4 * sqrt(0.3).
    km = kaplan_meier([3, 1, 4, 1, 5], [1, 1, 0, 1, 1], conf_type="plain")
    row = km.table[km.table.time == 3].iloc[0]
    assert row.survival == pytest.approx(0.4, rel=1e-14)
    assert row.std_err == pytest.approx(0.4 * math.sqrt(0.3), rel=1e-14)
    z = 1.959963984540054
    assert row.ci_high == pytest.approx(0.4 + z * 0.4 * math.sqrt(0.3), rel=1e-12)
    assert row.ci_low == 0.0  # 0.4 - z * 0.4 * sqrt(0.3) < 0 is clipped at 0
    assert row.n_risk == 3
    assert row.n_event == 1


def test_km_conf_type_none_has_nan_limits():
    km = kaplan_meier([1, 2, 3], [1, 0, 1], conf_type="none")
    assert km.table["ci_low"].isna().all()
    assert km.table["ci_high"].isna().all()


def test_km_boolean_events_and_categorical_order():
    t = [1, 2, 3, 4, 5, 6]
    g = pd.Categorical(["b", "b", "b", "a", "a", "a"], categories=["b", "a"])
    km = kaplan_meier(t, [True, False, True, True, True, False], g)
    assert km.groups == ("b", "a")
    ref = kaplan_meier(t, [1, 0, 1, 1, 1, 0], ["b", "b", "b", "a", "a", "a"])
    assert ref.groups == ("a", "b")
    mine = km.table.set_index(["group", "time"]).sort_index()
    other = ref.table.set_index(["group", "time"]).sort_index()
    pd.testing.assert_frame_equal(mine, other)


def test_km_repr_is_informative():
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0], ["x", "x", "y", "y"])
    text = repr(km)
    assert "'x': n=2, events=2, median=1.5" in text
    assert "conf_type='log'" in text


# ----------------------------------------------------------------------------- log-rank


@pytest.mark.parametrize("rho", [0, 1])
@pytest.mark.parametrize("name", [n for n, d in DATASETS.items() if "logrank" in d])
def test_logrank_matches_survdiff(name, rho):
    d = DATASETS[name]
    ref = d["logrank"][f"rho{rho}"]
    res = logrank_test(d["time"], d["event"], _group(d), strata=d.get("strata"), rho=rho)
    assert [str(g) for g in res.groups] == _labels(ref["groups"])
    assert res.df == ref["df"]
    _close(res.statistic, ref["chisq"], rtol=1e-8)
    _close(res.pvalue, ref["pvalue"], rtol=1e-8)
    _close(res.observed, ref["observed"], rtol=1e-8)
    _close(res.expected, ref["expected"], rtol=1e-8)
    k = len(res.groups)
    # R's matrix is column-major; it is symmetric, so the order does not matter
    _close(res.variance.ravel(order="F"), ref["variance"], rtol=1e-8, atol=1e-12)
    assert res.variance.shape == (k, k)
    assert list(res.table.columns) == ["group", "observed", "expected", "o_minus_e", "variance"]


def test_logrank_hand_computation():
    # Two groups of one: A dies at 1, B at 2.  At t=1: N=2, d=1, n_A=1 -> E_A=1/2,
    # V=1*1*(1/2)(1-1/2)=1/4; at t=2 only B at risk (N=1): E_B += 1, V += 0.
    # O_A - E_A = 1/2, chi2 = (1/2)^2 / (1/4) = 1.
    res = logrank_test([1, 2], [1, 1], ["A", "B"])
    assert res.statistic == pytest.approx(1.0, rel=1e-14)
    np.testing.assert_allclose(res.expected, [0.5, 1.5], rtol=1e-14)
    assert res.pvalue == pytest.approx(0.31731050786291415, rel=1e-12)  # P(chi2_1 > 1)


# ----------------------------------------------------------------------------- Cox


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("name", [n for n, d in DATASETS.items() if "cox" in d])
def test_cox_group_matches_coxph(name, ties):
    d = DATASETS[name]
    ref = d["cox"][ties]
    res = cox_hr(d["time"], d["event"], _group(d), ties=ties, strata=d.get("strata"))
    assert ["group" + n for n in res.names] == _labels(ref["names"])
    _close(res.coef, ref["coef"], rtol=1e-6, atol=1e-9)
    _close(res.se, ref["se"], rtol=1e-6)
    _close(res.hazard_ratio, np.exp(_num(ref["coef"])), rtol=1e-6)
    _close(res.pvalue, ref["pvalue"], rtol=1e-6)
    _close(res.loglik, ref["loglik"], rtol=1e-10)
    _close(res.score_test, ref["score"], rtol=1e-8)
    _close(res.wald_test, ref["wald"], rtol=1e-6)
    _close(res.lr_test, ref["lr"], rtol=1e-6)
    ci = res.confidence_interval()
    _close(ci.low, ref["ci_low"], rtol=1e-6)
    _close(ci.high, ref["ci_high"], rtol=1e-6)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_cox_covariates_match_coxph(ties):
    d = DATASETS["lung_sex"]
    ref = d["cox_covars"][ties]
    X = pd.DataFrame(d["covars"])
    res = cox_hr(d["time"], d["event"], X, ties=ties, confidence_level=0.9)
    assert list(res.names) == _labels(ref["names"])
    _close(res.coef, ref["coef"], rtol=1e-6)
    _close(res.se, ref["se"], rtol=1e-6)
    _close(res.pvalue, ref["pvalue"], rtol=1e-6)
    _close(res.loglik, ref["loglik"], rtol=1e-10)
    _close(
        [res.score_test, res.wald_test, res.lr_test],
        [ref["score"], ref["wald"], ref["lr"]],
        rtol=1e-6,
    )
    ci = res.confidence_interval()
    _close(ci.low, ref["ci_low_90"], rtol=1e-6)
    _close(ci.high, ref["ci_high_90"], rtol=1e-6)
    assert list(res.table.columns) == [
        "term",
        "coef",
        "hazard_ratio",
        "se",
        "z",
        "pvalue",
        "ci_low",
        "ci_high",
    ]


def test_cox_breslow_score_equals_logrank_without_ties():
    # Without tied times the Cox score test of a group factor is the log-rank statistic
    # (Collett, Modelling Survival Data, 3rd ed., sec. 3.9).
    rng = np.random.default_rng(5)
    t = rng.exponential(1.0, 60)
    e = rng.integers(0, 2, 60)
    g = np.repeat(["a", "b", "c"], 20)
    lr = logrank_test(t, e, g)
    for ties in ("breslow", "efron"):
        assert cox_hr(t, e, g, ties=ties).score_test == pytest.approx(lr.statistic, rel=1e-10)


def test_cox_reference_and_categorical_flip_the_ratio():
    d = DATASETS["simulated_trial"]
    a = cox_hr(d["time"], d["event"], d["group"])
    b = cox_hr(d["time"], d["event"], d["group"], reference="msc")
    assert a.reference == "control"
    assert b.reference == "msc"
    assert b.coef == pytest.approx(-a.coef, rel=1e-9)
    assert b.se == pytest.approx(a.se, rel=1e-9)
    cat = pd.Categorical(d["group"], categories=["msc", "control"])
    c = cox_hr(d["time"], d["event"], cat)
    assert c.coef == pytest.approx(b.coef, rel=1e-12)


def test_cox_infinite_coefficient_warns():
    d = DATASETS["one_group_no_events"]
    with pytest.warns(ConvergenceWarning, match="infinite"):
        cox_hr(d["time"], d["event"], d["group"])


# ----------------------------------------------------------------------------- invariants


def test_row_shuffle_invariance():
    d = DATASETS["four_groups_strata"]
    t, e, g, s = (np.asarray(d[k]) for k in ("time", "event", "group", "strata"))
    perm = np.random.default_rng(1).permutation(t.size)
    km1 = kaplan_meier(t, e, g).table
    km2 = kaplan_meier(t[perm], e[perm], g[perm]).table
    pd.testing.assert_frame_equal(km1, km2)
    lr1 = logrank_test(t, e, g, strata=s, rho=1)
    lr2 = logrank_test(t[perm], e[perm], g[perm], strata=s[perm], rho=1)
    assert lr1.statistic == pytest.approx(lr2.statistic, rel=1e-12)
    c1 = cox_hr(t, e, g, strata=s)
    c2 = cox_hr(t[perm], e[perm], g[perm], strata=s[perm])
    np.testing.assert_allclose(c1.coef, c2.coef, rtol=1e-9)
    np.testing.assert_allclose(c1.se, c2.se, rtol=1e-9)


def test_time_scaling_invariance():
    d = DATASETS["simulated_trial"]
    t, e, g = np.asarray(d["time"]), np.asarray(d["event"]), np.asarray(d["group"])
    scale = 30.4375  # months to days
    km1, km2 = kaplan_meier(t, e, g), kaplan_meier(t * scale, e, g)
    np.testing.assert_allclose(km2.table.time, km1.table.time * scale, rtol=1e-14)
    np.testing.assert_array_equal(km2.table.survival, km1.table.survival)
    np.testing.assert_allclose(km2.median()["median"], km1.median()["median"] * scale)
    assert logrank_test(t * scale, e, g).statistic == logrank_test(t, e, g).statistic
    c1, c2 = cox_hr(t, e, g), cox_hr(t * scale, e, g)
    assert c2.coef == pytest.approx(c1.coef, rel=1e-12)


def test_lifelines_kaplan_meier_side_check():
    lifelines = pytest.importorskip("lifelines")
    d = DATASETS["lung_sex"]
    t, e = np.asarray(d["time"]), np.asarray(d["event"])
    with np.errstate(**np.geterr()):  # lifelines calls np.seterr and never restores it
        kmf = lifelines.KaplanMeierFitter().fit(t, e)
    ours = kaplan_meier(t, e, conf_type="log-log").table
    sf = kmf.survival_function_.iloc[1:, 0]  # lifelines prepends time 0
    np.testing.assert_allclose(sf.index.to_numpy(), ours.time)
    np.testing.assert_allclose(sf.to_numpy(), ours.survival, rtol=1e-12)
    # lifelines' default interval is the log-log ("exponential Greenwood") one
    ci = kmf.confidence_interval_.iloc[1:]
    finite = ours.survival.between(0, 1, inclusive="neither").to_numpy()
    np.testing.assert_allclose(ci.iloc[finite, 0], ours.ci_low[finite], rtol=1e-8)
    np.testing.assert_allclose(ci.iloc[finite, 1], ours.ci_high[finite], rtol=1e-8)


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"time": [1, -2, 3]}, r"`time` must not be negative, but got -2\.0 at position 1"),
        ({"time": [1, np.nan, 3]}, r"`time` must be finite \(no NaN or inf\), but got nan"),
        ({"time": [1, np.inf, 3]}, r"`time` must be finite \(no NaN or inf\), but got inf"),
        ({"time": ["a", "b", "c"]}, r"`time` must hold numbers"),
        ({"time": []}, r"`time` must not be empty"),
        ({"time": [[1, 2, 3]]}, r"`time` must be one-dimensional"),
        ({"event": [1, 2, 0]}, r"`event` must hold 0 \(censored\) or 1 \(event\), but got 2"),
        ({"event": [1, np.nan, 0]}, r"`event` must not be missing, but got nan at position 1"),
        ({"event": [1, 0]}, r"`event` must have the same length as `time` \(3\), but got len"),
        ({"group": ["a", None, "b"]}, r"`group` must not be missing, but got None at position 1"),
        ({"group": ["a", "b"]}, r"`group` must have the same length as `time` \(3\)"),
        (
            {"confidence_level": 1.5},
            r"`confidence_level` must be a number in \(0, 1\), but got 1\.5",
        ),
    ],
)
def test_kaplan_meier_validation(kwargs, match):
    args = {"time": [1, 2, 3], "event": [1, 0, 1], "group": None} | kwargs
    with pytest.raises(InvalidArgumentError, match=match):
        kaplan_meier(
            args["time"],
            args["event"],
            args["group"],
            **(
                {"confidence_level": kwargs["confidence_level"]}
                if "confidence_level" in kwargs
                else {}
            ),
        )


def test_unknown_options():
    with pytest.raises(UnknownMethodError, match=r"`conf_type` must be one of .*'log-log'.*"):
        kaplan_meier([1, 2], [1, 1], conf_type="loglog")
    with pytest.raises(UnknownMethodError, match=r"`ties` must be one of 'efron', 'breslow'"):
        cox_hr([1, 2], [1, 1], ["a", "b"], ties="exact")


def test_logrank_and_cox_need_two_groups():
    with pytest.raises(InvalidArgumentError, match=r"`group` must have at least two distinct"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "a", "a"])
    with pytest.raises(InvalidArgumentError, match=r"`covariates_or_group` as group labels"):
        cox_hr([1, 2, 3], [1, 1, 0], ["a", "a", "a"])
    with pytest.raises(InvalidArgumentError, match=r"`rho` must be a finite number >= 0"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "b", "a"], rho=-1)
    with pytest.raises(InvalidArgumentError, match=r"`reference` must be one of the group"):
        cox_hr([1, 2, 3], [1, 1, 0], ["a", "b", "a"], reference="c")
    with pytest.raises(InvalidArgumentError, match=r"`event` must contain at least one event"):
        cox_hr([1, 2, 3], [0, 0, 0], ["a", "b", "a"])
    with pytest.raises(
        InvalidArgumentError, match=r"must be finite \(no NaN or inf\), but got nan"
    ):
        cox_hr([1, 2, 3], [1, 0, 1], np.array([[1.0], [np.nan], [0.0]]))


def test_mixed_label_types_are_rejected():
    with pytest.raises(InvalidArgumentError, match=r"`group` must hold labels of one comparable"):
        kaplan_meier([1, 2, 3], [1, 0, 1], np.array(["a", 1, "b"], dtype=object))


def test_km_result_group_and_q_validation():
    km = kaplan_meier([1, 2, 3], [1, 0, 1], ["a", "b", "a"])
    with pytest.raises(InvalidArgumentError, match=r"`group` must be one of \('a', 'b'\)"):
        km.at([1], group="c")
    with pytest.raises(InvalidArgumentError, match=r"`q` must hold probabilities in \[0, 1\]"):
        km.quantile(1.5)


# ----------------------------------------------------------------------------- live R


@pytest.mark.r
def test_live_r_on_fresh_simulated_data(tmp_path, rscript):
    rng = np.random.default_rng(20250101)
    n = 150
    g = rng.choice(["ctrl", "msc", "msc+cd25"], size=n)
    s = rng.choice(["s1", "s2"], size=n)
    t = np.round(rng.exponential(np.where(g == "ctrl", 8.0, 12.0)), 1)
    c = np.round(rng.uniform(1, 24, size=n), 1)
    e = (t <= c).astype(int)
    t = np.minimum(t, c)
    csv = tmp_path / "d.csv"
    pd.DataFrame({"time": t, "event": e, "group": g, "strata": s}).to_csv(csv, index=False)
    code = f"""
    suppressPackageStartupMessages(library(survival))
    d <- read.csv("{csv}")
    f <- survfit(Surv(time, event) ~ group, data = d, conf.type = "log-log")
    tab <- summary(f)$table
    sd <- survdiff(Surv(time, event) ~ group + strata(strata), data = d, rho = 1)
    cx <- coxph(Surv(time, event) ~ group + strata(strata), data = d, ties = "efron")
    out <- c(f$surv, f$lower, tab[, "median"], tab[, 8], tab[, 9], sd$chisq,
             coef(cx), sqrt(diag(vcov(cx))), cx$loglik)
    cat(formatC(out, digits = 17, format = "g"), sep = "\\n")
    """
    vals = np.array(
        [float(v) if v.strip() != "NA" else np.nan for v in run_r_code(code, tmp_path).split()]
    )
    km = kaplan_meier(t, e, g, conf_type="log-log")
    m = len(km.table)
    med = km.median()
    lr = logrank_test(t, e, g, strata=s, rho=1)
    cx = cox_hr(t, e, g, strata=s)
    ours = np.concatenate(
        [
            km.table.survival,
            km.table.ci_low,
            med["median"],
            med["ci_low"],
            med["ci_high"],
            [lr.statistic],
            cx.coef,
            cx.se,
            cx.loglik,
        ]
    )
    assert vals.size == ours.size == 2 * m + 9 + 1 + 4 + 2
    np.testing.assert_allclose(ours[: 2 * m], vals[: 2 * m], rtol=1e-10, equal_nan=True)
    np.testing.assert_allclose(
        ours[2 * m : 2 * m + 9], vals[2 * m : 2 * m + 9], rtol=1e-10, equal_nan=True
    )
    np.testing.assert_allclose(ours[2 * m + 9], vals[2 * m + 9], rtol=1e-8)
    np.testing.assert_allclose(ours[2 * m + 10 :], vals[2 * m + 10 :], rtol=1e-6)


# ------------------------------------------------------------- issue 9: degenerate data
# Fixture: tests/reference/gen_hardening.R (coxph, survdiff), hardening_reference.json.
HARD = json.loads((REFERENCE_DIR / "hardening_reference.json").read_text())


@pytest.mark.parametrize("d", HARD["separation"], ids=[d["name"] for d in HARD["separation"]])
def test_cox_monotone_likelihood_flagged_as_coxph_warns(d):
    """coxph warns "coefficient may be infinite" on these data; so do we, and the Wald
    z, P and CI of the infinite coefficient are NaN (coxph prints P ~ 1 from a huge se)."""
    assert "infinite" in d["coxph"]["warning"]
    event = (np.asarray(d["status"]) == 1).astype(int)
    x = pd.DataFrame(np.array(d["x"], dtype=float).T)
    x.columns = [f"x{j + 1}" for j in range(x.shape[1])]
    with pytest.warns(ConvergenceWarning, match=r"\['x1'\] may be infinite"):
        res = cox_hr(d["time"], event, x)
    assert not res.converged
    assert res.diverging == ("x1",)
    coef = np.atleast_1d(res.coef)
    ref = np.atleast_1d(d["coxph"]["coef"])
    assert np.sign(coef[0]) == np.sign(ref[0])
    assert abs(coef[0]) > 20
    assert np.isnan(np.atleast_1d(res.pvalue)[0])
    assert np.isnan(np.atleast_1d(res.z)[0])
    assert np.isnan(np.atleast_1d(res.confidence_interval().low)[0])
    assert math.isnan(res.wald_test)
    assert res.lr_test > 0  # the likelihood-ratio test stays defined


def test_cox_issue9_example_stops_where_coxph_does():
    """On the issue's example coxph stops at coef 21.2029, se 16408.7 (fixture): the same
    Newton path and the same stopping rule (log-likelihood change below 1e-9) give both."""
    d = next(d for d in HARD["separation"] if d["name"] == "issue9_example")
    event = (np.asarray(d["status"]) == 1).astype(int)
    with pytest.warns(ConvergenceWarning):
        res = cox_hr(d["time"], event, pd.DataFrame({"x1": d["x"][0]}))
    assert res.coef == pytest.approx(d["coxph"]["coef"], rel=1e-6)
    assert res.se == pytest.approx(d["coxph"]["se"], rel=1e-4)


def test_cox_ordinary_fit_is_converged_without_diverging():
    d = DATASETS["four_groups_strata"]
    res = cox_hr(d["time"], d["event"], d["group"])
    assert res.converged
    assert res.diverging == ()
    assert np.all(np.isfinite(np.atleast_1d(res.pvalue)))


@pytest.mark.parametrize("d", HARD["logrank"], ids=[d["name"] for d in HARD["logrank"]])
def test_logrank_with_every_event_at_one_time(d):
    res = logrank_test(d["time"], d["event"], d["group"])
    if "error" in d:  # survdiff: "system is exactly singular": the test is undefined
        assert "singular" in d["error"]
        assert math.isnan(res.statistic)
        assert math.isnan(res.pvalue)
    else:
        assert res.statistic == pytest.approx(d["chisq"], abs=1e-12)
        assert res.pvalue == pytest.approx(d["pvalue"], abs=1e-12)
        np.testing.assert_allclose(res.observed, d["observed"])
        np.testing.assert_allclose(res.expected, d["expected"])
