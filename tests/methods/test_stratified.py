"""Tests of gvhdstats.methods.stratified and the single-table Peto odds ratio.

References (tests/reference/gen_stratified.R -> stratified_reference.json):
R ``mantelhaen.test`` (MH odds ratio, RBG CI, CMH with and without continuity
correction), metafor ``rma.mh`` (OR, RR, RD: estimate, SE, Wald P, CMH,
Tarone), metafor ``rma.peto`` (pooled and one-study Peto odds ratio) and a
hand Breslow-Day statistic written in the generator (uniroot fitted cells).
"""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import pytest

from gvhdstats import odds_ratio, two_by_two_pvalue
from gvhdstats.errors import InvalidCountError, UnknownMethodError
from gvhdstats.methods.stratified import (
    breslow_day_test,
    cmh_test,
    mantel_haenszel,
    peto_odds_ratio,
)
from tests.conftest import REFERENCE_DIR

REF = json.loads((REFERENCE_DIR / "stratified_reference.json").read_text(encoding="utf-8"))
SETS = {s["name"]: s for s in REF["sets"]}


def strata(rec):
    return [((a, n1), (c, n2)) for a, n1, c, n2 in rec["strata"]]


@pytest.mark.parametrize("name", sorted(SETS))
@pytest.mark.parametrize(
    ("measure", "key", "log"),
    [
        ("odds_ratio", "rma_mh_or", True),
        ("risk_ratio", "rma_mh_rr", True),
        ("risk_difference", "rma_mh_rd", False),
    ],
)
def test_mantel_haenszel_matches_metafor(name, measure, key, log):
    ref = SETS[name][key]
    res = mantel_haenszel(strata(SETS[name]), measure=measure)
    est = math.log(res.statistic) if log else res.statistic
    assert est == pytest.approx(ref["beta"], rel=1e-10, abs=1e-13)
    assert res.se == pytest.approx(ref["se"], rel=1e-9)
    lo, hi = res.confidence_interval()
    if log:
        lo, hi = math.log(lo), math.log(hi)
    assert (lo, hi) == pytest.approx((ref["lower"], ref["upper"]), rel=1e-9, abs=1e-12)
    assert res.pvalue == pytest.approx(ref["pval"], rel=1e-8)


@pytest.mark.parametrize("name", sorted(n for n in SETS if "mantelhaen" in SETS[n]))
def test_mantel_haenszel_and_cmh_match_mantelhaen_test(name):
    ref = SETS[name]["mantelhaen"]
    st = strata(SETS[name])
    res = mantel_haenszel(st)
    assert res.statistic == pytest.approx(ref["estimate"], rel=1e-10)
    assert tuple(res.confidence_interval()) == pytest.approx(
        (ref["lower"], ref["upper"]), rel=1e-9
    )
    cc, plain = cmh_test(st, correction=True), cmh_test(st)
    assert (cc.statistic, cc.pvalue) == pytest.approx((ref["stat_cc"], ref["p_cc"]), rel=1e-9)
    assert (plain.statistic, plain.pvalue) == pytest.approx((ref["stat"], ref["p"]), rel=1e-9)
    # and with metafor's CMH, which subtracts 1/2 even when |sum(O - E)| < 1/2
    mf = SETS[name]["rma_mh_or"]
    assert plain.pvalue == pytest.approx(mf["MHp"], rel=1e-9)
    if name != "small_delta":
        assert cc.pvalue == pytest.approx(mf["MHp_cc"], rel=1e-9)
    else:
        assert cc.pvalue == 1.0 > mf["MHp_cc"]


def test_cmh_correction_is_not_applied_below_one_half():
    # sum(O - E) = 0 in 'small_delta': R applies no correction (statsmodels would)
    st = strata(SETS["small_delta"])
    assert cmh_test(st, correction=True).statistic == cmh_test(st).statistic == 0.0


@pytest.mark.parametrize("name", sorted(n for n in SETS if "breslow_day" in SETS[n]))
def test_breslow_day_and_tarone(name):
    ref = SETS[name]["breslow_day"]
    st = strata(SETS[name])
    bd, ta = breslow_day_test(st, tarone=False), breslow_day_test(st)
    assert bd.statistic == pytest.approx(ref["breslow_day"], rel=1e-8, abs=1e-12)
    assert ta.statistic == pytest.approx(ref["tarone"], rel=1e-8, abs=1e-12)
    assert bd.df == ta.df == ref["df"]
    mf = SETS[name]["rma_mh_or"]
    if mf.get("TA") is not None:
        assert ta.statistic == pytest.approx(mf["TA"], rel=1e-7, abs=1e-12)
        assert ta.pvalue == pytest.approx(mf["TAp"], rel=1e-7)


def test_mantel_haenszel_and_breslow_day_against_statsmodels():
    pytest.importorskip("statsmodels")  # the `test` extra installs it
    import numpy as np
    from statsmodels.stats.contingency_tables import StratifiedTable

    st = strata(SETS["ucb"])
    arr = np.array([[[a, n1 - a], [c, n2 - c]] for (a, n1), (c, n2) in st], dtype=float)
    sm = StratifiedTable(np.moveaxis(arr, 0, -1))
    assert breslow_day_test(st).statistic == pytest.approx(
        sm.test_equal_odds(adjust=True).statistic, rel=1e-8
    )
    assert breslow_day_test(st, tarone=False).statistic == pytest.approx(
        sm.test_equal_odds(adjust=False).statistic, rel=1e-8
    )
    mh = mantel_haenszel(st)
    assert mh.statistic == pytest.approx(sm.oddsratio_pooled, rel=1e-12)
    assert mh.se == pytest.approx(sm.logodds_pooled_se, rel=1e-12)
    assert mantel_haenszel(st, measure="risk_ratio").statistic == pytest.approx(
        sm.riskratio_pooled, rel=1e-12
    )


@pytest.mark.parametrize("name", sorted(SETS))
def test_peto_pooled_matches_rma_peto(name):
    ref = SETS[name]["rma_peto"]
    st = strata(SETS[name])
    res = peto_odds_ratio(st)
    assert math.log(res.statistic) == pytest.approx(ref["beta"], rel=1e-10, abs=1e-13)
    assert res.se == pytest.approx(ref["se"], rel=1e-10)
    assert tuple(math.log(x) for x in res.confidence_interval()) == pytest.approx(
        (ref["lower"], ref["upper"]), rel=1e-9, abs=1e-12
    )
    # Peto's test is the CMH test without continuity correction
    assert res.pvalue == pytest.approx(ref["pval"], rel=1e-9)
    assert cmh_test(st).pvalue == pytest.approx(ref["pval"], rel=1e-9)


@pytest.mark.parametrize("row", REF["peto_single"], ids=lambda r: f"{r['a']}/{r['n1']}")
def test_single_table_peto_odds_ratio(row):
    arms = (row["a"], row["n1"]), (row["c"], row["n2"])
    res = odds_ratio(*arms, estimator="peto")
    assert math.log(res.statistic) == pytest.approx(row["beta"], rel=1e-10)
    for level, lo, hi in ((0.95, "lower", "upper"), (0.90, "lower90", "upper90")):
        ci = res.confidence_interval(confidence_level=level)
        assert (math.log(ci.low), math.log(ci.high)) == pytest.approx((row[lo], row[hi]), rel=1e-9)
    # its test is the N-1 chi-square
    assert two_by_two_pvalue(*arms, method="n-1-chi2").pvalue == pytest.approx(
        row["pval"], rel=1e-9
    )


def test_single_stratum_mh_is_sample_or_with_woolf_ci():
    one = SETS["single"]
    st = strata(one)
    mh = mantel_haenszel(st)
    # by hand: sample OR = a d / (b c); Woolf: exp(log OR -+ z sqrt(1/a + 1/b + 1/c + 1/d))
    ((a, n1), (c, n2)) = st[0]
    b, d = n1 - a, n2 - c
    sample_or = a * d / (b * c)
    half = NormalDist().inv_cdf(0.975) * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    woolf = (sample_or * math.exp(-half), sample_or * math.exp(half))
    assert mh.statistic == pytest.approx(sample_or, rel=1e-12)
    assert tuple(mh.confidence_interval()) == pytest.approx(tuple(woolf), rel=1e-12)


def test_risk_difference_variances_differ_and_default_is_sato():
    st = strata(SETS["sparse"])
    assert mantel_haenszel(st, measure="risk_difference").variance == "sato"
    gr = mantel_haenszel(st, measure="risk_difference", variance="greenland-robins")
    # large-strata Greenland-Robins: sum w^2 (p1 q1 / n1 + p2 q2 / n2) / (sum w)^2, by hand
    w = [n1 * n2 / (n1 + n2) for (_, n1), (_, n2) in st]
    v = (
        sum(
            wi * wi * (a / n1 * (1 - a / n1) / n1 + c / n2 * (1 - c / n2) / n2)
            for wi, ((a, n1), (c, n2)) in zip(w, st, strict=True)
        )
        / sum(w) ** 2
    )
    assert gr.se == pytest.approx(math.sqrt(v), rel=1e-12)


def test_degenerate_and_bad_input():
    assert math.isnan(peto_odds_ratio([((0, 5), (0, 5))]).statistic)
    assert math.isnan(cmh_test([((0, 5), (0, 5))]).pvalue)
    assert mantel_haenszel([((3, 5), (0, 5))]).statistic == math.inf
    assert math.isnan(breslow_day_test([((3, 5), (1, 5))]).pvalue)
    with pytest.raises(InvalidCountError, match=r"strata\[1\]"):
        mantel_haenszel([((1, 5), (2, 5)), ((6, 5), (2, 5))])
    with pytest.raises(InvalidCountError, match="strata"):
        mantel_haenszel([])
    with pytest.raises(UnknownMethodError, match="variance"):
        mantel_haenszel([((1, 5), (2, 5))], variance="sato")
    with pytest.raises(UnknownMethodError, match="measure"):
        mantel_haenszel([((1, 5), (2, 5))], measure="hazard_ratio")


@pytest.mark.parametrize("row", REF["peto_single"], ids=lambda r: f"{r['a']}/{r['n1']}")
def test_risk_ratio_and_difference_z_tests_match_one_study_rma_mh(row):
    arms = (row["a"], row["n1"]), (row["c"], row["n2"])
    rr = two_by_two_pvalue(*arms, method="wald-log-rr")
    rd = two_by_two_pvalue(*arms, method="wald-rd")
    if "rr_pval" in row:
        assert rr.pvalue == pytest.approx(row["rr_pval"], rel=1e-9)
        mh = mantel_haenszel([arms], measure="risk_ratio")
        assert math.log(mh.statistic) == pytest.approx(row["rr_beta"], rel=1e-10)
        assert mh.pvalue == pytest.approx(row["rr_pval"], rel=1e-9)
    else:  # no events in an arm: metafor gives NA, we NaN with a note
        assert math.isnan(rr.pvalue)
        assert "infinite" in rr.note
    assert rd.pvalue == pytest.approx(row["rd_pval"], rel=1e-9)
