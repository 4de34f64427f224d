"""Tests of gvhdstats.methods.meta against R metafor.

Reference: tests/reference/gen_meta.R -> meta_reference.json (metafor 3.8-1;
versions in meta_versions.txt): 30 fixture sets (published 2x2 data sets from
metadat, simulated tables with zero cells and double-zero studies, generic
effects; k from 2 to 30), each fitted with escalc + rma for every tau^2
estimator with test "z" and "knha", every zero-cell rule (add/to), rma.mh,
rma.peto, confint (Q-profile) and predict.  Iterative estimators in R were run
to threshold/tol 1e-12, so every number is compared at 1e-6 relative.

Cross-checks against statsmodels (combine_effects for FE/DL/PM,
StratifiedTable for the Mantel-Haenszel odds ratio) and a closed-form Peto
computation by hand are below.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from gvhdstats import meta_analysis
from gvhdstats.errors import InvalidArgumentError, InvalidCountError, UnknownMethodError
from gvhdstats.methods._results import ConfidenceInterval
from gvhdstats.methods.meta import MetaResult, study_effects
from tests.conftest import REFERENCE_DIR

REF = json.loads((REFERENCE_DIR / "meta_reference.json").read_text(encoding="utf-8"))
SETS = {s["id"]: s for s in REF["datasets"]}
METHOD = {"FE": "fixed", "MH": "mantel-haenszel", "PETO": "peto"}
RTOL = 1e-6
#: metafor's Fisher scoring stops a hair above a boundary at tau^2 = 0 (1e-10
#: and below); absolute slack for quantities that are exactly 0 in theory
ATOL = {"tau2": 1e-9, "I2": 1e-6, "tau2_lb": 1e-9, "I2_lb": 1e-6}


def tables_of(s):
    return [
        ((a, n1), (c, n2))
        for a, n1, c, n2 in zip(s["ai"], s["n1i"], s["ci"], s["n2i"], strict=True)
    ]


def zero_variance(s, f):
    """Fits on effects with a zero sampling variance (R fits some; we raise)."""
    for e in s.get("effects", []):
        if e["measure"] == f["measure"] and e["to"] == f["to"] and f["model"] == "rma":
            return any(v == 0 for v in e["vi"] if v is not None)
    return False


def fit(s, f) -> MetaResult:
    kw = dict(
        method=METHOD.get(f["method"], f["method"]),
        knha=f["test"] == "knha",
    )
    if s["kind"] == "tables":
        return meta_analysis(tables_of(s), measure=f["measure"], add_to=f["to"], **kw)
    return meta_analysis(
        effects=list(zip(s["yi"], s["sei"], strict=True)), measure="generic", **kw
    )


def analysis_scale(res: MetaResult, x: float) -> float:
    return math.log(x) if res.is_ratio else x


def ours(res: MetaResult) -> dict[str, float]:
    out = {
        "b": res.coefficient,
        "se": res.se,
        "zval": res.statistic,
        "pval": res.pvalue,
        "ci_lb": analysis_scale(res, res.confidence_interval.low),
        "ci_ub": analysis_scale(res, res.confidence_interval.high),
        "tau2": res.tau2,
        "I2": res.i2,
        "H2": res.h2,
        "QE": res.q,
        "QEp": res.q_pvalue,
        "k": res.k,
        "pi_lb": analysis_scale(res, res.prediction_interval.low),
        "pi_ub": analysis_scale(res, res.prediction_interval.high),
        "tau2_lb": res.tau2_ci.low,
        "tau2_ub": res.tau2_ci.high,
        "I2_lb": res.i2_ci.low,
        "I2_ub": res.i2_ci.high,
        "H2_lb": res.h2_ci.low,
        "H2_ub": res.h2_ci.high,
    }
    return out


def test_fixture_sets_cover_the_brief():
    assert len(SETS) >= 25
    ks = {len(s["ai"]) if s["kind"] == "tables" else len(s["yi"]) for s in SETS.values()}
    assert min(ks) == 2
    assert max(ks) == 30
    tabs = [s for s in SETS.values() if s["kind"] == "tables"]
    assert any(0 in s["ai"] or 0 in s["ci"] for s in tabs)
    assert any(a == 0 and c == 0 for s in tabs for a, c in zip(s["ai"], s["ci"], strict=True))
    i2 = [
        f["I2"]
        for s in SETS.values()
        for f in s["fits"]
        if f["method"] == "REML" and f["I2"] is not None
    ]
    assert min(i2) < 1e-6
    assert max(i2) > 75
    methods = {(f["model"], f["method"], f["test"], f["to"]) for s in tabs for f in s["fits"]}
    for m in ("FE", "DL", "REML", "ML", "PM", "SJ", "HS", "HE", "EB"):
        assert ("rma", m, "knha", "only0") in methods
    for to in ("all", "if0all", "none"):
        assert ("rma", "DL", "z", to) in methods
    assert ("rma.mh", "MH", "z", "only0") in methods
    assert (
        "rma.peto",
        "PETO",
        "z",
        "only0",
    ) in methods


@pytest.mark.parametrize("set_id", sorted(SETS))
def test_matches_metafor(set_id):
    s = SETS[set_id]
    compared = 0
    for f in s["fits"]:
        if zero_variance(s, f):
            with pytest.raises(InvalidArgumentError, match="sampling variance of zero"):
                fit(s, f)
            continue
        res = fit(s, f)
        got = ours(res)
        for key, ref in f.items():
            if key not in got:
                continue
            where = (
                f"{set_id} {f['model']} {f['measure']} {f['method']} {f['test']} {f['to']} {key}"
            )
            if ref is None:
                assert not math.isfinite(got[key]), where
                continue
            assert got[key] == pytest.approx(ref, rel=RTOL, abs=ATOL.get(key, 1e-12)), where
            compared += 1
        w = np.atleast_1d(np.asarray(f["weights"], dtype=float))
        mine = res.weights if f["model"] != "rma" else res.weights[np.isfinite(res.yi)]
        np.testing.assert_allclose(mine, w, rtol=RTOL, atol=1e-9)
        # per-study effects are escalc's
    for e in s.get("effects", []):
        y, v = study_effects(tables_of(s), measure=e["measure"], add_to=e["to"])
        ry = np.array([np.nan if x is None else x for x in e["yi"]])
        rv = np.array([np.nan if x is None else x for x in e["vi"]])
        np.testing.assert_allclose(y, ry, rtol=RTOL, atol=1e-14)
        np.testing.assert_allclose(v, rv, rtol=RTOL)
    assert compared > 100


def test_qprofile_ci_brackets_the_estimators_and_inverts_q():
    # invariant: at each bound of the Q-profile CI, Q(tau^2) equals the chi-square quantile
    from scipy import stats

    from gvhdstats.methods.meta import _q_gen

    s = SETS["bcg"]
    res = meta_analysis(tables_of(s), measure="RR", method="REML")
    k = res.k
    y, v = res.yi, res.vi
    assert _q_gen(y, v, float(res.tau2_ci.low)) == pytest.approx(stats.chi2.ppf(0.975, k - 1))
    assert _q_gen(y, v, float(res.tau2_ci.high)) == pytest.approx(stats.chi2.ppf(0.025, k - 1))
    assert res.tau2_ci.low < res.tau2 < res.tau2_ci.high


def test_statsmodels_agrees_on_fe_dl_and_pm_to_its_tolerance():
    pytest.importorskip("statsmodels")  # the `test` extra installs it
    from statsmodels.stats.meta_analysis import combine_effects

    s = SETS["gen-k30"]
    y, se = np.array(s["yi"]), np.array(s["sei"])
    effects = list(zip(y, se, strict=True))
    for sm_method, ours_method, rtol in (("chi2", "DL", 1e-12), ("iterated", "PM", 1e-5)):
        sm = combine_effects(y, se**2, method_re=sm_method)
        res = meta_analysis(effects=effects, measure="generic", method=ours_method)
        assert res.tau2 == pytest.approx(sm.tau2, rel=rtol)
        assert res.coefficient == pytest.approx(sm.mean_effect_re, rel=rtol)
        fe = meta_analysis(effects=effects, measure="generic", method="fixed")
        assert fe.coefficient == pytest.approx(sm.mean_effect_fe, rel=1e-12)
        assert fe.q == pytest.approx(sm.q, rel=1e-12)


def test_statsmodels_mantel_haenszel_odds_ratio():
    pytest.importorskip("statsmodels")
    from statsmodels.stats.contingency_tables import StratifiedTable

    s = SETS["bcg"]
    tabs = [np.array([[a, n1 - a], [c, n2 - c]]) for (a, n1), (c, n2) in tables_of(s)]
    st = StratifiedTable(tabs)
    res = meta_analysis(tables_of(s), measure="OR", method="mantel-haenszel")
    assert res.estimate == pytest.approx(st.oddsratio_pooled, rel=1e-12)
    assert res.se == pytest.approx(st.logodds_pooled_se, rel=1e-12)


def test_mantel_haenszel_and_peto_agree_with_the_stratified_module():
    # two implementations of the same formulas (stratified.py: integer strata)
    from gvhdstats.methods.stratified import mantel_haenszel, peto_odds_ratio

    tabs = tables_of(SETS["sim-k15-sparse"])
    names = {"OR": "odds_ratio", "RR": "risk_ratio", "RD": "risk_difference"}
    for measure, name in names.items():
        ours = meta_analysis(tabs, measure=measure, method="mantel-haenszel")
        other = mantel_haenszel(tabs, measure=name)
        assert ours.estimate == pytest.approx(other.statistic, rel=1e-12)
        assert ours.se == pytest.approx(other.se, rel=1e-12)
    peto = meta_analysis(tabs, measure="OR", method="peto")
    other = peto_odds_ratio(tabs)
    assert peto.estimate == pytest.approx(other.statistic, rel=1e-12)
    assert peto.se == pytest.approx(other.se, rel=1e-12)


def test_peto_by_hand():
    # one table 10/20 vs 5/20: O - E = 10 - 20*15/40 = 2.5, V = 20*20*15*25/(40^2*39)
    res = meta_analysis([((10, 20), (5, 20))], measure="OR", method="peto")
    v = 20 * 20 * 15 * 25 / (40**2 * 39)
    assert res.coefficient == pytest.approx(2.5 / v, rel=1e-14)
    assert res.se == pytest.approx(1 / math.sqrt(v), rel=1e-14)


def test_effects_from_ratio_and_ci():
    # SE of the log HR from a printed 95% CI (Tierney 2007): (ln U - ln L) / (2 * 1.959964)
    res = meta_analysis(effects=[(0.68, 0.48, 0.95)], measure="HR", method="fixed")
    se = (math.log(0.95) - math.log(0.48)) / (2 * 1.959963984540054)
    assert res.estimate == pytest.approx(0.68, rel=1e-14)
    assert res.se == pytest.approx(se, rel=1e-12)
    assert res.k == 1
    assert res.tau2 == 0.0


def test_result_shape_and_frame():
    s = SETS["hine1989"]
    res = meta_analysis(tables_of(s), measure="OR", method="DL", knha=True)
    assert isinstance(res.confidence_interval, ConfidenceInterval)
    assert res.df == res.k - 1
    frame = res.to_frame()
    assert list(frame.columns) == ["study", "estimate", "ci_low", "ci_high", "yi", "vi", "weight"]
    assert len(frame) == res.k + 1
    assert frame["study"].iloc[-1] == "pooled"
    assert frame["weight"].iloc[:-1].sum() == pytest.approx(100.0)
    assert frame["estimate"].iloc[-1] == res.estimate
    assert "MetaResult(measure='OR', method='DL', knha=True" in repr(res)


def test_revman_variant_q_about_the_mh_estimate():
    # Cochran's Q about the MH estimate (RevMan 5 / meta Q.Cochrane) by hand
    s = SETS["hine1989"]
    mh = meta_analysis(tables_of(s), measure="RR", method="mantel-haenszel", mh_correction=True)
    rev = meta_analysis(
        tables_of(s), measure="RR", method="DL", cochrane_q=True, mh_correction=True
    )
    y, v = study_effects(tables_of(s), measure="RR", drop_double_zero=True)
    ok = np.isfinite(y)
    w = 1 / v[ok]
    q = float((w * (y[ok] - mh.coefficient) ** 2).sum())
    assert rev.q == pytest.approx(q, rel=1e-13)
    tau2 = max(0.0, (q - (ok.sum() - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    assert rev.tau2 == pytest.approx(tau2, rel=1e-13, abs=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(tables=None, measure="OR", method="DL"), InvalidArgumentError, "exactly one"),
        (dict(tables=[((1, 2), (3, 2))], measure="OR", method="DL"), InvalidCountError, "tables"),
        (
            dict(tables=[((1.5, 2), (1, 2))], measure="OR", method="DL"),
            InvalidCountError,
            "integer",
        ),
        (dict(tables=[((1, 2), (1, 2))], measure="OR", method="dl"), UnknownMethodError, "method"),
        (
            dict(tables=[((1, 2), (1, 2))], measure="HR", method="DL"),
            InvalidArgumentError,
            "measure",
        ),
        (
            dict(tables=[((1, 2), (1, 2))], measure="RR", method="peto"),
            InvalidArgumentError,
            "Peto",
        ),
        (dict(effects=[(0.1, 0.2)], measure="OR", method="peto"), InvalidArgumentError, "tables"),
        (dict(effects=[(0.1, -0.2)], measure="generic", method="DL"), InvalidArgumentError, "SE"),
        (dict(effects=[(2.0, 2.5, 3.0)], measure="HR", method="DL"), Exception, "ci_low"),
        (dict(effects="x", measure="generic", method="DL"), InvalidArgumentError, "effects"),
        (
            dict(tables=[((0, 2), (0, 2))], measure="OR", method="DL", add_to="none"),
            InvalidArgumentError,
            "no study",
        ),
        (
            dict(tables=[((1, 2), (1, 2))], measure="OR", method="REML", cochrane_q=True),
            InvalidArgumentError,
            "cochrane_q",
        ),
    ],
)
def test_bad_input(kwargs, error, match):
    tables = kwargs.pop("tables", None)
    with pytest.raises(error, match=match):
        meta_analysis(tables, **kwargs)
